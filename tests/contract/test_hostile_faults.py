# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The hostile fault kinds (issue 11), added over HTTP with POST /__emulator__/faults.

A server that redirects, answers a malformed 200, echoes secrets, drips or floods: each kind is
checked on the wire with requests (never following redirects unless a test says so).
"""

import json
import time
from urllib.parse import urlsplit

import pytest
import requests

from contract_helpers import error_of

LIST = '/projects/demo/jwks/'
GENERATE = '/projects/demo/jwks/generate'
CREDS = '/projects/demo/credentials/'
# An oct key's k longer than 100 characters, so a 100-character echo is a true fragment of it.
SECRET_K = ('Zm9vYmFyLXByaXZhdGUtZC12YWx1ZS10aGF0LWlzLXF1aXRlLWxvbmctZW5vdWdoLXRvLWJlLXRydW5jYXRlZC1h'
            'dC0xMDAtY2hhcmFjdGVycy1pbmRlZWQ')


def fault(api, **spec):
    r = api.hook('POST', 'faults', json=spec)
    assert r.status_code == 200, r.text
    return r.json()['fault']


def gen(api, name='a'):
    return api.post(GENERATE, json={'name': name, 'type': 'OCT', 'oct': {'keySize': 128}})


def log(api):
    return [(e['method'], e['path'], e['status'], e['fault']) for e in api.emulator.requests()]


# ----------------------------------------------------------------- redirect

@pytest.mark.parametrize('status', [301, 302, 307, 308])
def test_redirect_names_another_host_and_writes_nothing(api, status):
    fault(api, method='POST', path='/jwks/generate$', action='redirect', status=status)
    r = gen(api)
    assert r.status_code == status
    loc = urlsplit(r.headers['Location'])
    assert loc.hostname == 'localhost' and urlsplit(api.base).hostname == '127.0.0.1'
    assert loc.path == '/__emulator__/redirected/apiops' + GENERATE
    assert 'a' not in api.jwks()
    assert log(api)[0] == ('POST', '/apiops' + GENERATE, status, 'redirect')
    assert api.emulator.redirected() == []


def test_redirect_default_status_is_307_and_query_is_kept(api):
    assert fault(api, path='/jwks/$', action='redirect')['status'] == 307
    r = api.get(LIST + '?x=1')
    assert r.status_code == 307 and r.headers['Location'].endswith('/__emulator__/redirected/apiops' + LIST + '?x=1')


def test_redirect_to_an_explicit_location_with_another_scheme(api):
    fault(api, path='/jwks/$', action='redirect', status=308, location='https://evil.invalid:{port}/steal{path}')
    r = api.get(LIST)
    assert r.headers['Location'] == 'https://evil.invalid:%d/steal/apiops%s' % (api.emulator.port, LIST)


def test_a_client_that_follows_a_307_sends_the_secret_to_the_trap(api):
    """Positive control for suites that assert "no body went elsewhere": the trap records it."""
    fault(api, method='POST', path='/auth/token$', action='redirect', status=307)
    form = {'grant_type': 'client_credentials', 'client_id': 'admin', 'client_secret': 'admin-password'}
    r = requests.post(api.emulator.url + '/apiops/auth/token', data=form, timeout=10)   # follows
    assert r.status_code == 200 and r.history[0].status_code == 307
    trapped = api.hook('GET', 'redirected').json()['redirected']
    assert len(trapped) == 1
    entry = trapped[0]
    assert (entry['method'], entry['path']) == ('POST', '/apiops/auth/token')
    assert entry['host'].startswith('localhost:') and entry['secrets'] == ['client_secret']
    assert entry['body'] == {'grant_type': 'client_credentials', 'client_id': 'admin', 'client_secret': '********'}
    assert entry['body_bytes'] == len('grant_type=client_credentials&client_id=admin&client_secret=admin-password')
    assert 'admin-password' not in json.dumps(trapped)
    assert api.hook('POST', 'reset').status_code == 200
    assert api.emulator.redirected() == []


def test_a_302_followed_turns_a_post_into_a_get_that_looks_fine(api):
    fault(api, method='POST', path='/jwks/generate$', action='redirect', status=302)
    r = api.session.post(api.base + GENERATE, json={'name': 'a', 'type': 'OCT', 'oct': {'keySize': 128}},
                         timeout=10)
    assert r.status_code == 200 and r.json() == {'success': True, 'resultList': []}
    assert [(e['method'], e['authorization']) for e in api.emulator.redirected()] == [('GET', False)]
    assert 'a' not in api.jwks()


def test_redirect_with_apply_lands_the_write(api):
    fault(api, method='POST', path='/jwks/generate$', action='redirect', status=308, apply=True)
    assert gen(api).status_code == 308
    assert 'a' in api.jwks()
    assert api.emulator.requests()[0]['applied_status'] == 200


# ----------------------------------------------------------------- malformed 200s

@pytest.mark.parametrize('with_error', [False, True])
def test_success_false_in_a_200(api, with_error):
    gen(api)
    spec = {'method': 'DELETE', 'path': '/jwks/a/$', 'action': 'success_false'}
    if with_error:
        spec['with_error'] = True
    fault(api, **spec)
    r = api.delete(LIST + 'a/')
    assert r.status_code == 200
    expected = {'success': False}
    if with_error:
        expected.update(error='internal_error', error_description='Injected fault: success false')
    assert r.json() == expected
    assert 'a' in api.jwks()   # without apply nothing was deleted


def test_success_false_with_apply_deletes_anyway(api):
    gen(api)
    fault(api, method='DELETE', path='/jwks/a/$', action='success_false', apply=True)
    assert api.delete(LIST + 'a/').json() == {'success': False}
    assert 'a' not in api.jwks()


def test_success_false_on_a_list(api):
    fault(api, method='GET', path='/credentials/$', action='success_false')
    assert api.get(CREDS).json() == {'success': False}


def test_no_result_list(api):
    gen(api)
    fault(api, method='GET', path='/jwks/$', action='no_result_list')
    r = api.get(LIST)
    assert r.status_code == 200 and r.json() == {'success': True}
    assert api.emulator.requests()[-1]['fault'] == 'no_result_list'


def test_result_list_not_a_list(api):
    gen(api)
    fault(api, method='GET', path='/jwks/a/$', action='result_list_not_list')
    body = api.get(LIST + 'a/').json()
    assert isinstance(body['resultList'], dict) and body['resultList']['name'] == 'a'
    fault(api, method='GET', path='/credentials/$', action='result_list_not_list', value='api-user')
    assert api.get(CREDS).json() == {'success': True, 'resultList': 'api-user'}
    fault(api, method='GET', path='/jwks/$', action='result_list_not_list', value=None)
    assert api.get(LIST).json() == {'success': True, 'resultList': None}


def test_result_list_not_a_list_of_an_empty_list(api):
    fault(api, method='GET', path='/jwks/$', action='result_list_not_list')
    assert api.get(LIST).json() == {'success': True, 'resultList': {}}


def test_items_that_are_not_objects(api):
    fault(api, method='GET', path='/credentials/$', action='items_not_objects')
    assert api.get(CREDS).json() == {'success': True, 'resultList': ['api-user', 'mobile-app', 'partner-app']}
    fault(api, method='GET', path='/jwks/$', action='items_not_objects')
    assert api.get(LIST).json() == {'success': True, 'resultList': ['not-an-object']}
    fault(api, method='GET', path='/credentials/$', action='items_not_objects', value=[1, None, ['x']])
    assert api.get(CREDS).json()['resultList'] == [1, None, ['x']]


def test_get_answered_with_another_name(api):
    gen(api)
    fault(api, method='GET', path='/jwks/a/$', action='other_name')
    item = api.get(LIST + 'a/').json()['resultList'][0]
    assert item['name'] == 'a-other' and 'oct' in item
    fault(api, method='GET', path='/jwks/a/$', action='other_name', name='b')
    assert api.get(LIST + 'a/').json()['resultList'][0]['name'] == 'b'
    assert api.get(LIST + 'a/').json()['resultList'][0]['name'] == 'a'   # count exhausted


def test_rewriting_faults_leave_error_answers_alone(api):
    fault(api, method='GET', path='/jwks/nope/$', action='other_name')
    assert error_of(api.get(LIST + 'nope/')) == ('bad_request', 'JWK (name: nope) is not found!')
    assert api.emulator.requests()[0]['fault'] == 'other_name'


# ----------------------------------------------------------------- echoes

def jwk_body(name='e'):
    return {'name': name, 'sourceType': 'COPY_PASTE',
            'jwkStr': json.dumps({'kty': 'oct', 'k': SECRET_K})}


def test_echo_whole_in_deployment_messages(api):
    fault(api, method='POST', path='/jwks/$', action='echo')
    r = api.post(LIST, json=jwk_body())
    assert r.status_code == 200
    dep = r.json()['deploymentResult']
    assert dep['success'] is True
    for text in [dep['message']] + [e['message'] for e in dep['environmentResults']]:
        assert SECRET_K in text and 'Authorization: Bearer emulator-token' in text
    assert [e['environmentName'] for e in dep['environmentResults']] == ['production', 'staging']
    assert 'e' in api.jwks()   # the write landed


def test_echo_truncated_in_deployment_messages(api):
    fault(api, method='POST', path='/jwks/$', action='echo', echo='truncated')
    dep = api.post(LIST, json=jwk_body()).json()['deploymentResult']
    texts = [dep['message']] + [e['message'] for e in dep['environmentResults']]
    for text in texts:
        assert 'k=' + SECRET_K[:100] in text and SECRET_K not in text
        # The token is shorter than 100 characters: still cut, never whole.
        assert 'Authorization=' + 'emulator-token'[:-1] in text and 'emulator-token' not in text


def test_echo_chars_sets_the_fragment_length(api):
    fault(api, method='POST', path='/jwks/$', action='echo', echo='truncated', echo_chars=16)
    text = api.post(LIST, json=jwk_body()).json()['deploymentResult']['message']
    assert 'k=%s,' % SECRET_K[:16] in text or text.endswith('k=%s' % SECRET_K[:16])
    assert SECRET_K[:17] not in text


def test_echo_in_an_error_answer_of_the_server(api):
    """action echo on a request the server refuses: the echo goes into error_description."""
    gen(api, 'e')
    fault(api, method='POST', path='/jwks/$', action='echo')
    err, text = error_of(api.post(LIST, json=jwk_body()))
    assert text.startswith('JWK (name: e) is already exist!') and SECRET_K in text


def test_echo_in_an_answer_without_deployment(api):
    fault(api, method='GET', path='/jwks/$', action='echo')
    body = api.get(LIST).json()
    assert body['resultList'] == [] and 'Bearer emulator-token' in body['message']


def test_status_fault_echo_truncated_in_error_text(api):
    fault(api, method='POST', path='/auth/token$', status=400, echo='truncated', echo_chars=5)
    r = requests.post(api.emulator.url + '/apiops/auth/token', timeout=10, data={
        'grant_type': 'client_credentials', 'client_id': 'admin', 'client_secret': 'admin-password'})
    body = r.json()
    assert r.status_code == 400 and 'client_secret=admin' in body['error_description']
    assert 'admin-password' not in r.text and 'request' not in body
    assert body['validation_errors'][0]['message'].endswith('client_secret=admin')


def test_status_fault_echo_whole_still_works(api):
    fault(api, path='/jwks/$', status=500, echo=True)
    body = api.post(LIST, json=jwk_body()).json()
    assert SECRET_K in body['error_description'] and body['request']['headers']['Authorization'] == (
        'Bearer emulator-token')


# ----------------------------------------------------------------- slow and big answers

def test_drip_sends_the_real_answer_one_byte_at_a_time(api):
    fault(api, method='GET', path='/jwks/$', action='drip', interval=0.02)
    expected = json.dumps({'success': True, 'resultList': []}).encode()
    start = time.monotonic()
    # A per-read timeout larger than the interval never fires, however long the whole answer takes.
    r = api.get(LIST, timeout=0.5)
    took = time.monotonic() - start
    assert r.status_code == 200 and r.content == expected
    assert took >= 0.02 * len(expected) > 0.5
    assert api.emulator.requests()[0]['fault'] == 'drip'


def test_drip_of_a_write_lands_the_write(api):
    fault(api, method='POST', path='/jwks/generate$', action='drip', interval=0.001)
    r = gen(api)
    assert r.status_code == 200 and r.json()['success'] is True and 'a' in api.jwks()


@pytest.mark.parametrize('length_header', [True, False])
def test_oversized_body_is_streamed(api, length_header):
    size = 17 * 1024 * 1024
    spec = {'method': 'GET', 'path': '/jwks/$', 'action': 'oversized'}
    if not length_header:
        spec['length_header'] = False
    assert fault(api, **spec)['size'] == size
    r = api.get(LIST, stream=True)
    assert r.status_code == 200
    if length_header:
        assert r.headers['Content-Length'] == str(size)
    else:
        assert 'Content-Length' not in r.headers and r.headers['Connection'] == 'close'
    total, first = 0, b''
    for chunk in r.iter_content(1024 * 1024):
        first = first or chunk[:64]
        total += len(chunk)
    assert total == size and first.startswith(b'{"success": true, "resultList": [], "padding": "')
    r.close()
    assert api.get(LIST).json() == {'success': True, 'resultList': []}   # count exhausted


def test_oversized_body_parses_as_json_when_small(api):
    fault(api, path='/jwks/$', action='oversized', size=4096)
    r = api.get(LIST)
    assert len(r.content) == 4096 and r.json()['success'] is True


# ----------------------------------------------------------------- error texts of other servers

@pytest.mark.parametrize('status,text', [
    (400, 'Project not found for name: (demo)'),
    (404, "Project 'demo' not found"),
])
def test_status_fault_with_the_servers_own_error_text(api, status, text):
    """The two other documented project-not-found spellings, answered for a project that exists."""
    fault(api, method='GET', path='/jwks/a/$', status=status, error='not_found', error_description=text)
    assert error_of(api.get(LIST + 'a/'), status) == ('not_found', text)


# ----------------------------------------------------------------- spec validation

@pytest.mark.parametrize('spec,text', [
    ({'action': 'redirect', 'status': 200}, 'redirect status'),
    ({'action': 'status', 'location': 'http://x/'}, 'location applies only to action redirect'),
    ({'action': 'drip', 'interval': 0}, 'interval'),
    ({'action': 'oversized', 'size': 10}, 'size'),
    ({'action': 'success_false', 'with_error': 'yes'}, 'with_error'),
    ({'action': 'items_not_objects', 'value': 'x'}, 'value'),
    ({'action': 'other_name', 'name': ''}, 'name'),
    ({'action': 'echo', 'echo': False}, "action 'echo' needs"),
    ({'action': 'echo', 'echo': 'half'}, 'echo must be'),
    ({'action': 'drop', 'echo': 'truncated'}, 'echo applies only'),
    ({'action': 'status', 'echo_chars': 0, 'echo': 'truncated'}, 'echo_chars'),
    ({'action': 'nope'}, 'fault action must be one of'),
    ({'action': 'drop', 'error_description': 'x'}, 'error_description applies only to action status'),
    ({'action': 'status', 'error': ''}, 'error must be a non-empty string'),
])
def test_bad_specs_name_the_problem(api, spec, text):
    r = api.hook('POST', 'faults', json=spec)
    assert r.status_code == 400 and text in r.json()['error_description']
    assert api.hook('GET', 'state').json()['faults'] == []


def test_reset_clears_the_redirect_trap(api):
    fault(api, method='GET', path='/jwks/$', action='redirect')
    requests.get(api.base + LIST, timeout=10)
    assert len(api.emulator.redirected()) == 1
    api.emulator.reset()
    assert api.emulator.redirected() == []
