"""Learning in the browser: enrolment, marking lessons done, resuming, the dashboard and completion."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Locale, PageViewRestriction

from courses.learning import completion
from courses.learning.outlines import course_learning_outline
from courses.learning.selectors import learning_dashboard
from courses.learning.services import (
    NotEnrolled,
    PrerequisitesMissing,
    course_completion_check,
    course_enrol,
    lesson_complete,
)
from courses.models import (
    CompletionRule,
    CourseCompletion,
    CoursePage,
    Enrollment,
    LessonPage,
    LessonProgress,
)
from tests.factories import catalog_page, make_course_tree, make_volunteer

pytestmark = pytest.mark.django_db


def add_lesson(module, title: str, *, slug: str | None = None, required: bool = True) -> LessonPage:
    lesson = LessonPage(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        body=[{"type": "text", "value": f"<p>{title} text</p>"}],
        is_required=required,
    )
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    return lesson


def signed_in(client, profile=None):
    profile = profile or make_volunteer()
    client.force_login(profile.user)
    return profile.user


@pytest.fixture
def listener_calls(monkeypatch):
    calls = []
    monkeypatch.setitem(
        completion._listeners,
        "test",
        lambda *, volunteer, course, completed_at: calls.append((volunteer.pk, course.pk, completed_at)),
    )
    return calls


# --- Enrolment -------------------------------------------------------------------------------


def test_a_volunteer_enrols_from_the_course_page_and_lands_on_the_first_lesson(client):
    course, _module, lesson = make_course_tree(title="Basics")
    user = signed_in(client)
    html = client.get(course.url).content.decode()
    assert f'action="/learn/courses/{course.pk}/enrol/"' in html
    response = client.post(f"/learn/courses/{course.pk}/enrol/")
    assert response.status_code == 302 and response["Location"] == lesson.url
    assert Enrollment.objects.filter(volunteer=user, course=course, source="self").count() == 1
    # Enrolling again changes nothing.
    client.post(f"/learn/courses/{course.pk}/enrol/")
    assert Enrollment.objects.filter(volunteer=user).count() == 1


def test_an_anonymous_visitor_who_enrols_is_sent_to_log_in_and_back_to_the_course(client):
    course, _module, _lesson = make_course_tree(title="Basics")
    html = client.get(course.url).content.decode()
    assert "/accounts/signup/" in html
    response = client.post(f"/learn/courses/{course.pk}/enrol/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={course.url.replace('/', '%2F')}"
    assert not Enrollment.objects.exists()


def test_enrolment_is_refused_until_the_prerequisite_is_completed_with_its_name_in_the_message(client):
    first, _module, first_lesson = make_course_tree(title="Orientation first")
    second, _module2, _lesson2 = make_course_tree(title="Case practice")
    second.prerequisites.set([first])
    second.save_revision().publish()
    user = signed_in(client)
    response = client.post(f"/learn/courses/{second.pk}/enrol/", follow=True)
    assert "Orientation first" in response.content.decode()
    assert not Enrollment.objects.filter(course=second).exists()
    with pytest.raises(PrerequisitesMissing) as refused:
        course_enrol(volunteer=user, course=second)
    assert [course.pk for course in refused.value.missing] == [first.pk]

    course_enrol(volunteer=user, course=first)
    lesson_complete(volunteer=user, lesson=first_lesson)
    client.post(f"/learn/courses/{second.pk}/enrol/")
    assert Enrollment.objects.filter(volunteer=user, course=second).exists()


def english_catalog():
    from courses.translation.services import catalog_translation_ensure
    from training.demo import seed_site

    seed_site()
    return catalog_translation_ensure(catalog=catalog_page(), language_code="en", title="Courses")


def test_enrolling_on_the_english_page_enrols_in_the_thai_course(client):
    course, _module, _lesson = make_course_tree(title="Basics")
    english_catalog()
    english = course.copy_for_translation(Locale.objects.get(language_code="en"))
    english.save_revision().publish()
    user = signed_in(client)
    client.post(f"/learn/courses/{english.pk}/enrol/")
    assert list(Enrollment.objects.filter(volunteer=user).values_list("course_id", flat=True)) == [course.pk]


def test_forms_without_a_csrf_token_are_refused(client):
    course, _module, lesson = make_course_tree(title="Basics")
    strict = Client(enforce_csrf_checks=True)
    user = signed_in(strict)
    assert strict.post(f"/learn/courses/{course.pk}/enrol/").status_code == 403
    course_enrol(volunteer=user, course=course)
    assert strict.post(f"/learn/lessons/{lesson.pk}/done/").status_code == 403
    assert not LessonProgress.objects.exists()


def test_enrolling_in_a_draft_course_is_a_404(client):
    course, _module, _lesson = make_course_tree(title="Draft", publish=False)
    signed_in(client)
    assert client.post(f"/learn/courses/{course.pk}/enrol/").status_code == 404
    assert client.post("/learn/courses/999999/enrol/").status_code == 404


# --- Lessons ---------------------------------------------------------------------------------


def test_marking_a_lesson_done_twice_records_it_once_and_moves_on(client):
    course, module, first = make_course_tree(title="Basics")
    second = add_lesson(module, "Second lesson")
    user = signed_in(client)
    course_enrol(volunteer=user, course=course)
    html = client.get(first.url).content.decode()
    assert f'action="/learn/lessons/{first.pk}/done/"' in html
    response = client.post(f"/learn/lessons/{first.pk}/done/")
    assert response.status_code == 302 and response["Location"] == second.url
    first_done = LessonProgress.objects.get(volunteer=user, lesson=first).completed_at
    client.post(f"/learn/lessons/{first.pk}/done/")
    assert LessonProgress.objects.filter(volunteer=user).count() == 1
    assert LessonProgress.objects.get(volunteer=user, lesson=first).completed_at == first_done
    assert lesson_complete(volunteer=user, lesson=first) is False


def test_a_lesson_of_a_course_the_volunteer_is_not_enrolled_in_shows_the_enrol_prompt(client):
    course, _module, lesson = make_course_tree(title="Basics")
    user = signed_in(client)
    html = client.get(lesson.url).content.decode()
    assert "Lesson text" not in html
    assert f'action="/learn/courses/{course.pk}/enrol/"' in html
    response = client.post(f"/learn/lessons/{lesson.pk}/done/")
    assert response.status_code == 302
    assert not LessonProgress.objects.exists()
    with pytest.raises(NotEnrolled):
        lesson_complete(volunteer=user, lesson=lesson)


def test_draft_and_private_lessons_are_404_for_volunteers(client):
    course, module, lesson = make_course_tree(title="Basics")
    draft = add_lesson(module, "Draft lesson")
    draft.unpublish()
    private = add_lesson(module, "Staff only")
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Staff")])
    user = signed_in(client)
    course_enrol(volunteer=user, course=course)
    assert client.get(lesson.url).status_code == 200
    assert client.get(draft.url).status_code == 404
    assert client.get(private.url).status_code == 404
    assert client.post(f"/learn/lessons/{private.pk}/done/").status_code == 404
    outline_titles = [item.page.title for item in course_learning_outline(user=user, course=course).items]
    assert outline_titles == [lesson.title]


def test_a_lesson_below_a_restricted_module_cannot_be_marked_done(client):
    """The restriction is the ancestor's: "mark as done" reads the lesson with whether any view
    restriction on it or above it applies."""
    course, module, lesson = make_course_tree(title="Basics")
    restriction = PageViewRestriction.objects.create(page=module, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name="Staff")])
    user = signed_in(client)
    course_enrol(volunteer=user, course=course)
    assert client.post(f"/learn/lessons/{lesson.pk}/done/").status_code == 404
    restriction.delete()
    assert client.post(f"/learn/lessons/{lesson.pk}/done/").status_code == 302


def test_the_lesson_page_shows_module_and_course_progress_and_neighbours(client):
    course, module, first = make_course_tree(title="Basics")
    second = add_lesson(module, "Second lesson")
    user = signed_in(client)
    course_enrol(volunteer=user, course=course)
    lesson_complete(volunteer=user, lesson=first)
    html = client.get(second.url).content.decode()
    assert 'value="50"' in html
    assert f'rel="prev" href="{first.url}"' in html
    assert f'action="/learn/lessons/{second.pk}/done/"' in html


# --- The course page ---------------------------------------------------------------------------


def test_the_course_button_reads_start_then_continue_to_the_first_lesson_not_done_then_completed(client):
    course, module, first = make_course_tree(title="Basics")
    second = add_lesson(module, "Second lesson")
    third = add_lesson(module, "Third lesson")
    user = signed_in(client)
    course_enrol(volunteer=user, course=course)
    html = client.get(course.url).content.decode()
    assert f'<a class="button" href="{first.url}">' in html
    lesson_complete(volunteer=user, lesson=first)
    lesson_complete(volunteer=user, lesson=third)
    html = client.get(course.url).content.decode()
    assert f'<a class="button" href="{second.url}">' in html
    assert 'value="67"' in html  # 2 of 3, rounded half up
    lesson_complete(volunteer=user, lesson=second)
    html = client.get(course.url).content.decode()
    assert "course-action__completed" in html and 'value="100"' in html


# --- Completion --------------------------------------------------------------------------------


def test_completion_is_recorded_once_and_listeners_hear_of_it_once(listener_calls):
    course, module, first = make_course_tree(title="Basics")
    second = add_lesson(module, "Second lesson")
    user = make_volunteer().user
    course_enrol(volunteer=user, course=course)
    lesson_complete(volunteer=user, lesson=first)
    assert not CourseCompletion.objects.exists()
    lesson_complete(volunteer=user, lesson=second)
    lesson_complete(volunteer=user, lesson=second)
    assert course_completion_check(volunteer=user, course=course) is None
    recorded = CourseCompletion.objects.get(volunteer=user, course=course)
    assert listener_calls == [(user.pk, course.pk, recorded.completed_at)]


def test_the_required_lessons_rule_ignores_optional_lessons_and_the_all_lessons_rule_does_not():
    course, module, first = make_course_tree(title="Basics")
    add_lesson(module, "Optional extra", required=False)
    other, other_module, other_first = make_course_tree(title="Everything", slug="everything")
    add_lesson(other_module, "Optional extra", required=False)
    other.completion_rule = CompletionRule.ALL_LESSONS_AND_QUIZZES
    other.save_revision().publish()
    user = make_volunteer().user
    for each in (course, other):
        course_enrol(volunteer=user, course=each)
    lesson_complete(volunteer=user, lesson=first)
    lesson_complete(volunteer=user, lesson=other_first)
    assert CourseCompletion.objects.filter(course=course).exists()
    assert not CourseCompletion.objects.filter(course=other).exists()


def test_a_lesson_added_later_keeps_completions_and_lowers_unfinished_progress():
    course, module, first = make_course_tree(title="Basics")
    second = add_lesson(module, "Second lesson")
    finished, halfway = make_volunteer().user, make_volunteer().user
    for user in (finished, halfway):
        course_enrol(volunteer=user, course=course)
        lesson_complete(volunteer=user, lesson=first)
    lesson_complete(volunteer=finished, lesson=second)
    assert course_learning_outline(user=halfway, course=course).percent == 50
    add_lesson(module, "New lesson")
    assert CourseCompletion.objects.filter(volunteer=finished, course=course).exists()
    assert course_learning_outline(user=finished, course=course).action == "completed"
    assert course_learning_outline(user=halfway, course=course).percent == 33


def test_progress_is_kept_when_the_volunteer_switches_language(client):
    course, module, first = make_course_tree(title="Basics")
    second = add_lesson(module, "Second lesson")
    english = Locale.objects.get(language_code="en")
    english_catalog()
    pages = {}
    for page in (course, module, first, second):
        translation = page.copy_for_translation(english)
        translation.title = f"EN {page.title}"
        translation.save_revision().publish()
        pages[page.pk] = translation
    user = signed_in(client)
    client.post(f"/learn/courses/{pages[course.pk].pk}/enrol/")
    client.post(f"/learn/lessons/{pages[first.pk].pk}/done/")
    assert list(LessonProgress.objects.filter(volunteer=user).values_list("lesson_id", flat=True)) == [
        first.pk
    ]
    thai = client.get(course.url).content.decode()
    assert 'value="50"' in thai and f'class="button" href="{second.url}"' in thai
    english_html = client.get(pages[course.pk].url).content.decode()
    assert 'value="50"' in english_html
    assert f'class="button" href="{pages[second.pk].url}"' in english_html
    assert "EN Second lesson" in english_html
    client.post(f"/learn/lessons/{pages[second.pk].pk}/done/")
    assert CourseCompletion.objects.filter(volunteer=user, course=course).exists()


# --- The dashboard ---------------------------------------------------------------------------


def test_the_dashboard_shows_progress_continue_links_completions_and_courses_available_next(client):
    first, first_module, first_lesson = make_course_tree(title="Orientation first")
    add_lesson(first_module, "Orientation two")
    platform, _m, platform_lesson = make_course_tree(title="Platform tour")
    follow_up, _m2, _l2 = make_course_tree(title="Follow up")
    follow_up.prerequisites.set([first])
    follow_up.save_revision().publish()
    user = signed_in(client)
    course_enrol(volunteer=user, course=first)
    course_enrol(volunteer=user, course=platform)
    lesson_complete(volunteer=user, lesson=first_lesson)
    lesson_complete(volunteer=user, lesson=platform_lesson)
    board = learning_dashboard(user=user, language_code="th")
    assert [outline.course.title for outline in board.in_progress] == ["Orientation first"]
    assert board.in_progress[0].percent == 50
    assert [outline.course.title for outline in board.completed] == ["Platform tour"]
    assert "Follow up" not in [offer.course.title for offer in board.available]
    html = client.get("/learn/").content.decode()
    assert (
        '<progress class="progress__bar" max="100" value="50" aria-labelledby="course-progress-1">'
        "50%</progress>"
        '<p id="course-progress-1" class="progress__label">เรียนแล้ว 50% (1 จาก 2)</p>'
    ) in html
    assert "dashboard-course--completed" in html
    english = client.get("/en/learn/").content.decode()
    assert '<p id="course-progress-1" class="progress__label">50% done (1 of 2)</p>' in english


def test_the_dashboard_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/learn/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_courses_live_only_in_the_catalog_are_offered_next_once_prerequisites_are_met():
    first, _module, first_lesson = make_course_tree(title="Orientation first")
    follow_up, _m2, _l2 = make_course_tree(title="Follow up")
    follow_up.prerequisites.set([first])
    follow_up.save_revision().publish()
    user = make_volunteer().user
    assert [offer.course.title for offer in learning_dashboard(user=user, language_code="th").available] == [
        "Orientation first"
    ]
    course_enrol(volunteer=user, course=first)
    lesson_complete(volunteer=user, lesson=first_lesson)
    assert [offer.course.title for offer in learning_dashboard(user=user, language_code="th").available] == [
        "Follow up"
    ]
    assert CoursePage.objects.filter(pk=follow_up.pk, live=True).exists()
    assert catalog_page().pk


# --- Previews --------------------------------------------------------------------------------


def test_a_trainer_previewing_a_lesson_reads_its_content_without_enrolling():
    _course, _module, lesson = make_course_tree(title="Basics")
    response = lesson.make_preview_request()
    assert response.status_code == 200
    assert "Lesson text" in response.content.decode()


def test_a_new_course_and_a_new_lesson_preview_before_their_first_save():
    _existing, module, _lesson = make_course_tree(title="Basics")
    parent = catalog_page()
    course = CoursePage(title="Brand new", slug="brand-new", summary="Summary")
    course.depth = parent.depth + 1
    course.path = parent.get_last_child()._inc_path()
    assert course.make_preview_request().status_code == 200

    lesson = LessonPage(title="Draft lesson", slug="draft-lesson", body=[])
    lesson.depth = module.depth + 1
    lesson.path = module.get_last_child()._inc_path()
    assert lesson.make_preview_request().status_code == 200
