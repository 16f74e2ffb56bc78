"""Source lines from the ``sources`` resource: which publication (and where in it) a set of
rows comes from, and, for a yearly series, which years each publication gives.

A series can mix publications (Table 7 of the report for 2021-2022, NCMEC's own tables from
2023), so a page never writes one publication's name by hand; it cites the rows it shows.
"""

from __future__ import annotations

import pandas as pd

from transparency.context import Ctx
from transparency.derived import derived, lookup
from transparency.html import sources_label


def short_title(ctx: Ctx, source_id: str) -> str:
    """The source's short title (``sources.short_title``); raise naming an unknown id."""
    titles = lookup(ctx.pkg, "sources", "source_id", "short_title")
    if source_id not in titles:
        raise KeyError(f"source_id {source_id!r} is not in sources.csv")
    return str(titles[source_id])


def _years(years: list[int]) -> str:
    """[2021, 2022, 2023] -> '2021-2023'; [2021, 2023] -> '2021, 2023'."""
    years = sorted(set(years))
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return ", ".join(str(y) for y in years)


def cite(ctx: Ctx, rows: pd.DataFrame, location: str = "source") -> str:
    """'COM(2023) 797 final, Table 7 (2021-2022); NCMEC, ... (2023)' for the rows given.

    Sources are named in the order of their first year (or first row); the years are added
    only when the rows have a ``year`` column and come from more than one source.
    """
    assert "source_id" in rows, "cite() needs rows with a source_id column"
    order = rows.sort_values("year", kind="stable") if "year" in rows else rows
    parts = []
    ids = list(dict.fromkeys(order["source_id"]))
    for source_id in ids:
        mine = order[order["source_id"] == source_id]
        where = [code for code in mine[location] if isinstance(code, str) and code] if location in mine else []
        text = short_title(ctx, source_id) + (f", {sources_label(where, ctx.lang)}" if where else "")
        if "year" in mine and len(ids) > 1:
            text += f" ({_years([int(y) for y in mine['year'].dropna()])})"
        parts.append(text)
    return "; ".join(parts)


def commission_report(ctx: Ctx) -> str:
    """The one Commission report of the package (raise when there are several or none)."""
    reports = derived(ctx.pkg, "commission_reports", lambda pkg: list(
        pkg["sources"].loc[pkg["sources"]["kind"] == "commission_report", "source_id"]))
    if len(reports) != 1:
        raise ValueError(f"expected one commission_report in sources.csv, found {reports}; name the report")
    return reports[0]
