# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""apinizer_credential_info against a faked client: one request, shape, no password, warnings."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils.client import ApinizerClient
from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_credential_info as mod

PASSWORD = 'SECRET-CREDENTIAL-PASSWORD'


def api_credential(username, validation=None, encryption=None, hidden=False):
    cred = dict(username=username, email='%s@example.com' % username, fullName=username,
                description='%s client' % username, password=PASSWORD, roleNameList=['API_USER'],
                enabled=True, ipList=[], expireDate=None)
    if not hidden:
        cred.update(validationJwkName=validation, encryptionJwkName=encryption)
    return cred


class FakeClient(object):
    project = 'demo'

    def __init__(self, credentials=None, error=None, retries_used=0):
        self.credentials = credentials or []
        self.error = error
        self.calls = []
        self.retries_used = retries_used

    retry_warning = ApinizerClient.retry_warning  # the real wording, from the one client

    def list_credentials(self, project=None):
        self.calls.append(('list_credentials', project))
        if self.error:
            raise self.error
        return json.loads(json.dumps(self.credentials))


@pytest.fixture
def run(run_module, connection_args):
    def _run(client, check_mode=False, **options):
        failed, result, out = run_module(mod, connection_args(**options), client, check_mode=check_mode)
        # ansible-core 2.19 serialises warnings as structured summaries; older cores as strings.
        result['warnings'] = [w['event']['msg'] if isinstance(w, dict) else w for w in result.get('warnings', [])]
        return failed, result, out

    return _run


def test_lists_every_credential_with_assignments_in_one_request(run):
    client = FakeClient([api_credential('api-user', 'sig-1'), api_credential('mobile-app', 'sig-1', 'enc-1'),
                         api_credential('partner-app')])
    failed, result, out = run(client)
    assert not failed and result['changed'] is False
    assert client.calls == [('list_credentials', None)]
    assert result['assignments_reported'] is True
    assert result['credentials'] == [
        dict(username='api-user', enabled=True, description='api-user client',
             validation_jwk_name='sig-1', encryption_jwk_name=None),
        dict(username='mobile-app', enabled=True, description='mobile-app client',
             validation_jwk_name='sig-1', encryption_jwk_name='enc-1'),
        dict(username='partner-app', enabled=True, description='partner-app client',
             validation_jwk_name=None, encryption_jwk_name=None),
    ]
    assert PASSWORD not in out
    assert all('password' not in c for c in result['credentials'])
    assert not result.get('warnings')


def test_username_filters_after_the_same_single_request(run):
    client = FakeClient([api_credential('api-user', 'sig-1'), api_credential('mobile-app', 'sig-2')])
    failed, result, out = run(client, username='mobile-app')
    assert client.calls == [('list_credentials', None)]
    assert [c['username'] for c in result['credentials']] == ['mobile-app']
    assert result['credentials'][0]['validation_jwk_name'] == 'sig-2'


def test_unknown_username_gives_an_empty_list_not_a_failure(run):
    failed, result, out = run(FakeClient([api_credential('api-user')]), username='nobody')
    assert not failed and result['credentials'] == []


def test_hidden_assignments_are_null_flagged_and_warned(run):
    client = FakeClient([api_credential('api-user', hidden=True), api_credential('mobile-app', hidden=True)])
    failed, result, out = run(client)
    assert not failed
    assert result['assignments_reported'] is False
    assert all(c['validation_jwk_name'] is None and c['encryption_jwk_name'] is None for c in result['credentials'])
    assert any('does not report which JWKs' in w for w in result['warnings'])


def test_check_mode_reads_the_same(run):
    client = FakeClient([api_credential('api-user', 'sig-1')])
    failed, result, out = run(client, check_mode=True)
    assert not failed and result['credentials'][0]['validation_jwk_name'] == 'sig-1'
    assert client.calls == [('list_credentials', None)]


def test_api_error_reaches_the_user_verbatim(run):
    error = ApinizerError(status=404, error='not_found', method='GET', path='/projects/nope/credentials/',
                          error_description='Project(nope) was not found or user does not have privilege to access it!')
    failed, result, out = run(FakeClient(error=error))
    assert failed
    assert 'Project(nope) was not found' in result['msg']
    assert result['status'] == 404
    assert 'unit-test-token-xyz' not in out


def test_retries_are_reported_as_a_warning(run):
    failed, result, out = run(FakeClient([api_credential('api-user')], retries_used=1))
    assert any('retried' in w for w in result['warnings'])
