"""The erasure log: who was erased and when, kept apart from the database so that a restore cannot
bring them back.

Each erasure writes one small JSON file, `erasures/<when>-<user id>.json`, into the `erasure_log`
storage (a folder or bucket of its own, not the database and not the media). It holds only the user
id, when the account was made (an id alone could belong to someone else in a restored database
that never saw the erased account) and when it was erased. It is written inside the erasure's
transaction: if the log cannot be written the erasure fails and nothing is half-done; if the commit
fails after the write, the log names someone who asked to be erased and was not, whom a replay then
erases, which is what they asked for.

After a restore, `manage.py erasures_replay` (run by `backup_restore`) erases again everyone the
log names whose account in the restored database still holds their data.
"""

import json
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from volunteers.models import User

logger = logging.getLogger(__name__)
FOLDER = "erasures"
ERASED_DOMAIN = "@erased.invalid"


def erasure_record(user: User) -> str:
    """Write the entry for an erasure happening now; returns its name."""
    moment = timezone.now()
    name = f"{FOLDER}/{moment:%Y%m%dT%H%M%S%fZ}-{user.pk}.json"
    entry = {"user_id": user.pk, "joined": user.date_joined.isoformat(), "erased_at": moment.isoformat()}
    return storages["erasure_log"].save(name, ContentFile(json.dumps(entry).encode()))


def erasure_entries() -> list[dict]:
    """Every entry of the log, oldest first."""
    storage = storages["erasure_log"]
    try:
        _folders, names = storage.listdir(FOLDER)
    except FileNotFoundError:
        return []
    entries = []
    for name in sorted(names):
        with storage.open(f"{FOLDER}/{name}") as file:
            entries.append({**json.loads(file.read()), "name": name})
    return entries


def erasures_replay() -> list[int]:
    """Erase again each logged person whose account still holds their data; returns their ids."""
    from volunteers.services import volunteer_erase

    logged = {(entry["user_id"], entry["joined"]) for entry in erasure_entries()}
    candidates = User.objects.filter(pk__in={pk for pk, _joined in logged}).exclude(
        email__endswith=ERASED_DOMAIN
    )
    erased = []
    for user in candidates.order_by("pk"):
        if (user.pk, user.date_joined.isoformat()) not in logged:
            continue  # the same id, another account
        with transaction.atomic():
            volunteer_erase(user=user, actor=None, logged=False)
        erased.append(user.pk)
    if erased:
        logger.info("Erasures replayed after a restore: %s people (user ids %s).", len(erased), erased)
    return erased
