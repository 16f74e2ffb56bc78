"""What a renderer needs to know about the page it writes into: data, language, links."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd
from markupsafe import Markup

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

    @cached_property
    def _countries(self) -> pd.DataFrame:
        return self.pkg["member_states"].set_index("country_code")

    @cached_property
    def _providers(self) -> pd.DataFrame:
        return self.pkg["providers"].set_index("provider_id")

    @cached_property
    def _measures(self) -> pd.DataFrame:
        return self.pkg["measures"].set_index("measure")

    # A measure's label in the page's language, from measures.csv (a new measure is data).
    def measure(self, measure: str) -> str:
        if measure not in self._measures.index:
            raise KeyError(f"unknown measure {measure!r} (not in measures.csv)")
        return str(self._measures.at[measure, f"label_{self.lang}"])

    def country_name(self, code: str) -> str:
        if code not in self._countries.index:
            raise KeyError(f"unknown member state {code!r} (not in member_states.csv)")
        return str(self._countries.at[code, f"name_{self.lang}"])

    def provider_name(self, provider_id: str) -> str:
        if provider_id not in self._providers.index:
            raise KeyError(f"unknown provider {provider_id!r} (not in providers.csv)")
        return str(self._providers.at[provider_id, "name"])

    def country_link(self, code: str) -> Markup:
        return link(self.url(f"countries/{code.lower()}/"), self.country_name(code))

    def provider_link(self, provider_id: str) -> Markup:
        return link(self.url(f"providers/{provider_id}/"), self.provider_name(provider_id))

    # Member states in the report's table order.
    def country_codes(self) -> list[str]:
        frame = self.pkg["member_states"]
        if "report_order" in frame:
            frame = frame.sort_values("report_order")
        return list(frame["country_code"])

    def provider_ids(self) -> list[str]:
        return list(self.pkg["providers"]["provider_id"])
