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

from transparency import fmt
from transparency.i18n import t

Cell = "str | Markup"


def text(row, column: str, lang: str) -> str:
    """The ``{column}_{lang}`` text of a row, or "" when empty (its numbers' grouping spaces
    no-break, ``fmt.prose``)."""
    value = row.get(f"{column}_{lang}", "")
    return "" if value is None or pd.isna(value) else fmt.prose(str(value), lang)


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


def table(
    head: Sequence[Cell],
    rows: Sequence[Sequence[Cell]],
    *,
    caption: Cell,
    numeric: Iterable[int] = (),
    table_id: str | None = None,
    foot: Sequence[Sequence[Cell]] = (),
) -> Markup:
    """An accessible data table: caption, column headers, first cell of each row as row header."""
    numeric = set(numeric)

    def cells(values, tag_first, tag):
        out = []
        for index, value in enumerate(values):
            name = tag_first if index == 0 else tag
            scope = ' scope="row"' if name == "th" else ""
            klass = ' class="num"' if index in numeric else ""
            out.append(Markup("<{n}{s}{k}>{v}</{n}>").format(n=name, s=Markup(scope), k=Markup(klass), v=value))
        return Markup("").join(out)

    header = Markup("").join(
        Markup('<th scope="col"{k}>{v}</th>').format(k=Markup(' class="num"' if i in numeric else ""), v=v)
        for i, v in enumerate(head)
    )
    body = Markup("").join(Markup("<tr>{c}</tr>").format(c=cells(row, "th", "td")) for row in rows)
    tfoot = Markup("").join(Markup("<tr>{c}</tr>").format(c=cells(row, "th", "td")) for row in foot)
    ident = Markup(' id="{i}"').format(i=table_id) if table_id else Markup("")
    # The wrapper scrolls sideways on narrow screens, so it must be reachable by keyboard. The
    # search index keeps a table's caption and column headings but not its cells (numbers are
    # noise to full-text search, and they were nearly half of the index every page loads).
    return Markup(
        '<div class="data-table" tabindex="0" role="region" aria-label="{label}"><table{ident}>'
        "<caption>{caption}</caption><thead><tr>{header}</tr></thead>"
        "<tbody data-search-exclude>{body}</tbody>{tfoot}</table></div>"
    ).format(
        label=Markup(caption).striptags() if isinstance(caption, Markup) else caption,
        ident=ident, caption=caption, header=header, body=body,
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
