"""Find numbers written in the other language's style on a built page.

English pages group digits with "," and write decimals with "."; Swedish pages (CLDR sv)
group with a no-break space, write decimals with "," and negative numbers with the minus sign
U+2212. A number on an English page grouped with a space or written with a decimal comma, or
one on a Swedish page grouped with "," or written with a decimal point, was formatted
somewhere other than ``transparency.fmt`` (or by Plotly without the page's separators).

What is read: the text a reader sees, the ``title`` and ``aria-label`` of every element, and
the strings a chart shows (titles, tick text, hover and bar text in its ``data-plotly`` JSON).

What is left out, and why (keep this list narrow):
- ``<script>``, ``<style>``, ``<code>``, ``<pre>``, ``<kbd>``, ``<samp>``: code, ids, file names;
- the report's printed text: the "As printed" column (``class="printed"``) and quoted table
  comments (``<q lang=...>``), in either language's pages;
- elements in another language (``lang`` differs from the page's): English metadata and the
  English changelog on Swedish pages;
- ``<time>`` and ``<data>``: dates and periods (ISO values, printed labels);
- in text: addresses, file names and ids (a token with "/", "://", "_" or a file extension);
  version and section numbers with two or more dots ("1.2.0", "2.1.9"); a section or article
  number right after its word ("section 2.1", "avsnitt 2.2", "artikel 3.1"); a report section
  number opening a title or link outside a table cell ("2.1 Tillhandahållarnas ...", "2.3");
  the version of a named standard or licence ("WCAG 2.1", "CC BY 4.0", "CC-BY-4.0"); the standard
  "EN 301 549" and the helpline number "116 111" (names, not quantities); the examples of
  printed cell text quoted in the ``printed`` fields' descriptions ("'ca 90 000', ..., '6,6
  miljoner'", English metadata quoting the Swedish edition).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

SKIP_TAGS = {"script", "style", "code", "pre", "kbd", "samp", "time", "data"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Plotly spec keys whose strings a reader sees.
CHART_TEXT_KEYS = {"text", "hovertext", "ticktext", "title", "name", "texttemplate", "hovertemplate"}

SPACE = "[ \u00a0\u202f]"
# Text a token of which is an address or a file name, never a number a reader reads.
_ADDRESS = re.compile(r"\S*(?:/|://|_|\.(?:csv|json|zip|html|cff|md|sha256|geojson))\S*")
_TITLE_SECTION = re.compile(r"^\s*(?:[^\d:]{1,20}:\s*)?\d\.\d(?=\s*$|\s+[A-ZÅÄÖ])")
_NAMES = re.compile(r"(?:WCAG\)?|CC BY|Erkännande|Attribution)\s+\d+\.\d+|CC-BY-\d+\.\d+|EN[ \u00a0]301[ \u00a0]549|116[ \u00a0]111"
                    r"|'ca 90 000', 'i\.u\.', '-', '6,6 miljoner'")
_DOTTED = re.compile(r"\d+(?:\.\d+){2,}")
_SECTION = re.compile(r"(?i)\b(?:section|sections|avsnitt|avsnitten|avsnittet|punkt|punkterna|article|artikel)"
                      r"\s+\d+(?:\.\d+)+(?:\s*(?:,|and|och|–|-)\s*\d+(?:\.\d+)+)*")

# The patterns of the other language's style, by the page's language.
PATTERNS = {
    "en": {
        "space-grouped": re.compile(rf"(?<![\d.,])\d{{1,3}}(?:{SPACE}\d{{3}})+(?![\d,.]\d)"),
        "decimal comma": re.compile(r"(?<![\d.,])\d+,\d{1,2}(?!\d)"),
        "space before %": re.compile(rf"\d{SPACE}%"),
        "minus sign U+2212": re.compile("\u2212\\d"),
    },
    "sv": {
        "comma-grouped": re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:,\d{3})+(?![\d,])"),
        "decimal point": re.compile(r"(?<![\d.,])\d+\.\d+(?![\d.])"),
        "no space before %": re.compile(r"\d%"),
        "hyphen as minus": re.compile(r"(?<![\w\d\-–—/.])-\d"),
        # CLDR sv groups with a no-break space; a plain space lets "9 112" break across lines.
        "breakable grouping space": re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?![\d,.]\d)"),
    },
}


class _PageText(HTMLParser):
    """Collect (text, where) pairs a reader sees in one page's language."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page_lang = ""
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.chunks: list[tuple[str, str]] = []

    def _skipping(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_lang = (attrs.get("lang") or "").split("-")[0]
            return
        lang = (attrs.get("lang") or "").split("-")[0]
        printed = "printed" in (attrs.get("class") or "").split() or (tag == "q" and bool(lang))
        skipped = tag in SKIP_TAGS or printed or bool(lang and self.page_lang and lang != self.page_lang)
        if not (skipped or self._skipping()):
            for name in ("title", "aria-label", "alt", "data-alt"):
                if attrs.get(name):
                    self.chunks.append((attrs[name], f"{tag}[{name}]"))
            if attrs.get("data-plotly"):
                self.chunks += [(s, "chart") for s in chart_strings(json.loads(attrs["data-plotly"]))]
        if tag not in VOID_TAGS:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        # Pop back to the matching open tag (HTML allows omitted end tags).
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if data.strip() and not self._skipping():
            self.chunks.append((data, self.stack[-1][0] if self.stack else ""))


def chart_strings(spec) -> list[str]:
    """Every string a Plotly spec shows a reader (titles, names, text, tick and hover text)."""
    out = []

    def walk(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in CHART_TEXT_KEYS:
            out.append(re.sub(r"<[^>]+>|%\{[^}]*\}", " ", node))

    walk(spec)
    return out


def _cleaned(text: str, where: str) -> str:
    text = _NAMES.sub(" ", text)
    if where not in ("td", "th"):
        text = _TITLE_SECTION.sub(" ", text)
    text = _ADDRESS.sub(" ", text)
    text = _SECTION.sub(" ", text)
    return _DOTTED.sub(" ", text)


def offences(html: str) -> list[tuple[str, str, str]]:
    """(pattern name, matched text, context) for every number in the other language's style."""
    parser = _PageText()
    parser.feed(html)
    patterns = PATTERNS.get(parser.page_lang)
    if patterns is None:
        raise ValueError(f"page language {parser.page_lang!r} has no number style")
    found = []
    for chunk, where in parser.chunks:
        text = _cleaned(chunk, where)
        for name, pattern in patterns.items():
            for match in pattern.finditer(text):
                start = max(0, match.start() - 40)
                found.append((name, match.group(0), f"<{where}> …{text[start:match.end() + 40]}…"))
    return found


def pages(site: Path) -> list[Path]:
    """Every HTML page of the built site."""
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)


if __name__ == "__main__":  # print the offences of a built site: python tests/numberstyle.py SITE
    import collections
    import sys

    site = Path(sys.argv[1])
    counts = collections.Counter()
    for page in pages(site):
        for name, matched, context in offences(page.read_text(encoding="utf-8")):
            counts[name] += 1
            if "-v" in sys.argv:
                print(page.relative_to(site), name, repr(matched), repr(context))
    print(dict(counts), sum(counts.values()))
