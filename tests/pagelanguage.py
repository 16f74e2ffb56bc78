"""Which sentences on a built page are in the other language (issue 12, "Swedish all the way").

A page's visible strings (text, the tooltips and labels a reader meets: ``title``,
``aria-label``, ``alt``, ``placeholder``, and the labels inside a Plotly chart's spec) are split
into sentences; a sentence of three words or more is taken to be English when its English
function words clearly outnumber its Swedish ones, and the other way round. Function words
("the", "of", "och", "att") are what a language cannot do without, so a count of them tells
English from Swedish without a dictionary, and names, numbers and codes (the same in both)
do not sway it.

Left out: ``<code>``, ``<pre>``, ``<kbd>``, scripts and styles (identifiers, not language);
the report's own printed text, which the site quotes in Swedish on both sites and marks as
such: an element with ``lang="sv"`` on an English page (the "As printed" cells); and a quote
or title (``<q>``, ``<cite>``, ``<blockquote>``) marked with another language, such as the
heading of an English publication's column quoted on a Swedish page. Other text marked
``lang="en"`` on a Swedish page is not left out: English there is what this looks for.

Run as a script to print the count and examples for a build:
``python tests/pagelanguage.py /tmp/site [sv|en]``.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

# Function words of each language, lower case. A word both languages use in the same way on
# this site ("per", "in" as in "in Sweden"/"in i", "a") is in neither list.
ENGLISH = frozenset("""
the of and is are to for with by from this that which not each was were has have had be been
being it its as at or on an these those their there than then when where who whom whose what
would should could will shall can may must does did do into onto about over between
after before because while also only both any all some such no nor our we you they them he she
his her one here how why if so very more most other same per-cent
""".split())
SWEDISH = frozenset("""
och att det som en ett är av för med på till inte om har de den från varje var vara varit
också bara båda alla någon några inga ingen inget eller samt sina sitt sin hans hennes deras
dess där när vad vem vilka vilken vilket vars kan ska skulle måste får fick kunde hade gör gjorde
efter före mellan över utan än så mer mest andra annan annat samma här hur varför
om ur vid hos mot sedan enligt eftersom medan vi ni man du jag dem denna detta dessa
""".split())

# Small words that join the parts of a name ("National Center for Missing and Exploited
# Children", "Court of Justice of the European Union").
NAME_JOINERS = frozenset({"of", "for", "and", "the", "on", "by", "de", "du", "la", "och", "för", "av"})
# Elements whose text is not prose in either language.
# (An inline SVG is read: its <text> and <title> are a chart's labels and tooltips.)
SKIPPED = frozenset({"code", "pre", "kbd", "samp", "script", "style", "template", "math", "noscript"})
# The page's table of contents: it repeats the page's headings (checked where they stand),
# without their <code> marks.
SECONDARY_NAV = "md-nav--secondary"
# Quotation and title elements: a quote or a title in another language, marked with its lang
# (a column heading of an English publication quoted on a Swedish page), is left out.
QUOTES = frozenset({"q", "cite", "blockquote"})
# Elements that end a run of text (a sentence never spans two of them).
BLOCKS = frozenset({"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "caption",
                    "figcaption", "summary", "div", "section", "article", "nav", "header", "footer", "main",
                    "aside", "label", "option", "button", "blockquote", "tr", "table", "ul", "ol", "dl",
                    "details", "figure", "br", "title", "legend", "select", "form", "text", "desc", "g"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})
# Attributes a reader sees (tooltips, screen-reader labels, image text, field hints).
SHOWN_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder", "data-alt")
# Keys of a Plotly spec whose strings a reader sees (titles, legend names, tooltips, ticks).
CHART_KEYS = frozenset({"title", "text", "name", "hovertemplate", "ticktext", "legendgrouptitle", "label",
                        "texttemplate"})
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
# An internal name (``reports_per_100k__count``, ``no_reason_given``): not a word of either
# language, but on a page outside <code> an id that leaked into the text.
IDENTIFIER = re.compile(r"(?<![\w/.-])[a-z][a-z0-9]*(?:_+[a-z0-9]+)+(?![\w/-]|\.\w)")
# Tokens that are names in any language: web addresses, anything with an underscore, file names.
NAMES = re.compile(r"https?://\S+|\S*_\S*|\S+\.(?:csv|json|md|cff|zip|txt|html)\b")
# A phrase in quotation marks is a quotation (a column heading of an English publication, a
# word the report prints): not a sentence of the page's own.
QUOTED = re.compile(r"(?<!\w)[\"'”“‘’«»]([^\"'”“‘’«»]{1,80})[\"'”“‘’«»](?!\w)")
# Names the report's Swedish edition prints in English, in lower case where a name rule
# cannot see them (a product, an organisation): quoted report text, not the site's.
PRINTED_NAMES = ("Hive AI for visual content", "The smile of the child")
# Codes of other publishers' datasets, named so a reader can find them (Eurostat's table of
# population on 1 January).
EXTERNAL_CODES = frozenset({"demo_pjan"})
SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\s+[–—]\s+")


@dataclass(frozen=True)
class Finding:
    """A sentence in the wrong language on one page."""

    page: str
    sentence: str


def language_of(sentence: str) -> str | None:
    """"en" or "sv" when ``sentence`` (three words or more) is clearly in that language, else None.

    Clearly: more than twice as many function words of the language as of the other (a
    Swedish sentence quoting an English title stays Swedish).
    """
    for name in PRINTED_NAMES:
        sentence = sentence.replace(name, " ")
    words = WORD.findall(NAMES.sub(" ", QUOTED.sub(" ", sentence)))
    if len(words) < 3:
        return None
    counts = Counter("en" if w in ENGLISH else "sv" if w in SWEDISH else "" for w in _outside_names(words))
    for lang, other in (("en", "sv"), ("sv", "en")):
        if counts[lang] >= 2 * counts[other] + 1:
            return lang
    return None


def _titled(word: str) -> bool:
    return word[:1].isupper() and word[1:].islower()


def _outside_names(words: list[str]) -> list[str]:
    """``words`` in lower case, without the small words inside a capitalised name ("Center
    *for* Missing *and* Exploited Children", "Court *of* Justice"): a name is not a sentence
    in its language."""
    kept = []
    for i, word in enumerate(words):
        before = [w for w in words[:i] if w not in NAME_JOINERS][-1:]
        after = [w for w in words[i + 1:] if w not in NAME_JOINERS][:1]
        inside = word in NAME_JOINERS and before and after and _titled(before[0]) and _titled(after[0])
        acronym = len(word) > 1 and word.isupper()  # CC BY, NCMEC, EU: names
        if not inside and not acronym:
            kept.append(word.lower())
    return kept


def split_sentences(text: str) -> list[str]:
    """Sentences of a run of text (split after . ! ? ; : and around a spaced dash)."""
    text = re.sub(r"\s+", " ", text).strip()
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


class _Visible(HTMLParser):
    """Collects runs of visible text (one per block element) and shown attribute values."""

    def __init__(self, lang: str):
        super().__init__(convert_charrefs=True)
        self.lang = lang
        # On an English page: the report's printed Swedish, marked lang="sv" wherever it stands.
        self.skip_lang = "sv" if lang == "en" else None
        self.stack: list[bool] = []  # per open element: is its text left out?
        self.runs: list[str] = []  # text runs, and the strings of charts
        self.labels: list[str] = []  # attribute values a reader meets (tooltips, labels)
        self.current: list[str] = []

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def _flush(self):
        if self.current:
            self.runs.append("".join(self.current))
            self.current = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = (self._skipping() or tag in SKIPPED or SECONDARY_NAV in attrs.get("class", "").split()
                   or self.skip_lang is not None and attrs.get("lang") == self.skip_lang
                   or tag in QUOTES and attrs.get("lang") not in (None, self.lang))
        if tag in BLOCKS:
            self._flush()
        if not skipped:
            for name in SHOWN_ATTRIBUTES:
                if attrs.get(name):
                    self.labels.append(attrs[name])
            if attrs.get("data-plotly"):
                self.runs.extend(chart_strings(json.loads(attrs["data-plotly"])))
        if tag not in VOID:
            self.stack.append(skipped)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if tag in BLOCKS:
            self._flush()
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self._skipping():
            self.current.append(data)

    def close(self):
        super().close()
        self._flush()


def chart_strings(spec) -> list[str]:
    """The strings a reader sees in a Plotly spec: titles, legend names, tooltips, tick labels
    (placeholders such as ``%{y}`` and tags such as ``<extra>`` removed)."""
    found = []

    def walk(node, shown):
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, key in CHART_KEYS)
        elif isinstance(node, list):
            for value in node:
                walk(value, shown)
        elif shown and isinstance(node, str):
            found.append(re.sub(r"%\{[^}]*\}|<[^>]+>", " ", node))

    walk(spec, False)
    return found


def visible_sentences(page_html: str, lang: str) -> tuple[list[str], list[str]]:
    """The sentences a reader of ``page_html`` (a page in ``lang``) sees, the report's quoted
    Swedish text left out on English pages: (those of its text and charts, those of its
    tooltips and labels)."""
    parser = _Visible(lang)
    parser.feed(page_html)
    parser.close()

    def split(runs):
        return [s for run in runs for s in split_sentences(html.unescape(run))]

    return split(parser.runs), split(parser.labels)


def pages(site: Path, lang: str) -> list[Path]:
    """The built HTML pages of one language (Swedish under sv/, English everywhere else)."""
    found = [p for p in sorted(site.rglob("*.html")) if p.relative_to(site).parts[0] != "assets"]
    return [p for p in found if (p.relative_to(site).parts[0] == "sv") == (lang == "sv")]


def wrong_language(site: Path, lang: str) -> list[Finding]:
    """Every sentence on ``lang``'s pages that is clearly in the other language, and on
    Swedish pages every sentence of the text showing an internal (English) identifier."""
    other = "en" if lang == "sv" else "sv"
    findings = []
    found = pages(site, lang)
    assert len(found) > 20, f"only {len(found)} {lang} pages in {site}: not a whole build"
    for page in found:
        text, labels = visible_sentences(page.read_text(encoding="utf-8"), lang)
        for sentence in text + labels:
            # An id in a label names a table (its aria-label); in the text it has leaked.
            leaked = lang == "sv" and sentence in text and any(
                code not in EXTERNAL_CODES for code in IDENTIFIER.findall(sentence))
            if language_of(sentence) == other or leaked:
                findings.append(Finding(str(page.relative_to(site)), sentence))
    return findings


def report(findings: list[Finding], limit: int = 40) -> str:
    """A count per page and the first ``limit`` sentences, for a test's message or the console."""
    per_page = Counter(f.page for f in findings)
    lines = [f"{len(findings)} sentences on {len(per_page)} pages"]
    lines += [f"  {n:4d}  {page}" for page, n in per_page.most_common()]
    lines += [f"  - {f.page}: {f.sentence[:160]}" for f in findings[:limit]]
    return "\n".join(lines)


if __name__ == "__main__":
    site_dir = Path(sys.argv[1])
    languages = sys.argv[2:] or ["sv", "en"]
    for language in languages:
        print(f"== {language} pages, sentences in the other language ==")
        print(report(wrong_language(site_dir, language), limit=int(__import__("os").environ.get("LIMIT", "40"))))
