"""Rows are in the alphabetical order of the page's language (fmt.collation_key): English with
accented letters among their base letters; Swedish with Å, Ä, Ö after Z (Æ as Ä, Ø as Ö, Ü as Y).
Tables led by a member state follow the names shown, not the codes. Expected orders are written
out by hand from those rules. (The glossary and the country index: tests/test_page_language.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from transparency.fmt import collation_key


def _sort(words, lang):
    return sorted(words, key=lambda w: collation_key(w, lang))


def test_swedish_puts_a_ring_a_umlaut_o_umlaut_after_z_in_that_order():
    words = ["Öst", "Zeta", "Ärlig", "Åbo", "Apa", "Ørsted", "Æble", "Yxa", "Zürich", "Wien", "Vasa"]
    assert _sort(words, "sv") == ["Apa", "Vasa", "Wien", "Yxa", "Zeta", "Zürich", "Åbo", "Æble", "Ärlig",
                                  "Ørsted", "Öst"]


def test_english_sorts_accented_letters_with_their_base_letter_and_ignores_case():
    assert _sort(["Zeta", "Öst", "éclair", "Ende", "apple", "Banana"], "en") == [
        "apple", "Banana", "éclair", "Ende", "Öst", "Zeta"]


def _row_names(html: str, table_id: str) -> list[str]:
    """The row headings' texts of the table with ``table_id``, each once, in order."""
    table = html[html.index(f'id="{table_id}"'):]
    table = table[:table.index("</table>")]
    cells = re.findall(r'<th scope="row"[^>]*>(.*?)</th>', table, re.S)
    return list(dict.fromkeys(re.sub(r"<[^>]+>", "", cell).strip() for cell in cells))


@pytest.mark.parametrize(("page", "before", "last"), [
    ("analysis/ncmec-map/index.html", ("Denmark", "Germany"), "Sweden"),
    ("sv/analysis/ncmec-map/index.html", ("Tyskland", "Ungern"), "Österrike"),
])
def test_metric_table_rows_follow_the_names_shown_not_the_codes(built_site: Path, page, before, last):
    # Sorted by code, Germany (DE) came before Denmark (DK) and Österrike (AT) first.
    names = _row_names((built_site / page).read_text(encoding="utf-8"), "metric-reports-per-100k")
    assert len(names) == 27 and names[-1] == last, names
    assert names.index(before[0]) < names.index(before[1])
