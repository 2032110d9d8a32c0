"""Certificates and what they are built from: templates, serial numbers and the signing keys.

A certificate snapshots everything it prints (names, course title, signatory) at issue, so later
edits to a profile, a course or a template never change a certificate already issued.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from training.sequences import YearlySequence
from training.storage import private_storage

BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def new_public_token() -> str:
    """128 random bits as 26 base32 characters (the last carries 3 bits)."""
    number = secrets.randbits(128)
    return "".join(BASE32_ALPHABET[(number >> (5 * i)) & 31] for i in range(25, -1, -1))


def new_recipient_salt() -> str:
    """The salt of the recipient's email hash in the credential: 128 random bits in hex."""
    return secrets.token_hex(16)


def group_token(token: str) -> str:
    """ABCD-EFGH-... : easier to read aloud and type from paper."""
    return "-".join(token[i : i + 4] for i in range(0, len(token), 4))


def normalise_token(text: str) -> str:
    return "".join(char for char in text.upper() if char in BASE32_ALPHABET)


class IssuerKey(models.Model):
    """A public key the issuer has signed credentials with, published for as long as they exist.

    Private keys never touch the database: the current one comes from the environment or a key
    file (see certificates.keys). Retired keys stay published so old credentials keep verifying.
    """

    number = models.PositiveIntegerField(_("number"), unique=True)
    public_key_multibase = models.CharField(_("public key (multibase)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("issuer key")
        verbose_name_plural = _("issuer keys")

    def __str__(self):
        return self.key_id

    @property
    def key_id(self) -> str:
        return f"key-{self.number}"


class CertificateTemplate(models.Model):
    """What staff can change on certificates: the signatory and the pictures.

    One template is the default; a course may have its own. Every save raises the version, and a
    certificate keeps a snapshot of the version it was printed with.
    """

    name = models.CharField(_("name"), max_length=120)
    course = models.OneToOneField(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="certificate_template",
        help_text=_("Leave empty for the default template used by every other course."),
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=200)
    signatory_title = models.CharField(_("signatory's title"), max_length=200)
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logo_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("organisation logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("course"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("signatory_name"), FieldPanel("signatory_title")]),
                FieldPanel("signature_image"),
            ],
            heading=_("Signatory"),
        ),
        FieldPanel("logo_image"),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(course__isnull=True), name="one_template_name_per_default"
            ),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    @property
    def version_label(self) -> str:
        return f"{self.pk}.{self.version}"


class CertificateSerialSequence(YearlySequence):
    """The last certificate serial handed out in a year."""

    class Meta:
        verbose_name = _("certificate serial sequence")


class Certificate(models.Model):
    """One course-completion certificate of one volunteer, and its life: valid until revoked,
    superseded by a re-issue, or withdrawn when the holder's data is erased."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    token = models.CharField(
        _("public token"), max_length=26, unique=True, default=new_public_token, editable=False
    )
    serial = models.CharField(_("serial"), max_length=24, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.VALID)
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    issued_at = models.DateTimeField(_("issued"))
    # Set at issue from the course's validity period; None: never expires. Expiry is not a status:
    # a valid certificate past this moment verifies as expired (see `public_status`), with no job
    # needed to flip it, and it keeps its slot until a renewal supersedes it.
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    # A renewal (its holder completed the course's refresher course) names the serial it renews;
    # the renewed certificate is superseded by this one. Empty for a first issue or a re-issue.
    renews_serial = models.CharField(_("renews certificate"), max_length=24, blank=True)
    # The last expiry notice its holder was sent: 60 or 14 (days before), 0 (expired); see
    # certificates.expiry. Keeps the hourly job from looking at certificates already dealt with.
    expiry_notified_days = models.PositiveSmallIntegerField(
        _("last expiry notice (days before)"), null=True, blank=True, editable=False
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued manually by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    manual_reason = models.TextField(_("reason for a manual issue"), blank=True)
    # What is printed, as issued. Names are also columns so staff can search them.
    holder_name_th = models.CharField(_("name in Thai, as printed"), max_length=250, blank=True)
    holder_name_en = models.CharField(_("name in Latin letters, as printed"), max_length=250, blank=True)
    course_title_th = models.CharField(_("course title in Thai, as printed"), max_length=255)
    course_title_en = models.CharField(_("course title in English, as printed"), max_length=255, blank=True)
    snapshot = models.JSONField(_("printed snapshot"), default=dict)
    template_version = models.CharField(_("template version"), max_length=20, blank=True)
    # In the private storage: served only by the permission-checked /certificates/<token>.pdf view.
    pdf = models.FileField(
        _("PDF"), upload_to="certificates/", storage=private_storage, blank=True, max_length=200
    )
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    credential = models.JSONField(_("signed credential"), null=True, blank=True)
    recipient_salt = models.CharField(max_length=32, default=new_recipient_salt, editable=False)
    # The certificate's bit in the revocation status list, drawn at random from the free slots so
    # it says nothing about how many certificates exist (certificates.services.status_index_allocate).
    status_list_index = models.PositiveIntegerField(_("status list index"), unique=True, editable=False)
    name_hidden = models.BooleanField(
        _("hide my name on the public page"),
        default=False,
        help_text=_("The verification page then shows the name masked."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "course"],
                condition=models.Q(status="valid"),
                name="one_valid_certificate_per_course",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="superseded") | models.Q(superseded_by__isnull=False),
                name="superseded_certificate_names_successor",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "issued_at"], name="certificate_status_idx"),
            models.Index(fields=["status", "valid_until"], name="certificate_expiry_idx"),
        ]

    def __str__(self):
        return self.serial

    @property
    def grouped_token(self) -> str:
        return group_token(self.token)

    @property
    def status_index(self) -> int:
        """The certificate's bit in the revocation status list."""
        return self.status_list_index

    @property
    def is_valid(self) -> bool:
        """Not revoked, replaced or withdrawn (it may still have expired: see `is_expired`)."""
        return self.status == self.Status.VALID

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        """Valid in status, but its validity period is over."""
        return (
            self.status == self.Status.VALID
            and self.valid_until is not None
            and (now or timezone.now()) > self.valid_until
        )

    @property
    def public_status(self) -> str:
        """What the certificate is worth now: "expired", or its status."""
        return PUBLIC_EXPIRED if self.is_expired() else self.status

    @property
    def refresher_titles(self) -> dict:
        """On a renewal: the titles of the refresher course whose completion issued it ("th", "en")."""
        return self.snapshot.get("refresher_title") or {}


PUBLIC_EXPIRED = "expired"
