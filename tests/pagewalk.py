"""One walk over every page of the build in Chromium, for the three checks every page needs:
the page loads cleanly and passes axe in the light palette (tests/test_browser.py), no chart
label collides at 320, 375, 768 or 1366 px (tests/test_chart_labels.py), every table fits or
scrolls with a cue at 1366 and 375 px (tests/test_tables_fit.py).

Loading a page, waiting for its search and drawing its charts with Plotly is most of what each
check costs, so each page is loaded once and checked in this order (each step leaves the page
as the next one needs it):

1. at 1366 x 900: load, wait for search, draw every chart (as a reader's mouse does), let the
   transitions end, run axe and note console errors, failed and foreign requests;
2. measure the tables at 1366 px (tests/tablefit.py: this opens every <details> and lays out
   every ``content-visibility: auto`` block, so it comes after axe, which must see the page as
   it loads);
3. fit every chart to its column at 1366 px and measure its labels (every chart is laid out
   now, so all are measured at once, none needs scrolling to);
4. the same labels at 768 px; tables and labels at 375 px; labels at 320 px.

Embed pages (no header, no search: tests/test_chart_svg.py runs axe on them) get steps 2-4.
Each check's problems are kept apart, so that each test reports only its own.
"""

from __future__ import annotations

from pathlib import Path

import tablefit
from browsing import draw_charts, new_context, settle, wait_for_search

# The pages are split in this many shards; each is walked once per run (conftest.py's
# ``walked``) and its three tests read the outcome.
SHARDS = 8
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}
# The widths the chart labels are checked at (phone, small phone, tablet, laptop); the table
# widths (tablefit.WIDTHS_PX) are among them.
LABEL_WIDTHS = (320, 375, 768, 1366)
HEIGHT_PX = {**{width: 900 for width in LABEL_WIDTHS}, **tablefit.HEIGHT_PX}
CHECKS = ("axe", "labels", "tables")

# Each rendered chart as the four corners of each label's text box on the screen, with what
# the label is and its text, after fitting every chart to its column now (Plotly's own resize
# handler waits for a pause, and skips a chart that is not laid out at that moment).
_LABELS = """async () => {
  const divs = [...document.querySelectorAll('.js-plotly[data-plotly-state="rendered"]')];
  // Plotly's promise never settles if its relayout fails: give up (and say so) after 20 s.
  const late = new Set(divs.map(div => div.id));
  await Promise.race([
    Promise.all(divs.map(div => window.Plotly.Plots.resize(div).then(() => late.delete(div.id)))),
    new Promise((_, fail) => setTimeout(() => fail(new Error('not fitted in 20 s: ' + [...late].join(', '))), 20000)),
  ]);
  const kinds = [
    ['legend', 'g.legend text'],
    ['tick', 'g.xtick text, g.ytick text, g.colorbar g.xtick text, g.colorbar g.ytick text'],
    ['title', 'g[class^="g-x"][class$="title"] text, g[class^="g-y"][class$="title"] text, '
              + 'g.annotation text, g.colorbar text.cbtitle, g.gtitle text'],
  ];
  const charts = [];
  divs.forEach((div) => {
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


def pages(site: Path) -> list[str]:
    """Every page of the build (embed pages included), as a path below the site."""
    return tablefit.pages(site)


def shard(site: Path, index: int) -> list[str]:
    """The pages of shard ``index``: every SHARDS-th page, so that each shard gets its share of
    each kind (the country pages, alike in cost, are a run of neighbours in the sorted list)."""
    return pages(site)[index::SHARDS]


def is_embed(path: str) -> bool:
    return "embed" in path.strip("/").split("/")


def has_charts(site: Path, path: str) -> bool:
    """Whether the built page holds a chart (its HTML, not the browser, says so)."""
    return 'class="js-plotly' in (site / path.strip("/") / "index.html").read_text(encoding="utf-8")


def _axe(visit, axe, path: str) -> list[str]:
    """Load the page at the current viewport, wait for search and every chart, and return what
    axe and the page's traffic found wrong."""
    page, found = visit["page"], []
    response = page.goto(visit["base"] + path, wait_until="load")
    assert response is not None and response.ok, f"HTTP {response and response.status}"
    if not is_embed(path):
        assert wait_for_search(page), "search never became ready"
    draw_charts(page)
    if is_embed(path):
        return found
    settle(page)
    results = axe.run(page, options=WCAG)
    if results.violations_count:
        found.append(f"{path} [light]: " + "; ".join(
            f"{v['id']} ({len(v['nodes'])}): {v['nodes'][0]['target']}" for v in results.response["violations"]))
    errors, failed, foreign = visit["errors"], visit["failed"], visit["foreign"]
    if errors or failed or foreign:
        found.append(f"{path} [light]: console={errors[:3]} failed={failed[:3]} foreign={foreign[:3]}")
    return found


def _resize(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": HEIGHT_PX[width]})


def _check_page(visit, axe, site: Path, path: str, out: dict) -> None:
    """Run the three checks on one page, adding to ``out``. A step that breaks (a timeout, an
    error status) is reported, as the problem of each check it leaves undone."""
    from test_chart_labels import problems as label_problems

    page, charted = visit["page"], has_charts(site, path)
    # The checks this page still owes: a step that breaks leaves them undone.
    pending = [check for check in CHECKS if (check != "axe" or not is_embed(path)) and (check != "labels" or charted)]
    step = "load and axe"
    try:
        _resize(page, 1366)
        out["axe"] += _axe(visit, axe, path)
        out["axe_pages"] += not is_embed(path)
        pending = [check for check in pending if check != "axe"]
        for width in sorted(set(LABEL_WIDTHS) | set(tablefit.WIDTHS_PX), reverse=True):
            _resize(page, width)
            if width in tablefit.WIDTHS_PX:
                step = "tables"
                tables = page.evaluate(tablefit.MEASURE_JS, [tablefit.TALL_ROW_PX, tablefit.MIN_CHARS_PER_LINE])
                out["tables_measured"] += len(tables)
                out["table_widths"].setdefault(path, []).append(width)
                out["tables"] += tablefit.problems(path, width, tables)
                if width == tablefit.WIDTHS_PX[-1]:
                    pending = [check for check in pending if check != "tables"]
            if charted:
                step = "labels"
                charts = page.evaluate(_LABELS)
                if not charts:
                    out["labels"].append(f"{path}: no chart drawn at {width}px")
                out["charts_measured"] += len(charts)
                out["label_widths"].setdefault(path, []).append(width)
                out["labels"] += label_problems(charts, f"{path} @{width}px")
    except Exception as error:  # noqa: BLE001 - reported as the problem of each check left undone
        message = f"{path}: {type(error).__name__} at the {step} step: {str(error).splitlines()[0]}"
        for check in pending:
            out[check].append(message)
    finally:
        visit["errors"].clear(), visit["failed"].clear(), visit["foreign"].clear()


def walk(browser, served, site: Path, paths: list[str]) -> dict:
    """Check ``paths`` in one browser context (light palette); return each check's problems
    and how much each measured."""
    from axe_playwright_python.sync_playwright import Axe

    context = new_context(browser, served, color_scheme="light", viewport={"width": 1366, "height": 900})
    out = {"axe": [], "labels": [], "tables": [], "axe_pages": 0, "charts_measured": 0, "tables_measured": 0,
           "label_widths": {}, "table_widths": {}, "pages": paths}
    try:
        page = context.new_page()
        visit = {"page": page, "base": served.base, "errors": [], "failed": [], "foreign": []}
        page.on("console", lambda m: m.type == "error" and visit["errors"].append(m.text))
        page.on("pageerror", lambda e: visit["errors"].append(str(e)))
        page.on("requestfailed", lambda r: visit["failed"].append(r.url))
        # An answer with an error status (a file missing under the prefix) is a failed request too.
        page.on("response", lambda r: r.status >= 400 and visit["failed"].append(f"{r.url} (HTTP {r.status})"))
        page.on("request", lambda r: not r.url.startswith((served.base + "/", "data:", "blob:"))
                and visit["foreign"].append(r.url))
        axe = Axe()
        for path in paths:
            _check_page(visit, axe, site, path, out)
    finally:
        context.close()
    return out
