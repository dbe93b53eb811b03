# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Authentication, the token endpoint, unknown projects and routing."""

import pytest
import requests

from contract_helpers import Api, error_of


@pytest.mark.parametrize('headers', [{}, {'Authorization': 'Bearer wrong'}, {'Authorization': 'Basic abc'},
                                     {'Authorization': 'emulator-token'}])
def test_missing_or_bad_token_is_401_invalid_token(emulator, headers):
    r = requests.get(emulator.url + '/apiops/projects/demo/jwks/', headers=headers, timeout=10)
    assert r.status_code == 401
    assert r.json()['error'] == 'invalid_token'
    assert r.json()['error_description']


def test_token_endpoint_issues_a_usable_bearer_token(emulator):
    r = requests.post(emulator.url + '/apiops/auth/token', timeout=10,
                      data={'grant_type': 'client_credentials', 'client_id': 'admin',
                            'client_secret': 'admin-password'})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body['token_type'] == 'Bearer' and body['expires_in'] == 3600
    assert body['access_token'] != 'emulator-token'
    api = Api(emulator, token=body['access_token'])
    assert api.get('/projects/demo/jwks/').status_code == 200


def test_token_endpoint_rejects_wrong_password(emulator):
    r = requests.post(emulator.url + '/apiops/auth/token', timeout=10,
                      data={'grant_type': 'client_credentials', 'client_id': 'admin', 'client_secret': 'nope'})
    assert error_of(r, 401)[0] == 'unauthorized_client'


def test_token_endpoint_rejects_other_grant_types(emulator):
    r = requests.post(emulator.url + '/apiops/auth/token', timeout=10,
                      data={'grant_type': 'password', 'client_id': 'admin', 'client_secret': 'admin-password'})
    assert error_of(r, 400)[0] == 'bad_request'


@pytest.mark.parametrize('path', ['/projects/Nope/jwks/', '/projects/Nope/jwks/x/', '/projects/Nope/credentials/'])
def test_unknown_project_is_404_with_documented_text(api, path):
    assert error_of(api.get(path), 404) == (
        'not_found', 'Project(Nope) was not found or user does not have privilege to access it!')


def test_unknown_project_on_writes_too(api):
    r = api.post('/projects/Nope/jwks/generate', json={'name': 'a', 'type': 'OCT', 'oct': {'keySize': 128}})
    assert error_of(r, 404)[1].startswith('Project(Nope) was not found')


@pytest.mark.parametrize('method,path', [
    ('GET', '/projects/demo/unknown/'),
    ('PATCH', '/projects/demo/jwks/x/'),
    # Documented paths end with a slash ...
    ('GET', '/projects/demo/jwks'),
    ('POST', '/projects/demo/jwks'),
    ('GET', '/projects/demo/jwks/x'),
    ('PUT', '/projects/demo/jwks/x'),
    ('DELETE', '/projects/demo/jwks/x'),
    ('GET', '/projects/demo/credentials'),
    ('POST', '/projects/demo/credentials'),
    ('PUT', '/projects/demo/credentials/api-user/jwk/validation/x'),
    ('PUT', '/projects/demo/credentials/api-user/jwk/encryption/x'),
    ('DELETE', '/projects/demo/credentials/api-user/jwk/validation'),
    ('DELETE', '/projects/demo/credentials/api-user/jwk/encryption'),
    # ... except generate and the parse-from-* helpers, which do not take one.
    ('POST', '/projects/demo/jwks/generate/'),
    ('POST', '/projects/demo/jwks/parse-from-url/'),
    ('POST', '/projects/demo/jwks/parse-from-clipboard/'),
    ('POST', '/projects/demo/jwks/parse-from-certificate/'),
    ('POST', '/projects/demo/jwks/parse-from-key/'),
    ('POST', '/projects/demo/jwks/parse-from-keystore/'),
])
def test_paths_are_exact(api, method, path):
    """A strict server answers 404 for any spelling but the documented one; nothing is written."""
    api.post('/projects/demo/jwks/generate', json={'name': 'x', 'type': 'OCT', 'oct': {'keySize': 128}})
    before = api.emulator.state()['projects']
    assert error_of(api.request(method, path, json={'name': 'y', 'type': 'OCT', 'oct': {'keySize': 128}}),
                    404)[0] == 'not_found'
    assert api.emulator.state()['projects'] == before


@pytest.mark.parametrize('method,path,status', [
    ('GET', '/projects/demo/jwks/', 200),
    ('GET', '/projects/demo/credentials/', 200),
    ('POST', '/projects/demo/jwks/generate', 200),
    ('GET', '/projects/demo/jwks/g/', 200),
    ('PUT', '/projects/demo/credentials/api-user/jwk/validation/g/', 200),
    ('DELETE', '/projects/demo/credentials/api-user/jwk/validation/', 400),   # nothing assigned
])
def test_documented_spellings_answer(api, method, path, status):
    api.post('/projects/demo/jwks/generate', json={'name': 'g', 'type': 'OCT', 'oct': {'keySize': 128}})
    body = {'name': 'n', 'type': 'OCT', 'oct': {'keySize': 128}} if method == 'POST' else None
    assert api.request(method, path, json=body).status_code == status


def test_token_path_has_no_trailing_slash(emulator):
    form = {'grant_type': 'client_credentials', 'client_id': 'admin', 'client_secret': 'admin-password'}
    r = requests.post(emulator.url + '/apiops/auth/token/', timeout=10, data=form,
                      headers={'Authorization': 'Bearer emulator-token'})
    assert error_of(r, 404)[0] == 'not_found'


def test_names_are_url_decoded(api):
    r = api.post('/projects/demo/jwks/generate', json={'name': 'a b/c', 'type': 'OCT', 'oct': {'keySize': 128}})
    assert r.status_code == 200, r.text
    assert api.get('/projects/demo/jwks/a%20b%2Fc/').json()['resultList'][0]['name'] == 'a b/c'


def test_invalid_json_body_is_400(api):
    r = api.post('/projects/demo/jwks/', data='{not json', headers={'Content-Type': 'application/json'})
    assert error_of(r) == ('bad_request', 'Request body is not valid JSON')


def test_keep_alive_reuses_one_connection(api):
    for _ in range(3):
        assert api.get('/projects/demo/jwks/').status_code == 200
    ports = {e['client_port'] for e in api.emulator.requests()}
    assert len(ports) == 1


@pytest.mark.parametrize('method,path,data,text', [
    ('POST', '/projects/demo/jwks/', None, 'Request body is required'),
    ('POST', '/projects/demo/jwks/generate', '[]', 'Request body must be a JSON object'),
    ('POST', '/projects/demo/credentials/', '"x"', 'Request body must be a JSON object'),
    ('PUT', '/projects/demo/jwks/shared/', '[1]', 'Request body must be a JSON object'),
])
def test_body_shape_errors(api, method, path, data, text):
    r = api.request(method, path, data=data, headers={'Content-Type': 'application/json'})
    assert error_of(r) == ('bad_request', text)


def test_token_endpoint_only_answers_post(emulator):
    r = requests.get(emulator.url + '/apiops/auth/token', timeout=10)
    assert r.status_code == 405


def test_outside_apiops_is_404(api):
    r = requests.get(api.emulator.url + '/other', timeout=10)
    assert error_of(r, 404)[0] == 'not_found'
