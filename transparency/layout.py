"""The Jinja2 templates (``templates/``) that lay out the site's blocks: one environment,
autoescaping, shared by every module that renders HTML (html, fmt, tables, blocks, profiles,
discrepancies). Python prepares plain values, rows and dicts; the templates lay them out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.ext
from markupsafe import Markup

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
