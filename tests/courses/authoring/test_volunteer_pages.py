"""What a volunteer finds on the learning pages: the way to the catalog and "My learning", where
signing in lands, the certificate on completion, prerequisites, percentages and the English review."""

import uuid
from decimal import Decimal

import pytest
from django.template import Context, Template
from wagtail.models import Locale

from certificates.models import Certificate
from courses.learning.outlines import share_percent
from courses.learning.services import course_enrol, lesson_complete
from courses.models import QuizAttempt
from courses.translation.services import page_translation_sync
from tests.courses.quizzes.quiz_helpers import RIGHT_POST, add_quiz, as_posted
from tests.factories import PASSWORD, catalog_page, enrolled_reader, make_course_tree, make_volunteer

pytestmark = pytest.mark.django_db


def english_catalog():
    from courses.translation.services import catalog_translation_ensure
    from training.demo import seed_site

    seed_site()
    return catalog_translation_ensure(catalog=catalog_page(), language_code="en", title="Courses")


def header(html: str) -> str:
    return html.split("<header", 1)[1].split("</header>", 1)[0]


# --- The way to the courses ----------------------------------------------------------------------


def test_the_home_page_itself_offers_the_courses_in_the_readers_language(client):
    english_catalog()
    main = client.get("/").content.decode().split("<main", 1)[1]
    assert 'class="button" href="/courses/"' in main
    assert 'class="button" href="/en/courses/"' in client.get("/en/").content.decode().split("<main", 1)[1]


def test_the_header_leads_to_the_catalog_for_everyone_and_to_my_learning_once_signed_in(client):
    english_catalog()
    home = header(client.get("/").content.decode())
    assert 'href="/courses/"' in home and 'href="/learn/"' not in home
    assert 'href="/en/courses/"' in header(client.get("/en/").content.decode())
    client.force_login(make_volunteer().user)
    for url in ("/", "/accounts/profile/", "/learn/"):
        shown = header(client.get(url).content.decode())
        assert 'href="/courses/"' in shown and 'href="/learn/"' in shown, url


def test_signing_in_lands_on_my_learning_or_on_a_safe_next(client):
    volunteer = make_volunteer().user
    home = header(client.get("/").content.decode())
    assert 'href="/accounts/login/"' in home  # no `next` back to the home page
    response = client.post("/accounts/login/", {"username": volunteer.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/learn/"
    client.logout()
    response = client.post(
        "/en/accounts/login/", {"username": volunteer.email, "password": PASSWORD, "next": ""}
    )
    assert response["Location"] == "/en/learn/"
    client.logout()
    response = client.post(
        "/accounts/login/", {"username": volunteer.email, "password": PASSWORD, "next": "/courses/"}
    )
    assert response["Location"] == "/courses/"
    client.logout()
    response = client.post(
        "/accounts/login/",
        {"username": volunteer.email, "password": PASSWORD, "next": "https://evil.example.org/"},
    )
    assert response["Location"] == "/learn/"


# --- The certificate on completion ---------------------------------------------------------------


def certificate_links(certificate: Certificate) -> tuple[str, str]:
    return f"/learn/certificates/#certificate-{certificate.serial}", f"/certificates/{certificate.token}.pdf"


def test_finishing_the_last_lesson_leads_to_the_certificate_on_the_course_lesson_and_dashboard(client):
    course, _module, lesson = make_course_tree(title="Basics")
    user = enrolled_reader(client, course)
    response = client.post(f"/learn/lessons/{lesson.pk}/done/", follow=True)
    certificate = Certificate.objects.get(volunteer=user, course=course)
    entry, pdf = certificate_links(certificate)
    for html in (
        response.content.decode(),  # the course page the last lesson leads to
        client.get(lesson.url).content.decode(),
        client.get("/learn/").content.decode(),
    ):
        assert f'href="{entry}"' in html and f'href="{pdf}"' in html
    assert f'id="certificate-{certificate.serial}"' in client.get("/learn/certificates/").content.decode()


def test_the_lesson_that_completes_the_course_leads_to_the_course_page_even_with_optional_lessons_left(
    client,
):
    from courses.models import LessonPage

    course, module, lesson = make_course_tree(title="Basics")
    optional = LessonPage(title="Further reading", slug="further", body=[], is_required=False)
    module.add_child(instance=optional)
    optional.save_revision().publish()
    user = enrolled_reader(client, course)
    response = client.post(f"/learn/lessons/{lesson.pk}/done/")
    assert response["Location"] == course.url
    entry, _pdf = certificate_links(Certificate.objects.get(volunteer=user, course=course))
    assert f'href="{entry}"' in client.get(course.url).content.decode()


def test_passing_the_last_quiz_shows_the_certificate_on_the_quiz_page(client):
    course, module, lesson = make_course_tree(title="Basics")
    quiz = add_quiz(module)
    user = enrolled_reader(client, course)
    lesson_complete(volunteer=user, lesson=lesson)
    token = str(uuid.uuid4())
    client.post(quiz.url, {"action": "start", "token": token})
    attempt = QuizAttempt.objects.get(token=token)
    response = client.post(
        quiz.url, {"action": "submit", "attempt": str(attempt.token), **as_posted(RIGHT_POST, attempt.token)}
    )
    html = client.get(response["Location"]).content.decode()
    entry, pdf = certificate_links(Certificate.objects.get(volunteer=user, course=course))
    assert f'href="{entry}"' in html and f'href="{pdf}"' in html


def test_a_course_without_a_certificate_says_completed_and_links_none(client):
    course, _module, lesson = make_course_tree(title="Tour")
    course.issues_certificate = False
    course.save_revision().publish()
    user = enrolled_reader(client, course)
    lesson_complete(volunteer=user, lesson=lesson)
    html = client.get(course.url).content.decode()
    assert "course-action__completed" in html and "#certificate-" not in html


# --- Prerequisites -----------------------------------------------------------------------------


def test_missing_prerequisites_replace_the_enrol_button_and_go_once_completed(client):
    first, _m, first_lesson = make_course_tree(title="Orientation first")
    second, _m2, second_lesson = make_course_tree(title="Case practice")
    second.prerequisites.set([first])
    second.save_revision().publish()
    user = make_volunteer().user
    client.force_login(user)
    enrol_form = f'action="/learn/courses/{second.pk}/enrol/"'

    html = client.get(second.url).content.decode()
    assert enrol_form not in html
    assert "course-action__prerequisites" in html and f'href="{first.url}"' in html
    # The lesson's enrol prompt says the same.
    lesson_html = client.get(second_lesson.url).content.decode()
    assert enrol_form not in lesson_html and f'href="{first.url}"' in lesson_html

    course_enrol(volunteer=user, course=first)
    lesson_complete(volunteer=user, lesson=first_lesson)
    html = client.get(second.url).content.decode()
    assert enrol_form in html and "course-action__prerequisites" not in html

    course_enrol(volunteer=user, course=second)
    lesson_complete(volunteer=user, lesson=second_lesson)
    html = client.get(second.url).content.decode()
    assert "course-action__completed" in html
    assert f'href="{first.url}"' not in html  # no "complete these courses first" on a completed course


def test_visitors_see_the_prerequisites_with_the_log_in_button(client):
    first, _m, _l = make_course_tree(title="Orientation first")
    second, _m2, _l2 = make_course_tree(title="Case practice")
    second.prerequisites.set([first])
    second.save_revision().publish()
    html = client.get(second.url).content.decode()
    assert f'href="{first.url}"' in html and f'action="/learn/courses/{second.pk}/enrol/"' in html


# --- Percentages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "total", "shown"), [(2, 3, 67), (1, 3, 33), (1, 8, 13), (3, 8, 38), (0, 0, 0), (5, 5, 100)]
)
def test_shares_are_whole_percentages_rounded_half_up(done, total, shown):
    assert share_percent(done, total) == shown


@pytest.mark.parametrize(
    ("score", "shown"), [("40.00", "40"), ("66.67", "67"), ("62.50", "63"), ("33.33", "33"), ("0", "0")]
)
def test_scores_show_as_whole_percentages_rounded_half_up(score, shown):
    template = Template("{% load learning_tags %}{{ score|whole_percent }}")
    assert template.render(Context({"score": Decimal(score)})) == shown


def test_the_quiz_page_shows_a_score_of_two_thirds_as_67_percent(client):
    course, module, _lesson = make_course_tree(title="Basics")
    quiz = add_quiz(module)
    enrolled_reader(client, course)
    token = str(uuid.uuid4())
    client.post(quiz.url, {"action": "start", "token": token})
    attempt = QuizAttempt.objects.get(token=token)
    # Single choice, multiple choice and true/false right: 4 of 6 points.
    answers = {key: RIGHT_POST[key] for key in ("answer-q-single", "answer-q-multi", "answer-q-tf")}
    client.post(
        quiz.url, {"action": "submit", "attempt": str(attempt.token), **as_posted(answers, attempt.token)}
    )
    attempt.refresh_from_db()
    assert attempt.score == Decimal("66.67")
    html = client.get("/en" + quiz.url).content.decode()
    assert "Score: 67%" in html and "66.67" not in html and "66%" not in html


def test_the_progress_report_rounds_half_up():
    from courses.models import CompletionRule
    from courses.reports.exports import progress_percent

    row = {
        "completed_at": None,
        "course__completion_rule": CompletionRule.ALL_LESSONS_AND_QUIZZES,
        "done_all": 1,
        "lessons_all": 8,
    }
    assert progress_percent(row) == 13


# --- The review of an attempt in English -------------------------------------------------------


def test_an_attempt_started_in_thai_is_reviewed_in_english_with_the_english_questions(
    client, django_capture_on_commit_callbacks
):
    english_catalog()
    course, module, lesson = make_course_tree(title="หลักสูตรพื้นฐาน")
    quiz = add_quiz(module)
    with django_capture_on_commit_callbacks(execute=True):
        for page in [course, *course.get_descendants().order_by("path")]:
            page_translation_sync(
                source=page.specific, language_code="en", translate=lambda text: f"EN {text}"
            )
    english = quiz.get_translation(Locale.objects.get(language_code="en")).specific
    user = enrolled_reader(client, course)
    lesson_complete(volunteer=user, lesson=lesson)
    token = str(uuid.uuid4())
    client.post(quiz.url, {"action": "start", "token": token})  # in Thai
    attempt = QuizAttempt.objects.get(token=token)
    client.post(
        quiz.url, {"action": "submit", "attempt": str(attempt.token), **as_posted(RIGHT_POST, attempt.token)}
    )
    attempt.refresh_from_db()
    assert attempt.passed and attempt.questions[0]["prompt"] == "Who decides what happens next?"

    html = client.get(english.url).content.decode().replace("&#x27;", "'").replace("&gt;", ">")
    review = html.split('id="quiz-result"', 1)[1]
    assert "EN Who decides what happens next?" in review
    assert "Your answer: EN The person" in review and "Correct answer: EN The person" in review
    assert "EN Fire → EN Firefighters" in review  # a matching answer, in English
    assert "Who decides what happens next?</p>" not in review.replace("EN Who decides", "")
    # In Thai, the review shows the Thai snapshot as it was.
    thai = client.get(quiz.url).content.decode().split('id="quiz-result"', 1)[1]
    assert "EN Who decides" not in thai and "Who decides what happens next?" in thai
