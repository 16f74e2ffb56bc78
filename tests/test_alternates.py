"""Language alternates: every page names its English and Swedish versions and x-default with
<link rel="alternate" hreflang>, each pointing at a page that exists and names it back; the
sitemaps list both languages with their versions; and in Chromium, loading a page and opening
the language selector makes no failing request (Material fetches a sitemap beside each
alternate)."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import jinja2
import pytest

import sitebuild
from hooks.alternates import page_href
from test_browser import CHROMIUM, Visit, browser  # noqa: F401  (browser fixtures)

ROOT = Path(__file__).resolve().parents[1]
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
_LINK = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]*)">')


def _url_of(site: Path, page: Path) -> str:
    """The site-relative URL of a built page ("" for the home page, "sv/countries/pl/")."""
    folder = page.parent.relative_to(site).as_posix()
    return "" if folder == "." else folder + "/"


def _pages(site: Path) -> dict[str, Path]:
    return {_url_of(site, p): p for p in site.rglob("index.html")
            if not {"assets", "downloads", "search"} & set(p.relative_to(site).parts)}


# The address the test build is made for (absolute links under it), or a stand-in for a build
# without one (relative links).
BASE = {**os.environ, **sitebuild.BUILD_ENV}.get("SITE_URL") or "http://site.invalid/"


def _site_relative(href: str, from_url: str) -> str:
    """The site-relative URL ("", "sv/countries/pl/") of ``href`` on the page at ``from_url``."""
    address = urljoin(urljoin(BASE, from_url), href)
    assert address.startswith(BASE), f"{href!r} on {from_url!r} leaves the site {BASE}"
    return address[len(BASE):]


def _alternates(site: Path, page: Path) -> dict[str, str]:
    """hreflang -> site-relative URL of each alternate the page names."""
    url = _url_of(site, page)
    return {hreflang: _site_relative(href, url) for hreflang, href in _LINK.findall(page.read_text(encoding="utf-8"))}


def _language(url: str) -> str:
    return "sv" if url == "sv/" or url.startswith("sv/") else "en"


def test_every_page_names_both_versions_and_x_default(built_site):
    pages, problems = _pages(built_site), []
    assert len(pages) > 100
    for url, page in sorted(pages.items()):
        alternates = _alternates(built_site, page)
        english = url[3:] if _language(url) == "sv" else url
        expected = {"en": english, "sv": "sv/" + english, "x-default": english}
        if alternates != expected:
            problems.append(f"{url or '/'}: {alternates} != {expected}")
        elif not all(target in pages and _alternates(built_site, pages[target]) == expected
                     for target in alternates.values()):
            problems.append(f"{url or '/'}: an alternate is missing or does not name the same versions")
    assert not problems, "\n".join(problems[:20])


def test_alternates_stay_relative_whatever_the_site_url():
    # Material fetches a sitemap beside each alternate: relative addresses keep those requests on
    # the origin that serves the page.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "overrides"))
    env.filters["url"] = lambda url: f"relative:{url}"
    files = {"en": SimpleNamespace(url="countries/pl/"), "sv": SimpleNamespace(url="sv/countries/pl/")}
    context = {"page": SimpleNamespace(file=SimpleNamespace(alternates=files)),
               "i18n_config": SimpleNamespace(languages=[SimpleNamespace(locale="en", default=True),
                                                         SimpleNamespace(locale="sv", default=False)])}
    partial = env.get_template("partials/alternates.html")
    for site_url in ("https://example.org/eu/", ""):
        links = dict(_LINK.findall(partial.render(config={"site_url": site_url}, **context)))
        assert links == {"en": "relative:countries/pl/", "sv": "relative:sv/countries/pl/",
                         "x-default": "relative:countries/pl/"}


@pytest.mark.parametrize(("url", "from_url", "site_url", "expected"), [
    ("sv/countries/pl/", "countries/pl/", "", "../../sv/countries/pl/"),
    ("countries/pl/", "countries/pl/", "", "./"),
    ("", "sv/report/glossary/", "", "../../../"),
    ("sv/countries/pl/", "countries/pl/", "https://example.org/eu/", "https://example.org/eu/sv/countries/pl/"),
    ("./", "countries/pl/", "https://example.org/eu", "https://example.org/eu/"),
])
def test_page_sitemap_addresses(url, from_url, site_url, expected):
    assert page_href(url, from_url, site_url) == expected


@pytest.mark.parametrize("sitemap", ["sitemap.xml", "sv/sitemap.xml"])
def test_sitemaps_list_both_languages_with_their_versions(built_site, sitemap):
    pages = _pages(built_site)
    root = ET.parse(built_site / sitemap).getroot()
    entries = {}
    for url in root.iter(f"{SITEMAP}url"):
        # mkdocs-static-i18n writes addresses relative to the site root when there is no site_url.
        loc = _site_relative(url.find(f"{SITEMAP}loc").text, "")
        entries[loc] = {link.get("hreflang"): _site_relative(link.get("href"), "") for link in url.iter(f"{XHTML}link")}
    assert set(entries) == set(pages)
    for loc, versions in entries.items():
        english = loc[3:] if _language(loc) == "sv" else loc
        assert versions == {"en": english, "sv": "sv/" + english, "x-default": english}, loc


@pytest.fixture(scope="module")
def server(built_site):
    """The built site served under its site_url's path, as the host serves it; yields the
    address of its root (without the trailing "/")."""
    prefix = urlsplit(BASE).path or "/"
    with sitebuild.serve(built_site, prefix) as origin:
        yield origin + prefix.rstrip("/")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
@pytest.mark.parametrize(("path", "other"), [("/report/2-1-providers/", "/sv/report/2-1-providers/"),
                                             ("/sv/countries/pl/", "/countries/pl/"), ("/sv/", "/")])
def test_language_selector_makes_no_failing_request(browser, server, path, other):
    visit = Visit(browser, server)
    bad = []
    visit.page.on("response", lambda r: r.status >= 400 and bad.append(f"{r.status} {r.url}"))
    sitemaps = []
    visit.page.on("requestfinished", lambda r: r.url.endswith("/sitemap.xml") and sitemaps.append(r.url))
    try:
        page = visit.open(path, interactive=False)
        # Material fetched a sitemap beside each alternate; each was there.
        assert server + other + "sitemap.xml" in sitemaps, sitemaps
        page.locator(".md-header .md-select").hover()
        link = page.locator(f'.md-select a[hreflang="{"en" if path.startswith("/sv/") else "sv"}"]')
        link.wait_for(state="visible")
        with page.expect_navigation():
            link.click()
        page.wait_for_load_state("networkidle")
        assert page.url == server + other
        assert not (bad or visit.failed or visit.errors), (bad, visit.failed, visit.errors)
    finally:
        visit.close()

