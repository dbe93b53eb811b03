#!/usr/bin/env bash
# Stage awx: what AWX / Ansible Automation Platform users rely on (see scripts/awx_check.py):
#   - awx/credential_type.yml passes AWX's own validation rules;
#   - `ansible-builder create` turns awx/execution-environment.yml into a build context whose
#     introspection picks up the collection's requests, cryptography and bindep entries;
#   - playbooks/rotate.yml runs through ansible-runner like an AWX job (env/envvars rendered
#     from the credential type, job-template extra vars), twice, against the emulator over
#     HTTPS; status, rc, events, set_stats and the absence of secrets are checked;
#   - the README's ad-hoc commands, driven only by APINIZER_* variables.
# Alone: bash scripts/build.sh && bash scripts/stages/awx.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PYTHON="${APINIZER_VENV:-$ROOT/.venv}/bin/python"

if [[ ! -f playbooks/rotate.yml ]]; then
    echo "awx: playbooks/rotate.yml does not exist: the AWX job check has nothing to run" >&2
    exit 1
fi
exec "$PYTHON" scripts/awx_check.py credential-type ee runner adhoc
