#!/usr/bin/env bash
# Install what is needed and run every test: data validation, metrics, site build, browser,
# accessibility and workflow lint. Browser tests need Debian's chromium (/usr/bin/chromium);
# as root this script installs it with apt-get, otherwise it tells you the command.
set -euo pipefail
cd "$(dirname "$0")/.."
# Silence the "MkDocs 2" banner that plugins print; mkdocs<2 is pinned in requirements.txt.
export NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true
scripts/bootstrap.sh
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Browser tests need Debian's chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
if command -v npm >/dev/null; then
  for dir in scripts/node; do
    [ -f "$dir/package-lock.json" ] && [ ! -d "$dir/node_modules" ] && npm ci --silent --prefix "$dir"
  done
fi
.venv/bin/python scripts/validate.py
exec .venv/bin/python -m pytest "$@"
