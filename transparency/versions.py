"""Every released version of the data package, for the site's ``data/vX.Y.Z/`` folders.

A release is a git tag ``vX.Y.Z`` reachable from the commit being built (the release workflow
only publishes tags on main). Each tagged version is rebuilt from that tag's ``datapackage/``
folder (``git archive``), with the current zip builder, which is deterministic; the version
being built is taken from the working tree, so it is on the site before its tag exists. Without
git history (an exported tree), the site carries the working tree's version alone.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

TAG = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")


@dataclass(frozen=True)
class Release:
    version: str
    tag: str | None  # None: the working tree's version, not (yet) tagged here

    @property
    def key(self) -> tuple[int, int, int]:
        return tuple(int(p) for p in self.version.split("."))  # type: ignore[return-value]


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)


def tagged_versions(root: Path) -> list[str]:
    """Versions tagged ``vX.Y.Z`` and merged into HEAD; [] when ``root`` has no git history."""
    if _git(root, "rev-parse", "--is-inside-work-tree").returncode != 0:
        return []
    result = _git(root, "tag", "--list", "v*.*.*", "--merged", "HEAD")
    assert result.returncode == 0, f"git tag failed in {root}: {result.stderr.decode(errors='replace')}"
    return [t[1:] for t in result.stdout.decode().split() if TAG.match(t)]


def releases(root: Path, current: str) -> list[Release]:
    """Every version to publish, newest first; the first is the latest."""
    found = {v: Release(v, f"v{v}") for v in tagged_versions(root)}
    found.setdefault(current, Release(current, None))
    return sorted(found.values(), key=lambda r: r.key, reverse=True)


def export_package(root: Path, tag: str, target: Path) -> Path:
    """Extract ``datapackage/`` as it was at ``tag`` into ``target``; return its descriptor."""
    result = _git(root, "archive", "--format=tar", tag, "datapackage")
    assert result.returncode == 0, f"git archive {tag} datapackage failed: {result.stderr.decode(errors='replace')}"
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
        archive.extractall(target, filter="data")
    descriptor = target / "datapackage" / "datapackage.json"
    assert descriptor.is_file(), f"tag {tag} has no datapackage/datapackage.json"
    return descriptor
