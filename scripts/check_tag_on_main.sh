#!/usr/bin/env bash
# Release check: the commit a tag points at must be on main's history, so that only reviewed,
# merged data is released. Usage: scripts/check_tag_on_main.sh TAG [MAIN_REF]
# (MAIN_REF defaults to origin/main; the workflow checks out the full history first).
set -euo pipefail
tag=${1:?usage: check_tag_on_main.sh TAG [MAIN_REF]}
main=${2:-origin/main}
commit=$(git rev-parse --verify --quiet "refs/tags/$tag^{commit}") || { echo "no tag $tag" >&2; exit 1; }
git rev-parse --verify --quiet "$main^{commit}" >/dev/null || { echo "no branch $main to check $tag against" >&2; exit 1; }
if ! git merge-base --is-ancestor "$commit" "$main"; then
  echo "tag $tag points at $commit, which is not on $main: release only from main" >&2
  exit 1
fi
echo "tag $tag ($commit) is on $main"
