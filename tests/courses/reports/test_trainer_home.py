"""A trainer's home in the admin (issue 23): their courses with enrolments, completions and pass
rates, their drafts and the latest quiz attempts, names without contact data, at a cost that does
not grow with the courses; staff get none of it. And the certificate artwork kept out of the
trainers' image chooser, while the lesson images stay in it."""

import html
import importlib
import re
import uuid

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from wagtail.images import get_image_model
from wagtail.models import Collection

from certificates.models import CertificateTemplate
from courses.demo.quizzes import _right_answers
from courses.learning.services import course_completion_record, course_enrol
from courses.quizzes.services import quiz_attempt_start, quiz_attempt_submit
from tests import demo_copy
from tests.courses.quizzes.quiz_helpers import add_quiz
from tests.courses.reports.test_quiz_results_report import course_trainer
from tests.factories import make_course_tree, make_image, make_user, make_volunteer

pytestmark = pytest.mark.django_db

HOME = "/admin/"
CHOOSER = "/admin/images/chooser/"
ARTWORK = "Certificate artwork"


def attempt(profile, quiz, *, right: bool):
    started = quiz_attempt_start(volunteer=profile.user, quiz=quiz, token=uuid.uuid4())
    return quiz_attempt_submit(attempt=started, answers=_right_answers(started.questions) if right else {})


def course_with_quiz(title: str, slug: str):
    course, module, _lesson = make_course_tree(title=title, slug=slug)
    quiz = add_quiz(module)
    quiz.title = f"{title} quiz"
    quiz.save_revision().publish()
    return course, quiz


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def courses_table(page: str) -> dict[str, list[str]]:
    """The "My courses" rows by course title (its link's text): the other cells' text."""
    section = page.split('id="trainer-courses-heading"', 1)[1].split("</section>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", section, re.S)[1:]:
        title = _text(re.search(r'<th scope="row"[^>]*>\s*<a [^>]*>(.*?)</a>', row, re.S).group(1))
        rows[title] = [_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return rows


def make_world() -> dict:
    """Orientation: three volunteers enrolled, one completed; quiz results: Kanya passed (after a
    failed attempt), Somchai failed. Platform: one volunteer enrolled, nobody took its quiz."""
    orientation, safety = course_with_quiz("Orientation", "orientation")
    platform, _tools = course_with_quiz("Platform", "platform")
    kanya = make_volunteer(
        email="kanya.contact@example.org", given_name_th="กัญญา", family_name_th="ใจดี", phone="+47 111"
    )
    somchai = make_volunteer(email="somchai.contact@example.org", given_name_th="สมชาย")
    napa = make_volunteer(email="napa.contact@example.org", given_name_th="นภา")
    for profile in (kanya, somchai, napa):
        course_enrol(volunteer=profile.user, course=orientation)
    course_enrol(volunteer=napa.user, course=platform)
    course_completion_record(volunteer=kanya.user, course=orientation)
    attempt(kanya, safety, right=False)
    attempt(kanya, safety, right=True)
    attempt(somchai, safety, right=False)
    return {"orientation": orientation, "platform": platform, "safety": safety, "kanya": kanya}


world_rows, world = demo_copy.world_fixtures(make_world)


def test_a_trainer_sees_their_courses_with_enrolments_completions_and_pass_rates(world, client):
    client.force_login(make_user(group="Trainers"))
    rows = courses_table(client.get(HOME).content.decode())
    with translation.override(settings.LANGUAGE_CODE):  # the admin speaks Thai by default
        completed = gettext("(%(percent)s%% completed)")
        passed = gettext("(%(passed)s of %(results)s)")
    # Orientation: 3 enrolled, 1 completed (33%); one result of two passed (50%).
    assert rows["Orientation"] == [
        "3",
        f"1 {completed % {'percent': 33}}",
        f"50% {passed % {'passed': 1, 'results': 2}}",
    ]
    # Platform: 1 enrolled, none completed, nobody took its quiz.
    assert rows["Platform"] == ["1", f"0 {completed % {'percent': 0}}", "—"]


def test_a_trainer_of_one_course_sees_only_that_course_and_its_attempts(world, client):
    client.force_login(course_trainer(world["platform"]))
    page = client.get(HOME).content.decode()
    assert set(courses_table(page)) == {"Platform"}
    assert "Orientation quiz" not in page
    assert "กัญญา" not in page
    client.force_login(course_trainer(world["orientation"]))
    page = client.get(HOME).content.decode()
    assert set(courses_table(page)) == {"Orientation"}
    assert "กัญญา ใจดี" in page


def test_the_course_links_go_to_the_explorer_the_editor_and_the_quiz_results(world, client):
    client.force_login(make_user(group="Trainers"))
    page = client.get(HOME).content.decode()
    course = world["orientation"]
    assert f'href="/admin/pages/{course.pk}/"' in page
    assert f'href="/admin/pages/{course.pk}/edit/"' in page
    assert f'href="/admin/reports/quiz-results/?course={course.pk}"' in page
    assert client.get(f"/admin/reports/quiz-results/?course={course.pk}").status_code == 200


def test_recent_attempts_name_the_learner_without_contact_data(world, client):
    client.force_login(make_user(group="Trainers"))
    page = client.get(HOME).content.decode()
    section = page.split('id="trainer-attempts-heading"', 1)[1].split("</section>", 1)[0]
    assert section.count("<tr>") == 1 + 3  # the heading row and the three finished attempts
    assert "กัญญา ใจดี" in section and "สมชาย" in section
    assert "Orientation quiz" in section
    assert f"/admin/courses/quiz/{world['safety'].pk}/statistics/" in section
    for contact in ("kanya.contact@example.org", "somchai.contact@example.org", "+47 111"):
        assert contact not in page


def test_a_trainers_drafts_are_their_own_unpublished_changes(world, client):
    trainer = make_user(group="Trainers")
    lesson = world["orientation"].get_children().first().get_children().first().specific
    lesson.title = "Orientation lesson, rewritten"
    lesson.save_revision(user=trainer)
    other = world["platform"].specific
    other.title = "Platform, changed by someone else"
    other.save_revision(user=make_user(group="Trainers"))
    client.force_login(trainer)
    page = client.get(HOME).content.decode()
    section = page.split('id="trainer-drafts-heading"', 1)[1].split("</section>", 1)[0]
    assert "Orientation lesson, rewritten" in section
    assert f'href="/admin/pages/{lesson.pk}/edit/"' in section
    assert "Orientation" in section  # its course
    assert "someone else" not in section


def test_staff_and_superusers_get_no_trainer_panels(world, client):
    for user in (make_user(group="Staff"), make_user(is_superuser=True, is_staff=True)):
        client.force_login(user)
        page = client.get(HOME).content.decode()
        assert 'id="registration-ready-heading"' in page
        for heading in ("trainer-courses-heading", "trainer-drafts-heading", "trainer-attempts-heading"):
            assert f'id="{heading}"' not in page


def test_wagtails_review_panels_stay_on_a_trainers_home_in_thai(world, client):

    trainer = make_user(group="Trainers")
    course = world["platform"].specific
    course.title = "Platform, for review"
    revision = course.save_revision(user=trainer)
    course.get_workflow().start(course, trainer)  # the review workflow the catalog gives every course
    assert revision.pk
    client.force_login(trainer)
    page = client.get(HOME).content.decode()
    assert 'id="objects-in-workflow-heading"' in page
    assert "Your pages and snippets in a workflow" not in page  # translated
    drafts = page.split('id="trainer-drafts-heading"', 1)[1].split("</section>", 1)[0]
    with translation.override(settings.LANGUAGE_CODE):
        assert "Platform, for review" in drafts and gettext("Waiting for review") in drafts
    lead = make_user(group="Lead trainers")
    client.force_login(lead)
    page = client.get(HOME).content.decode()
    assert 'id="awaiting-review-heading"' in page
    assert "Awaiting your review" not in page


def home_queries(client) -> int:
    client.get(HOME)  # warm the caches any second visit finds warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_trainers_home_costs_the_same_for_1_and_5_courses(client):
    trainer = make_user(group="Trainers")
    client.force_login(trainer)
    counts = []
    for number in range(5):
        course, quiz = course_with_quiz(f"Course {number}", f"course-{number}")
        profile = make_volunteer(given_name_th=f"ผู้เรียน {number}")
        course_enrol(volunteer=profile.user, course=course)
        course_completion_record(volunteer=profile.user, course=course)
        attempt(profile, quiz, right=number % 2 == 0)
        lesson = course.get_children().first().get_children().first().specific
        lesson.title = f"Draft {number}"
        lesson.save_revision(user=trainer)
        if number in (0, 4):
            counts.append(home_queries(client))
    page = client.get(HOME).content.decode()
    assert len(courses_table(page)) == 5
    assert counts[0] == counts[1], counts


# --- The certificate artwork out of the trainers' chooser ---------------------------------------


def chooser_titles(client) -> str:
    response = client.get(CHOOSER)
    assert response.status_code == 200
    return html.unescape(response.json()["html"])


@pytest.fixture
def artwork_and_lesson_images():
    artwork = Collection.objects.get(name=ARTWORK, depth=2)
    signature = make_image(title="ลายมือชื่อตัวอย่าง", collection=artwork)
    logo = make_image(title="ตราสัญลักษณ์ตัวอย่าง", collection=artwork)
    lesson = make_image(title="ภาพประกอบ: เครือข่ายอาสาสมัคร")
    return signature, logo, lesson


def test_trainers_cannot_choose_the_signature_or_the_logo_and_staff_can(client, artwork_and_lesson_images):
    for group in ("Trainers", "Lead trainers"):
        client.force_login(make_user(group=group))
        titles = chooser_titles(client)
        assert "ภาพประกอบ: เครือข่ายอาสาสมัคร" in titles, group
        assert "ลายมือชื่อตัวอย่าง" not in titles, group
        assert "ตราสัญลักษณ์ตัวอย่าง" not in titles, group
    client.force_login(make_user(group="Staff"))
    titles = chooser_titles(client)
    assert "ลายมือชื่อตัวอย่าง" in titles and "ตราสัญลักษณ์ตัวอย่าง" in titles


def test_trainers_choose_from_every_collection_but_the_artwork_never_from_the_root():
    from wagtail.models import GroupCollectionPermission

    extra = Collection.get_first_root_node().add_child(name="Partner media")
    migration = importlib.import_module("certificates.migrations.0009_certificate_artwork_collection")
    migration.keep_certificate_artwork_from_trainers(apps)
    migration.keep_certificate_artwork_from_trainers(apps)  # idempotent
    for group in ("Trainers", "Lead trainers"):
        chosen = set(
            GroupCollectionPermission.objects.filter(
                group__name=group, permission__codename__in=["choose_image", "choose_document"]
            ).values_list("collection__name", "permission__codename")
        )
        assert chosen == {
            (name, codename)
            for name in ("Training media", extra.name)
            for codename in ("choose_image", "choose_document")
        }, group
    staff = set(
        GroupCollectionPermission.objects.filter(group__name="Staff", collection__name=ARTWORK).values_list(
            "permission__codename", flat=True
        )
    )
    assert staff == {"add_image", "change_image", "choose_image"}


def test_the_migration_moves_the_templates_pictures_into_the_artwork_collection():
    root = Collection.get_first_root_node()
    signature = make_image(title="Signature", collection=root)
    logo = make_image(title="Logo")
    CertificateTemplate.objects.create(
        name="Default", signatory_name="S", signatory_title="T", signature_image=signature, logo_image=logo
    )
    left = make_image(title="Something else", collection=root)
    importlib.import_module(
        "certificates.migrations.0009_certificate_artwork_collection"
    ).keep_certificate_artwork_from_trainers(apps)
    Image = get_image_model()
    assert {image.collection.name for image in Image.objects.filter(pk__in=[signature.pk, logo.pk])} == {
        ARTWORK
    }
    assert Image.objects.get(pk=left.pk).collection_id == root.pk


def test_the_demo_keeps_its_artwork_from_trainers_and_its_lesson_images_choosable(demo, client):
    from courses.demo.courses import demo_image_titles

    client.force_login(make_user(group="Trainers"))
    titles = chooser_titles(client)
    assert "ลายมือชื่อตัวอย่าง" not in titles and "ตราสัญลักษณ์ตัวอย่าง" not in titles
    # The chooser shows its first page of images: the lesson images are the demo's only others.
    for title in demo_image_titles():
        assert title in titles
    client.force_login(make_user(group="Staff"))
    assert "ลายมือชื่อตัวอย่าง" in chooser_titles(client)
