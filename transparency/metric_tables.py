"""Tables of derived metrics: each states how it was computed and shows the report's printed
figure beside ours wherever the report prints one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import pandas as pd
from markupsafe import Markup

from transparency import fmt, metrics
from transparency.context import Ctx
from transparency.derived import completeness, records
from transparency.html import block, macros, paragraph, table, text
from transparency.i18n import STRINGS, t


@dataclass(frozen=True)
class Column:
    """One shown column: frame column, header string key, how to format it."""

    name: str
    header: str
    # country | provider | count | pct | pp | num1 | ratio | year | bool | status | date | note |
    # srccat | text
    kind: str = "text"


@dataclass(frozen=True)
class MetricTable:
    compute: Callable[[Ctx], pd.DataFrame]
    columns: tuple[Column, ...]
    method: str  # string key of the method sentence


def _completeness(ctx: Ctx) -> pd.DataFrame:
    return completeness(ctx.pkg)


def _children_total_check(ctx: Ctx) -> pd.DataFrame:
    rows = ctx.pkg["ms_children_identified"]
    figures = ctx.pkg["figures"].set_index("figure_id")
    out = []
    for part in ("girls", "boys", "total"):
        given = rows[rows[f"{part}_flag"].isin(metrics.POINT_FLAGS)]
        printed_id = f"ms_children_total_printed_{part}"
        printed = figures.at[printed_id, "value"] if printed_id in figures.index else pd.NA
        total = given[f"{part}__count"].sum()
        out.append({"part": part, "sum_of_rows__count": total, "printed_total__count": printed,
                    "difference__count": (total - printed) if not pd.isna(printed) else pd.NA})
    return pd.DataFrame(out)


def _ncmec_shares(ctx: Ctx) -> pd.DataFrame:
    return metrics.eu_shares(ctx.pkg["ncmec_reports_by_country"], ctx.pkg["member_states"])


def _population_shares(ctx: Ctx) -> pd.DataFrame:
    return metrics.compare_population_shares(ctx.pkg["population"], ctx.pkg["ncmec_population_share_printed"])


def _year_on_year(ctx: Ctx) -> pd.DataFrame:
    return metrics.year_on_year(ctx.pkg["ncmec_reports_by_country"],
                                breaks=metrics.break_years(ctx.pkg["series_breaks"], "ncmec_reports_by_country"))


def _coverage(ctx: Ctx) -> pd.DataFrame:
    return metrics.coverage_vs_ncmec(ctx.pkg["ms_reports_received"], ctx.pkg["ncmec_reports_by_country"])


C = Column
TABLES: dict[str, MetricTable] = {
    "reinstatement_check": MetricTable(
        lambda ctx: metrics.reinstatement_rates(ctx.pkg["provider_reinstatement_rates"]),
        (C("provider_id", "provider", "provider"), C("year", "year", "year"), C("basis", "mt_basis", "basis"),
         C("unit_basis", "unit", "unit"), C("rate_printed__pct", "printed_in_report", "pct"),
         C("rate_computed__pct", "computed", "pct"), C("difference__pp", "difference_pp", "pp"),
         C("status", "mt_status", "status"), C("basis_note", "notes", "note")),
        "method_reinstatement"),
    "reinstatement_from_appeals": MetricTable(
        lambda ctx: metrics.reinstatement_from_appeals(ctx.pkg["provider_appeals"]),
        (C("provider_id", "provider", "provider"), C("year", "year", "year"), C("measure", "mt_measure", "measure"),
         C("complaints__count", "measure:complaints", "count"), C("reinstated__count", "stage_reinstated", "count"),
         C("rate_computed__pct", "computed", "pct"), C("status", "mt_status", "status"), C("basis_note", "notes", "note")),
        "method_reinstatement_appeals"),
    "ncmec_shares_check": MetricTable(
        _ncmec_shares,
        (C("country_code", "country", "country"), C("year", "year", "year"), C("reports__count", "unit_reports", "count"),
         C("share_of_eu_total_printed__pct", "printed_in_report", "pct"), C("share_of_eu_total__pct", "computed", "pct"),
         C("difference__pp", "difference_pp", "pp"), C("matches_printed", "mt_matches", "bool")),
        "method_shares"),
    "reports_per_100k": MetricTable(
        lambda ctx: metrics.reports_per_100k(ctx.pkg["ncmec_reports_by_country"], ctx.pkg["population"]),
        (C("country_code", "country", "country"), C("year", "year", "year"), C("reports__count", "unit_reports", "count"),
         C("population__persons", "mt_population", "count"), C("reports_per_100k__count", "per_100k_short", "num1")),
        "method_per_100k"),
    "population_shares": MetricTable(
        _population_shares,
        (C("country_code", "country", "country"), C("year", "year", "year"),
         C("eu_population_share_printed__pct", "printed_in_report", "pct"),
         C("population_share_eurostat__pct", "mt_eurostat_share", "pct"), C("difference__pp", "difference_pp", "pp")),
        "method_population_shares"),
    "year_on_year": MetricTable(
        _year_on_year,
        (C("country_code", "country", "country"), C("year_from", "mt_from", "year"), C("year_to", "mt_to", "year"),
         C("from__count", "mt_from_count", "count"), C("to__count", "mt_to_count", "count"),
         C("change__pct", "mt_change", "pct"), C("caveat_code", "notes", "caveat")),
        "method_year_on_year"),
    "coverage": MetricTable(
        _coverage,
        (C("country_code", "country", "country"), C("period_start", "mt_start", "date"), C("period_end", "mt_end", "date"),
         C("received__count", "mt_received", "count"), C("ncmec_prorated__count", "mt_ncmec_prorated", "count"),
         C("coverage__pct", "mt_coverage_pct", "pct"), C("status", "mt_status", "status"), C("basis_note", "notes", "note")),
        "method_coverage"),
    "bka": MetricTable(
        lambda ctx: metrics.bka_vs_ncmec(ctx.pkg["figures"]),
        (C("country_code", "country", "country"), C("year", "year", "year"), C("received__count", "mt_bka_received", "count"),
         C("ncmec_sent__count", "mt_ncmec_sent", "count"), C("coverage__pct", "mt_coverage_pct", "pct")),
        "method_bka"),
    "sex_shares": MetricTable(
        lambda ctx: metrics.sex_shares(ctx.pkg["ms_children_identified"]),
        (C("country_code", "country", "country"), C("period_start", "mt_start", "date"), C("period_end", "mt_end", "date"),
         C("girls_share__pct", "girls", "pct"), C("boys_share__pct", "boys", "pct"),
         C("unknown_sex_share__pct", "unknown_sex", "pct"), C("status", "mt_status", "status")),
        "method_sex_shares"),
    "completeness_counts": MetricTable(
        lambda ctx: metrics.completeness_counts(_completeness(ctx)),
        (C("statistic", "mt_statistic", "stat"), C("status", "mt_status", "status"),
         C("member_states__count", "mt_member_states", "count")),
        "method_completeness"),
    "children_total_check": MetricTable(
        _children_total_check,
        (C("part", "mt_part", "part"), C("printed_total__count", "printed_in_report", "count"),
         C("sum_of_rows__count", "mt_sum_rows", "count"), C("difference__count", "mt_difference", "count")),
        "method_children_total"),
}


# How each kind of column is shown: (ctx, value) -> text (built once; _format runs per cell).
_FORMATTERS = {
    "country": lambda ctx, v: ctx.country_link(v),
    "provider": lambda ctx, v: ctx.provider_link(v),
    "count": lambda ctx, v: fmt.number(round(float(v)), ctx.lang),
    "pct": lambda ctx, v: fmt.percent(v, ctx.lang),
    "pp": lambda ctx, v: fmt.number(round(float(v), 2), ctx.lang, 2),
    "num1": lambda ctx, v: fmt.number(round(float(v), 1), ctx.lang, 1),
    "year": lambda ctx, v: str(int(v)),
    "bool": lambda ctx, v: t("matches" if v else "differs", ctx.lang),
    "date": lambda ctx, v: v.date().isoformat(),
    "status": lambda ctx, v: t(f"mt_status_{v}", ctx.lang),
    "caveat": lambda ctx, v: t(f"caveat_{v}", ctx.lang),
    "unit": lambda ctx, v: t(f"unit_{v}", ctx.lang),
    "basis": lambda ctx, v: t(f"basis_{v}", ctx.lang),
    "stat": lambda ctx, v: t(f"stat_{v}", ctx.lang),
    "part": lambda ctx, v: t(v, ctx.lang),
    "measure": lambda ctx, v: ctx.measure(v),
    "flag": lambda ctx, v: t(f"flag_{v}_long", ctx.lang),
    "scope": lambda ctx, v: t(f"scope_{v}", ctx.lang),
    "stage": lambda ctx, v: t(f"stage_{v}", ctx.lang),
    "yesno": lambda ctx, v: t("yes" if v else "no", ctx.lang),
    "srccat": lambda ctx, v: t(f"srccat_{v}", ctx.lang),
    "note": lambda ctx, v: note_text(str(v), ctx.lang),
}


def _format(ctx: Ctx, kind: str, value) -> Markup | str:
    if fmt.is_missing(value) or value == "":
        return macros("_inline.html").missing() if kind != "caveat" else ""
    formatter = _FORMATTERS.get(kind)
    return str(value) if formatter is None else formatter(ctx, value)


# The notes `metrics` writes into basis_note (a closed set of plain English phrases, two of
# them with values in them) and the string each is shown as. An unknown note stops the build.
_NOTE_PATTERNS = (
    (re.compile(r"received figure is (\w+)"), lambda m: ("note_received_" + m[1], {})),
    (re.compile(r"unit is (\w+)"), lambda m: ("note_unit_" + m[1], {})),
    (re.compile(r"period runs to (\S+); needs NCMEC data for (.+), which cover (.+)"),
     lambda m: ("note_period_uncovered", {"end": m[1], "years": m[2], "covered": m[3]})),
)


def _note_key(note: str) -> tuple[str, dict]:
    for pattern, key in _NOTE_PATTERNS:
        match = pattern.fullmatch(note)
        if match:
            return key(match)
    return "note_" + re.sub(r"[^a-z0-9]+", "_", note.lower()).strip("_"), {}


def note_text(note: str, lang: str) -> str:
    """A metric's basis_note in ``lang``; several notes of one country joined by "; " are
    shown each in turn (a note may itself contain "; ")."""
    name, values = _note_key(note)
    if name not in STRINGS and "; " in note:
        return "; ".join(note_text(part, lang) for part in note.split("; "))
    return t(name, lang, **values)


# A column heading: an interface string, or "measure:<id>" for a measure's label from the data.
def _header(ctx: Ctx, key: str) -> str:
    kind, _, measure = key.partition(":")
    return ctx.measure(measure) if kind == "measure" and measure else t(key, ctx.lang)


def metric_table(ctx: Ctx, metric_id: str) -> Markup:
    """A derived metric as a table, with a sentence on how it was computed."""
    if metric_id not in TABLES:
        raise ValueError(f"unknown metric table {metric_id!r}; expected one of {sorted(TABLES)}")
    spec = TABLES[metric_id]
    frame = spec.compute(ctx)
    columns = [c for c in spec.columns if c.name in frame.columns]
    if columns and columns[0].kind == "country":  # rows by the names shown, not by their codes
        frame = by_country_name(ctx, frame)
    rows = [[_format(ctx, c.kind, row[c.name]) for c in columns] for row in records(frame)]
    numeric = [i for i, c in enumerate(columns) if c.kind in ("count", "pct", "pp", "num1")]
    return block(
        table([_header(ctx, c.header) for c in columns], rows, caption=t(f"mt_{metric_id}", ctx.lang),
              numeric=numeric, table_id=f"metric-{metric_id.replace('_', '-')}"),
        break_notes(ctx, "ncmec_reports_by_country") if metric_id in _SERIES_TABLES else "",
        paragraph(macros("_inline.html").lead(t("how_computed", ctx.lang), t(spec.method, ctx.lang)), "metric-method"))


# Metric tables that compare the years of the NCMEC series, so they say where it breaks.
_SERIES_TABLES = ("year_on_year",)


def break_notes(ctx: Ctx, series: str) -> Markup:
    """One paragraph per break in ``series``: from which year, and why (from series_breaks)."""
    breaks = ctx.pkg["series_breaks"]
    rows = breaks[breaks["series"] == series].sort_values("year")
    return block(*(paragraph(t("break_note", ctx.lang, year=int(row["year"]), reason=text(row, "reason", ctx.lang)),
                             "series-break") for row in records(rows)))


def coverage_assumption(ctx: Ctx) -> Markup:
    text = metrics.ASSUMPTION_EN if ctx.lang == "en" else metrics.ASSUMPTION_SV
    return paragraph(text, "assumption")


def by_country_name(ctx: Ctx, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (with ``country_code``) in the alphabetical order of the member states' names in
    the page's language (fmt.collation_key: Swedish ends ... Z, Å, Ä, Ö), not of their codes
    (Germany before Denmark); a country's rows keep their order (its years stay in order)."""
    codes = frame["country_code"].tolist()
    keys = {code: fmt.collation_key(ctx.country_name(code), ctx.lang) for code in set(codes)}
    order = sorted(range(len(frame)), key=lambda i: keys[codes[i]])
    return frame.iloc[order]


# For other tables laid out like these (the chart tables in charts.py).
def cell(ctx: Ctx, kind: str, value):
    """``value`` formatted as a column of ``kind`` (see `Column`) for the page's language."""
    return _format(ctx, kind, value)


def heading(ctx: Ctx, key: str) -> str:
    """A column heading from its string key (or ``measure:<id>``)."""
    return _header(ctx, key)
