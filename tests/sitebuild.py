"""Build the site for tests: once per session into a temporary folder, and from a copy of
the project when a test needs to break the data first."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

from lighthouse_server import serve_in_thread  # scripts/lighthouse_server.py

ROOT = Path(__file__).resolve().parents[1]
# What a build reads: copied as a whole when a test builds from altered data.
PROJECT_PARTS = ("mkdocs.yml", "macros.py", "CITATION.cff", "transparency", "hooks", "overrides", "docs",
                 "scripts", "datapackage")
# The address the test build is made for: a project site under a sub-path, as GitHub Pages
# publishes it (tests/test_subpath.py serves the build under this prefix). The port is nominal:
# a page that needed it (rather than relative links) would fail there, served on another port.
SITE_URL = "http://127.0.0.1:8000/some-repo/"
# A fixed build time, so two builds of the same commit are byte-identical.
BUILD_ENV = {"SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
             "SITE_URL": SITE_URL}


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


# --- Serving a build under a sub-path, as GitHub Pages serves a project site ------------------

class _PrefixHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the site folder under ``prefix`` only; anything else (outside the prefix or
    missing) gets the site's own 404.html with status 404, as GitHub Pages answers."""

    prefix = "/"

    def log_message(self, *args):  # keep test output clean
        pass

    def translate_path(self, path):
        # Paths outside the prefix map to a folder the build never writes, so they become a 404.
        clean = urllib.parse.urlsplit(path).path
        if not clean.startswith(self.prefix) and clean + "/" != self.prefix:
            return os.path.join(self.directory, ".outside-prefix", "missing")
        return super().translate_path("/" + clean[len(self.prefix):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextlib.contextmanager
def serve(site: Path, prefix: str = "/"):
    """Serve ``site`` under ``prefix`` on a free local port in a background thread; yield the
    origin ("http://127.0.0.1:PORT")."""
    assert prefix.startswith("/") and prefix.endswith("/"), f"prefix must start and end with '/': {prefix!r}"
    handler = functools.partial(type("Handler", (_PrefixHandler,), {"prefix": prefix}), directory=str(site))
    with serve_in_thread(handler) as origin:
        yield origin
