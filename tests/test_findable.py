"""Findable: the Data page carries a schema.org Dataset (JSON-LD), the site publishes a DCAT-AP
catalogue (dcat.jsonld) of the dataset and its distributions, both generated from
datapackage.json; every page has a description and social preview metadata in its language."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pandas as pd
import pytest
import rdflib
from rdflib import namespace as ns

from sitebuild import SITE_URL
from test_subpath import PREFIX, resolve_in_site, site_pages
from transparency.package import load_package

PKG = load_package()
# Namespace objects answer every attribute name, so pytest's collection would probe them as
# module globals; reached through ns they are not module-level names.
DCAT, DCTERMS, FOAF, RDF = ns.DCAT, ns.DCTERMS, ns.FOAF, ns.RDF
PAGE = f"{SITE_URL}data/#v{PKG.version}"
FILES = len(PKG.descriptor["resources"]) + 2  # every CSV, the descriptor and the zip


def _coverage() -> tuple[str, str]:
    """Earliest and latest day of any year or period in the data, computed here."""
    days = []
    for frame in PKG.frames.values():
        for column in ("year",):
            if column in frame:
                years = pd.to_numeric(frame[column], errors="coerce").dropna().astype(int)
                days += [dt.date(y, 1, 1) for y in years] + [dt.date(y, 12, 31) for y in years]
        for column in ("period_start", "period_end"):
            if column in frame:
                days += [d.date() for d in pd.to_datetime(frame[column], errors="coerce").dropna()]
    return min(days).isoformat(), max(days).isoformat()


def _jsonld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, f"expected one JSON-LD block, found {len(blocks)}"
    return json.loads(blocks[0])


@pytest.mark.parametrize("page", ["data/index.html", "sv/data/index.html"])
def test_data_page_describes_the_dataset_in_schema_org(built_site, page):
    data = _jsonld((built_site / page).read_text(encoding="utf-8"))
    assert data["@type"] == "Dataset" and data["@context"] == "https://schema.org/"
    assert data["name"] == PKG.descriptor["title"] and data["description"] == PKG.descriptor["description"]
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["version"] == PKG.version and data["url"] == PAGE
    assert data["creator"]["name"] == "EU CSAM report open data project"
    assert data["temporalCoverage"] == "/".join(_coverage())
    places = data["spatialCoverage"]["containsPlace"]
    assert data["spatialCoverage"]["name"] == "European Union" and len(places) == len(PKG["member_states"]) == 27
    assert {"name": "Sweden", "identifier": "SWE", "@type": "Country"} in places
    assert len(data["distribution"]) == FILES
    for item in data["distribution"]:
        assert resolve_in_site(built_site, PREFIX, PREFIX, item["contentUrl"]) is None, item["contentUrl"]
    assert any(d["contentUrl"].endswith(f"/data/v{PKG.version}/data/member_states.csv") for d in data["distribution"])


@pytest.fixture(scope="module")
def dcat(built_site) -> rdflib.Graph:
    return rdflib.Graph().parse(built_site / "dcat.jsonld", format="json-ld")


def _one(graph: rdflib.Graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert values, f"{subject} has no {predicate}"
    return values[0]


def test_dcat_ap_catalogue_has_the_mandatory_and_recommended_properties(built_site, dcat):
    catalogues = list(dcat.subjects(RDF.type, DCAT.Catalog))
    assert catalogues == [rdflib.URIRef(SITE_URL)]
    catalogue = catalogues[0]
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher):  # DCAT-AP mandatory for a catalogue
        _one(dcat, catalogue, prop)
    datasets = list(dcat.objects(catalogue, DCAT.dataset))
    assert datasets == [rdflib.URIRef(PAGE)] and (datasets[0], RDF.type, DCAT.Dataset) in dcat
    dataset = datasets[0]
    assert str(_one(dcat, dataset, DCTERMS.title)) == PKG.descriptor["title"]
    assert str(_one(dcat, dataset, DCTERMS.description)) == PKG.descriptor["description"]
    assert str(_one(dcat, _one(dcat, dataset, DCTERMS.publisher), FOAF.name)) == "EU CSAM report open data project"
    assert {str(k) for k in dcat.objects(dataset, DCAT.keyword)} == set(PKG.descriptor["keywords"])
    period = _one(dcat, dataset, DCTERMS.temporal)
    assert (str(_one(dcat, period, DCAT.startDate)), str(_one(dcat, period, DCAT.endDate))) == _coverage()
    spatial = {str(s) for s in dcat.objects(dataset, DCTERMS.spatial)}
    assert len(spatial) == 27 and "http://publications.europa.eu/resource/authority/country/SWE" in spatial
    distributions = list(dcat.objects(dataset, DCAT.distribution))
    assert len(distributions) == FILES
    for item in distributions:
        assert (item, RDF.type, DCAT.Distribution) in dcat
        _one(dcat, item, DCAT.accessURL)  # DCAT-AP mandatory for a distribution
        assert str(_one(dcat, item, DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
        download = str(_one(dcat, item, DCAT.downloadURL))
        assert resolve_in_site(built_site, PREFIX, PREFIX, download) is None, download


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.lang = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang", "")
        if tag == "meta" and (attrs.get("name") or attrs.get("property")):
            self.meta.setdefault(attrs.get("name") or attrs.get("property"), attrs.get("content") or "")


def _meta(built_site, page: str) -> _Meta:
    parsed = _Meta()
    parsed.feed((built_site / page / "index.html").read_text(encoding="utf-8"))
    return parsed


def test_every_page_has_a_description_and_social_preview_in_its_own_language(built_site):
    pages = site_pages(built_site)
    problems = []
    for page in pages:
        found = _meta(built_site, page)
        meta, lang = found.meta, found.lang
        for key in ("description", "og:title", "og:description", "og:url", "og:site_name", "twitter:card",
                    "twitter:title", "twitter:description"):
            if not meta.get(key):
                problems.append(f"{page or '/'}: no {key}")
        if meta.get("og:locale") != {"en": "en_GB", "sv": "sv_SE"}[lang]:
            problems.append(f"{page or '/'}: og:locale {meta.get('og:locale')!r} on a {lang} page")
        if meta.get("og:url") != SITE_URL + page:
            problems.append(f"{page or '/'}: og:url {meta.get('og:url')!r}")
        for key, value in meta.items():
            if key.endswith(":image") and urlsplit(value).netloc not in ("", urlsplit(SITE_URL).netloc):
                problems.append(f"{page or '/'}: {key} from another host")
        if lang == "sv":  # the Swedish text, not the English page's
            english = _meta(built_site, page.removeprefix("sv/")).meta
            for key in ("description", "og:description", "og:site_name"):
                if meta.get(key) == english.get(key):
                    problems.append(f"{page}: {key} is the English page's")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])
