"""The image installs requirements.lock (deploy/Containerfile): it must pin, with hashes, a version
of every runtime requirement that requirements.txt allows, or the image would run other code than
the one tested."""

import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def test_the_lock_pins_an_allowed_version_of_every_requirement_with_its_hashes():
    lock = (ROOT / "requirements.lock").read_text()
    pins = {
        canonicalize_name(name): version
        for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", lock, re.MULTILINE)
    }
    assert len(pins) == len(re.findall(r"^\S+==\S+ \\\n\s+--hash=sha256:", lock, re.MULTILINE))  # all hashed
    wanted = [
        Requirement(line.split("#", 1)[0].strip())
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.split("#", 1)[0].strip()
    ]
    wrong = [
        f"{requirement}: {pins.get(canonicalize_name(requirement.name), 'not pinned')}"
        for requirement in wanted
        if canonicalize_name(requirement.name) not in pins
        or pins[canonicalize_name(requirement.name)] not in requirement.specifier
    ]
    assert wrong == [], "regenerate it (docs/deploy.md): " + "; ".join(wrong)
