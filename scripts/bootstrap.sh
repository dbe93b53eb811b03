#!/usr/bin/env bash
# Create (idempotently) the project venvs from pinned requirements. The test matrix
# (docs/tested-versions.md):
#   .venv           Python 3.11, requirements-dev.txt: ansible-core 2.19 (the newest for 3.11)
#                   and every tool
#   .venv-2.16      Python 3.11, ansible-core 2.16 (the oldest core meta/runtime.yml supports)
#                   + requirements-matrix.txt (pytest, requests, cryptography)
#   .venv-2.21      Python 3.12 or 3.13 (an absolute path under $(pyenv root)/versions, never a
#                   pyenv shim), ansible-core 2.21 (the newest) + requirements-matrix.txt
#   .venv-importer  Python 3.11, requirements-importer.txt (galaxy-importer pins its own
#                   ansible-core and ansible-lint)
# APINIZER_SKIP_OLDEST=1 / APINIZER_SKIP_NEWEST=1 / APINIZER_SKIP_IMPORTER=1 skip one of the
# last three (scripts/test.sh then prints SKIP for its stages). Without a Python 3.12+ the 2.21
# venv is skipped with a warning; in CI (CI=true) a venv that cannot be built fails, and so does
# a missing 3.12+ interpreter on a machine whose pyenv lists one.
# The three extra venvs install concurrently (network-bound pip runs into separate venvs).
# A stamp holding the hash of the requirements makes a second run a no-op (about 0.1 s).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Newest 2.16 patch release that installs on Python 3.11 (checked with `pip index versions`).
OLDEST_CORE="ansible-core==2.16.19"
# Newest ansible-core on the package index; needs Python 3.12+.
NEWEST_CORE="ansible-core==2.21.5"

log() { echo "bootstrap.sh: $*"; }

# python_ok PATH MAJOR.MINOR: a real interpreter of that version with venv and ensurepip.
python_ok() {
    local want="$2"
    [[ "$1" != */shims/* && -x "$1" ]] || return 1
    "$1" -c 'import sys, venv, ensurepip; sys.exit("%d.%d" % sys.version_info[:2] != sys.argv[1])' "$want" 2>/dev/null
}

pyenv_root() {
    if [[ -n "${PYENV_ROOT:-}" ]]; then
        echo "$PYENV_ROOT"
    elif command -v pyenv >/dev/null 2>&1; then
        pyenv root
    else
        echo "$HOME/.pyenv"
    fi
}

# pyenv_pythons MINOR...: absolute paths of pyenv's builds of 3.MINOR, newest patch first.
pyenv_pythons() {
    local root v minor
    root="$(pyenv_root)"
    [[ -d "$root/versions" ]] || return 0
    for minor in "$@"; do
        for v in $(ls -1 "$root/versions" | grep -E "^3\.$minor\.[0-9]+\$" | sort -t. -k3 -n -r); do
            echo "$root/versions/$v/bin/python3.$minor"
        done
    done
}

# A real python3.11 binary, never a pyenv shim (a shim fails for a version pyenv does not hold).
find_python() {
    local candidates=() c
    [[ -n "${APINIZER_PYTHON:-}" ]] && candidates+=("$APINIZER_PYTHON")
    candidates+=(/usr/bin/python3.11 /usr/local/bin/python3.11)
    while read -r c; do candidates+=("$c"); done < <(pyenv_pythons 11)
    for c in "${candidates[@]}"; do
        python_ok "$c" 3.11 && { echo "$c"; return 0; }
    done
    echo "bootstrap.sh: no usable python3.11 (with venv and ensurepip) found; set APINIZER_PYTHON" >&2
    return 1
}

# The newest core's interpreter: APINIZER_PYTHON_NEWEST, else pyenv's 3.12 (the version
# ansible-core 2.21 is tested with), else 3.13. Prints nothing when none works.
find_python_newest() {
    local candidates=() c
    [[ -n "${APINIZER_PYTHON_NEWEST:-}" ]] && candidates+=("$APINIZER_PYTHON_NEWEST")
    while read -r c; do candidates+=("$c"); done < <(pyenv_pythons 12 13)
    for c in "${candidates[@]}"; do
        local v
        v="$(basename "$c" | sed -nE 's/^python(3\.[0-9]+)$/\1/p')"
        [[ -z "$v" ]] && v="$("$c" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)"
        [[ "$v" == 3.1[2-9] ]] && python_ok "$c" "$v" && { echo "$c"; return 0; }
    done
    return 0
}

# make_venv DIR PYTHON STAMP_INPUT PIP_ARGS...
make_venv() {
    local dir="$1" python="$2" stamp_input="$3"
    shift 3
    local want have="" version
    version="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    want="$(printf '%s\n%s\n%s\n' "$python" "$stamp_input" "$*" | sha256sum | cut -d' ' -f1)"
    [[ -f "$dir/.requirements.sha256" ]] && have="$(cat "$dir/.requirements.sha256")"
    if [[ "$want" == "$have" ]] && "$dir/bin/python" -c 'import ansible' 2>/dev/null; then
        log "$dir is up to date"
        return 0
    fi
    if [[ ! -x "$dir/bin/python" ]] || ! python_ok "$dir/bin/python" "$version"; then
        rm -rf "$dir"
        log "creating $dir with $python"
        "$python" -m venv "$dir"
    fi
    log "installing into $dir: $*"
    "$dir/bin/python" -m pip install --disable-pip-version-check -q "$@"
    echo "$want" > "$dir/.requirements.sha256"
}

# In CI every venv of the matrix is required.
in_ci() { [[ "${CI:-}" == "true" ]]; }

PYTHON="$(find_python)"
MATRIX="$(cat requirements-matrix.txt)"
LOGS="$(mktemp -d "${TMPDIR:-/tmp}/apinizer-bootstrap.XXXXXX")"
trap 'rm -rf "$LOGS"' EXIT
declare -A JOBS=()

# start NAME DIR PYTHON STAMP PIP_ARGS...: make_venv in the background, output to a log.
start() {
    local name="$1"
    shift
    make_venv "$@" > "$LOGS/$name.log" 2>&1 &
    JOBS[$name]=$!
}

if [[ "${APINIZER_SKIP_OLDEST:-0}" != "1" ]]; then
    start 2.16 "$ROOT/.venv-2.16" "$PYTHON" "$OLDEST_CORE$MATRIX" "$OLDEST_CORE" -r requirements-matrix.txt
fi

NEWEST_REASON=""
if [[ "${APINIZER_SKIP_NEWEST:-0}" == "1" ]]; then
    NEWEST_REASON="APINIZER_SKIP_NEWEST=1"
else
    PYTHON_NEWEST="$(find_python_newest)"
    if [[ -n "$PYTHON_NEWEST" ]]; then
        start 2.21 "$ROOT/.venv-2.21" "$PYTHON_NEWEST" "$NEWEST_CORE$MATRIX" "$NEWEST_CORE" -r requirements-matrix.txt
    else
        listed="$(ls -1 "$(pyenv_root)/versions" 2>/dev/null | grep -E '^3\.(1[2-9])\.' | tr '\n' ' ' || true)"
        if [[ -n "$listed" ]] && in_ci; then
            log "ERROR: pyenv lists Python $listed but no usable python3.12+ binary was found under $(pyenv_root)/versions (ansible-core 2.21 is required in CI)"
            exit 1
        fi
        NEWEST_REASON="no Python 3.12 or newer under $(pyenv_root)/versions (nor APINIZER_PYTHON_NEWEST)"
        rm -rf "$ROOT/.venv-2.21"
        log "WARNING: $NEWEST_REASON; the ansible-core 2.21 stages will be skipped"
    fi
fi

if [[ "${APINIZER_SKIP_IMPORTER:-0}" != "1" ]]; then
    start importer "$ROOT/.venv-importer" "$PYTHON" "$(cat requirements-importer.txt)" -r requirements-importer.txt
fi

make_venv "$ROOT/.venv" "$PYTHON" "$(cat requirements-dev.txt requirements.txt)" -r requirements-dev.txt -r requirements.txt

failed=0
for name in "${!JOBS[@]}"; do
    dir="$ROOT/.venv-$name"
    if wait "${JOBS[$name]}"; then
        grep -v "^WARNING: Location 'file:" "$LOGS/$name.log" || true
        continue
    fi
    grep -v "^WARNING: Location 'file:" "$LOGS/$name.log" || true
    rm -rf "$dir"
    # In CI every venv of the matrix is part of the gate: one that cannot be built fails.
    if in_ci; then
        log "ERROR: could not create $dir (required in CI)"
        failed=1
    else
        log "WARNING: could not create $dir; its stages will be skipped"
    fi
done
exit $failed
