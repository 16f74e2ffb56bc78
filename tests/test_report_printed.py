"""The data against the report's printed tables, transcribed here by hand from the Swedish
edition (COM(2023) 797, Council document 17002/23): every expected count below is worked
out in this file from those transcriptions, never taken from the code's output."""

from __future__ import annotations

import re

import pytest

from transparency import metrics as m
from transparency.package import load_package

PKG = load_package()

# Table 9, "Antal fällande domar", per member state as printed ("-": no figure). Poland prints
# three periods: "185 / 194 / 81".
TABLE_9 = {
    "AT": [850], "BE": [], "BG": [52], "HR": [], "CY": [0], "CZ": [20], "DK": [224], "EE": [2],
    "FI": [240], "FR": [820], "DE": [], "GR": [62], "HU": [126], "IE": [], "IT": [5835], "LV": [33],
    "LT": [10], "LU": [11], "MT": [], "NL": [217], "PL": [185, 194, 81], "PT": [], "RO": [],
    "SK": [10], "SI": [45], "ES": [], "SE": [55],
}
# The comment "Uppgifterna skiljer inte mellan brott som begåtts på och utanför nätet" (offline
# offences included) stands beside these four.
OFFLINE_INCLUDED = {"AT", "IT", "LV", "LU"}

# Table 6 as printed: a total (a number), a monthly range ("range"), or "-".
TABLE_6 = {
    "AT": 16311, "BE": 26226, "BG": 9120, "HR": 9044, "CY": 3570, "CZ": 13279, "DK": 10744, "EE": "-",
    "FI": 25000, "FR": 120000, "DE": "-", "GR": 142, "HU": 0, "IE": 15355, "IT": 4607, "LV": "range",
    "LT": 4142, "LU": 2491, "MT": "-", "NL": 36537, "PL": 227, "PT": "-", "RO": "-", "SK": 7206,
    "SI": 452, "ES": 31474, "SE": 32830,
}
# Section 2.2: Slovenia's figure counts offences, not reports.
OFFENCES_NOT_REPORTS = {"SI"}

# Table 8 as printed: (girls, boys, total), None for "-". Poland's comment gives the 159
# children whose sex is not given: 2 368 + 487 + 159 = 3 014.
TABLE_8 = {
    "AT": (11, 6, 17), "BE": (None, None, 63), "BG": (50, 12, 62), "HR": (20, 0, 20),
    "CY": (None, None, 102), "CZ": (None, None, 30), "DK": (None, None, None), "EE": (6, 12, 18),
    "FI": (None, None, None), "FR": (None, None, None), "DE": (None, None, None), "GR": (None, None, 4),
    "HU": (379, 47, 426), "IE": (None, None, 101), "IT": (None, None, 385), "LV": (1, None, 1),
    "LT": (None, None, None), "LU": (0, 0, 0), "MT": (None, None, None), "NL": (None, None, 222),
    "PL": (2368, 487, 3014), "PT": (None, None, None), "RO": (None, None, None), "SK": (13, 8, 21),
    "SI": (220, 85, 305), "ES": (80, 39, 119), "SE": (8, 4, 12),
}
TABLE_8_UNKNOWN_SEX = {"PL": 159}

# Table 5: the rates printed with their inputs, "x % (a av b)"; Meta's 2022 pair is in its comment.
TABLE_5_WITH_INPUTS = [
    "0 % (0 av 8)", "0 % (0 av 33)", "0 % (0 av 378)",                                   # Google
    "4,22 % (207 av 4 900)", "0,06 % (207 av 340 000)",                                  # Meta 2021
    "12,8 % (3 700 av 29 000)", "0,06 % (3 700 av 6,6 miljoner)",                        # Meta 2022
    "1,43 % (100 av 7 000)", "0,06 % (100 av 166 000)", "2,17 % (500 av 23 000)", "0,10 % (500 av 501 000)",  # X
]


def test_table_9_convictions_as_printed():
    rows = PKG["ms_convictions"]
    for code, printed in TABLE_9.items():
        values = rows.loc[rows["country_code"] == code, "convictions__count"].dropna().astype(int).tolist()
        assert values == printed, f"ms_convictions {code}: {values}, Table 9 prints {printed or '-'}"


def test_more_than_two_thousand_convictions_even_in_the_most_cautious_reading():
    # Section 3: "mer än två tusen fällande domar". Summed as printed: 9 072; without the four
    # countries counting offline offences and Poland's first period (it overlaps its second):
    # 9 072 - (850 + 5 835 + 33 + 11) - 185 = 2 158, still over 2 000.
    everything = sum(sum(v) for v in TABLE_9.values())
    cautious = sum(sum(v) for c, v in TABLE_9.items() if c not in OFFLINE_INCLUDED) - TABLE_9["PL"][0]
    assert (everything, cautious) == (9072, 2158)
    rows = PKG["ms_convictions"]
    assert int(rows["convictions__count"].sum()) == everything
    kept = rows[~rows["country_code"].isin(OFFLINE_INCLUDED) & (rows["record_id"] != "PL-1")]
    assert int(kept["convictions__count"].sum()) == cautious > 2000
    figures = PKG["figures"]
    assert figures.loc[figures["measure"] == "convictions", "value"].tolist() == [2000]
    assert m.cannot_sum(rows, "convictions__count")  # periods differ: no EU total is printed


def _completeness_by_hand() -> dict[tuple[str, str], int]:
    """Count member states per statistic and status from the transcribed tables, with the
    rules ``metrics.completeness`` documents."""
    counts: dict[tuple[str, str], int] = {}

    def add(statistic, status):
        counts[(statistic, status)] = counts.get((statistic, status), 0) + 1

    for code, printed in TABLE_6.items():
        add("reports", "none" if printed == "-" else
            "partial" if printed == "range" or code in OFFENCES_NOT_REPORTS else "full")
    for code, (girls, boys, total) in TABLE_8.items():
        split = girls is not None and boys is not None and total is not None
        if split and girls + boys + TABLE_8_UNKNOWN_SEX.get(code, 0) == total:
            add("children_by_sex", "full")
        else:
            add("children_by_sex", "none" if (girls, boys, total) == (None, None, None) else "partial")
    for printed in TABLE_9.values():
        add("convictions", "full" if printed else "none")
    return counts


def test_completeness_counts_match_the_printed_tables():
    by_hand = _completeness_by_hand()
    # Written out: 27 = 20 + 2 + 5 (reports), 11 + 8 + 8 (children), 19 + 0 + 8 (convictions)
    assert sum(by_hand.values()) == 3 * 27 and by_hand[("reports", "partial")] == 2
    table = m.completeness(PKG["member_states"], PKG["ms_reports_received"], PKG["ms_children_identified"],
                           PKG["ms_convictions"], PKG["ms_nonreporting"])
    counts = m.completeness_counts(table).set_index(["statistic", "status"])["member_states__count"]
    assert {k: v for k, v in counts.to_dict().items() if v} == by_hand


def test_every_table_5_rate_with_its_inputs_is_reproduced():
    # A rate is computable exactly where the report prints its inputs, "(a av b)".
    with_inputs = [t for t in TABLE_5_WITH_INPUTS if re.search(r"\(\S.* av \S.*\)", t)]
    out = m.reinstatement_rates(PKG["provider_reinstatement_rates"])
    computed = out[out["status"] == "computed"]
    assert len(computed) == len(with_inputs)
    assert computed["matches_printed"].all(), computed[~computed["matches_printed"].astype(bool)]


@pytest.mark.parametrize("code", sorted(TABLE_6))
def test_table_6_totals_as_printed(code):
    rows = PKG["ms_reports_received"]
    row = rows[rows["country_code"] == code]
    printed = TABLE_6[code]
    if isinstance(printed, int):
        assert row["value"].dropna().astype(int).tolist() == [printed], f"ms_reports_received {code}"
    else:
        assert row["value"].isna().all(), f"ms_reports_received {code}: Table 6 prints {printed}"
