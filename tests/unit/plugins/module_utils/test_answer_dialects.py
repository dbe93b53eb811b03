# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Both answer dialects (docs/api-contract.md): the current reference's ``status``/``resultMessage``
and the older ``error``/``error_description``; the three deployment shapes; every inference the
client draws from an error (missing, already exists, nothing assigned, a lost write that landed)
holds only for the allow-listed texts, never for a permission refusal, an unreadable or an empty body.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
import requests

from ansible_collections.apinizer.apiops.plugins.module_utils.deployment import deployment_failed, parse_deployment
from ansible_collections.apinizer.apiops.plugins.module_utils.errors import (
    PROJECT_NOT_FOUND_TEXTS,
    ApinizerError,
    UnexpectedAnswer,
)

from ansible_collections.apinizer.apiops.tests.unit.plugins.module_utils.test_client import FakeResponse, make_client, ok

PERMISSION = 'User does not have required permission for this operation!'


def current_error(status, text):
    return FakeResponse(status, {'status': 'FAILURE', 'resultMessage': text})


def legacy_error(status, text):
    return FakeResponse(status, {'error': 'bad_request', 'error_description': text})


DIALECTS = [current_error, legacy_error]


# The answers that must never be read as a conclusion: a permission refusal (current reference,
# 400), a body that is not JSON, an empty body.
def permission_400(unused_text):
    return current_error(400, PERMISSION)


def unreadable_400(unused_text):
    return FakeResponse(400, text='<html>400 Bad Request</html>')


def empty_400(unused_text):
    return FakeResponse(400)


NOT_A_CONCLUSION = [permission_400, unreadable_400, empty_400]


# ---- the server's text, either dialect ------------------------------------------------------------

@pytest.mark.parametrize('answer', DIALECTS)
def test_the_server_text_is_shown_in_either_dialect(answer):
    client = make_client(answer(400, 'JWK name can not be empty!'))
    with pytest.raises(ApinizerError) as info:
        client.update_jwk('k', {'description': 'd'})
    assert info.value.error_description == 'JWK name can not be empty!'
    assert str(info.value).startswith('PUT /projects/demo/jwks/k/: HTTP 400')
    assert str(info.value).endswith(': JWK name can not be empty!')


@pytest.mark.parametrize('text', ['Token is not valid!', 'Token was expired!',
                                  'Empty Key! Client must be authenticated to access this resource.'])
def test_the_current_401_texts_are_shown_with_the_token_hint(text):
    client = make_client(current_error(401, text))
    with pytest.raises(ApinizerError) as info:
        client.list_jwks()
    assert str(info.value) == ('GET /projects/demo/jwks/: HTTP 401: %s - check apinizer_token (APINIZER_TOKEN): '
                               'the token is invalid or expired' % text)


def test_a_permission_refusal_says_so():
    client = make_client(current_error(400, PERMISSION))
    with pytest.raises(ApinizerError) as info:
        client.delete_jwk('k')
    assert PERMISSION in str(info.value) and 'lacks a permission' in str(info.value)
    assert info.value.is_permission_refused() and not info.value.is_missing('jwk', 'k')


@pytest.mark.parametrize('pattern, source', PROJECT_NOT_FOUND_TEXTS)
@pytest.mark.parametrize('status', [400, 404])
def test_every_documented_project_not_found_spelling_is_recognised_and_never_missing(pattern, source, status):
    # The pattern's project group filled in the way the page shows it.
    text = (pattern.replace('\\(', '(').replace('\\)', ')').replace('(?P<project>.*)', 'demo')
            .replace('( or user has not privilege to access it!)?', ' or user has not privilege to access it!'))
    error = ApinizerError(status=status, error_description=text)
    assert error.is_project_not_found(), (text, source)
    assert not error.is_missing('jwk', 'demo') and not error.is_nothing_assigned('demo', 'validation')
    client = make_client(current_error(status, text))
    with pytest.raises(ApinizerError) as info:
        client.get_jwk('k')   # never "missing"
    assert 'check project (APINIZER_PROJECT)' in str(info.value)


def test_seven_project_not_found_spellings_each_with_its_source():
    assert len(PROJECT_NOT_FOUND_TEXTS) == 7
    assert all(source for unused, source in PROJECT_NOT_FOUND_TEXTS)


# ---- the envelope of a 2xx ------------------------------------------------------------------------

@pytest.mark.parametrize('call', [
    lambda c: c.list_jwks(),
    lambda c: c.delete_jwk('k'),
    lambda c: c.remove_credential_jwk('u', 'validation'),
])
def test_status_failure_in_a_2xx_is_a_failure_never_a_success(call):
    client = make_client(ok({'status': 'FAILURE', 'resultMessage': PERMISSION}))
    with pytest.raises(UnexpectedAnswer) as info:
        call(client)
    assert 'with status "FAILURE": %s' % PERMISSION in str(info.value)
    assert not info.value.is_missing('jwk', 'k') and not info.value.is_nothing_assigned('u', 'validation')


@pytest.mark.parametrize('body', [
    {'status': 'SUCCESS', 'resultList': [{'name': 'a', 'id': 'i1'}], 'resultCount': 1},
    {'success': True, 'resultList': [{'name': 'a', 'id': 'i1'}]},
    {'status': 'SUCCESS', 'resultList': [{'name': 'a', 'id': 'i1'}]},
])
def test_a_list_reads_in_either_envelope(body):
    assert make_client(ok(body)).list_jwks() == [{'name': 'a', 'id': 'i1'}]


# ---- inferences: only a text that says so --------------------------------------------------------

@pytest.mark.parametrize('answer', DIALECTS)
def test_a_missing_jwk_is_none_in_either_dialect(answer):
    client = make_client(answer(400, 'JWK (name: k) is not found!'))
    assert client.get_jwk('k') is None


@pytest.mark.parametrize('answer', NOT_A_CONCLUSION + [
    lambda t: current_error(400, 'JWK (name: other) is not found!'),
    lambda t: current_error(400, 'Project (demo) is not found!'),
])
def test_missing_is_never_inferred_from_another_answer(answer):
    client = make_client(answer(None))
    with pytest.raises(ApinizerError):
        client.get_jwk('k')


@pytest.mark.parametrize('answer', DIALECTS)
def test_a_retried_delete_answering_not_found_landed(answer):
    client = make_client(FakeResponse(503), answer(400, 'JWK (name: k) is not found!'))
    assert client.delete_jwk('k') == []


@pytest.mark.parametrize('answer', NOT_A_CONCLUSION)
def test_a_retried_delete_did_not_land_on_any_other_answer(answer):
    client = make_client(FakeResponse(503), answer(None))
    with pytest.raises(ApinizerError) as info:
        client.delete_jwk('k')
    assert info.value.status == 400


@pytest.mark.parametrize('answer', DIALECTS)
def test_a_retried_removal_answering_nothing_assigned_landed(answer):
    client = make_client(requests.exceptions.ReadTimeout('read timed out'),
                         answer(400, 'No JWK is assigned to credential (username: u) for validation!'))
    assert client.remove_credential_jwk('u', 'validation') == []


@pytest.mark.parametrize('answer', NOT_A_CONCLUSION + [
    lambda t: current_error(400, 'No JWK is assigned to credential (username: u) for encryption!'),
])
def test_a_removal_is_never_nothing_assigned_on_any_other_answer(answer):
    for first in ([], [requests.exceptions.ReadTimeout('read timed out')]):
        client = make_client(*(first + [answer(None)]))
        with pytest.raises(ApinizerError) as info:
            client.remove_credential_jwk('u', 'validation')
        assert not info.value.is_nothing_assigned('u', 'validation')


@pytest.mark.parametrize('answer', DIALECTS)
def test_a_resent_create_answering_already_exists_landed_when_the_read_confirms(answer):
    reads = []
    client = make_client(FakeResponse(503), answer(400, 'JWK (name: k) is already exist! Try update operation '
                                                        'if want to change its value.'))
    assert client.create_jwk({'name': 'k'}, landed=lambda: reads.append(1) or len(reads) > 1) == []
    assert reads == [1, 1]   # not landed after the 503 (re-sent), then confirmed after "already exist"


@pytest.mark.parametrize('answer', NOT_A_CONCLUSION + [
    lambda t: current_error(400, 'JWK (name: other) is already exist!'),
])
def test_a_resent_create_never_landed_on_any_other_answer(answer):
    client = make_client(FakeResponse(503), answer(None))
    with pytest.raises(ApinizerError):
        client.create_jwk({'name': 'k'}, landed=lambda: False)


# ---- deployments: three documented shapes, per pod --------------------------------------------------

def pods(*entries):
    return [{'envName': env, 'podName': pod, 'podIp': '10.0.0.%d' % i, 'success': ok_, 'detail': detail,
             'responseTime': 12} for i, (env, pod, ok_, detail) in enumerate(entries)]


def test_per_pod_deployment_one_failed_pod_fails_its_environment_under_an_overall_success():
    body = {'status': 'SUCCESS', 'deploymentResult': {'success': True, 'responseTime': 40, 'detail': 'done',
                                                      'detailList': pods(('production', 'gw-0', True, 'ok'),
                                                                         ('production', 'gw-1', True, 'ok'),
                                                                         ('staging', 'gw-0', True, 'ok'),
                                                                         ('staging', 'gw-1', False, 'timeout'))}}
    report = parse_deployment(body)
    assert [(e['environment'], e['success']) for e in report] == [('production', True), ('staging', False)]
    assert deployment_failed(report)[0]['message'] == 'gw-1 (10.0.0.3): timeout'
    assert [p['name'] for p in report[1]['pods']] == ['gw-0', 'gw-1']


def test_per_pod_deployment_nested_detail_lists_are_read_to_the_pods():
    body = {'deploymentResult': {'success': False, 'detailList': [
        {'envName': 'production', 'success': False, 'detailList': pods(('production', 'gw-0', False, 'down'))}]}}
    assert deployment_failed(parse_deployment(body))[0]['environment'] == 'production'


@pytest.mark.parametrize('key', ['environmentResults', 'deploymentResults'])
def test_environment_shapes(key):
    body = {'success': True, 'deploymentResult': {'success': False, key: [
        {'environmentName': 'production', 'success': True, 'message': 'ok'},
        {'environmentName': 'staging', 'success': False, 'message': 'down'}]}}
    assert [(e['environment'], e['message']) for e in deployment_failed(parse_deployment(body))] == [('staging', 'down')]


@pytest.mark.parametrize('value', [None, 'true', 1])
def test_a_success_that_is_not_true_is_a_failure(value):
    env = {'environmentName': 'production', 'message': 'ok'}
    if value is not None:
        env['success'] = value
    body = {'deploymentResult': {'success': True, 'environmentResults': [env]}}
    assert deployment_failed(parse_deployment(body))[0]['environment'] == 'production'


def test_an_overall_failure_naming_no_environment_is_still_a_failure():
    body = {'deploymentResult': {'success': False, 'detail': 'no gateway reachable', 'detailList': []}}
    assert deployment_failed(parse_deployment(body)) == [
        {'environment': None, 'success': False, 'message': 'no gateway reachable', 'pods': []}]


# ---- public-only export ------------------------------------------------------------------------------

PUBLIC = {'kty': 'EC', 'crv': 'P-256', 'x': 'xxxxxxxxxxxxxxxx', 'y': 'yyyyyyyyyyyyyyyy', 'kid': 'k', 'use': 'sig',
          'alg': 'ES256'}


def test_export_reads_a_public_jwk_set():
    client = make_client(ok({'keys': [PUBLIC]}))
    assert client.export_jwk('k') == {'keys': [PUBLIC]}
    assert client.session.lines() == ['GET /apiops/projects/demo/jwks/k/export-file/?publicOnly=true']


def test_export_refuses_private_members_and_masks_them_later():
    secret = 'ddddddddddddddddddddddddddddddddd'
    client = make_client(ok({'keys': [dict(PUBLIC, d=secret)]}), current_error(400, 'bad key %s' % secret))
    with pytest.raises(UnexpectedAnswer) as info:
        client.export_jwk('k')
    assert 'keys[0].d' in str(info.value) and secret not in str(info.value)
    with pytest.raises(ApinizerError) as info:
        client.get_jwk('k')
    assert secret not in str(info.value)


@pytest.mark.parametrize('body', [{}, {'keys': {}}, {'keys': [{'crv': 'P-256'}]}, {'keys': ['k']}])
def test_export_refuses_what_is_not_a_jwk_set(body):
    with pytest.raises(UnexpectedAnswer):
        make_client(ok(body)).export_jwk('k')


@pytest.mark.parametrize('body, dialect', [
    ({'status': 'SUCCESS', 'resultList': [], 'resultCount': 0}, 'current'),
    ({'success': True, 'resultList': []}, 'legacy'),
])
def test_the_list_answer_tells_the_dialect(body, dialect):
    client = make_client(ok(body))
    client.list_jwks()
    assert client.list_dialect == dialect


# ---- issue 24: what the client does with what it read ------------------------------------------------

def test_private_members_read_by_get_jwk_are_masked_in_every_later_answer():
    d = 'PRIVATE-d-value-0123456789abcdef'
    jwk = {'name': 'k', 'type': 'EC', 'ec': dict(PUBLIC, d=d)}
    client = make_client(ok({'success': True, 'resultList': [jwk]}), current_error(400, 'cannot store %s' % d))
    assert client.get_jwk('k')['ec']['d'] == d   # the module gets it (return_private_key)
    with pytest.raises(ApinizerError) as info:
        client.delete_jwk('k')
    assert d not in str(info.value) and 'cannot store' in str(info.value)


def test_every_request_keeps_netrc_out():
    from ansible_collections.apinizer.apiops.plugins.module_utils.connection import no_netrc
    client = make_client(ok({'success': True, 'resultList': []}))
    client.list_jwks()
    assert client.session.calls[0]['auth'] is no_netrc


@pytest.mark.parametrize('status', [200, 400])
def test_json_nested_too_deeply_fails_naming_the_request(status):
    client = make_client(FakeResponse(status, text='[' * 100000 + ']' * 100000), retries=0)
    with pytest.raises(ApinizerError) as info:
        client.list_jwks()
    assert str(info.value).startswith('unexpected answer from GET /projects/demo/jwks/') or \
        str(info.value).startswith('GET /projects/demo/jwks/: HTTP 400')


def test_an_exchanged_token_an_http_header_cannot_carry_fails_clearly():
    client = make_client(ok({'access_token': 'XyZq\u201cAbc', 'token_type': 'Bearer'}), token=None,
                         username='u', password='pw-unit-test')
    with pytest.raises(ApinizerError) as info:
        client.list_jwks()
    assert str(info.value) == ('POST /auth/token: the token endpoint answered an access_token that holds a character '
                               'an HTTP header cannot carry (U+201C at position 4); it cannot be sent back')
    assert len(client.session.calls) == 1   # nothing was sent with it


def test_a_deployed_environment_carries_what_its_pods_said():
    body = {'deploymentResult': {'success': True, 'detailList': pods(('production', 'gw-0', True, 'Deployed k'),
                                                                     ('production', 'gw-1', True, 'Deployed k'))}}
    assert parse_deployment(body)[0]['message'] == 'Deployed k'
