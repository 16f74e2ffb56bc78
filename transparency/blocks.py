"""Page blocks rendered from the data: prose figures, qualitative matrices, lists, the data
dictionary, downloads, citation and changelog.

Everything shown comes from ``datapackage/`` (descriptor, schemas, CSVs, CHANGELOG.md) or from
``CITATION.cff``; the blocks only choose, order and format.
"""

from __future__ import annotations

import json
import re

import markdown
import pandas as pd
import yaml
from babel.lists import format_list
from markupsafe import Markup, escape

from transparency import downloads as dl
from transparency import findable
from transparency import versions as ver
from transparency import fmt, keyfigures
from transparency.context import Ctx
from transparency.derived import derived, records
from transparency.html import block, link, paragraph, source_label, table, text
from transparency.i18n import t
from transparency.package import ROOT
from transparency.release import changelog_in, package_release_date, release_date


# One figure from `figures`, inline in a sentence, with its status mark and source as tooltip.
def fig(ctx: Ctx, figure_id: str) -> Markup:
    positions = derived(ctx.pkg, "figure_positions",
                        lambda pkg: {key: n for n, key in enumerate(pkg["figures"]["figure_id"])})
    if figure_id not in positions:
        raise KeyError(f"no figure {figure_id!r} in datapackage/data/figures.csv")
    row = ctx.pkg["figures"].iloc[positions[figure_id]]
    if row["unit"] == "ratio" and not fmt.is_missing(row["value"]) and 0 < row["value"] < 1:
        return _one_in(ctx, row)
    pct = row["unit"] == "percent"
    value = fmt.value_html(row["value"], row["flag"], ctx.lang, low=row.get("value_low"),
                           high=row.get("value_high"), pct=pct, decimals=_decimals(row) if pct else None)
    return Markup('<span class="fig" title="{src}">{v}</span>').format(
        src=f"{t('source', ctx.lang)}: {source_label(row['source'], ctx.lang)}", v=value)


# A small ratio reads better as "1 in 50 billion" (PhotoDNA's false-positive estimate).
def _one_in(ctx: Ctx, row) -> Markup:
    words = Markup("1 {in_} {n}").format(in_=t("one_in", ctx.lang), n=fmt.compact(round(1 / row["value"]), ctx.lang))
    return Markup('<span class="fig" title="{src}">{mark}{w}</span>').format(
        src=f"{t('source', ctx.lang)}: {source_label(row['source'], ctx.lang)}", mark=fmt.flag_mark(row["flag"], ctx.lang),
        w=words)


def _decimals(row) -> int:
    printed = str(row.get("printed", ""))
    match = re.search(r"\d+[,.](\d+)\s*%", printed)
    return len(match.group(1)) if match else 0


def flag_legend(ctx: Ctx) -> Markup:
    return fmt.flag_legend(ctx.lang)


# A provider x item matrix for a qualitative resource pair (items and who reported them).
MATRICES = {
    # kind: (link resource, item resource or None, item key)
    "traffic_data": ("provider_traffic_data", None, "category_id"),
    "legal_bases": ("provider_legal_bases", None, "legal_basis_id"),
    "transfer_grounds": ("provider_transfer_grounds", None, "ground_id"),
    "safeguards": ("provider_safeguards", "safeguards", "safeguard_id"),
    "data_protection": ("provider_data_protection", "data_protection_measures", "measure_id"),
    "data_sharing": ("provider_data_sharing", None, "organisation_id"),
}


def provider_matrix(ctx: Ctx, kind: str) -> Markup:
    if kind == "retention":
        return retention(ctx)
    if kind not in MATRICES:
        raise ValueError(f"unknown provider matrix {kind!r}; expected one of {sorted(MATRICES) + ['retention']}")
    link_name, item_name, key = MATRICES[kind]
    links = ctx.pkg[link_name]
    items = _item_labels(ctx, links, item_name, key)
    providers = ctx.provider_ids()
    by_item: dict = {}
    for row in records(links):
        by_item.setdefault(row[key], []).append(row)
    body = []
    for item, label in items.items():
        mine = by_item.get(item, [])
        cells = [_tick(ctx, mine, provider) for provider in providers]
        body.append([label, *cells])
    head = [t("matrix_item", ctx.lang), *(ctx.provider_link(p) for p in providers)]
    caption = t(f"matrix_{kind}", ctx.lang)
    sources = sorted(set(links["source"])) if "source" in links else []
    foot = paragraph(Markup("{s}: COM(2023) 797 final, {where}. {hint}").format(
        s=t("source", ctx.lang), where=", ".join(source_label(s, ctx.lang) for s in sources),
        hint=t("matrix_not_exhaustive", ctx.lang)), "table-source")
    return block(table(head, body, caption=caption, table_id=f"matrix-{kind}"), foot)


def _item_labels(ctx: Ctx, links: pd.DataFrame, item_name: str | None, key: str) -> dict:
    if item_name:
        items = ctx.pkg[item_name]
        return {row[key]: text(row, "label", ctx.lang) or row[key] for row in records(items)}
    labels = {}
    for row in records(links):
        labels.setdefault(row[key], text(row, "label", ctx.lang) or row.get("organisation_name") or row[key])
    return labels


# A matrix mark: the sign for the eye, its meaning in words for a screen reader (an aria-label
# on a <span> without a role is not read).
def _mark(kind: str, sign: str, words: str) -> Markup:
    return Markup('<span class="{k}"><span aria-hidden="true">{s}</span><span class="visually-hidden">{w}</span></span>'
                  ).format(k=kind, s=sign, w=words)


def _tick(ctx: Ctx, rows: list[dict], provider: str) -> Markup:
    mine = [row for row in rows if row["provider_id"] == provider]
    if not mine:
        return _mark("no", "–", t("not_mentioned", ctx.lang))
    notes = [text(row, "note", ctx.lang) for row in mine if text(row, "note", ctx.lang)]
    mark = _mark("yes", "✓", t("mentioned", ctx.lang))
    return mark + (Markup(" <small>{n}</small>").format(n=" ".join(notes)) if notes else Markup(""))


def retention(ctx: Ctx) -> Markup:
    rows = records(ctx.pkg["provider_retention"])
    body = []
    for provider in ctx.provider_ids():
        for row in (row for row in rows if row["provider_id"] == provider):
            body.append([ctx.provider_link(provider), text(row, "label", ctx.lang),
                         _retention_value(ctx, row), text(row, "note", ctx.lang)])
    head = [t("provider", ctx.lang), t("data_category", ctx.lang), t("retention_period", ctx.lang), t("notes", ctx.lang)]
    return table(head, body, caption=t("matrix_retention", ctx.lang), table_id="matrix-retention")


def _retention_value(ctx: Ctx, row) -> Markup | str:
    if fmt.is_missing(row["retention"]):
        return t(f"retention_{row['retention_kind']}", ctx.lang)
    return Markup("{v} {u}").format(v=fmt.value_html(row["retention"], row["flag"], ctx.lang),
                                    u=t(f"unit_{row['retention_unit']}", ctx.lang))


def detection_tools(ctx: Ctx, category: str) -> Markup:
    tools = ctx.pkg["detection_tools"]
    mine = tools[tools["category"] == category]
    if mine.empty:
        raise ValueError(f"no detection tools of category {category!r}")
    # The Swedish page names a tool as the Swedish edition prints it.
    name = "name" if ctx.lang == "en" else f"name_{ctx.lang}"
    items = [Markup("<li><strong>{n}</strong>{d}</li>").format(
        n=row[name], d=Markup(" ({d})").format(d=row["developer"]) if row.get("developer") else "")
        for row in records(mine)]
    return Markup('<ul class="tools">{i}</ul>').format(i=Markup("").join(items))


def _country_list(ctx: Ctx, rows: pd.DataFrame, label_column: str) -> Markup:
    items, rows = [], records(rows)
    for code in ctx.country_codes():
        for row in (row for row in rows if row["country_code"] == code):
            items.append(Markup("<li>{c}: {w} <small>({s})</small></li>").format(
                c=ctx.country_link(code), w=text(row, label_column, ctx.lang),
                s=source_label(row["section"] if "section" in row else row["source"], ctx.lang)))
    if not items:
        return paragraph(t("none_listed", ctx.lang))
    return Markup("<ul>{i}</ul>").format(i=Markup("").join(items))


def caveats_list(ctx: Ctx, statistic: str) -> Markup:
    rows = ctx.pkg["ms_caveats"]
    if statistic != "all":
        rows = rows[rows["statistic"].isin([statistic, "all"])]
    return _country_list(ctx, rows, "note")


def nonreporting_list(ctx: Ctx, statistic: str) -> Markup:
    rows = ctx.pkg["ms_nonreporting"]
    if statistic not in set(rows["statistic"]):
        raise ValueError(f"unknown statistic {statistic!r} in ms_nonreporting")
    return _country_list(ctx, rows[rows["statistic"] == statistic], "reason")


# The glossary in the alphabetical order of the page's language (Swedish: å, ä, ö after z).
def glossary_table(ctx: Ctx) -> Markup:
    rows = ctx.pkg["glossary"]
    terms = sorted(records(rows), key=lambda row: fmt.collation_key(text(row, "term", ctx.lang), ctx.lang))
    body = [[Markup("<dfn>{term}</dfn>").format(term=text(row, "term", ctx.lang)),
             row.get("acronym", "") or "", text(row, "definition", ctx.lang)] for row in terms]
    head = [t("term", ctx.lang), t("acronym", ctx.lang), t("definition", ctx.lang)]
    return table(head, body, caption=t("glossary_caption", ctx.lang), table_id="glossary")


def abbreviations(ctx: Ctx) -> str:
    """Markdown abbreviation definitions (``*[CSAM]: ...``) from the glossary's acronyms
    (every page gets them: made once per package and language)."""
    return derived(ctx.pkg, ("abbreviations", ctx.lang), lambda _: _abbreviations(ctx))


def _abbreviations(ctx: Ctx) -> str:
    if "glossary" not in ctx.pkg:
        return ""
    lines = []
    for row in records(ctx.pkg["glossary"]):
        acronym = row.get("acronym", "")
        if acronym:
            meaning = text(row, "definition", ctx.lang).replace("\n", " ")
            title = text(row, "term", ctx.lang)
            lines.append(f"*[{acronym}]: {title}: {meaning}" if title != acronym else f"*[{acronym}]: {meaning}")
    return "\n".join(sorted(set(lines)))


# The data dictionary: every resource, every field, from the schemas.
# The package stores each title and description in English and, beside it, in Swedish
# ("x-title-sv", "x-description-sv"; the validator requires both). Names in `backticks` are
# columns and tables: shown as code.
def _described(ctx: Ctx, where: dict, prop: str) -> Markup:
    words = str(where.get(prop if ctx.lang == "en" else f"x-{prop}-{ctx.lang}", "") or "")
    parts = words.split("`")
    assert len(parts) % 2 == 1, f"unbalanced backticks in the {ctx.lang} {prop} of {where.get('name', 'the package')!r}"
    return Markup("").join(Markup("<code>{c}</code>").format(c=part) if i % 2 else escape(part)
                           for i, part in enumerate(parts))


def data_dictionary(ctx: Ctx) -> Markup:
    parts = []
    for resource in ctx.pkg.descriptor["resources"]:
        name = resource["name"]
        schema = ctx.pkg.schemas[name]
        key = schema.get("primaryKey", [])
        key = [key] if isinstance(key, str) else key
        body = []
        for item in schema["fields"]:
            constraints = _constraints(item, ctx.lang)
            body.append([Markup("<code>{n}</code>").format(n=item["name"]), _field_type(item, ctx.lang),
                         _field_unit(item, ctx.lang), constraints, _described(ctx, item, "description")])
        head = [t("field", ctx.lang), t("type", ctx.lang), t("unit", ctx.lang), t("constraints", ctx.lang),
                t("description", ctx.lang)]
        parts.append(Markup('<h2 id="{id}"><code>{n}</code></h2>').format(id=f"resource-{name}", n=name))
        parts.append(paragraph(_described(ctx, resource, "description")))
        meta = [Markup("{w}: {v}").format(w=t("file", ctx.lang), v=_codes([resource["path"]])),
                f"{t('rows', ctx.lang)}: {fmt.number(len(ctx.pkg[name]), ctx.lang)}"]
        if key:
            meta.append(Markup("{w}: {v}").format(w=t("primary_key", ctx.lang), v=_codes(key)))
        parts.append(paragraph(Markup(" · ").join(meta), "resource-meta"))
        parts.append(table(head, body, caption=Markup("<code>{n}</code>").format(n=name)))
    return block(*parts)


# A field's unit in words: "row" (the row's unit column says it) and "%" have their own.
def _field_unit(item: dict, lang: str) -> str:
    unit = item.get("unit", "")
    if unit in ("", "%"):
        return unit
    return t("field_unit_row", lang) if unit == "row" else t(f"unit_{unit}", lang)


# A Table Schema type in words, with the type's name as the schema writes it.
def _field_type(item: dict, lang: str) -> Markup:
    kind = item.get("type", "string")
    return Markup("{w} ({c})").format(w=t(f"field_type_{kind}", lang), c=_codes([kind]))


def _constraints(item: dict, lang: str) -> Markup:
    constraints = dict(item.get("constraints", {}))
    words = []
    if constraints.pop("required", False):
        words.append(t("required", lang))
    if constraints.pop("unique", False):
        words.append(t("constraint_unique", lang))
    if "enum" in constraints:
        words.append(Markup("{w} {v}").format(w=t("one_of", lang), v=_codes(constraints.pop("enum"))))
    for name in ("minimum", "maximum"):
        if name in constraints:
            words.append(f"{t(f'constraint_{name}', lang)} {fmt.number(constraints.pop(name), lang)}")
    if "pattern" in constraints:
        words.append(Markup("{w} {v}").format(w=t("constraint_pattern", lang), v=_codes([constraints.pop("pattern")])))
    if constraints:
        raise ValueError(f"field {item.get('name')!r}: no wording for constraints {sorted(constraints)}")
    return Markup("; ").join(words)


def _codes(values) -> Markup:
    return Markup(", ").join(Markup("<code>{v}</code>").format(v=str(v)) for v in values)


def downloads(ctx: Ctx) -> Markup:
    zip_name = dl.zip_name(ctx.pkg)
    rows = [[link(ctx.site_url(f"downloads/{zip_name}"), zip_name), t("download_zip", ctx.lang)]]
    for resource in ctx.pkg.descriptor["resources"]:
        path = resource["path"]
        rows.append([link(ctx.site_url(f"downloads/{path}"), path.rsplit("/", 1)[-1]), _described(ctx, resource, "title")])
    rows.append([link(ctx.site_url("downloads/datapackage.json"), "datapackage.json"), t("download_descriptor", ctx.lang)])
    return table([t("file", ctx.lang), t("description", ctx.lang)], rows, caption=t("downloads_caption", ctx.lang),
                 table_id="download-files")


def versions(ctx: Ctx) -> Markup:
    """Every released version of the package, newest (the latest) first, each at its stable
    address data/vX.Y.Z/ with its zip and checksum; the row's id is "vX.Y.Z", which the
    published datapackage.json names as its homepage."""
    changelog = (ctx.pkg.path.parent / "CHANGELOG.md").read_text(encoding="utf-8")
    rows = []
    for index, release in enumerate(ver.releases(ROOT, ctx.pkg.version)):
        name = f"{ctx.pkg.name}-{release.version}.zip"
        folder = f"data/v{release.version}/"
        label = Markup('<span id="v{v}">{v}</span>').format(v=release.version)
        if index == 0:
            label += Markup(" ({l})").format(l=t("latest_version", ctx.lang))
        rows.append([label, package_release_date_or_none(changelog, release.version),
                     link(ctx.site_url(folder + name), name),
                     link(ctx.site_url(folder + dl.checksum_name(name)), "SHA-256"),
                     link(ctx.site_url(folder + "datapackage.json"), "datapackage.json")])
    return table([t("version", ctx.lang), t("released", ctx.lang), t("file", ctx.lang), t("checksum", ctx.lang),
                  t("descriptor", ctx.lang)], rows, caption=t("versions_caption", ctx.lang), table_id="versions-table")


def dataset_jsonld(ctx: Ctx, site_url: str | None) -> Markup:
    """The schema.org Dataset of this version as a JSON-LD data block (not a script: the CSP's
    script-src does not apply to it). Empty when the site's address is unknown (a local build),
    since its addresses must be absolute."""
    if not site_url:
        return Markup("")
    data = json.dumps(findable.schema_org_dataset(ctx.pkg, site_url), ensure_ascii=False, indent=1)
    # "<" as \u003c: the block can never close its <script> element early.
    return Markup('<script type="application/ld+json">{d}</script>').format(d=Markup(data.replace("<", "\\u003c")))


def package_release_date_or_none(changelog: str, version: str) -> str:
    """The changelog date of ``version``, or a dash for a version not yet dated there."""
    try:
        return release_date(changelog, version)
    except ValueError:
        return "–"


def citation(ctx: Ctx) -> Markup:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    authors = ", ".join(a.get("name") or f"{a.get('given-names', '')} {a.get('family-names', '')}".strip()
                        for a in cff.get("authors", []))
    # The work's title is English (CITATION.cff): marked so on other languages' pages.
    title = Markup('<cite{l}>{t}</cite>').format(l=Markup(' lang="en"') if ctx.lang != "en" else "", t=cff["title"])
    reference = Markup("{a} ({d}). {title}. {v} {n}.").format(a=authors, d=cff["date-released"], title=title,
                                                              v=t("version", ctx.lang), n=cff["version"])
    return block(paragraph(reference, "citation"),
                 paragraph(Markup("{w} {l}").format(w=t("citation_file", ctx.lang),
                                                     l=link(ctx.site_url("downloads/CITATION.cff"), "CITATION.cff"))))


def changelog(ctx: Ctx) -> Markup:
    """The package's CHANGELOG.md in the page's language (`release.changelog_in`), rendered
    with Python-Markdown with raw HTML turned off (it is shown escaped)."""
    source = (ctx.pkg.path.parent / "CHANGELOG.md").read_text(encoding="utf-8")
    converter = markdown.Markdown(output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return Markup(converter.convert(_unlinked(changelog_in(source, ctx.lang))))


def _unlinked(text: str) -> str:
    """Changelog text with its [label] and [label](address) references as plain labels (the
    release links point at the repository, not at this site)."""
    return re.sub(r"\[([^\]]+)\](\([^)]*\))?", r"\1", text)


def data_release(ctx: Ctx) -> Markup:
    """The data version and its release date (the changelog heading of that version)."""
    version = ctx.pkg.descriptor["version"]
    released = package_release_date(ctx.pkg.path, version)
    return paragraph(Markup("{w} <strong>{v}</strong> ({c}) · {l}").format(
        w=t("data_version", ctx.lang), v=version, c=released,
        l=link(ctx.url("data/changelog/"), t("changelog_link", ctx.lang))), "data-release")


def ncmec_years(ctx: Ctx) -> str:
    """The years of the NCMEC series as prose: '2021, 2022 and 2023' / '2021, 2022 och 2023'."""
    years = sorted(int(y) for y in ctx.pkg["ncmec_reports_by_country"]["year"].dropna().unique())
    return format_list([str(y) for y in years], locale=fmt.LOCALES[ctx.lang])


def key_figures(ctx: Ctx) -> Markup:
    return keyfigures.render(ctx)
