#!/usr/bin/env bash
# Stage bench (only when named: bash scripts/test.sh bench): the quick benchmarks with their timing
# runs. bench_converge.py --quick (N=20: apinizer_jwk next to the hand-written uri playbook) and
# bench_bulk.py --quick (apinizer_jwks next to the apinizer_jwk loop at N=20, alone at N=200). The
# request, connection and import targets fail the stage; a missed wall-time ratio prints WARN and
# does not (on 2 shared cores the no-op ratio has about 10% headroom). The full runs, which gate on
# the ratios: python benchmarks/bench_converge.py and benchmarks/bench_bulk.py (docs/performance.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
VENV="${APINIZER_VENV:-$ROOT/.venv}"
"$VENV/bin/python" benchmarks/bench_converge.py --quick --timing-advisory --venv "$VENV"
"$VENV/bin/python" benchmarks/bench_bulk.py --quick --noop-repeat 1 --timing-advisory --venv "$VENV"
