"""Trainers translate a course into English with wagtail-localize: the translation keeps the Thai
tree, its settings and its quiz block ids, and progress and quiz results are shared across both."""

import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource

from courses.learning.services import course_enrol, lesson_complete
from courses.models import CourseCompletion, LessonPage, LessonProgress, ModulePage, QuizPage, QuizResult
from courses.translation.services import page_translation_sync
from tests.courses.quizzes.quiz_helpers import RIGHT_POST, add_quiz, as_posted
from tests.factories import catalog_page, english_admin, make_course_tree, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_catalog():
    from courses.translation.services import catalog_translation_ensure
    from training.demo import seed_site

    seed_site()
    return catalog_translation_ensure(catalog=catalog_page(), language_code="en", title="Courses")


@pytest.fixture
def thai_course():
    course, module, lesson = make_course_tree(
        title="หลักสูตรพื้นฐาน",
        body=[{"type": "text", "value": "<p>เนื้อหาบทเรียน</p>"}],
        estimated_minutes=25,
        is_required=False,
    )
    course.estimated_hours = 3
    course.required_for_registration = True
    course.save_revision().publish()
    quiz = add_quiz(module, pass_mark=80, max_attempts=3)
    return course, module, lesson, quiz


def english_of(text: str) -> str:
    return f"EN {text}"


def translate_tree(course, django_capture_on_commit_callbacks):
    """The course and its descendants translated with wagtail-localize, every string prefixed."""
    with django_capture_on_commit_callbacks(execute=True):
        for page in [course, *course.get_descendants().order_by("path")]:
            page_translation_sync(source=page.specific, language_code="en", translate=english_of)
    english = Locale.objects.get(language_code="en")
    return {page.pk: page.get_translation(english).specific for page in [course, *course.get_descendants()]}


def test_a_course_translated_with_wagtail_localize_keeps_the_tree_settings_and_quiz_block_ids(
    english_catalog, thai_course, django_capture_on_commit_callbacks
):
    course, module, lesson, quiz = thai_course
    pages = translate_tree(course, django_capture_on_commit_callbacks)
    en_course, en_module, en_lesson, en_quiz = (pages[p.pk] for p in (course, module, lesson, quiz))

    assert all(page.live and page.locale.language_code == "en" for page in pages.values())
    assert en_course.get_parent().pk == english_catalog.pk
    assert [p.pk for p in en_course.get_children()] == [en_module.pk]
    assert [p.pk for p in en_module.get_children()] == [en_lesson.pk, en_quiz.pk]
    assert [(p.slug, p.translation_key) for p in (en_course, en_module, en_lesson, en_quiz)] == [
        (p.slug, p.translation_key) for p in (course, module, lesson, quiz)
    ]
    assert en_course.title == "EN หลักสูตรพื้นฐาน"
    assert en_lesson.body.raw_data[0]["value"] == "<p>EN เนื้อหาบทเรียน</p>"
    assert (en_course.estimated_hours, en_course.required_for_registration) == (3, True)
    assert (en_lesson.estimated_minutes, en_lesson.is_required) == (25, False)
    assert en_quiz.rules() == quiz.rules() and en_quiz.pass_mark == 80

    def ids(stream):
        return [
            (
                block["id"],
                [item["id"] for item in block["value"].get("choices", block["value"].get("pairs", []))],
            )
            for block in stream.raw_data
        ]

    assert ids(en_quiz.questions) == ids(quiz.questions)
    thai_single, english_single = quiz.questions[0].value, en_quiz.questions[0].value
    assert english_single["prompt"] == "EN Who decides what happens next?"
    assert [c["correct"] for c in english_single["choices"]] == [c["correct"] for c in thai_single["choices"]]
    assert en_quiz.questions[2].value["answer"] == "true"
    assert str(en_quiz.questions[0].value["points"]) == str(thai_single["points"])


def test_answer_keys_and_settings_follow_the_thai_quiz_when_the_translation_is_synced_again(
    english_catalog, thai_course, django_capture_on_commit_callbacks
):
    course, _module, _lesson, quiz = thai_course
    pages = translate_tree(course, django_capture_on_commit_callbacks)
    stream = quiz.questions.raw_data
    stream[2]["value"]["answer"] = "false"  # the true/false question's key changes in Thai
    quiz.questions = stream
    quiz.pass_mark = 60
    quiz.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        page_translation_sync(source=quiz, language_code="en", translate=english_of)
    en_quiz = QuizPage.objects.get(pk=pages[quiz.pk].pk)
    assert en_quiz.questions[2].value["answer"] == "false"
    assert en_quiz.pass_mark == 60
    assert en_quiz.questions[2].value["prompt"] == "EN Listening is a skill."


def test_progress_and_quiz_results_are_shared_between_the_thai_course_and_its_translation(
    client, english_catalog, thai_course, django_capture_on_commit_callbacks
):
    course, module, lesson, quiz = thai_course
    second = LessonPage(title="บทที่สอง", slug="second", body=[{"type": "text", "value": "<p>สอง</p>"}])
    module.add_child(instance=second)
    second.save_revision().publish()
    pages = translate_tree(course, django_capture_on_commit_callbacks)
    en_course, en_quiz, en_second = (pages[p.pk] for p in (course, quiz, second))
    user = make_user()
    client.force_login(user)

    client.post(f"/learn/courses/{en_course.pk}/enrol/")
    course_enrol(volunteer=user, course=course)  # already enrolled through the English page
    lesson_complete(volunteer=user, lesson=lesson)  # done in Thai
    client.post(f"/learn/lessons/{en_second.pk}/done/")  # done in English
    assert set(LessonProgress.objects.filter(volunteer=user).values_list("lesson_id", flat=True)) == {
        lesson.pk,
        second.pk,
    }

    token = str(uuid.uuid4())
    assert client.post(en_quiz.url, {"action": "start", "token": token}).status_code == 302
    from courses.models import QuizAttempt

    attempt = QuizAttempt.objects.get(token=token)
    assert attempt.quiz_id == quiz.pk
    assert [q["id"] for q in attempt.questions] == [block.id for block in quiz.questions]
    assert attempt.questions[0]["prompt"] == "EN Who decides what happens next?"
    answers = {
        **RIGHT_POST,
        "answer-q-match-p-1": "EN Firefighters",
        "answer-q-match-p-2": "EN Police",
    }
    client.post(en_quiz.url, {"action": "submit", "attempt": token, **as_posted(answers, token)})
    assert QuizResult.objects.get(volunteer=user, quiz=quiz).passed
    assert CourseCompletion.objects.filter(volunteer=user, course=course).exists()

    thai_quiz_html = client.get(quiz.url).content.decode()
    assert "quiz-rules__result" in thai_quiz_html and "100%" in thai_quiz_html
    assert "100.00%" not in thai_quiz_html
    thai_course_html = client.get(course.url).content.decode()
    english_course_html = client.get(en_course.url).content.decode()
    assert 'value="100"' in thai_course_html and 'value="100"' in english_course_html
    assert "EN บทที่สอง" in english_course_html and "บทที่สอง" in thai_course_html


def submit_url(page):
    return reverse("wagtail_localize:submit_page_translation", args=[page.pk])


def test_a_trainer_starts_a_translation_in_the_admin_and_gets_the_translation_editor(
    client, english_catalog, thai_course
):
    course, *_ = thai_course
    trainer = english_admin(make_user(group="Trainers"))
    client.force_login(trainer)
    english = Locale.objects.get(language_code="en")

    form = client.get(submit_url(course))
    assert form.status_code == 200 and "Translate" in form.content.decode()
    response = client.post(
        submit_url(course), {"locales": [english.pk], "include_subtree": "on"}, follow=True
    )
    assert response.status_code == 200
    translated = course.get_translation(english)
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_pages:edit", args=[translated.pk])
    assert "wagtail_localize/admin/edit_translation.html" in [t.name for t in response.templates]
    assert Translation.objects.filter(
        source__object_id=course.translation_key, target_locale=english
    ).exists()
    # The subtree is translated too, below the English course (the background runner is immediate).
    module = ModulePage.objects.get(locale=english)
    assert [child.pk for child in Page.objects.get(pk=translated.pk).get_children()] == [module.pk]
    assert translated.get_parent().pk == english_catalog.pk
    assert LessonPage.objects.child_of(module).count() == 1
    assert QuizPage.objects.child_of(module).count() == 1


def test_staff_without_edit_rights_cannot_start_a_translation(client, english_catalog, thai_course):
    course, *_ = thai_course
    staff = make_user(group="Staff")
    client.force_login(staff)
    english = Locale.objects.get(language_code="en")
    # Wagtail answers a refused admin view with a redirect to the dashboard and an error message.
    for response in (
        client.get(submit_url(course)),
        client.post(submit_url(course), {"locales": [english.pk]}),
    ):
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert course.get_translation_or_none(english) is None
    assert Group.objects.get(name="Trainers").permissions.filter(codename="submit_translation").exists()
    assert not Group.objects.get(name="Staff").permissions.filter(codename="submit_translation").exists()


def test_erasing_a_trainer_forgets_who_translated_but_keeps_the_translation(english_catalog, thai_course):
    from wagtail_localize.models import StringTranslation

    from courses.translation.privacy import erase_translations, export_translations

    course, *_ = thai_course
    # A lead trainer: the sync publishes the translation, which trainers may not (issue 23).
    trainer = make_user(group="Lead trainers")
    page_translation_sync(source=course, language_code="en", translate=english_of, user=trainer)
    made = StringTranslation.objects.filter(last_translated_by=trainer).count()
    assert made > 0 and export_translations(trainer)["strings_you_translated"] == made
    erase_translations(trainer, [trainer.email])
    assert not StringTranslation.objects.filter(last_translated_by=trainer).exists()
    assert StringTranslation.objects.filter(data="EN หลักสูตรพื้นฐาน").exists()


def test_a_trainer_cannot_translate_or_sync_a_page_they_may_not_edit(client, english_catalog, thai_course):
    course, *_ = thai_course
    english = Locale.objects.get(language_code="en")
    home = Page.objects.get(depth=2, locale__language_code="th")
    trainer = make_user(group="Trainers")
    client.force_login(trainer)
    # wagtail-localize alone lets anyone with "submit translation" translate any page.
    for response in (client.get(submit_url(home)), client.post(submit_url(home), {"locales": [english.pk]})):
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert not Translation.objects.filter(source__object_id=home.translation_key).exists()

    # A lead trainer translates the course (the sync publishes, which trainers may not since issue
    # 23); the trainer, who edits it, may sync it; a colleague who may not edit it cannot.
    lead = make_user(group="Lead trainers")
    page_translation_sync(source=course, language_code="en", translate=english_of, user=lead)
    source = TranslationSource.objects.get(object_id=course.translation_key)
    sync_url = reverse("wagtail_localize:update_translations", args=[source.pk])
    assert client.get(sync_url).status_code == 200
    outsider = make_user(email="outsider@example.org")
    outsider.user_permissions.add(Permission.objects.get(codename="submit_translation"))
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    assert client.get(sync_url)["Location"] == reverse("wagtailadmin_home")
    assert client.get(submit_url(course))["Location"] == reverse("wagtailadmin_home")
