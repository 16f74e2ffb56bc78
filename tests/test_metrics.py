"""Unit tests for transparency.metrics on tiny hand-made frames.

Every expected value is worked out by hand in the comment beside it. The frames mimic what
transparency.package returns: counts as nullable Int64, dates as datetime64, empty text "".
"""

import pandas as pd
import pytest

from transparency import metrics as m


# Build a frame, casting the named columns to Int64 / Float64 / datetime64.
def frame(rows, ints=(), floats=(), dates=()):
    out = pd.DataFrame(rows)
    for column in ints:
        out[column] = out[column].astype("Int64")
    for column in floats:
        out[column] = out[column].astype("Float64")
    for column in dates:
        out[column] = pd.to_datetime(out[column])
    return out


def states(*codes):
    return pd.DataFrame({"country_code": list(codes)})


# ---------------------------------------------------------------------------------------------
# 1. reinstatement rates
# ---------------------------------------------------------------------------------------------


def rates_frame():
    return frame(
        [
            # 100 of ca 7 000 = 1.428571 %, printed 1,43 % -> diff -0.001429, within 0.005
            dict(provider_id="x", year=2021, basis="of_appeals", unit_basis="accounts",
                 rate_printed__pct=1.43, printed="1,43 % (100 av 7 000)",
                 numerator=100, numerator_flag="approximate",
                 denominator=7000, denominator_flag="approximate"),
            # 0 of 0: printed 0 % but no appeals -> not computable, a discrepancy
            dict(provider_id="linkedin", year=2021, basis="of_appeals", unit_basis="accounts",
                 rate_printed__pct=0.0, printed="0 %",
                 numerator=0, numerator_flag="reported", denominator=0, denominator_flag="reported"),
            # no denominator given
            dict(provider_id="google", year=2022, basis="of_actioned", unit_basis="accounts",
                 rate_printed__pct=0.0, printed="0 % (se kommentarer)",
                 numerator=0, numerator_flag="reported", denominator=None, denominator_flag="not_reported"),
            # 207 / 4 900 = 4.224490 %, printed (wrongly, for the test) 4,30 % -> mismatch
            dict(provider_id="meta", year=2021, basis="of_appeals", unit_basis="accounts",
                 rate_printed__pct=4.30, printed="4,30 % (207 av 4 900)",
                 numerator=207, numerator_flag="reported", denominator=4900, denominator_flag="reported"),
            # 3 700 / 29 000 = 12.758621 %, printed with one decimal 12,8 % -> within 0.05
            dict(provider_id="meta", year=2022, basis="of_appeals", unit_basis="content_items",
                 rate_printed__pct=12.8, printed="12,8 % (3 700 av 29 000)",
                 numerator=3700, numerator_flag="approximate", denominator=29000, denominator_flag="approximate"),
        ],
        ints=("year", "numerator", "denominator"), floats=("rate_printed__pct",),
    )


def test_reinstatement_rates_values_and_statuses():
    out = m.reinstatement_rates(rates_frame())
    assert out["rate_computed__pct"].iloc[0] == pytest.approx(100 / 7000 * 100)
    assert out["difference__pp"].iloc[0] == pytest.approx(1.4285714 - 1.43, abs=1e-6)
    assert out["status"].tolist() == ["computed", "not_computable", "not_computable", "computed", "computed"]
    assert out["basis_note"].tolist() == [
        "inputs approximate", "zero denominator", "no denominator", "", "inputs approximate",
    ]
    assert out["matches_printed"].iloc[0] and out["matches_printed"].iloc[4]
    assert out["matches_printed"].iloc[3] is pd.NA or not out["matches_printed"].iloc[3]
    assert out["matches_printed"].iloc[1:3].isna().all()


def test_reinstatement_rates_zero_of_zero_is_a_discrepancy_not_zero():
    out = m.reinstatement_rates(rates_frame()).set_index(["provider_id", "year"])
    linkedin = out.loc[("linkedin", 2021)]
    assert pd.isna(linkedin["rate_computed__pct"])
    assert linkedin["discrepancy"]
    assert out["discrepancy"].tolist() == [False, True, True, True, False]


def test_reinstatement_rates_tolerance_is_half_the_last_printed_decimal():
    base = rates_frame().iloc[[3]].copy()
    # 207 / 4 900 = 4.22449; printed 4,22 -> 0.00449 <= 0.005; printed 4,21 -> 0.01449 > 0.005
    base["rate_printed__pct"] = pd.array([4.22], dtype="Float64")
    base["printed"] = "4,22 % (207 av 4 900)"
    assert m.reinstatement_rates(base)["matches_printed"].iloc[0]
    base["rate_printed__pct"] = pd.array([4.21], dtype="Float64")
    base["printed"] = "4,21 % (207 av 4 900)"
    assert not m.reinstatement_rates(base)["matches_printed"].iloc[0]


def test_reinstatement_from_appeals():
    appeals = frame(
        [
            dict(provider_id="google", year=2021, measure="complaints", value=8, flag="reported", unit="accounts"),
            dict(provider_id="google", year=2021, measure="accounts_reinstated", value=0, flag="reported", unit="accounts"),
            dict(provider_id="x", year=2021, measure="complaints", value=90000, flag="approximate", unit="accounts"),
            dict(provider_id="x", year=2021, measure="accounts_reinstated", value=3000, flag="approximate", unit="accounts"),
            dict(provider_id="linkedin", year=2021, measure="accounts_reinstated", value=None, flag="not_available", unit="accounts"),
        ],
        ints=("year", "value"),
    )
    out = m.reinstatement_from_appeals(appeals).set_index("provider_id")
    assert out.loc["google", "rate_computed__pct"] == 0  # 0 of 8
    assert out.loc["google", "status"] == "computed"
    assert out.loc["x", "rate_computed__pct"] == pytest.approx(3000 / 90000 * 100)  # 3.3333
    assert out.loc["x", "status"] == "approximate"
    assert out.loc["linkedin", "status"] == "not_computable"
    assert out.loc["linkedin", "basis_note"] == "no complaints row"
    assert pd.isna(out.loc["linkedin", "rate_computed__pct"])


# ---------------------------------------------------------------------------------------------
# 2. EU totals and shares
# ---------------------------------------------------------------------------------------------


def ncmec_frame():
    # 2021: A 1, B 3 (total 4 -> 25 %, 75 %); 2022: A 2, B 2 (total 4 -> 50 %, 50 %)
    return frame(
        [
            dict(country_code="A", year=2021, reports__count=1, share_of_eu_total_printed__pct=25.00),
            dict(country_code="B", year=2021, reports__count=3, share_of_eu_total_printed__pct=75.01),
            dict(country_code="A", year=2022, reports__count=2, share_of_eu_total_printed__pct=50.00),
            dict(country_code="B", year=2022, reports__count=2, share_of_eu_total_printed__pct=50.00),
        ],
        ints=("year", "reports__count"), floats=("share_of_eu_total_printed__pct",),
    )


def test_eu_totals():
    out = m.eu_totals(ncmec_frame(), states("A", "B"))
    assert out["reports__count"].tolist() == [4, 4]
    assert out["countries__count"].tolist() == [2, 2]


def test_eu_totals_raises_naming_missing_country():
    with pytest.raises(ValueError, match=r"2022.*missing \['B'\]"):
        m.eu_totals(ncmec_frame().iloc[:3], states("A", "B"))


def test_eu_totals_raises_on_duplicate_and_without_27():
    doubled = pd.concat([ncmec_frame(), ncmec_frame().iloc[[0]]])
    with pytest.raises(ValueError, match="duplicated"):
        m.eu_totals(doubled, states("A", "B"))
    with pytest.raises(ValueError, match="not 27"):
        m.eu_totals(ncmec_frame())


def test_eu_shares():
    out = m.eu_shares(ncmec_frame(), states("A", "B"))
    assert out["share_of_eu_total__pct"].tolist() == [25.0, 75.0, 50.0, 50.0]
    assert out["difference__pp"].iloc[1] == pytest.approx(-0.01)  # 75 - 75.01
    assert out["matches_printed"].tolist() == [True, False, True, True]


# ---------------------------------------------------------------------------------------------
# 3. population and per capita
# ---------------------------------------------------------------------------------------------


def population_frame():
    # 2021: A 100 000, B 300 000 (25 %, 75 %); 2022: A 100 000, B 400 000 (20 %, 80 %)
    return frame(
        [
            dict(country_code="A", year=2021, population__persons=100_000, eurostat_flag=""),
            dict(country_code="B", year=2021, population__persons=300_000, eurostat_flag="b"),
            dict(country_code="A", year=2022, population__persons=100_000, eurostat_flag=""),
            dict(country_code="B", year=2022, population__persons=400_000, eurostat_flag=""),
        ],
        ints=("year", "population__persons"),
    )


def printed_population_frame():
    # A printed 24 %: nearer 2021 (25, |1|) than 2022 (20, |4|); B printed 79 %: nearer 2022
    return frame(
        [dict(country_code="A", eu_population_share_printed__pct=24.0),
         dict(country_code="B", eu_population_share_printed__pct=79.0)],
        floats=("eu_population_share_printed__pct",),
    )


def test_population_shares():
    out = m.population_shares(population_frame(), states("A", "B"))
    assert out["population_share_eurostat__pct"].tolist() == [25.0, 75.0, 20.0, 80.0]
    assert out["eu27_population__persons"].tolist() == [400_000, 400_000, 500_000, 500_000]


def test_compare_population_shares_and_closest_year():
    out = m.compare_population_shares(population_frame(), printed_population_frame(), states("A", "B"))
    out = out.set_index(["country_code", "year"])
    assert out.loc[("A", 2021), "difference__pp"] == pytest.approx(1.0)   # 25 - 24
    assert out.loc[("B", 2022), "difference__pp"] == pytest.approx(1.0)   # 80 - 79
    assert out.loc[("A", 2021), "closest_year"] == 2021
    assert out.loc[("B", 2021), "closest_year"] == 2022
    # sum |diff|: 2021 = 1 + 4 = 5; 2022 = 4 + 1 = 5 -> tie, idxmin takes the first (2021)
    assert (out["closest_year_overall"] == 2021).all()


def test_representation_index():
    out = m.representation_index(ncmec_frame(), population_frame(), printed_population_frame(), states("A", "B"))
    out = out.set_index(["country_code", "year"])
    assert out.loc[("A", 2021), "representation_index_eurostat__ratio"] == pytest.approx(1.0)  # 25/25
    assert out.loc[("A", 2022), "representation_index_eurostat__ratio"] == pytest.approx(2.5)  # 50/20
    assert out.loc[("B", 2021), "representation_index_printed__ratio"] == pytest.approx(75 / 79)


def test_reports_per_100k():
    out = m.reports_per_100k(ncmec_frame(), population_frame())
    # A 2021: 1 / 100 000 * 100 000 = 1.0; B 2022: 2 / 400 000 * 100 000 = 0.5
    assert out["reports_per_100k__count"].tolist() == pytest.approx([1.0, 1.0, 2.0, 0.5])


def test_reports_per_100k_missing_population_names_country_and_year():
    with pytest.raises(ValueError, match="population missing for: B 2022"):
        m.reports_per_100k(ncmec_frame(), population_frame().iloc[:3])


# ---------------------------------------------------------------------------------------------
# 4. change between years
# ---------------------------------------------------------------------------------------------


def test_year_on_year_with_a_synthetic_third_year_and_a_zero():
    counts = frame(
        [
            dict(country_code="A", year=2021, reports__count=10),
            dict(country_code="A", year=2023, reports__count=15),   # listed out of order
            dict(country_code="A", year=2022, reports__count=30),
            dict(country_code="B", year=2021, reports__count=0),
            dict(country_code="B", year=2022, reports__count=5),
        ],
        ints=("year", "reports__count"),
    )
    out = m.year_on_year(counts).set_index(["country_code", "year_from"])
    assert out.loc[("A", 2021), "year_to"] == 2022
    assert out.loc[("A", 2021), "change__count"] == 20          # 30 - 10
    assert out.loc[("A", 2021), "change__pct"] == pytest.approx(200.0)
    assert out.loc[("A", 2021), "caveat_code"] == "partial_first_year"
    assert out.loc[("A", 2022), "change__pct"] == pytest.approx(-50.0)  # 15 vs 30
    assert out.loc[("A", 2022), "caveat_code"] == ""
    assert pd.isna(out.loc[("B", 2021), "change__pct"])          # from 0: no percentage
    assert out.loc[("B", 2021), "status"] == "not_computable"
    assert len(out) == 3


def test_year_on_year_skips_a_missing_year():
    counts = frame(
        [dict(country_code="A", year=2020, reports__count=4), dict(country_code="A", year=2022, reports__count=6)],
        ints=("year", "reports__count"),
    )
    out = m.year_on_year(counts)
    assert (out["year_from"].iloc[0], out["year_to"].iloc[0]) == (2020, 2022)
    assert out["change__pct"].iloc[0] == pytest.approx(50.0)
    assert out["caveat_code"].iloc[0] == ""


# ---------------------------------------------------------------------------------------------
# 5. coverage
# ---------------------------------------------------------------------------------------------


def test_months_by_year_counts_partial_months_by_days():
    assert m.months_by_year(pd.Timestamp("2021-08-02"), pd.Timestamp("2021-08-31")) == {2021: pytest.approx(30 / 31)}
    assert m.months_by_year(pd.Timestamp("2021-12-15"), pd.Timestamp("2022-02-28")) == {
        2021: pytest.approx(17 / 31), 2022: pytest.approx(2.0),
    }
    with pytest.raises(ValueError, match="before it starts"):
        m.months_by_year(pd.Timestamp("2022-01-02"), pd.Timestamp("2022-01-01"))


def received_frame():
    return frame(
        [
            # Jul 2021 - Jun 2022: 6/12 * 1 200 + 6/12 * 2 400 = 1 800; 100 / 1 800 = 5.5556 %
            dict(record_id="A-1", country_code="A", period_start="2021-07-01", period_end="2022-06-30",
                 value=100, flag="reported", unit="reports", source_category="ncmec"),
            # to 20 Jan 2023: needs 2023 NCMEC data -> not computable
            dict(record_id="B-1", country_code="B", period_start="2021-08-02", period_end="2023-01-20",
                 value=50, flag="reported", unit="reports", source_category="ncmec"),
            # a range of monthly rates -> not computable
            dict(record_id="C-1", country_code="C", period_start="2022-08-01", period_end="2022-12-31",
                 value=None, flag="range", unit="reports_per_month", source_category="ncmec_and_others"),
            # 16 of 31 days of Jan 2022: 16/31/12 * 2 400 = 103.23; 40 / 103.23 = 38.75 %
            dict(record_id="D-1", country_code="A", period_start="2022-01-16", period_end="2022-01-31",
                 value=40, flag="reported", unit="reports", source_category="ncmec_and_others"),
            # not from NCMEC -> left out
            dict(record_id="E-1", country_code="A", period_start="2022-01-01", period_end="2022-12-31",
                 value=7, flag="reported", unit="reports", source_category="providers_and_organisations"),
        ],
        ints=("value",), dates=("period_start", "period_end"),
    )


def test_coverage_vs_ncmec():
    ncmec = frame(
        [dict(country_code="A", year=2021, reports__count=1200), dict(country_code="A", year=2022, reports__count=2400),
         dict(country_code="B", year=2021, reports__count=120), dict(country_code="B", year=2022, reports__count=240),
         dict(country_code="C", year=2022, reports__count=10)],
        ints=("year", "reports__count"),
    )
    out = m.coverage_vs_ncmec(received_frame(), ncmec).set_index("record_id")
    assert list(out.index) == ["A-1", "B-1", "C-1", "D-1"]
    assert out.loc["A-1", "ncmec_prorated__count"] == pytest.approx(1800.0)
    assert out.loc["A-1", "coverage__pct"] == pytest.approx(100 / 1800 * 100)
    assert out.loc["A-1", "months_covered"] == pytest.approx(12.0)
    assert out.loc["B-1", "status"] == "not_computable"
    assert "2023" in out.loc["B-1", "basis_note"] and pd.isna(out.loc["B-1", "coverage__pct"])
    assert out.loc["C-1", "basis_note"] == "received figure is range"
    assert out.loc["D-1", "ncmec_prorated__count"] == pytest.approx(16 / 31 / 12 * 2400)
    assert out.loc["D-1", "coverage__pct"] == pytest.approx(38.75)
    assert out.loc["D-1", "source_category"] == "ncmec_and_others"
    assert out.loc["D-1", "basis_note"] == "received count includes sources other than NCMEC"
    assert out.loc["A-1", "basis_note"] == ""


def test_coverage_vs_ncmec_without_ncmec_rows_or_with_zero():
    received = received_frame().iloc[[0]]
    none = m.coverage_vs_ncmec(received, frame([dict(country_code="Z", year=2021, reports__count=5)],
                                               ints=("year", "reports__count"))).iloc[0]
    assert none["status"] == "not_computable" and "which cover no year" in none["basis_note"]
    zeros = frame([dict(country_code="A", year=y, reports__count=0) for y in (2021, 2022)],
                  ints=("year", "reports__count"))
    zero = m.coverage_vs_ncmec(received, zeros).iloc[0]
    assert (zero["status"], zero["basis_note"]) == ("not_computable", "zero NCMEC reports")


def test_bka_vs_ncmec():
    figures = frame(
        [dict(figure_id="f1", measure=m.BKA_RECEIVED_MEASURE, country_code="DE", year=2022, value=89844, flag="reported"),
         dict(figure_id="f2", measure=m.NCMEC_SENT_TO_DE_MEASURE, country_code="DE", year=2022, value=138193, flag="reported"),
         dict(figure_id="f3", measure=m.NCMEC_SENT_TO_DE_MEASURE, country_code="FR", year=2022, value=1, flag="reported")],
        ints=("year", "value"),
    )
    out = m.bka_vs_ncmec(figures)
    assert out["coverage__pct"].iloc[0] == pytest.approx(89844 / 138193 * 100)  # 65.01 %
    assert out["country_code"].iloc[0] == "DE" and out["status"].iloc[0] == "computed"
    with pytest.raises(ValueError, match="no row with measure"):
        m.bka_vs_ncmec(figures.iloc[1:])


# ---------------------------------------------------------------------------------------------
# 6. children by sex
# ---------------------------------------------------------------------------------------------


def children_frame():
    return frame(
        [
            # 3 girls, 1 boy, unknown not given: 75 % / 25 % of girls + boys
            dict(record_id="A-1", country_code="A", period_start="2022-01-01", period_end="2022-12-31",
                 girls__count=3, girls_flag="reported", boys__count=1, boys_flag="reported",
                 unknown_sex__count=None, unknown_sex_flag="not_reported", total__count=4, total_flag="reported"),
            # 2 girls, 1 boy, 1 unknown: 50 / 25 / 25 %
            dict(record_id="B-1", country_code="B", period_start="2022-01-01", period_end="2022-12-31",
                 girls__count=2, girls_flag="reported", boys__count=1, boys_flag="reported",
                 unknown_sex__count=1, unknown_sex_flag="reported", total__count=4, total_flag="reported"),
            # reported zeros: no share
            dict(record_id="C-1", country_code="C", period_start="2021-01-01", period_end="2022-12-31",
                 girls__count=0, girls_flag="reported", boys__count=0, boys_flag="reported",
                 unknown_sex__count=None, unknown_sex_flag="not_reported", total__count=0, total_flag="reported"),
            # total only: left out of the shares, partial in completeness
            dict(record_id="D-1", country_code="D", period_start="2022-01-01", period_end="2022-12-31",
                 girls__count=None, girls_flag="not_reported", boys__count=None, boys_flag="not_reported",
                 unknown_sex__count=None, unknown_sex_flag="not_reported", total__count=9, total_flag="reported"),
            # nothing given
            dict(record_id="E-1", country_code="E", period_start=None, period_end=None,
                 girls__count=None, girls_flag="not_reported", boys__count=None, boys_flag="not_reported",
                 unknown_sex__count=None, unknown_sex_flag="not_reported", total__count=None, total_flag="not_reported"),
        ],
        ints=("girls__count", "boys__count", "unknown_sex__count", "total__count"),
        dates=("period_start", "period_end"),
    )


def test_sex_shares():
    out = m.sex_shares(children_frame()).set_index("record_id")
    assert list(out.index) == ["A-1", "B-1", "C-1"]
    assert (out.loc["A-1", "girls_share__pct"], out.loc["A-1", "boys_share__pct"]) == (75.0, 25.0)
    assert pd.isna(out.loc["A-1", "unknown_sex_share__pct"])
    assert "unknown-sex count not given" in out.loc["A-1", "basis_note"]
    assert [out.loc["B-1", c] for c in ["girls_share__pct", "boys_share__pct", "unknown_sex_share__pct"]] == [50.0, 25.0, 25.0]
    assert out.loc["C-1", "status"] == "not_computable" and pd.isna(out.loc["C-1", "girls_share__pct"])


# ---------------------------------------------------------------------------------------------
# 7. completeness
# ---------------------------------------------------------------------------------------------


def test_completeness_and_counts():
    members = states("A", "B", "C", "D", "E")
    received = frame(
        [dict(country_code="A", flag="reported", unit="reports"),
         dict(country_code="B", flag="approximate", unit="reports"),
         dict(country_code="C", flag="range", unit="reports_per_month"),
         dict(country_code="D", flag="not_reported", unit="reports")],   # E: no row at all
    )
    convictions = frame(
        [dict(country_code="A", flag="reported"), dict(country_code="A", flag="reported"),
         dict(country_code="B", flag="reported"), dict(country_code="B", flag="not_reported"),
         dict(country_code="C", flag="not_reported")],
    )
    nonreporting = frame(
        [dict(country_code="B", statistic="reports", status="partly_given", reason_code="different_definition"),
         dict(country_code="E", statistic="children", status="not_given_with_reason", reason_code="not_collected"),
         dict(country_code="E", statistic="children", status="not_given_with_reason", reason_code="system_changing")],
    )
    out = m.completeness(members, received, children_frame(), convictions, nonreporting)
    status = out.set_index(["country_code", "statistic"])["status"]
    assert len(out) == 15
    # reports: A full; B full turned partial by ms_nonreporting; C range -> partial; D, E none
    assert [status[(c, "reports")] for c in "ABCDE"] == ["full", "partial", "partial", "none", "none"]
    # children: A full (3 + 1 = 4); B full (2 + 1 + 1 = 4); C zeros full; D total only partial; E none
    assert [status[(c, "children_by_sex")] for c in "ABCDE"] == ["full", "full", "full", "partial", "none"]
    # convictions: A two rows full; B one full one none -> partial; C none; D, E no row -> none
    assert [status[(c, "convictions")] for c in "ABCDE"] == ["full", "partial", "none", "none", "none"]
    reason = out.set_index(["country_code", "statistic"])["reason_code"]
    assert reason[("B", "reports")] == "different_definition"
    assert reason[("E", "children_by_sex")] == "not_collected;system_changing"  # two rows joined
    assert reason[("A", "reports")] == ""
    counts = m.completeness_counts(out).set_index(["statistic", "status"])["member_states__count"]
    assert counts[("reports", "full")] == 1 and counts[("reports", "partial")] == 2
    assert counts[("convictions", "none")] == 3 and counts[("children_by_sex", "partial")] == 1
    assert counts.sum() == 15


def test_completeness_children_split_not_adding_up_is_partial():
    children = children_frame().iloc[[0]].copy()
    children["total__count"] = pd.array([5], dtype="Int64")  # 3 + 1 != 5, unknown not given
    out = m.completeness(states("A"), frame([dict(country_code="A", flag="reported", unit="reports")]),
                         children, frame([dict(country_code="A", flag="reported")]),
                         frame([], ).reindex(columns=["country_code", "statistic", "status", "reason_code"]))
    row = out.set_index("statistic").loc["children_by_sex"]
    assert row["status"] == "partial" and "differ from total" in row["basis_note"]


def test_completeness_rejects_conflicting_nonreporting_statuses():
    bad = frame([dict(country_code="A", statistic="children", status="partly_given", reason_code="x"),
                 dict(country_code="A", statistic="children", status="not_given_no_reason", reason_code="y")])
    with pytest.raises(ValueError, match="conflicting statuses for A children_by_sex"):
        m.completeness(states("A"), frame([dict(country_code="A", flag="reported", unit="reports")]),
                       children_frame().iloc[[0]], frame([dict(country_code="A", flag="reported")]), bad)


def test_completeness_rejects_unknown_statistic():
    bad = frame([dict(country_code="A", statistic="victims", status="not_given_no_reason", reason_code="")])
    with pytest.raises(ValueError, match="unknown statistic"):
        m.completeness(states("A"), frame([dict(country_code="A", flag="reported", unit="reports")]),
                       children_frame().iloc[[0]], frame([dict(country_code="A", flag="reported")]), bad)


# ---------------------------------------------------------------------------------------------
# 8. totals only over one period
# ---------------------------------------------------------------------------------------------


def periods_frame(ends=("2022-12-31", "2022-12-31"), values=(3, 4), flags=("reported", "reported")):
    return frame(
        [dict(country_code=c, period_start="2022-01-01", period_end=e, value=v, flag=f)
         for c, e, v, f in zip("ABC", ends, values, flags)],
        ints=("value",), dates=("period_start", "period_end"),
    )


def test_period_total_same_period_is_summed():
    out = m.period_total_or_refusal(periods_frame()).iloc[0]
    assert (out["total"], out["status"], out["reason"]) == (7, "summed", "")
    assert out["period_end"] == pd.Timestamp("2022-12-31")
    assert not m.cannot_sum(periods_frame())


def test_period_total_unequal_periods_is_refused():
    out = m.period_total_or_refusal(periods_frame(ends=("2022-12-31", "2022-07-31", "2023-01-20"), values=(1, 2, 3),
                                                  flags=("reported",) * 3)).iloc[0]
    assert out["status"] == "not_summable" and pd.isna(out["total"])
    assert out["reason"] == "periods differ: 3 distinct periods"
    assert m.cannot_sum(periods_frame(ends=("2022-12-31", "2022-07-31")))


def test_period_total_refuses_missing_values_and_marks_approximate():
    refused = m.period_total_or_refusal(periods_frame(values=(3, None))).iloc[0]
    assert refused["reason"] == "1 rows have no value"
    approx = m.period_total_or_refusal(periods_frame(flags=("reported", "approximate"))).iloc[0]
    assert (approx["status"], approx["flag"]) == ("summed", "approximate")


def test_period_total_refuses_mixed_units():
    mixed = periods_frame().assign(unit=["reports", "offences"])
    out = m.period_total_or_refusal(mixed).iloc[0]
    assert (out["status"], out["reason"]) == ("not_summable", "units differ: offences, reports")


def test_largest():
    data = frame([dict(k="a", v=1), dict(k="b", v=None), dict(k="c", v=5)], ints=("v",))
    assert m.largest(data, "v", 1)["k"].tolist() == ["c"]


# --- breaks in series (hand-made frames) ------------------------------------------------------

def _series(counts: dict[int, int]) -> pd.DataFrame:
    return pd.DataFrame({"country_code": ["AT"] * len(counts), "year": pd.array(list(counts), dtype="Int64"),
                         "reports__count": pd.array(list(counts.values()), dtype="Int64")})


def test_year_on_year_computes_no_change_across_a_break():
    out = m.year_on_year(_series({2022: 100, 2023: 150, 2024: 60}), breaks=[2024]).set_index("year_to")
    assert out.at[2023, "change__count"] == 50 and out.at[2023, "status"] == m.COMPUTED
    assert pd.isna(out.at[2024, "change__count"]) and pd.isna(out.at[2024, "change__pct"])
    assert out.at[2024, "status"] == m.BREAK_IN_SERIES


def test_a_gap_that_spans_a_break_is_not_compared_either():
    # 2022 -> 2024 with the break at 2023 (the first year after it) is across the break.
    out = m.year_on_year(_series({2022: 100, 2024: 60}), breaks=[2023])
    assert list(out["status"]) == [m.BREAK_IN_SERIES] and pd.isna(out["change__pct"].iloc[0])


def test_break_years_selects_the_series():
    breaks = pd.DataFrame({"series": ["ncmec_reports_by_country", "other"], "year": pd.array([2024, 2023], dtype="Int64")})
    assert m.break_years(breaks, "ncmec_reports_by_country") == [2024]
    assert m.crosses_break(2023, 2024, [2024]) and not m.crosses_break(2024, 2025, [2024])


# ---------------------------------------------------------------------------------------------
# 9. Guards: bad input (a lost join, a missing year, periods that do not overlap) that each
#    metric must catch, by raising or by refusing to compute, never by a silent number
# ---------------------------------------------------------------------------------------------


def test_reinstatement_rates_refuse_bounds_and_ranges_as_inputs():
    rows = rates_frame().iloc[[3, 3, 3]].copy()   # Meta 2021, 207 of 4 900, printed 4,30 %
    rows["numerator_flag"] = ["lower_bound", "reported", "reported"]
    rows["denominator_flag"] = ["reported", "range", "reported"]
    rows["numerator"] = pd.array([207, 207, None], dtype="Int64")
    out = m.reinstatement_rates(rows)
    assert out["basis_note"].tolist() == ["numerator missing", "no denominator", "numerator missing"]
    assert out["status"].tolist() == ["not_computable"] * 3
    assert out["rate_computed__pct"].isna().all() and out["matches_printed"].isna().all()
    assert out["discrepancy"].all()  # a printed rate the inputs cannot reproduce
    assert out["numerator__count"].isna().tolist() == [True, False, True]
    assert out["denominator__count"].isna().tolist() == [False, True, False]


def test_reinstatement_rates_without_printed_rate_is_no_discrepancy():
    rows = rates_frame().iloc[[0]].copy()   # 100 of 7 000, nothing printed
    rows["rate_printed__pct"] = pd.array([None], dtype="Float64")
    rows["printed"] = ""
    out = m.reinstatement_rates(rows).iloc[0]
    assert out["rate_computed__pct"] == pytest.approx(100 / 7000 * 100)
    assert pd.isna(out["matches_printed"]) and not out["discrepancy"]


def test_reinstatement_rates_tolerance_from_stored_decimals_without_printed_text():
    rows = rates_frame().iloc[[4, 4]].copy()   # 3 700 / 29 000 = 12.7586 %
    rows["printed"] = ["Se kommentarer", "Se kommentarer"]   # no percentage in the text
    rows["rate_printed__pct"] = pd.array([12.8, 12.76], dtype="Float64")
    # 12.8 has one decimal: |12.7586 - 12.8| = 0.041 <= 0.05; 12.76 has two: 0.0014 <= 0.005
    assert m.reinstatement_rates(rows)["matches_printed"].tolist() == [True, True]
    rows["rate_printed__pct"] = pd.array([12.7, 13.0], dtype="Float64")
    # 12.7: 0.0586 > 0.05; 13 (no decimals): 0.241 <= 0.5
    assert m.reinstatement_rates(rows)["matches_printed"].tolist() == [False, True]


def appeals_frame():
    return frame(
        [
            # p 2021: 2 of 10 complaints = 20 %
            dict(provider_id="p", year=2021, measure="complaints", value=10, flag="reported", unit="accounts"),
            dict(provider_id="p", year=2021, measure="accounts_reinstated", value=2, flag="reported", unit="accounts"),
            # p 2022: reinstatements but complaints only for 2021 -> the join finds no partner
            dict(provider_id="p", year=2022, measure="accounts_reinstated", value=1, flag="reported", unit="accounts"),
            # q: no complaints at all -> zero denominator, not 0 %
            dict(provider_id="q", year=2021, measure="complaints", value=0, flag="reported", unit="content_items"),
            dict(provider_id="q", year=2021, measure="content_reinstated", value=0, flag="reported", unit="content_items"),
            # r: complaints only a lower bound -> not a point figure, no denominator
            dict(provider_id="r", year=2021, measure="complaints", value=50, flag="lower_bound", unit="accounts"),
            dict(provider_id="r", year=2021, measure="accounts_reinstated", value=5, flag="reported", unit="accounts"),
        ],
        ints=("year", "value"),
    )


def test_reinstatement_from_appeals_guards():
    out = m.reinstatement_from_appeals(appeals_frame()).set_index(["provider_id", "year"])
    assert list(out.index) == [("p", 2021), ("p", 2022), ("q", 2021), ("r", 2021)]
    assert out.loc[("p", 2021), "rate_computed__pct"] == pytest.approx(20.0)
    assert (out.loc[("p", 2021), "reinstated__count"], out.loc[("p", 2021), "complaints__count"]) == (2, 10)
    assert (out.loc[("p", 2021), "status"], out.loc[("p", 2021), "basis_note"]) == ("computed", "")
    assert out["basis_note"].tolist() == ["", "no complaints row", "zero denominator", "no denominator"]
    assert out["status"].tolist() == ["computed"] + ["not_computable"] * 3
    assert out["rate_computed__pct"].isna().tolist() == [False, True, True, True]
    assert out.loc[("q", 2021), "unit_basis"] == "content_items"
    assert out.loc[("q", 2021), "measure"] == "content_reinstated"


def test_reinstatement_from_appeals_rejects_a_repeated_row():
    doubled = pd.concat([appeals_frame(), appeals_frame().iloc[[0]]])
    with pytest.raises(ValueError, match=r"provider_appeals: duplicated .*p 2021 complaints"):
        m.reinstatement_from_appeals(doubled)


def test_reinstatement_from_appeals_approximate_only_when_computed():
    rows = appeals_frame()
    rows["flag"] = ["reported", "approximate", "approximate", "approximate", "reported", "lower_bound", "approximate"]
    out = m.reinstatement_from_appeals(rows).set_index(["provider_id", "year"])["status"]
    # p 2021: computed from a "ca" figure; the others stay not computable although approximate
    assert out.tolist() == ["approximate", "not_computable", "not_computable", "not_computable"]


def test_eu_totals_rejects_a_missing_count_and_an_unknown_country():
    blank = ncmec_frame()
    blank.loc[3, "reports__count"] = pd.NA
    with pytest.raises(ValueError, match=r"reports__count missing for: B 2022"):
        m.eu_totals(blank, states("A", "B"))
    with pytest.raises(ValueError, match=r"2021: missing \[\], not member states \['B'\]"):
        m.eu_totals(ncmec_frame(), states("A"))
    # without a member_states frame, 27 distinct countries per year
    many = frame([dict(country_code=f"C{i}", year=2021, reports__count=i) for i in range(27)],
                 ints=("year", "reports__count"))
    out = m.eu_totals(many)
    assert (out["reports__count"].iloc[0], out["countries__count"].iloc[0]) == (351, 27)  # 0 + ... + 26
    with pytest.raises(ValueError, match="2021 has 26 countries, not 27"):
        m.eu_totals(many.iloc[1:])


def test_eu_shares_tolerance_follows_printed_decimals():
    # B 2021: 75 % computed vs 75.01 printed: off by 0.01, outside 0.005, inside 0.05
    assert m.eu_shares(ncmec_frame(), states("A", "B"))["matches_printed"].iloc[1] == False  # noqa: E712
    assert m.eu_shares(ncmec_frame(), states("A", "B"), printed_decimals=1)["matches_printed"].iloc[1]
    out = m.eu_shares(ncmec_frame(), states("A", "B"))
    assert out["eu_total__count"].tolist() == [4, 4, 4, 4]
    assert list(out.columns) == ["country_code", "year", "reports__count", "eu_total__count",
                                 "share_of_eu_total__pct", "share_of_eu_total_printed__pct",
                                 "difference__pp", "matches_printed"]
    with pytest.raises(ValueError, match=r"2022: missing \['B'\]"):
        m.eu_shares(ncmec_frame().iloc[:3], states("A", "B"))


def test_population_shares_reject_a_missing_country_or_value():
    with pytest.raises(ValueError, match=r"population: 2022: missing \['B'\]"):
        m.population_shares(population_frame().iloc[:3], states("A", "B"))
    blank = population_frame()
    blank.loc[0, "population__persons"] = pd.NA
    with pytest.raises(ValueError, match="population__persons missing"):
        m.population_shares(blank, states("A", "B"))
    assert m.population_shares(population_frame(), states("A", "B"))["eurostat_flag"].tolist() == ["", "b", "", ""]


def test_compare_population_shares_rejects_a_lost_or_doubled_printed_share():
    with pytest.raises(ValueError, match="printed population share missing for: B 2021, B 2022"):
        m.compare_population_shares(population_frame(), printed_population_frame().iloc[[0]], states("A", "B"))
    doubled = pd.concat([printed_population_frame(), printed_population_frame().iloc[[1]]])
    with pytest.raises(ValueError, match="ncmec_population_share_printed: duplicated"):
        m.compare_population_shares(population_frame(), doubled, states("A", "B"))


def test_closest_population_year_is_the_smallest_sum_of_differences():
    # 2021: |1| + |-3| = 4; 2022: |-2| + |0.5| = 2.5 -> 2022 (signed sums would say 2021: -2 vs -1.5)
    comparison = pd.DataFrame({"year": [2021, 2021, 2022, 2022], "difference__pp": [1.0, -3.0, -2.0, 0.5]})
    assert m.closest_population_year(comparison) == 2022


def test_representation_index_rejects_a_year_without_population():
    # Population only for 2021: the reports of 2022 find no population share to divide by.
    with pytest.raises(ValueError, match="population missing for: A 2022, B 2022"):
        m.representation_index(ncmec_frame(), population_frame().iloc[:2], printed_population_frame(),
                               states("A", "B"))
    with pytest.raises(ValueError, match="printed population share missing for: A 2021, A 2022"):
        m.representation_index(ncmec_frame(), population_frame(), printed_population_frame().iloc[[1]],
                               states("A", "B"))


def test_representation_index_columns_and_note():
    out = m.representation_index(ncmec_frame(), population_frame(), printed_population_frame(), states("A", "B"))
    # B 2022: 50 % of reports / 80 % of people = 0.625; printed 79 % -> 50 / 79
    b = out.set_index(["country_code", "year"]).loc[("B", 2022)]
    assert b["representation_index_eurostat__ratio"] == pytest.approx(0.625)
    assert b["representation_index_printed__ratio"] == pytest.approx(50 / 79)
    assert (b["share_of_eu_total__pct"], b["population_share_eurostat__pct"]) == (50.0, 80.0)
    assert b["eu_population_share_printed__pct"] == 79.0
    assert "no year" in b["basis_note"] and "_merge" not in out.columns


def test_reports_per_100k_rejects_repeated_rows():
    with pytest.raises(ValueError, match="population: duplicated"):
        m.reports_per_100k(ncmec_frame(), pd.concat([population_frame(), population_frame().iloc[[0]]]))
    with pytest.raises(ValueError, match="ncmec_reports_by_country: duplicated"):
        m.reports_per_100k(pd.concat([ncmec_frame(), ncmec_frame().iloc[[0]]]), population_frame())
    out = m.reports_per_100k(ncmec_frame(), population_frame())
    assert "_merge" not in out.columns and out["population__persons"].tolist() == [100_000, 300_000, 100_000, 400_000]


def test_year_on_year_guards():
    counts = frame(
        [dict(provider_id="p", year=2021, n=None), dict(provider_id="p", year=2022, n=5),
         dict(provider_id="p", year=2023, n=None), dict(provider_id="q", year=2022, n=8)],
        ints=("year", "n"),
    )
    out = m.year_on_year(counts, key="provider_id", value="n")
    # p: 2021 -> 2022 from a missing count, 2022 -> 2023 to a missing one; q has one year only
    assert out[["provider_id", "year_from", "year_to"]].values.tolist() == [["p", 2021, 2022], ["p", 2022, 2023]]
    assert out["status"].tolist() == ["not_computable", "not_computable"]
    assert out["change__pct"].isna().all()
    assert out["caveat_code"].tolist() == ["partial_first_year", ""]
    with pytest.raises(ValueError, match="year_on_year input: duplicated"):
        m.year_on_year(pd.concat([counts, counts.iloc[[1]]]), key="provider_id", value="n")


def test_year_on_year_counts_and_a_fall_to_zero():
    counts = frame([dict(country_code="A", year=2022, reports__count=8),
                    dict(country_code="A", year=2023, reports__count=0)], ints=("year", "reports__count"))
    row = m.year_on_year(counts).iloc[0]
    assert (row["from__count"], row["to__count"], row["change__count"]) == (8, 0, -8)
    assert row["change__pct"] == pytest.approx(-100.0) and row["status"] == "computed"


def test_months_by_year_across_three_years():
    # 31 Dec 2020 .. 1 Jan 2022: 1 day of 31 in 2020, all of 2021, 1 day of 31 in 2022
    assert m.months_by_year(pd.Timestamp("2020-12-31"), pd.Timestamp("2022-01-01")) == {
        2020: pytest.approx(1 / 31), 2021: pytest.approx(12.0), 2022: pytest.approx(1 / 31)}
    # one day; a leap February counts 29 days
    assert m.months_by_year(pd.Timestamp("2024-02-10"), pd.Timestamp("2024-02-10")) == {2024: pytest.approx(1 / 29)}


def test_coverage_vs_ncmec_guards():
    ncmec = frame([dict(country_code="A", year=2021, reports__count=1200),
                   dict(country_code="A", year=2022, reports__count=2400)], ints=("year", "reports__count"))
    received = frame(
        [
            # a period NCMEC's years do not overlap at all: 2020
            dict(record_id="A-0", country_code="A", period_start="2020-01-01", period_end="2020-12-31",
                 value=10, flag="reported", unit="reports", source_category="ncmec"),
            # no period given
            dict(record_id="A-2", country_code="A", period_start=None, period_end=None,
                 value=10, flag="reported", unit="reports", source_category="ncmec"),
            # another unit
            dict(record_id="A-3", country_code="A", period_start="2022-01-01", period_end="2022-12-31",
                 value=10, flag="reported", unit="offences", source_category="ncmec"),
            # a lower bound is not a point figure
            dict(record_id="A-4", country_code="A", period_start="2022-01-01", period_end="2022-12-31",
                 value=10, flag="lower_bound", unit="reports", source_category="ncmec"),
            # 2022 whole: 240 of 2 400 = 10 %
            dict(record_id="A-5", country_code="A", period_start="2022-01-01", period_end="2022-12-31",
                 value=240, flag="approximate", unit="reports", source_category="ncmec"),
        ],
        ints=("value",), dates=("period_start", "period_end"),
    )
    out = m.coverage_vs_ncmec(received, ncmec).set_index("record_id")
    assert out.loc["A-0", "basis_note"] == (
        "period runs to 2020-12-31; needs NCMEC data for 2020, which cover 2021-2022")
    assert out.loc["A-0", "months_covered"] == pytest.approx(12.0)
    assert out.loc["A-2", "basis_note"] == "no reporting period"
    assert out.loc["A-3", "basis_note"] == "unit is offences"
    assert out.loc["A-4", "basis_note"] == "received figure is lower_bound"
    assert out["status"].tolist() == ["not_computable"] * 4 + ["computed"]
    assert out["coverage__pct"].isna().tolist() == [True] * 4 + [False]
    assert out["received__count"].isna().tolist() == [False, False, True, True, False]
    assert out.loc["A-5", "coverage__pct"] == pytest.approx(10.0)
    assert out.loc["A-5", "ncmec_prorated__count"] == pytest.approx(2400.0)
    assert out.loc["A-5", "basis_note"] == ""
    with pytest.raises(ValueError, match="ncmec_reports_by_country: duplicated"):
        m.coverage_vs_ncmec(received, pd.concat([ncmec, ncmec.iloc[[0]]]))


def test_bka_vs_ncmec_guards():
    def figures(rows):
        return frame([dict(figure_id=f"f{i}", country_code="DE", flag="reported", **r) for i, r in enumerate(rows)],
                     ints=("year", "value"))
    # the two figures for different years do not overlap: nothing to compare
    apart = figures([dict(measure=m.BKA_RECEIVED_MEASURE, year=2022, value=89844),
                     dict(measure=m.NCMEC_SENT_TO_DE_MEASURE, year=2021, value=79701)])
    with pytest.raises(ValueError, match="share no year"):
        m.bka_vs_ncmec(apart)
    doubled = figures([dict(measure=m.BKA_RECEIVED_MEASURE, year=2022, value=1),
                       dict(measure=m.BKA_RECEIVED_MEASURE, year=2022, value=2),
                       dict(measure=m.NCMEC_SENT_TO_DE_MEASURE, year=2022, value=3)])
    with pytest.raises(ValueError, match="duplicated"):
        m.bka_vs_ncmec(doubled)
    with pytest.raises(ValueError, match="no row with measure 'ncmec_reports_sent' for DE"):
        m.bka_vs_ncmec(doubled.iloc[:1])
    zero = figures([dict(measure=m.BKA_RECEIVED_MEASURE, year=2022, value=5),
                    dict(measure=m.NCMEC_SENT_TO_DE_MEASURE, year=2022, value=0)])
    out = m.bka_vs_ncmec(zero).iloc[0]
    assert (out["status"], out["basis_note"]) == ("not_computable", "zero denominator")
    assert pd.isna(out["coverage__pct"]) and out["received__count"] == 5


def test_sex_shares_leave_out_bounds_and_ranges():
    rows = children_frame().iloc[[1, 1]].copy()   # B: 2 girls, 1 boy, 1 unknown
    rows["record_id"] = ["B-1", "B-2"]
    rows["girls_flag"] = ["range", "reported"]
    rows["unknown_sex_flag"] = ["reported", "lower_bound"]
    out = m.sex_shares(rows).set_index("record_id")
    # B-1: girls only a range -> left out; B-2: unknown only a bound -> shares of girls + boys (3)
    assert list(out.index) == ["B-2"]
    assert out.loc["B-2", "denominator__count"] == 3
    assert out.loc["B-2", "girls_share__pct"] == pytest.approx(200 / 3)
    assert pd.isna(out.loc["B-2", "unknown_sex_share__pct"])
    assert out.loc["B-2", "basis_note"] == "unknown-sex count not given: shares of girls + boys"
    assert m.sex_shares(children_frame()).set_index("record_id").loc["B-1", "basis_note"] == ""


def test_completeness_rejects_rows_of_countries_that_are_not_member_states():
    # A row for "X" would drop out of the per-country join and its figure would go unseen.
    received = frame([dict(country_code="A", flag="reported", unit="reports"),
                      dict(country_code="X", flag="reported", unit="reports")])
    nonreporting = frame([]).reindex(columns=["country_code", "statistic", "status", "reason_code"])
    with pytest.raises(ValueError, match=r"ms_reports_received: not member states \['X'\]"):
        m.completeness(states("A"), received, children_frame().iloc[[0]],
                       frame([dict(country_code="A", flag="reported")]), nonreporting)
    stray = frame([dict(country_code="X", statistic="reports", status="partly_given", reason_code="x")])
    with pytest.raises(ValueError, match=r"ms_nonreporting: not member states \['X'\]"):
        m.completeness(states("A"), received.iloc[[0]], children_frame().iloc[[0]],
                       frame([dict(country_code="A", flag="reported")]), stray)


def test_completeness_notes_say_why():
    members = states("A", "B", "C")
    received = frame([dict(country_code="A", flag="range", unit="reports"),
                      dict(country_code="B", flag="reported", unit="reports")])   # C: no row
    nonreporting = frame([dict(country_code="B", statistic="reports", status="partly_given", reason_code="x")])
    out = m.completeness(members, received, children_frame().iloc[[3]].assign(country_code="A"), frame([dict(country_code="A", flag="lower_bound")]),
                         nonreporting)
    note = out.set_index(["country_code", "statistic"])["basis_note"]
    assert note[("A", "reports")] == "a monthly rate or a range, not a total"
    assert note[("B", "reports")] == "ms_nonreporting: partly given"
    assert note[("C", "reports")] == "no row"
    assert note[("A", "convictions")] == ""          # a lower bound is a figure: full
    assert out.set_index(["country_code", "statistic"]).loc[("A", "convictions"), "status"] == "full"
    assert list(out.columns) == ["country_code", "statistic", "status", "reason_code", "basis_note"]
    counts = m.completeness_counts(out)
    # every statistic x status listed, zeros included: 3 x 3 rows summing to 3 countries x 3
    assert len(counts) == 9 and counts["member_states__count"].sum() == 9
    assert counts.set_index(["statistic", "status"]).loc[("convictions", "partial"), "member_states__count"] == 0


def test_period_total_refuses_an_empty_frame_missing_periods_and_bounds():
    empty = m.period_total_or_refusal(periods_frame().iloc[0:0]).iloc[0]
    assert (empty["status"], empty["reason"], empty["rows__count"]) == ("not_summable", "no rows", 0)
    no_period = periods_frame()
    no_period.loc[1, "period_end"] = pd.NaT
    out = m.period_total_or_refusal(no_period).iloc[0]
    assert out["reason"] == "1 rows have no period" and out["periods__count"] == 1
    bound = m.period_total_or_refusal(periods_frame(flags=("reported", "lower_bound"))).iloc[0]
    assert bound["reason"] == "1 rows are not point figures" and pd.isna(bound["total"])
    # every failed condition is listed, in order
    both = m.period_total_or_refusal(periods_frame(ends=("2022-12-31", "2022-06-30"), values=(3, None))).iloc[0]
    assert both["reason"] == "periods differ: 2 distinct periods; 1 rows have no value"
    assert pd.isna(both["period_start"]) and pd.isna(both["period_end"])


def test_period_total_other_value_column_and_no_flag_column():
    rows = periods_frame().rename(columns={"value": "convictions__count"}).drop(columns="flag")
    out = m.period_total_or_refusal(rows, "convictions__count").iloc[0]
    assert (out["total"], out["flag"], out["rows__count"], out["periods__count"]) == (7, "reported", 2, 1)
    assert out["period_start"] == pd.Timestamp("2022-01-01")
    assert m.cannot_sum(rows.assign(convictions__count=pd.array([1, None], dtype="Int64")), "convictions__count")


def test_largest_keeps_the_order_and_leaves_out_missing():
    data = frame([dict(k="a", v=1), dict(k="b", v=None), dict(k="c", v=5), dict(k="d", v=3)], ints=("v",))
    assert m.largest(data, "v")["k"].tolist() == ["c", "d", "a"]   # default n = 3
