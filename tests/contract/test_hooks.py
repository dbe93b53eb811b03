# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The test hooks under /__emulator__/ and their Python twins."""

import base64
import time

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from contract_helpers import Api, error_of

LIST = '/projects/demo/jwks/'


def gen(api, name='a'):
    return api.post('/projects/demo/jwks/generate', json={'name': name, 'type': 'OCT', 'oct': {'keySize': 128}})


# ----------------------------------------------------------------- request log

def test_request_log_records_api_calls_but_not_hooks(api):
    api.get(LIST, params={'x': '1'})
    gen(api)
    api.hook('GET', 'state')
    log = api.hook('GET', 'requests').json()['requests']
    assert [(e['method'], e['path'], e['status']) for e in log] == [
        ('GET', '/apiops/projects/demo/jwks/', 200), ('POST', '/apiops/projects/demo/jwks/generate', 200)]
    assert log[0]['query'] == 'x=1' and log[0]['body'] is None and log[0]['fault'] is None
    assert log[1]['body'] == {'name': 'a', 'type': 'OCT', 'oct': {'keySize': 128}}


def test_request_log_masks_secrets(api):
    requests.post(api.emulator.url + '/apiops/auth/token', timeout=10,
                  data={'grant_type': 'client_credentials', 'client_id': 'admin', 'client_secret': 'admin-password'})
    api.post('/projects/demo/credentials/', json={'username': 'u', 'password': 'pw-123'})
    log = api.emulator.requests()
    assert log[0]['body'] == {'grant_type': 'client_credentials', 'client_id': 'admin', 'client_secret': '********'}
    assert log[1]['body']['password'] == '********'
    text = str(log) + api.hook('GET', 'requests').text
    assert 'admin-password' not in text and 'pw-123' not in text and 'emulator-token' not in text


def test_request_log_clear(api):
    api.get(LIST)
    assert api.hook('DELETE', 'requests').status_code == 200
    assert api.hook('GET', 'requests').json() == {'requests': []}
    api.get(LIST)
    api.emulator.clear_requests()
    assert api.emulator.requests() == []


def test_failed_auth_is_logged_with_its_status(api):
    requests.get(api.emulator.url + '/apiops' + LIST, timeout=10)
    assert api.emulator.requests()[0]['status'] == 401


# ----------------------------------------------------------------- faults

@pytest.mark.parametrize('where', ['header', 'body'])
def test_status_fault_with_retry_after(api, where):
    r = api.hook('POST', 'faults', json={'method': 'GET', 'path': '/jwks/$', 'action': 'status', 'status': 429,
                                         'retry_after': 2, 'retry_after_in': where, 'count': 2})
    assert r.status_code == 200
    for _ in range(2):
        r = api.get(LIST)
        assert r.status_code == 429 and r.json()['error'] == 'rate_limit_exceeded'
        if where == 'header':
            assert r.headers['Retry-After'] == '2' and 'retry_after' not in r.json()
        else:
            assert r.json()['retry_after'] == 2 and 'Retry-After' not in r.headers
    assert api.get(LIST).status_code == 200   # count exhausted
    log = api.emulator.requests()
    assert [(e['status'], e['fault']) for e in log] == [(429, 'status'), (429, 'status'), (200, None)]


def test_fault_matches_method_and_path(api):
    api.emulator.add_fault(method='POST', path=r'/jwks/generate$', status=503)
    assert api.get(LIST).status_code == 200
    assert api.post('/projects/demo/jwks/', json={'name': 'x'}).status_code == 400
    assert gen(api).status_code == 503
    assert 'a' not in api.jwks()   # without apply the request is not processed


def test_unlimited_fault_until_reset(api):
    api.emulator.add_fault(path='jwks', status=502, count=None)
    assert [api.get(LIST).status_code for _ in range(3)] == [502, 502, 502]
    assert api.hook('POST', 'reset').status_code == 200
    assert api.get(LIST).status_code == 200


def test_delay_fault_then_processes(api):
    api.emulator.add_fault(method='POST', path='generate', action='delay', delay=0.4)
    start = time.monotonic()
    assert gen(api).status_code == 200
    assert time.monotonic() - start >= 0.4
    assert 'a' in api.jwks()
    assert api.emulator.requests()[0]['fault'] == 'delay'


def test_delay_fault_makes_a_client_time_out(api):
    api.emulator.add_fault(path='jwks', action='delay', delay=0.6)
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.get(LIST, timeout=0.2)
    # The server still answers once the delay is over: wait for it, or its log entry would land
    # in the next test's log on this worker (the shared emulator is reset between tests).
    deadline = time.monotonic() + 10
    while not api.emulator.requests() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [e['fault'] for e in api.emulator.requests()] == ['delay']


def test_drop_fault_closes_without_answer(api):
    api.emulator.add_fault(path='jwks', action='drop')
    with pytest.raises(requests.exceptions.ConnectionError):
        api.get(LIST)
    assert api.get(LIST).status_code == 200   # the session recovers on a new connection
    assert api.emulator.requests()[0]['fault'] == 'drop' and api.emulator.requests()[0]['status'] is None


@pytest.mark.parametrize('action', ['status', 'drop'])
def test_apply_lands_the_write_but_loses_the_answer(api, action):
    api.emulator.add_fault(method='POST', path='generate', action=action, status=504, apply=True)
    if action == 'drop':
        with pytest.raises(requests.exceptions.ConnectionError):
            gen(api)
    else:
        assert gen(api).status_code == 504
    assert 'a' in api.jwks()
    assert api.emulator.requests()[0]['applied_status'] == 200


def test_fault_hook_rejects_bad_specs(api):
    assert api.hook('POST', 'faults', json={'action': 'explode'}).status_code == 400
    assert api.hook('POST', 'faults', json={'path': '('}).status_code == 400
    assert api.hook('POST', 'faults', json={'colour': 'red'}).status_code == 400


def test_echo_fault_repeats_the_request_verbatim(api):
    """A server error that echoes the request: Authorization, form password and JSON key material."""
    api.emulator.add_fault(path='/apiops/', status=500, echo=True, count=2)   # the two requests below
    form = {'grant_type': 'client_credentials', 'client_id': 'admin', 'client_secret': 'admin-password'}
    r = requests.post(api.emulator.url + '/apiops/auth/token', data=form, timeout=10)
    assert r.status_code == 500
    body = r.json()
    raw_form = 'grant_type=client_credentials&client_id=admin&client_secret=admin-password'
    assert body['request']['method'] == 'POST' and body['request']['path'] == '/apiops/auth/token'
    assert body['request']['body'] == raw_form
    assert body['request']['headers']['Content-Type'] == 'application/x-www-form-urlencoded'
    assert raw_form in body['error_description']
    assert {'field': 'body', 'message': raw_form} in body['validation_errors']

    secret_d = 'jb2Nq0f7mmr1oXRdSb8b4IJD_lfCe0dUVLsUe23QjIk'
    r = api.post(LIST + '?x=1', json={'name': 'e', 'jwk': {'kty': 'EC', 'd': secret_d}})
    body = r.json()
    assert r.status_code == 500 and body['error'] == 'internal_error'
    assert body['request']['path'] == '/apiops' + LIST + '?x=1'
    assert body['request']['headers']['Authorization'] == 'Bearer emulator-token'
    assert secret_d in body['request']['body'] and secret_d in body['error_description']
    assert 'Authorization: Bearer emulator-token' in body['error_description']
    assert {'field': 'header Authorization', 'message': 'Bearer emulator-token'} in body['validation_errors']
    assert any(secret_d in e['message'] for e in body['validation_errors'] if e['field'] == 'body')
    # The write was not processed, and the request log still masks what it must.
    assert 'e' not in api.jwks()
    log = api.emulator.requests()
    assert log[0]['body']['client_secret'] == '********'
    assert 'emulator-token' not in str(log)


def test_status_fault_without_echo_repeats_nothing(api):
    api.emulator.add_fault(path='jwks', status=500)
    body = api.get(LIST).json()
    assert body == {'error': 'internal_error', 'error_description': 'Injected fault: HTTP 500'}


def test_echo_only_with_status(api):
    assert api.hook('POST', 'faults', json={'action': 'drop', 'echo': True}).status_code == 400
    assert api.hook('POST', 'faults', json={'action': 'status', 'echo': 'yes'}).status_code == 400
    with pytest.raises(ValueError, match='echo'):
        api.emulator.add_fault(action='delay', delay=0.1, echo=True)


# ----------------------------------------------------------------- config

def test_failing_environment_gives_a_partial_deployment_but_applies_the_write(api):
    assert api.hook('POST', 'config', json={'failing_environments': ['staging']}).status_code == 200
    r = gen(api)
    assert r.status_code == 200
    body = r.json()
    assert body['success'] is True
    dep = body['deploymentResult']
    assert dep['success'] is False and 'staging' in dep['message']
    prod, staging = dep['environmentResults']
    assert (prod['environmentName'], prod['success']) == ('production', True)
    assert (staging['environmentName'], staging['success']) == ('staging', False) and staging['message']
    assert 'a' in api.jwks()


def test_failing_environment_on_every_write(api):
    gen(api)
    api.emulator.configure(failing_environments=['production'])
    for r in (api.put('/projects/demo/jwks/a/', json={'description': 'd'}),
              api.put('/projects/demo/credentials/api-user/jwk/validation/a/'),
              api.delete('/projects/demo/credentials/api-user/jwk/validation/'),
              api.post('/projects/demo/credentials/', json={'username': 'n', 'password': 'p'}),
              api.delete('/projects/demo/jwks/a/')):
        assert r.status_code == 200 and r.json()['deploymentResult']['success'] is False


def test_configure_environments(api):
    api.hook('POST', 'config', json={'environments': ['prod-eu', 'prod-us', 'test']})
    envs = [e['environmentName'] for e in gen(api).json()['deploymentResult']['environmentResults']]
    assert envs == ['prod-eu', 'prod-us', 'test']


def test_config_rejects_unknown_settings(api):
    assert api.hook('POST', 'config', json={'speed': 'fast'}).status_code == 400


# ----------------------------------------------------------------- reset, seed, state

def test_reset_restores_the_seed_and_clears_log_faults_and_config(api):
    gen(api)
    api.emulator.add_fault(path='x', count=None)
    api.emulator.configure(failing_environments=['staging'], hide_assignments=True)
    assert api.hook('POST', 'reset').status_code == 200
    state = api.hook('GET', 'state').json()
    assert state['faults'] == [] and state['config']['failing_environments'] == []
    assert state['config']['hide_assignments'] is True and state['config']['report_assignments'] is False
    assert api.jwks() == {}
    assert api.emulator.requests() == [{'method': 'GET', 'path': '/apiops/projects/demo/jwks/', 'query': None,
                                        'status': 200, 'body': None, 'fault': None,
                                        'client_port': api.emulator.requests()[0]['client_port'],
                                        'time': api.emulator.requests()[0]['time']}]


def test_reset_keeps_the_same_seed_material(api):
    before = api.emulator.state()['projects']['demo']['keys']
    api.emulator.reset()
    assert api.emulator.state()['projects']['demo']['keys'] == before


def test_state_holds_everything(api):
    state = api.hook('GET', 'state').json()
    demo = state['projects']['demo']
    assert set(demo['certificates']) == {'demo-cert'}
    assert set(demo['keys']) == {'demo-rsa-public', 'demo-rsa-private', 'demo-ec-private'}
    assert demo['keystores']['demo-keystore']['password'] == 'changeit'
    assert set(demo['credentials']) == {'api-user', 'mobile-app', 'partner-app'}
    assert 'd' in state['projects']['admin']['jwks']['shared-admin-jwk']['jwk']
    assert state['config']['environments'] == ['production', 'staging']
    assert 'emulator-token' in state['tokens']


def test_seed_merges_projects_material_tokens_and_users(api):
    key = ec.generate_private_key(ec.SECP384R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    jwk_x = base64.urlsafe_b64encode(b'\x01' * 16).rstrip(b'=').decode()
    r = api.hook('POST', 'seed', json={
        'projects': {'Other': {'credentials': [{'username': 'svc', 'validationJwkName': 'pre'}],
                               'keys': {'p384': pem},
                               'jwks': [{'name': 'pre', 'jwk': {'kty': 'oct', 'k': jwk_x}},
                                        {'name': 'gen', 'generate': {'type': 'EC', 'ec': {'curveType': 'P521'}}}]},
                     'demo': {'credentials': ['extra']}},
        'tokens': ['second-token'], 'users': {'ops': 'ops-pw'}})
    assert r.status_code == 200, r.text
    assert set(api.jwks('Other')) == {'pre', 'gen'} and api.jwk('gen', 'Other')['ec']['crv'] == 'P-521'
    assert api.jwk('pre', 'Other')['type'] == 'OCT'
    assert api.emulator.state()['projects']['Other']['credentials']['svc']['validationJwkName'] == 'pre'
    api.emulator.configure(report_assignments=True)
    assert api.credentials('Other')['svc']['validationJwkName'] == 'pre'
    assert 'extra' in api.credentials() and 'api-user' in api.credentials()
    assert Api(api.emulator, token='second-token').get(LIST).status_code == 200
    token = requests.post(api.emulator.url + '/apiops/auth/token', timeout=10, data={
        'grant_type': 'client_credentials', 'client_id': 'ops', 'client_secret': 'ops-pw'}).json()['access_token']
    assert Api(api.emulator, token=token).get(LIST).status_code == 200
    r = api.post('/projects/Other/jwks/', json={'name': 'k', 'sourceType': 'PRIVATE_KEY', 'keyName': 'p384',
                                                 'environmentName': 'staging', 'useType': 'SIGNATURE',
                                                 'algorithm': 'ES384'})
    assert r.status_code == 200, r.text


def test_seed_rejects_garbage(api):
    assert api.hook('POST', 'seed', json={'projects': {'P': {'jwks': [{'name': 'x'}]}}}).status_code == 400
    assert 'P' not in api.emulator.state()['projects']   # nothing of a bad seed is applied
    assert api.hook('POST', 'seed', data='nope').status_code == 400


def test_unknown_hook(api):
    assert error_of(api.hook('GET', 'nothing'), 404)[0] == 'not_found'


DEFAULT_CONFIG = {
    'dialect': 'legacy', 'environments': ['production', 'staging'], 'failing_environments': [],
    'report_assignments': False, 'hide_assignments': True, 'report_use_alg': False, 'pods_per_environment': 2,
    'failing_pods': [], 'deployment_shape': None, 'deployment_success': None, 'export_file': None,
    'get_jwk_material': True, 'policies_shape': 'flat', 'simplified_policies': False,
    'project_not_found_message': None}


def test_hook_reads_of_faults_and_config(api):
    api.hook('POST', 'faults', json={'path': 'x', 'count': 3})
    assert api.hook('GET', 'config').json()['config'] == DEFAULT_CONFIG
    api.hook('POST', 'config', json={'report_assignments': True})
    faults = api.hook('GET', 'state').json()['faults']
    assert [(f['path'], f['count'], f['action'], f['status']) for f in faults] == [('x', 3, 'status', 503)]
    assert api.hook('GET', 'config').json()['config'] == dict(DEFAULT_CONFIG, report_assignments=True,
                                                              hide_assignments=False)


def test_static_hook_validation_and_missing_documents(api):
    assert api.hook('POST', 'static', json={'body': '{}'}).status_code == 400
    assert error_of(api.hook('GET', 'static/none.json'), 404)[0] == 'not_found'
    r = api.hook('POST', 'static', json={'name': 'gone.json', 'body': {}, 'status': 410})
    assert requests.get(r.json()['url'], timeout=10).status_code == 410
