"""Lighthouse's SEO score of the site's pages in both languages, built as it is deployed.

    .venv/bin/python scripts/lighthouse_seo.py [--all]

Builds the site with ``site_url`` set to the local server's address (so canonical and hreflang
links are absolute, as on GitHub Pages with SITE_URL), serves it gzipped, and runs Lighthouse's
SEO category on one page of each kind in English and Swedish (``--all``: every page), in one
Chromium. Prints one line per page with its score and the audits it fails; writes the table to
benchmarks/out/lighthouse-seo.json. Needs Node.js and Debian's chromium (Lighthouse as in
scripts/benchmark.py).
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "scripts")]

from benchmark import CHROME_FLAGS, _lighthouse_command  # noqa: E402
from lighthouse_server import serve_gzipped  # noqa: E402
from sitebuild import build, copy_project  # noqa: E402

# One page of each kind (site-relative, English); each is scored in both languages.
PAGE_KINDS = {"home": "", "section index": "report/", "report section": "report/2-1-providers/",
              "glossary": "report/glossary/", "analysis (map)": "analysis/ncmec-map/", "country index": "countries/",
              "country": "countries/pl/", "provider": "providers/meta/", "data": "data/",
              "data dictionary": "data/dictionary/", "about": "about/methodology/"}
LANGUAGE_PREFIXES = {"en": "", "sv": "sv/"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_chrome(port: int, seconds: float = 30) -> None:
    """Wait until the Chromium started with ``--remote-debugging-port=port`` answers."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _build_for(site_url: str, tmp: Path) -> Path:
    """The site built from a copy of the project with ``site_url``, into ``tmp/site``."""
    project = copy_project(tmp / "project")
    config = project / "mkdocs.yml"
    text, count = re.subn(r"(?m)^site_url:.*$", f"site_url: {site_url}", config.read_text(encoding="utf-8"))
    assert count == 1, "mkdocs.yml has no site_url line to set"
    config.write_text(text, encoding="utf-8")
    site = tmp / "site"
    result = build(project, site)
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stderr[-3000:]}")
    return site


def _all_pages(site: Path) -> list[str]:
    return sorted("" if p.parent == site else p.parent.relative_to(site).as_posix() + "/"
                  for p in site.rglob("index.html") if not {"assets", "downloads", "search"} & set(p.parts))


def _seo(command: list[str], url: str, chrome_port: int, out_json: Path) -> dict:
    """One Lighthouse SEO run against the Chromium on ``chrome_port``: score and failing audits."""
    args = command + [url, "--quiet", "--output=json", f"--output-path={out_json}", f"--port={chrome_port}",
                      "--only-categories=seo", "--max-wait-for-load=60000"]
    out = subprocess.run(args, capture_output=True, text=True, timeout=300)
    if out.returncode != 0 or not out_json.is_file():
        raise RuntimeError(f"lighthouse {url} exited {out.returncode}:\n{out.stderr[-2000:]}")
    report = json.loads(out_json.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse {url}: {report['runtimeError']}")
    seo, audits = report["categories"]["seo"], report["audits"]
    failing = [ref["id"] for ref in seo["auditRefs"] if ref.get("weight", 0) > 0
               and audits[ref["id"]].get("score") is not None and audits[ref["id"]]["score"] < 1]
    return {"seo": round(seo["score"] * 100), "failing": failing,
            "details": {a: audits[a].get("details", {}).get("items", [])[:5] for a in failing}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="every page, not one of each kind")
    args = parser.parse_args()
    command, chrome_port = _lighthouse_command(), _free_port()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "site").mkdir()
        # The server comes first: the build needs its address.
        with serve_gzipped(tmp / "site") as base:
            site = _build_for(base, tmp)
            pages = _all_pages(site) if args.all else [
                LANGUAGE_PREFIXES[lang] + path for path in PAGE_KINDS.values() for lang in LANGUAGE_PREFIXES]
            chrome = subprocess.Popen(["/usr/bin/chromium", f"--remote-debugging-port={chrome_port}",
                                       *CHROME_FLAGS.split(), "about:blank"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                _wait_for_chrome(chrome_port)
                for path in pages:
                    row = {"page": "/" + path, **_seo(command, base + path, chrome_port, tmp / "report.json")}
                    print(f"{row['seo']:4}  {row['page']}  {' '.join(row['failing'])}", flush=True)
                    rows.append(row)
            finally:
                chrome.terminate()
                chrome.wait(timeout=30)
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "lighthouse-seo.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    scores = [r["seo"] for r in rows]
    print(f"{len(rows)} pages: SEO min {min(scores)}, {sum(s == 100 for s in scores)} at 100")


if __name__ == "__main__":
    main()
