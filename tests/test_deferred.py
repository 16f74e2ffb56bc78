"""Deferred data tables and charts (transparency.deferred, hooks/deferred_html.py): Markdown never reads
them, and the page comes out as if it had. Cheap: one profile converted in memory."""

from __future__ import annotations

import markdown
import pytest
from markupsafe import Markup

from transparency import deferred, profiles
from transparency.context import Ctx
from transparency.package import load_package

# The site's Markdown extensions (mkdocs.yml) that touch raw HTML or text.
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc",
              "pymdownx.details", "pymdownx.superfences"]


def _convert(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_a_page_with_deferred_tables_converts_to_the_same_html(lang):
    profile = profiles.country_profile(Ctx(pkg=load_package(), lang=lang), "FI")
    assert profile.count('<div class="data-table"') >= 3 and profile.count('<figure class="chart"') >= 2
    page = f"# Finland\n\nSome *text* about CSAM.\n\n{profile}\n\n*[CSAM]: child sexual abuse material\n"
    deferred_page = "# Finland\n\nSome *text* about CSAM.\n\n" + deferred.defer_tables(profile) + \
        "\n\n*[CSAM]: child sexual abuse material\n"
    assert '<div class="data-table"' not in deferred_page and "data-deferred-table" in deferred_page
    assert "<figure" not in deferred_page and "<svg" not in deferred_page, "charts are deferred too"
    assert deferred.restore(_convert(deferred_page)) == _convert(page)
    assert not deferred._STASH, "the stash is emptied with its page"


def test_markup_stays_markup_and_an_unknown_placeholder_fails():
    table = Markup('<p>x</p>\n<div class="data-table" tabindex="0"><table><tr><td>1</td></tr></table></div>')
    out = deferred.defer_tables(table)
    assert isinstance(out, Markup) and out.startswith("<p>x</p>\n<div data-deferred-table=")
    assert deferred.restore(out) == table
    with pytest.raises(RuntimeError, match="was not kept"):
        deferred.restore(out)  # its table was handed back already
