"""Require a version bump and a changelog entry when the data package changes.

Usage::

    python scripts/check_version_bump.py BASE_REV
    python scripts/check_version_bump.py --tag vX.Y.Z [--notes-out FILE]

First form (pull requests): when any file under ``datapackage/`` other than
``CHANGELOG.md`` differs from ``BASE_REV`` (committed, uncommitted or untracked), the
``version`` in ``datapackage/datapackage.json`` must be a greater semantic version than at
``BASE_REV``, ``datapackage/CHANGELOG.md`` must have a heading ``## [X.Y.Z] - YYYY-MM-DD``
for it, and ``CITATION.cff`` must carry the same version and date. Changes are taken from
the merge base of ``BASE_REV`` and ``HEAD`` (what this branch changed, as GitHub's pull
request diff shows), the version is compared with ``BASE_REV`` itself (what main has now).

The kind of bump must also fit what changed since the merge base (rows matched by each
resource's primary key, as scripts/datadiff.py does): new rows, resources, columns or
allowed values need at least a minor bump; a removed or renamed column or resource, a
changed type, format or key needs a major one; anything else (changed cells, removed rows,
descriptions) at least a patch. Each change that needs more than the bump given is printed
with the bump it needs.

Second form (release workflow): the tag must be ``v`` + the package version, with the same
changelog and CITATION.cff checks; ``--notes-out`` writes that version's changelog entry.

Exit status: 0 fine or nothing to check, 1 a rule is broken (each printed on its own
line), 2 a git or usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Sequence

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))
import datadiff  # noqa: E402
from transparency.release import SWEDISH_BLOCK, split_entry  # noqa: E402

PACKAGE_DIR = PurePosixPath("datapackage")
DESCRIPTOR = PACKAGE_DIR / "datapackage.json"
CHANGELOG = PACKAGE_DIR / "CHANGELOG.md"
CITATION = PurePosixPath("CITATION.cff")
# Data releases use plain X.Y.Z: no pre-release or build suffix, no leading zeros.
SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
# Keep a Changelog release heading, e.g. "## [1.1.0] - 2027-12-01".
HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>\S+)\s*$", re.MULTILINE)


BUMPS = ("patch", "minor", "major")


class GitError(RuntimeError):
    """A git command failed."""


@dataclass(frozen=True)
class Change:
    """One change to the package and the least bump it needs (``patch``/``minor``/``major``)."""

    bump: str
    what: str


# ---------------------------------------------------------------------------
# Pure rules
# ---------------------------------------------------------------------------


def parse_semver(text: object) -> tuple[int, int, int]:
    """``"1.2.3"`` -> ``(1, 2, 3)``; raise ``ValueError`` naming the text otherwise."""
    match = SEMVER.fullmatch(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"version {text!r} is not a semantic version X.Y.Z (e.g. 1.1.0)")
    return tuple(int(part) for part in match.groups())  # type: ignore[return-value]


def changelog_entries(text: str) -> dict[str, str]:
    """Map each release heading's version to its date text, in file order."""
    return {m["version"]: m["date"] for m in HEADING.finditer(text)}


def changelog_section(text: str, version: str) -> str | None:
    """The body under ``## [version] - date`` up to the next ``## `` heading or link list."""
    for match in HEADING.finditer(text):
        if match["version"] == version:
            rest = text[match.end():]
            end = re.search(r"^(## |\[[^\]]+\]: )", rest, re.MULTILINE)
            return (rest[: end.start()] if end else rest).strip() + "\n"
    return None


def is_data_path(path: str) -> bool:
    """True for files under datapackage/ whose change needs a new version (all but the changelog)."""
    pure = PurePosixPath(path)
    return pure.is_relative_to(PACKAGE_DIR) and pure != CHANGELOG


def check_release_notes(version: str, changelog: str | None, citation: str | None) -> list[str]:
    """Problems with the changelog entry and CITATION.cff for ``version`` (empty list: fine)."""
    problems = []
    entries = changelog_entries(changelog or "")
    date = entries.get(version)
    if changelog is None:
        problems.append(f"{CHANGELOG}: file is missing")
    elif date is None:
        problems.append(
            f"{CHANGELOG}: no heading for version {version}; add "
            f"'## [{version}] - YYYY-MM-DD' above the previous entry"
        )
    elif not _is_iso_date(date):
        problems.append(f"{CHANGELOG}: heading for {version} has date {date!r}; write it as YYYY-MM-DD")
    if date is not None:
        english, swedish = split_entry(changelog_section(changelog or "", version) or "")
        if not english or not swedish:
            problems.append(
                f"{CHANGELOG}: the entry for {version} needs its changes in English and then, under "
                f"'{SWEDISH_BLOCK}', in Swedish (the Swedish site shows that part)"
            )
    if citation is not None:
        problems += check_citation(version, date if date and _is_iso_date(date) else None, citation)
    return problems


def check_citation(version: str, date: str | None, citation: str) -> list[str]:
    """CITATION.cff must name the same version and (when known) the changelog's date."""
    try:
        cff = yaml.safe_load(citation) or {}
    except yaml.YAMLError as exc:
        return [f"{CITATION}: not valid YAML ({exc})"]
    problems = []
    if str(cff.get("version")) != version:
        problems.append(f"{CITATION}: version is {cff.get('version')!r}; set it to '{version}'")
    released = cff.get("date-released")
    released = released.isoformat() if isinstance(released, dt.date) else released
    if date and str(released) != date:
        problems.append(f"{CITATION}: date-released is {released!r}; set it to '{date}' (the changelog date)")
    return problems


def check_bump(
    changed_paths: Sequence[str],
    old_version: object,
    new_version: object,
    changelog: str | None,
    citation: str | None,
    changes: Sequence[Change] = (),
) -> list[str]:
    """All problems for a change set (empty list: fine or no data change).

    Parameters
    ----------
    changed_paths
        Repository-relative paths that differ from the base revision.
    old_version, new_version
        ``version`` of datapackage.json at the base and now (``None`` when absent at base).
    changelog, citation
        Current text of CHANGELOG.md and CITATION.cff (``None`` when missing).
    changes
        What changed in the package (`classify_changes`); its bumps are checked against
        the kind of bump from ``old_version`` to ``new_version``.
    """
    data_changes = sorted(p for p in changed_paths if is_data_path(p))
    if not data_changes:
        return []
    try:
        new = parse_semver(new_version)
    except ValueError as exc:
        return [f"{DESCRIPTOR}: {exc}"]
    problems = []
    if old_version is not None:
        try:
            old = parse_semver(old_version)
        except ValueError:
            old = None  # the base had a broken version: any valid new one is an improvement
        if old is not None and new <= old:
            listed = ", ".join(data_changes[:5]) + (" ..." if len(data_changes) > 5 else "")
            problems.append(
                f"{DESCRIPTOR}: data changed ({listed}) but version {new_version} is not greater "
                f"than {old_version} on the base branch; bump it (patch: corrections, minor: new "
                f"rows or years, major: schema changes that break users)"
            )
        elif old is not None:
            problems += check_bump_kind(changes, old, new)
    return problems + check_release_notes(str(new_version), changelog, citation)


def bump_kind(old: tuple[int, int, int], new: tuple[int, int, int]) -> str | None:
    """``major``, ``minor`` or ``patch`` for a step from ``old`` to ``new``; None if not up."""
    if new[0] > old[0]:
        return "major"
    if new[0] == old[0] and new[1] > old[1]:
        return "minor"
    if new[:2] == old[:2] and new[2] > old[2]:
        return "patch"
    return None


def next_version(old: tuple[int, int, int], bump: str) -> str:
    """The smallest version after ``old`` of that kind (1.0.3 + minor = 1.1.0)."""
    major, minor, patch = old
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}[bump]


def check_bump_kind(changes: Sequence[Change], old: tuple[int, int, int], new: tuple[int, int, int]) -> list[str]:
    """One problem per change that needs a larger bump than ``old`` -> ``new`` is."""
    given = bump_kind(old, new)
    if given is None:
        return []
    shown = f"{'.'.join(map(str, old))} -> {'.'.join(map(str, new))}"
    return [
        f"{DESCRIPTOR}: version {shown} is a {given} bump, but {c.what}: that needs a {c.bump} bump "
        f"(version {next_version(old, c.bump)} or higher)"
        for c in changes if BUMPS.index(c.bump) > BUMPS.index(given)
    ]


def classify_changes(diff: Any) -> list[Change]:
    """The changes in a `datadiff.PackageDiff` with the bump each needs, largest first."""
    changes = [Change("patch", f"package property '{c.name}' changed") for c in diff.metadata]
    for res in diff.resources:
        changes += _resource_changes(res)
    return sorted(changes, key=lambda c: -BUMPS.index(c.bump))


def _resource_changes(res: Any) -> list[Change]:
    name = res.name
    if res.status == "added":
        return [Change("minor", f"resource '{name}' was added")]
    if res.status == "removed":
        return [Change("major", f"resource '{name}' was removed or renamed")]
    changes = []
    removed = set(res.schema.fields_removed) | set(res.table.columns_removed if res.table else ())
    added = set(res.schema.fields_added) | set(res.table.columns_added if res.table else ())
    changes += [Change("major", f"column '{c}' of '{name}' was removed or renamed") for c in sorted(removed)]
    changes += [Change("minor", f"column '{c}' was added to '{name}'") for c in sorted(added)]
    for prop in res.schema.changed:
        changes.append(_schema_change(name, prop))
    for prop in res.descriptor:
        bump = "major" if prop.name == "path" else "patch"
        changes.append(Change(bump, f"property '{prop.name}' of resource '{name}' changed"))
    if res.error:
        changes.append(Change("patch", f"rows of '{name}' changed ({res.error})"))
    elif res.table is not None:
        if res.table.added:
            changes.append(Change("minor", f"{len(res.table.added)} row(s) were added to '{name}'"))
        if res.table.removed:
            changes.append(Change("patch", f"{len(res.table.removed)} row(s) were removed from '{name}'"))
        if res.table.changed:
            changes.append(Change("patch", f"{len(res.table.changed)} row(s) of '{name}' have changed cells"))
    return changes


def _schema_change(name: str, prop: Any) -> Change:
    """One changed schema or field property and the bump it needs."""
    if prop.where == "schema":
        # A foreign key added beside the old ones only describes the data: readers lose nothing.
        if prop.name == "foreignKeys" and all(key in (prop.new or []) for key in (prop.old or [])):
            return Change("minor", f"foreign keys were added to '{name}'")
        bump = "major" if prop.name in ("primaryKey", "foreignKeys", "missingValues") else "patch"
        return Change(bump, f"the {prop.name} of '{name}' changed")
    field = "column '" + prop.where.removeprefix("field ").strip("`") + "'"
    if prop.name in ("type", "format"):
        return Change("major", f"the {prop.name} of {field} of '{name}' changed from {prop.old!r} to {prop.new!r}")
    if prop.name == "constraints":
        old_enum = set((prop.old or {}).get("enum", []))
        new_enum = set((prop.new or {}).get("enum", []))
        if new_enum - old_enum:
            listed = ", ".join(repr(v) for v in sorted(new_enum - old_enum, key=str))
            return Change("minor", f"allowed values {listed} were added to {field} of '{name}'")
        return Change("minor", f"the constraints of {field} of '{name}' changed")
    return Change("patch", f"the {prop.name} of {field} of '{name}' changed")


def check_tag(tag: str, version: object, changelog: str | None, citation: str | None) -> list[str]:
    """Release checks: the tag is ``v`` + version and the release notes are in place."""
    if tag != f"v{version}":
        return [f"tag {tag!r} does not match {DESCRIPTOR} version {version!r}; expected tag 'v{version}'"]
    try:
        parse_semver(version)
    except ValueError as exc:
        return [f"{DESCRIPTOR}: {exc}"]
    return check_release_notes(str(version), changelog, citation)


def _is_iso_date(text: str) -> bool:
    try:
        return dt.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


# ---------------------------------------------------------------------------
# Git and files
# ---------------------------------------------------------------------------


def _git(args: Sequence[str], root: Path) -> str:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise GitError(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result.stdout


def repo_root() -> Path:
    try:
        return Path(_git(["rev-parse", "--show-toplevel"], Path.cwd()).strip())
    except GitError as exc:
        raise GitError(f"not inside a git repository ({exc})") from None


def merge_base(root: Path, base: str) -> str:
    """The commit this branch started from (``base`` itself when there is none)."""
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], root)
    except GitError:
        raise GitError(f"unknown git revision {base!r} (in CI the checkout needs fetch-depth: 0)") from None
    try:
        return _git(["merge-base", base, "HEAD"], root).strip()
    except GitError:
        return base  # unrelated histories or a shallow clone: compare with the base itself


def changed_paths(root: Path, base: str) -> list[str]:
    """Paths under datapackage/ that differ between the merge base and the working tree."""
    since = merge_base(root, base)
    tracked = _git(["diff", "--name-only", "--no-renames", since, "--", str(PACKAGE_DIR)], root)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "--", str(PACKAGE_DIR)], root)
    return sorted(set(tracked.split("\n") + untracked.split("\n")) - {""})


def show(root: Path, rev: str, path: PurePosixPath) -> str | None:
    result = subprocess.run(["git", "-C", str(root), "show", f"{rev}:{path}"], capture_output=True)
    return result.stdout.decode("utf-8-sig") if result.returncode == 0 else None


def read(root: Path, path: PurePosixPath) -> str | None:
    file = root / path
    return file.read_text(encoding="utf-8-sig") if file.is_file() else None


def package_changes(root: Path, since: str) -> list[Change]:
    """What changed in the package from ``since`` to the working tree (any data change is
    at least a patch, even in a file that no resource names)."""
    try:
        diff = datadiff.diff_packages(datadiff.load_snapshot(root, since), datadiff.load_snapshot(root, None))
    except (ValueError, datadiff.GitError) as exc:
        return [Change("patch", f"the package could not be compared ({exc})")]
    return classify_changes(diff) or [Change("patch", "files under datapackage/ changed")]


def version_of(descriptor_text: str | None) -> object:
    if descriptor_text is None:
        return None
    return json.loads(descriptor_text).get("version")


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", metavar="BASE_REV", nargs="?", help="git revision to compare with")
    parser.add_argument("--tag", help="release mode: check this tag (vX.Y.Z) against the package version")
    parser.add_argument("--notes-out", type=Path, help="with --tag: write the version's changelog entry here")
    args = parser.parse_args(argv)
    if (args.base is None) == (args.tag is None):
        parser.error("give either BASE_REV or --tag")
    try:
        root = repo_root()
        new_text = read(root, DESCRIPTOR)
        if new_text is None:
            raise GitError(f"{DESCRIPTOR} not found in {root}")
        changelog, citation = read(root, CHANGELOG), read(root, CITATION)
        if args.tag:
            version = version_of(new_text)
            problems = check_tag(args.tag, version, changelog, citation)
        else:
            paths = changed_paths(root, args.base)
            version = version_of(new_text)
            changes = package_changes(root, merge_base(root, args.base)) if any(is_data_path(p) for p in paths) else []
            problems = check_bump(paths, version_of(show(root, args.base, DESCRIPTOR)), version, changelog, citation, changes)
    except (GitError, json.JSONDecodeError) as exc:
        print(f"check_version_bump: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    if args.tag and args.notes_out:
        args.notes_out.write_text(changelog_section(changelog or "", str(version)) or "", encoding="utf-8")
    if args.base and not any(is_data_path(p) for p in paths):
        print(f"No data change under {PACKAGE_DIR}/ since {args.base}: no version bump needed.")
    elif args.base:
        print(f"Data changed and version {version} is bumped with a changelog entry: OK.")
    else:
        print(f"Tag {args.tag} matches version {version}: OK.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
