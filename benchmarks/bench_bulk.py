#!/usr/bin/env python
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: one apinizer.apiops.apinizer_jwks task over N JWKs vs the per-item apinizer_jwk loop.

Measured in one run of this script, against one emulator instance (bench_converge.py's harness:
the same ansible-playbook runner, private copy of the collection, wall and process-tree CPU):

* for each N (20 and 200; ``--n`` overrides), two fresh projects: one converged by a single
  ``apinizer_jwks`` task (``config`` of N items), the other by one ``apinizer_jwk`` task looping
  over the same N items (name, key_type EC, kid: facts the JWK list reports). First run (creates
  N), then ``--noop-repeat`` alternating pairs of no-op reruns, the fastest of each side compared.
* ``--quick``: the side-by-side comparison at N=20 only, plus apinizer_jwks alone at N=200 (create
  and no-op), which gates the request counts at full size in a few seconds.
* ``--gates`` (the default test run): apinizer_jwks alone at N=200 only, no timing.

Targets (exit 1 when one fails, unless ``--no-fail``; ``--timing-advisory`` makes the wall-time
ones print WARN and do not fail): no-op = 1 request at every N; create = 2 + N requests (the list, the writes, the list again for the new ids); at N=200 no-op wall time
<= 0.05 x the loop's and create <= 0.15 x (judged only when the loop ran at N=200).
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_converge import Bench, failed_targets, fmt_methods, machine, verdict, parse_args as converge_args  # noqa: E402

TARGET_NOOP = 0.05
TARGET_CREATE = 0.15
JUDGED_N = 200

BULK_PLAYBOOK = """\
- name: Converge JWKs with apinizer.apiops.apinizer_jwks
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Converge the set in one task
      apinizer.apiops.apinizer_jwks:
        config: "{{ jwk_specs }}"
"""

LOOP_PLAYBOOK = """\
- name: Converge JWKs with apinizer.apiops.apinizer_jwk, one loop item each
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Converge each JWK
      apinizer.apiops.apinizer_jwk:
        name: "{{ item.name }}"
        key_type: "{{ item.key_type }}"
        kid: "{{ item.kid }}"
      loop: "{{ jwk_specs }}"
      loop_control:
        label: "{{ item.name }}"
"""


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--quick', action='store_true', help='loop comparison at N=20; apinizer_jwks alone at N=200')
    p.add_argument('--n', type=int, action='append', metavar='N', help='sizes of the full comparison (repeatable)')
    p.add_argument('--noop-repeat', type=int, default=2, metavar='R', help='no-op reruns per side (default 2)')
    p.add_argument('--timing-advisory', action='store_true', help='wall-time targets warn instead of failing')
    p.add_argument('--gates', action='store_true', help='apinizer_jwks alone at N=200: request counts only')
    p.add_argument('--no-fail', action='store_true', help='report only: exit 0 anyway')
    p.add_argument('--venv', default=converge_args([]).venv, help='venv with ansible-core (default .venv)')
    p.add_argument('--keep', action='store_true', help='keep the work directory')
    p.add_argument('--json', metavar='FILE', help='also write every figure to FILE as JSON')
    return p.parse_args(argv)


class BulkBench(Bench):
    def specs(self, n):
        return [{'name': 'bulk-jwk-%04d' % i, 'key_type': 'EC', 'kid': 'bulk-kid-%04d' % i} for i in range(n)]

    def side(self, label, playbook, project, specs, noop_repeat):
        """(create run, [no-op runs]) of one side; creates first, then the reruns."""
        print('%s: create ...' % label, flush=True)
        create = self.playbook('%s-create' % label, playbook, project, {'jwk_specs': specs})
        noops = []
        for r in range(noop_repeat):
            print('%s: no-op %d/%d ...' % (label, r + 1, noop_repeat), flush=True)
            noops.append(self.playbook('%s-noop-%d' % (label, r), playbook, project, {'jwk_specs': specs}))
        return create, noops

    def request_targets(self, n, create, noops):
        self.target('N=%d apinizer_jwks create = %d requests' % (n, n + 2), create['requests'] == n + 2,
                    '%d (%s)' % (create['requests'], fmt_methods(create['methods'])))
        self.target('N=%d apinizer_jwks no-op = 1 request' % n, all(run['requests'] == 1 for run in noops),
                    ', '.join('%d (%s)' % (run['requests'], fmt_methods(run['methods'])) for run in noops))

    def bulk_only(self, n):
        project = 'bulk-only-%d' % n
        self.emu.seed({'projects': {project: {}}})
        create, noops = self.side('N=%d jwks' % n, self.write('bulk.yml', BULK_PLAYBOOK), project, self.specs(n), 1)
        self.request_targets(n, create, noops)
        self.results.setdefault('bulk_only', []).append({'n': n, 'create': create, 'noop': noops[0]})

    def compare(self, n):
        bulk_project, loop_project = 'bulk-%d' % n, 'loop-%d' % n
        self.emu.seed({'projects': {bulk_project: {}, loop_project: {}}})
        specs = self.specs(n)
        bulk_pb, loop_pb = self.write('bulk.yml', BULK_PLAYBOOK), self.write('loop.yml', LOOP_PLAYBOOK)
        bc, bn = self.side('N=%d jwks' % n, bulk_pb, bulk_project, specs, 0)
        lc, ln = self.side('N=%d loop' % n, loop_pb, loop_project, specs, 0)
        for r in range(self.opts.noop_repeat):  # alternating, so a slow spell hits both sides
            print('N=%d: no-op pair %d/%d ...' % (n, r + 1, self.opts.noop_repeat), flush=True)
            bn.append(self.playbook('jwks-noop-%d-%d' % (n, r), bulk_pb, bulk_project, {'jwk_specs': specs}))
            ln.append(self.playbook('loop-noop-%d-%d' % (n, r), loop_pb, loop_project, {'jwk_specs': specs}))
        best = dict((key, min(runs, key=lambda run: run['wall'])) for key, runs in (('bulk', bn), ('loop', ln)))
        row = {'n': n, 'bulk_create': bc, 'loop_create': lc, 'bulk_noop': best['bulk'], 'loop_noop': best['loop'],
               'create_ratio': bc['wall'] / lc['wall'], 'noop_ratio': best['bulk']['wall'] / best['loop']['wall'],
               'create_cpu_ratio': bc['cpu'] / lc['cpu'], 'noop_cpu_ratio': best['bulk']['cpu'] / best['loop']['cpu']}
        self.results.setdefault('compare', []).append(row)
        self.request_targets(n, bc, bn)
        same = self.key_shapes(self.emu.state()['projects'][bulk_project], [s['name'] for s in specs]) == \
            self.key_shapes(self.emu.state()['projects'][loop_project], [s['name'] for s in specs])
        self.target('N=%d both sides converge the same keys' % n, same, 'kty, crv, alg, use of every JWK')
        if n >= JUDGED_N:
            self.target('N=%d no-op <= %.2fx the loop' % (n, TARGET_NOOP), row['noop_ratio'] <= TARGET_NOOP,
                        '%.3fx (%.2f s vs %.2f s)' % (row['noop_ratio'], best['bulk']['wall'], best['loop']['wall']),
                        timing=True)
            self.target('N=%d create <= %.2fx the loop' % (n, TARGET_CREATE), row['create_ratio'] <= TARGET_CREATE,
                        '%.3fx (%.2f s vs %.2f s)' % (row['create_ratio'], bc['wall'], lc['wall']), timing=True)
        return row


def report(results, timing_advisory=False):
    m = results['machine']
    print()
    print('machine: %s x %s, %s, ansible-core %s, load %s -> %s' % (
        m['nproc'], m['cpu'], m['python'], m['ansible_core'], m['loadavg_at_start'], m.get('loadavg_at_end')))
    print('%-5s %-7s %10s %10s %8s %8s %14s %14s' % ('N', 'run', 'jwks s', 'loop s', 'wall x', 'CPU x',
                                                     'jwks requests', 'loop requests'))
    for row in results.get('compare', []):
        for kind in ('create', 'noop'):
            b, lp = row['bulk_' + kind], row['loop_' + kind]
            print('%-5d %-7s %10.2f %10.2f %8.3f %8.3f %14s %14s' % (
                row['n'], kind, b['wall'], lp['wall'], row[kind + '_ratio'], row[kind + '_cpu_ratio'],
                '%d (%s)' % (b['requests'], fmt_methods(b['methods'])),
                '%d (%s)' % (lp['requests'], fmt_methods(lp['methods']))))
    for row in results.get('bulk_only', []):
        for kind in ('create', 'noop'):
            print('%-5d %-7s %10.2f %10s %8s %8s %14s' % (row['n'], kind, row[kind]['wall'], '-', '-', '-',
                                                         '%d (%s)' % (row[kind]['requests'],
                                                                      fmt_methods(row[kind]['methods']))))
    print()
    for t in results['targets']:
        print('%-4s %-48s %s' % (verdict(t, timing_advisory), t['target'], t['detail']))


def main(argv=None):
    opts = parse_args(argv)
    sizes = opts.n or ([20] if opts.quick else [20, JUDGED_N])
    started = time.perf_counter()
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit('bench: terminated'))
    bench = BulkBench(opts)
    bench.results['machine'] = machine()
    try:
        for n in ([] if opts.gates else sizes):
            bench.compare(n)
        if opts.quick or opts.gates:
            bench.bulk_only(JUDGED_N)
    finally:
        bench.close()
    bench.results['machine']['loadavg_at_end'] = ' '.join('%.2f' % x for x in os.getloadavg())
    report(bench.results, opts.timing_advisory)
    failed = failed_targets(bench.results, opts.timing_advisory)
    print('\n%d targets, %d failed; benchmark took %.0f s' % (len(bench.results['targets']), len(failed),
                                                           time.perf_counter() - started))
    if opts.json:
        with open(opts.json, 'w') as f:
            json.dump(bench.results, f, indent=2, sort_keys=True)
    return 1 if failed and not opts.no_fail else 0


if __name__ == '__main__':
    sys.exit(main())
