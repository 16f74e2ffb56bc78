"""transparency/checks.py: the cross-checks catch a maintainer's real mistakes in a copy of
the package, each with its exact ``file:row: field: message``.

Rows are found by content (fixture `validate_package_copy`, helpers from test_validate.py);
expected sums and line numbers are computed here from the copy, never taken from the checks.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from test_validate import Pkg, register  # noqa: E402
from transparency.checks import Printed, parse_printed  # noqa: E402
from transparency.validate import validate_package  # noqa: E402

NCMEC = "ncmec_reports_by_country"
TOTAL_MEASURE = "reports_sent_eu_total"


def _shown(problems) -> list[str]:
    return [str(p) for p in problems]


def _total_row(year: str) -> dict:
    return {"measure": TOTAL_MEASURE, "year": year}


def _sum_of_members(pkg: Pkg, year: str) -> int:
    _, rows = pkg.read(NCMEC)
    members = [int(r["reports__count"]) for r in rows if r["year"] == year]
    assert len(members) == 27, f"{NCMEC} has {len(members)} rows for {year}"
    return sum(members)


def _group(number: int) -> str:
    return f"{number:,}".replace(",", " ")


# --------------------------------------------------------------------------------------------
# EU total against the 27 member states
# --------------------------------------------------------------------------------------------


def test_eu_total_that_is_not_the_sum_of_the_27(validate_package_copy: Path):
    pkg = Pkg(validate_package_copy)
    total = _sum_of_members(pkg, "2022") + 1000
    line = pkg.edit("figures", _total_row("2022"), value=str(total), printed=_group(total))
    expected = (f"data/figures.csv:{line}: value: EU total {total} for year 2022 is not the sum of the 27 "
                f"member-state rows in data/ncmec_reports_by_country.csv (reports__count: {total - 1000}, "
                f"difference 1000)")
    assert _shown(validate_package(pkg.root)) == [expected]


def test_a_documented_discrepancy_allows_a_total_that_differs(validate_package_copy: Path):
    pkg = Pkg(validate_package_copy)
    total = _sum_of_members(pkg, "2022") + 1000
    pkg.edit("figures", _total_row("2022"), value=str(total), printed=_group(total))
    _, rows = pkg.read("figures")
    figure_id = rows[pkg.find("figures", _total_row("2022"))]["figure_id"]
    register(pkg, "eu_total", "figures", {"figure_id": figure_id})
    assert validate_package(pkg.root) == []


def test_year_with_member_state_rows_but_no_eu_total(validate_package_copy: Path):
    pkg = Pkg(validate_package_copy)
    header, rows = pkg.read("figures")
    kept = [r for r in rows if not (r["measure"] == TOTAL_MEASURE and r["year"] == "2021")]
    assert len(kept) == len(rows) - 1
    pkg.write("figures", header, kept)
    _, ncmec = pkg.read(NCMEC)
    line = pkg.lines(NCMEC)[next(i for i, r in enumerate(ncmec) if r["year"] == "2021")]
    expected = (f"data/ncmec_reports_by_country.csv:{line}: year: year 2021 has member-state rows but "
                f"no EU-total row (measure {TOTAL_MEASURE}, year 2021)")
    assert _shown(validate_package(pkg.root)) == [expected]


# --------------------------------------------------------------------------------------------
# A number against its printed text
# --------------------------------------------------------------------------------------------


def test_count_that_disagrees_with_its_printed_text(validate_package_copy: Path):
    pkg = Pkg(validate_package_copy)
    where = {"country_code": "AT", "year": "2022"}
    _, rows = pkg.read(NCMEC)
    row = rows[pkg.find(NCMEC, where)]
    printed = row["printed_count"]
    count = int(printed.replace(" ", ""))
    line = pkg.edit(NCMEC, where, printed_count=_group(count + 1))
    expected = (f"data/ncmec_reports_by_country.csv:{line}: reports__count: reports__count is {count} "
                f"but printed_count '{_group(count + 1)}' reads {count + 1}")
    assert expected in _shown(validate_package(pkg.root))


def test_approximate_figure_against_ca(validate_package_copy: Path):
    pkg = Pkg(validate_package_copy)
    where = lambda r: r["flag"] == "approximate" and r["printed"].lower().startswith("ca ")
    _, rows = pkg.read("provider_appeals")
    row = rows[pkg.find("provider_appeals", where)]
    line = pkg.edit("provider_appeals", where, value=str(int(row["value"]) + 1))
    expected = (f"data/provider_appeals.csv:{line}: value: value is {int(row['value']) + 1} but printed "
                f"'{row['printed']}' reads {row['value']}")
    assert _shown(validate_package(pkg.root)) == [expected]


def test_range_against_its_printed_bounds(validate_package_copy: Path):
    pkg = Pkg(validate_package_copy)
    name = "ms_reports_received"
    where = {"flag": "range"}
    _, rows = pkg.read(name)
    row = rows[pkg.find(name, where)]
    printed = row["printed"].replace(f"till {row['value_high']}", f"till {int(row['value_high']) + 10}")
    assert printed != row["printed"], row["printed"]
    line = pkg.edit(name, where, printed=printed)
    expected = (f"data/ms_reports_received.csv:{line}: value_high: value_high is {row['value_high']} "
                f"but printed '{printed}' reads {int(row['value_high']) + 10}")
    assert _shown(validate_package(pkg.root)) == [expected]


def test_printed_range_with_a_single_value_flag(validate_package_copy: Path):
    pkg = Pkg(validate_package_copy)
    line = pkg.edit("ms_convictions", {"country_code": "AT"}, printed="10 till 20")
    _, rows = pkg.read("ms_convictions")
    flag = rows[pkg.find("ms_convictions", {"country_code": "AT"})]["flag"]
    expected = (f"data/ms_convictions.csv:{line}: convictions__count: printed '10 till 20' is a range "
                f"(10 to 20) but the flag is {flag}")
    assert expected in _shown(validate_package(pkg.root))


@pytest.mark.parametrize("text, expected", [
    ("18 501", Printed(Decimal(18501))),
    ("18\u00a0501", Printed(Decimal(18501))),          # no-break space
    ("1\u202f503\u202f431", Printed(Decimal(1503431))),  # narrow no-break space
    ("ca 7 000", Printed(Decimal(7000))),
    ("Cirka 350 gånger snabbare", Printed(Decimal(350))),
    ("över 20 000", Printed(Decimal(20000))),
    ("6,6 miljoner", Printed(Decimal(6600000))),
    ("12,3 miljarder innehållsposter", Printed(Decimal(12300000000))),
    ("1,36 %", Printed(Decimal("1.36"))),
    ("Cirka 115 till 220 rapporter per månad", Printed(Decimal(115), Decimal(220))),
    ("högst 1 på 50 miljarder", Printed(Decimal(1) / Decimal(50 * 10**9))),
])
def test_printed_forms_of_the_report(text, expected):
    assert parse_printed(text) == expected


@pytest.mark.parametrize("text", ["i.u.", "-", "Se kommentarer", "bara en", "mer än två tusen fällande domar", ""])
def test_printed_text_without_digits_is_not_compared(text):
    assert parse_printed(text) is None


# --------------------------------------------------------------------------------------------
# Population for every year with NCMEC figures
# --------------------------------------------------------------------------------------------


def test_new_ncmec_year_without_population_is_caught_before_the_build(validate_package_copy: Path):
    # A maintainer adds NCMEC 2024 from NCMEC's publication (its source row and 27 rows, which
    # print no text and no EU total) but not the population.
    # (The year after the data's latest, whatever year that is.)
    pkg = Pkg(validate_package_copy)
    header, rows = pkg.read(NCMEC)
    latest = max(r["year"] for r in rows)
    year = str(int(latest) + 1)
    sheader, srows = pkg.read("sources")
    ncmec_source = next(r for r in srows if r["kind"] == "ncmec_publication")
    pkg.write("sources", sheader, srows + [{**ncmec_source, "source_id": f"ncmec_by_country_{year}",
                                            "first_year": year, "last_year": year}])
    new = [{**r, "year": year, "source_id": f"ncmec_by_country_{year}", "source": "column_number_of_reports",
            "printed_count": "", "printed_share": "", "share_of_eu_total_printed__pct": ""}
           for r in rows if r["year"] == latest]
    pkg.write(NCMEC, header, rows + new)
    line = pkg.lines(NCMEC)[len(rows)]
    codes = ", ".join(r["country_code"] for r in new)
    expected = (f"data/ncmec_reports_by_country.csv:{line}: year: year {year} has rows here, but population is missing "
                f"for country_code {codes} in data/population.csv; reports per 100 000 inhabitants need it: add "
                f"Eurostat's population for that year (CONTRIBUTING.md, section 4)")
    assert _shown(validate_package(pkg.root)) == [expected]


def test_one_member_state_without_population(validate_package_copy: Path):
    pkg = Pkg(validate_package_copy)
    header, rows = pkg.read("population")
    pkg.write("population", header, [r for r in rows if (r["country_code"], r["year"]) != ("MT", "2022")])
    _, ncmec = pkg.read(NCMEC)
    line = pkg.lines(NCMEC)[next(i for i, r in enumerate(ncmec) if r["year"] == "2022")]
    expected = (f"data/ncmec_reports_by_country.csv:{line}: year: year 2022 has rows here, but population is missing "
                f"for country_code MT in data/population.csv; reports per 100 000 inhabitants need it: add "
                f"Eurostat's population for that year (CONTRIBUTING.md, section 4)")
    assert expected in _shown(validate_package(pkg.root))
