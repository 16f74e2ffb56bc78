"""Every table fits its column on a laptop (1366 px) and, on a phone (375 px), either fits or
scrolls sideways inside a keyboard-reachable region with its first column held in place and a
visible cue; no row is squeezed tall; numbers are right-aligned in tabular figures. Measured in
Chromium on every page of both languages (tests/tablefit.py), in the one load of each page that
tests/pagewalk.py makes for this test, the light-palette axe test and the chart label test."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api")

import pagewalk  # noqa: E402
import tablefit  # noqa: E402
from browsing import CHROMIUM, new_context  # noqa: E402
from transparency import fmt  # noqa: E402
from transparency.package import load_package  # noqa: E402

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")

# Pages are measured in the shards of tests/pagewalk.py, which loads each page once for this
# test, the light-palette axe test and the chart label test.
SHARDS = pagewalk.SHARDS


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_table_fits_or_scrolls_with_a_cue(walked, built_site, shard):
    paths = tablefit.pages(built_site)
    assert len(paths) > 2 * SHARDS
    assert set(paths) <= set(pagewalk.pages(built_site))  # the walk's pages hold every page
    walk = walked(shard)
    found = walk["tables"]
    assert not found, f"{len(found)} problems:\n" + "\n".join(found[:40])
    assert walk["tables_measured"], f"shard {shard}: no table measured"
    measured = {path: walk["table_widths"].get(path) for path in walk["pages"]}
    assert all(widths == [1366, 375] for widths in measured.values()), measured


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_finlands_wide_table_scrolls_with_a_cue_on_a_phone_and_its_numbers_line_up(browser, server, lang):
    # Finland's NCMEC table (seven columns) is wider than a phone: it scrolls, with the cue.
    pkg = load_package()
    rows = pkg["ncmec_reports_by_country"]
    reports = rows[(rows["country_code"] == "FI") & (rows["year"] == 2022)]["reports__count"].iloc[0]
    shown = fmt.number(reports, lang)
    context = new_context(browser, server)
    try:
        page = context.new_page()
        path = "/countries/fi/" if lang == "en" else "/sv/countries/fi/"
        measured = tablefit.measure(page, server.base + path)
        cell = page.locator("#table-ncmec-reports td.num", has_text=shown)
        assert cell.count() == 1, f"{path}: no cell {shown!r}"
        style = cell.evaluate("c => [getComputedStyle(c).textAlign, getComputedStyle(c).fontVariantNumeric]")
        assert style[0] == "right" and "tabular-nums" in style[1], style
        index = page.locator("article table").evaluate_all("(ts) => ts.findIndex(t => t.id === 'table-ncmec-reports')")
        wide, phone = measured[1366][index], measured[375][index]
        assert not tablefit.overflows(wide), wide
        assert tablefit.overflows(phone) and tablefit.readable_when_scrolled(phone), phone
    finally:
        context.close()
