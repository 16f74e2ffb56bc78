"""Build population.csv (member states) and population_eu27.csv from the Eurostat extract.

Source: Eurostat, population on 1 January (demo_pjan), total, both sexes, 2025 vintage
(census-revised), saved as archive/eurostat-population-1jan-2021-2022.csv with columns
geo, year, population, eurostat_flag. Quirk: Eurostat codes Greece `EL`; the package keys
member states by ISO 3166-1 alpha-2 (`GR`) and keeps the Eurostat code alongside.

Run from the repository root:  python scripts/build_population.py [SOURCE_CSV]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "archive" / "eurostat-population-1jan-2021-2022.csv"
DATA = ROOT / "datapackage" / "data"
MEMBER_STATES = DATA / "member_states.csv"

# The EU aggregate in the source (EU27 in its composition since 1 February 2020).
EU27_CODE = "EU27_2020"
# Eurostat flag letters, in the order Eurostat writes them (b break, e estimated, p provisional).
FLAG_LETTERS = "bep"


# Read a small CSV into a list of dicts.
def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# Write rows with a fixed column order, "\n" line ends, no BOM.
def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def clean_row(row: dict) -> dict:
    """Check and normalise one source row (integer population, known flag letters)."""
    flag = row["eurostat_flag"].strip()
    if any(letter not in FLAG_LETTERS for letter in flag):
        raise ValueError(f"unknown Eurostat flag {flag!r} for {row['geo']} {row['year']}")
    population = int(row["population"])
    if population <= 0:
        raise ValueError(f"non-positive population for {row['geo']} {row['year']}")
    return {"eurostat_code": row["geo"].strip(), "year": int(row["year"]),
            "population__persons": population, "eurostat_flag": flag}


def split_members(rows: list[dict], eurostat_to_iso: dict) -> tuple[list[dict], list[dict]]:
    """Split cleaned rows into member-state rows (with ISO code) and EU27 rows."""
    members, eu27 = [], []
    for row in rows:
        if row["eurostat_code"] == EU27_CODE:
            eu27.append(row)
        elif row["eurostat_code"] in eurostat_to_iso:
            members.append({"country_code": eurostat_to_iso[row["eurostat_code"]], **row})
        else:
            raise ValueError(f"geo code {row['eurostat_code']!r} is neither a member state nor {EU27_CODE}")
    return members, eu27


def check_complete(members: list[dict], eu27: list[dict], codes: list[str]) -> None:
    """Raise unless every member state has exactly one row for every year, as has EU27."""
    years = sorted({r["year"] for r in members})
    keys = [(r["country_code"], r["year"]) for r in members]
    if len(keys) != len(set(keys)) or set(keys) != {(c, y) for c in codes for y in years}:
        raise ValueError("population rows are not one per member state and year")
    if sorted(r["year"] for r in eu27) != years:
        raise ValueError(f"{EU27_CODE} rows do not cover the same years as the member states")


# Eurostat revises countries and the aggregate separately; say when they do not add up.
def report_aggregate_gap(members: list[dict], eu27: list[dict]) -> None:
    for row in eu27:
        total = sum(r["population__persons"] for r in members if r["year"] == row["year"])
        gap = total - row["population__persons"]
        if gap:
            print(f"note: {row['year']}: sum of member states {total} - {EU27_CODE} "
                  f"{row['population__persons']} = {gap}")


def main(source: Path = SOURCE) -> None:
    # Load data
    states = read_csv(MEMBER_STATES)
    eurostat_to_iso = {s["eurostat_code"]: s["country_code"] for s in states}
    order = {s["country_code"]: int(s["report_order"]) for s in states}
    rows = [clean_row(r) for r in read_csv(source)]

    # Process data
    members, eu27 = split_members(rows, eurostat_to_iso)
    check_complete(members, eu27, list(order))
    members.sort(key=lambda r: (order[r["country_code"]], r["year"]))
    eu27.sort(key=lambda r: r["year"])

    # Save outputs
    write_csv(DATA / "population.csv",
              ["country_code", "eurostat_code", "year", "population__persons", "eurostat_flag"],
              members)
    write_csv(DATA / "population_eu27.csv",
              ["eurostat_code", "year", "population__persons", "eurostat_flag"], eu27)
    print(f"wrote {len(members)} member-state rows and {len(eu27)} {EU27_CODE} rows")
    report_aggregate_gap(members, eu27)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
