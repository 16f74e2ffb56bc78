"""The downloadable files: each resource as CSV, the schemas, the descriptor, and one zip of
the whole package named with its version (with its README, licence, changelog and citation),
beside a SHA-256 checksum file. Zip entries carry a fixed timestamp and order so two builds of
the same data give identical bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
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


# Files of the release that live beside the package (datapackage/) or at the repository root.
RELEASE_EXTRAS = ("README.md", "LICENSE.md")


def version_url(site_url: str, version: str) -> str:
    """The stable address of one released version's files on the site: ``<site>/data/vX.Y.Z/``."""
    assert site_url.endswith("/"), f"site_url must end with '/': {site_url!r}"
    return f"{site_url}data/v{version}/"


def version_page(site_url: str, version: str) -> str:
    """The page that names one released version: its row in the Data page's versions table."""
    assert site_url.endswith("/"), f"site_url must end with '/': {site_url!r}"
    return f"{site_url}data/#v{version}"


def published_descriptor(pkg: Package, site_url: str | None) -> bytes:
    """datapackage.json as published: ``homepage`` is this version's page on the site when the
    site's address is known (a local build keeps the committed file as it is)."""
    raw = (pkg.path.parent / "datapackage.json").read_bytes()
    if not site_url:
        return raw
    descriptor = json.loads(raw)
    descriptor["homepage"] = version_page(site_url, pkg.version)
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def published_citation(pkg: Package, site_url: str | None) -> bytes:
    """CITATION.cff as published: ``url`` is this version's page on the site and
    ``repository-artifact`` its zip."""
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    if not site_url:
        return text.encode("utf-8")
    text = re.sub(r"^url: .*\n", "", text, flags=re.MULTILINE)
    text = re.sub(r"^repository-artifact: .*\n", "", text, flags=re.MULTILINE)
    artifact = version_url(site_url, pkg.version) + zip_name(pkg)
    text, count = re.subn(r"^(version: .*\n)", rf"\1url: {version_page(site_url, pkg.version)}\n"
                          rf"repository-artifact: {artifact}\n", text, count=1, flags=re.MULTILINE)
    assert count == 1, "CITATION.cff has no top-level 'version:' line"
    return text.encode("utf-8")


def release_entries(pkg: Package, site_url: str | None) -> dict[str, bytes]:
    """Every file of the release zip, by its path inside the zip's folder, in a stable order."""
    base = pkg.path.parent
    entries = {name.as_posix(): (base / name).read_bytes() for name in package_files(pkg)}
    entries["datapackage.json"] = published_descriptor(pkg, site_url)
    for name in RELEASE_EXTRAS:
        if (base / name).is_file():  # versions released before they were added lack them
            entries[name] = (base / name).read_bytes()
    entries["CITATION.cff"] = published_citation(pkg, site_url)
    return dict(sorted(entries.items()))


def write_zip(pkg: Package, target: Path, site_url: str | None = None) -> Path:
    """Write the versioned zip of the package into the folder ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    path = target / zip_name(pkg)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in release_entries(pkg, site_url).items():
            info = zipfile.ZipInfo(f"{pkg.name}-{pkg.version}/{name}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return path


def checksum_name(name: str) -> str:
    return f"{name}.sha256"


def write_checksum(path: Path) -> Path:
    """Write ``<file>.sha256`` beside ``path`` in ``sha256sum`` format (checked with
    ``sha256sum -c``)."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    out = path.with_name(checksum_name(path.name))
    out.write_text(f"{digest}  {path.name}\n", encoding="utf-8")
    return out


def write_version(pkg: Package, target: Path, site_url: str | None = None) -> None:
    """One released version, unpacked for the site (``data/vX.Y.Z/``): the zip and its
    checksum, and every file of the zip at its own address, so that the published
    datapackage.json validates from its URL."""
    for name, data in release_entries(pkg, site_url).items():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
    write_checksum(write_zip(pkg, target, site_url))


def write_downloads(pkg: Package, target: Path, site_url: str | None = None) -> None:
    """Copy the package files, CITATION.cff and the zip into ``target`` (site/downloads)."""
    for name in package_files(pkg):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pkg.path.parent / name, destination)
    (target / "datapackage.json").write_bytes(published_descriptor(pkg, site_url))
    (target / "CITATION.cff").write_bytes(published_citation(pkg, site_url))
    write_checksum(write_zip(pkg, target, site_url))
