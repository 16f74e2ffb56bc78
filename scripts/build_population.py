"""Build population.csv (member states) and population_eu27.csv from the Eurostat extract.

Source: Eurostat, population on 1 January (demo_pjan), total, both sexes, saved as
archive/eurostat-population-1jan-YYYY-YYYY.csv with columns geo, year, population,
eurostat_flag. Quirk: Eurostat codes Greece `EL`; the package keys member states by
ISO 3166-1 alpha-2 (`GR`) and keeps the Eurostat code alongside.

Bad input stops the script before it writes anything, with one line per problem as
``file:row: field: what is wrong`` (like scripts/validate.py; row = line in the file, header
on line 1, ``-`` when no one line is at fault). A UTF-8 byte-order mark is accepted.

Run from the repository root:  python scripts/build_population.py [SOURCE_CSV] [--data DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
# The newest extract: its name ends with the years it covers (…-2021-2023.csv sorts last).
SOURCE = sorted((ROOT / "archive").glob("eurostat-population-1jan-*.csv"))[-1]
DATA = ROOT / "datapackage" / "data"

# The EU aggregate in the source (EU27 in its composition since 1 February 2020).
EU27_CODE = "EU27_2020"
# Eurostat flag letters, in the order Eurostat writes them (b break, e estimated, p provisional).
FLAG_LETTERS = "bep"
COLUMNS = ["geo", "year", "population", "eurostat_flag"]
# Eurostat's own CSV download names these columns differently.
EUROSTAT_NAMES = {"geo": "geo", "year": "TIME_PERIOD", "population": "OBS_VALUE", "eurostat_flag": "OBS_FLAG"}


@dataclass(frozen=True)
class Problem:
    """One bad input: ``file:row: field: message`` (row None is printed ``-``)."""

    file: str
    row: Optional[int]
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{'-' if self.row is None else self.row}: {self.field}: {self.message}"


class InputError(Exception):
    """The source cannot be used; `problems` says why, line by line."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


# Read a small CSV into a list of dicts (a BOM is dropped).
def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def read_source(path: Path, shown: str) -> list[tuple[int, dict]]:
    """(line, row) pairs of the source; raise InputError for a missing, non-UTF-8 or
    wrongly headed file."""
    if not path.is_file():
        raise InputError([Problem(shown, None, "-", "file not found")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem(shown, line, "-", "bytes are not UTF-8; save the file as UTF-8")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError([Problem(shown, 1, c, f"column '{c}' is missing (the header needs {', '.join(COLUMNS)}; "
                                               f"in Eurostat's CSV it is '{EUROSTAT_NAMES[c]}')") for c in missing])
    rows, start = [], 2
    for record in reader:
        if any(cell.strip() for cell in record):
            rows.append((start, dict(zip(header, record))))
        start = reader.line_num + 1
    if not rows:
        raise InputError([Problem(shown, None, "-", "no data rows: the file has a header only")])
    return rows


def clean_row(line: int, row: dict, shown: str, eurostat_codes: list[str]) -> tuple[Optional[dict], list[Problem]]:
    """One source row checked and normalised (integer population, known flag letters)."""
    problems = []
    geo, year, flag = (row.get(c, "").strip() for c in ("geo", "year", "eurostat_flag"))
    cell = row.get("population", "")
    if geo != EU27_CODE and geo not in eurostat_codes:
        problems.append(Problem(shown, line, "geo", f"'{geo}' is neither {EU27_CODE} nor a member state's Eurostat code "
                                                    f"({', '.join(sorted(eurostat_codes))}; Greece is EL)"))
    if not re.fullmatch(r"\d{4}", year):
        problems.append(Problem(shown, line, "year", f"'{year}' is not a 4-digit year (e.g. 2023)"))
    if not re.fullmatch(r"\d+", cell.strip()):
        digits = re.sub(r"[\s\u00a0\u202f,.']", "", cell)
        hint = f" (digits only, no spaces or separators: {digits})" if digits.isdigit() else " (digits only)"
        problems.append(Problem(shown, line, "population", f"'{cell}' is not a whole number{hint}"))
    elif int(cell) <= 0:
        problems.append(Problem(shown, line, "population", f"'{cell}' is not a positive number of persons"))
    if any(letter not in FLAG_LETTERS for letter in flag):
        problems.append(Problem(shown, line, "eurostat_flag", f"'{flag}' has letters other than Eurostat's {', '.join(FLAG_LETTERS)}"))
    if problems:
        return None, problems
    return {"eurostat_code": geo, "year": int(year), "population__persons": int(cell), "eurostat_flag": flag}, []


def split_members(rows: list[dict], eurostat_to_iso: dict) -> tuple[list[dict], list[dict]]:
    """Split cleaned rows into member-state rows (with ISO code) and EU27 rows."""
    members, eu27 = [], []
    for row in rows:
        if row["eurostat_code"] == EU27_CODE:
            eu27.append(row)
        else:
            members.append({"country_code": eurostat_to_iso[row["eurostat_code"]], **row})
    return members, eu27


def completeness_problems(lines: dict, eurostat_codes: list[str], shown: str) -> list[Problem]:
    """Every member state and EU27 once for every year that appears.

    Parameters
    ----------
    lines : dict
        (geo, year) -> source lines holding that pair.
    """
    problems = []
    for (geo, year), where in sorted(lines.items()):
        for line in where[1:]:
            problems.append(Problem(shown, line, "geo,year", f"{geo} {year} appears twice (also on line {where[0]})"))
    # A malformed year is reported on its row; it must not demand 28 more rows.
    years = sorted({year for _, year in lines if re.fullmatch(r"\d{4}", year)})
    for year in years:
        for geo in eurostat_codes + [EU27_CODE]:
            if (geo, year) not in lines:
                problems.append(Problem(shown, None, "geo,year", f"no row for {geo}, year {year} (every member state and {EU27_CODE} for every year)"))
    return problems


# Write rows with a fixed column order, "\n" line ends, no BOM.
def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# Eurostat revises countries and the aggregate separately; say when they do not add up.
def report_aggregate_gap(members: list[dict], eu27: list[dict]) -> None:
    for row in eu27:
        total = sum(r["population__persons"] for r in members if r["year"] == row["year"])
        gap = total - row["population__persons"]
        if gap:
            print(f"note: {row['year']}: sum of member states {total} - {EU27_CODE} "
                  f"{row['population__persons']} = {gap}")


def build(source: Path, data: Path, shown: str) -> tuple[list[dict], list[dict]]:
    """Member-state and EU27 rows from the source, sorted; raise InputError on bad input."""
    states = read_csv(data / "member_states.csv")
    eurostat_to_iso = {s["eurostat_code"]: s["country_code"] for s in states}
    order = {s["country_code"]: int(s["report_order"]) for s in states}
    codes = list(eurostat_to_iso)
    cleaned, problems, lines = [], [], {}
    for line, raw in read_source(source, shown):
        row, row_problems = clean_row(line, raw, shown, codes)
        problems += row_problems
        key = (raw.get("geo", "").strip(), raw.get("year", "").strip())
        lines.setdefault(key, []).append(line)
        if row:
            cleaned.append(row)
    problems += completeness_problems(lines, codes, shown)
    if problems:
        raise InputError(problems)
    members, eu27 = split_members(cleaned, eurostat_to_iso)
    members.sort(key=lambda r: (order[r["country_code"]], r["year"]))
    eu27.sort(key=lambda r: r["year"])
    return members, eu27


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=SOURCE, help="the Eurostat extract (CSV)")
    parser.add_argument("--data", type=Path, default=DATA, help="the package's data directory")
    args = parser.parse_args(argv)
    shown = _relative(args.source)

    # Load and check data
    try:
        members, eu27 = build(args.source, args.data, shown)
    except InputError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''} in {shown}; nothing written")
        return 1

    # Save outputs
    write_csv(args.data / "population.csv",
              ["country_code", "eurostat_code", "year", "population__persons", "eurostat_flag"], members)
    write_csv(args.data / "population_eu27.csv",
              ["eurostat_code", "year", "population__persons", "eurostat_flag"], eu27)
    print(f"wrote {len(members)} member-state rows and {len(eu27)} {EU27_CODE} rows")
    report_aggregate_gap(members, eu27)
    return 0


# Show paths under the current directory as relative ones.
def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
