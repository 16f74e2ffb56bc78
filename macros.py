"""mkdocs-macros entry point: registers the site's macros; holds no arithmetic.

Loading, metrics and rendering live in the ``transparency`` package, which tests import
directly. Each macro renders for the current page's language and resolves links relative to
the current page, so the same call works on English and Swedish pages.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from transparency import blocks, charts, deferred, discrepancies, metric_tables, profiles, tables
from transparency.context import Ctx
from transparency.derived import derived
from transparency.package import load_package

EURLEX_URL = {
    "en": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:52023DC0797",
    "sv": "https://eur-lex.europa.eu/legal-content/SV/TXT/?uri=CELEX:52023DC0797",
}


def _language(env) -> str:
    page = env.page
    locale = getattr(page.file, "locale", None) if page is not None else None
    return locale or env.conf["theme"]["language"]


def _depth(url: str) -> int:
    directory = url.rstrip("/") if url.endswith("/") else posixpath.dirname(url)
    return len([part for part in directory.split("/") if part])


def _roots(env) -> tuple[str, str]:
    """Relative URLs from the current page to its language's home page and to the site root."""
    url = env.page.url if env.page is not None else ""
    lang = _language(env)
    site_root = "../" * _depth(url)
    if url.startswith(f"{lang}/"):
        url = url[len(lang) + 1:]
    return "../" * _depth(url), site_root


def _package_path(env) -> Path:
    """datapackage/datapackage.json beside the mkdocs.yml being built."""
    return Path(env.conf["config_file_path"]).resolve().parent / "datapackage" / "datapackage.json"


def define_env(env):
    """Register variables and macros with mkdocs-macros (on every build, so a `mkdocs serve`
    rebuild sees edited data: load_package is cached by the files' content)."""
    package = load_package(_package_path(env))
    env.transparency_package = package  # for on_post_page_macros, this build only
    env.variables["data_version"] = package.version
    env.variables["eurlex_url"] = EURLEX_URL["en"]

    views = {}  # source_id -> the package as that report printed it, for this build

    def ctx() -> Ctx:
        root, site_root = _roots(env)
        # A report-mirror page names its report in its front matter and sees only its rows.
        report = env.page.meta.get("report") if env.page is not None else None
        if report and report not in views:
            # Kept on the package (cached by its files' content), so both languages' builds
            # share the view and the frames derived from it.
            views[report] = derived(package, ("published_in", report), lambda p: p.published_in(report))
        pkg = views[report] if report else package
        return Ctx(pkg=pkg, lang=_language(env), root=root, site_root=site_root, address=env.conf["site_url"] or "")

    macros = {
        "report_table": lambda number: tables.report_table(ctx(), number),
        "chart": lambda chart_id, key=None: charts.chart_block(ctx(), chart_id, key),
        # embed/CHART-NAME/ pages (scripts/gen_pages.py): the chart alone; front matter names its page
        "chart_embed": lambda chart_id, key=None: charts.embed_block(ctx(), chart_id, key,
                                                                     page=env.page.meta["chart_page"]),
        "fig": lambda figure_id: blocks.fig(ctx(), figure_id),
        "provider_matrix": lambda kind: blocks.provider_matrix(ctx(), kind),
        "detection_tools": lambda category: blocks.detection_tools(ctx(), category),
        "caveats_list": lambda statistic: blocks.caveats_list(ctx(), statistic),
        "nonreporting_list": lambda statistic: blocks.nonreporting_list(ctx(), statistic),
        "metric_table": lambda metric_id: metric_tables.metric_table(ctx(), metric_id),
        "coverage_assumption": lambda: metric_tables.coverage_assumption(ctx()),
        "key_figures": lambda: blocks.key_figures(ctx()),
        "ncmec_years": lambda: blocks.ncmec_years(ctx()),
        "data_release": lambda: blocks.data_release(ctx()),
        "glossary_table": lambda: blocks.glossary_table(ctx()),
        "data_dictionary": lambda: blocks.data_dictionary(ctx()),
        "downloads": lambda: blocks.downloads(ctx()),
        "versions": lambda: blocks.versions(ctx()),
        "dataset_jsonld": lambda: blocks.dataset_jsonld(ctx(), env.conf["site_url"]),
        "citation": lambda: blocks.citation(ctx()),
        "changelog": lambda: blocks.changelog(ctx()),
        "flag_legend": lambda: blocks.flag_legend(ctx()),
        "report_discrepancies": lambda: discrepancies.page(ctx()),
        "discrepancy_note": lambda location: discrepancies.note(ctx(), location),
        "country_index": lambda: profiles.country_index(ctx()),
        "provider_index": lambda: profiles.provider_index(ctx()),
        # Each profile ends with a link to the report's inconsistencies about its figures.
        "country_profile": lambda code: profiles.country_profile(ctx(), code)
        + discrepancies.about(ctx(), "country_code", code),
        "provider_profile": lambda provider_id: profiles.provider_profile(ctx(), provider_id)
        + discrepancies.about(ctx(), "provider_id", provider_id),
    }
    for name, function in macros.items():
        env.macro(_deferring(function), name)


def _deferring(function):
    """``function`` whose output hands its data tables and charts to hooks/deferred_html.py, so that
    Markdown does not parse them (they are raw HTML it leaves as they are)."""
    def macro(*args, **kwargs):
        return deferred.defer_tables(function(*args, **kwargs))

    return macro


def on_post_page_macros(env):
    """Append the glossary's abbreviations so acronyms get tooltips on every page."""
    env.markdown += "\n\n" + blocks.abbreviations(Ctx(pkg=env.transparency_package, lang=_language(env)))
