#!/usr/bin/env bash
# Stage galaxy-importer: what Galaxy / Automation Hub run on an upload (ansible-doc, ansible-lint,
# metadata and content checks), with .venv-importer's galaxy-importer on the tarball build.sh
# made. ansible-test is off (it would want a container; sanity runs in its own stages). Any
# WARNING or ERROR line fails the stage, and Galaxy's supported range must be meta/runtime.yml's.
#   bash scripts/stages/galaxy-importer.sh       (after scripts/bootstrap.sh and scripts/build.sh)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv-importer"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/apinizer-importer.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
tarball="$(ls "$ROOT"/.build/dist/apinizer-apiops-*.tar.gz 2>/dev/null | head -1)"
[[ -n "$tarball" ]] || { echo "no tarball in .build/dist: run scripts/build.sh" >&2; exit 1; }
printf '[galaxy-importer]\nRUN_ANSIBLE_TEST = False\nRUN_ANSIBLE_DOC = True\nRUN_ANSIBLE_LINT = True\nLOG_LEVEL_MAIN = INFO\n' \
    > "$WORK/galaxy-importer.cfg"
"$VENV/bin/python" -m pip show galaxy-importer 2>/dev/null | sed -n 's/^Version: /galaxy-importer /p'
# cwd: it writes importer_result.json there. PATH: its own ansible-doc and ansible-lint.
(cd "$WORK" && GALAXY_IMPORTER_CONFIG="$WORK/galaxy-importer.cfg" PATH="$VENV/bin:$PATH" \
    "$VENV/bin/python" -m galaxy_importer.main "$tarball") 2>&1 | tee "$WORK/importer.out"
rc=${PIPESTATUS[0]}
[[ $rc -eq 0 ]] || { echo "galaxy-importer exited $rc" >&2; exit 1; }
if grep -nE '^(WARNING|ERROR|CRITICAL)|Traceback' "$WORK/importer.out"; then
    echo "galaxy-importer printed the warnings or errors above" >&2
    exit 1
fi
grep -q '^Importer processing completed successfully' "$WORK/importer.out" \
    || { echo "galaxy-importer did not report a successful import" >&2; exit 1; }
"$VENV/bin/python" - "$WORK/importer_result.json" "$ROOT/meta/runtime.yml" <<'PY'
import json
import sys

import yaml

result = json.load(open(sys.argv[1]))
want = yaml.safe_load(open(sys.argv[2]))['requires_ansible']
if result.get('requires_ansible') != want:
    sys.exit('importer_result.json requires_ansible %r != meta/runtime.yml %r' % (result.get('requires_ansible'), want))
print('importer: %d content items, requires_ansible %s' % (len(result.get('contents', [])), want))
PY
