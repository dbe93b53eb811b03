# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""PUT and DELETE /projects/{p}/jwks/{name}/."""

import pytest

from contract_helpers import assigned, error_of


def make(api, name, ktype='OCT'):
    params = {'OCT': {'oct': {'keySize': 128}}, 'EC': {'ec': {'curveType': 'P256'}}}[ktype]
    r = api.post('/projects/demo/jwks/generate', json=dict({'name': name, 'type': ktype}, **params))
    assert r.status_code == 200, r.text


def from_cert(api, name):
    r = api.post('/projects/demo/jwks/', json={
        'name': name, 'sourceType': 'CERTIFICATE', 'certificateName': 'demo-cert', 'environmentName': 'production',
        'useType': 'SIGNATURE', 'algorithm': 'RS256'})
    assert r.status_code == 200, r.text


def test_update_description_keeps_key_material(api):
    make(api, 'a')
    before = api.jwk('a')
    r = api.put('/projects/demo/jwks/a/', json={'description': 'new'})
    assert r.status_code == 200 and r.json()['deploymentResult']['success'] is True
    after = api.jwk('a')
    assert after['description'] == 'new' and after['oct'] == before['oct'] and after['sourceType'] == 'GENERATE'


def test_rename(api):
    make(api, 'a')
    assert api.put('/projects/demo/jwks/a/', json={'name': 'b'}).status_code == 200
    assert list(api.jwks()) == ['b']
    assert error_of(api.get('/projects/demo/jwks/a/'))[1] == 'JWK (name: a) is not found!'


def test_rename_to_a_taken_name(api):
    make(api, 'a')
    make(api, 'b')
    assert error_of(api.put('/projects/demo/jwks/a/', json={'name': 'b'})) == (
        'bad_request', 'JWK (name: b) is already exist!')


def test_update_missing(api):
    assert error_of(api.put('/projects/demo/jwks/nope/', json={'description': 'x'})) == (
        'bad_request', 'JWK (name: nope) is not found! Try create operation.')


def test_update_with_empty_name(api):
    make(api, 'a')
    assert error_of(api.put('/projects/demo/jwks/a/', json={'name': ''}))[1] == 'JWK name can not be empty!'


def test_update_detaches_a_sourced_jwk(api):
    from_cert(api, 'c')
    assert api.jwks()['c']['sourceId'] == 'demo-cert'
    before = api.jwk('c')['rsa']
    assert api.put('/projects/demo/jwks/c/', json={'description': 'touched'}).status_code == 200
    after = api.jwk('c')
    assert (after['sourceType'], after['sourceId'], after['sourceUrl']) == ('COPY_PASTE', None, None)
    assert after['rsa'] == before


def test_update_detaches_a_url_jwk(api):
    make(api, 'g', 'EC')
    url = api.emulator.serve_static('k.json', api.jwk('g')['ec'])
    assert api.post('/projects/demo/jwks/', json={'name': 'u', 'sourceType': 'URL', 'url': url}).status_code == 200
    assert api.put('/projects/demo/jwks/u/', json={'name': 'u2'}).status_code == 200
    assert (api.jwks()['u2']['sourceType'], api.jwks()['u2']['sourceUrl']) == ('COPY_PASTE', None)


def test_delete(api):
    make(api, 'a')
    r = api.delete('/projects/demo/jwks/a/')
    assert r.status_code == 200
    assert [e['environmentName'] for e in r.json()['deploymentResult']['environmentResults']] == [
        'production', 'staging']
    assert api.jwks() == {}


def test_delete_missing(api):
    assert error_of(api.delete('/projects/demo/jwks/a/')) == ('bad_request', 'JWK (name: a) is not found!')


def test_delete_of_a_used_jwk_leaves_the_credential_dangling(api):
    make(api, 'a')
    assert api.put('/projects/demo/credentials/api-user/jwk/validation/a/').status_code == 200
    assert api.delete('/projects/demo/jwks/a/').status_code == 200
    assert assigned(api.emulator, 'api-user', 'validation') == 'a'


@pytest.mark.parametrize('report', [False, True])
@pytest.mark.parametrize('purpose', ['validation', 'encryption'])
def test_rename_does_not_rewrite_assignments(api, purpose, report):
    """The vendor's Update JWK page makes updating references the user's job."""
    api.emulator.configure(report_assignments=report)
    make(api, 'a')
    assert api.put('/projects/demo/credentials/api-user/jwk/%s/a/' % purpose).status_code == 200
    assert api.put('/projects/demo/jwks/a/', json={'name': 'b'}).status_code == 200
    assert assigned(api.emulator, 'api-user', purpose) == 'a'   # now dangling
    assert list(api.jwks()) == ['b']
    cred = api.credentials()['api-user']
    if report:
        assert cred[purpose + 'JwkName'] == 'a'
    else:
        assert purpose + 'JwkName' not in cred
