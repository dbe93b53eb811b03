# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A hostile or broken server (issue 11) and the role, through ansible-playbook -vvv.

One playbook runs a forced rotation (keep 0) of credential ``ra`` in three projects, each with
its own hostile answer: a credential list without ``resultList`` (a read), ``success: false`` in
the 200 of the generation POST (a write), and answers to the writes that echo fragments of the
request, Authorization header included, which only the collection's fragment masking catches (the
role must converge). Credential ``rb``, outside the role's
list, uses the other generation: it must survive every case.

It asserts: the failures are clear and act on nothing; the echo case converges; no key deleted
while a credential uses it; nothing followed a redirect; no secret (the API token, every
credential password, every private JWK member, whole or as a 16-character fragment) in the -vvv
output. Every module operation against every hostile fault kind: tests/inprocess/test_hostile.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re

import pytest

from leak_checks import dangling_references, fragment_leaks, leaks, server_secrets
from robustness_lib import role_task

pytestmark = [pytest.mark.slow, pytest.mark.robustness]

TOKEN = 'tok-hostile-4e8a1c6f2b9d3e7a5c0f1b8d'
OLD_ROTATED = 'h-rot-20250101T000000Z'   # used by ra, switched away from by the role
OLD_IN_USE = 'h-rot-20250201T000000Z'    # used by rb, not in the role's credential list: must survive
UNEXPECTED = r'unexpected answer from {0} /projects/[^:]+: '

# case -> (fault method, path within the project, emulator spec, failure regex or None to converge)
CASES = {
    'no-result-list': ('GET', 'credentials/$', dict(action='no_result_list'),
                       UNEXPECTED.format('GET') + 'no resultList list in the answer'),
    'success-false-write': ('POST', 'jwks/generate$', dict(action='success_false'),
                            UNEXPECTED.format('POST') + 'HTTP 200 with (success false|status "FAILURE")'),
    'echo-truncated': ('*', r'(jwks/generate|credentials/[^/]+/jwk/.*)$', dict(action='echo', echo='truncated'), None),
}


def _project(case):
    return 'h-' + case


def _gen(name):
    return {'name': name, 'sourceType': 'GENERATE', 'generate': {'type': 'EC', 'ec': {'curveType': 'P256'}}}


def _cred(username, jwk):
    return {'username': username, 'password': '%s-password-5d1f9a3c7e2b' % username, 'validationJwkName': jwk}


@pytest.fixture
def emulator():
    """The documented server plus reported assignments (the mode in which the role prunes)."""
    from apinizer_emulator import Emulator
    emu = Emulator(token=TOKEN, report_assignments=True)
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()


def _playbook():
    tasks = [{'name': 'target ' + case, 'block': [role_task(
        'rotate ' + case, jwk_rotation_name='h-rot', jwk_rotation_credentials=[{'username': 'ra'}],
        jwk_rotation_keep=0, jwk_rotation_force=True, jwk_rotation_apinizer_project=_project(case))],
        'rescue': [{'name': case + ' failed', 'ansible.builtin.debug': {'msg': '{{ ansible_failed_result }}'}}]}
        for case in CASES]
    defaults = dict(('apinizer.apiops.' + a, {'retries': 0}) for a in ('apinizer_jwk', 'apinizer_jwk_info',
                                                                       'apinizer_credential_jwk',
                                                                       'apinizer_credential_info'))
    return json.dumps([{'name': 'hostile', 'hosts': 'localhost', 'gather_facts': False,
                        'module_defaults': defaults, 'tasks': tasks}], indent=1) + '\n'


def test_role_against_a_hostile_server(run_playbook, emulator):
    emu = emulator
    emu.seed({'projects': dict((_project(case), {'jwks': [_gen(OLD_ROTATED), _gen(OLD_IN_USE)],
                                                 'credentials': [_cred('ra', OLD_ROTATED), _cred('rb', OLD_IN_USE)]})
                               for case in CASES)})
    for case, (method, path, spec, unused) in CASES.items():
        emu.add_fault(method=method, path='^/apiops/projects/%s/%s' % (_project(case), path), count=None, **spec)
    emu.clear_requests()
    run = run_playbook(_playbook(), verbosity=3, env={'APINIZER_TOKEN': TOKEN})
    log = emu.requests()

    problems = []
    for case, (unused, unused, unused, failure) in CASES.items():
        state = emu.state()['projects'][_project(case)]
        used = state['credentials']['ra'].get('validationJwkName')
        if not [r for r in log if '/projects/%s/' % _project(case) in r['path'] and r.get('fault')]:
            problems.append('%s: the fault was never hit' % case)
            continue
        try:
            msg = str(run.task(case + ' failed')['result']['msg'])
        except KeyError:
            msg = None
        if failure is None:
            if msg is not None:
                problems.append('%s: did not converge: %s' % (case, msg))
            elif used in (None, OLD_ROTATED):
                problems.append('%s: ra was not switched: %s' % (case, used))
        else:
            if msg is None:
                problems.append('%s: false ok' % case)
            elif not re.search(failure, msg):
                problems.append('%s: unclear failure %r does not match %r' % (case, msg, failure))
            if used != OLD_ROTATED:
                problems.append('%s: acted although it failed: ra on %s' % (case, used))
        if OLD_IN_USE not in state['jwks']:
            problems.append('%s: deleted %s, which rb uses' % (case, OLD_IN_USE))
    problems.extend('dangling: ' + d for d in dangling_references(emu))
    if emu.redirected():
        problems.append('followed a redirect: %r' % emu.redirected())
    secrets = server_secrets(emu, {'API token': TOKEN})
    assert any(k.endswith('.d') for k in secrets)
    found = sorted(set(leaks(run.output, secrets)) | set(fragment_leaks(run.output, secrets)))
    if found:
        problems.append('secrets in the -vvv output: %s' % ', '.join(found))
    assert problems == [], '\n  '.join(problems) + '\n' + run.describe()
