"""What a renderer needs to know about the page it writes into: data, language, links."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from transparency.derived import derived, lookup
from transparency.html import link
from transparency.i18n import LANGUAGES
from transparency.package import Package


@dataclass(frozen=True)
class Ctx:
    """Rendering context of one page.

    Parameters
    ----------
    pkg : the loaded data package
    lang : "en" or "sv"
    root : relative URL from the page to its language's home page, ending in "/"
    site_root : relative URL from the page to the site's root (where downloads/ is shared
        by all languages); defaults to ``root``
    """

    pkg: Package
    lang: str
    root: str = ""
    site_root: str | None = None

    def __post_init__(self):
        if self.lang not in LANGUAGES:
            raise ValueError(f"unknown language {self.lang!r}; expected one of {LANGUAGES}")

    # A URL in this language's part of the site, relative to the current page.
    def url(self, path: str) -> str:
        return self.root + path

    # A URL shared by all languages (the downloads), relative to the current page.
    def site_url(self, path: str) -> str:
        return (self.root if self.site_root is None else self.site_root) + path

    # A measure's label in the page's language, from measures.csv (a new measure is data).
    def measure(self, measure: str) -> str:
        labels = lookup(self.pkg, "measures", "measure", f"label_{self.lang}")
        if measure not in labels:
            raise KeyError(f"unknown measure {measure!r} (not in measures.csv)")
        return str(labels[measure])

    def country_name(self, code: str) -> str:
        names = lookup(self.pkg, "member_states", "country_code", f"name_{self.lang}")
        if code not in names:
            raise KeyError(f"unknown member state {code!r} (not in member_states.csv)")
        return str(names[code])

    def provider_name(self, provider_id: str) -> str:
        names = lookup(self.pkg, "providers", "provider_id", "name")
        if provider_id not in names:
            raise KeyError(f"unknown provider {provider_id!r} (not in providers.csv)")
        return str(names[provider_id])

    def country_link(self, code: str) -> Markup:
        return link(self.url(f"countries/{code.lower()}/"), self.country_name(code))

    def provider_link(self, provider_id: str) -> Markup:
        return link(self.url(f"providers/{provider_id}/"), self.provider_name(provider_id))

    # Member states in the report's table order.
    def country_codes(self) -> list[str]:
        def ordered(pkg) -> tuple[str, ...]:
            frame = pkg["member_states"]
            if "report_order" in frame:
                frame = frame.sort_values("report_order")
            return tuple(frame["country_code"])

        return list(derived(self.pkg, "country_codes", ordered))

    def provider_ids(self) -> list[str]:
        return list(derived(self.pkg, "provider_ids", lambda pkg: tuple(pkg["providers"]["provider_id"])))
