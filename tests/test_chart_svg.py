"""Every chart drawn at build time (transparency/svgchart.py): in the page before Plotly, in
its downloads (SVG with title, source, licence, address and version; PNG made from it in the
browser; CSV with names, integer counts, source and version) and on its embed page."""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
import json
import math
import re
from pathlib import Path

import pytest

from sitebuild import SITE_URL
from transparency import charts, svgchart
from transparency.context import Ctx
from transparency.i18n import t
from transparency.package import load_package

ROOT = Path(__file__).resolve().parents[1]
PKG = load_package()
CTX = Ctx(pkg=PKG, lang="en")
# Every chart, and a keyed chart in its first key's version too (a chart per provider has no other).
VERSIONS = [(c, k) for c in charts.BUILDERS for k in charts.chart_keys(CTX, c)[:2]]
DRAWN = [(c, k) for c, k in VERSIONS if c != "ncmec_map"]  # the map has its own preview (static_map)
EMBEDDED = [(c, k) for c in charts.BUILDERS for k in charts.embed_keys(CTX, c)]


def _figure(lang: str, chart_id: str, key=None) -> dict:
    """The figure as the page carries it (data-plotly), read back."""
    return json.loads(charts.build(Ctx(pkg=PKG, lang=lang), chart_id, key).spec)


# --- the renderer, on the site's own figures ----------------------------------------------------

def _box(item: dict) -> tuple[float, float, float, float]:
    """A text item's bounding box (left, top, right, bottom), rotation included."""
    width = max(svgchart.text_width(line, item["size"]) for line in item["lines"])
    left = item["x"] - {"start": 0, "middle": width / 2, "end": width}[item["anchor"]]
    top = item["y"] - 0.8 * item["size"]
    bottom = item["y"] + (len(item["lines"]) - 1) * item["lh"] + 0.25 * item["size"]
    corners = [(left, top), (left + width, top), (left, bottom), (left + width, bottom)]
    angle = math.radians(item["rotate"])
    turned = [(item["x"] + (x - item["x"]) * math.cos(angle) - (y - item["y"]) * math.sin(angle),
               item["y"] + (x - item["x"]) * math.sin(angle) + (y - item["y"]) * math.cos(angle)) for x, y in corners]
    xs, ys = [p[0] for p in turned], [p[1] for p in turned]
    return min(xs), min(ys), max(xs), max(ys)


def _overlap(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def _collide(a: dict, b: dict) -> bool:
    """Whether two texts overlap: in their own frame when both turn by the same angle (the 45
    degree tick labels), else by their bounding boxes."""
    if a["rotate"] and a["rotate"] == b["rotate"]:
        angle = math.radians(-a["rotate"])

        def unturned(item):
            x = item["x"] * math.cos(angle) - item["y"] * math.sin(angle)
            y = item["x"] * math.sin(angle) + item["y"] * math.cos(angle)
            return _box({**item, "x": x, "y": y, "rotate": 0})
        return _overlap(unturned(a), unturned(b))
    return _overlap(_box(a), _box(b))


@pytest.mark.parametrize("lang", ["en", "sv"])
@pytest.mark.parametrize("layout", [svgchart.NARROW, svgchart.WIDE], ids=lambda layout: layout.name)
@pytest.mark.parametrize("chart_id,key", DRAWN)
def test_nothing_is_cropped_and_the_legend_never_meets_a_label(chart_id, key, layout, lang):
    scene = svgchart.scene(_figure(lang, chart_id, key), lang, layout, chart_id)
    texts = [i for i in scene.items if i["kind"] == "text"]
    assert texts, f"{chart_id}: no text drawn"
    for item in texts:
        left, top, right, bottom = _box(item)
        assert left >= -0.5 and top >= -0.5 and right <= scene.width + 0.5 and bottom <= scene.height + 0.5, (
            f"{chart_id} ({layout.name}, {lang}): {item['lines']} at {left:.0f},{top:.0f}-{right:.0f},{bottom:.0f} "
            f"leaves the drawing {scene.width}x{scene.height}")
    labels = [i for i in texts if i["klass"] in ("tick", "title")]
    legend = [i for i in texts if i["klass"] == "legend"]
    assert bool(legend) == bool(svgchart._legend_items(_figure(lang, chart_id, key)))
    # every legend, tick, title and value label keeps clear of every other one
    named = labels + legend + [i for i in texts if i["klass"] == "value"]
    for n, item in enumerate(named):
        hits = [other["lines"] for other in named[n + 1:] if _collide(item, other)]
        assert not hits, f"{chart_id} ({layout.name}, {lang}): {item['lines']} overlaps {hits}"


def _bars(lang: str = "sv") -> dict:
    return {"data": [{"type": "bar", "x": ["A", "B"], "y": [1234.0, 0.5], "name": "2022", "marker": {"color": "#0072B2"}},
                     {"type": "bar", "x": ["A", "B"], "y": [99.0, 5.0], "name": "2023"}],
            "layout": {"barmode": "group", "yaxis": {"title": {"text": "Count"}}}}


def test_bars_are_labelled_in_the_page_language_and_drawn_the_same_every_time():
    make = lambda: svgchart.render(_bars(), lang="sv", title="T <&>", description="D", ident="x")  # noqa: E731
    svg = str(make())
    assert svg == str(make())
    assert re.match(r'<svg [^>]*viewBox="0 0 640 \d+"[^>]* role="img" aria-labelledby="x-title x-desc"', svg)
    assert '<title id="x-title">T &lt;&amp;&gt;</title>' in svg
    assert "2022 · A: 1\u00a0234" in svg  # Swedish grouping (Babel), in the bar's tooltip
    assert ">1\u00a0000<" in svg  # a Swedish tick label
    heights = [float(h) for h in re.findall(r'<rect class="c-bar" [^>]*height="([\d.]+)"', svg)]
    assert len(heights) == 4 and heights[0] > heights[2] > heights[3] > heights[1]  # 1234 > 99 > 5 > 0.5


@pytest.mark.parametrize("chart_id, key", DRAWN)
def test_drawing_and_exporting_leave_the_shared_figure_as_the_page_carries_it(chart_id, key):
    # One figure dict serves the page's JSON, both drawings, the export and the embed height:
    # a renderer that changed it would change what comes after it.
    ctx = Ctx(pkg=PKG, lang="en")
    chart = charts.build(ctx, chart_id, key)
    before = copy.deepcopy(chart.figure)
    charts.static_svg(ctx, chart_id, chart)
    charts.export_svg(ctx, chart_id, key)
    charts._embed_height(ctx, chart_id, chart)
    assert chart.figure == before
    assert json.loads(chart.spec) == chart.figure  # the drawings read what the page carries


def test_a_chart_is_laid_out_once_per_layout_for_its_page_embed_download_and_embed_height(monkeypatch):
    # The page (two layouts), the embed page, the SVG download and the embed iframe's height
    # all show the same drawing: laying it out again for each was most of the drawing time.
    laid_out = []
    real = svgchart.scene
    monkeypatch.setattr(svgchart, "scene", lambda figure, lang, layout, chart: laid_out.append(
        (chart, lang, layout.name)) or real(figure, lang, layout, chart))
    pkg = dataclasses.replace(PKG)  # a package object of its own: nothing built or drawn on it yet
    for lang in ("en", "sv"):
        ctx = Ctx(pkg=pkg, lang=lang)
        page = charts.chart_block(ctx, "ms_convictions")
        embed = charts.embed_block(ctx, "ms_convictions", page="member-states/")
        download = charts.export_svg(ctx, "ms_convictions")
        assert charts.static_svg(ctx, "ms_convictions", charts.build(ctx, "ms_convictions")) in page
        assert str(charts.static_svg(ctx, "ms_convictions", charts.build(ctx, "ms_convictions"))) in str(embed)
        assert "<svg" in download
    assert sorted(laid_out) == sorted((c, lang, layout) for c in ["ms_convictions"] for lang in ("en", "sv")
                                      for layout in ("narrow", "wide"))


def test_an_unknown_trace_type_stops_the_build_naming_the_chart():
    with pytest.raises(svgchart.ChartError, match="chart my_chart: trace type 'pie'"):
        svgchart.render({"data": [{"type": "pie", "values": [1]}], "layout": {}}, lang="en", title="t",
                        description="d", ident="i", chart="my_chart")


def test_stacked_percent_bars_end_at_one_hundred():
    figure = {"data": [{"type": "bar", "y": ["A"], "x": [30.0], "orientation": "h", "name": "girls"},
                       {"type": "bar", "y": ["A"], "x": [10.0], "orientation": "h", "name": "boys"}],
              "layout": {"barmode": "stack", "barnorm": "percent"}}
    scene = svgchart.scene(figure, "en", svgchart.WIDE, "share")
    bars = [i for i in scene.items if i["kind"] == "rect" and i["klass"] == "bar"]
    assert [round(b["w"] / (bars[0]["w"] + bars[1]["w"]), 3) for b in bars] == [0.75, 0.25]
    assert "girls · A: 75" in bars[0]["tip"]


# --- CSV ------------------------------------------------------------------------------------------

def test_chart_csv_has_names_integer_counts_source_and_version():
    ctx = Ctx(pkg=PKG, lang="en")
    chart = charts.build(ctx, "ms_convictions")
    rows = list(csv.DictReader(io.StringIO(charts.chart_csv(chart, PKG, charts.source_text(ctx, chart)))))
    italy = next(r for r in rows if r["country_code"] == "IT")
    # Table 9 of the report prints 5 835 convictions for Italy (2021 to 2022)
    assert italy["convictions__count"] == "5835"
    assert (italy["country_name_en"], italy["country_name_sv"]) == ("Italy", "Italien")
    assert italy["data_version"] == PKG.version and "Table 9" in italy["source"]
    assert not [r for r in rows for v in r.values() if re.fullmatch(r"-?\d+\.0+", v)]


# --- the built site ---------------------------------------------------------------------------------

def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def _figures(site: Path):
    for page in sorted(site.rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        for figure in re.findall(r'<figure class="chart" id="chart-[^"]+">.*?</figure>', html, re.S):
            yield page.relative_to(site).as_posix(), figure


def test_every_chart_figure_holds_its_drawing_with_title_and_numbers(built_site: Path):
    seen = 0
    for page, figure in _figures(built_site):
        lang = "sv" if page.startswith("sv/") else "en"
        name = re.search(r'id="chart-([^"]+)"', figure).group(1)
        chart_id = next(c for c in sorted(charts.BUILDERS, key=len, reverse=True) if name.startswith(c.replace("_", "-")))
        title = t(f"chart_{chart_id}", lang)
        svgs = re.findall(r"<svg\b.*?</svg>", figure, re.S)
        assert svgs, f"{page}: chart {chart_id} has no inline SVG"
        if chart_id != "ncmec_map":
            assert len(svgs) == 2, f"{page}: chart {chart_id} lacks its narrow and wide drawings"
            for svg in svgs:
                assert re.search(r'role="img" aria-labelledby="[^"]+"', svg)
                assert _text(re.search(r'<title id="[^"]*-title">(.*?)</title>', svg).group(1)) == _text(
                    str(__import__("markupsafe").escape(title)))
                assert re.search(r">[^<]*\d[^<]*</(text|tspan|title)>", svg), f"{page}: {chart_id} has no number"
        seen += 1
    assert seen >= 2 * len(EMBEDDED)


@pytest.mark.parametrize("lang,page,count", [
    # Table 9: Italy 5 835 convictions (2021 to 2022); Table 6: the Netherlands 36 537 reports (2021)
    ("en", "report/2-2-member-states/index.html", ("ms-convictions", "Italy (2021 to 2022): 5,835")),
    ("sv", "sv/report/2-2-member-states/index.html", ("ms-convictions", "Italien (2021 till 2022): 5\u00a0835")),
    ("en", "report/2-2-member-states/index.html", ("ms-reports-received", ">36,537<")),
])
def test_a_drawing_shows_a_count_of_the_report(built_site: Path, lang, page, count):
    html = (built_site / page).read_text(encoding="utf-8")
    chart, expected = count
    figure = re.search(rf'<figure class="chart" id="chart-{chart}">.*?</figure>', html, re.S).group(0)
    space = lambda text: re.sub(r"[\s\u00a0\u202f]", " ", text)  # noqa: E731  (grouping space: any kind)
    for svg in re.findall(r"<svg\b.*?</svg>", figure, re.S):
        assert space(expected) in space(svg)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_chart_has_downloads_that_explain_themselves(built_site: Path, lang):
    folder = built_site / "downloads" / "charts"
    licence = PKG.descriptor["licenses"][0]["name"]
    for chart_id, key in VERSIONS:
        names = {ext: charts.download_name(chart_id, PKG.version, lang, ext, key) for ext in ("csv", "svg", "png")}
        own = charts.chart_name(chart_id, charts.download_key(chart_id, key))
        assert names["svg"] == f"{own}-v{PKG.version}{'' if lang == 'en' else '-sv'}.svg"
        svg = (folder / names["svg"]).read_text(encoding="utf-8")
        text = _text(svg)
        for part in (str(__import__("markupsafe").escape(t(f"chart_{chart_id}", lang))), "COM(2023) 797 final",
                     licence, SITE_URL, PKG.version, t("export_source", lang, source="").strip()):
            assert re.sub(r"\s+", " ", part) in text, f"{names['svg']} lacks {part!r}"
        assert re.search(r'<svg [^>]*width="\d+" height="\d+"', svg)
        assert (folder / names["csv"]).is_file()
        # the chart's page offers all three, named after the chart and the version
        page = built_site / ("" if lang == "en" else "sv") / "analysis" / "appeals" / "index.html"
    html = page.read_text(encoding="utf-8")
    for ext in ("csv", "svg", "png"):
        assert charts.download_name("appeal_funnel", PKG.version, lang, ext) in html


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_chart_has_an_embed_page_and_its_code(built_site: Path, lang):
    prefix = "" if lang == "en" else "sv/"
    for chart_id, key in EMBEDDED:
        slug = charts.chart_name(chart_id, key)
        page = built_site / prefix / "embed" / slug / "index.html"
        html = page.read_text(encoding="utf-8")
        assert f'id="chart-{slug}"' in html and 'name="robots" content="noindex"' in html
        assert 'class="md-header' not in html and 'class="md-footer' not in html
    appeals = (built_site / prefix / "analysis" / "appeals" / "index.html").read_text(encoding="utf-8")
    assert f"&lt;iframe src=\"{SITE_URL}{prefix}embed/appeal-funnel/\"" in appeals


# --- in Chromium --------------------------------------------------------------------------------------

playwright = pytest.importorskip("playwright.sync_api")
from browsing import CHROMIUM, new_context, settle  # noqa: E402

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}


@pytest.fixture
def page_of(browser, server):
    contexts = []

    def open_page(path: str, width: int = 1280):
        context = new_context(browser, server, viewport={"width": width, "height": 900}, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("request", lambda r: not r.url.startswith((server.base + "/", "data:", "blob:"))
                and page.errors.append("off-site request " + r.url))
        page.goto(server.base + path, wait_until="load")
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_embed_pages_pass_axe_before_and_after_plotly(page_of, lang):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for chart_id, key in EMBEDDED:
        slug = charts.chart_name(chart_id, key)
        page = page_of(("/" if lang == "en" else "/sv/") + f"embed/{slug}/")
        settle(page)
        results = axe.run(page, options=WCAG)
        assert not results.violations_count, f"{chart_id}: {results.generate_report()}"
        assert page.evaluate("typeof window.Plotly") == "undefined"  # nothing ran Plotly yet
        if chart_id == "appeal_funnel":  # the interactive charts' own pages are in test_browser's sweep
            page.locator(f"button.js-plotly-explore[data-target='plot-{slug}']").click()
            page.locator(f"#plot-{slug}[data-plotly-state='rendered']").wait_for(state="attached", timeout=30000)
            page.mouse.move(0, 0)  # no link left in its hover colour under the pointer
            settle(page)
            results = axe.run(page, options=WCAG)
            assert not results.violations_count, f"{chart_id} (interactive): {results.generate_report()}"
        assert not page.errors, page.errors


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
@pytest.mark.parametrize("width", [375, 1366])
def test_the_page_shows_the_drawing_that_fits_and_saves_a_png_without_plotly(page_of, width):
    page = page_of("/sv/analysis/appeals/", width)
    figure = page.locator("#chart-appeal-funnel")
    shown = figure.locator("svg.chart-svg:visible")
    assert shown.count() == 1
    assert shown.get_attribute("data-layout") == ("narrow" if width < 600 else "wide")
    assert shown.bounding_box()["width"] <= page.viewport_size["width"]
    link = figure.locator("a.js-chart-png")
    link.wait_for(state="visible")
    with page.expect_download() as download:
        link.click()
    saved = download.value
    assert saved.suggested_filename == f"appeal-funnel-v{PKG.version}-sv.png"
    data = Path(saved.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width_px, height_px = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width_px == 2 * svgchart.WIDE.width and height_px > width_px / 2
    assert page.evaluate("typeof window.Plotly") == "undefined"
    assert not page.errors, page.errors


def test_a_link_keeps_the_selected_year(page_of):
    years = sorted({str(int(y)) for y in PKG["ncmec_reports_by_country"]["year"]})
    page = page_of(f"/analysis/ncmec-map/?ncmec-map-year={years[0]}")
    select = page.locator("#plot-ncmec-map-year")
    assert select.input_value() == years[0]
    shown = page.locator('#plot-ncmec-map .static-map__year:not([display="none"])')
    assert shown.get_attribute("data-year") == years[0]
    select.select_option(years[1])
    assert f"ncmec-map-year={years[1]}" in page.url
    link = page.locator("a.js-chart-link[data-target='plot-ncmec-map']").get_attribute("href")
    assert link.endswith(f"?ncmec-map-year={years[1]}#chart-ncmec-map")
    assert not page.errors, page.errors
