"""Writes of the volunteer register: sign-up, consent, registration, erasure, bulk import, and the
admin's two-step verification devices.

Every function is transactional; emails are queued after the commit, with ids only.
"""

import csv
import io
import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from training.queue import enqueue_with_data
from volunteers.confirmation import notify_email_confirmed
from volunteers.countries import country_name
from volunteers.erasure_log import ERASED_DOMAIN, erasure_record
from volunteers.memberships import endorsement_ask, membership_request_reset
from volunteers.models import (
    Organization,
    User,
    VolunteerNumberSequence,
    VolunteerProfile,
)
from volunteers.notices import email_confirmed_notify, volunteer_registered_notify
from volunteers.privacy import privacy_providers
from volunteers.recovery_codes import recovery_code_digest
from volunteers.registration import registration_missing
from volunteers.selectors import organization_by_name
from volunteers.tasks import account_email_send

logger = logging.getLogger(__name__)

VOLUNTEER_NUMBER_PREFIX = "OV"


def _queue_account_email(user: User, kind: str, language: str) -> None:
    enqueue_with_data(account_email_send, user_id=user.pk, kind=kind, language=language)


@transaction.atomic
def volunteer_sign_up(*, email: str, password: str, language: str, consent_version: int) -> User | None:
    """Create an account and its applicant record with consent given, and send the confirmation
    link; or, when the address has an account already, mail its owner how to sign in. Returns the
    new account, or None.

    Both ways hash the password and queue one mail, so neither the answer nor its timing tells a
    stranger whether the address has an account.
    """
    users = get_user_model().objects
    existing = users.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = users.create_user(email=email, password=password)
        except IntegrityError:  # the same address signed up a moment ago, in another request
            existing = users.get(email__iexact=email)
    if existing is not None:
        make_password(password)
        _queue_account_email(existing, "exists", language)
        logger.info("Sign-up for an existing account (user id %s): told by mail.", existing.pk)
        return None
    VolunteerProfile.objects.create(
        user=user,
        preferred_language=language if language in VolunteerProfile.Language.values else "th",
        consent_version=consent_version,
        consented_at=timezone.now(),
    )
    _queue_account_email(user, "confirm", language)
    logger.info("Volunteer account created (user id %s).", user.pk)
    return user


@transaction.atomic
def volunteer_consent_record(*, user: User, version: int) -> VolunteerProfile:
    """Record consent to a version of the privacy notice (creating the record if the account has none)."""
    profile, _created = VolunteerProfile.objects.get_or_create(user=user)
    profile.consent_version = version
    profile.consented_at = timezone.now()
    profile.save(update_fields=["consent_version", "consented_at", "updated_at"])
    return profile


@transaction.atomic
def email_confirm(*, user: User) -> bool:
    """Mark the address confirmed; True when it was not confirmed before.

    The listeners (certificates for completions made before) run in the same transaction. The
    account row is locked, so a completion recorded at the same moment is either seen here or sees
    the address confirmed.
    """
    locked = get_user_model().objects.select_for_update().get(pk=user.pk)
    if locked.email_confirmed_at is not None:
        user.email_confirmed_at = locked.email_confirmed_at
        return False
    user.email_confirmed_at = locked.email_confirmed_at = timezone.now()
    locked.save(update_fields=["email_confirmed_at"])
    notify_email_confirmed(user=locked)
    email_confirmed_notify(user_id=locked.pk)
    return True


def email_confirmation_resend(*, user: User, language: str) -> None:
    if user.email_confirmed_at is None:
        account_email_send.enqueue(user_id=user.pk, kind="confirm", language=language)


@transaction.atomic
def volunteer_profile_update(
    *, profile: VolunteerProfile, data: dict, new_organization_name: str = ""
) -> VolunteerProfile:
    """Save a volunteer's own edits; a newly named organisation waits for staff confirmation."""
    editable = {
        "title",
        "given_name_th",
        "family_name_th",
        "given_name_en",
        "family_name_en",
        "country",
        "city",
        "organization",
        "organization_role",
        "phone",
        "preferred_language",
        "time_zone",
        "share_contact_with_leaders",
    }
    organization_before = profile.organization_id
    for name, value in data.items():
        if name in editable:
            setattr(profile, name, value)
    new_organization_name = new_organization_name.strip()
    if new_organization_name and profile.organization is None:
        organization = organization_by_name(new_organization_name)
        if organization is None:
            organization = Organization.objects.create(
                name_th=new_organization_name,
                country=profile.country,
                city=profile.city,
                is_confirmed=False,
            )
        profile.organization = organization
    if profile.organization_id != organization_before:
        membership_request_reset(profile)
    profile.save()
    if profile.organization_id != organization_before:
        endorsement_ask(profile)
    return profile


class RegistrationRequirementsMissing(ValueError):
    """The applicant has not met every registration requirement and staff gave no reason to override."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(
            _("Not yet done: %(missing)s. Give a reason to register anyway.")
            % {"missing": "; ".join(missing)}
        )


@transaction.atomic
def volunteer_register(*, profile: VolunteerProfile, actor: User, override_reason: str = "") -> bool:
    """Register an applicant (or re-activate) as a volunteer; True when the status changed.

    The number is assigned once and kept for life, also when the volunteer becomes inactive and
    is registered again. Someone who misses a registration requirement (`volunteers.registration`)
    is registered only with an override reason, which the audit log keeps.
    """
    profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.status == VolunteerProfile.Status.REGISTERED or profile.erased_at is not None:
        return False
    missing = registration_missing(profile)
    override_reason = override_reason.strip()
    if missing and not override_reason:
        raise RegistrationRequirementsMissing(missing)
    now = timezone.now()
    if not profile.volunteer_number:
        profile.volunteer_number = VolunteerNumberSequence.next_label(
            moment=now, prefix=VOLUNTEER_NUMBER_PREFIX
        )
    profile.status = VolunteerProfile.Status.REGISTERED
    profile.registered_at, profile.registered_by = now, actor
    profile.status_changed_at, profile.status_changed_by = now, actor
    profile.save()
    data = {"volunteer_number": profile.volunteer_number}
    if missing:
        data.update(override_reason=override_reason, missing=missing)
    log(profile, "volunteers.register", user=actor, data=data)
    volunteer_registered_notify(
        user_id=profile.user_id, volunteer_number=profile.volunteer_number, missing=missing
    )
    return True


@transaction.atomic
def volunteer_mark_inactive(*, profile: VolunteerProfile, actor: User) -> bool:
    """Mark a volunteer (or applicant) inactive; True when the status changed."""
    profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.status == VolunteerProfile.Status.INACTIVE:
        return False
    profile.status = VolunteerProfile.Status.INACTIVE
    profile.status_changed_at, profile.status_changed_by = timezone.now(), actor
    profile.save()
    log(profile, "volunteers.mark_inactive", user=actor)
    return True


@transaction.atomic
def volunteer_erasure_request(*, user: User) -> VolunteerProfile:
    """Record that the person asked for their data to be erased; staff carry it out."""
    profile, _created = VolunteerProfile.objects.get_or_create(user=user)
    if profile.erasure_requested_at is None:
        profile.erasure_requested_at = timezone.now()
        profile.save(update_fields=["erasure_requested_at", "updated_at"])
        log(profile, "volunteers.erasure_request", user=user)
    return profile


def person_identifiers(user: User) -> list[str]:
    """The strings that identify the person: email, names (each part and whole) and phone."""
    values = [user.email, user.first_name, user.last_name, user.get_full_name()]
    profile = VolunteerProfile.objects.filter(user=user).first()
    if profile is not None:
        values += [
            profile.given_name_th,
            profile.family_name_th,
            profile.given_name_en,
            profile.family_name_en,
            profile.phone,
            profile.display_name,
            f"{profile.given_name_th} {profile.family_name_th}",
            f"{profile.given_name_en} {profile.family_name_en}",
        ]
    return sorted({value.strip() for value in values if value and value.strip()}, key=len, reverse=True)


@transaction.atomic
def volunteer_erase(*, user: User, actor: User | None, logged: bool = True) -> None:
    """Remove or anonymise everything the platform holds about the person, in every app.

    The account row stays (anonymised and unusable) so that records other people made keep their
    shape; each app's privacy provider clears its own tables. The erasure is written to the erasure
    log first (`logged`; a replay after a restore passes False), in the same transaction.
    """
    if logged:
        erasure_record(user)
    identifiers = person_identifiers(user)
    for provider in privacy_providers():
        provider.erase(user, identifiers)
    profile = VolunteerProfile.objects.filter(user=user).first()
    if profile is not None:
        log(profile, "volunteers.erase", user=actor)
    logger.info("Personal data erased (user id %s).", user.pk)


def user_data_export(*, user: User) -> dict:
    """Everything the platform holds about the person, one section per privacy provider."""
    return {
        "exported_at": timezone.now().isoformat(),
        "data": {provider.label: provider.export(user) for provider in privacy_providers()},
    }


# --- Bulk import -----------------------------------------------------------------------------

IMPORT_REQUIRED_COLUMNS = ["email", "given_name_th", "family_name_th"]
IMPORT_OPTIONAL_COLUMNS = [
    "title",
    "given_name_en",
    "family_name_en",
    "country",
    "city",
    "organization",
    "organization_role",
    "phone",
    "preferred_language",
]
IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 5000


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing was imported."""


@dataclass
class ImportRowOutcome:
    line: int
    email: str
    outcome: str  # "created", "updated" or "rejected"
    reasons: list[str] = field(default_factory=list)


def _import_rows(raw: bytes) -> list[dict[str, str]]:
    if not raw.strip():
        raise ImportFileError(_("The file is empty."))
    if len(raw) > IMPORT_MAX_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB. Split it into smaller files."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
        ) from error
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV text file."))
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [name.strip() for name in (reader.fieldnames or [])]
        missing = [name for name in IMPORT_REQUIRED_COLUMNS if name not in header]
        if missing:
            raise ImportFileError(
                _("The first line must name the columns; missing: %(columns)s.")
                % {"columns": ", ".join(missing)}
            )
        reader.fieldnames = header
        rows = []
        for row in reader:
            if None in row:
                raise ImportFileError(
                    _("Line %(line)d has more values than there are columns.") % {"line": reader.line_num}
                )
            rows.append({key: (value or "").strip() for key, value in row.items()})
            if len(rows) > IMPORT_MAX_ROWS:
                raise ImportFileError(_("The file has more than 5000 rows. Split it into smaller files."))
    except csv.Error as error:
        raise ImportFileError(_("The file is not valid CSV.")) from error
    if not rows:
        raise ImportFileError(_("The file has no rows below the column names."))
    return rows


def _import_max_length(column: str) -> int:
    """The longest value the column's database field holds (PostgreSQL refuses longer ones)."""
    if column == "email":
        return get_user_model()._meta.get_field("email").max_length
    if column == "organization":
        return Organization._meta.get_field("name_th").max_length
    return VolunteerProfile._meta.get_field(column).max_length


def _validate_import_row(row: dict[str, str]) -> list[str]:
    reasons = []
    try:
        validate_email(row["email"])
    except ValidationError:
        reasons.append(_("The email address is not valid."))
    if not row["given_name_th"] or not row["family_name_th"]:
        reasons.append(_("The Thai given name and family name are required."))
    if row.get("country") and country_name(row["country"].upper(), "en") == row["country"].upper():
        reasons.append(_("The country must be a two-letter ISO 3166 code, such as NO."))
    if row.get("title") and row["title"].lower() not in VolunteerProfile.Title.values:
        reasons.append(_("The title must be one of: mr, mrs, ms, dr, other."))
    if row.get("preferred_language") and row["preferred_language"] not in VolunteerProfile.Language.values:
        reasons.append(_("The preferred language must be th or en."))
    too_long = [
        name
        for name in IMPORT_OPTIONAL_COLUMNS + IMPORT_REQUIRED_COLUMNS
        if len(row.get(name, "")) > _import_max_length(name)
    ]
    if too_long:
        reasons.append(_("Too long: %(columns)s.") % {"columns": ", ".join(too_long)})
    return reasons


IMPORT_REFUSED_ROWS_SHOWN = 20


def _import_refuse_foreign_rows(rows: list[dict[str, str]], countries: frozenset[str]) -> None:
    """A country coordinator imports only people of their countries: a row of another country, or
    without one, or naming someone already on the register in another country, refuses the whole
    file (ImportFileError, with each such row's number and reason), so nothing of it is written."""
    emails = {row["email"].strip().lower() for row in rows}
    elsewhere = set(
        VolunteerProfile.objects.annotate(email=Lower("user__email"))
        .filter(email__in=emails)
        .exclude(country__in=countries)
        .values_list("email", flat=True)
    )
    refused = []
    for line, row in enumerate(rows, start=2):
        country = row.get("country", "").strip().upper()
        if not country:
            reason = _("no country; you may import only people of your countries")
        elif country not in countries:
            reason = _("%(country)s is not one of your countries") % {"country": country_name(country)}
        elif row["email"].strip().lower() in elsewhere:
            reason = _("this email address is of a person you do not look after")
        else:
            continue
        refused.append(_("row %(line)d: %(reason)s") % {"line": line, "reason": reason})
    if refused:
        shown = "; ".join(refused[:IMPORT_REFUSED_ROWS_SHOWN])
        if len(refused) > IMPORT_REFUSED_ROWS_SHOWN:
            shown += " " + _("(and %(count)d more)") % {"count": len(refused) - IMPORT_REFUSED_ROWS_SHOWN}
        raise ImportFileError(_("Some rows are not of your countries: %(rows)s.") % {"rows": shown})


@transaction.atomic
def volunteers_import_csv(
    *, raw: bytes, actor: User, countries: frozenset[str] | None = None
) -> list[ImportRowOutcome]:
    """Import applicants from a CSV file: new people are invited, known emails are updated.

    The whole file is read and checked before anything is written, so a broken file changes
    nothing; a bad row is rejected with its reasons while the good rows are imported. A country
    coordinator (`countries`, from volunteers.coordinators.countries_of) may import only people of
    those countries; any other row refuses the whole file.
    """
    rows = _import_rows(raw)
    if countries is not None:
        _import_refuse_foreign_rows(rows, countries)
    outcomes: list[ImportRowOutcome] = []
    seen: set[str] = set()
    User = get_user_model()
    for line, row in enumerate(rows, start=2):
        email = row["email"].lower()
        reasons = _validate_import_row(row)
        if email in seen:
            reasons.append(_("This email address appears earlier in the file."))
        if reasons:
            outcomes.append(ImportRowOutcome(line, row["email"], "rejected", reasons))
            continue
        seen.add(email)
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(email=email, password=None)
        profile, _profile_created = VolunteerProfile.objects.get_or_create(user=user)
        if profile.erased_at is not None:
            outcomes.append(
                ImportRowOutcome(line, row["email"], "rejected", [_("This person's data was erased.")])
            )
            continue
        profile.given_name_th, profile.family_name_th = row["given_name_th"], row["family_name_th"]
        for name in ("given_name_en", "family_name_en", "city", "organization_role", "phone"):
            if row.get(name):
                setattr(profile, name, row[name])
        if row.get("title"):
            profile.title = row["title"].lower()
        if row.get("country"):
            profile.country = row["country"].upper()
        if row.get("preferred_language"):
            profile.preferred_language = row["preferred_language"]
        if row.get("organization"):
            organization = organization_by_name(row["organization"])
            if organization is None:
                organization = Organization.objects.create(
                    name_th=row["organization"], country=profile.country, is_confirmed=False
                )
            profile.organization = organization
        profile.save()
        log(profile, "volunteers.import", user=actor)
        if created:
            _queue_account_email(user, "invite", profile.preferred_language)
        outcomes.append(ImportRowOutcome(line, row["email"], "created" if created else "updated"))
    logger.info(
        "Volunteer import: %d rows, %d rejected.",
        len(outcomes),
        sum(1 for outcome in outcomes if outcome.outcome == "rejected"),
    )
    return outcomes


def erased_email() -> str:
    return f"erased-{uuid.uuid4().hex}{ERASED_DOMAIN}"


# --- Two-step verification for the admin --------------------------------------------------------

TWO_FACTOR_DEVICE_NAME = "authenticator app"
# A device being set up keeps its secret across reloads for this long, then a new one is made.
TWO_FACTOR_SETUP_SECONDS = 30 * 60
TWO_FACTOR_RECOVERY_NAME = "recovery codes"
TWO_FACTOR_RECOVERY_CODES = 10
# How long the code mailed before setting up an app works.
TWO_FACTOR_MAILBOX_CODE_SECONDS = 10 * 60


@transaction.atomic
def two_factor_device_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator app the person is setting up, made with a new secret if needed.

    The same secret is shown again on a reload (the person may have scanned it already), but not
    after `TWO_FACTOR_SETUP_SECONDS`, so a secret left on a screen does not stay usable for long.
    """
    pending = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk")
    fresh_since = timezone.now() - timedelta(seconds=TWO_FACTOR_SETUP_SECONDS)
    device = pending.filter(created_at__gte=fresh_since).first()
    if device is None:
        pending.delete()
        device = TOTPDevice.objects.create(user=user, name=TWO_FACTOR_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def two_factor_device_confirm(*, device: TOTPDevice, code: str) -> bool:
    """Confirm a device being set up with a code from it; it replaces the person's other devices.

    A wrong code counts towards django-otp's throttling of the device, like a wrong sign-in code.
    """
    locked = TOTPDevice.objects.select_for_update().filter(pk=device.pk, confirmed=False).first()
    if locked is None or not locked.verify_token(code):
        return False
    locked.confirmed = True
    locked.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=locked.user_id).exclude(pk=locked.pk).delete()
    log(locked.user, "volunteers.two_factor_on", user=locked.user)
    logger.info("Two-step verification set up (user id %s).", locked.user_id)
    device.refresh_from_db()
    return True


@transaction.atomic
def two_factor_recovery_codes_issue(*, user: User) -> list[str]:
    """New recovery codes for the person, each good for one sign-in without the app; the old ones
    stop working. The plain codes are returned to be shown once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=TWO_FACTOR_RECOVERY_NAME, confirmed=True)
    codes = []
    while len(codes) < TWO_FACTOR_RECOVERY_CODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    # Stored as keyed digests only (volunteers.recovery_codes): the plain codes are shown once.
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=recovery_code_digest(code)) for code in codes
    )
    return codes


@transaction.atomic
def two_factor_recovery_code_verify(*, device: StaticDevice, code: str) -> bool:
    """Check a recovery code (throttled by django-otp); a right one is used up."""
    locked = StaticDevice.objects.select_for_update().filter(pk=device.pk, confirmed=True).first()
    verified = locked is not None and locked.verify_token(recovery_code_digest(code))
    device.refresh_from_db()
    if verified:
        logger.info("A recovery code was used to sign in (user id %s).", device.user_id)
    return verified


def two_factor_mailbox_code_send(*, user: User, code: str, language: str) -> None:
    """Mail the code that proves the person reads the account's mailbox before setting up an app."""
    with translation.override(language):
        context = {"code": code, "minutes": TWO_FACTOR_MAILBOX_CODE_SECONDS // 60}
        subject = render_to_string("volunteers/email/two_factor_code_subject.txt", context).strip()
        body = render_to_string("volunteers/email/two_factor_code.txt", context)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def two_factor_code_verify(*, device: TOTPDevice, code: str) -> bool:
    """Check a sign-in code against the person's confirmed device (throttled by django-otp).

    The row is locked, so two requests cannot both use one code or both escape the throttle.
    """
    locked = TOTPDevice.objects.select_for_update().filter(pk=device.pk, confirmed=True).first()
    verified = locked is not None and locked.verify_token(code)
    device.refresh_from_db()
    return verified


@transaction.atomic
def two_factor_devices_remove(*, user: User, actor: User | None) -> int:
    """Remove the person's authenticator apps (turned off, or the phone was lost); the number removed.

    `actor` is None when an operator does it from the command line.
    """
    removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    if removed:
        log(user, "volunteers.two_factor_off", user=actor)
        logger.info(
            "Two-step verification removed (user id %s, by %s).",
            user.pk,
            f"user id {actor.pk}" if actor else "an operator",
        )
    return removed
