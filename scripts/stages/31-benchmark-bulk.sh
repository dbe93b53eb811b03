#!/usr/bin/env bash
# CI stage (scripts/test.sh extra, cwd repo root, after build.sh): the quick apinizer_jwks benchmark.
# Gates the request counts (no-op = 1 request, create = 1 + N) at N=20 next to the per-item
# apinizer_jwk loop, and at N=200 with apinizer_jwks alone (a few seconds; the N=200 loop takes
# minutes, so CI does not run it). Wall-time ratios are printed and only warn here; the full run
# (`python benchmarks/bench_bulk.py`, N=20 and N=200) gates on them: see docs/performance.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
VENV="${APINIZER_VENV:-$ROOT/.venv}"
exec "$VENV/bin/python" benchmarks/bench_bulk.py --quick --noop-repeat 1 --timing-advisory --venv "$VENV" "$@"
