#!/usr/bin/env bash
# Stage molecule: `molecule test` of every scenario under extensions/molecule/, one after another.
#   bash scripts/stages/molecule.sh       (after scripts/bootstrap.sh)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/.venv/bin:$PATH"  # molecule runs ansible-playbook from PATH
WORK="$(mktemp -d "${TMPDIR:-/tmp}/apinizer-molecule.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
scenarios=()
for d in extensions/molecule/*/; do
    [[ -f "$d/molecule.yml" ]] && scenarios+=("$(basename "$d")")
done
[[ ${#scenarios[@]} -gt 0 ]] || { echo "SKIP molecule: no extensions/molecule/*/molecule.yml"; exit 77; }
for s in "${scenarios[@]}"; do
    echo "--- molecule test -s $s"
    # Collection mode installs the collection into $ANSIBLE_HOME/collections: isolate it, and leave
    # ANSIBLE_COLLECTIONS_PATH unset or converge would miss the role.
    (unset ANSIBLE_COLLECTIONS_PATH; ANSIBLE_HOME="$WORK/home-$s" "$ROOT/.venv/bin/molecule" test -s "$s")
done
