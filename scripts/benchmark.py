"""Benchmarks, run on demand (never as timed tests): build time against bare Material, page
weight, scaling with synthetic years, and optionally Lighthouse.

    .venv/bin/python scripts/benchmark.py [--years 30] [--lighthouse]

Prints a Markdown table and writes it to benchmarks/out/benchmark.md (and .json).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
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


def _timed_build(project: Path, site: Path) -> float:
    start = time.perf_counter()
    result = build(project, site)
    if result.returncode != 0:
        raise SystemExit(f"build of {project} failed:\n{result.stderr[-3000:]}")
    return time.perf_counter() - start


def _bare_material(target: Path) -> Path:
    """The same Markdown built by plain Material + i18n: no macros, data, hooks or charts."""
    project = copy_project(target)
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


def _lighthouse(site: Path) -> list[dict]:
    """Lighthouse 12.2.3 (npm) on four pages served gzipped, mobile and desktop."""
    from lighthouse_server import serve_gzipped  # scripts/lighthouse_server.py

    results = []
    with serve_gzipped(site) as base:
        for label, path in [("home", ""), ("2.1 providers", "report/2-1-providers/"),
                            ("map", "analysis/ncmec-map/"), ("country", "countries/pl/")]:
            for preset in ("mobile", "desktop"):
                args = ["npx", "--yes", "lighthouse@12.2.3", base + path, "--quiet", "--output=json",
                        "--chrome-flags=--headless --no-sandbox --disable-gpu",
                        "--only-categories=performance,accessibility,best-practices,seo"]
                if preset == "desktop":
                    args.append("--preset=desktop")
                out = subprocess.run(args, capture_output=True, text=True, env={"CHROME_PATH": "/usr/bin/chromium",
                                                                                  "PATH": "/usr/bin:/bin:/usr/local/bin"})
                report = json.loads(out.stdout)
                scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
                results.append({"page": label, "preset": preset, **scores})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=30, help="synthetic years for the scaling run")
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse (needs npm and chromium)")
    args = parser.parse_args()
    out = {"pages": {}, "builds": {}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        site = tmp / "site"
        out["builds"]["full site, today's data (s)"] = round(_timed_build(ROOT, site), 2)
        bare = _bare_material(tmp / "bare")
        out["builds"]["bare Material, same Markdown (s)"] = round(_timed_build(bare, tmp / "bare-site"), 2)
        out["builds"]["ratio full / bare"] = round(out["builds"]["full site, today's data (s)"]
                                                   / out["builds"]["bare Material, same Markdown (s)"], 2)
        out["site"] = {"files": sum(1 for p in site.rglob("*") if p.is_file()),
                       "bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file())}
        for label, page in PAGES.items():
            out["pages"][label] = page_weight(site, page)
        out["builds"]["validation, today's data (s)"] = round(_validation_seconds(ROOT / "datapackage"), 2)
        scaled = copy_project(tmp / "scaled")
        add_years(scaled / "datapackage", args.years)
        out["builds"][f"validation, +{args.years} synthetic years (s)"] = round(
            _validation_seconds(scaled / "datapackage"), 2)
        out["builds"][f"full site, +{args.years} synthetic years (s)"] = round(
            _timed_build(scaled, tmp / "scaled-site"), 2)
        if args.lighthouse:
            out["lighthouse"] = _lighthouse(site)
    report = _markdown(out)
    print(report)
    target = ROOT / "benchmarks" / "out"
    target.mkdir(parents=True, exist_ok=True)
    (target / "benchmark.md").write_text(report, encoding="utf-8")
    (target / "benchmark.json").write_text(json.dumps(out, indent=2), encoding="utf-8")


def _markdown(out: dict) -> str:
    lines = ["| build | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in out["builds"].items()]
    lines += ["", f"Built site: {out['site']['files']} files, {out['site']['bytes'] / 1e6:.1f} MB.", "",
              "| page | HTML gz (KB) | JS+CSS gz (KB) | total gz (KB) | requests |", "|---|---|---|---|---|"]
    lines += [f"| {k} | {v['html_gz'] / 1024:.1f} | {v['assets_gz'] / 1024:.1f} | {v['total_gz'] / 1024:.1f} | "
              f"{v['requests']} |" for k, v in out["pages"].items()]
    if out.get("lighthouse"):
        keys = [k for k in out["lighthouse"][0] if k not in ("page", "preset")]
        lines += ["", "| page | preset | " + " | ".join(keys) + " |", "|---|---|" + "---|" * len(keys)]
        lines += [f"| {r['page']} | {r['preset']} | " + " | ".join(str(r[k]) for k in keys) + " |"
                  for r in out["lighthouse"]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
