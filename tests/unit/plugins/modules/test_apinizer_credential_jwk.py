# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Decision logic of apinizer_credential_jwk, against a faked client (no HTTP)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils.client import ApinizerClient
from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_credential_jwk as mod

OK_DEPLOYMENT = [dict(environment='production', success=True, message='Deployed'),
                 dict(environment='staging', success=True, message='Deployed')]
NOTHING_ASSIGNED = 'No JWK is assigned to credential (username: {0}) for {1}!'


class FakeClient(object):
    """Records every call; answers from in-memory credentials and JWK names."""

    def __init__(self, credentials=None, jwks=None, hide=False, deployment=None, project='demo', accessible=()):
        self.project = project
        self.credentials = credentials if credentials is not None else [
            dict(username='api-user', validationJwkName=None, encryptionJwkName=None),
            dict(username='mobile-app', validationJwkName='old-key', encryptionJwkName=None),
        ]
        self.jwks = jwks if jwks is not None else {'demo': ['new-key', 'old-key'],
                                                   'admin': ['shared-admin-jwk']}
        self.hide = hide
        # Credentials the server accepts though the project does not list them ("accessible from the project").
        self.accessible = [dict(username=name, validationJwkName=None, encryptionJwkName=None) for name in accessible]
        self.deployment = OK_DEPLOYMENT if deployment is None else deployment
        self.calls = []
        self.retries_used = 0
        self.write_error = None

    retry_warning = ApinizerClient.retry_warning  # the real wording, from the one client

    def list_credentials(self, project=None):
        self.calls.append(('GET', 'credentials', project or self.project))
        out = []
        for c in self.credentials:
            c = dict(c)
            if self.hide:
                c.pop('validationJwkName', None)
                c.pop('encryptionJwkName', None)
            out.append(c)
        return out

    def list_jwks(self, project=None):
        project = project or self.project
        self.calls.append(('GET', 'jwks', project))
        if project not in self.jwks:
            raise ApinizerError(status=404, error='not_found', method='GET',
                                error_description='Project(%s) was not found or user does not '
                                                  'have privilege to access it!' % project,
                                path='/projects/%s/jwks/' % project)
        return [dict(name=n, type='RSA') for n in self.jwks[project]]

    def get_jwk(self, name, project=None):  # pragma: no cover - the module must not need key material
        raise AssertionError('get_jwk transfers private key material; the module must not call it')

    def _cred(self, username):
        found = [c for c in self.credentials + self.accessible if c['username'] == username]
        if not found:
            raise ApinizerError(status=400, error='bad_request', method='PUT', path='/x/',
                                error_description='Credential (username: %s) was not found!' % username)
        return found[0]

    def assign_credential_jwk(self, username, purpose, jwk_name, project=None):
        self.calls.append(('PUT', username, purpose, jwk_name))
        if self.write_error:
            raise self.write_error
        cred = self._cred(username)
        cred[mod.ASSIGNMENT_FIELDS[purpose]] = jwk_name
        return self.deployment

    def remove_credential_jwk(self, username, purpose, project=None):
        self.calls.append(('DELETE', username, purpose))
        if self.write_error:
            raise self.write_error
        cred = self._cred(username)
        field = mod.ASSIGNMENT_FIELDS[purpose]
        if not cred.get(field):
            raise ApinizerError(status=400, error='bad_request', method='DELETE', path='/x/',
                                error_description=NOTHING_ASSIGNED.format(username, purpose))
        cred[field] = None
        return self.deployment

    @property
    def writes(self):
        return [c for c in self.calls if c[0] in ('PUT', 'DELETE', 'POST')]


@pytest.fixture
def run(run_module, connection_args, monkeypatch):
    """run(client, check_mode=False, diff=False, **options) -> (failed, result)."""

    def _run(client, check_mode=False, diff=False, **options):
        # Warnings are process-global (and de-duplicated) in ansible-core; run_module starts them
        # empty, and the calls themselves are counted so "warns once" cannot pass by de-duplication.
        original_warn = mod.AnsibleModule.warn
        client.warn_calls = []

        def counting_warn(module, warning, *a, **kw):
            client.warn_calls.append(warning)
            return original_warn(module, warning, *a, **kw)

        monkeypatch.setattr(mod.AnsibleModule, 'warn', counting_warn)
        args = connection_args(project=client.project)
        args.update(options)
        failed, result, dummy = run_module(mod, args, client, check_mode=check_mode, diff=diff)
        return failed, result

    return _run


def warnings_of(result):
    """Warning texts (ansible-core 2.19 serialises them as WarningSummary objects)."""
    out = []
    for w in result.get('warnings') or []:
        out.append(w['event']['msg'] if isinstance(w, dict) else w)
    return out


# ---- pure helpers ------------------------------------------------------------------------------

@pytest.mark.parametrize('state, wanted, known, current, expected', [
    ('present', 'a', True, 'a', 'none'),
    ('present', 'a', True, 'b', 'assign'),
    ('present', 'a', True, None, 'assign'),
    ('present', 'a', False, None, 'assign'),
    ('absent', None, True, None, 'none'),
    ('absent', None, True, 'b', 'remove'),
    ('absent', None, False, None, 'remove_unknown'),
])
def test_plan(state, wanted, known, current, expected):
    assert mod.plan(state, wanted, known, current) == expected
    # update=when_different changes only the case the server does not report.
    if (state, known) != ('present', False):
        assert mod.plan(state, wanted, known, current, 'when_different') == expected


def test_plan_when_different_sends_nothing_it_cannot_see():
    assert mod.plan('present', 'a', False, None, 'when_different') == 'unverified'
    assert mod.plan('present', 'a', False, None, 'always') == 'assign'


def test_current_assignment_tells_missing_field_from_nothing_assigned():
    both = {'validationJwkName': None, 'encryptionJwkName': None}
    assert mod.current_assignment(both, 'validation') == (True, None)
    assert mod.current_assignment(dict(both, validationJwkName=''), 'validation') == (True, None)
    assert mod.current_assignment(dict(both, validationJwkName='k'), 'validation') == (True, 'k')
    # One field alone reports nothing, for either purpose (issue 24 M1: credentials.credential_problem).
    assert mod.current_assignment({'validationJwkName': 'k'}, 'encryption') == (False, None)
    assert mod.current_assignment({'validationJwkName': 'k'}, 'validation') == (False, None)
    assert mod.current_assignment({}, 'validation') == (False, None)


# ---- present -------------------------------------------------------------------------------------

def test_assign_writes_once_and_reports_the_change(run):
    client = FakeClient()
    failed, result = run(client, username='api-user', purpose='validation', jwk_name='new-key')
    assert not failed
    assert result['changed'] is True
    assert client.writes == [('PUT', 'api-user', 'validation', 'new-key')]
    assert result['assignment'] == dict(username='api-user', purpose='validation', jwk_name='new-key')
    assert result['previous_jwk_name'] is None
    assert result['deployment'] == OK_DEPLOYMENT
    assert warnings_of(result) == []


def test_already_assigned_is_one_request_and_no_write(run):
    client = FakeClient()
    failed, result = run(client, username='mobile-app', purpose='validation', jwk_name='old-key')
    assert not failed and result['changed'] is False
    assert client.calls == [('GET', 'credentials', 'demo')]
    assert result['assignment']['jwk_name'] == 'old-key'
    assert result['previous_jwk_name'] == 'old-key'
    assert result['deployment'] == []


def test_reassign_reports_previous(run):
    client = FakeClient()
    failed, result = run(client, username='mobile-app', purpose='validation', jwk_name='new-key',
                         diff=True)
    assert not failed and result['changed'] is True
    assert result['previous_jwk_name'] == 'old-key'
    assert result['diff'] == dict(before={'jwk_name': 'old-key'}, after={'jwk_name': 'new-key'})


def test_purposes_are_independent(run):
    client = FakeClient()
    # mobile-app has old-key for validation; encryption is still empty and must be written.
    failed, result = run(client, username='mobile-app', purpose='encryption', jwk_name='old-key')
    assert result['changed'] is True
    assert client.writes == [('PUT', 'mobile-app', 'encryption', 'old-key')]


def test_admin_project_jwk_is_found_with_a_second_lookup(run):
    client = FakeClient()
    failed, result = run(client, username='api-user', purpose='encryption', jwk_name='shared-admin-jwk')
    assert not failed and result['changed'] is True
    assert [c for c in client.calls if c[1] == 'jwks'] == [('GET', 'jwks', 'demo'), ('GET', 'jwks', 'admin')]
    assert client.writes == [('PUT', 'api-user', 'encryption', 'shared-admin-jwk')]


def test_jwk_in_project_needs_no_admin_lookup(run):
    client = FakeClient()
    run(client, username='api-user', purpose='validation', jwk_name='new-key')
    assert [c for c in client.calls if c[1] == 'jwks'] == [('GET', 'jwks', 'demo')]


def test_unknown_jwk_fails_before_any_write(run):
    client = FakeClient()
    failed, result = run(client, username='api-user', purpose='validation', jwk_name='nope')
    assert failed
    assert client.writes == []
    assert "JWK 'nope' not found in project 'demo' nor in project 'admin'" in result['msg']
    assert result['changed'] is False


def test_unreadable_admin_project_is_not_found_and_says_why(run):
    client = FakeClient(jwks={'demo': ['new-key']})
    failed, result = run(client, username='api-user', purpose='validation', jwk_name='nope')
    assert failed and client.writes == []
    assert 'admin project could not be read' in result['msg']
    assert 'Project(admin)' in result['msg']


def test_unknown_credential_is_asked_for_and_the_refusal_names_the_listed_ones(run):
    # Not in the list may still be "accessible from the project": the server decides, not the module.
    creds = [dict(username='user-%02d' % i, validationJwkName=None, encryptionJwkName=None)
             for i in range(8)]
    client = FakeClient(credentials=creds)
    failed, result = run(client, username='ghost', purpose='validation', jwk_name='new-key')
    assert failed and result['changed'] is False
    assert client.calls == [('GET', 'credentials', 'demo'), ('GET', 'jwks', 'demo'),
                            ('PUT', 'ghost', 'validation', 'new-key')]
    assert 'Credential (username: ghost) was not found!' in result['msg']
    assert "not in the credential list of project 'demo'" in result['msg']
    assert 'user-00, user-01, user-02, user-03, user-04, ... (3 more)' in result['msg']
    assert 'user-07' not in result['msg']


@pytest.mark.parametrize('hide', [True, False])
def test_a_credential_accessible_from_the_project_is_assigned_with_one_warning(run, hide):
    client = FakeClient(hide=hide, accessible=['gateway-admin'])
    failed, result = run(client, username='gateway-admin', purpose='encryption', jwk_name='shared-admin-jwk')
    assert not failed and result['changed'] is True
    assert client.writes == [('PUT', 'gateway-admin', 'encryption', 'shared-admin-jwk')]
    assert len(client.calls) == 4   # credentials, demo JWKs, admin JWKs, the write
    assert client.accessible[0]['encryptionJwkName'] == 'shared-admin-jwk'
    assert len(client.warn_calls) == 1
    warning = warnings_of(result)[0]
    assert "Credential 'gateway-admin' is not in the credential list of project 'demo'" in warning
    assert 'accessible from the project' in warning and 'the assignment was sent' in warning
    assert 'Its JWK cannot be read: the task reports changed.' in warning
    assert result['previous_jwk_name'] is None


def test_an_unlisted_credential_in_check_mode_writes_nothing_and_says_so(run):
    client = FakeClient(accessible=['gateway-admin'])
    failed, result = run(client, check_mode=True, username='gateway-admin', purpose='validation',
                         jwk_name='new-key')
    assert not failed and result['changed'] is True and client.writes == []
    assert len(client.warn_calls) == 1 and 'the server decides when the task runs' in warnings_of(result)[0]


def test_an_unlisted_credential_is_removed_by_asking_the_server(run):
    client = FakeClient(accessible=['gateway-admin'])
    client.accessible[0]['validationJwkName'] = 'old-key'
    failed, result = run(client, username='gateway-admin', purpose='validation', state='absent')
    assert not failed and result['changed'] is True
    assert client.calls == [('GET', 'credentials', 'demo'), ('DELETE', 'gateway-admin', 'validation')]
    assert warnings_of(result) == []   # the server's answer told the truth
    # Nothing assigned any more: the server's answer says so in so many words (unchanged, no warning).
    failed, result = run(client, username='gateway-admin', purpose='validation', state='absent')
    assert not failed and result['changed'] is False
    assert warnings_of(result) == []
    # Unknown to the server too: its refusal is the failure.
    failed, result = run(FakeClient(), username='ghost', purpose='validation', state='absent')
    assert failed and 'Credential (username: ghost) was not found!' in result['msg']


def test_invalid_purpose_fails_before_any_request(run):
    client = FakeClient()
    failed, result = run(client, username='api-user', purpose='signing', jwk_name='new-key')
    assert failed and client.calls == []
    assert 'purpose' in result['msg'] and 'validation, encryption' in result['msg']


def test_jwk_name_required_for_present(run):
    client = FakeClient()
    failed, result = run(client, username='api-user', purpose='validation')
    assert failed and client.calls == []
    assert 'jwk_name' in result['msg']


# ---- check mode ----------------------------------------------------------------------------------

def test_check_mode_reports_the_change_without_writing(run):
    client = FakeClient()
    failed, result = run(client, check_mode=True, diff=True, username='mobile-app',
                         purpose='validation', jwk_name='new-key')
    assert not failed and result['changed'] is True
    assert client.writes == []
    assert result['assignment']['jwk_name'] == 'new-key'
    assert result['diff'] == dict(before={'jwk_name': 'old-key'}, after={'jwk_name': 'new-key'})


def test_check_mode_still_fails_for_unknown_jwk(run):
    client = FakeClient()
    failed, result = run(client, check_mode=True, username='api-user', purpose='validation',
                         jwk_name='nope')
    assert failed and client.writes == []


def test_check_mode_remove(run):
    client = FakeClient()
    failed, result = run(client, check_mode=True, username='mobile-app', purpose='validation',
                         state='absent')
    assert result['changed'] is True and client.writes == []
    assert result['assignment']['jwk_name'] is None


# ---- absent --------------------------------------------------------------------------------------

def test_remove_deletes_and_skips_jwk_lookup(run):
    client = FakeClient()
    failed, result = run(client, username='mobile-app', purpose='validation', state='absent',
                         jwk_name='ignored')
    assert not failed and result['changed'] is True
    assert client.calls == [('GET', 'credentials', 'demo'), ('DELETE', 'mobile-app', 'validation')]
    assert result['previous_jwk_name'] == 'old-key'
    assert result['assignment']['jwk_name'] is None


def test_remove_when_nothing_assigned_is_one_request(run):
    client = FakeClient()
    failed, result = run(client, username='api-user', purpose='validation', state='absent')
    assert not failed and result['changed'] is False
    assert client.calls == [('GET', 'credentials', 'demo')]


# ---- hidden assignments (server does not report them) --------------------------------------------

def test_hidden_assignment_applies_and_warns_once(run):
    client = FakeClient(hide=True)
    failed, result = run(client, diff=True, username='mobile-app', purpose='validation',
                         jwk_name='old-key')
    assert not failed and result['changed'] is True
    assert client.writes == [('PUT', 'mobile-app', 'validation', 'old-key')]
    assert warnings_of(result) == [
        "Credential 'mobile-app': the server does not report its validation JWK (validationJwkName), so the "
        "module cannot know whether it was already assigned; the assignment was sent and reported as changed "
        "(idempotence could not be verified; update=when_different sends only a difference the server reports)."]
    assert len(client.warn_calls) == 1
    # Never a guessed "before"; the after is a fact (the server accepted the write).
    assert result['previous_jwk_name'] is None
    assert 'jwk_name' not in result['diff']['before']
    assert result['assignment']['jwk_name'] == 'old-key'
    assert 'unverified' not in result


def test_hidden_assignment_with_update_always_is_sent_on_every_run(run):
    # The documented cost of the default on a server that does not report assignments: not idempotent.
    client = FakeClient(hide=True)
    for dummy in range(2):
        failed, result = run(client, username='api-user', purpose='validation', jwk_name='new-key')
        assert not failed and result['changed'] is True
    assert client.writes == [('PUT', 'api-user', 'validation', 'new-key')] * 2


def test_hidden_assignment_check_mode_warns_and_does_not_write(run):
    client = FakeClient(hide=True)
    failed, result = run(client, check_mode=True, username='mobile-app', purpose='validation',
                         jwk_name='old-key')
    assert result['changed'] is True and client.writes == []
    assert len(client.warn_calls) == 1
    assert 'the assignment would be sent and reported as changed' in warnings_of(result)[0]


def test_hidden_removal_in_check_mode_says_it_cannot_tell(run):
    client = FakeClient(hide=True)
    failed, result = run(client, check_mode=True, username='api-user', purpose='encryption', state='absent')
    assert not failed and result['changed'] is True and client.writes == []
    assert warnings_of(result) == [
        "The server does not report the encryption JWK of credential 'api-user', so check mode cannot "
        "tell whether the removal would find one (reported as a change)."]


# ---- update=when_different -------------------------------------------------------------------------

def test_when_different_on_a_hidden_server_sends_nothing_and_claims_nothing(run):
    client = FakeClient(hide=True)
    failed, result = run(client, diff=True, username='mobile-app', purpose='validation',
                         jwk_name='old-key', update='when_different')
    assert not failed and result['changed'] is False
    # The credential list, then the JWK lookup (a typo must still fail), never a write.
    assert client.calls == [('GET', 'credentials', 'demo'), ('GET', 'jwks', 'demo')]
    assert result['unverified'] == ['jwk_name']
    assert result['assignment'] == dict(username='mobile-app', purpose='validation', jwk_name=None)
    assert result['previous_jwk_name'] is None
    assert result['deployment'] == []
    assert result['diff']['before'] == result['diff']['after']   # nothing to show as a change
    assert warnings_of(result) == []   # the user chose it; 'unverified' says it


def test_when_different_reruns_write_nothing_after_a_first_assignment(run):
    client = FakeClient(hide=True)
    failed, first = run(client, username='api-user', purpose='validation', jwk_name='new-key')
    assert first['changed'] is True
    for dummy in range(2):
        failed, again = run(client, username='api-user', purpose='validation', jwk_name='new-key',
                            update='when_different')
        assert not failed and again['changed'] is False and again['unverified'] == ['jwk_name']
    assert client.writes == [('PUT', 'api-user', 'validation', 'new-key')]


def test_when_different_on_a_hidden_server_still_fails_for_an_unknown_jwk(run):
    client = FakeClient(hide=True)
    failed, result = run(client, username='api-user', purpose='validation', jwk_name='nope',
                         update='when_different')
    assert failed and client.writes == []
    assert "JWK 'nope' not found in project 'demo' nor in project 'admin'" in result['msg']


def test_when_different_in_check_mode_is_the_same_answer(run):
    client = FakeClient(hide=True)
    failed, result = run(client, check_mode=True, username='api-user', purpose='validation',
                         jwk_name='new-key', update='when_different')
    assert not failed and result['changed'] is False and result['unverified'] == ['jwk_name']
    assert client.writes == []


@pytest.mark.parametrize('username, jwk_name, writes', [
    ('mobile-app', 'old-key', []),                                      # reported and equal: no write
    ('mobile-app', 'new-key', [('PUT', 'mobile-app', 'validation', 'new-key')]),  # reported and different
    ('api-user', 'new-key', [('PUT', 'api-user', 'validation', 'new-key')]),      # reported: none assigned
])
def test_when_different_on_a_reporting_server_is_the_default(run, username, jwk_name, writes):
    results = []
    for update in ('always', 'when_different'):
        client = FakeClient()
        failed, result = run(client, username=username, purpose='validation', jwk_name=jwk_name, update=update)
        assert not failed and client.writes == writes and 'unverified' not in result
        results.append((result['changed'], result['assignment'], result['previous_jwk_name'], client.calls))
    assert results[0] == results[1]


def test_when_different_for_an_unlisted_credential_warns_to_check_the_name(run):
    client = FakeClient(accessible=['gateway-admin'])
    failed, result = run(client, username='gateway-admin', purpose='validation', jwk_name='new-key',
                         update='when_different')
    assert not failed and result['changed'] is False and client.writes == []
    assert result['unverified'] == ['jwk_name']
    warnings = warnings_of(result)
    assert len(warnings) == 1
    assert "Credential 'gateway-admin' is not in the credential list of project 'demo'" in warnings[0]
    assert warnings[0].endswith('update=when_different sent nothing: check the name.')


def test_update_is_ignored_for_a_removal(run):
    client = FakeClient(hide=True)
    failed, result = run(client, username='mobile-app', purpose='validation', state='absent',
                         update='when_different')
    assert not failed and result['changed'] is True
    assert client.writes == [('DELETE', 'mobile-app', 'validation')]
    assert 'unverified' not in result


def test_hidden_remove_nothing_assigned_is_unchanged(run):
    client = FakeClient(hide=True)
    failed, result = run(client, username='api-user', purpose='encryption', state='absent')
    assert not failed and result['changed'] is False
    assert client.writes == [('DELETE', 'api-user', 'encryption')]
    assert warnings_of(result) == []


def test_hidden_remove_of_an_assignment_is_changed(run):
    client = FakeClient(hide=True)
    failed, result = run(client, username='mobile-app', purpose='validation', state='absent')
    assert not failed and result['changed'] is True
    assert client.credentials[1]['validationJwkName'] is None


@pytest.mark.parametrize('description', [
    'Credential (username: mobile-app) was not found!',
    'Project not found for name: (demo)',
    'The credential could not be found, not found',
])
def test_a_400_naming_the_credential_or_project_missing_fails_the_removal(run, description):
    client = FakeClient(hide=True)
    client.write_error = ApinizerError(status=400, error='bad_request', method='DELETE', path='/x/',
                                       error_description=description)
    failed, result = run(client, username='mobile-app', purpose='validation', state='absent')
    assert failed and result['changed'] is False
    assert description in result['msg']


@pytest.mark.parametrize('description, shown', [
    ('User does not have required permission for this operation!',
     'User does not have required permission for this operation!'),   # the current reference's 400
    ('Something else went wrong!', 'Something else went wrong!'),
    (NOTHING_ASSIGNED.format('api-user', 'validation'), 'api-user'),      # another credential's text
    (NOTHING_ASSIGNED.format('mobile-app', 'encryption'), 'encryption'),  # another purpose's text
    (None, 'HTTP 400'),                                                   # an empty or unreadable body
])
def test_any_other_400_on_remove_fails_and_the_credential_keeps_its_jwk(run, description, shown):
    client = FakeClient(hide=True)
    client.write_error = ApinizerError(status=400, method='DELETE', path='/x/', error_description=description)
    failed, result = run(client, username='mobile-app', purpose='validation', state='absent')
    assert failed and result['changed'] is False
    assert shown in result['msg'] and 'Removing the validation JWK' in result['msg']
    assert client.credentials[1]['validationJwkName'] is not None


def test_nothing_assigned_after_a_retried_delete_is_a_change(run):
    client = FakeClient(hide=True)
    original = client.remove_credential_jwk

    def lost_answer_then_retry(username, purpose, project=None):
        original(username, purpose)          # the first attempt lands, its answer is lost
        client.retries_used += 1
        return original(username, purpose)   # the retry finds nothing left

    client.remove_credential_jwk = lost_answer_then_retry
    failed, result = run(client, username='mobile-app', purpose='validation', state='absent')
    assert not failed and result['changed'] is True


# ---- deployment and errors -----------------------------------------------------------------------

FAILED_DEPLOYMENT = [dict(environment='production', success=True, message='Deployed'),
                     dict(environment='staging', success=False, message='staging is down')]


def test_partial_deployment_failure_fails(run):
    client = FakeClient(deployment=FAILED_DEPLOYMENT)
    failed, result = run(client, username='api-user', purpose='validation', jwk_name='new-key')
    assert failed
    assert result['changed'] is True  # the assignment is stored: say so
    assert 'staging (staging is down)' in result['msg']
    assert result['deployment'] == FAILED_DEPLOYMENT


def test_partial_deployment_failure_can_be_a_warning(run):
    client = FakeClient(deployment=FAILED_DEPLOYMENT)
    failed, result = run(client, username='api-user', purpose='validation', jwk_name='new-key',
                         fail_on_deploy_error=False)
    assert not failed and result['changed'] is True
    assert any('staging (staging is down)' in w for w in warnings_of(result))


def test_api_error_reaches_the_user_verbatim(run):
    client = FakeClient()
    client.write_error = ApinizerError(status=400, error='bad_request', method='PUT', path='/x/',
                                       error_description='JWK (name: new-key) is not found!')
    failed, result = run(client, username='api-user', purpose='validation', jwk_name='new-key')
    assert failed and result['changed'] is False
    assert 'JWK (name: new-key) is not found!' in result['msg']
    assert result['status'] == 400


def test_retries_are_reported_as_a_warning(run):
    client = FakeClient()
    client.retries_used = 2
    failed, result = run(client, username='mobile-app', purpose='validation', jwk_name='old-key')
    assert not failed
    assert warnings_of(result) == ['2 transient failures were retried']
