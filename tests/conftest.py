"""Shared pytest fixtures."""

from __future__ import annotations

import json
import os
import shutil
import threading
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


def _site_dir(shared: Path) -> Path:
    return Path(os.environ["TEST_SITE_DIR"]).resolve() if os.environ.get("TEST_SITE_DIR") else shared / "site"


def _build_once(shared: Path) -> dict:
    """Build the site into the run's shared folder unless a process of this run already did;
    return the build's outcome (``returncode``, the end of ``stderr``). The pattern
    pytest-xdist documents: the first to take the lock builds, the others wait and read."""
    from sitebuild import build

    outcome = shared / "site.json"
    with FileLock(str(shared / "site.lock")):
        if not outcome.is_file():
            result = build(ROOT, _site_dir(shared))
            outcome.write_text(json.dumps({"returncode": result.returncode, "stderr": result.stderr[-4000:]}),
                               encoding="utf-8")
    return json.loads(outcome.read_text(encoding="utf-8"))


# The whole bilingual site, built once per test run from the working tree and shared by all
# pytest-xdist workers. A failed build fails every test that needs it. TEST_SITE_DIR=path
# builds it there instead of a temporary folder (CI keeps it as the preview).
@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    shared = _shared_dir(tmp_path_factory)
    done = _build_once(shared)
    assert done["returncode"] == 0, f"mkdocs build --strict failed:\n{done['stderr']}"
    return _site_dir(shared)


def _order(item) -> tuple[int, int, int]:
    """Where ``item`` runs: tests that do not need the site first (the site builds meanwhile);
    of those that do, the long ones first (the page walks, shard by shard, then the other
    browser tests, then those that make files of
    their own: another build, a copy), so that the run ends on short
    static checks of the built pages and both workers stay busy to the end."""
    names = item.fixturenames
    if "built_site" not in names:
        return (0, 0, 0)
    if "walked" in names:  # a shard's three checks side by side: a worker walks it once for all three
        return (1, 0, item.callspec.params["shard"])
    if "browser" in names:
        return (1, 1, 0)
    return (1, 2, 0) if "tmp_path" in names else (1, 3, 0)


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=_order)  # stable: the collection order within each kind


# Start the site build when the run starts, in the background, while the tests that do not need
# it run; the first test that needs it waits for it (built_site). Each worker starts one; the
# lock lets only the first build. A run with no test that needs the site builds nothing.
@pytest.fixture(scope="session", autouse=True)
def _site_builds_in_the_background(request, tmp_path_factory):
    if any("built_site" in item.fixturenames for item in request.session.items):
        threading.Thread(target=_build_once, args=(_shared_dir(tmp_path_factory),), name="site-build").start()


# Something a module needs that is as costly as a build (a build of altered data), made once
# per test run and shared by all pytest-xdist workers like the site: ``run_once(name, make)``
# calls ``make(folder)`` in the first process to take the lock, with a folder of its own in the
# run's shared folder, and returns what it returned (JSON-able); the others wait and read it.
# A module-scoped fixture alone would run again on every worker that gets one of its tests.
@pytest.fixture(scope="session")
def run_once(tmp_path_factory):
    shared = _shared_dir(tmp_path_factory)

    def once(name: str, make):
        outcome = shared / f"{name}.json"
        with FileLock(str(shared / f"{name}.lock")):
            if not outcome.is_file():
                folder = shared / name
                folder.mkdir()
                outcome.write_text(json.dumps(make(folder)), encoding="utf-8")
        return json.loads(outcome.read_text(encoding="utf-8"))

    return once


# The validator's verdict on the real package, computed once per test run (and per worker).
@pytest.fixture(scope="session")
def real_package_problems() -> list:
    from transparency.validate import validate_package

    return validate_package(ROOT / "datapackage" / "datapackage.json")


# Chromium and the site for the browser tests: one of each per test process (per pytest-xdist
# worker), kept for the run and defined here once. Imported into each test module instead, a
# session fixture is a separate fixture per module: a second module's would start a second
# Playwright while the first still runs, which Playwright's sync API refuses ("using Playwright
# Sync API inside the asyncio loop"), so a browser test failed whenever pytest-xdist gave it a
# worker that had already run another module's. The server serves the build under SITE_URL's
# path; the browser loads it at SITE_URL (tests/browsing.py).
@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from browsing import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def server(built_site):
    from browsing import serve_at_site_url

    with serve_at_site_url(built_site) as served:
        yield served


# The walk over every page (tests/pagewalk.py), one shard at a time: ``walked(shard)`` is that
# shard's outcome, walked by the first process of this run to ask for it and read by the
# others, so that the light-palette axe test, the chart label test and the table test of a
# shard share one load of each page.
@pytest.fixture(scope="session")
def walked(run_once, browser, server, built_site):
    import pagewalk

    def shard(index: int) -> dict:
        return run_once(f"page-walk-{index}",
                        lambda folder: pagewalk.walk(browser, server, built_site, pagewalk.shard(built_site, index)))

    return shard
