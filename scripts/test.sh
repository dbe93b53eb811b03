#!/usr/bin/env bash
# Run all tests: the README's single test command, and exactly what .ci/run runs.
#
#   bash scripts/test.sh                 # the default stages (what CI runs)
#   bash scripts/test.sh pytest lint     # only these stages (still bootstraps and builds first)
#
# The matrix (docs/tested-versions.md): ansible-core 2.19 on Python 3.11 (.venv, every tool),
# 2.16 on Python 3.11 (.venv-2.16, the oldest supported) and 2.21 on Python 3.12+ (.venv-2.21,
# the newest; an absolute path under $(pyenv root)/versions, never a pyenv shim).
# Stages (the default set: every one but targets-2.19):
#   sanity-2.19      ansible-test sanity on the installed collection (+ the integration targets)
#   units            ansible-test units on the installed collection
#   sanity-2.16      ansible-test sanity on 2.16
#   sanity-2.21      ansible-test sanity on 2.21
#   lint             ansible-lint --profile production
#   docs             antsibull-docs lint-collection-docs --plugin-docs, ansible-doc of every module/role
#   changelog        antsibull-changelog lint, CHANGELOG.rst up to date, a trial release renders
#   galaxy-importer  galaxy-importer (.venv-importer) on the built tarball, ansible-test off:
#                    fails on any WARNING or ERROR it prints
#   targets-2.16     ansible-test integration: tests/integration/targets/ against the emulator
#   targets-2.21     the same on the newest core (targets-2.19 only when named: the pytest
#                    stage runs every flow of the targets and more on 2.19)
#   molecule         every scenario under extensions/molecule/
#   extra            every executable scripts/stages/*.sh, in name order (plug-in point)
#   pytest           unit + contract + integration tests on 2.19 (pytest -n 2, pytest.ini)
#   pytest-2.16      the pytest integration suite (robustness included; the role-flow and interop
#                    suites only with APINIZER_CORE_FULL=1) on 2.16: ansible-playbook,
#                    modules and pytest all run from .venv-2.16
#   pytest-2.21      the pytest integration suite on 2.21 (Python 3.12+)
# How they are scheduled (two lanes side by side, then the pytest stages alone): "scheduling"
# below. A stage whose inputs do not exist yet prints "SKIP <stage>: <reason>"; a matrix stage
# whose venv was not built prints SKIP with the reason outside CI and fails in CI (CI=true).
# A failing stage stops every stage not yet started (APINIZER_KEEP_GOING=1 runs the rest
# anyway); the summary table gives each stage's result, wall time and CPU time, and the exit
# status is non-zero when any stage failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DEFAULT_STAGES=(sanity-2.19 units sanity-2.16 sanity-2.21 lint docs changelog galaxy-importer
                targets-2.16 targets-2.21 molecule extra pytest pytest-2.16 pytest-2.21)
ALL_STAGES=("${DEFAULT_STAGES[@]}" targets-2.19)
SKIP_RC=77
# How the stages run: see "scheduling" below.
HEAVY=(pytest pytest-2.16 pytest-2.21)
LANE_A=(sanity-2.19 units sanity-2.16 sanity-2.21 lint docs changelog galaxy-importer targets-2.16)
LANE_B=(molecule targets-2.21 targets-2.19 extra)
# Each stage in exactly one of them: one in none would never run, and the run would still pass.
for s in "${ALL_STAGES[@]}"; do
    n=0
    for t in "${HEAVY[@]}" "${LANE_A[@]}" "${LANE_B[@]}"; do
        [[ "$t" == "$s" ]] && n=$((n + 1))
    done
    [[ $n -eq 1 ]] || { echo "test.sh: stage $s is in $n of HEAVY, LANE_A, LANE_B (must be 1)" >&2; exit 2; }
done

if [[ $# -gt 0 ]]; then
    STAGES=("$@")
    for s in "${STAGES[@]}"; do
        [[ " ${ALL_STAGES[*]} " == *" $s "* ]] || { echo "test.sh: unknown stage '$s' (stages: ${ALL_STAGES[*]})" >&2; exit 2; }
    done
else
    STAGES=("${DEFAULT_STAGES[@]}")
fi

VENV="$ROOT/.venv"
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
# tree holds exactly what ships and is safe from a concurrent rebuild of .build/. The
# repository's ansible-test integration targets (tests/integration/targets, not shipped: they
# need the emulator) are added to it, so sanity lints them too.
TEST_TREE="$WORK/tree/ansible_collections/apinizer/apiops"
test_tree() {
    if [[ ! -d "$TEST_TREE" ]]; then
        mkdir -p "$(dirname "$TEST_TREE")"
        cp -a "$INSTALLED" "$TEST_TREE"
        if [[ -d tests/integration/targets ]]; then
            mkdir -p "$TEST_TREE/tests/integration"
            cp -a tests/integration/targets "$TEST_TREE/tests/integration/"
        fi
    fi
    echo "$TEST_TREE"
}

# --- the matrix ------------------------------------------------------------------------------

# venv_of CORE: the venv that holds ansible-core CORE.
venv_of() {
    if [[ "$1" == "2.19" ]]; then echo "$VENV"; else echo "$ROOT/.venv-$1"; fi
}

pyenv_root() {
    if [[ -n "${PYENV_ROOT:-}" ]]; then echo "$PYENV_ROOT"
    elif command -v pyenv >/dev/null 2>&1; then pyenv root
    else echo "$HOME/.pyenv"; fi
}

# need_core CORE: the venv of CORE exists and holds that core; otherwise SKIP with the reason
# (outside CI, or in CI where the machine has no interpreter for it) or fail (in CI).
need_core() {
    local core="$1" venv reason have
    venv="$(venv_of "$core")"
    if [[ -x "$venv/bin/ansible-test" ]]; then
        have="$("$venv/bin/python" -c 'import ansible.release as r; print(".".join(r.__version__.split(".")[:2]))' 2>/dev/null)"
        [[ "$have" == "$core" ]] && return 0
        echo "$CURRENT: $venv holds ansible-core $have, not $core: rerun scripts/bootstrap.sh" >&2
        return 1
    fi
    case "$core" in
        2.16) reason="$venv not bootstrapped (APINIZER_SKIP_OLDEST=1?)" ;;
        2.21)
            if ! ls "$(pyenv_root)"/versions/3.1[2-9].*/bin/python3.1[2-9] >/dev/null 2>&1 && [[ -z "${APINIZER_PYTHON_NEWEST:-}" ]]; then
                skip "no Python 3.12 or newer on this machine (looked under $(pyenv_root)/versions; set APINIZER_PYTHON_NEWEST): ansible-core 2.21 needs one"
                return
            fi
            reason="$venv not bootstrapped (APINIZER_SKIP_NEWEST=1?)" ;;
        *) reason="$venv not bootstrapped" ;;
    esac
    if [[ "${CI:-}" == "true" ]]; then
        echo "$CURRENT: $reason; CI requires every core of the matrix" >&2
        return 1
    fi
    skip "$reason"
}

# python_version VENV: "3.11", "3.12", ...
python_version() {
    "$1/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])'
}

stage_pytest() {
    "$VENV/bin/python" -m pytest -n 2 -q -p no:cacheprovider
}

# The pytest integration suite (robustness included) with pytest, ansible-playbook and the
# modules all from the core's venv (tests/integration/conftest.py runs the ansible-playbook next
# to sys.executable and uses sys.executable as the module interpreter). Units and contract tests
# do not depend on the core: they run once, in the pytest stage.
stage_pytest_core() {
    local core="$1" venv
    need_core "$core" || return
    venv="$(venv_of "$core")"
    "$venv/bin/ansible" --version > "$WORK/version.txt" && head -2 "$WORK/version.txt"  # no pipe into head: EPIPE under pipefail
    # Every module suite and every robustness suite (the hostile suite runs the role too). The
    # role's flow suite and the JOSE interop suite depend on no core feature the others miss and
    # are the longest (about half of the run): on 2.16 and 2.21 the role is covered by the
    # jwk_rotation_role target, the hostile suite and 10-core-smoke.sh. APINIZER_CORE_FULL=1 runs
    # them on every core too (docs/performance.md has the timings of both).
    local skip=(--ignore=tests/integration/test_jwk_rotation.py --ignore=tests/integration/test_interop.py)
    [[ "${APINIZER_CORE_FULL:-0}" == "1" ]] && skip=()
    "$venv/bin/python" -m pytest -n 2 -q -p no:cacheprovider "${skip[@]}" tests/integration
}

stage_sanity() {
    local core="$1" venv tree
    need_core "$core" || return
    venv="$(venv_of "$core")"
    write_get_pip_shim "$venv" || return 1
    tree="$(test_tree)"
    "$venv/bin/ansible-test" --version
    # --python equal to the venv's own version makes ansible-test use the venv's interpreter
    # (sys.executable), never a pyenv shim.
    (cd "$tree" && "$venv/bin/ansible-test" sanity --python "$(python_version "$venv")" --color no)
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

# ansible-test integration --local: every target of tests/integration/targets on this core,
# the modules under the venv's python (it has requests and cryptography). ansible-test passes
# no environment variable through, so integration_config.yml (its documented way, read as
# extra vars) tells setup_emulator where the emulator's source is and which python runs it.
stage_targets() {
    local core="$1" venv tree py
    need_core "$core" || return
    [[ -d tests/integration/targets ]] || { skip "no tests/integration/targets"; return; }
    venv="$(venv_of "$core")"
    tree="$(test_tree)"
    py="$(python_version "$venv")"
    cat > "$tree/tests/integration/integration_config.yml" <<YAML
---
# Written by scripts/test.sh for ansible-test integration (setup_emulator target).
apinizer_emulator_source: $ROOT/emulator
apinizer_emulator_python: $venv/bin/python
YAML
    "$venv/bin/ansible-test" --version
    # APINIZER_TARGETS="a b" runs only those targets (while developing one).
    # One ansible-test integration run at a time, whichever lane it is in: the first one on a
    # machine creates ~/.ansible/test/id_rsa, and two would race on it.
    # shellcheck disable=SC2086
    (cd "$tree" && flock "$WORK/ansible-test-integration.lock" \
        "$venv/bin/ansible-test" integration --local --python "$py" --color no ${APINIZER_TARGETS:-})
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

# galaxy-importer: what Galaxy / Automation Hub run on an upload (ansible-doc, ansible-lint,
# metadata and content checks), on the tarball build.sh made. ansible-test is off (it would
# want a container; sanity runs in its own stages). Any WARNING or ERROR line fails the stage.
stage_galaxy_importer() {
    local venv="$ROOT/.venv-importer" tarball dir="$WORK/importer" out rc=0
    if [[ ! -x "$venv/bin/python" ]]; then
        [[ "${CI:-}" == "true" ]] && { echo "$venv is missing; CI requires galaxy-importer" >&2; return 1; }
        skip "$venv not bootstrapped (APINIZER_SKIP_IMPORTER=1?)"
        return
    fi
    tarball="$(ls "$ROOT"/.build/dist/apinizer-apiops-*.tar.gz 2>/dev/null | head -1)"
    [[ -n "$tarball" ]] || { echo "no tarball in .build/dist: build.sh did not run" >&2; return 1; }
    mkdir -p "$dir"
    cat > "$dir/galaxy-importer.cfg" <<'CFG'
[galaxy-importer]
RUN_ANSIBLE_TEST = False
RUN_ANSIBLE_DOC = True
RUN_ANSIBLE_LINT = True
LOG_LEVEL_MAIN = INFO
CFG
    "$venv/bin/python" -m pip show galaxy-importer 2>/dev/null | grep -E '^Version:' | sed 's/^/galaxy-importer /'
    out="$dir/importer.out"
    # cwd: it writes importer_result.json there. PATH: its own ansible-doc / ansible-lint.
    (cd "$dir" && GALAXY_IMPORTER_CONFIG="$dir/galaxy-importer.cfg" PATH="$venv/bin:$PATH" \
        "$venv/bin/python" -m galaxy_importer.main "$tarball") > "$out" 2>&1 || rc=$?
    cat "$out"
    [[ $rc -eq 0 ]] || { echo "galaxy-importer exited $rc" >&2; return 1; }
    if grep -nE '^(WARNING|ERROR|CRITICAL)|Traceback' "$out"; then
        echo "galaxy-importer printed the warnings or errors above" >&2
        return 1
    fi
    grep -q '^Importer processing completed successfully' "$out" \
        || { echo "galaxy-importer did not report a successful import" >&2; return 1; }
    # What Galaxy shows as the supported range must be meta/runtime.yml's.
    "$venv/bin/python" - "$dir/importer_result.json" meta/runtime.yml <<'PY'
import json
import sys

import yaml

result = json.load(open(sys.argv[1]))
want = yaml.safe_load(open(sys.argv[2]))['requires_ansible']
if result.get('requires_ansible') != want:
    sys.exit('importer_result.json requires_ansible %r != meta/runtime.yml %r' % (result.get('requires_ansible'), want))
print('importer: %d content items, requires_ansible %s' % (len(result.get('contents', [])), want))
PY
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

# --- scheduling ----------------------------------------------------------------------------
# The pytest stages keep both cores nearly busy by themselves (pytest -n 2: 1.6 to 1.8 cores
# measured): they run alone, one after another, after the others. Every other stage is mostly
# one process at a time (ansible-test runs its tests in sequence, molecule and the extra
# scripts run one playbook after another): they run in two lanes side by side, each lane's
# stages in order. Lane A: the ansible-test sanity and units runs (they build and share venvs
# under ~/.ansible/test, so never two at once), the static checks, then targets-2.16; lane B:
# molecule, targets-2.21 and the extra scripts. The targets stages never overlap either
# (stage_targets holds a lock). The lanes take about as long (docs/performance.md has each
# stage's wall and CPU time). No lane stage depends on timing (the benchmark's wall-time
# ratios only warn in CI), and every emulator they start listens on its own ephemeral port.
# Running the lanes beside the pytest stages, even at nice 19, slowed those by two thirds
# (measured): they do not share the CPU well. APINIZER_SERIAL=1 runs every stage alone, in
# ALL_STAGES order. The lists HEAVY, LANE_A and LANE_B are at the top of this file.

STATUS="$WORK/status"
mkdir -p "$STATUS"

selected() { [[ " ${STAGES[*]} " == *" $1 "* ]]; }

# dispatch NAME: <kind>-<core> stages (pytest-2.16, sanity-2.21, ...) call stage_<kind> <core>.
dispatch() {
    local kind
    if [[ "$1" =~ ^(.*)-(2\.[0-9]+)$ ]]; then
        kind="${BASH_REMATCH[1]}"
        [[ "$kind" == pytest ]] && kind=pytest_core
        "stage_${kind//-/_}" "${BASH_REMATCH[2]}"
    else
        "stage_${1//-/_}"
    fi
}

# seconds_of "1m2.500s": 62.5
seconds_of() { awk -v t="$1" 'BEGIN { split(t, a, "m"); sub("s", "", a[2]); printf "%.1f", a[1] * 60 + a[2] }'; }

# run_stage NAME: runs one stage in a subshell (its own CURRENT and test tree), prints the
# result line and writes "$STATUS/NAME": rc, wall seconds, CPU seconds of the processes it
# waited for (bash's times: user + system of its children).
run_stage() {
    local name="$1" t rc secs cpu
    t="$(now)"
    (
        CURRENT="$name"
        TEST_TREE="$WORK/tree-$name/ansible_collections/apinizer/apiops"
        dispatch "$name"
        rc=$?
        times > "$STATUS/$name.times"  # not into a pipe: that would be a subshell's times
        exit $rc
    )
    rc=$?
    secs="$(elapsed "$t" "$(now)")"
    read -r user sys < <(sed -n 2p "$STATUS/$name.times" 2>/dev/null) || { user=0m0s; sys=0m0s; }
    cpu="$(awk -v u="$(seconds_of "$user")" -v s="$(seconds_of "$sys")" 'BEGIN { printf "%.1f", u + s }')"
    echo "$rc $secs $cpu" > "$STATUS/$name"
    if [[ $rc -eq 0 ]]; then
        echo "stage $name passed in $secs s (CPU $cpu s)"
    elif [[ $rc -eq $SKIP_RC ]]; then
        echo "stage $name skipped"
    else
        echo "stage $name FAILED (rc=$rc) after $secs s"
        [[ "${APINIZER_KEEP_GOING:-0}" == "1" ]] || touch "$WORK/stop"
    fi
    return 0
}

# run_lane NAME STAGE...: the stages one after another, each one's output kept in a file and
# printed whole when it ends (under a lock, so two lanes never interleave their lines).
run_lane() {
    local lane="$1" name log
    shift
    for name in "$@"; do
        selected "$name" || continue
        [[ -e "$WORK/stop" ]] && break
        log="$WORK/out-$name.log"
        { banner "stage: $name (lane $lane)"; run_stage "$name"; } > "$log" 2>&1
        flock "$WORK/print.lock" cat "$log"
    done
}

if [[ "${APINIZER_SERIAL:-0}" == "1" ]]; then
    for name in "${STAGES[@]}"; do
        [[ -e "$WORK/stop" ]] && break
        banner "stage: $name"
        run_stage "$name"
    done
else
    trap 'kill $(jobs -p) 2>/dev/null; exit 130' INT TERM
    run_lane A "${LANE_A[@]}" &
    run_lane B "${LANE_B[@]}" &
    wait
    trap - INT TERM
    for name in "${HEAVY[@]}"; do
        selected "$name" || continue
        [[ -e "$WORK/stop" ]] && break
        banner "stage: $name"
        run_stage "$name"
    done
fi

banner "summary"
passed=0 failed=0 skipped=0 notrun=0
printf '%-16s %-8s %8s %8s %6s\n' stage result seconds cpu-s cores
for name in "${STAGES[@]}"; do
    if [[ -f "$STATUS/$name" ]]; then
        read -r rc secs cpu < "$STATUS/$name"
        if [[ $rc -eq 0 ]]; then result=passed; passed=$((passed + 1))
        elif [[ $rc -eq $SKIP_RC ]]; then result=skipped; skipped=$((skipped + 1))
        else result=FAILED; failed=$((failed + 1)); fi
        cores="$(awk -v c="$cpu" -v s="$secs" 'BEGIN { if (s > 0) printf "%.2f", c / s; else print "-" }')"
    else
        result="not run" secs=- cpu=- cores=-; notrun=$((notrun + 1))
    fi
    printf '%-16s %-8s %8s %8s %6s\n' "$name" "$result" "$secs" "$cpu" "$cores"
done
echo "total $(elapsed "$T0" "$(now)") s"
echo "$skipped skipped, $notrun not run"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
