# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""API proxies and their policies: seeding (JWK names resolved to ids), the three reads, the
wrapped and simplified shapes, and a deleted JWK leaving its pins dangling."""

import pytest

from apinizer_emulator import DIALECTS
from contract_helpers import refusal, succeeded

BOTH = pytest.mark.parametrize('dialect', DIALECTS)
CURRENT = pytest.mark.parametrize('dialect', ['current'])
PROXIES = '/projects/demo/apiProxies/'


def seed_keys(emu):
    emu.seed({'projects': {'demo': {'jwks': [
        {'name': 'k1', 'generate': {'type': 'EC', 'ec': {'curveType': 'P256', 'algorithm': 'ES256'}}},
        {'name': 'k2', 'generate': {'type': 'OCT', 'oct': {'keySize': 256, 'keyUseType': 'ENCRYPTION'}}}]}}})
    jwks = emu.state()['projects']['demo']['jwks']
    return jwks['k1']['id'], jwks['k2']['id']


def orders(**extra):
    proxy = {
        'name': 'orders', 'description': 'Order API',
        'requestPolicyList': [{'type': 'policy-jose-validation', 'name': 'verify', 'description': 'Verify tokens',
                               'jwkNameForValidationAndSign': 'k1', 'jwkNameForDecryptionAndEncryption': 'k2'}],
        'endpointList': [
            {'endpoint': '/pay', 'httpMethod': 'POST',
             'responsePolicyList': [{'type': 'policy-jose-implementation', 'name': 'sign',
                                     'jwkNameForValidationAndSign': 'k1'}],
             'errorPolicyList': [{'type': 'policy-script', 'active': False}]},
            {'endpoint': '/list', 'httpMethod': 'GET'}],
    }
    proxy.update(extra)
    return proxy


def add_proxy(emulator, proxy, project='demo'):
    """Seed one API proxy (a seed's apiProxies entry)."""
    emulator.seed({'projects': {project: {'apiProxies': [proxy]}}})


@BOTH
def test_list_api_proxies(api, dialect):
    seed_keys(api.emulator)
    add_proxy(api.emulator, orders())
    add_proxy(api.emulator, {'name': 'accounts', 'type': 'SOAP', 'relativePath': '/acc'})
    body = api.get(PROXIES).json()
    succeeded(body, dialect, 'status')
    assert body['resultList'] == [   # ordered by name (list-api-proxies.mdx)
        {'name': 'accounts', 'description': '', 'type': 'SOAP', 'relativePath': '/acc', 'soapToRest': False},
        {'name': 'orders', 'description': 'Order API', 'type': 'REST', 'relativePath': '/orders',
         'soapToRest': False}]
    assert body.get('resultCount') == (2 if dialect == 'current' else None)


@BOTH
def test_list_policies_pins_jwks_by_id(api, dialect):
    k1, k2 = seed_keys(api.emulator)
    add_proxy(api.emulator, orders())
    body = api.get(PROXIES + 'orders/policies/').json()
    succeeded(body, dialect, 'status')
    [item] = body['resultList']
    assert (item['name'], item['type'], item['relativePath'], item['soapToRest']) == ('orders', 'REST', '/orders',
                                                                                      False)
    [verify] = item['requestPolicyList']
    assert (verify['type'], verify['name'], verify['description']) == ('policy-jose-validation', 'verify',
                                                                       'Verify tokens')
    assert (verify['jwkIdForValidationAndSign'], verify['validateByIssuer'], verify['validateSign']) == (k1, False,
                                                                                                         True)
    assert (verify['jwkIdForDecryptionAndEncryption'], verify['decryptByIssuer'], verify['decrypt']) == (k2, False,
                                                                                                         True)
    assert 'jwkNameForValidationAndSign' not in verify
    assert item['responsePolicyList'] == [] and item['errorPolicyList'] == []
    pay, listing = item['endpointList']
    assert (pay['endpoint'], pay['httpMethod'], pay['active']) == ('/pay', 'POST', True)
    [sign] = pay['responsePolicyList']
    assert (sign['type'], sign['jwkIdForValidationAndSign'], sign['signByIssuer'], sign['sign']) == (
        'policy-jose-implementation', k1, False, True)
    assert (sign['jwkIdForDecryptionAndEncryption'], sign['encryptByIssuer']) == (None, True)
    assert pay['errorPolicyList'] == [{'type': 'policy-script', 'name': 'policy-script-1', 'active': False}]
    assert listing == {'endpoint': '/list', 'active': True, 'httpMethod': 'GET', 'requestPolicyList': [],
                       'responsePolicyList': [], 'errorPolicyList': []}


@CURRENT
def test_a_literal_id_and_an_unpinned_policy(api, dialect):
    add_proxy(api.emulator, {'name': 'p', 'requestPolicyList': [
        {'type': 'policy-jose-validation', 'jwkIdForValidationAndSign': 'id-of-another-server'},
        {'type': 'policy-jose-validation'}]})
    pinned, issuer = api.get(PROXIES + 'p/policies/').json()['resultList'][0]['requestPolicyList']
    assert (pinned['jwkIdForValidationAndSign'], pinned['validateByIssuer']) == ('id-of-another-server', False)
    assert (issuer['jwkIdForValidationAndSign'], issuer['validateByIssuer']) == (None, True)
    assert issuer['name'] == 'policy-jose-validation-2'


@CURRENT
def test_wrapped_item_shape(api, dialect):
    k1, _k2 = seed_keys(api.emulator)
    add_proxy(api.emulator, orders())
    api.emulator.configure(policies_shape='wrapped')
    [item] = api.get(PROXIES + 'orders/policies/').json()['resultList']
    assert list(item) == ['apiProxy']
    inner = item['apiProxy']
    assert inner['name'] == 'orders' and inner['requestPolicyList'][0]['jwkIdForValidationAndSign'] == k1
    assert inner['endpointList'][0]['responsePolicyList'][0]['jwkIdForValidationAndSign'] == k1


@CURRENT
def test_simplified_policies_leave_out_the_key_fields(api, dialect):
    seed_keys(api.emulator)
    add_proxy(api.emulator, orders())
    api.emulator.configure(simplified_policies=True)
    [item] = api.get(PROXIES + 'orders/policies/').json()['resultList']
    assert item['requestPolicyList'] == [{'type': 'policy-jose-validation', 'name': 'verify',
                                          'description': 'Verify tokens', 'active': True}]
    assert item['endpointList'][0]['responsePolicyList'] == [{'type': 'policy-jose-implementation', 'name': 'sign',
                                                              'active': True}]
    detail = api.get(PROXIES + 'orders/', params={'withPolicies': 'true'}).json()['resultList'][0]
    assert detail['endpointList'][0]['responsePolicyList'] == [{'type': 'policy-jose-implementation',
                                                                'name': 'sign', 'active': True}]
    # Simplified is only how they are shown: the stored policy keeps its pin.
    stored = api.emulator.state()['projects']['demo']['apiProxies']['orders']
    assert stored['requestPolicyList'][0]['jwkIdForValidationAndSign']


@BOTH
def test_get_api_proxy_with_and_without_policies(api, dialect):
    k1, _k2 = seed_keys(api.emulator)
    add_proxy(api.emulator, orders())
    plain = api.get(PROXIES + 'orders/').json()
    succeeded(plain, dialect, 'success')
    [item] = plain['resultList']
    assert (item['name'], item['apiType'], item['clientRoute']['relativePathList']) == ('orders', 'REST',
                                                                                        ['/orders'])
    assert [(e['endpoint'], e['httpMethod']) for e in item['endpointList']] == [('/pay', 'POST'), ('/list', 'GET')]
    assert all('requestPolicyList' not in e for e in item['endpointList'])
    assert [d['environmentName'] for d in item['deploymentList']] == ['production', 'staging']
    detailed = api.get(PROXIES + 'orders/?withPolicies=true').json()['resultList'][0]
    assert detailed['endpointList'][0]['responsePolicyList'][0]['jwkIdForValidationAndSign'] == k1
    # get-api-proxy.mdx shows the lists per endpoint only; proxy-level ones are in List Policies.
    assert 'requestPolicyList' not in detailed
    if dialect == 'current':
        assert plain['resultCount'] == 1


@BOTH
def test_missing_proxy(api, dialect):
    for path in ('nope/', 'nope/policies/'):
        assert refusal(api.get(PROXIES + path), 400, dialect) == 'ApiProxy (name: nope) was not found!'


@CURRENT
def test_deleting_a_pinned_jwk_is_not_refused_and_leaves_the_pin(api, dialect):
    k1, _k2 = seed_keys(api.emulator)
    add_proxy(api.emulator, orders())
    assert api.delete('/projects/demo/jwks/k1/').status_code == 200
    api.post('/projects/demo/jwks/generate', json={'name': 'k1', 'type': 'EC', 'ec': {'curveType': 'P256'}})
    new_id = api.jwks()['k1']['id']
    pinned = api.get(PROXIES + 'orders/policies/').json()['resultList'][0]['requestPolicyList'][0]
    assert pinned['jwkIdForValidationAndSign'] == k1 != new_id   # broken for good


def test_seeding_is_checked_and_all_or_nothing(emulator):
    seed_keys(emulator)
    before = emulator.state()['projects']
    for proxy, words in (
            ({'name': 'p', 'requestPolicyList': [{'type': 'policy-jose-validation',
                                                  'jwkNameForValidationAndSign': 'nope'}]}, "names JWK 'nope'"),
            ({'name': 'p', 'requestPolicyList': [{'name': 'no-type'}]}, 'needs a type'),
            ({'name': 'p', 'endpointList': [{'httpMethod': 'GET'}]}, 'needs endpoint'),
            ({'requestPolicyList': []}, 'needs a name'),
            ({'name': 'p', 'requestPolicyList': [{'type': 'policy-jose-validation', 'jwkNameForValidationAndSign': 'k1',
                                                  'jwkIdForValidationAndSign': 'x'}]}, 'gives both')):
        with pytest.raises(ValueError, match=words):
            emulator.seed({'projects': {'demo': {'jwks': [{'name': 'extra', 'jwk': {
                'kty': 'oct', 'k': 'AAAAAAAAAAAAAAAAAAAAAA'}}], 'apiProxies': [proxy]}}})
        assert emulator.state()['projects'] == before


def test_seed_hook_and_a_jwk_of_the_admin_project(api):
    r = api.hook('POST', 'seed', json={'projects': {'demo': {'apiProxies': [{'name': 'shared', 'requestPolicyList': [
        {'type': 'policy-jose-validation', 'jwkNameForValidationAndSign': 'shared-admin-jwk'}]}]}}})
    assert r.status_code == 200, r.text
    admin_id = api.emulator.state()['projects']['admin']['jwks']['shared-admin-jwk']['id']
    stored = api.emulator.state()['projects']['demo']['apiProxies']['shared']
    assert stored['requestPolicyList'][0]['jwkIdForValidationAndSign'] == admin_id
    api.emulator.reset()
    assert api.emulator.state()['projects']['demo']['apiProxies'] == {}
