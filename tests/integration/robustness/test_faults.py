# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fault injection and the role: a first rotation against a lost answer to its generation POST (the
write lands, its answer is lost: the role must neither duplicate the generation nor fail) and
against a 503 burst beyond the retry budget (the role fails naming the status, nothing dangles,
nothing is deleted). Each case rotates in its own project, all in one playbook.

Every module operation against every transient failure: tests/inprocess/test_faults.py. A failed
credential switch in the middle of a rotation and the next run converging:
tests/integration/test_jwk_rotation.py::test_failed_switch_leaves_every_credential_on_a_key_and_next_run_converges.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re

import pytest

from robustness_lib import dangling_references, role_task

pytestmark = [pytest.mark.slow, pytest.mark.robustness]

RETRIES = 2  # 1 attempt + 2 retries
ROT = 'fault-rot'
ROT_CREDENTIALS = [{'username': 'rot-a', 'purpose': 'validation'}, {'username': 'rot-b', 'purpose': 'validation'}]
GENERATION = re.compile('^%s-[0-9]{8}T[0-9]{6}Z$' % ROT)
ACTIONS = ('apinizer_jwk', 'apinizer_jwk_info', 'apinizer_credential_jwk', 'apinizer_credential_info')

# case -> (fault spec, converges)
FAULTS = {
    'drop-after-apply': (dict(action='drop', apply=True, count=1), True),
    '503-burst-beyond-budget': (dict(action='status', status=503, count=RETRIES + 1), False),
}


def _project(case):
    return 'rot-' + case


def _playbook():
    tasks = [{'name': 'role ' + case, 'block': [role_task(
        'rotate ' + case, jwk_rotation_name=ROT, jwk_rotation_credentials=ROT_CREDENTIALS, jwk_rotation_keep=1,
        jwk_rotation_apinizer_project=_project(case))],
        'rescue': [{'name': case + ' failed', 'ansible.builtin.debug': {'msg': '{{ ansible_failed_result }}'}}]}
        for case in FAULTS]
    # timeout/retries per action: the role's own group module_defaults replace a play's group
    # entry as a whole (ansible merges module_defaults per key), action entries survive.
    defaults = dict(('apinizer.apiops.' + a, {'timeout': 30, 'retries': RETRIES}) for a in ACTIONS)
    return json.dumps([{'name': 'faults', 'hosts': 'localhost', 'gather_facts': False,
                        'module_defaults': defaults, 'tasks': tasks}], indent=1) + '\n'


def test_role_under_faults(run_playbook, emu):
    emu.seed({'projects': dict((_project(case), {'credentials': [
        {'username': c['username'], 'password': c['username'] + '-pw'} for c in ROT_CREDENTIALS]}) for case in FAULTS)})
    for case, (spec, unused) in FAULTS.items():
        emu.add_fault(method='POST', path=r'^/apiops/projects/%s/jwks/generate$' % _project(case), **spec)
    emu.clear_requests()
    run = run_playbook(_playbook())
    log = emu.requests()
    problems = []
    for case, (spec, converges) in FAULTS.items():
        project = _project(case)
        hits = [r for r in log if project in r['path'] and r.get('fault')]
        gens = sorted(n for n in emu.state()['projects'][project]['jwks'] if GENERATION.match(n))
        creds = emu.state()['projects'][project]['credentials']
        used = [creds[c['username']].get('validationJwkName') for c in ROT_CREDENTIALS]
        try:
            failure = run.task(case + ' failed')['result']['msg']
        except KeyError:
            failure = None
        if not hits:
            problems.append('%s: the fault was never hit' % case)
        elif converges:
            if failure is not None:
                problems.append('%s: did not converge: %s' % (case, failure))
            if len(gens) != 1 or used != gens * 2:
                problems.append('%s: generations %r, credentials on %r' % (case, gens, used))
            posts = [r for r in log if r['method'] == 'POST' and project in r['path']]
            if len(posts) != 1:
                problems.append('%s: the generation was sent %d times' % (case, len(posts)))
        else:
            if failure is None:
                problems.append('%s: succeeded beyond the retry budget' % case)
            elif '503' not in str(failure):
                problems.append('%s: the failure does not name the status: %s' % (case, failure))
            if len(hits) != RETRIES + 1:
                problems.append('%s: %d attempts, expected 1 + %d retries' % (case, len(hits), RETRIES))
            if gens or any(used):
                problems.append('%s: acted although it failed: %r %r' % (case, gens, used))
    problems.extend('dangling: ' + d for d in dangling_references(emu))
    if [r for r in log if r['method'] == 'DELETE']:
        problems.append('deleted: %r' % [r['path'] for r in log if r['method'] == 'DELETE'])
    assert not problems, '\n'.join(problems) + '\n' + run.describe()
