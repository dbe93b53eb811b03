#!/usr/bin/env bash
# Stage docs: antsibull-docs lint-collection-docs --plugin-docs on the installed collection, and
# ansible-doc of every module and of the role, which must print no [WARNING] or [ERROR].
#   bash scripts/stages/docs.sh       (after scripts/bootstrap.sh and scripts/build.sh)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
COLLECTIONS="$ROOT/.build/collections"
INSTALLED="$COLLECTIONS/ansible_collections/apinizer/apiops"
BIN="$ROOT/.venv/bin"
OUT="$(mktemp "${TMPDIR:-/tmp}/apinizer-docs.XXXXXX")"
trap 'rm -f "$OUT"' EXIT
rc=0

"$BIN/antsibull-docs" lint-collection-docs --plugin-docs "$INSTALLED" || rc=1
docs=()
for m in "$INSTALLED"/plugins/modules/*.py; do
    docs+=("apinizer.apiops.$(basename "$m" .py)")
done
for r in "$INSTALLED"/roles/*/; do
    docs+=("-t role apinizer.apiops.$(basename "$r")")
done
for d in "${docs[@]}"; do
    echo "ansible-doc $d"
    # shellcheck disable=SC2086
    ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS" "$BIN/ansible-doc" $d > "$OUT" 2>&1 || { cat "$OUT"; rc=1; }
    grep -E '^\[(WARNING|ERROR)\]' "$OUT" && rc=1
done
exit $rc
