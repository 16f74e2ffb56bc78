"""A fingerprint of the data package's files, so that caches that outlive one build (a
`mkdocs serve` rebuild runs in the same Python process) are keyed by what the files hold,
not by their path: an edited CSV is a new key, an unchanged package a cheap hit."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Callable


def package_digest(descriptor_path: Path | str) -> str:
    """BLAKE2 hash of every file under the package directory (names and bytes, sorted).

    Parameters
    ----------
    descriptor_path : Path or str
        ``datapackage.json`` or the directory holding it.
    """
    path = Path(descriptor_path)
    base = path if path.is_dir() else path.parent
    digest = hashlib.blake2b(digest_size=16)
    for file in sorted(p for p in base.rglob("*") if p.is_file()):
        digest.update(file.relative_to(base).as_posix().encode("utf-8") + b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


# (what, package path) -> (digest, result) of `by_content`: one entry per computation.
_RESULTS: dict[tuple[str, str], tuple[str, Any]] = {}


def by_content(what: str, descriptor_path: Path | str, compute: Callable[[Path], Any]) -> Any:
    """``compute(path)``, recomputed only when the package's files changed since last time.

    Keyed by content, so it is right after any edit whether or not the caller's module is
    loaded again for a rebuild (MkDocs loads hook files once per process; mkdocs-macros
    reads macros.py again for every build).
    """
    path = Path(descriptor_path).resolve()
    digest = package_digest(path)
    hit = _RESULTS.get((what, str(path)))
    if hit is not None and hit[0] == digest:
        return hit[1]
    value = compute(path)
    _RESULTS[(what, str(path))] = (digest, value)
    return value
