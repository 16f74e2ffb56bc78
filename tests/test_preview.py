"""The preview tells the truth: `mkdocs serve` watches datapackage/, and a rebuild in the same
Python process (what serve does after a save: load the config again, build again) shows an
edited figure. The footer's release date is the changelog heading's, not `created`.

The rebuild test builds a copy of the project twice (the task asks for these two builds);
it runs in a child process so that the copy's own modules are the ones imported. Both builds
are of a small site: the real config, plugins and hooks, but only the home page and the page
with the figure (`exclude_docs`, so the generated country, provider and embed pages too) and
without the downloads hook, which draws every chart of the package for download and shows
nothing on a page. The point is what a rebuild in the same process shows, not the whole site.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIGURE_ID = "ncmec_global_reports_2021"
SOURCE_PAGE = "report/2-2-member-states"  # docs/report/2-2-member-states.md, without .md
PAGE = Path(SOURCE_PAGE) / "index.html"

# Two builds in one process, as `mkdocs serve` rebuilds: config loaded anew, then build().
REBUILD = textwrap.dedent("""
    import csv, io, sys
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.utils.yaml import yaml_load

    first, second, figure_id, value, printed, page = sys.argv[1:]
    with open("mkdocs.yml", encoding="utf-8") as f:
        hooks = [h for h in yaml_load(f)["hooks"] if not h.endswith("/downloads.py")]
    keep = ["index.md", "index.sv.md", page + ".md", page + ".sv.md"]

    def config(site_dir):
        # Not strict: the kept page links to pages this small site leaves out.
        return load_config("mkdocs.yml", site_dir=site_dir, strict=False, hooks=hooks, nav=[keep[0], keep[2]],
                           exclude_docs="\\n".join(["*.md"] + ["!/" + k for k in keep]))

    build(config(first))
    path = Path("datapackage/data/figures.csv")
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    rows = list(reader)
    [row] = [r for r in rows if r["figure_id"] == figure_id]
    row.update(value=value, printed=printed)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    build(config(second))
""")


def _copy_project(target: Path) -> Path:
    ignore = shutil.ignore_patterns(".git", ".venv", ".cache", "site", "__pycache__", ".pytest_cache", "node_modules", "dist")
    shutil.copytree(ROOT, target, ignore=ignore)
    return target


def _figure(root: Path) -> dict:
    import csv

    with (root / "datapackage" / "data" / "figures.csv").open(encoding="utf-8", newline="") as f:
        [row] = [r for r in csv.DictReader(f) if r["figure_id"] == FIGURE_ID]
    return row


def test_serve_watches_the_data_package():
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    assert str(ROOT / "datapackage") in [str(Path(p).resolve()) for p in config.watch]


def test_a_rebuild_in_the_same_process_shows_the_edited_figure(tmp_path: Path):
    project = _copy_project(tmp_path / "project")
    # A release date that differs from datapackage.json's `created`, to see which one the footer shows.
    descriptor = json.loads((project / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))
    version, created = descriptor["version"], descriptor["created"][:10]
    released = "2027-03-04"
    assert released != created
    changelog = project / "datapackage" / "CHANGELOG.md"
    text, count = re.subn(rf"^## \[{re.escape(version)}\] - \S+$", f"## [{version}] - {released}",
                          changelog.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert count == 1
    changelog.write_text(text, encoding="utf-8")

    old = int(_figure(project)["value"])
    new = old + 1
    printed = f"{new:,}".replace(",", " ")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    result = subprocess.run([sys.executable, "-c", REBUILD, str(tmp_path / "first"), str(tmp_path / "second"),
                             FIGURE_ID, str(new), printed, SOURCE_PAGE],
                            cwd=project, env=env, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr[-4000:]

    first = (tmp_path / "first" / PAGE).read_text(encoding="utf-8")
    second = (tmp_path / "second" / PAGE).read_text(encoding="utf-8")
    assert f"{old:,}" in first and f"{new:,}" not in first
    assert f"{new:,}" in second and f"{old:,}" not in second

    footer = re.search(r'<div class="data-version">(.*?)</div>', second, re.S)
    assert footer, "no data-version footer"
    shown = " ".join(footer.group(1).split())
    assert f"({released})" in shown and created not in shown, shown


def _load_hook():
    spec = importlib.util.spec_from_file_location("validate_data_hook", ROOT / "hooks" / "validate_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hook_takes_the_release_date_from_the_changelog(tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "datapackage", project / "datapackage")
    (project / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    changelog = project / "datapackage" / "CHANGELOG.md"
    version = json.loads((project / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))["version"]
    changelog.write_text(re.sub(rf"^## \[{re.escape(version)}\] - \S+$", f"## [{version}] - 2027-03-04",
                                changelog.read_text(encoding="utf-8"), flags=re.MULTILINE), encoding="utf-8")
    config = SimpleNamespace(config_file_path=str(project / "mkdocs.yml"), extra={})
    _load_hook().on_config(config)
    assert config.extra == {"data_version": version, "data_released": "2027-03-04"}


def test_hook_stops_when_the_changelog_has_no_heading_for_the_version(tmp_path: Path):
    from mkdocs.exceptions import PluginError

    project = tmp_path / "project"
    shutil.copytree(ROOT / "datapackage", project / "datapackage")
    (project / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    changelog = project / "datapackage" / "CHANGELOG.md"
    changelog.write_text(re.sub(r"^## \[", "## [0.", changelog.read_text(encoding="utf-8"), flags=re.MULTILINE),
                         encoding="utf-8")
    config = SimpleNamespace(config_file_path=str(project / "mkdocs.yml"), extra={})
    # The package's own version, whatever release it is at.
    version = json.loads((project / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))["version"]
    with pytest.raises(PluginError, match=rf"CHANGELOG.md has no heading '## \[{re.escape(version)}\] - YYYY-MM-DD'"):
        _load_hook().on_config(config)


def test_validation_runs_again_after_an_edit(tmp_path: Path):
    # The verdict is reused only for the same bytes: a broken edit is caught on the next build.
    from mkdocs.exceptions import PluginError

    project = tmp_path / "project"
    shutil.copytree(ROOT / "datapackage", project / "datapackage")
    (project / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    hook = _load_hook()
    hook.on_config(SimpleNamespace(config_file_path=str(project / "mkdocs.yml"), extra={}))
    figures = project / "datapackage" / "data" / "figures.csv"
    row = _figure(project)
    text = figures.read_text(encoding="utf-8")
    assert text.count(f",{row['value']},") == 1
    figures.write_text(text.replace(f",{row['value']},", f",{row['value']}x,"), encoding="utf-8")
    with pytest.raises(PluginError, match=rf"data/figures.csv:\d+: value: '{row['value']}x' is not a number"):
        _load_hook().on_config(SimpleNamespace(config_file_path=str(project / "mkdocs.yml"), extra={}))


def _break_value(project: Path) -> str:
    figures = project / "datapackage" / "data" / "figures.csv"
    row = _figure(project)
    text = figures.read_text(encoding="utf-8")
    assert text.count(f",{row['value']},") == 1
    figures.write_text(text.replace(f",{row['value']},", f",{row['value']}x,"), encoding="utf-8")
    line = 1 + text.splitlines().index(next(l for l in text.splitlines() if l.startswith(f"{FIGURE_ID},")))
    return f"datapackage/data/figures.csv:{line}: value: '{row['value']}x' is not a number"


def _drop_population_year(project: Path) -> str:
    population = project / "datapackage" / "data" / "population.csv"
    lines = population.read_text(encoding="utf-8").splitlines()
    year = max(l.split(",")[2] for l in lines[1:])
    population.write_text("\n".join(l for l in lines if l.split(",")[2] != year) + "\n", encoding="utf-8")
    return f"year: year {year} has rows here, but population is missing for country_code AT, BE"


@pytest.mark.parametrize("breakage", [_break_value, _drop_population_year])
def test_broken_data_stops_the_build_with_the_validator_lines(tmp_path: Path, breakage):
    # The check runs before mkdocs-macros loads the data, so no traceback from the loader.
    project = _copy_project(tmp_path / "project")
    expected = breakage(project)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                            cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert "the data package is not valid, so the site was not built" in result.stderr, result.stderr[-3000:]
    assert expected in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
