"""Recompute every total and percentage COM(2023) 797 prints, from the package data.

The report's own totals and percentages are the independent check on the transcription and
on transparency.metrics. Where the report's printed figure cannot be reproduced from its own
rows, the discrepancy is a row of the package's register (``report_discrepancies``, the same
rows the validator and the site read) and the test asserts that the rows it names are exactly
those where the figures disagree, so a silent change in the data (or a fix) makes the test fail
and gets looked at.

Figures printed in prose or table comments are looked up in the ``figures`` resource by
measure and year; table cells come from their own resources.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from transparency import metrics as m
from transparency.package import load_package

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "datapackage"

# The report's printed figures these tests compare with (typed from the report).
# Table 5 (X, accounts, from its comment): rate of appeals that led to reinstatement, %.
TABLE_5_X_PRINTED_RATE = {2021: 1.43, 2022: 2.17}
# Tables 3-4 (X): (restored accounts, appeals), both printed as approximate ("ca").
TABLES_3_4_X_PRINTED = {2021: (3000, 90000), 2022: (4000, 430000)}
# Table 8's TOTAL row and the period printed for it.
TABLE_8_PRINTED_TOTALS = {"girls__count": 3156, "boys__count": 700, "total__count": 4922}
TABLE_8_PRINTED_PERIOD_END = "2023-03-06"


# Printed totals of Table 7 (row "Totalt"). Kept here as well as in figures, so this file
# states what the report prints even before the figures resource is filled.
TABLE_7_PRINTED_TOTALS = {2021: 555834, 2022: 1503431}


# ---------------------------------------------------------------------------------------------
# Loading: the package as the report printed it (its rows only, population of its years), so
# figures from later sources (NCMEC's own publication for 2023, say) never enter these checks.
# ---------------------------------------------------------------------------------------------

PACKAGE = load_package()
_SOURCES = PACKAGE["sources"]
# The Commission report these tests check (the package's one commission_report).
(REPORT,) = _SOURCES.loc[_SOURCES["kind"] == "commission_report", "source_id"]
REPORT_PACKAGE = PACKAGE.published_in(REPORT)
_REPORT_ROW = _SOURCES.set_index("source_id").loc[REPORT]
# The report's own period, from sources.csv.
REPORT_YEARS = list(range(int(_REPORT_ROW["first_year"]), int(_REPORT_ROW["last_year"]) + 1))


@pytest.fixture(scope="module")
def data():
    # A missing resource is a KeyError naming it: a failure, never a skip.
    return REPORT_PACKAGE.__getitem__


# The single value of figures for a measure and year (and other columns, e.g. provider_id);
# fail naming the measure when there is not exactly one row.
def figure(figures: pd.DataFrame, measure: str, year: int | None = None, **where: str) -> float:
    rows = figures[figures["measure"] == measure]
    if year is not None:
        rows = rows[rows["year"] == year]
    for column, value in where.items():
        rows = rows[rows[column].fillna("") == value]
    assert len(rows) == 1, f"figures: expected one row for {measure} {year} {where}, found {len(rows)}"
    return rows["value"].iloc[0]


# The rows of ``resource`` that a discrepancy of the register names (its ``involves``), each
# as the tuple of its primary-key values as text; fail naming the id when it is not registered.
def registered(discrepancy_id: str, resource: str) -> set[tuple[str, ...]]:
    register = PACKAGE["report_discrepancies"].set_index("discrepancy_id")
    assert discrepancy_id in register.index, f"report_discrepancies.csv: no row {discrepancy_id!r}"
    refs = str(register.at[discrepancy_id, "involves"]).split()
    return {tuple(ref.partition(":")[2].split("|")) for ref in refs if ref.partition(":")[0] == resource}


# Printed decimals of a percentage value (99.7 -> 1): the matching tolerance for it.
def tolerance(printed_pct: float) -> float:
    text = repr(float(printed_pct))
    decimals = 0 if text.endswith(".0") else len(text.split(".")[1])
    return 0.5 * 10 ** -decimals + 1e-9


# ---------------------------------------------------------------------------------------------
# Table 5: reinstatement rates
# ---------------------------------------------------------------------------------------------


def test_table_5_every_computable_rate_matches_its_printed_rounding(data):
    out = m.reinstatement_rates(data("provider_reinstatement_rates"))
    computed = out[out["status"] == "computed"]
    assert computed["matches_printed"].all(), computed[~computed["matches_printed"]]
    # X, Meta, Google: every rate with numerator and denominator is reproduced
    assert set(computed["provider_id"]) == {"google", "meta", "x"}
    assert len(computed) == 11


@pytest.mark.parametrize(
    "provider, year, basis, expected, printed",
    [
        ("x", 2021, "of_appeals", 100 / 7000 * 100, 1.43),
        ("x", 2021, "of_actioned", 100 / 166000 * 100, 0.06),
        ("x", 2022, "of_appeals", 500 / 23000 * 100, 2.17),
        ("x", 2022, "of_actioned", 500 / 501000 * 100, 0.10),
        ("meta", 2021, "of_appeals", 207 / 4900 * 100, 4.22),
        ("meta", 2021, "of_actioned", 207 / 340000 * 100, 0.06),
        ("meta", 2022, "of_appeals", 3700 / 29000 * 100, 12.8),      # content files, comment
        ("meta", 2022, "of_actioned", 3700 / 6_600_000 * 100, 0.06),  # content files, comment
        ("google", 2021, "of_appeals", 0.0, 0.0),
        ("google", 2021, "of_actioned", 0.0, 0.0),
        ("google", 2022, "of_appeals", 0.0, 0.0),
    ],
)
def test_table_5_rate(data, provider, year, basis, expected, printed):
    out = m.reinstatement_rates(data("provider_reinstatement_rates"))
    row = out[(out["provider_id"] == provider) & (out["year"] == year) & (out["basis"] == basis)].iloc[0]
    assert row["rate_computed__pct"] == pytest.approx(expected)
    assert row["rate_printed__pct"] == pytest.approx(printed)
    assert row["matches_printed"]


def test_table_5_rates_without_inputs_are_the_registered_ones(data):
    out = m.reinstatement_rates(data("provider_reinstatement_rates"))
    flagged = out[out["discrepancy"]]
    found = {(r.provider_id, str(int(r.year)), r.basis, r.unit_basis) for r in flagged.itertuples()}
    assert found == registered("table_5_rates_without_inputs", "provider_reinstatement_rates")
    assert (flagged["rate_printed__pct"] == 0).all()  # Table 5 prints "0 %" in each
    # LinkedIn and Microsoft 2021 had no appeals (0 of 0); the others give no denominator.
    reasons = {(r.provider_id, int(r.year), r.basis): r.basis_note for r in flagged.itertuples()}
    assert {k for k, v in reasons.items() if v == "zero denominator"} == {
        ("linkedin", 2021, "of_appeals"), ("linkedin", 2022, "of_appeals"), ("microsoft", 2021, "of_appeals")}
    assert set(reasons.values()) == {"zero denominator", "no denominator"}


def test_x_tables_3_4_do_not_give_table_5_rates_as_registered(data):
    from_appeals = m.reinstatement_from_appeals(data("provider_appeals"))
    rates = m.reinstatement_rates(data("provider_reinstatement_rates"))
    key = "x_table_5_against_tables_3_4"
    years = sorted(TABLE_5_X_PRINTED_RATE)
    assert registered(key, "provider_appeals") == {("x", str(y), "accounts_reinstated") for y in years}
    assert registered(key, "provider_reinstatement_rates") == {("x", str(y), "of_appeals", "accounts") for y in years}
    for year in years:
        restored, appealed = TABLES_3_4_X_PRINTED[year]
        ours = from_appeals[(from_appeals["provider_id"] == "x") & (from_appeals["year"] == year)
                            & (from_appeals["measure"] == "accounts_reinstated")].iloc[0]
        assert ours["rate_computed__pct"] == pytest.approx(restored / appealed * 100)
        assert ours["status"] == "approximate"
        printed = rates[(rates["provider_id"] == "x") & (rates["year"] == year) & (rates["basis"] == "of_appeals")]
        assert printed["rate_printed__pct"].iloc[0] == pytest.approx(TABLE_5_X_PRINTED_RATE[year])
        # the discrepancy itself: the two rates differ by more than the printed rounding
        assert abs(ours["rate_computed__pct"] - TABLE_5_X_PRINTED_RATE[year]) > 0.005


def test_meta_tables_3_4_agree_with_table_5(data):
    # Meta 2021: 207 of 4 900 (Table 3, content reinstated) = Table 5's 4,22 %;
    # Meta 2022: 3 700 of 29 000 (Table 4) = Table 5 comment's 12,8 %.
    out = m.reinstatement_from_appeals(data("provider_appeals")).set_index(["provider_id", "year", "measure"])
    assert out.loc[("meta", 2021, "content_reinstated"), "rate_computed__pct"] == pytest.approx(4.2245, abs=1e-4)
    assert out.loc[("meta", 2022, "content_reinstated"), "rate_computed__pct"] == pytest.approx(12.7586, abs=1e-4)
    assert out.loc[("meta", 2022, "content_reinstated"), "status"] == "approximate"


# ---------------------------------------------------------------------------------------------
# Table 7: NCMEC reports per member state
# ---------------------------------------------------------------------------------------------


def test_table_7_sum_of_27_equals_printed_totals(data):
    totals = m.eu_totals(data("ncmec_reports_by_country"), data("member_states")).set_index("year")
    assert list(totals.index) == REPORT_YEARS, "data/ncmec_reports_by_country.csv: year: not the report's years"
    assert totals["reports__count"].to_dict() == TABLE_7_PRINTED_TOTALS, (
        "data/ncmec_reports_by_country.csv: reports__count: the 27 rows of a year do not add up to Table 7's total")
    assert (totals["countries__count"] == 27).all()


def test_table_7_printed_totals_in_figures(data):
    figures = data("figures")
    for year, total in TABLE_7_PRINTED_TOTALS.items():
        assert figure(figures, "reports_sent_eu_total", year) == total


def test_table_7_every_share_matches_its_printed_rounding(data):
    shares = m.eu_shares(data("ncmec_reports_by_country"), data("member_states"))
    assert len(shares) == 27 * len(REPORT_YEARS)
    wrong = shares[~shares["matches_printed"]]
    assert wrong.empty, "\n".join(
        f"data/ncmec_reports_by_country.csv: {r.country_code} {r.year}: share_of_eu_total_printed__pct: printed "
        f"{r.share_of_eu_total_printed__pct} but the count gives {r.share_of_eu_total__pct:.4f}" for r in wrong.itertuples())
    assert shares["difference__pp"].abs().max() < 0.005


def test_table_7_printed_shares_sum_to_99_97_by_rounding(data):
    # Not a discrepancy: 27 shares each rounded to 2 decimals sum to 99.97 % in both years.
    printed = data("ncmec_reports_by_country").groupby("year")["share_of_eu_total_printed__pct"].sum()
    assert printed.round(2).to_dict() == {2021: 99.97, 2022: 99.97}
    population = data("ncmec_population_share_printed")["eu_population_share_printed__pct"].sum()
    assert round(population, 2) == 99.98


def test_population_share_printed_is_closest_to_eurostat_2021(data):
    comparison = m.compare_population_shares(
        data("population"), data("ncmec_population_share_printed"), data("member_states")
    )
    assert m.closest_population_year(comparison) == 2021
    by_year = comparison["difference__pp"].abs().groupby(comparison["year"]).sum()
    assert by_year.round(3).to_dict() == {2021: 0.540, 2022: 0.726}
    # largest gap: Poland 2022, Eurostat 8.27 % vs printed 8.41 %
    worst = comparison.loc[comparison["difference__pp"].abs().idxmax()]
    assert (worst["country_code"], int(worst["year"])) == ("PL", 2022)


def test_eurostat_eu27_aggregate_vs_sum_of_members_is_as_described(data):
    # Eurostat's own quirk (not the report's, so not in the register): the resource's description
    # states the gap, and the data must show exactly that gap in that year and none in the other.
    members = data("population").groupby("year")["population__persons"].sum()
    aggregate = data("population_eu27").set_index("year")["population__persons"]
    difference = (aggregate - members).to_dict()
    described = next(r for r in PACKAGE.descriptor["resources"] if r["name"] == "population_eu27")["description"]
    match = re.search(r"the (\d{4}) aggregate is ([\d,]+) lower than the sum", described)
    assert match, f"population_eu27's description no longer states the gap: {described!r}"
    year, gap = int(match.group(1)), int(match.group(2).replace(",", ""))
    assert difference == {**{y: 0 for y in difference if y != year}, year: -gap}


def test_spain_and_italy_reports_low_against_population_both_years(data):
    # Section 2.2.1: Spain's and Italy's shares of reports look low against their population.
    index = m.representation_index(
        data("ncmec_reports_by_country"), data("population"),
        data("ncmec_population_share_printed"), data("member_states"),
    )
    low = index[index["country_code"].isin(["ES", "IT"])]
    assert len(low) == 4
    assert (low["representation_index_printed__ratio"] < 0.6).all()
    assert (low["representation_index_eurostat__ratio"] < 0.6).all()


def test_reports_per_100k_and_year_on_year_cover_every_member_state(data):
    ncmec, population = data("ncmec_reports_by_country"), data("population")
    per_capita = m.reports_per_100k(ncmec, population)
    assert len(per_capita) == 27 * len(REPORT_YEARS) and per_capita["reports_per_100k__count"].notna().all()
    change = m.year_on_year(ncmec)
    assert len(change) == 27 * (len(REPORT_YEARS) - 1) and (change["caveat_code"] == "partial_first_year").all()
    # Luxembourg is the only member state with fewer reports in 2022 (2 004) than 2021 (2 005)
    assert change.loc[change["change__count"] < 0, "country_code"].tolist() == ["LU"]
    eu = m.year_on_year(m.eu_totals(ncmec).assign(country_code="EU27")).iloc[0]
    assert eu["change__count"] == 1503431 - 555834
    assert eu["change__pct"] == pytest.approx(170.48, abs=0.005)


# ---------------------------------------------------------------------------------------------
# NCMEC prose figures (section 2.2.1)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", REPORT_YEARS)
@pytest.mark.parametrize("category", ["csam", "grooming", "trafficking"])
def test_ncmec_global_shares(data, year, category):
    # 2021: 99,7 % / 0,15 % / 0,05 % of 29 397 681; 2022: 99,5 % / 0,25 % / 0,06 % of 32 059 029
    figures = data("figures")
    total = figure(figures, "reports_received", year, country_code="", provider_id="")
    part = figure(figures, f"reports_received_{category}", year)
    printed = figure(figures, f"reports_received_{category}_share", year)
    assert abs(part / total * 100 - printed) <= tolerance(printed)


def test_ncmec_global_categories_do_not_exhaust_the_total(data):
    # Not a discrepancy: the three categories leave 28 388 (2021) and 58 935 (2022) reports
    # in other categories; the report does not say which.
    figures = data("figures")
    rest = {
        year: figure(figures, "reports_received", year, country_code="", provider_id="")
        - sum(figure(figures, f"reports_received_{c}", year) for c in ["csam", "grooming", "trafficking"])
        for year in REPORT_YEARS
    }
    assert rest == {2021: 28388, 2022: 58935}


@pytest.mark.parametrize("year", REPORT_YEARS)
@pytest.mark.parametrize("service", ["messaging", "social_gaming"])
def test_eu_service_type_shares_are_of_the_table_7_totals(data, year, service):
    # 2021: 51 % and 30 %; 2022: 68 % and 22 % "of the total number of reports concerning the
    # EU". The denominator that reproduces the printed whole percentages is Table 7's EU total
    # (the sum of the 27, equal to the printed 555 834 and 1 503 431) for the same year.
    figures = data("figures")
    total = m.eu_totals(data("ncmec_reports_by_country")).set_index("year")["reports__count"][year]
    part = figure(figures, f"reports_sent_eu_{service}", year)
    printed = figure(figures, f"reports_sent_eu_{service}_share", year)
    assert abs(part / total * 100 - printed) <= tolerance(printed)


def test_ncmec_actionable_and_informational_shares_add_to_100(data):
    figures = data("figures")
    shares = [figure(figures, f"reports_{kind}_share", 2022) for kind in ("actionable", "informational")]
    assert shares == [49, 51] and sum(shares) == 100


def test_table_5_comment_inputs_equal_the_figures_rows(data):
    # The numerators and denominators of Table 5 are the figures printed in its comment.
    rates = data("provider_reinstatement_rates").set_index(["provider_id", "year", "basis"])
    figures = data("figures")
    pairs = {
        ("x", 2021, "of_appeals"): ("decisions_reversed", "accounts_appealed"),
        ("x", 2021, "of_actioned"): ("decisions_reversed", "accounts_suspended_automated"),
        ("x", 2022, "of_appeals"): ("decisions_reversed", "accounts_appealed"),
        ("x", 2022, "of_actioned"): ("decisions_reversed", "accounts_suspended_automated"),
        ("meta", 2022, "of_appeals"): ("items_reinstated", "items_appealed"),
        ("meta", 2022, "of_actioned"): ("items_reinstated", "items_actioned"),
    }
    for (provider, year, basis), (numerator, denominator) in pairs.items():
        row = rates.loc[(provider, year, basis)]
        assert row["numerator"] == figure(figures, numerator, year, provider_id=provider)
        assert row["denominator"] == figure(figures, denominator, year, provider_id=provider)


def test_bka_vs_ncmec_germany_2022(data):
    out = m.bka_vs_ncmec(data("figures")).iloc[0]
    assert (out["received__count"], out["ncmec_sent__count"]) == (89844, 138193)
    assert out["coverage__pct"] == pytest.approx(65.01, abs=0.005)
    # NCMEC's figure quoted in section 2.2 is Table 7's count for Germany in 2022
    ncmec = data("ncmec_reports_by_country")
    assert ncmec[(ncmec["country_code"] == "DE") & (ncmec["year"] == 2022)]["reports__count"].iloc[0] == 138193


# ---------------------------------------------------------------------------------------------
# Table 6: reports received vs NCMEC
# ---------------------------------------------------------------------------------------------


def test_table_6_cannot_be_summed(data):
    refusal = m.period_total_or_refusal(data("ms_reports_received")).iloc[0]
    assert refusal["status"] == "not_summable"
    # Section 2.2.1: the report cannot compute an EU total; neither do we.
    assert refusal["reason"] == (
        "units differ: offences, reports, reports_per_month; periods differ: 14 distinct periods; "
        "5 rows have no period; 6 rows have no value"
    )


def test_coverage_vs_ncmec_on_table_6(data):
    out = m.coverage_vs_ncmec(data("ms_reports_received"), data("ncmec_reports_by_country"))
    out = out.set_index("country_code")
    assert out.loc["AT", "coverage__pct"] == pytest.approx(16311 / (7580 + 18501) * 100)
    assert out.loc["IE", "coverage__pct"] == pytest.approx(15355 / (7327 + 19770) * 100)
    # Denmark's period runs to 20 January 2023: there is no 2023 NCMEC count
    assert out.loc["DK", "status"] == "not_computable" and "2023" in out.loc["DK", "basis_note"]
    assert out.loc["LV", "status"] == "not_computable"  # a range of monthly rates


# ---------------------------------------------------------------------------------------------
# Table 8: children identified
# ---------------------------------------------------------------------------------------------


def test_table_8_column_sums_equal_printed_total_row(data):
    children = data("ms_children_identified")
    for column, printed in TABLE_8_PRINTED_TOTALS.items():
        assert children[column].sum() == printed


def test_table_8_total_row_in_figures(data):
    figures = data("figures")
    assert figure(figures, "girls_identified_all_member_states") == TABLE_8_PRINTED_TOTALS["girls__count"]
    assert figure(figures, "boys_identified_all_member_states") == TABLE_8_PRINTED_TOTALS["boys__count"]
    assert figure(figures, "children_identified_all_member_states") == TABLE_8_PRINTED_TOTALS["total__count"]
    total_row = figures[figures["measure"] == "children_identified_all_member_states"].iloc[0]
    assert str(total_row["period_end"].date()) == TABLE_8_PRINTED_PERIOD_END


def test_ireland_total_is_its_comment_split(data):
    # Table 8 comment: 50 children in 2021 (no split), 25 girls and 26 boys in 2022 = 101.
    figures, children = data("figures"), data("ms_children_identified")
    parts = (figure(figures, "children_identified", 2021, country_code="IE")
             + figure(figures, "girls_identified", 2022, country_code="IE")
             + figure(figures, "boys_identified", 2022, country_code="IE"))
    assert parts == children.loc[children["country_code"] == "IE", "total__count"].iloc[0] == 101


def test_table_8_total_sums_different_periods(data):
    children = data("ms_children_identified")
    given = children[children["total__count"].notna()]
    refusal = m.period_total_or_refusal(given, "total__count").iloc[0]
    assert refusal["status"] == "not_summable"
    periods = len(given[["period_start", "period_end"]].drop_duplicates())
    assert periods > 1 and refusal["reason"] == f"periods differ: {periods} distinct periods"
    # The rows that run past the total's printed end are the ones the register names.
    later = given[given["period_end"] > pd.Timestamp(TABLE_8_PRINTED_PERIOD_END)]
    assert {(r,) for r in later["record_id"]} == registered("slovenia_period_after_total", "ms_children_identified")


def test_table_8_sex_shares(data):
    out = m.sex_shares(data("ms_children_identified")).set_index("country_code")
    # Poland: 2 368 girls, 487 boys, 159 sex not recorded, of 3 014
    assert out.loc["PL", "girls_share__pct"] == pytest.approx(2368 / 3014 * 100)
    assert out.loc["PL", "unknown_sex_share__pct"] == pytest.approx(159 / 3014 * 100)
    assert out.loc["LU", "status"] == "not_computable"  # reported zeros
    assert "LV" not in out.index  # boys not given


# ---------------------------------------------------------------------------------------------
# Completeness (sections 2.2, 2.2.2, 2.2.3)
# ---------------------------------------------------------------------------------------------


def test_more_than_two_thousand_convictions(data):
    # Section 3: "mer än två tusen fällande domar". Table 9's figures cover different periods,
    # so they are not an EU total; the lower bound holds even in the most cautious reading:
    # without the four member states whose figures include offline offences (AT, IT, LV, LU)
    # and without Poland's first row, which overlaps its second in the first half of 2022.
    convictions = data("ms_convictions")
    figures = data("figures")
    bound = figure(figures, "convictions", source="section_3")
    assert bound == 2000
    assert figures.loc[figures["measure"] == "convictions", "flag"].tolist() == ["lower_bound"]
    assert convictions["convictions__count"].sum() == 9072
    cautious = convictions[~convictions["country_code"].isin(["AT", "IT", "LV", "LU"])
                           & (convictions["record_id"] != "PL-1")]
    assert cautious["convictions__count"].sum() == 2158 > bound
    assert m.cannot_sum(convictions, "convictions__count")


def test_completeness_counts(data):
    table = m.completeness(
        data("member_states"), data("ms_reports_received"), data("ms_children_identified"),
        data("ms_convictions"), data("ms_nonreporting"),
    )
    assert len(table) == 81
    counts = m.completeness_counts(table).set_index(["statistic", "status"])["member_states__count"]
    assert counts.to_dict() == {
        ("reports", "full"): 20, ("reports", "partial"): 2, ("reports", "none"): 5,
        ("children_by_sex", "full"): 11, ("children_by_sex", "partial"): 8, ("children_by_sex", "none"): 8,
        ("convictions", "full"): 19, ("convictions", "partial"): 0, ("convictions", "none"): 8,
    }
    # Section 2.2: three member states gave no data and no reason (Malta, Portugal, Romania)
    none_no_reason = table[(table["statistic"] == "reports") & (table["reason_code"] == "no_reason_given")]
    assert sorted(none_no_reason["country_code"]) == ["MT", "PT", "RO"]
