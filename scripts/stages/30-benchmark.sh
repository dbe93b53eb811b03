#!/usr/bin/env bash
# CI stage (scripts/test.sh extra, cwd repo root, after build.sh): the quick benchmark, N=20.
# Fails when a performance target fails: a no-op that is not 1 request per JWK, a create slower
# than 0.75x or a no-op slower than 1.10x the hand-written uri playbook, a role rerun that
# writes, or cryptography imported by a module path that does not need it.
# The full run (N=20 and N=200) is `python benchmarks/bench_converge.py`; see docs/performance.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
VENV="${APINIZER_VENV:-$ROOT/.venv}"
exec "$VENV/bin/python" benchmarks/bench_converge.py --quick --venv "$VENV" "$@"
