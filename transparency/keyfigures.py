"""Key figures for the home page, computed from the data (the latest year is the data's)."""

from __future__ import annotations

from markupsafe import Markup

from transparency import fmt, metrics
from transparency.context import Ctx
from transparency.derived import completeness
from transparency import html
from transparency.html import text
from transparency.i18n import t


def _completeness(ctx: Ctx):
    return completeness(ctx.pkg)


def figures(ctx: Ctx) -> list[dict]:
    """The key figures as label/value/link dicts, in display order."""
    pkg = ctx.pkg
    totals = metrics.eu_totals(pkg["ncmec_reports_by_country"], pkg["member_states"]).sort_values("year")
    latest = totals.iloc[-1]
    items = [{
        "value": fmt.number(latest["reports__count"], ctx.lang),
        "label": t("kf_ncmec_total", ctx.lang, year=int(latest["year"])),
        "href": ctx.url("analysis/ncmec-map/"),
    }]
    if len(totals) > 1:
        breaks = metrics.break_years(pkg["series_breaks"], "ncmec_reports_by_country")
        change = metrics.year_on_year(totals.assign(key="EU"), key="key", breaks=breaks).iloc[-1]
        if change["status"] == metrics.BREAK_IN_SERIES:
            items.append(_break_item(ctx, change))
    if len(totals) > 1 and change["status"] != metrics.BREAK_IN_SERIES:
        items.append({
            "value": fmt.percent(change["change__pct"], ctx.lang, 0),
            "label": t("kf_ncmec_change", ctx.lang, start=int(change["year_from"]), end=int(change["year_to"]))
            + (" " + t("kf_partial_year", ctx.lang) if change["caveat_code"] else ""),
            "href": ctx.url("analysis/ncmec-map/"),
        })
    status = _completeness(ctx)
    per_country = status.groupby("country_code")["status"].agg(set)
    items.append({
        "value": fmt.number(sum(s == {"full"} for s in per_country), ctx.lang),
        "label": t("kf_all_full", ctx.lang, n=len(per_country)),
        "href": ctx.url("analysis/completeness/"),
    })
    items.append({
        "value": fmt.number(sum(s == {"none"} for s in per_country), ctx.lang),
        "label": t("kf_none", ctx.lang, n=len(per_country)),
        "href": ctx.url("analysis/completeness/"),
    })
    items.append({
        "value": fmt.number(len(pkg["providers"]), ctx.lang),
        "label": t("kf_providers", ctx.lang),
        "href": ctx.url("providers/"),
    })
    return items


# Where the latest change would stand: say that the series breaks, and why.
def _break_item(ctx: Ctx, change) -> dict:
    breaks = ctx.pkg["series_breaks"]
    row = breaks[(breaks["series"] == "ncmec_reports_by_country") & (breaks["year"] == change["year_to"])]
    reason = text(row.iloc[0], "reason", ctx.lang) if not row.empty else ""
    return {"value": "–", "label": t("kf_ncmec_break", ctx.lang, start=int(change["year_from"]),
                                      end=int(change["year_to"])) + (f". {reason}" if reason else ""),
            "href": ctx.url("analysis/ncmec-map/")}


def render(ctx: Ctx) -> Markup:
    """The key figures as a list of cards (templates/_key_figures.html)."""
    return html.render("_key_figures.html", label=t("kf_heading", ctx.lang), items=figures(ctx))
