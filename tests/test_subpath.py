"""The site works at its real address: GitHub Pages serves a project site under a sub-path
(https://OWNER.github.io/REPO/). The session build is made for such an address (SITE_URL in
tests/sitebuild.py); here it is served under that prefix, with the site's own 404.html and
status 404 for anything missing or outside it, as Pages answers. Every page in both languages,
and the 404 page at several depths, loads in Chromium with no failed request, no request
outside the prefix and no link that does not resolve; every href/src in the built HTML, the
sitemaps and the search indexes resolve inside the prefix too."""

from __future__ import annotations

import json
import posixpath
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from sitebuild import SITE_URL, serve

PREFIX = urlsplit(SITE_URL).path
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]
# Addresses that are not on the site and are not fetched by the browser: links out to sources.
_EXTERNAL = re.compile(r"^(?:https?:)?//(?!127\.0\.0\.1[:/])|^(?:mailto|data|javascript|blob):")
# Pages Pages answers with 404.html: at the root of the prefix, in a language folder, deeper.
MISSING = ["no-such-page/", "sv/no-such-page/", "report/no/such/page/", "downloads/missing.csv"]


def site_pages(site: Path) -> list[str]:
    """Every page of the build as a path below the prefix ("", "report/", "sv/countries/at/")."""
    return sorted(p.parent.relative_to(site).as_posix().removeprefix(".").strip("/") + "/" if p.parent != site
                  else "" for p in site.rglob("index.html")
                  if "downloads" not in p.parts and "assets" not in p.parts)


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


def static_problems(site: Path, prefix: str, site_url: str = SITE_URL) -> list[str]:
    """Every href/src of every built HTML page that does not resolve inside the prefix. The
    404 page is checked as Pages serves it: at a missing address one folder deep."""
    problems = []
    for file in sorted(site.rglob("*.html")):
        relative = file.relative_to(site).as_posix()
        if relative == "404.html":
            page_url = prefix + "no/such/page/"
        else:
            page_url = prefix + relative.removesuffix("index.html")
        refs = _Refs()
        refs.feed(file.read_text(encoding="utf-8"))
        for ref in refs.refs:
            why = resolve_in_site(site, prefix, page_url, ref, site_url)
            if why:
                problems.append(f"{relative}: {ref}: {why}")
    return problems


def test_every_address_in_the_html_resolves_inside_the_prefix(built_site):
    problems = static_problems(built_site, PREFIX)
    assert not problems, f"{len(problems)} addresses do not resolve under {PREFIX}:\n" + "\n".join(problems[:40])


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

def browser_problems(site: Path, prefix: str, site_url: str = SITE_URL) -> dict[str, list[str]]:
    """Load every page of ``site`` (and the 404 page at several depths) served under ``prefix``
    in Chromium; return the failed requests, the requests outside the prefix and the links
    (<a href>) that do not resolve, each as "page: address"."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout, sync_playwright

    # "page: address" -> why; one entry per address and page however often it fails.
    found: dict[str, dict[str, str | None]] = {"failed": {}, "outside": {}, "unresolved": {}}
    status_of: dict[str, int] = {}

    def status(url: str) -> int:
        if url not in status_of:
            try:
                with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=10) as r:
                    status_of[url] = r.status
            except urllib.error.HTTPError as error:
                status_of[url] = error.code
        return status_of[url]

    with serve(site, prefix) as origin, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_context().new_page()
        current = {"path": ""}
        base = origin + prefix

        def on_request(request):
            if not request.url.startswith((base, "data:", "blob:")):
                found["outside"][f"{current['path']}: {request.url}"] = None

        def on_response(response):
            is_document = response.request.resource_type == "document" and response.request.frame == page.main_frame
            if response.status >= 400 and not (is_document and current["path"] in MISSING):
                found["failed"].setdefault(f"{current['path']}: {response.url}", f"HTTP {response.status}")

        page.on("request", on_request)
        page.on("response", on_response)
        page.on("requestfailed", lambda r: found["failed"].setdefault(f"{current['path']}: {r.url}", r.failure))
        for path in site_pages(site) + MISSING:
            current["path"] = path
            # Every page starts the search worker, which fetches its language's index and then
            # the Lunr language scripts: wait for the index, then for the network to go quiet,
            # so that the next page load does not abort a request in flight.
            response = None
            try:
                with page.expect_response(lambda r: r.url.endswith("search/search_index.json"), timeout=15000):
                    response = page.goto(base + path, wait_until="load")
            except PlaywrightTimeout:
                found["failed"][f"{path}: search index never requested"] = None
            page.wait_for_load_state("networkidle")
            expected = 404 if path in MISSING else 200
            if response is None or response.status != expected:
                found["failed"][f"{path}: document answered {response and response.status}, not {expected}"] = None
            for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
                address = href.split("#", 1)[0]
                if _EXTERNAL.match(address) or not address:
                    continue
                if address.startswith(origin_of(site_url)):  # the build's own address, not where it is served
                    address = base + address[len(site_url):] if address.startswith(site_url) else address
                if not address.startswith(base):
                    found["unresolved"][f"{path}: {href} (outside {base})"] = None
                elif status(address) != 200:
                    found["unresolved"][f"{path}: {href} (HTTP {status(address)})"] = None
        browser.close()
    return {kind: [f"{key} ({why})" if why else key for key, why in items.items()] for kind, items in found.items()}


def origin_of(url: str) -> str:
    return "{0.scheme}://{0.netloc}".format(urlsplit(url))


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_every_page_loads_under_the_prefix_in_chromium(built_site):
    found = browser_problems(built_site, PREFIX)
    report = "\n".join(f"{kind}: {item}" for kind, items in found.items() for item in items[:25])
    assert not any(found.values()), f"served under {PREFIX}: " + \
        ", ".join(f"{len(v)} {k}" for k, v in found.items()) + "\n" + report
