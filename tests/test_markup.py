"""Markup that validates and reads well: the W3C Nu HTML Checker over every built page (only
Material's own, listed errors allowed), reporting periods as HTML dates, link texts that say
where they go, and the provider matrices' marks as a screen reader gets them from Chromium's
accessibility tree."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

import nu_check  # scripts/nu_check.py
# The browser gates' fixtures: Debian's chromium, and the built site on a local server.
from test_browser import CHROMIUM, Visit  # browser and server: fixtures in conftest.py
from transparency import fmt
from transparency.package import load_package


def _day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


# --- Periods: a label, its two ends in <time>, or the whole period in one ---------------------

@pytest.mark.parametrize(("label", "lang", "start", "end", "expected"), [
    ("1 August 2021 to 31 July 2022", "en", "2021-08-01", "2022-07-31",
     '<time datetime="2021-08-01">1 August 2021</time> to <time datetime="2022-07-31">31 July 2022</time>'),
    ("mellan juli 2021 och december 2021", "sv", "2021-07-01", "2021-12-31",
     'mellan <time datetime="2021-07-01">juli 2021</time> och <time datetime="2021-12-31">december 2021</time>'),
    ("från den 13 juli 2021 till den 31 december 2021", "sv", "2021-07-13", "2021-12-31",
     'från <time datetime="2021-07-13">den 13 juli 2021</time> till '
     '<time datetime="2021-12-31">den 31 december 2021</time>'),
    ("2022", "en", "2022-01-01", "2022-12-31", '<time datetime="2022">2022</time>'),
    ("Augusti 2021", "sv", "2021-08-01", "2021-08-31", '<time datetime="2021-08">Augusti 2021</time>'),
    ("3 March 2022", "en", "2022-03-03", "2022-03-03", '<time datetime="2022-03-03">3 March 2022</time>'),
    ("First half of 2023", "en", "2023-01-01", "2023-06-30",
     '<data value="2023-01-01/2023-06-30">First half of 2023</data>'),
])
def test_period_names_its_dates_in_html_terms(label, lang, start, end, expected):
    assert str(fmt.period_html(label, _day(start), _day(end), lang)) == expected


def test_period_label_is_escaped_and_a_reversed_period_is_refused():
    assert "&lt;b&gt;" in fmt.period_html("<b> to 2022", _day("2021-01-01"), _day("2022-12-31"), "en")
    with pytest.raises(AssertionError, match="starts 2022-12-31 after it ends 2021-01-01"):
        fmt.period_html("2021", _day("2022-12-31"), _day("2021-01-01"), "en")


# --- The Nu HTML Checker ----------------------------------------------------------------------

# Pages of our own with the two kinds of error the site once had: the checker must report them,
# and the allowances for Material's errors must not cover them.
BROKEN_PAGES = {
    "interval.html": '<time datetime="2022-01-01/2022-12-31">2022</time>',
    "label.html": '<span class="yes" aria-label="mentioned">✓</span>',
    "toggle.html": '<input class="md-toggle" type="checkbox" id="__mine" autocomplete="off">',
}
PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body><p>{}</p></body></html>'


@pytest.fixture(scope="module")
def checker(built_site, tmp_path_factory):
    """The checker's messages for every built page and the broken pages, in one Java process."""
    broken = tmp_path_factory.mktemp("broken")
    for name, body in BROKEN_PAGES.items():
        (broken / name).write_text(PAGE.format(body), encoding="utf-8")
    pages = nu_check.html_pages(built_site)
    messages = nu_check.run_checker(pages + sorted(broken.glob("*.html")))
    site = [m for m in messages if str(broken) not in m.get("url", "")]
    return {"pages": pages, "site": site, "broken": [m for m in messages if m not in site]}


def test_checker_sees_every_page(checker, built_site):
    # Both languages, the generated profiles and the 404 page are all checked.
    names = {str(p.relative_to(built_site)) for p in checker["pages"]}
    assert {"index.html", "sv/index.html", "404.html", "sv/countries/pl/index.html",
            "providers/meta/index.html"} <= names


def test_no_page_has_an_error_of_ours(checker, built_site):
    _, ours = nu_check.split_errors(checker["site"])
    assert not ours, f"{len(ours)} errors of ours:\n" + "\n".join(nu_check.describe(e, built_site) for e in ours[:40])


def test_every_allowance_for_material_is_still_needed(checker):
    material, _ = nu_check.split_errors(checker["site"])
    reasons = {nu_check.material_reason(e) for e in material}
    unused = [k.reason for k in nu_check.MATERIAL_ERRORS if k.reason not in reasons]
    assert not unused, f"Material no longer writes these errors; drop their allowance: {unused}"


def test_errors_of_ours_are_not_taken_for_materials(checker):
    material, ours = nu_check.split_errors(checker["broken"])
    assert not material
    found = {(re.sub(r".*/", "", e["url"]), e["message"].split(" ")[0]) for e in ours}
    assert found == {("interval.html", "Bad"), ("label.html", "The"), ("toggle.html", "Attribute")}, found


# --- Link texts -------------------------------------------------------------------------------

# Link texts that do not say where a link goes: the English and Swedish ones of Lighthouse's SEO
# audit "link-text" (lighthouse 12.2.3, core/audits/seo/link-text.js), and Swedish words for
# the English ones its Swedish list lacks ("start" is how the Swedish "Start" tab failed).
GENERIC_LINK_TEXTS = {
    "click here", "click this", "go", "here", "information", "learn more", "more", "more info",
    "more information", "right here", "read more", "see more", "start", "this",
    "här", "klicka här", "läs mer", "mer", "mer info", "mer information",
    "gå", "lär dig mer", "precis här", "se mer", "börja", "detta", "denna", "det här", "klicka", "länk",
}


class _Links(HTMLParser):
    """Each link's href and text."""

    def __init__(self):
        super().__init__()
        self.open, self.links = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.open.append([dict(attrs).get("href"), ""])

    def handle_endtag(self, tag):
        if tag == "a" and self.open:
            self.links.append(tuple(self.open.pop()))

    def handle_data(self, data):
        for link in self.open:
            link[1] += data


def test_every_link_text_says_where_it_goes(built_site):
    generic = []
    for page in sorted(built_site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for href, text in parser.links:
            words = " ".join(text.split()).lower()
            if href and not href.startswith("#") and words in GENERIC_LINK_TEXTS:
                generic.append(f"{page.relative_to(built_site)}: {text.strip()!r} -> {href}")
    assert not generic, f"{len(generic)} links with generic text:\n" + "\n".join(generic[:30])


def _text(page_html: str) -> str:
    """A page's visible text: no scripts (the JSON-LD) or tags, entities decoded, spaces collapsed."""
    visible = re.sub(r"<script\b.*?</script>", " ", page_html, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", visible)).split())


# --- Language of parts ------------------------------------------------------------------------

def test_swedish_pages_show_the_packages_swedish_descriptions(built_site):
    # The package describes each resource and field in English and in Swedish (x-*-sv): the
    # Swedish pages show the Swedish, with no English left to mark as such.
    pkg = load_package()
    resource = next(r for r in pkg.descriptor["resources"] if r["name"] == "ms_convictions")
    field = next(f for f in pkg.schemas["ms_convictions"]["fields"] if f["name"] == "record_id")
    dictionary = _text((built_site / "sv" / "data" / "dictionary" / "index.html").read_text(encoding="utf-8"))
    assert "För varje medlemsstat det antal fällande domar" in dictionary
    assert "Radens identifierare: landskod och ett löpnummer (Polen har tre rader" in dictionary
    for english in (resource["description"], field["description"]):
        assert english not in dictionary
    downloads = _text((built_site / "sv" / "data" / "index.html").read_text(encoding="utf-8"))
    assert "ms_convictions.csv Fällande domar (tabell 9)" in downloads and resource["title"] not in downloads


# --- The provider matrices in the accessibility tree ------------------------------------------

# The matrices of section 2.1: the resource linking providers to items, and the item key.
MATRIX_RESOURCES = {
    "traffic_data": ("provider_traffic_data", "category_id"),
    "legal_bases": ("provider_legal_bases", "legal_basis_id"),
    "transfer_grounds": ("provider_transfer_grounds", "ground_id"),
    "safeguards": ("provider_safeguards", "safeguard_id"),
    "data_protection": ("provider_data_protection", "measure_id"),
    "data_sharing": ("provider_data_sharing", "organisation_id"),
}
ITEM_RESOURCES = {"safeguards": "safeguards", "data_protection": "data_protection_measures"}
WORDS = {"en": ("mentioned", "not mentioned"), "sv": ("nämnd", "inte nämnd")}
PROVIDERS = ("google", "linkedin", "meta", "microsoft", "x")


def _expected_marks(pkg, kind: str) -> dict[str, int]:
    """How many items each provider is listed with, from the data."""
    resource, key = MATRIX_RESOURCES[kind]
    links = pkg[resource]
    return {p: links.loc[links["provider_id"] == p, key].nunique() for p in PROVIDERS}


def _item_count(pkg, kind: str) -> int:
    resource, key = MATRIX_RESOURCES[kind]
    return len(pkg[ITEM_RESOURCES[kind]]) if kind in ITEM_RESOURCES else pkg[resource][key].nunique()


def _cells_read(snapshot: str) -> list[list[str]]:
    """The data cells of each body row, as the accessibility tree names them."""
    rows, current = [], None
    for line in snapshot.splitlines():
        if re.match(r"\s*- rowheader ", line):
            current = []
            rows.append(current)
        elif (cell := re.match(r'\s*- cell "(.*?)"(?:: (.+)|:)?$', line)) and current is not None:
            # A cell whose text differs from its name ("- cell "mentioned": ✓") is read as its text.
            current.append(cell.group(1) + (f" [{cell.group(2)}]" if cell.group(2) else ""))
    return rows


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_screen_reader_reads_every_matrix_mark_as_its_meaning(browser, server, lang):
    pkg, (yes, no) = load_package(), WORDS[lang]
    visit = Visit(browser, server)
    try:
        page = visit.open(("/" if lang == "en" else "/sv/") + "report/2-1-providers/", interactive=False)
        for kind in MATRIX_RESOURCES:
            rows = _cells_read(page.locator(f"#matrix-{kind}").aria_snapshot())
            assert len(rows) == _item_count(pkg, kind), (kind, rows)
            for row in rows:
                assert len(row) == len(PROVIDERS), (kind, row)
                unread = [c for c in row if not (c == no or c == yes or c.startswith(yes + " "))]
                assert not unread, f"{kind}: cells read as {unread}"
            read_yes = {p: sum(row[i] == yes or row[i].startswith(yes + " ") for row in rows)
                        for i, p in enumerate(PROVIDERS)}
            assert read_yes == _expected_marks(pkg, kind), kind
    finally:
        visit.close()

