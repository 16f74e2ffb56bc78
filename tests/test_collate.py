"""Rows are in the alphabetical order of the page's language (transparency/collate.py): English
with accented letters among their base letters; Swedish with Å, Ä, Ö after Z (Æ as Ä, Ø as Ö,
Ü as Y). Expected orders are written out by hand from those rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from transparency.collate import sort_by, sort_key


def test_swedish_puts_a_ring_a_umlaut_o_umlaut_after_z_in_that_order():
    words = ["Öst", "Zeta", "Ärlig", "Åbo", "Apa", "Ørsted", "Æble", "Yxa", "Zürich", "Wien", "Vasa"]
    assert sort_by(words, "sv", str) == ["Apa", "Vasa", "Wien", "Yxa", "Zeta", "Zürich", "Åbo", "Æble", "Ärlig",
                                         "Ørsted", "Öst"]


def test_english_sorts_accented_letters_with_their_base_letter_and_ignores_case():
    assert sort_by(["Zeta", "Öst", "éclair", "Ende", "apple", "Banana"], "en", str) == [
        "apple", "Banana", "éclair", "Ende", "Öst", "Zeta"]


def test_case_and_accents_only_break_ties():
    assert sort_key("resume", "en") < sort_key("résumé", "en") < sort_key("rf", "en")
    assert sort_by(["b", "B", "a"], "sv", str)[0] == "a"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="no collation for language 'de'"):
        sort_key("Äpfel", "de")


def _row_names(html: str, table_id: str) -> list[str]:
    """The row headings' texts of the table with ``table_id``."""
    table = html[html.index(f'id="{table_id}"'):]
    table = table[:table.index("</table>")]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r'<th scope="row"[^>]*>(.*?)</th>', table, re.S)]


@pytest.mark.parametrize(("page", "first", "last", "before"), [
    ("countries/index.html", "Austria", "Sweden", ("Denmark", "Germany")),
    ("sv/countries/index.html", "Belgien", "Österrike", ("Tyskland", "Ungern")),
])
def test_country_index_is_in_the_languages_alphabetical_order(built_site: Path, page, first, last, before):
    names = _row_names((built_site / page).read_text(encoding="utf-8"), "country-index")
    assert len(names) == 27 and (names[0], names[-1]) == (first, last), names
    assert names.index(before[0]) < names.index(before[1])


@pytest.mark.parametrize(("page", "last"), [("analysis/ncmec-map/index.html", "Sweden"),
                                            ("sv/analysis/ncmec-map/index.html", "Österrike")])
def test_metric_table_rows_follow_the_names_shown_not_the_codes(built_site: Path, page, last):
    names = _row_names((built_site / page).read_text(encoding="utf-8"), "metric-reports-per-100k")
    unique = list(dict.fromkeys(names))
    assert len(unique) == 27 and unique[-1] == last, unique
    lang = "sv" if page.startswith("sv/") else "en"
    assert unique == sort_by(unique, lang, str)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_glossary_is_in_the_languages_alphabetical_order(built_site: Path, lang):
    page = built_site / ("report/glossary/index.html" if lang == "en" else "sv/report/glossary/index.html")
    terms = re.findall(r"<dfn>(.*?)</dfn>", page.read_text(encoding="utf-8"))
    assert len(terms) > 10 and terms == sort_by(terms, lang, str), terms
