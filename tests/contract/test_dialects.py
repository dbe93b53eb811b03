# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where the two dialects differ: errors, 401 texts, envelopes, JWK ids, deployments,
export-file, environments, the settings that shape them, and faults in each dialect's words."""

import pytest
import requests

from apinizer_emulator import DIALECTS, Emulator
from contract_helpers import TOKEN, Api, refusal, succeeded

JWKS = '/projects/demo/jwks/'
BOTH = pytest.mark.parametrize('dialect', DIALECTS)
CURRENT = pytest.mark.parametrize('dialect', ['current'])
LEGACY = pytest.mark.parametrize('dialect', ['legacy'])


def gen(api, name='a', project='demo', **params):
    body = {'name': name, 'type': 'EC', 'ec': dict({'curveType': 'P256', 'algorithm': 'ES256'}, **params)}
    return api.post('/projects/%s/jwks/generate' % project, json=body)


# ----------------------------------------------------------------- errors

@BOTH
def test_not_found_is_400_in_the_dialects_form(api, dialect):
    assert refusal(api.get(JWKS + 'nope/'), 400, dialect) == 'JWK (name: nope) is not found!'
    assert refusal(api.delete(JWKS + 'nope/'), 400, dialect) == 'JWK (name: nope) is not found!'


@BOTH
def test_validation_problems(api, dialect):
    r = api.post(JWKS + 'generate', json={'name': 'x', 'type': 'RSA', 'rsa': {'keySize': 1}})
    text = refusal(r, 400, dialect)
    assert text.startswith('Validation failed: rsa.keySize: 1 is not supported')
    # validation_errors is the older form's; the current one has only status and resultMessage.
    assert ('validation_errors' in r.json()) == (dialect == 'legacy')


@pytest.mark.parametrize('dialect,status,text', [
    ('legacy', 404, 'Project(Nope) was not found or user does not have privilege to access it!'),
    ('current', 400, 'Project (Nope) is not found!'),
])
@pytest.mark.parametrize('method,path', [('GET', '/projects/Nope/jwks/'), ('GET', '/projects/Nope/jwks/x/'),
                                         ('GET', '/projects/Nope/credentials/'),
                                         ('POST', '/projects/Nope/jwks/generate'),
                                         ('GET', '/projects/Nope/apiProxies/')])
def test_project_not_found(api, dialect, status, text, method, path):
    body = {'name': 'a', 'type': 'OCT', 'oct': {'keySize': 128}} if method == 'POST' else None
    assert refusal(api.request(method, path, json=body), status, dialect) == text


@CURRENT
def test_environments_page_spells_project_not_found_its_own_way(api, dialect):
    assert refusal(api.get('/projects/Nope/environments/'), 400, dialect) == (
        'Project (Nope) is not found or user does not have privilege to access it!')


@BOTH
def test_project_not_found_message_setting(api, dialect):
    api.emulator.configure(project_not_found_message='Project (name: {project}) was not found!')
    status = 400 if dialect == 'current' else 404
    assert refusal(api.get('/projects/Nope/jwks/'), status, dialect) == 'Project (name: Nope) was not found!'


@CURRENT
def test_unknown_paths_are_404_in_the_current_form(api, dialect):
    assert refusal(api.get('/projects/demo/unknown/'), 404, dialect).startswith('No endpoint GET')
    r = requests.get(api.emulator.url + '/other', timeout=10)
    assert refusal(r, 404, dialect) == 'No endpoint GET /other'


# ----------------------------------------------------------------- authentication

@pytest.mark.parametrize('dialect,headers,text', [
    ('current', {}, 'Empty Key! Client must be authenticated to access this resource.'),
    ('current', {'Authorization': 'Bearer wrong'}, 'Token is not valid!'),
    ('current', {'Authorization': 'Basic abc'}, 'Token is not valid!'),
    ('current', {'Authorization': 'Bearer old-token'}, 'Token was expired!'),
    ('legacy', {}, 'Missing bearer token'),
    ('legacy', {'Authorization': 'Bearer wrong'}, 'Invalid token'),
    ('legacy', {'Authorization': 'Bearer old-token'}, 'Invalid token'),
])
def test_401_texts(emulator, dialect, headers, text):
    emulator.seed({'expired_tokens': ['old-token']})
    r = requests.get(emulator.api_url + JWKS, headers=headers, timeout=10)
    assert refusal(r, 401, dialect) == text


def test_an_expired_token_is_no_longer_accepted(emulator):
    emulator.seed({'tokens': ['t1']})
    assert Api(emulator, token='t1').get(JWKS).status_code == 200
    emulator.seed({'expired_tokens': ['t1']})
    assert Api(emulator, token='t1').get(JWKS).status_code == 401
    assert emulator.state()['expired_tokens'] == ['t1']


@pytest.mark.parametrize('dialect,grant_code,bad_text', [('legacy', 'bad_request', 'Invalid client credentials'),
                                                         ('current', 'unsupported_grant_type', 'Bad credentials')])
def test_token_endpoint_keeps_the_oauth_form(emulator, dialect, grant_code, bad_text):
    url = emulator.api_url + '/auth/token'
    form = {'grant_type': 'client_credentials', 'client_id': 'admin', 'client_secret': 'admin-password'}
    r = requests.post(url, data=dict(form, client_secret='nope'), timeout=10)
    assert r.status_code == 401 and r.json() == {'error': 'unauthorized_client', 'error_description': bad_text}
    r = requests.post(url, data=dict(form, grant_type='password'), timeout=10)
    assert r.status_code == 400 and r.json()['error'] == grant_code and set(r.json()) == {'error',
                                                                                          'error_description'}
    assert requests.get(url, timeout=10).json()['error'] == 'method_not_allowed'
    assert requests.post(url, data=form, timeout=10).json()['token_type'] == 'Bearer'


# ----------------------------------------------------------------- envelopes and ids

@BOTH
def test_list_and_get_envelopes(api, dialect):
    gen(api, 'a')
    listed = api.get(JWKS).json()
    succeeded(listed, dialect, 'status')
    assert ('resultCount' in listed) == (dialect == 'current')
    got = api.get(JWKS + 'a/').json()
    succeeded(got, dialect, 'success')
    assert 'resultCount' not in got   # get-jwk.mdx shows none
    creds = api.get('/projects/demo/credentials/').json()
    succeeded(creds, dialect, 'status')
    if dialect == 'current':
        assert listed['resultCount'] == 1 and creds['resultCount'] == 3


@BOTH
def test_write_envelopes(api, dialect):
    succeeded(gen(api, 'a').json(), dialect, 'success')
    succeeded(api.put(JWKS + 'a/', json={'description': 'd'}).json(), dialect, 'success')
    succeeded(api.put('/projects/demo/credentials/api-user/jwk/validation/a/').json(), dialect, 'status')
    succeeded(api.delete('/projects/demo/credentials/api-user/jwk/validation/').json(), dialect, 'status')
    succeeded(api.delete(JWKS + 'a/').json(), dialect, 'success')


@BOTH
def test_jwk_ids(api, dialect):
    gen(api, 'a')
    if dialect == 'legacy':
        assert 'id' not in api.jwks()['a'] and 'id' not in api.jwk('a')
        return
    first = api.jwks()['a']['id']
    assert len(first) == 24 and api.jwk('a')['id'] == first
    assert api.put(JWKS + 'a/', json={'name': 'b'}).status_code == 200
    assert api.jwks()['b']['id'] == first          # a rename keeps the object
    assert api.delete(JWKS + 'b/').status_code == 200
    gen(api, 'b')
    assert api.jwks()['b']['id'] != first          # re-created: another object
    api.emulator.seed({'projects': {'demo': {'jwks': [{'name': 'seeded', 'id': 'fixed-id', 'jwk': {
        'kty': 'oct', 'k': 'AAAAAAAAAAAAAAAAAAAAAA'}}]}}})
    assert api.jwks()['seeded']['id'] == 'fixed-id'
    assert api.emulator.state()['projects']['demo']['jwks']['seeded']['id'] == 'fixed-id'


@CURRENT
def test_get_jwk_material_setting(api, dialect):
    gen(api, 'a')
    assert 'ec' in api.jwk('a')
    api.emulator.configure(get_jwk_material=False)
    item = api.jwk('a')
    assert set(item) == {'id', 'name', 'description', 'projectId', 'sourceType', 'sourceId', 'sourceUrl', 'type',
                         'kid'}


@CURRENT
def test_credential_create_follows_the_current_page(api, dialect):
    body = {'username': 'u1', 'password': 'pw', 'fullName': 'U One', 'email': 'u1@example.com'}
    for missing, text in (('fullName', 'Credential full name can not be empty!'),
                          ('email', 'Credential email can not be empty!')):
        r = api.post('/projects/demo/credentials/', json={k: v for k, v in body.items() if k != missing})
        assert refusal(r, 400, dialect) == text
    api.emulator.seed({'projects': {'Other': {'credentials': ['taken']}}})
    text = refusal(api.post('/projects/demo/credentials/', json=dict(body, username='taken')), 400, dialect)
    assert text.startswith('This username is already used by another credential.')
    assert api.post('/projects/demo/credentials/', json=body).status_code == 200


# ----------------------------------------------------------------- deployments

def deployment(r):
    assert r.status_code == 200, r.text
    return r.json()['deploymentResult']


@LEGACY
def test_legacy_deployment_is_unchanged(api, dialect):
    api.emulator.configure(failing_environments=['staging'])
    assert deployment(gen(api)) == {
        'success': False, 'message': 'Deployment failed for 1 of 2 environment(s): staging',
        'environmentResults': [
            {'environmentName': 'production', 'success': True, 'message': 'Deployed successfully'},
            {'environmentName': 'staging', 'success': False,
             'message': 'Deployment to environment (name: staging) failed: gateway did not answer'}]}


@CURRENT
def test_current_deployment_is_per_pod(api, dialect):
    dep = deployment(gen(api))
    assert set(dep) == {'success', 'responseTime', 'detail', 'detailList'} and dep['success'] is True
    assert [(p['envName'], p['podName'], p['podIp'], p['success']) for p in dep['detailList']] == [
        ('production', 'production-worker-1', '10.0.1.1', True),
        ('production', 'production-worker-2', '10.0.1.2', True),
        ('staging', 'staging-worker-1', '10.0.2.1', True), ('staging', 'staging-worker-2', '10.0.2.2', True)]
    assert all(set(p) == {'envName', 'podName', 'podIp', 'success', 'detail', 'responseTime'}
               for p in dep['detailList'])


@CURRENT
def test_one_failing_pod(api, dialect):
    api.emulator.configure(failing_pods=['staging/staging-worker-2'], pods_per_environment=3)
    dep = deployment(gen(api))
    assert dep['success'] is False and len(dep['detailList']) == 6
    assert [p['podName'] for p in dep['detailList'] if not p['success']] == ['staging-worker-2']
    assert dep['detail'] == 'Deployment failed on 1 of 6 pod(s): staging/staging-worker-2'
    # The case the client must catch: the overall flag says success over a failed pod.
    api.emulator.configure(deployment_success=True)
    dep = deployment(gen(api, 'b'))
    assert dep['success'] is True and [p['success'] for p in dep['detailList']].count(False) == 1


@CURRENT
def test_failing_environment_fails_all_its_pods(api, dialect):
    api.emulator.configure(failing_environments=['production'])
    dep = deployment(api.put('/projects/demo/credentials/api-user/jwk/validation/shared-admin-jwk/'))
    assert [(p['envName'], p['success']) for p in dep['detailList']] == [
        ('production', False), ('production', False), ('staging', True), ('staging', True)]
    assert dep['success'] is False


@CURRENT
@pytest.mark.parametrize('shape,key', [('environment_results', 'environmentResults'),
                                       ('deployment_results', 'deploymentResults')])
def test_other_documented_shapes(api, dialect, shape, key):
    api.emulator.configure(deployment_shape=shape, failing_pods=['staging/staging-worker-1'])
    dep = deployment(gen(api))
    assert dep['success'] is False and 'detailList' not in dep
    assert [(e['environmentName'], e['success']) for e in dep[key]] == [('production', True), ('staging', False)]
    assert dep[key][1]['message'] == 'Deployment to environment (name: staging) failed on pod(s): staging-worker-1'
    assert ('message' in dep) == (shape == 'environment_results')   # the policy pages show none


@CURRENT
def test_delete_is_worded_as_an_undeployment(api, dialect):
    gen(api)
    api.emulator.configure(deployment_shape='environment_results')
    dep = deployment(api.delete(JWKS + 'a/'))
    assert dep['message'] == 'Undeployment completed successfully'
    assert {e['message'] for e in dep['environmentResults']} == {'Undeployed successfully'}


# ----------------------------------------------------------------- export-file and environments

@CURRENT
def test_export_file(api, dialect):
    gen(api, 'a')
    stored = api.emulator.state()['projects']['demo']['jwks']['a']['jwk']
    r = api.get(JWKS + 'a/export-file/', params={'publicOnly': 'true'})
    assert r.status_code == 200 and r.headers['Content-Disposition'] == 'attachment; filename="a-public.json"'
    assert r.json() == {'keys': [{k: v for k, v in stored.items() if k != 'd'}]}
    assert r.json()['keys'][0]['use'] == 'sig' and r.json()['keys'][0]['alg'] == 'ES256'
    r = api.get(JWKS + 'a/export-file/')
    assert r.headers['Content-Disposition'] == 'attachment; filename="a.json"'
    assert r.json() == {'keys': [stored]} and 'd' in r.json()['keys'][0]
    assert api.get(JWKS + 'a/export-file/', params={'publicOnly': 'false'}).json() == {'keys': [stored]}
    api.post(JWKS + 'generate', json={'name': 's', 'type': 'OCT', 'oct': {'keySize': 128}})
    assert refusal(api.get(JWKS + 's/export-file/?publicOnly=true'), 400, dialect) == (
        'JWK (name: s) carries no key material to export!')
    assert refusal(api.get(JWKS + 'nope/export-file/'), 400, dialect) == 'JWK (name: nope) is not found!'


@BOTH
@pytest.mark.parametrize('mode', ['absent', 'refused', 'served'])
def test_export_file_modes(api, dialect, mode):
    gen(api, 'a')
    api.emulator.configure(export_file=mode)
    r = api.get(JWKS + 'a/export-file/?publicOnly=true')
    if mode == 'absent':
        assert refusal(r, 404, dialect).startswith('No endpoint GET')
    elif mode == 'refused':
        assert refusal(r, 400, dialect) == 'User does not have required permission for this operation!'
    else:
        assert r.status_code == 200 and r.json()['keys'][0]['kty'] == 'EC'


@LEGACY
def test_legacy_serves_neither_export_file_nor_environments(api, dialect):
    gen(api, 'a')
    assert refusal(api.get(JWKS + 'a/export-file/'), 404, dialect).startswith('No endpoint')
    assert refusal(api.get('/projects/demo/environments/'), 404, dialect).startswith('No endpoint')


@CURRENT
def test_environments(api, dialect):
    api.emulator.configure(environments=['prod-eu', 'test-a', 'sandbox'])
    body = api.get('/projects/demo/environments/').json()
    assert body['resultCount'] == 3
    assert [(e['name'], e['type'], e['status']) for e in body['resultList']] == [
        ('prod-eu', 'PRODUCTION', 'PUBLISHED'), ('test-a', 'TEST', 'PUBLISHED'), ('sandbox', 'SANDBOX', 'PUBLISHED')]


# ----------------------------------------------------------------- faults in the dialect's words

@BOTH
def test_status_fault_texts(api, dialect):
    api.emulator.add_fault(method='GET', path='/jwks/$', status=500)
    assert refusal(api.get(JWKS), 500, dialect) == 'Injected fault: HTTP 500'
    api.emulator.add_fault(method='DELETE', path='/jwk/', status=400,
                           message='User does not have required permission for this operation!')
    r = api.delete('/projects/demo/credentials/api-user/jwk/validation/')
    assert refusal(r, 400, dialect) == 'User does not have required permission for this operation!'
    api.emulator.add_fault(path='/jwks/$', status=404, error_description='Project (demo) is not found!')
    assert refusal(api.get(JWKS), 404, dialect) == 'Project (demo) is not found!'


@BOTH
def test_refused_fault(api, dialect):
    api.emulator.add_fault(method='DELETE', path='/jwk/validation/$', action='refused', apply=True)
    api.put('/projects/demo/credentials/api-user/jwk/validation/shared-admin-jwk/')
    r = api.delete('/projects/demo/credentials/api-user/jwk/validation/')
    assert refusal(r, 400, dialect) == 'User does not have required permission for this operation!'
    log = api.emulator.requests()[-1]
    assert (log['fault'], log['status'], log['applied_status']) == ('refused', 400, 200)


@CURRENT
def test_status_fault_echo_goes_into_result_message(api, dialect):
    api.emulator.add_fault(path='/jwks/$', status=500, echo='truncated', echo_chars=4)
    text = refusal(api.get(JWKS), 500, dialect)
    assert text.startswith('Injected fault: HTTP 500 for GET /apiops/projects/demo/jwks/: Authorization=emul')
    api.emulator.add_fault(path='/jwks/$', status=500, echo=True)
    body = api.get(JWKS).json()
    assert body['status'] == 'FAILURE' and TOKEN in body['resultMessage'] and body['request']['method'] == 'GET'


@pytest.mark.parametrize('fault,status,raw,ctype', [
    ({}, 400, b'', 'application/json'),
    ({'body': '<html>Bad Request</html>', 'content_type': 'text/html'}, 400, b'<html>Bad Request</html>',
     'text/html'),
    ({'status': 200, 'body': '{"status": "SUCC'}, 200, b'{"status": "SUCC', 'application/json'),
    ({'status': 201, 'body': {'anything': [1]}}, 201, b'{"anything": [1]}', 'application/json'),
])
def test_raw_fault(api, fault, status, raw, ctype):
    api.emulator.add_fault(path='/jwks/$', action='raw', **fault)
    r = api.get(JWKS)
    assert (r.status_code, r.content, r.headers['Content-Type']) == (status, raw, ctype)


@pytest.mark.parametrize('dialect,with_error,body', [
    ('current', False, {'status': 'FAILURE'}),
    ('current', True, {'status': 'FAILURE', 'resultMessage': 'Injected fault: status FAILURE'}),
    ('legacy', False, {'success': False}),
    ('legacy', True, {'success': False, 'error': 'internal_error',
                      'error_description': 'Injected fault: success false'}),
])
def test_success_false_fault_says_failure_in_the_dialects_words(api, dialect, with_error, body):
    api.emulator.add_fault(method='POST', path='generate', action='success_false', with_error=with_error,
                           apply=True)
    r = gen(api)
    assert r.status_code == 200 and r.json() == body
    assert 'a' in api.jwks()   # the write landed
    api.emulator.add_fault(path='/jwks/$', action='success_false', message='Nope!')
    assert api.get(JWKS).json() == ({'status': 'FAILURE', 'resultMessage': 'Nope!'} if dialect == 'current' else
                                    {'success': False, 'error': 'internal_error', 'error_description': 'Nope!'})


@CURRENT
@pytest.mark.parametrize('value,expected', [(None, None), (7, 7)])
def test_result_count_fault(api, dialect, value, expected):
    gen(api)
    api.emulator.add_fault(path='/jwks/$', action='result_count')
    assert api.get(JWKS).json()['resultCount'] == 2      # one item, a count of two
    api.emulator.add_fault(path='/jwks/$', action='result_count', value=value)
    assert api.get(JWKS).json().get('resultCount') == expected


@CURRENT
def test_echo_fault_on_per_pod_answers(api, dialect):
    api.emulator.add_fault(method='POST', path='generate', action='echo', echo='truncated', echo_chars=3)
    dep = deployment(gen(api))
    assert dep['detail'].startswith('Deployment of POST /apiops/projects/demo/jwks/generate: Authorization=emu')
    assert all(p['detail'].startswith('Deployed POST') for p in dep['detailList'])
    api.emulator.add_fault(path='/jwks/nope/$', action='echo', echo='truncated')
    assert '(request: GET /apiops/projects/demo/jwks/nope/' in refusal(api.get(JWKS + 'nope/'), 400, dialect)


@CURRENT
def test_redirect_oversized_and_trap_in_current_words(api, dialect):
    api.emulator.add_fault(path='/jwks/$', action='redirect')
    r = api.get(JWKS)
    assert r.status_code == 307 and refusal(r, 307, dialect).startswith('Moved to http://localhost:')
    trapped = requests.get(r.headers['Location'], timeout=10)
    assert trapped.json() == {'status': 'SUCCESS', 'resultList': [], 'resultCount': 0}
    api.emulator.add_fault(path='/jwks/$', action='oversized', size=200)
    r = api.get(JWKS)
    assert len(r.content) == 200 and r.json()['status'] == 'SUCCESS'


def test_fault_options_are_checked():
    emu = Emulator()
    for spec, words in (({'action': 'raw', 'message': 'x'}, 'message applies only'),
                        ({'action': 'status', 'body': ''}, 'body applies only'),
                        ({'action': 'result_count', 'value': 'x'}, 'value of result_count'),
                        ({'action': 'status', 'message': 'a', 'error_description': 'b'}, 'give one'),
                        ({'action': 'raw', 'content_type': ''}, 'content_type')):
        with pytest.raises(ValueError, match=words):
            emu.add_fault(**spec)


# ----------------------------------------------------------------- settings

@pytest.mark.parametrize('settings,words', [
    ({'dialect': 'newest'}, 'dialect must be one of'),
    ({'failing_pods': ['staging']}, '"<environment>/<podName>"'),
    ({'failing_pods': 'staging/x'}, 'list of strings'),
    ({'pods_per_environment': 0}, 'positive integer'),
    ({'deployment_shape': 'pods'}, 'deployment_shape must be'),
    ({'deployment_success': 'yes'}, 'deployment_success'),
    ({'export_file': 'maybe'}, 'export_file must be'),
    ({'get_jwk_material': 'no'}, 'get_jwk_material'),
    ({'policies_shape': None}, 'policies_shape must be'),
    ({'simplified_policies': 1}, 'simplified_policies'),
    ({'project_not_found_message': 'Project not found'}, '{project}'),
])
def test_bad_settings_change_nothing(api, settings, words):
    before = api.emulator.config()
    with pytest.raises(ValueError, match=words):
        api.emulator.configure(report_use_alg=True, **settings)
    r = api.hook('POST', 'config', json=dict(settings, report_use_alg=True))
    assert r.status_code == 400 and words in r.json()['error_description']
    assert api.emulator.config() == before


def test_dialect_switch_and_reset():
    with Emulator(dialect='legacy', settings={'pods_per_environment': 3}) as emu:
        api = Api(emu)
        assert emu.configure(dialect='current')['dialect'] == 'current' == emu.dialect
        assert api.get('/projects/demo/jwks/').json()['status'] == 'SUCCESS'
        assert len(deployment(gen(api))['detailList']) == 6
        assert api.hook('POST', 'config', json={'dialect': 'legacy'}).json()['config']['dialect'] == 'legacy'
        assert 'status' not in api.get('/projects/demo/jwks/').json()
        emu.configure(dialect='current', pods_per_environment=1)
        emu.reset()
        assert emu.config()['dialect'] == 'legacy' and emu.config()['pods_per_environment'] == 3
    with pytest.raises(ValueError, match='unknown setting'):
        Emulator(settings={'nope': 1})
