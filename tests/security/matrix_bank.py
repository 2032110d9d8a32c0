"""The authorization matrix's rows for the question bank (issue 23): the bank's snippet views and
chooser, the import and its spreadsheet template. Trainers, lead trainers, staff and coordinators
keep the bank; deleting is for staff and coordinators. See test_authorization_matrix.py."""

from __future__ import annotations

from tests.security.matrix_site import Row, admin


def bank_world() -> dict:
    from courses.models import BankQuestion

    question = BankQuestion(
        question=[
            {
                "type": "true_false",
                "value": {"prompt": "Matrix bank question", "answer": "true", "points": "1", "feedback": ""},
            }
        ]
    )
    question.tags.add("matrix")
    question.save()
    return {"bank_question": question}


SNIPPETS = "snippets/courses/bankquestion/"
CHOOSER = "snippets/choose/courses/bankquestion/"

#                                anonymous   A       B       trainer  staff  superuser
BANK_ROWS = [
    Row(
        "courses_bank_import",
        admin("courses/question-bank/import/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 400 400 400",
    ),
    Row(
        "courses_bank_template",
        admin("courses/question-bank/template/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippets_courses_bankquestion:list",
        admin(SNIPPETS),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippets_courses_bankquestion:list_results",
        admin(SNIPPETS + "results/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippets_courses_bankquestion:add",
        admin(SNIPPETS + "add/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 400 400 400",
    ),
    Row(
        "wagtailsnippets_courses_bankquestion:edit",
        admin(SNIPPETS + "edit/{w.bank_question.pk}/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 400 400 400",
    ),
    Row(
        "wagtailsnippets_courses_bankquestion:delete",
        admin(SNIPPETS + "delete/{w.bank_question.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 302 302",
    ),
    Row(
        "wagtailsnippets_courses_bankquestion:usage",
        admin(SNIPPETS + "usage/{w.bank_question.pk}/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippets_courses_bankquestion:history",
        admin(SNIPPETS + "history/{w.bank_question.pk}/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippets_courses_bankquestion:history_results",
        admin(SNIPPETS + "history-results/{w.bank_question.pk}/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippets_courses_bankquestion:copy",
        admin(SNIPPETS + "copy/{w.bank_question.pk}/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 400 400 400",
    ),
    Row(
        "wagtailsnippetchoosers_courses_bankquestion:choose",
        admin(CHOOSER),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_courses_bankquestion:choose_results",
        admin(CHOOSER + "results/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_courses_bankquestion:chosen",
        admin(CHOOSER + "chosen/{w.bank_question.pk}/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_courses_bankquestion:create",
        admin(CHOOSER + "create/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 400 400 400",
    ),
    Row(
        "wagtailsnippetchoosers_courses_bankquestion:chosen_multiple",
        lambda w: f"/admin/{CHOOSER}chosen-multiple/?id={w.bank_question.pk}",
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
]
