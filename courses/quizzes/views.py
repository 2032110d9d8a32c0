"""The quiz page for volunteers: its rules, the open attempt's form (saved or submitted with plain
POSTs, so it works without JavaScript), the review of finished attempts and the history; and the
same page as a trainer previews it in the admin.

Posts that name anything the attempt did not show (other questions, quizzes or attempts, a score)
are answered 400 and change nothing.
"""

from __future__ import annotations

import datetime
import random
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.authoring.selectors import default_locale_page
from courses.learning.outlines import course_learning_outline, lesson_place
from courses.learning.services import LearningError
from courses.quizzes import services as quiz_services
from courses.quizzes.blocks import page_locale, question_count
from courses.quizzes.grading import TamperedAnswers, parse_answers, snapshot_questions
from courses.quizzes.models import QuizAttempt, QuizPage
from courses.quizzes.selectors import attempt_review, form_questions


def _bad_request(request: HttpRequest) -> HttpResponse:
    return HttpResponseBadRequest(
        _("This form does not match your quiz. Reload the quiz page and try again.").encode(),
        content_type="text/plain; charset=utf-8",
    )


def quiz_serve(page: QuizPage, request: HttpRequest, *args, **kwargs) -> HttpResponse:
    if request.method == "POST":
        return _quiz_post(page, request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    return _quiz_get(page, request)


def _review_moment(standing: quiz_services.QuizStanding) -> str:
    return "later" if standing.review_later else "after"


def _page_context(
    page: QuizPage, request: HttpRequest, *, quiz: QuizPage, untranslated_language: str
) -> dict:
    """What the quiz page shows around the quiz itself: its place in the course outline."""
    outline = course_learning_outline(lesson=page, user=request.user, request=request)
    place = lesson_place(outline=outline, lesson=page)
    return {
        "quiz": quiz,
        "page": page,
        "self": page,
        "request": request,
        "outline": outline,
        "place": place,
        "next_page": place.next_page,
        "previous_page": place.previous_page,
        "untranslated_language": untranslated_language,
    }


def _quiz_get(page: QuizPage, request: HttpRequest) -> HttpResponse:
    # The rules are the Thai quiz's, which attempts follow whatever the language shown.
    quiz = default_locale_page(page)
    context = _page_context(
        page, request, quiz=quiz, untranslated_language=page.untranslated_language(request)
    )
    outline = context["outline"]
    if outline.is_enrolled:
        history = quiz_services.quiz_attempts_current(volunteer=request.user, quiz=quiz)
        # Without a deadline the enrolment has no run: no need to look it up.
        run_id = quiz_services.RUN_UNKNOWN if outline.deadline is not None else None
        standing = quiz_services.quiz_standing(
            volunteer=request.user, quiz=quiz, run_id=run_id, attempts=history
        )
        context.update(standing=standing, history=history, start_token=uuid.uuid4())
        if standing.in_progress is not None:
            context["attempt"] = standing.in_progress
            context["questions"] = form_questions(attempt=standing.in_progress)
        finished = [attempt for attempt in history if attempt.state != QuizAttempt.State.IN_PROGRESS]
        wanted = request.GET.get("attempt", "")
        shown = next((a for a in finished if str(a.number) == wanted), finished[-1] if finished else None)
        if shown is not None and shown.state == QuizAttempt.State.FINISHED:
            context["review"] = attempt_review(
                attempt=shown, options=quiz.review_options(_review_moment(standing)), shown=page
            )
        elif shown is not None:
            context["abandoned"] = shown
    return TemplateResponse(request, "courses/quiz_page.html", context)


def _quiz_post(page: QuizPage, request: HttpRequest) -> HttpResponse:
    url = page.get_url(request)
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("account_login") + "?" + urlencode({"next": url}))
    quiz = default_locale_page(page)
    action = request.POST.get("action", "")
    try:
        if action == "start":
            try:
                token = uuid.UUID(request.POST.get("token", ""))
            except ValueError:
                return _bad_request(request)
            if set(request.POST.keys()) - {"csrfmiddlewaretoken", "action", "token"}:
                return _bad_request(request)
            quiz_services.quiz_attempt_start(volunteer=request.user, quiz=quiz, token=token, shown=page)
            return HttpResponseRedirect(url + "#quiz-form")
        if action not in ("save", "submit"):
            return _bad_request(request)
        try:
            attempt_token = uuid.UUID(request.POST.get("attempt", ""))
        except ValueError:
            return _bad_request(request)
        attempt = QuizAttempt.objects.filter(token=attempt_token, volunteer=request.user, quiz=quiz).first()
        if attempt is None:
            return _bad_request(request)
        attempt.volunteer, attempt.quiz = request.user, quiz  # as the query matched: not read again
        try:
            answers = parse_answers(questions=attempt.questions, data=request.POST, key=str(attempt.token))
        except TamperedAnswers:
            return _bad_request(request)
        if action == "save":
            attempt = quiz_services.quiz_attempt_save(attempt=attempt, answers=answers)
            if attempt.state != QuizAttempt.State.IN_PROGRESS:
                messages.error(request, _("The time limit had passed, so your last answers were not saved."))
                return HttpResponseRedirect(
                    url + "?" + urlencode({"attempt": attempt.number}) + "#quiz-result"
                )
            messages.success(request, _("Your answers are saved. Submit them when you are ready."))
            return HttpResponseRedirect(url + "#quiz-form")
        started = timezone.now()
        attempt = quiz_services.quiz_attempt_submit(attempt=attempt, answers=answers)
    except LearningError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(url)
    if attempt.state == QuizAttempt.State.ABANDONED:
        messages.error(request, _("The time limit had passed, so the attempt was closed without a grade."))
    elif attempt.passed:
        outline = course_learning_outline(lesson=page, user=request.user, request=request)
        completed_now = outline.is_completed and outline.completed_at >= started
        if completed_now or (outline.is_completed and not outline.next_item):
            messages.success(request, _("You passed the quiz and completed this course. Well done!"))
        else:
            messages.success(request, _("You passed the quiz."))
    else:
        messages.info(request, _("You did not reach the pass mark this time."))
    return HttpResponseRedirect(url + "?" + urlencode({"attempt": attempt.number}) + "#quiz-result")


# --- A trainer's preview ------------------------------------------------------------------------

PREVIEW_START = "start"


def quiz_preview(page: QuizPage, request: HttpRequest, mode_name: str) -> HttpResponse:
    """The quiz as a volunteer sees it, from the page being edited (a GET from the admin's preview):
    the rules and every question as the attempt form shows them, or (mode "start") the page before
    the first attempt. Nothing starts or is recorded, the form has no answer key and cannot be
    sent; trying the quiz has its own admin view (courses/quizzes/trial.py)."""
    quiz = _previewed_rules(page)
    standing = quiz_services.QuizStanding(
        attempts_used=0,
        attempts_left=quiz.max_attempts or None,
        in_progress=None,
        next_start=None,
        result=None,
    )
    context = _page_context(page, request, quiz=quiz, untranslated_language="")
    context |= {
        "standing": standing,
        "preview": PREVIEW_START if mode_name == PREVIEW_START else "answering",
        "preview_notes": _preview_notes(quiz, question_count(page.questions)) + _bank_notes(page),
        "try_url": reverse("courses_quiz_try", args=[page.pk]) if page.pk else "",
    }
    if mode_name != PREVIEW_START:
        # Every question in the order written, so the trainer checks each one; the notes say how
        # attempts draw and shuffle them. Matching options are mixed as in every attempt.
        rules = {**quiz.rules(), "draw_count": 0, "shuffle_questions": False, "shuffle_choices": False}
        attempt = QuizAttempt(
            token=uuid.uuid4(),  # the form cannot be sent: its choice values need not map back
            number=1,
            rules=rules,
            questions=snapshot_questions(
                stream=page.questions,
                rules=rules,
                rng=random.Random(page.pk or 0),  # noqa: S311 (a layout, not a secret)
                locale=page_locale(page),
            ),
            answers={},
            deadline=(
                timezone.now() + datetime.timedelta(minutes=quiz.time_limit_minutes)
                if quiz.time_limit_minutes
                else None
            ),
        )
        context.update(attempt=attempt, questions=form_questions(attempt=attempt))
    return TemplateResponse(request, "courses/quiz_page.html", context)


def _previewed_rules(page: QuizPage) -> QuizPage:
    """The quiz whose rules volunteers meet: the page being edited when it is the Thai quiz (or new),
    otherwise the Thai quiz, whose rules attempts follow in every language."""
    source = default_locale_page(page)
    return page if source is page or source.pk == page.pk else source


def _bank_notes(page: QuizPage) -> list[str]:
    """What the preview cannot show of random draws from the bank: each attempt draws its own."""
    return [
        _(
            "Each attempt draws %(count)s questions at random from the bank's tag “%(tag)s”; "
            "this preview shows one draw."
        )
        % {"count": block.value["count"], "tag": block.value["tag"]}
        for block in page.questions
        if block.block_type == "bank_draw"
    ]


def _preview_notes(quiz: QuizPage, count: int) -> list[str]:
    notes = []
    if quiz.draw_count and quiz.draw_count < count:
        notes.append(
            _("Each attempt draws %(drawn)s of these %(count)s questions at random.")
            % {"drawn": quiz.draw_count, "count": count}
        )
    if quiz.shuffle_questions:
        notes.append(_("Volunteers get the questions in a random order."))
    if quiz.shuffle_choices:
        notes.append(_("Volunteers get the choices in a random order."))
    return notes
