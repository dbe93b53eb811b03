#!/usr/bin/env bash
# Stage bench-gates: what the benchmarks check that does not depend on timing, in about 30 s. An
# apinizer_jwk no-op stating key facts reads the list and the public key (N=20), an apinizer_jwks
# no-op is one request for N=200 JWKs (a creation 2 + N: the ids are read back); the role's rerun
# only reads; each module run opens one connection and imports no cryptography; the requests per
# run on three servers (with and without export-file, the older dialect) and where-used's cost
# (one proxy list plus one read per proxy, only when deleting).
# The timing runs: the stage bench (scripts/stages/bench.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
VENV="${APINIZER_VENV:-$ROOT/.venv}"
"$VENV/bin/python" benchmarks/bench_converge.py --gates --venv "$VENV"
"$VENV/bin/python" benchmarks/bench_bulk.py --gates --venv "$VENV"
PYTHONPATH="$ROOT/emulator:$ROOT/.build/collections" "$VENV/bin/python" benchmarks/requests_per_run.py --check
"$VENV/bin/python" benchmarks/bench_where_used.py --gates
