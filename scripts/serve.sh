#!/usr/bin/env bash
# Install what is needed, validate the data, build the whole bilingual site and serve it on
# http://127.0.0.1:8000/ (English) and http://127.0.0.1:8000/sv/ (Swedish).
set -euo pipefail
cd "$(dirname "$0")/.."
# Silence the "MkDocs 2" banner that plugins print; mkdocs<2 is pinned in requirements.txt.
export NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true
scripts/bootstrap.sh
.venv/bin/python scripts/validate.py
.venv/bin/mkdocs build --strict
echo "Serving the built site on http://127.0.0.1:${PORT:-8000}/ (Ctrl-C to stop)"
exec .venv/bin/python -m http.server "${PORT:-8000}" --bind 127.0.0.1 --directory site
