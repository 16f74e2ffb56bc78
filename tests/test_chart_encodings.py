"""Charts where readers look first, and encodings that do not distort (issue 13): expected
values are computed here from the data files, never read back from the chart code."""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import pytest

from transparency import charts
from transparency.context import Ctx
from transparency.package import load_package

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "datapackage" / "data"
PKG = load_package()


def _rows(name: str) -> list[dict]:
    with (DATA / f"{name}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _per_100k() -> dict[tuple[str, int], float]:
    """Reports per 100 000 inhabitants per (country, year), from the two CSVs."""
    population = {(r["country_code"], int(r["year"])): int(r["population__persons"]) for r in _rows("population")}
    return {(r["country_code"], int(r["year"])): int(r["reports__count"]) / population[r["country_code"], int(r["year"])]
            * 100_000 for r in _rows("ncmec_reports_by_country")}


def _eu_per_100k(year: int) -> float:
    reports = sum(int(r["reports__count"]) for r in _rows("ncmec_reports_by_country") if int(r["year"]) == year)
    people = next(int(r["population__persons"]) for r in _rows("population_eu27") if int(r["year"]) == year)
    return reports / people * 100_000


def _chart(chart_id: str, key=None, lang: str = "en"):
    return charts.build(Ctx(pkg=PKG, lang=lang), chart_id, key)


# --- Country page: per 100 000 over the years, EU figure and rank ---------------------------

@pytest.mark.parametrize("lang, expected_2022", [("en", "{v} (no. {r})"), ("sv", "{v} (nr {r})")])
def test_polands_chart_has_its_2022_rate_rank_and_the_eu_figure(lang, expected_2022):
    rates = _per_100k()
    poland = rates["PL", 2022]
    rank = 1 + sum(v > poland for (c, y), v in rates.items() if y == 2022)
    chart = _chart("ncmec_per_100k_trend", "PL", lang)
    row = chart.numbers[chart.numbers["year"] == 2022].iloc[0]
    assert row["country_code"] == "PL"
    assert math.isclose(float(row["reports_per_100k__count"]), poland, rel_tol=1e-12)
    assert int(row["rank__position"]) == rank
    assert math.isclose(float(row["eu_reports_per_100k__count"]), _eu_per_100k(2022), rel_tol=1e-12)
    line = next(tr for tr in chart.figure["data"] if (tr.get("meta") or {}).get("country") == "PL")
    value = f"{poland:,.1f}" if lang == "en" else f"{poland:.1f}".replace(".", ",")
    assert line["text"][line["x"].index("2022")] == expected_2022.format(v=value, r=rank)
    assert "lines+markers+text" == line["mode"] and line["line"]["color"] == charts.HIGHLIGHT
    others = [tr for tr in chart.figure["data"] if (tr.get("meta") or {}).get("country") not in (None, "PL")]
    assert len(others) == 26 and all(tr["mode"] == "lines" for tr in others)
    eu = next(tr for tr in chart.figure["data"] if tr["name"] == "EU-27")
    assert math.isclose(eu["y"][eu["x"].index("2022")], _eu_per_100k(2022), rel_tol=1e-12)


def test_every_country_and_provider_page_and_the_home_page_carry_their_chart(built_site: Path):
    rates = _per_100k()
    latest = max(y for _, y in rates)
    for lang, prefix in (("en", ""), ("sv", "sv/")):
        home = (built_site / prefix / "index.html").read_text(encoding="utf-8")
        assert 'id="chart-ncmec-per-100k-latest"' in home
        for row in _rows("member_states"):
            code = row["country_code"]
            html = (built_site / prefix / "countries" / code.lower() / "index.html").read_text(encoding="utf-8")
            assert f'id="chart-ncmec-per-100k-trend-{code.lower()}"' in html, (lang, code)
            assert f'id="chart-ms-completeness-{code.lower()}"' in html, (lang, code)
            # The takeaway names the country's own latest rate and rank.
            rank = 1 + sum(v > rates[code, latest] for (c, y), v in rates.items() if y == latest)
            value = f"{rates[code, latest]:,.1f}" if lang == "en" else f"{rates[code, latest]:.1f}".replace(".", ",")
            word = "rank" if lang == "en" else "plats"
            assert f"{value}" in html and f"{word} {rank} " in html, (lang, code, value, rank)
            # The country selector starts on the page's own country.
            assert re.search(rf'<option value="{code}" selected>', html), (lang, code)
        for row in _rows("providers"):
            html = (built_site / prefix / "providers" / row["provider_id"] / "index.html").read_text(encoding="utf-8")
            assert f'id="chart-provider-history-{row["provider_id"]}"' in html, (lang, row["provider_id"])


def test_home_chart_sorts_the_latest_year_with_the_eu_among_the_countries():
    rates = _per_100k()
    latest = max(y for _, y in rates)
    bars = _chart("ncmec_per_100k_latest").figure["data"][0]
    expected = sorted([(v, c) for (c, y), v in rates.items() if y == latest] + [(_eu_per_100k(latest), "EU27")])
    assert list(bars["meta"]["countries"]) == [c for _, c in expected]
    assert [round(x, 6) for x in bars["x"]] == [round(v, 6) for v, _ in expected]
    colours = dict(zip(bars["meta"]["countries"], bars["marker"]["color"]))
    assert colours["EU27"] == charts.EU_COLOUR and colours["PL"] == charts.OTHERS
    highlighted = dict(zip(bars["meta"]["countries"],
                           _chart("ncmec_per_100k_latest", "PL").figure["data"][0]["marker"]["color"]))
    assert highlighted["PL"] == charts.HIGHLIGHT and highlighted["SE"] == charts.OTHERS


def test_country_completeness_is_its_own_row():
    chart = _chart("ms_completeness", "MT")
    assert set(chart.numbers["country_code"]) == {"MT"}
    assert list(chart.figure["data"][0]["y"]) == ["Malta"]


# --- Provider page: detections, appeals, reinstatements, units apart --------------------------

def _history_panels(chart):
    """{panel title: {year: label}} from the figure: subplot titles, bar and baseline labels."""
    titles = [a["text"] for a in chart.figure["layout"]["annotations"]]
    panels = {}
    for trace in chart.figure["data"]:
        axis = int(trace.get("yaxis", "y")[1:] or 1)
        panels.setdefault(titles[axis - 1], {}).update(
            {y: text for y, text in zip(trace["y"], trace["text"]) if text})
    return panels


def test_microsofts_zero_appeals_are_labelled_and_units_never_share_a_panel():
    appeals = [r for r in _rows("provider_appeals") if r["provider_id"] == "microsoft" and r["measure"] == "complaints"]
    assert {r["value"] for r in appeals} == {"0"}
    panels = _history_panels(_chart("provider_history", "microsoft"))
    assert panels["Appealed (complaints)"] == {str(r["year"]): "0" for r in appeals}
    detections = {r["year"]: f"{int(r['value']):,}" for r in _rows("provider_detections") if r["provider_id"] == "microsoft"}
    assert panels["Detected (content items)"] == detections


def test_metas_panels_keep_accounts_and_items_apart():
    panels = _history_panels(_chart("provider_history", "meta"))
    assert panels["Detected (accounts)"] == {"2021": "340,000"}
    assert panels["Detected (content items)"] == {"2022": "6,600,000"}
    assert panels["Reinstated (accounts)"] == {"2021": "207", "2022": "N/A"}  # N/A written, not left empty


# --- Honest encodings -----------------------------------------------------------------------

def test_appeal_funnel_draws_and_labels_zero_appeals():
    zero = [(r["provider_id"], int(r["year"])) for r in _rows("provider_reinstatement_rates")
            if r["denominator"] == "0" and r["basis"] == "of_appeals"]
    assert zero, "the report has providers with no appeals"
    fig = _chart("appeal_funnel").figure
    appealed = next(tr for tr in fig["data"] if tr["name"] == "Appealed")
    for provider, year in zero:
        name = {"linkedin": "LinkedIn", "microsoft": "Microsoft"}[provider]
        index = next(i for i, y in enumerate(appealed["y"]) if y.startswith(f"{name} {year}"))
        assert appealed["x"][index] == 0 and appealed["text"][index] == "0"
    xaxis = fig["layout"]["xaxis"]
    assert xaxis.get("type") != "log" and xaxis["tickvals"][0] == 0


@pytest.mark.parametrize("chart_id", ["provider_detections", "appeal_funnel", "ms_convictions",
                                      "ncmec_global_categories"])
def test_no_count_chart_uses_a_log_axis_that_would_drop_zero(chart_id):
    layout = _chart(chart_id).figure["layout"]
    for name in ("xaxis", "yaxis", "xaxis2", "yaxis2"):
        assert layout.get(name, {}).get("type") != "log", (chart_id, name)


def test_children_by_sex_are_shares_of_100_with_counts_in_the_tooltips():
    fig = _chart("ms_children_by_sex").figure
    girls = next(tr for tr in fig["data"] if tr["name"] == "Girls")
    boys = next(tr for tr in fig["data"] if tr["name"] == "Boys")
    austria = next(r for r in _rows("ms_children_identified") if r["country_code"] == "AT")
    g, b = int(austria["girls__count"]), int(austria["boys__count"])
    i = girls["y"].index("Austria")
    assert math.isclose(girls["x"][i], g / (g + b) * 100) and math.isclose(boys["x"][i], b / (g + b) * 100)
    assert f"{g} girls" in girls["hovertext"][i] and f"{b} boys" in boys["hovertext"][i]
    assert fig["layout"]["xaxis"]["range"] == [0, 100]
    # Luxembourg identified no child: named, not an empty row.
    zero = [tr for tr in fig["data"] if tr["type"] == "scatter"]
    assert zero and "Luxembourg" in zero[0]["y"] and "0 children" in zero[0]["text"][0]


def test_reporting_periods_are_ranges_and_counts_a_panel_of_their_own():
    fig = _chart("ms_reports_received").figure
    periods, counts = fig["data"][0], fig["data"][1]
    received = {r["country_code"]: r for r in _rows("ms_reports_received")}
    greece, netherlands = counts["y"].index("Greece"), counts["y"].index("Netherlands")
    assert counts["x"][greece] == float(received["GR"]["value"]) == 142
    assert counts["x"][netherlands] == float(received["NL"]["value"]) == 36537
    assert counts["x"][greece] < counts["x"][netherlands]
    days = lambda r: (__import__("datetime").date.fromisoformat(r["period_end"])  # noqa: E731
                      - __import__("datetime").date.fromisoformat(r["period_start"])).days + 1
    assert periods["x"][greece] == days(received["GR"]) * 86_400_000
    assert periods["base"][greece] == received["GR"]["period_start"]
    assert fig["layout"]["xaxis"]["type"] == "date" and counts["xaxis"] == "x2"


@pytest.mark.parametrize("chart_id", sorted(charts.BUILDERS))
def test_legends_sit_above_the_plot(chart_id):
    key = "meta" if chart_id == "provider_history" else None
    legend = _chart(chart_id, key).figure["layout"]["legend"]
    assert legend["orientation"] == "h" and legend["y"] >= 1 and legend["yanchor"] == "bottom", chart_id


# --- The map -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, words", [("en", "Germany, {y}: {v} reports per 100,000 inhabitants"),
                                         ("sv", "Tyskland, {y}: {v} rapporter per 100\u00a0000 invånare")])
def test_map_tooltips_name_the_unit_and_year(lang, words):
    rates = _per_100k()
    chart = _chart("ncmec_map", None, lang)
    for trace in chart.figure["data"]:
        year = trace["meta"]["year"]
        value = f"{rates['DE', year]:,.1f}" if lang == "en" else f"{rates['DE', year]:.1f}".replace(".", ",")
        expected = words.format(y=year, v=value)
        assert trace["text"][trace["locations"].index("DE")] == expected
        assert f"<title>{expected}</title>" in str(chart.preview)


def test_static_and_interactive_map_legends_mark_the_same_ticks():
    chart = _chart("ncmec_map")
    bar = chart.figure["data"][0]["colorbar"]
    ticks = bar["tickvals"]
    high = max(_per_100k().values())
    assert ticks[0] == 0 and ticks[-1] <= high < ticks[-1] + (ticks[1] - ticks[0])
    static = re.findall(r'<text x="\d+" y="38" text-anchor="middle">([^<]+)</text>', str(chart.preview))
    years = len(chart.years)
    assert static == list(bar["ticktext"]) * years
    assert "1,000" in bar["ticktext"]  # the rounded tick, not the maximum 1,138.7


def test_map_caption_has_one_takeaway_per_year():
    rates = _per_100k()
    html = str(charts.chart_block(Ctx(pkg=PKG, lang="en"), "ncmec_map"))
    for year in sorted({y for _, y in rates}):
        top = max((v, c) for (c, y), v in rates.items() if y == year)
        span = re.search(rf'<span class="chart-takeaway" data-year="{year}"( hidden)?>([^<]+)</span>', html)
        assert span and f"In {year}," in span.group(2) and f"({top[0]:,.1f})" in span.group(2), year
    assert html.count('class="chart-takeaway"') == len({y for _, y in rates})
    assert html.count(' hidden>') == len({y for _, y in rates}) - 1


def test_log_ticks_read_as_words_in_each_language():
    # Meta's 6.6 million items put the funnel's top tick at a million: "1 miljon" in Swedish.
    assert "1 miljon" in _chart("appeal_funnel", None, "sv").figure["layout"]["xaxis"]["ticktext"]
    assert "1 million" in _chart("appeal_funnel", None, "en").figure["layout"]["xaxis"]["ticktext"]


# --- Subplots without plotly.py ----------------------------------------------------------------

@pytest.mark.parametrize("arguments", [
    dict(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04),  # provider detections
    dict(rows=1, cols=2, shared_yaxes=True, column_widths=[0.55, 0.45], horizontal_spacing=0.04),  # received
    dict(rows=6, cols=1, vertical_spacing=0.5 / 6, subplot_titles=[f"Panel {i}" for i in range(6)]),  # history
    dict(rows=1, cols=1, vertical_spacing=0, subplot_titles=["Alone"]),  # a provider with one panel
    dict(rows=2, cols=3, shared_yaxes=True),  # Plotly's default spacings
])
def test_subplots_are_laid_out_as_plotlys_make_subplots(arguments):
    # The interactive chart must look as it did when plotly.py's make_subplots laid it out.
    from plotly.subplots import make_subplots

    expected = make_subplots(**arguments).layout.to_plotly_json()
    expected.pop("template", None)
    if "subplot_titles" not in arguments:
        expected.pop("annotations", None)
    made = charts._subplots(**arguments)["layout"]
    assert json.dumps(made, sort_keys=True) == json.dumps(expected, sort_keys=True)
