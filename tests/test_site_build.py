"""End-to-end: the site builds strictly, in both languages, with the data's figures on the
right pages, nothing loaded from another host, and a loud stop on broken data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.numbers import format_decimal

from sitebuild import build, copy_project
from transparency import metrics
from transparency.package import load_package

PKG = load_package()
REPORT_PAGES = ["report/1-introduction", "report/2-1-providers", "report/2-2-member-states",
                "report/2-3-technology", "report/3-conclusions", "report/glossary"]
OTHER_PAGES = ["", "report", "analysis", "analysis/ncmec-map", "analysis/appeals", "analysis/coverage",
               "analysis/completeness", "countries", "providers", "data", "data/dictionary", "data/changelog",
               "about/methodology", "about/accessibility"]
LOCALES = {"en": "en_GB", "sv": "sv_SE"}


def page(site: Path, lang: str, path: str) -> str:
    prefix = "" if lang == "en" else "sv/"
    file = site / prefix / path / "index.html"
    assert file.is_file(), f"missing page {prefix}{path}/"
    return file.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_section_country_and_provider_page_exists(built_site, lang):
    codes = PKG["member_states"]["country_code"].str.lower()
    providers = PKG["providers"]["provider_id"]
    paths = REPORT_PAGES + OTHER_PAGES + [f"countries/{c}" for c in codes] + [f"providers/{p}" for p in providers]
    for path in paths:
        html = page(built_site, lang, path)
        assert f'<html lang="{lang}"' in html, f"{lang}/{path}: wrong or missing lang attribute"


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_table_7_eu_total_formatted_for_language(built_site, lang):
    def latest_total(pkg) -> str:
        totals = metrics.eu_totals(pkg["ncmec_reports_by_country"], pkg["member_states"])
        return format_decimal(int(totals.sort_values("year").iloc[-1]["reports__count"]), locale=LOCALES[lang])

    # The report page shows the report's own rows; the home page the whole series' latest year.
    sources = PKG["sources"]
    (report,) = sources.loc[sources["kind"] == "commission_report", "source_id"]
    assert latest_total(PKG.published_in(report)) in page(built_site, lang, "report/2-2-member-states")
    assert latest_total(PKG) in page(built_site, lang, "")  # key figure on the home page


def test_percentages_use_each_language_style(built_site):
    share = PKG["ncmec_reports_by_country"].iloc[0]["share_of_eu_total_printed__pct"]
    en, sv = f"{share:.2f}%", f"{share:.2f}".replace(".", ",") + "\xa0%"
    assert en in page(built_site, "en", "report/2-2-member-states")
    assert sv in page(built_site, "sv", "report/2-2-member-states")


# The cells of the "Reports received" column of a profile's Table 6 block, as HTML.
def _reports_received_cells(html: str) -> list[str]:
    table = re.search(r'<table id="table-reports-received">(.*?)</table>', html, re.S)
    assert table, "the profile has no reports-received table"
    head = re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", table.group(1))
    column = head.index("Reports received")
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1).split("<tbody", 1)[1], re.S)
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)[column] for row in rows]


def test_not_reported_is_never_shown_as_zero(built_site):
    # Table 6 prints "-" for Germany (no figure) and 0 for Hungary (2022): the first must read
    # "not reported" in its own cell, the second must stay a zero.
    germany = _reports_received_cells(page(built_site, "en", "countries/de"))
    assert len(germany) == 1 and "flag-not_reported" in germany[0] and ">0<" not in germany[0], germany
    hungary = _reports_received_cells(page(built_site, "en", "countries/hu"))
    assert hungary == ["0"], hungary


_EXTERNAL = re.compile(r'<(?:script|link|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)="((?:https?:)?//[^"]+)"')
# Links that name an address without loading it: the page's own canonical address and its
# other-language versions (full URLs, since the build knows the published site_url).
_NAMING_ONLY = re.compile(r'<link\b[^>]*\brel="(?:canonical|alternate)"[^>]*>')


def test_no_page_loads_anything_from_another_host(built_site):
    offenders = {}
    for file in built_site.rglob("*.html"):
        found = _EXTERNAL.findall(_NAMING_ONLY.sub("", file.read_text(encoding="utf-8")))
        if found:
            offenders[str(file.relative_to(built_site))] = found[:3]
    assert not offenders, f"pages load resources from other hosts: {offenders}"
    for css in built_site.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8"), css


def test_plotly_only_on_chart_pages_and_served_once(built_site):
    bundle = list(built_site.rglob("plotly-partial.min.js"))
    assert bundle, "the partial Plotly bundle is not in the built site"
    with_chart = 0
    for file in built_site.rglob("*.html"):
        html = file.read_text(encoding="utf-8")
        has_chart, has_script = "js-plotly" in html, "plotly-partial.min.js" in html
        assert has_chart == has_script, f"{file}: plotly script {'missing' if has_chart else 'loaded without a chart'}"
        assert "Plotly.newPlot" not in html, f"{file}: inline plotly script"
        with_chart += has_chart
    assert with_chart >= 8


def test_downloads_are_shared_by_both_languages(built_site):
    folder = built_site / "downloads"
    assert (folder / "datapackage.json").is_file()
    assert (folder / f"{PKG.name}-{PKG.version}.zip").is_file()
    for resource in PKG.descriptor["resources"]:
        assert (folder / resource["path"]).is_file(), resource["path"]
    assert 'href="../downloads/datapackage.json"' in page(built_site, "en", "data")
    assert 'href="../../downloads/datapackage.json"' in page(built_site, "sv", "data")


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_each_language_searches_its_own_pages_only(built_site, lang):
    folder = built_site if lang == "en" else built_site / "sv"
    index = json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == [lang]
    titles = {doc["title"] for doc in index["docs"] if "#" not in doc["location"]}
    assert ("Austria" if lang == "en" else "Österrike") in titles
    assert ("Österrike" if lang == "en" else "Austria") not in titles
    assert not any(doc["location"].startswith("sv/") for doc in index["docs"])
    # Each location is a page of that language's folder.
    for doc in index["docs"]:
        path = doc["location"].split("#")[0]
        assert (folder / path / "index.html").is_file(), f"{lang} search entry {doc['location']!r} has no page"
    # Every page points its search at its own language's index.
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                                  page(built_site, lang, "countries/pl"), re.S).group(1))
    assert config["base"] == ("../.." if lang == "en" else "../../../sv/")
    # overrides/main.html copies Material's config block, worker file name included.
    assert (built_site / config["search"].replace("../", "")).is_file(), config["search"]


def test_search_index_keeps_table_captions_not_cells(built_site):
    text = (built_site / "search" / "search_index.json").read_text(encoding="utf-8")
    reports = PKG["ncmec_reports_by_country"]
    poland = format_decimal(reports.query("country_code == 'PL'")["reports__count"].max(), locale="en_GB")
    assert poland in page(built_site, "en", "report/2-2-member-states")
    assert poland not in text  # a cell of Table 7
    assert "Table 7" in text  # its caption


def test_build_stops_on_broken_data_with_a_clear_message(tmp_path):
    project = copy_project(tmp_path / "project")
    ncmec = project / "datapackage" / "data" / "ncmec_reports_by_country.csv"
    text = ncmec.read_text(encoding="utf-8")
    lines = text.splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("reports__count")] = "12x34"
    lines[1] = ",".join(cells)
    ncmec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0, "the build passed with a non-numeric count"
    assert "ncmec_reports_by_country.csv" in result.stderr and "reports__count" in result.stderr


# A note to plant in the data: text the site must escape, findable in any file that shows it.
_PLANTED = "<script>alert(1)</script>"


def test_data_text_is_escaped_and_the_build_is_deterministic(built_site, tmp_path):
    # One more build, of a copy whose data differs from the working tree's in one note only:
    # that note comes out escaped, and every file that does not show it is byte-identical to
    # the session's build (so two builds of the same input are identical).
    project = copy_project(tmp_path / "project")
    convictions = project / "datapackage" / "data" / "ms_convictions.csv"
    lines = convictions.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    target = next(i for i, line in enumerate(lines) if line.startswith("BG-"))
    cells = lines[target].split(",")
    assert len(cells) == len(header), "the BG row has quoted commas; pick a simpler row for this test"
    cells[header.index("note_en")] = _PLANTED
    lines[target] = ",".join(cells)
    convictions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    second = tmp_path / "site"
    result = build(project, second)
    assert result.returncode == 0, result.stderr[-3000:]
    html = (second / "report" / "2-2-member-states" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert _PLANTED not in html

    first_files = sorted(p.relative_to(built_site) for p in built_site.rglob("*") if p.is_file())
    second_files = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert first_files == second_files
    differ = [p for p in first_files if (built_site / p).read_bytes() != (second / p).read_bytes()]
    assert Path("report/2-2-member-states/index.html") in differ
    # The zip compresses the CSV, so the note cannot be seen in it (nor in the zip's checksum).
    unexplained = [str(p) for p in differ if b"alert(1)" not in (second / p).read_bytes()
                   and not p.name.endswith((".zip", ".zip.sha256"))]
    assert not unexplained, f"files differ between two builds of the same data: {unexplained[:10]}"
