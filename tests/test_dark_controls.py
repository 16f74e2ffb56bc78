"""The map page's controls in the dark palette, as the reader first meets them: the map's static
preview with its "Explore the interactive map" button and year selector (the dark-palette axe
test of tests/test_browser.py draws the map first, which hides the button). axe-core WCAG 2.1
AA, with each control at rest and with keyboard focus."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api")
from axe_playwright_python.sync_playwright import Axe  # noqa: E402

from browsing import CHROMIUM, new_context, settle  # noqa: E402

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}


def _violations(page) -> list[str]:
    settle(page)
    results = Axe().run(page, options=WCAG)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:4]}" for v in results.response["violations"]]


@pytest.mark.parametrize("path", ["/analysis/ncmec-map/", "/sv/analysis/ncmec-map/"])
def test_map_controls_meet_wcag_aa_in_the_dark_palette(browser, server, path):
    context = new_context(browser, server, color_scheme="dark", viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        page.goto(server.base + path, wait_until="load")
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        button = page.locator('button.js-plotly-explore[data-target="plot-ncmec-map"]')
        button.scroll_into_view_if_needed()
        assert button.is_visible(), f"{path}: the explore button is not shown before the map is drawn"
        found = [f"at rest: {v}" for v in _violations(page)]
        for control in (page.locator("#plot-ncmec-map-year"), button):
            control.focus()
            found += [f"{control} focused: {v}" for v in _violations(page)]
        assert not found, f"{path}:\n" + "\n".join(found)
    finally:
        context.close()
