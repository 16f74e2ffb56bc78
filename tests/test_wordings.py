"""The site says no more than the report and the data support (issue 12): five wordings
that once did, each checked on the built page or in the data against the report's text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from transparency.package import load_package
from reporttext import report_text

PKG = load_package()


def _page(site: Path, lang: str, path: str) -> str:
    html = (site / ("" if lang == "en" else "sv") / path / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html)
    return re.sub(r"\s+", " ", text)


def _report() -> str:
    return report_text()


# 1. Section 2.3: 99 % precision does not "mean" 0.1 % false positives without a caveat.
@pytest.mark.parametrize("lang, means, caveat", [
    ("en", "which means", "a precision of 99% leaves 1% of the flagged items false"),
    ("sv", "vilket innebär", "en precision på 99 % att 1 % av de flaggade träffarna är felaktiga"),
])
def test_precision_sentence_carries_the_caveat(built_site, lang, means, caveat):
    text = _page(built_site, lang, "report/2-3-technology")
    assert not re.search(rf"{means} \S*0[.,]1", text), "99 % precision stated to mean 0.1 %"
    assert caveat in text


# 2. The appeals page does not state what the report never says about X's Tables 3-4 and 5.
@pytest.mark.parametrize("lang, claim, hedge", [
    ("en", "count all of its appeals", "the report does not say whether they are all of X's appeals"),
    ("sv", "räknar alla företagets överklaganden", "rapporten säger inte om de är alla X:s överklaganden"),
])
def test_appeals_page_does_not_claim_tables_3_4_are_all_appeals(built_site, lang, claim, hedge):
    text = _page(built_site, lang, "analysis/appeals").replace("&#39;", "'")
    assert claim not in text
    assert hedge in text


# 3. Estonia's 86 %: a share of all non-contact sexual offences, with no year.
def test_estonia_note_says_all_offences_and_no_year():
    assert "86 % av alla sexualbrott utan fysisk kontakt" in _report()
    row = PKG["ms_reports_received"].set_index("record_id").loc["EE-1"]
    assert "share of them" not in row["note_en"] and "andel av dem" not in row["note_sv"]
    assert "without a year, the share of all non-contact sexual offences" in row["note_en"]
    assert "utan att ange år, hur stor andel av alla sexualbrott" in row["note_sv"]


# 4. Who gave neither conviction figures nor a reason: the coding and every note agree.
def _no_reason_in_table_9() -> set[str]:
    """Member states with no count in Table 9 that section 2.2.3's list of reasons does not name
    (the names as the report prints them)."""
    text = _report()
    section = text[text.rindex("2.2.3. Antalet dömda förövare"):text.rindex("3. SLUTSATSER")]
    reasons = section[section.index("angav som skäl att"):section.index("Tabell nr 9")]
    rows = re.findall(r"^(\w+)\t[^\t]*\t-\t", section, re.M)
    return {name for name in rows if name not in reasons}


def test_convictions_without_figures_or_reason_coded_and_noted_alike():
    expected_sv = _no_reason_in_table_9()
    assert expected_sv == {"Kroatien", "Malta", "Portugal", "Rumänien"}
    by_sv = PKG["member_states"].set_index("name_sv")["country_code"]
    expected = {by_sv[name] for name in expected_sv}
    nonreporting = PKG["ms_nonreporting"]
    coded = set(nonreporting[(nonreporting["statistic"] == "convictions")
                             & (nonreporting["status"] == "not_given_no_reason")]["country_code"])
    assert coded == expected
    # Every note that lists the group names all four.
    convictions = PKG["ms_convictions"]
    for frame, column in ((convictions, "note_en"), (nonreporting, "reason_en"), (PKG["figures"], "note_en")):
        for note in frame[column].dropna():
            if "Malta, Portugal" in note and "no reason" in note.lower() and "conviction" in note.lower():
                assert "Croatia" in note, note


# 5. Section 2.2: the member states that named the type of provider are the report's examples.
@pytest.mark.parametrize("lang, example", [("en", "as examples"), ("sv", "som exempel")])
def test_provider_type_list_keeps_for_example(built_site, lang, example):
    assert re.search(r"typen av tillhandahållare[^.]*\(t\.ex\. Belgien", _report())
    text = _page(built_site, lang, "report/2-2-member-states")
    names = ("Belgium, Czechia, Estonia, France and Poland" if lang == "en"
             else "Belgien, Tjeckien, Estland, Frankrike och Polen")
    sentence = text[text.index(names) - 120:text.index(names) + len(names) + 40]
    assert example in sentence, sentence
