"""Country and provider profiles: everything the data package holds about one of them.

Source: every resource of the package that names a member state (``country_code``) or a
provider (``provider_id``). A profile is a run of sections, each an ``<h2>`` with a stable id
(``id="reports-received"``) followed by a table or a sentence; a section with no rows says
that the report has no such figure instead of showing an empty table. Years, countries and
providers come from the data, so a new report adds rows and no code. Derived numbers (EU
shares, reports per 100 000 inhabitants, reinstatement rates, completeness) come from
``transparency.metrics``; this module only selects rows and formats them.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd
from babel.dates import format_date
from markupsafe import Markup, escape

from transparency import charts, fmt, metric_tables, metrics, sources
from transparency.context import Ctx
from transparency.derived import derived, lookup, records, rows_for
from transparency.html import block, macros, paragraph, source_label, sources_label, table, text
from transparency.i18n import t
from transparency.package import Package

EM_DASH = "—"

# Decimals shown for numbers computed here (the report prints its shares with two).
SHARE_DECIMALS = 2
PER_100K_DECIMALS = 1

# Eurostat observation flags as letters ("bep" = break in series, estimated, provisional).
EUROSTAT_FLAGS = ("b", "e", "p")

# Completeness statistics of metrics.completeness -> the statistic names used in the data.
COMPLETENESS_TO_STATISTIC = metrics.COMPLETENESS_STATISTICS


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


# A profile's own pieces, laid out in templates/_profile.html (and _inline.html, _report_table.html).
def _pf():
    return macros("_profile.html")


def _inline():
    return macros("_inline.html")


# An interface string with {placeholders} filled by escaped data or our own Markup.
def _tm(key: str, lang: str, **values) -> Markup:
    return escape(t(key, lang)).format(**values)


# A section: <h2> with a stable id (md_in_html keeps it in the page's table of contents).
def _section(section_id: str, title: str, *parts: Markup) -> Markup:
    return _pf().section(section_id, title, block(*parts))


def _none(ctx: Ctx, key: str, name: str) -> Markup:
    return paragraph(_tm(key, ctx.lang, name=name), "profile-none")




# A figure with its status mark or word (fmt.value_html raises on a flagged value that is missing).
def _value(ctx: Ctx, row, column: str = "value", flag_column: str = "flag", **kw) -> Markup:
    return fmt.value_html(row.get(column), row[flag_column], ctx.lang,
                          low=row.get("value_low"), high=row.get("value_high"), **kw)


def _unit(ctx: Ctx, unit) -> str:
    return t(f"unit_{unit}", ctx.lang) if isinstance(unit, str) and unit else ""


def _period(ctx: Ctx, row) -> str:
    return text(row, "period_label", ctx.lang) or EM_DASH


# What a row's note is listed under: its period, or what it counts when it has none (a member
# state that reported nothing has the printed period "-", which labels nothing).
def _note_label(ctx: Ctx, row, what: str) -> str:
    return _period(ctx, row) if not fmt.is_missing(row.get("period_start")) else what


def _source(ctx: Ctx, code) -> str:
    return source_label(code, ctx.lang) if isinstance(code, str) and code else ""


# The report's own (Swedish) text, marked as Swedish on the English pages.
def _printed(value) -> Markup:
    if fmt.is_missing(value) or str(value) == "":
        return Markup("")
    return _pf().printed(value)


# Our note, followed by the report's table comment where there is one.
def _notes(ctx: Ctx, row, comment_column: str = "printed_comment") -> Markup:
    parts = [escape(text(row, "note", ctx.lang))] if text(row, "note", ctx.lang) else []
    comment = row.get(comment_column)
    if isinstance(comment, str) and comment:
        parts.append(_pf().comment(t("pf_table_comment", ctx.lang), comment))
    return _inline().lines(parts)


# A yes / no / unclear cell from a boolean column (read as boolean or as "true"/"false").
def _yes_no(ctx: Ctx, value) -> str:
    if fmt.is_missing(value) or value == "":
        return t("pf_unclear", ctx.lang)
    if isinstance(value, str):
        if value not in ("true", "false"):
            raise ValueError(f"not a boolean: {value!r}")
        value = value == "true"
    return t("yes" if bool(value) else "no", ctx.lang)


# A table, then its rows' notes as a definition list: long notes in a column squeeze the figures.
def _table(ctx: Ctx, head, body, notes, **kw) -> Markup:
    listed = [(label, note) for label, note in notes if note]
    if not listed:
        return table(head, body, **kw)
    return block(table(head, body, **kw), _pf().notes(t("notes", ctx.lang), listed))


def _caption(ctx: Ctx, key: str, rows: pd.DataFrame, name: str, column: str = "source") -> Markup:
    sources = [s for s in rows[column] if isinstance(s, str) and s] if column in rows else []
    title = _tm(key, ctx.lang, name=name)
    return _inline().bracketed(title, sources_label(sources, ctx.lang)) if sources else title


# Derived frames, once per package object: every page would otherwise recompute them (54 profiles).
_derived = derived


# ---------------------------------------------------------------------------------------------
# Member states
# ---------------------------------------------------------------------------------------------


def _completeness_of(pkg: Package) -> pd.DataFrame:
    """metrics.completeness over the package (ms_nonreporting may list one status twice
    with two reasons; only the status matters here, the reasons are shown in full below)."""
    nonreporting = pkg["ms_nonreporting"].drop_duplicates(["country_code", "statistic", "status"])
    return metrics.completeness(pkg["member_states"], pkg["ms_reports_received"],
                                pkg["ms_children_identified"], pkg["ms_convictions"], nonreporting)


def _completeness(ctx: Ctx) -> pd.DataFrame:
    return _derived(ctx.pkg, "completeness", _completeness_of)


def _status_cell(ctx: Ctx, status: str) -> Markup:
    return _pf().status(status, t(f"pf_completeness_{status}", ctx.lang))


def _ncmec_years(ctx: Ctx) -> list[int]:
    return [int(year) for year in sorted(ctx.pkg["ncmec_reports_by_country"]["year"].dropna().unique())]


def country_index(ctx: Ctx) -> Markup:
    """All member states in the alphabetical order of the page's language (names as shown):
    Article 8(1) status and NCMEC reports per year."""
    status = _completeness(ctx).set_index(["country_code", "statistic"])["status"]
    ncmec = ctx.pkg["ncmec_reports_by_country"].set_index(["country_code", "year"])["reports__count"]
    years = _ncmec_years(ctx)
    statistics = list(COMPLETENESS_TO_STATISTIC)
    body = []
    for code in sorted(ctx.country_codes(), key=lambda c: fmt.collation_key(ctx.country_name(c), ctx.lang)):
        cells = [_status_cell(ctx, status.get((code, s), "none")) for s in statistics]
        counts = [_count(ctx, ncmec.get((code, year))) for year in years]
        body.append([ctx.country_link(code), *cells, *counts])
    head = [t("country", ctx.lang)]
    head += [t(f"pf_stat_{COMPLETENESS_TO_STATISTIC[s]}", ctx.lang) for s in statistics]
    head += [t("pf_ncmec_in_year", ctx.lang, year=year) for year in years]
    numeric = range(1 + len(statistics), 1 + len(statistics) + len(years))
    note = paragraph(_tm("pf_index_status_note", ctx.lang))
    return block(table(head, body, caption=t("pf_cap_country_index", ctx.lang), numeric=numeric,
                       table_id="country-index"), note, _report_source(ctx, _COUNTRY_INDEX_RESOURCES))


# Resources behind the country index: the three Article 8(1) tables, the reasons, Table 7.
_COUNTRY_INDEX_RESOURCES = (("ms_reports_received", "source"), ("ms_children_identified", "source"),
                            ("ms_convictions", "source"), ("ms_nonreporting", "section"),
                            ("ncmec_reports_by_country", "source"))


# "Source: COM(2023) 797 final, Table 6, Table 7, section 2.2; NCMEC, ..." from the rows' own sources.
def _report_source(ctx: Ctx, resources) -> Markup:
    rows = pd.concat([ctx.pkg[name][["source_id", column]].rename(columns={column: "source"})
                      for name, column in resources], ignore_index=True)
    return paragraph(f"{t('source', ctx.lang)}: {sources.cite(ctx, rows)}.", "table-source")


def _count(ctx: Ctx, value) -> Markup:
    if fmt.is_missing(value):
        return fmt.value_html(None, "not_reported", ctx.lang)
    return escape(fmt.number(value, ctx.lang))


def country_profile(ctx: Ctx, code: str) -> Markup:
    """Everything the package holds about member state ``code``, one section per kind."""
    name = ctx.country_name(code)  # raises on an unknown code
    sections = [
        _overview(ctx, code, name),
        _reports_received(ctx, code, name),
        _ncmec(ctx, code, name),
        _population(ctx, code, name),
        _children(ctx, code, name),
        _convictions(ctx, code, name),
        _caveats(ctx, code, name),
        _nonreporting(ctx, code, name),
        _figures(ctx, "country_code", code, name),
    ]
    return _pf().sections([*sections, block(fmt.flag_legend(ctx.lang))])


# Completeness of the three Article 8(1) statistics, as a short list.
def _overview(ctx: Ctx, code: str, name: str) -> Markup:
    mine = _derived(ctx.pkg, "completeness_by_country", lambda p: _records_by(_completeness(ctx), "country_code")).get(code, [])
    listing = _pf().overview([{"statistic": t(f"pf_stat_{COMPLETENESS_TO_STATISTIC[row['statistic']]}", ctx.lang),
                               "status": _status_cell(ctx, row["status"])} for row in mine])
    return _section("overview", t("pf_h_overview", ctx.lang),
                    paragraph(_tm("pf_overview_intro", ctx.lang, name=name)), listing,
                    charts.chart_block(ctx, "ms_completeness", code))


def _reports_received(ctx: Ctx, code: str, name: str) -> Markup:
    rows = rows_for(ctx.pkg, "ms_reports_received", "country_code", code)
    title = t("pf_h_reports", ctx.lang)
    if rows.empty:
        return _section("reports-received", title, _none(ctx, "pf_none_figure", name))
    body, notes = [], []
    for row in records(rows):
        value = _value(ctx, row)
        if row["unit"] != "reports":
            value = _inline().followed(value, _unit(ctx, row["unit"]))
        body.append([_period(ctx, row), value, text(row, "report_source", ctx.lang),
                     _printed(row.get("printed")), _source(ctx, row["source"])])
        notes.append((_note_label(ctx, row, ctx.measure("reports_received")), _notes(ctx, row)))
    head = [t("period", ctx.lang), ctx.measure("reports_received"), t("report_source", ctx.lang),
            t("printed", ctx.lang), t("source", ctx.lang)]
    return _section("reports-received", title, _table(
        ctx, head, body, notes, caption=_caption(ctx, "pf_cap_reports", rows, name), numeric=[1],
        table_id="table-reports-received"))


def _ncmec(ctx: Ctx, code: str, name: str) -> Markup:
    pkg = ctx.pkg
    rows = rows_for(pkg, "ncmec_reports_by_country", "country_code", code).sort_values("year")
    title = t("pf_h_ncmec", ctx.lang)
    if rows.empty:
        return _section("ncmec-reports", title, _none(ctx, "pf_none_figure", name), _population_share(ctx, code))
    keys = ["country_code", "year"]
    shares = _derived(pkg, "eu_shares_by_key", lambda p: _by_key(metrics.eu_shares(
        p["ncmec_reports_by_country"], p["member_states"]), keys, ["share_of_eu_total__pct"]))
    per_100k = _derived(pkg, "reports_per_100k_by_key", lambda p: _by_key(metrics.reports_per_100k(
        p["ncmec_reports_by_country"], p["population"]), keys, ["population__persons", "reports_per_100k__count"]))
    # Each year's rows cite their own source (grouped once, not filtered per row).
    cited = {year: sources.cite(ctx, group) for year, group in rows.groupby("year", sort=False)}
    body, notes = [], []
    for row in records(rows):
        key = (code, row["year"])
        notes.append((str(int(row["year"])), text(row, "note", ctx.lang)))
        printed_share = row["share_of_eu_total_printed__pct"]
        # A source that prints no share (NCMEC's own tables) leaves the cell not applicable.
        share_flag = "reported" if not fmt.is_missing(printed_share) else (
            "not_reported" if _is_printed(ctx, row["source_id"]) else "not_applicable")
        body.append([
            str(int(row["year"])), _ncmec_count(ctx, row),
            fmt.value_html(printed_share, share_flag, ctx.lang, pct=True),
            _computed(ctx, shares["share_of_eu_total__pct"].get(key), pct=True),
            _computed(ctx, per_100k["population__persons"].get(key), decimals=0),
            _computed(ctx, per_100k["reports_per_100k__count"].get(key), decimals=PER_100K_DECIMALS),
            cited[row["year"]],
        ])
    head = [t("year", ctx.lang), t("pf_col_ncmec_reports", ctx.lang), t("pf_col_share_printed", ctx.lang),
            t("pf_col_share_computed", ctx.lang), t("pf_col_population", ctx.lang),
            t("pf_col_per_100k", ctx.lang), t("source", ctx.lang)]
    # Each year names its own source in the last column, so the caption names none.
    caption = _tm("pf_cap_ncmec", ctx.lang, name=name)
    how = paragraph(_tm("pf_ncmec_how", ctx.lang), "table-source")
    return _section("ncmec-reports", title, charts.chart_block(ctx, "ncmec_per_100k_trend", code),
                    _table(ctx, head, body, notes, caption=caption, numeric=range(1, 6),
                           table_id="table-ncmec-reports"),
                    metric_tables.break_notes(ctx, "ncmec_reports_by_country"), how, _population_share(ctx, code))


def _records_by(frame: pd.DataFrame, column: str) -> dict[object, list[dict]]:
    """The rows of ``frame`` as dicts, grouped by ``column`` (row order kept)."""
    out: dict[object, list[dict]] = {}
    for row in records(frame):
        out.setdefault(row[column], []).append(row)
    return out


def _by_key(frame: pd.DataFrame, keys: list[str], columns: list[str]) -> dict[str, dict]:
    """``{column: {key tuple: value}}``: the lookups of ``frame.set_index(keys)[column].get(key)``
    as dicts (a pandas lookup by a MultiIndex per cell was most of a profile's own time)."""
    indexed = frame.set_index(keys)
    return {column: dict(zip(indexed.index, indexed[column].to_numpy())) for column in columns}


# The count, its referrals/informational split where the source gives one, and an
# "uncertain" mark where two publications disagree (the note says why).
def _ncmec_count(ctx: Ctx, row) -> Markup:
    out = _count(ctx, row["reports__count"])
    parts = [f"{t(key, ctx.lang)}: {fmt.number(row[column], ctx.lang)}"
             for column, key in (("referrals__count", "pf_referrals"), ("informational__count", "pf_informational"))
             if column in row and not fmt.is_missing(row[column])]
    if parts:
        out = _inline().aside(out, "; ".join(parts))
    if not fmt.is_missing(row.get("uncertain")) and bool(row.get("uncertain")):
        out = _pf().uncertain(out, t("uncertain_mark", ctx.lang))
    return out


def _is_printed(ctx: Ctx, source_id: str) -> bool:
    return bool(lookup(ctx.pkg, "sources", "source_id", "printed")[source_id])


# A number computed here (never flagged: it is exact arithmetic on the inputs shown).
def _computed(ctx: Ctx, value, pct: bool = False, decimals: int | None = None) -> Markup:
    if fmt.is_missing(value):
        return fmt.value_html(None, "not_applicable", ctx.lang)
    if pct:
        return escape(fmt.percent(value, ctx.lang, SHARE_DECIMALS))
    return escape(fmt.number(round(float(value), decimals or 0), ctx.lang, decimals))


# Table 7's last column: the country's share of the EU population, printed without a year.
def _population_share(ctx: Ctx, code: str) -> Markup:
    rows = rows_for(ctx.pkg, "ncmec_population_share_printed", "country_code", code)
    parts = []
    for row in records(rows):
        value = row["eu_population_share_printed__pct"]
        flag = "not_reported" if fmt.is_missing(value) else "reported"
        sentence = _tm("pf_population_share_printed", ctx.lang,
                       value=fmt.value_html(value, flag, ctx.lang, pct=True), source=_source(ctx, row["source"]))
        note = text(row, "note", ctx.lang)
        parts.append(paragraph(_inline().followed(sentence, note) if note else sentence))
    return block(*parts)


def _population(ctx: Ctx, code: str, name: str) -> Markup:
    rows = rows_for(ctx.pkg, "population", "country_code", code).sort_values("year")
    title = t("pf_h_population", ctx.lang)
    if rows.empty:
        return _section("population", title, _none(ctx, "pf_none_population", name))
    body = [[str(int(row["year"])), _count(ctx, row["population__persons"]),
             _eurostat_flag(ctx, row.get("eurostat_flag"))] for row in records(rows)]
    head = [t("year", ctx.lang), t("pf_col_population", ctx.lang), t("pf_col_eurostat_flag", ctx.lang)]
    return _section("population", title, table(
        head, body, caption=_tm("pf_cap_population", ctx.lang, name=name), numeric=[1],
        table_id="table-population"), paragraph(_tm("pf_population_source", ctx.lang), "table-source"))


def _eurostat_flag(ctx: Ctx, flags) -> Markup:
    if fmt.is_missing(flags) or flags == "":
        return Markup("")
    unknown = set(flags) - set(EUROSTAT_FLAGS)
    if unknown:
        raise ValueError(f"unknown Eurostat flag(s) {sorted(unknown)} in {flags!r}")
    return _pf().eurostat_flags([{"flag": flag, "meaning": t(f"pf_eurostat_{flag}", ctx.lang)} for flag in flags])


def _children(ctx: Ctx, code: str, name: str) -> Markup:
    rows = rows_for(ctx.pkg, "ms_children_identified", "country_code", code)
    title = t("pf_h_children", ctx.lang)
    if rows.empty:
        return _section("children-identified", title, _none(ctx, "pf_none_figure", name))
    body, notes = [], []
    for row in records(rows):
        unknown = _value(ctx, row, "unknown_sex__count", "unknown_sex_flag")
        where = row.get("unknown_sex_printed_in")
        if isinstance(where, str) and where and where != "table_cell":
            unknown = _inline().aside(unknown, t(f"printed_in_{where}", ctx.lang))
        body.append([_period(ctx, row), _value(ctx, row, "girls__count", "girls_flag"),
                     _value(ctx, row, "boys__count", "boys_flag"), unknown,
                     _value(ctx, row, "total__count", "total_flag"), _source(ctx, row["source"])])
        notes.append((_note_label(ctx, row, t("pf_h_children", ctx.lang)), _notes(ctx, row)))
    head = [t("period", ctx.lang), t("girls", ctx.lang), t("boys", ctx.lang), t("unknown_sex", ctx.lang),
            t("total", ctx.lang), t("source", ctx.lang)]
    return _section("children-identified", title, _table(
        ctx, head, body, notes, caption=_caption(ctx, "pf_cap_children", rows, name), numeric=[1, 2, 3, 4],
        table_id="table-children-identified"))


def _convictions(ctx: Ctx, code: str, name: str) -> Markup:
    rows = rows_for(ctx.pkg, "ms_convictions", "country_code", code)
    title = t("pf_h_convictions", ctx.lang)
    if rows.empty:
        return _section("convictions", title, _none(ctx, "pf_none_figure", name))
    body = [[_period(ctx, row), _value(ctx, row, "convictions__count"), _printed(row.get("printed")),
             _source(ctx, row["source"])] for row in records(rows)]
    notes = [(_note_label(ctx, row, ctx.measure("convictions")), _notes(ctx, row)) for row in records(rows)]
    head = [t("period", ctx.lang), ctx.measure("convictions"), t("printed", ctx.lang), t("source", ctx.lang)]
    return _section("convictions", title, _table(
        ctx, head, body, notes, caption=_caption(ctx, "pf_cap_convictions", rows, name), numeric=[1],
        table_id="table-convictions"))


def _caveats(ctx: Ctx, code: str, name: str) -> Markup:
    rows = rows_for(ctx.pkg, "ms_caveats", "country_code", code)
    title = t("pf_h_caveats", ctx.lang)
    if rows.empty:
        return _section("caveats", title, _none(ctx, "pf_none_caveats", name))
    body = [[t(f"pf_stat_{row['statistic']}", ctx.lang), text(row, "note", ctx.lang), _source(ctx, row["section"])]
            for row in records(rows)]
    head = [t("pf_col_statistic", ctx.lang), t("pf_col_caveat", ctx.lang), t("source", ctx.lang)]
    return _section("caveats", title, table(
        head, body, caption=_caption(ctx, "pf_cap_caveats", rows, name, "section"), table_id="table-caveats"))


def _nonreporting(ctx: Ctx, code: str, name: str) -> Markup:
    rows = rows_for(ctx.pkg, "ms_nonreporting", "country_code", code)
    title = t("pf_h_nonreporting", ctx.lang)
    if rows.empty:
        return _section("not-reported", title, _none(ctx, "pf_none_nonreporting", name))
    body = [[t(f"pf_stat_{row['statistic']}", ctx.lang), t(f"pf_nonreporting_{row['status']}", ctx.lang),
             text(row, "reason", ctx.lang), _source(ctx, row["section"])] for row in records(rows)]
    head = [t("pf_col_statistic", ctx.lang), t("pf_col_status", ctx.lang), t("pf_col_reason", ctx.lang),
            t("source", ctx.lang)]
    return _section("not-reported", title, table(
        head, body, caption=_caption(ctx, "pf_cap_nonreporting", rows, name, "section"),
        table_id="table-not-reported"))


# ---------------------------------------------------------------------------------------------
# Figures in the text and table comments (both profiles)
# ---------------------------------------------------------------------------------------------


def _figures(ctx: Ctx, column: str, key: str, name: str) -> Markup:
    title = t("pf_h_figures", ctx.lang)
    rows = rows_for(ctx.pkg, "figures", column, key)
    if rows.empty:
        return _section("other-figures", title, _none(ctx, "pf_none_figures", name))
    body, notes = [], []
    for row in records(rows):
        pct = row.get("unit") == "percent"
        value = _value(ctx, row, pct=pct, decimals=_printed_decimals(row) if pct else None)
        scope = row.get("scope")
        if isinstance(scope, str) and scope:
            value = _inline().aside(value, t(f"scope_{scope}", ctx.lang))
        body.append([_figure_label(ctx, row), _figure_period(ctx, row), value, "" if pct else _unit(ctx, row["unit"]),
                     _printed(row.get("printed")), _source(ctx, row["source"])])
        notes.append((_figure_label(ctx, row), text(row, "note", ctx.lang)))
    head = [t("pf_col_figure", ctx.lang), t("period", ctx.lang), t("pf_col_value", ctx.lang), t("unit", ctx.lang),
            t("printed", ctx.lang), t("source", ctx.lang)]
    return _section("other-figures", title, _table(
        ctx, head, body, notes, caption=_tm("pf_cap_figures", ctx.lang, name=name), numeric=[2],
        table_id="table-other-figures"))


# The figure's label from the data where it has one, else the interface label of its measure.
def _figure_label(ctx: Ctx, row) -> str:
    return text(row, "label", ctx.lang) or ctx.measure(row['measure'])


# The figure's period: its printed label, its dates, or its year.
def _figure_period(ctx: Ctx, row) -> str:
    label = text(row, "period_label", ctx.lang)
    if label:
        return label
    start, end = row.get("period_start"), row.get("period_end")
    if not fmt.is_missing(start) and not fmt.is_missing(end):
        locale = fmt.LOCALES[ctx.lang]
        return f"{format_date(start, 'long', locale=locale)} – {format_date(end, 'long', locale=locale)}"
    year = row.get("year")
    return str(int(year)) if not fmt.is_missing(year) else EM_DASH


# Decimals of a printed percentage ("4,22 %" -> 2) so a figure keeps the report's precision.
def _printed_decimals(row) -> int:
    printed = str(row.get("printed", ""))
    head = printed.split("%")[0].strip()
    digits = head.replace("\u00a0", " ").split(" ")[-1]
    return len(digits.split(",")[1]) if "," in digits else 0


# ---------------------------------------------------------------------------------------------
# Providers
# ---------------------------------------------------------------------------------------------


def _detection_cell(ctx: Ctx, row) -> Markup:
    return _inline().aside(_inline().followed(_value(ctx, row), _unit(ctx, row["unit"])),
                           t(f"scope_{row['scope']}", ctx.lang))


def provider_index(ctx: Ctx) -> Markup:
    """All providers with links and what each detected, per year, with unit and scope."""
    rows = ctx.pkg["provider_detections"]
    years = [int(year) for year in sorted(rows["year"].dropna().unique())]
    body = []
    for provider in ctx.provider_ids():
        mine = rows[rows["provider_id"] == provider]
        cells = []
        for year in years:
            found = mine[mine["year"] == year]
            parts = [_detection_cell(ctx, row) for row in records(found)]
            cells.append(_inline().lines(parts) if parts else fmt.value_html(None, "not_reported", ctx.lang))
        body.append([ctx.provider_link(provider), *cells])
    head = [t("provider", ctx.lang), *(t("pf_detected_in_year", ctx.lang, year=year) for year in years)]
    return block(table(head, body, caption=t("pf_cap_provider_index", ctx.lang),
                       numeric=range(1, 1 + len(years)), table_id="provider-index"),
                 _report_source(ctx, [("provider_detections", "source")]), fmt.flag_legend(ctx.lang))


def provider_profile(ctx: Ctx, provider_id: str) -> Markup:
    """Everything the package holds about provider ``provider_id``, one section per kind."""
    name = ctx.provider_name(provider_id)  # raises on an unknown provider
    sections = [
        _scope(ctx, provider_id, name),
        _section("over-the-years", t("pf_h_over_the_years", ctx.lang), charts.chart_block(ctx, "provider_history", provider_id)),
        _detections(ctx, provider_id, name),
        _appeals(ctx, provider_id, name),
        _rates(ctx, provider_id, name),
        _legal_bases(ctx, provider_id, name),
        _transfer_grounds(ctx, provider_id, name),
        _traffic_data(ctx, provider_id, name),
        _listed(ctx, provider_id, name, "safeguards", "provider_safeguards", "safeguards", "safeguard_id"),
        _listed(ctx, provider_id, name, "data-protection", "provider_data_protection",
                "data_protection_measures", "measure_id"),
        _retention(ctx, provider_id, name),
        _data_sharing(ctx, provider_id, name),
        _figures(ctx, "provider_id", provider_id, name),
    ]
    return _pf().sections([*sections, block(fmt.flag_legend(ctx.lang))])


# Services the figures cover, the former name and our note (e.g. X's unclear scope).
def _scope(ctx: Ctx, provider_id: str, name: str) -> Markup:
    row = rows_for(ctx.pkg, "providers", "provider_id", provider_id).iloc[0]
    parts = []
    if text(row, "services_in_scope", ctx.lang):
        parts.append(paragraph(_tm("pf_services_in_scope", ctx.lang, text=text(row, "services_in_scope", ctx.lang))))
    former = row.get("former_name")
    if isinstance(former, str) and former:
        parts.append(paragraph(_tm("pf_former_name", ctx.lang, name=name, former=former)))
    if text(row, "note", ctx.lang):
        parts.append(_pf().admonition(t("note", ctx.lang), text(row, "note", ctx.lang)))
    if not parts:
        parts.append(_none(ctx, "pf_none_scope", name))
    return _section("scope", t("pf_h_scope", ctx.lang), *parts)


def _detections(ctx: Ctx, provider_id: str, name: str) -> Markup:
    rows = rows_for(ctx.pkg, "provider_detections", "provider_id", provider_id).sort_values("year", kind="stable")
    title = t("pf_h_detections", ctx.lang)
    if rows.empty:
        return _section("detections", title, _none(ctx, "pf_none_figure", name))
    body = [[str(int(row["year"])), _value(ctx, row), _unit(ctx, row["unit"]), t(f"scope_{row['scope']}", ctx.lang),
             _period(ctx, row), _printed(row.get("printed")), _source(ctx, row["source"])]
            for row in records(rows)]
    notes = [(str(int(row["year"])), text(row, "note", ctx.lang)) for row in records(rows)]
    head = [t("year", ctx.lang), t("pf_col_value", ctx.lang), t("unit", ctx.lang), t("scope", ctx.lang),
            t("period", ctx.lang), t("printed", ctx.lang), t("source", ctx.lang)]
    return _section("detections", title, _table(
        ctx, head, body, notes, caption=_caption(ctx, "pf_cap_detections", rows, name), numeric=[1],
        table_id="table-detections"))


def _appeals(ctx: Ctx, provider_id: str, name: str) -> Markup:
    rows = rows_for(ctx.pkg, "provider_appeals", "provider_id", provider_id).sort_values("year", kind="stable")
    title = t("pf_h_appeals", ctx.lang)
    if rows.empty:
        return _section("appeals", title, _none(ctx, "pf_none_figure", name))
    body = [[str(int(row["year"])), ctx.measure(row['measure']), _value(ctx, row),
             _unit(ctx, row["unit"]), _printed(row.get("printed")), _source(ctx, row["source"])]
            for row in records(rows)]
    notes = [(f"{int(row['year'])}, {ctx.measure(row['measure']).lower()}", text(row, "note", ctx.lang))
             for row in records(rows)]
    head = [t("year", ctx.lang), t("pf_col_figure", ctx.lang), t("pf_col_value", ctx.lang), t("unit", ctx.lang),
            t("printed", ctx.lang), t("source", ctx.lang)]
    return _section("appeals", title, _table(
        ctx, head, body, notes, caption=_caption(ctx, "pf_cap_appeals", rows, name), numeric=[2],
        table_id="table-appeals"))


def _rates(ctx: Ctx, provider_id: str, name: str) -> Markup:
    frame = ctx.pkg["provider_reinstatement_rates"]
    computed = _derived(ctx.pkg, "reinstatement_rates",
                        lambda p: metrics.reinstatement_rates(p["provider_reinstatement_rates"]))
    mask = (frame["provider_id"] == provider_id).to_numpy()
    rows, computed = frame[mask], computed[mask]
    title = t("pf_h_rates", ctx.lang)
    if rows.empty:
        return _section("reinstatement-rates", title, _none(ctx, "pf_none_figure", name))
    body, notes = [], []
    for row, calc in zip(records(rows), records(computed)):
        printed_rate = macros("_report_table.html").rate(
            _value(ctx, row, "rate_printed__pct", pct=True, decimals=_printed_decimals(row)),
            _value(ctx, row, "numerator", "numerator_flag"), t("of", ctx.lang),
            _value(ctx, row, "denominator", "denominator_flag"))
        basis = t(f"pf_basis_{row['basis']}", ctx.lang)
        body.append([str(int(row["year"])), basis, _unit(ctx, row["unit_basis"]), printed_rate,
                     _printed(row.get("printed")), _rate_computed(ctx, calc), _source(ctx, row["source"])])
        label = f"{int(row['year'])}, {t('pf_col_basis', ctx.lang).lower()} {basis}"
        notes.append((label, text(row, "note", ctx.lang)))
    head = [t("year", ctx.lang), t("pf_col_basis", ctx.lang), t("unit", ctx.lang), t("pf_col_rate_printed", ctx.lang),
            t("printed", ctx.lang), t("pf_col_rate_computed", ctx.lang), t("source", ctx.lang)]
    return _section("reinstatement-rates", title, _table(
        ctx, head, body, notes, caption=_caption(ctx, "pf_cap_rates", rows, name), numeric=[3, 5],
        table_id="table-reinstatement-rates"))


# The rate recomputed from numerator and denominator, or why it cannot be.
def _rate_computed(ctx: Ctx, calc) -> Markup:
    if calc["status"] != metrics.COMPUTED:
        reason = t(f"pf_reason_{calc['basis_note'].replace(' ', '_')}", ctx.lang)
        return _inline().aside(fmt.value_html(None, "not_applicable", ctx.lang), reason)
    flag = "approximate" if calc["basis_note"] == "inputs approximate" else "reported"
    value = fmt.value_html(calc["rate_computed__pct"], flag, ctx.lang, pct=True)
    verdict = calc["matches_printed"]
    if fmt.is_missing(verdict):
        return value
    return _inline().aside(value, t("matches" if verdict else "differs", ctx.lang))


def _legal_bases(ctx: Ctx, provider_id: str, name: str) -> Markup:
    rows = rows_for(ctx.pkg, "provider_legal_bases", "provider_id", provider_id)
    title = t("pf_h_legal_bases", ctx.lang)
    if rows.empty:
        return _section("legal-bases", title, _none(ctx, "pf_none_items", name))
    body = [[row["gdpr_provision"], text(row, "label", ctx.lang), _yes_no(ctx, row.get("article_stated_explicitly")),
             _source(ctx, row["source"])] for row in records(rows)]
    notes = [(row["gdpr_provision"], text(row, "note", ctx.lang)) for row in records(rows)]
    head = [t("pf_col_gdpr", ctx.lang), t("pf_col_ground", ctx.lang), t("pf_col_explicit", ctx.lang),
            t("source", ctx.lang)]
    return _section("legal-bases", title, _table(
        ctx, head, body, notes, caption=_caption(ctx, "pf_cap_legal_bases", rows, name), table_id="table-legal-bases"))


def _transfer_grounds(ctx: Ctx, provider_id: str, name: str) -> Markup:
    rows = rows_for(ctx.pkg, "provider_transfer_grounds", "provider_id", provider_id)
    title = t("pf_h_transfer_grounds", ctx.lang)
    if rows.empty:
        return _section("transfer-grounds", title, _none(ctx, "pf_none_items", name))
    body = [[row["gdpr_provision"], text(row, "label", ctx.lang), row.get("recipient") or EM_DASH,
             _source(ctx, row["source"])] for row in records(rows)]
    notes = [(row["gdpr_provision"], text(row, "note", ctx.lang)) for row in records(rows)]
    head = [t("pf_col_gdpr", ctx.lang), t("pf_col_ground", ctx.lang), t("pf_col_recipient", ctx.lang),
            t("source", ctx.lang)]
    return _section("transfer-grounds", title, _table(
        ctx, head, body, notes, caption=_caption(ctx, "pf_cap_transfer_grounds", rows, name),
        table_id="table-transfer-grounds"))


def _traffic_data(ctx: Ctx, provider_id: str, name: str) -> Markup:
    rows = rows_for(ctx.pkg, "provider_traffic_data", "provider_id", provider_id)
    title = t("pf_h_traffic_data", ctx.lang)
    if rows.empty:
        return _section("traffic-data", title, _none(ctx, "pf_none_items", name))
    body = [[f"({row['list_item']})", text(row, "label", ctx.lang), _source(ctx, row["source"])]
            for row in records(rows)]
    head = [t("pf_col_item", ctx.lang), t("pf_col_category", ctx.lang), t("source", ctx.lang)]
    return _section("traffic-data", title, table(
        head, body, caption=_caption(ctx, "pf_cap_traffic_data", rows, name), table_id="table-traffic-data"))


# A provider's items from a link resource, labelled from the item resource (list order kept).
def _listed(ctx: Ctx, provider_id: str, name: str, section_id: str, link_resource: str,
            item_resource: str, key: str) -> Markup:
    links = rows_for(ctx.pkg, link_resource, "provider_id", provider_id)
    items = ctx.pkg[item_resource]
    unknown = set(links[key]) - set(items[key])
    if unknown:
        raise ValueError(f"{link_resource}: {sorted(unknown)} not in {item_resource}")
    mine = items[items[key].isin(set(links[key]))]
    kind = section_id.replace("-", "_")
    title = t(f"pf_h_{kind}", ctx.lang)
    if mine.empty:
        return _section(section_id, title, _none(ctx, "pf_none_items", name))
    sources = links.set_index(key)["source"]
    body = [[f"({row['list_item']})", text(row, "label", ctx.lang), _source(ctx, sources[row[key]])]
            for row in records(mine)]
    notes = [(f"({row['list_item']})", text(row, "note", ctx.lang)) for row in records(mine)]
    head = [t("pf_col_item", ctx.lang), t(f"pf_col_{kind}", ctx.lang), t("source", ctx.lang)]
    return _section(section_id, title, _table(
        ctx, head, body, notes, caption=_caption(ctx, f"pf_cap_{kind}", links, name), table_id=f"table-{section_id}"))


def _retention(ctx: Ctx, provider_id: str, name: str) -> Markup:
    rows = rows_for(ctx.pkg, "provider_retention", "provider_id", provider_id)
    title = t("pf_h_retention", ctx.lang)
    if rows.empty:
        return _section("retention", title, _none(ctx, "pf_none_items", name))
    body = [[text(row, "label", ctx.lang), _retention_value(ctx, row), _printed(row.get("printed")),
             _source(ctx, row["source"])] for row in records(rows)]
    notes = [(text(row, "label", ctx.lang), text(row, "note", ctx.lang)) for row in records(rows)]
    head = [t("pf_col_data", ctx.lang), t("pf_col_kept_for", ctx.lang), t("printed", ctx.lang), t("source", ctx.lang)]
    return _section("retention", title, _table(
        ctx, head, body, notes, caption=_caption(ctx, "pf_cap_retention", rows, name), table_id="table-retention"))


# "90 days", "≤ 12 months", or in words where there is no length ("indefinitely").
def _retention_value(ctx: Ctx, row) -> Markup:
    if fmt.is_missing(row.get("retention")):
        return escape(t(f"pf_retention_{row['retention_kind']}", ctx.lang))
    return _inline().followed(_value(ctx, row, "retention"), _unit(ctx, row["retention_unit"]))


def _data_sharing(ctx: Ctx, provider_id: str, name: str) -> Markup:
    rows = rows_for(ctx.pkg, "provider_data_sharing", "provider_id", provider_id).sort_values("year", kind="stable")
    title = t("pf_h_data_sharing", ctx.lang)
    if rows.empty:
        return _section("data-sharing", title, _none(ctx, "pf_none_items", name))
    body = [[str(int(row["year"])), row["organisation_name"], _period(ctx, row),
             _yes_no(ctx, row.get("commission_notified")), _source(ctx, row["source"])]
            for row in records(rows)]
    notes = [(f"{int(row['year'])}, {row['organisation_name']}", text(row, "note", ctx.lang))
             for row in records(rows)]
    head = [t("year", ctx.lang), t("pf_col_organisation", ctx.lang), t("period", ctx.lang),
            t("pf_col_notified", ctx.lang), t("source", ctx.lang)]
    return _section("data-sharing", title, _table(
        ctx, head, body, notes, caption=_caption(ctx, "pf_cap_data_sharing", rows, name),
        table_id="table-data-sharing"))
