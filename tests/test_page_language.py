"""Swedish all the way (issue 12): no English sentence on a Swedish page, no Swedish sentence
on an English page, outside the report's own text quoted and marked as such
(tests/pagelanguage.py says how a sentence's language is told); lists in each language's
alphabetical order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pagelanguage import language_of, report, visible_sentences, wrong_language
from transparency.package import load_package

PKG = load_package()


# --- The measuring tool on sentences whose language is known ------------------------------

@pytest.mark.parametrize("sentence, lang", [
    ("Every figure in the report, with its status and the table it comes from.", "en"),
    ("printed population share has no year; used for every year", "en"),
    ("Compilation and text: CC BY 4.0.", "en"),
    ("Sammanställning och text: CC BY 4.0.", "sv"),
    ("Varje siffra i rapporten, med sin statusmarkering och den tabell den kommer från.", "sv"),
    ("Källa: NCMEC, 2023 CyberTipline Reports by Country, kolumnen ”number of reports”.", None),
    ("National Center for Missing and Exploited Children", None),  # a name, not a sentence
    ("Thorn och Tech Coalitions tekniska lösning (Thorn and the Tech Coalition)", None),
    ("European Commission (reuse under Decision 2011/833/EU) and Eurostat, as it is.", "en"),
])
def test_language_of_known_sentences(sentence, lang):
    assert language_of(sentence) == lang


def test_code_and_the_reports_quoted_swedish_are_left_out():
    page = ('<p>Det här är en mening på svenska.</p><p><code>the value of the flag is not</code></p>'
            '<td><span lang="sv" class="printed">ca 90 000 och mer än det</span></td>'
            '<p title="Switch to the dark mode of the site">Text</p>')
    text, labels = visible_sentences(page, "en")
    assert "ca 90 000 och mer än det" not in " ".join(text) and not any("value of the flag" in s for s in text)
    assert labels == ["Switch to the dark mode of the site"]
    text, _ = visible_sentences(page, "sv")
    assert "ca 90 000 och mer än det" in text


# --- The built site ----------------------------------------------------------------------------

def test_no_english_sentence_on_a_swedish_page(built_site: Path):
    findings = wrong_language(built_site, "sv")
    assert not findings, "English on Swedish pages (or internal ids in their text):\n" + report(findings)


def test_no_swedish_sentence_on_an_english_page(built_site: Path):
    findings = wrong_language(built_site, "en")
    assert not findings, "Swedish on English pages outside the report's quoted text:\n" + report(findings)


def _page(site: Path, lang: str, path: str) -> str:
    return (site / ("sv/" if lang == "sv" else "") / path / "index.html").read_text(encoding="utf-8")


# The Swedish alphabet as a dictionary orders it: a-z, then å, ä, ö; case and other accents
# (é, ü as y) do not count. Written out here rather than taken from transparency.fmt.
SWEDISH_ORDER = "abcdefghijklmnopqrstuvwxyzåäö"


def _swedish_key(word: str) -> list[int]:
    word = word.lower().replace("é", "e").replace("ü", "y").replace("æ", "ä").replace("ø", "ö")
    # A space sorts before any letter ("Meta SSN++" before "Metadata"), other signs after it.
    return [SWEDISH_ORDER.index(c) if c in SWEDISH_ORDER else -2 if c == " " else -1 for c in word]


def test_swedish_glossary_is_in_swedish_alphabetical_order(built_site: Path):
    terms = re.findall(r"<dfn>(.*?)</dfn>", _page(built_site, "sv", "report/glossary"))
    expected = sorted(PKG["glossary"]["term_sv"], key=_swedish_key)
    assert terms == expected
    # Terms beginning with Ö (övergrepp ...) come after every other letter, unlike in English.
    assert terms[-1][0] in "ÅÄÖ" or not any(term[0] in "ÅÄÖ" for term in terms)


def test_country_index_in_each_languages_order(built_site: Path):
    names = PKG["member_states"].set_index("country_code")
    for lang, column in (("sv", "name_sv"), ("en", "name_en")):
        page = _page(built_site, lang, "countries")
        table = page[page.index("<tbody"):page.index("</tbody>")]
        shown = re.findall(r"<th scope=\"row\"><a href=\"[^\"]*/[a-z]{2}/\">(.*?)</a>", table)
        assert shown == sorted(names[column], key=_swedish_key if lang == "sv" else str.lower), lang
    # Österrike is last in Swedish; Austria is first in English.
    assert shown[0] == "Austria"


def test_english_pages_say_the_printed_column_is_swedish(built_site: Path):
    # Poland's page quotes the report's Swedish cells (lang="sv"); its heading says so in words.
    page = _page(built_site, "en", "countries/pl")
    headings = re.findall(r'<th scope="col"[^>]*>(As printed[^<]*)</th>', page)
    assert headings and all("Swedish" in heading for heading in headings), headings
    assert '<span lang="sv">' in page
