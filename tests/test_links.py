"""Link check over the built site: every internal link and every #anchor resolves."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitebuild import SITE_URL

# The session build is made for a sub-path address; root-relative links must stay under it.
PREFIX = urlsplit(SITE_URL).path


class _Page(HTMLParser):
    """Collects a page's link targets and the ids it defines."""

    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for name in ("href", "src"):
            value = attrs.get(name)
            if value and not (tag == "link" and attrs.get("rel") in ("canonical",)):
                self.links.append(value)


def _parse(file: Path) -> _Page:
    page = _Page()
    page.feed(file.read_text(encoding="utf-8"))
    return page


def _target(site: Path, page: Path, href: str) -> tuple[Path, str] | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "data:", "javascript:")):
        return None
    base = page.parent.relative_to(site).as_posix()
    if parts.path.startswith("/"):  # root-relative (the 404 page, the language links)
        if not parts.path.startswith(PREFIX):
            return site / "outside-the-site-prefix" / parts.path.lstrip("/"), parts.fragment
        path = posixpath.normpath(unquote(parts.path)[len(PREFIX):] or ".")
    elif parts.path:
        path = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    else:
        path = page.relative_to(site).as_posix()
    target = site / path
    if target.is_dir() or parts.path.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def test_every_internal_link_and_anchor_resolves(built_site):
    pages = {file: _parse(file) for file in built_site.rglob("*.html")}
    broken = []
    for file, parsed in pages.items():
        for href in parsed.links:
            found = _target(built_site, file, href)
            if found is None:
                continue
            target, fragment = found
            where = f"{file.relative_to(built_site)} -> {href}"
            if not target.exists():
                broken.append(f"{where}: no such file")
            elif fragment and target.suffix == ".html" and fragment not in pages.get(target, _Page()).ids \
                    and not re.match(r"^__", fragment):
                broken.append(f"{where}: no element with id {fragment!r}")
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(sorted(broken)[:50])
