"""Append synthetic years to a COPY of the data package, for tests and benchmarks only.

Each new year repeats the latest year's rows of the yearly resources (NCMEC reports per
member state, Eurostat population, the EU27 population and the providers' yearly tables) with
counts scaled by a fixed factor, so a test can check that a new year flows through every
chart, table and page without any code change. Never run this on the real package.

    python scripts/synthetic_years.py COPY_OF_DATAPACKAGE_DIR N
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

# Resources that hold one row per (key, year), with the count columns to scale.
YEARLY = {
    "ncmec_reports_by_country": ("reports__count",),
    "population": ("population__persons",),
    "population_eu27": ("population__persons",),
}
# Scale each synthetic year's counts by this much, so years differ visibly.
GROWTH = 1.05


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _next_year_rows(rows: list[dict], counts: tuple[str, ...]) -> list[dict]:
    latest = max(int(row["year"]) for row in rows)
    new = []
    for row in (r for r in rows if int(r["year"]) == latest):
        copy = dict(row, year=str(latest + 1))
        for column in counts:
            copy[column] = str(round(int(row[column]) * GROWTH))
        for column in ("printed_count",):
            if column in copy:
                copy[column] = copy[counts[0]]
        new.append(copy)
    return new


def _fix_printed_shares(rows: list[dict], year: str) -> None:
    """Set the synthetic year's printed shares to the exact shares, so checks stay meaningful."""
    mine = [row for row in rows if row["year"] == year]
    total = sum(int(row["reports__count"]) for row in mine)
    for row in mine:
        share = round(int(row["reports__count"]) / total * 100, 2)
        row["share_of_eu_total_printed__pct"] = f"{share:.2f}"
        if "printed_share" in row:
            row["printed_share"] = f"{share:.2f}".replace(".", ",") + " %"


def add_years(package_dir: Path, count: int) -> list[int]:
    """Append ``count`` synthetic years to the yearly resources; return the years added."""
    descriptor = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["name"]: package_dir / r["path"] for r in descriptor["resources"]}
    added = []
    for _ in range(count):
        for name, counts in YEARLY.items():
            header, rows = _read(paths[name])
            new = _next_year_rows(rows, counts)
            rows += new
            if name == "ncmec_reports_by_country":
                _fix_printed_shares(rows, new[0]["year"])
            _write(paths[name], header, rows)
        added.append(int(new[0]["year"]))
    return added


if __name__ == "__main__":
    print(add_years(Path(sys.argv[1]), int(sys.argv[2])))
