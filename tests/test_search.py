"""Search finds every country and provider page in each language (issue 12): the
per-language search index has the page itself (title and location), not only its sections,
and Material's search box in Chromium lists it with its title and a working link."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from transparency.package import load_package

PKG = load_package()
PREFIX = {"en": "", "sv": "sv/"}


def _expected(lang: str) -> list[tuple[str, str]]:
    """(location, title) of each member state's and provider's page in ``lang``."""
    states = PKG["member_states"]
    providers = PKG["providers"]
    return ([(f"countries/{code.lower()}/", name) for code, name in zip(states["country_code"], states[f"name_{lang}"])]
            + [(f"providers/{pid}/", name) for pid, name in zip(providers["provider_id"], providers["name"])])


def _index(site: Path, lang: str) -> list[dict]:
    return json.loads((site / PREFIX[lang] / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_index_has_every_country_and_provider_page(built_site: Path, lang: str):
    expected = _expected(lang)
    assert len(expected) == 27 + 5
    pages = {(d["location"], d["title"]) for d in _index(built_site, lang)}
    missing = [title for location, title in expected if (location, title) not in pages]
    assert not missing, f"{lang} search index lacks the page of {missing}"
    for location, _ in expected:
        assert (built_site / PREFIX[lang] / location / "index.html").is_file(), location


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_section_in_the_index_has_its_page(built_site: Path, lang: str):
    # Material titles and links a section result through its page's entry; without it the
    # result has no title and links to "undefined".
    docs = _index(built_site, lang)
    pages = {d["location"] for d in docs if "#" not in d["location"]}
    orphans = sorted({d["location"].split("#")[0] for d in docs if "#" in d["location"]} - pages)
    assert not orphans, f"{lang}: sections without their page in the index: {orphans[:10]}"


from test_browser import CHROMIUM, Visit  # noqa: E402  browser and server: fixtures in conftest.py


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
@pytest.mark.parametrize(("lang", "query", "location"), [
    ("en", "Meta", "providers/meta/"), ("sv", "Meta", "providers/meta/"),
    ("sv", "Finland", "countries/fi/"), ("sv", "Österrike", "countries/at/"),
])
def test_search_box_lists_the_page_with_title_and_working_link(browser, server, lang, query, location):
    visit = Visit(browser, server)
    try:
        page = visit.open("/" + PREFIX[lang], interactive=False)
        page.locator("label.md-search__icon, .md-search__input").first.click()
        page.locator(".md-search__input").press_sequentially(query, delay=50)
        page.wait_for_selector(".md-search-result__item", timeout=60000)
        found = {}  # each result's page: its first link (the others are its sections)
        for item in page.locator(".md-search-result__item").all():
            link = item.locator(".md-search-result__link").first
            href = link.get_attribute("href") or ""
            path = page.evaluate(f"new URL({href!r}, location.href).pathname")
            found[path] = link.locator("article h1, article h2").first.inner_text().strip()
        # Pages are loaded at the site's address (SITE_URL, under its path: tests/browsing.py).
        site_path = urlsplit(visit.base).path
        target = site_path + "/" + PREFIX[lang] + location
        assert target in found, found
        assert found[target] == query
        assert not any("undefined" in p for p in found), found
        response = page.goto(visit.base + "/" + PREFIX[lang] + location)
        assert response is not None and response.ok
    finally:
        visit.close()
