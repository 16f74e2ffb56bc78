"""Measure how the tables of a page fit its content column, in the browser.

Used by tests/pagewalk.py (for tests/test_tables_fit.py) and by ``python tests/tablefit.py SITE_DIR`` (a count over a
built site, for before/after figures). Every collapsed block is opened and every
``content-visibility: auto`` block laid out first, so tables below the fold and the tables
under the charts ("Show the numbers as a table") are measured as a reader who opens them sees
them.
"""

from __future__ import annotations

from pathlib import Path

# Two screens: a laptop and a phone (the sizes the issue was measured at).
WIDTHS_PX = (1366, 375)
HEIGHT_PX = {1366: 900, 375: 812}
# A table row taller than this is tall; it is squeezed (the map page's "Change" rows of 120 px)
# when the cell that makes it tall has fewer characters a line than this: a number, a name or a
# note broken a word or two a line, where a note of several lines of running text is not (a
# Swedish note with "befolkningsandelen" in a 140 px column holds 13 a line).
TALL_ROW_PX = 100
MIN_CHARS_PER_LINE = 12

# For each table in the article: does it (or a box between it and the article) overflow, and
# how is it laid out. CSSOM writes (style.contentVisibility, details.open) are allowed by the
# site's CSP; no eval is needed.
MEASURE_JS = """async ([tallPx, minCharsPerLine]) => {
  const contentHeight = el => { const r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect().height; };
  const article = document.querySelector('article.md-content__inner');
  for (const d of article.querySelectorAll('details')) d.open = true;
  for (const el of article.querySelectorAll('*')) {
    if (getComputedStyle(el).contentVisibility === 'auto') el.style.contentVisibility = 'visible';
  }
  // Container queries on scroll state are evaluated at the next frame after a resize.
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const limit = article.getBoundingClientRect();
  const pad = parseFloat(getComputedStyle(article).paddingRight) || 0;
  return [...article.querySelectorAll('table')].map((table, index) => {
    let hidden = 0;
    for (let el = table.parentElement; el && el !== article; el = el.parentElement) {
      hidden = Math.max(hidden, el.scrollWidth - el.clientWidth);
    }
    const box = table.getBoundingClientRect();
    const sticking = Math.max(0, box.right - (limit.right - pad), limit.left - box.left);
    const region = table.closest('[role="region"]');
    const first = table.querySelector('tbody tr > :first-child');
    // The cue is the region's ::before (its words) and its background (the edge shadows).
    const before = region && getComputedStyle(region, '::before');
    const shadow = !!(region && getComputedStyle(region).backgroundImage.includes('gradient'));
    // A body row taller than tallPx is squeezed when the cell that makes it tall holds few
    // characters a line (a number or a name broken word by word), not a long note.
    const rows = [...table.tBodies].flatMap(b => [...b.rows])
      .filter(r => getComputedStyle(r).display === 'table-row' && r.getBoundingClientRect().height > tallPx);
    const tall = Math.max(0, ...rows.map(r => r.getBoundingClientRect().height));
    const squeezed = Math.max(0, ...rows.filter(r => {
      const cell = [...r.cells].map(c => [c, contentHeight(c)]).sort((a, b) => b[1] - a[1])[0][0];
      const lines = contentHeight(cell) / parseFloat(getComputedStyle(cell).lineHeight);
      return cell.innerText.trim().length / lines < minCharsPerLine;
    }).map(r => r.getBoundingClientRect().height));
    const stacked = !!table.rows.length && getComputedStyle(table.rows[0]).display !== 'table-row';
    const cells = [...table.querySelectorAll('tbody td')];
    const labelled = cells.every(td => td.dataset.label !== undefined);
    const caption = table.caption ? table.caption.textContent.trim().slice(0, 60) : '';
    // Numbers: right-aligned, in figures of one width (Material's table style once overrode this).
    const nums = [...table.querySelectorAll('td.num, th.num')].map(c => getComputedStyle(c));
    const numbersAligned = nums.filter(c => c.textAlign === 'right' && c.fontVariantNumeric.includes('tabular-nums')).length;
    return {
      index, caption, hidden: Math.round(hidden), sticking: Math.round(sticking),
      tall: Math.round(tall), squeezed: Math.round(squeezed),
      stacked, labelled, numbers: nums.length, numbersAligned,
      region: !!(region && region.getAttribute('tabindex') === '0' && region.getAttribute('aria-label')),
      sticky: !!(first && getComputedStyle(first).position === 'sticky'),
      cue: !!(before && before.display !== 'none' && /\\w/.test(before.content) && shadow),
    };
  });
}"""


def overflows(table: dict) -> bool:
    """True when part of the table is out of its column: scrolled away or sticking out."""
    return table["hidden"] > 1 or table["sticking"] > 1


def readable_when_scrolled(table: dict) -> bool:
    """A table that scrolls sideways keeps its values readable: a keyboard-reachable named
    region, the first column held in place and a visible cue that there is more."""
    return table["region"] and table["sticky"] and table["cue"]


def pages(site: Path) -> list[str]:
    """Every page of a built site, as a path below its root ("/", "/sv/countries/fi/")."""
    folders = [p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")
               if "downloads" not in p.parts and "assets" not in p.parts]
    return sorted("/" if folder == "." else f"/{folder}/" for folder in folders)


def measure(page, url: str) -> dict[int, list[dict]]:
    """Load ``url`` once and measure its tables at each width in ``WIDTHS_PX``."""
    out = {}
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    for width in WIDTHS_PX:
        page.set_viewport_size({"width": width, "height": HEIGHT_PX[width]})
        out[width] = page.evaluate(MEASURE_JS, [TALL_ROW_PX, MIN_CHARS_PER_LINE])
    return out


def problems(path: str, width: int, tables: list[dict]) -> list[str]:
    """What is wrong with each table of a page at ``width``: overflow (at a desktop width, or
    at a phone width without the scroll layout), squeezed rows, stacked cells without labels."""
    found = []
    for table in tables:
        name = f"{path} @{width}px table {table['index']} ({table['caption']!r})"
        if overflows(table) and (width >= 1024 or not readable_when_scrolled(table)):
            found.append(f"{name}: overflows by {max(table['hidden'], table['sticking'])} px")
        if table["squeezed"]:
            found.append(f"{name}: a row is squeezed to {table['squeezed']} px tall")
        if table["numbersAligned"] != table["numbers"]:
            found.append(f"{name}: {table['numbers'] - table['numbersAligned']} numeric cells not right-aligned "
                         "in tabular figures")
        if table["stacked"] and not table["labelled"]:
            found.append(f"{name}: stacked without a heading on each cell")
    return found


def _main(site: Path, only: list[str]) -> None:
    """Print the counts for a built site (served under the test build's prefix), for every page
    or for the pages whose path starts with one of ``only``."""
    import collections

    from playwright.sync_api import sync_playwright

    from browsing import CHROMIUM, CHROMIUM_ARGS, new_context, serve_at_site_url

    counts, total = collections.Counter(), 0
    with serve_at_site_url(site) as served, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = new_context(browser, served).new_page()
        for path in [p for p in pages(site) if not only or p.startswith(tuple(only))]:
            result = measure(page, served.base + path)
            total += len(result[WIDTHS_PX[0]])
            for width, tables in result.items():
                counts[f"overflow@{width}"] += sum(map(overflows, tables))
                counts[f"overflow unreadable@{width}"] += sum(overflows(t) and not readable_when_scrolled(t)
                                                               for t in tables)
                counts[f"tables with rows > {TALL_ROW_PX} px@{width}"] += sum(t["tall"] > 0 for t in tables)
                counts[f"tables with squeezed rows@{width}"] += sum(t["squeezed"] > 0 for t in tables)
                for line in problems(path, width, tables):
                    print(line)
        browser.close()
    print(f"tables: {total}", dict(counts))


if __name__ == "__main__":
    import sys

    _main(Path(sys.argv[1]).resolve(), sys.argv[2:])
