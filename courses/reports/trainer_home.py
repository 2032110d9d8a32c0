"""A trainer's home in the Wagtail admin (issue 23): the courses they may edit with enrolments,
completions and quiz pass rates, their drafts, and the latest finished quiz attempts in their courses.

Staff have their own panels (courses/reports/dashboard.py) and do not get these. What waits for
review is Wagtail's own two panels ("Your pages and snippets in a workflow" for the author,
"Awaiting your review" for a lead trainer), kept on the home page and translated in our catalog.

Every panel costs a fixed number of queries whatever the number of courses, drafts or attempts:
counts are subqueries of one course query, and names come with their attempts in one join.
Learners are shown by name only (no email or phone), as the quiz results report shows them to
trainers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, Exists, F, Func, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState, get_default_page_content_type
from wagtail.permission_policies.pages import PagePermissionPolicy

from courses.authoring.models import CoursePage
from courses.authoring.selectors import courses_editable_by, quiz_course_path
from courses.learning.models import CourseCompletion, Enrollment
from courses.learning.outlines import share_percent
from courses.quizzes.models import QuizAttempt, QuizResult
from courses.reports.views import REPORT_PERMISSION

COURSES_SHOWN = 30
DRAFTS_SHOWN = 10
ATTEMPTS_SHOWN = 10
# Courses sit below the catalog (root > home > catalog > course): their path has four steps.
COURSE_DEPTH = 4


def is_trainer(user) -> bool:
    """Whoever may edit pages but does not get the staff reports: trainers and lead trainers (or a
    group given rights on single courses). Staff and superusers have their own panels."""
    if not user.is_authenticated or user.has_perm(REPORT_PERMISSION):
        return False
    return PagePermissionPolicy().user_has_permission(user, "change")


def _count(queryset: QuerySet) -> Coalesce:
    """The number of rows of `queryset` (filtered on the outer course) as one subquery."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


@dataclass(frozen=True)
class CourseFigures:
    course: CoursePage
    enrolled: int
    completed: int
    results: int
    passed: int
    explore_url: str
    edit_url: str
    results_url: str
    participants_url: str

    @property
    def completion_percent(self) -> int | None:
        return share_percent(self.completed, self.enrolled) if self.enrolled else None

    @property
    def pass_percent(self) -> int | None:
        return share_percent(self.passed, self.results) if self.results else None


def trainer_courses(user) -> QuerySet[CoursePage]:
    """The courses `user` may edit (default language), each with its counts, as the reports count:
    volunteers with a profile; completed = enrolled and completed; the pass rate counts one result
    per volunteer and quiz (the grade that counts), as the quiz results report lists them."""
    enrolments = Enrollment.objects.filter(course=OuterRef("pk"), volunteer__volunteer_profile__isnull=False)
    completed = enrolments.filter(
        Exists(CourseCompletion.objects.filter(volunteer=OuterRef("volunteer"), course=OuterRef("course")))
    )
    results = QuizResult.objects.filter(volunteer__volunteer_profile__isnull=False).annotate(
        course_path=quiz_course_path()
    )
    results = results.filter(course_path=OuterRef("path"))
    return (
        courses_editable_by(user=user)
        .annotate(
            enrolled=_count(enrolments),
            completed=_count(completed),
            results=_count(results),
            passed=_count(results.filter(passed=True)),
        )
        .order_by("title", "pk")
    )


def course_figures(user) -> tuple[list[CourseFigures], bool]:
    """The first COURSES_SHOWN courses with their figures and links, and whether there are more."""
    courses = list(trainer_courses(user)[: COURSES_SHOWN + 1])
    report_url = reverse("courses_report_quiz_results")
    rows = [
        CourseFigures(
            course=course,
            enrolled=course.enrolled,
            completed=course.completed,
            results=course.results,
            passed=course.passed,
            explore_url=reverse("wagtailadmin_explore", args=[course.pk]),
            edit_url=reverse("wagtailadmin_pages:edit", args=[course.pk]),
            results_url=f"{report_url}?course={course.pk}",
            participants_url=reverse("courses_participants", args=[course.pk]),
        )
        for course in courses[:COURSES_SHOWN]
    ]
    return rows, len(courses) > COURSES_SHOWN


def trainer_drafts(user) -> list[dict]:
    """Pages with changes not yet published whose latest revision is `user`'s, newest first, among
    the pages they may edit; each with its course's title and whether it is in a review workflow."""
    in_review = WorkflowState.objects.active().filter(
        base_content_type_id=get_default_page_content_type().id,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    pages = list(
        PagePermissionPolicy()
        .instances_user_has_permission_for(user, "change")
        .filter(has_unpublished_changes=True, latest_revision__user=user)
        .annotate(in_review=Exists(in_review))
        .order_by("-latest_revision_created_at", "-pk")
        .only("pk", "title", "draft_title", "path", "depth", "live", "latest_revision_created_at")[
            :DRAFTS_SHOWN
        ]
    )
    course_paths = {page.path[: COURSE_DEPTH * Page.steplen] for page in pages if page.depth > COURSE_DEPTH}
    titles = dict(
        CoursePage.objects.filter(path__in=course_paths).values_list("path", "title") if course_paths else ()
    )
    return [
        {
            "page": page,
            "course_title": titles.get(page.path[: COURSE_DEPTH * Page.steplen], ""),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        }
        for page in pages
    ]


def recent_attempts(user) -> list[QuizAttempt]:
    """The latest finished attempts at the quizzes of the courses `user` may edit, newest first,
    with the learner's profile (for the name) and the quiz's course title."""
    courses = courses_editable_by(user=user)
    return list(
        QuizAttempt.objects.filter(
            state=QuizAttempt.State.FINISHED,
            volunteer__volunteer_profile__isnull=False,
        )
        .annotate(course_path=quiz_course_path())
        .filter(course_path__in=courses.values("path"))
        .annotate(
            course_title=Subquery(Page.objects.filter(path=OuterRef("course_path")).values("title")[:1])
        )
        .select_related("quiz", "volunteer__volunteer_profile")
        .only(
            "score",
            "passed",
            "finished_at",
            "number",
            "quiz__id",
            "quiz__title",
            "volunteer__id",
            "volunteer__volunteer_profile__given_name_th",
            "volunteer__volunteer_profile__family_name_th",
            "volunteer__volunteer_profile__given_name_en",
            "volunteer__volunteer_profile__family_name_en",
        )
        .order_by("-finished_at", "-pk")[:ATTEMPTS_SHOWN]
    )


class TrainerPanel(Component):
    """A panel of the trainer's home; the user is the one signed in."""

    class Media:
        css = {"all": ["css/admin-trainer-home.css"]}

    def __init__(self, user):
        self.user = user


class TrainerCoursesPanel(TrainerPanel):
    name = "trainer_courses"
    order = 40
    template_name = "courses/reports/trainer_courses.html"

    def get_context_data(self, parent_context):
        rows, more = course_figures(self.user)
        return {
            "rows": rows,
            "more": more,
            "shown": COURSES_SHOWN,
            "catalog_url": reverse("wagtailadmin_explore_root"),
        }


class TrainerDraftsPanel(TrainerPanel):
    name = "trainer_drafts"
    # After Wagtail's "Awaiting your review" (220), before "Your most recent edits" (250).
    order = 230
    template_name = "courses/reports/trainer_drafts.html"

    def get_context_data(self, parent_context):
        return {"rows": trainer_drafts(self.user)}


class TrainerAttemptsPanel(TrainerPanel):
    name = "trainer_attempts"
    order = 260
    template_name = "courses/reports/trainer_attempts.html"

    def get_context_data(self, parent_context):
        return {"attempts": recent_attempts(self.user), "shown": ATTEMPTS_SHOWN}


def trainer_panels(user) -> list[Component]:
    return [TrainerCoursesPanel(user), TrainerDraftsPanel(user), TrainerAttemptsPanel(user)]
