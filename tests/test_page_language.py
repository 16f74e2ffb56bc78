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


def test_a_charts_svg_labels_and_plotly_strings_are_read():
    page = ('<svg class="static-map"><text x="0">Reports per 100 000 inhabitants in the year</text>'
            '<path d="M0 0"/><title>Austria, 2021: 84.9 reports of the year</title></svg>'
            '<div data-plotly=\'{"layout": {"title": {"text": "Share of the reports by year"}}, '
            '"data": [{"locations": ["AT"], "hovertemplate": "%{text}: reports of the year<extra></extra>"}]}\'></div>')
    text, _ = visible_sentences(page, "sv")
    assert "Reports per 100 000 inhabitants in the year" in text
    assert "Austria, 2021:" in text and "Share of the reports by year" in text
    assert all(language_of(s) != "sv" for s in text) and "AT" not in text


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
    assert re.search(r'<span\b[^>]*\blang="sv"[^>]*>', page), "the printed cells are not marked lang=sv"


# Every note transparency/metrics.py writes into basis_note (or its completeness notes), as the
# metric tables and chart tables show it: in Swedish on Swedish pages.
METRIC_NOTES = ["inputs approximate", "no denominator", "zero denominator", "numerator missing",
                "no complaints row", "received figure is range", "received figure is not_reported",
                "unit is reports_per_month", "unit is offences", "no reporting period",
                "period runs to 2023-01-20; needs NCMEC data for 2023, which cover 2021-2022",
                "zero NCMEC reports", "printed population share has no year; used for every year",
                "received count includes sources other than NCMEC", "zero children",
                "unknown-sex count not given: shares of girls + boys",
                "a monthly rate or a range, not a total", "no figure", "no row",
                "girls + boys (+ unknown) differ from total", "total only or sex split in part",
                "ms_nonreporting: partly given", "no figure; no row"]


@pytest.mark.parametrize("note", METRIC_NOTES)
def test_metric_notes_are_shown_in_swedish(note):
    from transparency.metric_tables import note_text

    shown = note_text(note, "sv")
    assert "_" not in shown and shown != note and language_of(shown) != "en", shown
    assert note_text(note, "en")


def test_an_unknown_metric_note_stops_the_build():
    from transparency.metric_tables import note_text

    with pytest.raises(KeyError, match="note_a_new_note"):
        note_text("a new note", "sv")


def test_heading_permalinks_are_titled_in_swedish_on_swedish_pages(built_site: Path):
    # Too short for the sentence scan: the toc extension's one site-wide tooltip.
    english = [p.relative_to(built_site).as_posix() for p in sorted((built_site / "sv").rglob("index.html"))
               if 'title="Permanent link"' in p.read_text(encoding="utf-8")]
    assert not english, english
    assert 'title="Permanent länk"' in _page(built_site, "sv", "data")
    assert 'title="Permanent link"' in _page(built_site, "en", "data")
