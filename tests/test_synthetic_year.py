"""A new year of data needs no code change: add a synthetic year to a copy of the package,
build, and find the year in the map's selector, in the charts' data, on every country page
and in the home page's key figures."""

from __future__ import annotations

import json
import re

import pytest

from sitebuild import build, copy_project
from synthetic_years import add_years
from transparency.package import load_package

PKG = load_package()


@pytest.fixture(scope="module")
def site_with_new_year(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("project"))
    (year,) = add_years(project / "datapackage", 1)
    site = tmp_path_factory.mktemp("site")
    result = build(project, site)
    assert result.returncode == 0, result.stderr[-4000:]
    return site, year


def test_new_year_is_in_the_map_selector_and_chart_data(site_with_new_year):
    site, year = site_with_new_year
    html = (site / "analysis" / "ncmec-map" / "index.html").read_text(encoding="utf-8")
    assert f'<option value="{year}" selected>{year}</option>' in html
    spec = re.search(r'id="plot-ncmec-map"[^>]*data-plotly="([^"]+)"', html)
    assert spec, "the map's figure data is missing"
    data = json.loads(spec.group(1).replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&"))
    assert {trace["name"] for trace in data["data"]} >= {str(year)}


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_new_year_is_on_every_country_page(site_with_new_year, lang):
    site, year = site_with_new_year
    prefix = site if lang == "en" else site / "sv"
    for code in PKG["member_states"]["country_code"].str.lower():
        html = (prefix / "countries" / code / "index.html").read_text(encoding="utf-8")
        assert str(year) in html, f"{lang}/countries/{code}: year {year} missing"


def test_home_page_key_figures_follow_the_latest_year(site_with_new_year):
    site, year = site_with_new_year
    assert str(year) in (site / "index.html").read_text(encoding="utf-8")
