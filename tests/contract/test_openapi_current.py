# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every answer of the current dialect, for every endpoint the collection calls (and the new
reads), validated against the vendor's OpenAPI schemas and pages (openapi_contract.py)."""

import ast
import json
import os

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec

from apinizer_emulator import keys
from contract_helpers import TOKEN
from openapi_contract import Contract

CONTRACT = Contract()
P = '/apiops/projects/{projectName}'
D = '/projects/demo'
FORM = {'grant_type': 'client_credentials', 'client_id': 'admin', 'client_secret': 'admin-password'}
EC_PUBLIC = keys.public_key_to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key())
DERIVED = {'environmentName': 'production', 'useType': 'SIGNATURE', 'algorithm': 'RS256'}
PROXY = {
    'name': 'orders',
    'requestPolicyList': [{'type': 'policy-jose-validation', 'name': 'verify', 'description': 'Verify tokens',
                           'jwkNameForValidationAndSign': 'k-ec'},
                          {'type': 'policy-throttling'}],
    'errorPolicyList': [{'type': 'policy-script', 'description': 'sample description'}],
    'endpointList': [{'endpoint': '/pay', 'httpMethod': 'POST', 'responsePolicyList': [
        {'type': 'policy-jose-implementation', 'name': 'seal', 'jwkNameForDecryptionAndEncryption': 'k-ec'}]}],
}


class Case:
    def __init__(self, method, template, path, status, page, settings=None, token=TOKEN, **kw):
        self.method, self.template, self.path, self.status, self.page = method, template, path, status, page
        self.settings, self.token, self.kw = settings or {}, token, kw

    def __repr__(self):
        return '%s %s %d' % (self.method, self.path, self.status)


def gen(name, **params):
    return {'name': name, 'type': 'EC', 'ec': dict({'curveType': 'P256'}, **params)}


SHAPES = ('detail_list', 'environment_results', 'deployment_results')
CASES = [
    Case('POST', '/apiops/auth/token', '/auth/token', 200, 'token', token=None, data=FORM),
    Case('POST', '/apiops/auth/token', '/auth/token', 401, 'token_error', token=None,
         data=dict(FORM, client_secret='wrong')),
    Case('POST', '/apiops/auth/token', '/auth/token', 400, 'token_error', token=None,
         data=dict(FORM, grant_type='password')),
    Case('GET', P + '/jwks/', D + '/jwks/', 200, 'list_jwks'),
    Case('GET', P + '/jwks/', '/projects/Nope/jwks/', 400, 'error'),
    Case('GET', P + '/jwks/', D + '/jwks/', 401, 'error', token=None),
    Case('GET', P + '/jwks/', D + '/jwks/', 401, 'error', token='not-a-token'),
    Case('POST', P + '/jwks/', D + '/jwks/', 200, 'jwk_write',
         json={'name': 'pasted', 'sourceType': 'COPY_PASTE', 'jwkStr': json.dumps(EC_PUBLIC)}),
    Case('POST', P + '/jwks/', D + '/jwks/', 400, 'error',
         json={'name': 'k-ec', 'sourceType': 'COPY_PASTE', 'jwkStr': json.dumps(EC_PUBLIC)}),
    Case('POST', P + '/jwks/generate', D + '/jwks/generate', 200, 'jwk_write', json=gen('new')),
    Case('POST', P + '/jwks/generate', D + '/jwks/generate', 400, 'error', json={'name': 'bad', 'type': 'DSA'}),
    Case('POST', P + '/jwks/parse-from-clipboard', D + '/jwks/parse-from-clipboard', 200, 'jwk_write',
         json={'name': 'clip', 'jwkStr': json.dumps(EC_PUBLIC)}),
    Case('POST', P + '/jwks/parse-from-key', D + '/jwks/parse-from-key', 200, 'jwk_write',
         json=dict(DERIVED, name='from-key', keyName='demo-rsa-public')),
    Case('POST', P + '/jwks/parse-from-certificate', D + '/jwks/parse-from-certificate', 200, 'jwk_write',
         json=dict(DERIVED, name='from-cert', certificateName='demo-cert')),
    Case('POST', P + '/jwks/parse-from-keystore', D + '/jwks/parse-from-keystore', 200, 'jwk_write',
         json=dict(DERIVED, name='from-store', keyStoreName='demo-keystore', aliasName='demo')),
    Case('POST', P + '/jwks/parse-from-clipboard', D + '/jwks/parse-from-clipboard', 400, 'error',
         json={'name': 'clip'}),
    Case('POST', P + '/jwks/parse-from-key', D + '/jwks/parse-from-key', 400, 'error',
         json=dict(DERIVED, name='from-key', keyName='nope')),
    Case('POST', P + '/jwks/parse-from-certificate', D + '/jwks/parse-from-certificate', 400, 'error',
         json=dict(DERIVED, name='from-cert', certificateName='nope')),
    Case('POST', P + '/jwks/parse-from-keystore', D + '/jwks/parse-from-keystore', 400, 'error',
         json=dict(DERIVED, name='from-store', keyStoreName='demo-keystore', aliasName='nope')),
    Case('POST', P + '/jwks/parse-from-url', D + '/jwks/parse-from-url', 200, 'jwk_write',
         json={'name': 'from-url', 'url': 'STATIC'}),
    Case('POST', P + '/jwks/parse-from-url', D + '/jwks/parse-from-url', 400, 'error', json={'name': 'no-url'}),
    Case('GET', P + '/jwks/{jwkName}/', D + '/jwks/k-ec/', 200, 'get_jwk'),
    Case('GET', P + '/jwks/{jwkName}/', D + '/jwks/nope/', 400, 'error'),
    Case('PUT', P + '/jwks/{jwkName}/', D + '/jwks/k-ec/', 200, 'jwk_write', json={'name': 'renamed'}),
    Case('PUT', P + '/jwks/{jwkName}/', D + '/jwks/nope/', 400, 'error', json={'description': 'x'}),
    Case('DELETE', P + '/jwks/{jwkName}/', D + '/jwks/k-ec/', 200, 'jwk_write'),
    Case('DELETE', P + '/jwks/{jwkName}/', D + '/jwks/nope/', 400, 'error'),
    Case('GET', P + '/jwks/{jwkName}/export-file/', D + '/jwks/k-ec/export-file/', 200, 'export_file'),
    Case('GET', P + '/jwks/{jwkName}/export-file/', D + '/jwks/k-ec/export-file/?publicOnly=true', 200,
         'export_file_public'),
    Case('GET', P + '/jwks/{jwkName}/export-file/', D + '/jwks/k-oct/export-file/?publicOnly=true', 400, 'error'),
    Case('GET', P + '/jwks/{jwkName}/export-file/', D + '/jwks/nope/export-file/', 400, 'error'),
    Case('GET', P + '/jwks/{jwkName}/export-file/', D + '/jwks/k-ec/export-file/', 400, 'error',
         settings={'export_file': 'refused'}),
    Case('GET', P + '/jwks/{jwkName}/export-file/', D + '/jwks/k-ec/export-file/', 404, 'error',
         settings={'export_file': 'absent'}),
    Case('GET', P + '/credentials/', D + '/credentials/', 200, 'list_credentials'),
    Case('GET', P + '/credentials/', '/projects/Nope/credentials/', 400, 'error'),
    Case('POST', P + '/credentials/', D + '/credentials/', 200, 'credential_write',
         json={'username': 'new-user', 'password': 'pw', 'fullName': 'New User', 'email': 'new@example.com'}),
    Case('POST', P + '/credentials/', D + '/credentials/', 400, 'error',
         json={'username': 'api-user', 'password': 'pw', 'fullName': 'Again', 'email': 'a@example.com'}),
    Case('PUT', P + '/credentials/{username}/jwk/validation/{jwkName}/',
         D + '/credentials/api-user/jwk/validation/k-ec/', 200, 'credential_write'),
    Case('PUT', P + '/credentials/{username}/jwk/validation/{jwkName}/',
         D + '/credentials/api-user/jwk/validation/nope/', 400, 'error'),
    Case('DELETE', P + '/credentials/{username}/jwk/validation/', D + '/credentials/mobile-app/jwk/validation/',
         200, 'credential_write'),
    Case('DELETE', P + '/credentials/{username}/jwk/validation/', D + '/credentials/api-user/jwk/validation/',
         400, 'error'),
    Case('PUT', P + '/credentials/{username}/jwk/encryption/{jwkName}/',
         D + '/credentials/api-user/jwk/encryption/k-ec/', 200, 'credential_write'),
    Case('PUT', P + '/credentials/{username}/jwk/encryption/{jwkName}/',
         D + '/credentials/nobody/jwk/encryption/k-ec/', 400, 'error'),
    Case('DELETE', P + '/credentials/{username}/jwk/encryption/', D + '/credentials/mobile-app/jwk/encryption/',
         200, 'credential_write'),
    Case('DELETE', P + '/credentials/{username}/jwk/encryption/', D + '/credentials/api-user/jwk/encryption/',
         400, 'error'),
    Case('GET', P + '/environments/', D + '/environments/', 200, 'list_environments'),
    Case('GET', P + '/environments/', '/projects/Nope/environments/', 400, 'error'),
    Case('GET', P + '/apiProxies/', D + '/apiProxies/', 200, 'list_api_proxies'),
    Case('GET', P + '/apiProxies/', '/projects/Nope/apiProxies/', 400, 'error'),
    Case('GET', P + '/apiProxies/{apiProxyName}/policies/', D + '/apiProxies/orders/policies/', 200,
         'list_policies'),
    Case('GET', P + '/apiProxies/{apiProxyName}/policies/', D + '/apiProxies/orders/policies/', 200,
         'list_policies', settings={'policies_shape': 'wrapped'}),
    Case('GET', P + '/apiProxies/{apiProxyName}/policies/', D + '/apiProxies/orders/policies/', 200,
         'list_policies', settings={'simplified_policies': True}),
    Case('GET', P + '/apiProxies/{apiProxyName}/policies/', D + '/apiProxies/nope/policies/', 400, 'error'),
    Case('GET', P + '/apiProxies/{apiProxyName}/', D + '/apiProxies/orders/', 200, 'get_api_proxy'),
    Case('GET', P + '/apiProxies/{apiProxyName}/', D + '/apiProxies/orders/?withPolicies=true', 200,
         'get_api_proxy_with_policies'),
    Case('GET', P + '/apiProxies/{apiProxyName}/', D + '/apiProxies/nope/', 400, 'error'),
] + [
    Case('POST', P + '/jwks/generate', D + '/jwks/generate', 200, 'jwk_write', json=gen('shaped'),
         settings={'deployment_shape': shape, 'failing_pods': ['staging/staging-worker-2'],
                   'deployment_success': True})
    for shape in SHAPES
] + [
    Case('PUT', P + '/credentials/{username}/jwk/validation/{jwkName}/',
         D + '/credentials/api-user/jwk/validation/k-ec/', 200, 'credential_write',
         settings={'deployment_shape': shape, 'failing_environments': ['production'], 'pods_per_environment': 3})
    for shape in SHAPES
]


def _call(emulator, case):
    kw = dict(case.kw)
    if kw.get('json', {}).get('url') == 'STATIC':
        kw['json'] = dict(kw['json'], url=emulator.serve_static('jwk.json', {'keys': [EC_PUBLIC]}))
    headers = {'Authorization': 'Bearer ' + case.token} if case.token else {}
    return requests.request(case.method, emulator.url + '/apiops' + case.path, headers=headers, timeout=30, **kw)


@pytest.fixture
def prepared(emulator):
    """The seed plus JWKs k-ec and k-oct, proxy 'orders' pinning k-ec, mobile-app using k-ec."""
    emulator.seed({'projects': {'demo': {'jwks': [
        {'name': 'k-ec', 'generate': {'type': 'EC', 'ec': {'curveType': 'P256', 'algorithm': 'ES256'}}},
        {'name': 'k-oct', 'generate': {'type': 'OCT', 'oct': {'keySize': 128}}}]}}})
    emulator.seed({'projects': {'demo': {'apiProxies': [PROXY], 'credentials': [
        {'username': 'mobile-app', 'validationJwkName': 'k-ec', 'encryptionJwkName': 'k-ec'}]}}})
    return emulator


@pytest.mark.parametrize('dialect', ['current'])
@pytest.mark.parametrize('case', CASES, ids=repr)
def test_every_answer_matches_the_vendor_contract(prepared, case):
    prepared.configure(**case.settings)
    r = _call(prepared, case)
    assert r.status_code == case.status, r.text
    assert r.headers['Content-Type'].startswith('application/json')
    assert CONTRACT.problems(case.method, case.template, case.status, r.json(), case.page) == []


# The same check must fail on what the older server answers: proof that it can fail at all.
LEGACY_BREAKS = [c for c in CASES if not c.settings and c.page in (
    'error', 'list_jwks', 'get_jwk', 'list_credentials', 'credential_write', 'list_api_proxies')
    and c.template != '/apiops/auth/token'
    and not (c.status == 404 or 'environments' in c.path or 'export-file' in c.path)]


@pytest.mark.parametrize('dialect', ['legacy'])
@pytest.mark.parametrize('case', LEGACY_BREAKS, ids=repr)
def test_the_contract_rejects_legacy_answers(prepared, case):
    r = _call(prepared, case)
    status = 404 if r.status_code == 404 and case.status == 400 else case.status   # legacy: project 404
    assert r.status_code == status, r.text
    assert CONTRACT.problems(case.method, case.template, case.status, r.json(), case.page) != []


@pytest.mark.parametrize('dialect', ['current'])
@pytest.mark.parametrize('fault,page,words', [
    ({'action': 'result_count'}, 'list_jwks', 'resultCount'),
    ({'action': 'other_name'}, 'list_jwks', None),   # a sound answer stays sound
    ({'action': 'no_result_list'}, 'list_jwks', 'resultList'),
    ({'action': 'success_false'}, 'list_jwks', 'SUCCESS'),
])
def test_the_contract_catches_broken_answers(prepared, fault, page, words):
    prepared.add_fault(method='GET', path='/jwks/$', **fault)
    r = requests.get(prepared.api_url + D + '/jwks/', headers={'Authorization': 'Bearer ' + TOKEN}, timeout=10)
    problems = CONTRACT.problems('GET', P + '/jwks/', 200, r.json(), page)
    if words is None:
        assert problems == []
    else:
        assert any(words in p for p in problems), problems


def test_every_operation_of_the_subset_has_a_success_and_a_refusal():
    for template, operations in CONTRACT.spec['paths'].items():
        for method in operations:
            statuses = {c.status for c in CASES if c.template == template and c.method == method.upper()}
            assert 200 in statuses and statuses - {200}, (method, template, statuses)


def test_the_amended_fields_exist_in_the_subset():
    # Contract() raises KeyError for an amendment naming a field the subset lacks; check it ran.
    assert CONTRACT.root['components']['schemas']['JwkManagementDTO']['properties']['sourceId']['anyOf'][0] == {
        'type': 'null'}


CLIENT = os.path.join(os.path.dirname(__file__), '..', '..', 'plugins', 'module_utils', 'client.py')
# Each path piece the client builds its requests from, and the operation(s) covered above.
CLIENT_PATH_PIECES = {
    '/auth/token': ['/apiops/auth/token'],
    '/projects/%s/jwks/': [P + '/jwks/', P + '/jwks/generate'],
    '%s/': [P + '/jwks/{jwkName}/'],
    '%s/export-file/?publicOnly=true': [P + '/jwks/{jwkName}/export-file/'],
    '/projects/%s/credentials/': [P + '/credentials/'],
    '%s/jwk/%s/%s/': [P + '/credentials/{username}/jwk/validation/{jwkName}/',
                      P + '/credentials/{username}/jwk/encryption/{jwkName}/'],
    '%s/jwk/%s/': [P + '/credentials/{username}/jwk/validation/', P + '/credentials/{username}/jwk/encryption/'],
    '/projects/%s/environments/': [P + '/environments/'],
    '/projects/%s/apiProxies/': [P + '/apiProxies/'],
    '%s/policies/': [P + '/apiProxies/{apiProxyName}/policies/'],
    '%s/?withPolicies=true': [P + '/apiProxies/{apiProxyName}/'],
}


def test_every_path_the_client_builds_is_covered():
    """A new endpoint in client.py fails here until it has a case above (and a line in the map)."""
    with open(CLIENT, encoding='utf-8') as fh:
        tree = ast.parse(fh.read())
    pieces = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
              and (n.value.startswith('/') or n.value.startswith('%s/')) and n.value not in ('/', '/apiops')}
    unknown = pieces - set(CLIENT_PATH_PIECES)
    assert not unknown, 'client.py builds paths this contract test does not cover: %s' % sorted(unknown)
    templates = {c.template for c in CASES}
    for piece in pieces:
        assert set(CLIENT_PATH_PIECES[piece]) <= templates, piece
