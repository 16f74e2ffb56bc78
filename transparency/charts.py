"""Plotly charts built from the data and the metrics, each with its table, text alternative,
source and CSV.

A chart is a ``Chart``: the exact numbers it plots (a DataFrame, also offered as CSV and shown
as a table), a one-sentence takeaway computed from those numbers, and a Plotly figure. The
figure is drawn at build time as SVG (``svgchart``; the map by ``static_map``), which the page
shows first; it is also written as JSON into ``data-plotly`` on a ``<div>``, and
``docs/assets/js/charts.js`` draws it with the site's own partial Plotly bundle when the reader
asks, so pages carry no inline script and run no Plotly before they settle. Each chart also
has downloads named after it and the data version (CSV shared by both languages, SVG per
language, PNG made in the browser from that SVG) and an embed page (``embed/CHART-ID/``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Callable

import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup
from plotly.subplots import make_subplots
from plotly.utils import PlotlyJSONEncoder

from transparency import fmt, metric_tables, metrics, sources, static_map, svgchart
from transparency.context import Ctx
from transparency.derived import completeness, derived
from transparency.html import block, link, paragraph, source_label, table
from transparency.i18n import t
from transparency.metric_tables import Column

# Plotly's d3-format separators per language: decimal point, then thousands separator.
SEPARATORS = {"en": ".,", "sv": ", "}
# Map and categorical colours readable in both palettes (colour-blind safe, Okabe-Ito).
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
STATUS_LEVEL = {"none": 0, "partial": 1, "full": 2}
# EU-27 outlines shipped with the site (site-root relative; charts.js resolves it).
GEOJSON_URL = "assets/geo/eu27.geojson"


@dataclass(frozen=True)
class Chart:
    """What one chart shows: its numbers, a takeaway, the figure, and where the data is from."""

    numbers: pd.DataFrame
    takeaway: str
    figure: go.Figure
    sources: tuple[str, ...]
    alt: str
    years: tuple[int, ...] = ()
    # Drawn in the page before Plotly (maps): Plotly then draws only when the reader asks.
    preview: Markup | None = None
    # The source line, when the rows come from several publications (sources.cite).
    cited: str = ""


def _layout(fig: go.Figure, ctx: Ctx, **extra) -> go.Figure:
    # Full numbers on every axis ("10 000", not "10k"), with room for their labels.
    fig.update_xaxes(automargin=True, exponentformat="none")
    fig.update_yaxes(automargin=True, exponentformat="none")
    fig.update_layout(separators=SEPARATORS[ctx.lang], margin=dict(l=8, r=8, t=24, b=8),
                      legend=dict(orientation="h", y=-0.15), font=dict(family="inherit"), **extra)
    return fig


def _hover_value(ctx: Ctx, value, flag: str) -> str:
    return str(fmt.value_html(value, flag, ctx.lang).striptags())


# --- Providers ------------------------------------------------------------------------------

def provider_detections(ctx: Ctx) -> Chart:
    rows = ctx.pkg["provider_detections"]
    rows = rows[rows["flag"].isin(metrics.VALUE_FLAGS)].copy()
    rows["provider"] = rows["provider_id"].map(ctx.provider_name)
    units = [u for u in ("accounts", "content_items") if u in set(rows["unit"])]
    fig = make_subplots(rows=1, cols=len(units), subplot_titles=[t(f"unit_{u}", ctx.lang) for u in units])
    years = sorted(rows["year"].unique())
    for col, unit in enumerate(units, start=1):
        for index, year in enumerate(years):
            part = rows[(rows["unit"] == unit) & (rows["year"] == year)]
            fig.add_trace(go.Bar(
                x=list(part["provider"]), y=[float(v) for v in part["value"]], name=str(year),
                legendgroup=str(year), showlegend=col == 1, marker_color=COLOURS[index % len(COLOURS)],
                hovertext=[f"{p} {year}: {_hover_value(ctx, v, f)} ({t('scope_' + s, ctx.lang)})"
                           for p, v, f, s in zip(part["provider"], part["value"], part["flag"], part["scope"])],
                hoverinfo="text"), row=1, col=col)
    fig.update_yaxes(type="log", dtick=1)
    top = rows.sort_values("value").iloc[-1]
    numbers = rows[["provider_id", "year", "unit", "scope", "value", "flag", "period_start", "period_end"]]
    return Chart(numbers, t("tk_provider_detections", ctx.lang, provider=top["provider"], year=int(top["year"]),
                            unit=t(f"unit_{top['unit']}", ctx.lang)),
                 _layout(fig, ctx), ("table_1", "table_2"), t("alt_provider_detections", ctx.lang))


def _funnel_numbers(ctx: Ctx) -> pd.DataFrame:
    rates = ctx.pkg["provider_reinstatement_rates"]
    rows = []
    for (provider, year, unit), part in rates.groupby(["provider_id", "year", "unit_basis"], sort=False):
        by_basis = {r["basis"]: r for _, r in part.iterrows()}
        appeals, actioned = by_basis.get("of_appeals"), by_basis.get("of_actioned")
        stages = {"actioned": (actioned, "denominator"), "appealed": (appeals, "denominator"),
                  "reinstated": (appeals if appeals is not None else actioned, "numerator")}
        for stage, (row, column) in stages.items():
            if row is not None and not pd.isna(row[column]):
                rows.append({"provider_id": provider, "year": int(year), "unit_basis": unit, "stage": stage,
                             "value": float(row[column]), "flag": row[f"{column}_flag"]})
    return pd.DataFrame(rows)


def appeal_funnel(ctx: Ctx) -> Chart:
    numbers = _funnel_numbers(ctx)
    fig = go.Figure()
    numbers["group"] = [f"{ctx.provider_name(p)} {y} ({t('unit_' + u, ctx.lang)})"
                        for p, y, u in zip(numbers["provider_id"], numbers["year"], numbers["unit_basis"])]
    for index, stage in enumerate(["actioned", "appealed", "reinstated"]):
        part = numbers[numbers["stage"] == stage]
        fig.add_trace(go.Bar(x=list(part["group"]), y=list(part["value"]), name=t(f"stage_{stage}", ctx.lang),
                             marker_color=COLOURS[index],
                             hovertext=[f"{g}: {_hover_value(ctx, v, f)}" for g, v, f in
                                        zip(part["group"], part["value"], part["flag"])], hoverinfo="text"))
    fig.update_yaxes(type="log", dtick=1, title=t("axis_count_log", ctx.lang))
    return Chart(numbers.drop(columns="group"), t("tk_appeal_funnel", ctx.lang), _layout(fig, ctx, barmode="group"),
                 ("table_5",), t("alt_appeal_funnel", ctx.lang))


def reinstatement_rates(ctx: Ctx) -> Chart:
    computed = metrics.reinstatement_rates(ctx.pkg["provider_reinstatement_rates"])
    numbers = computed[computed["status"] != metrics.NOT_COMPUTABLE].copy()
    numbers["label"] = [f"{ctx.provider_name(p)} {y} ({t('unit_' + u, ctx.lang)})"
                        for p, y, u in zip(numbers["provider_id"], numbers["year"], numbers["unit_basis"])]
    fig = go.Figure()
    for index, basis in enumerate(["of_appeals", "of_actioned"]):
        part = numbers[numbers["basis"] == basis]
        fig.add_trace(go.Bar(x=list(part["label"]), y=[float(v) for v in part["rate_computed__pct"]],
                             name=t(f"basis_{basis}", ctx.lang), marker_color=COLOURS[index]))
    fig.update_yaxes(title=t("axis_pct", ctx.lang), ticksuffix="%" if ctx.lang == "en" else " %")
    top = numbers.sort_values("rate_computed__pct").iloc[-1]
    return Chart(numbers.drop(columns="label"),
                 t("tk_reinstatement", ctx.lang, label=top["label"], rate=fmt.percent(top["rate_computed__pct"], ctx.lang)),
                 _layout(fig, ctx, barmode="group"), ("table_5",), t("alt_reinstatement", ctx.lang))


# --- NCMEC ----------------------------------------------------------------------------------

def _per_100k(ctx: Ctx) -> pd.DataFrame:
    out = metrics.reports_per_100k(ctx.pkg["ncmec_reports_by_country"], ctx.pkg["population"])
    out["name"] = out["country_code"].map(ctx.country_name)
    return out


def ncmec_map(ctx: Ctx) -> Chart:
    numbers = _per_100k(ctx)
    years = sorted(int(y) for y in numbers["year"].unique())
    high = float(numbers["reports_per_100k__count"].max())
    fig = go.Figure()
    for year in years:
        part = numbers[numbers["year"] == year]
        fig.add_trace(go.Choropleth(
            locations=list(part["country_code"]), z=[round(float(v), 1) for v in part["reports_per_100k__count"]],
            locationmode="geojson-id", geojson=GEOJSON_URL, featureidkey="id", zmin=0, zmax=high,
            colorscale="Blues", reversescale=False, visible=year == years[-1], name=str(year), meta={"year": year},
            text=list(part["name"]), hovertemplate="%{text}: %{z}<extra></extra>",
            colorbar=dict(title=dict(text=t("per_100k_short", ctx.lang)), orientation="h", y=-0.05)))
    # An equal-area view of Europe that shows the northern and island member states whole.
    view = static_map.View(lon0=10, lat0=52, lon_range=(-11, 36), lat_range=(34.5, 71))
    fig.update_geos(visible=False, showland=True, fitbounds=False, projection_type="azimuthal equal area",
                    projection_rotation=dict(lon=view.lon0, lat=view.lat0), lonaxis_range=list(view.lon_range),
                    lataxis_range=list(view.lat_range))
    def rate(value) -> str:  # one decimal, as the map's hover labels show it
        return fmt.number(round(float(value), 1), ctx.lang, 1)

    per_year = {year: {code: (float(v), f"{name}: {rate(v)}")
                       for code, name, v in zip(part["country_code"], part["name"], part["reports_per_100k__count"])}
                for year, part in numbers.groupby("year")}
    preview = static_map.svg(view, per_year, zmax=high, scale_name="Blues", legend=t("per_100k_short", ctx.lang),
                             low=fmt.number(0, ctx.lang), high=rate(high), shown=years[-1], ident="ncmec-map")
    latest = numbers[numbers["year"] == years[-1]].sort_values("reports_per_100k__count")
    top, bottom = latest.iloc[-1], latest.iloc[0]
    takeaway = t("tk_map", ctx.lang, year=years[-1], top=top["name"], top_v=rate(top["reports_per_100k__count"]),
                 bottom=bottom["name"], bottom_v=rate(bottom["reports_per_100k__count"]))
    return Chart(numbers.drop(columns="name"), takeaway, _layout(fig, ctx, height=520), ("table_7",),
                 t("alt_map", ctx.lang), tuple(years), preview, sources.cite(ctx, ctx.pkg["ncmec_reports_by_country"]))


def ncmec_share_vs_population(ctx: Ctx) -> Chart:
    pkg = ctx.pkg
    index = metrics.representation_index(pkg["ncmec_reports_by_country"], pkg["population"],
                                         pkg["ncmec_population_share_printed"], pkg["member_states"])
    index["name"] = index["country_code"].map(ctx.country_name)
    share_col, pop_col = "share_of_eu_total__pct", "population_share_eurostat__pct"
    fig = go.Figure()
    for n, year in enumerate(sorted(index["year"].unique())):
        part = index[index["year"] == year]
        fig.add_trace(go.Scatter(x=[float(v) for v in part[pop_col]], y=[float(v) for v in part[share_col]],
                                 mode="markers", name=str(int(year)), text=list(part["name"]),
                                 marker=dict(color=COLOURS[n % len(COLOURS)], size=9),
                                 hovertemplate="%{text}: %{x:.2f} → %{y:.2f}<extra>" + str(int(year)) + "</extra>"))
    top = float(max(index[pop_col].max(), index[share_col].max()))
    fig.add_trace(go.Scatter(x=[0, top], y=[0, top], mode="lines", name=t("equal_share", ctx.lang),
                             line=dict(dash="dot", color="#888888"), hoverinfo="skip"))
    fig.update_xaxes(title=t("axis_pop_share", ctx.lang))
    fig.update_yaxes(title=t("axis_report_share", ctx.lang))
    numbers = index.drop(columns="name")
    over = numbers[numbers["year"] == numbers["year"].max()]
    ratio_col = "representation_index_eurostat__ratio"
    return Chart(numbers, t("tk_share_vs_pop", ctx.lang, n=int((over[ratio_col] > 1).sum()), total=len(over),
                            year=int(over["year"].max())),
                 _layout(fig, ctx), ("table_7",), t("alt_share_vs_pop", ctx.lang),
                 cited=sources.cite(ctx, pkg["ncmec_reports_by_country"]))


def _figure_series(ctx: Ctx, measures: dict[str, str]) -> pd.DataFrame:
    figures = ctx.pkg["figures"]
    rows = figures[figures["measure"].isin(list(measures))].copy()
    if rows.empty:
        raise ValueError(f"figures.csv has none of the measures {sorted(measures)}")
    rows["label"] = rows["measure"].map(lambda m: t(measures[m], ctx.lang))
    return rows


def _figure_bars(ctx: Ctx, rows: pd.DataFrame, log: bool = False) -> go.Figure:
    fig = go.Figure()
    for index, year in enumerate(sorted(rows["year"].dropna().unique())):
        part = rows[rows["year"] == year]
        fig.add_trace(go.Bar(x=list(part["label"]), y=[float(v) for v in part["value"]], name=str(int(year)),
                             marker_color=COLOURS[index % len(COLOURS)],
                             hovertext=[f"{l} {int(year)}: {_hover_value(ctx, v, f)}" for l, v, f in
                                        zip(part["label"], part["value"], part["flag"])], hoverinfo="text"))
    if log:
        fig.update_yaxes(type="log", dtick=1, title=t("axis_count_log", ctx.lang))
    return _layout(fig, ctx, barmode="group")


# Measures in `figures` that the NCMEC charts plot, and the label key of each.
SERVICE_TYPES = {"reports_sent_eu_messaging": "svc_chat", "reports_sent_eu_social_gaming": "svc_social"}
GLOBAL_CATEGORIES = {"reports_received_csam": "cat_csam", "reports_received_grooming": "cat_grooming",
                     "reports_received_trafficking": "cat_trafficking"}


def ncmec_service_type(ctx: Ctx) -> Chart:
    rows = _figure_series(ctx, SERVICE_TYPES)
    rows = rows[rows["unit"] == "reports"]
    numbers = rows[["figure_id", "measure", "year", "value", "flag", "scope"]]
    return Chart(numbers, t("tk_service_type", ctx.lang), _figure_bars(ctx, rows), tuple(sorted(set(rows["source"]))),
                 t("alt_service_type", ctx.lang))


def ncmec_global_categories(ctx: Ctx) -> Chart:
    rows = _figure_series(ctx, GLOBAL_CATEGORIES)
    rows = rows[rows["unit"] == "reports"]
    numbers = rows[["figure_id", "measure", "year", "value", "flag", "scope"]]
    return Chart(numbers, t("tk_global_categories", ctx.lang), _figure_bars(ctx, rows, log=True),
                 tuple(sorted(set(rows["source"]))), t("alt_global_categories", ctx.lang))


# --- Member states --------------------------------------------------------------------------

# Member-state rows that carry a figure and a period, in the report's order, labelled with both.
def _country_rows(ctx: Ctx, resource: str, flag: str) -> pd.DataFrame:
    rows = ctx.pkg[resource]
    rows = rows[rows[flag].isin(metrics.VALUE_FLAGS) & rows["period_start"].notna()].copy()
    order = {code: i for i, code in enumerate(ctx.country_codes())}
    rows["order"] = rows["country_code"].map(order)
    rows["label"] = [f"{ctx.country_name(c)} ({p})" for c, p in
                     zip(rows["country_code"], rows[f"period_label_{ctx.lang}"])]
    return rows.sort_values(["order", "period_start"], ascending=[False, True])


def ms_reports_received(ctx: Ctx) -> Chart:
    rows = _country_rows(ctx, "ms_reports_received", "flag")
    rows = rows[rows["unit"] == "reports"]
    start = rows["period_start"].dt.strftime("%Y-%m-%d")
    length_ms = (rows["period_end"] - rows["period_start"] + pd.Timedelta(days=1)).dt.days * 86_400_000
    fig = go.Figure(go.Bar(
        y=list(rows["label"]), x=[int(v) for v in length_ms], base=list(start), orientation="h",
        text=[_hover_value(ctx, v, f) for v, f in zip(rows["value"], rows["flag"])], textposition="inside",
        marker_color=COLOURS[0], hovertemplate="%{y}: %{text}<extra></extra>", name=ctx.measure("reports_received")))
    fig.update_xaxes(type="date", title=t("period", ctx.lang))
    numbers = rows[["country_code", "period_start", "period_end", "value", "flag", "source_category"]]
    refused = metrics.period_total_or_refusal(rows)
    return Chart(numbers, t("tk_received", ctx.lang, n=len(rows), periods=int(refused["periods__count"].iloc[0])),
                 _layout(fig, ctx, height=max(360, 26 * len(rows)), showlegend=False), ("table_6",),
                 t("alt_received", ctx.lang))


def ms_children_by_sex(ctx: Ctx) -> Chart:
    rows = _country_rows(ctx, "ms_children_identified", "total_flag")
    rows = rows[rows["girls_flag"].isin(metrics.VALUE_FLAGS) & rows["boys_flag"].isin(metrics.VALUE_FLAGS)]
    fig = go.Figure()
    for index, part in enumerate(("girls", "boys", "unknown_sex")):
        values = rows[f"{part}__count"].astype("Float64").fillna(0)
        if part == "unknown_sex" and not (values > 0).any():
            continue
        fig.add_trace(go.Bar(y=list(rows["label"]), x=[float(v) for v in values], orientation="h",
                             name=t(part, ctx.lang), marker_color=COLOURS[index]))
    shares = metrics.sex_shares(ctx.pkg["ms_children_identified"])
    girls_col = next(c for c in shares.columns if c.startswith("girls_share"))
    numbers = rows[["country_code", "period_start", "period_end", "girls__count", "boys__count",
                    "unknown_sex__count", "total__count"]]
    return Chart(numbers, t("tk_children", ctx.lang, n=int((shares[girls_col] > 50).sum()), total=len(shares)),
                 _layout(fig, ctx, barmode="stack", height=max(360, 28 * len(rows))), ("table_8",),
                 t("alt_children", ctx.lang))


def ms_convictions(ctx: Ctx) -> Chart:
    rows = _country_rows(ctx, "ms_convictions", "flag")
    fig = go.Figure(go.Bar(y=list(rows["label"]), x=[float(v) for v in rows["convictions__count"]], orientation="h",
                           marker_color=COLOURS[2], name=ctx.measure("convictions")))
    fig.update_xaxes(type="log", dtick=1, title=t("axis_count_log", ctx.lang))
    numbers = rows[["country_code", "period_start", "period_end", "convictions__count", "flag"]]
    return Chart(numbers, t("tk_convictions", ctx.lang, n=rows["country_code"].nunique(),
                            total=len(ctx.country_codes())),
                 _layout(fig, ctx, height=max(360, 26 * len(rows)), showlegend=False), ("table_9",),
                 t("alt_convictions", ctx.lang))


def ms_completeness(ctx: Ctx) -> Chart:
    pkg = ctx.pkg
    status = completeness(pkg)
    codes = ctx.country_codes()
    stats = list(dict.fromkeys(status["statistic"]))
    grid = status.pivot(index="country_code", columns="statistic", values="status").reindex(codes)[stats]
    fig = go.Figure(go.Heatmap(
        z=[[STATUS_LEVEL[v] for v in row] for row in grid.values.tolist()],
        x=[t(f"stat_{s}", ctx.lang) for s in stats], y=[ctx.country_name(c) for c in codes],
        text=[[t(f"status_{v}", ctx.lang) for v in row] for row in grid.values.tolist()],
        texttemplate="%{text}", hovertemplate="%{y} · %{x}: %{text}<extra></extra>", zmin=0, zmax=2,
        colorscale=[[0, "#D55E00"], [0.5, "#F0E442"], [1, "#009E73"]], showscale=False, xgap=2, ygap=2))
    fig.update_yaxes(autorange="reversed")
    full = (status.groupby("country_code")["status"].agg(set) == {"full"}).sum()
    return Chart(status, t("tk_completeness", ctx.lang, n=int(full), total=len(codes)),
                 _layout(fig, ctx, height=760), ("section_2.2",), t("alt_completeness", ctx.lang))


BUILDERS: dict[str, Callable[[Ctx], Chart]] = {
    "provider_detections": provider_detections,
    "appeal_funnel": appeal_funnel,
    "reinstatement_rates": reinstatement_rates,
    "ncmec_map": ncmec_map,
    "ncmec_share_vs_population": ncmec_share_vs_population,
    "ncmec_service_type": ncmec_service_type,
    "ncmec_global_categories": ncmec_global_categories,
    "ms_reports_received": ms_reports_received,
    "ms_children_by_sex": ms_children_by_sex,
    "ms_convictions": ms_convictions,
    "ms_completeness": ms_completeness,
}


def build(ctx: Ctx, chart_id: str) -> Chart:
    """The chart, built once per package and language (its page and the CSV downloads share it)."""
    if chart_id not in BUILDERS:
        raise ValueError(f"unknown chart {chart_id!r}; expected one of {sorted(BUILDERS)}")
    return derived(ctx.pkg, ("chart", chart_id, ctx.lang), lambda pkg: BUILDERS[chart_id](ctx))


# --- HTML -----------------------------------------------------------------------------------

def _spec(chart: Chart) -> str:
    """The figure as compact JSON, without plotly.py's large default template."""
    spec = chart.figure.to_plotly_json()
    spec["layout"].pop("template", None)
    return json.dumps(spec, cls=PlotlyJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# How each column of a chart's numbers is shown to a reader: heading (string key, with its
# unit) and kind (metric_tables.Column). Columns not listed (internal ids) stay in the CSV only.
COLUMNS = {c.name: c for c in (
    Column("country_code", "country", "country"), Column("provider_id", "provider", "provider"),
    Column("year", "year", "year"), Column("measure", "mt_measure", "measure"),
    Column("period_start", "mt_start", "date"), Column("period_end", "mt_end", "date"),
    Column("unit", "unit", "unit"), Column("unit_basis", "unit", "unit"), Column("scope", "scope", "scope"),
    Column("basis", "mt_basis", "basis"), Column("stage", "col_stage", "stage"),
    Column("value", "pf_col_value", "count"), Column("flag", "col_flag", "flag"),
    Column("girls__count", "col_girls", "count"), Column("boys__count", "col_boys", "count"),
    Column("unknown_sex__count", "col_unknown_sex", "count"), Column("total__count", "col_total_children", "count"),
    Column("convictions__count", "col_convictions", "count"), Column("source_category", "report_source"),
    Column("reports__count", "col_reports", "count"), Column("population__persons", "mt_population", "count"),
    Column("reports_per_100k__count", "mt_reports_per_100k", "num1"),
    Column("share_of_eu_total__pct", "col_share_of_eu_total_pct", "pct"),
    Column("population_share_eurostat__pct", "col_population_share_eurostat_pct", "pct"),
    Column("eu_population_share_printed__pct", "col_population_share_printed_pct", "pct"),
    Column("representation_index_eurostat__ratio", "col_representation_eurostat", "pp"),
    Column("representation_index_printed__ratio", "col_representation_printed", "pp"),
    Column("numerator__count", "col_numerator", "count"), Column("denominator__count", "col_denominator", "count"),
    Column("rate_computed__pct", "col_rate_computed_pct", "pct"), Column("rate_printed__pct", "col_rate_printed_pct", "pct"),
    Column("difference__pp", "difference_pp", "pp"), Column("matches_printed", "mt_matches", "bool"),
    Column("discrepancy", "col_discrepancy", "yesno"), Column("statistic", "mt_statistic", "stat"),
    Column("status", "mt_status", "status"), Column("reason_code", "col_reason"), Column("basis_note", "notes"),
)}
# Internal ids, shown through another column (figure_id: its measure).
HIDDEN = ("figure_id",)
NUMERIC_KINDS = ("count", "pct", "pp", "num1")


def _numbers_table(ctx: Ctx, chart: Chart, title: str) -> Markup:
    """The chart's numbers as a reader's table: names, headings with units, years as years."""
    unknown = [c for c in chart.numbers.columns if c not in COLUMNS and c not in HIDDEN]
    if unknown:
        raise ValueError(f"chart columns {unknown} have no heading in charts.COLUMNS")
    columns = [COLUMNS[c] for c in chart.numbers.columns if c in COLUMNS]
    rows = [[metric_tables.cell(ctx, c.kind, row[c.name]) for c in columns] for _, row in chart.numbers.iterrows()]
    numeric = [i for i, c in enumerate(columns) if c.kind in NUMERIC_KINDS]
    return table([metric_tables.heading(ctx, c.header) for c in columns], rows, caption=title, numeric=numeric)


def slug(chart_id: str) -> str:
    """The chart's id in addresses and file names: ``ms_convictions`` -> ``ms-convictions``."""
    return chart_id.replace("_", "-")


def download_name(chart_id: str, version: str, lang: str, ext: str) -> str:
    """``ms-convictions-v1.2.0.csv`` (one CSV for both languages), ``ms-convictions-v1.2.0.svg``
    (English) and ``ms-convictions-v1.2.0-sv.svg`` (Swedish; PNG likewise)."""
    assert ext in ("csv", "svg", "png"), ext
    suffix = "" if ext == "csv" or lang == "en" else f"-{lang}"
    return f"{slug(chart_id)}-v{version}{suffix}.{ext}"


# Code columns of the chart numbers and the names written beside them in the CSV, per language.
_NAMES = {"country_code": ("country_name", "member_states", "name_{lang}"),
          "provider_id": ("provider_name", "providers", "name"),
          "measure": ("measure_label", "measures", "label_{lang}")}


def _with_names(frame: pd.DataFrame, pkg) -> pd.DataFrame:
    """``frame`` with each code column followed by its name in English and Swedish (one name
    column where the name is the same in both, as for providers)."""
    out = frame.copy()
    for code, (name, resource, column) in _NAMES.items():
        if code not in out:
            continue
        table = pkg[resource].set_index(code)
        at = list(out.columns).index(code) + 1
        langs = ("en", "sv") if "{lang}" in column else ("",)
        for offset, lang in enumerate(langs):
            names = table[column.format(lang=lang)]
            unknown = sorted(set(out[code].dropna()) - set(names.index))
            assert not unknown, f"chart numbers name {code} {unknown} missing from {resource}.csv"
            out.insert(at + offset, f"{name}_{lang}" if lang else name, out[code].map(names))
    return out


def chart_csv(chart: Chart, pkg=None, source: str = "") -> str:
    """The chart's numbers as CSV: ISO dates, "." decimals, unit-named columns, counts as
    integers; with ``pkg``, names beside codes and, on every row, the ``source`` and the
    ``data_version`` (columns, not comment lines, so that any CSV reader keeps them)."""
    frame = chart.numbers.copy()
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(frame[column]):
            present = frame[column].dropna()
            if len(present) and (present == present.round()).all():
                frame[column] = frame[column].round().astype("Int64")  # a count: 33, not 33.0000
            else:
                frame[column] = frame[column].round(6)
    if pkg is not None:
        frame = _with_names(frame, pkg)
        frame["source"] = source
        frame["data_version"] = pkg.version
    return frame.to_csv(index=False, lineterminator="\n")


def source_text(ctx: Ctx, chart: Chart) -> str:
    """Where the chart's numbers come from, as plain text (the page's source line)."""
    where = chart.cited or "{r}, {w}".format(r=sources.short_title(ctx, sources.commission_report(ctx)),
                                              w=", ".join(source_label(s, ctx.lang) for s in chart.sources))
    population = t("source_eurostat", ctx.lang) if "population__persons" in chart.numbers else ""
    return str(Markup(where).striptags()) + str(Markup(population).striptags())


def _figure(chart: Chart) -> dict:
    return json.loads(_spec(chart))


def static_svg(ctx: Ctx, chart_id: str, chart: Chart) -> Markup:
    """The chart drawn at build time, narrow (phones) and wide; CSS shows the one that fits."""
    figure = _figure(chart)
    title = t(f"chart_{chart_id}", ctx.lang)
    return Markup("").join(
        svgchart.render(figure, lang=ctx.lang, title=title, description=chart.alt, layout=layout,
                        ident=f"svg-{slug(chart_id)}-{layout.name}", chart=chart_id)
        for layout in (svgchart.NARROW, svgchart.WIDE))


def export_footer(ctx: Ctx, chart: Chart, site_url: str) -> list[str]:
    """The lines under an exported chart: source, licences, the site's address and data version."""
    pkg = ctx.pkg
    licence = pkg.descriptor["licenses"][0]
    report = sources.commission_report(ctx)
    known = pkg["sources"].set_index("source_id")
    line = t("export_licence", ctx.lang, licence=licence["name"], url=licence["path"],
             report=sources.short_title(ctx, report), reuse=known.at[report, "licence"])
    if "population__persons" in chart.numbers:
        eurostat = pkg.resource("population")["x-source-id"]
        line += t("export_licence_eurostat", ctx.lang, reuse=known.at[eurostat, "licence"])
    address = site_url or pkg.descriptor.get("homepage", "")
    return [t("export_source", ctx.lang, source=source_text(ctx, chart)), line,
            t("export_address", ctx.lang, url=address, version=pkg.version)]


def export_svg(ctx: Ctx, chart_id: str, site_url: str = "") -> str:
    """The chart's SVG download: title, takeaway, chart, source, licence, address, version."""
    chart = build(ctx, chart_id)
    figure = _figure(chart)
    if chart.preview is not None:  # the map: its own build-time drawing has no figure to lay out
        figure = None
    title = t(f"chart_{chart_id}", ctx.lang)
    footer = export_footer(ctx, chart, site_url)
    if figure is None:
        return svgchart.export_preview(chart.preview, lang=ctx.lang, title=title, takeaway=chart.takeaway,
                                       footer=footer, ident=f"export-{slug(chart_id)}")
    return svgchart.export(figure, lang=ctx.lang, title=title, takeaway=chart.takeaway, footer=footer,
                           ident=f"export-{slug(chart_id)}", chart=chart_id)


def _language_url(ctx: Ctx, site_url: str, path: str) -> str:
    """``path`` in the page's language: absolute under ``site_url`` when the site has one."""
    if not site_url:
        return ctx.url(path)
    return site_url + ("" if ctx.lang == "en" else f"{ctx.lang}/") + path


def _tools(ctx: Ctx, chart_id: str, chart: Chart, plot_id: str, site_url: str, embedded: bool,
           part: str = "tools") -> Markup:
    """The explore button, the downloads, the chart's link and its embed code
    (``templates/chart_tools.html``)."""
    version = ctx.pkg.version
    files = {ext: ctx.site_url("downloads/charts/" + download_name(chart_id, version, ctx.lang, ext))
             for ext in ("csv", "svg")}
    embed = _language_url(ctx, site_url, f"embed/{slug(chart_id)}/")
    return Markup(_no_blank_lines(svgchart.templates().get_template("chart_tools.html").render(
        t=lambda key, **v: t(key, ctx.lang, **v), part=part, plot_id=plot_id, map=chart.preview is not None,
        anchor=f"chart-{slug(chart_id)}", csv=files["csv"], svg=files["svg"],
        png_name=download_name(chart_id, version, ctx.lang, "png"), title=t(f"chart_{chart_id}", ctx.lang),
        embed=embed, embedded=embedded, height=_embed_height(ctx, chart_id, chart))))


def _no_blank_lines(html: str) -> str:
    # A blank line would end Markdown's raw HTML block in the middle of the figure.
    return "\n".join(line for line in html.splitlines() if line.strip())


def _embed_height(ctx: Ctx, chart_id: str, chart: Chart) -> int:
    """Height for the embed iframe: the wide drawing plus title, takeaway and source lines."""
    if chart.preview is not None:
        return 720
    drawing = svgchart.scene(_figure(chart), ctx.lang, svgchart.WIDE, chart_id)
    return int(math.ceil(drawing.height / 10) * 10) + 260


def chart_block(ctx: Ctx, chart_id: str, site_url: str = "", embedded: bool = False) -> Markup:
    """Title, takeaway, the chart (drawn at build time; Plotly on demand), its numbers as a
    table, the source, downloads, a link that keeps its state, and its embed code."""
    chart = build(ctx, chart_id)
    title = t(f"chart_{chart_id}", ctx.lang)
    plot_id = f"plot-{slug(chart_id)}"
    select = Markup("")
    if chart.years:
        options = Markup("").join(Markup('<option value="{y}"{s}>{y}</option>').format(
            y=y, s=Markup(" selected") if y == chart.years[-1] else "") for y in chart.years)
        # name: the query parameter that keeps the choice in the chart's link (charts.js)
        select = Markup('<p class="chart-control"><label for="{i}-year">{l}</label> '
                        '<select id="{i}-year" name="{s}-year" class="js-plotly-select" data-target="{i}">{o}'
                        '</select></p>').format(i=plot_id, s=slug(chart_id), l=t("year", ctx.lang), o=options)
    klass = "js-plotly js-plotly--map" if chart.years else "js-plotly"
    if chart.preview:
        # The map's preview is an image without its own name: the div carries it.
        role = Markup(' role="img" aria-label="{alt}"').format(alt=chart.alt)
        inner = chart.preview
    else:
        # The static SVGs carry role="img" with the title and description.
        role, inner = Markup(""), Markup('<div class="chart-static">{s}</div>').format(s=static_svg(ctx, chart_id, chart))
    plot = Markup('<div class="{k}" id="{i}" data-plotly-draw="on-demand"{r} data-alt="{alt}" '
                  'data-plotly="{spec}">{inner}</div>').format(k=klass, i=plot_id, r=role, alt=chart.alt,
                                                               spec=_spec(chart), inner=inner)
    details = Markup('<details class="chart-data" data-search-exclude><summary>{s}</summary>{t}</details>').format(
        s=t("show_table", ctx.lang), t=_numbers_table(ctx, chart, title))
    source = paragraph(Markup("{s}: {w}.").format(s=t("source", ctx.lang), w=source_text(ctx, chart)),
                       "chart-source")
    explore = _tools(ctx, chart_id, chart, plot_id, site_url, embedded, "explore")
    tools = _tools(ctx, chart_id, chart, plot_id, site_url, embedded)
    # On an embed page the page's heading is the chart's title.
    heading = Markup("") if embedded else Markup('<strong class="chart-title">{t}</strong> ').format(t=title)
    return Markup('<figure class="chart" id="chart-{id}"><figcaption>{heading}'
                  '<span class="chart-takeaway">{take}</span></figcaption>{body}</figure>').format(
        id=slug(chart_id), heading=heading, take=chart.takeaway,
        body=block(select, plot, explore, details if not embedded else Markup(""), source, tools))


def embed_block(ctx: Ctx, chart_id: str, site_url: str = "", page: str = "") -> Markup:
    """An embed page's body: the chart with its takeaway, source, downloads and licence, and a
    link to the page (``page``, in this language) where it stands with its table and notes."""
    chart = build(ctx, chart_id)
    licence = Markup("").join(paragraph(line, "chart-source") for line in export_footer(ctx, chart, site_url)[1:])
    more = paragraph(link(ctx.url(page) + f"#chart-{slug(chart_id)}", t("chart_embed_more", ctx.lang)))
    return block(chart_block(ctx, chart_id, site_url, embedded=True), licence, more)
