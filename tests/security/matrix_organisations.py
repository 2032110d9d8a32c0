"""The authorization matrix's rows for organisation leaders (issue 22).

`ORGANISATION_ROWS` joins the site-wide matrix (test_authorization_matrix.py), whose six roles lead
no organisation: the leader area is a 404 for all of them, the public two-step pages too, and staff
keep the leaders in the admin. `LEADER_ROWS` is a matrix of its own (test_organisation_matrix.py)
over the roles that matter here: a stranger, a volunteer, the leaders of organisations A and B, and
staff; a leader of A gets a 404 on anything of B.
"""

from __future__ import annotations

from tests.security.matrix_site import Row, admin

NOBODY_LEADS = "login 404 404 404 404 404"
ONLY_GET = "405 405 405 405 405 405"

#                                anonymous   A       B       trainer  staff  superuser
ORGANISATION_ROWS = [
    Row("organisation_home", lambda w: "/organisation/", get=NOBODY_LEADS, post=ONLY_GET),
    Row(
        "organisation_detail",
        lambda w: f"/organisation/{w.organization.pk}/",
        get=NOBODY_LEADS,
        post=ONLY_GET,
    ),
    Row(
        "organisation_export",
        lambda w: f"/organisation/{w.organization.pk}/members.csv",
        get=NOBODY_LEADS,
        post=ONLY_GET,
    ),
    Row(
        "organisation_request_confirm",
        lambda w: f"/organisation/{w.organization.pk}/requests/{w.b.pk}/confirm/",
        get=ONLY_GET,
        post=NOBODY_LEADS,
    ),
    Row(
        "organisation_request_decline",
        lambda w: f"/organisation/{w.organization.pk}/requests/{w.b.pk}/decline/",
        get=ONLY_GET,
        post=NOBODY_LEADS,
        data={"reason": "x"},
    ),
    Row(
        "organisation_request_decline_form",
        lambda w: f"/organisation/{w.organization.pk}/requests/{w.b.pk}/decline-reason/",
        get=NOBODY_LEADS,
        post=ONLY_GET,
    ),
    Row(
        "account_two_factor_verify",
        lambda w: "/accounts/two-step/verify/",
        get=NOBODY_LEADS,
        post=NOBODY_LEADS,
    ),
    Row(
        "account_two_factor_setup", lambda w: "/accounts/two-step/setup/", get=NOBODY_LEADS, post=NOBODY_LEADS
    ),
    Row(
        "account_two_factor_recovery_codes",
        lambda w: "/accounts/two-step/recovery-codes/",
        get=NOBODY_LEADS,
        post=NOBODY_LEADS,
    ),
    Row(
        "volunteers_organisation_leaders",
        admin("volunteers/organisations/{w.organization.pk}/leaders/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 400 400",
    ),
]


LEADER_ROLES = ("anonymous", "volunteer", "leader_a", "leader_b", "staff")


def leader_row(name: str, url, *, get: str, post: str, data: dict | None = None) -> tuple:
    return (name, url, get.split(), post.split(), data or {})


#                                                       anonymous volunteer leader_a leader_b staff
LEADER_ROWS = [
    leader_row("home", lambda w: "/organisation/", get="login 404 302 302 404", post="405 405 405 405 405"),
    leader_row(
        "A's page",
        lambda w: f"/organisation/{w.org_a.pk}/",
        get="login 404 200 404 404",
        post="405 405 405 405 405",
    ),
    leader_row(
        "B's page",
        lambda w: f"/organisation/{w.org_b.pk}/",
        get="login 404 404 200 404",
        post="405 405 405 405 405",
    ),
    *[
        leader_row(
            f"{owner}'s {export_format} export",
            lambda w, owner=owner, export_format=export_format: (
                f"/organisation/{getattr(w, 'org_' + owner.lower()).pk}/members.{export_format}"
            ),
            get="login 404 200 404 404" if owner == "A" else "login 404 404 200 404",
            post="405 405 405 405 405",
        )
        for owner in ("A", "B")
        for export_format in ("csv", "xlsx")
    ],
    leader_row(
        "an unknown export format",
        lambda w: f"/organisation/{w.org_a.pk}/members.json",
        get="login 404 404 404 404",
        post="405 405 405 405 405",
    ),
    leader_row(
        "A's request, confirmed",
        lambda w: f"/organisation/{w.org_a.pk}/requests/{w.pending_a.pk}/confirm/",
        get="405 405 405 405 405",
        post="login 404 302 404 404",
    ),
    leader_row(
        "B's request under A's organisation",
        lambda w: f"/organisation/{w.org_a.pk}/requests/{w.pending_b.pk}/confirm/",
        get="405 405 405 405 405",
        post="login 404 404 404 404",
    ),
    leader_row(
        "B's request, declined",
        lambda w: f"/organisation/{w.org_b.pk}/requests/{w.pending_b.pk}/decline/",
        get="405 405 405 405 405",
        post="login 404 404 302 404",
        data={"reason": "ไม่รู้จัก"},
    ),
    leader_row(
        "A's request, the reason page",
        lambda w: f"/organisation/{w.org_a.pk}/requests/{w.pending_a.pk}/decline-reason/",
        get="login 404 200 404 404",
        post="405 405 405 405 405",
    ),
    leader_row(
        "A's confirmed member as a request",
        lambda w: f"/organisation/{w.org_a.pk}/requests/{w.member_a.pk}/confirm/",
        get="405 405 405 405 405",
        post="login 404 404 404 404",
    ),
    leader_row(
        "the leader's two-step code",
        lambda w: "/accounts/two-step/verify/",
        get="login 404 302 302 404",
        post="login 404 302 302 404",
    ),
    leader_row(
        "A's leaders in the admin",
        admin("volunteers/organisations/{w.org_a.pk}/leaders/"),
        get="admin-login admin-login admin-login admin-login 200",
        post="admin-login admin-login admin-login admin-login 400",
    ),
]
