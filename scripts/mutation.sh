#!/usr/bin/env bash
# Mutation testing of transparency/metrics.py against tests/test_metrics.py (settings in
# pyproject.toml, [tool.mutmut]); prints the share of mutants the tests kill. On demand, not
# in CI: it takes minutes. Extra arguments go to "mutmut run" (e.g. --max-children 2).
set -euo pipefail
cd "$(dirname "$0")/.."
export NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true
.venv/bin/mutmut run "$@" >/dev/null
.venv/bin/mutmut export-cicd-stats >/dev/null
.venv/bin/python - <<'PY'
import json
stats = json.load(open("mutants/mutmut-cicd-stats.json"))
killed = stats["killed"] + stats["timeout"] + stats["segfault"]
total = stats["total"] - stats["skipped"]
print(f"mutation score, transparency/metrics.py: {killed} of {total} mutants killed "
      f"({100 * killed / total:.1f} %); survived {stats['survived']}, no tests {stats['no_tests']}")
PY
echo "List the survivors: .venv/bin/mutmut results; show one: .venv/bin/mutmut show NAME"
