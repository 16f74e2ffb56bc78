"""The map's build-time SVG preview: every member state, one group per year, colours that
follow the values, tooltips as the tables write them, and a size fit for every page load."""

from __future__ import annotations

import re

import pytest

from transparency import charts, static_map
from transparency.context import Ctx
from transparency.package import load_package

PKG = load_package()
VIEW = static_map.View(lon0=10, lat0=52, lon_range=(-11, 40), lat_range=(34.5, 71))


@pytest.fixture(scope="module", params=["en", "sv"])
def preview(request) -> str:
    return str(charts.build(Ctx(pkg=PKG, lang=request.param), "ncmec_map").preview)


def test_one_outline_per_member_state_and_one_group_per_year(preview):
    codes = set(PKG["member_states"]["country_code"])
    assert set(re.findall(r'<path id="ncmec-map-([A-Z]{2})"', preview)) == codes
    years = sorted({int(y) for y in PKG["ncmec_reports_by_country"]["year"]})
    groups = re.findall(r'<g class="static-map__year" data-year="(\d+)"( display="none")?>(.*?)</g>', preview)
    assert [int(g[0]) for g in groups] == years
    assert [bool(g[1]) for g in groups] == [True] * (len(years) - 1) + [False]  # the latest year shows
    for _, _, body in groups:
        assert set(re.findall(r'href="#ncmec-map-([A-Z]{2})"', body)) == codes


def test_darker_means_more_reports_per_inhabitant(preview):
    latest = re.findall(r'<g class="static-map__year" data-year="\d+">(.*?)</g>', preview)[0]
    shapes = re.findall(r'fill="#([0-9a-f]{6})"><title>[^<]*: ([\d.,\u00a0\u202f]+) [^<]*</title>', latest)
    assert len(shapes) == len(PKG["member_states"])
    value = lambda text: float(re.sub(r"[\s\u00a0\u202f,]", "", text) if "." in text  # noqa: E731
                               else re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", "."))
    lightness = lambda hex_: sum(int(hex_[i:i + 2], 16) for i in (0, 2, 4))  # noqa: E731
    ordered = sorted(shapes, key=lambda s: value(s[1]))
    assert [lightness(c) for c, _ in ordered] == sorted((lightness(c) for c, _ in ordered), reverse=True)


def test_small_states_stay_visible_and_the_svg_stays_small(preview):
    malta = re.search(r'<path id="ncmec-map-MT" d="([^"]+)"', preview).group(1)
    assert malta.startswith("M") and len(malta) > 10
    assert len(preview.encode()) < 60_000


def test_the_drawing_is_the_same_every_time():
    years = {2022: {"AT": (1.0, "Austria: 1"), "MT": (2.0, "Malta: 2")}}
    make = lambda: static_map.svg(VIEW, years, zmax=2.0, scale_name="Blues", legends={2022: "per 100,000"},  # noqa: E731
                                  ticks=[(0, "0"), (2, "2")], shown=2022, ident="x")
    assert make() == make()
    assert "Malta: 2" in make() and 'data-year="2022">' in make()


def test_text_is_escaped():
    svg = static_map.svg(VIEW, {2022: {"AT": (1.0, "<b>&</b>")}}, zmax=1.0, scale_name="Blues",
                         legends={2022: "<i>"}, ticks=[(0, "0")], shown=2022, ident="x")
    assert "<b>" not in svg and "&lt;b&gt;&amp;" in svg and "&lt;i&gt;" in svg
