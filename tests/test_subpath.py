"""The site works at its real address: GitHub Pages serves a project site under a sub-path
(https://OWNER.github.io/REPO/). The session build is made for such an address (SITE_URL in
tests/sitebuild.py); here it is served under that prefix, with the site's own 404.html and
status 404 for anything missing or outside it, as Pages answers.

Every href/src in the built HTML, the sitemaps and the search indexes resolves to a file inside
the prefix, and the server answers each such address with 200 (parsed from the files and
fetched over HTTP: fast, and it sees every page). In Chromium, at the published address
(browsing.py), one page of each kind in each language and the 404 page at several depths load
with no failed request, no request outside the prefix and no link that does not resolve: what
the site's scripts ask for (the search worker and its language scripts, the chart loader) is
seen only there. Every other page loads in Chromium in tests/test_browser.py's light-palette
walk, which fails on the same failed and outside requests.
"""

from __future__ import annotations

import concurrent.futures
import json
import posixpath
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from browsing import CHROMIUM, PREFIX, Served, draw_charts, new_context, real_address, wait_for_search
from sitebuild import SITE_URL
# Addresses that are not on the site and are not fetched by the browser: links out to sources.
_EXTERNAL = re.compile(r"^(?:https?:)?//(?!127\.0\.0\.1[:/])|^(?:mailto|data|javascript|blob):")
# Pages Pages answers with 404.html: at the root of the prefix, in a language folder, deeper.
MISSING = ["no-such-page/", "sv/no-such-page/", "report/no/such/page/", "downloads/missing.csv"]


def site_pages(site: Path) -> list[str]:
    """Every page of the build as a path below the prefix ("", "report/", "sv/countries/at/")."""
    return sorted(p.parent.relative_to(site).as_posix().removeprefix(".").strip("/") + "/" if p.parent != site
                  else "" for p in site.rglob("index.html")
                  if "downloads" not in p.parts and "assets" not in p.parts)


def http_status(url: str) -> int:
    """The status a HEAD request to ``url`` gets (redirects followed)."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


# --- Static check: every address in the built files ----------------------------------------

class _Refs(HTMLParser):
    """Every href, src and data-plotly-src of a page (canonical and og:url included)."""

    def __init__(self):
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "data-plotly-src") and value:
                self.refs.append(value)
            if tag == "meta" and name == "content" and value and value.startswith(("http://", "https://")):
                self.refs.append(value)


def resolve_in_site(site: Path, prefix: str, page_url: str, ref: str, site_url: str = SITE_URL) -> str | None:
    """Why ``ref`` on the page at ``page_url`` (a path like "/some-repo/sv/") does not resolve
    to a file of ``site`` under ``prefix``; None when it does or when it leaves the site."""
    if _EXTERNAL.match(ref):
        return None
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    if ref.startswith(("http://", "https://")):
        if not ref.startswith(origin + "/"):
            return None
        ref = ref[len(origin):]  # an absolute address on this site: check its path
    path = unquote(urlsplit(urljoin(page_url, ref)).path)
    if not path.startswith(prefix):
        return f"outside the prefix {prefix} (resolves to {path})"
    relative = posixpath.normpath(path[len(prefix):] or ".")
    if relative.startswith(".."):
        return f"outside the prefix {prefix} (resolves to {path})"
    target = site / relative
    if target.is_dir():
        target = target / "index.html"
    return None if target.is_file() else f"no such file {relative}"


def page_refs(site: Path, prefix: str) -> Iterator[tuple[str, str, str]]:
    """Every href/src of every built HTML page as (file below ``site``, the address the page is
    served at, the reference). The 404 page is taken as Pages serves it: at a missing address
    one folder deep."""
    for file in sorted(site.rglob("*.html")):
        relative = file.relative_to(site).as_posix()
        page_url = prefix + ("no/such/page/" if relative == "404.html" else relative.removesuffix("index.html"))
        refs = _Refs()
        refs.feed(file.read_text(encoding="utf-8"))
        for ref in refs.refs:
            yield relative, page_url, ref


def static_problems(site: Path, prefix: str, site_url: str = SITE_URL) -> list[str]:
    """Every href/src of every built HTML page that does not resolve inside the prefix."""
    return [f"{relative}: {ref}: {why}" for relative, page_url, ref in page_refs(site, prefix)
            if (why := resolve_in_site(site, prefix, page_url, ref, site_url))]


def test_every_address_in_the_html_resolves_inside_the_prefix(built_site):
    problems = static_problems(built_site, PREFIX)
    assert not problems, f"{len(problems)} addresses do not resolve under {PREFIX}:\n" + "\n".join(problems[:40])


def site_addresses(site: Path, prefix: str, site_url: str = SITE_URL) -> dict[str, str]:
    """Each distinct address on this site that a built page refers to (its path, without query
    or fragment) -> the first page that does."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    found: dict[str, str] = {}
    for relative, page_url, ref in page_refs(site, prefix):
        if ref.startswith(origin + "/"):
            ref = ref[len(origin):]  # an absolute address on this site
        if not _EXTERNAL.match(ref) and not ref.startswith(("http://", "https://")):
            found.setdefault(urlsplit(urljoin(page_url, ref)).path, relative)
    return found


def test_every_address_in_the_html_answers_under_the_prefix(built_site, server):
    # The same addresses as above, asked of the server that serves the build as Pages does.
    addresses = site_addresses(built_site, PREFIX)
    assert len(addresses) > len(site_pages(built_site)), "fewer addresses than pages: the parse found nothing"
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        statuses = dict(zip(addresses, pool.map(lambda path: http_status(server.origin + path), addresses)))
    failing = [f"{page}: {path} (HTTP {statuses[path]})" for path, page in addresses.items() if statuses[path] != 200]
    assert not failing, f"{len(failing)} addresses do not answer 200 under {PREFIX}:\n" + "\n".join(failing[:40])


def test_the_404_page_uses_addresses_from_the_site_root(built_site):
    # Pages serves 404.html at whatever depth was asked for, so relative links cannot work there.
    refs = _Refs()
    refs.feed((built_site / "404.html").read_text(encoding="utf-8"))
    local = [r for r in refs.refs if not _EXTERNAL.match(r) and not r.startswith("#")]
    assert local, "404.html links to nothing on the site"
    assert all(r.startswith((PREFIX, SITE_URL)) for r in local), [r for r in local if not r.startswith(PREFIX)][:10]


def test_the_404_page_is_the_default_language_with_links_to_each_home_page(built_site):
    html = (built_site / "404.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in html
    switcher = re.findall(r'<a href="([^"]*)" hreflang="(\w+)" class="md-select__link"', html)
    assert sorted(switcher) == [(PREFIX, "en"), (PREFIX + "sv/", "sv")], switcher


@pytest.mark.parametrize("sitemap", ["sitemap.xml", "sv/sitemap.xml"])
def test_sitemap_lists_full_addresses_of_existing_pages(built_site, sitemap):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(built_site / sitemap).getroot()
    locs = [e.text or "" for e in root.findall("s:url/s:loc", ns)]
    alternates = [e.get("href", "") for e in root.findall("s:url/x:link", ns)]
    assert sorted(locs) == sorted(SITE_URL + page for page in site_pages(built_site)), "one <url> per page"
    for address in locs + alternates:
        assert address.startswith(SITE_URL), f"{sitemap}: {address!r} is not a full address under {SITE_URL}"
        assert resolve_in_site(built_site, PREFIX, PREFIX, address) is None, f"{sitemap}: {address} does not resolve"
    assert SITE_URL + "sv/countries/at/" in alternates


@pytest.mark.parametrize("index", ["search/search_index.json", "sv/search/search_index.json"])
def test_search_results_resolve_inside_the_prefix(built_site, index):
    folder = PREFIX + index.removesuffix("search/search_index.json")
    docs = json.loads((built_site / index).read_text(encoding="utf-8"))["docs"]
    assert docs
    broken = [d["location"] for d in docs if resolve_in_site(built_site, PREFIX, folder, d["location"])]
    assert not broken, broken[:10]


# --- In the browser ------------------------------------------------------------------------

def browser_problems(browser, served: Served, paths: list[str]) -> dict[str, list[str]]:
    """Load each of ``paths`` (below the prefix; those in MISSING must answer 404) at its
    published address (SITE_URL) in ``browser``, ``served`` under its prefix (browsing.py);
    return the failed requests, the requests outside the prefix and the links (<a href>, as
    the browser resolves them) that do not resolve, each as "page: address"."""
    # "page: address" -> why; one entry per address and page however often it fails.
    found: dict[str, dict[str, str | None]] = {"failed": {}, "outside": {}, "unresolved": {}}
    status_of: dict[str, int] = {}

    def status(url: str) -> int:
        if url not in status_of:
            status_of[url] = http_status(real_address(url, served))
        return status_of[url]

    context = new_context(browser, served)
    page = context.new_page()
    try:
        current = {"path": ""}

        def on_request(request):
            if not request.url.startswith((SITE_URL, "data:", "blob:")):
                found["outside"][f"{current['path']}: {request.url}"] = None

        def on_response(response):
            is_document = response.request.resource_type == "document" and response.request.frame == page.main_frame
            if response.status >= 400 and not (is_document and current["path"] in MISSING):
                found["failed"].setdefault(f"{current['path']}: {response.url}", f"HTTP {response.status}")

        page.on("request", on_request)
        page.on("response", on_response)
        page.on("requestfailed", lambda r: found["failed"].setdefault(f"{current['path']}: {r.url}", r.failure))
        for path in paths:
            current["path"] = path
            response = page.goto(SITE_URL + path, wait_until="load")
            expected = 404 if path in MISSING else 200
            if response is None or response.status != expected:
                found["failed"][f"{path}: document answered {response and response.status}, not {expected}"] = None
            if not wait_for_search(page):
                found["failed"][f"{path}: search never became ready"] = None
            # What the page asks for after that is its charts' code and data: drawn, they are in.
            draw_charts(page)
            for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
                address = href.split("#", 1)[0]
                if _EXTERNAL.match(address) or not address:
                    continue
                if not address.startswith(SITE_URL):
                    found["unresolved"][f"{path}: {href} (outside {SITE_URL})"] = None
                elif status(address) != 200:
                    found["unresolved"][f"{path}: {href} (HTTP {status(address)})"] = None
    finally:
        context.close()
    return {kind: [f"{key} ({why})" if why else key for key, why in items.items()] for kind, items in found.items()}


# One page of each kind (each layout, each way the site's scripts load things) in each language.
KINDS = ["", "report/2-1-providers/", "analysis/ncmec-map/", "countries/", "countries/pl/", "providers/meta/",
         "data/", "data/dictionary/"]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_each_kind_of_page_and_the_404_page_load_under_the_prefix_in_chromium(browser, server, built_site):
    paths = KINDS + ["sv/" + kind for kind in KINDS]
    assert set(paths) <= set(site_pages(built_site)), sorted(set(paths) - set(site_pages(built_site)))
    found = browser_problems(browser, server, paths + MISSING)
    report = "\n".join(f"{kind}: {item}" for kind, items in found.items() for item in items[:25])
    assert not any(found.values()), f"served under {PREFIX}: " + \
        ", ".join(f"{len(v)} {k}" for k, v in found.items()) + "\n" + report
