"""People: the user account (email login), sessions, volunteer records and the privacy notice.
Organisations and their certification live in volunteers/organization_models.py; both are
imported from here."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.sessions.models import Session
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from training.dates import zone_for_country
from training.sequences import YearlySequence
from volunteers.countries import country_choices, time_zone_choices
from volunteers.organization_models import (  # noqa: F401 (the app's models, one import away)
    CertificationApplication,
    CertificationBoardMember,
    CertificationDocument,
    CertificationTransition,
    CoordinatorCountry,
    Organization,
    OrganizationLeader,
    certification_document_path,
)


class UserManager(DjangoUserManager):
    """Creates users keyed by email instead of a username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """An account on the platform: a volunteer, a trainer or a member of staff."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    email_confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.email


class AccountSession(models.Model):
    """Which account a stored session belongs to, so a person's own sessions are found (counted in
    their data export, ended on erasure) without decoding everyone else's. Recorded by
    `AccountSessionMiddleware` whenever a signed-in session gets a new key; goes with its session."""

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, primary_key=True, related_name="account"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("account session")
        verbose_name_plural = _("account sessions")

    def __str__(self):
        return str(self.user_id)


class VolunteerNumberSequence(YearlySequence):
    """The last volunteer number handed out in a year."""

    class Meta:
        verbose_name = _("volunteer number sequence")


class VolunteerProfile(models.Model):
    """A person's volunteer record: who they are, where they work, and where they are in registration.

    Status moves applicant -> registered -> inactive through `volunteers.services`; registration
    assigns the volunteer number.
    """

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        REGISTERED = "registered", _("Registered volunteer")
        INACTIVE = "inactive", pgettext_lazy("volunteer status", "Inactive")

    class Title(models.TextChoices):
        MR = "mr", _("Mr")
        MRS = "mrs", _("Mrs")
        MS = "ms", _("Ms")
        DR = "dr", _("Dr")
        OTHER = "other", _("Other")

    class Language(models.TextChoices):
        THAI = "th", "ไทย"
        ENGLISH = "en", "English"

    class Membership(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the leader to confirm")
        CONFIRMED = "confirmed", _("Confirmed by the leader")
        DECLINED = "declined", _("Declined by the leader")

    class Endorsement(models.TextChoices):
        NONE = "", _("Not decided")
        ENDORSED = "endorsed", _("Endorsed")
        DECLINED = "declined", _("Endorsement declined")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile"
    )
    title = models.CharField(
        pgettext_lazy("name prefix", "title"), max_length=10, choices=Title.choices, blank=True
    )
    given_name_th = models.CharField(_("given name (Thai)"), max_length=120, blank=True)
    family_name_th = models.CharField(_("family name (Thai)"), max_length=120, blank=True)
    given_name_en = models.CharField(_("given name (as in passport)"), max_length=120, blank=True)
    family_name_en = models.CharField(_("family name (as in passport)"), max_length=120, blank=True)
    country = models.CharField(_("country of residence"), max_length=2, choices=country_choices, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteers",
    )
    organization_role = models.CharField(_("role in the organisation"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The person's choice of organisation is a request until a leader of it confirms (or endorses).
    membership_status = models.CharField(
        _("membership"), max_length=10, choices=Membership.choices, default=Membership.REQUESTED
    )
    membership_decided_at = models.DateTimeField(_("membership decided"), null=True, blank=True)
    membership_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membership decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # An applicant's organisation leader endorses (or declines) the application before staff register.
    endorsement = models.CharField(
        _("endorsement"), max_length=10, choices=Endorsement.choices, default=Endorsement.NONE, blank=True
    )
    endorsement_at = models.DateTimeField(_("endorsement decided"), null=True, blank=True)
    endorsement_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("endorsement decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    endorsement_reason = models.TextField(_("reason for declining the endorsement"), blank=True)
    share_contact_with_leaders = models.BooleanField(
        _("Let my organisation's leaders see my phone number and email address"),
        default=False,
        help_text=_("Without this, your leaders see only your name, your status and your courses."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.THAI
    )
    # Empty: the usual zone of the country of residence (see `reader_time_zone`).
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=time_zone_choices,
        blank=True,
        help_text=_("Dates and times on your own pages are shown in this time zone."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLICANT)
    # NULL, not "", until registration: the unique constraint must allow many people without a number.
    volunteer_number = models.CharField(  # noqa: DJ001
        _("volunteer number"), max_length=20, null=True, blank=True
    )
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_version = models.PositiveIntegerField(_("privacy notice version consented to"), null=True)
    consented_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    erasure_requested_at = models.DateTimeField(_("erasure requested"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["-created_at"]
        permissions = [("erase_volunteerprofile", _("Can erase a volunteer's personal data"))]
        constraints = [
            models.UniqueConstraint(fields=["volunteer_number"], name="volunteer_number_unique"),
            models.CheckConstraint(
                condition=~models.Q(status="registered")
                | (models.Q(volunteer_number__isnull=False) & models.Q(registered_at__isnull=False)),
                name="registered_volunteer_has_number",
            ),
            models.CheckConstraint(
                condition=~models.Q(membership_status="confirmed")
                | models.Q(membership_decided_at__isnull=False),
                name="confirmed_membership_has_moment",
            ),
            models.CheckConstraint(
                condition=~models.Q(endorsement="declined") | ~models.Q(endorsement_reason=""),
                name="declined_endorsement_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="volunteer_status_idx")]

    def __str__(self):
        return self.display_name or self.user.email

    @property
    def display_name(self) -> str:
        thai = " ".join(part for part in (self.given_name_th, self.family_name_th) if part)
        latin = " ".join(part for part in (self.given_name_en, self.family_name_en) if part)
        if thai and latin:
            return f"{thai} ({latin})"
        return thai or latin

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def reader_time_zone(self) -> str:
        """The zone of this volunteer's own pages: the one they chose, or their country's usual one."""
        return self.time_zone or zone_for_country(self.country)

    @property
    def email_confirmed(self) -> bool:
        return self.user.email_confirmed_at is not None


class PrivacyNoticePage(Page):
    """The privacy notice volunteers consent to. Raising its version asks everyone to consent again."""

    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_(
            "Raise the version when the notice changes in substance: every volunteer is then asked "
            "to read it and consent again."
        ),
    )
    body = RichTextField(_("notice"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    search_fields = Page.search_fields + [index.SearchField("body")]

    content_panels = Page.content_panels + [FieldPanel("version"), FieldPanel("body")]

    parent_page_types = ["training.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("privacy notice")
