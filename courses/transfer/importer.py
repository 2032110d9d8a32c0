"""Loading a course package into this site: as drafts that go through the review workflow.

A package is treated as hostile. It is read in full and checked before anything is written: the
zip's names (nothing outside the package), its entry count, sizes and compression ratios (no zip
bombs), course.json against the JSON Schema, the tree's page types, every rich text value against
its field's features (no scripts, event handlers or javascript: links), every image with Pillow
(PNG, JPEG, GIF or WebP, no SVG), every document's type by its bytes, and the XML inside office
documents with defusedxml (no entity expansion, no DTD). Then one transaction writes it all, or,
when a page does not validate, nothing.

Pages are matched by translation key and language: a page already here gets a new revision only
when its latest revision differs from the package (so the same package imported twice changes
nothing), a new page is created unpublished. Each new or changed page is submitted to its review
workflow by the importing user; images and documents with the same bytes as one here are reused.

Bank questions are checked by their own block's validation and their key (a hash of their content
and tags) before anything is written. One here with the same key is reused, a missing one created
(with its tags) before the pages, so the quiz blocks choosing one point at this site's row and a
random draw's tag finds its questions when the quiz is validated.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Collection, Locale, Page

from courses.authoring.models import CourseIndexPage, CoursePage
from courses.quizzes.bank import BankQuestion
from courses.quizzes.blocks import drawing_locale
from courses.transfer.checking import (
    _clean_stream,
    _invalid,
    _nodes,
    _page_model,
    read_package,
)
from courses.transfer.content import rewrite_page_links, walk_stream
from courses.transfer.export import _Media, _PageWriter, bank_question_identity, bank_question_legacy_key
from courses.transfer.format import (
    COURSE_FILE,
    COURSE_REFERENCES,
    IMAGES_DIR,
    Limits,
    PackageRefused,
)
from courses.transfer.reading import (
    TRAINING_MEDIA,
    Package,
)

logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    course: CoursePage
    created: list[Page] = field(default_factory=list)
    changed: list[Page] = field(default_factory=list)
    unchanged: int = 0
    submitted: int = 0
    bank_created: list[BankQuestion] = field(default_factory=list)
    bank_reused: int = 0
    warnings: list[str] = field(default_factory=list)


class _Writer:
    def __init__(self, package: Package, user: Any):
        self.package = package
        self.user = user
        self.media: dict[str, Any] = {}
        self.saved_files: list[Any] = []
        self.warnings: list[str] = []
        # This site's bank question id for each key of the package.
        self.bank: dict[str, int] = {}
        self.entries = {
            entry["path"]: entry for kind in ("images", "documents") for entry in package.data["media"][kind]
        }

    # Media ------------------------------------------------------------------------------------

    def media_item(self, path: str):
        if path not in self.media:
            self.media[path] = self._find_or_create(path)
        return self.media[path]

    def _find_or_create(self, path: str):
        media = self.package.files[path]
        is_image = path.startswith(IMAGES_DIR)
        model = get_image_model() if is_image else get_document_model()
        found = model.objects.filter(file_hash=media.sha1).order_by("pk").first()
        if found is None:
            # Rows saved without a hash (by scripts rather than the admin's forms) get one now.
            for candidate in model.objects.filter(file_hash="").order_by("pk"):
                if candidate.get_file_hash() == media.sha1 or _digest_of(candidate) == media.sha256:
                    return candidate
        if found is not None:
            return found
        entry = self.entries[path]
        name = path.rsplit("/", 1)[1]
        collection = (
            Collection.objects.filter(name=TRAINING_MEDIA, depth=2).first()
            or Collection.get_first_root_node()
        )
        if is_image:
            item = model(
                title=entry["title"], description=entry.get("description", ""), collection=collection
            )
            media.file.seek(0)
            item.file = ImageFile(media.file, name=name)
        else:
            item = model(title=entry["title"], collection=collection)
            media.file.seek(0)
            item.file = File(media.file, name=name)
        item.file_hash = media.sha1
        item.file_size = media.size
        item.uploaded_by_user = self.user if getattr(self.user, "pk", None) else None
        item.save()
        self.saved_files.append(item.file)
        return item

    # Bank questions ---------------------------------------------------------------------------

    def bank_questions(self, result: ImportResult) -> None:
        """Find each bank question of the package here by key, or create it with its tags."""
        entries = self.package.data.get("bank_questions", [])
        if not entries:
            return
        default = Locale.get_default()
        here: dict[str, int] = {}
        for question in BankQuestion.objects.order_by("pk").select_related("locale").prefetch_related("tags"):
            here.setdefault(bank_question_identity(question)["key"], question.pk)
            if question.locale_id == default.pk:
                # Packages written before bank questions had a language hold default-locale ones.
                here.setdefault(bank_question_legacy_key(question), question.pk)
        user = self.user if getattr(self.user, "pk", None) else None
        for index, entry in enumerate(entries):
            if entry["key"] in here:
                self.bank[entry["key"]] = here[entry["key"]]
                result.bank_reused += 1
                continue
            language = entry.get("language")
            locale = Locale.objects.get(language_code=language) if language is not None else default
            question = BankQuestion(question=entry["question"], locale=locale, created_by=user)
            question.tags.add(*entry["tags"])
            question.save()
            stored = BankQuestion.objects.prefetch_related("tags").get(pk=question.pk)
            stored_key = (
                bank_question_identity(stored)["key"] if language else bank_question_legacy_key(stored)
            )
            if stored_key != entry["key"]:
                # Stored otherwise than sent (a form Wagtail rewrites on saving): a second import
                # could not find it again.
                raise PackageRefused(
                    COURSE_FILE,
                    _("This bank question would be stored differently here."),
                    f"bank_questions[{index}].question",
                )
            log(instance=question, action="wagtail.create", user=user)
            self.bank[entry["key"]] = question.pk
            result.bank_created.append(question)

    # Fields -----------------------------------------------------------------------------------

    def _page_id(self, key: str, locale: Locale) -> str | None:
        try:
            uuid.UUID(key)
        except ValueError:
            return None
        found = Page.objects.filter(translation_key=key, locale=locale).values_list("pk", flat=True).first()
        return str(found) if found else None

    def _course(self, key: str, locale: Locale, field_path: str) -> CoursePage | None:
        """The course with this key in the page's language, else in the site's default language (a
        translated course may name a course not translated yet, as wagtail-localize leaves it)."""
        found = CoursePage.objects.filter(
            translation_key=key, locale__language_code__in=[locale.language_code, settings.LANGUAGE_CODE]
        )
        course = min(found, key=lambda page: page.locale_id != locale.pk, default=None)
        if course is None:
            self.warnings.append(
                _("%(field)s: the course %(key)s is not on this site; left out.")
                % {"field": field_path, "key": key}
            )
        return course

    def apply(self, page: Page, node: dict[str, Any], path: str) -> None:
        """Set the page's title, slug and fields from `node` (checked already)."""
        page.title = page.draft_title = node["title"]
        page.slug = node["slug"]
        locale = page.locale

        def leaf(kind, value, leaf_path, block):
            if kind in ("image", "document"):
                return self.media_item(value).pk if value else None
            if kind == "richtext":
                return rewrite_page_links(value, lambda key: self._page_id(key, locale))
            if kind == "bank_question":
                return self.bank[value] if value else None
            return value

        for name, value in node["fields"].items():
            field_path = f"{path}.fields.{name}"
            if name == "tags":
                page.tags.set(value)
                continue
            if name == "prerequisites":
                page.prerequisites.set(
                    [course for key in value if (course := self._course(key, locale, field_path))]
                )
                continue
            if name in COURSE_REFERENCES:
                page.refresher_course = self._course(value, locale, field_path) if value else None
                continue
            model_field = page._meta.get_field(name)
            if model_field.is_relation:
                setattr(page, name, self.media_item(value) if value else None)
            elif isinstance(model_field, StreamField):
                stream_block = model_field.stream_block
                raw = walk_stream(stream_block, value, field_path, leaf, strict=True)
                with drawing_locale(locale):  # random draws counted in the page's language
                    _clean_stream(stream_block, raw, field_path)
                setattr(page, name, raw)
            elif isinstance(model_field, RichTextField):
                setattr(page, name, rewrite_page_links(value, lambda key: self._page_id(key, locale)))
            elif name == "estimated_hours":
                page.estimated_hours = Decimal(value)
            else:
                setattr(page, name, value)

    def save(self, page: Page, path: str, parent: Page | None) -> None:
        try:
            if parent is not None:
                parent.add_child(instance=page)
            else:
                page.full_clean()
        except ValidationError as error:
            raise PackageRefused(COURSE_FILE, _invalid(error), _error_field(error, path)) from error
        page.save_revision(user=self.user if getattr(self.user, "pk", None) else None, log_action=True)


def _digest_of(item) -> str:
    digest = hashlib.sha256()
    try:
        with item.open_file() as handle:
            for chunk in iter(lambda: handle.read(2**20), b""):
                digest.update(chunk)
    except (OSError, ValueError):
        return ""
    return digest.hexdigest()


def _error_field(error: ValidationError, path: str) -> str:
    if hasattr(error, "error_dict") and error.error_dict:
        name = sorted(error.error_dict)[0]
        return f"{path}.{'slug' if name == 'slug' else 'title' if name == 'title' else 'fields.' + name}"
    return path


def _unchanged(page: Page, node: dict[str, Any]) -> bool:
    """Whether the page's latest revision already is `node` (compared in the package's form)."""
    latest = page.specific.get_latest_revision_as_object() if page.latest_revision_id else page.specific
    try:
        current = _PageWriter(_Media()).node(latest, content=latest)
    except Exception:  # a page here holding what packages cannot carry: it changes
        return False
    return all(current[name] == node[name] for name in ("title", "slug", "fields"))


def catalog_for(language: str) -> CourseIndexPage:
    catalog = CourseIndexPage.objects.filter(locale__language_code=language).order_by("path").first()
    if catalog is None:
        raise PackageRefused(
            COURSE_FILE,
            _("This site has no course catalog in %(language)s.") % {"language": language},
            "language",
        )
    return catalog


def course_import(
    source: IO[bytes], *, user: Any = None, submit: bool = True, limits: Limits | None = None
) -> ImportResult:
    """Import a package (see the module's docstring); raises PackageRefused, having written nothing."""
    package = read_package(source, limits)
    writer = _Writer(package, user)
    try:
        with transaction.atomic():
            result = _write(package, writer, submit=submit)
    except BaseException:
        for file in writer.saved_files:  # the rows went with the transaction; their files go too
            file.storage.delete(file.name)
        raise
    finally:
        package.close()
    return result


def _write(package: Package, writer: _Writer, *, submit: bool) -> ImportResult:
    data = package.data
    source_locale = Locale.objects.get(language_code=data["language"])
    catalog = catalog_for(data["language"])
    course_key = data["course"]["key"]
    same_slug = (
        CoursePage.objects.child_of(catalog)
        .filter(slug=data["course"]["slug"])
        .exclude(translation_key=course_key)
    )
    if same_slug.exists():
        raise PackageRefused(
            COURSE_FILE, _("Another course on this site already has this address."), "course.slug"
        )
    touched: list[Page] = []
    result = ImportResult(course=None)  # type: ignore[arg-type]
    writer.bank_questions(result)
    pages_by_key: dict[str, Page] = {}
    for node, path, parent_node in _nodes(data):
        parent = catalog if parent_node is None else pages_by_key[parent_node["key"]]
        pages_by_key[node["key"]] = _upsert(writer, node, path, parent, source_locale, result, touched)
    for language in sorted(data["translations"]):
        locale = Locale.objects.get(language_code=language)
        for index, node in enumerate(data["translations"][language]):
            path = f"translations.{language}[{index}]"
            source_page = pages_by_key[node["key"]]
            parent_source = source_page.get_parent()
            parent = parent_source.get_translation_or_none(locale)
            if parent is None:
                if parent_source.pk != catalog.pk:
                    writer.warnings.append(
                        _("%(field)s: its parent page has no translation; left out.") % {"field": path}
                    )
                    continue
                # A new site may have no page in this language yet: its home comes too (drafts).
                parent = catalog.copy_for_translation(locale, copy_parents=True)
            _upsert(writer, node, path, parent, locale, result, touched)
    result.course = pages_by_key[course_key]
    result.warnings = writer.warnings
    user = writer.user if getattr(writer.user, "pk", None) else None
    if submit and user is not None:
        for touched_page in touched:
            page = Page.objects.get(pk=touched_page.pk).specific
            workflow = page.get_workflow()
            if workflow is not None and not page.workflow_in_progress:
                workflow.start(page, user)
                result.submitted += 1
    logger.info(
        "course package imported: course %s, %d pages created, %d changed, %d unchanged, "
        "%d bank questions created, %d found here",
        result.course.pk,
        len(result.created),
        len(result.changed),
        result.unchanged,
        len(result.bank_created),
        result.bank_reused,
    )
    # The course's history: an import that found the site already holding the package adds nothing.
    if result.created or result.changed or result.bank_created:
        log(
            instance=result.course,
            action="courses.course_import",
            user=user,
            data={
                "source_site": data["source_site"][:200],
                "created": len(result.created),
                "changed": len(result.changed),
                "unchanged": result.unchanged,
                "bank_questions_created": len(result.bank_created),
            },
        )
    return result


def _upsert(
    writer: _Writer, node, path, parent: Page, locale: Locale, result: ImportResult, touched: list[Page]
) -> Page:
    model = _page_model(node["type"])
    page = Page.objects.filter(translation_key=node["key"], locale=locale).first()
    if page is None:
        page = model(
            translation_key=node["key"],
            locale=locale,
            live=False,
            owner=writer.user if getattr(writer.user, "pk", None) else None,
        )
        writer.apply(page, node, path)
        writer.save(page, path, parent)
        result.created.append(page)
        touched.append(page)
        return page
    if page.specific_class is not model:
        raise PackageRefused(COURSE_FILE, _("A page with this key here is of another type."), f"{path}.type")
    if _unchanged(page, node):
        result.unchanged += 1
        return page.specific
    latest = page.specific.get_latest_revision_as_object() if page.latest_revision_id else page.specific
    writer.apply(latest, node, path)
    writer.save(latest, path, None)
    result.changed.append(latest)
    touched.append(page.specific)
    return page.specific
