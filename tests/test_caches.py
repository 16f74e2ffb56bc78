"""Caches that outlive one build (`mkdocs serve` rebuilds in the same process, and
mkdocs-static-i18n builds each language in the same process) are keyed by the content of the
files they come from: an edit is seen by the next build, no edit is a cache hit. Cheap: no
site build, a copy of the data package and of one template."""

from __future__ import annotations

import csv
import importlib.util
import io
import shutil
from pathlib import Path

import jinja2

from transparency.context import Ctx
from transparency.derived import derived, lookup
from transparency.package import load_package

ROOT = Path(__file__).resolve().parents[1]
FIGURE_ID = "ncmec_global_reports_2021"


def _set_figure(descriptor: Path, figure_id: str, value: str) -> None:
    """Rewrite one cell of figures.csv in the copy (the value of ``figure_id``)."""
    path = descriptor.parent / "data" / "figures.csv"
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    rows = list(reader)
    [row] = [r for r in rows if r["figure_id"] == figure_id]
    row["value"] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _figure_value(pkg, figure_id: str) -> int:
    return int(lookup(pkg, "figures", "figure_id", "value")[figure_id])


def test_the_loaded_package_and_its_derived_frames_follow_an_edit(tmp_path: Path):
    shutil.copytree(ROOT / "datapackage", tmp_path / "datapackage")
    descriptor = tmp_path / "datapackage" / "datapackage.json"
    first = load_package(descriptor)
    old = _figure_value(first, FIGURE_ID)
    assert load_package(descriptor) is first, "same bytes: the cached package is reused"

    _set_figure(descriptor, FIGURE_ID, str(old + 7))
    second = load_package(descriptor)
    assert second is not first
    # Both the frame and the lookups derived from it show the edit; the old object keeps its own.
    assert _figure_value(second, FIGURE_ID) == old + 7
    assert _figure_value(first, FIGURE_ID) == old
    assert Ctx(pkg=second, lang="en").pkg["figures"].set_index("figure_id").at[FIGURE_ID, "value"] == old + 7

    # Writing the original bytes back is the original content again.
    _set_figure(descriptor, FIGURE_ID, str(old))
    assert _figure_value(load_package(descriptor), FIGURE_ID) == old


def test_derived_results_live_on_their_package_object(tmp_path: Path):
    shutil.copytree(ROOT / "datapackage", tmp_path / "datapackage")
    descriptor = tmp_path / "datapackage" / "datapackage.json"
    first = load_package(descriptor)
    calls = []
    count = lambda pkg: calls.append(pkg) or len(pkg["figures"])  # noqa: E731
    assert derived(first, "figure_rows", count) == derived(first, "figure_rows", count)
    assert calls == [first], "computed once per package object"

    path = descriptor.parent / "data" / "figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")  # one row fewer
    second = load_package(descriptor)
    assert derived(second, "figure_rows", count) == derived(first, "figure_rows", count) - 1
    assert calls == [first, second]


def _template_cache_hook():
    spec = importlib.util.spec_from_file_location("template_cache_hook", ROOT / "hooks" / "template_cache.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_compiled_theme_templates_follow_an_edit(tmp_path: Path):
    hook = _template_cache_hook()
    template = tmp_path / "page.html"
    template.write_text("first {{ x }}", encoding="utf-8")

    def render() -> str:
        # A new environment per build, as MkDocs makes one; the hook gives it the shared cache.
        env = hook.on_env(jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path)), None, None)
        return env.get_template("page.html").render(x=1)

    assert render() == "first 1"
    assert len(hook._COMPILED) == 1, "the compiled template is kept for the next build"
    template.write_text("second {{ x }}", encoding="utf-8")
    assert render() == "second 1"


# --- The validator's verdict on disk (transparency/verdict.py, hooks/validate_data.py) ------


def _counting(calls: list):
    """A stand-in validator that records its calls and finds one problem per call count."""
    def validate(path: Path) -> list[str]:
        calls.append(path)
        return [f"data/x.csv:{len(calls)}: value: call {len(calls)}"]
    return validate


def test_the_verdict_on_disk_is_read_again_only_for_the_same_bytes(tmp_path: Path):
    from transparency.verdict import cached_verdict

    shutil.copytree(ROOT / "datapackage", tmp_path / "datapackage")
    descriptor = tmp_path / "datapackage" / "datapackage.json"
    folder, calls = tmp_path / "cache", []
    first = cached_verdict(descriptor, folder, _counting(calls))
    assert first == ["data/x.csv:1: value: call 1"] and len(calls) == 1
    assert len(list(folder.glob("*.json"))) == 1, "the verdict is kept on disk"
    # A new process would find it: nothing in memory is involved.
    assert cached_verdict(descriptor, folder, _counting(calls)) == first and len(calls) == 1

    old = _figure_value(load_package(descriptor), FIGURE_ID)
    _set_figure(descriptor, FIGURE_ID, str(old + 1))
    assert cached_verdict(descriptor, folder, _counting(calls)) == ["data/x.csv:2: value: call 2"]
    # A file the validator does not read is still part of the package's bytes.
    (tmp_path / "datapackage" / "README.md").write_text("edited\n", encoding="utf-8")
    assert cached_verdict(descriptor, folder, _counting(calls)) == ["data/x.csv:3: value: call 3"]
    # The original bytes again: the first verdict, from disk.
    shutil.copy2(ROOT / "datapackage" / "README.md", tmp_path / "datapackage" / "README.md")
    _set_figure(descriptor, FIGURE_ID, str(old))
    assert cached_verdict(descriptor, folder, _counting(calls)) == first and len(calls) == 3


def test_the_verdict_on_disk_follows_the_validators_code(tmp_path: Path):
    from transparency.verdict import verdict_key

    descriptor = ROOT / "datapackage" / "datapackage.json"
    code = tmp_path / "transparency"
    shutil.copytree(ROOT / "transparency", code, ignore=shutil.ignore_patterns("__pycache__", "templates"))
    # validate.py imports checks.py (the frictionless Check classes): both are the validator.
    assert "from transparency import checks" in (code / "validate.py").read_text(encoding="utf-8")
    key = verdict_key(descriptor, code)
    for name in ("validate.py", "checks.py"):
        with (code / name).open("a", encoding="utf-8") as f:
            f.write("\n# an edit\n")
        assert verdict_key(descriptor, code) != key, f"an edit to {name} must miss the cache"
        key = verdict_key(descriptor, code)
    # A module the validator does not import is not part of the key ...
    with (code / "fmt.py").open("a", encoding="utf-8") as f:
        f.write("\n# an edit\n")
    assert verdict_key(descriptor, code) == key
    # ... until the validator imports it (here through checks.py).
    with (code / "checks.py").open("a", encoding="utf-8") as f:
        f.write("from transparency.fmt import *  # noqa\n")
    key = verdict_key(descriptor, code)
    with (code / "fmt.py").open("a", encoding="utf-8") as f:
        f.write("\n# another edit\n")
    assert verdict_key(descriptor, code) != key


def test_the_hook_reports_a_broken_package_from_a_fresh_cache_and_from_disk(tmp_path: Path):
    # The real validator through the hook: the same lines whether validated or read back.
    from mkdocs.exceptions import PluginError

    shutil.copytree(ROOT / "datapackage", tmp_path / "datapackage")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    descriptor = tmp_path / "datapackage" / "datapackage.json"
    old = _figure_value(load_package(descriptor), FIGURE_ID)
    _set_figure(descriptor, FIGURE_ID, f"{old}x")
    spec = importlib.util.spec_from_file_location("validate_data_hook", ROOT / "hooks" / "validate_data.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    fresh = hook.verdict(descriptor)
    assert any(f"value: '{old}x' is not a number" in line for line in fresh), fresh
    assert len(list((tmp_path / ".cache" / "validate").glob("*.json"))) == 1
    assert hook.cached_verdict(descriptor, tmp_path / ".cache" / "validate", lambda p: ["not called"]) == fresh
