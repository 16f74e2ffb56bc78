"""Data tables and charts that Markdown need not read: a macro's output hands each data table
and each chart's figure over as a short placeholder, and ``hooks/deferred_html.py`` puts it back
into the page's HTML once Markdown has converted the page.

A table or a chart (its drawings, its Plotly figure, its tools) is raw HTML that Markdown passes
through unchanged, yet Python-Markdown's HTML parser, and MkDocs's own pass that collects the
anchors of raw HTML, still read every tag of it (they were most of the site's Markdown
conversion time). The placeholder is one raw HTML block in the same place, so the page comes
out byte for byte as before. No Markdown link points into a chart or a table (MkDocs checks
anchors of Markdown links only, and the charts' own links are raw HTML). Blocks are kept by
the hash of their markup and only until their page is converted.
"""

from __future__ import annotations

import hashlib
import re

from markupsafe import Markup

# html.table's wrapper (the only markup that opens with it), up to the end of its table; or a
# chart's figure (charts.chart_block; a figure holds no other figure), tables in it included.
_TABLE = re.compile(r'<div class="data-table" [^>]*><table\b.*?</table></div>'
                    r'|<figure class="chart" [^>]*>.*?</figure>', re.S)
_PLACEHOLDER = re.compile(r'<div data-deferred-table="([0-9a-f]{24})"></div>')

# Key -> table markup, for the page being converted (emptied by `restore`).
_STASH: dict[str, str] = {}


def defer_tables(html: str) -> str:
    """``html`` with each data table and chart replaced by a placeholder (Markup stays Markup)."""
    def put(match: re.Match) -> str:
        key = hashlib.blake2b(match.group(0).encode("utf-8"), digest_size=12).hexdigest()
        _STASH[key] = match.group(0)
        return f'<div data-deferred-table="{key}"></div>'

    out = _TABLE.sub(put, html)
    return Markup(out) if isinstance(html, Markup) else out


def restore(html: str) -> str:
    """``html`` with every placeholder replaced by its table; empties the stash."""
    try:
        return _PLACEHOLDER.sub(lambda match: _STASH[match.group(1)], html)
    except KeyError as error:
        raise RuntimeError(f"a deferred table {error} was not kept for this page") from None
    finally:
        _STASH.clear()
