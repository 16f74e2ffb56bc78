"""MkDocs hook: Material's search index without reading every tag of the rows it leaves out.

Material's search plugin parses each page's HTML with Python's ``html.parser`` (about a tenth
of a build: our pages carry long tables and charts). The rows of our data tables
(``<tbody data-search-exclude>``, ``templates/_table.html``) are left out of the index, yet the
parser still tokenised every cell of them. This hook gives the plugin a parser that, at an
excluded element whose contents cannot change the index, jumps to the element's end tag the way
``html.parser`` already skips the inside of a ``<script>`` (its "CDATA mode"); every other tag
goes through Material's own code, so the index is the one Material writes
(``tests/test_search_parse.py`` compares the two parsers).

"Cannot change the index" is decided from the contents' text alone, conservatively (anything
unusual keeps the full parse): no heading, no element of the excluded element's own tag (Material
compares elements by tag name, so closing one would end the exclusion early), no nested exclusion,
no script, style, comment or stray ``<``, and tags that close in order; and, from the parser's
state, no section that the contents' end tags would close.
"""

from __future__ import annotations

import re
from collections import deque

from material.plugins.search import plugin as search_plugin

_EXCLUDED_START = re.compile(r"<([a-zA-Z][-.a-zA-Z0-9:_]*)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*"
                             r"\sdata-search-exclude\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
# Start tags: a name, then attributes (quoted values may hold ">").
# Possessive (*+): a tag that does not match fails at once instead of backtracking.
_ATTRIBUTES = r"(?:[^>\"']|\"[^\"]*\"|'[^']*')*+"
_VOID = re.compile(r"<(?:%s)\b%s>" % ("|".join(sorted(search_plugin.void)), _ATTRIBUTES), re.I)
_SELF_CLOSING = re.compile(r"<[a-zA-Z][^\t\n\r\f />\x00]*+(?:[^>\"'/]|/(?!>)|\"[^\"]*\"|'[^']*')*+/>")
_PAIR = re.compile(r"<([a-zA-Z][^\t\n\r\f />\x00]*+)(?:\s%s)?>[^<]*+</\1\s*>" % _ATTRIBUTES, re.I)
# Contents that Material's parser treats specially, or that this check does not model.
_SPECIAL = re.compile(r"<h[1-6]\b|<(?:script|style|object)\b|<!|<\?|linenodiv", re.I)


def _inert(contents: str, tag: str) -> bool:
    """Whether ``contents`` (the inside of an excluded ``tag``) leaves Material's parser as it
    found it, nested exclusions aside: no special element, no ``tag`` inside, every ``<`` a
    tag, tags closed in order."""
    if _SPECIAL.search(contents) or re.search(rf"<{re.escape(tag)}[\s/>]", contents, re.I):
        return False
    # Drop void and self-closing tags, then innermost pairs of a start and an end tag with
    # only text between them, until nothing changes: tags that close in order leave no "<".
    rest = _SELF_CLOSING.sub("", _VOID.sub("", contents))
    while True:
        shorter = _PAIR.sub("", rest)
        if shorter == rest:
            return "<" not in rest
        rest = shorter


def _excluded_starts(html: str):
    """The start tags that carry data-search-exclude, in order: found from the attribute
    (matching the tag pattern at every ``<`` of a page took a third of the parse)."""
    position = html.find("data-search-exclude")
    while position >= 0:
        start = html.rfind("<", 0, position)
        match = _EXCLUDED_START.match(html, start) if start >= 0 else None
        if match is not None and match.end() > position:
            yield match
            position = html.find("data-search-exclude", match.end())
        else:
            position = html.find("data-search-exclude", position + 1)


def _skippable(html: str) -> deque[tuple[str, bool, frozenset[str], int]]:
    """Each start tag of an excluded element in ``html``, in order (the parser meets the same
    start tags in the same order), with whether its contents are inert, and the tags and the
    number of the excluded elements inside it."""
    out: deque[tuple[str, bool, frozenset[str], int]] = deque()
    for match in _excluded_starts(html):
        tag = match.group(1).lower()
        text = match.group(0)
        end = re.compile(r"</\s*%s\s*>" % re.escape(tag), re.I).search(html, match.end())
        contents = html[match.end():end.start()] if end is not None else ""
        inert = (tag not in search_plugin.void and not text.endswith("/>") and end is not None
                 and _inert(contents, tag))
        nested = [m.group(1).lower() for m in _excluded_starts(contents)]
        out.append((text, inert, frozenset(nested), len(nested)))
    return out


class LeanParser(search_plugin.Parser):
    """Material's search parser that skips the inside of an inert excluded element."""

    def feed(self, data: str) -> None:
        self._excluded = _skippable(self.rawdata + data)
        super().feed(data)

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        if not any(key == "data-search-exclude" for key, _ in attrs) or self._excluded is None:
            return
        expected, inert, nested, count = self._excluded.popleft() if self._excluded else (None, False, frozenset(), 0)
        if expected != self.get_starttag_text():  # out of step with the scan: parse everything
            self._excluded = None
            return
        # Skipping the contents keeps the state when (besides being inert) none of their end
        # tags would move to an outer section (the current one is no deeper than they are), and
        # no nested exclusion would, on closing, drop the exclusion of an outer element of its
        # tag (Material's skip set compares elements by tag name).
        skipped_tags = {element.tag if isinstance(element, search_plugin.Element) else element
                        for element in self.skip}
        if (inert and self.cdata_elem is None and self.section.depth <= len(self.context) + 1
                and not nested & skipped_tags):
            self.set_cdata_mode(tag)
            for _ in range(count):  # the contents' own exclusions are never met: step past them
                self._excluded.popleft()


def on_config(config, **kwargs):
    # The plugin builds its parser by this module-level name (SearchIndex.add_entry_from_context).
    search_plugin.Parser = LeanParser
    return config
