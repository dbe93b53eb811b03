#!/usr/bin/env bash
# CI stage (scripts/test.sh extra, cwd repo root, after build.sh): the quick benchmark, N=20.
# Fails when a deterministic performance target fails: a no-op that is not 1 request per JWK,
# a role rerun that writes, more than one connection per module run, or cryptography imported by
# a module path that does not need it. The wall-time ratios (create <= 0.75x, no-op <= 1.10x the
# hand-written uri playbook) are measured and printed but only warn here: on 2 shared cores the
# no-op ratio has ~10% headroom and a CI run must not fail on scheduler noise. The full run
# (`python benchmarks/bench_converge.py`) gates on them.
# The full run (N=20 and N=200) is `python benchmarks/bench_converge.py`; see docs/performance.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
VENV="${APINIZER_VENV:-$ROOT/.venv}"
exec "$VENV/bin/python" benchmarks/bench_converge.py --quick --timing-advisory --venv "$VENV" "$@"
