"""The committed chart assets: partial Plotly bundle, loader, map outlines (no browser).

They are built by scripts/assets/ (see its README) and not rebuilt in CI, so these checks
stand between a stale or oversized asset and the site.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "docs" / "assets"
BUNDLE = ASSETS / "js" / "plotly-partial.min.js"
LOADER = ASSETS / "js" / "charts.js"
GEOJSON = ASSETS / "geo" / "eu27.geojson"
TOPOJSON_DIR = ASSETS / "geo" / "topojson"
BUILD_DIR = ROOT / "scripts" / "assets"

# The trace types the site draws; a new one means a rebuild and a change here.
EXPECTED_TRACES = ["bar", "scatter", "heatmap", "choropleth"]
EU27 = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
# Size budgets: what a reader downloads for one chart page.
BUNDLE_GZIP_MAX = 1_200_000
GEOJSON_MAX = 400_000
# Base maps Plotly may request: europe scope at 1:50m, and the default world 1:110m.
TOPOJSON_FILES = ["europe_50m.json", "world_110m.json"]
# lon/lat box the EU outlines must stay in (Azores to Cyprus, Canaries to Lapland).
EUROPE_BOX = (-32.0, 27.0, 45.0, 72.0)


def _header(path: Path) -> str:
    return path.read_text(encoding="utf-8")[:1000].split("*/")[0]


def _points(geometry: dict):
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for polygon in polygons:
        for ring in polygon:
            yield from ring


# --- Plotly bundle ----------------------------------------------------------------------

def test_bundle_header_names_version_and_only_the_expected_traces():
    header = _header(BUNDLE)
    traces = re.search(r"traces: (.+)", header)
    assert traces, "bundle header has no 'traces:' line"
    assert [t.strip() for t in traces.group(1).split(",")] == EXPECTED_TRACES
    pinned = json.loads((BUILD_DIR / "package.json").read_text())["dependencies"]["plotly.js"]
    assert f"plotly.js v{pinned}" in header
    assert "sv" in re.search(r"locales: (.+)", header).group(1)


def test_build_versions_are_exact_and_locked():
    package = json.loads((BUILD_DIR / "package.json").read_text())
    lock = json.loads((BUILD_DIR / "package-lock.json").read_text())
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned exactly: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, name


def test_bundle_defines_global_plotly_with_swedish_locale():
    text = BUNDLE.read_text(encoding="utf-8")
    assert "var Plotly=" in text[:2000]
    assert "Ladda ner diagram som PNG" in text  # from plotly.js/lib/locales/sv


def test_bundle_is_within_size_budget():
    assert len(gzip.compress(BUNDLE.read_bytes(), 9)) < BUNDLE_GZIP_MAX


def test_readme_states_the_same_version_and_traces():
    readme = (BUILD_DIR / "README.md").read_text(encoding="utf-8")
    header = _header(BUNDLE)
    version = re.search(r"plotly\.js v(\d+\.\d+\.\d+)", header).group(1)
    assert f"plotly.js **{version}**" in readme
    assert "**" + ", ".join(EXPECTED_TRACES) + "**" in readme


# --- Loader -----------------------------------------------------------------------------

def test_loader_points_plotly_at_local_topojson():
    js = LOADER.read_text(encoding="utf-8")
    assert "config.topojsonURL = TOPOJSON_URL" in js
    assert re.search(r"TOPOJSON_URL = new URL\('assets/geo/topojson/', SITE_ROOT\)", js)
    assert "document.currentScript" in js  # site root found from the script's own URL


def test_loader_sets_required_config_and_names_no_remote_host():
    js = LOADER.read_text(encoding="utf-8")
    for needle in ("config.locale = locale", "config.responsive = true", "config.displaylogo = false",
                   "config.showSendToCloud = false", "'sendChartToCloud'", "data-md-color-scheme",
                   "document$", "js-plotly-select", "data-alt", "Plotly.newPlot", "Plotly.relayout"):
        assert needle in js, needle
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", js, flags=re.S)
    assert not re.search(r"https?://", code), "charts.js must not load anything from another host"


@pytest.mark.parametrize("name", TOPOJSON_FILES)
def test_base_map_topojson_is_shipped(name):
    topology = json.loads((TOPOJSON_DIR / name).read_text(encoding="utf-8"))
    assert topology["type"] == "Topology"
    # layer names plotly.js reads (src/plots/geo/constants.js)
    assert {"land", "coastlines", "countries", "ocean", "lakes"} <= set(topology["objects"])


# --- EU outlines ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def eu27() -> dict:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def test_geojson_has_exactly_the_27_member_states(eu27):
    ids = [f["id"] for f in eu27["features"]]
    assert len(ids) == len(set(ids)) == 27
    assert set(ids) == EU27
    with (ROOT / "datapackage" / "data" / "member_states.csv").open(encoding="utf-8") as fh:
        assert set(ids) == {row["country_code"] for row in csv.DictReader(fh)}


def test_every_feature_has_a_name_and_a_polygon_geometry(eu27):
    for feature in eu27["features"]:
        assert feature["type"] == "Feature"
        assert feature["properties"]["name"], feature["id"]
        geometry = feature["geometry"]
        assert geometry and geometry["type"] in {"Polygon", "MultiPolygon"}, feature["id"]
        points = list(_points(geometry))
        assert len(points) >= 4, feature["id"]


def test_small_states_are_present(eu27):
    names = {f["id"]: f["properties"]["name"] for f in eu27["features"]}
    assert names["MT"] == "Malta" and names["CY"] == "Cyprus" and names["LU"] == "Luxembourg"
    assert names["GR"] == "Greece"


def test_outlines_stay_in_europe_and_are_rounded(eu27):
    west, south, east, north = EUROPE_BOX
    for feature in eu27["features"]:
        for lon, lat in _points(feature["geometry"]):
            assert west <= lon <= east and south <= lat <= north, (feature["id"], lon, lat)
            assert round(lon, 3) == lon and round(lat, 3) == lat, (feature["id"], lon, lat)


def test_geojson_is_within_size_budget():
    assert GEOJSON.stat().st_size < GEOJSON_MAX
