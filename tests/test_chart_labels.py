"""No chart label collides with another or leaves its figure, at phone, tablet and desktop
widths: every page with a chart is loaded once in Chromium, every chart drawn by Plotly (the
interactive draw triggered where it waits for the reader), then at each width the text of the
legends, axis ticks and titles (axis, subplot and colour-bar titles) is measured. Each label is
the box Plotly laid its text in, turned as the text is turned (rotated tick labels are measured
as the slanted boxes they are, not as their upright bounding boxes); two labels collide when
those boxes overlap by more than a pixel."""

from __future__ import annotations

from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api")

from browsing import CHROMIUM, new_context  # noqa: E402

WIDTHS = (320, 375, 768, 1366)
# Pages are spread over this many tests, which pytest-xdist runs in parallel.
SHARDS = 6
TOLERANCE_PX = 1.0

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")

# Each label as the four corners of its text box on the screen, with what it is and its text.
_LABELS = """(ident) => {
  const kinds = [
    ['legend', 'g.legend text'],
    ['tick', 'g.xtick text, g.ytick text, g.colorbar g.xtick text, g.colorbar g.ytick text'],
    ['title', 'g[class^="g-x"][class$="title"] text, g[class^="g-y"][class$="title"] text, '
              + 'g.annotation text, g.colorbar text.cbtitle, g.gtitle text'],
  ];
  const charts = [];
  [document.getElementById(ident)].forEach((div) => {
    const svg = div.querySelector('svg.main-svg');
    if (!svg || !div.offsetParent) return;
    const frame = svg.getBoundingClientRect();
    const labels = [];
    const seen = new Set();
    kinds.forEach(([kind, selector]) => {
      div.querySelectorAll(selector).forEach((el) => {
        if (seen.has(el)) return;
        seen.add(el);
        const text = (el.textContent || '').trim();
        if (!text || el.closest('[display="none"]') || getComputedStyle(el).visibility === 'hidden') return;
        const box = el.getBBox();
        if (!box.width || !box.height) return;
        const m = el.getScreenCTM();
        const corners = [[box.x, box.y], [box.x + box.width, box.y], [box.x + box.width, box.y + box.height],
                         [box.x, box.y + box.height]].map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
        labels.push({kind, text, corners});
      });
    });
    charts.push({id: div.id, frame: [frame.left, frame.top, frame.right, frame.bottom], labels});
  });
  return charts;
}"""

# Fit a drawn chart to its column now (Plotly's own resize handler waits for a pause, and skips
# a chart that is not laid out at that moment).
_RESIZE = """(ident) => window.Plotly.Plots.resize(document.getElementById(ident)).then(() => null)"""


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


def draw_all(page) -> None:
    """Have charts.js draw every chart on the page with Plotly, and wait until each is drawn."""
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")  # charts.js draws all waiting charts
    for plot in page.locator(".js-plotly").all():
        ident = plot.get_attribute("id")
        if plot.get_attribute("data-plotly-state") == "static":  # drawn when the reader asks
            button = page.locator(f'button.js-plotly-explore[data-target="{ident}"]')
            plot.scroll_into_view_if_needed()
            if button.count():
                # A click event, as the reader's: the button may sit in a part of the page the
                # browser has not laid out yet (content-visibility: auto), which Playwright's
                # click would wait on as "not visible".
                button.first.dispatch_event("click")
            else:
                plot.hover()
        page.locator(f'#{ident}[data-plotly-state="rendered"]').wait_for(state="attached", timeout=60000)


def check_page(page, base: str, path: str) -> list[str]:
    page.set_viewport_size({"width": WIDTHS[-1], "height": 900})
    page.goto(base + path, wait_until="load")
    draw_all(page)
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        charts = []
        # One chart at a time, scrolled into view: a chart far from the viewport is not laid out
        # (content-visibility: auto), so it has no width to fit and no text to measure.
        for plot in page.locator('.js-plotly[data-plotly-state="rendered"]').all():
            plot.scroll_into_view_if_needed()
            page.evaluate(_RESIZE, plot.get_attribute("id"))
            charts += page.evaluate(_LABELS, plot.get_attribute("id"))
        assert charts, f"{path}: no chart drawn at {width}px"
        found += problems(charts, f"{path} @{width}px")
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
def test_chart_labels_do_not_collide_at_any_width(browser, server, built_site, shard):
    pages = chart_pages(built_site)
    assert {"/", "/sv/", "/countries/pl/", "/providers/meta/", "/analysis/ncmec-map/"} <= set(pages)
    context = new_context(browser, server, viewport={"width": WIDTHS[-1], "height": 900})
    page = context.new_page()
    found = []
    try:
        for path in pages[shard::SHARDS]:
            found += check_page(page, server.base, path)
    finally:
        context.close()
    assert not found, f"{len(found)} label problems:\n" + "\n".join(found[:40])
