"""Where files live: public lesson media in the default storage, personal files in the private one.

Personal files (certificate PDFs) never get a public URL: they sit outside MEDIA_ROOT locally, and in
a bucket or prefix that anonymous clients cannot read on S3, and are served only by views that check
who is asking. See STORAGES in training/settings/base.py and docs/operations.md.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import models
from django.utils.functional import cached_property


class PrivateFileSystemStorage(FileSystemStorage):
    """Files in PRIVATE_MEDIA_ROOT (or the folder another setting names), a folder no web server or
    media URL serves."""

    root_setting = "PRIVATE_MEDIA_ROOT"

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, getattr(settings, self.root_setting))

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == self.root_setting:
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("A private file has no URL; serve it through a view that checks permissions.")


class OwnerOnlyFileSystemStorage(PrivateFileSystemStorage):
    """Files only the site's own user may read (0600, in folders 0700)."""

    def __init__(self, **options):
        options.setdefault("file_permissions_mode", 0o600)
        options.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**options)


class ErasureLogFileSystemStorage(OwnerOnlyFileSystemStorage):
    """The erasure log (volunteers/erasure_log.py) in ERASURE_LOG_ROOT."""

    root_setting = "ERASURE_LOG_ROOT"


class BackupFileSystemStorage(OwnerOnlyFileSystemStorage):
    """Encrypted backups (training/backups.py) in BACKUP_ROOT: a second disk or a mounted share."""

    root_setting = "BACKUP_ROOT"


def private_storage() -> Storage:
    """The storage of personal files; a callable, so migrations name it rather than its settings."""
    return storages["private"]


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve() == folder.resolve() or folder.resolve() in path.resolve().parents


@checks.register(checks.Tags.security)
def check_private_storage_is_not_public(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Refuse a configuration in which the public media URL or bucket would serve private files."""
    errors = []
    private = settings.STORAGES.get("private")
    if private is None:
        return [checks.Error("STORAGES has no 'private' storage for personal files.", id="training.E010")]
    backend = private["BACKEND"]
    if backend.endswith("FileSystemStorage"):
        location = Path(private.get("OPTIONS", {}).get("location") or settings.PRIVATE_MEDIA_ROOT)
        if _inside(location, Path(settings.MEDIA_ROOT)):
            errors.append(
                checks.Error(
                    "PRIVATE_MEDIA_ROOT is inside MEDIA_ROOT: the media URL would serve personal files.",
                    hint="Point PRIVATE_MEDIA_ROOT at a folder outside MEDIA_ROOT.",
                    id="training.E011",
                )
            )
    elif "s3" in backend.lower():
        options = private.get("OPTIONS", {})
        public = settings.STORAGES["default"].get("OPTIONS", {})
        same_bucket = options.get("bucket_name") == public.get("bucket_name")
        if same_bucket and not (options.get("location") or "").strip("/"):
            errors.append(
                checks.Error(
                    "Private files would share the media bucket's public keys.",
                    hint="Set AWS_PRIVATE_STORAGE_BUCKET_NAME to a private bucket, or AWS_PRIVATE_LOCATION "
                    "to a prefix the bucket policy leaves private.",
                    id="training.E012",
                )
            )
    return errors


@dataclass
class PrivateFilesMove:
    """What private_files_move did: files moved, files already private, references to no file."""

    moved: int = 0
    already_private: int = 0
    missing: list[str] = field(default_factory=list)


def private_file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every file field of every model that keeps its files in the private storage."""
    return [
        (model, model_field)
        for model in apps.get_models()
        for model_field in model._meta.concrete_fields
        if isinstance(model_field, models.FileField)
        and model_field.deconstruct()[3].get("storage") is private_storage
    ]


def _digest(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for chunk in handle.chunks():
            digest.update(chunk)
    return digest.hexdigest()


def _same_content(first: Storage, second: Storage, name: str) -> bool:
    return first.size(name) == second.size(name) and _digest(first, name) == _digest(second, name)


def private_files_move(*, dry_run: bool = False, forget_missing: bool = False) -> PrivateFilesMove:
    """Move the files of private file fields out of the public media storage, where earlier
    releases kept them, into the private storage; a row is updated only if its file's name changes.

    Idempotent: a file already private is left alone, so a second run moves nothing. A run
    interrupted between copying and deleting is finished by the next one; a private file of the
    same name but other content is never taken for the copy (the file is stored beside it and the
    row follows). The public copy is deleted only after the private one is stored. With
    `forget_missing`, a reference to a file in neither storage is cleared (a certificate whose PDF
    is cleared gets it rendered again by certificates_render_pending).
    """
    public = storages["default"]
    result = PrivateFilesMove()
    for model, model_field in private_file_fields():
        private = model_field.storage
        rows = model._default_manager.exclude(**{model_field.name: ""}).values_list("pk", model_field.name)
        for pk, name in rows.order_by("pk").iterator():
            in_public, in_private = public.exists(name), private.exists(name)
            if not in_public:
                if in_private:
                    result.already_private += 1
                else:
                    result.missing.append(f"{model._meta.label} {pk}: {name}")
                    if forget_missing and not dry_run:
                        model._default_manager.filter(pk=pk, **{model_field.name: name}).update(
                            **{model_field.name: ""}
                        )
                continue
            result.moved += 1
            if dry_run:
                continue
            if not (in_private and _same_content(public, private, name)):
                with public.open(name, "rb") as handle:
                    stored = private.save(name, handle)
                if stored != name:
                    model._default_manager.filter(pk=pk, **{model_field.name: name}).update(
                        **{model_field.name: stored}
                    )
            public.delete(name)
    return result
