"""The W3C Nu HTML Checker (``vnu.jar``, the checker behind validator.w3.org) over a built site.

    .venv/bin/python scripts/nu_check.py SITE_DIR

Runs the checker once, in one Java process, over every HTML page; prints the errors counted by
message, Material's own apart from ours; exits 1 when any error is ours. The checker comes from
the npm package ``vnu-jar``, pinned in ``scripts/node/package-lock.json`` (``npm ci --prefix
scripts/node``); Java is Debian's (``default-jre-headless``). tests/test_markup.py runs the same
check in the test command.
"""

from __future__ import annotations

import collections
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "scripts" / "node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The checker's kinds of message that mean the page is wrong or could not be checked.
ERROR_TYPES = ("error", "non-document-error")
# One run over ~100 pages is too short for the JVM's optimising compiler (C2) to pay back: it
# doubled the checker's CPU time (13.6 s against 5.9 s for the same messages). The quick
# compiler alone needs a deeper thread stack than the default for the checker's schema.
JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-Xss8m")


@dataclass(frozen=True)
class KnownError:
    """An error that Material's own templates (mkdocs-material, pinned in requirements.lock)
    write on every build; matched on the message and on the markup the checker quotes, so an
    error of ours with the same message still counts as ours."""

    message: re.Pattern
    markup: re.Pattern
    reason: str

    def matches(self, error: dict) -> bool:
        return bool(self.message.fullmatch(error.get("message", ""))
                    and self.markup.search(error.get("extract", "")))


MATERIAL_ERRORS = (
    KnownError(
        re.compile(r"Attribute “autocomplete” is only allowed when the input type is .*"),
        re.compile(r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" '
                   r'id="__(drawer|search)" autocomplete="off">'),
        "Material's base.html gives its drawer and search toggles (checkboxes) autocomplete=\"off\" "
        "so that browsers do not restore them on back navigation; HTML allows the attribute only "
        "on inputs that take text."),
    KnownError(
        re.compile(r"The value of the “for” attribute of the “label” element must be the ID of a "
                   r"non-hidden form control\."),
        re.compile(r'<label class="md-nav__title" for="__toc">'),
        "Material's partials/toc.html labels the table of contents' title for the \"__toc\" toggle, "
        "which partials/nav-item.html writes only for a page listed as a plain navigation item: "
        "section index pages (navigation.indexes) and pages outside the navigation (the country "
        "and provider profiles) get the label without the toggle."),
    KnownError(
        re.compile(r"Bad value “” for attribute “tabindex” on element “label”: The empty string is "
                   r"not a valid integer\."),
        re.compile(r'<label class="md-nav__link[^"]*" for="__nav_[0-9_]+" id="__nav_[0-9_]+_label" '
                   r'tabindex="">'),
        "Material's partials/nav-item.html writes tabindex=\"{{ tabindex }}\" on a section's label "
        "and leaves the value empty for sections (navigation.sections)."),
)


def java() -> str:
    """The Java runtime to run the checker with (Debian's default-jre-headless)."""
    found = shutil.which("java")
    if not found:
        raise RuntimeError("The Nu HTML Checker needs Java: apt-get install default-jre-headless")
    return found


def html_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site, in a stable order."""
    pages = sorted(site.rglob("*.html"))
    assert pages, f"no HTML pages under {site}"
    return pages


def run_checker(pages: list[Path]) -> list[dict]:
    """The checker's messages for ``pages`` (one Java process for all of them)."""
    if not VNU_JAR.is_file():
        raise RuntimeError(f"{VNU_JAR} is missing: npm ci --ignore-scripts --prefix scripts/node")
    out = subprocess.run([java(), *JAVA_OPTIONS, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always",
                          *map(str, pages)], capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        raise RuntimeError(f"vnu.jar exited {out.returncode}:\n{out.stderr[-2000:]}")
    # vnu writes its JSON report to stderr.
    return json.loads(out.stderr)["messages"]


def errors(messages: list[dict]) -> list[dict]:
    """The messages that are errors (not warnings or notes)."""
    return [m for m in messages if m.get("type") in ERROR_TYPES]


def material_reason(error: dict) -> str | None:
    """Why ``error`` is Material's and not ours, or None when it is ours."""
    return next((known.reason for known in MATERIAL_ERRORS if known.matches(error)), None)


def split_errors(messages: list[dict]) -> tuple[list[dict], list[dict]]:
    """The checker's errors as (Material's, ours)."""
    found = errors(messages)
    material = [e for e in found if material_reason(e)]
    ours = [e for e in found if not material_reason(e)]
    return material, ours


def describe(error: dict, site: Path | None = None) -> str:
    """One line per error: page, line, message and the markup the checker quotes."""
    url = error.get("url", "")
    page = url.split(str(site), 1)[-1].lstrip("/") if site else url
    extract = " ".join(error.get("extract", "").split())
    return f"{page}:{error.get('lastLine', '?')}: {error.get('message')} [{extract}]"


def _counted(found: list[dict]) -> list[str]:
    # One line per kind of error: every "Bad value “…”" of one attribute counts together.
    counts = collections.Counter(re.sub(r"^Bad value “[^”]*”", "Bad value “…”", e.get("message", "")) for e in found)
    return [f"{n:5}  {message}" for message, n in counts.most_common()]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        raise SystemExit(__doc__)
    site = Path(argv[0]).resolve()
    pages = html_pages(site)
    material, ours = split_errors(run_checker(pages))
    print(f"{len(pages)} pages, {len(material) + len(ours)} errors: {len(material)} Material's, {len(ours)} ours")
    print("Material's:", *_counted(material), sep="\n")
    print("Ours:", *_counted(ours), sep="\n")
    return 1 if ours else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
