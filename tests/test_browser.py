"""Browser gates in Debian's headless Chromium (driven by Playwright, no browser download):
every page in both languages loads at the published address (under its sub-path, as
tests/test_subpath.py serves it) without console errors, failed requests (an error status
included) or requests outside the site, and passes axe-core WCAG 2.1 A/AA in the light
palette (one page of each kind in the dark one); charts draw; the map draws all
member states and its year selector works; the language switcher and search work; pages fit
320 px."""

from __future__ import annotations

from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api")
from axe_playwright_python.sync_playwright import Axe  # noqa: E402

import pagewalk  # noqa: E402
from browsing import CHROMIUM, PREFIX, draw_charts, new_context, settle, wait_for_search  # noqa: E402
from transparency import fmt, metrics  # noqa: E402
from transparency.context import Ctx  # noqa: E402
from transparency.package import load_package  # noqa: E402

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}
PKG = load_package()

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")


def _pages(site: Path) -> list[str]:
    # embed/ pages have no header, search or navigation: tests/test_chart_svg.py checks them
    folders = [p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")
               if "downloads" not in p.parts and "assets" not in p.parts and "embed" not in p.parts]
    return sorted("/" if folder == "." else f"/{folder}/" for folder in folders)


class Visit:
    """Open a page at the site's published address (``path`` below it, as "/sv/"), recording
    console errors, failed requests and requests outside that address (other hosts, or the
    same host outside the site's prefix)."""

    def __init__(self, browser, server, scheme="light", width=1280):
        self.context = new_context(browser, server, color_scheme=scheme, viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.errors, self.failed, self.foreign = [], [], []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        # An answer with an error status (a file missing under the prefix) is a failed request too.
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} (HTTP {r.status})"))
        self.page.on("request", lambda r: not r.url.startswith((server.base + "/", "data:", "blob:"))
                     and self.foreign.append(r.url))
        self.base = server.base

    def open(self, path, interactive=True):
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        assert wait_for_search(self.page), f"{path}: search never became ready"
        draw_charts(self.page, interactive)
        return self.page

    def close(self):
        self.context.close()


# The light palette is checked on every page, in the shards of tests/pagewalk.py, which loads
# each page once for this test, the chart labels' and the tables'.
SHARDS = pagewalk.SHARDS
# Contrast depends on the CSS, not on the data: the dark palette is checked on one page of
# each kind (each layout and each kind of chart), in both languages.
DARK_PAGES = ["/", "/report/", "/report/2-1-providers/", "/report/2-2-member-states/", "/report/glossary/",
              "/analysis/ncmec-map/", "/analysis/appeals/", "/analysis/completeness/", "/analysis/coverage/",
              "/countries/", "/sv/countries/pl/", "/providers/meta/", "/data/", "/data/dictionary/",
              "/data/changelog/", "/about/accessibility/", "/sv/"]


def _check_pages(browser, server, paths, scheme):
    visit, axe, problems = Visit(browser, server, scheme), Axe(), []
    try:
        for path in paths:
            page = visit.open(path)
            settle(page)
            results = axe.run(page, options=WCAG)
            if results.violations_count:
                problems.append(f"{path} [{scheme}]: " + "; ".join(
                    f"{v['id']} ({len(v['nodes'])}): {v['nodes'][0]['target']}" for v in results.response["violations"]))
            if visit.errors or visit.failed or visit.foreign:
                problems.append(f"{path} [{scheme}]: console={visit.errors[:3]} failed={visit.failed[:3]} "
                                f"foreign={visit.foreign[:3]}")
            visit.errors.clear(), visit.failed.clear(), visit.foreign.clear()
    finally:
        visit.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_page_loads_cleanly_and_passes_axe_in_the_light_palette(walked, built_site, shard):
    pages = _pages(built_site)
    assert len(pages) > 2 * SHARDS
    assert set(pages) <= set(pagewalk.pages(built_site))  # the walk's pages hold every page
    walk = walked(shard)
    assert not walk["axe"], "\n".join(walk["axe"])
    assert walk["axe_pages"] == len([p for p in walk["pages"] if p in pages])  # none left out


@pytest.mark.parametrize("path", DARK_PAGES)
def test_each_kind_of_page_passes_axe_in_the_dark_palette(browser, server, built_site, path):
    assert path in _pages(built_site)
    _check_pages(browser, server, [path], "dark")


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_chart_draws_marks(browser, server, built_site, lang):
    visit = Visit(browser, server)
    prefix = "/" if lang == "en" else "/sv/"
    try:
        for path in ["report/2-1-providers/", "report/2-2-member-states/", "analysis/ncmec-map/",
                     "analysis/appeals/", "analysis/completeness/"]:
            page = visit.open(prefix + path)
            for plot in page.locator(".js-plotly").all():
                marks = plot.locator(".point, .choroplethlocation, .hm image, .heatmaplayer image, path.js-line").count()
                assert marks > 0, f"{prefix}{path}: chart {plot.get_attribute('id')} drew no marks"
                # charts.js moves the div's name to the drawn SVG (the server writes it on the div)
                svg = plot.locator("svg.main-svg").first
                assert (svg.get_attribute("role"), svg.get_attribute("aria-label")) == ("img", plot.get_attribute("data-alt"))
                assert plot.get_attribute("role") is None, f"{prefix}{path}: chart {plot.get_attribute('id')} kept role=img"
    finally:
        visit.close()


def _visible_map_years(page) -> list[str]:
    """The names (years) of the Plotly map's visible traces."""
    return page.evaluate(
        "() => document.getElementById('plot-ncmec-map').data.filter(t => t.visible !== false).map(t => t.name)")


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_map_preview_shows_every_member_state_until_the_reader_asks(browser, server, lang):
    ctx = Ctx(pkg=PKG, lang=lang)
    rates = metrics.reports_per_100k(PKG["ncmec_reports_by_country"], PKG["population"])
    visit, axe = Visit(browser, server), Axe()
    try:
        page = visit.open("/analysis/ncmec-map/" if lang == "en" else "/sv/analysis/ncmec-map/", interactive=False)
        plot, select = page.locator("#plot-ncmec-map"), page.locator("#plot-ncmec-map-year")
        years = [o.get_attribute("value") for o in select.locator("option").all()]
        shown = plot.locator('svg.static-map .static-map__year:not([display="none"])')
        assert shown.count() == 1 and shown.get_attribute("data-year") == years[-1]
        assert shown.locator("use").count() == len(PKG["member_states"])
        # Each shape's tooltip is the country, the year and its rate with the unit, as the tables write it.
        hungary = rates.query(f"country_code == 'HU' and year == {years[-1]}")["reports_per_100k__count"].iloc[0]
        unit = {"en": "reports per 100,000 inhabitants", "sv": "rapporter per 100\u00a0000 invånare"}[lang]
        expected = f"{ctx.country_name('HU')}, {years[-1]}: {fmt.number(round(float(hungary), 1), lang, 1)} {unit}"
        assert expected in [t.text_content() for t in shown.locator("title").all()]
        settle(page)
        results = axe.run(page, options=WCAG)
        assert not results.violations_count, results.generate_report()
        select.select_option(years[0])
        assert shown.get_attribute("data-year") == years[0]
        # The caption follows the year: the first year's takeaway shows, the latest's is hidden.
        caption = page.locator("#chart-ncmec-map .chart-takeaway:visible")
        assert caption.count() == 1 and caption.get_attribute("data-year") == years[0]
        assert ({"en": "In ", "sv": "År "}[lang] + years[0]) in caption.text_content()
        # The country selector outlines the chosen member state in the preview.
        page.locator("#plot-ncmec-map-country").select_option("CY")
        assert shown.locator("use.is-highlighted").get_attribute("data-country") == "CY"
        # The interactive map is not drawn (nor its outlines fetched) until the reader asks.
        assert plot.get_attribute("data-plotly-state") == "static"
        fetched = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        assert not [u for u in fetched if u.endswith(".geojson")], fetched
        button = page.locator("button.js-plotly-explore[data-target='plot-ncmec-map']")
        button.focus()
        page.keyboard.press("Enter")
        button.wait_for(state="hidden", timeout=20000)  # drawn: its work done, focus goes to the year
        assert plot.locator(".choroplethlocation").count() == len(PKG["member_states"])
        assert _visible_map_years(page) == [years[0]]  # it opens on the year the reader had chosen
        assert page.evaluate("document.activeElement.id") == "plot-ncmec-map-year"
        assert not visit.errors and not visit.failed, (visit.errors, visit.failed)
    finally:
        visit.close()


def test_map_draws_every_member_state_and_year_selector_changes_it(browser, server):
    visit = Visit(browser, server)
    try:
        page = visit.open("/analysis/ncmec-map/")
        plot = page.locator("#plot-ncmec-map")
        assert plot.locator(".choroplethlocation").count() == len(PKG["member_states"])
        select = page.locator("#plot-ncmec-map-year")
        years = [o.get_attribute("value") for o in select.locator("option").all()]
        assert years == sorted({str(int(y)) for y in PKG["ncmec_reports_by_country"]["year"]})
        assert _visible_map_years(page) == [years[-1]]
        # Plotly.restyle sets the traces' visibility before it returns to the change handler.
        select.select_option(years[0])
        assert _visible_map_years(page) == [years[0]]
    finally:
        visit.close()


def test_language_switcher_leads_to_the_same_page(browser, server):
    visit = Visit(browser, server)
    try:
        page = visit.open("/report/2-2-member-states/")
        href = page.locator('a[hreflang="sv"]').first.get_attribute("href")
        assert href is not None
        target = page.evaluate(f"new URL({href!r}, location.href).pathname")
        assert target == PREFIX + "sv/report/2-2-member-states/"
    finally:
        visit.close()


@pytest.mark.parametrize(("lang", "query", "expected"), [("en", "Austria", "countries/at/"),
                                                         ("sv", "Österrike", "sv/countries/at/")])
def test_search_finds_a_member_state_by_name(browser, server, lang, query, expected):
    visit = Visit(browser, server)
    try:
        page = visit.open("/" if lang == "en" else "/sv/")
        page.locator("label.md-search__icon, .md-search__input").first.click()
        page.locator(".md-search__input").press_sequentially(query, delay=50)
        page.wait_for_selector(".md-search-result__item", timeout=60000)
        links = [a.get_attribute("href") or "" for a in page.locator(".md-search-result__link").all()]
        assert any(expected in h for h in links), links[:10]
        # Each language searches its own pages only.
        paths = [page.evaluate(f"new URL({h!r}, location.href).pathname") for h in links]
        assert all(p.startswith(PREFIX) for p in paths), paths[:10]
        assert all(p.startswith(PREFIX + "sv/") == (lang == "sv") for p in paths), paths[:10]
        assert not visit.errors and not visit.failed, (visit.errors, visit.failed)
    finally:
        visit.close()


def test_palette_toggle_switches_and_is_remembered(browser, server):
    visit = Visit(browser, server, scheme="dark")
    try:
        page = visit.open("/")
        scheme = "document.body.getAttribute('data-md-color-scheme')"
        assert page.evaluate(scheme) == "slate"  # follows the system setting until the reader picks
        assert page.evaluate("document.querySelector('meta[name=color-scheme]').content") == "dark"
        page.locator("form[data-md-palette] label:not([hidden])").click()
        assert page.evaluate(scheme) == "default"
        assert page.locator("form[data-md-palette] label:not([hidden])").count() == 1
        assert page.evaluate("document.querySelector('meta[name=color-scheme]').content") == "light"
        page = visit.open("/sv/countries/pl/")  # the choice holds on other pages, in both languages
        assert page.evaluate(scheme) == "default"
        page.locator("form[data-md-palette] input").first.focus()
        page.keyboard.press("Enter")  # and the keyboard switches it back
        assert page.evaluate(scheme) == "slate"
        assert not visit.errors, visit.errors
    finally:
        visit.close()


@pytest.mark.parametrize("path", ["/", "/report/2-2-member-states/", "/analysis/ncmec-map/", "/sv/countries/pl/"])
def test_usable_at_320px(browser, server, path):
    visit = Visit(browser, server, width=320)
    try:
        page = visit.open(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path}: page body scrolls horizontally by {overflow}px at 320px"
    finally:
        visit.close()


def test_country_selector_highlights_another_member_state(browser, server):
    visit = Visit(browser, server)
    try:
        page = visit.open("/countries/pl/")
        plot = "plot-ncmec-per-100k-trend-pl"
        line = "(code) => document.getElementById('%s').data.find(t => t.meta && t.meta.country === code)" % plot
        assert page.evaluate(f"({line})('PL').line.color") == "#D55E00"
        page.locator(f"#{plot}-country").select_option("SE")
        page.locator(f"#{plot} .legendtext", has_text=PKG["member_states"].set_index("country_code").at["SE", "name_en"]) \
            .wait_for(timeout=20000)
        assert page.evaluate(f"({line})('SE').line.color") == "#D55E00"
        assert page.evaluate(f"({line})('PL').line.color") != "#D55E00"
        assert not visit.errors, visit.errors
    finally:
        visit.close()
