"""transparency.fmt: numbers as CLDR writes them for each language (expected strings typed
here from CLDR's en/sv number symbols, not from the code's output)."""

from __future__ import annotations

import pytest

from transparency import fmt

NBSP, MINUS = "\u00a0", "\u2212"


@pytest.mark.parametrize("value, lang, decimals, expected", [
    (1234567, "en", None, "1,234,567"),
    (1234567, "sv", None, f"1{NBSP}234{NBSP}567"),
    (1234, "sv", None, f"1{NBSP}234"),
    (12.5, "en", 1, "12.5"),
    (12.5, "sv", 1, "12,5"),
    (-1234.5, "en", 1, "-1,234.5"),  # CLDR en: hyphen-minus
    (-1234.5, "sv", 1, f"{MINUS}1{NBSP}234,5"),  # CLDR sv: U+2212
    (-0.001, "en", 2, "0.00"),  # rounds to zero: never "-0.00"
    (-0.004, "sv", 2, "0,00"),
])
def test_number(value, lang, decimals, expected):
    assert fmt.number(value, lang, decimals) == expected


@pytest.mark.parametrize("value, lang, decimals, expected", [
    (4.22, "en", 2, "4.22%"),
    (4.22, "sv", 2, f"4,22{NBSP}%"),
    (-11, "en", 0, "-11%"),
    (-11, "sv", 0, f"{MINUS}11{NBSP}%"),
    (-0.001, "sv", 2, f"0,00{NBSP}%"),
])
def test_percent(value, lang, decimals, expected):
    assert fmt.percent(value, lang, decimals) == expected


def test_chart_separators_and_percent_suffix_follow_cldr():
    assert fmt.plotly_separators("en") == ".,"
    assert fmt.plotly_separators("sv") == "," + NBSP
    assert (fmt.percent_suffix("en"), fmt.percent_suffix("sv")) == ("%", NBSP + "%")


def test_prose_makes_swedish_grouping_spaces_no_break_and_leaves_the_rest():
    assert fmt.prose("de 9 112 av 2 348 712 under 2021 2022", "sv") == \
        f"de 9{NBSP}112 av 2{NBSP}348{NBSP}712 under 2021 2022"
    assert fmt.prose("the 9,112 of 2021 2022", "en") == "the 9,112 of 2021 2022"


def test_value_text_keeps_the_no_break_space():
    assert fmt.value_text(3700, "approximate", "sv") == f"≈\u202f3{NBSP}700"
    assert fmt.value_text(None, "not_reported", "en") == fmt.value_html(None, "not_reported", "en").striptags()
