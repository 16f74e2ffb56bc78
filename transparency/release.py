"""The data release a build shows: its version (datapackage.json) and release date (the
changelog heading of that version, ``## [X.Y.Z] - YYYY-MM-DD``), not the package's
``created`` timestamp, which says when the package was first made."""

from __future__ import annotations

import re
from pathlib import Path

# Keep a Changelog release heading, as scripts/check_version_bump.py reads it.
HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>\d{4}-\d{2}-\d{2})\s*$", re.MULTILINE)
CHANGELOG = "CHANGELOG.md"


def release_date(changelog: str, version: str) -> str:
    """The date of the heading for ``version`` in the changelog text.

    Raises
    ------
    ValueError
        When the changelog has no dated heading for that version.
    """
    for match in HEADING.finditer(changelog):
        if match["version"] == version:
            return match["date"]
    raise ValueError(f"{CHANGELOG} has no heading '## [{version}] - YYYY-MM-DD' for the package version {version}")


def package_release_date(descriptor_path: Path, version: str) -> str:
    """`release_date` from the CHANGELOG.md beside ``datapackage.json``."""
    changelog = Path(descriptor_path).parent / CHANGELOG
    return release_date(changelog.read_text(encoding="utf-8"), version)
