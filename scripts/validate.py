"""Validate the data package: frictionless plus the project checks (transparency/validate.py).

Prints one line per problem (``file:row: field: message``, file relative to the package
directory), sorted, then a summary; exits 1 if there is any problem.

Run from the repository root:  python scripts/validate.py [datapackage/datapackage.json]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transparency.validate import run  # noqa: E402

DEFAULT = ROOT / "datapackage" / "datapackage.json"


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        print("usage: python scripts/validate.py [datapackage/datapackage.json]", file=sys.stderr)
        return 2
    path = Path(argv[0]) if argv else DEFAULT
    result = run(path)
    for problem in result.problems:
        print(problem)
    shown = path if not path.is_absolute() else _relative(path)
    if result.problems:
        files = len({p.file for p in result.problems})
        noun = "problem" if len(result.problems) == 1 else "problems"
        print(f"{len(result.problems)} {noun} in {files} file{'s' if files != 1 else ''} ({shown})")
        return 1
    print(f"{shown}: valid ({result.resources} resources, {result.rows} rows)")
    return 0


# Show paths under the current directory as relative ones.
def _relative(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
