#!/usr/bin/env bash
# Stage bench-gates: what the benchmarks check that does not depend on timing, in about 30 s. A
# no-op is one request per JWK (apinizer_jwk at N=20, apinizer_jwks at N=200, where a creation is
# 1 + N requests); the role's rerun only reads; each module run opens one connection and imports
# no cryptography. The timing runs: the stage bench (scripts/stages/bench.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
VENV="${APINIZER_VENV:-$ROOT/.venv}"
"$VENV/bin/python" benchmarks/bench_converge.py --gates --venv "$VENV"
"$VENV/bin/python" benchmarks/bench_bulk.py --gates --venv "$VENV"
