# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A server error that repeats the request verbatim: nothing secret the client sent may come back out."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import io
import json

import pytest

try:
    from urllib.parse import urlencode
except ImportError:  # pragma: no cover
    from urllib import urlencode

from ansible_collections.apinizer.apiops.plugins.module_utils.client import ApinizerClient
from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError
from ansible_collections.apinizer.apiops.plugins.module_utils.masking import MASK, request_secrets

BASE = 'https://mgr.example.com'
TOKEN = 'tok-echo-3f9a1c7e5b'
PASSWORD = 'pw "S3cret"&value=1'
D = 'jb2Nq0f7mmr1oXRdSb8b4IJD_lfCe0dUVLsUe23QjIk'
K = 'GawgguFyGrWKav7AX4VKUg'
PEM = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n'


class EchoSession(object):
    """Answers every request with HTTP 500 whose body repeats the request, like the emulator's echo fault."""

    def __init__(self, token_answer=None):
        self.token_answer = token_answer
        self.calls = []

    def request(self, method, url, **kwargs):
        self.calls.append((method, url))
        if self.token_answer is not None and url.endswith('/auth/token'):
            answer, self.token_answer = self.token_answer, None
            return answer
        if 'json' in kwargs:
            raw = json.dumps(kwargs['json'])
        elif 'data' in kwargs:
            raw = urlencode(kwargs['data'])
        else:
            raw = ''
        headers = dict(kwargs.get('headers') or {})
        text = '%s %s headers %s body %s' % (method, url, '; '.join('%s: %s' % kv for kv in headers.items()), raw)
        body = {'error': 'internal_error', 'error_description': text,
                'validation_errors': [{'field': 'body', 'message': raw},
                                      {'field': 'nested', 'message': {'headers': headers, 'raw': [raw]}}]
                + [{'field': 'header ' + k, 'message': v} for k, v in headers.items()],
                'request': {'method': method, 'headers': headers, 'body': raw}}
        return Response(500, body)


class Response(object):
    def __init__(self, status, body):
        self.status_code = status
        self.headers = {}
        self.reason = 'Internal Server Error'
        self.content = json.dumps(body).encode('utf-8')
        self.raw = io.BytesIO(self.content)
        self.raw.read1 = lambda amt, decode_content=True, raw=self.raw: io.BytesIO.read1(raw, amt)

    def close(self):
        pass

    def json(self):
        return json.loads(self.content.decode('utf-8'))


def _client(session, **kwargs):
    kwargs.setdefault('token', TOKEN)
    client = ApinizerClient(BASE, sleep=lambda s: None, session=session, retries=0, **kwargs)
    client.project = 'demo'
    return client


def _everything(err):
    """All a module could print: the message, fail_json's arguments, the exception's repr."""
    return '%s\n%s\n%r' % (err, json.dumps(err.fail_kwargs()), err.args)


@pytest.mark.parametrize('body', [
    {'name': 'n', 'sourceType': 'COPY_PASTE', 'jwk': {'kty': 'EC', 'crv': 'P-256', 'x': 'xx', 'y': 'yy', 'd': D}},
    {'name': 'n', 'jwkStr': json.dumps({'kty': 'EC', 'd': D, 'oth': [{'r': K, 'd': K, 't': K}]})},
    {'name': 'n', 'jwk': {'kty': 'oct', 'k': K}, 'note': D[:3]},
    {'name': 'n', 'privateKey': PEM, 'keystorePassword': 'ks-pass-123456'},
])
def test_key_material_of_the_request_never_comes_back(body):
    with pytest.raises(ApinizerError) as info:
        _client(EchoSession()).create_jwk(body)
    out = _everything(info.value)
    for secret in (D, K, TOKEN, 'ks-pass-123456', 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg'):
        assert secret not in out
    assert MASK in out and 'HTTP 500' in out
    # The request member is not passed on; the public name still is (the message stays useful).
    assert 'request' not in info.value.fail_kwargs()
    assert '"name": "n"' in info.value.error_description


def test_the_password_echoed_from_the_token_form_is_masked_in_every_encoding():
    with pytest.raises(ApinizerError) as info:
        _client(EchoSession(), token=None, username='admin', password=PASSWORD).list_jwks()
    out = _everything(info.value)
    assert PASSWORD not in out
    assert urlencode({'s': PASSWORD})[2:] not in out           # as the form carried it
    assert json.dumps(PASSWORD)[1:-1] not in out              # as a JSON echo would carry it
    assert 'client_id=admin' in out                             # not a secret


def test_an_exchanged_token_echoed_in_the_authorization_header_is_masked():
    token_answer = Response(200, {'access_token': 'exchanged-tok-echo-777'})
    with pytest.raises(ApinizerError) as info:
        _client(EchoSession(token_answer), token=None, username='admin', password=PASSWORD).list_jwks()
    out = _everything(info.value)
    assert 'exchanged-tok-echo-777' not in out and 'Bearer ' + MASK in out


def test_a_pem_private_key_is_masked_even_when_the_client_did_not_send_it():
    client = _client(None)
    assert client.mask('server said: ' + PEM) == 'server said: %s\n' % MASK


def test_request_secrets_ignores_public_members_and_short_values():
    found = request_secrets({'name': 'my-key', 'jwk': {'kty': 'EC', 'x': 'public-x-value', 'd': 'ab'}})
    assert found == frozenset()
    found = request_secrets(None, {'client_id': 'admin', 'client_secret': 'a b&c=d'})
    assert {'a b&c=d', 'a+b%26c%3Dd', 'a%20b%26c%3Dd'} <= found and 'admin' not in found
