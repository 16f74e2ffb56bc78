"""MkDocs hook: validate the data package before anything is built, and stop the build with
every problem as ``file:row: field: message`` when the data is broken. Also hands the data
release (version, and its date from the changelog) to the theme, which shows it in every
page's footer.

Validation runs for every build, `mkdocs serve` rebuilds included; its verdict is reused
only while the package's files hold the same bytes (`transparency.digest`), which also
covers mkdocs-static-i18n's second pass for the Swedish pages. Across processes the verdict
is kept on disk under .cache/validate/ (`transparency.verdict`), keyed by the package's bytes
and the validator's code, so a new `mkdocs build` of unchanged data and code reads it instead
of importing frictionless and validating again.
"""

import json
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

# MkDocs loads hooks by file path, before the project folder is importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from transparency.digest import by_content  # noqa: E402
from transparency.release import package_release_date  # noqa: E402
from transparency.verdict import cached_verdict  # noqa: E402

# The verdicts kept between processes, beside mkdocs.yml (git-ignored).
CACHE = Path(".cache") / "validate"


def package_path(config) -> Path:
    """datapackage/datapackage.json beside the mkdocs.yml being built."""
    return Path(config.config_file_path).resolve().parent / "datapackage" / "datapackage.json"


def _validate(path: Path) -> list:
    # Imported on a miss only: a verdict read from disk needs neither frictionless nor the validator.
    from transparency.validate import validate_package

    return validate_package(path)


def verdict(path: Path) -> list[str]:
    """The package's problems as ``file:row: field: message`` lines (empty: valid)."""
    return cached_verdict(path, path.parent.parent / CACHE, _validate)


# Before every plugin: mkdocs-macros loads the data in its own on_config, and broken data
# must stop the build with the validator's lines, not with a traceback from the loader.
@event_priority(100)
def on_config(config, **kwargs):
    path = package_path(config)
    problems = by_content("validate", path, verdict)
    if problems:
        lines = "\n".join(f"  datapackage/{problem}" for problem in problems)
        raise PluginError(f"the data package is not valid, so the site was not built:\n{lines}")
    version = json.loads(path.read_text(encoding="utf-8"))["version"]
    config.extra["data_version"] = version
    try:
        config.extra["data_released"] = package_release_date(path, version)
    except ValueError as error:
        raise PluginError(f"datapackage/{error}") from None
    return config

