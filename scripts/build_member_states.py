"""Build datapackage/data/member_states.csv, the reference list of the 27 EU member states.

Codes come from pycountry (ISO 3166-1), names from Babel (CLDR): English common short names
("Czechia", "Netherlands") and Swedish names. `name_sv_report` and `report_order` are
transcribed from Table 6 of COM(2023) 797 (Swedish edition): the report lists the member
states in the alphabetical order of their English names, in every member-state table (6-9).

Run from the repository root:  python scripts/build_member_states.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import pycountry
from babel import Locale

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "datapackage" / "data" / "member_states.csv"

# Table 6 row labels, top to bottom, as printed in the Swedish edition (also Tables 7-9).
REPORT_ROWS = {
    "Österrike": "AT", "Belgien": "BE", "Bulgarien": "BG", "Kroatien": "HR", "Cypern": "CY",
    "Tjeckien": "CZ", "Danmark": "DK", "Estland": "EE", "Finland": "FI", "Frankrike": "FR",
    "Tyskland": "DE", "Grekland": "GR", "Ungern": "HU", "Irland": "IE", "Italien": "IT",
    "Lettland": "LV", "Litauen": "LT", "Luxemburg": "LU", "Malta": "MT",
    "Nederländerna": "NL", "Polen": "PL", "Portugal": "PT", "Rumänien": "RO",
    "Slovakien": "SK", "Slovenien": "SI", "Spanien": "ES", "Sverige": "SE",
}

# Eurostat departs from ISO 3166-1 alpha-2 for Greece only (among the EU27).
EUROSTAT_EXCEPTIONS = {"GR": "EL"}

COLUMNS = ["country_code", "iso3", "eurostat_code", "name_en", "name_sv", "name_sv_report",
           "report_order"]


# One member state as a CSV row: ISO codes from pycountry, names from CLDR.
def member_state_row(code: str, name_sv_report: str, order: int) -> dict:
    """Return the member_states row for one ISO alpha-2 code.

    Parameters
    ----------
    code : str
        ISO 3166-1 alpha-2 code.
    name_sv_report : str
        The country's name as printed in the report's tables.
    order : int
        1-based position of the country's row in the report's tables.
    """
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        raise ValueError(f"unknown ISO 3166-1 alpha-2 code: {code!r}")
    return {
        "country_code": code,
        "iso3": country.alpha_3,
        "eurostat_code": EUROSTAT_EXCEPTIONS.get(code, code),
        "name_en": Locale("en").territories[code],
        "name_sv": Locale("sv").territories[code],
        "name_sv_report": name_sv_report,
        "report_order": order,
    }


# Check the transcription: 27 distinct codes, order = English alphabetical order.
def check_rows(rows: list[dict]) -> None:
    """Raise if the rows are not the 27 member states in English alphabetical order."""
    codes = [r["country_code"] for r in rows]
    if len(codes) != 27 or len(set(codes)) != 27:
        raise ValueError(f"expected 27 distinct member states, got {len(set(codes))}")
    names_en = [r["name_en"] for r in rows]
    if names_en != sorted(names_en):
        raise ValueError("report order is no longer the English alphabetical order")


def main() -> None:
    # Load data
    rows = [member_state_row(code, name, i)
            for i, (name, code) in enumerate(REPORT_ROWS.items(), start=1)]

    # Process data
    check_rows(rows)
    differ = [(r["country_code"], r["name_sv"], r["name_sv_report"])
              for r in rows if r["name_sv"] != r["name_sv_report"]]
    for code, cldr, printed in differ:
        print(f"note: {code}: CLDR Swedish name {cldr!r} differs from the report's {printed!r}")

    # Save outputs
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
