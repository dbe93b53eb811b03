#!/usr/bin/env bash
# Create (idempotently) the project venvs from pinned requirements:
#   .venv       python3.11 + requirements-dev.txt (ansible-core 2.19, the newest for 3.11, and every tool)
#   .venv-2.16  python3.11 + ansible-core 2.16 (the oldest core meta/runtime.yml supports), for
#               sanity on the oldest version. Skip it with APINIZER_SKIP_OLDEST=1.
# A stamp holding the hash of the requirements makes a second run a no-op (about 0.1 s).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Newest 2.16 patch release that installs on Python 3.11 (checked with `pip index versions`).
OLDEST_CORE="ansible-core==2.16.19"

log() { echo "bootstrap.sh: $*"; }

# A real python3.11 binary, never a pyenv shim (the shims for python3.x are broken here).
find_python() {
    local candidates=()
    [[ -n "${APINIZER_PYTHON:-}" ]] && candidates+=("$APINIZER_PYTHON")
    candidates+=(/usr/bin/python3.11 /usr/local/bin/python3.11)
    local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
    if [[ -d "$pyenv_root/versions" ]]; then
        local v
        for v in $(ls -1 "$pyenv_root/versions" | grep -E '^3\.11\.[0-9]+$' | sort -t. -k3 -n -r); do
            candidates+=("$pyenv_root/versions/$v/bin/python3.11")
        done
    fi
    local c
    for c in "${candidates[@]}"; do
        [[ "$c" == */shims/* ]] && continue
        if [[ -x "$c" ]] && "$c" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            echo "$c"
            return 0
        fi
    done
    echo "bootstrap.sh: no usable python3.11 (with venv and ensurepip) found; set APINIZER_PYTHON" >&2
    return 1
}

# make_venv DIR STAMP_INPUT PIP_ARGS...
make_venv() {
    local dir="$1" stamp_input="$2"
    shift 2
    local want have=""
    want="$(printf '%s\n%s\n' "$stamp_input" "$*" | sha256sum | cut -d' ' -f1)"
    [[ -f "$dir/.requirements.sha256" ]] && have="$(cat "$dir/.requirements.sha256")"
    if [[ "$want" == "$have" ]] && "$dir/bin/python" -c 'import ansible' 2>/dev/null; then
        log "$dir is up to date"
        return 0
    fi
    if [[ ! -x "$dir/bin/python" ]] || ! "$dir/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
        rm -rf "$dir"
        log "creating $dir with $PYTHON"
        "$PYTHON" -m venv "$dir"
    fi
    log "installing into $dir: $*"
    "$dir/bin/python" -m pip install --disable-pip-version-check -q "$@"
    echo "$want" > "$dir/.requirements.sha256"
}

PYTHON="$(find_python)"

make_venv "$ROOT/.venv" "$(cat requirements-dev.txt requirements.txt)" -r requirements-dev.txt -r requirements.txt

if [[ "${APINIZER_SKIP_OLDEST:-0}" != "1" ]]; then
    # Oldest-version sanity only needs ansible-core itself: ansible-test builds its own venvs.
    make_venv "$ROOT/.venv-2.16" "$OLDEST_CORE" "$OLDEST_CORE" || {
        rm -rf "$ROOT/.venv-2.16"
        # In CI the oldest-core sanity is part of the gate: a missing venv must fail, not skip.
        if [[ "${CI:-}" == "true" ]]; then
            log "ERROR: could not create .venv-2.16 (ansible-core 2.16 sanity is required in CI)"
            exit 1
        fi
        log "WARNING: could not create .venv-2.16; sanity on ansible-core 2.16 will be skipped"
    }
fi
