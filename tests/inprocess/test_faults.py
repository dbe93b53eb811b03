# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fault injection: every module operation against every transient failure.

Table = targets x faults. A target is one operation (create, update, delete, list, assign, remove);
a fault is injected by the emulator into the request that operation depends on. Each case must
either converge within the retry budget (and warn that it retried) or fail with a message naming
the status and the retry count, and in every case the emulator state must hold no duplicated JWK
and no credential pointing at a deleted JWK. The role under faults: tests/integration/robustness.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
import time

import pytest

RETRIES = 2  # budget used by every case: 1 attempt + 2 retries

SEED = {'projects': {'demo': {
    'jwks': [{'name': n, 'description': 'before', 'sourceType': 'GENERATE',
              'generate': {'type': 'EC', 'ec': {'curveType': 'P256'}}} for n in ('seed-ec', 'fault-upd', 'fault-del')],
    'credentials': [{'username': 'partner-app', 'password': 'partner-app-password',
                     'validationJwkName': 'seed-ec'}]}}}


def _jwks(emu):
    return emu.state()['projects']['demo']['jwks']


def _creds(emu):
    return emu.state()['projects']['demo']['credentials']


# name -> (module, options, fault method, fault path regex, done(emu, result))
TARGETS = {
    'jwk-info': ('apinizer_jwk_info', {}, 'GET', r'^/apiops/projects/demo/jwks/$',
                 lambda emu, result: 'seed-ec' in [j['name'] for j in result['jwks']]),
    'credential-info': ('apinizer_credential_info', {}, 'GET', r'^/apiops/projects/demo/credentials/$',
                        lambda emu, result: 'api-user' in [c['username'] for c in result['credentials']]),
    'jwk-create': ('apinizer_jwk', {'name': 'fault-new', 'source': 'generate', 'key_type': 'EC', 'curve': 'P-256',
                                    'algorithm': 'ES256'}, 'POST', r'^/apiops/projects/demo/jwks/generate$',
                   lambda emu, result: 'fault-new' in _jwks(emu)),
    'jwk-update': ('apinizer_jwk', {'name': 'fault-upd', 'description': 'after', 'source': 'generate',
                                    'key_type': 'EC', 'curve': 'P-256'}, 'PUT', r'/jwks/fault-upd/$',
                   lambda emu, result: _jwks(emu)['fault-upd']['description'] == 'after'),
    'jwk-delete': ('apinizer_jwk', {'name': 'fault-del', 'state': 'absent'}, 'DELETE', r'/jwks/fault-del/$',
                   lambda emu, result: 'fault-del' not in _jwks(emu)),
    'credential-assign': ('apinizer_credential_jwk', {'username': 'mobile-app', 'purpose': 'validation',
                                                      'jwk_name': 'seed-ec'},
                          'PUT', r'/credentials/mobile-app/jwk/validation/seed-ec/$',
                          lambda emu, result: _creds(emu)['mobile-app']['validationJwkName'] == 'seed-ec'),
    'credential-remove': ('apinizer_credential_jwk', {'username': 'partner-app', 'purpose': 'validation',
                                                      'state': 'absent'},
                          'DELETE', r'/credentials/partner-app/jwk/validation/$',
                          lambda emu, result: _creds(emu)['partner-app']['validationJwkName'] is None),
}
WRITES = ('jwk-create', 'jwk-update', 'jwk-delete', 'credential-assign', 'credential-remove')

# name -> (fault spec, timeout, converges)
FAULTS = {
    'drop': (dict(action='drop', count=1), 30, True),
    # The write lands but its answer is lost: a blind re-send would duplicate or fail.
    'drop-after-apply': (dict(action='drop', apply=True, count=1), 30, True),
    '429-retry-after-header': (dict(action='status', status=429, retry_after=1, retry_after_in='header', count=1),
                               30, True),
    '429-retry-after-body': (dict(action='status', status=429, retry_after=1, retry_after_in='body', count=1),
                             30, True),
    '503-burst-within-budget': (dict(action='status', status=503, count=RETRIES), 30, True),
    '503-burst-beyond-budget': (dict(action='status', status=503, count=RETRIES + 1), 30, False),
    'slower-than-timeout': (dict(action='delay', delay=1.5, count=1), 0.5, True),
}


@pytest.fixture
def emulator(request):
    """A fresh emulator per test: a delayed answer may still be written after the test ended."""
    from apinizer_emulator import Emulator
    emu = Emulator()
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()


def _problems(run, emu, fault, name, hits):
    spec, unused, converges = FAULTS[fault]
    unused, unused, method, unused, done = TARGETS[name]
    if not hits:
        return ['the fault was never hit']
    problems = []
    told = run.msg + ' ' + ' '.join(run.warnings)
    if converges:
        if run.failed:
            return ['did not converge: ' + run.msg]
        if not done(emu, run.result):
            problems.append('reported success, the server disagrees: %r' % run.result)
        # The user is told that requests had to be re-sent (a create whose lost answer is found
        # to have landed is not re-sent, so it has nothing to warn about).
        resent = not (fault == 'drop-after-apply' and method == 'POST')
        if resent and not re.search(r'\d+ transient failures? (was|were) retried', told):
            problems.append('no retry warning: %r' % run.warnings)
        if spec.get('retry_after') and spec['retry_after'] not in run.sleeps:
            # Retry-After (header or body) is honoured: the client waits exactly that long.
            problems.append('Retry-After %s s not honoured: waited %r' % (spec['retry_after'], run.sleeps))
    else:
        if not run.failed:
            return ['succeeded beyond the retry budget']
        if '503' not in run.msg:
            problems.append('failure message does not name the status: ' + run.msg)
        # The retry count, in the failure itself (message) or in the warning that comes with it.
        if not re.search(r'\b%d (transient failures were retried|retries)' % RETRIES, told):
            problems.append('failure does not name the retry count: %s %r' % (run.msg, run.warnings))
        if len(hits) != RETRIES + 1:
            problems.append('%d attempts, expected 1 + %d retries' % (len(hits), RETRIES))
    if 'already exist' in run.msg:
        problems.append('a re-sent create hit "already exist": ' + run.msg)
    return problems


def _settled_log(emu, spec, expected):
    """The request log once every delayed request has been answered: the server logs one when it
    answers, after the client gave up on it (bounded, generously, so that a slow machine only waits)."""
    deadline = time.time() + 30
    while spec['action'] == 'delay' and time.time() < deadline:
        if len([r for r in emu.requests() if r.get('fault') == 'delay']) >= expected:
            break
        time.sleep(0.05)
    return emu.requests()


@pytest.mark.parametrize('fault', list(FAULTS))
def test_fault(run_module, emu, fault):
    """Every target once, each against its own injected fault."""
    spec, timeout, unused = FAULTS[fault]
    targets = [t for t in TARGETS if fault != 'drop-after-apply' or t in WRITES]
    for name in targets:
        unused, unused, method, path, unused = TARGETS[name]
        emu.add_fault(method=method, path=path, **spec)
    runs = {}
    for name in targets:
        module, options, unused, unused, unused = TARGETS[name]
        runs[name] = run_module(module, dict(options, timeout=timeout, retries=RETRIES))
    log = _settled_log(emu, spec, len(targets))
    problems = []
    for name in targets:
        unused, unused, method, path, unused = TARGETS[name]
        hits = [r for r in log if r['method'] == method and re.search(path, r['path']) and r.get('fault')]
        problems.extend('%s: %s' % (name, p) for p in _problems(runs[name], emu, fault, name, hits))
    # Never a duplicated JWK: at most one create of each name landed on the server.
    created = [r['body'].get('name') for r in log if r['method'] == 'POST' and isinstance(r.get('body'), dict)
               and 200 in (r['status'], r.get('applied_status'))]
    problems.extend('JWK created twice: %s' % n for n in sorted(set(n for n in created if created.count(n) > 1)))
    # Never a credential left on a deleted key.
    jwks = _jwks(emu)
    problems.extend('%s uses the deleted JWK %s' % (u, c['validationJwkName']) for u, c in _creds(emu).items()
                    if c.get('validationJwkName') and c['validationJwkName'] not in jwks)
    assert not problems, '\n'.join(problems)
