# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Credentials and their JWK assignments."""

import pytest

from contract_helpers import error_of

CREDS = '/projects/demo/credentials/'


def make(api, name):
    r = api.post('/projects/demo/jwks/generate', json={'name': name, 'type': 'EC', 'ec': {'curveType': 'P256'}})
    assert r.status_code == 200, r.text


def test_seeded_credentials_are_listed_without_passwords(api):
    creds = api.credentials()
    assert list(creds) == ['api-user', 'mobile-app', 'partner-app']
    for cred in creds.values():
        assert cred['password'] is None
        assert set(cred) == {'username', 'email', 'fullName', 'description', 'password', 'roleNameList', 'enabled',
                             'ipList', 'expireDate', 'validationJwkName', 'encryptionJwkName'}
        assert cred['validationJwkName'] is None and cred['encryptionJwkName'] is None


def test_create_credential(api):
    r = api.post(CREDS, json={'username': 'new', 'password': 's3cret', 'email': 'n@example.com', 'fullName': 'N',
                              'description': 'd', 'roleNameList': ['R'], 'enabled': False, 'ipList': ['10.0.0.1'],
                              'expireDate': '2030-01-01'})
    assert r.status_code == 200 and r.json()['deploymentResult']['success'] is True
    assert 's3cret' not in r.text
    cred = api.credentials()['new']
    assert cred['password'] is None and cred['enabled'] is False and cred['ipList'] == ['10.0.0.1']
    assert cred['roleNameList'] == ['R'] and cred['expireDate'] == '2030-01-01'
    assert 's3cret' not in api.get(CREDS).text


def test_create_credential_errors(api):
    assert error_of(api.post(CREDS, json={'password': 'x'}))[1] == 'Credential username can not be empty!'
    assert error_of(api.post(CREDS, json={'username': 'x'}))[1] == 'Credential password can not be empty!'
    assert error_of(api.post(CREDS, json={'username': 'api-user', 'password': 'x'}))[1] == (
        'Credential (username: api-user) is already exist!')


@pytest.mark.parametrize('purpose', ['validation', 'encryption'])
def test_assign_replace_and_remove(api, purpose):
    make(api, 'a')
    make(api, 'b')
    field = purpose + 'JwkName'
    r = api.put('/projects/demo/credentials/api-user/jwk/%s/a/' % purpose)
    assert r.status_code == 200 and r.json()['deploymentResult']['success'] is True
    assert api.credentials()['api-user'][field] == 'a'
    assert api.put('/projects/demo/credentials/api-user/jwk/%s/b/' % purpose).status_code == 200
    creds = api.credentials()
    assert creds['api-user'][field] == 'b'
    other = 'encryptionJwkName' if purpose == 'validation' else 'validationJwkName'
    assert creds['api-user'][other] is None and creds['mobile-app'][field] is None
    assert api.delete('/projects/demo/credentials/api-user/jwk/%s/' % purpose).status_code == 200
    assert api.credentials()['api-user'][field] is None


@pytest.mark.parametrize('purpose', ['validation', 'encryption'])
def test_remove_without_assignment(api, purpose):
    assert error_of(api.delete('/projects/demo/credentials/api-user/jwk/%s/' % purpose)) == (
        'bad_request', 'No JWK is assigned to credential (username: api-user) for %s!' % purpose)


def test_admin_project_fallback(api):
    assert api.put('/projects/demo/credentials/mobile-app/jwk/validation/shared-admin-jwk/').status_code == 200
    assert api.credentials()['mobile-app']['validationJwkName'] == 'shared-admin-jwk'


def test_assign_unknown_jwk_or_credential(api):
    make(api, 'a')
    assert error_of(api.put('/projects/demo/credentials/api-user/jwk/validation/nope/')) == (
        'bad_request', 'JWK (name: nope) is not found!')
    assert error_of(api.put('/projects/demo/credentials/ghost/jwk/encryption/a/')) == (
        'bad_request', 'Credential (username: ghost) was not found!')
    assert error_of(api.delete('/projects/demo/credentials/ghost/jwk/encryption/')) == (
        'bad_request', 'Credential (username: ghost) was not found!')


def test_unknown_purpose_is_not_an_endpoint(api):
    make(api, 'a')
    assert error_of(api.put('/projects/demo/credentials/api-user/jwk/signing/a/'), 404)[0] == 'not_found'


def test_hide_assignments_switch(api):
    make(api, 'a')
    api.put('/projects/demo/credentials/api-user/jwk/validation/a/')
    api.emulator.configure(hide_assignments=True)
    cred = api.credentials()['api-user']
    assert 'validationJwkName' not in cred and 'encryptionJwkName' not in cred
    api.emulator.configure(hide_assignments=False)
    assert api.credentials()['api-user']['validationJwkName'] == 'a'
