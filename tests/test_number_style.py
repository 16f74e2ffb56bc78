"""Every number on a built page is written in its page's language (one formatting path:
transparency.fmt). tests/numberstyle.py says what counts as the other language's style and
which text is left out (printed report text, code, dates, section numbers, names)."""

from __future__ import annotations

import pytest

from numberstyle import offences, pages


def _page(lang: str, body: str) -> str:
    return f'<!doctype html><html lang="{lang}"><head><title>t</title></head><body>{body}</body></html>'


# Hand-made pages: each style the scan must catch, and each exception it must leave alone.
@pytest.mark.parametrize("lang, body, expected", [
    ("en", "<p>out of the 9 120 reports</p>", "space-grouped"),
    ("en", "<td>4,22</td>", "decimal comma"),
    ("en", "<td>4.22 %</td>", "space before %"),
    ("en", "<td>\u221211%</td>", "minus sign U+2212"),
    ("sv", "<td>1,234</td>", "comma-grouped"),
    ("sv", "<td>12.5</td>", "decimal point"),
    ("sv", "<td>-11\u00a0%</td>", "hyphen as minus"),
    ("sv", "<td>4,2%</td>", "no space before %"),
    ("sv", "<dd>de 9 112 rapporterna</dd>", "breakable grouping space"),
    ("en", "<div data-plotly='{\"data\":[{\"hovertext\":[\"Meta: 6 600\"]}]}'></div>", "space-grouped"),
    ("en", '<abbr title="12 800 items">x</abbr>', "space-grouped"),
])
def test_scan_finds_the_other_languages_style(lang, body, expected):
    assert [name for name, _, _ in offences(_page(lang, body))] == [expected]


@pytest.mark.parametrize("lang, body", [
    ("en", "<td>9,120</td><td>4.22%</td><td>-11%</td>"),
    ("sv", "<td>9\u00a0120</td><td>4,22\u00a0%</td><td>\u221211\u00a0%</td>"),
    ("en", '<td><span class="printed" lang="sv">ca 90 000</span></td>'),
    ("sv", '<td><span class="printed" lang="sv">ca 90 000</span></td>'),
    ("en", '<q lang="sv">6,6 miljoner</q>'),
    ("sv", '<span lang="en">In 2022 the aggregate is 26,904 lower</span>'),
    ("sv", "<code>1.2.0</code><p>version 1.2.0, avsnitt 2.1 och artikel 3.1</p>"),
    ("sv", "<a>2.3</a><span>2.1 Tillhandahållarnas behandling</span>"),
    ("sv", "<p>WCAG 2.1 och CC BY 4.0</p>"),
    ("en", "<p>EN\u00a0301\u00a0549, Child Helpline 116 111</p>"),
    ("sv", '<p><time datetime="2021-08-01">1.8.2021</time> downloads/charts/ncmec_map.csv</p>'),
])
def test_scan_leaves_the_listed_exceptions(lang, body):
    assert offences(_page(lang, body)) == []


def test_a_section_number_in_a_table_cell_is_still_a_number():
    assert offences(_page("sv", "<td>2.1</td>"))


def test_no_page_has_numbers_in_the_other_languages_style(built_site):
    found = {}
    for page in pages(built_site):
        hits = offences(page.read_text(encoding="utf-8"))
        if hits:
            found[str(page.relative_to(built_site))] = hits[:5]
    languages = {"sv" if str(p.relative_to(built_site)).startswith("sv/") else "en" for p in pages(built_site)}
    assert languages == {"en", "sv"}, "the scan must read pages of both languages"
    assert not found, f"{sum(len(v) for v in found.values())} numbers in the other language's style: {found}"
