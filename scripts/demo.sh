#!/usr/bin/env bash
# The README's main job: rotate a signing key with playbooks/rotate.yml.
#
#   bash scripts/demo.sh [--check] [ansible-playbook arguments]
#       APINIZER_URL unset: the embedded emulator, seeded with three old generations of
#       demo-signing. The first run rotates (the newest is older than 90 days), switches api-user
#       and mobile-app, keeps the previous generation, and (when the server reports assignments)
#       keeps the one partner-app still uses and retires the unused one; a server as documented
#       does not report them, so both are kept, listed as not verified unused. The second,
#       identical run changes nothing. With --check it runs once: the plan, nothing written.
#
#   APINIZER_URL=https://apinizer.example.com APINIZER_TOKEN=... APINIZER_PROJECT=payments \
#     bash scripts/demo.sh
#       A real Apinizer: read-only unless you name what to rotate. Without APINIZER_DEMO_KEY and
#       APINIZER_DEMO_CREDENTIALS it runs in check mode (nothing is written) and prints the plan.
#       With both (APINIZER_DEMO_KEY=payments-signing
#       APINIZER_DEMO_CREDENTIALS=api-user,mobile-app/encryption; the purpose defaults to
#       validation) it rotates that key and switches those credentials, once.
#
# Extra arguments go to ansible-playbook unchanged. The demo installs only the runtime it needs
# into .venv-demo (ansible-core and requirements.txt, at the versions pinned in
# requirements-dev.txt), not the test venvs. APINIZER_DEMO_VENV=<venv> uses an existing venv with
# ansible-core instead; APINIZER_SKIP_BUILD=1 uses the collection already in .build/collections.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

die() { echo "demo.sh: $*" >&2; exit 2; }

CHECK=0
for arg in "$@"; do
    case "$arg" in --check|-C) CHECK=1 ;; esac
done

# ---------------------------------------------------------------------------------------------
# What to run against: say what is missing before installing anything.
# ---------------------------------------------------------------------------------------------
REAL=0
WRITE=0
DEMO_KEY="${APINIZER_DEMO_KEY:-}"
CREDENTIALS=()   # user/purpose
if [[ -n "${APINIZER_URL:-}" ]]; then
    REAL=1
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
    if [[ -n "${APINIZER_DEMO_CREDENTIALS:-}" ]]; then
        IFS=',' read -r -a items <<< "$APINIZER_DEMO_CREDENTIALS"
        for item in "${items[@]}"; do
            item="${item// /}"
            [[ -n "$item" ]] || continue
            user="${item%%/*}"
            purpose=validation
            [[ "$item" == */* ]] && purpose="${item#*/}"
            [[ -n "$user" ]] || die "APINIZER_DEMO_CREDENTIALS: '$item' has no user name (user[/validation|/encryption],...)"
            [[ "$purpose" == validation || "$purpose" == encryption ]] \
                || die "APINIZER_DEMO_CREDENTIALS: '$item': the purpose is validation or encryption, not '$purpose'"
            CREDENTIALS+=("$user/$purpose")
        done
    fi
    if [[ -n "$DEMO_KEY" && ${#CREDENTIALS[@]} -gt 0 ]]; then
        WRITE=1
    fi
elif [[ -n "${APINIZER_DEMO_KEY:-}${APINIZER_DEMO_CREDENTIALS:-}" ]]; then
    echo "demo.sh: APINIZER_DEMO_KEY / APINIZER_DEMO_CREDENTIALS apply to a real Apinizer (APINIZER_URL);" \
         "the emulator's demo always rotates demo-signing for api-user and mobile-app." >&2
fi

# ---------------------------------------------------------------------------------------------
# The runtime: ansible-core and the collection's Python requirements, nothing else.
# ---------------------------------------------------------------------------------------------
# A real python3 (3.11 or newer, with venv and ensurepip), never a pyenv shim.
find_python() {
    local c
    for c in "${APINIZER_PYTHON:-}" /usr/bin/python3.11 /usr/local/bin/python3.11 /usr/bin/python3 \
             /usr/local/bin/python3 "$(command -v python3 || true)"; do
        [[ -n "$c" && -x "$c" && "$c" != */shims/* ]] || continue
        "$c" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo "$c"; return 0; }
    done
    die "no python3 >= 3.11 with venv and ensurepip found; set APINIZER_PYTHON"
}

if [[ -n "${APINIZER_DEMO_VENV:-}" ]]; then
    VENV="$APINIZER_DEMO_VENV"
    [[ -x "$VENV/bin/ansible-playbook" ]] || die "APINIZER_DEMO_VENV=$VENV has no bin/ansible-playbook"
else
    VENV="$ROOT/.venv-demo"
    PYTHON="$(find_python)"
    # requirements-dev.txt is the one list of pinned versions: used as constraints, it pins
    # ansible-core, requests and cryptography here and installs nothing else.
    want="$(cat requirements.txt requirements-dev.txt <(echo "$PYTHON") | sha256sum | cut -d' ' -f1)"
    have="$(cat "$VENV/.demo-requirements.sha256" 2>/dev/null || true)"
    if [[ "$want" != "$have" ]] || ! "$VENV/bin/python" -c 'import ansible, requests, cryptography' 2>/dev/null; then
        echo "== Installing the demo's runtime into .venv-demo (ansible-core, requests, cryptography)"
        rm -rf "$VENV"
        "$PYTHON" -m venv "$VENV"
        "$VENV/bin/python" -m pip install --disable-pip-version-check -q \
            ansible-core -r requirements.txt -c requirements-dev.txt
        echo "$want" > "$VENV/.demo-requirements.sha256"
    fi
fi

if [[ "${APINIZER_SKIP_BUILD:-0}" != "1" ]]; then
    APINIZER_VENV="$VENV" bash scripts/build.sh
fi

export ANSIBLE_COLLECTIONS_PATH="$ROOT/.build/collections"
export ANSIBLE_PYTHON_INTERPRETER="$VENV/bin/python"
export ANSIBLE_DISPLAY_SKIPPED_HOSTS="${ANSIBLE_DISPLAY_SKIPPED_HOSTS:-false}"
export ANSIBLE_LOCALHOST_WARNING=false
export ANSIBLE_INVENTORY_UNPARSED_WARNING=false

rotate() {
    "$VENV/bin/ansible-playbook" "$ROOT/playbooks/rotate.yml" "$@"
}

# ---------------------------------------------------------------------------------------------
# A real Apinizer: one run, read-only unless the key and the credentials are named.
# ---------------------------------------------------------------------------------------------
if (( REAL )); then
    key="${DEMO_KEY:-demo-signing}"
    # The names as extra vars (JSON, so any user name survives); the user's own -e come later and win.
    vars="$("$VENV/bin/python" -c '
import json, sys
key, creds = sys.argv[1], sys.argv[2:]
print(json.dumps({"jwk_rotation_name": key,
                  "jwk_rotation_credentials": [dict(zip(("username", "purpose"), c.rsplit("/", 1))) for c in creds]}))
' "$key" ${CREDENTIALS[@]+"${CREDENTIALS[@]}"})"
    listed=none
    (( ${#CREDENTIALS[@]} )) && listed="$(printf '%s, ' "${CREDENTIALS[@]}")" && listed="${listed%, }"
    if (( WRITE && ! CHECK )); then
        echo "== Rotating $key in project $APINIZER_PROJECT at $APINIZER_URL; switching: $listed"
        rotate -e "$vars" "$@"
        exit 0
    fi
    echo "== Read-only: check mode against $APINIZER_URL (project $APINIZER_PROJECT); nothing is written"
    echo "== The plan for key $key, credentials: $listed"
    rc=0
    if (( CHECK )); then rotate -e "$vars" "$@" || rc=$?; else rotate --check -e "$vars" "$@" || rc=$?; fi
    echo
    echo "== Nothing was written to $APINIZER_URL (check mode)."
    if (( ! WRITE )); then
        echo "== To rotate for real, name the key and the credentials to switch to it:"
        echo "   APINIZER_DEMO_KEY=<base name> APINIZER_DEMO_CREDENTIALS=<user>[/validation|/encryption],... bash scripts/demo.sh"
    fi
    exit $rc
fi

# ---------------------------------------------------------------------------------------------
# The embedded emulator.
# ---------------------------------------------------------------------------------------------
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

# Three old generations the role made (each description carries its record: docs/rotation.md,
# "The record"): 20250101 is used by api-user and mobile-app (it becomes the kept previous
# generation), 20240901 is still used by partner-app (not in the rotation list, so it must
# survive), 20240601 is unused (retired where the server proves it).
cat >"$WORK/seed.json" <<'EOF'
{"projects": {"demo": {
  "jwks": [
    {"name": "demo-signing-20240601T000000Z", "sourceType": "GENERATE",
     "description": "demo-signing generation 20240601T000000Z, managed by apinizer.apiops.jwk_rotation | state: active | activated: 20240601T000000Z | origin: rotation | switched: none",
     "generate": {"type": "EC", "kid": "demo-signing-20240601T000000Z", "ec": {"curveType": "P256", "algorithm": "ES256"}}},
    {"name": "demo-signing-20240901T000000Z", "sourceType": "GENERATE",
     "description": "demo-signing generation 20240901T000000Z, managed by apinizer.apiops.jwk_rotation | state: active | activated: 20240901T000000Z | origin: rotation | switched: none",
     "generate": {"type": "EC", "kid": "demo-signing-20240901T000000Z", "ec": {"curveType": "P256", "algorithm": "ES256"}}},
    {"name": "demo-signing-20250101T000000Z", "sourceType": "GENERATE",
     "description": "demo-signing generation 20250101T000000Z, managed by apinizer.apiops.jwk_rotation | state: active | activated: 20250101T000000Z | origin: rotation | switched: api-user/validation, mobile-app/validation",
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

PYTHONPATH="$ROOT/emulator${PYTHONPATH:+:$PYTHONPATH}" "$VENV/bin/python" -m apinizer_emulator \
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
if (( CHECK )); then
    echo "== Check mode: what the first run would do; nothing is written, so a second run would plan the same"
    rotate "$@"
    exit 0
fi
echo "== Run 1: the newest generation is older than 90 days, so the key rotates"
rotate "$@"
echo
echo "== Run 2: the same command again: the key is fresh, nothing changes"
rotate "$@"
