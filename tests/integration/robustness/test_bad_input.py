# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The role's bad input fails before the first request, with a message naming the bad variable.

Each table row is one include of the role in one playbook run (``rescue`` keeps the play going).
Every case talks to its own project (``bad-<case>``), so a request in the emulator log is traced
back to the case that sent it; the log must stay empty. The modules' bad input:
tests/inprocess/test_bad_input.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from robustness_lib import role_task

pytestmark = [pytest.mark.slow, pytest.mark.robustness]

# case id -> (role variables, words the message must contain)
ROLE_CASES = {
    'max-age-bad-unit': (dict(jwk_rotation_max_age='90x'), ['jwk_rotation_max_age']),
    'max-age-empty': (dict(jwk_rotation_max_age=''), ['jwk_rotation_max_age']),
    'max-age-negative': (dict(jwk_rotation_max_age='-1d'), ['jwk_rotation_max_age']),
    'max-age-no-unit': (dict(jwk_rotation_max_age='90'), ['jwk_rotation_max_age']),
    'max-age-list': (dict(jwk_rotation_max_age=['90d']), ['jwk_rotation_max_age']),
    'keep-not-int': (dict(jwk_rotation_keep='some'), ['jwk_rotation_keep']),
    'keep-negative': (dict(jwk_rotation_keep=-1), ['jwk_rotation_keep']),
    'force-not-bool': (dict(jwk_rotation_force='maybe'), ['jwk_rotation_force']),
    'credentials-not-list-of-dicts': (dict(jwk_rotation_credentials='api-user'), ['jwk_rotation_credentials']),
    'credential-without-username': (dict(jwk_rotation_credentials=[{'purpose': 'validation'}]), ['username']),
    'credential-bad-purpose': (dict(jwk_rotation_credentials=[{'username': 'api-user', 'purpose': 'signing'}]),
                               ['purpose']),
    'key-type-oct': (dict(jwk_rotation_key_type='OCT'), ['jwk_rotation_key_type']),
    'key-size-1024': (dict(jwk_rotation_key_type='RSA', jwk_rotation_key_size=1024), ['jwk_rotation_key_size']),
    'curve-vs-key-type': (dict(jwk_rotation_key_type='OKP', jwk_rotation_curve='P-384'), ['jwk_rotation_curve']),
    'curve-unknown': (dict(jwk_rotation_curve='P-192'), ['jwk_rotation_curve']),
    'use-unknown': (dict(jwk_rotation_use='signing'), ['jwk_rotation_use']),
    'source-unknown': (dict(jwk_rotation_source='vault'), ['jwk_rotation_source']),
    'local-without-private-key-path': (dict(jwk_rotation_source='local'), ['jwk_rotation_private_key_path']),
    'private-key-format-unknown': (dict(jwk_rotation_private_key_format='der'), ['jwk_rotation_private_key_format']),
    'name-missing': (dict(jwk_rotation_name=None), ['jwk_rotation_name']),
    # The algorithm must fit key type, curve and use exactly as in apinizer_jwk.
    'algorithm-vs-key-type': (dict(jwk_rotation_algorithm='RS256'), ['jwk_rotation_algorithm']),
    'algorithm-vs-use': (dict(jwk_rotation_use='encryption', jwk_rotation_algorithm='ES256'),
                         ['jwk_rotation_algorithm']),
}


def _project(case):
    return 'bad-' + case


def _role_case(case):
    variables = dict(jwk_rotation_name='bad-input', jwk_rotation_apinizer_project=_project(case))
    variables.update(ROLE_CASES[case][0])
    variables = dict((k, v) for k, v in variables.items() if v is not None)
    return {'name': 'case ' + case, 'block': [role_task('rotate ' + case, **variables)],
            'rescue': [{'name': case, 'ansible.builtin.debug': {'msg': '{{ ansible_failed_result.msg }}'}}]}


def _check(run, emu, cases, outcome):
    log = emu.requests()
    problems = []
    for case, words in cases.items():
        sent = [(r['method'], r['path']) for r in log if '/projects/%s/' % _project(case) in r['path']]
        if sent:
            problems.append('%s: sent %d request(s) before failing: %r' % (case, len(sent), sent[:3]))
        try:
            failed, msg = outcome(run, case)
        except KeyError:
            problems.append('%s: no result (the case did not run)' % case)
            continue
        if not failed:
            problems.append('%s: did not fail' % case)
            continue
        missing = [w for w in words if w.lower() not in msg.lower()]
        if missing:
            problems.append('%s: message does not name %s: %s' % (case, ', '.join(missing), msg))
    stray = [(r['method'], r['path']) for r in log]
    if stray and not problems:
        problems.append('requests in the log: %r' % stray)
    assert not problems, '%d of %d cases wrong:\n%s' % (len(problems), len(cases), '\n'.join(problems))
    # The log is EMPTY: bad input never reaches the server.
    assert log == []


def _role_outcome(run, case):
    # The rescue task runs only when the role failed; its message is the failure's message.
    try:
        result = run.task(case)
    except KeyError:
        run.task('rotate ' + case)  # raises KeyError too when the case did not run at all
        return False, ''
    return True, result['result'].get('msg') or ''


def _play(tasks):
    return json.dumps([{'name': 'bad input', 'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}]) + '\n'


def test_role_bad_input_fails_before_any_request(run_playbook, emu):
    run = run_playbook(_play([_role_case(c) for c in ROLE_CASES]))
    _check(run, emu, dict((c, w) for c, (_v, w) in ROLE_CASES.items()), _role_outcome)
