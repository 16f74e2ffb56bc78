"""The tables under charts ("Show the numbers as a table") are a reader's table: headings in
the page's language (never a field name), names instead of codes, years as years."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from transparency.package import load_package

PKG = load_package()
SCHEMAS = Path(__file__).resolve().parents[1] / "datapackage" / "schemas"
FIELD_NAME = re.compile(r"[a-z0-9]+(_[a-z0-9]+)+|.*__.*")
# The data dictionary's rows are the fields themselves: there a field name is the content.
DICTIONARY = ("data/dictionary/index.html", "sv/data/dictionary/index.html")
YEAR_HEADING = {"en": "Year", "sv": "År"}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html") if "assets" not in p.parts)


def test_no_table_heading_is_a_field_name(built_site: Path):
    found = []
    for page in _pages(built_site):
        if page.relative_to(built_site).as_posix() in DICTIONARY:
            continue
        for heading in re.findall(r"<th\b[^>]*>(.*?)</th>", page.read_text(encoding="utf-8"), re.S):
            if FIELD_NAME.fullmatch(_text(heading)):
                found.append((page.relative_to(built_site).as_posix(), _text(heading)))
    assert not found, f"{len(found)} headings are field names, e.g. {found[:8]}"


def _chart_tables(site: Path, lang: str):
    """(page, headings, rows of cell texts) of every chart table in ``lang``."""
    for page in _pages(site):
        rel = page.relative_to(site).as_posix()
        if rel.startswith("sv/") != (lang == "sv"):
            continue
        html = page.read_text(encoding="utf-8")
        for block in re.findall(r'<details class="chart-data".*?</details>', html, re.S):
            heads = [_text(h) for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", block, re.S)]
            body = block[block.index("<tbody"):]
            rows = [[_text(c) for c in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", tr, re.S)]
                    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
            yield rel, heads, rows


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_chart_tables_show_years_as_years_and_names_not_codes(built_site: Path, lang: str):
    codes = set(PKG["member_states"]["country_code"]) | set(PKG["providers"]["provider_id"])
    names = set(PKG["member_states"][f"name_{lang}"]) | set(PKG["providers"]["name"])
    tables = list(_chart_tables(built_site, lang))
    assert len(tables) >= 10
    years_seen = shown_names = 0
    for page, heads, rows in tables:
        for row in rows:
            assert len(row) == len(heads), (page, heads, row)
            cells = dict(zip(heads, row))
            if YEAR_HEADING[lang] in cells and cells[YEAR_HEADING[lang]]:
                assert re.fullmatch(r"20\d\d", cells[YEAR_HEADING[lang]]), (page, cells)
                years_seen += 1
            assert not codes & set(row), (page, row)
            shown_names += bool(names & set(row))
    assert years_seen and shown_names


# A code or field name in snake_case ("ncmec_and_others", "reason_code", "no_legal_basis;...").
SNAKE_CASE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def _schema_codes() -> set[str]:
    """Every field name and every multi-word enum code in the package's schemas."""
    codes = set()
    for path in SCHEMAS.glob("*.schema.json"):
        for field in json.loads(path.read_text(encoding="utf-8"))["fields"]:
            codes.add(field["name"])
            codes.update(v for v in field.get("constraints", {}).get("enum", []) if isinstance(v, str) and "_" in v)
    return codes


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_chart_tables_show_no_field_name_or_code(built_site: Path, lang: str):
    codes = _schema_codes()
    assert {"source_category", "reason_code", "ncmec_and_others", "no_legal_basis"} <= codes
    found = []
    for page, heads, rows in _chart_tables(built_site, lang):
        for text in [*heads, *(cell for row in rows for cell in row)]:
            if text in codes or SNAKE_CASE.search(text):
                found.append((page, text))
    assert not found, f"{len(found)} chart-table headings or cells are codes, e.g. {found[:8]}"
