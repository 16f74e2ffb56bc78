"""Where the tests find the Swedish text of COM(2023) 797: the workplace keeps it in
``shared/source/`` beside the repository (``REPORT_TEXT`` names another copy)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NAME = "com-2023-797-sv.txt"
CANDIDATES = [Path(os.environ["REPORT_TEXT"])] if os.environ.get("REPORT_TEXT") else []
CANDIDATES += [ROOT.parent / "shared" / "source" / NAME, Path("/work/shared/source") / NAME]


def report_text() -> str:
    """The report's text; fails the test (never skips it) when no copy is found."""
    for path in CANDIDATES:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.fail(f"the report's text is needed at one of {[str(p) for p in CANDIDATES]} (or set REPORT_TEXT)")
