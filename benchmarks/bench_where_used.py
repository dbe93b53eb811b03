#!/usr/bin/env python
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: what the where-used guard costs a JWK deletion (issue 22).

One emulator (current dialect, in-process thread), two projects with the same JWKs:

* ``wu-none``: no API proxy;
* ``wu-<P>`` (P = 50 by default, ``--proxies``): P API proxies, each with a JOSE validation policy at
  proxy level pinning JWK ``keep``, a throttling policy, and two endpoints with a JOSE
  implementation policy (pinning ``keep``) and a script policy: 5 policies per proxy, none of them
  pinning the JWK deleted.

Measured, each in a fresh interpreter running the module's real ``main()`` (R repeats, the fastest
kept; ``--repeat``, default 5), side by side in both projects (the refusal: next to the delete in
``wu-none``):

* ``apinizer_jwk state=absent`` of a JWK no policy pins (the delete: the guard reads the proxies);
* the same against a JWK a policy pins (the refusal: the same reads, no write);
* ``apinizer_jwk`` no-op (present, equal) and ``state=absent`` of a missing JWK (no guard read);
* ``apinizer_jwk_info usage=true`` (every JWK with its usage).

Requests come from the emulator's log (by path), wall and CPU time from ``wait4``. Targets (the
process exits 1 when one fails, unless ``--no-fail``): the delete sends 1 JWK list + 1 proxy list +
P policy reads + 1 DELETE; the refusal the same reads and no write; a no-op sends no proxy read.
Timing is reported, never gated (2 shared cores).

Needs the collection installed into .build/collections (scripts/build.sh) and the project venv.
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'emulator'))

from apinizer_emulator import Emulator  # noqa: E402  (needs the sys.path entry above)

COLLECTIONS = os.path.join(ROOT, '.build', 'collections')

# RFC 7517 A.1 / A.2 public keys: seeded as JWKs (no generation cost).
RSA_KEY = {'kty': 'RSA', 'e': 'AQAB', 'alg': 'RS256', 'use': 'sig', 'n': (
    '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiF'
    'V4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnY'
    'b9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw'
    '0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw')}
EC_KEY = {'kty': 'EC', 'crv': 'P-256', 'x': 'MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4',
          'y': '4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM', 'use': 'sig', 'alg': 'ES256'}

PROBE = r"""
import contextlib, importlib, io, json, sys
from ansible.module_utils.testing import patch_module_args
name, args = sys.argv[1], json.loads(sys.argv[2])
mod = importlib.import_module('ansible_collections.apinizer.apiops.plugins.modules.' + name)
out = io.StringIO()
with patch_module_args(args), contextlib.redirect_stdout(out):
    try:
        mod.main()
    except SystemExit:
        pass
result = json.loads(out.getvalue())
print(json.dumps({'changed': result.get('changed'), 'failed': result.get('failed', False),
                  'msg': result.get('msg'), 'jwks': len(result.get('jwks') or [])}))
"""


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--proxies', type=int, default=50, metavar='P', help='API proxies of the busy project (default 50)')
    p.add_argument('--repeat', type=int, default=5, metavar='R', help='runs per measurement, fastest kept (default 5)')
    p.add_argument('--gates', action='store_true',
                   help='the request-count targets only, one run each (as the other benchmarks\' --gates; ~3 s)')
    p.add_argument('--no-fail', action='store_true', help='report only: exit 0 even when a target fails')
    p.add_argument('--json', metavar='FILE', help='also write every figure to FILE as JSON')
    p.add_argument('--venv', default=os.path.join(ROOT, '.venv'), help='venv with ansible-core (default .venv)')
    return p.parse_args(argv)


def jwk(name, key, kid):
    return {'name': name, 'jwk': dict(key, kid=kid)}


def busy_proxy(index):
    jose_v = {'type': 'policy-jose-validation', 'name': 'verify-%d' % index, 'jwkNameForValidationAndSign': 'keep'}
    jose_i = {'type': 'policy-jose-implementation', 'name': 'sign-%d' % index, 'jwkNameForValidationAndSign': 'keep'}
    return {'name': 'api-%03d' % index,
            'requestPolicyList': [jose_v, {'type': 'policy-throttling', 'name': 'throttle-%d' % index}],
            'endpointList': [{'endpoint': '/a', 'httpMethod': 'POST', 'responsePolicyList': [jose_i]},
                             {'endpoint': '/b', 'errorPolicyList': [{'type': 'policy-script', 'name': 's-%d' % index}]}]}


class Bench(object):
    def __init__(self, args):
        self.args = args
        self.python = os.path.join(args.venv, 'bin', 'python')
        self.emu = Emulator(dialect='current')
        self.work = tempfile.mkdtemp(prefix='bench-where-used-')
        self.busy = 'wu-%d' % args.proxies

    def seed(self):
        for project, proxies in (('wu-none', []), (self.busy, [busy_proxy(i) for i in range(self.args.proxies)])):
            self.emu.seed({'projects': {project: {
                'jwks': [jwk('keep', RSA_KEY, 'keep-1'), jwk('gone', EC_KEY, 'gone-1')],
                'apiProxies': proxies}}})
        # the refusal case: one more proxy in a project of its own that pins "gone"
        self.emu.seed({'projects': {self.busy + '-pinned': {
            'jwks': [jwk('keep', RSA_KEY, 'keep-1'), jwk('gone', EC_KEY, 'gone-1')],
            'apiProxies': [busy_proxy(i) for i in range(self.args.proxies - 1)] + [
                {'name': 'api-pins-gone', 'requestPolicyList': [
                    {'type': 'policy-jose-validation', 'name': 'verify-gone', 'jwkNameForValidationAndSign': 'gone'}]}]}}})

    def restore(self, project):
        """Put JWK "gone" back (a deletion removed it): a new id, pinned by nothing."""
        if 'gone' not in self.emu.state()['projects'][project]['jwks']:
            self.emu.seed({'projects': {project: {'jwks': [jwk('gone', EC_KEY, 'gone-1')]}}})

    def probe(self, module, project, args):
        full = dict(args, apinizer_url=self.emu.url, apinizer_token=self.emu.token, project=project)
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('ANSIBLE_', 'APINIZER_')))
        env['PYTHONPATH'] = COLLECTIONS
        self.emu.clear_requests()
        start = time.perf_counter()
        proc = subprocess.Popen([self.python, '-c', PROBE, module, json.dumps(full)], env=env, cwd=self.work,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        unused, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
        if os.waitstatus_to_exitcode(status) != 0 or not out.strip():
            raise SystemExit('bench: %s in %s failed: %s' % (module, project, err[-2000:]))
        result = json.loads(out.strip().splitlines()[-1])
        requests = [r for r in self.emu.requests() if r['path'] != '/apiops/auth/token']
        return dict(result, wall=wall, cpu=usage.ru_utime + usage.ru_stime, requests=len(requests),
                    by_kind=kinds(requests))

    def best(self, module, project, args, before=None):
        runs = []
        for unused in range(self.args.repeat):
            if before:
                before()
            runs.append(self.probe(module, project, args))
        fastest = min(runs, key=lambda r: r['wall'])
        fastest['cpu'] = min(r['cpu'] for r in runs)
        return fastest

    def run(self):
        self.emu.start()
        try:
            self.seed()
            cases = [
                ('delete', 'apinizer_jwk', dict(name='gone', state='absent'), True),
                ('refused', 'apinizer_jwk', dict(name='gone', state='absent'), False),
                ('noop', 'apinizer_jwk', dict(name='keep', source='jwk', jwk=dict(RSA_KEY, kid='keep-1')), False),
                ('absent-missing', 'apinizer_jwk', dict(name='never-there', state='absent'), False),
                ('info-usage', 'apinizer_jwk_info', dict(usage=True), False),
            ]
            results = {}
            for case, module, args, restores in cases:
                # the refusal is compared with the delete in the project without proxies
                projects = (self.busy + '-pinned',) if case == 'refused' else ('wu-none', self.busy)
                for project in projects:
                    before = (lambda p=project: self.restore(p)) if restores else None
                    results[(case, project)] = self.best(module, project, args, before)
            return results
        finally:
            self.emu.stop()


def kinds(requests):
    out = {}
    for r in requests:
        path = r['path']
        kind = ('policies' if path.endswith('/policies/') else 'apiProxies' if path.endswith('/apiProxies/')
                else 'credentials' if '/credentials/' in path else 'export' if '/export-file/' in path else 'jwks')
        key = '%s %s' % (r['method'], kind)
        out[key] = out.get(key, 0) + 1
    return out


def targets(results, busy, proxies):
    none_delete, busy_delete = results[('delete', 'wu-none')], results[('delete', busy)]
    refused = results[('refused', busy + '-pinned')]
    expect_busy = {'GET jwks': 1, 'GET apiProxies': 1, 'GET policies': proxies, 'DELETE jwks': 1}
    return [
        ('delete, no proxy: JWK list + proxy list + DELETE', none_delete['by_kind'] ==
         {'GET jwks': 1, 'GET apiProxies': 1, 'DELETE jwks': 1} and none_delete['changed']),
        ('delete, %d proxies: 1 + 1 + %d + DELETE' % (proxies, proxies), busy_delete['by_kind'] == expect_busy
         and busy_delete['changed']),
        ('refusal, %d proxies: the same reads, no write' % proxies, refused['failed'] and refused['by_kind'] ==
         {'GET jwks': 1, 'GET apiProxies': 1, 'GET policies': proxies}),
        ('no-op and absent-missing read no proxy', all(
            'GET apiProxies' not in results[(c, p)]['by_kind'] for c in ('noop', 'absent-missing') for p in
            ('wu-none', busy))),
    ]


def report(results, busy, proxies):
    print('\nwhere-used cost: the same task in a project without API proxies and with %d (fastest run)' % proxies)
    print('%-16s %-10s %9s %9s %9s %9s   %s' % ('case', 'project', 'requests', 'wall ms', 'cpu ms', 'x wall', 'requests by kind'))
    for case in ('delete', 'refused', 'noop', 'absent-missing', 'info-usage'):
        base = results[('delete' if case == 'refused' else case, 'wu-none')]
        for project in ((busy + '-pinned',) if case == 'refused' else ('wu-none', busy)):
            r = results[(case, project)]
            print('%-16s %-10s %9d %9.0f %9.0f %9s   %s' % (
                case, project.replace(busy, 'P=%d' % proxies), r['requests'], r['wall'] * 1000, r['cpu'] * 1000,
                '%.2f' % (r['wall'] / base['wall']) if project != 'wu-none' else '1.00',
                ', '.join('%s %d' % kv for kv in sorted(r['by_kind'].items()))))
    d0, d1 = results[('delete', 'wu-none')], results[('delete', busy)]
    print('\ndelete: +%d requests, +%.0f ms wall (%.0f ms per proxy), wall ratio %.2f, cpu ratio %.2f' % (
        d1['requests'] - d0['requests'], (d1['wall'] - d0['wall']) * 1000,
        (d1['wall'] - d0['wall']) * 1000 / proxies, d1['wall'] / d0['wall'], d1['cpu'] / d0['cpu']))


def main(argv=None):
    args = parse_args(argv)
    if args.gates:
        args.repeat = 1  # the counts are the same on every run; timing is not gated anyway
    if not os.path.isdir(os.path.join(COLLECTIONS, 'ansible_collections', 'apinizer', 'apiops')):
        raise SystemExit('bench: run scripts/build.sh first (no .build/collections)')
    bench = Bench(args)
    results = bench.run()
    report(results, bench.busy, args.proxies)
    checks = targets(results, bench.busy, args.proxies)
    print('\ntargets:')
    for name, ok in checks:
        print('  %s  %s' % ('ok  ' if ok else 'FAIL', name))
    if args.json:
        with open(args.json, 'w') as handle:
            json.dump({'proxies': args.proxies, 'targets': [{'target': n, 'ok': ok} for n, ok in checks],
                       'results': [dict(v, case=k[0], project=k[1]) for k, v in sorted(results.items())]},
                      handle, indent=1)
    failed = [n for n, ok in checks if not ok]
    if failed and not args.no_fail:
        sys.exit(1)


if __name__ == '__main__':
    main()
