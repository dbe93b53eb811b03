# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Credentials and their JWK assignments."""

import pytest

from contract_helpers import assigned, error_of

CREDS = '/projects/demo/credentials/'
DOCUMENTED_FIELDS = {'username', 'email', 'fullName', 'description', 'password', 'roleNameList', 'enabled', 'ipList',
                     'expireDate'}


@pytest.fixture(params=['documented', 'reported'])
def mode(request, api):
    """Both worlds: the documented credential list, and one that reports assignments (opt-in)."""
    if request.param == 'reported':
        api.emulator.configure(report_assignments=True)
    return request.param


def make(api, name):
    r = api.post('/projects/demo/jwks/generate', json={'name': name, 'type': 'EC', 'ec': {'curveType': 'P256'}})
    assert r.status_code == 200, r.text


def test_seeded_credentials_are_listed_with_exactly_the_documented_fields(api):
    creds = api.credentials()
    assert list(creds) == ['api-user', 'mobile-app', 'partner-app']
    for cred in creds.values():
        assert cred['password'] is None
        assert set(cred) == DOCUMENTED_FIELDS


def test_reported_assignments_add_two_fields(api):
    api.emulator.configure(report_assignments=True)
    for cred in api.credentials().values():
        assert set(cred) == DOCUMENTED_FIELDS | {'validationJwkName', 'encryptionJwkName'}
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


def listed(api, mode, username, purpose):
    """What the list says about an assignment: the name when reported, absent otherwise."""
    cred = api.credentials()[username]
    field = purpose + 'JwkName'
    if mode == 'documented':
        assert field not in cred
        return 'not listed'
    return cred[field]


@pytest.mark.parametrize('purpose', ['validation', 'encryption'])
def test_assign_replace_and_remove(api, mode, purpose):
    make(api, 'a')
    make(api, 'b')
    emu = api.emulator
    other = 'encryption' if purpose == 'validation' else 'validation'
    r = api.put('/projects/demo/credentials/api-user/jwk/%s/a/' % purpose)
    assert r.status_code == 200 and r.json()['deploymentResult']['success'] is True
    assert assigned(emu, 'api-user', purpose) == 'a'
    assert listed(api, mode, 'api-user', purpose) == ('a' if mode == 'reported' else 'not listed')
    assert api.put('/projects/demo/credentials/api-user/jwk/%s/b/' % purpose).status_code == 200
    assert assigned(emu, 'api-user', purpose) == 'b'
    assert assigned(emu, 'api-user', other) is None and assigned(emu, 'mobile-app', purpose) is None
    assert listed(api, mode, 'api-user', purpose) == ('b' if mode == 'reported' else 'not listed')
    assert api.delete('/projects/demo/credentials/api-user/jwk/%s/' % purpose).status_code == 200
    assert assigned(emu, 'api-user', purpose) is None
    assert listed(api, mode, 'api-user', purpose) == (None if mode == 'reported' else 'not listed')


@pytest.mark.parametrize('purpose', ['validation', 'encryption'])
def test_remove_without_assignment(api, mode, purpose):
    assert error_of(api.delete('/projects/demo/credentials/api-user/jwk/%s/' % purpose)) == (
        'bad_request', 'No JWK is assigned to credential (username: api-user) for %s!' % purpose)


def test_admin_project_fallback(api, mode):
    assert api.put('/projects/demo/credentials/mobile-app/jwk/validation/shared-admin-jwk/').status_code == 200
    assert assigned(api.emulator, 'mobile-app', 'validation') == 'shared-admin-jwk'
    assert listed(api, mode, 'mobile-app', 'validation') == (
        'shared-admin-jwk' if mode == 'reported' else 'not listed')


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


def test_report_and_hide_assignments_switch(api):
    make(api, 'a')
    api.put('/projects/demo/credentials/api-user/jwk/validation/a/')
    assert 'validationJwkName' not in api.credentials()['api-user']   # the documented default
    api.emulator.configure(report_assignments=True)
    assert api.credentials()['api-user']['validationJwkName'] == 'a'
    api.emulator.configure(hide_assignments=True)   # the inverse setting, kept for old callers
    cred = api.credentials()['api-user']
    assert 'validationJwkName' not in cred and 'encryptionJwkName' not in cred
    assert api.emulator.configure(hide_assignments=False)['report_assignments'] is True
    assert api.credentials()['api-user']['validationJwkName'] == 'a'


def test_report_and_hide_assignments_over_http_and_contradictions(api):
    r = api.hook('POST', 'config', json={'report_assignments': True})
    assert r.status_code == 200 and r.json()['config']['hide_assignments'] is False
    assert 'validationJwkName' in api.credentials()['api-user']
    assert api.hook('POST', 'config', json={'report_assignments': False, 'hide_assignments': True}).status_code == 200
    assert 'validationJwkName' not in api.credentials()['api-user']
    r = api.hook('POST', 'config', json={'report_assignments': True, 'hide_assignments': True})
    assert r.status_code == 400 and 'contradict' in r.json()['error_description']
    assert api.hook('GET', 'config').json()['config']['report_assignments'] is False   # nothing applied
    with pytest.raises(ValueError, match='contradict'):
        api.emulator.configure(report_assignments=False, hide_assignments=False)


def test_constructor_default_survives_reset():
    from apinizer_emulator import Emulator
    from contract_helpers import Api
    with Emulator(report_assignments=True) as emu:
        client = Api(emu)
        assert client.credentials()['api-user']['validationJwkName'] is None
        emu.configure(report_assignments=False)
        emu.reset()
        assert 'validationJwkName' in client.credentials()['api-user']
        client.session.close()


ADMIN_CREDENTIAL = {'projects': {'admin': {'credentials': [{'username': 'gateway-admin', 'password': 'pw'}]}}}


def test_a_credential_of_the_admin_project_is_accessible_from_a_project(api, mode):
    # Set JWK Encryption: "Credential must be in the same project or accessible from the project".
    api.emulator.seed(ADMIN_CREDENTIAL)
    make(api, 'a')
    assert 'gateway-admin' not in api.credentials()   # not in the project's own list
    assert api.put('/projects/demo/credentials/gateway-admin/jwk/encryption/a/').status_code == 200
    assert assigned(api.emulator, 'gateway-admin', 'encryption', project='admin') == 'a'
    assert api.delete('/projects/demo/credentials/gateway-admin/jwk/encryption/').status_code == 200
    assert assigned(api.emulator, 'gateway-admin', 'encryption', project='admin') is None
    # Nothing left to remove: the same 400 as for a credential of the project.
    assert error_of(api.delete('/projects/demo/credentials/gateway-admin/jwk/encryption/'))[0] == 'bad_request'
