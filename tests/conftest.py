"""Shared pytest fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# A throwaway copy of the real datapackage/ to break on purpose (tests/test_validate.py).
@pytest.fixture
def validate_package_copy(tmp_path: Path) -> Path:
    target = tmp_path / "datapackage"
    shutil.copytree(ROOT / "datapackage", target)
    return target

# The whole bilingual site, built once per test session from the working tree.
@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    from sitebuild import build

    site = tmp_path_factory.mktemp("site")
    result = build(ROOT, site)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-4000:]}"
    return site
