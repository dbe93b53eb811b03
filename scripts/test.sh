#!/usr/bin/env bash
# Run all tests: the README's single test command, and exactly what .ci/run runs.
#
#   bash scripts/test.sh                 # every stage, in order
#   bash scripts/test.sh pytest lint     # only these stages (still bootstraps and builds first)
#
# Stages, in order:
#   pytest         unit + contract + integration tests (pytest -n 2, pytest.ini at the repo root)
#   sanity         ansible-test sanity, newest ansible-core (.venv), on the installed collection
#   sanity-oldest  ansible-test sanity, oldest supported ansible-core (.venv-2.16), if bootstrapped
#   units          ansible-test units on the installed collection
#   lint           ansible-lint --profile production
#   docs           antsibull-docs lint-collection-docs --plugin-docs, ansible-doc of every module/role
#   changelog      antsibull-changelog lint, CHANGELOG.rst up to date, a trial release renders
#   molecule       every scenario under extensions/molecule/
#   extra          every executable scripts/stages/*.sh, in name order (plug-in point)
# A stage whose inputs do not exist yet prints "SKIP <stage>: <reason>".
# Stops at the first failing stage (APINIZER_KEEP_GOING=1 runs the rest anyway) and prints a
# summary table; the exit status is non-zero when any stage failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

ALL_STAGES=(pytest sanity sanity-oldest units lint docs changelog molecule extra)
SKIP_RC=77

if [[ $# -gt 0 ]]; then
    STAGES=("$@")
    for s in "${STAGES[@]}"; do
        [[ " ${ALL_STAGES[*]} " == *" $s "* ]] || { echo "test.sh: unknown stage '$s' (stages: ${ALL_STAGES[*]})" >&2; exit 2; }
    done
else
    STAGES=("${ALL_STAGES[@]}")
fi

VENV="$ROOT/.venv"
VENV_OLDEST="$ROOT/.venv-2.16"
COLLECTIONS="$ROOT/.build/collections"
INSTALLED="$COLLECTIONS/ansible_collections/apinizer/apiops"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/apinizer-test.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

banner() { printf '\n===== %s =====\n' "$*"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
skip() { echo "SKIP $CURRENT: $*"; return $SKIP_RC; }

T0="$(now)"
banner "bootstrap + build"
bash scripts/bootstrap.sh || { echo "test.sh: bootstrap failed" >&2; exit 1; }
APINIZER_VENV="$VENV" bash scripts/build.sh || { echo "test.sh: build failed" >&2; exit 1; }
echo "bootstrap + build: $(elapsed "$T0" "$(now)") s"

export PATH="$VENV/bin:$PATH"
# pyenv's python3.x shims are broken here: never let ansible pick an interpreter itself.
export ANSIBLE_PYTHON_INTERPRETER="$VENV/bin/python"
export ANSIBLE_NOCOLOR=1 NO_COLOR=1 PY_COLORS=0
# pytest: the collection was just built; conftest must not rebuild it.
export APINIZER_SKIP_BUILD=1

# ansible-test builds venvs by downloading get-pip.py from a host that may be unreachable.
# It first looks for ~/.ansible/test/cache/get_pip_<pip version>.py: write a stand-in there,
# fresh on every run (a stale copy from an earlier run must not hide a problem), that boots pip
# from the interpreter's ensurepip and installs the pinned pip from the package index.
write_get_pip_shim() {
    local venv="$1" version
    version="$(sed -nE "s/.*pip='([0-9.]+)'.*/\1/p" "$venv"/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py | head -1)"
    [[ -n "$version" ]] || { echo "cannot find ansible-test's pip version in $venv" >&2; return 1; }
    mkdir -p "$HOME/.ansible/test/cache"
    cat > "$HOME/.ansible/test/cache/get_pip_${version//./_}.py" <<'PY'
# Written by scripts/test.sh: stands in for get-pip.py (ansible-test runs it with the pip
# arguments; --no-setuptools/--no-wheel are get-pip options, not pip ones).
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
subprocess.check_call([sys.executable, '-m', 'pip', 'install', '-q'] + args)
PY
}

# ansible-test runs inside .../ansible_collections/<ns>/<name>; a private copy of the installed
# tree holds exactly what ships and is safe from a concurrent rebuild of .build/.
TEST_TREE="$WORK/tree/ansible_collections/apinizer/apiops"
test_tree() {
    if [[ ! -d "$TEST_TREE" ]]; then
        mkdir -p "$(dirname "$TEST_TREE")"
        cp -a "$INSTALLED" "$TEST_TREE"
    fi
    echo "$TEST_TREE"
}

stage_pytest() {
    "$VENV/bin/python" -m pytest -n 2 -q -p no:cacheprovider
}

run_sanity() {
    local venv="$1" tree
    write_get_pip_shim "$venv" || return 1
    tree="$(test_tree)"
    "$venv/bin/ansible-test" --version
    (cd "$tree" && "$venv/bin/ansible-test" sanity --python 3.11 --color no)
}

stage_sanity() {
    run_sanity "$VENV"
}

stage_sanity_oldest() {
    [[ -x "$VENV_OLDEST/bin/ansible-test" ]] || { skip ".venv-2.16 not bootstrapped (APINIZER_SKIP_OLDEST=1?)"; return; }
    run_sanity "$VENV_OLDEST"
}

stage_units() {
    local tree
    tree="$(test_tree)"
    if [[ -z "$(find "$tree/tests/unit" -name 'test_*.py' -print -quit 2>/dev/null)" ]]; then
        skip "no tests/unit/**/test_*.py in the collection"
        return
    fi
    write_get_pip_shim "$VENV" || return 1
    # Local units need --requirements (else pytest lacks -n); all are already in .venv.
    (cd "$tree" && ansible-test units --python 3.11 --requirements --color no)
}

stage_lint() {
    # ansible-lint resolves the collection's own FQCNs offline from the installed tree.
    ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS" ANSIBLE_HOME="$WORK/lint-home" \
        ansible-lint --profile production --offline --nocolor
}

stage_docs() {
    local modules=() m rc=0
    antsibull-docs lint-collection-docs --plugin-docs "$INSTALLED" || rc=1
    for m in "$INSTALLED"/plugins/modules/*.py; do
        [[ -e "$m" ]] && modules+=("apinizer.apiops.$(basename "$m" .py)")
    done
    for m in "${modules[@]}"; do
        echo "ansible-doc $m"
        ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS" ansible-doc "$m" > "$WORK/doc.txt" 2>&1 || { cat "$WORK/doc.txt"; rc=1; }
        grep -E '^\[(WARNING|ERROR)\]' "$WORK/doc.txt" && rc=1
    done
    if [[ -d "$INSTALLED/roles/jwk_rotation" ]]; then
        echo "ansible-doc -t role apinizer.apiops.jwk_rotation"
        ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS" ansible-doc -t role apinizer.apiops.jwk_rotation > "$WORK/doc.txt" 2>&1 || { cat "$WORK/doc.txt"; rc=1; }
        grep -E '^\[(WARNING|ERROR)\]' "$WORK/doc.txt" && rc=1
    else
        echo "(no roles/jwk_rotation yet: role documentation not checked)"
    fi
    return $rc
}

stage_changelog() {
    local copy="$WORK/changelog/ansible_collections/apinizer/apiops" version
    antsibull-changelog lint || return 1
    mkdir -p "$copy"
    cp -a galaxy.yml meta plugins changelogs CHANGELOG.rst "$copy"/
    [[ -d roles ]] && cp -a roles "$copy"/
    if grep -qE '^releases: *\{\}' changelogs/changelog.yaml; then
        echo "no release in changelogs/changelog.yaml yet: CHANGELOG.rst is generated by the first release"
    else
        # generate must reproduce the committed CHANGELOG.rst exactly.
        (cd "$copy" && antsibull-changelog generate) || return 1
        if ! diff -u CHANGELOG.rst "$copy/CHANGELOG.rst"; then
            echo "CHANGELOG.rst is stale: run 'antsibull-changelog generate' and commit the result" >&2
            return 1
        fi
    fi
    # A trial release of galaxy.yml's version (in the copy) proves every fragment and the plugin
    # scan render.
    version="$(awk '/^version:/ {print $2}' galaxy.yml)"
    if grep -qE "^  '?$version'?:" changelogs/changelog.yaml; then
        echo "galaxy.yml's version $version is released; CHANGELOG.rst reproduced by generate"
        ls changelogs/fragments/*.yml >/dev/null 2>&1 && echo "fragments wait for the next release: $(ls changelogs/fragments/*.yml | xargs -n1 basename | tr '\n' ' ')"
        return 0
    fi
    (cd "$copy" && antsibull-changelog release --version "$version" --date "$(date +%Y-%m-%d)") || return 1
    grep -q "^v$version\$" "$copy/CHANGELOG.rst" || { echo "trial release did not render v$version" >&2; return 1; }
    echo "trial release $version renders $(grep -c '^- ' "$copy/CHANGELOG.rst") entries"
}

stage_molecule() {
    local scenarios=() d rc=0
    for d in extensions/molecule/*/; do
        [[ -f "$d/molecule.yml" ]] && scenarios+=("$(basename "$d")")
    done
    [[ ${#scenarios[@]} -gt 0 ]] || { skip "no extensions/molecule/*/molecule.yml"; return; }
    for s in "${scenarios[@]}"; do
        echo "--- molecule test -s $s"
        # Collection mode installs the collection into $ANSIBLE_HOME/collections: isolate it,
        # and leave ANSIBLE_COLLECTIONS_PATH unset or converge would miss the role.
        (unset ANSIBLE_COLLECTIONS_PATH; export ANSIBLE_HOME="$WORK/molecule-home-$s"; molecule test -s "$s") || { rc=1; break; }
    done
    return $rc
}

stage_extra() {
    local scripts=() f rc=0
    for f in scripts/stages/*.sh; do
        [[ -f "$f" && -x "$f" ]] && scripts+=("$f")
    done
    [[ ${#scripts[@]} -gt 0 ]] || { skip "no executable scripts/stages/*.sh"; return; }
    for f in "${scripts[@]}"; do
        local t
        t="$(now)"
        echo "--- $f"
        if "$f"; then
            echo "--- $f passed in $(elapsed "$t" "$(now)") s"
        else
            echo "--- $f FAILED after $(elapsed "$t" "$(now)") s"
            rc=1
            [[ "${APINIZER_KEEP_GOING:-0}" == "1" ]] || break
        fi
    done
    return $rc
}

declare -a R_NAME R_RESULT R_SECONDS
passed=0 failed=0 skipped=0 stop=0
for CURRENT in "${STAGES[@]}"; do
    if [[ $stop -eq 1 ]]; then
        R_NAME+=("$CURRENT"); R_RESULT+=("not run"); R_SECONDS+=("-")
        continue
    fi
    banner "stage: $CURRENT"
    t="$(now)"
    "stage_${CURRENT//-/_}"
    rc=$?
    secs="$(elapsed "$t" "$(now)")"
    R_NAME+=("$CURRENT"); R_SECONDS+=("$secs")
    if [[ $rc -eq 0 ]]; then
        R_RESULT+=("passed"); passed=$((passed + 1))
        echo "stage $CURRENT passed in $secs s"
    elif [[ $rc -eq $SKIP_RC ]]; then
        R_RESULT+=("skipped"); skipped=$((skipped + 1))
    else
        R_RESULT+=("FAILED"); failed=$((failed + 1))
        echo "stage $CURRENT FAILED (rc=$rc) after $secs s"
        [[ "${APINIZER_KEEP_GOING:-0}" == "1" ]] || stop=1
    fi
done

banner "summary"
printf '%-14s %-8s %8s\n' stage result seconds
for i in "${!R_NAME[@]}"; do
    printf '%-14s %-8s %8s\n' "${R_NAME[$i]}" "${R_RESULT[$i]}" "${R_SECONDS[$i]}"
done
echo "total $(elapsed "$T0" "$(now)") s"
echo "$skipped skipped, $(( ${#STAGES[@]} - passed - failed - skipped )) not run"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
