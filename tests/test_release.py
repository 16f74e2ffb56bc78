"""Releases as citable data: a dry run of the release workflow's steps (the tag is on main, the
zip and its checksum, `sha256sum -c`), the zip's contents, the versions the site keeps at
data/vX.Y.Z/, and the published datapackage.json validating from its URL."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from sitebuild import SITE_URL, serve
from transparency.package import load_package
from transparency.versions import export_package, releases

ROOT = Path(__file__).resolve().parents[1]
PKG = load_package()
ZIP = f"{PKG.name}-{PKG.version}.zip"


def _git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def _repo(tmp_path: Path, version: str) -> Path:
    repo = tmp_path / "repo"
    (repo / "datapackage").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    _write_version(repo, version)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "data")
    return repo


def _write_version(repo: Path, version: str) -> None:
    (repo / "datapackage" / "datapackage.json").write_text(json.dumps({"name": "p", "version": version}))


def test_a_tag_is_released_only_when_it_is_on_main(tmp_path):
    repo = _repo(tmp_path, "1.0.0")
    _git(repo, "tag", "v1.0.0")
    _git(repo, "switch", "-q", "-c", "feature")
    _write_version(repo, "1.1.0")
    _git(repo, "commit", "-q", "-am", "unreviewed")
    _git(repo, "tag", "v1.1.0")
    script = str(ROOT / "scripts" / "check_tag_on_main.sh")
    ok = subprocess.run([script, "v1.0.0", "main"], cwd=repo, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    off = subprocess.run([script, "v1.1.0", "main"], cwd=repo, capture_output=True, text=True)
    assert off.returncode == 1 and "not on main" in off.stderr, off.stderr


def test_the_site_keeps_tagged_versions_and_the_working_tree_version_newest_first(tmp_path):
    repo = _repo(tmp_path, "1.0.0")
    _git(repo, "tag", "v1.0.0")
    _write_version(repo, "1.1.0")  # the version being prepared, not tagged yet
    found = releases(repo, "1.1.0")
    assert [(r.version, r.tag) for r in found] == [("1.1.0", None), ("1.0.0", "v1.0.0")]
    old = export_package(repo, "v1.0.0", tmp_path / "old")
    assert json.loads(old.read_text())["version"] == "1.0.0"
    assert releases(tmp_path / "old", "1.1.0") == [releases(repo, "1.1.0")[0]]  # no history: only the tree


def _build_zip(out: Path) -> Path:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_zip.py"), "--out", str(out),
                             "--site-url", SITE_URL], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return out / ZIP


def test_release_dry_run_builds_a_deterministic_zip_with_a_checksum_that_verifies(tmp_path):
    # The workflow's steps: the tag matches the version and changelog, then the zip and checksum.
    tag = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_version_bump.py"), "--tag", f"v{PKG.version}",
                          "--notes-out", str(tmp_path / "notes.md")], capture_output=True, text=True, cwd=ROOT)
    assert tag.returncode == 0, tag.stdout + tag.stderr
    first, second = _build_zip(tmp_path / "a"), _build_zip(tmp_path / "b")
    assert first.read_bytes() == second.read_bytes(), "two builds of the same data differ"
    check = subprocess.run(["sha256sum", "-c", f"{ZIP}.sha256"], cwd=first.parent, capture_output=True, text=True)
    assert check.returncode == 0 and f"{ZIP}: OK" in check.stdout, check.stdout + check.stderr
    # A changed byte is caught.
    first.write_bytes(first.read_bytes() + b"\0")
    assert subprocess.run(["sha256sum", "-c", f"{ZIP}.sha256"], cwd=first.parent, capture_output=True).returncode != 0


def test_the_zip_holds_the_package_with_readme_citation_changelog_and_licence(tmp_path):
    archive = zipfile.ZipFile(_build_zip(tmp_path))
    folder = f"{PKG.name}-{PKG.version}/"
    names = set(archive.namelist())
    expected = {"datapackage.json", "README.md", "CITATION.cff", "CHANGELOG.md", "LICENSE.md"}
    for resource in PKG.descriptor["resources"]:
        expected.add(resource["path"])
        if isinstance(resource.get("schema"), str):
            expected.add(resource["schema"])
    assert names == {folder + name for name in expected}
    descriptor = json.loads(archive.read(folder + "datapackage.json"))
    assert descriptor["homepage"] == f"{SITE_URL}data/#v{PKG.version}"
    assert descriptor["resources"] == PKG.descriptor["resources"]
    citation = yaml.safe_load(archive.read(folder + "CITATION.cff"))
    assert citation["version"] == PKG.version and citation["url"] == descriptor["homepage"]
    assert citation["repository-artifact"] == f"{SITE_URL}data/v{PKG.version}/{ZIP}"
    for resource in PKG.descriptor["resources"]:
        assert archive.read(folder + resource["path"]) == (PKG.path.parent / resource["path"]).read_bytes()


def test_the_site_publishes_this_version_at_its_stable_address_and_names_the_latest(built_site):
    folder = built_site / "data" / f"v{PKG.version}"
    check = subprocess.run(["sha256sum", "-c", f"{ZIP}.sha256"], cwd=folder, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    listed = json.loads((built_site / "data" / "versions.json").read_text(encoding="utf-8"))
    assert listed["latest"] == PKG.version and listed["versions"][0]["zip"] == f"v{PKG.version}/{ZIP}"
    page = (built_site / "data" / "index.html").read_text(encoding="utf-8")
    assert f'<span id="v{PKG.version}">{PKG.version}</span> (latest)' in page
    assert f'href="../data/v{PKG.version}/{ZIP}"' in page


def test_published_datapackage_validates_with_frictionless_from_its_url(built_site):
    frictionless = shutil.which("frictionless", path=str(Path(sys.executable).parent))
    assert frictionless, "the frictionless command is not installed (requirements.txt)"
    prefix = "/some-repo/"
    assert SITE_URL.endswith(prefix)
    with serve(built_site, prefix) as origin:
        url = f"{origin}{prefix}data/v{PKG.version}/datapackage.json"
        result = subprocess.run([frictionless, "validate", url], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "VALID" in result.stdout.upper() and "INVALID" not in result.stdout.upper(), result.stdout[-2000:]
