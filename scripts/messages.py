"""Refresh the translation catalogs: extract messages, then copy English sources into the en catalog.

Source strings in code are English, so the English catalog's translation of each message is the
message itself; Thai translations are written by hand in locale/th/LC_MESSAGES/django.po. The
script lists the Thai messages that still need a translation.

    .venv/bin/python scripts/messages.py
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "th",
            "-l",
            "en",
            "--no-obsolete",
            "--ignore=.venv",
            "--ignore=staticfiles",
            "--ignore=tests",
            "--ignore=bench",
        ],
        cwd=ROOT,
        check=True,
    )
    english = polib.pofile(ROOT / "locale/en/LC_MESSAGES/django.po")
    for entry in english:
        entry.msgstr = entry.msgid
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    english.save()
    thai = polib.pofile(ROOT / "locale/th/LC_MESSAGES/django.po")
    missing = [e.msgid for e in thai if not e.translated() or "fuzzy" in e.flags]
    for msgid in missing:
        print(f"untranslated (th): {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
