# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""apinizer_jwk_info against a faked client: request budget, shape, and no private member."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils.client import ApinizerClient
from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_material import publishable
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_jwk_info as mod

# RFC 7638 section 3.1 example key; its thumbprint is given by the RFC.
RFC_N = ('0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_'
         'BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_'
         'FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4v'
         'MQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw')
RFC_THUMBPRINT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'

# Distinctive fake private values: if any of them shows up in the result, a secret leaked.
SECRETS = {
    'd': 'PRIVATE-RSA-D-VALUE', 'p': 'PRIVATE-RSA-P', 'q': 'PRIVATE-RSA-Q', 'dp': 'PRIVATE-RSA-DP',
    'dq': 'PRIVATE-RSA-DQ', 'qi': 'PRIVATE-RSA-QI',
}
EC_D = 'PRIVATE-EC-D-VALUE'
OCT_K = 'PRIVATE-OCT-K-VALUE'


def summary(name, type_, source='GENERATE', kid=None):
    return dict(id='id-%s' % name, name=name, description='%s key' % name, projectId='p1', sourceType=source,
                sourceId=None, sourceUrl=None, type=type_, kid=kid or name + '-kid')


API_JWKS = {
    'rsa-key': dict(summary('rsa-key', 'RSA', 'COPY_PASTE'),
                    rsa=dict(kty='RSA', n=RFC_N, e='AQAB', use='sig', alg='RS256', kid='rsa-key-kid', **SECRETS)),
    'ec-key': dict(summary('ec-key', 'EC'),
                   ec=dict(kty='EC', crv='P-256', x='f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
                           y='x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', d=EC_D, use='sig',
                           alg='ES256', kid='ec-key-kid')),
    'oct-key': dict(summary('oct-key', 'OCT'),
                    oct=dict(kty='oct', k=OCT_K, use='sig', alg='HS256', kid='oct-key-kid')),
}


class FakeClient(object):
    """Reads: list, export (the public-only JWK Set; ``export='missing'`` answers 404), get."""
    project = 'demo'

    def __init__(self, error=None, export='ok'):
        self.calls = []
        self.retries_used = 0
        self.error = error
        self.export = export

    def export_jwk(self, name, project=None):
        self.calls.append(('export', name))
        if self.export == 'missing':
            raise ApinizerError(status=404, method='GET', path='/x/export-file/')
        key = next(v for k, v in API_JWKS[name].items() if k in ('rsa', 'ec', 'oct', 'okp'))
        return {'keys': [dict((m, v) for m, v in key.items() if m not in list(SECRETS) + ['oth'])]}

    retry_warning = ApinizerClient.retry_warning  # the real wording, from the one client

    def list_jwks(self, project=None):
        self.calls.append(('list', project))
        if self.error:
            raise self.error
        return [dict((k, v) for k, v in j.items() if k not in ('rsa', 'ec', 'oct', 'okp'))
                for j in API_JWKS.values()]

    def get_jwk(self, name, project=None):
        self.calls.append(('get', name))
        if self.error:
            raise self.error
        return json.loads(json.dumps(API_JWKS[name])) if name in API_JWKS else None


@pytest.fixture
def run(run_module, connection_args):
    def _run(client, check_mode=False, **options):
        return run_module(mod, connection_args(**options), client, check_mode=check_mode)

    return _run


def assert_no_secret(text):
    for value in list(SECRETS.values()) + [EC_D, OCT_K]:
        assert value not in text


def test_list_is_one_request_with_metadata_only(run):
    client = FakeClient()
    failed, result, out = run(client)
    assert not failed and result['changed'] is False
    assert client.calls == [('list', None)]
    assert result['jwks'] == [
        dict(id='id-rsa-key', name='rsa-key', description='rsa-key key', source_type='jwk', key_type='RSA',
             kid='rsa-key-kid'),
        dict(id='id-ec-key', name='ec-key', description='ec-key key', source_type='generate', key_type='EC',
             kid='ec-key-kid'),
        dict(id='id-oct-key', name='oct-key', description='oct-key key', source_type='generate', key_type='OCT',
             kid='oct-key-kid'),
    ]
    assert result['missing'] == []
    assert 'jwk_set' not in result


def test_names_describe_each_and_publish_public_keys(run):
    client = FakeClient()
    failed, result, out = run(client, names=['rsa-key', 'nope', 'ec-key', 'rsa-key', 'oct-key'])
    assert not failed and result['changed'] is False
    # The list, then the public key of each distinct name that exists, in the order given (the
    # symmetric key has no public form: Get JWK).
    assert client.calls == [('list', None), ('export', 'rsa-key'), ('export', 'ec-key'), ('get', 'oct-key')]
    assert result['jwks'][0]['id'] == 'id-rsa-key'
    assert [j['name'] for j in result['jwks']] == ['rsa-key', 'ec-key', 'oct-key']
    assert result['missing'] == ['nope']

    rsa = result['jwks'][0]
    assert rsa['thumbprint'] == RFC_THUMBPRINT
    assert rsa['public_jwk'] == dict(kty='RSA', n=RFC_N, e='AQAB', kid='rsa-key-kid', use='sig', alg='RS256')
    assert rsa['source_type'] == 'jwk' and rsa['key_size'] == 2048

    # oct keys have no public part: described, but never published.
    assert [k['kid'] for k in result['jwk_set']['keys']] == ['rsa-key-kid', 'ec-key-kid']
    assert result['jwks'][2]['key_type'] == 'OCT' and 'k' not in result['jwks'][2]['public_jwk']
    assert_no_secret(out)


def test_single_name(run):
    client = FakeClient()
    failed, result, out = run(client, name='ec-key')
    assert client.calls == [('list', None), ('export', 'ec-key')]
    assert result['jwks'][0]['curve'] == 'P-256'
    assert result['jwk_set'] == {'keys': [result['jwks'][0]['public_jwk']]}
    assert 'd' not in result['jwk_set']['keys'][0]
    assert_no_secret(out)


def test_only_missing_names_is_not_a_failure(run):
    client = FakeClient()
    failed, result, out = run(client, names=['a', 'b'])
    assert not failed
    assert result['jwks'] == [] and result['missing'] == ['a', 'b']
    assert result['jwk_set'] == {'keys': []}


def test_name_and_names_are_mutually_exclusive(run):
    client = FakeClient()
    failed, result, out = run(client, name='a', names=['b'])
    assert failed and client.calls == []
    assert 'mutually exclusive' in result['msg']


def test_check_mode_reads_the_same(run):
    client = FakeClient()
    failed, result, out = run(client, check_mode=True, names=['rsa-key'])
    assert not failed and result['changed'] is False
    assert result['jwks'][0]['thumbprint'] == RFC_THUMBPRINT


def test_api_error_fails_with_the_server_text(run):
    client = FakeClient(error=ApinizerError(
        status=404, error='not_found', method='GET', path='/projects/demo/jwks/',
        error_description='Project(demo) was not found or user does not have privilege to access it!'))
    failed, result, out = run(client)
    assert failed and result['changed'] is False
    assert 'Project(demo) was not found' in result['msg']


def test_retries_warn(run):
    client = FakeClient()
    client.retries_used = 1
    failed, result, out = run(client)
    assert '1 transient failure was retried' in out


def test_publishable_drops_oct_and_private_members():
    assert publishable({'kty': 'oct', 'kid': 'x'}) is None
    assert publishable(None) is None
    assert publishable({'kty': 'EC', 'x': '1', 'y': '2', 'crv': 'P-256', 'd': 's'}) == \
        {'kty': 'EC', 'x': '1', 'y': '2', 'crv': 'P-256'}


class MaskingClient(FakeClient):
    mask = ApinizerClient.mask

    def secrets(self, extra=()):
        return ['the-token']


def test_duplicate_kids_in_jwk_set_warn_naming_kid_and_jwks(run, monkeypatch):
    # two keys of different types under one kid: PyJWT and joserfc may pick the wrong one
    ec = json.loads(json.dumps(API_JWKS['ec-key']))
    ec['ec']['kid'] = 'rsa-key-kid'
    monkeypatch.setitem(API_JWKS, 'ec-twin', dict(ec, name='ec-twin', kid='rsa-key-kid'))
    failed, result, out = run(MaskingClient(), names=['rsa-key', 'ec-twin', 'oct-key'])
    assert not failed
    assert [k['kid'] for k in result['jwk_set']['keys']] == ['rsa-key-kid', 'rsa-key-kid']
    warnings = [w['event']['msg'] if isinstance(w, dict) else w for w in result['warnings']]
    assert warnings == [
        "jwk_set carries kid 'rsa-key-kid' 2 times (JWKs: rsa-key, ec-twin): a verifier that selects keys by kid "
        "may pick the wrong one; give each JWK a unique kid before publishing this set"]


def test_unique_kids_and_oct_keys_give_no_warning(run, monkeypatch):
    # an oct key never goes into jwk_set, so its kid cannot clash there
    monkeypatch.setitem(API_JWKS, 'oct-twin', dict(API_JWKS['oct-key'], name='oct-twin'))
    failed, result, out = run(MaskingClient(), names=['rsa-key', 'ec-key', 'oct-key', 'oct-twin'])
    assert not failed and 'warnings' not in result


def test_without_the_export_endpoint_get_jwk_is_read_and_its_private_members_never_returned(run):
    client = FakeClient(export='missing')
    failed, result, out = run(client, names=['rsa-key', 'ec-key'])
    assert not failed
    # export-file is asked once; its 404 means Get JWK for the rest of the run
    assert client.calls == [('list', None), ('export', 'rsa-key'), ('get', 'rsa-key'), ('get', 'ec-key')]
    assert result['jwks'][0]['thumbprint'] == RFC_THUMBPRINT and result['jwks'][1]['curve'] == 'P-256'
    assert_no_secret(out)
