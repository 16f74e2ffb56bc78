"""scripts/datadiff.py: row, schema and package comparison on tiny hand-made tables,
then once end to end on a throwaway git repository."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file executes
    spec.loader.exec_module(module)
    return module


dd = _load_script("datadiff")

OLD = [
    {"country_code": "AT", "year": "2021", "reports__count": "10", "flag": "reported"},
    {"country_code": "BE", "year": "2021", "reports__count": "", "flag": "not_reported"},
    {"country_code": "CY", "year": "2021", "reports__count": "5", "flag": "reported"},
]
NEW = [
    {"country_code": "AT", "year": "2021", "reports__count": "10", "flag": "reported"},
    {"country_code": "BE", "year": "2021", "reports__count": "7", "flag": "reported"},
    {"country_code": "AT", "year": "2022", "reports__count": "12", "flag": "approximate"},
]
KEY = ("country_code", "year")


def _table(name, rows, pk=KEY, fields=None, **descriptor):
    header = tuple(rows[0]) if rows else ()
    fields = fields if fields is not None else [{"name": c, "type": "string"} for c in header]
    schema = {"fields": fields, "primaryKey": list(pk)}
    return dd.Table(name, {"name": name, **descriptor}, schema, header, tuple(rows))


def test_diff_rows_finds_added_removed_and_changed_cells():
    diff = dd.diff_rows(OLD, NEW, KEY)
    assert [r["country_code"] + r["year"] for r in diff.added] == ["AT2022"]
    assert [r["country_code"] for r in diff.removed] == ["CY"]
    assert diff.changed == (
        dd.RowChange(("BE", "2021"), (
            dd.CellChange("reports__count", "", "7"),
            dd.CellChange("flag", "not_reported", "reported"),
        )),
    )


def test_diff_rows_of_identical_tables_is_empty_whatever_the_row_order():
    assert dd.diff_rows(OLD, list(reversed(OLD)), KEY).is_empty


def test_diff_rows_orders_keys_numerically_and_cells_by_column():
    old = [{"id": "10", "a": "x", "b": "y"}]
    new = [{"id": str(i), "a": "x", "b": "y"} for i in (10, 9, 100, 2)]
    new[0] = {"id": "10", "a": "X", "b": "Y"}
    diff = dd.diff_rows(old, new, ["id"], columns=["b", "a", "id"])
    assert [r["id"] for r in diff.added] == ["2", "9", "100"]
    assert [c.field for c in diff.changed[0].cells] == ["b", "a"]


def test_diff_rows_treats_missing_and_empty_alike_and_reports_new_columns():
    old = [{"id": "1", "note": ""}]
    new = [{"id": "1", "note": "", "extra": "z"}]
    diff = dd.diff_rows(old, new, ["id"])
    assert diff.changed == () and diff.columns_added == ("extra",)


def test_diff_rows_rejects_duplicate_keys():
    with pytest.raises(dd.DuplicateKeyError, match="AT"):
        dd.diff_rows(OLD, NEW + [NEW[0]], KEY)


def test_diff_schemas_lists_field_changes():
    old = {"fields": [{"name": "a", "type": "integer"}, {"name": "gone", "type": "string"}], "primaryKey": ["a"]}
    new = {"fields": [{"name": "a", "type": "number", "unit": "reports"}, {"name": "b", "type": "string"}],
           "primaryKey": ["a", "b"]}
    diff = dd.diff_schemas(old, new)
    assert diff.fields_added == ("b",) and diff.fields_removed == ("gone",)
    assert [(c.where, c.name, c.old, c.new) for c in diff.changed] == [
        ("schema", "primaryKey", ["a"], ["a", "b"]),
        ("field `a`", "type", "integer", "number"),
        ("field `a`", "unit", None, "reports"),
    ]


def test_diff_tables_handles_a_resource_absent_on_one_side():
    table = _table("t", OLD)
    assert dd.diff_tables(None, table) == dd.ResourceDiff("t", "added", rows_new=3)
    assert dd.diff_tables(table, None) == dd.ResourceDiff("t", "removed", rows_old=3)


def test_diff_tables_falls_back_to_the_old_key_when_the_new_one_is_not_in_the_old_file():
    old = _table("t", [{"id": "1", "v": "a"}], pk=("id",))
    new = _table("t", [{"id": "1", "code": "x", "v": "b"}], pk=("code",))
    result = dd.diff_tables(old, new)
    assert result.table.key_fields == ("id",)
    assert result.table.columns_added == ("code",)
    assert [c.field for c in result.table.changed[0].cells] == ["v"]


def test_diff_tables_reports_duplicate_keys_instead_of_failing():
    old = _table("t", OLD)
    new = _table("t", NEW + [NEW[0]])
    result = dd.diff_tables(old, new)
    assert result.table is None and "duplicate primary key" in result.error


def test_diff_packages_orders_resources_by_name_and_skips_unchanged_ones():
    old = dd.Snapshot({"version": "1.0.0", "title": "T"}, {
        "b": _table("b", OLD), "same": _table("same", OLD), "gone": _table("gone", OLD)})
    new = dd.Snapshot({"version": "1.1.0", "title": "T2"}, {
        "b": _table("b", NEW), "same": _table("same", OLD), "a_new": _table("a_new", NEW)})
    diff = dd.diff_packages(old, new)
    assert (diff.old_version, diff.new_version) == ("1.0.0", "1.1.0")
    assert [(r.name, r.status) for r in diff.resources] == [("a_new", "added"), ("b", "changed"), ("gone", "removed")]
    assert [(c.name, c.old, c.new) for c in diff.metadata] == [("title", "T", "T2")]


def test_diff_packages_when_the_base_has_no_package():
    new = dd.Snapshot({"version": "1.0.0"}, {"t": _table("t", NEW)})
    diff = dd.diff_packages(None, new)
    assert diff.package_missing == "old" and [r.status for r in diff.resources] == ["added"]


def test_render_markdown_shows_versions_rows_and_old_and_new_values():
    old = dd.Snapshot({"version": "1.0.0"}, {"t": _table("t", OLD), "gone": _table("gone", OLD)})
    new = dd.Snapshot({"version": "1.1.0"}, {"t": _table("t", NEW)})
    text = dd.render_markdown(dd.diff_packages(old, new), "main", "HEAD")
    assert "Package version: `1.0.0` -> `1.1.0`" in text
    assert "### `gone`: removed (had 3 rows)" in text
    assert "### `t`: 3 -> 3 rows" in text
    assert "| country_code=BE, year=2021 | reports__count | *(empty)* | 7 |" in text
    assert "| country_code=BE, year=2021 | flag | not_reported | reported |" in text
    assert "| AT | 2022 | 12 | approximate |" in text  # the added row, in full
    assert "**Rows removed: 1**" in text
    # Same input, same bytes.
    assert text == dd.render_markdown(dd.diff_packages(old, new), "main", "HEAD")


def test_render_markdown_caps_long_lists_and_escapes_cells():
    rows = [{"id": str(i), "note": "a|b\nc <i>"} for i in range(5)]
    diff = dd.diff_packages(
        dd.Snapshot({"version": "1"}, {"t": _table("t", [], pk=("id",), fields=[{"name": "id"}])}),
        dd.Snapshot({"version": "1"}, {"t": _table("t", rows, pk=("id",))}),
    )
    text = dd.render_markdown(diff, "a", "b", max_rows=2)
    assert "**Rows added: 5**" in text and "... and 3 more." in text
    assert "a\\|b c &lt;i&gt;" in text
    assert "(unchanged)" in text
    assert "Schema fields added: `note`" in text


def test_render_markdown_without_changes():
    snap = dd.Snapshot({"version": "1.0.0"}, {"t": _table("t", OLD)})
    assert "No resource changed." in dd.render_markdown(dd.diff_packages(snap, snap), "a", "b")


def test_parse_csv_keeps_text_and_quoted_newlines():
    header, rows = dd.parse_csv('a,b\n1,"x\ny"\n2,\n')
    assert header == ("a", "b") and rows == ({"a": "1", "b": "x\ny"}, {"a": "2", "b": ""})


# --- End to end on a temporary git repository --------------------------------------------


def _git(repo: Path, *args: str) -> str:
    cmd = ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org",
           "-c", "commit.gpgsign=false", *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def _write_package(repo: Path, version: str, rows: str, extra_resource: bool = False) -> None:
    pkg = repo / "datapackage"
    (pkg / "data").mkdir(parents=True, exist_ok=True)
    (pkg / "schemas").mkdir(exist_ok=True)
    resources = [{"name": "counts", "path": "data/counts.csv", "schema": "schemas/counts.schema.json"}]
    if extra_resource:
        resources.append({"name": "extra", "path": "data/extra.csv", "schema": "schemas/counts.schema.json"})
        (pkg / "data" / "extra.csv").write_text("country_code,year,n\nSE,2022,1\n", encoding="utf-8")
    (pkg / "datapackage.json").write_text(json.dumps({"name": "p", "version": version, "resources": resources}))
    schema = {"fields": [{"name": "country_code", "type": "string"}, {"name": "year", "type": "year"},
                         {"name": "n", "type": "integer"}], "primaryKey": ["country_code", "year"]}
    (pkg / "schemas" / "counts.schema.json").write_text(json.dumps(schema))
    (pkg / "data" / "counts.csv").write_text(rows, encoding="utf-8")


@pytest.fixture()
def repo(tmp_path, monkeypatch):
    _git(tmp_path, "init", "-q")
    _write_package(tmp_path, "1.0.0", "country_code,year,n\nAT,2021,1\nBE,2021,2\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "first")
    _write_package(tmp_path, "1.1.0", "country_code,year,n\nAT,2021,1\nBE,2021,3\nBE,2022,4\n", extra_resource=True)
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "second")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_main_compares_two_revisions_and_writes_the_file(repo):
    out = repo / "diff.md"
    assert dd.main(["HEAD~1", "HEAD", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Compared `HEAD~1` -> `HEAD`." in text
    assert "Package version: `1.0.0` -> `1.1.0`" in text
    assert "### `extra`: added (1 rows)" in text
    assert "| country_code=BE, year=2021 | n | 2 | 3 |" in text
    assert "| BE | 2022 | 4 |" in text


def test_main_defaults_to_the_working_tree(repo, capsys):
    (repo / "datapackage" / "data" / "counts.csv").write_text("country_code,year,n\nAT,2021,9\n", encoding="utf-8")
    assert dd.main(["HEAD"]) == 0
    text = capsys.readouterr().out
    assert "Compared `HEAD` -> `working tree`." in text
    assert "| country_code=AT, year=2021 | n | 1 | 9 |" in text
    assert "**Rows removed: 2**" in text


def test_main_when_the_base_revision_has_no_package(repo):
    _git(repo, "checkout", "-q", "--orphan", "empty")
    _git(repo, "rm", "-rq", "--cached", ".")
    _git(repo, "commit", "-q", "--allow-empty", "-m", "empty")
    out = repo / "diff.md"
    assert dd.main(["empty", "HEAD~0", "--out", str(out)]) == 0
    assert "does not exist at `empty`" in out.read_text(encoding="utf-8")


def test_main_names_an_unknown_revision(repo, capsys):
    assert dd.main(["no-such-branch"]) == 2
    assert "unknown git revision 'no-such-branch'" in capsys.readouterr().err


def test_command_line_runs_as_a_script(repo):
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "datadiff.py"), "HEAD~1", "HEAD"],
                            cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("## Data changes")
