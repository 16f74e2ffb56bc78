"""transparency/validate.py: the real package is valid, and every deliberately broken copy
of it is caught with the right file, row, field and message.

Each broken case is a small function that edits a fresh copy of datapackage/ (fixture
`validate_package_copy`) and returns what the validator must say. Cases find their target
by content ("the first reported row of ms_convictions"), never by line number, and assert
that the target exists, so they keep their meaning as the data grows.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Union

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transparency.validate import Problem, validate_package  # noqa: E402

ANY = object()  # an expected row that is not pinned down
Where = Union[dict, Callable[[dict], bool]]


# --------------------------------------------------------------------------------------------
# Helpers: a copy of the package that can be edited by content
# --------------------------------------------------------------------------------------------


@dataclass
class Expect:
    file: str
    row: Any  # int, None (printed "-") or ANY
    field: str
    phrase: str

    def matches(self, problem: Problem) -> bool:
        return (problem.file == self.file and problem.field == self.field
                and (self.row is ANY or problem.row == self.row) and self.phrase in problem.message)


class Pkg:
    """A copy of datapackage/ with edit helpers that find rows by their content."""

    def __init__(self, root: Path):
        self.root = root

    # datapackage.json

    def descriptor(self) -> dict:
        return json.loads((self.root / "datapackage.json").read_text(encoding="utf-8"))

    def save_descriptor(self, descriptor: dict) -> None:
        text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
        (self.root / "datapackage.json").write_text(text, encoding="utf-8")

    def resource(self, name: str) -> dict:
        found = [r for r in self.descriptor()["resources"] if r.get("name") == name]
        assert len(found) == 1, f"resource {name!r} not in datapackage.json"
        return found[0]

    def set_resource(self, name: str, **props: Any) -> None:
        descriptor = self.descriptor()
        for resource in descriptor["resources"]:
            if resource.get("name") == name:
                resource.update(props)
        self.save_descriptor(descriptor)

    def path(self, name: str) -> str:
        return self.resource(name)["path"]

    # schemas

    def schema_path(self, name: str) -> str:
        schema = self.resource(name)["schema"]
        assert isinstance(schema, str), f"resource {name!r} has an inline schema"
        return schema

    def schema(self, name: str) -> dict:
        return json.loads((self.root / self.schema_path(name)).read_text(encoding="utf-8"))

    def save_schema(self, name: str, schema: dict) -> None:
        (self.root / self.schema_path(name)).write_text(json.dumps(schema, indent=2), encoding="utf-8")

    def edit_field(self, name: str, field_name: str, edit: Callable[[dict], None]) -> str:
        schema = self.schema(name)
        found = [f for f in schema["fields"] if f["name"] == field_name]
        assert found, f"{name} schema has no field {field_name!r}"
        edit(found[0])
        self.save_schema(name, schema)
        return self.schema_path(name)

    # CSV

    def read(self, name: str) -> tuple[list[str], list[dict]]:
        text = (self.root / self.path(name)).read_text(encoding="utf-8")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        return list(reader.fieldnames or []), list(reader)

    def write(self, name: str, header: list[str], rows: list[dict], newline: str = "\n") -> None:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=header, lineterminator=newline, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        (self.root / self.path(name)).write_bytes(out.getvalue().encode("utf-8"))

    def lines(self, name: str) -> list[int]:
        """Physical line each data row starts on (the header is line 1)."""
        text = (self.root / self.path(name)).read_bytes().decode("utf-8", errors="replace")
        reader = csv.reader(io.StringIO(text, newline=""))
        starts, start = [], 1
        for _ in reader:
            starts.append(start)
            start = reader.line_num + 1
        return starts[1:]

    def find(self, name: str, where: Where) -> int:
        """Index of the first data row matching `where`; fails loudly if there is none."""
        _, rows = self.read(name)
        test = where if callable(where) else (lambda r: all(r.get(k) == v for k, v in where.items()))
        for index, row in enumerate(rows):
            if test(row):
                return index
        raise AssertionError(f"no row of {name} matches {where}")

    def edit(self, name: str, where: Where, **changes: str) -> int:
        """Change cells of the first row matching `where`; return its line number."""
        header, rows = self.read(name)
        index = self.find(name, where)
        for column in changes:
            assert column in header, f"{name} has no column {column!r}"
        rows[index].update(changes)
        self.write(name, header, rows)
        return self.lines(name)[index]


def reported(column: str, flag: str = "flag") -> Callable[[dict], bool]:
    """Rows whose `flag` is reported and whose `column` holds a number."""
    return lambda r: r.get(flag) == "reported" and (r.get(column) or "").strip() != ""


def dated(row: dict) -> bool:
    return bool(row.get("period_start")) and bool(row.get("period_end"))


def sex_split_given(row: dict) -> bool:
    parts = ["girls", "boys", "total"]
    given = all(row.get(f"{p}_flag") == "reported" and row.get(f"{p}__count") for p in parts)
    return given and not row.get("unknown_sex__count")


# --------------------------------------------------------------------------------------------
# Broken cases
# --------------------------------------------------------------------------------------------

CASES: dict[str, Callable[[Pkg], Expect]] = {}


def case(function: Callable[[Pkg], Expect]) -> Callable[[Pkg], Expect]:
    CASES[function.__name__] = function
    return function


# Types and constraints (frictionless)


@case
def thousands_separator(pkg: Pkg) -> Expect:
    line = pkg.edit("ms_convictions", reported("convictions__count"), convictions__count="1 234")
    return Expect(pkg.path("ms_convictions"), line, "convictions__count", "no thousands separators; use 1234")


@case
def negative_count(pkg: Pkg) -> Expect:
    line = pkg.edit("ms_convictions", reported("convictions__count"), convictions__count="-5")
    return Expect(pkg.path("ms_convictions"), line, "convictions__count", "below the minimum 0")


@case
def float_in_integer_column(pkg: Pkg) -> Expect:
    line = pkg.edit("ms_convictions", reported("convictions__count"), convictions__count="12.5")
    return Expect(pkg.path("ms_convictions"), line, "convictions__count", "whole numbers only")


@case
def decimal_comma(pkg: Pkg) -> Expect:
    line = pkg.edit("ncmec_reports_by_country", {"country_code": "AT", "year": "2021"},
                    share_of_eu_total_printed__pct="4,22")
    return Expect(pkg.path("ncmec_reports_by_country"), line, "share_of_eu_total_printed__pct", "use '.' as the decimal point")


@case
def unknown_country_code(pkg: Pkg) -> Expect:
    line = pkg.edit("ms_convictions", {"country_code": "PL"}, country_code="XX")
    return Expect(pkg.path("ms_convictions"), line, "country_code", f"'XX' is not a country_code in {pkg.path('member_states')}")


@case
def unknown_provider(pkg: Pkg) -> Expect:
    line = pkg.edit("provider_detections", {"provider_id": "meta"}, provider_id="myspace")
    return Expect(pkg.path("provider_detections"), line, "provider_id", f"'myspace' is not a provider_id in {pkg.path('providers')}")


@case
def duplicate_primary_key(pkg: Pkg) -> Expect:
    name = "ncmec_reports_by_country"
    header, rows = pkg.read(name)
    index = pkg.find(name, {"country_code": "AT", "year": "2021"})
    first = pkg.lines(name)[index]
    pkg.write(name, header, rows + [dict(rows[index])])
    key = ",".join(pkg.schema(name)["primaryKey"])
    return Expect(pkg.path(name), pkg.lines(name)[-1], key, f"duplicate key (AT, 2021) also on row {first}")


@case
def flag_outside_enum(pkg: Pkg) -> Expect:
    line = pkg.edit("ms_convictions", reported("convictions__count"), flag="estimated")
    return Expect(pkg.path("ms_convictions"), line, "flag", "'estimated' is not one of")


@case
def flag_empty(pkg: Pkg) -> Expect:
    line = pkg.edit("ms_convictions", reported("convictions__count"), flag="")
    return Expect(pkg.path("ms_convictions"), line, "flag", "flag is empty")


@case
def unit_outside_enum(pkg: Pkg) -> Expect:
    line = pkg.edit("provider_detections", {"provider_id": "google"}, unit="bananas")
    return Expect(pkg.path("provider_detections"), line, "unit", "'bananas' is not one of")


@case
def source_not_a_table_or_section(pkg: Pkg) -> Expect:
    line = pkg.edit("provider_detections", {"provider_id": "google"}, source="table one")
    return Expect(pkg.path("provider_detections"), line, "source", "'table one'")


@case
def pct_above_schema_maximum(pkg: Pkg) -> Expect:
    line = pkg.edit("ncmec_reports_by_country", {"country_code": "AT", "year": "2021"},
                    share_of_eu_total_printed__pct="120")
    return Expect(pkg.path("ncmec_reports_by_country"), line, "share_of_eu_total_printed__pct", "above the maximum 100")


@case
def date_with_slashes(pkg: Pkg) -> Expect:
    line = pkg.edit("ms_convictions", dated, period_start="2021/01/01")
    return Expect(pkg.path("ms_convictions"), line, "period_start", "not an ISO date")


@case
def two_digit_year(pkg: Pkg) -> Expect:
    line = pkg.edit("ncmec_reports_by_country", {"country_code": "AT", "year": "2021"}, year="21")
    return Expect(pkg.path("ncmec_reports_by_country"), line, "year", "not a 4-digit year")


@case
def printed_empty(pkg: Pkg) -> Expect:
    line = pkg.edit("ms_convictions", {"country_code": "PL"}, printed="")
    return Expect(pkg.path("ms_convictions"), line, "printed", "printed is empty")


@case
def printed_text_from_a_source_that_prints_none(pkg: Pkg) -> Expect:
    # NCMEC's own publication is taken as numbers: a "printed" share nobody printed is an error.
    line = pkg.edit("ncmec_reports_by_country", {"country_code": "AT", "year": "2021"},
                    source_id="ncmec_by_country_2021", source="column_number_of_reports")
    return Expect(pkg.path("ncmec_reports_by_country"), line, "printed_share",
                  "not a printed document whose text we transcribe")


@case
def yearly_row_outside_its_source_years(pkg: Pkg) -> Expect:
    line = pkg.edit("ncmec_reports_by_country", {"country_code": "AT", "year": "2022"},
                    source_id="ncmec_by_country_2021", source="column_number_of_reports",
                    printed_count="", printed_share="", share_of_eu_total_printed__pct="")
    return Expect(pkg.path("ncmec_reports_by_country"), line, "year", "outside the years 2021-2021")


# Files, bytes and header


@case
def byte_order_mark(pkg: Pkg) -> Expect:
    path = pkg.root / pkg.path("ms_convictions")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return Expect(pkg.path("ms_convictions"), 1, "-", "byte-order mark (BOM)")


@case
def latin1_bytes(pkg: Pkg) -> Expect:
    name = "ms_convictions"
    header, rows = pkg.read(name)
    index = pkg.find(name, {"country_code": "PL"})
    rows[index]["record_id"] = "PL-Ö"
    pkg.write(name, header, rows)
    path = pkg.root / pkg.path(name)
    path.write_bytes(path.read_bytes().replace("PL-Ö".encode(), "PL-Ö".encode("latin-1")))
    return Expect(pkg.path(name), pkg.lines(name)[index], "-", "not UTF-8")


@case
def crlf_line_endings(pkg: Pkg) -> Expect:
    header, rows = pkg.read("ms_convictions")
    pkg.write("ms_convictions", header, rows, newline="\r\n")
    return Expect(pkg.path("ms_convictions"), 1, "-", "CRLF")


@case
def row_numbers_count_lines_inside_quoted_cells(pkg: Pkg) -> Expect:
    name = "ms_convictions"
    header, rows = pkg.read(name)
    rows[0]["note_en"] = "A note\nover three\nlines."
    pkg.write(name, header, rows)
    index = pkg.find(name, {"country_code": "PL"})
    line = pkg.edit(name, {"country_code": "PL"}, convictions__count="1 234")
    assert line == index + 4, "the row should sit two lines lower than its record number"
    return Expect(pkg.path(name), line, "convictions__count", "no thousands separators")


@case
def resource_path_outside_package(pkg: Pkg) -> Expect:
    pkg.set_resource("ms_convictions", path="../ms_convictions.csv")
    return Expect("datapackage.json", None, "resources", "must be a relative path inside the package")


@case
def blank_line(pkg: Pkg) -> Expect:
    path = pkg.root / pkg.path("ms_convictions")
    first, rest = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(first + "\n\n" + rest, encoding="utf-8")
    return Expect(pkg.path("ms_convictions"), 2, "-", "blank line")


@case
def missing_column(pkg: Pkg) -> Expect:
    header, rows = pkg.read("ms_convictions")
    header.remove("printed")
    pkg.write("ms_convictions", header, rows)
    return Expect(pkg.path("ms_convictions"), 1, "printed", "column 'printed' is missing")


@case
def extra_column(pkg: Pkg) -> Expect:
    header, rows = pkg.read("ms_convictions")
    pkg.write("ms_convictions", header + ["comment"], [dict(r, comment="x") for r in rows])
    return Expect(pkg.path("ms_convictions"), 1, "comment", "extra column")


@case
def renamed_header(pkg: Pkg) -> Expect:
    path = pkg.root / pkg.path("ms_convictions")
    first, rest = path.read_text(encoding="utf-8").split("\n", 1)
    assert "convictions__count" in first.split(",")
    path.write_text(first.replace("convictions__count", "convictions_count") + "\n" + rest, encoding="utf-8")
    return Expect(pkg.path("ms_convictions"), 1, "convictions__count", "header is named 'convictions_count'")


@case
def duplicated_header(pkg: Pkg) -> Expect:
    path = pkg.root / pkg.path("ms_convictions")
    first, rest = path.read_text(encoding="utf-8").split("\n", 1)
    assert "note_sv" in first.split(",")
    path.write_text(first.replace("note_sv", "note_en") + "\n" + rest, encoding="utf-8")
    return Expect(pkg.path("ms_convictions"), 1, "note_en", "appears twice")


@case
def row_too_short(pkg: Pkg) -> Expect:
    name = "ms_convictions"
    header, rows = pkg.read(name)
    index = pkg.find(name, {"country_code": "PL"})
    pkg.write(name, header, rows)
    line = pkg.lines(name)[index]
    path = pkg.root / pkg.path(name)
    text = path.read_text(encoding="utf-8").split("\n")
    assert text[line - 1].startswith(rows[index]["record_id"] + ",")
    text[line - 1] = text[line - 1].rsplit(",", 1)[0]
    path.write_text("\n".join(text), encoding="utf-8")
    return Expect(pkg.path(name), line, header[-1], "fewer cells than the header")


@case
def row_too_long(pkg: Pkg) -> Expect:
    name = "ms_convictions"
    header, rows = pkg.read(name)
    index = pkg.find(name, {"country_code": "PL"})
    line = pkg.lines(name)[index]
    path = pkg.root / pkg.path(name)
    text = path.read_text(encoding="utf-8").split("\n")
    text[line - 1] += ",surplus"
    path.write_text("\n".join(text), encoding="utf-8")
    return Expect(pkg.path(name), line, "-", "more cells than the header")


@case
def header_only(pkg: Pkg) -> Expect:
    header, _ = pkg.read("ms_convictions")
    pkg.write("ms_convictions", header, [])
    return Expect(pkg.path("ms_convictions"), None, "-", "no data rows")


@case
def zero_byte_file(pkg: Pkg) -> Expect:
    (pkg.root / pkg.path("ms_convictions")).write_bytes(b"")
    return Expect(pkg.path("ms_convictions"), None, "-", "file is empty")


@case
def resource_path_to_missing_file(pkg: Pkg) -> Expect:
    pkg.set_resource("ms_convictions", path="data/ms_convictions_2023.csv")
    return Expect("data/ms_convictions_2023.csv", None, "-", "file not found")


@case
def invalid_json_in_datapackage(pkg: Pkg) -> Expect:
    path = pkg.root / "datapackage.json"
    text = path.read_text(encoding="utf-8").rstrip()
    assert text.endswith("}")
    path.write_text(text[:-1] + ",\n", encoding="utf-8")
    return Expect("datapackage.json", ANY, "-", "invalid JSON")


@case
def resources_not_a_list(pkg: Pkg) -> Expect:
    descriptor = pkg.descriptor()
    descriptor["resources"] = {"ms_convictions": descriptor["resources"][0]}
    pkg.save_descriptor(descriptor)
    return Expect("datapackage.json", None, "resources", "must be a list")


# Schemas


@case
def missing_field_description(pkg: Pkg) -> Expect:
    path = pkg.edit_field("ms_convictions", "convictions__count", lambda f: f.pop("description", None))
    return Expect(path, None, "convictions__count", "field has no description")


@case
def blank_field_description(pkg: Pkg) -> Expect:
    path = pkg.edit_field("ms_convictions", "country_code", lambda f: f.update(description="  "))
    return Expect(path, None, "country_code", "field has no description")


# The Swedish site shows every description: each English one needs its Swedish beside it.
@case
def field_description_without_swedish(pkg: Pkg) -> Expect:
    path = pkg.edit_field("ms_convictions", "convictions__count", lambda f: f.pop("x-description-sv", None))
    return Expect(path, None, "convictions__count", "field description has no Swedish text (x-description-sv)")


@case
def resource_title_with_blank_swedish(pkg: Pkg) -> Expect:
    descriptor = pkg.descriptor()
    resource = next(r for r in descriptor["resources"] if r["name"] == "ms_convictions")
    resource["x-title-sv"] = " "
    pkg.save_descriptor(descriptor)
    return Expect("datapackage.json", None, "x-title-sv", "resource 'ms_convictions': title has no Swedish text")


@case
def package_description_without_swedish(pkg: Pkg) -> Expect:
    descriptor = pkg.descriptor()
    del descriptor["x-description-sv"]
    pkg.save_descriptor(descriptor)
    return Expect("datapackage.json", None, "x-description-sv", "the package's description has no Swedish text")


@case
def numeric_field_without_unit(pkg: Pkg) -> Expect:
    path = pkg.edit_field("ms_convictions", "convictions__count", lambda f: f.pop("unit", None))
    return Expect(path, None, "convictions__count", "numeric field has no unit")


@case
def schema_not_json(pkg: Pkg) -> Expect:
    path = pkg.root / pkg.schema_path("ms_convictions")
    path.write_text(path.read_text(encoding="utf-8").replace("{", "{{", 1), encoding="utf-8")
    return Expect(pkg.schema_path("ms_convictions"), ANY, "-", "invalid JSON")


@case
def schema_unknown_type(pkg: Pkg) -> Expect:
    path = pkg.edit_field("ms_convictions", "convictions__count", lambda f: f.update(type="integr"))
    return Expect(path, None, "-", "not a valid Table Schema")


@case
def schema_file_missing(pkg: Pkg) -> Expect:
    pkg.set_resource("ms_convictions", schema="schemas/ms_convictions_old.schema.json")
    return Expect("schemas/ms_convictions_old.schema.json", None, "-", "file not found")


# Project checks: flags and values


@case
def value_with_not_reported(pkg: Pkg) -> Expect:
    line = pkg.edit("ms_convictions", reported("convictions__count"), flag="not_reported")
    return Expect(pkg.path("ms_convictions"), line, "convictions__count", "value present with flag not_reported")


@case
def value_missing_with_reported(pkg: Pkg) -> Expect:
    line = pkg.edit("ms_convictions", reported("convictions__count"), convictions__count="")
    return Expect(pkg.path("ms_convictions"), line, "convictions__count", "convictions__count is empty but flag is reported")


@case
def value_missing_with_approximate(pkg: Pkg) -> Expect:
    line = pkg.edit("ms_reports_received", reported("value"), flag="approximate", value="")
    return Expect(pkg.path("ms_reports_received"), line, "value", "value is empty but flag is approximate")


@case
def girls_missing_with_girls_flag_reported(pkg: Pkg) -> Expect:
    line = pkg.edit("ms_children_identified", reported("girls__count", "girls_flag"), girls__count="")
    return Expect(pkg.path("ms_children_identified"), line, "girls__count", "girls__count is empty but girls_flag is reported")


@case
def numerator_with_numerator_flag_not_reported(pkg: Pkg) -> Expect:
    line = pkg.edit("provider_reinstatement_rates", reported("numerator", "numerator_flag"), numerator_flag="not_reported")
    return Expect(pkg.path("provider_reinstatement_rates"), line, "numerator", "value present with numerator_flag not_reported")


@case
def range_low_above_high(pkg: Pkg) -> Expect:
    line = pkg.edit("ms_reports_received", reported("value"), flag="range", value="", value_low="200", value_high="100")
    return Expect(pkg.path("ms_reports_received"), line, "value_low", "range low 200 > high 100")


@case
def range_without_high(pkg: Pkg) -> Expect:
    line = pkg.edit("ms_reports_received", reported("value"), flag="range", value="", value_low="100", value_high="")
    return Expect(pkg.path("ms_reports_received"), line, "value_high", "value_high is empty but flag is range")


@case
def range_with_value(pkg: Pkg) -> Expect:
    line = pkg.edit("ms_reports_received", reported("value"), flag="range", value_low="1", value_high="2")
    return Expect(pkg.path("ms_reports_received"), line, "value", "value present with flag range")


@case
def bounds_without_range(pkg: Pkg) -> Expect:
    line = pkg.edit("ms_reports_received", reported("value"), value_low="5")
    return Expect(pkg.path("ms_reports_received"), line, "value_low", "only for flag range")


# Project checks: periods, sums, percentages, years, text


@case
def period_end_before_start(pkg: Pkg) -> Expect:
    name = "ms_convictions"
    _, rows = pkg.read(name)
    start = rows[pkg.find(name, dated)]["period_start"]
    day_before = (date.fromisoformat(start) - timedelta(days=1)).isoformat()
    line = pkg.edit(name, dated, period_end=day_before)
    return Expect(pkg.path(name), line, "period_end", f"period_end {day_before} is before period_start {start}")


@case
def only_period_start(pkg: Pkg) -> Expect:
    line = pkg.edit("ms_convictions", dated, period_end="")
    return Expect(pkg.path("ms_convictions"), line, "period_end", "period_end is empty but period_start is set")


@case
def sex_split_not_adding_up(pkg: Pkg) -> Expect:
    name = "ms_children_identified"
    _, rows = pkg.read(name)
    total = int(rows[pkg.find(name, sex_split_given)]["total__count"])
    line = pkg.edit(name, sex_split_given, total__count=str(total + 1))
    return Expect(pkg.path(name), line, "total__count", f"but total is {total + 1}")


@case
def reported_parts_exceed_total(pkg: Pkg) -> Expect:
    # boys not given: girls alone must still not exceed the total
    name = "ms_children_identified"
    _, rows = pkg.read(name)
    row = rows[pkg.find(name, sex_split_given)]
    girls = int(row["total__count"]) + 1
    line = pkg.edit(name, sex_split_given, girls__count=str(girls), boys__count="", boys_flag="not_reported")
    return Expect(pkg.path(name), line, "total__count", f"girls {girls} = {girls}, more than the total")


@case
def pct_120_without_schema_maximum(pkg: Pkg) -> Expect:
    name = "ncmec_reports_by_country"
    pkg.edit_field(name, "share_of_eu_total_printed__pct", lambda f: f.get("constraints", {}).pop("maximum", None))
    line = pkg.edit(name, {"country_code": "AT", "year": "2021"}, share_of_eu_total_printed__pct="120")
    return Expect(pkg.path(name), line, "share_of_eu_total_printed__pct", "120 is outside 0-100")


@case
def percent_row_over_100(pkg: Pkg) -> Expect:
    # figures: `value` has "unit": "row"; the row's unit column says percent
    line = pkg.edit("figures", lambda r: r["unit"] == "percent" and reported("value")(r), value="120")
    return Expect(pkg.path("figures"), line, "value", "120 is outside 0-100")


@case
def figures_range_low_above_high(pkg: Pkg) -> Expect:
    line = pkg.edit("figures", reported("value"), flag="range", value="", value_low="9", value_high="3")
    return Expect(pkg.path("figures"), line, "value_low", "range low 9 > high 3")


@case
def figures_lower_bound_without_value(pkg: Pkg) -> Expect:
    line = pkg.edit("figures", reported("value"), flag="lower_bound", value="")
    return Expect(pkg.path("figures"), line, "value", "value is empty but flag is lower_bound")


@case
def scope_outside_enum(pkg: Pkg) -> Expect:
    line = pkg.edit("provider_detections", {"scope": "eu"}, scope="europe")
    return Expect(pkg.path("provider_detections"), line, "scope", "'europe' is not one of")


@case
def year_out_of_range(pkg: Pkg) -> Expect:
    line = pkg.edit("ncmec_reports_by_country", {"country_code": "AT", "year": "2021"}, year="2201")
    return Expect(pkg.path("ncmec_reports_by_country"), line, "year", "year 2201 is outside 2000-2100")


@case
def trailing_space(pkg: Pkg) -> Expect:
    line = pkg.edit("member_states", {"country_code": "AT"}, name_en="Austria ")
    return Expect(pkg.path("member_states"), line, "name_en", "starts or ends with a space")


# Project checks: completeness


@case
def member_state_missing(pkg: Pkg) -> Expect:
    name = "ms_convictions"
    header, rows = pkg.read(name)
    kept = [r for r in rows if r["country_code"] != "MT"]
    assert len(kept) < len(rows), "ms_convictions has no MT row"
    pkg.write(name, header, kept)
    return Expect(pkg.path(name), None, "country_code", "no row for country_code MT")


@case
def year_missing_for_one_country(pkg: Pkg) -> Expect:
    name = "ncmec_reports_by_country"
    header, rows = pkg.read(name)
    index = pkg.find(name, {"country_code": "SE", "year": "2022"})
    del rows[index]
    assert any(r["year"] == "2022" for r in rows)
    pkg.write(name, header, rows)
    return Expect(pkg.path(name), None, "country_code,year", "no row for country_code SE, year 2022")


@case
def complete_by_unknown_column(pkg: Pkg) -> Expect:
    pkg.set_resource("ms_convictions", **{"x-complete-by": ["nation"]})
    return Expect("datapackage.json", None, "x-complete-by", "must list columns of")


# Known discrepancies (the allowance itself must be sound)


@case
def stale_known_discrepancy(pkg: Pkg) -> Expect:
    name = "ms_children_identified"
    _, rows = pkg.read(name)
    row = rows[pkg.find(name, sex_split_given)]
    entry = {"row": {"record_id": row["record_id"]}, "check": "sex_sum", "why": "test"}
    pkg.set_resource(name, **{"x-known-discrepancies": pkg.resource(name).get("x-known-discrepancies", []) + [entry]})
    return Expect("datapackage.json", None, "x-known-discrepancies", "silences nothing")


@case
def known_discrepancy_without_why(pkg: Pkg) -> Expect:
    entry = {"row": {"country_code": "PL"}, "check": "sex_sum"}
    pkg.set_resource("ms_children_identified", **{"x-known-discrepancies": [entry]})
    return Expect("datapackage.json", None, "x-known-discrepancies", "needs a \"why\"")


@case
def known_discrepancy_naming_many_rows(pkg: Pkg) -> Expect:
    entry = {"row": {"flag": "reported"}, "check": "flag_value", "why": "test"}
    pkg.set_resource("ms_convictions", **{"x-known-discrepancies": [entry]})
    return Expect("datapackage.json", None, "x-known-discrepancies", "it must name exactly one")


@case
def known_discrepancy_unknown_check(pkg: Pkg) -> Expect:
    entry = {"row": {"country_code": "AT"}, "check": "sum", "why": "test"}
    pkg.set_resource("ms_children_identified", **{"x-known-discrepancies": [entry]})
    return Expect("datapackage.json", None, "x-known-discrepancies", "\"check\" must be one of")


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


def test_real_package_is_valid(real_package_problems):
    assert real_package_problems == [], "\n".join(map(str, real_package_problems))


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_copy_is_caught(validate_package_copy: Path, name: str):
    pkg = Pkg(validate_package_copy)
    expect = CASES[name](pkg)
    problems = validate_package(pkg.root)
    shown = "\n".join(map(str, problems)) or "(no problems)"
    assert any(expect.matches(p) for p in problems), f"expected {expect}, got:\n{shown}"


def test_problem_prints_as_file_row_field_message():
    assert str(Problem("data/x.csv", 3, "flag", "bad")) == "data/x.csv:3: flag: bad"
    assert str(Problem("schemas/x.schema.json", None, "value", "no unit")) == "schemas/x.schema.json:-: value: no unit"


def test_directory_and_descriptor_paths_give_the_same_answer(validate_package_copy: Path):
    pkg = Pkg(validate_package_copy)
    pkg.edit("ms_convictions", reported("convictions__count"), convictions__count="-1")
    assert validate_package(pkg.root) == validate_package(pkg.root / "datapackage.json")


def test_script_in_a_note_is_valid_data(validate_package_copy: Path, real_package_problems):
    # Escaping is the site's job; the data may hold any text.
    pkg = Pkg(validate_package_copy)
    before = set(real_package_problems)  # the copy is unedited: the real package's verdict
    pkg.edit("ms_convictions", {"country_code": "PL"}, note_en="<script>alert('x')</script> & \"quotes\", commas")
    assert set(validate_package(pkg.root)) == before


def test_known_discrepancy_silences_exactly_one_check_on_one_row(validate_package_copy: Path, real_package_problems):
    pkg = Pkg(validate_package_copy)
    name = "ms_children_identified"
    before = set(real_package_problems)  # the copy is unedited: the real package's verdict
    _, rows = pkg.read(name)
    index = pkg.find(name, sex_split_given)
    key = {"record_id": rows[index]["record_id"]}
    total = int(rows[index]["total__count"])
    # The printed total moves with it, so that only the sum of the split is wrong.
    pkg.edit(name, key, total__count=str(total + 1), printed_total=f"{total + 1:,}".replace(",", " "))
    broken = set(validate_package(pkg.root)) - before
    assert [p.field for p in broken] == ["total__count"], broken

    # The allowance silences that row's sex_sum ...
    entries = pkg.resource(name).get("x-known-discrepancies", [])
    entry = {"row": key, "check": "sex_sum", "why": "the report's total differs from its split"}
    pkg.set_resource(name, **{"x-known-discrepancies": entries + [entry]})
    assert set(validate_package(pkg.root)) == before

    # ... but nothing else on that row: the flag rule still applies to it.
    pkg.edit(name, key, girls_flag="not_reported")
    after = set(validate_package(pkg.root)) - before
    assert any(p.field == "girls__count" and "value present" in p.message for p in after), after


def test_a_register_row_excuses_exactly_its_own_error(validate_package_copy: Path, real_package_problems):
    # A row of report_discrepancies with a check excuses that check on its one row only.
    pkg = Pkg(validate_package_copy)
    name = "ms_children_identified"
    before = set(real_package_problems)  # the copy is unedited: the real package's verdict
    _, rows = pkg.read(name)
    split = [r for r in rows if sex_split_given(r)]
    first, second = ({"record_id": r["record_id"]} for r in split[:2])
    for key, row in ((first, split[0]), (second, split[1])):
        total = int(row["total__count"]) + 1
        pkg.edit(name, key, total__count=str(total), printed_total=f"{total:,}".replace(",", " "))
    broken = set(validate_package(pkg.root)) - before
    assert sorted(p.field for p in broken) == ["total__count", "total__count"], broken

    header, register = pkg.read("report_discrepancies")
    row = dict(register[0], discrepancy_id="test_split", check="sex_sum", resource=name,
               row_key=json.dumps(first))
    pkg.write("report_discrepancies", header, register + [row])
    after = set(validate_package(pkg.root)) - before
    # The listed row's sum is excused; the other row's identical error is not ...
    assert len(after) == 1, after
    (left,) = after
    assert left.field == "total__count" and left.row != _line_of(pkg, name, first), after
    # ... nor another check on the listed row.
    pkg.edit(name, first, girls_flag="not_reported")
    after = set(validate_package(pkg.root)) - before
    assert any(p.field == "girls__count" and p.row == _line_of(pkg, name, first) for p in after), after


def test_a_register_row_that_excuses_nothing_is_reported(validate_package_copy: Path):
    pkg = Pkg(validate_package_copy)
    header, register = pkg.read("report_discrepancies")
    key = {"record_id": pkg.read("ms_children_identified")[1][0]["record_id"]}
    row = dict(register[0], discrepancy_id="test_stale", check="sex_sum", resource="ms_children_identified",
               row_key=json.dumps(key))
    pkg.write("report_discrepancies", header, register + [row])
    problems = validate_package(pkg.root)
    assert any(p.file == "data/report_discrepancies.csv" and p.row == len(register) + 2
               and "silences nothing" in p.message for p in problems), problems


def _line_of(pkg: Pkg, name: str, key: dict) -> int:
    """The CSV line of the row whose cells match ``key`` (header on line 1, no multi-line cells)."""
    _, rows = pkg.read(name)
    return next(i for i, r in enumerate(rows, start=2) if all(r[k] == v for k, v in key.items()))


def test_known_discrepancy_can_excuse_a_missing_member_state(validate_package_copy: Path, real_package_problems):
    pkg = Pkg(validate_package_copy)
    name = "ms_convictions"
    before = set(real_package_problems)  # the copy is unedited: the real package's verdict
    header, rows = pkg.read(name)
    pkg.write(name, header, [r for r in rows if r["country_code"] != "MT"])
    entries = pkg.resource(name).get("x-known-discrepancies", [])
    entry = {"row": {"country_code": "MT"}, "check": "complete_by", "why": "test"}
    pkg.set_resource(name, **{"x-known-discrepancies": entries + [entry]})
    assert set(validate_package(pkg.root)) == before


def test_output_is_sorted_and_deterministic(validate_package_copy: Path):
    pkg = Pkg(validate_package_copy)
    pkg.edit("ms_convictions", {"country_code": "PL"}, country_code="XX", printed="")
    pkg.edit("provider_detections", {"provider_id": "meta"}, provider_id="myspace")
    first = validate_package(pkg.root)
    assert first == validate_package(pkg.root)
    assert first == sorted(first, key=Problem.sort_key)


def _run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_script_exits_1_and_lists_problems(validate_package_copy: Path):
    pkg = Pkg(validate_package_copy)
    line = pkg.edit("ms_convictions", reported("convictions__count"), convictions__count="1 234")
    result = _run_script(str(pkg.root / "datapackage.json"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{pkg.path('ms_convictions')}:{line}: convictions__count: '1 234' is not an integer" in result.stdout
    assert " problem" in lines[-1] and " in " in lines[-1]


def test_script_on_the_real_package():
    result = _run_script()
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1].startswith("datapackage/datapackage.json: valid (")
