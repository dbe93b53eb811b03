# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for module_utils/client.py with a fake HTTP session (no network)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import io
import json

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from ansible_collections.apinizer.apiops.plugins.module_utils.apinizer_module import fail_module, warn_retries
from ansible_collections.apinizer.apiops.plugins.module_utils.client import ApinizerClient
from ansible_collections.apinizer.apiops.plugins.module_utils.deployment import deployment_failed, parse_deployment
from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError

BASE = 'https://mgr.example.com'
TOKEN = 'tok-3f9a1c7e5b'
PASSWORD = 'pw-S3cret!value'
PRIVATE_D = 'private-member-d-value-XYZ'


class FakeRaw(object):
    """A streamed body, as urllib3's HTTPResponse reads it (read1 with decode_content)."""

    def __init__(self, content):
        self._buffer = io.BytesIO(content)

    def read1(self, amt=-1, decode_content=True):
        return self._buffer.read1(amt)


class FakeResponse(object):
    def __init__(self, status=200, body=None, headers=None, text=None, reason=None):
        self.status_code = status
        self.headers = headers or {}
        if text is not None:
            self.content = text.encode('utf-8')
        elif body is not None:
            self.content = json.dumps(body).encode('utf-8')
        else:
            self.content = b''
        self.reason = reason or {200: 'OK', 400: 'Bad Request', 401: 'Unauthorized',
                                 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error',
                                 502: 'Bad Gateway', 503: 'Service Unavailable',
                                 504: 'Gateway Timeout'}.get(status, '')

    @property
    def raw(self):
        # A fresh stream per read: some tests queue the same response object several times.
        return FakeRaw(self.content)

    def close(self):
        pass

    def json(self):
        return json.loads(self.content.decode('utf-8'))


class FakeSession(object):
    """Answers requests from a queue; each item is a FakeResponse or an exception to raise."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def queue(self, *answers):
        self.answers.extend(answers)

    def request(self, method, url, **kwargs):
        self.calls.append(dict(method=method, url=url, **kwargs))
        if not self.answers:
            raise AssertionError('unexpected request %s %s' % (method, url))
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def lines(self):
        return ['%s %s' % (c['method'], c['url'][len(BASE):]) for c in self.calls]


def ok(body=None):
    return FakeResponse(200, body if body is not None else {'success': True})


def deployed(*envs):
    envs = envs or (('production', True, 'ok'), ('staging', True, 'ok'))
    return ok({'success': True, 'deploymentResult': {
        'success': all(e[1] for e in envs), 'message': 'done',
        'environmentResults': [{'environmentName': n, 'success': s, 'message': m} for n, s, m in envs]}})


def api_error(status, error, description, headers=None, **extra):
    body = {'error': error, 'error_description': description}
    body.update(extra)
    return FakeResponse(status, body, headers=headers)


def make_client(*answers, **kwargs):
    """A client on a FakeSession (client.session); client.slept records the real sleeps."""
    slept = []
    kwargs.setdefault('token', TOKEN)
    client = ApinizerClient(kwargs.pop('url', BASE), sleep=slept.append, session=FakeSession(*answers), **kwargs)
    client.slept = slept
    client.project = 'demo'
    return client


# ---- paths, quoting, headers ---------------------------------------------------------------

def test_paths_match_the_contract_with_trailing_slashes_and_quoted_names():
    client = make_client(
        ok({'success': True, 'resultList': []}),
        ok({'success': True, 'resultList': [{'name': 'a+b/c'}]}),
        deployed(), deployed(), deployed(), deployed(),
        ok({'success': True, 'resultList': []}),
        deployed(), deployed(),
    )
    client.list_jwks()
    client.get_jwk('a+b/c')
    client.create_jwk({'name': 'n'})
    client.generate_jwk({'name': 'n'}, project='other~proj')
    client.update_jwk('x?y', {'description': 'd'})
    client.delete_jwk('x#1')
    client.list_credentials()
    client.assign_credential_jwk('api@user', 'validation', 'k/1')
    client.remove_credential_jwk('api@user', 'encryption')
    assert client.session.lines() == [
        'GET /apiops/projects/demo/jwks/',
        'GET /apiops/projects/demo/jwks/a%2Bb%2Fc/',
        'POST /apiops/projects/demo/jwks/',
        'POST /apiops/projects/other~proj/jwks/generate',
        'PUT /apiops/projects/demo/jwks/x%3Fy/',
        'DELETE /apiops/projects/demo/jwks/x%231/',
        'GET /apiops/projects/demo/credentials/',
        'PUT /apiops/projects/demo/credentials/api%40user/jwk/validation/k%2F1/',
        'DELETE /apiops/projects/demo/credentials/api%40user/jwk/encryption/',
    ]


@pytest.mark.parametrize('url', [BASE, BASE + '/', BASE + '/apiops', BASE + '/apiops/'])
def test_base_url_gets_apiops_exactly_once(url):
    client = make_client(ok({'success': True, 'resultList': []}), url=url)
    client.list_jwks()
    assert client.session.calls[0]['url'] == BASE + '/apiops/projects/demo/jwks/'


def test_bearer_header_timeout_and_verify_on_every_request():
    client = make_client(ok({'success': True, 'resultList': []}), deployed(), timeout=7)
    client.list_jwks()
    client.create_jwk({'name': 'n'})
    for call in client.session.calls:
        assert call['headers']['Authorization'] == 'Bearer ' + TOKEN
        assert call['timeout'] == 7
        assert call['verify'] is True
    assert 'Content-Type' not in client.session.calls[0]['headers']
    assert client.session.calls[1]['headers']['Content-Type'] == 'application/json'
    assert client.session.calls[1]['json'] == {'name': 'n'}


@pytest.mark.parametrize('validate_certs, ca_path, expected', [
    (True, None, True),
    (True, '/etc/ca.pem', '/etc/ca.pem'),
    (False, None, False),
    (False, '/etc/ca.pem', False),
])
def test_verify_follows_validate_certs_and_ca_path(validate_certs, ca_path, expected):
    client = make_client(ok({'success': True, 'resultList': []}),
                         validate_certs=validate_certs, ca_path=ca_path)
    client.list_jwks()
    assert client.session.calls[0]['verify'] == expected


def test_results_are_unwrapped():
    jwk = {'name': 'k', 'type': 'EC', 'ec': {'kty': 'EC'}}
    client = make_client(ok({'success': True, 'resultList': [{'name': 'k'}]}),
                         ok({'success': True, 'resultList': [jwk]}),
                         ok({'success': True, 'resultList': [{'username': 'u'}]}))
    assert client.list_jwks() == [{'name': 'k'}]
    assert client.get_jwk('k') == jwk
    assert client.list_credentials() == [{'username': 'u'}]


def test_unknown_purpose_is_rejected_before_any_request():
    client = make_client()
    with pytest.raises(ValueError, match='validation, encryption'):
        client.assign_credential_jwk('u', 'signing', 'k')
    assert client.session.calls == []


# ---- username/password exchange -----------------------------------------------------------

def test_credentials_are_exchanged_once_and_the_token_is_reused():
    client = make_client(
        ok({'access_token': 'exchanged-tok-777', 'token_type': 'Bearer', 'expires_in': 3600}),
        ok({'success': True, 'resultList': []}),
        ok({'success': True, 'resultList': []}),
        token=None, username='admin', password=PASSWORD)
    client.list_jwks()
    client.list_credentials()
    assert client.session.lines() == ['POST /apiops/auth/token', 'GET /apiops/projects/demo/jwks/',
                                      'GET /apiops/projects/demo/credentials/']
    exchange = client.session.calls[0]
    assert exchange['data'] == {'grant_type': 'client_credentials', 'client_id': 'admin',
                                'client_secret': PASSWORD}
    assert 'Authorization' not in exchange['headers']
    assert 'json' not in exchange
    assert client.session.calls[1]['headers']['Authorization'] == 'Bearer exchanged-tok-777'
    assert client.session.calls[2]['headers']['Authorization'] == 'Bearer exchanged-tok-777'
    assert client.request_count == 3


def test_rejected_credentials_name_the_options_and_never_the_password():
    client = make_client(
        api_error(401, 'unauthorized_client', 'Bad credentials for admin / ' + PASSWORD),
        token=None, username='admin', password=PASSWORD)
    with pytest.raises(ApinizerError) as info:
        client.list_jwks()
    text = str(info.value)
    assert PASSWORD not in text
    assert '********' in text
    assert 'APINIZER_USERNAME' in text and 'apinizer_password' in text
    assert info.value.status == 401


def test_token_exchange_is_retried_on_a_transient_failure():
    client = make_client(
        FakeResponse(503, text='busy'),
        ok({'access_token': 'exchanged-tok-777'}),
        ok({'success': True, 'resultList': []}),
        token=None, username='admin', password=PASSWORD)
    client.list_jwks()
    assert client.session.lines()[:2] == ['POST /apiops/auth/token', 'POST /apiops/auth/token']
    assert client.slept == [0.5]


def test_401_tells_the_user_to_check_the_token():
    client = make_client(api_error(401, 'invalid_token', 'Token is not valid'))
    with pytest.raises(ApinizerError) as info:
        client.list_jwks()
    assert 'apinizer_token' in str(info.value) and 'APINIZER_TOKEN' in str(info.value)
    assert not info.value.transient


# ---- retries ----------------------------------------------------------------------------------

def test_get_is_retried_with_exponential_backoff_then_succeeds():
    client = make_client(
        FakeResponse(503), FakeResponse(502), FakeResponse(504), FakeResponse(429),
        ok({'success': True, 'resultList': [{'name': 'k'}]}), retries=4)
    assert client.list_jwks() == [{'name': 'k'}]
    assert client.slept == [0.5, 1.0, 2.0, 4.0]
    assert client.request_count == 5
    assert client.retries_used == 4
    assert client.retry_warning() == '4 transient failures were retried'


def test_backoff_is_capped_at_ten_seconds():
    client = make_client(*([FakeResponse(503)] * 7 + [ok({'resultList': []})]),
                         retries=7)
    client.list_jwks()
    assert client.slept == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def test_retries_are_bounded_and_the_last_error_is_raised():
    client = make_client(*[api_error(503, 'unavailable', 'try later')] * 3,
                         retries=2)
    with pytest.raises(ApinizerError) as info:
        client.get_jwk('k')
    assert len(client.session.calls) == 3
    assert client.slept == [0.5, 1.0]
    assert info.value.status == 503 and info.value.transient
    assert str(info.value) == 'GET /projects/demo/jwks/k/: HTTP 503 unavailable: try later'


def test_zero_retries_means_one_attempt():
    client = make_client(FakeResponse(503), retries=0)
    with pytest.raises(ApinizerError):
        client.list_jwks()
    assert len(client.session.calls) == 1 and client.slept == []
    assert client.retry_warning() is None


@pytest.mark.parametrize('headers, body_extra, expected', [
    ({'Retry-After': '2'}, {}, 2.0),
    ({'Retry-After': '120'}, {}, 30.0),
    ({}, {'retry_after': 5}, 5.0),
    ({}, {'retry_after': 3600}, 30.0),
    ({'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT'}, {}, 0.0),
    ({'Retry-After': 'soon'}, {}, 0.5),
])
def test_retry_after_is_honoured_and_capped(headers, body_extra, expected):
    body = {'error': 'rate_limit_exceeded', 'error_description': 'slow down'}
    body.update(body_extra)
    client = make_client(FakeResponse(429, body, headers=headers),
                         ok({'success': True, 'resultList': []}))
    client.list_jwks()
    assert client.sleeps == [expected]
    assert client.slept == ([expected] if expected > 0 else [])


@pytest.mark.parametrize('exc', [
    requests.exceptions.ConnectionError('Connection aborted. RemoteDisconnected'),
    requests.exceptions.ReadTimeout('read timed out'),
    requests.exceptions.ConnectTimeout('connect timed out'),
    requests.exceptions.ChunkedEncodingError('connection broken'),
])
def test_connection_errors_and_timeouts_are_retried(exc):
    client = make_client(exc, deployed())
    assert client.update_jwk('k', {'description': 'x'})[0]['success'] is True
    assert client.slept == [0.5]


def test_a_timeout_that_persists_is_reported_without_a_status():
    client = make_client(*[requests.exceptions.ReadTimeout('read timed out')] * 2,
                         retries=1, timeout=3)
    with pytest.raises(ApinizerError) as info:
        client.list_jwks()
    assert info.value.status is None and info.value.transient
    assert 'timed out after 3 s' in str(info.value)


def test_tls_errors_are_not_retried_and_point_at_ca_path():
    client = make_client(requests.exceptions.SSLError('certificate verify failed'))
    with pytest.raises(ApinizerError) as info:
        client.list_jwks()
    assert len(client.session.calls) == 1
    assert not info.value.transient
    assert 'ca_path' in str(info.value)


@pytest.mark.parametrize('status', [400, 403, 409, 500])
def test_non_transient_errors_are_not_retried(status):
    client = make_client(api_error(status, 'bad_request', 'nope'))
    with pytest.raises(ApinizerError) as info:
        client.update_jwk('k', {'description': 'x'})
    assert len(client.session.calls) == 1 and client.slept == []
    assert info.value.status == status and not info.value.transient
    assert client.retries_used == 0


# ---- POST and the landed() protocol ---------------------------------------------------------

def test_a_transient_post_failure_without_landed_is_raised_not_resent():
    client = make_client(FakeResponse(503))
    with pytest.raises(ApinizerError) as info:
        client.create_jwk({'name': 'n'})
    assert client.session.lines() == ['POST /apiops/projects/demo/jwks/']
    assert info.value.transient and client.slept == []


def test_a_post_that_landed_is_not_resent():
    checks = []
    client = make_client(requests.exceptions.ReadTimeout('read timed out'))
    result = client.generate_jwk({'name': 'n'}, landed=lambda: checks.append(1) or True)
    assert result == []
    assert checks == [1]
    assert client.session.lines() == ['POST /apiops/projects/demo/jwks/generate']


def test_a_post_that_did_not_land_is_resent_within_the_budget():
    client = make_client(FakeResponse(502), deployed())
    result = client.create_jwk({'name': 'n'}, landed=lambda: False)
    assert [e['environment'] for e in result] == ['production', 'staging']
    assert client.session.lines() == ['POST /apiops/projects/demo/jwks/'] * 2
    assert client.slept == [0.5]
    assert client.retries_used == 1


def test_landed_is_checked_even_when_the_budget_is_spent():
    calls = []

    def landed():
        calls.append(1)
        return len(calls) == 2

    client = make_client(FakeResponse(503), FakeResponse(503), retries=1)
    assert client.create_jwk({'name': 'n'}, landed=landed) == []
    assert len(client.session.calls) == 2 and len(calls) == 2


def test_post_raises_when_it_never_lands():
    client = make_client(*[FakeResponse(503)] * 3, retries=2)
    with pytest.raises(ApinizerError):
        client.create_jwk({'name': 'n'}, landed=lambda: False)
    assert len(client.session.calls) == 3


def test_a_resent_post_answering_already_exists_counts_as_landed():
    answers = iter([False, True])
    client = make_client(
        FakeResponse(504),
        api_error(400, 'bad_request', 'JWK (name: n) is already exist! Try update operation if want to change its value.'))
    assert client.create_jwk({'name': 'n'}, landed=lambda: next(answers)) == []
    assert len(client.session.calls) == 2


def test_a_first_post_answering_already_exists_is_an_error():
    client = make_client(api_error(400, 'bad_request', 'JWK (name: n) is already exist!'))
    with pytest.raises(ApinizerError):
        client.create_jwk({'name': 'n'}, landed=lambda: True)


def test_a_retried_delete_answering_not_found_landed_earlier():
    client = make_client(FakeResponse(503), api_error(400, 'bad_request', 'JWK (name: k) is not found!'))
    assert client.delete_jwk('k') == []
    assert len(client.session.calls) == 2


def test_a_first_delete_answering_not_found_is_an_error():
    client = make_client(api_error(400, 'bad_request', 'JWK (name: k) is not found!'))
    with pytest.raises(ApinizerError) as info:
        client.delete_jwk('k')
    assert info.value.is_missing('jwk', 'k')


# ---- not found ----------------------------------------------------------------------------------

def test_get_jwk_returns_none_for_the_documented_400_not_found():
    client = make_client(api_error(400, 'bad_request', 'JWK (name: k) is not found!'))
    assert client.get_jwk('k') is None


def test_get_jwk_returns_none_for_a_404_that_names_the_jwk():
    client = make_client(api_error(404, 'not_found', 'JWK (name: k) is not found!'))
    assert client.get_jwk('k') is None


def test_a_bare_404_is_an_error_not_missing():
    client = make_client(api_error(404, 'not_found', 'no such thing'))
    with pytest.raises(ApinizerError, match='HTTP 404 not_found: no such thing'):
        client.get_jwk('k')


def test_get_jwk_raises_for_an_unknown_project():
    client = make_client(api_error(
        404, 'not_found', 'Project(nope) was not found or user does not have privilege to access it!'))
    with pytest.raises(ApinizerError) as info:
        client.get_jwk('k', project='nope')
    assert info.value.is_project_not_found()


@pytest.mark.parametrize('status, description, kind, name, expected', [
    (400, 'JWK (name: x) is not found!', 'jwk', 'x', True),
    (400, 'JWK (name: x) is not found! Try create operation.', 'jwk', 'x', True),
    (404, 'JWK (name: x) is not found!', 'jwk', 'x', True),
    (400, 'JWK (name: project-x) is not found!', 'jwk', 'project-x', True),
    (400, 'Credential (username: u) was not found!', 'credential', 'u', True),
    (400, 'JWK (name: other) is not found!', 'jwk', 'x', False),
    (400, 'Credential (username: u) was not found!', 'jwk', 'u', False),
    (404, None, 'jwk', 'x', False),
    (400, 'JWK name can not be empty!', 'jwk', 'x', False),
    (500, 'JWK (name: x) is not found!', 'jwk', 'x', False),
    (401, 'user not found', 'jwk', 'x', False),
])
def test_is_missing_only_when_the_server_names_this_object(status, description, kind, name, expected):
    assert ApinizerError(status=status, error_description=description).is_missing(kind, name) is expected


def test_error_string_matches_the_documented_shape():
    client = make_client(api_error(400, 'bad_request', 'JWK (name: x) is not found! Try create operation.'))
    with pytest.raises(ApinizerError) as info:
        client.update_jwk('x', {'description': 'd'})
    e = info.value
    assert str(e) == 'PUT /projects/demo/jwks/x/: HTTP 400 bad_request: JWK (name: x) is not found! Try create operation.'
    assert (e.status, e.error, e.method, e.path) == (400, 'bad_request', 'PUT', '/projects/demo/jwks/x/')
    assert e.error_description == 'JWK (name: x) is not found! Try create operation.'


def test_validation_errors_are_kept_and_shown():
    client = make_client(api_error(400, 'validation_failed', 'Validation failed',
                         validation_errors=[{'field': 'name', 'message': 'must not be empty'}]))
    with pytest.raises(ApinizerError) as info:
        client.create_jwk({'name': ''})
    assert info.value.validation_errors == [{'field': 'name', 'message': 'must not be empty'}]
    assert 'name: must not be empty' in str(info.value)


def test_a_non_json_error_body_shows_a_masked_excerpt_and_keeps_no_text_to_infer_from():
    html = '<html><body>Bad gateway, upstream said Authorization: Bearer %s</body></html>' % TOKEN
    client = make_client(FakeResponse(502, text=html), retries=0)
    with pytest.raises(ApinizerError) as info:
        client.list_jwks()
    assert str(info.value) == ('GET /projects/demo/jwks/: HTTP 502: the error body is not a JSON object: '
                               '<html><body>Bad gateway, upstream said Authorization: Bearer ********</body></html>')
    assert info.value.error is None and info.value.error_description is None


def test_a_non_json_success_body_is_an_error():
    client = make_client(FakeResponse(200, text='<html>login page</html>'))
    with pytest.raises(ApinizerError, match='not JSON'):
        client.list_jwks()


# ---- secrets ---------------------------------------------------------------------------------------

def test_a_token_echoed_by_the_server_is_masked():
    client = make_client(api_error(403, 'forbidden', 'Token %s may not access project demo' % TOKEN,
                         validation_errors=[{'field': 'token', 'message': TOKEN}]))
    with pytest.raises(ApinizerError) as info:
        client.list_jwks()
    e = info.value
    assert TOKEN not in str(e)
    assert TOKEN not in repr(e.args) and TOKEN not in json.dumps(e.fail_kwargs())
    assert e.error_description == 'Token ******** may not access project demo'


def test_an_exchanged_token_echoed_by_the_server_is_masked():
    client = make_client(ok({'access_token': 'exchanged-tok-777'}),
                         api_error(403, 'forbidden', 'exchanged-tok-777 is read-only'),
                         token=None, username='admin', password=PASSWORD)
    with pytest.raises(ApinizerError) as info:
        client.list_jwks()
    assert 'exchanged-tok-777' not in str(info.value)


def test_request_bodies_never_reach_the_error_text():
    body = {'name': 'n', 'jwkStr': json.dumps({'kty': 'RSA', 'd': PRIVATE_D})}
    for answer in (api_error(400, 'bad_request', 'JWK type can not be empty!'),
                   requests.exceptions.ConnectionError('connection refused')):
        client = make_client(answer)
        with pytest.raises(ApinizerError) as info:
            client.create_jwk(body)
        assert PRIVATE_D not in str(info.value)
        assert PRIVATE_D not in json.dumps(info.value.fail_kwargs())


def test_a_connection_error_text_is_masked():
    client = make_client(requests.exceptions.ConnectionError('proxy rejected Bearer ' + TOKEN), retries=0)
    with pytest.raises(ApinizerError) as info:
        client.list_jwks()
    assert TOKEN not in str(info.value) and 'connection error' in str(info.value)


# ---- deployments ----------------------------------------------------------------------------------

def test_parse_deployment_full_success():
    body = deployed().json()
    assert parse_deployment(body) == [
        {'environment': 'production', 'success': True, 'message': 'ok', 'pods': []},
        {'environment': 'staging', 'success': True, 'message': 'ok', 'pods': []},
    ]
    assert deployment_failed(parse_deployment(body)) == []


def test_parse_deployment_partial_failure():
    client = make_client(deployed(('production', True, 'ok'), ('staging', False, 'gateway down')))
    deployment = client.update_jwk('k', {'description': 'd'})
    assert deployment_failed(deployment) == [
        {'environment': 'staging', 'success': False, 'message': 'gateway down', 'pods': []}]


def test_parse_deployment_failure_without_environments_is_still_a_failure():
    body = {'success': True, 'deploymentResult': {'success': False, 'message': 'no environment reachable',
                                                  'environmentResults': []}}
    assert deployment_failed(parse_deployment(body)) == [
        {'environment': None, 'success': False, 'message': 'no environment reachable', 'pods': []}]


@pytest.mark.parametrize('body', [None, {}, {'success': True}, 'text', {'deploymentResult': None}])
def test_parse_deployment_without_a_result(body):
    assert parse_deployment(body) == []


def test_a_retried_assignment_removal_answering_400_landed_earlier():
    client = make_client(
        requests.exceptions.ReadTimeout('read timed out'),
        api_error(400, 'bad_request', 'No JWK is assigned to credential (username: u) for validation!'))
    assert client.remove_credential_jwk('u', 'validation') == []
    assert len(client.session.calls) == 2


def test_a_retried_delete_in_an_unknown_project_is_still_an_error():
    client = make_client(FakeResponse(503), api_error(
        404, 'not_found', 'Project(nope) was not found or user does not have privilege to access it!'))
    with pytest.raises(ApinizerError) as info:
        client.delete_jwk('k', project='nope')
    assert info.value.is_project_not_found()


def test_connection_errors_show_the_reason_not_the_whole_url():
    # The shape requests raises for a refused connection: ConnectionError(MaxRetryError(reason)).
    reason = NewConnectionError(None, "HTTPConnection(host='127.0.0.1', port=1): Failed to establish "
                                      "a new connection: [Errno 111] Connection refused")
    refused = requests.exceptions.ConnectionError(
        MaxRetryError(None, '/apiops/projects/demo/jwks/', reason))
    client = make_client(refused, retries=0)
    with pytest.raises(ApinizerError) as info:
        client.list_jwks()
    text = str(info.value)
    assert text.startswith('GET /projects/demo/jwks/: connection error (ConnectionError): ')
    assert 'Max retries exceeded' not in text
    assert 'refused' in text.lower()


@pytest.mark.parametrize('status,description,expected', [
    (400, 'No JWK is assigned to credential (username: api-user) for validation!', True),
    (400, ' No JWK is assigned to credential (username: api-user) for validation! ', True),
    (400, 'no jwk is assigned', False),
    (400, 'No JWK is assigned to credential (username: api-user) for encryption!', False),
    (400, 'No JWK is assigned to credential (username: other) for validation!', False),
    (404, 'No JWK is assigned to credential (username: api-user) for validation!', False),
    (400, 'Credential (username: x) is not found!', False),
    (400, 'Project not found for name: (demo)', False),
    (400, 'User does not have required permission for this operation!', False),
    (400, None, False),
    (400, '', False),
    (400, 'Nothing to remove', False),
])
def test_is_nothing_assigned_only_from_the_text_that_says_so(status, description, expected):
    error = ApinizerError(status=status, error_description=description)
    assert error.is_nothing_assigned('api-user', 'validation') is expected


class _ReportingModule(object):
    """What warn_retries/fail_module use of an AnsibleModule."""

    def __init__(self):
        self.warnings = []
        self.failed = None

    def warn(self, text):
        self.warnings.append(text)

    def fail_json(self, **kwargs):
        self.failed = kwargs


class _RetriedClient(object):
    def __init__(self, retries_used):
        self.retries_used = retries_used
        self.lost_answers = []

    retry_warning = ApinizerClient.retry_warning
    lost_answer_warnings = ApinizerClient.lost_answer_warnings


@pytest.mark.parametrize('retries_used,expected', [
    (0, []), (1, ['1 transient failure was retried']), (3, ['3 transient failures were retried']),
])
def test_warn_retries(retries_used, expected):
    module = _ReportingModule()
    warn_retries(module, _RetriedClient(retries_used))
    assert module.warnings == expected


def test_fail_module_puts_the_failure_over_the_result_and_warns_retries():
    module = _ReportingModule()
    result = dict(changed=True, actions=['delete'])
    error = ApinizerError(status=503, error='unavailable', error_description='busy', method='POST', path='/projects/p/jwks/')
    fail_module(module, _RetriedClient(2), result, changed=False, **error.fail_kwargs('Creating JWK k'))
    assert module.warnings == ['2 transient failures were retried']
    assert module.failed == dict(changed=False, actions=['delete'], status=503, error='unavailable', error_description='busy',
                                 msg='Creating JWK k failed: POST /projects/p/jwks/: HTTP 503 unavailable: busy')
    assert result == dict(changed=True, actions=['delete'])


def test_fail_kwargs_without_doing_is_the_error_text():
    error = ApinizerError(status=404, error='not_found', error_description='gone', method='GET', path='/x/')
    assert error.fail_kwargs()['msg'] == 'GET /x/: HTTP 404 not_found: gone'
