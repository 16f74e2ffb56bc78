"""Derived metrics for the COM(2023) 797 data package.

Sources: European Commission, report COM(2023) 797 final of 19 December 2023 on the
implementation of Regulation (EU) 2021/1232 (Swedish edition, Council document 17002/23),
and Eurostat ``demo_pjan`` (population on 1 January, 2025 vintage).

Every function here is pure: it takes frames shaped like the package resources (as loaded
by ``transparency.package``) and returns a frame or a number. Nothing is read from disk.

Quirks of the source that the functions handle:

- The report rounds its percentages. A recomputed value "matches" a printed one when it lies
  within half a unit of the last printed decimal (2 decimals -> 0.005 percentage points).
- A rate with no denominator, or a zero one, is NA with a reason, never 0. The report prints
  "0 %" for LinkedIn with no appeals at all (0 of 0); that is flagged as a discrepancy.
- Member states reported for different periods, so their figures are summed only when every
  period is identical (``period_total_or_refusal``).
- NCMEC counts are per calendar year; comparing them with a member state's own reporting
  period needs the pro-rating assumption stated in ``ASSUMPTION_EN`` / ``ASSUMPTION_SV``.
- Eurostat's EU27_2020 aggregate for 2022 (445 972 024) is not the sum of the 27 member
  states (445 998 928) in this vintage, so population shares use the sum of the members.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterable

import numpy as np
import pandas as pd

# Regulation (EU) 2021/1232 was published in OJ L 274 of 30.7.2021 and, under its Article 10,
# entered into force on the third day after publication: 2 August 2021. It sets no separate
# date of application, so it applies from that day (until 3 August 2024). Some member states
# count from 3 August (the anniversary used for the Article 8 deadline, 3 August 2022).
REGULATION_APPLIES_FROM = date(2021, 8, 2)

# Number of member states (EU27 after 31 January 2020); used when no member_states frame is given.
EU_MEMBER_STATES__COUNT = 27

# Flags whose value is a point figure usable in arithmetic; bounds and ranges are not.
POINT_FLAGS = ("reported", "approximate")

# Flags that carry a value (point or bound): the statistic was given in some form.
VALUE_FLAGS = ("reported", "approximate", "lower_bound", "upper_bound")

# Table 7 prints its shares with two decimals.
TABLE7_PRINTED_DECIMALS = 2

# Table 6 source categories whose reports come from NCMEC (the second one only mainly).
NCMEC_SOURCE_CATEGORIES = ("ncmec", "ncmec_and_others")

# Figures rows used by bka_vs_ncmec (section 2.2, footnote 9), country_code DE: reports the
# federal criminal police (BKA) received from NCMEC vs reports NCMEC says it sent.
BKA_RECEIVED_MEASURE = "reports_received_from_ncmec"
NCMEC_SENT_TO_DE_MEASURE = "ncmec_reports_sent"

# Statuses written into output columns.
COMPUTED = "computed"
APPROXIMATE = "approximate"
NOT_COMPUTABLE = "not_computable"
# A pair of years across a break in series (series_breaks): never compared.
BREAK_IN_SERIES = "break_in_series"
SUMMED = "summed"
NOT_SUMMABLE = "not_summable"
PARTIAL_FIRST_YEAR = "partial_first_year"

# Slack for binary floating point when comparing with a half-unit rounding tolerance.
_FLOAT_SLACK = 1e-9

ASSUMPTION_EN = (
    "NCMEC publishes its counts per calendar year. To compare them with a member state's own "
    "reporting period we assume that each year's reports were spread evenly over its months: "
    "every calendar month inside the period counts 1/12 of that year's NCMEC count, and a month "
    "the period covers only in part counts in proportion to its days (days covered divided by "
    "the days in that month, both ends of the period included). A period that reaches into a "
    "year for which there is no NCMEC count is not computed."
)
ASSUMPTION_SV = (
    "NCMEC redovisar sina siffror per kalenderår. För att jämföra dem med en medlemsstats egen "
    "rapporteringsperiod antar vi att varje års rapporter var jämnt fördelade över årets "
    "månader: varje kalendermånad inom perioden räknas som 1/12 av årets NCMEC-siffra, och en "
    "månad som perioden bara delvis omfattar räknas i proportion till antalet dagar (dagar som "
    "ingår delat med antalet dagar i månaden, periodens första och sista dag inräknade). En "
    "period som sträcker sig in i ett år som det saknas NCMEC-siffra för beräknas inte."
)


# ---------------------------------------------------------------------------------------------
# Small shared helpers
# ---------------------------------------------------------------------------------------------


# Raise when key columns repeat: every join below assumes unique keys.
def _assert_unique(frame: pd.DataFrame, keys: list[str], name: str) -> None:
    duplicated = frame[frame.duplicated(keys, keep=False)]
    if not duplicated.empty:
        rows = duplicated[keys].drop_duplicates().astype(str).agg(" ".join, axis=1)
        raise ValueError(f"{name}: duplicated {keys}: {', '.join(rows)}")


# Raise naming the rows of a merge that found no partner (merge made with indicator=True).
def _assert_matched(merged: pd.DataFrame, keys: list[str], what: str) -> None:
    missing = merged[merged["_merge"] != "both"]
    if not missing.empty:
        rows = missing[keys].astype(str).agg(" ".join, axis=1)
        raise ValueError(f"{what} missing for: {', '.join(rows)}")


# Half a unit of the last printed decimal, in percentage points.
def _tolerance_pp(decimals: int) -> float:
    return 0.5 * 10 ** (-int(decimals)) + _FLOAT_SLACK


# Number of decimals of the first percentage in a printed cell ("4,22 % (207 av 4 900)" -> 2).
def _printed_decimals(printed: object) -> int | None:
    if not isinstance(printed, str):
        return None
    match = re.search(r"\d(?:,(\d+))?\s*%", printed)
    if match is None:
        return None
    return len(match.group(1) or "")


# Decimals of a float as stored (4.22 -> 2); the fallback when no printed text is at hand.
def _stored_decimals(value: float) -> int:
    text = repr(float(value))
    return 0 if text.endswith(".0") else len(text.split(".")[1])


# Decimals of a printed rate: from its printed text, else from the stored number, else None.
def _decimals(printed: object, value: object) -> int | None:
    from_text = _printed_decimals(printed)
    if from_text is not None:
        return from_text
    return None if pd.isna(value) else _stored_decimals(value)


# Keep a value only where its flag makes it a point figure (reported or approximate).
def _point_value(values: pd.Series, flags: pd.Series) -> pd.Series:
    return values.where(flags.isin(POINT_FLAGS))


# Within rounding of the printed decimals (one entry per row, None = no printed figure).
def _matches(difference_pp: pd.Series, decimals: list[int | None]) -> pd.Series:
    tolerance = pd.Series(
        [pd.NA if d is None else _tolerance_pp(d) for d in decimals],
        index=difference_pp.index, dtype="Float64",
    )
    return (difference_pp.astype("Float64").abs() <= tolerance).astype("boolean")


# Raise unless every expected country appears exactly once in every year of the frame.
def _assert_complete_years(
    frame: pd.DataFrame, name: str, member_states: pd.DataFrame | None = None
) -> None:
    _assert_unique(frame, ["country_code", "year"], name)
    for year, group in frame.groupby("year"):
        present = set(group["country_code"])
        if member_states is None:
            if len(present) != EU_MEMBER_STATES__COUNT:
                raise ValueError(
                    f"{name}: {year} has {len(present)} countries, not {EU_MEMBER_STATES__COUNT}"
                )
            continue
        expected = set(member_states["country_code"])
        missing, extra = sorted(expected - present), sorted(present - expected)
        if missing or extra:
            raise ValueError(f"{name}: {year}: missing {missing}, not member states {extra}")


# ---------------------------------------------------------------------------------------------
# 1. Reinstatement rates (Tables 3-5)
# ---------------------------------------------------------------------------------------------


# Why a rate cannot be computed: "" when it can.
def _rate_reason(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    reasons = np.select(
        [denominator.isna(), (denominator == 0).fillna(False), numerator.isna()],
        ["no denominator", "zero denominator", "numerator missing"],
        default="",
    )
    return pd.Series(reasons, index=numerator.index, dtype="str")


def reinstatement_rates(rates: pd.DataFrame) -> pd.DataFrame:
    """Recompute each Table 5 rate from its numerator and denominator.

    Parameters
    ----------
    rates : pandas.DataFrame
        ``provider_reinstatement_rates``: provider_id, year, basis, unit_basis,
        rate_printed__pct, printed, numerator, numerator_flag, denominator, denominator_flag.

    Returns
    -------
    pandas.DataFrame
        One row per input row: rate_computed__pct = numerator / denominator * 100,
        difference__pp (computed - printed), matches_printed (within half a unit of the
        printed decimals; NA when either is missing), discrepancy (a printed rate that the
        inputs do not reproduce, or cannot), status (computed | not_computable) and
        basis_note (why not computable, or that the inputs are approximate).
    """
    numerator = _point_value(rates["numerator"], rates["numerator_flag"])
    denominator = _point_value(rates["denominator"], rates["denominator_flag"])
    reason = _rate_reason(numerator, denominator)
    approximate = (rates["numerator_flag"] == "approximate") | (
        rates["denominator_flag"] == "approximate"
    )
    out = rates[["provider_id", "year", "basis", "unit_basis"]].copy()
    out["numerator__count"], out["denominator__count"] = numerator, denominator
    out["rate_computed__pct"] = (numerator / denominator * 100).where(reason == "")
    out["rate_printed__pct"] = rates["rate_printed__pct"].astype("Float64")
    out["difference__pp"] = out["rate_computed__pct"] - out["rate_printed__pct"]
    decimals = [_decimals(text, value) for text, value in zip(rates["printed"], out["rate_printed__pct"])]
    out["matches_printed"] = _matches(out["difference__pp"], decimals)
    out["discrepancy"] = out["rate_printed__pct"].notna() & ~out["matches_printed"].fillna(False)
    out["status"] = np.where(reason == "", COMPUTED, NOT_COMPUTABLE)
    out["basis_note"] = reason.where(reason != "", np.where(approximate, "inputs approximate", ""))
    return out.reset_index(drop=True)


def reinstatement_from_appeals(appeals: pd.DataFrame) -> pd.DataFrame:
    """Reinstated accounts or content as a share of complaints (Tables 3-4).

    Parameters
    ----------
    appeals : pandas.DataFrame
        ``provider_appeals``: provider_id, year, measure (complaints | accounts_reinstated |
        content_reinstated), value, flag, unit.

    Returns
    -------
    pandas.DataFrame
        One row per reinstatement row: reinstated__count, complaints__count, unit_basis (the
        unit of the complaints), rate_computed__pct = reinstated / complaints * 100 where both
        are point figures and complaints > 0; status computed, approximate (an input is
        "ca"), or not_computable with the reason in basis_note.
    """
    _assert_unique(appeals, ["provider_id", "year", "measure"], "provider_appeals")
    keys = ["provider_id", "year"]
    complaints = appeals[appeals["measure"] == "complaints"][keys + ["value", "flag", "unit"]]
    reinstated = appeals[appeals["measure"].isin(["accounts_reinstated", "content_reinstated"])]
    merged = reinstated[keys + ["measure", "value", "flag"]].merge(
        complaints, on=keys, how="left", suffixes=("", "_complaints"),
        validate="many_to_one", indicator=True,
    )
    numerator = _point_value(merged["value"], merged["flag"])
    denominator = _point_value(merged["value_complaints"], merged["flag_complaints"])
    reason = _rate_reason(numerator, denominator).mask(merged["_merge"] == "left_only", "no complaints row")
    approximate = (merged["flag"] == "approximate") | (merged["flag_complaints"] == "approximate")
    out = merged[keys + ["measure"]].copy()
    out["reinstated__count"], out["complaints__count"] = numerator, denominator
    out["unit_basis"] = merged["unit"]
    out["rate_computed__pct"] = (numerator / denominator * 100).where(reason == "")
    out["status"] = np.select(
        [reason != "", approximate.fillna(False)], [NOT_COMPUTABLE, APPROXIMATE], COMPUTED
    )
    out["basis_note"] = reason
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# 2. EU totals and shares (Table 7)
# ---------------------------------------------------------------------------------------------


def eu_totals(ncmec: pd.DataFrame, member_states: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sum NCMEC reports over the member states, per year.

    Parameters
    ----------
    ncmec : pandas.DataFrame
        ``ncmec_reports_by_country``: country_code, year, reports__count.
    member_states : pandas.DataFrame, optional
        ``member_states``; when given, each year must hold exactly these countries,
        otherwise exactly 27 distinct ones.

    Returns
    -------
    pandas.DataFrame
        year, reports__count (sum of the 27), countries__count.

    Raises
    ------
    ValueError
        If a country is missing, repeated or unknown in a year, or a count is missing.
    """
    _assert_complete_years(ncmec, "ncmec_reports_by_country", member_states)
    missing = ncmec[ncmec["reports__count"].isna()]
    if not missing.empty:
        rows = missing["country_code"] + " " + missing["year"].astype(str)
        raise ValueError(f"reports__count missing for: {', '.join(rows)}")
    return ncmec.groupby("year", as_index=False).agg(
        reports__count=("reports__count", "sum"), countries__count=("country_code", "nunique")
    )


def eu_shares(
    ncmec: pd.DataFrame,
    member_states: pd.DataFrame | None = None,
    printed_decimals: int = TABLE7_PRINTED_DECIMALS,
) -> pd.DataFrame:
    """Each country's share of the year's EU total, beside the share Table 7 prints.

    Parameters
    ----------
    ncmec : pandas.DataFrame
        ``ncmec_reports_by_country``: country_code, year, reports__count,
        share_of_eu_total_printed__pct.
    member_states : pandas.DataFrame, optional
        Passed to ``eu_totals`` for the completeness check.
    printed_decimals : int
        Decimals of the printed shares (2 in Table 7): sets the matching tolerance.

    Returns
    -------
    pandas.DataFrame
        country_code, year, reports__count, eu_total__count, share_of_eu_total__pct,
        share_of_eu_total_printed__pct, difference__pp (computed - printed), matches_printed.
    """
    totals = eu_totals(ncmec, member_states).rename(columns={"reports__count": "eu_total__count"})
    cols = ["country_code", "year", "reports__count", "share_of_eu_total_printed__pct"]
    out = ncmec[cols].merge(
        totals[["year", "eu_total__count"]], on="year", how="left",
        validate="many_to_one", indicator=True,
    )
    _assert_matched(out, ["year"], "EU total")
    out["share_of_eu_total__pct"] = out["reports__count"] / out["eu_total__count"] * 100
    out["difference__pp"] = out["share_of_eu_total__pct"] - out["share_of_eu_total_printed__pct"]
    out["matches_printed"] = (out["difference__pp"].abs() <= _tolerance_pp(printed_decimals)).astype(
        "boolean"
    )
    return out.drop(columns="_merge")[
        cols[:3] + ["eu_total__count", "share_of_eu_total__pct"] + cols[3:]
        + ["difference__pp", "matches_printed"]
    ]


# ---------------------------------------------------------------------------------------------
# 3. Population: shares and reports per capita
# ---------------------------------------------------------------------------------------------


def population_shares(
    population: pd.DataFrame, member_states: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each member state's share of the population of the 27, per year (Eurostat).

    The denominator is the sum of the 27 member states, not Eurostat's EU27_2020 aggregate
    (which for 2022 differs from that sum in this vintage).

    Parameters
    ----------
    population : pandas.DataFrame
        ``population``: country_code, year, population__persons, eurostat_flag.
    member_states : pandas.DataFrame, optional
        When given, each year must hold exactly these countries (else 27 distinct ones).

    Returns
    -------
    pandas.DataFrame
        country_code, year, population__persons, eu27_population__persons,
        population_share_eurostat__pct, eurostat_flag.
    """
    _assert_complete_years(population, "population", member_states)
    if population["population__persons"].isna().any():
        raise ValueError("population: population__persons missing")
    out = population[["country_code", "year", "population__persons", "eurostat_flag"]].copy()
    out["eu27_population__persons"] = out.groupby("year")["population__persons"].transform("sum")
    out["population_share_eurostat__pct"] = (
        out["population__persons"] / out["eu27_population__persons"] * 100
    )
    return out[
        ["country_code", "year", "population__persons", "eu27_population__persons",
         "population_share_eurostat__pct", "eurostat_flag"]
    ].reset_index(drop=True)


def compare_population_shares(
    population: pd.DataFrame, printed: pd.DataFrame, member_states: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Eurostat population shares beside the share Table 7 prints (which has no year).

    Parameters
    ----------
    population : pandas.DataFrame
        ``population`` (see ``population_shares``).
    printed : pandas.DataFrame
        ``ncmec_population_share_printed``: country_code, eu_population_share_printed__pct.
    member_states : pandas.DataFrame, optional
        Passed to ``population_shares`` for its completeness check.

    Returns
    -------
    pandas.DataFrame
        country_code, year, population_share_eurostat__pct, eu_population_share_printed__pct,
        difference__pp (Eurostat - printed), closest_year (the Eurostat year nearest the
        printed share for that country) and closest_year_overall (the year with the smallest
        sum of absolute differences over all countries, see ``closest_population_year``).
    """
    _assert_unique(printed, ["country_code"], "ncmec_population_share_printed")
    shares = population_shares(population, member_states)
    out = shares[["country_code", "year", "population_share_eurostat__pct"]].merge(
        printed[["country_code", "eu_population_share_printed__pct"]], on="country_code",
        how="left", validate="many_to_one", indicator=True,
    )
    _assert_matched(out, ["country_code", "year"], "printed population share")
    out["difference__pp"] = (
        out["population_share_eurostat__pct"] - out["eu_population_share_printed__pct"]
    )
    nearest = out.loc[out["difference__pp"].abs().groupby(out["country_code"]).idxmin()]
    out["closest_year"] = out["country_code"].map(nearest.set_index("country_code")["year"])
    out["closest_year_overall"] = closest_population_year(out)
    return out.drop(columns="_merge")


def closest_population_year(comparison: pd.DataFrame) -> int:
    """The Eurostat year whose shares are nearest the printed ones, over all countries.

    Parameters
    ----------
    comparison : pandas.DataFrame
        Has year and difference__pp (as in ``compare_population_shares``).

    Returns
    -------
    int
        The year with the smallest sum of absolute differences.
    """
    return int(comparison["difference__pp"].abs().groupby(comparison["year"]).sum().idxmin())


def representation_index(
    ncmec: pd.DataFrame,
    population: pd.DataFrame,
    printed_population: pd.DataFrame,
    member_states: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Share of NCMEC reports divided by share of population (1 = proportionate).

    Parameters
    ----------
    ncmec : pandas.DataFrame
        ``ncmec_reports_by_country`` (see ``eu_shares``).
    population : pandas.DataFrame
        ``population``; its shares are taken for the same year as the reports.
    printed_population : pandas.DataFrame
        ``ncmec_population_share_printed``; it has no year, so it is used for both years.
    member_states : pandas.DataFrame, optional
        Passed to the completeness checks of ``eu_shares`` and ``population_shares``.

    Returns
    -------
    pandas.DataFrame
        country_code, year, share_of_eu_total__pct, population_share_eurostat__pct,
        eu_population_share_printed__pct, representation_index_eurostat__ratio,
        representation_index_printed__ratio, basis_note.
    """
    keys = ["country_code", "year"]
    shares = eu_shares(ncmec, member_states)[keys + ["share_of_eu_total__pct"]]
    out = shares.merge(
        population_shares(population, member_states)[keys + ["population_share_eurostat__pct"]], on=keys,
        how="left", validate="one_to_one", indicator=True,
    )
    _assert_matched(out, keys, "population")
    out = out.drop(columns="_merge").merge(
        printed_population[["country_code", "eu_population_share_printed__pct"]],
        on="country_code", how="left", validate="many_to_one", indicator=True,
    )
    _assert_matched(out, keys, "printed population share")
    share = out["share_of_eu_total__pct"]
    out["representation_index_eurostat__ratio"] = share / out["population_share_eurostat__pct"]
    out["representation_index_printed__ratio"] = share / out["eu_population_share_printed__pct"]
    out["basis_note"] = "printed population share has no year; used for every year"
    return out.drop(columns="_merge")


def reports_per_100k(ncmec: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """NCMEC reports per 100 000 inhabitants, per country and year.

    Parameters
    ----------
    ncmec : pandas.DataFrame
        ``ncmec_reports_by_country``: country_code, year, reports__count.
    population : pandas.DataFrame
        ``population``: country_code, year, population__persons (1 January, Eurostat).

    Returns
    -------
    pandas.DataFrame
        country_code, year, reports__count, population__persons, reports_per_100k__count.

    Raises
    ------
    ValueError
        Naming each country and year of ``ncmec`` with no population row.
    """
    keys = ["country_code", "year"]
    _assert_unique(ncmec, keys, "ncmec_reports_by_country")
    _assert_unique(population, keys, "population")
    out = ncmec[keys + ["reports__count"]].merge(
        population[keys + ["population__persons"]], on=keys, how="left",
        validate="one_to_one", indicator=True,
    )
    _assert_matched(out, keys, "population")
    out["reports_per_100k__count"] = (
        out["reports__count"].astype("Float64") / out["population__persons"] * 100_000
    )
    return out.drop(columns="_merge")


def eu_reports_per_100k(ncmec: pd.DataFrame, population_eu27: pd.DataFrame,
                        member_states: pd.DataFrame | None = None) -> pd.DataFrame:
    """NCMEC reports about the 27 member states together per 100 000 EU inhabitants, per year.

    Parameters
    ----------
    ncmec : pandas.DataFrame
        ``ncmec_reports_by_country`` (every member state in every year, see ``eu_totals``).
    population_eu27 : pandas.DataFrame
        ``population_eu27``: year, population__persons (EU-27 on 1 January, Eurostat).
    member_states : pandas.DataFrame, optional
        Passed to ``eu_totals``.

    Returns
    -------
    pandas.DataFrame
        year, reports__count (sum of the 27), population__persons, reports_per_100k__count.

    Raises
    ------
    ValueError
        Naming each year of ``ncmec`` with no EU population row.
    """
    totals = eu_totals(ncmec, member_states)[["year", "reports__count"]]
    _assert_unique(population_eu27, ["year"], "population_eu27")
    out = totals.merge(population_eu27[["year", "population__persons"]], on="year", how="left",
                       validate="one_to_one", indicator=True)
    _assert_matched(out, ["year"], "population_eu27")
    out["reports_per_100k__count"] = out["reports__count"].astype("Float64") / out["population__persons"] * 100_000
    return out.drop(columns="_merge")


def per_100k_ranks(per_100k: pd.DataFrame) -> pd.Series:
    """Each country's rank within its year by reports per 100 000 inhabitants: 1 is the most;
    equal rates share the better rank.

    Parameters
    ----------
    per_100k : pandas.DataFrame
        ``reports_per_100k``'s output: country_code, year, reports_per_100k__count.

    Returns
    -------
    pandas.Series
        rank__position (integer), aligned with ``per_100k``'s index.
    """
    _assert_unique(per_100k, ["country_code", "year"], "reports per 100 000")
    ranks = per_100k.groupby("year")["reports_per_100k__count"].rank(method="min", ascending=False)
    return ranks.astype("Int64").rename("rank__position")


# ---------------------------------------------------------------------------------------------
# 4. Change between years
# ---------------------------------------------------------------------------------------------


def break_years(breaks: pd.DataFrame, series: str) -> list[int]:
    """Years at which ``series`` breaks (``series_breaks`` rows), sorted."""
    return sorted(int(y) for y in breaks.loc[breaks["series"] == series, "year"].dropna())


def crosses_break(year_from: int, year_to: int, breaks: Iterable[int]) -> bool:
    """True when a break year b lies in (year_from, year_to]: the two years are not comparable."""
    return any(year_from < b <= year_to for b in breaks)


def year_on_year(
    ncmec: pd.DataFrame, key: str = "country_code", value: str = "reports__count",
    breaks: Iterable[int] = (),
) -> pd.DataFrame:
    """Change from each year to the next year present, per country (or other key).

    Works for any set of years; a gap (2021 -> 2023) is compared as it stands. Pass
    ``eu_totals(...)`` with a constant key column to get the EU change. A pair of years
    across a break in series (``breaks``: first years after a break) gets no change: its
    status is BREAK_IN_SERIES and its change columns are NA.

    Parameters
    ----------
    ncmec : pandas.DataFrame
        Has ``key``, year and ``value``.
    key, value : str
        The grouping column and the count column.

    Returns
    -------
    pandas.DataFrame
        key, year_from, year_to, from__count, to__count, change__count, change__pct
        (NA when the first count is 0 or missing), status, caveat_code
        ("partial_first_year" when year_from contains REGULATION_APPLIES_FROM: the
        regulation, and voluntary detection under it, covered only part of that year).
    """
    _assert_unique(ncmec, [key, "year"], "year_on_year input")
    ordered = ncmec.sort_values([key, "year"])
    following = ordered.groupby(key)[["year", value]].shift(-1)
    out = pd.DataFrame({
        key: ordered[key], "year_from": ordered["year"], "year_to": following["year"],
        "from__count": ordered[value], "to__count": following[value],
    }).dropna(subset=["year_to"])
    out["year_to"] = out["year_to"].astype("Int64")
    out["change__count"] = out["to__count"] - out["from__count"]
    computable = (out["from__count"] > 0).fillna(False) & out["to__count"].notna()
    out["change__pct"] = (out["change__count"].astype("Float64") / out["from__count"] * 100).where(
        computable
    )
    out["status"] = np.where(computable, COMPUTED, NOT_COMPUTABLE)
    out["caveat_code"] = np.where(
        out["year_from"] == REGULATION_APPLIES_FROM.year, PARTIAL_FIRST_YEAR, ""
    )
    breaks = list(breaks)
    across = pd.Series([crosses_break(int(a), int(b), breaks) for a, b in zip(out["year_from"], out["year_to"])],
                       index=out.index, dtype=bool)
    out.loc[across, ["change__count", "change__pct"]] = pd.NA
    out.loc[across, "status"] = BREAK_IN_SERIES
    out.loc[across, "caveat_code"] = BREAK_IN_SERIES
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# 5. Coverage: what member states received vs what NCMEC sent
# ---------------------------------------------------------------------------------------------


def months_by_year(period_start: pd.Timestamp, period_end: pd.Timestamp) -> dict[int, float]:
    """Months of each calendar year inside a period, partial months by days.

    Parameters
    ----------
    period_start, period_end : pandas.Timestamp
        First and last day of the period, both included.

    Returns
    -------
    dict of int to float
        Year -> months covered (a whole month is 1, a part of a month is the days covered
        divided by the days in that month). 2021-08-02..2021-08-31 -> {2021: 30/31}.
    """
    start, end = pd.Timestamp(period_start).normalize(), pd.Timestamp(period_end).normalize()
    if end < start:
        raise ValueError(f"period ends {end.date()} before it starts {start.date()}")
    months: dict[int, float] = {}
    for month_start in pd.date_range(start.to_period("M").start_time, end, freq="MS"):
        month_end = month_start + pd.offsets.MonthEnd(0)
        days = (min(end, month_end) - max(start, month_start)).days + 1
        months[month_start.year] = months.get(month_start.year, 0.0) + days / month_start.days_in_month
    return months


# Pro-rated NCMEC count for one period, or the reason it cannot be computed.
def _prorate(start, end, counts_by_year: dict[int, float]) -> tuple[float, float, str]:
    if pd.isna(start) or pd.isna(end):
        return np.nan, np.nan, "no reporting period"
    months = months_by_year(start, end)
    uncovered = sorted(set(months) - set(counts_by_year))
    if uncovered:
        covered = f"{min(counts_by_year)}-{max(counts_by_year)}" if counts_by_year else "no year"
        return np.nan, sum(months.values()), (
            f"period runs to {pd.Timestamp(end).date()}; needs NCMEC data for "
            f"{', '.join(map(str, uncovered))}, which cover {covered}"
        )
    prorated = sum(counts_by_year[y] * m / 12 for y, m in months.items())
    return prorated, sum(months.values()), "" if prorated > 0 else "zero NCMEC reports"


# Why a Table 6 row cannot be compared with NCMEC, before looking at its period ("" if it can).
def _received_reason(received: pd.DataFrame) -> pd.Series:
    reasons = np.select(
        [~received["flag"].isin(POINT_FLAGS), received["unit"] != "reports"],
        ["received figure is " + received["flag"].astype(str), "unit is " + received["unit"].astype(str)],
        default="",
    )
    return pd.Series(reasons, index=received.index, dtype="str")


def coverage_vs_ncmec(received: pd.DataFrame, ncmec: pd.DataFrame) -> pd.DataFrame:
    """Reports a member state received, as a share of what NCMEC sent it in the same period.

    Only member states whose Table 6 source is NCMEC (``ncmec``) or mainly NCMEC
    (``ncmec_and_others``, marked in source_category: its count includes other sources).
    NCMEC's calendar-year counts are pro-rated to the member state's period by months (see
    ``ASSUMPTION_EN``): coverage__pct = received / pro-rated NCMEC * 100.

    Parameters
    ----------
    received : pandas.DataFrame
        ``ms_reports_received``: record_id, country_code, period_start, period_end, value,
        flag, unit, source_category.
    ncmec : pandas.DataFrame
        ``ncmec_reports_by_country``: country_code, year, reports__count.

    Returns
    -------
    pandas.DataFrame
        record_id, country_code, source_category, period_start, period_end, received__count,
        ncmec_prorated__count, coverage__pct, months_covered, status (computed |
        not_computable) and basis_note: for not_computable the reason (a range or missing
        figure, another unit, no period, or a period reaching a year with no NCMEC data, e.g.
        Denmark to 20 January 2023); for a computed ncmec_and_others row, that the received
        count includes other sources.
    """
    rows = received[received["source_category"].isin(NCMEC_SOURCE_CATEGORIES)]
    _assert_unique(ncmec, ["country_code", "year"], "ncmec_reports_by_country")
    reason = _received_reason(rows)
    results = []
    for idx, row in rows.iterrows():
        counts = ncmec[ncmec["country_code"] == row["country_code"]]
        counts_by_year = dict(zip(counts["year"].astype(int), counts["reports__count"].astype(float)))
        prorated, months, period_reason = (
            (np.nan, np.nan, "") if reason[idx] else
            _prorate(row["period_start"], row["period_end"], counts_by_year)
        )
        results.append((prorated, months, reason[idx] or period_reason))
    out = rows[["record_id", "country_code", "source_category", "period_start", "period_end"]].copy()
    out["received__count"] = rows["value"].where(reason == "")
    out["ncmec_prorated__count"] = pd.array([r[0] for r in results], dtype="Float64")
    out["months_covered"] = pd.array([r[1] for r in results], dtype="Float64")
    note = pd.Series([r[2] for r in results], index=rows.index, dtype="str")
    computable = note == ""
    out["coverage__pct"] = (out["received__count"] / out["ncmec_prorated__count"] * 100).where(computable)
    out["status"] = np.where(computable, COMPUTED, NOT_COMPUTABLE)
    others = computable & (rows["source_category"] == "ncmec_and_others")
    out["basis_note"] = note.mask(others, "received count includes sources other than NCMEC")
    return out.reset_index(drop=True)


def bka_vs_ncmec(
    figures: pd.DataFrame,
    received_measure: str = BKA_RECEIVED_MEASURE,
    sent_measure: str = NCMEC_SENT_TO_DE_MEASURE,
    country_code: str = "DE",
) -> pd.DataFrame:
    """Germany: reports the BKA says it received from NCMEC vs what NCMEC says it sent.

    Germany gave no Article 8 statistics; section 2.2 quotes these two 2022 figures instead.

    Parameters
    ----------
    figures : pandas.DataFrame
        ``figures``: measure, country_code, year, value, flag.
    received_measure, sent_measure : str
        The ``measure`` of the two rows.
    country_code : str
        The member state of both rows.

    Returns
    -------
    pandas.DataFrame
        One row per year present in both: country_code, year, received__count,
        ncmec_sent__count, coverage__pct = received / sent * 100, status, basis_note.

    Raises
    ------
    ValueError
        If either measure has no row, or a year twice, or the two share no year.
    """
    def pick(measure: str, column: str) -> pd.DataFrame:
        rows = figures[(figures["measure"] == measure) & (figures["country_code"] == country_code)]
        if rows.empty:
            raise ValueError(f"figures: no row with measure {measure!r} for {country_code}")
        _assert_unique(rows, ["year"], f"figures {measure}")
        return rows[["year"]].assign(**{column: _point_value(rows["value"], rows["flag"])})

    received, sent = pick(received_measure, "received__count"), pick(sent_measure, "ncmec_sent__count")
    out = received.merge(sent, on="year", how="inner", validate="one_to_one")
    if out.empty:
        raise ValueError(
            f"figures: {received_measure} ({sorted(received['year'])}) and {sent_measure} "
            f"({sorted(sent['year'])}) share no year for {country_code}"
        )
    reason = _rate_reason(out["received__count"], out["ncmec_sent__count"])
    out["coverage__pct"] = (out["received__count"] / out["ncmec_sent__count"] * 100).where(reason == "")
    out["status"] = np.where(reason == "", COMPUTED, NOT_COMPUTABLE)
    out["basis_note"] = reason
    return out.assign(country_code=country_code)[
        ["country_code", "year", "received__count", "ncmec_sent__count", "coverage__pct",
         "status", "basis_note"]
    ].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# 6. Children identified, by sex (Table 8)
# ---------------------------------------------------------------------------------------------


def sex_shares(children: pd.DataFrame) -> pd.DataFrame:
    """Girls', boys' and unknown-sex shares of the children identified (Table 8).

    Only rows where both girls and boys are point figures. The denominator is girls + boys +
    unknown sex where the unknown-sex count is given, else girls + boys (basis_note says so;
    the unknown share is then NA, not 0).

    Parameters
    ----------
    children : pandas.DataFrame
        ``ms_children_identified``: record_id, country_code, period_start, period_end,
        girls__count, girls_flag, boys__count, boys_flag, unknown_sex__count,
        unknown_sex_flag, total__count, total_flag.

    Returns
    -------
    pandas.DataFrame
        record_id, country_code, period_start, period_end, girls__count, boys__count,
        unknown_sex__count, denominator__count, girls_share__pct, boys_share__pct,
        unknown_sex_share__pct, status (computed | not_computable: zero children),
        basis_note.
    """
    girls = _point_value(children["girls__count"], children["girls_flag"])
    boys = _point_value(children["boys__count"], children["boys_flag"])
    keep = girls.notna() & boys.notna()
    unknown = _point_value(children["unknown_sex__count"], children["unknown_sex_flag"])[keep]
    out = children.loc[keep, ["record_id", "country_code", "period_start", "period_end"]].copy()
    out["girls__count"], out["boys__count"], out["unknown_sex__count"] = girls[keep], boys[keep], unknown
    out["denominator__count"] = out["girls__count"] + out["boys__count"] + unknown.fillna(0)
    positive = out["denominator__count"] > 0
    for column in ["girls", "boys", "unknown_sex"]:
        share = out[f"{column}__count"] / out["denominator__count"] * 100
        out[f"{column}_share__pct"] = share.where(positive)
    out["status"] = np.where(positive, COMPUTED, NOT_COMPUTABLE)
    out["basis_note"] = np.select(
        [~positive, unknown.isna()],
        ["zero children", "unknown-sex count not given: shares of girls + boys"], "",
    )
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# 7. Completeness of the Article 8(1) statistics
# ---------------------------------------------------------------------------------------------

# Statistic names in the completeness output, and the ms_nonreporting statistic each maps to.
COMPLETENESS_STATISTICS = {"reports": "reports", "children_by_sex": "children", "convictions": "convictions"}


# Per-row status of Table 6: a figure (even a bound) is full; a range or a monthly rate is partial.
def _reports_row_status(received: pd.DataFrame) -> pd.DataFrame:
    full = received["flag"].isin(VALUE_FLAGS) & (received["unit"] != "reports_per_month")
    partial = (received["flag"] == "range") | (received["unit"] == "reports_per_month")
    status = np.select([full, partial], ["full", "partial"], "none")
    note = np.select([full, partial], ["", "a monthly rate or a range, not a total"], "no figure")
    return pd.DataFrame({"country_code": received["country_code"], "status": status, "note": note})


# Per-row status of Table 8: full = girls, boys and total given and adding up.
def _children_row_status(children: pd.DataFrame) -> pd.DataFrame:
    girls = _point_value(children["girls__count"], children["girls_flag"])
    boys = _point_value(children["boys__count"], children["boys_flag"])
    total = _point_value(children["total__count"], children["total_flag"])
    unknown = _point_value(children["unknown_sex__count"], children["unknown_sex_flag"])
    split = girls.notna() & boys.notna() & total.notna()
    adds_up = (girls + boys + unknown.fillna(0) == total).fillna(False)
    full = split & adds_up
    partial = ~full & (girls.notna() | boys.notna() | total.notna())
    status = np.select([full, partial], ["full", "partial"], "none")
    note = np.select(
        [full, split, partial],
        ["", "girls + boys (+ unknown) differ from total", "total only or sex split in part"],
        "no figure",
    )
    return pd.DataFrame({"country_code": children["country_code"], "status": status, "note": note})


# Per-row status of Table 9: a figure (even a bound) is full.
def _convictions_row_status(convictions: pd.DataFrame) -> pd.DataFrame:
    full = convictions["flag"].isin(VALUE_FLAGS)
    return pd.DataFrame({
        "country_code": convictions["country_code"],
        "status": np.where(full, "full", "none"), "note": np.where(full, "", "no figure"),
    })


# One status per member state: full if every row is full, none if every row is none (or no row).
def _country_status(row_status: pd.DataFrame, member_states: pd.DataFrame) -> pd.DataFrame:
    grouped = row_status.groupby("country_code").agg(
        statuses=("status", lambda s: set(s)), note=("note", lambda s: "; ".join(sorted(set(s) - {""})))
    )
    out = member_states[["country_code"]].merge(
        grouped, left_on="country_code", right_index=True, how="left", validate="one_to_one"
    )
    out["status"] = [
        "none" if not isinstance(s, set) or s == {"none"} else "full" if s == {"full"} else "partial"
        for s in out["statuses"]
    ]
    out["note"] = out["note"].fillna("no row")
    return out[["country_code", "status", "note"]]


def completeness(
    member_states: pd.DataFrame,
    received: pd.DataFrame,
    children: pd.DataFrame,
    convictions: pd.DataFrame,
    nonreporting: pd.DataFrame,
) -> pd.DataFrame:
    """How completely each member state gave each Article 8(1) statistic.

    Rules (per row, then per country: full if all rows full, none if all none or no row,
    else partial):

    - reports (Table 6): full when a figure is given (reported, approximate, or a bound);
      partial when only a range or a monthly rate is given (Latvia); none otherwise.
      The figure's definition (e.g. Slovenia counting offences) is not judged here.
    - children_by_sex (Table 8): full when girls, boys and total are given and girls + boys
      (+ unknown sex, where given) equal the total; partial when only the total, or only part
      of the split, is given, or the split does not add up; none when nothing is given.
    - convictions (Table 9): full when a figure is given; none otherwise.

    A ``partly_given`` row in ms_nonreporting turns full into partial (Slovenia's reports:
    offences, not reports). Its reason codes, and those of ``not_given_*`` rows, go into
    reason_code, ";"-joined when a country gave several reasons for one statistic.

    Returns
    -------
    pandas.DataFrame
        country_code, statistic, status (full | partial | none), reason_code, basis_note;
        one row per member state and statistic.

    Raises
    ------
    ValueError
        If a row names a country that is not in ``member_states``, or ms_nonreporting has an
        unknown statistic or two statuses for one country and statistic.
    """
    known = set(member_states["country_code"])
    for name, frame in [("ms_reports_received", received), ("ms_children_identified", children),
                        ("ms_convictions", convictions), ("ms_nonreporting", nonreporting)]:
        unknown = sorted(set(frame["country_code"]) - known)
        if unknown:  # their rows would drop out of the per-country join unseen
            raise ValueError(f"{name}: not member states {unknown}")
    parts = {
        "reports": _reports_row_status(received),
        "children_by_sex": _children_row_status(children),
        "convictions": _convictions_row_status(convictions),
    }
    out = pd.concat(
        [_country_status(rows, member_states).assign(statistic=name) for name, rows in parts.items()],
        ignore_index=True,
    )
    return _apply_nonreporting(out, nonreporting)


# One ms_nonreporting row per country and statistic: reason codes joined, a single status.
def _nonreporting_by_statistic(nonreporting: pd.DataFrame) -> pd.DataFrame:
    statistic = nonreporting["statistic"].map({v: k for k, v in COMPLETENESS_STATISTICS.items()})
    if statistic.isna().any():
        unknown = sorted(set(nonreporting["statistic"][statistic.isna()]))
        raise ValueError(f"ms_nonreporting: unknown statistic {unknown}")
    grouped = nonreporting.assign(statistic=statistic).groupby(["country_code", "statistic"])
    out = grouped.agg(
        nonreporting_status=("status", lambda s: "|".join(sorted(set(s)))),
        reason_code=("reason_code", lambda s: ";".join(str(r) for r in s if r)),
    ).reset_index()
    conflicting = out[out["nonreporting_status"].astype("str").str.contains("|", regex=False)]
    if not conflicting.empty:
        rows = conflicting["country_code"] + " " + conflicting["statistic"]
        raise ValueError(f"ms_nonreporting: conflicting statuses for {', '.join(rows)}")
    return out


# Attach ms_nonreporting: its reason codes, and partial where it says "partly given".
def _apply_nonreporting(out: pd.DataFrame, nonreporting: pd.DataFrame) -> pd.DataFrame:
    keys = ["country_code", "statistic"]
    out = out.merge(
        _nonreporting_by_statistic(nonreporting), on=keys, how="left", validate="one_to_one"
    )
    downgrade = (out["nonreporting_status"] == "partly_given") & (out["status"] == "full")
    out.loc[downgrade, "status"] = "partial"
    out["reason_code"] = out["reason_code"].astype("str").fillna("")
    out["basis_note"] = out["note"].where(~downgrade, "ms_nonreporting: partly given")
    return out[["country_code", "statistic", "status", "reason_code", "basis_note"]]


def completeness_counts(completeness_frame: pd.DataFrame) -> pd.DataFrame:
    """Number of member states per statistic and completeness status.

    Parameters
    ----------
    completeness_frame : pandas.DataFrame
        The output of ``completeness``.

    Returns
    -------
    pandas.DataFrame
        statistic, status (full | partial | none, all three always present),
        member_states__count.
    """
    grid = pd.MultiIndex.from_product(
        [list(COMPLETENESS_STATISTICS), ["full", "partial", "none"]], names=["statistic", "status"]
    )
    counts = completeness_frame.groupby(["statistic", "status"])["country_code"].nunique()
    return counts.reindex(grid, fill_value=0).rename("member_states__count").reset_index()


# ---------------------------------------------------------------------------------------------
# 8. Totals across member states: only over one common period
# ---------------------------------------------------------------------------------------------


def period_total_or_refusal(frame: pd.DataFrame, value_col: str = "value") -> pd.DataFrame:
    """Sum member-state figures only when they all cover one and the same period.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows with period_start, period_end, ``value_col`` and, optionally, flag and unit.
    value_col : str
        The column to sum.

    Returns
    -------
    pandas.DataFrame
        One row: total (NA when refused), rows__count, periods__count (distinct periods
        among rows that have one), period_start, period_end (the common period, if any),
        flag (reported, or approximate if any input is), status (summed | not_summable) and
        reason: every failed condition, "; "-separated, e.g. "units differ: offences,
        reports; periods differ: 14 distinct periods; 5 rows have no period".
    """
    no_period = frame["period_start"].isna() | frame["period_end"].isna()
    periods = frame.loc[~no_period, ["period_start", "period_end"]].drop_duplicates()
    flags = frame["flag"] if "flag" in frame else pd.Series("reported", index=frame.index)
    no_value = frame[value_col].isna()
    not_point = ~flags.isin(POINT_FLAGS) & ~no_value
    units = sorted(set(frame["unit"].dropna())) if "unit" in frame else []
    checks = [
        (frame.empty, "no rows"),
        (len(units) > 1, f"units differ: {', '.join(units)}"),
        (len(periods) > 1, f"periods differ: {len(periods)} distinct periods"),
        (no_period.any(), f"{int(no_period.sum())} rows have no period"),
        (no_value.any(), f"{int(no_value.sum())} rows have no value"),
        (not_point.any(), f"{int(not_point.sum())} rows are not point figures"),
    ]
    reason = "; ".join(text for failed, text in checks if failed)
    common = periods.iloc[0] if len(periods) == 1 and not reason else {}
    return pd.DataFrame([{
        "total": pd.NA if reason else frame[value_col].sum(),
        "rows__count": len(frame), "periods__count": len(periods),
        "period_start": common.get("period_start", pd.NaT),
        "period_end": common.get("period_end", pd.NaT),
        "flag": APPROXIMATE if (flags == "approximate").any() else "reported",
        "status": NOT_SUMMABLE if reason else SUMMED, "reason": reason,
    }])


def cannot_sum(frame: pd.DataFrame, value_col: str = "value") -> bool:
    """True when ``period_total_or_refusal`` refuses to sum ``frame``."""
    return period_total_or_refusal(frame, value_col)["status"].iat[0] == NOT_SUMMABLE


def largest(frame: pd.DataFrame, col: str, n: int = 3) -> pd.DataFrame:
    """The ``n`` rows with the largest ``col`` (missing values left out)."""
    return frame.dropna(subset=[col]).nlargest(n, col)
