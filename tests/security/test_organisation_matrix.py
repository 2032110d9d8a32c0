"""The leader area's own authorization matrix (issue 22): a stranger, a volunteer, the leaders of
organisations A and B, and staff, on every leader URL (rows in matrix_organisations.py). A leader
of A gets a 404 on anything of B, and no page a leader may open shows the other organisation's
people, a member's contact details they did not agree to share, or a revocation's reason."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from certificates.models import Certificate
from certificates.services import certificate_revoke
from courses.learning.services import course_enrol, lesson_complete
from tests.factories import (
    make_course_tree,
    make_organization,
    make_privacy_notice,
    make_user,
    make_volunteer,
)
from tests.security.matrix_organisations import LEADER_ROLES, LEADER_ROWS, certification_world
from tests.security.test_authorization_matrix import outcome
from volunteers import memberships, services

pytestmark = pytest.mark.django_db


def _person(organization, **fields):
    profile = make_volunteer(**fields)
    services.volunteer_profile_update(profile=profile, data={"organization": organization})
    return profile


def build_leader_world() -> SimpleNamespace:
    make_privacy_notice(version=1)
    staff = make_user(group="Staff")
    org_a = make_organization(name_th="องค์กรเอ")
    org_b = make_organization(name_th="องค์กรบี")
    leader_a = make_volunteer(email="leader.a@example.org", given_name_th="ผู้นำเอ")
    leader_b = make_volunteer(email="leader.b@example.org", given_name_th="ผู้นำบี")
    memberships.organization_leader_appoint(organization=org_a, user=leader_a.user, actor=staff)
    memberships.organization_leader_appoint(organization=org_b, user=leader_b.user, actor=staff)
    course, _module, lesson = make_course_tree(title="หลักสูตรตาราง")
    members = {}
    for key, organization, leader in (("a", org_a, leader_a), ("b", org_b, leader_b)):
        member = _person(
            organization,
            email=f"member.{key}@example.org",
            given_name_th=f"สมาชิก{key.upper()}",
            phone=f"+47 4000 000{ord(key)}",
        )
        course_enrol(volunteer=member.user, course=course)
        lesson_complete(volunteer=member.user, lesson=lesson)
        certificate_revoke(
            certificate=Certificate.objects.get(volunteer=member.user),
            actor=staff,
            reason=f"REVOCATION-REASON-{key}",
        )
        members[key] = memberships.membership_confirm(
            profile=member, organization=organization, leader=leader.user
        )
    pending_a = _person(org_a, email="pending.a@example.org", given_name_th="คำขอเอ")
    pending_b = _person(org_b, email="pending.b@example.org", given_name_th="คำขอบี")
    certification_a = certification_world(org_a, leader_a.user)
    certification_b = certification_world(org_b, leader_b.user)
    return SimpleNamespace(
        app_a=certification_a["application"],
        app_b=certification_b["application"],
        member_of_a=certification_a["member"],
        doc_a=certification_a["document"],
        users={
            "anonymous": None,
            "volunteer": make_volunteer(email="plain@example.org").user,
            "leader_a": leader_a.user,
            "leader_b": leader_b.user,
            "staff": staff,
        },
        org_a=org_a,
        org_b=org_b,
        member_a=members["a"],
        member_b=members["b"],
        pending_a=pending_a,
        pending_b=pending_b,
    )


def _secrets_for(world, role) -> list[str]:
    """What must never show to `role`: the other organisation's people, any member's contact
    details (nobody agreed to share them) and every revocation reason."""
    always = [
        "REVOCATION-REASON-a",
        "REVOCATION-REASON-b",
        world.member_a.phone,
        world.member_b.phone,
        "member.a@example.org",
        "member.b@example.org",
        "pending.a@example.org",
        "pending.b@example.org",
    ]
    if role == "leader_a":
        return [*always, "สมาชิกB", "คำขอบี"]
    if role == "leader_b":
        return [*always, "สมาชิกA", "คำขอเอ"]
    return [*always, "สมาชิกA", "สมาชิกB", "คำขอเอ", "คำขอบี"]


@pytest.mark.parametrize("role", LEADER_ROLES)
def test_every_leader_url_answers_each_role_as_expected(role):
    world = build_leader_world()
    differences, leaks = [], []
    for name, url, get, post, data in LEADER_ROWS:
        for method, expected in (("GET", get), ("POST", post)):
            cache.clear()
            client = Client(raise_request_exception=False)
            with transaction.atomic():
                if world.users[role] is not None:
                    client.force_login(world.users[role])
                response = client.get(url(world)) if method == "GET" else client.post(url(world), data)
                body = response.content if not response.streaming else b""
                transaction.set_rollback(True)
            got = outcome(response)
            wanted = expected[LEADER_ROLES.index(role)]
            if got != wanted:
                differences.append(f"{method} {name} {url(world)}: expected {wanted}, got {got}")
            if got == "200" and role != "staff":
                text = body.decode("utf-8", errors="replace")
                shown = [secret for secret in _secrets_for(world, role) if secret and secret in text]
                if shown:
                    leaks.append(f"{method} {name} shows {shown}")
    assert not differences, "\n".join(differences)
    assert not leaks, "\n".join(leaks)
