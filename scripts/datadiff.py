"""Summarise how the data package changed between two git revisions, as Markdown.

Usage::

    python scripts/datadiff.py BASE_REV [HEAD_REV] [--out FILE] [--max-rows N]

``HEAD_REV`` defaults to the working tree. Files are read with ``git show REV:path``,
so nothing is checked out. Rows are matched by each resource's ``primaryKey`` (read from
its Table Schema, which ``datapackage.json`` references by path), and every value is
compared as the text the CSV holds, so ``1.0`` -> ``1`` shows up as a change.

The comparison functions are pure (rows and descriptors in, dataclasses out); the git
I/O lives at the bottom of the file. CI appends the output to the pull request's job
summary, so output order is deterministic: resources by name, rows by key (numbers in
key columns sorted as numbers), cells in the schema's field order.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Mapping, Sequence

# The package folder, relative to the repository root.
PACKAGE_DIR = PurePosixPath("datapackage")
DESCRIPTOR = PACKAGE_DIR / "datapackage.json"
# Rows listed per section before "... and N more": keeps the job summary (1 MiB cap)
# readable when a whole table is added; the CSV diff in the PR has everything.
DEFAULT_MAX_ROWS = 50

Row = Mapping[str, str]
Key = tuple[str, ...]


class DuplicateKeyError(ValueError):
    """Two rows of one table share a primary key value."""


# ---------------------------------------------------------------------------
# Pure comparison
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CellChange:
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class RowChange:
    key: Key
    cells: tuple[CellChange, ...]


@dataclass(frozen=True)
class TableDiff:
    """Row-level differences of one table, keyed by ``key_fields``."""

    key_fields: tuple[str, ...]
    added: tuple[Row, ...] = ()
    removed: tuple[Row, ...] = ()
    changed: tuple[RowChange, ...] = ()
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (
            self.added or self.removed or self.changed or self.columns_added or self.columns_removed
        )


@dataclass(frozen=True)
class PropertyChange:
    """One property that differs: ``where`` names the field or resource it belongs to."""

    where: str
    name: str
    old: Any
    new: Any


@dataclass(frozen=True)
class SchemaDiff:
    fields_added: tuple[str, ...] = ()
    fields_removed: tuple[str, ...] = ()
    changed: tuple[PropertyChange, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.fields_added or self.fields_removed or self.changed)


@dataclass(frozen=True)
class Table:
    """One resource at one revision: its descriptor, resolved schema and rows."""

    name: str
    descriptor: Mapping[str, Any]
    schema: Mapping[str, Any]
    header: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Snapshot:
    """The package at one revision (descriptor without resources, and its tables)."""

    descriptor: Mapping[str, Any]
    tables: Mapping[str, Table]


@dataclass(frozen=True)
class ResourceDiff:
    name: str
    status: str  # "added", "removed" or "changed"
    rows_old: int = 0
    rows_new: int = 0
    table: TableDiff | None = None
    schema: SchemaDiff = field(default_factory=SchemaDiff)
    descriptor: tuple[PropertyChange, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class PackageDiff:
    old_version: str | None
    new_version: str | None
    package_missing: str | None  # "old" or "new" when one side has no datapackage.json
    metadata: tuple[PropertyChange, ...]
    resources: tuple[ResourceDiff, ...]


# Sort key for one value: digit strings as numbers, so 9 < 10 and years stay in order.
def _value_sort_key(value: str | None) -> tuple[int, int, str]:
    text = "" if value is None else value
    return (0, int(text), "") if re.fullmatch(r"-?\d+", text) else (1, 0, text)


def key_sort_key(key: Key) -> tuple[tuple[int, int, str], ...]:
    return tuple(_value_sort_key(v) for v in key)


def primary_key(schema: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the schema's ``primaryKey`` as a tuple (a single string is one field)."""
    pk = schema.get("primaryKey") or ()
    return (pk,) if isinstance(pk, str) else tuple(pk)


def index_rows(rows: Iterable[Row], key_fields: Sequence[str], label: str = "") -> dict[Key, Row]:
    """Map each row's key to the row; raise ``DuplicateKeyError`` on a repeated key."""
    index: dict[Key, Row] = {}
    for row in rows:
        key = tuple(row.get(f) or "" for f in key_fields)
        if key in index:
            raise DuplicateKeyError(
                f"duplicate primary key {dict(zip(key_fields, key))} {label}".rstrip()
            )
        index[key] = row
    return index


def diff_rows(
    old_rows: Sequence[Row],
    new_rows: Sequence[Row],
    key_fields: Sequence[str],
    columns: Sequence[str] | None = None,
) -> TableDiff:
    """Compare two lists of rows matched by ``key_fields``.

    Parameters
    ----------
    old_rows, new_rows
        Rows as ``{column: text}``; a missing column and an empty string are the same.
    key_fields
        Columns whose values identify a row (the resource's primary key).
    columns
        Columns to compare, in output order; default: every column seen, first seen first.
        Columns present on one side only are reported as added/removed, not per cell.
    """
    key_fields = tuple(key_fields)
    old_index = index_rows(old_rows, key_fields, "(old)")
    new_index = index_rows(new_rows, key_fields, "(new)")
    old_cols = _columns(old_rows)
    new_cols = _columns(new_rows)
    if columns is None:
        columns = list(dict.fromkeys([*new_cols, *old_cols]))
    common = [c for c in columns if c in old_cols and c in new_cols]
    changed = []
    for key in sorted(old_index.keys() & new_index.keys(), key=key_sort_key):
        cells = tuple(
            CellChange(c, old_index[key].get(c), new_index[key].get(c))
            for c in common
            if (old_index[key].get(c) or "") != (new_index[key].get(c) or "")
        )
        if cells:
            changed.append(RowChange(key, cells))
    added = [new_index[k] for k in sorted(new_index.keys() - old_index.keys(), key=key_sort_key)]
    removed = [old_index[k] for k in sorted(old_index.keys() - new_index.keys(), key=key_sort_key)]
    both = bool(old_rows) and bool(new_rows)
    return TableDiff(
        key_fields=key_fields,
        added=tuple(added),
        removed=tuple(removed),
        changed=tuple(changed),
        columns_added=tuple(c for c in new_cols if both and c not in old_cols),
        columns_removed=tuple(c for c in old_cols if both and c not in new_cols),
    )


def _columns(rows: Sequence[Row]) -> list[str]:
    return list(dict.fromkeys(c for row in rows for c in row))


def diff_properties(
    old: Mapping[str, Any], new: Mapping[str, Any], where: str, skip: Iterable[str] = ()
) -> tuple[PropertyChange, ...]:
    """List the top-level properties of two mappings that differ, sorted by name."""
    skip = set(skip)
    names = sorted((old.keys() | new.keys()) - skip)
    return tuple(
        PropertyChange(where, n, old.get(n), new.get(n)) for n in names if old.get(n) != new.get(n)
    )


def diff_schemas(old: Mapping[str, Any], new: Mapping[str, Any]) -> SchemaDiff:
    """Compare two Table Schemas: fields added/removed, field and schema properties changed."""
    old_fields = {f["name"]: f for f in old.get("fields", [])}
    new_fields = {f["name"]: f for f in new.get("fields", [])}
    changed = list(diff_properties(old, new, "schema", skip={"fields"}))
    for name in [f["name"] for f in new.get("fields", [])]:
        if name in old_fields:
            changed.extend(diff_properties(old_fields[name], new_fields[name], f"field `{name}`"))
    return SchemaDiff(
        fields_added=tuple(n for n in new_fields if n not in old_fields),
        fields_removed=tuple(n for n in old_fields if n not in new_fields),
        changed=tuple(changed),
    )


def comparison_key(old: Table, new: Table) -> tuple[str, ...]:
    """Pick the key to match rows: the new primary key, else the old, else every shared column."""
    def usable(pk: tuple[str, ...], table: Table) -> bool:
        return not table.rows or all(f in table.header for f in pk)

    for schema in (new.schema, old.schema):
        pk = primary_key(schema)
        if pk and usable(pk, old) and usable(pk, new):
            return pk
    shared = tuple(c for c in new.header if c in old.header)
    return shared or new.header or old.header


def diff_tables(old: Table | None, new: Table | None) -> ResourceDiff:
    """Compare one resource across revisions; either side may be ``None`` (absent)."""
    if old is None and new is None:
        raise ValueError("diff_tables needs at least one table")
    if old is None:
        return ResourceDiff(new.name, "added", rows_new=len(new.rows))
    if new is None:
        return ResourceDiff(old.name, "removed", rows_old=len(old.rows))
    schema = diff_schemas(old.schema, new.schema)
    # An inline schema is compared field by field above; a schema path is compared here too.
    inline = not (isinstance(old.descriptor.get("schema"), str) and isinstance(new.descriptor.get("schema"), str))
    descriptor = diff_properties(old.descriptor, new.descriptor, "resource", skip={"schema"} if inline else ())
    try:
        columns = list(dict.fromkeys([*new.header, *old.header]))
        table = diff_rows(old.rows, new.rows, comparison_key(old, new), columns)
        table = replace(
            table,
            columns_added=tuple(c for c in new.header if c not in old.header),
            columns_removed=tuple(c for c in old.header if c not in new.header),
        )
        error = None
    except DuplicateKeyError as exc:
        table, error = None, str(exc)
    return ResourceDiff(
        new.name, "changed", len(old.rows), len(new.rows), table, schema, descriptor, error
    )


def diff_packages(old: Snapshot | None, new: Snapshot | None) -> PackageDiff:
    """Compare two package snapshots; either may be ``None`` (no datapackage.json there)."""
    old_tables = old.tables if old else {}
    new_tables = new.tables if new else {}
    resources = []
    for name in sorted(old_tables.keys() | new_tables.keys()):
        result = diff_tables(old_tables.get(name), new_tables.get(name))
        if result.status != "changed" or not _resource_unchanged(result):
            resources.append(result)
    metadata = ()
    if old and new:
        metadata = diff_properties(old.descriptor, new.descriptor, "package", skip={"resources", "version"})
    return PackageDiff(
        old_version=old.descriptor.get("version") if old else None,
        new_version=new.descriptor.get("version") if new else None,
        package_missing="old" if old is None else "new" if new is None else None,
        metadata=metadata,
        resources=tuple(resources),
    )


def _resource_unchanged(result: ResourceDiff) -> bool:
    return (
        result.error is None
        and (result.table is None or result.table.is_empty)
        and result.schema.is_empty
        and not result.descriptor
    )


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------


# Make text safe inside a Markdown table cell (pipes, newlines, HTML).
def md_cell(value: Any, empty: str = "*(empty)*") -> str:
    if value is None:
        return "*(absent)*"
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if value == "":
        return empty
    text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _md_table(header: Sequence[str], rows: Iterable[Sequence[Any]], empty: str = "*(empty)*") -> list[str]:
    lines = ["| " + " | ".join(md_cell(h) for h in header) + " |"]
    lines.append("|" + "---|" * len(header))
    lines.extend("| " + " | ".join(md_cell(v, empty) for v in row) + " |" for row in rows)
    return lines


def _capped(items: Sequence[Any], max_rows: int) -> tuple[Sequence[Any], str | None]:
    if len(items) <= max_rows:
        return items, None
    return items[:max_rows], f"... and {len(items) - max_rows} more."


def _format_key(key_fields: Sequence[str], key: Key) -> str:
    return ", ".join(f"{f}={v}" for f, v in zip(key_fields, key))


def render_rows(title: str, rows: Sequence[Row], max_rows: int) -> list[str]:
    """A heading line and a table of whole rows (used for added and removed rows)."""
    if not rows:
        return []
    shown, more = _capped(rows, max_rows)
    header = _columns(rows)
    lines = [f"**{title}: {len(rows)}**", ""]
    # Whole rows: an empty cell stays blank; in the changed-cells table it is spelled out.
    lines += _md_table(header, ([row.get(c) or "" for c in header] for row in shown), empty=" ")
    return lines + ([more] if more else []) + [""]


def render_changes(table: TableDiff, max_rows: int) -> list[str]:
    """A table with one line per changed cell: key, field, old value, new value."""
    if not table.changed:
        return []
    shown, more = _capped(table.changed, max_rows)
    cells = [(_format_key(table.key_fields, c.key), cell.field, cell.old, cell.new) for c in shown for cell in c.cells]
    lines = [f"**Rows changed: {len(table.changed)}**", ""]
    lines += _md_table(["key", "field", "old", "new"], cells)
    return lines + ([more] if more else []) + [""]


def render_properties(title: str, changes: Sequence[PropertyChange]) -> list[str]:
    if not changes:
        return []
    lines = [f"**{title}**", ""]
    lines += _md_table(["where", "property", "old", "new"], ((c.where, c.name, c.old, c.new) for c in changes))
    return lines + [""]


def render_resource(res: ResourceDiff, max_rows: int) -> list[str]:
    """The Markdown section of one resource."""
    if res.status == "added":
        return [f"### `{res.name}`: added ({res.rows_new} rows)", ""]
    if res.status == "removed":
        return [f"### `{res.name}`: removed (had {res.rows_old} rows)", ""]
    lines = [f"### `{res.name}`: {res.rows_old} -> {res.rows_new} rows", ""]
    if res.error:
        lines += [f"Rows not compared: {res.error}. Run `python scripts/validate.py`.", ""]
    if res.table is not None:
        t = res.table
        lines += [f"Rows matched on: {', '.join(f'`{k}`' for k in t.key_fields) or '(no key)'}", ""]
        if t.columns_added:
            lines += ["Columns added: " + ", ".join(f"`{c}`" for c in t.columns_added), ""]
        if t.columns_removed:
            lines += ["Columns removed: " + ", ".join(f"`{c}`" for c in t.columns_removed), ""]
        lines += render_rows("Rows added", t.added, max_rows)
        lines += render_rows("Rows removed", t.removed, max_rows)
        lines += render_changes(t, max_rows)
    s = res.schema
    if s.fields_added:
        lines += ["Schema fields added: " + ", ".join(f"`{f}`" for f in s.fields_added), ""]
    if s.fields_removed:
        lines += ["Schema fields removed: " + ", ".join(f"`{f}`" for f in s.fields_removed), ""]
    lines += render_properties("Schema properties changed", s.changed)
    lines += render_properties("Resource properties changed", res.descriptor)
    return lines


def render_markdown(diff: PackageDiff, base_label: str, head_label: str, max_rows: int = DEFAULT_MAX_ROWS) -> str:
    """The whole summary as Markdown text (ends with a newline)."""
    lines = ["## Data changes", "", f"Compared `{base_label}` -> `{head_label}`.", ""]
    if diff.package_missing == "old":
        lines += [f"`{DESCRIPTOR}` does not exist at `{base_label}`: everything below is new.", ""]
    elif diff.package_missing == "new":
        lines += [f"`{DESCRIPTOR}` does not exist at `{head_label}`: the package was removed.", ""]
    lines += [f"Package version: `{diff.old_version or '-'}` -> `{diff.new_version or '-'}`"]
    if diff.old_version == diff.new_version and diff.package_missing is None:
        lines[-1] += " (unchanged)"
    lines.append("")
    lines += render_properties("Package metadata changed", diff.metadata)
    if not diff.resources:
        lines += ["No resource changed.", ""]
        return "\n".join(lines).rstrip() + "\n"
    counts = {s: sum(r.status == s for r in diff.resources) for s in ("added", "removed", "changed")}
    lines += [f"Resources: {counts['added']} added, {counts['removed']} removed, {counts['changed']} changed.", ""]
    for res in diff.resources:
        lines += render_resource(res, max_rows)
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------------------
# Reading a revision (git I/O)
# ---------------------------------------------------------------------------


class GitError(RuntimeError):
    """A git command failed (unknown revision, not a repository)."""


def repo_root(cwd: Path | None = None) -> Path:
    out = _git(["rev-parse", "--show-toplevel"], cwd)
    return Path(out.strip())


def verify_revision(rev: str, root: Path) -> None:
    """Raise ``GitError`` with a readable message when ``rev`` is not a commit."""
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    except GitError:
        raise GitError(f"unknown git revision {rev!r} (fetch it first, e.g. `git fetch origin`)") from None


def read_text(root: Path, rev: str | None, path: PurePosixPath) -> str | None:
    """The file's text at ``rev`` (``None`` = working tree), or ``None`` when it does not exist."""
    if rev is None:
        file = root / path
        return file.read_text(encoding="utf-8-sig") if file.is_file() else None
    result = subprocess.run(
        ["git", "-C", str(root), "show", f"{rev}:{path}"],
        capture_output=True,
    )
    if result.returncode != 0:
        return None
    return result.stdout.decode("utf-8-sig")


def _git(args: Sequence[str], cwd: Path | None) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise GitError(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result.stdout


def parse_csv(text: str) -> tuple[tuple[str, ...], tuple[dict[str, str], ...]]:
    """Header and rows of a CSV text (values kept as text)."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = tuple(dict(row) for row in reader)
    return tuple(reader.fieldnames or ()), rows


def load_snapshot(root: Path, rev: str | None) -> Snapshot | None:
    """Read the package at ``rev``; ``None`` when it has no datapackage.json."""
    text = read_text(root, rev, DESCRIPTOR)
    if text is None:
        return None
    descriptor = json.loads(text)
    tables = {}
    for res in descriptor.get("resources", []):
        table = _load_table(root, rev, res)
        if table.name in tables:
            raise ValueError(f"{DESCRIPTOR}: resource name {table.name!r} used twice")
        tables[table.name] = table
    meta = {k: v for k, v in descriptor.items() if k != "resources"}
    return Snapshot(meta, tables)


def _load_table(root: Path, rev: str | None, res: Mapping[str, Any]) -> Table:
    schema = res.get("schema") or {}
    if isinstance(schema, str):
        text = read_text(root, rev, PACKAGE_DIR / schema)
        schema = json.loads(text) if text is not None else {}
    header: tuple[str, ...] = ()
    rows: list[dict[str, str]] = []
    paths = res.get("path") or []
    for path in [paths] if isinstance(paths, str) else paths:
        text = read_text(root, rev, PACKAGE_DIR / path)
        if text is not None:
            part_header, part_rows = parse_csv(text)
            header = header or part_header
            rows.extend(part_rows)
    if not paths and isinstance(res.get("data"), list):
        rows = [{k: "" if v is None else str(v) for k, v in row.items()} for row in res["data"]]
        header = tuple(_columns(rows))
    return Table(res.get("name") or str(paths), dict(res), schema, header, tuple(rows))


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", metavar="BASE_REV", help="git revision to compare from")
    parser.add_argument("head", metavar="HEAD_REV", nargs="?", help="git revision to compare to (default: working tree)")
    parser.add_argument("--out", type=Path, help="write the Markdown here instead of standard output")
    parser.add_argument("--max-rows", type=int, default=DEFAULT_MAX_ROWS, help="rows listed per section (default: %(default)s)")
    args = parser.parse_args(argv)

    # Load data
    try:
        root = repo_root()
        for rev in filter(None, (args.base, args.head)):
            verify_revision(rev, root)
        old = load_snapshot(root, args.base)
        new = load_snapshot(root, args.head)
    except (GitError, ValueError) as exc:
        print(f"datadiff: {exc}", file=sys.stderr)
        return 2

    # Process data
    diff = diff_packages(old, new)
    text = render_markdown(diff, args.base, args.head or "working tree", args.max_rows)

    # Save outputs
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
