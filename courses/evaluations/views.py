"""The volunteer's end-of-course evaluation: a plain form (CSRF protected, no JavaScript needed) in
the reader's language, Thai first. Submitting it records the anonymous answer and the "done" mark
and completes the course, which issues its certificate.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from courses.authoring.models import CoursePage
from courses.authoring.page_mixins import keep_reader_language
from courses.authoring.selectors import default_locale_page
from courses.evaluations import services
from courses.evaluations.forms import EvaluationAnswerForm
from courses.evaluations.selectors import evaluation_done, evaluation_due, evaluation_form_for


def _course(request: HttpRequest, course_id: int) -> tuple[CoursePage, CoursePage]:
    """The default-locale course and the version the reader sees; 404 for drafts and restricted pages."""
    page = CoursePage.objects.filter(pk=course_id, live=True).first()
    if page is None or any(not r.accept_request(request) for r in page.get_view_restrictions()):
        raise Http404(_("This page does not exist or is not published."))
    source = default_locale_page(page)
    shown = (
        CoursePage.objects.filter(
            translation_key=source.translation_key, locale__language_code=get_language(), live=True
        ).first()
        or source
    )
    return source, shown


def _refusal(request, shown: CoursePage, message: str, status: int) -> HttpResponse:
    return render(
        request,
        "courses/evaluation_closed.html",
        {"course": shown, "message": message, "page_title": _("Course evaluation")},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def evaluation_view(request: HttpRequest, course_id: int) -> HttpResponse:
    keep_reader_language(request)
    course, shown = _course(request, course_id)
    evaluation = evaluation_form_for(course)
    if evaluation is None:
        raise Http404(_("This course does not ask for an evaluation."))
    if evaluation_done(volunteer=request.user, course=course):
        return _refusal(
            request, shown, str(services.AlreadyEvaluated()), 409 if request.method == "POST" else 200
        )
    if not evaluation_due(volunteer=request.user, course=course):
        return _refusal(request, shown, str(services.EvaluationNotDue()), 403)
    language = get_language() or "th"
    form = EvaluationAnswerForm(
        request.POST if request.method == "POST" else None, evaluation=evaluation, language=language
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(volunteer=request.user, course=course, answers=form.answers())
        except services.AlreadyEvaluated as error:
            return _refusal(request, shown, str(error), 409)
        except services.EvaluationError as error:
            return _refusal(request, shown, str(error), 403)
        messages.success(request, _("Thank you for your evaluation. You have completed this course."))
        return HttpResponseRedirect(shown.get_url(request))
    return render(
        request,
        "courses/evaluation_form.html",
        {
            "course": shown,
            "evaluation": evaluation,
            "form": form,
            "intro": evaluation.intro(language),
            "title": evaluation.name(language),
            "page_title": _("Course evaluation"),
        },
        status=400 if form.is_bound else 200,
    )
