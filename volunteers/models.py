"""People and organisations: the user account (email login), volunteer records and organisations."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from training.dates import refuse_buddhist_era, zone_for_country
from training.sequences import YearlySequence
from training.storage import private_storage
from volunteers.countries import country_choices, time_zone_choices


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


class Organization(models.Model):
    """A Thai community organisation abroad whose people train as volunteers.

    Organisations named by volunteers at sign-up wait for staff to confirm them.
    """

    class Kind(models.TextChoices):
        FOUNDATION = "foundation", _("Foundation")
        ASSOCIATION = "association", _("Association")
        CLUB = "club", _("Club")
        COMMUNITY_GROUP = "community_group", _("Thai community group")
        OTHER = "other", _("Other")

    class Certification(models.TextChoices):
        NOT_APPLIED = "not_applied", _("Not applied")
        APPLIED = "applied", _("Applied")
        CERTIFIED = "certified", _("Certified")

    name_th = models.CharField(_("name in Thai"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = models.CharField(_("country"), max_length=2, choices=country_choices, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    certification_status = models.CharField(
        _("public-benefit certification"),
        max_length=20,
        choices=Certification.choices,
        default=Certification.NOT_APPLIED,
    )
    certification_number = models.CharField(_("certification number"), max_length=60, blank=True)
    certified_on = models.DateField(
        _("certification date"), null=True, blank=True, validators=[refuse_buddhist_era]
    )
    certification_expires_on = models.DateField(
        _("certification expires"), null=True, blank=True, validators=[refuse_buddhist_era]
    )
    is_confirmed = models.BooleanField(
        _("confirmed by staff"),
        default=True,
        help_text=_("Organisations named by volunteers appear in the list only after staff confirm them."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_th"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(certification_status="certified") | ~models.Q(certification_number=""),
                name="organization_certified_has_number",
            ),
        ]

    def __str__(self):
        if self.name_en and get_language() == "en":
            return self.name_en
        return self.name_th

    def clean(self):
        if self.certification_status == self.Certification.CERTIFIED and not self.certification_number:
            raise ValidationError(
                {"certification_number": _("A certified organisation needs its certification number.")}
            )


class OrganizationLeader(models.Model):
    """A person staff made a leader of an organisation: they follow its confirmed members' progress
    on the public site and endorse its applicants."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="leaders"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.CASCADE,
        related_name="organization_leaderships",
    )
    appointed_at = models.DateTimeField(_("appointed"), auto_now_add=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appointed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("organisation leader")
        verbose_name_plural = _("organisation leaders")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="organization_leader_unique"),
        ]

    def __str__(self):
        return f"{self.user_id} @ {self.organization_id}"


class CoordinatorCountry(models.Model):
    """A country a country coordinator looks after (issue 22). Coordinators are staff whose register,
    reports, exports, charts and verify tool show only the volunteers of their countries; see
    volunteers/coordinators.py, the only place that writes these rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        on_delete=models.CASCADE,
        related_name="coordinator_countries",
    )
    country = models.CharField(_("country"), max_length=2, choices=country_choices)
    appointed_at = models.DateTimeField(_("appointed"), auto_now_add=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appointed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("coordinator's country")
        verbose_name_plural = _("coordinators' countries")
        constraints = [
            models.UniqueConstraint(fields=["user", "country"], name="coordinator_country_unique"),
        ]
        permissions = [
            ("manage_coordinators", "Can appoint country coordinators"),
            ("coordinate_countries", "Sees only the volunteers of their own countries"),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.country}"


class CertificationApplication(models.Model):
    """An organisation's application to be certified as a public-benefit organisation (issue 22):
    its details as its leader submitted them, its activities, board members and documents, and where
    the review stands. States change only through volunteers/certification.py."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="certification_applications",
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    name_th = models.CharField(_("name in Thai"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Organization.Kind.choices, default=Organization.Kind.OTHER
    )
    country = models.CharField(_("country"), max_length=2, choices=country_choices, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    address = models.TextField(_("address"), max_length=1000, blank=True)
    registration_number = models.CharField(
        _("registration number in the country"),
        max_length=100,
        blank=True,
        help_text=_("The number under which the host country registered the organisation, if any."),
    )
    founded_on = models.DateField(_("founded"), null=True, blank=True, validators=[refuse_buddhist_era])
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    activities = models.TextField(
        _("activities"),
        max_length=5000,
        blank=True,
        help_text=_("What the organisation does for Thai people abroad, for whom, and how often."),
    )
    certification_number = models.CharField(_("certification number"), max_length=60, blank=True)
    expires_on = models.DateField(_("certification expires"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED, State.RESUBMITTED)
    EDITABLE_STATES = (State.DRAFT, State.CHANGES_REQUESTED)
    IN_REVIEW_STATES = (State.SUBMITTED, State.RESUBMITTED)

    class Meta:
        verbose_name = _("certification application")
        verbose_name_plural = _("certification applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open application per organisation: two leaders starting at once get the same one.
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(state__in=["draft", "submitted", "changes_requested", "resubmitted"]),
                name="certification_application_one_open",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="approved")
                | (~models.Q(certification_number="") & models.Q(expires_on__isnull=False)),
                name="certification_application_approved_has_number",
            ),
        ]

    def __str__(self):
        return f"{self.name_th} ({self.get_state_display()})"

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    @property
    def is_in_review(self) -> bool:
        return self.state in self.IN_REVIEW_STATES


class CertificationBoardMember(models.Model):
    """A member of the organisation's board as the application names them."""

    application = models.ForeignKey(
        CertificationApplication, on_delete=models.CASCADE, related_name="board_members"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=120)
    nationality = models.CharField(_("nationality"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("board member")
        verbose_name_plural = _("board members")
        ordering = ["pk"]

    def __str__(self):
        return self.name


def certification_document_path(instance, filename: str) -> str:
    # The stored name is ours, never the uploader's: no traversal, no guessing from a name.
    return f"certification/{instance.application_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class CertificationDocument(models.Model):
    """A document attached to an application (PDF, JPEG or PNG), kept in the private storage and
    served only to the organisation's leaders and staff."""

    application = models.ForeignKey(
        CertificationApplication, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("what the document is"), max_length=200)
    file = models.FileField(
        _("file"), upload_to=certification_document_path, storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("certification document")
        verbose_name_plural = _("certification documents")
        ordering = ["pk"]

    def __str__(self):
        return self.title


class CertificationTransition(models.Model):
    """One step of an application's review: who moved it from which state to which, when, and why."""

    application = models.ForeignKey(
        CertificationApplication, on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(
        _("from"), max_length=20, choices=CertificationApplication.State.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=20, choices=CertificationApplication.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    note = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("certification application step")
        verbose_name_plural = _("certification application steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.application_id}: {self.from_state} → {self.to_state}"


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
