"""hooks/search_parse.py: the search parser that skips inert excluded contents gives Material's
own sections for the same HTML, quirks included, and does skip where it may."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import markdown
import pytest
from material.plugins.search import plugin as search_plugin

from transparency import profiles
from transparency.context import Ctx
from transparency.package import load_package

MATERIAL_PARSER = search_plugin.Parser
_spec = importlib.util.spec_from_file_location("search_parse", Path(__file__).parent.parent / "hooks" / "search_parse.py")
search_parse = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(search_parse)


def _sections(parser_class, html: str) -> list[tuple]:
    parser = parser_class()
    parser.feed(html)
    parser.close()
    return [(s.id, s.title, s.text, s.is_excluded()) for s in parser.data]


TABLE = ('<table><caption>Cap</caption><thead><tr><th>A</th></tr></thead>'
         '<tbody data-search-exclude><tr><td>hidden <b>1</b></td></tr></tbody></table>')

CASES = {
    "plain table": f"<h2 id='a'>A</h2><p>before</p>{TABLE}<p>after</p>",
    # Material compares elements by tag: closing the inner div ends the outer exclusion.
    "same tag inside": "<div data-search-exclude><div>x</div>shown by Material</div><p>z</p>",
    "heading inside": "<div data-search-exclude><h2 id='in'>In</h2>text</div><p>after</p>",
    "unclosed tag inside": "<div data-search-exclude><p>open</div><p>after</p>",
    "stray bracket inside": "<div data-search-exclude>a < b</div><p>after</p>",
    "nested exclusion": f"<details data-search-exclude><summary>S</summary>{TABLE}</details><p>after</p>",
    "nested exclusion of an outer tag": f"<tbody data-search-exclude><tr><td><details data-search-exclude>"
                                        f"{TABLE}</details>still hidden?</td></tr></tbody><p>after</p>",
    # A heading nested in a div: its section ends with the div, before the table.
    "heading in a div before the rows": f"<div><h2 id='d'>D</h2></div>{TABLE}<p>after</p>",
    "quoted bracket": "<div data-search-exclude><span title='a > b'>x</span></div><p>after</p>",
    "self-closing exclusion": "<div data-search-exclude/><p>after</p>",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_lean_parser_gives_materials_sections(name):
    assert _sections(search_parse.LeanParser, CASES[name]) == _sections(MATERIAL_PARSER, CASES[name])


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_a_country_profile_gives_materials_sections(lang):
    profile = profiles.country_profile(Ctx(pkg=load_package(), lang=lang), "DE")
    html = markdown.markdown(f"# Germany\n\n{profile}", extensions=["md_in_html", "attr_list", "toc", "tables"])
    assert html.count("data-search-exclude") >= 5
    assert _sections(search_parse.LeanParser, html) == _sections(MATERIAL_PARSER, html)


def test_inert_rows_are_skipped_and_odd_contents_are_not():
    skipped = []

    class Counting(search_parse.LeanParser):
        def set_cdata_mode(self, elem):
            skipped.append(elem)
            super().set_cdata_mode(elem)

    _sections(Counting, CASES["plain table"])
    assert skipped == ["tbody"]
    skipped.clear()
    for name in ("same tag inside", "heading inside", "unclosed tag inside", "stray bracket inside",
                 "self-closing exclusion"):
        _sections(Counting, CASES[name])
    assert skipped == []
