"""Organisations and what hangs on them (issue 22): the organisation record, its leaders, country
coordinators' countries, and the public-benefit certification application with its board members,
documents and transitions. Part of the `volunteers` app's models (volunteers.models re-exports
them); kept apart so that each module stays readable."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from training.dates import refuse_buddhist_era
from training.storage import private_storage
from volunteers.countries import country_choices


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
