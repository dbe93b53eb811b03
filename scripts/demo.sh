#!/usr/bin/env bash
# The README's main job: rotate the demo signing key with playbooks/rotate.yml.
#
#   scripts/demo.sh                          # against the embedded emulator (APINIZER_URL unset)
#   APINIZER_URL=https://apinizer.example.com APINIZER_TOKEN=... APINIZER_PROJECT=demo \
#     scripts/demo.sh [--check] [-e jwk_rotation_force=true] [...]   # against a real Apinizer
#
# Extra arguments go to ansible-playbook unchanged. Against the emulator the project is seeded
# with three old generations of demo-signing, so the first run visibly rotates (the newest is
# older than 90 days), switches api-user and mobile-app, keeps the previous generation, and
# (when the server reports assignments) keeps the one partner-app still uses and retires the
# unused one; a server as documented does not report them, so both are kept, listed as not
# verified unused. The second, identical run then changes nothing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# A real Apinizer when APINIZER_URL is set: say what is missing before installing anything.
if [[ -n "${APINIZER_URL:-}" ]]; then
    missing=()
    if [[ -z "${APINIZER_TOKEN:-}" && ( -z "${APINIZER_USERNAME:-}" || -z "${APINIZER_PASSWORD:-}" ) ]]; then
        missing+=("APINIZER_TOKEN (or APINIZER_USERNAME and APINIZER_PASSWORD)")
    fi
    [[ -n "${APINIZER_PROJECT:-}" ]] || missing+=("APINIZER_PROJECT")
    if (( ${#missing[@]} )); then
        echo "demo.sh: APINIZER_URL is set to $APINIZER_URL, so the demo runs against that Apinizer, but" >&2
        printf '  %s is not set\n' "${missing[@]}" >&2
        echo "Unset APINIZER_URL to run against the embedded emulator instead." >&2
        exit 2
    fi
fi

# The demo needs only .venv, not the ansible-core 2.16 venv used for sanity on the oldest core.
export APINIZER_SKIP_OLDEST="${APINIZER_SKIP_OLDEST:-1}"
bash scripts/bootstrap.sh
bash scripts/build.sh

export ANSIBLE_COLLECTIONS_PATH="$ROOT/.build/collections"
export ANSIBLE_PYTHON_INTERPRETER="$ROOT/.venv/bin/python"
export ANSIBLE_DISPLAY_SKIPPED_HOSTS="${ANSIBLE_DISPLAY_SKIPPED_HOSTS:-false}"
export ANSIBLE_LOCALHOST_WARNING=false
export ANSIBLE_INVENTORY_UNPARSED_WARNING=false

rotate() {
    "$ROOT/.venv/bin/ansible-playbook" "$ROOT/playbooks/rotate.yml" "$@"
}

if [[ -n "${APINIZER_URL:-}" ]]; then
    echo "== Rotating demo-signing in project $APINIZER_PROJECT at $APINIZER_URL"
    rotate "$@"
    exit 0
fi

WORK="$(mktemp -d)"
EMULATOR_PID=""
cleanup() {
    if [[ -n "$EMULATOR_PID" ]] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
        kill "$EMULATOR_PID" 2>/dev/null || true
        wait "$EMULATOR_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# Three old generations: 20250101 is used by api-user and mobile-app (it becomes the kept
# previous generation), 20240901 is still used by partner-app (not in the rotation list, so it
# must survive), 20240601 is unused (retired).
cat >"$WORK/seed.json" <<'EOF'
{"projects": {"demo": {
  "jwks": [
    {"name": "demo-signing-20240601T000000Z", "sourceType": "GENERATE",
     "generate": {"type": "EC", "kid": "demo-signing-20240601T000000Z", "ec": {"curveType": "P256", "algorithm": "ES256"}}},
    {"name": "demo-signing-20240901T000000Z", "sourceType": "GENERATE",
     "generate": {"type": "EC", "kid": "demo-signing-20240901T000000Z", "ec": {"curveType": "P256", "algorithm": "ES256"}}},
    {"name": "demo-signing-20250101T000000Z", "sourceType": "GENERATE",
     "generate": {"type": "EC", "kid": "demo-signing-20250101T000000Z", "ec": {"curveType": "P256", "algorithm": "ES256"}}}
  ],
  "credentials": [
    {"username": "api-user", "password": "api-user-password", "email": "api-user@example.com",
     "fullName": "API User", "description": "Demo API consumer", "roleNameList": ["API_USER"],
     "validationJwkName": "demo-signing-20250101T000000Z"},
    {"username": "mobile-app", "password": "mobile-app-password", "email": "mobile@example.com",
     "fullName": "Mobile App", "description": "Demo mobile client", "roleNameList": ["API_USER"],
     "validationJwkName": "demo-signing-20250101T000000Z"},
    {"username": "partner-app", "password": "partner-app-password", "email": "partner@example.com",
     "fullName": "Partner App", "description": "Demo partner integration", "roleNameList": ["PARTNER"],
     "validationJwkName": "demo-signing-20240901T000000Z"}
  ]
}}}
EOF

PYTHONPATH="$ROOT/emulator${PYTHONPATH:+:$PYTHONPATH}" "$ROOT/.venv/bin/python" -m apinizer_emulator \
    --port-file "$WORK/port" --seed "$WORK/seed.json" >"$WORK/emulator.log" 2>&1 &
EMULATOR_PID=$!
for _ in $(seq 1 100); do
    [[ -s "$WORK/port" ]] && break
    if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
        echo "demo.sh: the emulator exited early:" >&2
        cat "$WORK/emulator.log" >&2
        exit 1
    fi
    sleep 0.1
done
[[ -s "$WORK/port" ]] || { echo "demo.sh: the emulator did not start within 10 s" >&2; cat "$WORK/emulator.log" >&2; exit 1; }

export APINIZER_URL="http://127.0.0.1:$(cat "$WORK/port")"
export APINIZER_TOKEN=emulator-token
export APINIZER_PROJECT=demo
unset APINIZER_USERNAME APINIZER_PASSWORD

echo "== Emulator at $APINIZER_URL (project demo, seeded with three old generations of demo-signing)"
echo "== Run 1: the newest generation is older than 90 days, so the key rotates"
rotate "$@"
echo
echo "== Run 2: the same command again: the key is fresh, nothing changes"
rotate "$@"
