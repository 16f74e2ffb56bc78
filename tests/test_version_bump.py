"""scripts/check_version_bump.py on throwaway git repositories, and the release metadata
of this repository itself (datapackage.json, CHANGELOG.md and CITATION.cff agree)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


import check_version_bump as vb  # noqa: E402  scripts/ is on pytest's pythonpath

CHANGELOG_1_0 = ("# Changelog\n\n## [1.0.0] - 2026-11-29\n\nFirst release.\n\n### Svenska\n\nFörsta versionen.\n\n"
                 "[1.0.0]: ../../../releases/tag/v1.0.0\n")
CHANGELOG_1_1 = (
    "# Changelog\n\n## [1.1.0] - 2027-12-01\n\n### Added\n\n- NCMEC figures for 2023.\n\n"
    "### Svenska\n\n#### Tillagt\n\n- NCMEC:s siffror för 2023.\n\n"
    "## [1.0.0] - 2026-11-29\n\nFirst release.\n\n### Svenska\n\nFörsta versionen.\n\n"
    "[1.1.0]: ../../../releases/tag/v1.1.0\n[1.0.0]: ../../../releases/tag/v1.0.0\n"
)


def _citation(version: str, date: str) -> str:
    return f"cff-version: 1.2.0\ntype: dataset\ntitle: t\nversion: {version}\ndate-released: {date}\n"


# --- Pure rules ------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [("1.0.0", (1, 0, 0)), ("10.2.33", (10, 2, 33))])
def test_parse_semver(text, expected):
    assert vb.parse_semver(text) == expected


@pytest.mark.parametrize("text", ["1.0", "v1.0.0", "1.0.0-rc.1", "01.0.0", "", None, 1])
def test_parse_semver_rejects(text):
    with pytest.raises(ValueError, match="not a semantic version"):
        vb.parse_semver(text)


def test_semver_compares_numerically_not_as_text():
    assert vb.parse_semver("1.10.0") > vb.parse_semver("1.9.0")


def test_changelog_entries_and_section():
    assert vb.changelog_entries(CHANGELOG_1_1) == {"1.1.0": "2027-12-01", "1.0.0": "2026-11-29"}
    assert vb.changelog_section(CHANGELOG_1_1, "1.1.0") == ("### Added\n\n- NCMEC figures for 2023.\n\n"
                                                         "### Svenska\n\n#### Tillagt\n\n- NCMEC:s siffror för 2023.\n")
    assert vb.changelog_section(CHANGELOG_1_1, "1.0.0") == "First release.\n\n### Svenska\n\nFörsta versionen.\n"
    assert vb.changelog_section(CHANGELOG_1_1, "2.0.0") is None


@pytest.mark.parametrize("path, expected", [
    ("datapackage/data/x.csv", True),
    ("datapackage/schemas/x.schema.json", True),
    ("datapackage/datapackage.json", True),
    ("datapackage/CHANGELOG.md", False),
    ("docs/index.md", False),
])
def test_is_data_path(path, expected):
    assert vb.is_data_path(path) is expected


def test_check_bump_rules():
    data = ["datapackage/data/x.csv"]
    cff = _citation("1.1.0", "2027-12-01")
    assert vb.check_bump(["docs/a.md", "datapackage/CHANGELOG.md"], "1.0.0", "1.0.0", None, None) == []
    assert vb.check_bump(data, "1.0.0", "1.1.0", CHANGELOG_1_1, cff) == []
    [problem] = vb.check_bump(data, "1.0.0", "1.0.0", CHANGELOG_1_0, _citation("1.0.0", "2026-11-29"))
    assert "not greater than 1.0.0" in problem and "datapackage/data/x.csv" in problem
    [problem] = vb.check_bump(data, "1.0.0", "1.1.0", CHANGELOG_1_0, cff)
    assert "no heading for version 1.1.0" in problem and "## [1.1.0] - YYYY-MM-DD" in problem
    problems = vb.check_bump(data, "1.0.0", "1.1.0", CHANGELOG_1_1, _citation("1.0.0", "2026-11-29"))
    assert [p.split(":")[0] for p in problems] == ["CITATION.cff", "CITATION.cff"]
    assert "set it to '1.1.0'" in problems[0] and "set it to '2027-12-01'" in problems[1]
    [problem] = vb.check_bump(data, "1.0.0", "1.1", CHANGELOG_1_1, cff)
    assert "not a semantic version" in problem


def test_check_bump_rejects_a_lower_version_and_a_bad_date():
    data = ["datapackage/datapackage.json"]
    [problem] = vb.check_bump(data, "1.2.0", "1.1.0", CHANGELOG_1_1, None)
    assert "1.1.0 is not greater than 1.2.0" in problem
    bad_date = CHANGELOG_1_1.replace("2027-12-01", "2027-13-01")
    [problem] = vb.check_bump(data, "1.0.0", "1.1.0", bad_date, None)
    assert "write it as YYYY-MM-DD" in problem


def test_an_entry_without_its_swedish_part_is_a_problem():
    data = ["datapackage/data/x.csv"]
    cff = _citation("1.1.0", "2027-12-01")
    english_only = CHANGELOG_1_1.replace("### Svenska\n\n#### Tillagt\n\n- NCMEC:s siffror för 2023.\n\n", "")
    [problem] = vb.check_bump(data, "1.0.0", "1.1.0", english_only, cff)
    assert problem.startswith("datapackage/CHANGELOG.md: the entry for 1.1.0") and "'### Svenska'" in problem
    swedish_only = CHANGELOG_1_1.replace("### Added\n\n- NCMEC figures for 2023.\n\n", "")
    [problem] = vb.check_bump(data, "1.0.0", "1.1.0", swedish_only, cff)
    assert "the entry for 1.1.0 needs its changes in English" in problem


def test_check_tag():
    cff = _citation("1.1.0", "2027-12-01")
    assert vb.check_tag("v1.1.0", "1.1.0", CHANGELOG_1_1, cff) == []
    [problem] = vb.check_tag("v1.2.0", "1.1.0", CHANGELOG_1_1, cff)
    assert "expected tag 'v1.1.0'" in problem
    [problem] = vb.check_tag("v1.1.0", "1.1.0", CHANGELOG_1_0, cff)
    assert "no heading for version 1.1.0" in problem


# --- Command line on a temporary git repository -------------------------------------------


def _git(repo: Path, *args: str) -> str:
    cmd = ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org",
           "-c", "commit.gpgsign=false", *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def _write(repo: Path, version: str, rows: str, changelog: str, citation_date: str = "2026-11-29") -> None:
    pkg = repo / "datapackage"
    (pkg / "data").mkdir(parents=True, exist_ok=True)
    (pkg / "datapackage.json").write_text(json.dumps({"name": "p", "version": version}))
    (pkg / "data" / "x.csv").write_text(rows, encoding="utf-8")
    (pkg / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    (repo / "CITATION.cff").write_text(_citation(version, citation_date), encoding="utf-8")


@pytest.fixture()
def repo(tmp_path, monkeypatch):
    _git(tmp_path, "init", "-q")
    _write(tmp_path, "1.0.0", "a,b\n1,2\n", CHANGELOG_1_0)
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "release 1.0.0")
    _git(tmp_path, "tag", "base")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _commit(repo: Path, message: str = "change") -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)


def test_cli_passes_when_no_data_changed(repo, capsys):
    (repo / "README.md").write_text("docs only\n")
    (repo / "datapackage" / "CHANGELOG.md").write_text(CHANGELOG_1_0 + "\nTypo fixed.\n")
    _commit(repo)
    assert vb.main(["base"]) == 0
    assert "no version bump needed" in capsys.readouterr().out


def test_cli_fails_when_data_changed_without_a_bump(repo, capsys):
    _write(repo, "1.0.0", "a,b\n1,3\n", CHANGELOG_1_0)
    _commit(repo)
    assert vb.main(["base"]) == 1
    err = capsys.readouterr().err
    assert "datapackage/datapackage.json: data changed (datapackage/data/x.csv)" in err
    assert "version 1.0.0 is not greater than 1.0.0" in err


def test_cli_fails_when_the_bump_has_no_changelog_entry(repo, capsys):
    _write(repo, "1.1.0", "a,b\n1,2\n3,4\n", CHANGELOG_1_0, citation_date="2027-12-01")
    _commit(repo)
    assert vb.main(["base"]) == 1
    assert "datapackage/CHANGELOG.md: no heading for version 1.1.0" in capsys.readouterr().err


def test_cli_passes_with_bump_changelog_and_citation(repo, capsys):
    _write(repo, "1.1.0", "a,b\n1,2\n3,4\n", CHANGELOG_1_1, citation_date="2027-12-01")
    _commit(repo)
    assert vb.main(["base"]) == 0
    assert "version 1.1.0 is bumped" in capsys.readouterr().out


def test_cli_sees_uncommitted_and_untracked_data_files(repo):
    (repo / "datapackage" / "data" / "new.csv").write_text("a\n1\n")
    assert vb.main(["base"]) == 1


def test_cli_compares_from_the_merge_base(repo):
    # main moves on with an unrelated data fix and a bump; the branch changes nothing in data.
    _git(repo, "checkout", "-q", "-b", "branch")
    (repo / "notes.txt").write_text("branch work\n")
    _commit(repo)
    _git(repo, "checkout", "-q", "-")
    _write(repo, "1.0.1", "a,b\n1,9\n", CHANGELOG_1_0.replace("1.0.0", "1.0.1"))
    _commit(repo)
    _git(repo, "tag", "main-now")
    _git(repo, "checkout", "-q", "branch")
    assert vb.main(["main-now"]) == 0


def test_cli_reports_an_unknown_base(repo, capsys):
    assert vb.main(["origin/nope"]) == 2
    assert "unknown git revision 'origin/nope'" in capsys.readouterr().err


def test_cli_tag_mode_writes_the_release_notes(repo, tmp_path):
    _write(repo, "1.1.0", "a,b\n1,2\n3,4\n", CHANGELOG_1_1, citation_date="2027-12-01")
    notes = tmp_path / "notes.md"
    assert vb.main(["--tag", "v1.1.0", "--notes-out", str(notes)]) == 0
    # The release notes carry the entry in both languages.
    assert notes.read_text(encoding="utf-8") == ("### Added\n\n- NCMEC figures for 2023.\n\n"
                                                 "### Svenska\n\n#### Tillagt\n\n- NCMEC:s siffror för 2023.\n")
    assert vb.main(["--tag", "v1.0.0"]) == 1


def test_cli_runs_as_a_script(repo):
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_version_bump.py"), "base"],
                            cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- This repository's release metadata ---------------------------------------------------


# YAML 1.1 turns 2026-11-29 into a date; the CFF schema wants the text, as cffconvert reads it.
class _TextDatesLoader(yaml.SafeLoader):
    pass


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _repo_citation() -> dict:
    return yaml.load((ROOT / "CITATION.cff").read_text(encoding="utf-8"), Loader=_TextDatesLoader)


def test_repository_version_changelog_and_citation_agree():
    version = json.loads((ROOT / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))["version"]
    changelog = (ROOT / "datapackage" / "CHANGELOG.md").read_text(encoding="utf-8")
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert vb.check_release_notes(version, changelog, citation) == []
    assert f"[{version}]: ../../../releases/tag/v{version}" in changelog, "link reference for the release tag"


def test_citation_cff_has_the_required_content():
    cff = _repo_citation()
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["license"] == "CC-BY-4.0"
    report, population = cff["references"]
    assert report["type"] == "report" and report["date-published"] == "2023-12-19"
    assert report["url"] == "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:52023DC0797"
    assert "demo_pjan" in population["title"]


def test_citation_cff_is_valid_against_the_cff_schema():
    """Validate CITATION.cff against the Citation File Format 1.2.0 schema (CC-BY-4.0),
    vendored in tests/data from cffconvert 2.0.0, whose jsonschema<4 pin rules it out of
    requirements.txt."""
    import jsonschema

    schema = json.loads((ROOT / "tests" / "data" / "citation-cff-1.2.0.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(_repo_citation(), schema, format_checker=jsonschema.FormatChecker())


# --- The kind of bump against what changed ------------------------------------------------

SCHEMA = {"fields": [{"name": "code", "type": "string", "constraints": {"enum": ["a", "b"]}},
                     {"name": "year", "type": "integer"}, {"name": "count", "type": "integer"}],
          "primaryKey": ["code", "year"]}


def _changelog(version: str, date: str) -> str:
    return f"# Changelog\n\n## [{version}] - {date}\n\n- Change.\n\n### Svenska\n\n- Ändring.\n\n" + CHANGELOG_1_0.split("\n\n", 1)[1]


def _write_package(repo: Path, version: str, rows: str, schema: dict = SCHEMA, extra: dict | None = None) -> None:
    """A package with one resource `counts` (schema file, primary key) and its release files."""
    pkg = repo / "datapackage"
    (pkg / "data").mkdir(parents=True, exist_ok=True)
    (pkg / "schemas").mkdir(exist_ok=True)
    resources = [{"name": "counts", "path": "data/counts.csv", "schema": "schemas/counts.schema.json"}]
    for name, text in (extra or {}).items():
        (pkg / "data" / f"{name}.csv").write_text(text, encoding="utf-8")
        resources.append({"name": name, "path": f"data/{name}.csv", "schema": {"fields": []}})
    (pkg / "datapackage.json").write_text(json.dumps({"name": "p", "version": version, "resources": resources}))
    (pkg / "schemas" / "counts.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (pkg / "data" / "counts.csv").write_text(rows, encoding="utf-8")
    date = "2026-11-29" if version == "1.0.0" else "2027-12-01"
    (pkg / "CHANGELOG.md").write_text(CHANGELOG_1_0 if version == "1.0.0" else _changelog(version, date), encoding="utf-8")
    (repo / "CITATION.cff").write_text(_citation(version, date), encoding="utf-8")


ROWS = "code,year,count\na,2021,5\nb,2021,7\n"


@pytest.fixture()
def pkg_repo(tmp_path, monkeypatch):
    _git(tmp_path, "init", "-q")
    _write_package(tmp_path, "1.0.0", ROWS)
    _commit(tmp_path, "release 1.0.0")
    _git(tmp_path, "tag", "base")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _errors(capsys) -> list[str]:
    return capsys.readouterr().err.splitlines()


def test_patch_bump_with_new_rows_fails(pkg_repo, capsys):
    _write_package(pkg_repo, "1.0.1", ROWS + "a,2022,6\nb,2022,8\n")
    assert vb.main(["base"]) == 1
    assert _errors(capsys) == ["datapackage/datapackage.json: version 1.0.0 -> 1.0.1 is a patch bump, but 2 row(s) were "
                               "added to 'counts': that needs a minor bump (version 1.1.0 or higher)"]


def test_minor_bump_with_new_rows_passes(pkg_repo, capsys):
    _write_package(pkg_repo, "1.1.0", ROWS + "a,2022,6\n")
    assert vb.main(["base"]) == 0, capsys.readouterr().err


def test_patch_bump_for_a_corrected_cell_passes(pkg_repo, capsys):
    _write_package(pkg_repo, "1.0.1", ROWS.replace("a,2021,5", "a,2021,4"))
    assert vb.main(["base"]) == 0, capsys.readouterr().err


def test_removed_column_under_a_minor_bump_fails(pkg_repo, capsys):
    schema = {**SCHEMA, "fields": SCHEMA["fields"][:2]}
    _write_package(pkg_repo, "1.1.0", "code,year\na,2021\nb,2021\n", schema)
    assert vb.main(["base"]) == 1
    assert _errors(capsys) == ["datapackage/datapackage.json: version 1.0.0 -> 1.1.0 is a minor bump, but column 'count' "
                               "of 'counts' was removed or renamed: that needs a major bump (version 2.0.0 or higher)"]


def test_renamed_column_needs_major_and_says_both_changes(pkg_repo, capsys):
    fields = SCHEMA["fields"][:2] + [{"name": "reports", "type": "integer"}]
    _write_package(pkg_repo, "1.0.1", ROWS.replace("count", "reports"), {**SCHEMA, "fields": fields})
    assert vb.main(["base"]) == 1
    assert _errors(capsys) == [
        "datapackage/datapackage.json: version 1.0.0 -> 1.0.1 is a patch bump, but column 'count' of 'counts' was "
        "removed or renamed: that needs a major bump (version 2.0.0 or higher)",
        "datapackage/datapackage.json: version 1.0.0 -> 1.0.1 is a patch bump, but column 'reports' was added to "
        "'counts': that needs a minor bump (version 1.1.0 or higher)",
    ]


def test_changed_type_and_key_need_major(pkg_repo, capsys):
    fields = [dict(f) for f in SCHEMA["fields"]]
    fields[2]["type"] = "number"
    _write_package(pkg_repo, "1.1.0", ROWS, {"fields": fields, "primaryKey": ["code"]})
    assert vb.main(["base"]) == 1
    assert _errors(capsys) == [
        "datapackage/datapackage.json: version 1.0.0 -> 1.1.0 is a minor bump, but the primaryKey of 'counts' "
        "changed: that needs a major bump (version 2.0.0 or higher)",
        "datapackage/datapackage.json: version 1.0.0 -> 1.1.0 is a minor bump, but the type of column 'count' of "
        "'counts' changed from 'integer' to 'number': that needs a major bump (version 2.0.0 or higher)",
    ]


def test_new_allowed_value_and_new_resource_need_minor(pkg_repo, capsys):
    fields = [dict(f) for f in SCHEMA["fields"]]
    fields[0]["constraints"] = {"enum": ["a", "b", "c"]}
    _write_package(pkg_repo, "1.0.1", ROWS, {**SCHEMA, "fields": fields}, extra={"notes": "text\nx\n"})
    assert vb.main(["base"]) == 1
    assert _errors(capsys) == [
        "datapackage/datapackage.json: version 1.0.0 -> 1.0.1 is a patch bump, but allowed values 'c' were added to "
        "column 'code' of 'counts': that needs a minor bump (version 1.1.0 or higher)",
        "datapackage/datapackage.json: version 1.0.0 -> 1.0.1 is a patch bump, but resource 'notes' was added: "
        "that needs a minor bump (version 1.1.0 or higher)",
    ]


FK = {"fields": ["code"], "reference": {"resource": "codes", "fields": ["code"]}}


def test_added_foreign_key_needs_minor_and_a_changed_one_major(pkg_repo, capsys):
    _write_package(pkg_repo, "1.0.1", ROWS, {**SCHEMA, "foreignKeys": [FK]})
    assert vb.main(["base"]) == 1
    assert _errors(capsys) == [
        "datapackage/datapackage.json: version 1.0.0 -> 1.0.1 is a patch bump, but foreign keys were added to "
        "'counts': that needs a minor bump (version 1.1.0 or higher)"]
    _write_package(pkg_repo, "1.1.0", ROWS, {**SCHEMA, "foreignKeys": [FK]})
    assert vb.main(["base"]) == 0, capsys.readouterr().err
    _commit(pkg_repo, "release 1.1.0")
    _git(pkg_repo, "tag", "-f", "base")
    moved = {**FK, "reference": {"resource": "other", "fields": ["code"]}}
    _write_package(pkg_repo, "1.2.0", ROWS, {**SCHEMA, "foreignKeys": [moved]})
    assert vb.main(["base"]) == 1
    assert "the foreignKeys of 'counts' changed: that needs a major bump" in capsys.readouterr().err


def test_major_bump_covers_everything(pkg_repo, capsys):
    schema = {**SCHEMA, "fields": SCHEMA["fields"][:2]}
    _write_package(pkg_repo, "2.0.0", "code,year\na,2021\nb,2021\na,2022\n", schema)
    assert vb.main(["base"]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("old, new, kind", [((1, 0, 0), (1, 0, 1), "patch"), ((1, 0, 3), (1, 1, 0), "minor"),
                                            ((1, 2, 3), (2, 0, 0), "major"), ((1, 1, 0), (1, 0, 9), None)])
def test_bump_kind(old, new, kind):
    assert vb.bump_kind(old, new) == kind
