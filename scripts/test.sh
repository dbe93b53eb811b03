#!/usr/bin/env bash
# Run the tests: the README's test command, and exactly what .ci/run runs.
#   bash scripts/test.sh                     every default stage (what CI runs)
#   bash scripts/test.sh units-2.19 lint     only these stages (bootstrap and build first, always)
#   bash scripts/test.sh --list              the stages, what each runs, which run by default
# The stages are the table below. They start in its order (longest first) as cores come free
# (APINIZER_JOBS, default nproc); a stage takes the cores its "cores" column says. units-2.19 runs
# the shipped unit tests under ansible-test (each test in a forked process: about 30 CPU seconds),
# the other cores' under pytest (4 s) against the same installed collection. Every line a
# stage prints is streamed as it comes, prefixed with the stage's name; a start line opens each
# stage, a result line closes it, and the summary gives each stage's result, wall and CPU seconds.
# A failure prints "FAILED: <stage>" and starts no further stage (APINIZER_KEEP_GOING=1 runs the
# rest). A stage whose ansible-core venv was not built prints SKIP with the reason, and fails in CI
# (CI=true). The matrix: docs/tested-versions.md; what each stage costs: docs/performance.md.
set -uo pipefail

# stage            cores  core   default  command
TABLE='
playbooks          2      2.19   yes      pytest -n 2 tests/integration
sanity-2.16        1      2.16   yes      scripts/stages/ansible-test.sh sanity 2.16
sanity-2.21        1      2.21   yes      scripts/stages/ansible-test.sh sanity 2.21
sanity-2.19        1      2.19   yes      scripts/stages/ansible-test.sh sanity 2.19
molecule           1      2.19   yes      scripts/stages/molecule.sh
targets-2.21       1      2.21   yes      scripts/stages/ansible-test.sh integration 2.21
targets-2.16       1      2.16   yes      scripts/stages/ansible-test.sh integration 2.16
targets-2.19       1      2.19   no       scripts/stages/ansible-test.sh integration 2.19
core-smoke         1      -      yes      scripts/stages/core-smoke.sh
units-2.19         1      2.19   yes      scripts/stages/ansible-test.sh units 2.19
units-2.16         1      2.16   yes      pytest_on 2.16 tests/unit
units-2.21         1      2.21   yes      pytest_on 2.21 tests/unit
bench-gates        1      2.19   yes      scripts/stages/bench-gates.sh
inprocess          1      2.19   yes      pytest tests/inprocess
contract           1      2.19   yes      pytest tests/contract
awx                1      2.19   yes      scripts/stages/awx.sh
galaxy-importer    1      importer yes     scripts/stages/galaxy-importer.sh
lint               1      2.19   yes      env ANSIBLE_COLLECTIONS_PATH=.build/collections ANSIBLE_HOME=.build/lint-home ansible-lint --profile production --offline --nocolor
docs               1      2.19   yes      scripts/stages/docs.sh
changelog          1      2.19   yes      scripts/stages/changelog.sh
bench              1      2.19   no       scripts/stages/bench.sh
'
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
field() { awk -v s="$1" -v f="$2" '$1 == s { if (f < 5) { print $f } else { $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print } }' <<< "$TABLE"; }
ALL=($(awk 'NF { print $1 }' <<< "$TABLE"))
if [[ "${1:-}" == --list ]]; then awk 'NF' <<< "$TABLE"; exit 0; fi
if [[ $# -gt 0 ]]; then
    STAGES=("$@")
    for s in "${STAGES[@]}"; do
        [[ -n "$(field "$s" 1)" ]] || { echo "test.sh: unknown stage '$s' (stages: ${ALL[*]})" >&2; exit 2; }
    done
else
    STAGES=($(awk 'NF && $4 == "yes" { print $1 }' <<< "$TABLE"))
fi
JOBS="${APINIZER_JOBS:-$(nproc)}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/apinizer-test.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
now() { date +%s.%N; }
T0="$(now)"

echo "===== bootstrap + build"
# .venv (every tool) first; the other venvs install while the first stages run, and a stage that
# needs one waits for it (scripts/bootstrap.sh: pinned, and a no-op when nothing changed).
APINIZER_SKIP_OLDEST=1 APINIZER_SKIP_NEWEST=1 APINIZER_SKIP_IMPORTER=1 bash scripts/bootstrap.sh \
    || { echo "FAILED: bootstrap (scripts/bootstrap.sh)"; exit 1; }
APINIZER_VENV="$ROOT/.venv" bash scripts/build.sh || { echo "FAILED: build (scripts/build.sh)"; exit 1; }
echo "bootstrap + build: $(awk -v a="$T0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s"
( bash scripts/bootstrap.sh 2>&1 | sed -u 's/^/bootstrap | /'; echo "${PIPESTATUS[0]}" > "$WORK/matrix.rc" ) &
# Every stage: the main venv's tools, never a pyenv shim as interpreter (one fails for a version
# pyenv does not hold), no colour, the collection as built (never rebuilt), output as it comes.
export PATH="$ROOT/.venv/bin:$PATH" ANSIBLE_PYTHON_INTERPRETER="$ROOT/.venv/bin/python"
export ANSIBLE_NOCOLOR=1 NO_COLOR=1 PY_COLORS=0 APINIZER_SKIP_BUILD=1 PYTHONUNBUFFERED=1

# missing CORE: why the venv of CORE (2.16, 2.19, 2.21, importer) cannot run, or nothing. A
# machine without any Python 3.12+ cannot have 2.21: said as "no Python" (a SKIP, even in CI).
missing() {
    local venv="$ROOT/.venv-$1" have
    [[ "$1" == 2.19 ]] && venv="$ROOT/.venv"
    [[ "$1" == - ]] && return 0
    if [[ "$1" == 2.21 && ! -x "$venv/bin/python" && -z "${APINIZER_PYTHON_NEWEST:-}" ]] \
        && ! ls "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9].*/bin/python3.1[2-9] > /dev/null 2>&1; then
        echo "no Python; no Python 3.12 or newer on this machine (ansible-core 2.21 needs one)"; return
    fi
    if [[ ! -x "$venv/bin/python" ]]; then echo "$venv was not bootstrapped"; return; fi
    [[ "$1" == importer ]] && return 0
    have="$("$venv/bin/python" -c 'import ansible.release as r; print(r.__version__[:4])' 2>/dev/null)"
    [[ "$have" == "$1" ]] || echo "$venv holds ansible-core $have, not $1: rerun scripts/bootstrap.sh"
}

# run_stage NAME: the stage in a subshell whose lines are prefixed and streamed; writes
# "$WORK/NAME.rc": rc, wall seconds, CPU seconds of the processes it ran (bash's times).
run_stage() {
    local name="$1" t rc why user sys
    [[ "$(field "$name" 3)" == 2.19 ]] || until [[ -s "$WORK/matrix.rc" ]]; do sleep 1; done
    t="$(now)"
    echo "==> start $name: $(field "$name" 5)"
    why="$(missing "$(field "$name" 3)")"
    if [[ -n "$why" && "${CI:-}" == true && "$why" != "no Python;"* ]]; then
        echo "$name: $why; CI requires every venv of the matrix"; rc=1
    elif [[ -n "$why" ]]; then
        echo "SKIP $name: $why"; rc=77
    else
        ( eval "$(field "$name" 5)"; rc=$?; times > "$WORK/$name.times"; exit $rc ) 2>&1 \
            | sed -u "s/^/$name | /"
        rc=${PIPESTATUS[0]}
    fi
    read -r user sys < <(sed -n 2p "$WORK/$name.times" 2>/dev/null || echo "0m0s 0m0s")
    awk -v rc="$rc" -v a="$t" -v b="$(now)" -v u="$user" -v s="$sys" 'function sec(x) { split(x, p, "m");
        sub("s", "", p[2]); return p[1] * 60 + p[2] } BEGIN { printf "%d %.1f %.1f\n", rc, b - a, sec(u) + sec(s) }' \
        > "$WORK/$name.rc"
    read -r rc secs cpu < "$WORK/$name.rc"
    case "$rc" in
        0) echo "<== $name passed in $secs s (CPU $cpu s)" ;;
        77) echo "<== $name skipped" ;;
        *) echo "FAILED: $name (exit $rc) after $secs s; its lines above start with '$name |'"
           [[ "${APINIZER_KEEP_GOING:-0}" == 1 ]] || touch "$WORK/stop" ;;
    esac
}
# pytest_on CORE ARGS: pytest with the venv of ansible-core CORE; pytest ARGS: with .venv (2.19).
pytest_on() { local v="$ROOT/.venv-$1"; shift; "$v/bin/python" -m pytest -q -p no:cacheprovider "$@"; }
pytest() { "$ROOT/.venv/bin/python" -m pytest -q -p no:cacheprovider "$@"; }

# A token per core in a FIFO: a stage takes its cores' tokens before it starts, in table order.
mkfifo "$WORK/cores" && exec 3<>"$WORK/cores"
for _ in $(seq "$JOBS"); do echo >&3; done
trap 'kill $(jobs -p) 2>/dev/null; exit 130' INT TERM
for name in "${ALL[@]}"; do
    [[ " ${STAGES[*]} " == *" $name "* ]] || continue
    cores="$(field "$name" 2)"; (( cores > JOBS )) && cores=$JOBS
    for _ in $(seq "$cores"); do read -r -u 3; done
    [[ -e "$WORK/stop" ]] && break
    { run_stage "$name"; for _ in $(seq "$cores"); do echo >&3; done; } &
done
wait
trap - INT TERM

echo "===== summary"
failed=()
printf '%-16s %-8s %8s %8s %6s\n' stage result wall-s cpu-s cores
for name in "${STAGES[@]}"; do
    rc=- secs=- cpu=- result="not run"
    [[ -f "$WORK/$name.rc" ]] && read -r rc secs cpu < "$WORK/$name.rc"
    case "$rc" in 0) result=passed ;; 77) result=skipped ;; -) failed+=("$name") ;; *) result=FAILED; failed+=("$name") ;; esac
    printf '%-16s %-8s %8s %8s %6s\n' "$name" "$result" "$secs" "$cpu" \
        "$(awk -v c="$cpu" -v s="$secs" 'BEGIN { if (s > 0) printf "%.2f", c / s; else print "-" }')"
done
echo "total $(awk -v a="$T0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s on $JOBS cores"
[[ ${#failed[@]} -eq 0 ]] || { echo "FAILED or not run: ${failed[*]}"; exit 1; }
echo "every stage passed or was skipped"
