"""The authorization matrix's rows for the end-of-course evaluation's admin pages: the evaluation
forms (snippets trainers and staff keep) and the results (staff: every course; trainers: the courses
they may edit). See test_authorization_matrix.py."""

from __future__ import annotations

from tests.security.matrix_site import Row, admin

#                                anonymous   A       B       trainer  staff  superuser
EVALUATION_ROWS = [
    Row(
        "courses_evaluation_index",
        admin("evaluations/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "courses_evaluation_results",
        admin("evaluations/{w.evaluated.pk}/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "courses_evaluation_results",
        admin("evaluations/{w.evaluated.pk}/?export=csv"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "courses_evaluation_results",
        admin("evaluations/{w.evaluated.pk}/?period=1999-Q9"),
        get="admin-login admin-login admin-login 400 400 400",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "courses_evaluation_results",
        admin("evaluations/999999/"),
        get="admin-login admin-login admin-login 404 404 404",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippets_courses_evaluationform:list",
        admin("snippets/courses/evaluationform/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippets_courses_evaluationform:list_results",
        admin("snippets/courses/evaluationform/results/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippets_courses_evaluationform:add",
        admin("snippets/courses/evaluationform/add/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 400 400 400",
    ),
    Row(
        "wagtailsnippets_courses_evaluationform:edit",
        admin("snippets/courses/evaluationform/edit/{w.evaluation_form.pk}/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 400 400 400",
    ),
    Row(
        "wagtailsnippets_courses_evaluationform:delete",
        admin("snippets/courses/evaluationform/delete/{w.evaluation_form.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 302 302",
    ),
    Row(
        "wagtailsnippets_courses_evaluationform:usage",
        admin("snippets/courses/evaluationform/usage/{w.evaluation_form.pk}/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippets_courses_evaluationform:history",
        admin("snippets/courses/evaluationform/history/{w.evaluation_form.pk}/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippets_courses_evaluationform:history_results",
        admin("snippets/courses/evaluationform/history-results/{w.evaluation_form.pk}/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippets_courses_evaluationform:copy",
        admin("snippets/courses/evaluationform/copy/{w.evaluation_form.pk}/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 400 400 400",
    ),
    Row(
        "wagtailsnippetchoosers_courses_evaluationform:choose",
        admin("snippets/choose/courses/evaluationform/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_courses_evaluationform:choose_results",
        admin("snippets/choose/courses/evaluationform/results/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_courses_evaluationform:chosen",
        admin("snippets/choose/courses/evaluationform/chosen/{w.evaluation_form.pk}/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_courses_evaluationform:create",
        admin("snippets/choose/courses/evaluationform/create/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
    ),
    Row(
        "wagtailsnippetchoosers_courses_evaluationform:chosen_multiple",
        lambda w: f"/admin/snippets/choose/courses/evaluationform/chosen-multiple/?id={w.evaluation_form.pk}",
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
]
