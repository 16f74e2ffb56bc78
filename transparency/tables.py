"""The report's nine tables, rendered from the data package.

A report table is the set of rows whose ``source`` names it (``table_1`` ...), so a new report
adds rows, not code. Each table shows the status of every figure (see ``fmt.value_html``),
the printed reporting period, our notes, the source, and the flag legend.
"""

from __future__ import annotations

import re

import pandas as pd
from markupsafe import Markup

from transparency import discrepancies, fmt
from transparency.context import Ctx
from transparency.derived import records
from transparency.html import block, paragraph, source_label, table, text
from transparency.i18n import t

EM_DASH = "—"


class _Notes:
    """A table's notes: a numbered link in the row, the text in a list under the table."""

    def __init__(self, ctx: Ctx, table_id: str):
        self.ctx, self.table_id, self.texts = ctx, table_id, {}

    def mark(self, rows: pd.DataFrame | pd.Series | dict) -> Markup:
        links = []
        for row in [rows] if isinstance(rows, (pd.Series, dict)) else records(rows):
            note = text(row, "note", self.ctx.lang)
            if note:
                number = self.texts.setdefault(note, len(self.texts) + 1)
                links.append(Markup('<a href="#{t}-note-{n}" class="note-ref" aria-label="{w} {n}">{n}</a>').format(
                    t=self.table_id, n=number, w=t("note", self.ctx.lang)))
        return Markup(", ").join(dict.fromkeys(links))

    def html(self) -> Markup:
        if not self.texts:
            return Markup("")
        items = Markup("").join(Markup('<li id="{t}-note-{n}">{x}</li>').format(t=self.table_id, n=n, x=x)
                                for x, n in self.texts.items())
        return Markup('<ol class="table-notes" aria-label="{l}">{i}</ol>').format(l=t("notes", self.ctx.lang), i=items)


def _rows(ctx: Ctx, resource: str, source: str) -> pd.DataFrame:
    frame = ctx.pkg[resource]
    rows = frame[frame["source"] == source]
    if rows.empty:
        raise ValueError(f"no rows of {resource} have source {source!r}")
    return rows


def _value(ctx: Ctx, row, column: str = "value", flag_column: str = "flag", **kw) -> Markup:
    low, high = row.get("value_low"), row.get("value_high")
    return fmt.value_html(row[column], row[flag_column], ctx.lang, low=low, high=high, **kw)


def _unit(ctx: Ctx, unit) -> str:
    return t(f"unit_{unit}", ctx.lang) if isinstance(unit, str) and unit else ""


def _period(ctx: Ctx, row) -> Markup:
    label = text(row, "period_label", ctx.lang) or EM_DASH
    if pd.isna(row.get("period_start")):
        return Markup("{l}").format(l=label)
    return fmt.period_html(label, row["period_start"], row["period_end"], ctx.lang)


def _caption(ctx: Ctx, number: int, title_key: str) -> Markup:
    return Markup("{n}: {title}").format(n=t("table_n", ctx.lang, n=number), title=t(title_key, ctx.lang))


def _footer(ctx: Ctx, number: int, notes: _Notes) -> Markup:
    source = Markup("{s}: COM(2023) 797 final, {table}.").format(
        s=t("source", ctx.lang), table=source_label(f"table_{number}", ctx.lang))
    return block(notes.html(), discrepancies.note(ctx, f"table_{number}"), paragraph(source, "table-source"),
                 fmt.flag_legend(ctx.lang))


def _group(rows: pd.DataFrame, column: str) -> dict[object, list[dict]]:
    """The rows as dicts grouped by ``column`` (row order kept): one pass per table instead of
    a boolean filter per country or provider."""
    out: dict[object, list[dict]] = {}
    for row in records(rows):
        out.setdefault(row[column], []).append(row)
    return out


def _ordered_providers(ctx: Ctx, rows: pd.DataFrame) -> list[str]:
    return [p for p in ctx.provider_ids() if p in set(rows["provider_id"])]


def _ordered_countries(ctx: Ctx, rows: pd.DataFrame) -> list[str]:
    return [c for c in ctx.country_codes() if c in set(rows["country_code"])]


# Tables 1-2: what each provider detected, with unit and scope.
def detections(ctx: Ctx, number: int) -> Markup:
    rows = _rows(ctx, "provider_detections", f"table_{number}")
    notes, body = _Notes(ctx, f"table-{number}"), []
    by_provider = _group(rows, "provider_id")
    for provider in _ordered_providers(ctx, rows):
        for row in by_provider[provider]:
            body.append([ctx.provider_link(provider), _value(ctx, row), _unit(ctx, row["unit"]),
                         t(f"scope_{row['scope']}", ctx.lang), _period(ctx, row), notes.mark(row)])
    head = [t("provider", ctx.lang), t("detected", ctx.lang), t("unit", ctx.lang), t("scope", ctx.lang),
            t("period", ctx.lang), t("notes", ctx.lang)]
    return block(table(head, body, caption=_caption(ctx, number, "caption_detections"), numeric=[1],
                       table_id=f"table-{number}"), _footer(ctx, number, notes))


# Tables 3-4: complaints and reinstatements, one column per measure.
def appeals(ctx: Ctx, number: int) -> Markup:
    rows = _rows(ctx, "provider_appeals", f"table_{number}")
    measures = ["complaints", "accounts_reinstated", "content_reinstated"]
    notes, body = _Notes(ctx, f"table-{number}"), []
    for provider in _ordered_providers(ctx, rows):
        mine = rows[rows["provider_id"] == provider].set_index("measure")
        cells = [_value(ctx, mine.loc[m]) if m in mine.index else t("flag_not_reported", ctx.lang) for m in measures]
        body.append([ctx.provider_link(provider), *cells, notes.mark(mine.reset_index())])
    head = [t("provider", ctx.lang), *(ctx.measure(m) for m in measures), t("notes", ctx.lang)]
    return block(table(head, body, caption=_caption(ctx, number, "caption_appeals"), numeric=[1, 2, 3],
                       table_id=f"table-{number}"), _footer(ctx, number, notes))


def _printed_decimals(printed: str) -> int:
    """Decimals of the first percentage in a printed cell ("4,22 %" -> 2, "0 %" -> 0)."""
    match = re.search(r"\d+(?:[,.](\d+))?\s*%", str(printed))
    return len(match.group(1) or "") if match else 2


def _rate_cell(ctx: Ctx, row) -> Markup:
    rate = _value(ctx, row, "rate_printed__pct", pct=True, decimals=_printed_decimals(row.get("printed", "")))
    if pd.isna(row.get("numerator")) or pd.isna(row.get("denominator")):
        return rate
    return Markup("{r} ({n} {of} {d})").format(
        r=rate, n=_value(ctx, row, "numerator", "numerator_flag"), of=t("of", ctx.lang),
        d=_value(ctx, row, "denominator", "denominator_flag"))


# Table 5: reinstatement rates as printed, with the numerators and denominators printed.
def rates(ctx: Ctx, number: int = 5) -> Markup:
    rows = _rows(ctx, "provider_reinstatement_rates", f"table_{number}")
    years = sorted(rows["year"].dropna().unique())
    bases = ["of_appeals", "of_actioned"]
    notes, body = _Notes(ctx, f"table-{number}"), []
    for provider in _ordered_providers(ctx, rows):
        mine = rows[rows["provider_id"] == provider]
        cells = []
        for year in years:
            for basis in bases:
                found = mine[(mine["year"] == year) & (mine["basis"] == basis)]
                parts = [Markup("{c}{u}").format(c=_rate_cell(ctx, r), u=_basis_unit(ctx, r)) for r in records(found)]
                cells.append(Markup("<br>").join(parts) if parts else t("flag_not_reported", ctx.lang))
        body.append([ctx.provider_link(provider), *cells, notes.mark(mine)])
    head = [t("provider", ctx.lang)]
    head += [t(f"rate_{basis}", ctx.lang, year=int(year)) for year in years for basis in bases]
    head.append(t("notes", ctx.lang))
    return block(table(head, body, caption=_caption(ctx, number, "caption_rates"),
                       numeric=range(1, 1 + 2 * len(years)), table_id=f"table-{number}"), _footer(ctx, number, notes))


def _basis_unit(ctx: Ctx, row) -> Markup:
    if row.get("unit_basis") == "content_items" or row.get("printed_in") == "table_comment":
        return Markup(' <span class="basis">[{u}; {w}]</span>').format(
            u=_unit(ctx, row.get("unit_basis")), w=t(f"printed_in_{row.get('printed_in', 'table_cell')}", ctx.lang))
    return Markup("")


# Table 6: reports received by member states, with period and source of the reports.
def received(ctx: Ctx, number: int = 6) -> Markup:
    rows = _rows(ctx, "ms_reports_received", f"table_{number}")
    notes, body = _Notes(ctx, f"table-{number}"), []
    by_country = _group(rows, "country_code")
    for code in _ordered_countries(ctx, rows):
        for row in by_country[code]:
            value = _value(ctx, row)
            if row["unit"] != "reports":
                value = Markup("{v} {u}").format(v=value, u=_unit(ctx, row["unit"]))
            body.append([ctx.country_link(code), _period(ctx, row), value,
                         text(row, "report_source", ctx.lang), notes.mark(row)])
    head = [t("country", ctx.lang), t("period", ctx.lang), ctx.measure("reports_received"),
            t("report_source", ctx.lang), t("notes", ctx.lang)]
    return block(table(head, body, caption=_caption(ctx, number, "caption_received"), numeric=[2],
                       table_id=f"table-{number}"), _footer(ctx, number, notes))


# Table 7: NCMEC reports per member state and year, printed shares, printed totals.
def ncmec(ctx: Ctx, number: int = 7) -> Markup:
    rows = _rows(ctx, "ncmec_reports_by_country", f"table_{number}")
    years = sorted(rows["year"].unique())
    pop = ctx.pkg["ncmec_population_share_printed"].set_index("country_code")
    notes, body = _Notes(ctx, f"table-{number}"), []
    for code in _ordered_countries(ctx, rows):
        mine = rows[rows["country_code"] == code].set_index("year")
        cells = []
        for year in years:
            row = mine.loc[year]
            cells += [Markup("{v} {n}").format(v=fmt.number(row["reports__count"], ctx.lang), n=notes.mark(row)),
                      fmt.percent(row["share_of_eu_total_printed__pct"], ctx.lang)]
        if code in pop.index:
            cells.append(Markup("{v} {n}").format(v=fmt.percent(pop.at[code, "eu_population_share_printed__pct"], ctx.lang),
                                                   n=notes.mark(pop.loc[code])))
        else:
            cells.append(t("flag_not_reported", ctx.lang))
        body.append([ctx.country_link(code), *cells])
    totals = [t("total_printed", ctx.lang)]
    for year in years:
        totals += [_printed_total(ctx, int(year)), ""]
    totals.append("")
    head = [t("country", ctx.lang)]
    for year in years:
        head += [t("reports_in_year", ctx.lang, year=int(year)), t("share_of_eu_in_year", ctx.lang, year=int(year))]
    head.append(t("share_of_eu_population_printed", ctx.lang))
    return block(table(head, body, caption=_caption(ctx, number, "caption_ncmec"),
                       numeric=range(1, 2 + 2 * len(years)), table_id=f"table-{number}", foot=[totals]),
                 _footer(ctx, number, notes))


def _printed_total(ctx: Ctx, year: int) -> Markup:
    figures = ctx.pkg["figures"]
    found = figures[(figures["measure"] == "reports_sent_eu_total") & (figures["year"] == year)]
    if found.empty:
        return Markup(t("flag_not_reported", ctx.lang))
    return _value(ctx, found.iloc[0])


# Table 8: children identified, by sex, with the report's printed total row.
def children(ctx: Ctx, number: int = 8) -> Markup:
    rows = _rows(ctx, "ms_children_identified", f"table_{number}")
    notes, body = _Notes(ctx, f"table-{number}"), []
    by_country = _group(rows, "country_code")
    for code in _ordered_countries(ctx, rows):
        for row in by_country[code]:
            counts = [_value(ctx, row, f"{part}__count", f"{part}_flag") for part in ("girls", "boys", "total")]
            body.append([ctx.country_link(code), _period(ctx, row), *counts, notes.mark(row)])
    head = [t("country", ctx.lang), t("period", ctx.lang), t("girls", ctx.lang), t("boys", ctx.lang),
            t("total", ctx.lang), t("notes", ctx.lang)]
    figures = ctx.pkg["figures"].set_index("figure_id")
    foot = [t("total_printed", ctx.lang), ""]
    for part in ("girls", "boys", "total"):
        key = f"ms_children_total_printed_{part}"
        foot.append(_value(ctx, figures.loc[key]) if key in figures.index else "")
    foot.append("")
    return block(table(head, body, caption=_caption(ctx, number, "caption_children"), numeric=[2, 3, 4],
                       table_id=f"table-{number}", foot=[foot]), _footer(ctx, number, notes))


# Table 9: convictions, one row per country and period (Poland has three).
def convictions(ctx: Ctx, number: int = 9) -> Markup:
    rows = _rows(ctx, "ms_convictions", f"table_{number}")
    notes, body = _Notes(ctx, f"table-{number}"), []
    by_country = _group(rows, "country_code")
    for code in _ordered_countries(ctx, rows):
        for row in by_country[code]:
            body.append([ctx.country_link(code), _period(ctx, row),
                         _value(ctx, row, "convictions__count"), notes.mark(row)])
    head = [t("country", ctx.lang), t("period", ctx.lang), ctx.measure("convictions"), t("notes", ctx.lang)]
    return block(table(head, body, caption=_caption(ctx, number, "caption_convictions"), numeric=[2],
                       table_id=f"table-{number}"), _footer(ctx, number, notes))


# Which renderer draws which report table: the resource decides, not the number.
RENDERERS = {
    "provider_detections": detections,
    "provider_appeals": appeals,
    "provider_reinstatement_rates": rates,
    "ms_reports_received": received,
    "ncmec_reports_by_country": ncmec,
    "ms_children_identified": children,
    "ms_convictions": convictions,
}


def report_table(ctx: Ctx, number: int) -> Markup:
    """Render the report's Table ``number`` from whichever resource holds its rows."""
    source = f"table_{number}"
    for resource, render in RENDERERS.items():
        frame = ctx.pkg[resource]
        if "source" in frame and (frame["source"] == source).any():
            return render(ctx, number)
    raise ValueError(f"no resource holds rows of {source!r}; known tables come from {sorted(RENDERERS)}")
