#!/usr/bin/env bash
# Stage: ansible-test KIND (sanity, units or integration) with ansible-core CORE, the way
# scripts/test.sh runs the stages sanity-<core>, units-<core> and targets-<core>.
#   bash scripts/stages/ansible-test.sh sanity 2.16       (after scripts/bootstrap.sh and scripts/build.sh)
#   APINIZER_TARGETS=apinizer_jwk bash scripts/stages/ansible-test.sh integration 2.21   (one target)
# ansible-test runs inside .../ansible_collections/<namespace>/<name>: a private copy of the
# installed collection (exactly what ships, safe from a concurrent rebuild of .build/), plus the
# repository's integration targets (not shipped: they need the emulator; sanity lints them too).
set -euo pipefail

KIND="$1" CORE="$2"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv-$CORE"
[[ "$CORE" == 2.19 ]] && VENV="$ROOT/.venv"
PYTHON_VERSION="$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/apinizer-$KIND-$CORE.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# ansible-test builds its venvs with get-pip.py from a host a restricted network may not reach; it first
# looks for ~/.ansible/test/cache/get_pip_<pip version>.py. A stand-in written on every run (a copy
# left by an earlier run must not hide its absence) boots pip from ensurepip, then installs the
# requested pip from the package index.
pip_version="$(sed -nE "s/.*pip='([0-9.]+)'.*/\1/p" "$VENV"/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py | head -1)"
[[ -n "$pip_version" ]] || { echo "cannot find ansible-test's pip version in $VENV" >&2; exit 1; }
mkdir -p "$HOME/.ansible/test/cache"
cat > "$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py" <<'PY'
# Written by scripts/stages/ansible-test.sh: stands in for get-pip.py (--no-setuptools/--no-wheel
# are get-pip options, not pip ones).
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
subprocess.check_call([sys.executable, '-m', 'pip', 'install', '-q'] + args)
PY

TREE="$WORK/ansible_collections/apinizer/apiops"
mkdir -p "$(dirname "$TREE")"
cp -a "$ROOT/.build/collections/ansible_collections/apinizer/apiops" "$TREE"
mkdir -p "$TREE/tests/integration"
cp -a "$ROOT/tests/integration/targets" "$TREE/tests/integration/"
"$VENV/bin/ansible-test" --version

case "$KIND" in
    sanity) args=(sanity) ;;
    # Local units need --requirements (else pytest lacks -n); the venv already has them all.
    units) args=(units --requirements) ;;
    integration)
        # ansible-test passes no environment variable through: integration_config.yml (read as extra
        # vars) tells setup_emulator where the emulator's source is and which python runs it.
        printf -- '---\napinizer_emulator_source: %s\napinizer_emulator_python: %s\n' \
            "$ROOT/emulator" "$VENV/bin/python" > "$TREE/tests/integration/integration_config.yml"
        # shellcheck disable=SC2206
        args=(integration --local ${APINIZER_TARGETS:-}) ;;
    *) echo "ansible-test.sh: unknown kind '$KIND' (sanity, units, integration)" >&2; exit 2 ;;
esac
# --python equal to the venv's own version makes ansible-test use the venv's interpreter, never a
# pyenv shim. An integration run gets a home of its own: it creates ~/.ansible/test/id_rsa when
# there is none, and two runs at once would race on it (--local builds no venv, so nothing is lost).
cd "$TREE"
[[ "$KIND" == integration ]] && export HOME="$WORK/home" && mkdir -p "$HOME"
"$VENV/bin/ansible-test" "${args[@]}" --python "$PYTHON_VERSION" --color no
