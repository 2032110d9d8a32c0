"""Trainers' quiz statistics in the Wagtail admin, with a spreadsheet export, and the warning shown
when editing a quiz that already has attempts.

Trainers see learners' names next to their attempts but never their contact data; a country
coordinator sees the figures and attempts of their countries' volunteers only.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from openpyxl import Workbook

from courses.authoring.selectors import default_locale_page
from courses.quizzes.models import QuizAttempt, QuizPage
from courses.quizzes.selectors import quiz_statistics
from training.spreadsheets import xlsx_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _quiz_for_trainer(request: HttpRequest, page_id: int) -> QuizPage:
    quiz = QuizPage.objects.filter(pk=page_id).first()
    if quiz is None:
        raise Http404(_("This quiz does not exist."))
    if not quiz.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return default_locale_page(quiz)


def statistics_view(request: HttpRequest, page_id: int) -> HttpResponse:
    quiz = _quiz_for_trainer(request, page_id)
    return render(
        request,
        "courses/admin/quiz_statistics.html",
        {
            "stats": quiz_statistics(quiz=quiz, viewer=request.user),
            "quiz": quiz,
            "page_title": _("Quiz statistics"),
        },
    )


def _append(sheet, values: list) -> None:
    """A row of typed cells: text a learner typed stays text, never a formula."""
    sheet.append([xlsx_cell(sheet, value) for value in values])


def statistics_export(request: HttpRequest, page_id: int) -> HttpResponse:
    quiz = _quiz_for_trainer(request, page_id)
    stats = quiz_statistics(quiz=quiz, viewer=request.user)
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")[:31]
    _append(summary, [_("Quiz"), quiz.title])
    _append(summary, [_("Attempts"), stats.attempts])
    _append(summary, [_("Pass rate (%)"), stats.pass_rate])
    _append(summary, [_("Average score (%)"), float(stats.average) if stats.average is not None else None])
    questions = book.create_sheet(_("Questions")[:31])
    questions.append([_("Question"), _("Answered"), _("Correct (%)"), _("Answer"), _("Times given")])
    for question in stats.questions:
        for answer, count in question.distribution.most_common():
            _append(questions, [question.prompt, question.answered, question.share_correct, answer, count])
    people = book.create_sheet(_("Attempts")[:31])
    people.append([_("Name"), _("Attempt"), _("Finished"), _("Score (%)"), _("Passed")])
    for row in stats.people:
        _append(
            people,
            [
                row["name"],
                row["number"],
                row["finished_at"].replace(tzinfo=None),
                float(row["score"]),
                _("Yes") if row["passed"] else _("No"),
            ],
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="quiz-{quiz.pk}-statistics.xlsx"'
    return response


def warn_when_quiz_has_attempts(request: HttpRequest, page) -> None:
    """`before_edit_page` hook: editing a quiz with attempts changes only future attempts."""
    if request.method != "GET" or not isinstance(page.specific, QuizPage):
        return
    quiz = default_locale_page(page.specific)
    count = QuizAttempt.objects.filter(quiz=quiz).count()
    if count:
        messages.warning(
            request,
            _(
                "Volunteers have already made %(count)s attempts at this quiz. Past attempts keep the "
                "questions and scores they had; your changes apply to new attempts only."
            )
            % {"count": count},
        )
