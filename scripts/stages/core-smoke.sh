#!/usr/bin/env bash
# Stage core-smoke: the README's commands on the oldest (2.16) and the newest (2.21) ansible-core
# of the matrix, each with its own venv as controller and module interpreter. The unit tests and
# the ansible-test targets run on those cores too (units-<core>, targets-<core>); what only this
# stage checks is that the README's commands print no [WARNING], [DEPRECATION WARNING] or
# [ERROR] on those cores:
#   - playbooks/rotate.yml twice against the emulator: changed, then idempotent;
#   - ad-hoc apinizer_jwk twice (CHANGED, then SUCCESS) and apinizer_jwk_info;
#   - module_defaults group/apinizer.apiops.apinizer + apinizer_credential_jwk (changed, then ok)
#     + the apinizer.apiops.jwk_param_errors filter.
# Alone: bash scripts/build.sh && bash scripts/stages/core-smoke.sh [2.16|2.21]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

if [[ $# -eq 0 ]]; then
    rc=0
    for core in 2.16 2.21; do
        "${BASH_SOURCE[0]}" "$core" || rc=1
    done
    exit $rc
fi

CORE="$1"
CORE_VENV="$ROOT/.venv-$CORE"
MODULE_PYTHON="$CORE_VENV/bin/python"
COLLECTIONS="$ROOT/.build/collections"
NAME="core-smoke[$CORE]"

if [[ ! -x "$CORE_VENV/bin/ansible-playbook" ]]; then
    # In CI every core of the matrix is required (scripts/test.sh fails its other stages too).
    if [[ "${CI:-}" == "true" ]]; then
        echo "$NAME: $CORE_VENV/bin/ansible-playbook is missing; CI must bootstrap every core (scripts/bootstrap.sh)" >&2
        exit 1
    fi
    echo "SKIP $NAME: $CORE_VENV not bootstrapped"
    exit 0
fi
if [[ ! -d "$COLLECTIONS/ansible_collections/apinizer/apiops" ]]; then
    echo "$NAME: the collection is not installed in $COLLECTIONS: run scripts/build.sh first" >&2
    exit 1
fi

T0="$(date +%s.%N)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/apinizer-smoke.XXXXXX")"
EMU_PID=""
cleanup() {
    if [[ -n "$EMU_PID" ]]; then
        kill "$EMU_PID" 2>/dev/null || true
        wait "$EMU_PID" 2>/dev/null || true
    fi
    [[ -n "${KEEP_WORK:-}" ]] || rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "$NAME: FAIL: $*" >&2; exit 1; }
ok() { echo "  ok: $*"; }

# Name the module interpreter in the inventory too, not only in the environment: implicit
# localhost would otherwise let interpreter discovery pick a (broken) pyenv shim.
cat > "$WORK/inventory.ini" <<EOF
localhost ansible_connection=local ansible_python_interpreter=$MODULE_PYTHON
EOF
export ANSIBLE_PYTHON_INTERPRETER="$MODULE_PYTHON"
export ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS"
export ANSIBLE_HOME="$WORK/ansible-home"
export ANSIBLE_INVENTORY="$WORK/inventory.ini"
export ANSIBLE_NOCOLOR=1 NO_COLOR=1 ANSIBLE_FORCE_COLOR=0
export ANSIBLE_DEPRECATION_WARNINGS=1 ANSIBLE_RETRY_FILES_ENABLED=0
unset ANSIBLE_CONFIG ANSIBLE_STDOUT_CALLBACK

# sed reads all of it: head would close the pipe early, and ansible-playbook then fails on EPIPE.
version="$("$CORE_VENV/bin/ansible-playbook" --version | sed -n 1p)"
echo "controller: $version"
[[ "$version" == *"core $CORE."* ]] || fail "expected ansible-core $CORE.x in $CORE_VENV, got: $version"

# The emulator, on an ephemeral port.
# With reported assignments: the group check below asserts a credential assignment's no-op, which
# exists only there (the documented server is covered per core by the pytest and targets stages).
PYTHONPATH=emulator "$ROOT/.venv/bin/python" -m apinizer_emulator --port-file "$WORK/port" \
    --token emulator-token --project demo --report-assignments > "$WORK/emulator.log" 2>&1 &
EMU_PID=$!
for _ in $(seq 1 100); do
    [[ -s "$WORK/port" ]] && break
    kill -0 "$EMU_PID" 2>/dev/null || { cat "$WORK/emulator.log"; fail "the emulator exited"; }
    sleep 0.1
done
[[ -s "$WORK/port" ]] || fail "the emulator did not write its port in 10 s"
export APINIZER_URL="http://127.0.0.1:$(cat "$WORK/port")"
export APINIZER_TOKEN=emulator-token
export APINIZER_PROJECT=demo
echo "emulator: $APINIZER_URL"

# run NAME CMD...: output to $WORK/NAME.out; on a non-zero exit, show it and fail.
run() {
    local name="$1"
    shift
    if ! "$@" > "$WORK/$name.out" 2>&1; then
        cat "$WORK/$name.out"
        fail "$name: '$*' exited non-zero"
    fi
}

# recap NAME CHANGED_TEST: the localhost PLAY RECAP line must have failed=0 unreachable=0 and
# changed matching CHANGED_TEST ('>0' or '=0').
recap() {
    local name="$1" want="$2" line changed failed unreachable
    line="$(grep -E '^localhost +: ok=' "$WORK/$name.out" | tail -1 || true)"
    [[ -n "$line" ]] || { cat "$WORK/$name.out"; fail "$name: no PLAY RECAP line for localhost"; }
    changed="$(sed -nE 's/.* changed=([0-9]+).*/\1/p' <<< "$line")"
    failed="$(sed -nE 's/.* failed=([0-9]+).*/\1/p' <<< "$line")"
    unreachable="$(sed -nE 's/.* unreachable=([0-9]+).*/\1/p' <<< "$line")"
    if [[ "$failed" != 0 || "$unreachable" != 0 ]] || ! (( changed $want )); then
        cat "$WORK/$name.out"
        fail "$name: expected changed$want failed=0 unreachable=0; recap: $line"
    fi
    ok "$name: changed=$changed ($want) failed=0 -- $(tr -s ' ' <<< "$line")"
}

# no_warnings NAME: a deprecation or warning on this core is a compatibility problem too.
# The collection's own warnings on a server as documented ("The server does not report which JWK
# ...": the emulator's default) are expected and say nothing about the core; every other one counts.
no_warnings() {
    if grep -E '^\[(WARNING|DEPRECATION WARNING|ERROR)\]' "$WORK/$1.out" \
            | grep -vE '^\[WARNING\]: The server does not report'; then
        fail "$1: warnings on ansible-core $CORE (above)"
    fi
}

echo "--- playbooks/rotate.yml, twice"
run rotate-1 "$CORE_VENV/bin/ansible-playbook" playbooks/rotate.yml
recap rotate-1 '>0'
no_warnings rotate-1
grep -q 'Rotated: ' "$WORK/rotate-1.out" || { cat "$WORK/rotate-1.out"; fail "rotate-1: summary does not say 'Rotated'"; }
grep -q 'Switched:    api-user/validation, mobile-app/validation' "$WORK/rotate-1.out" || { cat "$WORK/rotate-1.out"; fail "rotate-1: summary does not list both switched credentials"; }
ok "rotate-1: summary says Rotated and switched api-user, mobile-app"
run rotate-2 "$CORE_VENV/bin/ansible-playbook" playbooks/rotate.yml
recap rotate-2 '==0'
no_warnings rotate-2
grep -q 'No rotation: ' "$WORK/rotate-2.out" || { cat "$WORK/rotate-2.out"; fail "rotate-2: summary does not say 'No rotation'"; }
ok "rotate-2: summary says No rotation"

echo "--- ad-hoc apinizer_jwk, twice, and apinizer_jwk_info"
run adhoc-1 "$CORE_VENV/bin/ansible" localhost -m apinizer.apiops.apinizer_jwk -a 'name=smoke-core key_type=EC'
grep -qE '^localhost \| CHANGED =>' "$WORK/adhoc-1.out" || { cat "$WORK/adhoc-1.out"; fail "adhoc-1: not CHANGED"; }
no_warnings adhoc-1
ok "adhoc-1: apinizer_jwk name=smoke-core key_type=EC -> CHANGED"
run adhoc-2 "$CORE_VENV/bin/ansible" localhost -m apinizer.apiops.apinizer_jwk -a 'name=smoke-core key_type=EC'
grep -qE '^localhost \| SUCCESS =>' "$WORK/adhoc-2.out" || { cat "$WORK/adhoc-2.out"; fail "adhoc-2: not SUCCESS (idempotent)"; }
grep -q '"changed": false' "$WORK/adhoc-2.out" || { cat "$WORK/adhoc-2.out"; fail "adhoc-2: changed is not false"; }
ok "adhoc-2: same again -> SUCCESS, changed false"
run adhoc-info "$CORE_VENV/bin/ansible" localhost -m apinizer.apiops.apinizer_jwk_info -a 'name=smoke-core'
grep -qE '^localhost \| SUCCESS =>' "$WORK/adhoc-info.out" || { cat "$WORK/adhoc-info.out"; fail "adhoc-info: not SUCCESS"; }
grep -q '"smoke-core"' "$WORK/adhoc-info.out" || { cat "$WORK/adhoc-info.out"; fail "adhoc-info: smoke-core not listed"; }
grep -qE '"(d|p|q|dp|dq|qi|k)": "' "$WORK/adhoc-info.out" && fail "adhoc-info: private key members in the output"
grep -q 'emulator-token' "$WORK"/adhoc-*.out "$WORK"/rotate-*.out && fail "the token appears in the output"
ok "adhoc-info: apinizer_jwk_info lists smoke-core, no private members, no token in any output"

echo "--- module_defaults group/apinizer.apiops.apinizer + apinizer_credential_jwk + jwk_param_errors"
cat > "$WORK/group.yml" <<'YAML'
---
- name: Oldest core, action group and filter
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/apinizer.apiops.apinizer:
      apinizer_url: "{{ lookup('ansible.builtin.env', 'APINIZER_URL') }}"
      apinizer_token: "{{ lookup('ansible.builtin.env', 'APINIZER_TOKEN') }}"
      project: "{{ lookup('ansible.builtin.env', 'APINIZER_PROJECT') }}"
  tasks:
    - name: Assign smoke-core for validation
      apinizer.apiops.apinizer_credential_jwk:
        username: api-user
        purpose: validation
        jwk_name: smoke-core
      register: first

    - name: Assign it again
      apinizer.apiops.apinizer_credential_jwk:
        username: api-user
        purpose: validation
        jwk_name: smoke-core
      register: second

    - name: The first changed, the second did not
      ansible.builtin.assert:
        that:
          - first is changed
          - second is not changed
          - second.assignment.jwk_name == 'smoke-core'

    - name: The filter accepts a valid set and names the problem of EC with RS256
      ansible.builtin.assert:
        that:
          - valid == []
          - invalid | length > 0
        fail_msg: "valid: {{ valid }}; invalid: {{ invalid }}"
      vars:
        valid: "{{ {'source': 'generate', 'key_type': 'EC', 'curve': 'P-256', 'use': 'signature', 'algorithm': 'ES256'} | apinizer.apiops.jwk_param_errors }}"
        invalid: "{{ {'key_type': 'EC', 'algorithm': 'RS256'} | apinizer.apiops.jwk_param_errors }}"

    - name: Show the problems found in EC + RS256
      ansible.builtin.debug:
        msg: "PARAM_ERRORS {{ {'key_type': 'EC', 'algorithm': 'RS256'} | apinizer.apiops.jwk_param_errors }}"
YAML
run group "$CORE_VENV/bin/ansible-playbook" "$WORK/group.yml"
recap group '>0'
no_warnings group
# The task lines: the first assignment changed, the second was ok.
"$ROOT/.venv/bin/python" - "$WORK/group.out" <<'PY' || fail "group: per-task results (above)"
import re
import sys

text = open(sys.argv[1]).read()
tasks = dict(re.findall(r'^TASK \[([^\]]+)\] \**\n(\w+): \[localhost\]', text, re.M))
want = {'Assign smoke-core for validation': 'changed', 'Assign it again': 'ok',
        'The first changed, the second did not': 'ok',
        'The filter accepts a valid set and names the problem of EC with RS256': 'ok'}
bad = {k: tasks.get(k) for k, v in want.items() if tasks.get(k) != v}
if bad:
    print(text)
    print('unexpected task results: %r (want %r)' % (bad, want))
    sys.exit(1)
m = re.search(r'"msg": "PARAM_ERRORS (.*)"', text)
if not m or m.group(1) in ('[]', ''):
    print(text)
    print('jwk_param_errors returned nothing for EC + RS256')
    sys.exit(1)
print('  ok: group: credential_jwk changed then ok; jwk_param_errors [] for a valid set, %s for EC+RS256' % m.group(1))
PY

echo "$NAME: all checks passed on $version in $(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
