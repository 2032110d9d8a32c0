"""The README's pictures: phone-size Thai screenshots made by `make screenshots`, committed, small,
and never written by the test suite."""

import importlib.util
import re
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
REQUIRED = {"home", "catalog", "course-completed", "lesson", "quiz-result", "dashboard", "certificate"}
PHONE_WIDTH_PX = 390 * 2  # the phone's CSS width at the device pixel ratio the script uses


def readme_pictures() -> set[str]:
    return set(re.findall(r"docs/screenshots/([\w-]+)\.png", (ROOT / "README.md").read_text()))


def test_the_readme_shows_every_required_screenshot_and_each_file_exists():
    shown = readme_pictures()
    assert shown >= REQUIRED
    for name in shown:
        assert (SHOTS / f"{name}.png").is_file(), name


def test_screenshots_are_phone_sized_and_small():
    for name in readme_pictures() - {"certificate"}:
        with Image.open(SHOTS / f"{name}.png") as image:
            assert image.format == "PNG"
            assert image.width == PHONE_WIDTH_PX, name
            assert image.height <= 844 * 2, name  # the first screen, not the whole page
    for path in SHOTS.glob("*.png"):
        assert path.stat().st_size <= 150 * 1024, path.name


def test_loading_the_screenshot_script_writes_nothing():
    before = {path.name: path.stat().st_mtime_ns for path in SHOTS.iterdir()}
    spec = importlib.util.spec_from_file_location("screenshots_script", ROOT / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.OUT == SHOTS
    assert {
        name for name, *_rest in module.shots(dict.fromkeys(["catalog", "course", "lesson", "quiz"], "/"))
    } | {"certificate"} >= REQUIRED
    assert {path.name: path.stat().st_mtime_ns for path in SHOTS.iterdir()} == before
