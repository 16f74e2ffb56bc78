"""Validate the data package: frictionless, then the project's own checks.

`validate_package(path)` returns a list of `Problem`s, each printed as
``file:row: field: message`` (file relative to the package directory, row = the CSV line
number with the header on line 1, ``-`` where no row or field applies). Nothing here names a
resource: every check is driven by the schemas, the column names of ARCHITECTURE.md
("Data conventions") and the custom properties below.

Layers, in order:

1. Files: datapackage.json and every schema file must be valid JSON (and valid frictionless
   metadata); every CSV must exist, be UTF-8 without a byte-order mark, use one kind of line
   ending (LF), have the schema's header exactly and at least one data row (unless the
   resource declares ``"x-may-be-empty": true``). Frictionless
   detects the encoding and strips a BOM silently, so these are checked on the raw bytes.
2. Frictionless (types, constraints, primary and foreign keys), with plain-English messages.
3. Project checks that a Table Schema cannot express. Each has an id, named by the
   discrepancy register's ``check`` column:

   ``schema``       every resource and every field has a ``description`` (and the package,
                    each resource and each field its Swedish ``x-title-sv`` /
                    ``x-description-sv`` beside every English title and description); numeric fields
                    have a ``unit`` (``"row"`` needs a column to say it: ``X_unit``,
                    ``unit`` or ``unit_*``); every schema has a ``primaryKey``
   ``flag_value``   ``flag`` (and every ``X_flag`` paired with ``X``, ``X__<unit>`` or
                    ``X_value``) against its value: reported/approximate/lower_bound/
                    upper_bound need a value; not_* need it empty; bounds only with range
   ``range``        ``flag = range``: value empty, ``value_low <= value_high`` both given
   ``period``       ``period_start``/``period_end``: both or neither, start <= end
   ``pct_range``    percentages (unit ``%``/``percent``, name ``*__pct``, or a ``"row"``
                    field whose row's unit column says ``percent``) within 0-100
   ``sex_sum``      ``girls__X + boys__X (+ unknown_sex__X) == total__X`` when all are
                    given and flagged ``reported``
   ``year_range``   years (type ``year``, name ``year``/``*_year``, and the year of dates)
                    within 2000-2100
   ``printed``      a ``printed`` column is never empty
   ``whitespace``   no cell starts or ends with a space
   ``source``       rows with a ``source_id``: fields marked ``"x-required-when-printed":
                    true`` are filled when the source is a printed document (``printed`` in
                    ``sources``) and empty when it is not (nobody printed that text); a
                    yearly series' ``year`` lies within the source's first_year-last_year; a resource
                    property ``"x-source-id"`` names a source
   ``uncertain``    ``uncertain = true`` needs ``note_en`` and ``note_sv``
   ``complete_by``  resource property ``"x-complete-by": ["country_code", "year"]``: every
                    value of a key with a foreign key (every member state) appears, for
                    every value of the other keys that appears in the file (every year)

Known report quirks are rows of the discrepancy register, the resource marked
``"x-discrepancy-register": true`` (``report_discrepancies``): a row with ``check``,
``resource`` and ``row_key`` (``{"country_code": "AT"}``) excuses that check on that row, with
``what_en`` as the reason. It is the only allowance: it silences exactly that check for exactly
the one row whose cells match ``row_key`` (cells compared as text; for ``complete_by``: the one
missing key), and the site lists the same row among the report's inconsistencies. Frictionless
errors and schema checks cannot be silenced. A register row that is malformed, matches more
than one row, or silences nothing is itself reported, so stale allowances cannot linger; so is
a resource that still declares the former ad-hoc ``x-known-discrepancies`` property.

Row numbers are physical lines: a quoted cell with a line break moves the following rows
down, as an editor shows them. A project check is not repeated where frictionless already
reported the same file, row and field.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from itertools import product
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

import attrs
import frictionless
from frictionless import FrictionlessException
from frictionless.resources import TableResource
from frictionless.table import Lookup

from transparency import checks as cross_checks

# Observation flags (ARCHITECTURE.md, "Value and status are kept apart").
FLAGS_WITH_VALUE = ("reported", "approximate", "lower_bound", "upper_bound")
FLAGS_WITHOUT_VALUE = ("not_available", "not_reported", "not_applicable")
FLAG_RANGE = "range"
FLAGS = FLAGS_WITH_VALUE + (FLAG_RANGE,) + FLAGS_WITHOUT_VALUE
# The report covers 2021-2022; anything outside this window is a typo ("21", "2201").
YEAR_MIN, YEAR_MAX = 2000, 2100
PERCENT_UNITS = ("%", "percent")
NUMERIC_TYPES = ("integer", "number")
# Column names with a fixed meaning in the conventions.
SEX_PARTS = ("girls", "boys")
SEX_UNKNOWN = "unknown_sex"
SEX_TOTAL = "total"
CHECKS = ("schema", "flag_value", "range", "period", "pct_range", "sex_sum", "year_range",
          "printed", "whitespace", "complete_by", "source", "uncertain") + tuple(cross_checks.CHECK_OF_ERROR.values())
# The resource that lists the sources, and the column and properties that point to it.
SOURCES_RESOURCE, SOURCE_ID = "sources", "source_id"
REQUIRED_WHEN_PRINTED = "x-required-when-printed"
# Frictionless stops a resource after this many errors; one bad column can make thousands.
LIMIT_ERRORS = 1000
DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Problem:
    """One problem: ``file:row: field: message``; ``row`` is None (printed ``-``) when the
    problem is about a whole file, a column or a schema."""

    file: str
    row: Optional[int]
    field: str
    message: str

    def __str__(self) -> str:
        row = "-" if self.row is None else self.row
        return f"{self.file}:{row}: {self.field}: {self.message}"

    def sort_key(self) -> tuple:
        return (self.file, -1 if self.row is None else self.row, self.field, self.message)


@dataclass
class Result:
    """Problems plus what was read, for the summary line of scripts/validate.py."""

    problems: list[Problem]
    resources: int = 0
    rows: int = 0


@dataclass
class _Hit:
    """A project-check problem with its check id and the row's cells (for allowances)."""

    check: str
    problem: Problem
    cells: dict = field(default_factory=dict)


@dataclass
class _Table:
    """A CSV file as text records, with the physical line each record starts on."""

    name: str
    path: str  # relative to the package directory, posix
    descriptor: dict  # the resource entry of datapackage.json
    schema: dict
    schema_file: str
    header: list[str] = field(default_factory=list)
    records: list[list[str]] = field(default_factory=list)  # records[0] is the header
    lines: list[int] = field(default_factory=list)
    readable: bool = False  # the file exists and is not empty
    header_ok: bool = True
    groups: Optional[list] = None  # cache of _flag_groups
    _fields: dict = field(default_factory=dict, repr=False, compare=False)  # cache of `fields`
    _fields_of: Optional[dict] = field(default=None, repr=False, compare=False)  # ... for this schema

    # Data rows as (line, {column: cell}), blank lines left out.
    def rows(self) -> Iterator[tuple[int, dict]]:
        for record, line in zip(self.records[1:], self.lines[1:]):
            if record:
                yield line, dict(zip(self.header, record))

    # Frictionless numbers rows by record (the header is 1); map to the physical line.
    def line_of(self, row_number: int) -> int:
        if 1 <= row_number <= len(self.lines):
            return self.lines[row_number - 1]
        return row_number

    def record(self, row_number: int) -> dict:
        if 1 <= row_number <= len(self.records):
            return dict(zip(self.header, self.records[row_number - 1]))
        return {}

    @property
    def fields(self) -> dict[str, dict]:
        # The row checks ask for this for every cell: build it once per schema (a schema is
        # only ever replaced, by _schema_problems, never edited in place).
        if self._fields_of is not self.schema:
            self._fields = {f.get("name"): f for f in self.schema.get("fields", []) if isinstance(f, dict)}
            self._fields_of = self.schema
        return self._fields

    @property
    def missing_values(self) -> list[str]:
        return self.schema.get("missingValues", [""])


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


def validate_package(path: str | Path) -> list[Problem]:
    """Validate a data package and return its problems, sorted.

    Parameters
    ----------
    path : str or Path
        ``datapackage.json`` or the directory holding it.

    Returns
    -------
    list of Problem
        Empty when the package is valid.
    """
    return run(path).problems


def run(path: str | Path) -> Result:
    """Validate like `validate_package`, also counting resources and data rows."""
    descriptor_path = Path(path)
    if descriptor_path.is_dir():
        descriptor_path = descriptor_path / DESCRIPTOR
    base = descriptor_path.parent
    name = descriptor_path.name

    # Load data
    descriptor, problems = _load_json(descriptor_path, name)
    if descriptor is None:
        return Result(problems)
    if not isinstance(descriptor.get("resources"), list):
        problems.append(Problem(name, None, "resources", "'resources' must be a list"))
        return Result(problems)
    tables, file_problems = _load_tables(descriptor, base, name)
    problems += file_problems

    # Process data
    cross_hits: list[_Hit] = []
    checked = _frictionless_problems(descriptor, tables, base, name, cross_hits)
    problems += checked
    hits = (list(_project_hits(tables, name)) + list(_swedish_hits(descriptor, tables, name)) + cross_hits
            + list(_declaration_hits(tables, name)))
    hits, allowance_problems = _apply_allowances(tables, hits, name)
    problems += allowance_problems
    taken = {(p.file, p.row, p.field) for p in checked}
    problems += [h.problem for h in hits if (h.problem.file, h.problem.row, h.problem.field) not in taken]

    # Save outputs
    unique = sorted(set(problems), key=Problem.sort_key)
    rows = sum(1 for t in tables for _ in t.rows())
    return Result(unique, resources=len(tables), rows=rows)


# --------------------------------------------------------------------------------------------
# Layer 1: files
# --------------------------------------------------------------------------------------------


def _load_json(path: Path, rel: str) -> tuple[Optional[dict], list[Problem]]:
    """Read a JSON object; a missing file or bad JSON becomes a Problem."""
    if not path.is_file():
        return None, [Problem(rel, None, "-", "file not found")]
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(rel, 1, "-", "file starts with a byte-order mark (BOM); save as UTF-8 without BOM")]
    try:
        value = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(rel, line, "-", "file is not UTF-8; save it as UTF-8")]
    except json.JSONDecodeError as exc:
        return None, [Problem(rel, exc.lineno, "-", f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")]
    if not isinstance(value, dict):
        return None, [Problem(rel, None, "-", "invalid JSON: expected an object {...} at the top")]
    return value, []


def _load_tables(descriptor: dict, base: Path, name: str) -> tuple[list[_Table], list[Problem]]:
    """Load every resource's schema and CSV text; check names, files, bytes and header."""
    problems: list[Problem] = []
    tables: list[_Table] = []
    seen: set[str] = set()
    for index, resource in enumerate(descriptor["resources"]):
        if not isinstance(resource, dict):
            problems.append(Problem(name, None, "resources", f"resource #{index + 1} is not an object"))
            continue
        rname = resource.get("name") or f"#{index + 1}"
        if rname in seen:
            problems.append(Problem(name, None, "resources", f"resource name '{rname}' is used twice"))
        seen.add(rname)
        schema, schema_file, schema_problems = _load_schema(resource, base, name)
        problems += schema_problems
        rpath = resource.get("path")
        if not isinstance(rpath, str) or not rpath:
            problems.append(Problem(name, None, "resources", f"resource '{rname}' has no 'path' to a CSV file"))
            continue
        if Path(rpath).is_absolute() or ".." in Path(rpath).parts or "://" in rpath:
            problems.append(Problem(name, None, "resources", f"resource '{rname}': path '{rpath}' must be a relative path inside the package"))
            continue
        table = _Table(rname, rpath, resource, schema or {}, schema_file)
        problems += _read_table(table, base / rpath)
        if schema is not None and table.readable:
            problems += _check_header(table)
        tables.append(table)
    return tables, problems


def _load_schema(resource: dict, base: Path, name: str) -> tuple[Optional[dict], str, list[Problem]]:
    """Return (schema descriptor, file it lives in, problems); None if it cannot be used."""
    rname = resource.get("name", "?")
    schema = resource.get("schema")
    if schema is None:
        return None, name, [Problem(name, None, "schema", f"resource '{rname}' has no schema")]
    schema_file = name
    if isinstance(schema, str):
        schema_file = schema
        schema, problems = _load_json(base / schema, schema)
        if schema is None:
            return None, schema_file, problems
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        return None, schema_file, [Problem(schema_file, None, "-", "not a valid Table Schema: it needs \"fields\": [...]")]
    return schema, schema_file, []


def _schema_problems(tables: list[_Table]) -> list[Problem]:
    """Validate each schema with frictionless; a table with an invalid one loses its schema.

    Only called when the package as a whole does not load, to say which schema is at fault.
    """
    problems, verdicts = [], {}
    for table in tables:
        if not table.schema:
            continue
        key = table.schema_file if table.schema_file != DESCRIPTOR else f"{DESCRIPTOR}#{table.name}"
        if key not in verdicts:
            try:
                frictionless.Schema.from_descriptor(copy.deepcopy(table.schema))
                verdicts[key] = []
            except FrictionlessException as exc:
                notes = [r.note for r in exc.reasons] or [exc.error.note]
                verdicts[key] = [Problem(table.schema_file, None, "-", f"not a valid Table Schema: {n}") for n in notes]
                problems += verdicts[key]
        if verdicts[key]:
            table.schema = {}
    return problems


def _read_table(table: _Table, path: Path) -> list[Problem]:
    """Read the CSV bytes: exists, non-empty, UTF-8, no BOM, LF line ends, data rows."""
    rel = table.path
    if not path.is_file():
        return [Problem(rel, None, "-", f"file not found (resource '{table.name}' in {DESCRIPTOR} points to it)")]
    raw = path.read_bytes()
    if not raw.strip():
        return [Problem(rel, None, "-", "file is empty: it needs a header row and at least one data row")]
    table.readable = True
    problems = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(rel, 1, "-", "file starts with a byte-order mark (BOM); save as UTF-8 without BOM"))
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start : exc.start + 1]
        problems.append(Problem(rel, line, "-", f"bytes are not UTF-8 (first bad byte {byte!r}, e.g. a Latin-1 'ö'); save the file as UTF-8"))
        text = raw.decode("utf-8", errors="replace")
    problems += _check_line_endings(rel, raw)
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for record in reader:
            table.records.append(record)
            table.lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(rel, start, "-", f"cannot read the CSV here: {exc}"))
    table.header = table.records[0] if table.records else []
    # A resource that is empty until something happens (a break in series) says so.
    if not any(record for record in table.records[1:]) and not table.descriptor.get("x-may-be-empty"):
        problems.append(Problem(rel, None, "-", "no data rows: the file has a header only"))
    return problems


def _check_line_endings(rel: str, raw: bytes) -> list[Problem]:
    """One problem per file for CRLF or CR line ends (the package uses LF, '\\n')."""
    crlf = raw.find(b"\r\n")
    lone_cr = re.search(rb"\r(?!\n)", raw)
    problems = []
    if crlf >= 0:
        line = raw[:crlf].count(b"\n") + 1
        mixed = " and LF (mixed)" if re.search(rb"(?<!\r)\n", raw) else ""
        problems.append(Problem(rel, line, "-", f"line ends with CRLF{mixed}; save with LF ('\\n') line endings"))
    if lone_cr:
        line = raw[: lone_cr.start()].count(b"\n") + 1
        problems.append(Problem(rel, line, "-", "a bare CR (old Mac) line ending; save with LF ('\\n') line endings"))
    return problems


def _check_header(table: _Table) -> list[Problem]:
    """The header must equal the schema's field names, in order."""
    expected = list(table.fields)
    header = table.header
    if header == expected:
        return []
    table.header_ok = False
    rel, problems = table.path, []
    for position, label in enumerate(header, start=1):
        if not label.strip():
            problems.append(Problem(rel, 1, "-", f"column {position} has a blank header"))
        elif header.count(label) > 1 and header.index(label) < position - 1:
            problems.append(Problem(rel, 1, label, f"column '{label}' appears twice in the header"))
    missing = [n for n in expected if n not in header]
    extra = [label for label in header if label.strip() and label not in expected]
    if len(missing) == 1 and len(extra) == 1 and len(header) == len(expected):
        problems.append(Problem(rel, 1, missing[0], f"header is named '{extra[0]}'; the schema ({table.schema_file}) calls this column '{missing[0]}'"))
        return problems
    for name in missing:
        problems.append(Problem(rel, 1, name, f"column '{name}' is missing (the schema {table.schema_file} has it)"))
    for label in extra:
        problems.append(Problem(rel, 1, label, f"column '{label}' is not in the schema {table.schema_file} (extra column)"))
    if not missing and not extra and not problems:
        problems.append(Problem(rel, 1, "-", "columns are not in the schema's order: " + ", ".join(expected)))
    return problems


# --------------------------------------------------------------------------------------------
# Layer 2: frictionless
# --------------------------------------------------------------------------------------------


def _frictionless_problems(descriptor: dict, tables: list[_Table], base: Path, name: str,
                           cross_hits: Optional[list] = None) -> list[Problem]:
    """Run frictionless on every readable resource and translate its errors; the errors of
    the cross-checks (transparency/checks.py) go to `cross_hits`, so that the discrepancy
    register can silence them."""
    try:
        package, usable = _package(descriptor, tables, base)
        problems = []
    except FrictionlessException:
        problems = _schema_problems(tables)
        try:
            package, usable = _package(descriptor, tables, base)
        except FrictionlessException as exc:
            return problems + [Problem(name, None, "-", f"not a valid data package: {e.note}") for e in exc.to_errors()]
    referenced = _referenced(package)
    for resource in package.resources:
        table = usable[resource.name]
        if not table.header_ok:
            if len(set(table.header)) == len(table.header):
                # Match columns by name, so one missing column does not shift every cell.
                resource.schema.fields_match = "subset"
        checklist = cross_checks.checklist(table, list(usable.values()))
        try:
            if isinstance(resource, _SharedLookupResource):
                report = resource.validate_and_share(checklist, LIMIT_ERRORS, referenced.get(resource.name, set()))
            else:
                report = resource.validate(limit_errors=LIMIT_ERRORS, checklist=checklist)
        except FrictionlessException as exc:
            problems.append(Problem(table.path, None, "-", f"frictionless could not read it: {exc.error.note}"))
            continue
        found = [e for task in report.tasks for e in task.errors]
        if cross_hits is not None:
            cross_hits += [_cross_hit(e, table) for e in found if e.type in cross_checks.CHECK_OF_ERROR]
        translated = [_translate(e, table, package) for e in found if e.type not in cross_checks.CHECK_OF_ERROR]
        problems += _drop_echoes([p for p in translated if p is not None])
    return problems


def _cross_hit(error: Any, table: _Table) -> _Hit:
    """A cross-check error (transparency/checks.py) as a project hit: its note is the message."""
    problem = Problem(table.path, table.line_of(error.row_number), error.field_name, error.note)
    return _Hit(cross_checks.CHECK_OF_ERROR[error.type], problem, table.record(error.row_number))


def _declaration_hits(tables: list[_Table], name: str) -> Iterator[_Hit]:
    """x-eu-total and x-needs declarations that cannot work."""
    for resource, message in cross_checks.declaration_problems(tables):
        yield _Hit("schema", Problem(name, None, "resources", f"resource '{resource}': {message}"))


def _package(descriptor: dict, tables: list[_Table], base: Path) -> tuple[Any, dict[str, _Table]]:
    """A frictionless Package of the readable resources with a schema (raises if invalid)."""
    usable = {t.name: t for t in tables if t.readable and t.schema}
    resources = []
    for table in usable.values():
        resource = copy.deepcopy(table.descriptor)
        resource["schema"] = copy.deepcopy(table.schema)
        # A foreign key into a resource that cannot be read is reported there, not here.
        keys = resource["schema"].get("foreignKeys", [])
        resource["schema"]["foreignKeys"] = [k for k in keys if _reference(k, table.name) in usable]
        resources.append(resource)
    package_descriptor = {k: v for k, v in descriptor.items() if k != "resources"}
    package_descriptor["resources"] = resources
    package = frictionless.Package(package_descriptor, basepath=str(base))
    package.to_descriptor(validate=True)
    shared: dict = {}
    for resource in package.resources:
        if type(resource) is TableResource:
            resource.__class__ = _SharedLookupResource
            resource._shared_lookups = shared
    return package, usable


# frictionless builds a resource's foreign-key lookup when it opens the resource
# (TableResource.__open_lookup, frictionless 5): for every foreign key it copies the
# referenced resource (a full descriptor validation) and reads all its rows, so the countries
# table was read once per resource that points to it, half the validator's time. This
# subclass builds the same lookup with the same code, but reads each referenced resource once
# per validation and hands the resulting set of key tuples to every resource that points to
# it. Keyed by the referenced resource, its key columns and how its header is matched
# (`fields_match`, set on a resource with a broken header just before it is validated), which
# is everything that reading it depends on within one Package. A referenced resource that was
# validated first (the package lists the member states and sources before the resources that
# point to them) is not read again at all: its own validation keeps the same key tuples
# (`validate_and_share`).
if not hasattr(TableResource, "_TableResource__open_lookup"):  # pragma: no cover
    raise ImportError("frictionless changed TableResource.__open_lookup; revisit _SharedLookupResource")


class _SharedLookupResource(TableResource):
    """A TableResource whose foreign-key lookup sets are shared within one Package."""

    _shared_lookups: dict

    def _TableResource__open_lookup(self) -> None:  # overrides the name-mangled private method
        lookup = Lookup()
        for fk in self.schema.foreign_keys:
            source_name = fk["reference"]["resource"]
            source_key = tuple(fk["reference"]["fields"])
            lookup.setdefault(source_name, {})
            if source_key in lookup[source_name]:
                continue
            lookup[source_name][source_key] = self._referenced_keys(source_name, source_key)
        self._TableResource__lookup = lookup

    def _referenced_keys(self, source_name: str, source_key: tuple) -> set:
        """The key tuples of the referenced resource, as frictionless reads them."""
        if source_name == self.name or not source_name:
            source = self
        elif not self.package:
            note = f'package is required for foreign keys to other resources: "{source_name}"'
            raise FrictionlessException(frictionless.errors.ResourceError(note=note))
        elif not self.package.has_resource(source_name):
            note = (f'failed to handle a foreign key for resource "{self.name}" as resource '
                    f'"{source_name}" does not exist')
            raise FrictionlessException(frictionless.errors.ResourceError(note=note))
        else:
            source = self.package.get_resource(source_name)
        cache_key = (source.name, source_key, _fields_match(source))
        if cache_key not in self._shared_lookups:
            self._shared_lookups[cache_key] = _key_tuples(source, source_key)
        return self._shared_lookups[cache_key]

    def validate_and_share(self, checklist: Any, limit_errors: int, keys: set) -> Any:
        """``validate``, keeping the key tuples `keys` (columns other resources' foreign keys
        point to) of the rows it reads, so that their lookups need not read this resource
        again. Kept only when the validation read every row to the end, as the lookup would
        have: not stopped by the error limit, no row lost to an error raised while reading
        (every error is about a row, a cell or the header); otherwise the lookup reads the
        resource itself, as frictionless does."""
        if not keys:
            return self.validate(limit_errors=limit_errors, checklist=checklist)
        found: dict = {key: set() for key in keys}
        seen = [0]

        def collect(row: Any) -> None:
            seen[0] += 1
            for key, tuples in found.items():
                cells = tuple(row.get(field_name) for field_name in key)
                if set(cells) != {None}:
                    tuples.add(cells)

        end = _ReadToTheEnd()
        checklist = frictionless.Checklist(checks=[*checklist.checks, end])
        report = self.validate(limit_errors=limit_errors, checklist=checklist, on_row=collect)
        task = report.tasks[0] if len(report.tasks) == 1 else None
        whole = (end.ended and task is not None and seen[0] == (self.stats.rows or 0)
                 and all(isinstance(e, (frictionless.errors.RowError, frictionless.errors.HeaderError))
                         for e in task.errors))
        if whole:
            for key, tuples in found.items():
                self._shared_lookups.setdefault((self.name, key, _fields_match(self)), tuples)
        return report


@attrs.define(kw_only=True, repr=False)
class _ReadToTheEnd(frictionless.Check):
    """Finds nothing; notes that frictionless reached the end of the rows (``validate_end``
    runs only when the rows were read to the end, not after the error limit)."""

    type = "read-to-the-end"
    ended: bool = False

    def validate_end(self):
        self.ended = True
        yield from ()


def _fields_match(resource: Any) -> Optional[str]:
    """How the resource's header is matched to its schema (None: frictionless's default)."""
    return resource.schema.fields_match if resource.schema.has_defined("fields_match") else None


def _referenced(package: Any) -> dict[str, set]:
    """Resource name -> the key column tuples other resources' foreign keys point to in it."""
    referenced: dict[str, set] = {}
    for resource in package.resources:
        for fk in resource.schema.foreign_keys if resource.schema else []:
            source_name = fk["reference"]["resource"]
            if source_name and source_name != resource.name:
                referenced.setdefault(source_name, set()).add(tuple(fk["reference"]["fields"]))
    return referenced


def _key_tuples(source: Any, source_key: tuple) -> set:
    """Read a copy of `source` (closed after, foreign keys dropped) as frictionless does."""
    copied = source.to_copy()
    if copied.schema:
        copied.schema.foreign_keys = []
    found: set = set()
    if not copied:
        return found
    with copied:
        for row in copied.row_stream:
            cells = tuple(row.get(field_name) for field_name in source_key)
            if set(cells) == {None}:
                continue
            found.add(cells)
    return found


def _drop_echoes(problems: list[Problem]) -> list[Problem]:
    """A missing cell also fails `required`; say only that the cell is missing."""
    missing = {(p.row, p.field) for p in problems if p.message.startswith("row has fewer cells")}
    return [p for p in problems if (p.row, p.field) not in missing or p.message.startswith("row has fewer cells")]


def _reference(foreign_key: dict, own_name: str) -> str:
    target = foreign_key.get("reference", {}).get("resource", "")
    return target or own_name


def _translate(error: Any, table: _Table, package: Any) -> Optional[Problem]:
    """One frictionless error -> one Problem in plain English (None: said elsewhere)."""
    kind, rel = error.type, table.path
    if kind in ("encoding-error", "source-error", "scheme-error"):
        return None  # the raw-bytes checks said it with a line number
    if kind in ("blank-header", "extra-label", "missing-label", "incorrect-label",
                "duplicate-label", "blank-label", "unmatched-header"):
        if not table.header_ok:
            return None  # _check_header said it by name
        return Problem(rel, 1, getattr(error, "field_name", "") or "-", f"header: {error.message}")
    row = getattr(error, "row_number", None)
    line = table.line_of(row) if row else None
    cells = table.record(row) if row else {}
    fname = getattr(error, "field_name", "") or "-"
    if kind == "type-error":
        return Problem(rel, line, fname, _type_message(cells.get(fname, error.cell), table.fields.get(fname, {})))
    if kind == "constraint-error":
        return Problem(rel, line, fname, _constraint_message(cells.get(fname, ""), error.note, table.fields.get(fname, {})))
    if kind == "missing-cell":
        return Problem(rel, line, fname, "row has fewer cells than the header (this column's cell is missing)")
    if kind == "extra-cell":
        return Problem(rel, line, "-", f"row has more cells than the header (extra cell '{error.cell}'; quote values that contain a comma)")
    if kind == "blank-row":
        return Problem(rel, line, "-", "blank line; delete it")
    if kind == "primary-key":
        return _primary_key_problem(error, table, line, cells)
    if kind == "unique-error":
        other = _row_in_note(error.note)
        also = f" (also on row {table.line_of(other)})" if other else ""
        return Problem(rel, line, fname, f"'{cells.get(fname, error.cell)}' must be unique in this column{also}")
    if kind == "foreign-key":
        return _foreign_key_problem(error, table, line, package)
    return Problem(rel, line, fname, f"{error.title}: {error.note or error.message}")


def _row_in_note(note: str) -> Optional[int]:
    match = re.search(r"row at position \"?(\d+)", note or "")
    return int(match.group(1)) if match else None


def _primary_key_problem(error: Any, table: _Table, line: Optional[int], cells: dict) -> Optional[Problem]:
    key = table.schema.get("primaryKey", [])
    key = [key] if isinstance(key, str) else list(key)
    if not any(cells.values()):
        return None  # a blank line, reported as such
    values = ", ".join(cells.get(k, "") for k in key)
    other = _row_in_note(error.note)
    if other is None:
        return Problem(table.path, line, ",".join(key), f"primary key ({values}) is empty")
    return Problem(table.path, line, ",".join(key), f"duplicate key ({values}) also on row {table.line_of(other)}")


def _foreign_key_problem(error: Any, table: _Table, line: Optional[int], package: Any) -> Problem:
    target = error.reference_name or table.name
    try:
        target_path = package.get_resource(target).path
    except FrictionlessException:
        target_path = target
    values = ", ".join(error.field_cells)
    names = ", ".join(error.reference_field_names)
    if len(error.field_cells) > 1:
        values, names = f"({values})", f"({names})"
    return Problem(table.path, line, ",".join(error.field_names), f"'{values}' is not a {names} in {target_path}")


def _type_message(cell: str, spec: dict) -> str:
    """Say why `cell` is not of the field's type, and what to write instead."""
    kind = spec.get("type", "string")
    digits = cell.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    grouped = re.fullmatch(r"-?\d{1,3}([ \u00a0\u202f,.']\d{3})+", cell.strip())
    marker = " (leave it empty and say it with the flag column)" if re.search(r"[a-zA-Zåäö]|^-$", cell) else ""
    if kind == "integer":
        if grouped:
            return f"'{cell}' is not an integer (no thousands separators; use {re.sub(r'[^0-9-]', '', cell)})"
        if re.fullmatch(r"-?\d+[.,]\d+", digits):
            return f"'{cell}' is not an integer (whole numbers only)"
        return f"'{cell}' is not an integer{marker}"
    if kind == "number":
        if grouped and "." not in cell:
            return f"'{cell}' is not a number (no thousands separators; use {re.sub(r'[^0-9-]', '', cell)})"
        if re.fullmatch(r"-?\d+,\d+", digits):
            return f"'{cell}' is not a number (use '.' as the decimal point: {digits.replace(',', '.')})"
        if cell.strip().endswith("%"):
            return f"'{cell}' is not a number (no '%' sign: percentages are plain numbers 0-100)"
        return f"'{cell}' is not a number{marker}"
    if kind == "date":
        return f"'{cell}' is not an ISO date (use YYYY-MM-DD, e.g. 2021-01-01)"
    if kind == "year":
        return f"'{cell}' is not a 4-digit year (e.g. 2021)"
    if kind == "boolean":
        return f"'{cell}' is not true or false"
    return f"'{cell}' is not a valid {kind}"


def _constraint_message(cell: str, note: str, spec: dict) -> str:
    """Say which constraint `cell` breaks, with the schema's limit."""
    match = re.search(r'constraint "(\w+)"', note or "")
    constraint = match.group(1) if match else ""
    limit = spec.get("constraints", {}).get(constraint)
    name = spec.get("name", "the column")
    if constraint == "required":
        return f"{name} is empty but required"
    if constraint == "enum":
        return f"'{cell}' is not one of: {', '.join(map(str, limit or []))}"
    if constraint == "minimum":
        extra = " (counts cannot be negative)" if limit == 0 else ""
        return f"'{cell}' is below the minimum {limit}{extra}"
    if constraint == "maximum":
        return f"'{cell}' is above the maximum {limit}"
    if constraint == "pattern":
        return f"'{cell}' does not match the pattern {limit}"
    if constraint in ("minLength", "maxLength"):
        return f"'{cell}' has {len(cell)} characters; {constraint} is {limit}"
    return f"'{cell}' breaks the constraint {constraint} = {limit!r}"


# --------------------------------------------------------------------------------------------
# Layer 3: project checks
# --------------------------------------------------------------------------------------------


def _project_hits(tables: list[_Table], name: str) -> Iterator[_Hit]:
    """All project checks, schema checks first."""
    yield from _schema_hits(tables, name)
    by_name = {t.name: t for t in tables}
    for table in tables:
        if not table.readable or not table.schema:
            continue
        for line, cells in table.rows():
            for check in _ROW_CHECKS:
                for field_name, message, check_id in check(table, cells):
                    yield _Hit(check_id, Problem(table.path, line, field_name, message), cells)
        yield from _complete_by_hits(table, by_name, name)
        yield from _source_hits(table, by_name, name)


def _schema_hits(tables: list[_Table], name: str) -> Iterator[_Hit]:
    """Every field described, numeric fields with a unit, every schema with a primaryKey."""
    done: set[str] = set()
    for table in tables:
        if not table.descriptor.get("description"):
            yield _Hit("schema", Problem(name, None, "description", f"resource '{table.name}' has no description"))
        if not table.schema or table.schema_file in done:
            continue
        if table.schema_file != name:
            done.add(table.schema_file)
        rel = table.schema_file
        names = set(table.fields)
        if not table.schema.get("primaryKey"):
            yield _Hit("schema", Problem(rel, None, "-", "the schema declares no primaryKey"))
        for spec in table.fields.values():
            fname = spec.get("name", "-")
            if not str(spec.get("description", "")).strip():
                yield _Hit("schema", Problem(rel, None, fname, "field has no description"))
            if spec.get("type") in NUMERIC_TYPES and not str(spec.get("unit", "")).strip():
                yield _Hit("schema", Problem(rel, None, fname, f"numeric field has no unit (add \"unit\", e.g. \"reports\", \"%\", or \"row\")"))
            if spec.get("unit") == "row" and not _unit_columns(fname, names):
                yield _Hit("schema", Problem(rel, None, fname, "\"unit\": \"row\" but the schema has no 'unit' column to say it"))


# Text the site shows in each language: an English property and the Swedish one beside it.
SWEDISH_OF = {"title": "x-title-sv", "description": "x-description-sv"}


def _missing_swedish(where: dict, properties: Iterable[str]) -> list[str]:
    """The English properties of ``where`` that have text but no Swedish beside them."""
    return [p for p in properties
            if str(where.get(p, "")).strip() and not str(where.get(SWEDISH_OF[p], "")).strip()]


def _swedish_hits(descriptor: dict, tables: list[_Table], name: str) -> Iterator[_Hit]:
    """The Swedish site shows the package's, each resource's and each field's title and
    description: every one given in English needs its Swedish text (``x-title-sv``,
    ``x-description-sv``) beside it."""
    for prop in _missing_swedish(descriptor, ("title", "description")):
        yield _Hit("schema", Problem(name, None, SWEDISH_OF[prop], f"the package's {prop} has no Swedish text ({SWEDISH_OF[prop]})"))
    done: set[str] = set()
    for table in tables:
        for prop in _missing_swedish(table.descriptor, ("title", "description")):
            yield _Hit("schema", Problem(name, None, SWEDISH_OF[prop], f"resource '{table.name}': {prop} has no Swedish text ({SWEDISH_OF[prop]})"))
        if not table.schema or table.schema_file in done:
            continue
        done.add(table.schema_file)
        for spec in table.fields.values():
            for prop in _missing_swedish(spec, ("description",)):
                yield _Hit("schema", Problem(table.schema_file, None, spec.get("name", "-"),
                                             f"field {prop} has no Swedish text ({SWEDISH_OF[prop]})"))


def _is_empty(table: _Table, cell: Optional[str]) -> bool:
    return cell is None or cell.strip() == "" or cell in table.missing_values


def _number(table: _Table, cell: Optional[str]) -> Optional[float]:
    """The cell as a finite number; None when empty or not a number (frictionless says so)."""
    if _is_empty(table, cell):
        return None
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _date(cell: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(cell) if cell and re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell) else None
    except ValueError:
        return None


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


@dataclass(frozen=True)
class _FlagGroup:
    flag: str
    value: Optional[str]
    low: Optional[str]
    high: Optional[str]


def _flag_groups(table: _Table) -> list[_FlagGroup]:
    """Pair each observation-flag column with its value (and range bound) columns.

    ``flag`` pairs with ``value`` (else with the only numeric column that no other flag
    claims); ``X_flag`` pairs with ``X``, ``X_value`` or ``X__<unit>``. An ``X_flag``
    with no such column (e.g. ``eurostat_flag``) is not an observation flag.
    """
    if table.groups is not None:
        return table.groups
    header, fields = table.header, table.fields
    groups, claimed = [], set()
    for column in header:
        if column != "flag" and not column.endswith("_flag"):
            continue
        prefix = "" if column == "flag" else column[: -len("_flag")]
        options = ["value"] if not prefix else [prefix, f"{prefix}_value"] + [c for c in header if c.startswith(f"{prefix}__")]
        value = next((c for c in options if c in header), None)
        if value is None and prefix:
            continue
        groups.append([column, value, prefix])
        claimed.add(value)
    for group in groups:
        if group[1] is None:  # a plain `flag` without a `value` column
            numeric = [c for c in header if fields.get(c, {}).get("type") in NUMERIC_TYPES
                       and c not in claimed and not c.endswith(("_low", "_high"))]
            group[1] = numeric[0] if len(numeric) == 1 else None
    result = []
    for column, value, prefix in groups:
        stem = prefix or "value"
        low = next((c for c in (f"{stem}_low", f"{value}_low") if c in header), None)
        high = next((c for c in (f"{stem}_high", f"{value}_high") if c in header), None)
        result.append(_FlagGroup(column, value, low, high))
    table.groups = result
    return result


def _check_flags(table: _Table, cells: dict) -> Iterator[tuple[str, str, str]]:
    """Flag against value, value_low, value_high (see ARCHITECTURE.md)."""
    for group in _flag_groups(table):
        flag = cells.get(group.flag, "")
        spec = table.fields.get(group.flag, {})
        has_enum = "enum" in spec.get("constraints", {})
        if _is_empty(table, flag):
            if not spec.get("constraints", {}).get("required"):
                yield group.flag, f"{group.flag} is empty (it is never empty; see the flags in ARCHITECTURE.md)", "flag_value"
            continue
        if flag not in FLAGS:
            if not has_enum:
                yield group.flag, f"'{flag}' is not a flag (one of: {', '.join(FLAGS)})", "flag_value"
            continue
        value = cells.get(group.value) if group.value else None
        has_value = group.value is not None and not _is_empty(table, value)
        bounds = [c for c in (group.low, group.high) if c and not _is_empty(table, cells.get(c))]
        if flag in FLAGS_WITH_VALUE and group.value and not has_value:
            yield group.value, f"{group.value} is empty but {group.flag} is {flag} (that flag needs the number the report gives)", "flag_value"
        if flag in FLAGS_WITHOUT_VALUE and has_value:
            yield group.value, f"value present with {group.flag} {flag} (leave {group.value} empty, or change the flag)", "flag_value"
        if flag != FLAG_RANGE:
            for column in bounds:
                yield column, f"{column} is only for {group.flag} range ({group.flag} is {flag})", "flag_value"
            continue
        yield from _check_range(table, cells, group, has_value)


def _check_range(table: _Table, cells: dict, group: _FlagGroup, has_value: bool) -> Iterator[tuple[str, str, str]]:
    """flag = range: value empty, both bounds given, low <= high."""
    if has_value:
        yield group.value, f"value present with {group.flag} range (put the bounds in {group.low or 'value_low'}/{group.high or 'value_high'} and leave {group.value} empty)", "range"
    if group.low is None or group.high is None:
        yield group.flag, f"{group.flag} is range but the file has no value_low/value_high columns", "range"
        return
    low, high = _number(table, cells.get(group.low)), _number(table, cells.get(group.high))
    for column, number in ((group.low, low), (group.high, high)):
        if _is_empty(table, cells.get(column)):
            yield column, f"{column} is empty but {group.flag} is range (a range needs both bounds)", "range"
    if low is not None and high is not None and low > high:
        yield group.low, f"range low {_fmt(low)} > high {_fmt(high)} ({group.low} must be <= {group.high})", "range"


def _check_period(table: _Table, cells: dict) -> Iterator[tuple[str, str, str]]:
    """period_start and period_end: both or neither; start <= end."""
    if "period_start" not in table.header or "period_end" not in table.header:
        return
    start, end = cells.get("period_start"), cells.get("period_end")
    empty_start, empty_end = _is_empty(table, start), _is_empty(table, end)
    if empty_start != empty_end:
        missing = "period_start" if empty_start else "period_end"
        other = "period_end" if empty_start else "period_start"
        yield missing, f"{missing} is empty but {other} is set (give both or neither)", "period"
        return
    first, last = _date(start), _date(end)
    if first and last and last < first:
        yield "period_end", f"period_end {end} is before period_start {start}", "period"


def _unit_columns(column: str, names: Iterable[str]) -> list[str]:
    """The columns that may say a ``"unit": "row"`` field's unit: ``X_unit``, else ``unit``
    or ``unit_*`` (e.g. ``retention_unit``, ``unit``, ``unit_basis``)."""
    names = list(names)
    own = f"{column}_unit"
    if own in names:
        return [own]
    return [n for n in names if n == "unit" or n.startswith("unit_")]


def _percent_columns(table: _Table, cells: dict) -> list[str]:
    """Columns holding a percentage in this row."""
    columns = [c for c in table.header if c.endswith("__pct") or table.fields.get(c, {}).get("unit") in PERCENT_UNITS]
    for column in table.header:
        if table.fields.get(column, {}).get("unit") == "row":
            if any(cells.get(u) in PERCENT_UNITS for u in _unit_columns(column, table.header)):
                columns.append(column)
    return columns


def _check_percent(table: _Table, cells: dict) -> Iterator[tuple[str, str, str]]:
    """Percentages are 0-100 (4.22, not 0.0422 and not 422)."""
    for column in _percent_columns(table, cells):
        number = _number(table, cells.get(column))
        if number is not None and not 0 <= number <= 100:
            yield column, f"{_fmt(number)} is outside 0-100 (percentages are numbers 0-100)", "pct_range"


def _check_sex_sum(table: _Table, cells: dict) -> Iterator[tuple[str, str, str]]:
    """girls + boys (+ unknown_sex) == total when all are given and reported; when only
    some parts are reported, they must not add up to more than a reported total."""
    for total_column in (c for c in table.header if c.startswith(f"{SEX_TOTAL}__")):
        suffix = total_column[len(SEX_TOTAL):]
        parts = [f"{p}{suffix}" for p in SEX_PARTS]
        unknown = f"{SEX_UNKNOWN}{suffix}"
        total = _number(table, cells.get(total_column))
        if not all(p in table.header for p in parts) or total is None or not _reported(table, cells, total_column):
            continue
        columns = parts + ([unknown] if unknown in table.header else [])
        given = {c: _number(table, cells.get(c)) for c in columns if _reported(table, cells, c)}
        given = {c: n for c, n in given.items() if n is not None}
        terms = " + ".join(f"{c.split('__')[0]} {_fmt(n)}" for c, n in given.items())
        complete = all(p in given for p in parts) and (unknown not in columns or unknown in given or _is_empty(table, cells.get(unknown)))
        if complete and sum(given.values()) != total:
            yield total_column, f"{terms} = {_fmt(sum(given.values()))}, but total is {_fmt(total)}", "sex_sum"
        elif not complete and sum(given.values()) > total:
            yield total_column, f"{terms} = {_fmt(sum(given.values()))}, more than the total {_fmt(total)}", "sex_sum"


def _reported(table: _Table, cells: dict, column: str) -> bool:
    """Is the column's figure flagged reported (true when it has no flag column)?"""
    for group in _flag_groups(table):
        if group.value == column:
            return cells.get(group.flag) == "reported"
    return True


def _check_years(table: _Table, cells: dict) -> Iterator[tuple[str, str, str]]:
    """Years (and the years of dates) within 2000-2100."""
    for column in table.header:
        spec = table.fields.get(column, {})
        cell = cells.get(column)
        if spec.get("type") == "year" or column == "year" or column.endswith("_year"):
            number = _number(table, cell)
            if number is not None and not YEAR_MIN <= number <= YEAR_MAX:
                yield column, f"year {cell} is outside {YEAR_MIN}-{YEAR_MAX}", "year_range"
        elif spec.get("type") == "date":
            day = _date(cell)
            if day and not YEAR_MIN <= day.year <= YEAR_MAX:
                yield column, f"date {cell} is outside the years {YEAR_MIN}-{YEAR_MAX}", "year_range"


def _check_printed(table: _Table, cells: dict) -> Iterator[tuple[str, str, str]]:
    """`printed` keeps the report's text; '-' when the report prints a dash."""
    # With a source_id, whether printed text is needed depends on the source (_source_hits).
    if "printed" in table.header and SOURCE_ID not in table.header and not (cells.get("printed") or "").strip():
        yield "printed", "printed is empty (copy the report's text verbatim, e.g. '-' or 'i.u.')", "printed"


def _check_whitespace(table: _Table, cells: dict) -> Iterator[tuple[str, str, str]]:
    for column, cell in cells.items():
        if cell and cell != cell.strip():
            yield column, f"'{cell}' starts or ends with a space", "whitespace"


def _check_uncertain(table: _Table, cells: dict) -> Iterator[tuple[str, str, str]]:
    """An uncertain figure says why, in both languages."""
    if (cells.get("uncertain") or "").strip().lower() != "true":
        return
    for column in ("note_en", "note_sv"):
        if not (cells.get(column) or "").strip():
            yield column, f"uncertain is true but {column} is empty: say which publications disagree and why this figure was kept", "uncertain"


_ROW_CHECKS = (_check_uncertain, _check_flags, _check_period, _check_percent, _check_sex_sum, _check_years,
               _check_printed, _check_whitespace)


def _complete_by_hits(table: _Table, by_name: dict[str, _Table], name: str) -> Iterator[_Hit]:
    """x-complete-by: every referenced value (every member state) for every observed year."""
    keys = table.descriptor.get("x-complete-by")
    if keys is None:
        return
    if isinstance(keys, str):
        keys = [keys]
    if not isinstance(keys, list) or not keys or any(k not in table.header for k in keys):
        yield _Hit("complete_by", Problem(name, None, "x-complete-by", f"resource '{table.name}': x-complete-by must list columns of {table.path}, got {keys!r}"))
        return
    rows = [cells for _, cells in table.rows()]
    if not rows:
        return  # "no data rows" says it
    domains, sources = [], []
    for key in keys:
        reference = _referenced_values(table, key, by_name)
        if reference is None:
            # Only well-formed values: one typo'd year must not demand 27 more rows.
            spec = table.fields.get(key, {})
            domains.append(sorted({r.get(key, "") for r in rows if _well_formed(table, spec, r.get(key))}))
            sources.append(f"every {key} in this file")
        else:
            domains.append(reference[0])
            sources.append(f"every {key} in {reference[1]}")
    if len(sources) == sum(s.endswith("this file") for s in sources):
        yield _Hit("complete_by", Problem(name, None, "x-complete-by", f"resource '{table.name}': no x-complete-by column has a foreign key, so nothing says which values must appear"))
        return
    present = {tuple(r.get(k, "") for k in keys) for r in rows}
    for combination in product(*domains):
        if combination not in present:
            named = ", ".join(f"{k} {v}" for k, v in zip(keys, combination))
            message = f"no row for {named} (x-complete-by: {'; '.join(sources)})"
            yield _Hit("complete_by", Problem(table.path, None, ",".join(keys), message), dict(zip(keys, combination)))


def _sources(by_name: dict[str, _Table]) -> dict[str, dict]:
    table = by_name.get(SOURCES_RESOURCE)
    if table is None or not table.readable:
        return {}
    return {cells.get(SOURCE_ID, ""): cells for _, cells in table.rows()}


def _years_within(table: _Table, source: dict, rows: Optional[list] = None) -> Iterator[_Hit]:
    """Each row's year lies within the source's first_year-last_year (sources.csv)."""
    first, last = source.get("first_year", ""), source.get("last_year", "")
    if not (first.isdigit() and last.isdigit()):
        return
    for line, cells in rows if rows is not None else table.rows():
        year = cells.get("year", "")
        if re.fullmatch(r"\d{4}", year or "") and not int(first) <= int(year) <= int(last):
            message = (f"year {year} is outside the years {first}-{last} of source {source[SOURCE_ID]} "
                       f"(update first_year/last_year in {SOURCES_RESOURCE}, or name the right source)")
            yield _Hit("source", Problem(table.path, line, "year", message), cells)


def _source_hits(table: _Table, by_name: dict[str, _Table], name: str) -> Iterator[_Hit]:
    """Printed text where (and only where) the source is printed; years within the source's."""
    sources = _sources(by_name)
    declared = table.descriptor.get("x-source-id")
    if declared is not None and declared not in sources:
        yield _Hit("source", Problem(name, None, "x-source-id", f"resource '{table.name}': x-source-id {declared!r} is not a source_id in {SOURCES_RESOURCE}"))
    elif declared is not None and "year" in table.header:
        yield from _years_within(table, sources[declared])
    if SOURCE_ID not in table.header:
        return
    when_printed = [f for f, spec in table.fields.items() if spec.get(REQUIRED_WHEN_PRINTED) and f in table.header]
    # A yearly series (complete by year) takes each year from a source that covers it; a
    # report's prose may mention later years, so other resources are not held to this.
    yearly = "year" in (table.descriptor.get("x-complete-by") or [])
    for line, cells in table.rows():
        source = sources.get(cells.get(SOURCE_ID, ""))
        if source is None:
            continue  # the foreign key check names it
        printed = source.get("printed", "").strip().lower() == "true"
        for column in when_printed:
            empty = _is_empty(table, cells.get(column))
            if printed and empty:
                message = f"{column} is empty, but source {source[SOURCE_ID]} is a printed document: copy its text verbatim (e.g. '-' or 'i.u.')"
                yield _Hit("source", Problem(table.path, line, column, message), cells)
            elif not printed and not empty:
                message = f"source {source[SOURCE_ID]} is not a printed document whose text we transcribe: leave {column} empty"
                yield _Hit("source", Problem(table.path, line, column, message), cells)
        if yearly:
            yield from _years_within(table, source, [(line, cells)])


def _well_formed(table: _Table, spec: dict, cell: Optional[str]) -> bool:
    """Is the cell a plausible value of its field (so frictionless and the year check pass)?"""
    if _is_empty(table, cell):
        return False
    kind = spec.get("type")
    if kind == "year" or spec.get("name") == "year":
        return bool(re.fullmatch(r"\d{4}", cell)) and YEAR_MIN <= int(cell) <= YEAR_MAX
    if kind == "integer":
        return bool(re.fullmatch(r"-?\d+", cell))
    if kind == "date":
        return _date(cell) is not None
    return True


def _referenced_values(table: _Table, key: str, by_name: dict[str, _Table]) -> Optional[tuple[list[str], str]]:
    """Values of the column `key` points to through a single-column foreign key."""
    for foreign_key in table.schema.get("foreignKeys", []):
        fields = foreign_key.get("fields")
        fields = [fields] if isinstance(fields, str) else fields
        if fields != [key]:
            continue
        reference = foreign_key.get("reference", {})
        target = by_name.get(reference.get("resource") or table.name)
        ref_fields = reference.get("fields")
        ref_field = ref_fields if isinstance(ref_fields, str) else (ref_fields or [None])[0]
        if target is None or not target.readable:
            return None
        values = sorted({cells.get(ref_field, "") for _, cells in target.rows()} - {""})
        return values, target.path
    return None


# --------------------------------------------------------------------------------------------
# Known discrepancies
# --------------------------------------------------------------------------------------------


def _apply_allowances(tables: list[_Table], hits: list[_Hit], name: str) -> tuple[list[_Hit], list[Problem]]:
    """Drop hits silenced by the discrepancy register; report malformed or unused rows."""
    problems: list[Problem] = []
    silenced: set[int] = set()
    entries, register_problems = _allowance_entries(tables)
    problems += register_problems
    for table, where, entry in entries:
        problem = _allowance_shape(entry, [cells for _, cells in table.rows()])
        if problem:
            problems.append(where(problem))
            continue
        matched = [i for i, h in enumerate(hits) if h.check == entry["check"]
                   and h.problem.file == table.path and _matches(entry["row"], h.cells)]
        if not matched:
            problems.append(where(f"{entry['check']} for {_key_text(entry['row'])} silences nothing; remove it"))
        silenced.update(matched)
    return [h for i, h in enumerate(hits) if i not in silenced], problems


def _allowance_entries(tables: list[_Table]) -> tuple[list[tuple], list[Problem]]:
    """Every allowance as (table it applies to, problem maker naming where it is written,
    {row, check, why}): the rows with a ``check`` of the resource marked
    ``"x-discrepancy-register": true`` (report_discrepancies). A resource that declares its own
    ``x-known-discrepancies`` (the former ad-hoc allowance) is reported, never read."""
    by_name = {t.name: t for t in tables}
    entries, problems = [], []
    for register in (t for t in tables if t.descriptor.get("x-discrepancy-register") is True):
        for line, cells in register.rows():
            if not cells.get("check"):
                continue
            def where(message, line=line, register=register):
                return Problem(register.path, line, "check", message)
            target = by_name.get(cells.get("resource", ""))
            if target is None:
                problems.append(where(f"resource '{cells.get('resource', '')}' is not a resource of the package"))
                continue
            try:
                key = json.loads(cells.get("row_key") or "null")
            except json.JSONDecodeError as exc:
                problems.append(where(f"row_key is not a JSON object ({exc.msg})"))
                continue
            entries.append((target, where, {"row": key, "check": cells["check"], "why": cells.get("what_en", "")}))
    for table in tables:
        if "x-known-discrepancies" in table.descriptor:
            problems.append(Problem(DESCRIPTOR, None, "x-known-discrepancies", (
                f"resource '{table.name}': x-known-discrepancies is not read; list each discrepancy as a row of "
                "the discrepancy register (report_discrepancies: check, resource, row_key)")))
    return entries, problems


def _allowance_shape(entry: Any, rows: list[dict]) -> Optional[str]:
    """What is wrong with one register row's allowance (None: nothing)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("row"), dict) or not entry["row"]:
        return "row_key must be a JSON object {column: value, ...} naming one row"
    if entry.get("check") not in CHECKS or entry["check"] == "schema":
        return f"check must be one of {', '.join(c for c in CHECKS if c != 'schema')}"
    if not str(entry.get("why", "")).strip():
        return "needs what_en saying what in the report is inconsistent"
    if entry["check"] == "complete_by":
        return None
    count = sum(_matches(entry["row"], cells) for cells in rows)
    if count != 1:
        return f"row {_key_text(entry['row'])} matches {count} rows; it must name exactly one"
    return None


def _matches(key: dict, cells: dict) -> bool:
    return bool(cells) and all(cells.get(k) == str(v) for k, v in key.items())


def _key_text(key: dict) -> str:
    return "(" + ", ".join(f"{k}={v}" for k, v in key.items()) + ")"
