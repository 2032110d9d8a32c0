"""A live session's page for the volunteers of its run (and those who manage it): when it is, in the
reader's zone and in Bangkok time, what to prepare, whether they attended, the calendar file, and
the meeting link, shown only from shortly before the start until the end."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from courses.authoring.page_mixins import keep_reader_language
from courses.learning.notices import course_in_languages
from courses.live.models import LiveSession, SessionAttendance
from courses.live.selectors import may_manage_session, session_is_for
from training.dates import issuer_zone, reader_zone


@require_safe
@login_required
def session_page(request: HttpRequest, session_id: int) -> HttpResponse:
    keep_reader_language(request)
    session = LiveSession.objects.select_related("run", "run__course").filter(pk=session_id).first()
    # A session of another run looks missing: its title and time are the run's business.
    if session is None or not (
        session_is_for(request.user, session) or may_manage_session(request.user, session)
    ):
        raise Http404(_("This live session does not exist or is not for you."))
    now = timezone.now()
    if now >= session.ends:
        state = "over"
    elif session.link_is_open(now):
        state = "open"
    else:
        state = "upcoming"
    course = course_in_languages(session.run.course)
    language = get_language()
    return render(
        request,
        "courses/live/session_page.html",
        {
            "session": session,
            "state": state,
            "course_title": course["course_title"].get(language, session.run.course.title),
            "course_url": course["course_url"].get(language, session.run.course.url),
            "attended": SessionAttendance.objects.filter(session=session, volunteer=request.user).exists(),
            # Bangkok time beside the reader's own, unless that is Bangkok time already.
            "show_bangkok": reader_zone().key != issuer_zone().key,
            "page_title": session.title,
        },
    )
