# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""apinizer_credential_info: real ansible-playbook runs against the emulator, on the documented
server (no assignment fields in the credential list) and on one that reports assignments."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from .playbooks import one_task_play

pytestmark = pytest.mark.slow

SEED = {'projects': {'demo': {
    'jwks': [{'name': 'sig-2026', 'sourceType': 'GENERATE', 'generate': {'type': 'EC', 'ec': {'curveType': 'P256'}}}],
    'credentials': [{'username': 'api-user', 'password': 'api-user-password', 'validationJwkName': 'sig-2026',
                     'description': 'Demo API consumer'}],
}}}
TASK = 'credential info'
NOT_REPORTED = 'does not report which JWKs the credentials use'


def play(**options):
    return one_task_play('apinizer.apiops.apinizer_credential_info', TASK, options)


@pytest.fixture(params=['documented', 'reported'])
def emu(request, emulator):
    emulator.configure(report_assignments=request.param == 'reported')
    emulator.seed(SEED)
    emulator.clear_requests()
    emulator.mode = request.param
    return emulator


@pytest.mark.parametrize('check', [False, True])
def test_lists_every_credential_in_one_request(run_playbook, emu, check):
    run = run_playbook(play(), check=check)
    task = run.task(TASK)
    assert task['changed'] is False
    assert [(r['method'], r['path']) for r in emu.requests()] == [('GET', '/apiops/projects/demo/credentials/')]
    creds = dict((c['username'], c) for c in task['result']['credentials'])
    assert sorted(creds) == ['api-user', 'mobile-app', 'partner-app']
    assert creds['api-user']['description'] == 'Demo API consumer'
    assert 'api-user-password' not in run.output and 'password' not in creds['api-user']
    if emu.mode == 'reported':
        assert task['result']['assignments_reported'] is True and task['warnings'] == []
        assert creds['api-user']['validation_jwk_name'] == 'sig-2026'
        assert creds['mobile-app']['validation_jwk_name'] is None
    else:
        # The server says nothing: null, flagged, and one warning; never a guess.
        assert task['result']['assignments_reported'] is False
        assert [w for w in task['warnings'] if NOT_REPORTED in w] == task['warnings'] and len(task['warnings']) == 1
        assert all(c['validation_jwk_name'] is None and c['encryption_jwk_name'] is None for c in creds.values())


def test_one_credential(run_playbook, emu):
    task = run_playbook(play(username='api-user')).task(TASK)
    assert [c['username'] for c in task['result']['credentials']] == ['api-user']
    assert task['result']['assignments_reported'] is (emu.mode == 'reported')
    assert len(emu.requests()) == 1
