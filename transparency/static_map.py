"""A choropleth drawn at build time as SVG: the map a reader sees before (or without) Plotly.

The map page's Plotly figure needs the whole Plotly bundle compiled and run before anything is
drawn, which on a phone blocks the page for seconds. The page therefore starts with this SVG:
the same outlines (``docs/assets/geo/eu27.geojson``), projection and colour scale as the Plotly
figure, one group of shapes per year (the year selector switches them), each shape with its
value as a tooltip. ``charts.js`` swaps in the interactive Plotly map when the reader asks.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from transparency import colours

GEOJSON = Path(__file__).resolve().parent.parent / "docs" / "assets" / "geo" / "eu27.geojson"
WIDTH = 1000  # SVG user units; the SVG scales to its column
MIN_STEP = 2.5  # user units between kept outline points (about half a pixel where it is drawn)


@dataclass(frozen=True)
class View:
    """An azimuthal equal-area projection and the longitude and latitude window it shows (the
    same settings as the Plotly figure's ``geo``)."""

    lon0: float
    lat0: float
    lon_range: tuple[float, float]
    lat_range: tuple[float, float]


def _project(view: View, lon: float, lat: float) -> tuple[float, float]:
    """Lambert azimuthal equal-area (spherical), y pointing up."""
    phi, lam = math.radians(lat), math.radians(lon - view.lon0)
    phi0 = math.radians(view.lat0)
    k = math.sqrt(2 / (1 + math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam)))
    return (k * math.cos(phi) * math.sin(lam),
            k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam)))


def _shapes(view: View) -> tuple[dict[str, str], tuple[int, int]]:
    """SVG path data per feature id, and the drawing's (width, height). Rings whose centre
    falls outside the view's window (overseas regions) are left out, as Plotly's view does."""
    return _shapes_of(view, GEOJSON.read_bytes())


# Keyed by the outlines' bytes: a rebuild in the same process after an edit draws the new ones.
@lru_cache(maxsize=4)
def _shapes_of(view: View, geojson: bytes) -> tuple[dict[str, str], tuple[int, int]]:
    features = json.loads(geojson.decode("utf-8"))["features"]
    rings: dict[str, list[list[tuple[float, float]]]] = {}
    for feature in features:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            for ring in polygon:
                lon = sum(p[0] for p in ring) / len(ring)
                lat = sum(p[1] for p in ring) / len(ring)
                if view.lon_range[0] <= lon <= view.lon_range[1] and view.lat_range[0] <= lat <= view.lat_range[1]:
                    rings.setdefault(feature["id"], []).append([_project(view, x, y) for x, y in ring])
    points = [p for shape in rings.values() for ring in shape for p in ring]
    left, right = min(p[0] for p in points), max(p[0] for p in points)
    bottom, top = min(p[1] for p in points), max(p[1] for p in points)
    scale = WIDTH / (right - left)
    height = round((top - bottom) * scale)
    paths = {}
    for ident, shape in sorted(rings.items()):
        parts = []
        for ring in shape:
            pixels: list[tuple[int, int]] = []
            for x, y in ring:  # whole units, dropping points within MIN_STEP of the last one kept
                pixel = (round((x - left) * scale), round((top - y) * scale))
                if not pixels or math.dist(pixel, pixels[-1]) >= MIN_STEP:
                    pixels.append(pixel)
            if len(pixels) >= 3:
                parts.append("M" + "L".join(f"{x} {y}" for x, y in pixels) + "Z")
        if not parts:  # a country too small to outline at this size is drawn as a dot
            x, y = shape[0][0]
            parts.append(_dot((round((x - left) * scale), round((top - y) * scale))))
        paths[ident] = "".join(parts)
    return paths, (WIDTH, height)


def _dot(centre: tuple[int, int], radius: int = 4) -> str:
    x, y = centre
    return f"M{x - radius} {y}a{radius} {radius} 0 1 0 {2 * radius} 0a{radius} {radius} 0 1 0 {-2 * radius} 0Z"


def _colour(scale_name: str, fraction: float) -> str:
    """A colour of a Plotly colour scale as #rrggbb."""
    return colours.hex_colour(colours.SCALES[scale_name], min(1.0, max(0.0, fraction)))


def svg(view: View, years: dict[int, dict[str, tuple[float, str]]], *, zmax: float, scale_name: str,
        legends: dict[int, str], ticks: list[tuple[float, str]], shown: int, ident: str,
        highlight: str | None = None) -> Markup:
    """The map: ``years`` maps each year to {feature id: (value, tooltip)}; ``shown`` is the
    year drawn first; ``legends`` is each year's legend title; ``ticks`` are (value, label)
    marks under the colour bar, the same as the interactive map's; ``highlight`` (a feature
    id) is outlined."""
    paths, (width, height) = _shapes(view)
    legend_height = 90
    defs = "".join(f'<path id="{ident}-{code}" d="{d}"/>' for code, d in paths.items())
    stops = "".join(f'<stop offset="{i * 10}%" stop-color="{_colour(scale_name, i / 10)}"/>' for i in range(11))
    groups = []
    for year, values in sorted(years.items()):
        # The highlighted country last, so its outline is not covered by its neighbours.
        ordered = sorted(values.items(), key=lambda item: (item[0] == highlight, item[0]))
        shapes = "".join(
            Markup('<use href="#{i}-{c}" data-country="{c}" fill="{f}"{h}><title>{tip}</title></use>').format(
                i=ident, c=code, f=_colour(scale_name, value / zmax if zmax else 0), tip=tip,
                h=Markup(' class="is-highlighted"') if code == highlight else "")
            for code, (value, tip) in ordered if code in paths)
        hidden = "" if year == shown else ' display="none"'
        bar_y, bar_w = height + 36, width * 6 // 10
        marks = "".join(
            str(Markup('<line x1="{x}" x2="{x}" y1="14" y2="20" stroke="currentColor"/>'
                       '<text x="{x}" y="38" text-anchor="middle">{v}</text>').format(
                x=round(value / zmax * bar_w) if zmax else 0, v=label)) for value, label in ticks)
        legend = (f'<g class="static-map__legend" transform="translate({(width - bar_w) // 2} {bar_y})">'
                  f'<rect width="{bar_w}" height="14" fill="url(#{ident}-scale)"/>' + marks
                  + str(Markup('<text x="{m}" y="-10" text-anchor="middle">{v}</text>').format(
                      m=bar_w // 2, v=legends[year])) + "</g>")
        groups.append(f'<g class="static-map__year" data-year="{year}"{hidden}>{shapes}{legend}</g>')
    return Markup(
        f'<svg class="static-map" viewBox="0 0 {width} {height + legend_height}" aria-hidden="true" '
        f'focusable="false" xmlns="http://www.w3.org/2000/svg"><defs>{defs}'
        f'<linearGradient id="{ident}-scale">{stops}</linearGradient></defs>'
        + "".join(groups) + "</svg>")
