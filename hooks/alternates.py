"""MkDocs hook: a sitemap beside every page, and x-default in the site's sitemaps.

Each page names its versions in both languages with <link rel="alternate" hreflang>
(overrides/partials/alternates.html). Material's script (its language selector) fetches
"sitemap.xml" relative to every such link, that is beside the page in each language; without
one there, every page load made failing requests. So each page's folder gets a small sitemap
listing that page and its versions. mkdocs-static-i18n's sitemaps (site root and language
folders) list every page of both languages with its versions; this adds x-default (the default
language's version) to each entry, as the pages do.
"""

from __future__ import annotations

import gzip
import posixpath
import xml.etree.ElementTree as ET
from pathlib import Path

from mkdocs.plugins import event_priority

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
ET.register_namespace("", SITEMAP_NS)
ET.register_namespace("xhtml", XHTML_NS)


def on_post_page(output, page, config, **kwargs):
    versions = getattr(page.file, "alternates", None) or {}
    i18n = config.plugins.get("i18n")
    roots = {"", "./"} | {f"{lang.locale}/" for lang in i18n.config.languages} if i18n else {"", "./"}
    # A language's home folder already holds that language's full sitemap.
    if len(versions) > 1 and page.url not in roots:
        default = i18n.default_language
        hrefs = {locale: page_href(f.url, page.url, config.site_url) for locale, f in sorted(versions.items())}
        if default in versions:
            hrefs["x-default"] = hrefs[default]
        folder = Path(config.site_dir) / page.url
        folder.mkdir(parents=True, exist_ok=True)  # MkDocs writes the page itself after this event
        _write(ET.ElementTree(page_sitemap(page_href(page.url, page.url, config.site_url), hrefs)), folder / "sitemap.xml")
    return output


@event_priority(-200)  # after mkdocs-static-i18n (-100) has built every language
def on_post_build(config, **kwargs):
    i18n = config.plugins.get("i18n")
    if i18n is None or i18n.building:  # inside i18n's build of another language: not yet
        return
    site = Path(config.site_dir)
    for path in [site / "sitemap.xml", *(site / lang.locale / "sitemap.xml" for lang in i18n.config.languages)]:
        if path.is_file():
            _add_x_default(path, i18n.default_language)


def page_sitemap(loc: str, hrefs: dict[str, str]) -> ET.Element:
    """A sitemap of one page: its address and, per hreflang, the address of that version."""
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
    ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = loc
    for hreflang, href in hrefs.items():
        ET.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=hreflang, href=href)
    return urlset


def page_href(url: str, from_url: str, site_url: str | None) -> str:
    """The address of the page at ``url``: absolute under ``site_url``, else relative to the
    folder of the page at ``from_url`` (both site-relative, as MkDocs gives them)."""
    url = "" if url in ("", "./") else url
    if site_url:
        return site_url.rstrip("/") + "/" + url
    relative = posixpath.relpath("/" + url, "/" + (from_url if from_url != "./" else ""))
    return "./" if relative == "." else relative.rstrip("/") + "/"


def _add_x_default(path: Path, default: str) -> None:
    """Give every entry of the sitemap at ``path`` (and its .gz copy) an x-default version: the
    entry's ``default`` one."""
    tree = ET.parse(path)
    links = f"{{{XHTML_NS}}}link"
    for url in tree.getroot().iter(f"{{{SITEMAP_NS}}}url"):
        versions = {link.get("hreflang"): link for link in url.iter(links)}
        if default in versions and "x-default" not in versions:
            ET.SubElement(url, links, rel="alternate", hreflang="x-default", href=versions[default].get("href"))
    _write(tree, path)
    gz = path.with_name(path.name + ".gz")
    if gz.is_file():
        gz.write_bytes(gzip.compress(path.read_bytes(), mtime=0))


def _write(tree: ET.ElementTree, path: Path) -> None:
    ET.indent(tree, space="  ")
    tree.write(path, encoding="UTF-8", xml_declaration=True)
