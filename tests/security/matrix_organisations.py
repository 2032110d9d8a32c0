"""The authorization matrix's rows for organisation leaders (issue 22).

`ORGANISATION_ROWS` joins the site-wide matrix (test_authorization_matrix.py), whose six roles lead
no organisation: the leader area is a 404 for all of them, the public two-step pages too, and staff
keep the leaders in the admin. `LEADER_ROWS` is a matrix of its own (test_organisation_matrix.py)
over the roles that matter here: a stranger, a volunteer, the leaders of organisations A and B, and
staff; a leader of A gets a 404 on anything of B.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

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
        elsewhere="404 404",
    ),
    # The certification application (issue 22): the leader's pages are nobody's here; staff review.
    *[
        Row(f"certification_{name}", lambda w, path=path: path.format(w=w), get=get, post=post)
        for name, path, get, post in (
            (
                "home",
                "/organisation/{w.certification.organization_id}/certification/",
                NOBODY_LEADS,
                ONLY_GET,
            ),
            (
                "start",
                "/organisation/{w.certification.organization_id}/certification/start/",
                ONLY_GET,
                NOBODY_LEADS,
            ),
            (
                "detail",
                "/organisation/{w.certification.organization_id}/certification/{w.certification.pk}/",
                NOBODY_LEADS,
                NOBODY_LEADS,
            ),
            (
                "submit",
                "/organisation/{w.certification.organization_id}/certification/{w.certification.pk}/submit/",
                ONLY_GET,
                NOBODY_LEADS,
            ),
            (
                "board_add",
                "/organisation/{w.certification.organization_id}/certification/{w.certification.pk}/board/",
                ONLY_GET,
                NOBODY_LEADS,
            ),
            (
                "board_remove",
                "/organisation/{w.certification.organization_id}/certification/{w.certification.pk}"
                "/board/{w.certification_member.pk}/remove/",
                ONLY_GET,
                NOBODY_LEADS,
            ),
            (
                "document_add",
                "/organisation/{w.certification.organization_id}/certification/{w.certification.pk}/documents/",
                ONLY_GET,
                NOBODY_LEADS,
            ),
            (
                "document",
                "/organisation/{w.certification.organization_id}/certification/{w.certification.pk}"
                "/documents/{w.certification_document.pk}/",
                NOBODY_LEADS,
                ONLY_GET,
            ),
            (
                "document_remove",
                "/organisation/{w.certification.organization_id}/certification/{w.certification.pk}"
                "/documents/{w.certification_document.pk}/remove/",
                ONLY_GET,
                NOBODY_LEADS,
            ),
        )
    ],
    Row(
        "volunteers_certification_list",
        admin("volunteers/certification/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "volunteers_certification_review",
        admin("volunteers/certification/{w.certification.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 400 400",
        elsewhere="404 404",
    ),
    Row(
        "volunteers_certification_document",
        admin("volunteers/certification/{w.certification.pk}/documents/{w.certification_document.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login 405 405 405",
        elsewhere="404 405",
    ),
]

PDF = b"%PDF-1.4\n%%EOF\n"


def certification_world(organization, leader) -> dict:
    """A complete draft of `organization`'s certification application, with a board member and a
    document, started by `leader` (who must lead it)."""
    from volunteers import certification

    application = certification.certification_application_start(organization=organization, leader=leader)
    certification.certification_application_save(
        application=application, leader=leader, details={"activities": "กิจกรรมตาราง"}
    )
    member = certification.certification_board_member_add(
        application=application, leader=leader, name="กรรมการตาราง", position="ประธาน"
    )
    document = certification.certification_document_add(
        application=application, leader=leader, title="เอกสารตาราง", upload=SimpleUploadedFile("a.pdf", PDF)
    )
    return {"application": application, "member": member, "document": document}


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
    *[
        leader_row(
            f"certification: {name}", lambda w, path=path: path.format(w=w), get=get, post=post, data=data
        )
        for name, path, get, post, data in (
            (
                "A's home",
                "/organisation/{w.org_a.pk}/certification/",
                "login 404 200 404 404",
                "405 405 405 405 405",
                {},
            ),
            (
                "B's home",
                "/organisation/{w.org_b.pk}/certification/",
                "login 404 404 200 404",
                "405 405 405 405 405",
                {},
            ),
            (
                "A's start",
                "/organisation/{w.org_a.pk}/certification/start/",
                "405 405 405 405 405",
                "login 404 302 404 404",
                {},
            ),
            (
                "A's application",
                "/organisation/{w.org_a.pk}/certification/{w.app_a.pk}/",
                "login 404 200 404 404",
                "login 404 400 404 404",
                {},
            ),
            (
                "A's application under B's organisation",
                "/organisation/{w.org_b.pk}/certification/{w.app_a.pk}/",
                "login 404 404 404 404",
                "login 404 404 404 404",
                {},
            ),
            (
                "A's application submitted",
                "/organisation/{w.org_a.pk}/certification/{w.app_a.pk}/submit/",
                "405 405 405 405 405",
                "login 404 302 404 404",
                {},
            ),
            (
                "A's application submitted by way of B",
                "/organisation/{w.org_b.pk}/certification/{w.app_a.pk}/submit/",
                "405 405 405 405 405",
                "login 404 404 404 404",
                {},
            ),
            (
                "A's board member added",
                "/organisation/{w.org_a.pk}/certification/{w.app_a.pk}/board/",
                "405 405 405 405 405",
                "login 404 302 404 404",
                {"name": "ใหม่", "position": "กรรมการ"},
            ),
            (
                "A's board member removed",
                "/organisation/{w.org_a.pk}/certification/{w.app_a.pk}/board/{w.member_of_a.pk}/remove/",
                "405 405 405 405 405",
                "login 404 302 404 404",
                {},
            ),
            (
                "A's board member removed through B's application",
                "/organisation/{w.org_b.pk}/certification/{w.app_b.pk}/board/{w.member_of_a.pk}/remove/",
                "405 405 405 405 405",
                "login 404 404 404 404",
                {},
            ),
            (
                "A's document added without a file",
                "/organisation/{w.org_a.pk}/certification/{w.app_a.pk}/documents/",
                "405 405 405 405 405",
                "login 404 400 404 404",
                {"title": "x"},
            ),
            (
                "A's document",
                "/organisation/{w.org_a.pk}/certification/{w.app_a.pk}/documents/{w.doc_a.pk}/",
                "login 404 200 404 404",
                "405 405 405 405 405",
                {},
            ),
            (
                "A's document by way of B's application",
                "/organisation/{w.org_b.pk}/certification/{w.app_b.pk}/documents/{w.doc_a.pk}/",
                "login 404 404 404 404",
                "405 405 405 405 405",
                {},
            ),
            (
                "A's document removed",
                "/organisation/{w.org_a.pk}/certification/{w.app_a.pk}/documents/{w.doc_a.pk}/remove/",
                "405 405 405 405 405",
                "login 404 302 404 404",
                {},
            ),
            (
                "the applications in the admin",
                "/admin/volunteers/certification/",
                "admin-login admin-login admin-login admin-login 200",
                "admin-login admin-login admin-login admin-login 405",
                {},
            ),
            (
                "A's application approved in the admin",
                "/admin/volunteers/certification/{w.app_a.pk}/",
                "admin-login admin-login admin-login admin-login 200",
                "admin-login admin-login admin-login admin-login 400",
                {
                    "action": "approve",
                    "approve-certification_number": "MINE",
                    "approve-expires_on": "2099-01-01",
                },
            ),
            (
                "A's document in the admin",
                "/admin/volunteers/certification/{w.app_a.pk}/documents/{w.doc_a.pk}/",
                "admin-login admin-login admin-login admin-login 200",
                "admin-login admin-login admin-login admin-login 405",
                {},
            ),
        )
    ],
    leader_row(
        "A's leaders in the admin",
        admin("volunteers/organisations/{w.org_a.pk}/leaders/"),
        get="admin-login admin-login admin-login admin-login 200",
        post="admin-login admin-login admin-login admin-login 400",
    ),
]
