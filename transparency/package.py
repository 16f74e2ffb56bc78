"""Load the Frictionless data package into typed pandas frames.

The package under ``datapackage/`` is the single source of every figure on the site. Types
come from each resource's Table Schema, so a count stays a nullable integer (an empty cell is
``<NA>``, never 0) and a period stays a date. Validation is ``transparency.validate``'s job;
this module assumes a valid package and raises ``KeyError`` naming an unknown resource.

Loaded packages are cached by the content of their files (`transparency.digest`), so a
`mkdocs serve` rebuild after a CSV edit loads the edited data, and one without edits does
not read the CSVs again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from transparency.digest import package_digest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PACKAGE = ROOT / "datapackage" / "datapackage.json"

# Table Schema numeric type -> pandas dtype used when reading the CSV as text.
_DTYPES = {"integer": "Int64", "year": "Int64", "number": "Float64"}
# Table Schema's default boolean spellings.
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "1": True,
             "false": False, "False": False, "FALSE": False, "0": False}


@dataclass(frozen=True)
class Package:
    """A loaded data package: its descriptor, schemas and one DataFrame per resource."""

    path: Path
    descriptor: dict
    schemas: dict[str, dict] = field(repr=False)
    frames: dict[str, pd.DataFrame] = field(repr=False)
    # Frames derived from this package object (transparency.profiles); a copy made with
    # dataclasses.replace starts empty, so changed frames never meet stale results.
    derived: dict[str, pd.DataFrame] = field(default_factory=dict, init=False, repr=False, compare=False)

    # The frame of one resource; raise naming the resource when it does not exist.
    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self.frames:
            raise KeyError(f"resource {name!r} is not in {self.path}")
        return self.frames[name]

    def __contains__(self, name: str) -> bool:
        return name in self.frames

    @property
    def version(self) -> str:
        return self.descriptor["version"]

    @property
    def name(self) -> str:
        return self.descriptor["name"]

    # The descriptor entry of one resource.
    def resource(self, name: str) -> dict:
        for resource in self.descriptor["resources"]:
            if resource["name"] == name:
                return resource
        raise KeyError(f"resource {name!r} is not in {self.path}")

    def published_in(self, source_id: str) -> "Package":
        """The package as one publication printed it: only rows whose ``source_id`` it is.

        Report-mirror pages render from this view, so figures from other sources (NCMEC's own
        publication for a later year, say) never change what the report is shown to print.
        Resources without a ``source_id`` column are kept; those that name one source for
        the whole file (``x-source-id``, the population) keep only the years the
        publication covers (its ``first_year`` to ``last_year`` in ``sources``).
        """
        sources = self["sources"].set_index("source_id")
        if source_id not in sources.index:
            raise KeyError(f"source {source_id!r} is not in sources.csv")
        first, last = int(sources.at[source_id, "first_year"]), int(sources.at[source_id, "last_year"])
        frames = {}
        for resource in self.descriptor["resources"]:
            frame = self.frames[resource["name"]]
            if "source_id" in frame:
                frame = frame[frame["source_id"] == source_id]
            elif resource.get("x-source-id") and "year" in frame:
                frame = frame[frame["year"].between(first, last)]
            frames[resource["name"]] = frame.reset_index(drop=True)
        return Package(path=self.path, descriptor=self.descriptor, schemas=self.schemas, frames=frames)

    # The schema field descriptor of one column.
    def field(self, resource: str, column: str) -> dict:
        for item in self.schemas[resource]["fields"]:
            if item["name"] == column:
                return item
        raise KeyError(f"field {column!r} is not in resource {resource!r}")


def _read_schema(base: Path, resource: dict) -> dict:
    schema = resource["schema"]
    if isinstance(schema, str):
        return json.loads((base / schema).read_text(encoding="utf-8"))
    return schema


def _read_frame(base: Path, resource: dict, schema: dict) -> pd.DataFrame:
    """Read one CSV resource with the dtypes its schema declares."""
    frame = pd.read_csv(
        base / resource["path"],
        dtype=str,
        keep_default_na=False,
        encoding="utf-8",
    )
    for item in schema["fields"]:
        column, kind = item["name"], item.get("type", "string")
        if column not in frame:
            continue
        try:
            frame[column] = _typed(frame[column], kind)
        except (ValueError, KeyError) as error:
            raise ValueError(f"{resource['path']}: field {column}: not a valid {kind}: {error}") from error
    return frame


def _typed(text: pd.Series, kind: str) -> pd.Series:
    blank = text.where(text != "")
    if kind in _DTYPES:
        return pd.to_numeric(blank, errors="raise").astype(_DTYPES[kind])
    if kind == "boolean":
        return blank.map(_BOOLEANS.__getitem__, na_action="ignore").astype("boolean")
    if kind == "date":
        return pd.to_datetime(blank, format="%Y-%m-%d")
    return text


def load_package(path: Path | str = DEFAULT_PACKAGE) -> Package:
    """Load every resource of the package at ``path`` (cached per path and file content)."""
    path = Path(path).resolve()
    return _load(path, package_digest(path))


@lru_cache(maxsize=4)
def _load(path: Path, digest: str) -> Package:
    """The package at ``path`` whose files hash to ``digest`` (the key of the cache)."""
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    base = path.parent
    schemas, frames = {}, {}
    for resource in descriptor["resources"]:
        schema = _read_schema(base, resource)
        schemas[resource["name"]] = schema
        frames[resource["name"]] = _read_frame(base, resource, schema)
    return Package(path=path, descriptor=descriptor, schemas=schemas, frames=frames)
