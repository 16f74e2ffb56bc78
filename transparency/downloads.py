"""The downloadable files: each resource as CSV, the schemas, the descriptor, and one zip of
the whole package named with its version. Zip entries carry a fixed timestamp and order so two
builds of the same data give identical bytes.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from transparency.package import ROOT, Package

# Zip entries get this timestamp (the zip format cannot store dates before 1980).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def zip_name(pkg: Package) -> str:
    return f"{pkg.name}-{pkg.version}.zip"


def package_files(pkg: Package) -> list[Path]:
    """Every file of the package, relative to its folder, in a stable order."""
    base = pkg.path.parent
    files = {Path("datapackage.json"), Path("CHANGELOG.md")}
    for resource in pkg.descriptor["resources"]:
        files.add(Path(resource["path"]))
        if isinstance(resource.get("schema"), str):
            files.add(Path(resource["schema"]))
    return sorted(f for f in files if (base / f).is_file())


def write_zip(pkg: Package, target: Path) -> Path:
    """Write the versioned zip of the package into the folder ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    path = target / zip_name(pkg)
    base = pkg.path.parent
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in package_files(pkg):
            info = zipfile.ZipInfo(f"{pkg.name}-{pkg.version}/{name.as_posix()}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (base / name).read_bytes())
    return path


def write_downloads(pkg: Package, target: Path) -> None:
    """Copy the package files, CITATION.cff and the zip into ``target`` (site/downloads)."""
    for name in package_files(pkg):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pkg.path.parent / name, destination)
    shutil.copyfile(ROOT / "CITATION.cff", target / "CITATION.cff")
    write_zip(pkg, target)
