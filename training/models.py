"""Site-wide models: the home page, and the version of the content. Domain pages live in their own
apps."""

import uuid

from django.db import models
from django.db.models import Subquery
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from training.routing import DirectRoutingMixin


class HomePage(DirectRoutingMixin, Page):
    """The site's front page: its name and an introduction that editors keep up to date."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
    )

    search_fields = Page.search_fields + [index.SearchField("intro")]

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage", "volunteers.PrivacyNoticePage"]

    class Meta:
        verbose_name = _("home page")


class ContentVersion(models.Model):
    """A token naming the state of what the site shows. It changes, in the same transaction,
    whenever a page is saved, moved or deleted, or a view restriction, site or locale changes
    (training.content_version). One row; a new random token each time, so a rolled-back change can
    never bring back an old token with other content under it."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("content version")

    def __str__(self):
        return self.token

    @classmethod
    def current(cls) -> Subquery:
        """The token as an expression, to read along with other rows (None before the first)."""
        return Subquery(cls.objects.filter(pk=1).values("token")[:1])

    @classmethod
    def change(cls) -> None:
        token = uuid.uuid4().hex
        if not cls.objects.filter(pk=1).update(token=token):
            cls.objects.update_or_create(pk=1, defaults={"token": token})


class ScheduledRun(models.Model):
    """One slot of a periodic job, claimed by the scheduler that runs it (training.scheduler).

    The unique (job, slot) pair is the claim: whichever scheduler inserts the row runs the slot."""

    class Status(models.TextChoices):
        ENQUEUED = "enqueued", _("Enqueued")
        SKIPPED = "skipped", _("Skipped (missed)")
        FAILED = "failed", _("Failed to enqueue")

    job = models.CharField(_("job"), max_length=100)
    slot = models.DateTimeField(_("slot"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    task_result_id = models.CharField(_("task result"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once_per_slot")]

    def __str__(self):
        return f"{self.job} @ {self.slot.isoformat()}"
