"""The report's inconsistencies (resource report_discrepancies): each one is really in the
report, its rows exist, the derived figure is computed from them, and the site lists every
one in both languages and links to it from the tables concerned."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from transparency import discrepancies
from transparency.context import Ctx
from transparency.package import load_package
from reporttext import report_text

PKG = load_package()
REGISTER = PKG["report_discrepancies"].set_index("discrepancy_id")


def _report() -> str:
    return report_text()


def _section(text: str, start: str, end: str) -> str:
    """The report's text from the heading line ``start`` to the heading line ``end``."""
    begin = [m.start() for m in re.finditer(rf"^{re.escape(start)}", text, re.M)][-1]
    return text[begin:text.index(f"\n{end}", begin)]


# Each inconsistency the register must hold, and the report text that shows it.
def test_table_9_is_called_table_8_in_section_2_2_3():
    text = _section(_report(), "2.2.3.", "3. SLUTSATSER")
    before_table = text[:text.index("Tabell nr 9:")]
    assert "tabell nr 8 nedan" in before_table
    assert "section_2.2.3" in REGISTER.loc["table_9_named_table_8", "locations"].split()


def test_conclusions_period_differs_from_section_2_1_9():
    text = _report()
    conclusions = text[text.rindex("\n3. SLUTSATSER"):]  # the last section, to the end
    assert "(juli 2021 till 31 januari 2023)" in conclusions
    assert "juli/augusti 2021 till december 2021 och januari 2022 till december 2022" in _section(text, "2.1.9.", "2.2.")
    assert REGISTER.loc["conclusions_reporting_period", "locations"].split() == ["section_2.1.9", "section_3"]


def test_ncmec_retrieved_in_july_and_in_november():
    text = _report()
    footnote_8 = next(line for line in text.splitlines() if line.startswith("⁸ "))
    assert footnote_8.count("hämtad i juli 2023") == 2
    for mark in ("¹⁰", "¹¹"):
        assert "hämtat i november 2023" in next(line for line in text.splitlines() if line.startswith(mark + " "))
    assert {"footnote_8", "footnote_10", "footnote_11"} <= set(REGISTER.loc["ncmec_retrieval_month", "locations"].split())


def test_estonia_named_for_provider_type_but_its_table_6_row_is_empty():
    text = _report()
    assert re.search(r"typen av tillhandahållare.*\(t\.ex\. [^)]*Estland", text)
    row = PKG["ms_reports_received"].set_index("record_id").loc["EE-1"]
    assert row["flag"] == "not_reported" and row["printed"] == "-"
    assert "ms_reports_received:EE-1" in REGISTER.loc["estonia_provider_type", "involves"].split()


def test_finland_ratio_is_computed_from_its_two_rows():
    ctx = Ctx(pkg=PKG, lang="en")
    received, sent = REGISTER.loc["finland_received_above_sent", "involves"].split()
    # Table 6 prints 25 000 for Finland in 2022; Table 7 prints 10 904.
    assert "Finland\t2022\t25 000" in _report() and "Finland\t6 079\t1,09 %\t10 904" in _report()
    assert discrepancies.row_value(ctx, received) == 25000
    assert discrepancies.row_value(ctx, sent) == 10904
    assert round(discrepancies.ratio_pct(25000, 10904)) == 229
    item = next(i for i in discrepancies.items(ctx) if i["id"] == "finland_received_above_sent")
    assert item["derived"] == "25,000 is 229% of 10,904."


def test_linkedin_start_dates_13_and_14_july():
    text = _report()
    assert "LinkedIn behandling av 8 miljoner bilder och videor med ursprung i EU mellan den 14 juli" in text
    assert "För perioden från den 13 juli 2021 till den 31 december 2021 rapporterade LinkedIn" in text
    assert "linkedin_start_date" in REGISTER.index


def test_every_row_involved_exists_and_every_entry_is_bilingual():
    ctx = Ctx(pkg=PKG, lang="sv")
    for discrepancy_id, row in REGISTER.iterrows():
        for ref in row["involves"].split() if row["involves"] else []:
            discrepancies.find_row(ctx, ref)  # raises unless exactly one row
        for column in ("title", "what", "treatment"):
            assert row[f"{column}_en"] and row[f"{column}_sv"], (discrepancy_id, column)
            assert row[f"{column}_en"] != row[f"{column}_sv"], (discrepancy_id, column)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_page_lists_every_inconsistency_and_tables_link_to_it(built_site: Path, lang: str):
    prefix = "" if lang == "en" else "sv/"
    page = (built_site / prefix / "about/discrepancies/index.html").read_text(encoding="utf-8")
    headings = re.findall(r'<section class="discrepancy" id="([^"]+)">\s*<h2>([^<]+)</h2>', page)
    assert [title for _, title in headings] == [str(t).replace("'", "&#39;") for t in REGISTER[f"title_{lang}"]]
    member_states = (built_site / prefix / "report/2-2-member-states/index.html").read_text(encoding="utf-8")
    for discrepancy_id in ("estonia_provider_type", "finland_received_above_sent", "table_9_named_table_8",
                           "slovenia_period_after_total"):
        assert f'about/discrepancies/#{discrepancy_id.replace("_", "-")}"' in member_states, discrepancy_id
    ids = {anchor for anchor, _ in headings}
    for anchor in re.findall(r'about/discrepancies/#([a-z0-9-]+)"', member_states):
        assert anchor in ids


@pytest.mark.parametrize("lang", ["en", "sv"])
@pytest.mark.parametrize(("page", "discrepancy_id"), [
    ("countries/fi", "finland_received_above_sent"), ("countries/ee", "estonia_provider_type"),
    ("countries/hr", "convictions_no_data_no_reason_count"), ("countries/si", "slovenia_period_after_total"),
    ("providers/linkedin", "linkedin_start_date"), ("providers/meta", "meta_2022_approximate"),
])
def test_profiles_link_to_the_inconsistencies_about_their_figures(built_site: Path, lang, page, discrepancy_id):
    prefix = "" if lang == "en" else "sv/"
    html = (built_site / prefix / page / "index.html").read_text(encoding="utf-8")
    anchor = discrepancy_id.replace("_", "-")
    assert f'about/discrepancies/#{anchor}"' in html
    # A member state with no inconsistency gets no such note.
    assert "discrepancy-note" not in (built_site / prefix / "countries/se/index.html").read_text(encoding="utf-8")
