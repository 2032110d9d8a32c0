"""Certificate business rules: issue exactly once, revoke, re-issue, withdraw, store the PDF."""

import datetime
import hashlib
import logging
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from certificates import credentials, openbadges
from certificates.keys import current_issuer_key, signing_key
from certificates.models import Certificate, CertificateSerialSequence, CertificateTemplate
from certificates.notices import (
    certificate_issued_notify,
    certificate_renewed_notify,
    certificate_replaced_notify,
    certificate_revoked_notify,
)
from certificates.pdf import PrintedCertificate, render_certificate_pdf
from certificates.selectors import verify_page_cache_key
from training.dates import issuer_zone, local_date
from training.queue import enqueue_with_data

logger = logging.getLogger(__name__)

SERIAL_PREFIX = "MSDHS"
VALIDITY_FROM_COURSE = object()  # certificate_issue's default: the course's validity period decides


class CertificateError(Exception):
    """A certificate action that cannot be done; the message is shown to staff."""


def verify_url(certificate: Certificate) -> str:
    return f"{settings.SITE_URL}/verify/{certificate.grouped_token}/"


def credential_url(certificate: Certificate) -> str:
    return f"{settings.SITE_URL}/verify/{certificate.token}.json"


def status_list_url() -> str:
    return f"{settings.SITE_URL}/certificates/status/revocation.json"


def issuer_info() -> openbadges.IssuerInfo:
    return openbadges.IssuerInfo(
        profile_url=f"{settings.SITE_URL}/certificates/issuer.json",
        site_url=settings.SITE_URL,
        name_th=settings.CERTIFICATE_ISSUER_NAME_TH,
        name_en=settings.CERTIFICATE_ISSUER_NAME_EN,
    )


def _holder_names(volunteer) -> tuple[str, str]:
    """Names as they will be printed: Thai with its title prefix (นางสาวกานติมน ...), and the passport
    spelling with the English title (Ms Kantimon ...)."""
    profile = getattr(volunteer, "volunteer_profile", None)
    if profile is None:
        return volunteer.get_full_name().strip() or volunteer.email, ""
    thai = " ".join(part for part in (profile.given_name_th, profile.family_name_th) if part)
    latin = " ".join(part for part in (profile.given_name_en, profile.family_name_en) if part)
    if profile.title and profile.title != profile.Title.OTHER:
        with translation.override("th"):
            thai = f"{profile.get_title_display()}{thai}" if thai else thai
        with translation.override("en"):
            latin = f"{profile.get_title_display()} {latin}" if latin else latin
    return thai or latin or volunteer.get_full_name(), latin


def _course_titles(course) -> tuple[str, str]:
    english = course.get_translations().filter(locale__language_code="en").live().first()
    return course.title, english.title if english else ""


def _titles_by_language(course) -> dict[str, str]:
    return dict(zip(("th", "en"), _course_titles(course), strict=True))


def template_for(course) -> CertificateTemplate | None:
    own = (
        CertificateTemplate.objects.filter(course=course)
        .select_related("signature_image", "logo_image")
        .first()
    )
    return own or CertificateTemplate.objects.filter(course__isnull=True).order_by("pk").first()


def printed_certificate(certificate: Certificate) -> PrintedCertificate:
    """What the PDF shows, rebuilt from the certificate's snapshot alone."""
    snapshot = certificate.snapshot
    images = {}
    for key in ("signature_image", "logo_image"):
        image_id = snapshot.get(f"{key}_id")
        images[key] = _image_bytes(image_id) if image_id else None
    return PrintedCertificate(
        serial=certificate.serial,
        verify_url=verify_url(certificate),
        holder_name_th=certificate.holder_name_th,
        holder_name_en=certificate.holder_name_en,
        course_title_th=certificate.course_title_th,
        course_title_en=certificate.course_title_en,
        issued_on=datetime.date.fromisoformat(snapshot["issued_on"]),
        valid_until_on=(
            datetime.date.fromisoformat(snapshot["valid_until_on"])
            if snapshot.get("valid_until_on")
            else None
        ),
        signatory_name=snapshot.get("signatory_name", ""),
        signatory_title=snapshot.get("signatory_title", ""),
        issuer_name_th=snapshot.get("issuer_name_th", settings.CERTIFICATE_ISSUER_NAME_TH),
        issuer_name_en=snapshot.get("issuer_name_en", settings.CERTIFICATE_ISSUER_NAME_EN),
        signature_image=images["signature_image"],
        logo_image=images["logo_image"],
    )


def _image_bytes(image_id: int) -> bytes | None:
    from wagtail.images import get_image_model

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return None
    try:
        with image.open_file() as handle:
            return handle.read()
    except OSError:
        logger.warning("Certificate image %s could not be read", image_id)
        return None


def _sign_credential(certificate: Certificate) -> dict:
    key_record = current_issuer_key()
    facts = openbadges.CompletionFacts(
        credential_url=credential_url(certificate),
        verify_url=verify_url(certificate),
        achievement_url=f"{settings.SITE_URL}{certificate.course.get_url() if certificate.course else '/'}",
        course_title_th=certificate.course_title_th,
        course_title_en=certificate.course_title_en,
        course_summary=certificate.snapshot.get("course_summary", ""),
        recipient_email=certificate.volunteer.email,
        recipient_salt=certificate.recipient_salt,
        issued_at=certificate.issued_at,
        valid_until=certificate.valid_until,
        status_list_url=status_list_url(),
        status_index=certificate.status_index,
    )
    document = openbadges.completion_credential(issuer_info(), facts)
    signed = credentials.sign(
        document,
        signing_key(),
        verification_method=f"{issuer_info().profile_url}#{key_record.key_id}",
        created=openbadges.iso_utc(certificate.issued_at),
    )
    signed["proof"] = [signed["proof"]]
    return signed


def status_index_allocate(*, attempts: int = 16) -> int:
    """A free slot of the revocation list, chosen uniformly at random among the free ones.

    The slot's uniqueness is the database's (a unique constraint), so two issues at the same moment
    that draw the same slot cannot both keep it: certificate_issue draws again when it loses.
    """
    capacity = credentials.status_list_capacity(Certificate.objects.count())
    for _attempt in range(attempts):
        candidates = {secrets.randbelow(capacity) for _ in range(8)}
        taken = set(
            Certificate.objects.filter(status_list_index__in=candidates).values_list(
                "status_list_index", flat=True
            )
        )
        free = sorted(candidates - taken)
        if free:
            return free[secrets.randbelow(len(free))]
    raise CertificateError(_("No free slot was found in the certificate status list; try again."))


def _schedule_pdf_store(certificate: Certificate) -> None:
    from certificates.tasks import certificate_pdf_store_task

    enqueue_with_data(certificate_pdf_store_task, certificate.pk)


@transaction.atomic
def certificate_issue(
    *,
    volunteer,
    course,
    completed_at: datetime.datetime | None = None,
    actor=None,
    reason: str = "",
    notice: bool = True,
    renews: Certificate | None = None,
    refresher=None,
    valid_until: datetime.datetime | object | None = VALIDITY_FROM_COURSE,
) -> Certificate | None:
    """Issue the volunteer's certificate for a course, exactly once.

    Returns the valid certificate (a new one, or the one that already exists), or None when the
    course issues no certificate. A database constraint allows one valid certificate per volunteer
    and course, so concurrent completions end with one. Staff pass ``actor`` and ``reason`` for a
    completion recorded outside the platform. The volunteer is told (after the commit) that the
    course is completed and the certificate ready, unless ``notice`` is off (a re-issue tells them
    of the replacement instead). A course with a validity period gives the certificate its
    ``valid_until`` from ``completed_at``, so a completion recorded late (or the demo's backdated
    one) expires as the real one would. certificate_renew passes ``renews`` (the certificate renewed,
    whose serial it records) and ``refresher`` (whose titles the snapshot keeps). A re-issue passes the old
    certificate's ``valid_until``: correcting a name does not extend a qualification.
    """
    if not course.issues_certificate and actor is None:
        return None
    if volunteer.email_confirmed_at is None:
        # The credential's identityHash claims the email: only a confirmed one is certified. A
        # completion waits and is issued when the address is confirmed (issue_on_email_confirmed).
        if actor is not None:
            raise CertificateError(
                _("This volunteer has not confirmed their email address yet; ask them to confirm it first.")
            )
        return None
    existing = Certificate.objects.filter(
        volunteer=volunteer, course=course, status=Certificate.Status.VALID
    ).first()
    if existing and actor is not None and existing.is_expired():
        # Staff record a renewal done outside the platform (a classroom refresher, say).
        return certificate_renew(certificate=existing, completed_at=completed_at, actor=actor, reason=reason)
    if existing:
        return existing
    issued_at = completed_at or timezone.now()
    if valid_until is VALIDITY_FROM_COURSE:
        valid_until = course.certificate_valid_until(issued_at)
    template = template_for(course)
    holder_th, holder_en = _holder_names(volunteer)
    title_th, title_en = _course_titles(course)
    for _attempt in range(5):
        try:
            with transaction.atomic():  # a savepoint: losing a race must not break the caller's transaction
                certificate = Certificate.objects.create(
                    volunteer=volunteer,
                    status_list_index=status_index_allocate(),
                    course=course,
                    serial=CertificateSerialSequence.next_label(moment=issued_at, prefix=SERIAL_PREFIX),
                    issued_at=issued_at,
                    valid_until=valid_until,
                    renews_serial=renews.serial if renews is not None else "",
                    issued_by=actor,
                    manual_reason=reason,
                    holder_name_th=holder_th,
                    holder_name_en=holder_en,
                    course_title_th=title_th,
                    course_title_en=title_en,
                    template_version=template.version_label if template else "",
                    snapshot={
                        "issued_on": issued_at.astimezone(ZoneInfo(settings.DISPLAY_TIME_ZONE))
                        .date()
                        .isoformat(),
                        "course_summary": getattr(course, "summary", ""),
                        "signatory_name": template.signatory_name if template else "",
                        "signatory_title": template.signatory_title if template else "",
                        "signature_image_id": template.signature_image_id if template else None,
                        "logo_image_id": template.logo_image_id if template else None,
                        "issuer_name_th": settings.CERTIFICATE_ISSUER_NAME_TH,
                        "issuer_name_en": settings.CERTIFICATE_ISSUER_NAME_EN,
                        **(
                            {"valid_until_on": local_date(valid_until, issuer_zone()).isoformat()}
                            if valid_until
                            else {}
                        ),
                        **({"refresher_title": _titles_by_language(refresher)} if refresher else {}),
                    },
                )
        except IntegrityError:
            # Another request issued it first (the constraint kept it to one), or took the same
            # status list slot at the same moment: then draw another.
            existing = Certificate.objects.filter(
                volunteer=volunteer, course=course, status=Certificate.Status.VALID
            ).first()
            if existing:
                return existing
            continue
        break
    else:
        raise CertificateError(_("The certificate could not be issued; try again."))
    certificate.credential = _sign_credential(certificate)
    certificate.save(update_fields=["credential"])
    action = "certificates.issue_manual" if actor else "certificates.issue"
    log(
        certificate,
        action,
        user=actor,
        data={"serial": certificate.serial, "reason": reason} if reason else {},
    )
    _schedule_pdf_store(certificate)
    if notice:
        certificate_issued_notify(certificate, completed=actor is None)
    return certificate


def issue_on_completion(*, volunteer, course, completed_at: datetime.datetime) -> None:
    """The completion listener: courses call it inside the transaction that records a completion.

    An address not yet confirmed gets no certificate now; the completion stays pending until the
    confirmation (the account row is locked, as the confirmation locks it, so neither misses the other).
    """
    volunteer.email_confirmed_at = (
        get_user_model()
        .objects.select_for_update()
        .values_list("email_confirmed_at", flat=True)
        .get(pk=volunteer.pk)
    )
    certificate_for_completion(volunteer=volunteer, course=course, completed_at=completed_at)


def certificates_renewed_by(*, volunteer, refresher) -> list[Certificate]:
    """The volunteer's valid certificates (expired or not) of the courses that name `refresher` as
    their refresher course: what completing it renews."""
    return list(
        Certificate.objects.filter(
            volunteer=volunteer,
            status=Certificate.Status.VALID,
            course__refresher_course=refresher,
            course__issues_certificate=True,
        )
        .select_related("course", "volunteer")
        .order_by("issued_at", "pk")
    )


def certificate_for_completion(*, volunteer, course, completed_at: datetime.datetime) -> list[Certificate]:
    """What a completion earns: the renewal of every certificate whose course names this course as
    its refresher, or else (nothing to renew) this course's own certificate, if it issues one.

    A refresher completed by someone who holds no certificate to renew is an ordinary course: it
    issues its own certificate (when it issues certificates). Someone who does hold one gets the
    renewed certificate of the original course instead, not a second one of the refresher.
    """
    if volunteer.email_confirmed_at is None:
        return []  # issued when the address is confirmed (issue_on_email_confirmed)
    renewable = certificates_renewed_by(volunteer=volunteer, refresher=course)
    if renewable:
        return [
            certificate_renew(certificate=certificate, refresher=course, completed_at=completed_at)
            for certificate in renewable
        ]
    certificate = certificate_issue(volunteer=volunteer, course=course, completed_at=completed_at)
    return [certificate] if certificate else []


@transaction.atomic
def certificate_renew(
    *,
    certificate: Certificate,
    completed_at: datetime.datetime | None,
    refresher=None,
    actor=None,
    reason: str = "",
) -> Certificate:
    """Renew a certificate because its holder completed the course's refresher course, or (with
    ``actor`` and ``reason``, no refresher) because staff issue it again manually once it expired.

    The new certificate is of the ORIGINAL course (its title, its validity period counted from the
    refresher's completion), records the serial it renews (`renews_serial`) and keeps the
    refresher's titles in its snapshot; the old one becomes superseded by it in the same
    transaction, so there is never a moment with two valid certificates, or none, for the course.
    An expired certificate is renewed the same way as one still valid (renewing early starts the
    new period at once).
    """
    old = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("course", "volunteer")
        .get(pk=certificate.pk)
    )
    if old.status != Certificate.Status.VALID or old.course is None:
        raise CertificateError(_("Only a valid certificate of an existing course can be renewed."))
    old.status = Certificate.Status.REVOKED  # frees the one-valid slot for the renewal
    old.save(update_fields=["status"])
    new = certificate_issue(
        volunteer=old.volunteer,
        course=old.course,
        completed_at=completed_at,
        actor=actor,
        reason=reason,
        notice=False,
        renews=old,
        refresher=refresher,
    )
    if new is None:
        raise CertificateError(_("The renewed certificate could not be issued."))
    old.status = Certificate.Status.SUPERSEDED
    old.superseded_by = new
    old.status_changed_at, old.status_changed_by = timezone.now(), actor
    old.save(update_fields=["status", "superseded_by", "status_changed_at", "status_changed_by"])
    log(
        old,
        "certificates.renew",
        user=actor,
        data={
            "serial": old.serial,
            "new_serial": new.serial,
            **({"refresher": refresher.title} if refresher is not None else {"reason": reason}),
        },
    )
    if refresher is not None:
        certificate_renewed_notify(old, new)
    else:
        certificate_issued_notify(new, completed=False)
    return new


@transaction.atomic
def issue_on_email_confirmed(*, user) -> list[Certificate]:
    """The confirmation listener: issue what completions earned before the address was confirmed.

    Idempotent: a course with any certificate for this person (valid, revoked or replaced) is left
    alone, and certificate_issue itself issues at most one valid certificate per course.
    """
    from courses.learning.models import CourseCompletion

    issued = []
    pending = (
        CourseCompletion.objects.filter(volunteer=user, course__issues_certificate=True)
        .exclude(course__certificates__volunteer=user)
        .select_related("course")
        .order_by("completed_at")
    )
    for completion in pending:
        issued.extend(
            certificate_for_completion(
                volunteer=user, course=completion.course, completed_at=completion.completed_at
            )
        )
    return issued


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    return render_certificate_pdf(printed_certificate(certificate))


def certificate_pdf_store(*, certificate: Certificate) -> bool:
    """Render and store the PDF with its SHA-256; False (and nothing stored) when storage fails."""
    if certificate.pdf or certificate.status == Certificate.Status.WITHDRAWN:
        return bool(certificate.pdf)
    data = certificate_pdf_bytes(certificate)
    try:
        certificate.pdf.save(f"{certificate.serial}.pdf", ContentFile(data), save=False)
    except Exception as error:  # any storage failure: the PDF is rendered on demand meanwhile
        logger.warning("Storing the PDF of certificate %s failed: %s", certificate.pk, type(error).__name__)
        certificate.pdf = ""
        return False
    certificate.pdf_sha256 = hashlib.sha256(data).hexdigest()
    Certificate.objects.filter(pk=certificate.pk).update(
        pdf=certificate.pdf.name, pdf_sha256=certificate.pdf_sha256
    )
    return True


def certificates_render_pending() -> tuple[int, int]:
    """Store every missing PDF; returns (stored, failed)."""
    stored = failed = 0
    pending = Certificate.objects.filter(pdf="").exclude(status=Certificate.Status.WITHDRAWN)
    for certificate in pending.select_related("volunteer").iterator():
        if certificate_pdf_store(certificate=certificate):
            stored += 1
        else:
            failed += 1
    return stored, failed


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    reason = reason.strip()
    if not reason:
        raise CertificateError(_("A reason is required to revoke a certificate."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != Certificate.Status.VALID:
        raise CertificateError(_("Only a valid certificate can be revoked."))
    certificate.status = Certificate.Status.REVOKED
    certificate.status_reason = reason
    certificate.status_changed_at, certificate.status_changed_by = timezone.now(), actor
    certificate.save(update_fields=["status", "status_reason", "status_changed_at", "status_changed_by"])
    log(certificate, "certificates.revoke", user=actor, data={"serial": certificate.serial, "reason": reason})
    certificate_revoked_notify(certificate)
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """Issue a new certificate with the holder's current names; the old one becomes superseded."""
    reason = reason.strip()
    if not reason:
        raise CertificateError(_("A reason is required to re-issue a certificate."))
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if old.status != Certificate.Status.VALID:
        raise CertificateError(_("Only a valid certificate can be re-issued."))
    if old.course is None:
        raise CertificateError(_("The course of this certificate no longer exists."))
    old.status = Certificate.Status.REVOKED  # frees the one-valid slot for the replacement
    old.save(update_fields=["status"])
    new = certificate_issue(
        volunteer=old.volunteer,
        course=old.course,
        completed_at=old.issued_at,
        actor=actor,
        reason=reason,
        notice=False,
        valid_until=old.valid_until,
    )
    old.status = Certificate.Status.SUPERSEDED
    old.superseded_by = new
    old.status_reason = reason
    old.status_changed_at, old.status_changed_by = timezone.now(), actor
    old.save(
        update_fields=["status", "superseded_by", "status_reason", "status_changed_at", "status_changed_by"]
    )
    log(
        old,
        "certificates.reissue",
        user=actor,
        data={"serial": old.serial, "new_serial": new.serial, "reason": reason},
    )
    certificate_replaced_notify(old, new)
    return new


def verify_page_forget(certificate: Certificate) -> None:
    """Drop the cached public page now and again after the commit, so no request in between can
    leave the old page (with the holder's name) in the cache."""
    key = verify_page_cache_key(certificate.token)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def certificate_withdraw_for_erasure(*, volunteer) -> int:
    """Erasure: certificates stay verifiable only as 'withdrawn', with no name, credential or PDF."""
    count = 0
    for certificate in Certificate.objects.select_for_update().filter(volunteer=volunteer):
        verify_page_forget(certificate)
        if certificate.pdf:
            try:
                certificate.pdf.delete(save=False)
            except Exception as error:  # the row is anonymised regardless; a stray file is logged
                logger.warning(
                    "Deleting the PDF of certificate %s failed: %s", certificate.pk, type(error).__name__
                )
        certificate.pdf = ""
        certificate.pdf_sha256 = ""
        certificate.holder_name_th = certificate.holder_name_en = ""
        certificate.credential = None
        certificate.snapshot = {
            key: value for key, value in certificate.snapshot.items() if key == "issued_on"
        }
        if certificate.status == Certificate.Status.VALID:
            certificate.status = Certificate.Status.WITHDRAWN
            certificate.status_changed_at = timezone.now()
        certificate.status_reason = ""
        certificate.manual_reason = ""
        certificate.save()
        count += 1
    return count


def certificate_set_name_hidden(*, certificate: Certificate, hidden: bool) -> None:
    Certificate.objects.filter(pk=certificate.pk).update(name_hidden=hidden)


def pdf_matches(*, data: bytes) -> Certificate | None:
    """The certificate whose stored PDF has exactly these bytes, if any."""
    digest = hashlib.sha256(data).hexdigest()
    return Certificate.objects.filter(pdf_sha256=digest).select_related("volunteer").first()


def certificate_template_saved(*, template: CertificateTemplate, actor) -> CertificateTemplate:
    """Every save is a new version; certificates issued before keep printing the old one."""
    CertificateTemplate.objects.filter(pk=template.pk).update(version=models.F("version") + 1)
    template.refresh_from_db(fields=["version"])
    log(template, "certificates.template_saved", user=actor, data={"version": template.version})
    return template
