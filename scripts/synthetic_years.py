"""Append synthetic years to a COPY of the data package, for tests and benchmarks only.

Each new year repeats the latest year's rows of the yearly resources (NCMEC reports per
member state, Eurostat population, the EU27 population) with counts scaled by a fixed factor,
so a test can check that a new year flows through every chart, table and page without any
code change. As a maintainer would, the NCMEC rows of a new year come from a new source row
(a synthetic NCMEC edition, not a printed document: no printed text), and the Eurostat
extraction's last year moves on. ``with_break=True`` also records a break in the NCMEC series
at the first year added (from the real data's latest year to it, nothing is compared). Never run this on the real package.

    python scripts/synthetic_years.py COPY_OF_DATAPACKAGE_DIR N [--break]
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
        new.append(copy)
    return new


# The synthetic NCMEC edition of a year, and the reason given for a synthetic break.
SOURCE_ID = "synthetic_ncmec_{year}"
BREAK_REASON = {"en": "Synthetic test break: the publisher counts reports differently from this year.",
                "sv": "Syntetiskt testbrott: utgivaren räknar rapporter på ett annat sätt från detta år."}


def _from_new_source(rows: list[dict], year: str) -> None:
    """The year's NCMEC rows come from its own (unprinted) source: no printed text."""
    for row in (r for r in rows if r["year"] == year):
        row.update(source_id=SOURCE_ID.format(year=year), source="column_number_of_reports",
                   share_of_eu_total_printed__pct="", printed_count="", printed_share="", note_en="", note_sv="")


def _add_source(paths: dict, year: str) -> None:
    header, rows = _read(paths["sources"])
    rows.append({**{k: "" for k in header}, "source_id": SOURCE_ID.format(year=year), "kind": "ncmec_publication",
                 "title": f"{year} CyberTipline Reports by Country (synthetic)", "short_title": f"NCMEC {year} (synthetic)",
                 "publisher": "Test", "url": "https://example.org/", "covers_en": "Synthetic test figures.",
                 "covers_sv": "Syntetiska testsiffror.", "printed": "false", "first_year": year, "last_year": year})
    for row in rows:
        if row["kind"] == "eurostat_extraction":
            row["last_year"] = year
    _write(paths["sources"], header, rows)


def _add_break(paths: dict, year: str) -> None:
    header, rows = _read(paths["series_breaks"])
    rows.append({"series": "ncmec_reports_by_country", "year": year, "reason_en": BREAK_REASON["en"],
                 "reason_sv": BREAK_REASON["sv"], "source_id": SOURCE_ID.format(year=year), "source": ""})
    _write(paths["series_breaks"], header, rows)


def add_years(package_dir: Path, count: int, with_break: bool = False) -> list[int]:
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
                _from_new_source(rows, new[0]["year"])
            _write(paths[name], header, rows)
        _add_source(paths, new[0]["year"])
        added.append(int(new[0]["year"]))
    if with_break:
        _add_break(paths, str(added[0]))
    return added


if __name__ == "__main__":
    print(add_years(Path(sys.argv[1]), int(sys.argv[2]), with_break="--break" in sys.argv[3:]))
