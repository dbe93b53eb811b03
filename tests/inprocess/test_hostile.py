# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A hostile or broken server (issue 11): every module operation against every hostile fault kind.

Table = targets x fault kinds. Each target works in its own project, so each fault matches only
its target's request. The emulator injects redirects (with a trap on another host name),
``success: false`` in a 200, missing or malformed ``resultList``, a JWK of another name, echoes of
the request (whole and truncated) in deployment and error messages, a body dripped one byte at a
time, a body over 16 MiB, and the documented project-not-found spellings.

Per case it asserts:
- no secret in the module's output (the API token, the password, every credential password and
  every private JWK member the emulator holds afterwards, whole or as a 16-character fragment);
  the echoed requests really carried the secrets (positive control);
- nothing written when the task failed, no false ``changed`` and no false ``ok``;
- a clear failure naming what was wrong.
The role against a hostile server, and the -vvv grep: tests/integration/robustness/test_hostile.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

import pytest
import requests

from leak_checks import dangling_references, fragment_leaks, leaks, server_secrets

TOKEN = 'tok-hostile-4e8a1c6f2b9d3e7a5c0f1b8d'
PASSWORD = 'pw-hostile-9b2d7f3a1e6c4b8d0a5f2e7c'
MASK = '********'


def _gen(name):
    return {'name': name, 'sourceType': 'GENERATE', 'generate': {'type': 'EC', 'ec': {'curveType': 'P256'}}}


def _cred(username, jwk=None):
    cred = {'username': username, 'password': '%s-password-5d1f9a3c7e2b' % username}
    if jwk:
        cred['validationJwkName'] = jwk
    return cred


SEED = {'projects': {
    'h-import': {'jwks': [_gen('h-source')]},
    'h-delete': {'jwks': [_gen('h-del')]},
    'h-get': {'jwks': [_gen('h-key')]},
    'h-private': {'jwks': [_gen('h-pk')]},
    'h-list': {'jwks': [_gen('h-key')]},
    'h-assign': {'jwks': [_gen('h-key')], 'credentials': [_cred('cu')]},
    'h-remove': {'jwks': [_gen('h-key')], 'credentials': [_cred('cu', 'h-key')]},
    'h-info': {'credentials': [_cred('cu')]},
}}


def _state(emu, project):
    return emu.state()['projects'][project]


def _assigned(emu, project, user='cu'):
    return _state(emu, project)['credentials'][user].get('validationJwkName')


# name -> (project, module, options, read request (method, regex), write request or None,
#          done(emu): the state after a success, unchanged(emu): the state when it must not have acted)
TARGETS = {
    'jwk-import': ('h-import', 'apinizer_jwk', {'name': 'h-new', 'source': 'jwk', 'jwk': 'IMPORTED'},
                   ('GET', r'^/apiops/projects/h-import/jwks/$'), ('POST', r'^/apiops/projects/h-import/jwks/$'),
                   lambda emu: 'h-new' in _state(emu, 'h-import')['jwks'],
                   lambda emu: 'h-new' not in _state(emu, 'h-import')['jwks']),
    'jwk-delete': ('h-delete', 'apinizer_jwk', {'name': 'h-del', 'state': 'absent'},
                   ('GET', r'^/apiops/projects/h-delete/jwks/$'), ('DELETE', r'^/apiops/projects/h-delete/jwks/h-del/$'),
                   lambda emu: 'h-del' not in _state(emu, 'h-delete')['jwks'],
                   lambda emu: 'h-del' in _state(emu, 'h-delete')['jwks']),
    # apinizer_jwk_info reads the list, then the public key from export-file
    'jwk-get': ('h-get', 'apinizer_jwk_info', {'name': 'h-key'},
                ('GET', r'^/apiops/projects/h-get/jwks/h-key/export-file/$'), None, None, None),
    # whether the server holds the private part of a key the task gives: Get JWK of that one JWK
    'jwk-private': ('h-private', 'apinizer_jwk', {'name': 'h-pk', 'source': 'jwk', 'jwk': 'IMPORTED:h-private/h-pk',
                                                  'regenerate': 'never'},
                    ('GET', r'^/apiops/projects/h-private/jwks/h-pk/$'), None, None, None),
    'jwk-list': ('h-list', 'apinizer_jwk_info', {}, ('GET', r'^/apiops/projects/h-list/jwks/$'), None, None, None),
    'credential-assign': ('h-assign', 'apinizer_credential_jwk',
                          {'username': 'cu', 'purpose': 'validation', 'jwk_name': 'h-key'},
                          ('GET', r'^/apiops/projects/h-assign/credentials/$'),
                          ('PUT', r'^/apiops/projects/h-assign/credentials/cu/jwk/validation/h-key/$'),
                          lambda emu: _assigned(emu, 'h-assign') == 'h-key',
                          lambda emu: _assigned(emu, 'h-assign') is None),
    'credential-remove': ('h-remove', 'apinizer_credential_jwk',
                          {'username': 'cu', 'purpose': 'validation', 'state': 'absent'},
                          ('GET', r'^/apiops/projects/h-remove/credentials/$'),
                          ('DELETE', r'^/apiops/projects/h-remove/credentials/cu/jwk/validation/$'),
                          lambda emu: _assigned(emu, 'h-remove') is None,
                          lambda emu: _assigned(emu, 'h-remove') == 'h-key'),
    'credential-info': ('h-info', 'apinizer_credential_info', {},
                        ('GET', r'^/apiops/projects/h-info/credentials/$'), None, None, None),
}
WRITERS = [t for t in TARGETS if TARGETS[t][4] is not None]
GETS = ['jwk-private']  # the targets whose read is a Get JWK of one JWK
# A resultList rewrite applies to answers that carry one: not the export's JWK Set.
REWRITTEN_READS = [t for t in TARGETS if t != 'jwk-get']

REDIRECT = r'HTTP {0} redirect to http://localhost:\d+; redirects are never followed'
UNEXPECTED = r'unexpected answer from {0} /projects/[^:]+: '


def _kind(spec, request, expect, targets=None, **options):
    """A fault kind: the emulator spec, which request of each target it hits ('read'/'write'),
    what must happen ('fail' with a regex, or 'ok'), and for which targets (default: all that have one)."""
    targets = targets or (WRITERS if request == 'write' else list(TARGETS))
    return dict(spec=spec, request=request, expect=expect, targets=targets, **options)


KINDS = {
    'redirect-307-write': _kind(dict(action='redirect', status=307), 'write', ('fail', REDIRECT.format(307))),
    'redirect-308-write': _kind(dict(action='redirect', status=308), 'write', ('fail', REDIRECT.format(308))),
    'redirect-302-read': _kind(dict(action='redirect', status=302), 'read', ('fail', REDIRECT.format(302))),
    'redirect-301-token': _kind(dict(action='redirect', status=301), 'token',
                                ('fail', r'POST /auth/token: ' + REDIRECT.format(301)), password_auth=True),
    'success-false-write': _kind(dict(action='success_false'), 'write',
                                 ('fail', UNEXPECTED.format('(POST|PUT|DELETE)') + 'HTTP 200 with (success false|status "FAILURE")')),
    'success-false-read': _kind(dict(action='success_false', with_error=True), 'read',
                                ('fail', UNEXPECTED.format('GET') + r'HTTP 200 with (success false|status "FAILURE")')),
    'no-result-list': _kind(dict(action='no_result_list'), 'read',
                            ('fail', UNEXPECTED.format('GET') + 'no resultList list in the answer'),
                            targets=REWRITTEN_READS),
    'result-list-not-list': _kind(dict(action='result_list_not_list', value={'name': 'x'}), 'read',
                                  ('fail', UNEXPECTED.format('GET') + 'resultList is a dict, not a list'),
                                  targets=REWRITTEN_READS),
    'items-not-objects': _kind(dict(action='items_not_objects', value=['h-key', 'cu']), 'read',
                               ('fail', UNEXPECTED.format('GET') + r'resultList\[0\] is a str, not an object'),
                               targets=REWRITTEN_READS),
    'other-name': _kind(dict(action='other_name'), 'read',
                        ('fail', UNEXPECTED.format('GET') + "asked for 'h-pk', got an item named 'h-pk-other'"),
                        targets=GETS),
    'echo-whole': _kind(dict(action='echo', echo='whole'), 'write', ('ok', None)),
    'echo-truncated': _kind(dict(action='echo', echo='truncated'), 'write', ('ok', None)),
    'error-echo-truncated': _kind(dict(action='status', status=500, echo='truncated'), 'write',
                                  ('fail', r'HTTP 500( internal_error)?: ')),
    # Each byte comes well within the read timeout: only the module's own deadline can end it.
    'drip': _kind(dict(action='drip', interval=0.1), 'read', ('fail', r'timed out after 1(\.0)? s'), timeout=1),
    'oversized': _kind(dict(action='oversized'), 'read', ('fail', 'the body is larger than 16777216 bytes')),
    'oversized-no-length': _kind(dict(action='oversized', length_header=False), 'read',
                                 ('fail', 'the body is larger than 16777216 bytes')),
    'project-not-found-404': _kind(dict(action='status', status=404, error='not_found',
                                        error_description="Project 'h-x' not found"), 'read',
                                   ('fail', "HTTP 404( not_found)?: Project 'h-x' not found - check project")),
    'project-not-found-400': _kind(dict(action='status', status=400, error='bad_request',
                                        error_description='Project not found for name: (h-x)'), 'write',
                                   ('fail', r'HTTP 400( bad_request)?: Project not found for name: \(h-x\) - check project')),
}


@pytest.fixture
def emulator():
    """A fresh server per test (a dripped answer may still be written after the test ended), with
    reported assignments and secrets long enough for fragment masking to matter."""
    from apinizer_emulator import Emulator
    emu = Emulator(token=TOKEN, users={'admin': PASSWORD}, report_assignments=True)
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()


def _hits(log, method, path):
    rx = re.compile(path)
    return [r for r in log if r['method'] == method and rx.search(r['path'])]


def _check_case(emu, run, log, kind, name):
    """The problems of one target ([] when it behaved)."""
    project, unused, unused, read, write, done, unchanged = TARGETS[name]
    if kind['request'] != 'token':
        method, path = read if kind['request'] == 'read' else write
        if not [r for r in _hits(log, method, path) if r.get('fault')]:
            return ['the fault was never hit']
    outcome, pattern = kind['expect']
    problems = []
    if outcome == 'fail':
        if not run.failed:
            problems.append('false ok (changed=%s): %r' % (run.changed, run.result))
        elif not re.search(pattern, run.msg):
            problems.append('unclear failure %r does not match %r' % (run.msg, pattern))
        if run.changed:
            problems.append('false changed')
        if unchanged is not None and not unchanged(emu):
            problems.append('acted although it failed')
        # Nothing after the faulted request was written: a failure stops before any write.
        writes = [r for r in log if '/projects/%s/' % project in r['path'] and r['method'] != 'GET'
                  and not r.get('fault')]
        if writes:
            problems.append('wrote after the failure: %r' % [(r['method'], r['path']) for r in writes])
    else:
        if run.failed or not run.changed:
            problems.append('did not converge (failed=%s, changed=%s): %s' % (run.failed, run.changed, run.msg))
        elif done is not None and not done(emu):
            problems.append('reported changed but the server says otherwise')
        messages = [e.get('message') or '' for e in run.result.get('deployment') or []]
        if not any(MASK in m for m in messages):
            problems.append('the echo did not reach the deployment messages masked: %r' % messages)
    return problems


@pytest.mark.parametrize('kind_name', list(KINDS))
def test_hostile(run_module, emu, kind_name):
    kind = KINDS[kind_name]
    imported = dict(_state(emu, 'h-import')['jwks']['h-source']['jwk'])  # a private EC JWK (with d)
    private = dict(_state(emu, 'h-private')['jwks']['h-pk']['jwk'])
    emu.clear_requests()
    if kind['request'] == 'token':
        emu.add_fault(method='POST', path=r'^/apiops/auth/token$', count=None, **kind['spec'])
    else:
        for name in kind['targets']:
            method, path = TARGETS[name][3] if kind['request'] == 'read' else TARGETS[name][4]
            emu.add_fault(method=method, path=path, count=None, **kind['spec'])
    env = {'APINIZER_TOKEN': None, 'APINIZER_USERNAME': 'admin', 'APINIZER_PASSWORD': PASSWORD} \
        if kind.get('password_auth') else None
    runs = {}
    for name in kind['targets']:
        project, module, options, unused, unused, unused, unused = TARGETS[name]
        options = dict(options, project=project, timeout=kind.get('timeout', 30), retries=0)
        if options.get('jwk') == 'IMPORTED':
            options['jwk'] = imported
        elif options.get('jwk') == 'IMPORTED:h-private/h-pk':
            options['jwk'] = private
        runs[name] = run_module(module, options, env=env)
    log = emu.requests()

    problems = []
    for name in kind['targets']:
        problems.extend('%s: %s' % (name, p) for p in _check_case(emu, runs[name], log, kind, name))
    problems.extend('dangling: ' + d for d in dangling_references(emu))
    # Nothing reached the redirect trap (no body, token or password went to the other host).
    if emu.redirected():
        problems.append('followed a redirect: %r' % emu.redirected())
    secrets = server_secrets(emu, {'API token': TOKEN, 'admin password': PASSWORD})
    assert any(k.endswith('.d') for k in secrets) and imported['d'] in secrets.values()
    output = ''.join(run.output for run in runs.values())
    found = sorted(set(leaks(output, secrets)) | set(fragment_leaks(output, secrets)))
    if found:
        problems.append('secrets in the output: %s' % ', '.join(found))
    if kind_name.startswith('echo') or kind_name.startswith('error-echo'):
        # Positive control: the request that was echoed really carried the private key.
        posts = _hits(log, 'POST', r'^/apiops/projects/h-import/jwks/$')
        assert posts and imported['d'] in posts[0]['body']['jwkStr']
    assert problems == [], '%s:\n  %s' % (kind_name, '\n  '.join(problems))


def test_positive_controls(run_module, emu):
    """The greps find a secret that is output, and the hostile answers really carry secrets."""
    key = _state(emu, 'h-get')['jwks']['h-key']['jwk']
    run = run_module('apinizer_jwk', {'name': 'h-key', 'project': 'h-get', 'key_type': 'EC', 'curve': 'P-256',
                                      'regenerate': 'never', 'return_private_key': True})
    secrets = server_secrets(emu, {'API token': TOKEN, 'admin password': PASSWORD})
    assert leaks(run.output, secrets) == ['h-get/h-key.d']
    assert fragment_leaks(run.output, secrets) == ['h-get/h-key.d']
    assert fragment_leaks('echo: ' + TOKEN[3:19] + ' ' + key['d'][:15], {'t': TOKEN, 'd': key['d']}) == ['t']

    # A truncated echo carries a fragment of the token that an exact-string mask cannot catch.
    emu.add_fault(method='GET', path='/jwks/$', action='echo', echo='truncated')
    body = requests.get(emu.url + '/apiops/projects/h-list/jwks/', headers={'Authorization': 'Bearer ' + TOKEN},
                        timeout=10).text
    assert TOKEN[:16] in body and TOKEN not in body
    # A client that follows a redirect is recorded by the trap.
    emu.add_fault(method='GET', path='/jwks/$', action='redirect', status=307)
    requests.get(emu.url + '/apiops/projects/h-list/jwks/', headers={'Authorization': 'Bearer ' + TOKEN}, timeout=10)
    assert len(emu.redirected()) == 1
