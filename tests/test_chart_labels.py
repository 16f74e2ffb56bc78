"""No chart label collides with another or leaves its figure, at phone, tablet and desktop
widths: every page with a chart is loaded once in Chromium (tests/pagewalk.py), every chart
drawn by Plotly (as a reader's mouse over it asks), then at each width the text of the
legends, axis ticks and titles (axis, subplot and colour-bar titles) is measured. Each label is
the box Plotly laid its text in, turned as the text is turned (rotated tick labels are measured
as the slanted boxes they are, not as their upright bounding boxes); two labels collide when
those boxes overlap by more than a pixel."""

from __future__ import annotations

from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api")

import pagewalk  # noqa: E402
from browsing import CHROMIUM  # noqa: E402

WIDTHS = (320, 375, 768, 1366)
# Pages are measured in the shards of tests/pagewalk.py, which loads each page once for this
# test, the light-palette axe test and the table test.
SHARDS = pagewalk.SHARDS
TOLERANCE_PX = 1.0

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")

def _axes(a, b):
    """The edge normals of two convex polygons (separating axis theorem)."""
    for poly in (a, b):
        for i in range(len(poly)):
            (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % len(poly)]
            yield (y1 - y2, x2 - x1)


def _overlap_px(a, b) -> float:
    """How far two convex polygons overlap (0 if a separating axis exists), in pixels."""
    least = float("inf")
    for nx, ny in _axes(a, b):
        length = (nx * nx + ny * ny) ** 0.5
        if not length:
            continue
        pa = [(x * nx + y * ny) / length for x, y in a]
        pb = [(x * nx + y * ny) / length for x, y in b]
        depth = min(max(pa), max(pb)) - max(min(pa), min(pb))
        if depth <= 0:
            return 0.0
        least = min(least, depth)
    return least


def _outside_px(corners, frame) -> float:
    left, top, right, bottom = frame
    return max(max(left - x, x - right, top - y, y - bottom) for x, y in corners)


def problems(charts: list[dict], where: str) -> list[str]:
    """Overlapping labels and labels outside their chart's figure, as readable lines."""
    found = []
    for chart in charts:
        labels = chart["labels"]
        for i, a in enumerate(labels):
            out = _outside_px(a["corners"], chart["frame"])
            if out > TOLERANCE_PX:
                found.append(f"{where} {chart['id']}: {a['kind']} {a['text']!r} is {out:.0f}px outside the figure")
            for b in labels[i + 1:]:
                depth = _overlap_px(a["corners"], b["corners"])
                if depth > TOLERANCE_PX:
                    found.append(f"{where} {chart['id']}: {a['kind']} {a['text']!r} overlaps "
                                 f"{b['kind']} {b['text']!r} by {depth:.0f}px")
    return found


def chart_pages(site: Path) -> list[str]:
    """Every page of the build with a chart on it, as a path below the site ("/sv/countries/pl/")."""
    pages = []
    for html in sorted(site.rglob("index.html")):
        if "assets" in html.parts or "downloads" in html.parts:
            continue
        if 'class="js-plotly' in html.read_text(encoding="utf-8"):
            folder = html.parent.relative_to(site).as_posix()
            pages.append("/" if folder == "." else f"/{folder}/")
    return pages


# --- Pure checks of the geometry (they fail if the overlap test does) -------------------------

def test_slanted_labels_side_by_side_do_not_collide_but_crossing_ones_do():
    def slanted(x0):  # a 60 x 12 box turned by 45 degrees, its corner at (x0, 0)
        c = 0.7071
        return [(x0, 0), (x0 + 60 * c, -60 * c), (x0 + 60 * c + 12 * c, -60 * c + 12 * c), (x0 + 12 * c, 12 * c)]
    assert _overlap_px(slanted(0), slanted(20)) == 0  # upright boxes of these would overlap
    assert _overlap_px(slanted(0), slanted(5)) > TOLERANCE_PX
    assert problems([{"id": "c", "frame": [0, -100, 200, 100],
                      "labels": [{"kind": "tick", "text": "a", "corners": slanted(0)},
                                 {"kind": "legend", "text": "b", "corners": slanted(4)}]}], "p")


def test_a_label_past_the_figure_edge_is_reported():
    box = [(190, 0), (230, 0), (230, 10), (190, 10)]
    assert problems([{"id": "c", "frame": [0, 0, 200, 100], "labels": [{"kind": "tick", "text": "Cyprus",
                                                                           "corners": box}]}], "p")


@pytest.mark.parametrize("shard", range(SHARDS))
def test_chart_labels_do_not_collide_at_any_width(walked, built_site, shard):
    pages = chart_pages(built_site)
    assert {"/", "/sv/", "/countries/pl/", "/providers/meta/", "/analysis/ncmec-map/"} <= set(pages)
    assert set(pages) <= set(pagewalk.pages(built_site))  # the walk's pages hold every chart page
    walk = walked(shard)
    found = walk["labels"]
    assert not found, f"{len(found)} label problems:\n" + "\n".join(found[:40])
    measured = {path: sorted(walk["label_widths"].get(path, [])) for path in walk["pages"] if path in pages}
    assert measured and all(widths == sorted(WIDTHS) for widths in measured.values()), measured
