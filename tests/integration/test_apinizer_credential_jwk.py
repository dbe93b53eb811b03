# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""apinizer_credential_jwk: real ansible-playbook runs against the emulator.

JWKs are seeded straight into the emulator (not created with apinizer_jwk), so these tests
depend on nothing but the module under test. Every assertion about writes reads the
emulator's request log, i.e. what actually went over the wire.

The emulator is the server as documented: its credential list does not say which JWK a
credential has. Tests that can run both ways take the ``mode`` fixture and run on that server
and on one that reports assignments (``report_assignments``), with the request counts of each.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from .playbooks import one_task_play

pytestmark = pytest.mark.slow

SEED = {'projects': {'demo': {'jwks': [
    {'name': 'sig-2026', 'sourceType': 'GENERATE', 'generate': {'type': 'EC', 'ec': {'curveType': 'P256'}}},
    {'name': 'sig-2027', 'sourceType': 'GENERATE', 'generate': {'type': 'EC', 'ec': {'curveType': 'P256'}}},
]}}}
TASK = 'credential jwk'
WRITE_METHODS = ('POST', 'PUT', 'DELETE')


def play(**options):
    return one_task_play('apinizer.apiops.apinizer_credential_jwk', TASK, options)


def api_requests(emu):
    return [(r['method'], r['path']) for r in emu.requests()]


def writes(emu):
    return [r for r in api_requests(emu) if r[0] in WRITE_METHODS]


def assigned(emu, username, purpose, project='demo'):
    cred = emu.state()['projects'][project]['credentials'][username]
    return cred.get('%sJwkName' % purpose)


def run_task(run_playbook, emu, check=False, diff=False, expect_failure=False, **options):
    emu.clear_requests()
    run = run_playbook(play(**options), check=check, diff=diff, expect_failure=expect_failure)
    return run, run.task(TASK)


@pytest.fixture(params=['documented', 'reported'])
def mode(request, emu):
    """Both worlds: the documented credential list, and one that reports assignments."""
    emu.configure(report_assignments=request.param == 'reported')
    return request.param


UNVERIFIED = 'cannot know whether it was already assigned'
ASSIGN_REQUESTS = [('GET', '/apiops/projects/demo/credentials/'), ('GET', '/apiops/projects/demo/jwks/'),
                   ('PUT', '/apiops/projects/demo/credentials/api-user/jwk/validation/sig-2026/')]


def unverified_warnings(task):
    return [w for w in task['warnings'] if UNVERIFIED in w]


def test_assign_then_rerun(run_playbook, emu, mode):
    run, task = run_task(run_playbook, emu, username='api-user', purpose='validation', jwk_name='sig-2026')
    assert task['changed'] is True
    assert assigned(emu, 'api-user', 'validation') == 'sig-2026'
    assert api_requests(emu) == ASSIGN_REQUESTS
    result = task['result']
    assert result['assignment'] == {'username': 'api-user', 'purpose': 'validation', 'jwk_name': 'sig-2026'}
    assert result['previous_jwk_name'] is None
    assert [d['environment'] for d in result['deployment']] == ['production', 'staging']
    assert all(d['success'] for d in result['deployment'])
    assert len(task['warnings']) == (1 if mode == 'documented' else 0)
    assert len(unverified_warnings(task)) == len(task['warnings'])

    run, task = run_task(run_playbook, emu, username='api-user', purpose='validation', jwk_name='sig-2026')
    if mode == 'reported':
        # Idempotent: one read, no write.
        assert task['changed'] is False
        assert api_requests(emu) == [('GET', '/apiops/projects/demo/credentials/')]
        assert task['result']['deployment'] == [] and task['warnings'] == []
    else:
        # Nothing says the assignment is already there: apply it again, report it, warn.
        assert task['changed'] is True
        assert api_requests(emu) == ASSIGN_REQUESTS
        assert len(task['result']['deployment']) == 2
        assert len(task['warnings']) == 1 and len(unverified_warnings(task)) == 1
    assert assigned(emu, 'api-user', 'validation') == 'sig-2026'


def test_reassign_and_diff(run_playbook, emu, mode):
    run_task(run_playbook, emu, username='api-user', purpose='validation', jwk_name='sig-2026')
    run, task = run_task(run_playbook, emu, diff=True, username='api-user', purpose='validation',
                         jwk_name='sig-2027')
    assert task['changed'] is True
    assert len(writes(emu)) == 1 and len(api_requests(emu)) == 3
    assert assigned(emu, 'api-user', 'validation') == 'sig-2027'
    diff = task['result']['diff']
    assert diff['after'] == {'jwk_name': 'sig-2027'}
    assert '+    "jwk_name": "sig-2027"' in run.stdout
    if mode == 'reported':
        assert task['result']['previous_jwk_name'] == 'sig-2026'
        assert diff == {'before': {'jwk_name': 'sig-2026'}, 'after': {'jwk_name': 'sig-2027'}}
        # The diff is what --diff prints to the user.
        assert '-    "jwk_name": "sig-2026"' in run.stdout
    else:
        # The server did not say what was there: no invented "before".
        assert task['result']['previous_jwk_name'] is None
        assert 'jwk_name' not in diff['before'] and 'sig-2026' not in run.stdout


def test_purposes_are_independent(run_playbook, emu, mode):
    run_task(run_playbook, emu, username='mobile-app', purpose='validation', jwk_name='sig-2026')
    run, task = run_task(run_playbook, emu, username='mobile-app', purpose='encryption', jwk_name='sig-2027')
    assert task['changed'] is True and len(writes(emu)) == 1
    assert assigned(emu, 'mobile-app', 'validation') == 'sig-2026'
    assert assigned(emu, 'mobile-app', 'encryption') == 'sig-2027'
    # Removing one purpose leaves the other alone.
    run, task = run_task(run_playbook, emu, username='mobile-app', purpose='validation', state='absent')
    assert task['changed'] is True
    assert api_requests(emu) == [('GET', '/apiops/projects/demo/credentials/'),
                                 ('DELETE', '/apiops/projects/demo/credentials/mobile-app/jwk/validation/')]
    assert assigned(emu, 'mobile-app', 'validation') is None
    assert assigned(emu, 'mobile-app', 'encryption') == 'sig-2027'


def test_admin_project_jwk(run_playbook, emu, mode):
    requests_of_an_assignment = [
        ('GET', '/apiops/projects/demo/credentials/'),
        ('GET', '/apiops/projects/demo/jwks/'),
        ('GET', '/apiops/projects/admin/jwks/'),
        ('PUT', '/apiops/projects/demo/credentials/partner-app/jwk/encryption/shared-admin-jwk/'),
    ]
    run, task = run_task(run_playbook, emu, username='partner-app', purpose='encryption',
                         jwk_name='shared-admin-jwk')
    assert task['changed'] is True
    assert assigned(emu, 'partner-app', 'encryption') == 'shared-admin-jwk'
    assert api_requests(emu) == requests_of_an_assignment
    run, task = run_task(run_playbook, emu, username='partner-app', purpose='encryption',
                         jwk_name='shared-admin-jwk')
    if mode == 'reported':
        assert task['changed'] is False and len(api_requests(emu)) == 1
    else:
        assert task['changed'] is True and api_requests(emu) == requests_of_an_assignment


def test_remove_then_remove_again(run_playbook, emu, mode):
    run_task(run_playbook, emu, username='api-user', purpose='encryption', jwk_name='sig-2026')
    run, task = run_task(run_playbook, emu, diff=True, username='api-user', purpose='encryption',
                         state='absent')
    assert task['changed'] is True
    delete = ('DELETE', '/apiops/projects/demo/credentials/api-user/jwk/encryption/')
    assert writes(emu) == [delete]
    assert task['result']['assignment']['jwk_name'] is None
    assert task['result']['diff']['after'] == {'jwk_name': None}
    if mode == 'reported':
        assert task['result']['previous_jwk_name'] == 'sig-2026'
        assert task['result']['diff'] == {'before': {'jwk_name': 'sig-2026'}, 'after': {'jwk_name': None}}
    else:
        assert task['result']['previous_jwk_name'] is None
    assert assigned(emu, 'api-user', 'encryption') is None
    # The JWK itself stays.
    assert 'sig-2026' in emu.state()['projects']['demo']['jwks']

    run, task = run_task(run_playbook, emu, username='api-user', purpose='encryption', state='absent')
    assert task['changed'] is False
    if mode == 'reported':
        assert api_requests(emu) == [('GET', '/apiops/projects/demo/credentials/')]
    else:
        # Only the server's answer to the DELETE can tell that nothing was assigned.
        assert api_requests(emu) == [('GET', '/apiops/projects/demo/credentials/'), delete]


def test_check_mode_writes_nothing(run_playbook, emu, mode):
    run_task(run_playbook, emu, username='api-user', purpose='validation', jwk_name='sig-2026')
    run, task = run_task(run_playbook, emu, check=True, diff=True, username='api-user',
                         purpose='validation', jwk_name='sig-2027')
    assert task['changed'] is True
    assert writes(emu) == []
    assert len(api_requests(emu)) == 2   # the credential list, then the JWK lookup
    assert task['result']['diff']['after'] == {'jwk_name': 'sig-2027'}
    if mode == 'reported':
        assert task['result']['diff'] == {'before': {'jwk_name': 'sig-2026'}, 'after': {'jwk_name': 'sig-2027'}}
        assert task['warnings'] == []
    else:
        assert 'jwk_name' not in task['result']['diff']['before']
        assert len(unverified_warnings(task)) == 1
    assert task['result']['assignment']['jwk_name'] == 'sig-2027'
    assert assigned(emu, 'api-user', 'validation') == 'sig-2026'

    run, task = run_task(run_playbook, emu, check=True, username='api-user', purpose='validation',
                         state='absent')
    assert task['changed'] is True and writes(emu) == []
    assert api_requests(emu) == [('GET', '/apiops/projects/demo/credentials/')]
    assert assigned(emu, 'api-user', 'validation') == 'sig-2026'



ADMIN_CREDENTIAL = {'projects': {'admin': {'credentials': [{'username': 'gateway-admin', 'password': 'pw'}]}}}
UNLISTED = 'is not in the credential list of project'


def test_unknown_credential_is_asked_for_and_the_refusal_is_surfaced(run_playbook, emu, mode):
    # Not in the list is not refused before asking: the server may find it "accessible from the project".
    run, task = run_task(run_playbook, emu, expect_failure=True, username='ghost', purpose='validation',
                         jwk_name='sig-2026')
    assert task['failed'] is True and task['changed'] is False
    msg = task['result']['msg']
    assert 'Credential (username: ghost) was not found!' in msg
    assert "not in the credential list of project 'demo'; known: api-user, mobile-app, partner-app" in msg
    assert api_requests(emu) == [('GET', '/apiops/projects/demo/credentials/'), ('GET', '/apiops/projects/demo/jwks/'),
                                 ('PUT', '/apiops/projects/demo/credentials/ghost/jwk/validation/sig-2026/')]


def test_a_credential_accessible_from_the_project_is_assigned(run_playbook, emu, mode):
    emu.seed(ADMIN_CREDENTIAL)
    put = ('PUT', '/apiops/projects/demo/credentials/gateway-admin/jwk/encryption/sig-2026/')
    for attempt in (1, 2):
        run, task = run_task(run_playbook, emu, username='gateway-admin', purpose='encryption', jwk_name='sig-2026')
        # Neither mode lists it, so neither can tell whether it is already assigned: apply, report, warn once.
        assert task['changed'] is True
        assert api_requests(emu) == [('GET', '/apiops/projects/demo/credentials/'),
                                     ('GET', '/apiops/projects/demo/jwks/'), put]
        assert len(task['warnings']) == 1 and UNLISTED in task['warnings'][0]
        assert 'accessible from the project' in task['warnings'][0]
        assert run.output.count(UNLISTED) == 1
        assert assigned(emu, 'gateway-admin', 'encryption', project='admin') == 'sig-2026'

    # Check mode: the same report, no write.
    run, task = run_task(run_playbook, emu, check=True, username='gateway-admin', purpose='encryption',
                         jwk_name='sig-2027')
    assert task['changed'] is True and writes(emu) == [] and len(task['warnings']) == 1
    assert assigned(emu, 'gateway-admin', 'encryption', project='admin') == 'sig-2026'

    # Removal: the server's answers say whether anything was assigned.
    delete = ('DELETE', '/apiops/projects/demo/credentials/gateway-admin/jwk/encryption/')
    run, task = run_task(run_playbook, emu, username='gateway-admin', purpose='encryption', state='absent')
    assert task['changed'] is True and writes(emu) == [delete] and task['warnings'] == []
    assert assigned(emu, 'gateway-admin', 'encryption', project='admin') is None
    run, task = run_task(run_playbook, emu, username='gateway-admin', purpose='encryption', state='absent')
    assert task['changed'] is False and writes(emu) == [delete]


def test_unknown_jwk_fails_before_any_write(run_playbook, emu, mode):
    run, task = run_task(run_playbook, emu, expect_failure=True, username='api-user', purpose='validation',
                         jwk_name='no-such-jwk')
    assert "JWK 'no-such-jwk' not found in project 'demo' nor in project 'admin'" in task['result']['msg']
    assert writes(emu) == [] and len(api_requests(emu)) == 3   # credentials, then demo and admin JWKs
    assert assigned(emu, 'api-user', 'validation') is None


def test_invalid_purpose_fails_without_a_request(run_playbook, emu):
    run, task = run_task(run_playbook, emu, expect_failure=True, username='api-user', purpose='signing',
                         jwk_name='sig-2026')
    assert 'purpose' in task['result']['msg'] and 'validation, encryption' in task['result']['msg']
    assert api_requests(emu) == []


def test_hidden_assignments_apply_and_warn_once(run_playbook, emu):
    emu.configure(report_assignments=True)
    run_task(run_playbook, emu, username='api-user', purpose='validation', jwk_name='sig-2026')
    emu.configure(hide_assignments=True)   # the documented server again

    run, task = run_task(run_playbook, emu, username='api-user', purpose='validation', jwk_name='sig-2026')
    # Same JWK as before, but the module cannot see that: it writes and says so.
    assert task['changed'] is True
    assert writes(emu) == [('PUT', '/apiops/projects/demo/credentials/api-user/jwk/validation/sig-2026/')]
    assert len(task['warnings']) == 1
    assert UNVERIFIED in task['warnings'][0] and 'idempotence could not be verified' in task['warnings'][0]
    assert run.output.count(UNVERIFIED) == 1
    assert task['result']['previous_jwk_name'] is None

    # Check mode: the same report, no write.
    run, task = run_task(run_playbook, emu, check=True, username='api-user', purpose='validation',
                         jwk_name='sig-2027')
    assert task['changed'] is True and writes(emu) == []
    assert len(task['warnings']) == 1
    assert assigned(emu, 'api-user', 'validation') == 'sig-2026'

    # absent: the server's answer tells the truth; "nothing assigned" only from its own words.
    run, task = run_task(run_playbook, emu, username='api-user', purpose='validation', state='absent')
    assert task['changed'] is True and task['warnings'] == []
    run, task = run_task(run_playbook, emu, username='api-user', purpose='validation', state='absent')
    assert task['changed'] is False and task['warnings'] == []
    assert writes(emu) == [('DELETE', '/apiops/projects/demo/credentials/api-user/jwk/validation/')]


def test_partial_deployment_failure(run_playbook, emu, mode):
    emu.configure(failing_environments=['staging'])
    run, task = run_task(run_playbook, emu, expect_failure=True, username='api-user', purpose='validation',
                         jwk_name='sig-2026')
    assert task['failed'] is True and task['changed'] is True
    assert 'deployment failed in: staging' in task['result']['msg']
    deployment = dict((d['environment'], d['success']) for d in task['result']['deployment'])
    assert deployment == {'production': True, 'staging': False}

    run, task = run_task(run_playbook, emu, username='api-user', purpose='encryption', jwk_name='sig-2026',
                         fail_on_deploy_error=False)
    assert task['failed'] is False and task['changed'] is True
    deploy_warnings = [w for w in task['warnings'] if 'deployment failed in: staging' in w]
    assert len(deploy_warnings) == 1
    assert len(task['warnings']) == (2 if mode == 'documented' else 1)
    assert assigned(emu, 'api-user', 'encryption') == 'sig-2026'


def test_transient_failure_is_retried_and_reported(run_playbook, emu, mode):
    emu.add_fault(method='GET', path='/credentials/$', action='status', status=503, count=1)
    run, task = run_task(run_playbook, emu, username='api-user', purpose='validation', jwk_name='sig-2026')
    assert task['changed'] is True
    assert any('retried' in w for w in task['warnings'])
    assert assigned(emu, 'api-user', 'validation') == 'sig-2026'
    assert api_requests(emu) == [('GET', '/apiops/projects/demo/credentials/')] + ASSIGN_REQUESTS
