"""Benchmarks, run on demand (never as timed tests): build time against bare Material, page
weight, scaling with synthetic years, and optionally Lighthouse.

    .venv/bin/python scripts/benchmark.py [--builds 3] [--years 30] [--lighthouse [--runs 3]] [--site BUILT_SITE]

Build times are the median of ``--builds`` builds, as wall-clock seconds and as the CPU
seconds (user + system) the build process used: CPU time is the steadier of the two on a
machine shared with other work. "Bare Material" builds the same pages: the hand-written
Markdown and every country and provider page ``scripts/gen_pages.py`` generates, written into
docs/ of a copy, with each ``{{ macro }}`` call removed and no gen-files, macros or hooks.

Prints a Markdown table and writes it to benchmarks/out/benchmark.md (and .json).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "scripts")]

from sitebuild import build, copy_project  # noqa: E402
from synthetic_years import add_years  # noqa: E402

# Pages whose transferred weight we report: (label, path in the built site).
PAGES = {
    "text: home": "index.html",
    "text: methodology": "about/methodology/index.html",
    "text: country (Poland)": "countries/pl/index.html",
    "chart: 2.1 providers": "report/2-1-providers/index.html",
    "chart: 2.2 member states": "report/2-2-member-states/index.html",
    "map: NCMEC per 100,000": "analysis/ncmec-map/index.html",
}
_ASSET = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"#?]+\.(?:js|css))"')


def _timed_build(project: Path, site: Path) -> tuple[float, float]:
    """Build ``project`` into ``site``; return (wall seconds, CPU seconds user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = build(project, site)
    wall_s = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"build of {project} failed:\n{result.stderr[-3000:]}")
    return wall_s, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _median_build(project: Path, site: Path, builds: int) -> tuple[float, float]:
    """Median wall and median CPU seconds of ``builds`` builds (each into a clean ``site``)."""
    times = [_timed_build(project, site) for _ in range(builds)]
    for i, (wall_s, cpu_s) in enumerate(times, 1):
        print(f"build {project.name} {i}/{builds}: {wall_s:.2f} s wall, {cpu_s:.2f} s CPU", file=sys.stderr, flush=True)
    return statistics.median(w for w, _ in times), statistics.median(c for _, c in times)


def _bare_material(target: Path) -> Path:
    """The same Markdown built by plain Material + i18n: no macros, data, hooks or charts.

    The pages mkdocs-gen-files would generate (one per member state and provider, in each
    language) are written into docs/ first, so both builds render the same set of pages.
    """
    from gen_pages import write_pages  # scripts/gen_pages.py
    from transparency.package import load_package

    project = copy_project(target)
    docs = project / "docs"
    written = write_pages(load_package(project / "datapackage" / "datapackage.json"),
                          lambda path, mode: (docs / path).open(mode, encoding="utf-8"))
    assert written and all((docs / path).is_file() for path in written), "generated pages not written"
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\n  - gen-files:\n(?:      .*\n)+", "\n", config)
    config = re.sub(r"\n  - macros:\n(?:      .*\n)+", "\n", config)
    config = re.sub(r"\nhooks:\n(?:  - .*\n)+", "\n", config)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    for page in (project / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"\{\{.*?\}\}", "", text, flags=re.S), encoding="utf-8")
    return project


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def page_weight(site: Path, page: str) -> dict:
    """Gzipped bytes of a page's HTML and the scripts and styles it loads from the site."""
    html_path = site / page
    html = html_path.read_text(encoding="utf-8")
    assets = []
    for href in _ASSET.findall(html):
        asset = (html_path.parent / href).resolve()
        if asset.is_file():
            assets.append(asset)
    html_gz = _gz(html.encode())
    assets_gz = sum(_gz(a.read_bytes()) for a in assets)
    return {"html_gz": html_gz, "assets_gz": assets_gz, "total_gz": html_gz + assets_gz, "requests": 1 + len(assets)}


def _validation_seconds(package: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), str(package / "datapackage.json")],
                   check=True, capture_output=True)
    return time.perf_counter() - start


# Lighthouse: the version pinned here (newer ones need Node 22), the pages it scores, and the
# flags Debian's chromium needs in a container. Runs one after another: parallel runs skew timings.
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_PAGES = [("home", ""), ("2.1 providers", "report/2-1-providers/"),
                    ("2.2 member states", "report/2-2-member-states/"), ("map", "analysis/ncmec-map/"),
                    ("country", "countries/pl/")]
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --no-first-run --disable-sync")
# Metrics reported beside the scores (audit id -> column).
LIGHTHOUSE_METRICS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP",
                      "total-blocking-time": "TBT", "cumulative-layout-shift": "CLS", "speed-index": "SI"}


def _lighthouse_command() -> list[str]:
    """A local install (``npm i -E lighthouse@12.2.3 --prefix /tmp/lh``, or $LIGHTHOUSE) if
    there is one, else npx."""
    import os

    for candidate in (os.environ.get("LIGHTHOUSE"), "/tmp/lh/node_modules/.bin/lighthouse",
                      str(ROOT / "node_modules" / ".bin" / "lighthouse")):
        if candidate and Path(candidate).is_file():
            return [candidate]
    if not shutil.which("npx"):
        raise SystemExit("--lighthouse needs Node.js (npx) or LIGHTHOUSE=/path/to/lighthouse")
    return ["npx", "--yes", f"lighthouse@{LIGHTHOUSE_VERSION}"]


def _lighthouse_run(command: list[str], url: str, preset: str, out_json: Path) -> dict:
    """One Lighthouse run; its report as a dict (raises with Lighthouse's stderr on failure)."""
    import os

    args = command + [url, "--quiet", "--output=json", f"--output-path={out_json}",
                      f"--chrome-flags={CHROME_FLAGS}", "--only-categories=" + ",".join(LIGHTHOUSE_CATEGORIES),
                      "--max-wait-for-load=60000"]
    if preset == "desktop":
        args.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    out = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    if out.returncode != 0 or not out_json.is_file():
        raise RuntimeError(f"lighthouse {url} ({preset}) exited {out.returncode}:\n{out.stderr[-2000:]}")
    report = json.loads(out_json.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse {url} ({preset}): {report['runtimeError']}")
    return report


def _lighthouse_row(report: dict) -> dict:
    """Scores (0-100), metrics, transfer size and the failing audits of one report."""
    cats, audits = report["categories"], report["audits"]
    row = {k: (None if cats[k]["score"] is None else round(cats[k]["score"] * 100)) for k in LIGHTHOUSE_CATEGORIES}
    for audit, column in LIGHTHOUSE_METRICS.items():
        row[column] = audits.get(audit, {}).get("displayValue", "")
    row["transfer KB"] = round(audits.get("total-byte-weight", {}).get("numericValue", 0) / 1024, 1)
    # Lighthouse's own measure of this machine's speed: its scores drop on slower hosts.
    row["host index"] = round(report.get("environment", {}).get("benchmarkIndex") or 0)
    failing = []
    for key in LIGHTHOUSE_CATEGORIES:
        for ref in cats[key]["auditRefs"]:
            audit = audits.get(ref["id"], {})
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1 \
                    and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings"):
                failing.append(ref["id"])
    row["failing"] = failing
    return row


def _lighthouse(site: Path, runs: int = 1) -> list[dict]:
    """Lighthouse on the pages above, served gzipped like GitHub Pages, mobile and desktop.
    With runs > 1 each cell is the run with the median performance score."""
    from lighthouse_server import serve_gzipped  # scripts/lighthouse_server.py

    command = _lighthouse_command()
    keep = ROOT / "benchmarks" / "out" / "lighthouse"  # the full JSON reports, for the details
    keep.mkdir(parents=True, exist_ok=True)
    results = []
    with serve_gzipped(site) as base:
        for label, path in LIGHTHOUSE_PAGES:
            for preset in ("mobile", "desktop"):
                rows = []
                for i in range(runs):
                    name = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") + f"-{preset}-{i + 1}.json"
                    report = _lighthouse_run(command, base + path, preset, keep / name)
                    rows.append(_lighthouse_row(report))
                rows.sort(key=lambda r: r["performance"] or 0)
                row = {"page": label, "preset": preset, **rows[len(rows) // 2]}
                print(f"lighthouse {label:18} {preset:7} " + " ".join(
                    f"{k}={row[k]}" for k in LIGHTHOUSE_CATEGORIES) + f" LCP={row['LCP']} TBT={row['TBT']}",
                    file=sys.stderr, flush=True)
                results.append(row)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=int, default=3, help="timed builds of each project (median kept)")
    parser.add_argument("--years", type=int, default=30, help="synthetic years for the scaling run")
    parser.add_argument("--builds-only", action="store_true", help="only the timed builds against bare Material "
                        "(no page weights, validation or scaling run)")
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse (needs Node.js and chromium)")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page and preset (median kept)")
    parser.add_argument("--site", type=Path, help="an already built site: report its page weights (and "
                        "Lighthouse with --lighthouse), skip the timed builds")
    args = parser.parse_args()
    out = {"pages": {}, "builds": {}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.site:
            site = args.site.resolve()
            if not (site / "index.html").is_file():
                raise SystemExit(f"{site} is not a built site (no index.html)")
        else:
            site = tmp / "site"
            builds = max(1, args.builds)
            full_wall, full_cpu = _median_build(ROOT, site, builds)
            bare_wall, bare_cpu = _median_build(_bare_material(tmp / "bare"), tmp / "bare-site", builds)
            out["builds"].update({
                f"full site, today's data (s wall, median of {builds})": round(full_wall, 2),
                f"full site, today's data (s CPU user+sys, median of {builds})": round(full_cpu, 2),
                f"bare Material, same pages (s wall, median of {builds})": round(bare_wall, 2),
                f"bare Material, same pages (s CPU user+sys, median of {builds})": round(bare_cpu, 2),
                "ratio full / bare, wall": round(full_wall / bare_wall, 2),
                "ratio full / bare, CPU": round(full_cpu / bare_cpu, 2),
            })
        if args.builds_only:
            print(_markdown(out))
            return
        out["site"] = {"files": sum(1 for p in site.rglob("*") if p.is_file()),
                       "bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file())}
        for label, page in PAGES.items():
            out["pages"][label] = page_weight(site, page)
        if not args.site:
            out["builds"]["validation, today's data (s)"] = round(_validation_seconds(ROOT / "datapackage"), 2)
            scaled = copy_project(tmp / "scaled")
            add_years(scaled / "datapackage", args.years)
            out["builds"][f"validation, +{args.years} synthetic years (s)"] = round(
                _validation_seconds(scaled / "datapackage"), 2)
            scaled_wall, scaled_cpu = _timed_build(scaled, tmp / "scaled-site")
            out["builds"][f"full site, +{args.years} synthetic years (s wall)"] = round(scaled_wall, 2)
            out["builds"][f"full site, +{args.years} synthetic years (s CPU user+sys)"] = round(scaled_cpu, 2)
        if args.lighthouse:
            out["lighthouse"] = _lighthouse(site, max(1, args.runs))
    report = _markdown(out)
    print(report)
    target = ROOT / "benchmarks" / "out"
    target.mkdir(parents=True, exist_ok=True)
    (target / "benchmark.md").write_text(report, encoding="utf-8")
    (target / "benchmark.json").write_text(json.dumps(out, indent=2), encoding="utf-8")


def _markdown(out: dict) -> str:
    lines = []
    if out["builds"]:
        lines += ["Bare Material builds the same pages (hand-written and generated Markdown, macro calls "
                  "removed) without macros, data or hooks.", "",
                  "| build | value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in out["builds"].items()]
        lines += [""]
    if "site" not in out:
        return "\n".join(lines)
    lines += [f"Built site: {out['site']['files']} files, {out['site']['bytes'] / 1e6:.1f} MB.", "",
              "| page | HTML gz (KB) | JS+CSS gz (KB) | total gz (KB) | requests |", "|---|---|---|---|---|"]
    lines += [f"| {k} | {v['html_gz'] / 1024:.1f} | {v['assets_gz'] / 1024:.1f} | {v['total_gz'] / 1024:.1f} | "
              f"{v['requests']} |" for k, v in out["pages"].items()]
    if out.get("lighthouse"):
        keys = [k for k in out["lighthouse"][0] if k not in ("page", "preset", "failing")]
        lines += ["", f"Lighthouse {LIGHTHOUSE_VERSION}, served gzipped on localhost (simulated throttling).", "",
                  "| page | preset | " + " | ".join(keys) + " | failing audits |", "|---|---|" + "---|" * (len(keys) + 1)]
        lines += [f"| {r['page']} | {r['preset']} | " + " | ".join(str(r[k]) for k in keys) + " | "
                  + (", ".join(r["failing"]) or "-") + " |" for r in out["lighthouse"]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
