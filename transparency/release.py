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


# Each changelog entry is written in English, then in Swedish under this heading, with the
# Swedish entry's own headings one level down ("#### Tillagt").
SWEDISH_BLOCK = "### Svenska"
_ENTRY = re.compile(r"^## ", re.MULTILINE)
_LINK_LINE = re.compile(r"^\[[^\]]+\]: ", re.MULTILINE)


def split_entry(entry: str) -> tuple[str, str]:
    """An entry's body (the text under its ``## [X.Y.Z]`` heading) as (English, Swedish);
    the Swedish part is empty when the entry has no ``### Svenska`` block."""
    match = re.search(rf"^{re.escape(SWEDISH_BLOCK)}\s*$", entry, re.MULTILINE)
    if not match:
        return entry.strip(), ""
    return entry[:match.start()].strip(), entry[match.end():].strip()


def changelog_in(changelog: str, lang: str) -> str:
    """The changelog's entries as a reader of ``lang`` sees them: each entry's heading with its
    English or Swedish part (the Swedish part's headings raised to ``###``). The file's
    introduction (before the first entry; the site's page has its own) and the link lines at
    its end are left out.

    Raises
    ------
    ValueError
        When a Swedish reader would see an entry without its Swedish part.
    """
    text = _LINK_LINE.split(changelog, maxsplit=1)[0]
    _preamble, *entries = _ENTRY.split(text)
    parts = []
    for entry in entries:
        heading, _, body = entry.partition("\n")
        english, swedish = split_entry(body)
        if lang != "en" and not swedish:
            raise ValueError(f"{CHANGELOG}: the entry '## {heading.strip()}' has no Swedish part "
                             f"('{SWEDISH_BLOCK}' with the same changes in Swedish)")
        chosen = english if lang == "en" else re.sub(r"^####", "###", swedish, flags=re.MULTILINE)
        parts.append(f"## {heading.strip()}\n\n{chosen}")
    return "\n\n".join(p for p in parts if p) + "\n"
