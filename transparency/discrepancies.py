"""The report's inconsistencies (resource ``report_discrepancies``): rows for the page that
lists them all and for the note beside each table they concern.

Python prepares plain dicts; `templates/discrepancies.html` and
`templates/discrepancy_note.html` lay them out. A derived figure (``derived``) is computed
here from the rows the discrepancy involves, never typed into the data.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup

from transparency import fmt
from transparency.context import Ctx
from transparency.derived import derived, records
from transparency.html import source_label, text
from transparency.i18n import t

RESOURCE = "report_discrepancies"
PAGE = "about/discrepancies/"
TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    # Autoescape: every cell is data; StrictUndefined: a missing key stops the build.
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def ratio_pct(numerator: float, denominator: float) -> float:
    """``numerator`` as a percentage of ``denominator`` (25 000 of 10 904 -> 229.27...)."""
    assert denominator > 0, f"ratio of {numerator} to a non-positive {denominator}"
    return numerator / denominator * 100


def _positions(pkg, resource: str) -> dict[tuple[str, ...], list[int]]:
    """Row positions of ``resource`` by their primary-key values as text, once per package."""
    def index(p) -> dict[tuple[str, ...], list[int]]:
        primary = p.schemas[resource]["primaryKey"]
        columns = [primary] if isinstance(primary, str) else list(primary)
        keys = zip(*(p[resource][column].astype(str) for column in columns))
        out: dict[tuple[str, ...], list[int]] = {}
        for position, key in enumerate(keys):
            out.setdefault(tuple(key), []).append(position)
        return out

    return derived(pkg, ("discrepancies_positions", resource), index)


def find_row(ctx: Ctx, ref: str) -> pd.Series:
    """The one row ``resource:key`` names (key: its primary-key values joined by |)."""
    resource, _, key = ref.partition(":")
    primary = ctx.pkg.schemas[resource]["primaryKey"]
    parts = key.split("|")
    if len(parts) != (1 if isinstance(primary, str) else len(primary)):
        raise ValueError(f"{RESOURCE}: {ref!r} does not give one value per primary-key field {primary}")
    match = _positions(ctx.pkg, resource).get(tuple(parts), [])
    if len(match) != 1:
        raise KeyError(f"{RESOURCE}: {ref!r} matches {len(match)} rows of {resource}; it must name exactly one")
    return ctx.pkg[resource].iloc[match[0]]


def row_value(ctx: Ctx, ref: str) -> float:
    """The number held by the row ``ref``: its ``value`` column, else its first ``*__count``
    column (reports__count before its parts)."""
    row = find_row(ctx, ref)
    counts = [c for c in row.index if c == "value"] or [c for c in row.index if c.endswith("__count")]
    if not counts or fmt.is_missing(row[counts[0]]):
        raise ValueError(f"{RESOURCE}: {ref!r} holds no number to derive a figure from")
    return float(row[counts[0]])


def _blank(value) -> bool:
    return fmt.is_missing(value) or str(value) == ""


def _refs(row) -> list[str]:
    return [] if _blank(row["involves"]) else str(row["involves"]).split()


def _derived(ctx: Ctx, row) -> str:
    """The derived figure of a discrepancy, formatted for the page's language ("" if none)."""
    if _blank(row["derived"]):
        return ""
    if row["derived"] != "ratio_pct":
        raise ValueError(f"{RESOURCE}: unknown derived figure {row['derived']!r} for {row['discrepancy_id']}")
    first, second = (row_value(ctx, ref) for ref in _refs(row)[:2])
    return t("disc_ratio", ctx.lang, a=fmt.number(first, ctx.lang), b=fmt.number(second, ctx.lang),
             pct=fmt.percent(ratio_pct(first, second), ctx.lang, decimals=0))


def items(ctx: Ctx, location: str | None = None) -> list[dict]:
    """One plain dict per discrepancy (all, or those whose locations include ``location``);
    computed once per package, language, page depth and location (read-only)."""
    return derived(ctx.pkg, ("discrepancies_items", ctx.lang, ctx.root, location), lambda _: _items(ctx, location))


def _items(ctx: Ctx, location: str | None) -> list[dict]:
    rows = ctx.pkg[RESOURCE]
    out = []
    for row in records(rows):
        places = str(row["locations"]).split()
        if location is not None and location not in places:
            continue
        out.append({"id": row["discrepancy_id"], "title": text(row, "title", ctx.lang), "what": text(row, "what", ctx.lang),
                    "treatment": text(row, "treatment", ctx.lang), "derived": _derived(ctx, row),
                    "places": ", ".join(source_label(p, ctx.lang) for p in places),
                    "href": ctx.url(PAGE) + "#" + row["discrepancy_id"].replace("_", "-")})
    return out


def page(ctx: Ctx) -> Markup:
    """Every discrepancy of the register, for the About page."""
    labels = {k: t(f"disc_{k}", ctx.lang) for k in ("where", "what", "treatment", "derived")}
    return Markup(_templates().get_template("discrepancies.html").render(items=items(ctx), labels=labels))


def about(ctx: Ctx, column: str, value: str) -> Markup:
    """A note linking to the discrepancies whose rows involved have ``column`` = ``value``
    (a member state's or a provider's page); empty when there are none."""
    ids = _involving(ctx, column).get(value, set())
    found = [item for item in items(ctx) if item["id"] in ids]
    return _note(ctx, found)


def _involving(ctx: Ctx, column: str) -> dict[str, set[str]]:
    """Each value of ``column`` (as text) -> the ids of the discrepancies whose rows involved
    hold it; once per package."""
    def index(_) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for row in records(ctx.pkg[RESOURCE]):
            for ref in _refs(row):
                out.setdefault(str(find_row(ctx, ref).get(column, "")), set()).add(row["discrepancy_id"])
        return out

    return derived(ctx.pkg, ("discrepancies_involving", column), index)


def note(ctx: Ctx, location: str) -> Markup:
    """A short note linking to the discrepancies at ``location`` (empty when there are none)."""
    return _note(ctx, items(ctx, location))


def _note(ctx: Ctx, found: list[dict]) -> Markup:
    if not found:
        return Markup("")
    return Markup(_templates().get_template("discrepancy_note.html").render(
        items=found, lead=t("disc_note", ctx.lang)))
