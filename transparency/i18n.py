"""Interface strings of the site in English and Swedish.

Only labels live here; every figure comes from the data package. ``t(key, lang)`` raises on
an unknown key or language so a missing translation stops the build instead of showing a key.
"""

from __future__ import annotations

LANGUAGES = ("en", "sv")

STRINGS: dict[str, dict[str, str]] = {
    # Status flags: short word or mark, and the explanation shown as a tooltip and legend.
    "flag_not_available": {"en": "N/A", "sv": "i.u."},
    "flag_not_reported": {"en": "not reported", "sv": "ej rapporterat"},
    "flag_not_applicable": {"en": "not applicable", "sv": "ej tillämpligt"},
    "flag_reported_long": {"en": "Figure as printed in the report", "sv": "Siffra som i rapporten"},
    "flag_approximate_long": {
        "en": "Approximate: the report gives this figure as 'about'",
        "sv": "Ungefärlig: rapporten anger siffran som cirka",
    },
    "flag_lower_bound_long": {
        "en": "Lower bound: the report says 'more than' this figure",
        "sv": "Nedre gräns: rapporten anger 'över' denna siffra",
    },
    "flag_upper_bound_long": {
        "en": "Upper bound: the report says 'at most' this figure",
        "sv": "Övre gräns: rapporten anger 'högst' denna siffra",
    },
    "flag_range_long": {
        "en": "Range: the report gives a lowest and a highest figure",
        "sv": "Intervall: rapporten anger en lägsta och en högsta siffra",
    },
    "flag_not_available_long": {
        "en": "The report prints N/A: not applicable or not given, it does not say which",
        "sv": "Rapporten anger i.u.: ej tillämpligt eller inte uppgivet, utan att säga vilket",
    },
    "flag_not_reported_long": {
        "en": "Not reported: the report gives no figure (this is not zero)",
        "sv": "Ej rapporterat: rapporten anger ingen siffra (detta är inte noll)",
    },
    "flag_not_applicable_long": {
        "en": "Not applicable: the figure cannot exist (for example a rate without a denominator)",
        "sv": "Ej tillämpligt: siffran kan inte finnas (till exempel en andel utan nämnare)",
    },
    "legend": {"en": "Legend", "sv": "Teckenförklaring"},
    "million": {"en": "million", "sv": "miljoner"},
    "billion": {"en": "billion", "sv": "miljarder"},
    # Table parts.
    "source": {"en": "Source", "sv": "Källa"},
    "note": {"en": "Note", "sv": "Kommentar"},
    "notes": {"en": "Notes", "sv": "Kommentarer"},
    "period": {"en": "Reporting period", "sv": "Rapporteringsperiod"},
    "country": {"en": "Member state", "sv": "Medlemsstat"},
    "provider": {"en": "Provider", "sv": "Tillhandahållare"},
    "year": {"en": "Year", "sv": "År"},
    "total": {"en": "Total", "sv": "Totalt"},
    "unit": {"en": "Unit", "sv": "Enhet"},
    "scope": {"en": "Scope", "sv": "Omfattning"},
    "printed": {"en": "As printed", "sv": "Som tryckt"},
    "download_csv": {"en": "Download these numbers (CSV)", "sv": "Ladda ned siffrorna (CSV)"},
    "show_table": {"en": "Show the numbers as a table", "sv": "Visa siffrorna som tabell"},
    "report_table": {"en": "Report table", "sv": "Rapportens tabell"},
    "report_section": {"en": "Report section", "sv": "Rapportens avsnitt"},
    "table_n": {"en": "Table {n}", "sv": "Tabell nr {n}"},
    "section_n": {"en": "section {n}", "sv": "avsnitt {n}"},
    "footnote_n": {"en": "footnote {n}", "sv": "fotnot {n}"},
    "computed": {"en": "Computed here", "sv": "Beräknat här"},
    "printed_in_report": {"en": "Printed in the report", "sv": "Tryckt i rapporten"},
    "difference_pp": {"en": "Difference (percentage points)", "sv": "Skillnad (procentenheter)"},
    "matches": {"en": "matches", "sv": "stämmer"},
    "differs": {"en": "differs", "sv": "avviker"},
    "yes": {"en": "yes", "sv": "ja"},
    "no": {"en": "no", "sv": "nej"},
    # Units.
    "unit_accounts": {"en": "accounts", "sv": "konton"},
    "unit_content_items": {"en": "content items", "sv": "innehållsposter"},
    "unit_images_and_videos": {"en": "images and videos", "sv": "bilder och videor"},
    "unit_images": {"en": "images", "sv": "bilder"},
    "unit_videos": {"en": "videos", "sv": "videor"},
    "unit_reports": {"en": "reports", "sv": "rapporter"},
    "unit_reports_per_month": {"en": "reports per month", "sv": "rapporter per månad"},
    "unit_children": {"en": "children", "sv": "barn"},
    "unit_convictions": {"en": "convictions", "sv": "fällande domar"},
    "unit_offences": {"en": "offences", "sv": "brott"},
    "unit_organisations": {"en": "organisations", "sv": "organisationer"},
    "unit_percent": {"en": "percent", "sv": "procent"},
    "unit_ratio": {"en": "ratio", "sv": "kvot"},
    "unit_years": {"en": "years", "sv": "år"},
    "unit_days": {"en": "days", "sv": "dagar"},
    "unit_months": {"en": "months", "sv": "månader"},
    "unit_times": {"en": "times", "sv": "gånger"},
    "unit_files": {"en": "files", "sv": "filer"},
    # Scope of provider and NCMEC figures.
    "scope_eu": {"en": "EU", "sv": "EU"},
    "scope_global": {"en": "worldwide", "sv": "globalt"},
    "scope_unclear": {"en": "unclear (EU or worldwide)", "sv": "oklart (EU eller globalt)"},
}


def t(key: str, lang: str, **values) -> str:
    """The string ``key`` in ``lang``, with ``{name}`` placeholders filled from ``values``."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    if key not in STRINGS:
        raise KeyError(f"no interface string {key!r} in transparency/i18n.py")
    text = STRINGS[key][lang]
    return text.format(**values) if values else text
