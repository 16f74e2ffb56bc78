#!/usr/bin/env bash
# Create .venv and install the locked Python dependencies. Safe to run again: it only installs
# what is missing or changed. (scripts/test.sh installs the Node tools of the workflow lint.)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.requirements.txt.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet --require-hashes -r requirements.txt
  echo "$want" > "$stamp"
fi
