"""Cross-checks that a Table Schema cannot express, as frictionless ``Check`` classes.

`transparency.validate` passes `checklist(table, tables)` to frictionless for every
resource; each check here yields frictionless errors with a row and a field, which the
validator prints as ``file:row: field: message`` and which a row of the discrepancy register
(``report_discrepancies``) can silence one row at a time (check ids in `CHECK_OF_ERROR`).

The checks find rows by their field names through one small function, `find_rows`, never
by file, so a figure can move between resources without a code change. Where a link
between resources is needed, the resource declares it in datapackage.json:

``"x-eu-total": {"sum": "reports__count", "by": "year", "where": {"measure": "..."}, "total": "value"}``
    the per-country rows of this resource add up, per ``by`` value, to the ``total`` cell
    of the one row anywhere in the package that has the cells ``where`` and that ``by``
    value. Checks ``eu_total`` (the total equals the sum) and ``eu_total_missing`` (a
    ``by`` value with per-country rows has a total row). Only rows from a printed source
    (``printed`` = true in ``sources``) count: a publication taken as numbers (NCMEC's own
    tables) prints no EU total, and the site adds its rows up itself.
``"x-needs": [{"what": "population", "where": {"population__persons": null}, "by": ["country_code", "year"], "why": "..."}]``
    every combination of the ``by`` cells in this resource has a row somewhere with the
    fields of ``where`` (``null``: any value) and those cells. Check ``needs``.

Without a declaration: ``printed_value`` compares every number with the text printed for
it (``printed`` with the row's flagged value, ``printed_X`` with ``X``, ``X__unit``,
``*__X`` or ``X_*``), wherever the printed text contains digits.

Every table argument is a `transparency.validate._Table` (``name``, ``path``, ``header``,
``descriptor``, ``rows()``, ``record(row_number)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Iterator, Mapping, Optional

import attrs
import frictionless
from frictionless import errors

# Spaces the report prints inside numbers: space, no-break space, narrow no-break space.
SPACE = "[ \u00a0\u202f]"
NUMBER = rf"\d{{1,3}}(?:{SPACE}\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?"
SCALES = {"tusen": Decimal(10) ** 3, "miljon": Decimal(10) ** 6, "miljoner": Decimal(10) ** 6,
          "miljard": Decimal(10) ** 9, "miljarder": Decimal(10) ** 9}
_SCALE = rf"(?:{SPACE}+(?P<{{name}}>{'|'.join(sorted(SCALES, key=len, reverse=True))})\b)?"
# First number in the text ("ca 7 000", "över 20 000", "6,6 miljoner", "1,36 %"), then a
# range ("115 till 220") or a ratio ("1 på 50 miljarder").
PRINTED_NUMBER = re.compile(
    rf"(?P<low>{NUMBER}){_SCALE.format(name='low_scale')}"
    rf"(?:{SPACE}*(?:till|–|-){SPACE}*(?P<high>{NUMBER}){_SCALE.format(name='high_scale')}"
    rf"|{SPACE}+på{SPACE}+(?P<per>{NUMBER}){_SCALE.format(name='per_scale')})?",
    re.IGNORECASE,
)
FLAGS_WITH_VALUE = ("reported", "approximate", "lower_bound", "upper_bound")
NUMERIC_TYPES = ("integer", "number")
# Relative tolerance for a printed ratio ("1 på 50 miljarder" is 2e-11).
RELATIVE_TOLERANCE = Decimal("1e-9")


# --------------------------------------------------------------------------------------------
# Lookup
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """One row found by `find_rows`: its table, physical line and text cells."""

    table: Any
    line: int
    cells: dict


def find_rows(tables: Iterable[Any], where: Mapping[str, Optional[str]]) -> list[Found]:
    """Rows of every table that has all fields of `where` and whose cells equal its values.

    Parameters
    ----------
    tables : iterable of _Table
        The package's tables, read as text.
    where : mapping
        Field name -> cell text; ``None`` asks only that the field exists.

    Returns
    -------
    list of Found
        In table order, then file order.
    """
    wanted = {k: str(v) for k, v in where.items() if v is not None}
    found = []
    for table in tables:
        if not table.readable or not all(name in table.header for name in where):
            continue
        found += [Found(table, line, cells) for line, cells in table.rows()
                  if all(cells.get(k) == v for k, v in wanted.items())]
    return found


# --------------------------------------------------------------------------------------------
# Printed text
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    """The number a printed text gives: ``low`` alone, a range ``low``-``high``."""

    low: Decimal
    high: Optional[Decimal] = None


def _decimal(text: str, scale: Optional[str]) -> Decimal:
    digits = re.sub(SPACE, "", text).replace(",", ".")
    return Decimal(digits) * SCALES.get((scale or "").lower(), Decimal(1))


def parse_printed(text: str) -> Optional[Printed]:
    """The number in the report's text, or None when it has no digits.

    >>> parse_printed("ca 7\u00a0000"), parse_printed("6,6 miljoner").low, parse_printed("115 till 220").high
    (Printed(low=Decimal('7000'), high=None), Decimal('6600000.0'), Decimal('220'))
    """
    match = PRINTED_NUMBER.search(text or "")
    if not match:
        return None
    if match["per"]:
        return Printed(_decimal(match["low"], None) / _decimal(match["per"], match["per_scale"]))
    # "5 till 6 miljoner": the scale after the range applies to both ends.
    scale = match["low_scale"] or match["high_scale"]
    low = _decimal(match["low"], scale)
    return Printed(low, _decimal(match["high"], scale) if match["high"] else None)


def _same(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= RELATIVE_TOLERANCE * max(abs(a), abs(b))


def _fmt(number: Decimal) -> str:
    """18501, 1.36, 0.00000000002: plain digits, no exponent, no trailing zeros."""
    return format(number.normalize(), "f")


def _text_number(cell: Optional[str]) -> Optional[Decimal]:
    try:
        return Decimal(cell) if cell and cell.strip() else None
    except InvalidOperation:
        return None


def printed_pairs(table: Any) -> list[tuple[str, str]]:
    """(printed column, number column) pairs of a table, by the naming conventions.

    ``printed`` goes with ``value``, else with the only numeric column that has no flag of
    its own; ``printed_X`` with ``X``, ``X_value``, ``X__<unit>``, ``<...>__X`` or
    ``X_<...>`` when exactly one numeric column fits; a field's ``"x-printed-of"`` names
    its number outright.
    """
    fields = {f.get("name"): f for f in table.schema.get("fields", []) if isinstance(f, dict)}
    numeric = [c for c in table.header if fields.get(c, {}).get("type") in NUMERIC_TYPES
               and not c.endswith(("_low", "_high"))]
    pairs = []
    for column in table.header:
        # A schema can name the number a printed column spells out ("x-printed-of").
        if fields.get(column, {}).get("x-printed-of") in numeric:
            pairs.append((column, fields[column]["x-printed-of"]))
            continue
        if column == "printed":
            own_flag = [c for c in numeric if f"{c}_flag" in table.header]
            options = ["value"] if "value" in numeric else [c for c in numeric if c not in own_flag]
        elif column.startswith("printed_") and column != "printed_in":
            stem = column[len("printed_"):]
            options = next((found for found in (
                [c for c in numeric if c in (stem, f"{stem}_value")],
                [c for c in numeric if c.startswith(f"{stem}__")],
                [c for c in numeric if c.endswith(f"__{stem}")],
                [c for c in numeric if c.startswith(f"{stem}_")],
            ) if found), [])
        else:
            continue
        if len(options) == 1:
            pairs.append((column, options[0]))
    return pairs


def _flag_of(table: Any, column: str) -> Optional[str]:
    """The flag column that says how `column`'s figure is given (None: no flag)."""
    prefix = column.split("__")[0]
    for candidate in (f"{prefix}_flag", f"{column}_flag"):
        if candidate in table.header:
            return candidate
    return "flag" if "flag" in table.header else None


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class EuTotalError(errors.CellError):
    type = "eu-total"
    title = "EU Total"
    description = "An EU total differs from the sum of the member-state rows."
    template = "{note}"


class EuTotalMissingError(errors.CellError):
    type = "eu-total-missing"
    title = "EU Total Missing"
    description = "A year has member-state rows but no EU-total row."
    template = "{note}"


class PrintedValueError(errors.CellError):
    type = "printed-value"
    title = "Printed Value"
    description = "A number differs from the text printed for it."
    template = "{note}"


class NeedsError(errors.CellError):
    type = "needs"
    title = "Needed Rows Missing"
    description = "A row needs a row of another resource (e.g. its year's population) that is missing."
    template = "{note}"


# frictionless error type -> check id for the discrepancy register's ``check`` column.
CHECK_OF_ERROR = {EuTotalError.type: "eu_total", EuTotalMissingError.type: "eu_total_missing",
                  PrintedValueError.type: "printed_value", NeedsError.type: "needs"}


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------


@attrs.define(kw_only=True, repr=False)
class _TextCheck(frictionless.Check):
    """A check that reads the row's cells as the file has them (text)."""

    type = "text-check"
    table: Any = None

    def cells(self, row: Any) -> dict:
        return self.table.record(row.row_number)

    def error(self, cls: type, row: Any, field_name: str, note: str) -> Any:
        return cls.from_row(row, note=note, field_name=field_name)


@attrs.define(kw_only=True, repr=False)
class EuTotalMatchesSum(_TextCheck):
    """An EU-total row equals the sum of the member-state rows for its year."""

    type = "eu-total"
    Errors = [EuTotalError]

    table: Any = None
    where: dict = attrs.field(factory=dict)
    by: str = "year"
    total: str = "value"
    sums: dict = attrs.field(factory=dict)  # by value -> (sum, row count)
    source: str = ""  # file of the member-state rows
    summed: str = ""  # the summed column

    def validate_row(self, row):
        cells = self.cells(row)
        if not all(cells.get(k) == str(v) for k, v in self.where.items() if v is not None):
            return
        key, total = cells.get(self.by, ""), _text_number(cells.get(self.total))
        if key not in self.sums or total is None:
            return
        expected, count = self.sums[key]
        if total != expected:
            note = (f"EU total {_fmt(total)} for {self.by} {key} is not the sum of the {count} "
                    f"member-state rows in {self.source} ({self.summed}: {_fmt(expected)}, "
                    f"difference {_fmt(total - expected)})")
            yield self.error(EuTotalError, row, self.total, note)


@attrs.define(kw_only=True, repr=False)
class EuTotalPresent(_TextCheck):
    """Every year with member-state rows has an EU-total row (said on its first row)."""

    type = "eu-total-missing"
    Errors = [EuTotalMissingError]

    table: Any = None
    by: str = "year"
    with_total: set = attrs.field(factory=set)
    wanted: str = ""  # the total row, described
    seen: set = attrs.field(factory=set)
    unprinted: frozenset = frozenset()  # source_ids whose rows have no printed total

    def validate_row(self, row):
        key = self.cells(row).get(self.by, "")
        if self.cells(row).get("source_id") in self.unprinted:
            return
        if not key or key in self.with_total or key in self.seen:
            return
        self.seen.add(key)
        note = f"{self.by} {key} has member-state rows but no EU-total row ({self.wanted}, {self.by} {key})"
        yield self.error(EuTotalMissingError, row, self.by, note)


@attrs.define(kw_only=True, repr=False)
class PrintedMatchesValue(_TextCheck):
    """Each number equals the number in its printed text, where that text has digits."""

    type = "printed-value"
    Errors = [PrintedValueError]

    table: Any = None
    pairs: list = attrs.field(factory=list)

    def validate_row(self, row):
        cells = self.cells(row)
        for printed_column, column in self.pairs:
            text = cells.get(printed_column, "")
            printed = parse_printed(text)
            if printed is None:
                continue
            flag_column = _flag_of(self.table, column)
            flag = cells.get(flag_column, "reported") if flag_column else "reported"
            for field_name, note in self.compare(cells, column, printed, flag, f"{printed_column} '{text}'"):
                yield self.error(PrintedValueError, row, field_name, note)

    def compare(self, cells: dict, column: str, printed: Printed, flag: str, shown: str) -> Iterator[tuple[str, str]]:
        """(field, what is wrong) between the number(s) and the printed text."""
        if printed.high is not None:
            if flag != "range":
                yield column, f"{shown} is a range ({_fmt(printed.low)} to {_fmt(printed.high)}) but the flag is {flag}"
                return
            for bound, number in ((f"{column}_low", printed.low), (f"{column}_high", printed.high)):
                given = _text_number(cells.get(bound))
                if given is not None and not _same(given, number):
                    yield bound, f"{bound} is {_fmt(given)} but {shown} reads {_fmt(number)}"
            return
        value = _text_number(cells.get(column))
        if flag in FLAGS_WITH_VALUE and value is not None and not _same(value, printed.low):
            yield column, f"{column} is {_fmt(value)} but {shown} reads {_fmt(printed.low)}"


@attrs.define(kw_only=True, repr=False)
class NeedsRows(_TextCheck):
    """Each combination of the ``by`` cells has the rows another resource must give for it
    (e.g. the population of each member state for each year with NCMEC figures). One
    message per value of the last ``by`` column (the year), on its first row."""

    type = "needs"
    Errors = [NeedsError]

    table: Any = None
    by: list = attrs.field(factory=list)
    missing: dict = attrs.field(factory=dict)  # last by cell -> first cells of missing keys
    what: str = ""
    why: str = ""
    where_text: str = ""
    said: set = attrs.field(factory=set)

    def validate_row(self, row):
        group = self.cells(row).get(self.by[-1], "")
        if group not in self.missing or group in self.said:
            return
        self.said.add(group)
        firsts = self.missing[group]
        named = f" for {self.by[0]} {', '.join(firsts)}" if len(self.by) > 1 else ""
        note = f"{self.by[-1]} {group} has rows here, but {self.what} is missing{named} in {self.where_text}; {self.why}"
        yield self.error(NeedsError, row, self.by[-1], note)


# --------------------------------------------------------------------------------------------
# Checklist for one table
# --------------------------------------------------------------------------------------------


def checklist(table: Any, tables: list) -> frictionless.Checklist:
    """The cross-checks that apply to `table`, with their reference data from `tables`."""
    return frictionless.Checklist(checks=list(_checks(table, tables)))


def _checks(table: Any, tables: list) -> Iterator[frictionless.Check]:
    pairs = printed_pairs(table)
    if pairs:
        yield PrintedMatchesValue(table=table, pairs=pairs)
    # EU totals declared by any resource whose total rows may live in this table.
    for owner in tables:
        spec = _eu_total_spec(owner)
        if spec is None:
            continue
        if owner is table:
            totals = find_rows(tables, {**spec["where"], spec["by"]: None, spec["total"]: None})
            wanted = ", ".join(f"{k} {v}" for k, v in spec["where"].items())
            yield EuTotalPresent(table=table, by=spec["by"], wanted=wanted, unprinted=_unprinted(tables),
                                 with_total={f.cells.get(spec["by"]) for f in totals})
        if all(k in table.header for k in (*spec["where"], spec["by"], spec["total"])):
            yield EuTotalMatchesSum(table=table, where=spec["where"], by=spec["by"], total=spec["total"],
                                    sums=_sums(owner, spec, _unprinted(tables)), source=owner.path, summed=spec["sum"])
    for need in _needs_specs(table):
        found = find_rows(tables, {**need["where"], **{k: None for k in need["by"]}})
        files = sorted({f.table.path for f in found}) or [f"any resource with {', '.join(need['where'])}"]
        present = {tuple(f.cells.get(k) for k in need["by"]) for f in found}
        missing: dict = {}
        for _, cells in table.rows():
            key = tuple(cells.get(k, "") for k in need["by"])
            if all(key) and key not in present and key[0] not in missing.get(key[-1], []):
                missing.setdefault(key[-1], []).append(key[0])
        yield NeedsRows(table=table, by=need["by"], what=need["what"], why=need["why"],
                        missing=missing, where_text=", ".join(files))


def _eu_total_spec(table: Any) -> Optional[dict]:
    spec = table.descriptor.get("x-eu-total")
    if not isinstance(spec, dict):
        return None
    return {"sum": spec.get("sum", ""), "by": spec.get("by", "year"),
            "where": dict(spec.get("where", {})), "total": spec.get("total", "value")}


def _unprinted(tables: list) -> frozenset:
    """source_ids of the sources that are not printed documents (``sources.printed``)."""
    found = find_rows(tables, {"source_id": None, "printed": None, "kind": None})
    return frozenset(f.cells["source_id"] for f in found if f.cells["printed"].strip().lower() != "true")


def _sums(table: Any, spec: dict, unprinted: frozenset = frozenset()) -> dict:
    """By value -> (sum of the member-state rows, number of rows) in `table`; the table's
    own total rows (if the totals live beside the member states) are left out, and so are
    rows from sources that print no total."""
    sums: dict = {}
    for _, cells in table.rows():
        if cells.get("source_id") in unprinted:
            continue
        if spec["where"] and all(cells.get(k) == str(v) for k, v in spec["where"].items()):
            continue
        number = _text_number(cells.get(spec["sum"]))
        key = cells.get(spec["by"], "")
        if number is None or not key:
            continue
        total, count = sums.get(key, (Decimal(0), 0))
        sums[key] = (total + number, count + 1)
    return sums


def _needs_specs(table: Any) -> list[dict]:
    specs = table.descriptor.get("x-needs", [])
    out = []
    for spec in specs if isinstance(specs, list) else []:
        by = spec.get("by", [])
        by = [by] if isinstance(by, str) else list(by)
        if isinstance(spec, dict) and by and all(k in table.header for k in by):
            out.append({"what": spec.get("what", "matching rows"), "why": spec.get("why", ""),
                        "where": dict(spec.get("where", {})), "by": by})
    return out


def declaration_problems(tables: list) -> Iterator[tuple[str, str]]:
    """(resource name, message) for x-eu-total / x-needs declarations that cannot work."""
    for table in tables:
        spec = _eu_total_spec(table)
        if table.descriptor.get("x-eu-total") is not None and (spec is None or spec["sum"] not in table.header
                                                                  or spec["by"] not in table.header or not spec["where"]):
            yield table.name, "x-eu-total needs \"sum\" and \"by\" (columns of this resource) and \"where\" {column: value}"
        needs = table.descriptor.get("x-needs")
        if needs is not None and (not isinstance(needs, list) or len(_needs_specs(table)) != len(needs)):
            yield table.name, "x-needs must be a list of {what, where, by (columns of this resource), why}"
