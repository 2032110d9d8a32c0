"""Volunteers' learning: the dashboard, enrolling in a course (in one of its runs, or on a full
run's waiting list) and marking a lesson done.

Enrolling and marking done are plain form POSTs (CSRF protected) that redirect back to a page,
so they work without JavaScript.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from courses.authoring.models import CoursePage, LessonPage
from courses.authoring.page_mixins import keep_reader_language, view_restriction_exists
from courses.learning import services
from courses.learning.models import CourseRun
from courses.learning.outlines import course_learning_outline, lesson_place
from courses.learning.selectors import learning_dashboard
from training.precompiled import STAND_IN_INT, PrecompiledPerModel

# Page ids are the database's 32-bit integers.
MAX_PAGE_ID = 2**31 - 1


# The live page of an id with whether a view restriction applies to it (read on every "mark as
# done", enrolment and offline download: compiled once per page type).
_LIVE_PAGE = PrecompiledPerModel(
    lambda model, pk: (
        model.objects.annotate(route_restricted=view_restriction_exists())
        .filter(pk=pk, live=True)
        .order_by("pk")[:1]
    ),
    STAND_IN_INT,
)


def visible_page(model, page_id: int, request: HttpRequest):
    """The live page a reader may see, or 404 (drafts and restricted pages look missing, and so does
    an id too large for the database, which would otherwise fail the query)."""
    if page_id > MAX_PAGE_ID:
        raise Http404(_("This page does not exist or is not published."))
    page = _LIVE_PAGE[model].first(page_id)
    if page is None:
        raise Http404(_("This page does not exist or is not published."))
    page.route_restricted = bool(page.route_restricted)  # as the database gives it: 0 or 1 on SQLite
    for restriction in page.get_view_restrictions():
        if not restriction.accept_request(request):
            raise Http404(_("This page does not exist or is not published."))
    return page


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    keep_reader_language(request)
    board = learning_dashboard(user=request.user, language_code=get_language(), request=request)
    return render(request, "courses/dashboard.html", {"dashboard": board, "page_title": _("My learning")})


@require_safe
@login_required
def continue_course(request: HttpRequest, course_id: int) -> HttpResponse:
    """Back to where the reader stopped in a course (the dashboard's "Continue"): the first step not
    done, in the reader's language when translated; the course page when there is none. The
    address reminders link to: it names no lesson, so a sensitive one shows in no mail."""
    course = visible_page(CoursePage, course_id, request)
    shown = next(
        (
            page
            for page in CoursePage.objects.filter(
                translation_key=course.translation_key, locale__language_code=get_language(), live=True
            )
        ),
        course,
    )
    outline = course_learning_outline(user=request.user, course=shown, request=request)
    item = outline.action_item
    return HttpResponseRedirect(item.page.url if item else outline.url or shown.get_url(request))


def _posted_run(request: HttpRequest, course: CoursePage) -> CourseRun | None:
    """The run named by the enrol form (None when it names none); a run of another course, or not a
    number, is bad input."""
    raw = request.POST.get("run", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise _BadRun
    run = CourseRun.objects.filter(
        pk=int(raw),
        course__translation_key=course.translation_key,
        course__locale__language_code=settings.LANGUAGE_CODE,
    ).first()
    if run is None:
        raise _BadRun
    return run


class _BadRun(Exception):
    pass


@require_POST
def enrol(request: HttpRequest, course_id: int) -> HttpResponse:
    course = visible_page(CoursePage, course_id, request)
    if not request.user.is_authenticated:
        login = reverse("account_login") + "?" + urlencode({"next": course.get_url(request)})
        return HttpResponseRedirect(login)
    try:
        run = _posted_run(request, course)
    except _BadRun:
        return HttpResponseBadRequest(
            _("This run does not belong to the course. Reload the course page and try again.").encode(),
            content_type="text/plain; charset=utf-8",
        )
    try:
        place = services.course_run_enrol(volunteer=request.user, course=course, run=run)
    except services.LearningError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(course.get_url(request))
    if place.waiting is not None:
        messages.info(
            request,
            _(
                "Every seat in “%(run)s” is taken. You are on its waiting list, number %(position)d: "
                "when a seat frees, you are enrolled and we email you."
            )
            % {"run": place.waiting.run.name, "position": place.position},
        )
        return HttpResponseRedirect(course.get_url(request))
    if place.created:
        messages.success(request, _("You are enrolled. Start with the first lesson when you are ready."))
    outline = course_learning_outline(user=request.user, course=course, request=request)
    item = outline.action_item
    return HttpResponseRedirect(item.page.url if item else outline.url)


@require_POST
@login_required
def lesson_done(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = visible_page(LessonPage, lesson_id, request)
    started = timezone.now()
    try:
        services.lesson_complete(volunteer=request.user, lesson=lesson)
    except services.NotEnrolled as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(lesson.get_url(request))
    except services.LearningError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(lesson.get_url(request))
    outline = course_learning_outline(user=request.user, lesson=lesson, request=request)
    completed_now = outline.is_completed and outline.completed_at >= started
    # The course page shows the completion and the certificate it earned, even when optional
    # lessons are left to read.
    if completed_now or (outline.is_completed and outline.requirements_met and not outline.next_item):
        messages.success(request, _("You have completed this course. Well done!"))
        return HttpResponseRedirect(outline.url)
    if outline.requirements_met and not outline.is_completed:
        # A completion gate (the course's evaluation) holds the completion: the course page says what
        # is left, before any optional lesson.
        return HttpResponseRedirect(outline.url)
    place = lesson_place(outline=outline, lesson=lesson)
    if place.next_page is not None:
        return HttpResponseRedirect(place.next_page.url)
    next_item = outline.next_item
    if next_item is not None:
        return HttpResponseRedirect(next_item.page.url)
    return HttpResponseRedirect(outline.url)
