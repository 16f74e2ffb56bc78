"""A new year of data needs no code change, and a break in series stops every comparison.

One build from a copy of the package with two synthetic years added the way a maintainer
adds NCMEC figures (each year from its own, unprinted source; scripts/synthetic_years.py),
with a break in series recorded at the first of them (so, on the real data up to 2023, a
synthetic 2024 after a break and a 2025 after it). Checked against the real data's build
(``built_site``): the data still validates, both years are table cells on every country page
and on the map page, the report-mirror pages' main content is byte-identical, and no change
is shown across the break while its reason is.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitebuild import build, copy_project
from synthetic_years import BREAK_REASON, add_years
from transparency.package import load_package
from transparency.validate import validate_package

PKG = load_package()
LANGS = {"en": "", "sv": "sv/"}
MAIN = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


def _make_synthetic(folder: Path) -> dict:
    project = copy_project(folder / "project")
    years = add_years(project / "datapackage", 2, with_break=True)
    problems = validate_package(project / "datapackage")
    result = build(project, folder / "site")
    return {"site": str(folder / "site"), "years": years, "problems": [str(p) for p in problems],
            "returncode": result.returncode, "stderr": result.stderr[-4000:]}


# One build per test run, shared by the pytest-xdist workers (conftest.py, run_once).
@pytest.fixture(scope="module")
def synthetic(run_once):
    made = run_once("synthetic", _make_synthetic)
    assert made["returncode"] == 0, made["stderr"]
    return Path(made["site"]), made["years"], made["problems"]


def _html(site: Path, lang: str, page: str) -> str:
    return (site / LANGS[lang] / page / "index.html").read_text(encoding="utf-8")


def _main(html: str) -> str:
    found = MAIN.search(html)
    assert found, "page has no main article"
    return found.group(1)


def _year_row(html: str, table_id: str, year: int) -> bool:
    """Does the table ``table_id`` have a row whose first cell is the year?"""
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S)
    assert table, f"table {table_id} is missing"
    return f'<tr><th scope="row">{year}</th>' in table.group(1)


def test_synthetic_years_pass_the_same_checks(synthetic):
    _, _, problems = synthetic
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("lang", LANGS)
def test_new_years_are_cells_on_every_country_page(synthetic, lang):
    site, years, _ = synthetic
    for code in PKG["member_states"]["country_code"].str.lower():
        html = _html(site, lang, f"countries/{code}")
        for year in years:
            assert _year_row(html, "table-ncmec-reports", year), f"{lang}/countries/{code}: no row for {year}"


@pytest.mark.parametrize("lang", LANGS)
def test_new_years_are_on_the_map_page(synthetic, lang):
    site, years, _ = synthetic
    html = _html(site, lang, "analysis/ncmec-map")
    for year in years:
        assert f'<option value="{year}"' in html, f"{lang}: map selector lacks {year}"
        per_100k = re.search(r'<table id="metric-reports-per-100k">(.*?)</table>', html, re.S).group(1)
        assert f"<td>{year}</td>" in per_100k, f"{lang}: per-100k table lacks {year}"


@pytest.mark.parametrize("lang", LANGS)
def test_report_mirror_pages_do_not_change(synthetic, built_site, lang):
    site, _, _ = synthetic
    pages = sorted(p.parent.relative_to(built_site / LANGS[lang]).as_posix()
                   for p in (built_site / LANGS[lang] / "report").rglob("index.html"))
    assert len(pages) >= 6
    for page in pages:
        assert _main(_html(site, lang, page)) == _main(_html(built_site, lang, page)), f"{lang}/{page} changed"


def test_no_change_is_computed_across_the_break(synthetic):
    site, (after, later), _ = synthetic
    before = int(PKG["ncmec_reports_by_country"]["year"].max())  # the real data's latest year
    home = _html(site, "en", "")
    assert f"change in those reports from {after} to {later}" in home  # the latest change, after the break
    for lang, phrase in (("en", "{a} to {b}"), ("sv", "{a} till {b}")):
        for page in site.joinpath(LANGS[lang]).rglob("index.html"):
            html = page.read_text(encoding="utf-8")
            across = phrase.format(a=before, b=after)
            assert html.count(across) == html.count("no change computed from " + across) + html.count(
                "ingen förändring beräknad från " + across), f"{page}: a change across the break"
    table = re.search(r'<table id="metric-year-on-year">(.*?)</table>', _html(site, "en", "analysis/ncmec-map"), re.S)
    rows = re.findall(rf"<tr>.*?<td>{before}</td><td>{after}</td>(.*?)</tr>", table.group(1))
    assert len(rows) == len(PKG["member_states"]), "one year-on-year row per member state across the break"
    assert all("break in series" in row and "%" not in row for row in rows)
    # The controls: either side of the break is compared. Before it, the real data's latest pair of
    # years with no break of its own between them (a maintainer's new year may start one).
    breaks = set(PKG["series_breaks"]["year"].astype(int)) if len(PKG["series_breaks"]) else set()
    years = sorted(set(PKG["ncmec_reports_by_country"]["year"].astype(int)))
    earlier = [(a, b) for a, b in zip(years, years[1:]) if b == a + 1 and b not in breaks][-1:]
    for a, b in earlier + [(after, later)]:
        assert re.search(rf"<td>{a}</td><td>{b}</td><td[^>]*>[^<]+</td><td[^>]*>[^<]+</td>"
                         rf'<td class="num">-?[0-9.,]+%</td>', table.group(1)), f"the change {a}->{b} is missing"


@pytest.mark.parametrize("lang", LANGS)
def test_the_break_reason_is_shown_where_a_change_would_be(synthetic, lang):
    site, _, _ = synthetic
    reason = BREAK_REASON[lang]
    assert reason in _html(site, lang, "analysis/ncmec-map"), f"{lang}: map page"
    for code in PKG["member_states"]["country_code"].str.lower():
        assert reason in _html(site, lang, f"countries/{code}"), f"{lang}/countries/{code}"


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_key_figure_says_why_when_the_latest_change_crosses_a_break(lang):
    # In memory (no build): the latest year follows a break, so the key figure gives no change.
    import pandas as pd

    from transparency import keyfigures
    from transparency.context import Ctx
    from transparency.package import Package

    ncmec = PKG["ncmec_reports_by_country"]
    latest = int(ncmec["year"].max())
    frames = dict(PKG.frames)
    frames["ncmec_reports_by_country"] = pd.concat(
        [ncmec, ncmec[ncmec["year"] == latest].assign(year=latest + 1)], ignore_index=True)
    frames["series_breaks"] = pd.DataFrame({
        "series": ["ncmec_reports_by_country"], "year": pd.array([latest + 1], dtype="Int64"),
        "reason_en": [BREAK_REASON["en"]], "reason_sv": [BREAK_REASON["sv"]], "source_id": ["x"], "source": [""]})
    pkg = Package(path=PKG.path, descriptor=PKG.descriptor, schemas=PKG.schemas, frames=frames)
    labels = [item["label"] for item in keyfigures.figures(Ctx(pkg=pkg, lang=lang))]
    across = [label for label in labels if f"{latest} " in label and f"{latest + 1}" in label]
    assert len(across) == 1 and BREAK_REASON[lang] in across[0], labels
    assert not any("%" in item["value"] for item in keyfigures.figures(Ctx(pkg=pkg, lang=lang))[:2])
