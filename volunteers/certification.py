"""The public-benefit certification application (issue 22): an organisation's leader drafts and
submits it on the site, staff review it in the admin and ask for changes, approve or decline it.

The states and who may move an application between them are the table `TRANSITIONS`; anything else
is refused with a message for people. Every change locks the application's row first, so two staff
deciding at once cannot both act, and is recorded twice: as a `CertificationTransition` (who, when,
from, to, why) and in Wagtail's audit log. Leaders are told after the commit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from training.dates import issuer_zone, local_date
from volunteers.models import (
    CertificationApplication,
    CertificationBoardMember,
    CertificationDocument,
    CertificationTransition,
    Organization,
    User,
)
from volunteers.notices import certification_changed_notify, certification_expiring_notify
from volunteers.selectors import organization_leader_ids, organizations_led_by

State = CertificationApplication.State
LEADER, STAFF = "leader", "staff"
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS = 20
MAX_BOARD_MEMBERS = 50
EXPIRY_WARNING_DAYS = 90
# What a document may be, told by its first bytes (never by its name): type, stored extension.
DOCUMENT_SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
# Fields of the application a leader fills in; the organisation's record gives the first values.
DETAIL_FIELDS = (
    "name_th",
    "name_en",
    "kind",
    "country",
    "city",
    "address",
    "registration_number",
    "founded_on",
    "contact_email",
    "contact_phone",
    "activities",
)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    by: str
    note_required: bool


TRANSITIONS = {
    "submit": Transition("submit", (State.DRAFT,), State.SUBMITTED, LEADER, False),
    "resubmit": Transition("resubmit", (State.CHANGES_REQUESTED,), State.RESUBMITTED, LEADER, True),
    "request_changes": Transition(
        "request_changes", (State.SUBMITTED, State.RESUBMITTED), State.CHANGES_REQUESTED, STAFF, True
    ),
    "approve": Transition("approve", (State.SUBMITTED, State.RESUBMITTED), State.APPROVED, STAFF, False),
    "decline": Transition("decline", (State.SUBMITTED, State.RESUBMITTED), State.DECLINED, STAFF, True),
}


def application_facts(application: CertificationApplication) -> list[tuple[str, str]]:
    """Each detail the leader gave, labelled, choices shown as words (for reading, not editing)."""
    facts = []
    for name in DETAIL_FIELDS:
        field = CertificationApplication._meta.get_field(name)
        display = getattr(application, f"get_{name}_display", None)
        value = display() if display else getattr(application, name)
        facts.append((str(field.verbose_name).capitalize(), "" if value is None else str(value)))
    return facts


class CertificationRefused(ValueError):
    """The application cannot do that now (its state, an empty field, someone's own organisation)."""


def _locked(application: CertificationApplication) -> CertificationApplication:
    return CertificationApplication.objects.select_for_update().get(pk=application.pk)


def _check_leader(application: CertificationApplication, leader: User) -> None:
    if not organizations_led_by(leader).filter(pk=application.organization_id).exists():
        raise CertificationRefused(_("Only a leader of the organisation can change its application."))


def _check_editable(application: CertificationApplication) -> None:
    if not application.is_editable:
        raise CertificationRefused(
            _("The application cannot be changed now: staff are reviewing it or have decided.")
        )


def _record(
    application: CertificationApplication, *, source: str, actor: User, note: str = "", action: str
) -> CertificationTransition:
    step = CertificationTransition.objects.create(
        application=application, from_state=source, to_state=application.state, actor=actor, note=note
    )
    log(
        application,
        f"volunteers.certification_{action}",
        user=actor,
        data={
            "from": source,
            "to": application.state,
            "note": note,
            "organization_id": application.organization_id,
        },
    )
    return step


@transaction.atomic
def certification_application_start(*, organization: Organization, leader: User) -> CertificationApplication:
    """The organisation's open application, or a new draft filled in from its record. Two leaders
    starting at once get the same one (the database keeps one open application per organisation)."""
    if not organizations_led_by(leader).filter(pk=organization.pk).exists():
        raise CertificationRefused(_("Only a leader of the organisation can change its application."))
    current = (
        CertificationApplication.objects.filter(
            organization=organization, state__in=CertificationApplication.OPEN_STATES
        )
        .order_by("-pk")
        .first()
    )
    if current is not None:
        return current
    try:
        with transaction.atomic():
            application = CertificationApplication.objects.create(
                organization=organization,
                created_by=leader,
                **{
                    name: getattr(organization, name)
                    for name in DETAIL_FIELDS
                    if hasattr(organization, name) and name != "activities"
                },
            )
    except IntegrityError:
        return CertificationApplication.objects.get(
            organization=organization, state__in=CertificationApplication.OPEN_STATES
        )
    _record(application, source="", actor=leader, action="start")
    return application


@transaction.atomic
def certification_application_save(
    *, application: CertificationApplication, leader: User, details: dict
) -> CertificationApplication:
    """Save the leader's details (a draft, or changes staff asked for)."""
    locked = _locked(application)
    _check_leader(locked, leader)
    _check_editable(locked)
    for name in DETAIL_FIELDS:
        if name in details:
            setattr(locked, name, details[name])
    locked.full_clean(exclude=["organization", "created_by"])
    locked.save()
    log(
        locked, "volunteers.certification_save", user=leader, data={"organization_id": locked.organization_id}
    )
    return locked


@transaction.atomic
def certification_board_member_add(
    *, application: CertificationApplication, leader: User, name: str, position: str, nationality: str = ""
) -> CertificationBoardMember:
    locked = _locked(application)
    _check_leader(locked, leader)
    _check_editable(locked)
    if not name.strip() or not position.strip():
        raise CertificationRefused(_("Give the board member's name and position."))
    if locked.board_members.count() >= MAX_BOARD_MEMBERS:
        raise CertificationRefused(_("The application has as many board members as it can hold."))
    return CertificationBoardMember.objects.create(
        application=locked, name=name.strip(), position=position.strip(), nationality=nationality.strip()
    )


@transaction.atomic
def certification_board_member_remove(
    *, application: CertificationApplication, leader: User, member_id: int
) -> bool:
    locked = _locked(application)
    _check_leader(locked, leader)
    _check_editable(locked)
    removed, _detail = CertificationBoardMember.objects.filter(application=locked, pk=member_id).delete()
    return bool(removed)


def document_kind(upload) -> tuple[str, str]:
    """The content type and stored extension of an upload, from its first bytes; refused otherwise."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s. Choose a smaller file.")
            % {"limit": filesizeformat(MAX_DOCUMENT_BYTES)},
            code="file_too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type, extension in DOCUMENT_SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    raise ValidationError(
        _("Only PDF documents and JPEG or PNG pictures can be attached; this file is none of them."),
        code="file_type",
    )


def safe_original_name(name: str, extension: str) -> str:
    """The uploader's file name for showing and downloading only: no folders, no odd characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = get_valid_filename(base.rsplit(".", 1)[0] if "." in base else base) if base.strip(". ") else ""
    return f"{(base or 'document')[:150]}{extension}"


@transaction.atomic
def certification_document_add(
    *, application: CertificationApplication, leader: User, title: str, upload
) -> CertificationDocument:
    """Attach a document, its type checked by its content; kept in the private storage."""
    content_type, extension = document_kind(upload)
    locked = _locked(application)
    _check_leader(locked, leader)
    _check_editable(locked)
    if not title.strip():
        raise CertificationRefused(_("Say what the document is."))
    if locked.documents.count() >= MAX_DOCUMENTS:
        raise CertificationRefused(_("The application has as many documents as it can hold."))
    document = CertificationDocument(
        application=locked,
        title=title.strip()[:200],
        original_name=safe_original_name(upload.name, extension),
        content_type=content_type,
        size=upload.size,
        uploaded_by=leader,
    )
    document.file.save(f"document{extension}", upload, save=False)
    document.save()
    log(
        locked,
        "volunteers.certification_document_add",
        user=leader,
        data={"document_id": document.pk, "organization_id": locked.organization_id},
    )
    return document


@transaction.atomic
def certification_document_remove(
    *, application: CertificationApplication, leader: User, document_id: int
) -> bool:
    locked = _locked(application)
    _check_leader(locked, leader)
    _check_editable(locked)
    document = CertificationDocument.objects.filter(application=locked, pk=document_id).first()
    if document is None:
        return False
    name = document.file.name
    document.delete()
    transaction.on_commit(lambda: document.file.storage.delete(name))
    log(
        locked,
        "volunteers.certification_document_remove",
        user=leader,
        data={"document_id": document_id, "organization_id": locked.organization_id},
    )
    return True


def _move(
    application: CertificationApplication, action: str, note: str, check
) -> tuple[CertificationApplication, str, str]:
    """The application locked and moved by `action` (not saved), its former state and the note."""
    transition = TRANSITIONS[action]
    locked = _locked(application)
    check(locked)
    if locked.state not in transition.sources:
        raise CertificationRefused(
            _("The application is %(state)s: that cannot be done now.")
            % {"state": locked.get_state_display()}
        )
    note = note.strip()
    if transition.note_required and not note:
        raise CertificationRefused(_("Write the message: the other side reads it."))
    source = locked.state
    locked.state = transition.target
    return locked, source, note


def _leader_move(application, action: str, leader: User, note: str):
    locked, source, note = _move(application, action, note, lambda row: _check_leader(row, leader))
    if not locked.activities.strip():
        raise CertificationRefused(_("Describe the organisation's activities before submitting."))
    if not locked.board_members.exists():
        raise CertificationRefused(_("Name at least one board member before submitting."))
    if not locked.documents.exists():
        raise CertificationRefused(_("Attach at least one document before submitting."))
    locked.submitted_at = timezone.now()
    locked.save()
    organization = Organization.objects.select_for_update().get(pk=locked.organization_id)
    if organization.certification_status == Organization.Certification.NOT_APPLIED:
        organization.certification_status = Organization.Certification.APPLIED
        organization.save(update_fields=["certification_status"])
    _record(locked, source=source, actor=leader, note=note, action=action)
    return locked


@transaction.atomic
def certification_submit(*, application: CertificationApplication, leader: User) -> CertificationApplication:
    """A leader sends the draft to staff."""
    return _leader_move(application, "submit", leader, "")


@transaction.atomic
def certification_resubmit(
    *, application: CertificationApplication, leader: User, answer: str
) -> CertificationApplication:
    """A leader answers staff's questions and sends the application back."""
    return _leader_move(application, "resubmit", leader, answer)


def _check_staff(application: CertificationApplication, actor: User) -> None:
    if not actor.has_perm("volunteers.change_certificationapplication"):
        raise CertificationRefused(_("Only staff decide on certification applications."))
    # Nobody decides on the application of an organisation they lead.
    if organizations_led_by(actor).filter(pk=application.organization_id).exists():
        raise CertificationRefused(
            _("You lead this organisation: another member of staff decides on its application.")
        )


def _staff_move(application, action: str, actor: User, note: str, **changes):
    locked, source, note = _move(application, action, note, lambda row: _check_staff(row, actor))
    for name, value in changes.items():
        setattr(locked, name, value)
    if locked.state in (State.APPROVED, State.DECLINED):
        locked.decided_at = timezone.now()
    locked.save()
    step = _record(locked, source=source, actor=actor, note=note, action=action)
    for leader_id in organization_leader_ids(locked.organization_id):
        certification_changed_notify(
            user_id=leader_id,
            organization_id=locked.organization_id,
            application_id=locked.pk,
            transition_id=step.pk,
            state=locked.state,
            note=note,
        )
    return locked


@transaction.atomic
def certification_request_changes(
    *, application: CertificationApplication, actor: User, message: str
) -> CertificationApplication:
    """Staff ask the leader for changes or answers; the leader reads the message."""
    return _staff_move(application, "request_changes", actor, message)


@transaction.atomic
def certification_approve(
    *,
    application: CertificationApplication,
    actor: User,
    certification_number: str,
    expires_on: datetime.date,
    note: str = "",
) -> CertificationApplication:
    """Staff certify the organisation: the record gets the number, today's date and the expiry."""
    certification_number = certification_number.strip()
    if not certification_number:
        raise CertificationRefused(_("Give the certification number."))
    today = local_date(timezone.now(), issuer_zone())
    if expires_on is None or expires_on <= today:
        raise CertificationRefused(_("The certification must expire after today."))
    locked = _staff_move(
        application,
        "approve",
        actor,
        note,
        certification_number=certification_number,
        expires_on=expires_on,
    )
    organization = Organization.objects.select_for_update().get(pk=locked.organization_id)
    organization.certification_status = Organization.Certification.CERTIFIED
    organization.certification_number = certification_number
    organization.certified_on = today
    organization.certification_expires_on = expires_on
    organization.save(
        update_fields=[
            "certification_status",
            "certification_number",
            "certified_on",
            "certification_expires_on",
        ]
    )
    log(
        organization,
        "volunteers.certified",
        user=actor,
        data={
            "application_id": locked.pk,
            "number": certification_number,
            "expires_on": expires_on.isoformat(),
        },
    )
    return locked


@transaction.atomic
def certification_decline(
    *, application: CertificationApplication, actor: User, reason: str
) -> CertificationApplication:
    """Staff decline the application with a reason. A certification the organisation holds stays."""
    locked = _staff_move(application, "decline", actor, reason)
    organization = Organization.objects.select_for_update().get(pk=locked.organization_id)
    if organization.certification_status == Organization.Certification.APPLIED:
        organization.certification_status = Organization.Certification.NOT_APPLIED
        organization.save(update_fields=["certification_status"])
    return locked


def certifications_expiring(*, today: datetime.date | None = None):
    """Certified organisations whose certification ends within the warning period (or has ended)."""
    today = today or local_date(timezone.now(), issuer_zone())
    return Organization.objects.filter(
        certification_status=Organization.Certification.CERTIFIED,
        certification_expires_on__isnull=False,
        certification_expires_on__lte=today + datetime.timedelta(days=EXPIRY_WARNING_DAYS),
    ).order_by("certification_expires_on", "pk")


def certification_expiry_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Tell the leaders of each organisation whose certification ends within 90 days, once per
    certification (the notification's key holds its number and expiry). Returns how many were told."""
    today = local_date(now or timezone.now(), issuer_zone())
    told = 0
    for organization in certifications_expiring(today=today).filter(certification_expires_on__gte=today):
        for leader_id in organization_leader_ids(organization.pk):
            with transaction.atomic():
                certification_expiring_notify(
                    user_id=leader_id,
                    organization_id=organization.pk,
                    number=organization.certification_number,
                    expires_on=organization.certification_expires_on.isoformat(),
                    days=(organization.certification_expires_on - today).days,
                )
            told += 1
    return told
