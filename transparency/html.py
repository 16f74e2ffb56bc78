"""Small HTML builders shared by tables, charts and profiles, and the Jinja2 templates
(``templates/``) that lay out the site's blocks.

Every string that comes from the data is escaped (the templates autoescape with
``markupsafe.escape``); only values already wrapped in ``Markup`` by our own formatting pass
through, so a note containing ``<script>`` is shown as text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import jinja2
import jinja2.ext
import pandas as pd
from markupsafe import Markup, escape

from transparency import fmt
from transparency.i18n import t

Cell = "str | Markup"
TEMPLATES = Path(__file__).resolve().parent / "templates"


class _OneLine(jinja2.ext.Extension):
    """Join the source lines of a partial (a template whose name starts with "_", such as
    ``_table.html``) before it is compiled, dropping line breaks and indentation: partials are
    indented for reading, while the HTML they give stays on one line, as the Markdown around a
    macro needs (a blank line ends a raw HTML block, an indented line is code). Only the
    template's own text is joined, never the data put into it. Other templates keep their lines
    (the search index reads a line break between blocks as a space between words)."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return re.sub(r"\n\s*", "", source) if name and Path(name).name.startswith("_") else source


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    # Autoescape: every value is data unless our code made it Markup; StrictUndefined: a
    # missing key stops the build.
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              extensions=[_OneLine])


def render(name: str, **context) -> Markup:
    """The template ``templates/<name>`` filled with ``context``, as HTML."""
    return Markup(templates().get_template(name).render(**context))


def macros(name: str):
    """The macros of ``templates/<name>``, to call from Python (each returns ``Markup``)."""
    return templates().get_template(name).module


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
    """An accessible data table: caption, column headers, first cell of each row as row header
    (laid out by ``templates/_table.html``)."""
    label = Markup(caption).striptags() if isinstance(caption, Markup) else caption
    return render("_table.html", head=head, rows=rows, caption=caption, label=label, numeric=set(numeric),
                  table_id=table_id, foot=foot)


def block(*parts: Markup | str) -> Markup:
    """Join parts into one HTML block, separated so Markdown leaves it alone."""
    return Markup("\n").join(Markup(part) if isinstance(part, Markup) else escape(part) for part in parts if part)


def paragraph(content: Cell, klass: str = "") -> Markup:
    return render("_paragraph.html", content=content, klass=klass)


def link(href: str, label: Cell) -> Markup:
    return render("_link.html", href=href, label=label)
