# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""URL sources are really fetched, with the timeouts and the size limit enforced."""

import json
import socket
import time

import pytest

from contract_helpers import error_of

CREATE = '/projects/demo/jwks/'


@pytest.fixture
def jwk_set(api):
    keys = []
    for i in (1, 2):
        assert api.post('/projects/demo/jwks/generate', json={
            'name': 'g%d' % i, 'type': 'EC', 'kid': 'kid-%d' % i, 'ec': {'curveType': 'P256'}}).status_code == 200
        full = api.jwk('g%d' % i)['ec']
        keys.append({k: full[k] for k in ('kty', 'crv', 'x', 'y', 'kid')})
    return {'keys': keys}


def url_body(url, **extra):
    return dict({'name': 'u', 'sourceType': 'URL', 'url': url}, **extra)


def test_url_source_fetches_and_selects_by_kid(api, jwk_set):
    url = api.emulator.serve_static('set.json', jwk_set, content_type='application/jwk-set+json')
    r = api.post(CREATE, json=url_body(url, kid='kid-2', description='from url'))
    assert r.status_code == 200, r.text
    jwk = api.jwk('u')
    assert jwk['sourceType'] == 'URL' and jwk['sourceUrl'] == url and jwk['sourceId'] is None
    assert jwk['ec']['x'] == jwk_set['keys'][1]['x'] and jwk['kid'] == 'kid-2'


def test_url_source_set_needs_kid(api, jwk_set):
    url = api.emulator.serve_static('set.json', jwk_set)
    assert 'kid is required' in error_of(api.post(CREATE, json=url_body(url)))[1]
    assert error_of(api.post(CREATE, json=url_body(url, kid='x')))[1] == 'JWK (kid: x) is not found in the JWK Set!'


def test_static_document_through_the_http_hook(api, jwk_set):
    r = api.hook('POST', 'static', json={'name': 'h.json', 'body': json.dumps(jwk_set['keys'][0])})
    assert r.status_code == 200
    url = r.json()['url']
    assert url == api.emulator.url + '/__emulator__/static/h.json'
    assert api.hook('GET', 'static/h.json').json()['x'] == jwk_set['keys'][0]['x']
    assert api.post(CREATE, json=url_body(url)).status_code == 200


def test_size_limit(api, jwk_set):
    url = api.emulator.serve_static('set.json', jwk_set)
    text = error_of(api.post(CREATE, json=url_body(url, kid='kid-1', urlOptionSizeLimit=100)))[1]
    assert text == 'Could not read JWK from URL (url: %s): response exceeds the size limit of 100 bytes' % url
    assert 'u' not in api.jwks()


def test_read_timeout(api, jwk_set):
    url = api.emulator.serve_static('slow.json', jwk_set['keys'][0], delay=1.0)
    start = time.monotonic()
    text = error_of(api.post(CREATE, json=url_body(url, urlOptionReadTimeout=200)))[1]
    assert time.monotonic() - start < 0.9
    assert text.endswith('read timed out after 200 ms')


def test_read_timeout_large_enough_succeeds(api, jwk_set):
    url = api.emulator.serve_static('slow.json', jwk_set['keys'][0], delay=0.3)
    assert api.post(CREATE, json=url_body(url, urlOptionReadTimeout=3000)).status_code == 200


def test_http_error_status(api):
    url = api.emulator.url + '/__emulator__/static/missing.json'
    assert error_of(api.post(CREATE, json=url_body(url)))[1].endswith('HTTP 404')


def test_connection_refused(api):
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    text = error_of(api.post(CREATE, json=url_body('http://127.0.0.1:%d/jwks.json' % port,
                                                   urlOptionConnectTimeout=500)))[1]
    assert text.startswith('Could not read JWK from URL (url: http://127.0.0.1:%d/jwks.json): ' % port)


def test_served_document_must_be_a_jwk(api):
    url = api.emulator.serve_static('bad.json', '<html>', content_type='text/html')
    assert error_of(api.post(CREATE, json=url_body(url)))[1] == 'JWK string is not valid JSON!'


@pytest.mark.parametrize('extra,word', [({'url': 'ftp://x/y'}, 'not an http or https URL'),
                                        ({'urlOptionSizeLimit': 0}, 'urlOptionSizeLimit'),
                                        ({'urlOptionReadTimeout': 'slow'}, 'urlOptionReadTimeout')])
def test_url_option_validation(api, extra, word):
    err, text = error_of(api.post(CREATE, json=dict(url_body('http://127.0.0.1:1/x'), **extra)))
    assert err == 'validation_failed' and word in text
