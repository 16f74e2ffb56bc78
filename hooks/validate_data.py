"""MkDocs hook: validate the data package before anything is built, and stop the build with
every problem as ``file:row: field: message`` when the data is broken. Also hands the data
release (version and date) to the theme, which shows it in every page's footer."""

import json
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

# MkDocs loads hooks by file path, before the project folder is importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from transparency.package import DEFAULT_PACKAGE  # noqa: E402
from transparency.validate import validate_package  # noqa: E402

_checked: set[str] = set()


def on_config(config, **kwargs):
    descriptor = json.loads(DEFAULT_PACKAGE.read_text(encoding="utf-8"))
    config.extra["data_version"] = descriptor["version"]
    config.extra["data_created"] = str(descriptor.get("created", ""))[:10]
    # mkdocs-static-i18n rebuilds once per language; the data only needs checking once.
    key = str(DEFAULT_PACKAGE)
    if key in _checked:
        return config
    problems = validate_package(DEFAULT_PACKAGE)
    if problems:
        lines = "\n".join(f"  datapackage/{problem}" for problem in problems)
        raise PluginError(f"the data package is not valid, so the site was not built:\n{lines}")
    _checked.add(key)
    return config
