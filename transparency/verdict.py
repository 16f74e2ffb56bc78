"""The validator's verdict on disk, so that a new build process (``mkdocs build``, the first
build of ``mkdocs serve``, a test's build) does not validate an unchanged package again.

The verdict is keyed by everything it depends on: the bytes of every file of the package
(`digest.package_digest`), the source of the validator (``transparency/validate.py`` and every
``transparency`` module it imports, followed through their imports), the frictionless version
and the Python version. Any edit to the data or to that code is a new key, so a stale verdict
is never read; an unchanged package and validator is a hit that needs neither frictionless
nor the validator to be imported. Entries are small JSON files named by their key under a
git-ignored folder (``.cache/validate/`` at the project root); nothing else expires them,
and deleting the folder is always safe.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sys
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Callable, Iterable

from transparency.digest import package_digest

PACKAGE_DIR = Path(__file__).resolve().parent  # transparency/
VALIDATOR = "validate"  # transparency/validate.py, where the validator starts
# Bumped when the stored form of a verdict changes, so old entries are not read.
FORMAT = "1"


def validator_modules(start: str = VALIDATOR, folder: Path = PACKAGE_DIR) -> list[str]:
    """The ``transparency`` modules the validator's verdict depends on: `start` and every
    module of the package it imports, directly or through another (sorted file names)."""
    seen: set[str] = set()
    pending = [start]
    while pending:
        name = pending.pop()
        if name in seen or not (folder / f"{name}.py").is_file():
            continue
        seen.add(name)
        pending += _imported(folder / f"{name}.py", folder.name)
    return sorted(f"{name}.py" for name in seen)


def _imported(path: Path, package: str) -> Iterable[str]:
    """Module names of `package` that the file imports (``from package import x``,
    ``from package.x import y``, ``import package.x``, ``from . import x``, ``from .x import y``)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name.split(".")[1] for a in node.names if a.name.startswith(f"{package}."))
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 0 and module == package or node.level > 0 and not module:
                yield from (a.name for a in node.names)
            elif node.level == 0 and module.startswith(f"{package}."):
                yield module.split(".")[1]
            elif node.level > 0:
                yield module.split(".")[0]


def verdict_key(descriptor_path: Path | str, code: Path = PACKAGE_DIR) -> str:
    """The cache key of the validator's verdict on this package (see the module docstring);
    `code` is the folder of the validator's modules."""
    digest = hashlib.blake2b(digest_size=16)
    try:
        frictionless_version = version("frictionless")
    except PackageNotFoundError:  # pragma: no cover - the validator could not run either
        frictionless_version = "none"
    for part in (FORMAT, sys.version, frictionless_version, package_digest(descriptor_path)):
        digest.update(part.encode("utf-8") + b"\0")
    for name in validator_modules(folder=code):
        digest.update(name.encode("utf-8") + b"\0" + (code / name).read_bytes() + b"\0")
    return digest.hexdigest()


def cached_verdict(descriptor_path: Path | str, folder: Path, validate: Callable[[Path], list],
                   code: Path = PACKAGE_DIR) -> list[str]:
    """The problems (``file:row: field: message`` lines) of the package: read from `folder`
    when this package and validator were validated before, else ``validate(path)`` and kept.

    Parameters
    ----------
    descriptor_path : Path or str
        ``datapackage.json`` or the directory holding it.
    folder : Path
        Where verdicts are kept (created when needed).
    validate : callable
        The validator, called with `descriptor_path` on a miss; returns Problems (or strings).
    code : Path
        The folder of the validator's modules (``transparency/``).
    """
    entry = Path(folder) / f"{verdict_key(descriptor_path, code)}.json"
    try:
        stored = json.loads(entry.read_text(encoding="utf-8"))
        if isinstance(stored, list) and all(isinstance(line, str) for line in stored):
            return stored
    except (OSError, ValueError):
        pass  # not there yet, or unreadable: validate
    problems = [str(problem) for problem in validate(Path(descriptor_path))]
    _write_atomically(entry, json.dumps(problems, ensure_ascii=False))
    return problems


def _write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file and a rename, so that a build running at the same time
    (two test workers) reads the whole entry or none."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only project still builds; it validates every time
