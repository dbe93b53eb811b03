# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""apinizer_credential_jwk against the emulator: what goes over the wire, and what the task reports.

JWKs are seeded straight into the emulator (not created with apinizer_jwk), so these tests
depend on nothing but the module under test. The emulator is the server as documented: its
credential list does not say which JWK a credential has. Tests that can run both ways take the
``mode`` fixture and run on that server and on one that reports assignments, with the request
counts of each.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

SEED = {'projects': {'demo': {'jwks': [
    {'name': 'sig-2026', 'sourceType': 'GENERATE', 'generate': {'type': 'EC', 'ec': {'curveType': 'P256'}}},
    {'name': 'sig-2027', 'sourceType': 'GENERATE', 'generate': {'type': 'EC', 'ec': {'curveType': 'P256'}}},
]}}}
WRITE_METHODS = ('POST', 'PUT', 'DELETE')
UNVERIFIED = 'cannot know whether it was already assigned'
UNLISTED = 'is not in the credential list of project'
ASSIGN_REQUESTS = [('GET', '/apiops/projects/demo/credentials/'), ('GET', '/apiops/projects/demo/jwks/'),
                   ('PUT', '/apiops/projects/demo/credentials/api-user/jwk/validation/sig-2026/')]


def api_requests(emu):
    return [(r['method'], r['path']) for r in emu.requests()]


def writes(emu):
    return [r for r in api_requests(emu) if r[0] in WRITE_METHODS]


def assigned(emu, username, purpose, project='demo'):
    cred = emu.state()['projects'][project]['credentials'][username]
    return cred.get('%sJwkName' % purpose)


@pytest.fixture
def task(run_module, emu):
    """task(check=False, diff=False, **options): one run of the module on an empty request log."""
    def _run(check=False, diff=False, **options):
        emu.clear_requests()
        return run_module('apinizer_credential_jwk', options, check=check, diff=diff)
    return _run


@pytest.fixture(params=['documented', 'reported'])
def mode(request, emu):
    """Both worlds: the documented credential list, and one that reports assignments."""
    emu.configure(report_assignments=request.param == 'reported')
    return request.param


def unverified_warnings(run):
    return [w for w in run.warnings if UNVERIFIED in w]


def test_assign_then_rerun(task, emu, mode):
    run = task(username='api-user', purpose='validation', jwk_name='sig-2026')
    assert run.changed is True and not run.failed
    assert assigned(emu, 'api-user', 'validation') == 'sig-2026'
    assert api_requests(emu) == ASSIGN_REQUESTS
    assert run.result['assignment'] == {'username': 'api-user', 'purpose': 'validation', 'jwk_name': 'sig-2026'}
    assert run.result['previous_jwk_name'] is None
    assert [d['environment'] for d in run.result['deployment']] == ['production', 'staging']
    assert all(d['success'] for d in run.result['deployment'])
    assert len(run.warnings) == (1 if mode == 'documented' else 0)
    assert len(unverified_warnings(run)) == len(run.warnings)

    run = task(username='api-user', purpose='validation', jwk_name='sig-2026')
    if mode == 'reported':
        # Idempotent: one read, no write.
        assert run.changed is False
        assert api_requests(emu) == [('GET', '/apiops/projects/demo/credentials/')]
        assert run.result['deployment'] == [] and run.warnings == []
    else:
        # Nothing says the assignment is already there: apply it again, report it, warn.
        assert run.changed is True
        assert api_requests(emu) == ASSIGN_REQUESTS
        assert len(run.result['deployment']) == 2
        assert len(run.warnings) == 1 and len(unverified_warnings(run)) == 1
    assert assigned(emu, 'api-user', 'validation') == 'sig-2026'


def test_reassign_and_diff(task, emu, mode):
    task(username='api-user', purpose='validation', jwk_name='sig-2026')
    run = task(diff=True, username='api-user', purpose='validation', jwk_name='sig-2027')
    assert run.changed is True
    assert len(writes(emu)) == 1 and len(api_requests(emu)) == 3
    assert assigned(emu, 'api-user', 'validation') == 'sig-2027'
    diff = run.result['diff']
    assert diff['after'] == {'jwk_name': 'sig-2027'}
    if mode == 'reported':
        assert run.result['previous_jwk_name'] == 'sig-2026'
        assert diff == {'before': {'jwk_name': 'sig-2026'}, 'after': {'jwk_name': 'sig-2027'}}
    else:
        # The server did not say what was there: no invented "before".
        assert run.result['previous_jwk_name'] is None
        assert 'jwk_name' not in diff['before'] and 'sig-2026' not in run.output


def test_purposes_are_independent(task, emu, mode):
    task(username='mobile-app', purpose='validation', jwk_name='sig-2026')
    run = task(username='mobile-app', purpose='encryption', jwk_name='sig-2027')
    assert run.changed is True and len(writes(emu)) == 1
    assert assigned(emu, 'mobile-app', 'validation') == 'sig-2026'
    assert assigned(emu, 'mobile-app', 'encryption') == 'sig-2027'
    # Removing one purpose leaves the other alone.
    run = task(username='mobile-app', purpose='validation', state='absent')
    assert run.changed is True
    assert api_requests(emu) == [('GET', '/apiops/projects/demo/credentials/'),
                                 ('DELETE', '/apiops/projects/demo/credentials/mobile-app/jwk/validation/')]
    assert assigned(emu, 'mobile-app', 'validation') is None
    assert assigned(emu, 'mobile-app', 'encryption') == 'sig-2027'


def test_admin_project_jwk(task, emu, mode):
    requests_of_an_assignment = [
        ('GET', '/apiops/projects/demo/credentials/'),
        ('GET', '/apiops/projects/demo/jwks/'),
        ('GET', '/apiops/projects/admin/jwks/'),
        ('PUT', '/apiops/projects/demo/credentials/partner-app/jwk/encryption/shared-admin-jwk/'),
    ]
    run = task(username='partner-app', purpose='encryption', jwk_name='shared-admin-jwk')
    assert run.changed is True
    assert assigned(emu, 'partner-app', 'encryption') == 'shared-admin-jwk'
    assert api_requests(emu) == requests_of_an_assignment
    run = task(username='partner-app', purpose='encryption', jwk_name='shared-admin-jwk')
    if mode == 'reported':
        assert run.changed is False and len(api_requests(emu)) == 1
    else:
        assert run.changed is True and api_requests(emu) == requests_of_an_assignment


def test_remove_then_remove_again(task, emu, mode):
    task(username='api-user', purpose='encryption', jwk_name='sig-2026')
    run = task(diff=True, username='api-user', purpose='encryption', state='absent')
    assert run.changed is True
    delete = ('DELETE', '/apiops/projects/demo/credentials/api-user/jwk/encryption/')
    assert writes(emu) == [delete]
    assert run.result['assignment']['jwk_name'] is None
    assert run.result['diff']['after'] == {'jwk_name': None}
    if mode == 'reported':
        assert run.result['previous_jwk_name'] == 'sig-2026'
        assert run.result['diff'] == {'before': {'jwk_name': 'sig-2026'}, 'after': {'jwk_name': None}}
    else:
        assert run.result['previous_jwk_name'] is None
    assert assigned(emu, 'api-user', 'encryption') is None
    # The JWK itself stays.
    assert 'sig-2026' in emu.state()['projects']['demo']['jwks']

    run = task(username='api-user', purpose='encryption', state='absent')
    assert run.changed is False
    if mode == 'reported':
        assert api_requests(emu) == [('GET', '/apiops/projects/demo/credentials/')]
    else:
        # Only the server's answer to the DELETE can tell that nothing was assigned.
        assert api_requests(emu) == [('GET', '/apiops/projects/demo/credentials/'), delete]


def test_check_mode_writes_nothing(task, emu, mode):
    task(username='api-user', purpose='validation', jwk_name='sig-2026')
    run = task(check=True, diff=True, username='api-user', purpose='validation', jwk_name='sig-2027')
    assert run.changed is True
    assert writes(emu) == []
    assert len(api_requests(emu)) == 2   # the credential list, then the JWK lookup
    assert run.result['diff']['after'] == {'jwk_name': 'sig-2027'}
    if mode == 'reported':
        assert run.result['diff'] == {'before': {'jwk_name': 'sig-2026'}, 'after': {'jwk_name': 'sig-2027'}}
        assert run.warnings == []
    else:
        assert 'jwk_name' not in run.result['diff']['before']
        assert len(unverified_warnings(run)) == 1
    assert run.result['assignment']['jwk_name'] == 'sig-2027'
    assert assigned(emu, 'api-user', 'validation') == 'sig-2026'

    run = task(check=True, username='api-user', purpose='validation', state='absent')
    assert run.changed is True and writes(emu) == []
    assert api_requests(emu) == [('GET', '/apiops/projects/demo/credentials/')]
    assert assigned(emu, 'api-user', 'validation') == 'sig-2026'


ADMIN_CREDENTIAL = {'projects': {'admin': {'credentials': [{'username': 'gateway-admin', 'password': 'pw'}]}}}


def test_unknown_credential_is_asked_for_and_the_refusal_is_surfaced(task, emu, mode):
    # Not in the list is not refused before asking: the server may find it "accessible from the project".
    run = task(username='ghost', purpose='validation', jwk_name='sig-2026')
    assert run.failed is True and run.changed is False
    assert 'Credential (username: ghost) was not found!' in run.msg
    assert "not in the credential list of project 'demo'; known: api-user, mobile-app, partner-app" in run.msg
    assert api_requests(emu) == [('GET', '/apiops/projects/demo/credentials/'), ('GET', '/apiops/projects/demo/jwks/'),
                                 ('PUT', '/apiops/projects/demo/credentials/ghost/jwk/validation/sig-2026/')]


def test_a_credential_accessible_from_the_project_is_assigned(task, emu, mode):
    emu.seed(ADMIN_CREDENTIAL)
    put = ('PUT', '/apiops/projects/demo/credentials/gateway-admin/jwk/encryption/sig-2026/')
    for attempt in (1, 2):
        run = task(username='gateway-admin', purpose='encryption', jwk_name='sig-2026')
        # Neither mode lists it, so neither can tell whether it is already assigned: apply, report, warn once.
        assert run.changed is True
        assert api_requests(emu) == [('GET', '/apiops/projects/demo/credentials/'),
                                     ('GET', '/apiops/projects/demo/jwks/'), put]
        assert len(run.warnings) == 1 and UNLISTED in run.warnings[0]
        assert 'accessible from the project' in run.warnings[0]
        assert assigned(emu, 'gateway-admin', 'encryption', project='admin') == 'sig-2026'

    # Check mode: the same report, no write.
    run = task(check=True, username='gateway-admin', purpose='encryption', jwk_name='sig-2027')
    assert run.changed is True and writes(emu) == [] and len(run.warnings) == 1
    assert assigned(emu, 'gateway-admin', 'encryption', project='admin') == 'sig-2026'

    # Removal: the server's answers say whether anything was assigned.
    delete = ('DELETE', '/apiops/projects/demo/credentials/gateway-admin/jwk/encryption/')
    run = task(username='gateway-admin', purpose='encryption', state='absent')
    assert run.changed is True and writes(emu) == [delete] and run.warnings == []
    assert assigned(emu, 'gateway-admin', 'encryption', project='admin') is None
    run = task(username='gateway-admin', purpose='encryption', state='absent')
    assert run.changed is False and writes(emu) == [delete]


def test_unknown_jwk_fails_before_any_write(task, emu, mode):
    run = task(username='api-user', purpose='validation', jwk_name='no-such-jwk')
    assert run.failed
    assert "JWK 'no-such-jwk' not found in project 'demo' nor in project 'admin'" in run.msg
    assert writes(emu) == [] and len(api_requests(emu)) == 3   # credentials, then demo and admin JWKs
    assert assigned(emu, 'api-user', 'validation') is None


def test_hidden_assignments_apply_and_warn_once(task, emu):
    emu.configure(report_assignments=True)
    task(username='api-user', purpose='validation', jwk_name='sig-2026')
    emu.configure(hide_assignments=True)   # the documented server again

    run = task(username='api-user', purpose='validation', jwk_name='sig-2026')
    # Same JWK as before, but the module cannot see that: it writes and says so, once.
    assert run.changed is True
    assert writes(emu) == [('PUT', '/apiops/projects/demo/credentials/api-user/jwk/validation/sig-2026/')]
    assert len(run.warnings) == 1
    assert UNVERIFIED in run.warnings[0] and 'idempotence could not be verified' in run.warnings[0]
    assert run.result['previous_jwk_name'] is None

    # Check mode: the same report, no write.
    run = task(check=True, username='api-user', purpose='validation', jwk_name='sig-2027')
    assert run.changed is True and writes(emu) == []
    assert len(run.warnings) == 1
    assert assigned(emu, 'api-user', 'validation') == 'sig-2026'

    # absent: the server's answer tells the truth; "nothing assigned" only from its own words.
    run = task(username='api-user', purpose='validation', state='absent')
    assert run.changed is True and run.warnings == []
    run = task(username='api-user', purpose='validation', state='absent')
    assert run.changed is False and run.warnings == []
    assert writes(emu) == [('DELETE', '/apiops/projects/demo/credentials/api-user/jwk/validation/')]


def test_partial_deployment_failure(task, emu, mode):
    emu.configure(failing_environments=['staging'])
    run = task(username='api-user', purpose='validation', jwk_name='sig-2026')
    assert run.failed is True and run.changed is True
    assert 'deployment failed in: staging' in run.msg
    deployment = dict((d['environment'], d['success']) for d in run.result['deployment'])
    assert deployment == {'production': True, 'staging': False}

    run = task(username='api-user', purpose='encryption', jwk_name='sig-2026', fail_on_deploy_error=False)
    assert run.failed is False and run.changed is True
    deploy_warnings = [w for w in run.warnings if 'deployment failed in: staging' in w]
    assert len(deploy_warnings) == 1
    assert len(run.warnings) == (2 if mode == 'documented' else 1)
    assert assigned(emu, 'api-user', 'encryption') == 'sig-2026'


def test_transient_failure_is_retried_and_reported(task, emu, mode):
    emu.add_fault(method='GET', path='/credentials/$', action='status', status=503, count=1)
    run = task(username='api-user', purpose='validation', jwk_name='sig-2026')
    assert run.changed is True
    assert any('retried' in w for w in run.warnings)
    assert assigned(emu, 'api-user', 'validation') == 'sig-2026'
    assert api_requests(emu) == [('GET', '/apiops/projects/demo/credentials/')] + ASSIGN_REQUESTS
