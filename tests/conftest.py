"""Shared pytest fixtures."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]

# A throwaway copy of the real datapackage/ to break on purpose (tests/test_validate.py).
@pytest.fixture
def validate_package_copy(tmp_path: Path) -> Path:
    target = tmp_path / "datapackage"
    shutil.copytree(ROOT / "datapackage", target)
    return target


# A folder every pytest-xdist worker of this run shares (the run's own base temp without
# xdist): what one worker computes there under a lock, the others reuse.
def _shared_dir(tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


# The whole bilingual site, built once per test run from the working tree and shared by all
# pytest-xdist workers (the pattern pytest-xdist documents: the first worker to take the lock
# builds, the others wait and read its result). A failed build fails every test that needs it.
# TEST_SITE_DIR=path builds it there instead of a temporary folder (CI keeps it as the preview).
@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    from sitebuild import build

    shared = _shared_dir(tmp_path_factory)
    site = Path(os.environ["TEST_SITE_DIR"]).resolve() if os.environ.get("TEST_SITE_DIR") else shared / "site"
    outcome = shared / "site.json"
    with FileLock(str(shared / "site.lock")):
        if not outcome.is_file():
            result = build(ROOT, site)
            outcome.write_text(json.dumps({"returncode": result.returncode, "stderr": result.stderr[-4000:]}),
                               encoding="utf-8")
    done = json.loads(outcome.read_text(encoding="utf-8"))
    assert done["returncode"] == 0, f"mkdocs build --strict failed:\n{done['stderr']}"
    return site


# The validator's verdict on the real package, computed once per test run (and per worker).
@pytest.fixture(scope="session")
def real_package_problems() -> list:
    from transparency.validate import validate_package

    return validate_package(ROOT / "datapackage" / "datapackage.json")
