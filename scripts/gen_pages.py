"""Generate one page per member state and per provider, and an embed page per chart
(``embed/CHART-ID/``: the chart alone, for an <iframe> on another site), in English and Swedish.

Run by mkdocs-gen-files (see ``mkdocs.yml``) before mkdocs-static-i18n sorts the pages by
language suffix: ``countries/at.md`` is English, ``countries/at.sv.md`` Swedish. The pages
hold no figure: front matter, the name as heading, and a macro call that mkdocs-macros renders
from the data package. The member states come from ``member_states.csv`` and the providers
from ``providers.csv``, so a new row there is a new page.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Callable, ContextManager, TextIO

# mkdocs-gen-files runs this file with runpy, so the project root may not be on sys.path.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transparency.i18n import LANGUAGES, t  # noqa: E402
from transparency.package import Package, load_package  # noqa: E402

# The site's default language has no suffix (mkdocs-static-i18n, docs_structure: suffix).
DEFAULT_LANGUAGE = "en"

Opener = Callable[[str, str], ContextManager[TextIO]]

# Keys go into file names and macro calls, so only these shapes are accepted.
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
PROVIDER_ID = re.compile(r"^[a-z0-9_]+$")


# Raise naming the key when it does not have the expected shape.
def _checked(key: str, pattern: re.Pattern, what: str) -> str:
    if not pattern.match(str(key)):
        raise ValueError(f"{what} {key!r} does not match {pattern.pattern}")
    return str(key)


def _suffix(lang: str) -> str:
    return "" if lang == DEFAULT_LANGUAGE else f".{lang}"


# Front matter values written as JSON strings: valid YAML whatever the name contains.
def page_text(title: str, description: str, macro_call: str) -> str:
    """One page: front matter, the name as heading, the macro that renders the profile."""
    return (
        f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
        f"description: {json.dumps(description, ensure_ascii=False)}\n---\n\n"
        f"# {title}\n\n{macro_call}\n"
    )


def country_pages(pkg: Package) -> dict[str, str]:
    """Path -> text of every member state's page in every language."""
    pages = {}
    for _, row in pkg["member_states"].iterrows():
        code = _checked(row["country_code"], COUNTRY_CODE, "country_code")
        for lang in LANGUAGES:
            name = str(row[f"name_{lang}"])
            pages[f"countries/{code.lower()}{_suffix(lang)}.md"] = page_text(
                name, t("pf_page_country_description", lang, name=name), f'{{{{ country_profile("{code}") }}}}')
    return pages


def provider_pages(pkg: Package) -> dict[str, str]:
    """Path -> text of every provider's page in every language."""
    pages = {}
    for _, row in pkg["providers"].iterrows():
        provider_id, name = _checked(row["provider_id"], PROVIDER_ID, "provider_id"), str(row["name"])
        for lang in LANGUAGES:
            pages[f"providers/{provider_id}{_suffix(lang)}.md"] = page_text(
                name, t("pf_page_provider_description", lang, name=name),
                f'{{{{ provider_profile("{provider_id}") }}}}')
    return pages


_CHART_CALL = re.compile(r"""\bchart\(\s*["']([a-z0-9_]+)["']\s*\)""")


def chart_pages(docs: Path) -> dict[str, str]:
    """Chart id -> the first English page (site path, "analysis/appeals/") that shows it."""
    found: dict[str, str] = {}
    for page in sorted(docs.rglob("*.md")):
        if page.name.count(".") > 1:  # page.sv.md: a translation
            continue
        path = page.relative_to(docs).with_suffix("").as_posix()
        path = "" if path == "index" else (path[:-len("index")] if path.endswith("/index") else path + "/")
        for chart_id in _CHART_CALL.findall(page.read_text(encoding="utf-8")):
            found.setdefault(chart_id, path)
    return found


# The page of a chart drawn for one member state or provider: that one's page.
KEY_PAGES = {"country": "countries/{key}/", "provider": "providers/{key}/"}


def embed_pages(charts: list[tuple[str, str | None, str]], shown_on: dict[str, str]) -> dict[str, str]:
    """Path -> text of every chart's embed page in every language, for each (chart id, key,
    kind of key) given: minimal chrome (overrides/embed.html), out of search, linking back to
    the page that shows the chart (a keyed chart: its member state's or provider's page; else
    the first page calling it by name, or the home page)."""
    pages = {}
    for chart_id, key, kind in charts:
        _checked(chart_id, PROVIDER_ID, "chart id")
        name = chart_id.replace("_", "-") + (f"-{_checked(key.lower(), PROVIDER_ID, 'key')}" if key else "")
        page = KEY_PAGES[kind].format(key=key.lower()) if key else shown_on.get(chart_id, "")
        call = f'"{chart_id}"' + (f', "{key}"' if key else "")
        for lang in LANGUAGES:
            title = t(f"chart_{chart_id}", lang)
            pages[f"embed/{name}{_suffix(lang)}.md"] = (
                f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
                f"description: {json.dumps(title, ensure_ascii=False)}\n"
                f"template: embed.html\nchart_page: {json.dumps(page)}\n"
                "hide: [navigation, toc, footer]\nsearch:\n  exclude: true\n---\n\n"
                f"# {title}\n\n{{{{ chart_embed({call}) }}}}\n")
    return pages


def write_pages(pkg: Package, open_file: Opener, embedded: list[tuple[str, str | None, str]] = (),
                docs: Path = ROOT / "docs") -> list[str]:
    """Write every country, provider and chart embed page (``embedded``: chart id, key, kind
    of key) with ``open_file(path, "w")``; return the paths."""
    pages = {**country_pages(pkg), **provider_pages(pkg), **embed_pages(list(embedded), chart_pages(docs))}
    expected = len(LANGUAGES) * (len(pkg["member_states"]) + len(pkg["providers"]) + len(embedded))
    if len(pages) != expected:
        raise ValueError(f"{len(pages)} pages for {expected} expected: a country code or provider id repeats")
    for path, content in pages.items():
        with open_file(path, "w") as handle:
            handle.write(content)
    return list(pages)


# mkdocs-static-i18n 1.3.1 localizes only files under docs_dir and drops every other page with
# "Unhandled file case" (ultrabug/mkdocs-static-i18n#263, open), while mkdocs-gen-files keeps
# its pages in a temporary directory. These two wrappers let the plugin treat that directory
# like docs_dir and read each page from where gen-files wrote it. Files elsewhere are untouched;
# the wrappers are installed once per process and learn each build's directory.
def let_i18n_localize(directory: str) -> None:
    """Make mkdocs-static-i18n localize the pages generated under ``directory``."""
    from mkdocs_static_i18n import reconfigure, suffix

    if not hasattr(reconfigure.is_relative_to, "generated_dirs"):
        original_check, original_create = reconfigure.is_relative_to, suffix.create_i18n_file
        generated_dirs: set[str] = set()

        def generated(path) -> bool:
            return bool(path) and any(original_check(path, base) for base in generated_dirs)

        def is_relative_to(path, base) -> bool:
            return original_check(path, base) or generated(path)

        def create_i18n_file(file, *args, **kwargs):
            made = original_create(file, *args, **kwargs)  # re-rooted in docs_dir
            if generated(file.abs_src_path):
                made.abs_src_path = file.abs_src_path  # read the page where gen-files wrote it
            return made

        is_relative_to.generated_dirs = generated_dirs
        reconfigure.is_relative_to, suffix.create_i18n_file = is_relative_to, create_i18n_file
    reconfigure.is_relative_to.generated_dirs.add(directory)


if __name__ in ("__main__", "<run_path>"):
    import mkdocs_gen_files

    from transparency import charts
    from transparency.context import Ctx

    let_i18n_localize(mkdocs_gen_files.FilesEditor.current().directory)
    package = load_package()
    ctx = Ctx(pkg=package, lang=DEFAULT_LANGUAGE)
    embedded = [(chart_id, key, charts.KEYED.get(chart_id, ("", True))[0])
                for chart_id in charts.BUILDERS for key in charts.embed_keys(ctx, chart_id)]
    write_pages(package, mkdocs_gen_files.open, embedded)
