"""Writes for authored content: course content pages, help lines and the review workflow.

Trainers author in the Wagtail admin; these services serve the demo seeder and operators' scripts
through the same page, revision and publishing machinery.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from wagtail.models import Page, Workflow, WorkflowPage, WorkflowState

from courses.authoring.models import CoursePage, HelpLine

# Data named in Thai by courses/migrations/0015_course_review_workflow.py (the admin is used in Thai).
REVIEW_WORKFLOW_NAME = "ตรวจทานหลักสูตร"


def _without_ids(value: Any) -> Any:
    """Stream data without block ids, so equal content compares equal."""
    if isinstance(value, dict):
        return {key: _without_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value


def page_fields_differ(page: Page, fields: dict[str, Any]) -> bool:
    for name, wanted in fields.items():
        current = getattr(page, name)
        if hasattr(current, "raw_data"):
            stream_block = page._meta.get_field(name).stream_block
            normalised = stream_block.get_prep_value(stream_block.to_python(wanted))
            if _without_ids(list(current.raw_data)) != _without_ids(normalised):
                return True
        elif current != wanted:
            return True
    return False


@transaction.atomic
def course_content_upsert(
    *,
    parent: Page,
    page_class: type[Page],
    slug: str,
    fields: dict[str, Any],
    tags: list[str] | None = None,
    prerequisites: list[CoursePage] | None = None,
) -> Page:
    """Create or update a live child page of `parent` by slug and publish it as a new revision.

    Nothing is written when the page already has this content, so running it again changes nothing
    (and a change waiting for review is left to the review).
    """
    page = page_class.objects.child_of(parent).filter(slug=slug).first()
    created = page is None
    if created:
        page = page_class(slug=slug, **fields)
        if tags is not None:
            page.tags.set(tags)
        if prerequisites is not None:
            page.prerequisites.set(prerequisites)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
    # A draft in review (or sent back for changes) belongs to its trainer and the lead trainers: a
    # re-run publishes over it only when the live content itself is not the wanted one.
    draft_in_review = page.has_unpublished_changes and page.current_workflow_state is not None
    changed = (
        page_fields_differ(page, fields)
        or not page.live
        or (page.has_unpublished_changes and not draft_in_review)
    )
    if tags is not None and sorted(page.tags.names()) != sorted(tags):
        page.tags.set(tags)
        changed = True
    if prerequisites is not None and {p.pk for p in page.prerequisites.all()} != {
        p.pk for p in prerequisites
    }:
        page.prerequisites.set(prerequisites)
        changed = True
    if changed:
        for name, value in fields.items():
            setattr(page, name, value)
        page.draft_title = page.title
        page.save_revision().publish()
    return page


@transaction.atomic
def course_review_require(*, course: CoursePage) -> WorkflowPage:
    """Make changes to this course go through the review workflow even if it leaves the catalog
    (every course inherits it from the catalog already)."""
    workflow = Workflow.objects.get(name=REVIEW_WORKFLOW_NAME)
    assignment, _ = WorkflowPage.objects.update_or_create(page=course, defaults={"workflow": workflow})
    return assignment


@transaction.atomic
def page_change_submit_for_review(*, page: Page, fields: dict[str, Any], user: Any) -> WorkflowState:
    """Save `fields` as a draft of `page` by `user` and submit it to the page's review workflow, as
    the admin's "submit" action does: the live page keeps its content until a lead trainer approves.
    Wagtail logs the submission and notifies the reviewers."""
    workflow = page.get_workflow()
    if workflow is None:
        raise ValueError(f"page {page.pk} has no review workflow")
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision(user=user)
    return workflow.start(page, user)


@transaction.atomic
def help_line_upsert(
    *, country: str, organisation: str, phone: str, hours: str, languages: str, sort_order: int = 0
) -> HelpLine:
    """Create or refresh a help line, keyed by country, organisation and phone number."""
    line, _ = HelpLine.objects.update_or_create(
        country=country.upper(),
        organisation=organisation,
        phone=phone,
        defaults={"hours": hours, "languages": languages, "sort_order": sort_order},
    )
    return line
