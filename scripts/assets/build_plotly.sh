#!/usr/bin/env bash
# Rebuild docs/assets/js/plotly-partial.min.js from the exact versions in package-lock.json.
# The bundle is committed; CI does not run this. Run it after changing package.json,
# then commit package-lock.json and the bundle together.
set -euo pipefail
cd "$(dirname "$0")"

# --ignore-scripts: nothing in the tree needs an install script (esbuild's binary comes
# from its @esbuild/<platform> optional dependency); plotly.js 4 asks for node >= 22 in
# "engines" but is only bundled here, never run, so node 20's warning is harmless.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
node build_plotly.mjs
