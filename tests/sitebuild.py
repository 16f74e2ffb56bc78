"""Build the site for tests: once per session into a temporary folder, and from a copy of
the project when a test needs to break the data first."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What a build reads: copied as a whole when a test builds from altered data.
PROJECT_PARTS = ("mkdocs.yml", "macros.py", "CITATION.cff", "transparency", "hooks", "overrides", "docs",
                 "scripts", "datapackage")
# A fixed build time, so two builds of the same commit are byte-identical.
BUILD_ENV = {"SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def build(project: Path, site: Path) -> subprocess.CompletedProcess:
    """Run ``mkdocs build --strict`` for ``project`` into ``site``; return the finished process."""
    env = {**os.environ, **BUILD_ENV, "PYTHONPATH": str(project)}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-q", "-d", str(site)],
        cwd=project, env=env, capture_output=True, text=True, timeout=900,
    )


def copy_project(target: Path) -> Path:
    """Copy what a build reads into ``target`` (no .venv, no site)."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("node_modules", "__pycache__"))
        elif source.exists():
            shutil.copy2(source, target / part)
    return target
