"""Append synthetic years to a COPY of the data package, for tests and benchmarks only.

Each new year repeats the latest year's rows of the yearly resources (NCMEC reports per
member state, Eurostat population, the EU27 population and the providers' yearly tables) with
counts scaled by a fixed factor, plus the EU-total row that the NCMEC resource's
``x-eu-total`` declaration asks for (the sum of the new member-state rows), so a test can
check that a new year flows through every chart, table and page without any code change.
Never run this on the real package.

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


def _add_eu_total(descriptor: dict, paths: dict[str, Path], year: str) -> None:
    """Append the EU-total row for ``year``: a copy of the latest one, with the new sum."""
    owner = next((r for r in descriptor["resources"] if isinstance(r.get("x-eu-total"), dict)), None)
    if owner is None:
        return
    spec = owner["x-eu-total"]
    by, where, total = spec.get("by", "year"), spec["where"], spec.get("total", "value")
    _, members = _read(paths[owner["name"]])
    amount = sum(int(r[spec["sum"]]) for r in members if r[by] == year and not all(r.get(k) == v for k, v in where.items()))
    for name, path in paths.items():
        header, rows = _read(path)
        found = [r for r in rows if all(r.get(k) == v for k, v in where.items()) and r.get(by)]
        if not found or not all(k in header for k in (*where, by, total)):
            continue
        latest = max(found, key=lambda r: int(r[by]))
        old = latest[by]
        copy = {k: (v.replace(old, year) if isinstance(v, str) and k in ("figure_id", "period_start", "period_end") else v)
                for k, v in latest.items()}
        copy.update({by: year, total: str(amount)})
        if "printed" in copy:
            copy["printed"] = f"{amount:,}".replace(",", " ")
        _write(path, header, rows + [copy])
        return


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
        _add_eu_total(descriptor, paths, new[0]["year"])
        added.append(int(new[0]["year"]))
    return added


if __name__ == "__main__":
    print(add_years(Path(sys.argv[1]), int(sys.argv[2])))
