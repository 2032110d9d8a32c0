"""The authorization matrix's rows for course runs: the runs as snippets (trainers and staff keep
them), staff's page to move an enrolment to another run or extend its deadline (staff only; a
course without runs has no such page), and a run id posted to the enrol form that is not the
course's (a 400). See test_authorization_matrix.py."""

from __future__ import annotations

from tests.security.matrix_site import Row, admin

SNIPPETS = "snippets/courses/courserun/"
CHOOSER = "snippets/choose/courses/courserun/"
KEEPERS = "admin-login admin-login admin-login 200 200 200"
NO_POST = "admin-login admin-login admin-login 405 405 405"

#                                anonymous   A       B       trainer  staff  superuser
RUN_ROWS = [
    Row(
        "courses_enrolment_run",
        admin("courses/enrolments/{w.run_enrolment.pk}/run/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 400 400",
        elsewhere="404 404",
    ),
    Row(
        "courses_enrolment_run",
        admin("courses/enrolments/{w.plain_enrolment.pk}/run/"),
        get="admin-login admin-login admin-login denied 404 404",
        post="admin-login admin-login admin-login denied 404 404",
    ),
    Row(
        "learning_enrol",
        lambda w: f"/learn/courses/{w.runs_course.pk}/enrol/",
        get="405 405 405 405 405 405",
        post="login 400 400 400 400 400",
        data={"run": "999999"},
    ),
    Row("wagtailsnippets_courses_courserun:list", admin(SNIPPETS), get=KEEPERS, post=NO_POST),
    Row(
        "wagtailsnippets_courses_courserun:list_results",
        admin(SNIPPETS + "results/"),
        get=KEEPERS,
        post=NO_POST,
    ),
    Row("wagtailsnippets_courses_courserun:add", admin(SNIPPETS + "add/"), get=KEEPERS, post=KEEPERS),
    Row(
        "wagtailsnippets_courses_courserun:edit",
        admin(SNIPPETS + "edit/{w.run.pk}/"),
        get=KEEPERS,
        post=KEEPERS,
    ),
    # A run with enrolments is not deleted: the POST returns to the list with a message.
    Row(
        "wagtailsnippets_courses_courserun:delete",
        admin(SNIPPETS + "delete/{w.run.pk}/"),
        get=KEEPERS,
        post="admin-login admin-login admin-login 302 302 302",
    ),
    Row(
        "wagtailsnippets_courses_courserun:usage",
        admin(SNIPPETS + "usage/{w.run.pk}/"),
        get=KEEPERS,
        post=NO_POST,
    ),
    Row(
        "wagtailsnippets_courses_courserun:history",
        admin(SNIPPETS + "history/{w.run.pk}/"),
        get=KEEPERS,
        post=NO_POST,
    ),
    Row(
        "wagtailsnippets_courses_courserun:history_results",
        admin(SNIPPETS + "history-results/{w.run.pk}/"),
        get=KEEPERS,
        post=NO_POST,
    ),
    Row(
        "wagtailsnippets_courses_courserun:copy",
        admin(SNIPPETS + "copy/{w.run.pk}/"),
        get=KEEPERS,
        post=KEEPERS,
    ),
    Row("wagtailsnippetchoosers_courses_courserun:choose", admin(CHOOSER), get=KEEPERS, post=NO_POST),
    Row(
        "wagtailsnippetchoosers_courses_courserun:choose_results",
        admin(CHOOSER + "results/"),
        get=KEEPERS,
        post=NO_POST,
    ),
    Row(
        "wagtailsnippetchoosers_courses_courserun:chosen",
        admin(CHOOSER + "chosen/{w.run.pk}/"),
        get=KEEPERS,
        post=NO_POST,
    ),
    Row(
        "wagtailsnippetchoosers_courses_courserun:chosen_multiple",
        lambda w: f"/admin/{CHOOSER}chosen-multiple/?id={w.run.pk}",
        get=KEEPERS,
        post=NO_POST,
    ),
    Row(
        "wagtailsnippetchoosers_courses_courserun:create",
        admin(CHOOSER + "create/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
    ),
]
