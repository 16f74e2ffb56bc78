"""Small HTML builders shared by tables, charts and profiles.

Every string that comes from the data is escaped here (``markupsafe.escape``); only values
already wrapped in ``Markup`` by our own formatting pass through, so a note containing
``<script>`` is shown as text.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import pandas as pd
from markupsafe import Markup, escape

from transparency.i18n import t

Cell = "str | Markup"


def text(row, column: str, lang: str) -> str:
    """The ``{column}_{lang}`` text of a row, or "" when empty."""
    value = row.get(f"{column}_{lang}", "")
    return "" if value is None or pd.isna(value) else str(value)


def slug(value: str) -> str:
    """A stable, readable HTML id from a label."""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def source_label(code: str, lang: str) -> str:
    """'table_7' -> 'Table 7' / 'Tabell nr 7'; 'section_2.2.1' -> 'section 2.2.1';
    'column_number_of_reports' -> "column 'number of reports'"."""
    kind, _, number = str(code).partition("_")
    keys = {"table": "table_n", "section": "section_n", "footnote": "footnote_n", "page": "page_n",
            "column": "column_n"}
    if kind not in keys or not number:
        raise ValueError(f"unknown source reference {code!r}; expected table_N, section_N, footnote_N, "
                         "page_N or column_<name>")
    return t(keys[kind], lang, n=number.replace("_", " ") if kind == "column" else number)


def sources_label(codes: Iterable[str], lang: str) -> str:
    unique = sorted(set(codes), key=_source_order)
    return ", ".join(source_label(code, lang) for code in unique)


def _source_order(code: str) -> tuple:
    kind, _, number = code.partition("_")
    return (kind, [int(part) if part.isdigit() else 0 for part in number.split(".")])


# A column whose longest cell has more characters than this gets the class "long": it keeps a
# readable width (site.css) instead of one word a line.
LONG_TEXT_CHARS = 30


def _plain(value: Cell) -> str:
    """The text a reader sees in a cell or heading (tags dropped, spaces collapsed)."""
    return Markup(value).striptags() if isinstance(value, Markup) else " ".join(str(value).split())


_TAG = re.compile(r"<[^>]*>")


def _long_columns(rows: Sequence[Sequence[Cell]]) -> set[int]:
    """The columns holding a cell longer than ``LONG_TEXT_CHARS`` (a note, or a number with
    words: "12.8% (≈ 3,700 of ≈ 29,000) [content items; ...]"). Lengths are of the text without
    tags (entities count as a few characters: a threshold needs no more)."""
    widths: dict[int, int] = {}
    for row in rows:
        for index, value in enumerate(row):
            widths[index] = max(widths.get(index, 0), len(_TAG.sub("", str(value))))
    return {i for i, n in widths.items() if n > LONG_TEXT_CHARS}


def table(
    head: Sequence[Cell],
    rows: Sequence[Sequence[Cell]],
    *,
    caption: Cell,
    numeric: Iterable[int] = (),
    table_id: str | None = None,
    foot: Sequence[Sequence[Cell]] = (),
) -> Markup:
    """An accessible data table: caption, column headers, first cell of each row as row header.

    Numeric columns have the class "num" (right-aligned, tabular figures) and columns with long
    cells the class "long" (kept to a readable width); site.css lays them out.
    """
    numeric = set(numeric)
    assert all(len(row) == len(head) for row in [*rows, *foot]), f"a row of {_plain(caption)!r} has not {len(head)} cells"
    long = _long_columns([*rows, *foot])
    classes = [" ".join(k for k, on in (("num", i in numeric), ("long", i in long)) if on) for i in range(len(head))]

    # Plain concatenation of escaped cells: the same markup as Markup.format, which costs
    # a string.Formatter pass per cell (a build writes some 40 000 cells).
    def cells(values) -> str:
        out = []
        for index, value in enumerate(values):
            start = '<th scope="row"' if index == 0 else "<td"
            klass = ' class="' + classes[index] + '">' if classes[index] else ">"
            out.append(start + klass + str(escape(value)) + ("</th>" if index == 0 else "</td>"))
        return "".join(out)

    header = Markup("".join(
        '<th scope="col"' + (' class="num">' if i in numeric else ">") + str(escape(v)) + "</th>"
        for i, v in enumerate(head)
    ))
    body = Markup("".join("<tr>" + cells(row) + "</tr>" for row in rows))
    tfoot = Markup("".join("<tr>" + cells(row) + "</tr>" for row in foot))
    ident = Markup(' id="{i}"').format(i=table_id) if table_id else Markup("")
    # The wrapper scrolls sideways on narrow screens, so it must be reachable by keyboard. The
    # search index keeps a table's caption and column headings but not its cells (numbers are
    # noise to full-text search, and they were nearly half of the index every page loads).
    return Markup(
        '<div class="data-table" tabindex="0" role="region" aria-label="{label}"><table{ident}>'
        "<caption>{caption}</caption><thead><tr>{header}</tr></thead>"
        "<tbody data-search-exclude>{body}</tbody>{tfoot}</table></div>"
    ).format(
        label=_plain(caption), ident=ident, caption=caption, header=header, body=body,
        tfoot=Markup("<tfoot data-search-exclude>{f}</tfoot>").format(f=tfoot) if foot else Markup(""),
    )


def block(*parts: Markup | str) -> Markup:
    """Join parts into one HTML block, separated so Markdown leaves it alone."""
    return Markup("\n").join(Markup(part) if isinstance(part, Markup) else escape(part) for part in parts if part)


def paragraph(content: Cell, klass: str = "") -> Markup:
    attr = Markup(' class="{k}"').format(k=klass) if klass else Markup("")
    return Markup("<p{a}>{c}</p>").format(a=attr, c=content)


def link(href: str, label: Cell) -> Markup:
    return Markup('<a href="{h}">{l}</a>').format(h=href, l=label)
