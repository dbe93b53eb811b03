#!/usr/bin/env bash
# Build the collection with ansible-galaxy and install the tarball into .build/collections,
# the tree every test imports and runs (ANSIBLE_COLLECTIONS_PATH=<repo>/.build/collections).
# Fails when the tarball carries anything that must not ship (venvs, caches, emulator, ...).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENV="${APINIZER_VENV:-$ROOT/.venv}"
GALAXY="$VENV/bin/ansible-galaxy"
[[ -x "$GALAXY" ]] || { echo "build.sh: $GALAXY not found; run scripts/bootstrap.sh first" >&2; exit 1; }

DIST="$ROOT/.build/dist"
COLLECTIONS="$ROOT/.build/collections"
INSTALLED="$COLLECTIONS/ansible_collections/apinizer/apiops"
mkdir -p "$ROOT/.build"

# Several pytest sessions may share this checkout: serialise builds so that two of them
# never interleave writes into .build/.
exec 9>"$ROOT/.build/.lock"
flock 9

rm -rf "$DIST"
mkdir -p "$DIST" "$COLLECTIONS"
"$GALAXY" collection build --force --output-path "$DIST" "$ROOT" >/dev/null
shopt -s nullglob
tarballs=("$DIST"/apinizer-apiops-*.tar.gz)
[[ ${#tarballs[@]} -eq 1 ]] || { echo "build.sh: expected one tarball in $DIST, got ${#tarballs[@]}" >&2; exit 1; }
TARBALL="${tarballs[0]}"

# What must never ship: development venvs and caches, the emulator, the CI and helper
# scripts, tests that need the repository (integration, contract), build output, secrets.
FORBIDDEN='(^|/)(\.venv[^/]*|\.build|\.ansible|\.cache|\.pytest_cache|__pycache__|\.git|\.ci|\.tox|tests/output|context)(/|$)|\.pyc$|\.tar\.gz$|^(\./)?(emulator|scripts|benchmarks|extensions)(/|$)|^(\./)?tests/(integration|contract|inprocess|lib|conftest\.py)|^(\./)?(pytest\.ini|requirements-dev\.txt|\.gitignore|\.ansible-lint|\.yamllint)$|changelogs/\.plugin-cache\.yaml$'
listing="$(tar -tzf "$TARBALL")"
if bad="$(grep -E "$FORBIDDEN" <<<"$listing")"; then
    echo "build.sh: $TARBALL carries files that must not ship:" >&2
    echo "$bad" >&2
    exit 1
fi
required=(MANIFEST.json FILES.json meta/runtime.yml)
# The README is written by another part of the project; until it exists only warn.
if [[ -f README.md ]]; then required+=(README.md); else echo "build.sh: WARNING: README.md does not exist yet" >&2; fi
for f in "${required[@]}"; do
    grep -qxE "(\./)?$f" <<<"$listing" || { echo "build.sh: $f missing from $TARBALL" >&2; exit 1; }
done

# Install into a fresh directory, then swap it in, so a concurrently running test sees
# either the old or the new tree, never a half-written one.
STAGE="$(mktemp -d "$ROOT/.build/install.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
"$GALAXY" collection install --force --no-deps -p "$STAGE" "$TARBALL" >/dev/null 2>&1 \
    || "$GALAXY" collection install --force --no-deps -p "$STAGE" "$TARBALL"
mkdir -p "$(dirname "$INSTALLED")"
if [[ -d "$INSTALLED" ]]; then
    mv "$INSTALLED" "$STAGE/old"
fi
mv "$STAGE/ansible_collections/apinizer/apiops" "$INSTALLED"
echo "build.sh: built $(basename "$TARBALL") ($(wc -l <<<"$listing") entries), installed into ${INSTALLED#"$ROOT"/}"
