"""Metadata that data portals and search engines read, generated from datapackage.json:
schema.org ``Dataset`` (JSON-LD on the Data page) and a DCAT-AP catalogue of the dataset and
its distributions (``dcat.jsonld`` at the site root, the vocabulary data.europa.eu harvests).

Coverage comes from the data itself: the period from the earliest ``period_start`` or ``year``
to the latest ``period_end`` or ``year`` in any resource, the places from member_states.csv.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pycountry

from transparency.downloads import version_page, version_url, zip_name
from transparency.package import Package

# Controlled vocabularies of the EU Publications Office, which DCAT-AP uses.
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json", "zip": "application/zip"}
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "adms": "http://www.w3.org/ns/adms#",
    "owl": "http://www.w3.org/2002/07/owl#",
}


def temporal_coverage(pkg: Package) -> tuple[dt.date, dt.date]:
    """First and last day that any figure of the package covers."""
    starts, ends = [], []
    for frame in pkg.frames.values():
        if "year" in frame:
            years = pd.to_numeric(frame["year"], errors="coerce").dropna()
            if len(years):
                starts.append(dt.date(int(years.min()), 1, 1))
                ends.append(dt.date(int(years.max()), 12, 31))
        for column, out in (("period_start", starts), ("period_end", ends)):
            if column in frame:
                dates = pd.to_datetime(frame[column], errors="coerce").dropna()
                if len(dates):
                    out.append((dates.min() if out is starts else dates.max()).date())
    assert starts and ends, f"{pkg.path}: no year or period column to derive the temporal coverage from"
    return min(starts), max(ends)


def member_states(pkg: Package) -> list[tuple[str, str]]:
    """(ISO 3166-1 alpha-3, English name) of every member state in member_states.csv."""
    frame = pkg["member_states"]
    out = []
    for code, name in zip(frame["country_code"], frame["name_en"]):
        country = pycountry.countries.get(alpha_2=code)
        assert country is not None, f"member_states.csv: country_code {code!r} is not ISO 3166-1 alpha-2"
        out.append((country.alpha_3, str(name)))
    return out


def distributions(pkg: Package, site_url: str) -> list[dict]:
    """Every downloadable file of this version: the zip, the descriptor and each CSV, with its
    stable address under data/vX.Y.Z/."""
    base = version_url(site_url, pkg.version)
    files = [(zip_name(pkg), f"{pkg.descriptor['title']} (zip)", "zip"),
             ("datapackage.json", "datapackage.json", "json")]
    files += [(r["path"], r.get("title", r["name"]), r["path"].rsplit(".", 1)[-1]) for r in pkg.descriptor["resources"]]
    return [{"url": base + path, "title": title, "media_type": MEDIA_TYPES[ext]} for path, title, ext in files]


def _licence(pkg: Package) -> str:
    return pkg.descriptor["licenses"][0]["path"]


def _publisher(pkg: Package) -> str:
    author = [c for c in pkg.descriptor.get("contributors", []) if c.get("role") == "author"]
    assert author, f"{pkg.path}: no contributor with role 'author' to name as creator and publisher"
    return author[0]["title"]


def schema_org_dataset(pkg: Package, site_url: str) -> dict:
    """schema.org Dataset of this version, for the Data page."""
    start, end = temporal_coverage(pkg)
    creator = {"@type": "Organization", "name": _publisher(pkg)}
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": version_page(site_url, pkg.version),
        "name": pkg.descriptor["title"],
        "description": pkg.descriptor["description"],
        "url": version_page(site_url, pkg.version),
        "version": pkg.version,
        "license": _licence(pkg),
        "creator": creator,
        "publisher": creator,
        "keywords": pkg.descriptor.get("keywords", []),
        "isBasedOn": [s["path"] for s in pkg.descriptor.get("sources", []) if "path" in s],
        "temporalCoverage": f"{start.isoformat()}/{end.isoformat()}",
        "spatialCoverage": {"@type": "Place", "name": "European Union",
                            "containsPlace": [{"@type": "Country", "name": name, "identifier": code}
                                              for code, name in member_states(pkg)]},
        "distribution": [{"@type": "DataDownload", "name": d["title"], "contentUrl": d["url"],
                          "encodingFormat": d["media_type"]} for d in distributions(pkg, site_url)],
    }


def dcat_catalog(pkg: Package, site_url: str) -> dict:
    """A DCAT-AP catalogue with this dataset and its distributions, as JSON-LD with an inline
    context (readers need fetch nothing to expand it)."""
    start, end = temporal_coverage(pkg)
    page = version_page(site_url, pkg.version)
    publisher = {"@type": "foaf:Agent", "foaf:name": _publisher(pkg)}
    licence = {"@id": _licence(pkg), "@type": "dct:LicenseDocument"}
    typed = lambda value, kind: {"@value": value, "@type": f"xsd:{kind}"}  # noqa: E731
    dataset = {
        "@id": page,
        "@type": "dcat:Dataset",
        "dct:title": {"@value": pkg.descriptor["title"], "@language": "en"},
        "dct:description": {"@value": pkg.descriptor["description"], "@language": "en"},
        "dct:identifier": page,
        "owl:versionInfo": pkg.version,
        "adms:versionNotes": {"@value": f"See CHANGELOG.md for version {pkg.version}.", "@language": "en"},
        "dcat:landingPage": {"@id": page},
        "dct:publisher": publisher,
        "dct:creator": publisher,
        "dcat:keyword": [{"@value": k, "@language": "en"} for k in pkg.descriptor.get("keywords", [])],
        "dct:language": {"@id": EU_AUTHORITY + "language/ENG"},
        "dct:accessRights": {"@id": EU_AUTHORITY + "access-right/PUBLIC"},
        "dct:source": [{"@id": s["path"]} for s in pkg.descriptor.get("sources", []) if "path" in s],
        "dct:temporal": {"@type": "dct:PeriodOfTime", "dcat:startDate": typed(start.isoformat(), "date"),
                         "dcat:endDate": typed(end.isoformat(), "date")},
        "dct:spatial": [{"@id": f"{EU_AUTHORITY}country/{code}"} for code, _ in member_states(pkg)],
        "dcat:distribution": [{
            "@id": d["url"],
            "@type": "dcat:Distribution",
            "dct:title": {"@value": d["title"], "@language": "en"},
            "dcat:accessURL": {"@id": page},
            "dcat:downloadURL": {"@id": d["url"]},
            "dcat:mediaType": {"@id": "https://www.iana.org/assignments/media-types/" + d["media_type"]},
            "dct:license": licence,
        } for d in distributions(pkg, site_url)],
    }
    return {
        "@context": CONTEXT,
        "@id": site_url,
        "@type": "dcat:Catalog",
        "dct:title": {"@value": "EU interim regulation report in data", "@language": "en"},
        "dct:description": {"@value": "Open data transcribed from the European Commission's report COM(2023) 797.",
                            "@language": "en"},
        "dct:publisher": publisher,
        "foaf:homepage": {"@id": site_url},
        "dcat:dataset": [dataset],
    }
