"""Frames computed from a loaded package once per build, kept on the package itself
(``Package.derived``), and indexes over its resources for lookup by key.

A build renders about a hundred pages in two languages; without this, each page recomputed
the metrics it shows and filtered whole resources row by row for one country or provider.
Everything here lives exactly as long as the ``Package`` object, which
``transparency.package.load_package`` caches by the content of its files: edited data is a
new object with nothing derived yet, so no result outlives the data it came from.
"""

from __future__ import annotations

from typing import Callable, Hashable, TypeVar

import pandas as pd

from transparency.package import Package

T = TypeVar("T")


def derived(pkg: Package, key: Hashable, compute: Callable[[Package], T]) -> T:
    """``compute(pkg)``, computed once per package object and kept under ``key``.

    ``key`` must name everything the result depends on besides the package (a language, a
    chart id): two callers with the same key get the same object, so treat it as read-only.
    """
    if key not in pkg.derived:
        pkg.derived[key] = compute(pkg)
    return pkg.derived[key]


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as dicts (column -> value; a missing value stays ``<NA>``), for
    loops that read a few cells of each row: ``DataFrame.iterrows`` builds a Series per row,
    which made row loops the largest part of rendering a page."""
    columns = list(frame.columns)
    return [dict(zip(columns, values)) for values in zip(*(frame[column].tolist() for column in columns))]


def rows_by(pkg: Package, resource: str, column: str) -> dict[object, pd.DataFrame]:
    """The rows of ``resource`` grouped by ``column``, as ``{value: rows}`` (row order kept)."""
    def index(p: Package) -> dict[object, pd.DataFrame]:
        frame = p[resource]
        return {value: rows for value, rows in frame.groupby(column, sort=False, dropna=True)}

    return derived(pkg, ("rows_by", resource, column), index)


def lookup(pkg: Package, resource: str, key: str, column: str) -> dict:
    """``{key value: column value}`` over the rows of ``resource`` (the last row wins where a
    key repeats; keys are primary keys where this is used)."""
    return derived(pkg, ("lookup", resource, key, column),
                   lambda p: dict(zip(p[resource][key], p[resource][column])))


def rows_for(pkg: Package, resource: str, column: str, value: object) -> pd.DataFrame:
    """The rows of ``resource`` whose ``column`` equals ``value`` (an empty frame if none)."""
    found = rows_by(pkg, resource, column).get(value)
    return pkg[resource].iloc[0:0] if found is None else found


def completeness(pkg: Package) -> pd.DataFrame:
    """``metrics.completeness`` over the whole package (the chart, the metric table and the
    key figures show the same frame)."""
    from transparency import metrics

    return derived(pkg, "completeness_all", lambda p: metrics.completeness(
        p["member_states"], p["ms_reports_received"], p["ms_children_identified"], p["ms_convictions"],
        p["ms_nonreporting"]))
