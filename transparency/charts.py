"""Plotly charts built from the data and the metrics, each with its table, text alternative,
source and CSV.

A chart is a ``Chart``: the exact numbers it plots (a DataFrame, also offered as CSV and shown
as a table), a one-sentence takeaway computed from those numbers, and a Plotly figure. The
figure is a plain dict in plotly.js's own form (``{"data": [traces], "layout": {...}}``),
written without plotly.py's figure objects: validating every trace and serialising it again
was most of the site's chart time, and nothing here needs it. The figure is drawn at build
time as SVG (``svgchart``; the map by ``static_map``), which the page shows first; it is also
written as JSON into ``data-plotly`` on a ``<div>``, and
``docs/assets/js/charts.js`` draws it with the site's own partial Plotly bundle when the reader
asks, so pages carry no inline script and run no Plotly before they settle. Each chart also
has downloads named after it and the data version (CSV shared by both languages, SVG per
language, PNG made in the browser from that SVG) and an embed page (``embed/CHART-ID/``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property
from typing import Callable

import pandas as pd
from markupsafe import Markup

from transparency import colours, fmt, metric_tables, metrics, sources, static_map, svgchart
from transparency.context import Ctx
from transparency.derived import completeness, derived, lookup, records
from transparency.html import block, link, paragraph, source_label, table
from transparency.i18n import t
from transparency.metric_tables import Column

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
    # The plotly.js figure: {"data": [trace dicts, each with its "type"], "layout": {...}}.
    # Shared by the page, the drawings and the downloads: read-only.
    figure: dict
    sources: tuple[str, ...]
    alt: str
    years: tuple[int, ...] = ()
    # Drawn in the page before Plotly (maps): Plotly then draws only when the reader asks.
    preview: Markup | None = None
    # The source line, when the rows come from several publications (sources.cite).
    cited: str = ""
    # The member state drawn apart from the others (a country code), where the chart has a
    # country selector; "" for none.
    highlight: str = ""
    # One takeaway per year, for a chart with a year selector: the caption follows the year.
    takeaways: tuple[tuple[int, str], ...] = ()

    @cached_property
    def spec(self) -> str:
        """The figure as compact JSON for ``data-plotly``, made once per chart (keys sorted, so
        that the page does not change with the order the code sets them in)."""
        # allow_nan=False: a NaN is not JSON; plotly.js would get an unreadable spec.
        return json.dumps(self.figure, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    @cached_property
    def drawings(self) -> dict:
        """This chart's build-time drawings, made once and reused: its layout per ``svgchart``
        layout (the page, the SVG download and the embed height read the wide one), its page
        SVGs (a chart's page and its embed page show the same) and its source line. The chart
        is itself made once per package, language and key (``build``), so these are keyed by
        all of them."""
        return {}


# Legends sit above the plot area, horizontal, left-aligned: below it they were drawn over
# rotated tick labels, whose height Plotly does not add to the legend's margin.
LEGEND = dict(orientation="h", x=0, xanchor="left", y=1.02, yanchor="bottom")


# --- Figures as plain dicts ---------------------------------------------------------------
# plotly.js reads a figure as {"data": [...], "layout": {...}}. Each trace names its "type"
# (plotly.js would take "scatter" for one without), nested settings are nested dicts
# ({"marker": {"color": ...}}, not plotly.py's marker_color), and an axis title is
# {"text": ...}. A figure without subplots draws on layout.xaxis and layout.yaxis, which its
# traces need not name.

def _figure(*traces: dict) -> dict:
    """A figure of ``traces`` on one pair of axes."""
    return {"data": list(traces), "layout": {}}


def _title(text: str) -> dict:
    return {"text": text}


def _axis(fig: dict, letter: str, row: int = 1, col: int = 1) -> dict:
    """The layout dict of the ``letter`` ("x" or "y") axis of subplot (``row``, ``col``), made
    if the figure has none yet (a figure without subplots has the one cell (1, 1))."""
    grid = fig.get("grid", (1, 1))
    number = (row - 1) * grid[1] + col
    return fig["layout"].setdefault(f"{letter}axis{number if number > 1 else ''}", {})


def _on(fig: dict, row: int, col: int) -> dict:
    """A trace's "xaxis" and "yaxis" for subplot (``row``, ``col``) of ``_subplots``."""
    number = (row - 1) * fig["grid"][1] + col
    suffix = number if number > 1 else ""
    return {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}


def _subplots(rows: int, cols: int, shared_yaxes: bool = False, column_widths: list[float] | None = None,
              horizontal_spacing: float | None = None, vertical_spacing: float | None = None,
              subplot_titles: list[str] | None = None) -> dict:
    """An empty figure with a grid of subplots laid out as plotly.py's ``make_subplots`` lays
    them out (row 1 at the top): the same domains, to the last digit, and the same anchors,
    shared axes ("matches", tick labels on the first only) and title annotations. Traces go
    in with ``**_on(fig, row, col)``; the grid's size stays under "grid" until ``_done``."""
    # Plotly's defaults, and its arithmetic, so that the numbers are its numbers.
    if horizontal_spacing is None:
        horizontal_spacing = 0.2 / cols
    if vertical_spacing is None:
        vertical_spacing = (0.5 if subplot_titles is not None else 0.3) / rows
    room = 1.0 - horizontal_spacing * (cols - 1)
    if column_widths is None:
        widths = [room / cols] * cols
    else:
        total = float(sum(column_widths))
        widths = [room * (w / total) for w in column_widths]
    heights = [(1.0 - vertical_spacing * (rows - 1)) / rows] * rows
    layout: dict = {}
    titles = []
    for r in range(rows):
        # Rows are counted from the top; Plotly's y grid from the bottom.
        y_start = float(sum(heights[:rows - 1 - r]) + (rows - 1 - r) * vertical_spacing)
        y_end = y_start + heights[-1 - r]
        if -0.01 < y_start < 0.0:  # Plotly rounds floating-point error at the edges
            y_start = 0.0
        if 1.0 < y_end < 1.01:
            y_end = 1.0
        for c in range(cols):
            x_start = sum(widths[:c]) + c * horizontal_spacing
            number = r * cols + c + 1
            suffix = number if number > 1 else ""
            layout[f"xaxis{suffix}"] = {"domain": [x_start, x_start + widths[c]], "anchor": f"y{suffix}"}
            layout[f"yaxis{suffix}"] = {"domain": [y_start, y_end], "anchor": f"x{suffix}"}
            if c > 0 and shared_yaxes:  # each row's y axes follow its first one
                first = r * cols + 1
                layout[f"yaxis{suffix}"].update(matches=f"y{first if first > 1 else ''}", showticklabels=False)
            if subplot_titles and subplot_titles[number - 1]:
                titles.append({"y": y_end, "xref": "paper", "x": (x_start + x_start + widths[c]) / 2.0,
                               "yref": "paper", "text": subplot_titles[number - 1], "showarrow": False,
                               "font": {"size": 16}, "xanchor": "center", "yanchor": "bottom"})
    if subplot_titles is not None:
        layout["annotations"] = titles
    return {"data": [], "layout": layout, "grid": (rows, cols)}


def _axis_keys(fig: dict, letter: str) -> list[str]:
    """Every ``letter`` axis of the figure: "xaxis" (Plotly's ``update_xaxes`` makes it in a
    figure without subplots too) and those of the other subplots ("xaxis2", ...)."""
    return [f"{letter}axis"] + [k for k in fig["layout"] if k.startswith(f"{letter}axis") and k[5:].isdigit()]


def _layout(fig: dict, ctx: Ctx, **extra) -> dict:
    """The finished figure: site-wide axis and layout settings, and ``extra`` layout settings."""
    # Full numbers on every axis ("10,000", not "10k"), grouped from four digits as Babel does
    # ("1,000" / "1 000"), with the language's separators (fmt) and room for their labels.
    for letter in "xy":
        for key in _axis_keys(fig, letter):
            fig["layout"].setdefault(key, {}).update(automargin=True, exponentformat="none", separatethousands=True)
    extra.setdefault("legend", dict(LEGEND))
    extra.setdefault("margin", dict(l=8, r=8, t=24, b=8))
    fig["layout"].update(separators=fmt.plotly_separators(ctx.lang), font=dict(family="inherit"), **extra)
    return _done(fig)


def _done(fig: dict) -> dict:
    """The figure as plotly.js reads it (without the grid size ``_subplots`` keeps)."""
    fig.pop("grid", None)
    return fig


# --- A log-like scale that keeps zeros ------------------------------------------------------
# Counts here span 0 to millions. A log axis drops a zero (log 0 is undefined) and leaves an
# empty slot; a linear one hides everything beside the largest bar. Bars are therefore drawn
# at log10(1 + count) on a linear axis whose ticks are labelled with the counts: 0 sits on the
# baseline, 10, 100, ... at their log positions, and each bar carries its count as a label.

def _log1p(value: float) -> float:
    return math.log10(1 + float(value))


def _log1p_axis(ctx: Ctx, top: float, headroom: float = 1.3) -> dict:
    """Axis settings for bars drawn at log10(1 + count), up to the count ``top``."""
    top_power = max(1, math.ceil(math.log10(max(top, 1))))
    # No tick at 1 (it would touch 0), and at most four more, so that a short plot on a phone
    # keeps its tick labels apart.
    step = math.ceil(top_power / 4)
    powers = range(step, top_power + 1, step)
    ticks = [0.0] + [_log1p(10 ** k) for k in powers]
    labels = [fmt.number(0, ctx.lang)] + [fmt.compact(10 ** k, ctx.lang) for k in powers]
    return dict(tickmode="array", tickvals=ticks, ticktext=labels, range=[0, _log1p(top) * headroom],
                title=_title(t("axis_count_log0", ctx.lang)))


# A vertical bar's count, turned to read upwards above it at full size: beside the narrow bars
# of a grouped chart on a phone, level labels would be shrunk to nothing or overlap.
UPRIGHT_LABELS = dict(textposition="outside", textangle=-90, constraintext="none", cliponaxis=False)


def _baseline_labels(fig: dict, categories, values, labels, **where) -> None:
    """Write the label of each horizontal bar of length zero, or without a figure ("0", "N/A"),
    at the baseline: Plotly draws no text for a bar it draws no box for. ``where``: the
    subplot's axes (``_on``)."""
    empty = [i for i, v in enumerate(values) if fmt.is_missing(v) or float(v) == 0]
    if empty:
        fig["data"].append(dict(
            type="scatter", y=[list(categories)[i] for i in empty], x=[0] * len(empty),
            text=[list(labels)[i] for i in empty], mode="text", textposition="middle right", showlegend=False,
            hoverinfo="skip", cliponaxis=False, **where))


def _count_ticks(ctx: Ctx, top: float) -> dict:
    """A linear count axis from 0 with round ticks in the page's language (no "0.5" for counts)."""
    ticks = _nice_ticks(max(top, 3.0), 3)
    return dict(range=[0, max(top, 3.0) * 1.3], tickmode="array", tickvals=ticks,
                ticktext=[fmt.number(v, ctx.lang) for v in ticks])


def _count_labels(ctx: Ctx, values, flags) -> list[str]:
    """Each bar's count as printed beside it ("0" too; "≈ 90,000" for an approximate one)."""
    return [_hover_value(ctx, v, f) for v, f in zip(values, flags)]


def _hover_value(ctx: Ctx, value, flag: str) -> str:
    return fmt.value_text(value, flag, ctx.lang)


# --- Providers ------------------------------------------------------------------------------

def provider_detections(ctx: Ctx) -> Chart:
    rows = ctx.pkg["provider_detections"]
    rows = rows[rows["flag"].isin(metrics.VALUE_FLAGS)].copy()
    rows["provider"] = rows["provider_id"].map(ctx.provider_name)
    units = [u for u in ("accounts", "content_items") if u in set(rows["unit"])]
    fig = _subplots(rows=1, cols=len(units), shared_yaxes=True, horizontal_spacing=0.04)
    years = sorted(rows["year"].unique())
    top = float(rows["value"].max())
    for col, unit in enumerate(units, start=1):
        for index, year in enumerate(years):
            part = rows[(rows["unit"] == unit) & (rows["year"] == year)]
            fig["data"].append(dict(
                type="bar", x=list(part["provider"]), y=[_log1p(v) for v in part["value"]], name=str(year),
                legendgroup=str(year), showlegend=col == 1, marker=dict(color=COLOURS[index % len(COLOURS)]),
                text=_count_labels(ctx, part["value"], part["flag"]), **UPRIGHT_LABELS,
                hovertext=[f"{p} {year}: {_hover_value(ctx, v, f)} {t('unit_' + unit, ctx.lang)} "
                           f"({t('scope_' + s, ctx.lang)})"
                           for p, v, f, s in zip(part["provider"], part["value"], part["flag"], part["scope"])],
                hoverinfo="text", **_on(fig, 1, col)))
        axis = _log1p_axis(ctx, top)
        if col > 1:  # the shared axis is titled once, on the left
            del axis["title"]
        _axis(fig, "y", 1, col).update(axis)
        _axis(fig, "x", 1, col).update(title=_title(t(f"unit_{unit}", ctx.lang)))
    top = rows.sort_values("value").iloc[-1]
    numbers = rows[["provider_id", "year", "unit", "scope", "value", "flag", "period_start", "period_end"]]
    return Chart(numbers, t("tk_provider_detections", ctx.lang, provider=top["provider"], year=int(top["year"]),
                            unit=t(f"unit_{top['unit']}", ctx.lang)),
                 _layout(fig, ctx), ("table_1", "table_2"), t("alt_provider_detections", ctx.lang))


# What a provider's history shows: detections (Tables 1-2), then from Tables 3-4 the appeals
# and the reinstatements, each in its own panel per unit (accounts and items never share an axis).
HISTORY_KINDS = {"detected": ("provider_detections", None),
                 "appealed": ("provider_appeals", ("complaints",)),
                 "reinstated": ("provider_appeals", ("accounts_reinstated", "content_reinstated"))}


def _history_rows(ctx: Ctx, provider_id: str) -> pd.DataFrame:
    """One row per (kind, unit, year) of the provider: value and flag as the report gives them."""
    parts = []
    for kind, (resource, measures) in HISTORY_KINDS.items():
        rows = ctx.pkg[resource]
        rows = rows[rows["provider_id"] == provider_id]
        if measures is not None:
            rows = rows[rows["measure"].isin(measures)]
        part = rows[["provider_id", "year", "unit", "value", "flag"]].copy()
        part.insert(1, "stage", kind)
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    # A "not available" cell in a unit the provider never counted in says nothing: left out.
    counted = out[out["flag"].isin(metrics.VALUE_FLAGS)].groupby(["stage", "unit"]).size()
    out = out[[key in counted.index for key in zip(out["stage"], out["unit"])]]
    # Two measures in one unit (Meta's 207 restored users are "content reinstated" counted in
    # accounts, beside "accounts reinstated: N/A"): the figure stands for the panel's year.
    out = out.assign(_has=out["flag"].isin(metrics.VALUE_FLAGS)).sort_values("_has", ascending=False, kind="stable")
    out = out.drop_duplicates(["stage", "unit", "year"]).drop(columns="_has").sort_index()
    assert not out.duplicated(["stage", "unit", "year"]).any(), f"{provider_id}: two rows for one panel and year"
    return out.reset_index(drop=True)


def provider_history(ctx: Ctx, provider_id: str | None = None) -> Chart:
    """A provider's detections, appeals and reinstatements over the years: one panel per kind and
    unit, bars labelled with their counts ("0" included); a year without a figure is marked with
    its status word at the baseline."""
    if provider_id is None or provider_id not in set(ctx.pkg["providers"]["provider_id"]):
        raise ValueError(f"provider_history needs a provider id; got {provider_id!r}")
    rows = _history_rows(ctx, provider_id)
    panels = list(dict.fromkeys(zip(rows["stage"], rows["unit"])))
    years = [str(int(y)) for y in sorted(rows["year"].unique())]
    fig = _subplots(rows=len(panels), cols=1, vertical_spacing=0.5 / len(panels) if len(panels) > 1 else 0,
                    subplot_titles=[t("history_panel", ctx.lang, stage=t(f"stage_{s}", ctx.lang),
                                      unit=t(f"unit_{u}", ctx.lang)) for s, u in panels])
    for index, (stage, unit) in enumerate(panels, start=1):
        part = rows[(rows["stage"] == stage) & (rows["unit"] == unit)].sort_values("year")
        shown = part["flag"].isin(metrics.VALUE_FLAGS)
        labels = [_hover_value(ctx, v, f) for v, f in zip(part["value"], part["flag"])]
        fig["data"].append(dict(
            type="bar", y=[str(int(y)) for y in part["year"]],
            x=[float(v) if ok else 0.0 for v, ok in zip(part["value"], shown)],
            orientation="h", marker=dict(color=COLOURS[list(HISTORY_KINDS).index(stage)]), text=labels,
            textposition="auto", textangle=0, cliponaxis=False, showlegend=False,
            hovertext=[f"{t('stage_' + stage, ctx.lang)}, {int(y)}: {l} {t('unit_' + unit, ctx.lang)}"
                       for y, l in zip(part["year"], labels)], hoverinfo="text", **_on(fig, index, 1)))
        _baseline_labels(fig, [str(int(y)) for y in part["year"]], part["value"].where(shown), labels,
                         **_on(fig, index, 1))
        top = float(part.loc[shown, "value"].max()) if shown.any() else 0.0
        _axis(fig, "x", index, 1).update(_count_ticks(ctx, top))
        _axis(fig, "y", index, 1).update(type="category", categoryorder="array", categoryarray=years[::-1])
    numbers = rows[["provider_id", "stage", "year", "unit", "value", "flag"]]
    counted = numbers[numbers["flag"].isin(metrics.VALUE_FLAGS)]
    takeaway = t("tk_provider_history", ctx.lang, name=ctx.provider_name(provider_id), n=len(panels),
                 years=fmt_years(ctx, rows["year"]))
    assert not counted.empty, f"{provider_id}: no figure to chart"
    return Chart(numbers, takeaway, _layout(fig, ctx, height=120 * len(panels) + 60, showlegend=False),
                 tuple(sorted(set(ctx.pkg["provider_detections"]["source"]) | set(ctx.pkg["provider_appeals"]["source"]))),
                 t("alt_provider_history", ctx.lang, name=ctx.provider_name(provider_id)))


def fmt_years(ctx: Ctx, years) -> str:
    """"2021 and 2022" / "2021 och 2022" (Babel's list pattern of the page's language)."""
    from babel.lists import format_list
    return format_list([str(int(y)) for y in sorted(set(years))], locale=fmt.LOCALES[ctx.lang])


def _funnel_numbers(ctx: Ctx) -> pd.DataFrame:
    rates = ctx.pkg["provider_reinstatement_rates"]
    rows = []
    for (provider, year, unit), part in rates.groupby(["provider_id", "year", "unit_basis"], sort=False):
        by_basis = {r["basis"]: r for r in records(part)}
        appeals, actioned = by_basis.get("of_appeals"), by_basis.get("of_actioned")
        stages = {"actioned": (actioned, "denominator"), "appealed": (appeals, "denominator"),
                  "reinstated": (appeals if appeals is not None else actioned, "numerator")}
        for stage, (row, column) in stages.items():
            if row is not None and not pd.isna(row[column]):
                rows.append({"provider_id": provider, "year": int(year), "unit_basis": unit, "stage": stage,
                             "value": float(row[column]), "flag": row[f"{column}_flag"]})
    return pd.DataFrame(rows)


def appeal_funnel(ctx: Ctx) -> Chart:
    # Horizontal groups, one per provider, year and unit, top to bottom: their names and the
    # counts stay level, and a phone keeps the height for the bars (upright, the names took it).
    numbers = _funnel_numbers(ctx)
    fig = _figure()
    numbers["group"] = [f"{ctx.provider_name(p)} {y}<br>({t('unit_' + u, ctx.lang)})"
                        for p, y, u in zip(numbers["provider_id"], numbers["year"], numbers["unit_basis"])]
    for index, stage in enumerate(["actioned", "appealed", "reinstated"]):
        part = numbers[numbers["stage"] == stage]
        fig["data"].append(dict(
            type="bar", y=list(part["group"]), x=[_log1p(v) for v in part["value"]], orientation="h",
            name=t(f"stage_{stage}", ctx.lang), marker=dict(color=COLOURS[index]),
            text=_count_labels(ctx, part["value"], part["flag"]), textposition="outside",
            textangle=0, constraintext="none", cliponaxis=False,
            hovertext=[f"{g.replace('<br>', ' ')}: {_hover_value(ctx, v, f)}" for g, v, f in
                       zip(part["group"], part["value"], part["flag"])], hoverinfo="text"))
    _axis(fig, "x").update(_log1p_axis(ctx, float(numbers["value"].max()), headroom=1.45))
    _axis(fig, "y").update(autorange="reversed")
    groups = numbers["group"].nunique()
    return Chart(numbers.drop(columns="group"), t("tk_appeal_funnel", ctx.lang),
                 _layout(fig, ctx, barmode="group", height=70 * groups + 120), ("table_5",), t("alt_appeal_funnel", ctx.lang))


def reinstatement_rates(ctx: Ctx) -> Chart:
    computed = metrics.reinstatement_rates(ctx.pkg["provider_reinstatement_rates"])
    numbers = computed[computed["status"] != metrics.NOT_COMPUTABLE].copy()
    numbers["label"] = [f"{ctx.provider_name(p)} {y} ({t('unit_' + u, ctx.lang)})"
                        for p, y, u in zip(numbers["provider_id"], numbers["year"], numbers["unit_basis"])]
    fig = _figure()
    for index, basis in enumerate(["of_appeals", "of_actioned"]):
        part = numbers[numbers["basis"] == basis]
        fig["data"].append(dict(type="bar", x=list(part["label"]), y=[float(v) for v in part["rate_computed__pct"]],
                                name=t(f"basis_{basis}", ctx.lang), marker=dict(color=COLOURS[index])))
    _axis(fig, "y").update(title=_title(t("axis_pct", ctx.lang)), ticksuffix=fmt.percent_suffix(ctx.lang))
    top = numbers.sort_values("rate_computed__pct").iloc[-1]
    return Chart(numbers.drop(columns="label"),
                 t("tk_reinstatement", ctx.lang, label=top["label"], rate=fmt.percent(top["rate_computed__pct"], ctx.lang)),
                 _layout(fig, ctx, barmode="group"), ("table_5",), t("alt_reinstatement", ctx.lang))


# --- NCMEC ----------------------------------------------------------------------------------

def _per_100k(ctx: Ctx) -> pd.DataFrame:
    out = metrics.reports_per_100k(ctx.pkg["ncmec_reports_by_country"], ctx.pkg["population"])
    out["name"] = out["country_code"].map(ctx.country_name)
    return out


def _colorscale(name: str) -> list[list]:
    """A named colour scale as plotly.py's own list of [position, colour] (ColorBrewer's
    "Blues" for "Blues"), which the static map also samples: plotly.js has scales of the same
    names with other colours, so the name alone would change the interactive map."""
    return [[float(position), colour] for position, colour in colours.colorscale(name)]


def _nice_ticks(high: float, count: int = 4) -> list[float]:
    """Round tick values from 0 up to ``high`` (about ``count`` steps of 1, 2, 2.5 or 5 x 10^n):
    the static and the interactive colour legends both mark these."""
    raw = high / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return [i * step for i in range(int(high // step) + 1)]


def ncmec_map(ctx: Ctx, highlight: str | None = None) -> Chart:
    _check_highlight(ctx, highlight)
    numbers = _per_100k(ctx)
    years = sorted(int(y) for y in numbers["year"].unique())
    high = float(numbers["reports_per_100k__count"].max())
    ticks = _nice_ticks(high)
    tick_text = [fmt.number(v, ctx.lang) for v in ticks]
    tips = {year: [t("hover_per_100k", ctx.lang, name=n, year=year, value=_rate(ctx, v))
                   for n, v in zip(part["name"], part["reports_per_100k__count"])]
            for year, part in numbers.groupby("year")}
    fig = _figure()
    for year in years:
        part = numbers[numbers["year"] == year]
        codes = list(part["country_code"])
        fig["data"].append(dict(
            type="choropleth", locations=codes, z=[round(float(v), 1) for v in part["reports_per_100k__count"]],
            locationmode="geojson-id", geojson=GEOJSON_URL, featureidkey="id", zmin=0, zmax=high,
            colorscale=_colorscale("Blues"), reversescale=False, visible=year == years[-1], name=str(year),
            meta={"year": year, "countries": codes}, text=tips[year], hovertemplate="%{text}<extra></extra>",
            marker=dict(line=dict(width=[3 if c == highlight else 0.5 for c in codes],
                                  color=[HIGHLIGHT if c == highlight else "#FFFFFF" for c in codes])),
            colorbar=dict(title=dict(text=t("map_legend", ctx.lang, year=year), side="top"), orientation="h",
                          x=0.5, xanchor="center", y=0, yanchor="top", thickness=14, len=0.6,
                          tickvals=ticks, ticktext=tick_text)))
    # An equal-area view of Europe that shows the northern and island member states whole
    # (Cyprus, at 34.6° E, with room to spare on the right).
    view = static_map.View(lon0=10, lat0=52, lon_range=(-11, 40), lat_range=(34.5, 71))
    fig["layout"]["geo"] = dict(
        visible=False, showland=True, fitbounds=False,
        projection=dict(type="azimuthal equal area", rotation=dict(lon=view.lon0, lat=view.lat0)),
        lonaxis=dict(range=list(view.lon_range)), lataxis=dict(range=list(view.lat_range)),
        domain=dict(x=[0.02, 0.98], y=[0.0, 1.0]))
    per_year = {year: {code: (float(v), tip) for code, v, tip in
                       zip(part["country_code"], part["reports_per_100k__count"], tips[year])}
                for year, part in numbers.groupby("year")}
    preview = static_map.svg(view, per_year, zmax=high, scale_name="Blues",
                             legends={y: t("map_legend", ctx.lang, year=y) for y in years},
                             ticks=list(zip(ticks, tick_text)), shown=years[-1], ident="ncmec-map",
                             highlight=highlight)
    by_year = {}
    for year in years:
        part = numbers[numbers["year"] == year].sort_values("reports_per_100k__count")
        top, bottom = part.iloc[-1], part.iloc[0]
        by_year[year] = t("tk_map", ctx.lang, year=year, top=top["name"], top_v=_rate(ctx, top["reports_per_100k__count"]),
                          bottom=bottom["name"], bottom_v=_rate(ctx, bottom["reports_per_100k__count"]))
    return Chart(numbers.drop(columns="name"), by_year[years[-1]],
                 _layout(fig, ctx, height=560, margin=dict(l=8, r=8, t=8, b=90)), ("table_7",),
                 t("alt_map", ctx.lang), tuple(years), preview, sources.cite(ctx, ctx.pkg["ncmec_reports_by_country"]),
                 highlight=highlight or "", takeaways=tuple(by_year.items()))


# --- NCMEC reports per 100 000 inhabitants: each member state against the EU ---------------

# The highlighted country, the others, and the EU-27 as a whole.
HIGHLIGHT, OTHERS, EU_COLOUR = "#D55E00", "#0072B2", "#4D4D4D"
# Lines of the other member states, behind the highlighted one.
FAINT = "#B8B8B8"


def _per_100k_ranked(ctx: Ctx) -> pd.DataFrame:
    """Reports per 100 000 inhabitants per member state and year, with the rank among the 27
    and the EU-27 figure of the same year."""
    def compute(pkg) -> pd.DataFrame:
        out = metrics.reports_per_100k(pkg["ncmec_reports_by_country"], pkg["population"])
        out["rank__position"] = metrics.per_100k_ranks(out)
        eu = metrics.eu_reports_per_100k(pkg["ncmec_reports_by_country"], pkg["population_eu27"], pkg["member_states"])
        eu = eu[["year", "reports_per_100k__count"]].rename(columns={"reports_per_100k__count": "eu_reports_per_100k__count"})
        merged = out.merge(eu, on="year", how="left", validate="many_to_one", indicator=True)
        assert (merged["_merge"] == "both").all(), "EU-27 figure missing for a year of the NCMEC series"
        return merged.drop(columns="_merge")
    out = derived(ctx.pkg, "per_100k_ranked", compute).copy()
    out["name"] = out["country_code"].map(ctx.country_name)
    return out


def _rate(ctx: Ctx, value) -> str:
    """A rate per 100 000 with one decimal, as the tables show it."""
    return fmt.number(round(float(value), 1), ctx.lang, 1)


def _check_highlight(ctx: Ctx, highlight: str | None) -> None:
    if highlight is not None and highlight not in ctx.country_codes():
        raise ValueError(f"unknown member state {highlight!r} to highlight; expected one of {ctx.country_codes()}")


def ncmec_per_100k_latest(ctx: Ctx, highlight: str | None = None) -> Chart:
    """The latest year's reports per 100 000 inhabitants, member states sorted, the EU-27 among
    them as a bar of its own; ``highlight`` (a country code) coloured apart."""
    _check_highlight(ctx, highlight)
    ranked = _per_100k_ranked(ctx)
    year = int(ranked["year"].max())
    latest = ranked[ranked["year"] == year].sort_values("reports_per_100k__count")
    eu_value = float(latest["eu_reports_per_100k__count"].iloc[0])
    codes = list(latest["country_code"])
    values = [float(v) for v in latest["reports_per_100k__count"]]
    # The EU-27 bar goes where its value falls among the countries'.
    at = sum(v < eu_value for v in values)
    codes.insert(at, "EU27")
    values.insert(at, eu_value)
    names = [t("eu27", ctx.lang) if c == "EU27" else ctx.country_name(c) for c in codes]
    ranks = dict(zip(latest["country_code"], latest["rank__position"]))
    hover = [t("hover_per_100k", ctx.lang, name=n, year=year, value=_rate(ctx, v))
             + ("" if c == "EU27" else " · " + t("rank_of", ctx.lang, rank=int(ranks[c]), total=len(ranks)))
             for c, n, v in zip(codes, names, values)]
    fig = _figure(dict(
        type="bar", y=names, x=values, orientation="h", text=[_rate(ctx, v) for v in values], textposition="auto",
        cliponaxis=False, marker=dict(color=_highlight_colours(codes, highlight)), hovertext=hover, hoverinfo="text",
        meta={"countries": codes, "colours": {"base": OTHERS, "highlight": HIGHLIGHT, "EU27": EU_COLOUR}},
        name=t("per_100k_short", ctx.lang)))
    _axis(fig, "x").update(title=_title(t("axis_per_100k_year", ctx.lang, year=year)), nticks=4, automargin=True)
    numbers = latest[["country_code", "year", "reports__count", "population__persons", "reports_per_100k__count",
                      "rank__position", "eu_reports_per_100k__count"]].iloc[::-1]
    top, bottom = latest.iloc[-1], latest.iloc[0]
    takeaway = t("tk_per_100k_latest", ctx.lang, year=year, eu=_rate(ctx, eu_value), top=top["name"],
                 top_v=_rate(ctx, top["reports_per_100k__count"]), bottom=bottom["name"],
                 bottom_v=_rate(ctx, bottom["reports_per_100k__count"]))
    return Chart(numbers, takeaway, _layout(fig, ctx, height=22 * len(codes) + 80, showlegend=False,
                                            margin=dict(l=8, r=8, t=8, b=8)),
                 ("table_7",), t("alt_per_100k_latest", ctx.lang, year=year),
                 cited=sources.cite(ctx, ctx.pkg["ncmec_reports_by_country"]), highlight=highlight or "")


def _highlight_colours(codes: list[str], highlight: str | None) -> list[str]:
    return [EU_COLOUR if c == "EU27" else HIGHLIGHT if c == highlight else OTHERS for c in codes]


def ncmec_per_100k_trend(ctx: Ctx, highlight: str | None = None) -> Chart:
    """Reports per 100 000 inhabitants over the years: one faint line per member state, the
    EU-27 in dark, ``highlight`` in colour with its value and rank among the 27 at each year."""
    _check_highlight(ctx, highlight)
    ranked = _per_100k_ranked(ctx).sort_values(["country_code", "year"])
    years = sorted(int(y) for y in ranked["year"].unique())
    total = ranked["country_code"].nunique()
    eu = ranked.drop_duplicates("year").sort_values("year")
    if highlight:
        fig = _trend_highlighted(ctx, ranked, highlight, total)
    else:
        fig = _figure(*(_trend_line(ctx, ranked[ranked["country_code"] == code], code, False, total)
                        for code in ctx.country_codes()))
        fig["data"].append(dict(
            type="scatter", x=[str(y) for y in eu["year"]], y=[float(v) for v in eu["eu_reports_per_100k__count"]],
            mode="lines+markers",
            line=dict(color=EU_COLOUR, width=3, dash="dash"), name=t("eu27", ctx.lang),
            hovertext=[t("hover_per_100k", ctx.lang, name=t("eu27", ctx.lang), year=int(y), value=_rate(ctx, v))
                       for y, v in zip(eu["year"], eu["eu_reports_per_100k__count"])], hoverinfo="text"))
        _axis(fig, "x").update(type="category", title=_title(t("year", ctx.lang)))
        _axis(fig, "y").update(title=_title(t("per_100k_short", ctx.lang)), rangemode="tozero")
    columns = ["country_code", "year", "reports__count", "population__persons", "reports_per_100k__count",
               "rank__position", "eu_reports_per_100k__count"]
    if highlight:
        mine = ranked[ranked["country_code"] == highlight]
        last = mine.iloc[-1]
        takeaway = t("tk_per_100k_country", ctx.lang, name=ctx.country_name(highlight), year=int(last["year"]),
                     value=_rate(ctx, last["reports_per_100k__count"]), eu=_rate(ctx, last["eu_reports_per_100k__count"]),
                     rank=int(last["rank__position"]), total=total)
        numbers = mine[columns]
    else:
        last = eu.iloc[-1]
        takeaway = t("tk_per_100k_trend", ctx.lang, first=years[0], last=years[-1],
                     eu_first=_rate(ctx, eu.iloc[0]["eu_reports_per_100k__count"]),
                     eu_last=_rate(ctx, last["eu_reports_per_100k__count"]))
        numbers = ranked.sort_values(["year", "rank__position"])[columns]
    # A highlighted version cites the same rows as the chart without one.
    cited = build(ctx, "ncmec_per_100k_trend").cited if highlight else sources.cite(
        ctx, ctx.pkg["ncmec_reports_by_country"])
    return Chart(numbers, takeaway, fig if highlight else _layout(fig, ctx, height=420), ("table_7",),
                 t("alt_per_100k_trend", ctx.lang), cited=cited, highlight=highlight or "")


def _trend_line(ctx: Ctx, part: pd.DataFrame, code: str, mine: bool, total: int) -> dict:
    """One member state's line of the trend chart: faint, or (``mine``) coloured and labelled."""
    labels = [f"{_rate(ctx, v)} ({t('rank_short', ctx.lang, rank=int(r), total=total)})"
              for v, r in zip(part["reports_per_100k__count"], part["rank__position"])]
    return dict(
        type="scatter", x=[str(int(y)) for y in part["year"]], y=[float(v) for v in part["reports_per_100k__count"]],
        mode="lines+markers+text" if mine else "lines", text=labels,
        textposition=["top right"] + ["top center"] * (len(labels) - 2) + ["top left"] if len(labels) > 1
        else "top center",
        line=dict(color=HIGHLIGHT if mine else FAINT, width=3 if mine else 1), name=ctx.country_name(code),
        showlegend=mine, meta={"country": code}, cliponaxis=False,
        hovertext=[t("hover_per_100k", ctx.lang, name=ctx.country_name(code), year=int(y), value=_rate(ctx, v))
                   + " · " + t("rank_of", ctx.lang, rank=int(r), total=total)
                   for y, v, r in zip(part["year"], part["reports_per_100k__count"], part["rank__position"])],
        hoverinfo="text")


def _trend_highlighted(ctx: Ctx, ranked: pd.DataFrame, highlight: str, total: int) -> dict:
    """The trend chart with ``highlight``'s line coloured and drawn last (before the EU-27's):
    the chart without a highlight (built once per language), its faint line for ``highlight``
    swapped for the coloured one. The other traces and the layout are that chart's own
    objects, shared, not copied (figures are read-only)."""
    base = build(ctx, "ncmec_per_100k_trend").figure
    data = [trace for trace in base["data"] if (trace.get("meta") or {}).get("country") != highlight]
    assert len(data) == len(base["data"]) - 1 and "meta" not in data[-1], "expected one line per country, EU-27 last"
    data.insert(len(data) - 1, _trend_line(ctx, ranked[ranked["country_code"] == highlight], highlight, True, total))
    return {"data": data, "layout": base["layout"]}


def ncmec_share_vs_population(ctx: Ctx) -> Chart:
    pkg = ctx.pkg
    index = metrics.representation_index(pkg["ncmec_reports_by_country"], pkg["population"],
                                         pkg["ncmec_population_share_printed"], pkg["member_states"])
    index["name"] = index["country_code"].map(ctx.country_name)
    share_col, pop_col = "share_of_eu_total__pct", "population_share_eurostat__pct"
    fig = _figure()
    for n, year in enumerate(sorted(index["year"].unique())):
        part = index[index["year"] == year]
        fig["data"].append(dict(
            type="scatter", x=[float(v) for v in part[pop_col]], y=[float(v) for v in part[share_col]],
            mode="markers", name=str(int(year)), text=list(part["name"]),
            marker=dict(color=COLOURS[n % len(COLOURS)], size=9),
            hovertemplate="%{text}: %{x:.2f} → %{y:.2f}<extra>" + str(int(year)) + "</extra>"))
    top = float(max(index[pop_col].max(), index[share_col].max()))
    fig["data"].append(dict(type="scatter", x=[0, top], y=[0, top], mode="lines", name=t("equal_share", ctx.lang),
                            line=dict(dash="dot", color="#888888"), hoverinfo="skip"))
    _axis(fig, "x").update(title=_title(t("axis_pop_share", ctx.lang)))
    _axis(fig, "y").update(title=_title(t("axis_report_share", ctx.lang)))
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


# Category labels longer than this many characters are set on two or more lines: turned to fit
# on a phone, "Chatt, meddelanden, e-post" ran into the value axis's "0".
CATEGORY_LINE_CHARS = 14


def _wrapped(label: str, width: int = CATEGORY_LINE_CHARS) -> str:
    """``label`` broken at spaces into lines of at most ``width`` characters (Plotly's "<br>");
    a single word longer than that stays whole."""
    lines: list[str] = []
    for word in label.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _figure_bars(ctx: Ctx, rows: pd.DataFrame, log: bool = False) -> dict:
    fig = _figure()
    for index, year in enumerate(sorted(rows["year"].dropna().unique())):
        part = rows[rows["year"] == year]
        labels = dict(text=_count_labels(ctx, part["value"], part["flag"]), **UPRIGHT_LABELS) if log else {}
        fig["data"].append(dict(
            type="bar", x=[_wrapped(l) for l in part["label"]], y=[_log1p(v) if log else float(v) for v in part["value"]],
            name=str(int(year)), marker=dict(color=COLOURS[index % len(COLOURS)]), **labels,
            hovertext=[f"{l} {int(year)}: {_hover_value(ctx, v, f)}" for l, v, f in
                       zip(part["label"], part["value"], part["flag"])], hoverinfo="text"))
    if log:
        _axis(fig, "y").update(_log1p_axis(ctx, float(rows["value"].max())))
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

# Member-state rows that carry a figure and a period, in the report's order, labelled by the
# country's name alone (the period is drawn on a date axis or named in the tooltip, and short
# labels leave a phone room for the bars). A country with several rows (Poland's three
# conviction figures) gets each row's months as well, "Poland 2021-07–2022-06".
def _country_rows(ctx: Ctx, resource: str, flag: str) -> pd.DataFrame:
    rows = ctx.pkg[resource]
    rows = rows[rows[flag].isin(metrics.VALUE_FLAGS) & rows["period_start"].notna()].copy()
    order = {code: i for i, code in enumerate(ctx.country_codes())}
    rows["order"] = rows["country_code"].map(order)
    repeated = rows["country_code"].duplicated(keep=False)
    months = rows["period_start"].dt.strftime("%Y-%m") + "–" + rows["period_end"].dt.strftime("%Y-%m")
    rows["label"] = rows["country_code"].map(ctx.country_name).where(
        ~repeated, rows["country_code"].map(ctx.country_name) + " " + months)
    assert not rows["label"].duplicated().any(), f"{resource}: two rows share a chart label"
    rows["period"] = rows[f"period_label_{ctx.lang}"]
    return rows.sort_values(["order", "period_start"], ascending=[False, True])


def ms_reports_received(ctx: Ctx) -> Chart:
    # Periods and counts apart: each country's reporting period as a range on a date axis, its
    # count as a bar of its own beside it, so a long period never reads as a large count.
    rows = _country_rows(ctx, "ms_reports_received", "flag")
    rows = rows[rows["unit"] == "reports"]
    start = rows["period_start"].dt.strftime("%Y-%m-%d")
    length_ms = (rows["period_end"] - rows["period_start"] + pd.Timedelta(days=1)).dt.days * 86_400_000
    counts = _count_labels(ctx, rows["value"], rows["flag"])
    fig = _subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.55, 0.45], horizontal_spacing=0.04)
    fig["data"].append(dict(
        type="bar", y=list(rows["label"]), x=[int(v) for v in length_ms], base=list(start), orientation="h",
        marker=dict(color="#9E9E9E"), width=0.45, name=t("period", ctx.lang), customdata=list(rows["period"]),
        hovertemplate="%{y}: %{customdata}<extra></extra>", **_on(fig, 1, 1)))
    fig["data"].append(dict(
        type="bar", y=list(rows["label"]), x=[float(v) for v in rows["value"]], orientation="h",
        marker=dict(color=COLOURS[0]), text=counts, textposition="auto", textangle=0, cliponaxis=False,
        name=ctx.measure("reports_received"),
        hovertext=[f"{n} ({p}): {c}" for n, p, c in zip(rows["label"], rows["period"], counts)],
        hoverinfo="text", **_on(fig, 1, 2)))
    _baseline_labels(fig, rows["label"], rows["value"], counts, **_on(fig, 1, 2))
    _axis(fig, "x", 1, 1).update(type="date", title=_title(t("period", ctx.lang)))
    _axis(fig, "x", 1, 2).update(title=_title(t("axis_reports", ctx.lang)),
                                 range=[0, float(rows["value"].max()) * 1.05], nticks=3)
    numbers = rows[["country_code", "period_start", "period_end", "value", "flag", "source_category"]]
    refused = metrics.period_total_or_refusal(rows)
    return Chart(numbers, t("tk_received", ctx.lang, n=len(rows), periods=int(refused["periods__count"].iloc[0])),
                 _layout(fig, ctx, height=max(360, 26 * len(rows)), showlegend=False), ("table_6",),
                 t("alt_received", ctx.lang))


def ms_children_by_sex(ctx: Ctx) -> Chart:
    # Shares as shares (100 % stacked), since the takeaway compares girls with boys; the counts
    # are in the tooltips and the table. A country that identified no child has no shares: it
    # is named with a "0" label at the baseline instead of an empty row.
    rows = _country_rows(ctx, "ms_children_identified", "total_flag")
    rows = rows[rows["girls_flag"].isin(metrics.VALUE_FLAGS) & rows["boys_flag"].isin(metrics.VALUE_FLAGS)]
    shares = metrics.sex_shares(ctx.pkg["ms_children_identified"]).set_index("record_id").loc[rows["record_id"]]
    fig = _figure()
    for index, part in enumerate(("girls", "boys", "unknown_sex")):
        counts = shares[f"{part}__count"]
        if part == "unknown_sex" and not (counts.fillna(0) > 0).any():
            continue
        pct = shares[f"{part}_share__pct"].astype("Float64")
        fig["data"].append(dict(
            type="bar", y=list(rows["label"]), x=[None if pd.isna(v) else float(v) for v in pct], orientation="h",
            name=t(part, ctx.lang), marker=dict(color=COLOURS[index]),
            hovertext=[f"{n} ({p}): {fmt.percent(v, ctx.lang, 1)} · {fmt.number(c, ctx.lang)} {t(part, ctx.lang).lower()}"
                       if not pd.isna(v) else "" for n, p, v, c in zip(rows["label"], rows["period"], pct, counts)],
            hoverinfo="text"))
    none = shares["denominator__count"].to_numpy() == 0
    if none.any():
        fig["data"].append(dict(
            type="scatter", y=list(rows["label"][none]), x=[1] * int(none.sum()), mode="text",
            textposition="middle right", text=[t("zero_children", ctx.lang)] * int(none.sum()), showlegend=False,
            hoverinfo="skip"))
    _axis(fig, "x").update(range=[0, 100], ticksuffix=fmt.percent_suffix(ctx.lang),
                           title=_title(t("axis_share_children", ctx.lang)))
    girls_col = next(c for c in shares.columns if c.startswith("girls_share"))
    numbers = rows[["country_code", "period_start", "period_end", "girls__count", "boys__count",
                    "unknown_sex__count", "total__count"]]
    return Chart(numbers, t("tk_children", ctx.lang, n=int((shares[girls_col] > 50).sum()),
                            total=int((~none).sum())),
                 _layout(fig, ctx, barmode="stack", height=max(360, 28 * len(rows)),
                         legend=dict(LEGEND, traceorder="normal")), ("table_8",),
                 t("alt_children", ctx.lang))


def ms_convictions(ctx: Ctx) -> Chart:
    rows = _country_rows(ctx, "ms_convictions", "flag")
    labels = _count_labels(ctx, rows["convictions__count"], rows["flag"])
    fig = _figure(dict(
        type="bar", y=list(rows["label"]), x=[_log1p(v) for v in rows["convictions__count"]], orientation="h",
        marker=dict(color=COLOURS[2]), name=ctx.measure("convictions"), text=labels,
        textposition="auto", textangle=0, cliponaxis=False,
        hovertext=[f"{n} ({p}): {c}" for n, p, c in zip(rows["label"], rows["period"], labels)],
        hoverinfo="text"))
    _baseline_labels(fig, rows["label"], rows["convictions__count"], labels)
    _axis(fig, "x").update(_log1p_axis(ctx, float(rows["convictions__count"].max())))
    numbers = rows[["country_code", "period_start", "period_end", "convictions__count", "flag"]]
    return Chart(numbers, t("tk_convictions", ctx.lang, n=rows["country_code"].nunique(),
                            total=len(ctx.country_codes())),
                 _layout(fig, ctx, height=max(360, 26 * len(rows)), showlegend=False), ("table_9",),
                 t("alt_convictions", ctx.lang))


def ms_completeness(ctx: Ctx, country: str | None = None) -> Chart:
    """Which of the three Article 8(1) statistics each member state supplied (full, partial,
    none); with ``country``, that member state's row alone (its page's compact view)."""
    pkg = ctx.pkg
    status = completeness(pkg)
    codes = ctx.country_codes()
    if country is not None:
        _check_highlight(ctx, country)
        codes, status = [country], status[status["country_code"] == country]
    stats = list(dict.fromkeys(status["statistic"]))
    grid = status.pivot(index="country_code", columns="statistic", values="status").reindex(codes)[stats]
    fig = _figure(dict(
        type="heatmap", z=[[STATUS_LEVEL[v] for v in row] for row in grid.values.tolist()],
        x=[t(f"stat_{s}", ctx.lang) for s in stats], y=[ctx.country_name(c) for c in codes],
        text=[[t(f"status_{v}", ctx.lang) for v in row] for row in grid.values.tolist()],
        texttemplate="%{text}", hovertemplate="%{y} · %{x}: %{text}<extra></extra>", zmin=0, zmax=2,
        colorscale=[[0, "#D55E00"], [0.5, "#F0E442"], [1, "#009E73"]], showscale=False, xgap=2, ygap=2))
    _axis(fig, "y").update(autorange="reversed", showticklabels=country is None)
    if country is not None:
        supplied = int((status["status"] == "full").sum())
        return Chart(status, t("tk_completeness_country", ctx.lang, name=ctx.country_name(country), n=supplied,
                               total=len(stats)),
                     _layout(fig, ctx, height=130), ("section_2.2",), t("alt_completeness_country", ctx.lang,
                                                                          name=ctx.country_name(country)))
    full = (status.groupby("country_code")["status"].agg(set) == {"full"}).sum()
    return Chart(status, t("tk_completeness", ctx.lang, n=int(full), total=len(codes)),
                 _layout(fig, ctx, height=760), ("section_2.2",), t("alt_completeness", ctx.lang))


BUILDERS: dict[str, Callable[..., Chart]] = {
    "provider_detections": provider_detections,
    "appeal_funnel": appeal_funnel,
    "reinstatement_rates": reinstatement_rates,
    "ncmec_map": ncmec_map,
    "ncmec_per_100k_latest": ncmec_per_100k_latest,
    "ncmec_per_100k_trend": ncmec_per_100k_trend,
    "ncmec_share_vs_population": ncmec_share_vs_population,
    "ncmec_service_type": ncmec_service_type,
    "ncmec_global_categories": ncmec_global_categories,
    "ms_reports_received": ms_reports_received,
    "ms_children_by_sex": ms_children_by_sex,
    "ms_convictions": ms_convictions,
    "ms_completeness": ms_completeness,
    "provider_history": provider_history,
}
# Charts drawn for one member state or provider as well (the builder's second argument, the
# key): what the key names, and whether the chart exists without one. A country chart's key is
# the country it highlights or shows alone.
KEYED: dict[str, tuple[str, bool]] = {
    "ncmec_per_100k_latest": ("country", True),
    "ncmec_per_100k_trend": ("country", True),
    "ncmec_map": ("country", True),
    "ms_completeness": ("country", True),
    "provider_history": ("provider", False),
}
# Charts with a country selector that highlights one member state against the others.
HIGHLIGHTABLE = ("ncmec_per_100k_latest", "ncmec_per_100k_trend", "ncmec_map")
# Keyed charts titled for their one member state.
KEYED_TITLES = {"ms_completeness": "chart_ms_completeness_key"}
# Keyed charts whose key only highlights: the numbers, and so the CSV, are the chart's own.
SAME_NUMBERS = ("ncmec_per_100k_latest", "ncmec_map")


def chart_keys(ctx: Ctx, chart_id: str) -> list[str | None]:
    """Every key a chart is drawn for: None for the chart itself, then each member state or
    provider for a keyed chart (its page's version, with its own CSV)."""
    if chart_id not in KEYED or chart_id in SAME_NUMBERS:
        return [None]
    kind, alone = KEYED[chart_id]
    keys = ctx.country_codes() if kind == "country" else list(ctx.pkg["providers"]["provider_id"])
    return ([None] if alone else []) + list(keys)


def chart_name(chart_id: str, key: str | None = None) -> str:
    """The chart's element name: "ncmec-per-100k-trend", "provider-history-meta"."""
    return chart_id.replace("_", "-") + (f"-{key.lower()}" if key else "")


def build(ctx: Ctx, chart_id: str, key: str | None = None) -> Chart:
    """The chart, built once per package, language and key (its page and the CSV downloads share it)."""
    if chart_id not in BUILDERS:
        raise ValueError(f"unknown chart {chart_id!r}; expected one of {sorted(BUILDERS)}")
    if key is not None and chart_id not in KEYED:
        raise ValueError(f"chart {chart_id!r} takes no key; got {key!r}")
    if key is None and chart_id in KEYED and not KEYED[chart_id][1]:
        raise ValueError(f"chart {chart_id!r} needs a {KEYED[chart_id][0]} key")
    args = () if key is None else (key,)
    return derived(ctx.pkg, ("chart", chart_id, ctx.lang, key), lambda pkg: BUILDERS[chart_id](ctx, *args))


# --- HTML -----------------------------------------------------------------------------------

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
    Column("convictions__count", "col_convictions", "count"), Column("source_category", "col_source_category", "srccat"),
    Column("reports__count", "col_reports", "count"), Column("population__persons", "mt_population", "count"),
    Column("reports_per_100k__count", "mt_reports_per_100k", "num1"),
    Column("rank__position", "col_rank", "count"), Column("eu_reports_per_100k__count", "col_eu_per_100k", "num1"),
    Column("share_of_eu_total__pct", "col_share_of_eu_total_pct", "pct"),
    Column("population_share_eurostat__pct", "col_population_share_eurostat_pct", "pct"),
    Column("eu_population_share_printed__pct", "col_population_share_printed_pct", "pct"),
    Column("representation_index_eurostat__ratio", "col_representation_eurostat", "pp"),
    Column("representation_index_printed__ratio", "col_representation_printed", "pp"),
    Column("numerator__count", "col_numerator", "count"), Column("denominator__count", "col_denominator", "count"),
    Column("rate_computed__pct", "col_rate_computed_pct", "pct"), Column("rate_printed__pct", "col_rate_printed_pct", "pct"),
    Column("difference__pp", "difference_pp", "pp"), Column("matches_printed", "mt_matches", "bool"),
    Column("discrepancy", "col_discrepancy", "yesno"), Column("statistic", "mt_statistic", "stat"),
    Column("status", "mt_status", "status"), Column("reason_code", "col_reason"), Column("basis_note", "notes", "note"),
)}
# Internal ids, shown through another column (figure_id: its measure).
HIDDEN = ("figure_id",)
NUMERIC_KINDS = ("count", "pct", "pp", "num1")


def _reason_texts(ctx: Ctx, numbers: pd.DataFrame) -> pd.Series:
    """The reasons a member state gave for not giving a statistic in full, in the page's
    language (ms_nonreporting's reason_en/reason_sv), for each row of ``numbers`` (country_code,
    statistic as in metrics.completeness); "" where none. A reason code means different things
    for different countries ("not_collected"), so the text is taken per country and statistic."""
    texts = derived(ctx.pkg, ("reason_texts", ctx.lang), lambda pkg: _reason_texts_of(pkg, ctx.lang))
    # A dict look-up per row: a pandas merge per chart cost more than the rest of its table.
    return pd.Series([texts.get(pair, "") for pair in zip(numbers["country_code"], numbers["statistic"])],
                     index=numbers.index, dtype=object)


def _reason_texts_of(pkg, lang: str) -> dict[tuple[str, str], str]:
    """{(country_code, statistic): text}: the reasons of ms_nonreporting joined per country and
    statistic (once per package and language: every member state's chart reads them)."""
    reasons = pkg["ms_nonreporting"].copy()
    reasons["statistic"] = reasons["statistic"].map({v: k for k, v in metrics.COMPLETENESS_STATISTICS.items()})
    assert reasons["statistic"].notna().all(), "ms_nonreporting: a statistic unknown to metrics.completeness"
    joined = (reasons.groupby(["country_code", "statistic"])[f"reason_{lang}"]
              .agg(lambda s: " ".join(str(v) for v in s if not fmt.is_missing(v) and v)))
    return dict(zip(joined.index, joined.tolist()))


def _shown(ctx: Ctx, numbers: pd.DataFrame) -> pd.DataFrame:
    """``numbers`` as the table shows them: reason codes, whose words depend on the row,
    replaced by those words in the page's language (the CSV keeps the codes). Notes are
    worded by their column's kind (metric_tables.note_text)."""
    if "reason_code" not in numbers:
        return numbers
    return numbers.assign(reason_code=_reason_texts(ctx, numbers))


def _numbers_table(ctx: Ctx, chart: Chart, title: str) -> Markup:
    """The chart's numbers as a reader's table: names, headings with units, years as years."""
    unknown = [c for c in chart.numbers.columns if c not in COLUMNS and c not in HIDDEN]
    if unknown:
        raise ValueError(f"chart columns {unknown} have no heading in charts.COLUMNS")
    columns = [COLUMNS[c] for c in chart.numbers.columns if c in COLUMNS]
    shown = _shown(ctx, chart.numbers)
    if columns and columns[0].kind == "country":  # rows by the names shown, not by their codes
        shown = metric_tables.by_country_name(ctx, shown)
    rows = [[metric_tables.cell(ctx, c.kind, row[c.name]) for c in columns] for row in records(shown)]
    numeric = [i for i, c in enumerate(columns) if c.kind in NUMERIC_KINDS]
    return table([metric_tables.heading(ctx, c.header) for c in columns], rows, caption=title, numeric=numeric)


def slug(chart_id: str) -> str:
    """The chart's id in addresses and file names: ``ms_convictions`` -> ``ms-convictions``."""
    return chart_id.replace("_", "-")


def download_name(chart_id: str, version: str, lang: str, ext: str, key: str | None = None) -> str:
    """``ms-convictions-v1.2.0.csv`` (one CSV for both languages), ``ms-convictions-v1.2.0.svg``
    (English) and ``ms-convictions-v1.2.0-sv.svg`` (Swedish; PNG likewise); a keyed chart's
    own numbers add the key (``provider-history-meta-v1.2.0.csv``), a highlight does not."""
    assert ext in ("csv", "svg", "png"), ext
    suffix = "" if ext == "csv" or lang == "en" else f"-{lang}"
    return f"{chart_name(chart_id, download_key(chart_id, key))}-v{version}{suffix}.{ext}"


def download_key(chart_id: str, key: str | None) -> str | None:
    """The key a chart's downloads are made for: none where the key only highlights."""
    return None if chart_id in SAME_NUMBERS else key


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
        at = list(out.columns).index(code) + 1
        langs = ("en", "sv") if "{lang}" in column else ("",)
        for offset, lang in enumerate(langs):
            names = lookup(pkg, resource, code, column.format(lang=lang))  # {code: name}, once per build
            unknown = sorted(set(out[code].dropna()) - set(names))
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
    if "source_text" not in chart.drawings:  # the page, the embed page and the downloads each ask
        where = chart.cited or "{r}, {w}".format(r=sources.short_title(ctx, _commission_report(ctx)),
                                                  w=", ".join(source_label(s, ctx.lang) for s in chart.sources))
        population = t("source_eurostat", ctx.lang) if "population__persons" in chart.numbers else ""
        chart.drawings["source_text"] = str(Markup(where).striptags()) + str(Markup(population).striptags())
    return chart.drawings["source_text"]


def _commission_report(ctx: Ctx) -> str:
    """``sources.commission_report``, looked up once per package (every chart's source line
    and download footer names it)."""
    return derived(ctx.pkg, "commission_report", lambda pkg: sources.commission_report(ctx))


def _scene(chart: Chart, lang: str, layout: svgchart.Layout, chart_id: str) -> svgchart.Scene:
    """The chart laid out in ``layout`` (``svgchart.scene``), once per chart (read-only)."""
    key = ("scene", layout.name)
    if key not in chart.drawings:
        chart.drawings[key] = svgchart.scene(chart.figure, lang, layout, chart_id)
    return chart.drawings[key]


def static_svg(ctx: Ctx, chart_id: str, chart: Chart, name: str = "") -> Markup:
    """The chart drawn at build time, narrow (phones) and wide; CSS shows the one that fits."""
    name = name or slug(chart_id)
    key = ("static_svg", name)
    if key not in chart.drawings:
        title = t(f"chart_{chart_id}", ctx.lang)
        chart.drawings[key] = Markup("").join(
            svgchart.render_scene(_scene(chart, ctx.lang, layout, chart_id), title=title, description=chart.alt,
                                  layout=layout, ident=f"svg-{name}-{layout.name}")
            for layout in (svgchart.NARROW, svgchart.WIDE))
    return chart.drawings[key]


def export_footer(ctx: Ctx, chart: Chart) -> list[str]:
    """The lines under an exported chart: source, licences, the site's address and data version."""
    pkg = ctx.pkg
    licence = pkg.descriptor["licenses"][0]
    report = _commission_report(ctx)
    reuse = lookup(pkg, "sources", "source_id", "licence")[report]
    line = t("export_licence", ctx.lang, licence=licence["name"], url=licence["path"],
             report=sources.short_title(ctx, report), reuse=reuse)
    if "population__persons" in chart.numbers:
        line += t("export_licence_eurostat", ctx.lang)
    address = ctx.address or pkg.descriptor.get("homepage", "")
    return [t("export_source", ctx.lang, source=source_text(ctx, chart)), line,
            t("export_address", ctx.lang, url=address, version=pkg.version)]


def export_svg(ctx: Ctx, chart_id: str, key: str | None = None) -> str:
    """The chart's SVG download: title, takeaway, chart, source, licence, address, version."""
    chart = build(ctx, chart_id, key)
    title = t(f"chart_{chart_id}", ctx.lang)
    footer = export_footer(ctx, chart)
    if chart.preview is not None:  # the map: its own build-time drawing has no figure to lay out
        return svgchart.export_preview(chart.preview, lang=ctx.lang, title=title, takeaway=chart.takeaway,
                                       footer=footer, ident=f"export-{slug(chart_id)}")
    return svgchart.export_scene(_scene(chart, ctx.lang, svgchart.WIDE, chart_id), title=title,
                                 takeaway=chart.takeaway, footer=footer, ident=f"export-{slug(chart_id)}")


def _language_url(ctx: Ctx, path: str) -> str:
    """``path`` in the page's language: absolute under the site's address when it has one."""
    if not ctx.address:
        return ctx.url(path)
    return ctx.address + ("" if ctx.lang == "en" else f"{ctx.lang}/") + path


def _tools(ctx: Ctx, chart_id: str, key: str | None, chart: Chart, plot_id: str, embedded: bool,
           part: str = "tools") -> Markup:
    """The explore button, the downloads, the chart's link and its embed code
    (``templates/chart_tools.html``)."""
    version = ctx.pkg.version
    files = {ext: ctx.site_url("downloads/charts/" + download_name(chart_id, version, ctx.lang, ext, key))
             for ext in ("csv", "svg")}
    embedded_key = key if key in embed_keys(ctx, chart_id) else None
    embed = _language_url(ctx, f"embed/{chart_name(chart_id, embedded_key)}/")
    return Markup(_no_blank_lines(svgchart.templates().get_template("chart_tools.html").render(
        t=lambda k, **v: t(k, ctx.lang, **v), part=part, plot_id=plot_id, map=chart.preview is not None,
        anchor=f"chart-{chart_name(chart_id, key)}", csv=files["csv"], svg=files["svg"],
        png_name=download_name(chart_id, version, ctx.lang, "png", key), title=t(f"chart_{chart_id}", ctx.lang),
        embed=embed, embedded=embedded, height=_embed_height(ctx, chart_id, chart) if part != "explore" else 0)))


def _no_blank_lines(html: str) -> str:
    # A blank line would end Markdown's raw HTML block in the middle of the figure.
    return "\n".join(line for line in html.splitlines() if line.strip())


def _embed_height(ctx: Ctx, chart_id: str, chart: Chart) -> int:
    """Height for the embed iframe: the wide drawing plus title, takeaway and source lines."""
    if chart.preview is not None:
        return 720
    drawing = _scene(chart, ctx.lang, svgchart.WIDE, chart_id)
    return int(math.ceil(drawing.height / 10) * 10) + 260


# A control's name is the query parameter that keeps its choice in the chart's link (charts.js).
def _year_select(ctx: Ctx, chart: Chart, plot_id: str, name: str) -> Markup:
    if not chart.years:
        return Markup("")
    options = Markup("").join(Markup('<option value="{y}"{s}>{y}</option>').format(
        y=y, s=Markup(" selected") if y == chart.years[-1] else "") for y in chart.years)
    return Markup('<p class="chart-control"><label for="{i}-year">{l}</label> '
                  '<select id="{i}-year" name="{n}-year" class="js-plotly-select" data-target="{i}">{o}'
                  '</select></p>').format(i=plot_id, n=name, l=t("year", ctx.lang), o=options)


def _country_select(ctx: Ctx, chart_id: str, chart: Chart, plot_id: str, name: str) -> Markup:
    """The selector that highlights one member state against the others (charts.js restyles)."""
    if chart_id not in HIGHLIGHTABLE:
        return Markup("")
    names = [(ctx.country_name(c), c) for c in ctx.country_codes()]  # the report's order, as in its tables
    options = Markup('<option value=""{s}>{n}</option>').format(
        s=Markup(" selected") if not chart.highlight else "", n=t("highlight_none", ctx.lang))
    options += Markup("").join(Markup('<option value="{c}"{s}>{n}</option>').format(
        c=c, n=n, s=Markup(" selected") if c == chart.highlight else "") for n, c in names)
    return Markup('<p class="chart-control"><label for="{i}-country">{l}</label> '
                  '<select id="{i}-country" name="{n}-country" class="js-plotly-highlight" data-target="{i}">{o}'
                  '</select></p>').format(i=plot_id, n=name, l=t("highlight_country", ctx.lang), o=options)


def _takeaway(chart: Chart) -> Markup:
    """The takeaway; for a chart with a year selector, one per year (charts.js shows the selected one)."""
    if not chart.takeaways:
        return Markup('<span class="chart-takeaway">{t}</span>').format(t=chart.takeaway)
    latest = chart.years[-1]
    return Markup("").join(Markup('<span class="chart-takeaway" data-year="{y}"{h}>{t}</span>').format(
        y=year, t=text, h=Markup("") if year == latest else Markup(" hidden")) for year, text in chart.takeaways)


def chart_block(ctx: Ctx, chart_id: str, key: str | None = None, embedded: bool = False) -> Markup:
    """Title, takeaway, the chart (drawn at build time; Plotly on demand), its numbers as a
    table, the source, downloads, a link that keeps its state, and its embed code; with
    ``key``, the chart's version for one member state or provider."""
    chart = build(ctx, chart_id, key)
    title = t(f"chart_{chart_id}", ctx.lang)
    if key and chart_id in KEYED_TITLES:  # the one country's version names it
        title = t(KEYED_TITLES[chart_id], ctx.lang, name=ctx.country_name(key))
    name = chart_name(chart_id, key)
    plot_id = f"plot-{name}"
    controls = block(_year_select(ctx, chart, plot_id, name), _country_select(ctx, chart_id, chart, plot_id, name))
    klass = "js-plotly js-plotly--map" if chart.years else "js-plotly"
    if chart.preview:
        # The map's preview is an image without its own name: the div carries it.
        role = Markup(' role="img" aria-label="{alt}"').format(alt=chart.alt)
        inner = chart.preview
    else:
        # The static SVGs carry role="img" with the title and description.
        role, inner = Markup(""), Markup('<div class="chart-static">{s}</div>').format(
            s=static_svg(ctx, chart_id, chart, name))
    plot = Markup('<div class="{k}" id="{i}" data-plotly-draw="on-demand"{r} data-alt="{alt}" '
                  'data-plotly="{spec}">{inner}</div>').format(k=klass, i=plot_id, r=role, alt=chart.alt,
                                                               spec=chart.spec, inner=inner)
    # An embed page shows no table: it is not made there.
    details = Markup("") if embedded else Markup(
        '<details class="chart-data" data-search-exclude><summary>{s}</summary>{t}</details>').format(
        s=t("show_table", ctx.lang), t=_numbers_table(ctx, chart, title))
    source = paragraph(Markup("{s}: {w}.").format(s=t("source", ctx.lang), w=source_text(ctx, chart)),
                       "chart-source")
    explore = _tools(ctx, chart_id, key, chart, plot_id, embedded, "explore")
    tools = _tools(ctx, chart_id, key, chart, plot_id, embedded)
    # On an embed page the page's heading is the chart's title.
    heading = Markup("") if embedded else Markup('<strong class="chart-title">{t}</strong> ').format(t=title)
    return Markup('<figure class="chart" id="chart-{id}"><figcaption>{heading}'
                  '{take}</figcaption>{body}</figure>').format(
        id=name, heading=heading, take=_takeaway(chart),
        body=block(controls, plot, explore, details, source, tools))


def embed_keys(ctx: Ctx, chart_id: str) -> list[str | None]:
    """The versions of a chart that get an embed page: the chart itself, or, for a chart that
    exists only per provider or member state, each one's."""
    keys = chart_keys(ctx, chart_id)
    return [None] if None in keys else keys


def embed_block(ctx: Ctx, chart_id: str, key: str | None = None, page: str = "") -> Markup:
    """An embed page's body: the chart with its takeaway, source, downloads and licence, and a
    link to the page (``page``, in this language) where it stands with its table and notes."""
    chart = build(ctx, chart_id, key)
    licence = Markup("").join(paragraph(line, "chart-source") for line in export_footer(ctx, chart)[1:])
    more = paragraph(link(ctx.url(page) + f"#chart-{chart_name(chart_id, key)}", t("chart_embed_more", ctx.lang)))
    return block(chart_block(ctx, chart_id, key, embedded=True), licence, more)
