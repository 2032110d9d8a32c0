"""axe-core finds no serious or critical WCAG 2.2 AA violations, in Thai and English, phone and desktop.

Pages join this list as they are built (issue 9 lists them all).
"""

import pytest

from tests.conftest import DESKTOP, PHONE, axe_violations

pytestmark = pytest.mark.browser

PAGES = ["/", "/accounts/login/"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("prefix", ["", "/en"], ids=["th", "en"])
def test_public_pages_pass_axe(live_server, page, prefix, viewport):
    page.set_viewport_size(viewport)
    for path in PAGES:
        page.goto(live_server.url + prefix + path)
        assert page.locator("html").get_attribute("lang") == ("en" if prefix else "th")
        assert axe_violations(page) == [], path


def test_the_checker_catches_a_missing_alt_text(page):
    page.set_content(
        '<html lang="en"><head><title>x</title></head><body><main><img src="x.png"></main></body></html>'
    )
    assert any(violation.startswith("image-alt") for violation in axe_violations(page))
