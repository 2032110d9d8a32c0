"""The privacy providers of the volunteer register itself and of the Wagtail and Django tables.

Registered from `VolunteersConfig.ready()`; other apps register theirs the same way.
"""

import json
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.forms.models import model_to_dict
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.models import EditingSession, FormState
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import (
    APIToken,
    Comment,
    CommentReply,
    ModelLogEntry,
    Page,
    PageLogEntry,
    PageSubscription,
    Revision,
    TaskState,
    UploadedFile,
    WorkflowState,
)
from wagtail.users.models import UserProfile

from volunteers.models import (
    AccountSession,
    CertificationApplication,
    CertificationBoardMember,
    CertificationDocument,
    CertificationTransition,
    CoordinatorCountry,
    Organization,
    OrganizationLeader,
    VolunteerProfile,
)
from volunteers.privacy import PrivacyProvider, redact, register_privacy_provider
from volunteers.sessions import active_session_count, sessions_of


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _mentioning(model, fields: list[str], identifiers: list[str]):
    """Rows of `model` whose text (or JSON text, escaped or not) contains any identifier."""
    query = Q()
    for name in fields:
        for item in identifiers:
            if len(item) < 3:
                continue
            for form in {item, json.dumps(item)[1:-1]}:
                query |= Q(**{f"_text_{name}__icontains": form})
    if not query:
        return model.objects.none()
    annotations = {f"_text_{name}": Cast(name, TextField()) for name in fields}
    return model.objects.annotate(**annotations).filter(query)


def _redact_rows(model, fields: list[str], identifiers: list[str]) -> None:
    for row in _mentioning(model, fields, identifiers):
        changes = {name: redact(getattr(row, name), identifiers) for name in fields}
        model.objects.filter(pk=row.pk).update(**changes)


# --- The account itself (erased last) ----------------------------------------------------------


def export_account(user) -> dict:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "email_confirmed_at": _iso(user.email_confirmed_at),
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "active_sessions": active_session_count(user),
    }


def erase_account(user, identifiers: list[str]) -> None:
    from volunteers.services import erased_email

    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session_key in list(sessions_of(user).values_list("session_key", flat=True)):
        store(session_key=session_key).delete()
    user.email = erased_email()
    user.first_name = user.last_name = ""
    user.email_confirmed_at = None
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


# --- The volunteer record ----------------------------------------------------------------------


PROFILE_PERSONAL_FIELDS = [
    "title",
    "given_name_th",
    "family_name_th",
    "given_name_en",
    "family_name_en",
    "country",
    "city",
    "organization_role",
    "phone",
    "time_zone",
]


def export_volunteer(user) -> dict:
    profile = VolunteerProfile.objects.filter(user=user).select_related("organization").first()
    data: dict = {"profile": None}
    if profile is not None:
        data["profile"] = {
            **model_to_dict(
                profile,
                exclude=[
                    "id",
                    "user",
                    "registered_by",
                    "status_changed_by",
                    "membership_decided_by",
                    "endorsement_by",
                ],
            ),
            "membership_decided_at": _iso(profile.membership_decided_at),
            "endorsement_at": _iso(profile.endorsement_at),
            "organization": str(profile.organization) if profile.organization else None,
            "registered_at": _iso(profile.registered_at),
            "status_changed_at": _iso(profile.status_changed_at),
            "consented_at": _iso(profile.consented_at),
            "erasure_requested_at": _iso(profile.erasure_requested_at),
            "created_at": _iso(profile.created_at),
            "updated_at": _iso(profile.updated_at),
            "time_zone_shown": profile.reader_time_zone,
        }
    data["volunteers_registered_by_you"] = VolunteerProfile.objects.filter(registered_by=user).count()
    data["organisations_you_lead"] = [
        str(leadership.organization)
        for leadership in OrganizationLeader.objects.filter(user=user).select_related("organization")
    ]
    data["countries_you_coordinate"] = sorted(
        CoordinatorCountry.objects.filter(user=user).values_list("country", flat=True)
    )
    data["organisations_with_your_contact_details"] = [
        str(organization) for organization in Organization.objects.filter(contact_email__iexact=user.email)
    ]
    return data


def _erase_proposed_organization(organization: Organization, city: str) -> None:
    """An organisation named by volunteers and not yet confirmed by staff was made from what its
    proposer typed, their city copied in: with nobody else in it, it goes; otherwise the copied
    city does."""
    if not organization.volunteers.exists():
        organization.delete()
    elif city and organization.city == city:
        organization.city = ""
        organization.save(update_fields=["city"])


def erase_volunteer(user, identifiers: list[str]) -> None:
    from django.utils import timezone

    profile = VolunteerProfile.objects.filter(user=user).select_related("organization").first()
    if profile is not None:
        proposed, city = profile.organization, profile.city
        for name in PROFILE_PERSONAL_FIELDS:
            setattr(profile, name, "")
        profile.organization = None
        # What a leader decided about the person goes with the link to the organisation.
        profile.membership_status = VolunteerProfile.Membership.REQUESTED
        profile.membership_decided_at = profile.membership_decided_by = None
        profile.endorsement = VolunteerProfile.Endorsement.NONE
        profile.endorsement_at = profile.endorsement_by = None
        profile.endorsement_reason = ""
        profile.share_contact_with_leaders = False
        profile.status = VolunteerProfile.Status.INACTIVE
        profile.erased_at = timezone.now()
        profile.save()
        if proposed is not None and not proposed.is_confirmed:
            _erase_proposed_organization(proposed, city)
    OrganizationLeader.objects.filter(user=user).delete()
    CoordinatorCountry.objects.filter(user=user).delete()
    CoordinatorCountry.objects.filter(appointed_by=user).update(appointed_by=None)
    for organization in Organization.objects.filter(contact_email__iexact=user.email):
        organization.contact_email = ""
        organization.save(update_fields=["contact_email"])
    phones = [value for value in identifiers if value and value == (profile.phone if profile else None)]
    if phones:
        Organization.objects.filter(contact_phone__in=phones).update(contact_phone="")
    _redact_rows(Organization, ["contact_phone", "contact_email"], identifiers)


# --- Two-step verification devices -------------------------------------------------------------


def export_two_factor(user) -> dict:
    # That a device exists and when it was used; never its secret.
    return {
        "authenticator_apps": [
            {
                "confirmed": device.confirmed,
                "created_at": _iso(device.created_at),
                "last_used_at": _iso(device.last_used_at),
            }
            for device in TOTPDevice.objects.filter(user=user).order_by("pk")
        ],
        # How many recovery codes are left and when one was last used; never the codes.
        "recovery_codes": [
            {
                "created_at": _iso(device.created_at),
                "last_used_at": _iso(device.last_used_at),
                "codes_left": device.token_set.count(),
            }
            for device in StaticDevice.objects.filter(user=user).order_by("pk")
        ],
    }


def erase_two_factor(user, identifiers: list[str]) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# --- Wagtail's own tables ----------------------------------------------------------------------


def export_wagtail(user) -> dict:
    profile = UserProfile.objects.filter(user=user).first()
    return {
        "admin_preferences": (
            {
                "preferred_language": profile.preferred_language,
                "current_time_zone": profile.current_time_zone,
                "has_avatar": bool(profile.avatar),
            }
            if profile
            else None
        ),
        "actions_you_took": [
            {"action": entry.action, "timestamp": _iso(entry.timestamp)}
            for model in (ModelLogEntry, PageLogEntry)
            for entry in model.objects.filter(user=user).order_by("timestamp")
        ],
        "revisions_you_saved": Revision.objects.filter(user=user).count(),
        "comments": [
            {"text": comment.text, "created_at": _iso(comment.created_at)}
            for comment in Comment.objects.filter(user=user)
        ]
        + [
            {"text": reply.text, "created_at": _iso(reply.created_at)}
            for reply in CommentReply.objects.filter(user=user)
        ],
        "pages_you_own": list(Page.objects.filter(owner=user).values_list("title", flat=True)),
        "images_you_uploaded": list(
            Image.objects.filter(uploaded_by_user=user).values_list("title", flat=True)
        ),
        "documents_you_uploaded": list(
            Document.objects.filter(uploaded_by_user=user).values_list("title", flat=True)
        ),
        "page_subscriptions": PageSubscription.objects.filter(user=user).count(),
        "editing_sessions": EditingSession.objects.filter(user=user).count(),
        "saved_form_states": FormState.objects.filter(user=user).count(),
        "api_tokens": APIToken.objects.filter(user=user).count(),
        "uploads_in_progress": UploadedFile.objects.filter(uploaded_by_user=user).count(),
        "workflows_you_started": WorkflowState.objects.filter(requested_by=user).count(),
        "workflow_tasks_you_finished": TaskState.objects.filter(finished_by=user).count(),
    }


def erase_wagtail(user, identifiers: list[str]) -> None:
    for profile in UserProfile.objects.filter(user=user):
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.delete()
    for model in (EditingSession, FormState, APIToken, PageSubscription):
        model.objects.filter(user=user).delete()
    for upload in UploadedFile.objects.filter(uploaded_by_user=user):
        upload.file.delete(save=False)
        upload.delete()
    Page.objects.filter(locked_by=user).update(locked=False, locked_by=None, locked_at=None)
    # Audit entries, revisions and comments keep their place in the history, but any text that
    # repeats the person's email, names or phone is redacted (labels repeat an object's name).
    _redact_rows(ModelLogEntry, ["label", "data"], identifiers)
    _redact_rows(PageLogEntry, ["label", "data"], identifiers)
    _redact_rows(Revision, ["object_str", "content"], identifiers)
    _redact_rows(Comment, ["text"], identifiers)
    _redact_rows(CommentReply, ["text"], identifiers)


# --- Certification applications (the organisation's records; the person's part in them) ---------


def export_certification(user) -> dict:
    return {
        "applications_started": [
            str(application.organization)
            for application in CertificationApplication.objects.filter(created_by=user).select_related(
                "organization"
            )
        ],
        "documents_uploaded": list(
            CertificationDocument.objects.filter(uploaded_by=user).values_list("title", flat=True)
        ),
        "review_steps": [
            {"to": step.to_state, "at": _iso(step.at), "message": step.note}
            for step in CertificationTransition.objects.filter(actor=user)
        ],
    }


def erase_certification(user, identifiers: list[str]) -> None:
    """The applications stay the organisation's; who started, uploaded or acted is forgotten, and
    the person's name, email or phone is redacted wherever it was typed into them."""
    CertificationApplication.objects.filter(created_by=user).update(created_by=None)
    CertificationDocument.objects.filter(uploaded_by=user).update(uploaded_by=None)
    CertificationTransition.objects.filter(actor=user).update(actor=None)
    _redact_rows(CertificationTransition, ["note"], identifiers)
    _redact_rows(CertificationBoardMember, ["name"], identifiers)
    _redact_rows(
        CertificationApplication, ["contact_email", "contact_phone", "address", "activities"], identifiers
    )


def register_core_providers() -> None:
    register_privacy_provider(
        PrivacyProvider(
            label="volunteer",
            models=(VolunteerProfile, Organization, OrganizationLeader, CoordinatorCountry),
            export=export_volunteer,
            erase=erase_volunteer,
            order=500,
        )
    )
    register_privacy_provider(
        PrivacyProvider(
            label="wagtail",
            models=(
                UserProfile,
                EditingSession,
                FormState,
                APIToken,
                PageSubscription,
                UploadedFile,
                Page,
                ModelLogEntry,
                PageLogEntry,
                Revision,
                Comment,
                CommentReply,
                WorkflowState,
                TaskState,
                Image,
                Document,
            ),
            export=export_wagtail,
            erase=erase_wagtail,
            order=900,
        )
    )
    register_privacy_provider(
        PrivacyProvider(
            label="certification",
            models=(CertificationApplication, CertificationDocument, CertificationTransition),
            export=export_certification,
            erase=erase_certification,
            order=520,
        )
    )
    register_privacy_provider(
        PrivacyProvider(
            label="two_factor",
            models=(TOTPDevice, StaticDevice, StaticToken),
            export=export_two_factor,
            erase=erase_two_factor,
            order=950,
        )
    )
    register_privacy_provider(
        PrivacyProvider(
            label="account",
            models=(get_user_model(), Session, AccountSession),
            export=export_account,
            erase=erase_account,
            order=1000,
        )
    )
