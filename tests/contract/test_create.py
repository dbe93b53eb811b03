# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""POST /projects/{p}/jwks/ and the parse-from-* helpers: every source, the JOSE vocabulary, every error."""

import base64
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from contract_helpers import error_of

CREATE = '/projects/demo/jwks/'
PROD = {'environmentName': 'production'}


def b64i(s):
    return int.from_bytes(base64.urlsafe_b64decode(s + '=' * (-len(s) % 4)), 'big')


def create(api, body, path=CREATE):
    return api.post(path, json=body)


def created(api, body, path=CREATE):
    r = create(api, body, path)
    assert r.status_code == 200, r.text
    assert r.json()['deploymentResult']['success'] is True
    return api.jwk(body['name'])


@pytest.fixture
def ec_jwk(api):
    assert api.post('/projects/demo/jwks/generate', json={
        'name': 'src', 'type': 'EC', 'kid': 'k1', 'ec': {'curveType': 'P256'}}).status_code == 200
    jwk = api.jwk('src')['ec']
    assert api.delete('/projects/demo/jwks/src/').status_code == 200
    return jwk


def seed_material(api):
    return api.emulator.state()['projects']['demo']


# ----------------------------------------------------------------- COPY_PASTE

def test_copy_paste_single_jwk(api, ec_jwk):
    jwk = created(api, {'name': 'p', 'description': 'pasted', 'sourceType': 'COPY_PASTE',
                        'jwkStr': json.dumps(ec_jwk)})
    assert jwk['sourceType'] == 'COPY_PASTE' and jwk['description'] == 'pasted' and jwk['kid'] == 'k1'
    assert jwk['ec']['x'] == ec_jwk['x'] and jwk['ec']['d'] == ec_jwk['d']
    assert jwk['sourceId'] is None and jwk['sourceUrl'] is None


def test_copy_paste_jwk_set_needs_kid_when_several(api, ec_jwk):
    other = dict(ec_jwk, kid='k2')
    jwks = json.dumps({'keys': [ec_jwk, other]})
    assert error_of(create(api, {'name': 'p', 'sourceType': 'COPY_PASTE', 'jwkStr': jwks}))[1] == (
        'JWK Set contains 2 keys: kid is required to choose one!')
    assert error_of(create(api, {'name': 'p', 'sourceType': 'COPY_PASTE', 'jwkStr': jwks, 'kid': 'zz'}))[1] == (
        'JWK (kid: zz) is not found in the JWK Set!')
    assert created(api, {'name': 'p', 'sourceType': 'COPY_PASTE', 'jwkStr': jwks, 'kid': 'k2'})['kid'] == 'k2'


def test_copy_paste_set_with_one_key_needs_no_kid(api, ec_jwk):
    assert created(api, {'name': 'p', 'sourceType': 'COPY_PASTE', 'jwkStr': json.dumps({'keys': [ec_jwk]})})


@pytest.mark.report_use_alg
def test_copy_paste_applies_use_and_algorithm(api, ec_jwk):
    public = {k: ec_jwk[k] for k in ('kty', 'crv', 'x', 'y')}
    jwk = created(api, {'name': 'p', 'sourceType': 'COPY_PASTE', 'jwkStr': json.dumps(public),
                        'useType': 'ENCRYPTION', 'algorithm': 'ECDH-ES+A256KW'})
    assert jwk['ec']['use'] == 'enc' and jwk['ec']['alg'] == 'ECDH-ES+A256KW' and 'd' not in jwk['ec']
    assert jwk['kid'] is None


@pytest.mark.parametrize('jwk_str,text', [
    ('{"kty": "RSA"', 'JWK string is not valid JSON!'),
    ('{"keys": []}', 'JWK Set contains no keys!'),
    ('{"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"}', 'JWK is not valid: JWK is not a valid EC key'),
    ('{"kty": "RSA", "n": "AQAB"}', "JWK is not valid: JWK of kty RSA lacks required member(s): e"),
    ('{"kty": "XYZ"}', "JWK is not valid: JWK member 'kty' must be one of RSA, EC, oct, OKP"),
    ('{"kty": "oct", "k": "!!"}', 'JWK is not valid: JWK holds a member that is not valid base64url'),
])
def test_copy_paste_rejects_bad_material(api, jwk_str, text):
    err, desc = error_of(create(api, {'name': 'p', 'sourceType': 'COPY_PASTE', 'jwkStr': jwk_str}))
    assert err == 'bad_request' and desc.startswith(text)
    assert 'p' not in api.jwks()


def test_copy_paste_requires_jwk_str(api):
    assert error_of(create(api, {'name': 'p', 'sourceType': 'COPY_PASTE'}))[1] == (
        'JWK string (jwkStr) is required for COPY_PASTE source type!')


# ----------------------------------------------------------------- common errors

def test_documented_create_errors(api, ec_jwk):
    assert error_of(create(api, {'sourceType': 'COPY_PASTE', 'jwkStr': '{}'})) == (
        'bad_request', 'JWK name can not be empty!')
    assert error_of(create(api, {'name': 'p'})) == ('bad_request', 'Source type is required!')
    assert error_of(create(api, {'name': 'p', 'sourceType': 'URL'})) == (
        'bad_request', 'URL is required for URL source type!')
    created(api, {'name': 'p', 'sourceType': 'COPY_PASTE', 'jwkStr': json.dumps(ec_jwk)})
    assert error_of(create(api, {'name': 'p', 'sourceType': 'COPY_PASTE', 'jwkStr': json.dumps(ec_jwk)})) == (
        'bad_request', 'JWK (name: p) is already exist! Try update operation if want to change its value.')


def test_generate_source_type_is_rejected_on_create(api):
    err, text = error_of(create(api, {'name': 'g', 'sourceType': 'GENERATE', 'type': 'OCT',
                                      'oct': {'keySize': 128}}))
    assert err == 'bad_request' and 'GENERATE' in text and 'generate endpoint' in text
    assert 'g' not in api.jwks()


def test_unknown_source_type(api):
    err, text = error_of(create(api, {'name': 'p', 'sourceType': 'FILE'}))
    assert err == 'validation_failed' and "'FILE'" in text and 'COPY_PASTE' in text


# ----------------------------------------------------------------- certificate / key / keystore

@pytest.mark.report_use_alg
def test_certificate_source_gives_the_certificates_public_jwk(api):
    jwk = created(api, dict(PROD, name='c', sourceType='CERTIFICATE', certificateName='demo-cert',
                            useType='SIGNATURE', algorithm='RS256'))
    cert = x509.load_pem_x509_certificate(seed_material(api)['certificates']['demo-cert'].encode())
    assert b64i(jwk['rsa']['n']) == cert.public_key().public_numbers().n
    assert 'd' not in jwk['rsa'] and jwk['rsa']['alg'] == 'RS256' and jwk['rsa']['use'] == 'sig'
    assert (jwk['sourceType'], jwk['sourceId']) == ('CERTIFICATE', 'demo-cert')
    assert jwk['kid']


@pytest.mark.report_use_alg
def test_public_key_source(api):
    jwk = created(api, dict(PROD, name='pub', sourceType='PUBLIC_KEY', keyName='demo-rsa-public',
                            useType='ENCRYPTION', algorithm='RSA-OAEP-256'))
    assert 'd' not in jwk['rsa'] and jwk['rsa']['use'] == 'enc' and jwk['sourceId'] == 'demo-rsa-public'


def test_public_key_source_from_a_private_key_gives_only_the_public_part(api):
    jwk = created(api, dict(PROD, name='pub', sourceType='PUBLIC_KEY', keyName='demo-ec-private',
                            useType='SIGNATURE', algorithm='ES256'))
    assert jwk['type'] == 'EC' and 'd' not in jwk['ec']


def test_private_key_source_gives_the_private_jwk(api):
    jwk = created(api, dict(PROD, name='priv', sourceType='PRIVATE_KEY', keyName='demo-rsa-private',
                            useType='SIGNATURE', algorithm='PS256'))
    pem = seed_material(api)['keys']['demo-rsa-private'].encode()
    key = serialization.load_pem_private_key(pem, None)
    assert b64i(jwk['rsa']['d']) == key.private_numbers().d
    pub = api.jwks()  # the same key through its public PEM has the same modulus
    assert 'priv' in pub


def test_private_key_source_rejects_a_public_key(api):
    assert error_of(create(api, dict(PROD, name='x', sourceType='PRIVATE_KEY', keyName='demo-rsa-public',
                                     useType='SIGNATURE', algorithm='RS256'))) == (
        'bad_request', 'Key (name: demo-rsa-public) is not a private key!')


def test_keystore_source(api):
    jwk = created(api, dict(PROD, name='ks', sourceType='KEYSTORE', keyStoreName='demo-keystore', aliasName='demo',
                            useType='SIGNATURE', algorithm='RS512'))
    assert 'd' in jwk['rsa'] and jwk['sourceId'] == 'demo-keystore'
    cert = x509.load_pem_x509_certificate(seed_material(api)['certificates']['demo-cert'].encode())
    assert b64i(jwk['rsa']['n']) == cert.public_key().public_numbers().n  # demo-keystore holds demo-cert


def test_explicit_kid_on_a_derived_source(api):
    assert created(api, dict(PROD, name='c', sourceType='CERTIFICATE', certificateName='demo-cert', kid='ck',
                             useType='SIGNATURE', algorithm='RS256'))['kid'] == 'ck'


@pytest.mark.parametrize('body,text', [
    ({'sourceType': 'CERTIFICATE', 'certificateName': 'x'}, 'Certificate (name: x) is not found!'),
    ({'sourceType': 'PUBLIC_KEY', 'keyName': 'x'}, 'Key (name: x) is not found!'),
    ({'sourceType': 'PRIVATE_KEY', 'keyName': 'x'}, 'Key (name: x) is not found!'),
    ({'sourceType': 'KEYSTORE', 'keyStoreName': 'x', 'aliasName': 'demo'}, 'Keystore (name: x) is not found!'),
    ({'sourceType': 'KEYSTORE', 'keyStoreName': 'demo-keystore', 'aliasName': 'other'},
     'Alias (name: other) is not found in keystore (name: demo-keystore)!'),
    ({'sourceType': 'CERTIFICATE', 'certificateName': 'demo-cert', 'environmentName': 'qa'},
     'Environment (name: qa) is not found!'),
])
def test_source_not_found_messages(api, body, text):
    body = dict(PROD, name='x', useType='SIGNATURE', algorithm='RS256', **body)
    assert error_of(create(api, body)) == ('bad_request', text)


@pytest.mark.parametrize('body,words', [
    ({'sourceType': 'CERTIFICATE', 'certificateName': 'demo-cert', 'environmentName': 'production'},
     ['useType: required', 'algorithm: required']),
    ({'sourceType': 'KEYSTORE', 'useType': 'SIGNATURE', 'algorithm': 'RS256'},
     ['keyStoreName: required', 'environmentName: required', 'aliasName: required']),
    ({'sourceType': 'CERTIFICATE', 'certificateName': 'demo-cert', 'environmentName': 'production',
      'useType': 'SIGNATURE', 'algorithm': 'RSA'}, ["'RSA' is a key type, not an algorithm", 'RS256']),
    ({'sourceType': 'CERTIFICATE', 'certificateName': 'demo-cert', 'environmentName': 'production',
      'useType': 'SIGNATURE', 'algorithm': 'RSA256'}, ["generate endpoint's spelling", 'JOSE name RS256']),
    ({'sourceType': 'CERTIFICATE', 'certificateName': 'demo-cert', 'environmentName': 'production',
      'useType': 'ENCRYPTION', 'algorithm': 'RSA_OAEP_256'}, ['JOSE name RSA-OAEP-256']),
    ({'sourceType': 'CERTIFICATE', 'certificateName': 'demo-cert', 'environmentName': 'production',
      'useType': 'SIGNATURE', 'algorithm': 'RSA-OAEP-256'},
     ["'RSA-OAEP-256' is not valid for a RSA key used for SIGNATURE", 'RS256, RS384']),
    ({'sourceType': 'CERTIFICATE', 'certificateName': 'demo-cert', 'environmentName': 'production',
      'useType': 'SIGNATURE', 'algorithm': 'ES256'}, ["'ES256' is not valid for a RSA key"]),
    ({'sourceType': 'CERTIFICATE', 'certificateName': 'demo-cert', 'environmentName': 'production',
      'useType': 'SIGN', 'algorithm': 'RS256'}, ["useType: 'SIGN' is not supported"]),
    ({'sourceType': 'PRIVATE_KEY', 'keyName': 'demo-ec-private', 'environmentName': 'production',
      'useType': 'SIGNATURE', 'algorithm': 'ES512'}, ['requires curve P-521']),
    ({'sourceType': 'PRIVATE_KEY', 'keyName': 'demo-ec-private', 'environmentName': 'production',
      'useType': 'SIGNATURE', 'algorithm': 'HS256'}, ["'HS256' is not valid for a EC key"]),
])
def test_create_validation(api, body, words):
    err, text = error_of(create(api, dict(body, name='v')))
    assert err == 'validation_failed'
    for word in words:
        assert word in text
    assert 'v' not in api.jwks()


@pytest.mark.report_use_alg
def test_ec_encryption_algorithms_accepted_with_jose_names(api):
    jwk = created(api, dict(PROD, name='e', sourceType='PRIVATE_KEY', keyName='demo-ec-private',
                            useType='ENCRYPTION', algorithm='ECDH-1PU+A192KW'))
    assert jwk['ec']['alg'] == 'ECDH-1PU+A192KW' and jwk['ec']['use'] == 'enc'


@pytest.mark.report_use_alg
def test_dir_accepted_as_documented_for_oct(api):
    oct_jwk = {'kty': 'oct', 'k': base64.urlsafe_b64encode(b'k' * 32).rstrip(b'=').decode()}
    jwk = created(api, {'name': 'o', 'sourceType': 'COPY_PASTE', 'jwkStr': json.dumps(oct_jwk),
                        'useType': 'ENCRYPTION', 'algorithm': 'DIR'})
    assert jwk['oct']['alg'] == 'dir' and jwk['type'] == 'OCT'


# ----------------------------------------------------------------- parse helpers

def test_parse_from_clipboard(api, ec_jwk):
    jwk = created(api, {'name': 'c', 'jwkStr': json.dumps(ec_jwk)}, '/projects/demo/jwks/parse-from-clipboard')
    assert jwk['sourceType'] == 'COPY_PASTE'


def test_parse_from_certificate(api):
    jwk = created(api, dict(PROD, name='c', certificateName='demo-cert', useType='SIGNATURE', algorithm='RS256'),
                  '/projects/demo/jwks/parse-from-certificate')
    assert jwk['sourceType'] == 'CERTIFICATE'


@pytest.mark.parametrize('key,source,private', [('demo-ec-private', 'PRIVATE_KEY', True),
                                                ('demo-rsa-public', 'PUBLIC_KEY', False)])
def test_parse_from_key_takes_the_body_without_source_type(api, key, source, private):
    """parse-from-key's body has no sourceType: the named key decides (our assumption)."""
    alg = 'ES256' if 'ec' in key else 'RS256'
    jwk = created(api, dict(PROD, name='k', keyName=key, useType='SIGNATURE', algorithm=alg),
                  '/projects/demo/jwks/parse-from-key')
    member = 'ec' if 'ec' in key else 'rsa'
    assert jwk['sourceType'] == source and jwk['sourceId'] == key and ('d' in jwk[member]) is private


def test_parse_from_key_tolerates_a_key_source_type(api):
    jwk = created(api, dict(PROD, name='k', sourceType='PUBLIC_KEY', keyName='demo-ec-private',
                            useType='SIGNATURE', algorithm='ES256'), '/projects/demo/jwks/parse-from-key')
    assert jwk['sourceType'] == 'PUBLIC_KEY' and 'd' not in jwk['ec']
    err, text = error_of(create(api, dict(PROD, name='k2', sourceType='URL', keyName='demo-ec-private',
                                          useType='SIGNATURE', algorithm='ES256'),
                                '/projects/demo/jwks/parse-from-key'))
    assert err == 'validation_failed' and 'PUBLIC_KEY or PRIVATE_KEY' in text


def test_parse_from_key_with_an_unknown_key(api):
    assert error_of(create(api, dict(PROD, name='k', keyName='nope', useType='SIGNATURE', algorithm='ES256'),
                           '/projects/demo/jwks/parse-from-key')) == ('bad_request', 'Key (name: nope) is not found!')


def test_parse_from_keystore(api):
    jwk = created(api, dict(PROD, name='k', keyStoreName='demo-keystore', aliasName='demo', useType='SIGNATURE',
                            algorithm='RS256'), '/projects/demo/jwks/parse-from-keystore')
    assert jwk['sourceType'] == 'KEYSTORE'


def test_parse_from_url(api, ec_jwk):
    url = api.emulator.serve_static('one.json', ec_jwk)
    jwk = created(api, {'name': 'u', 'url': url}, '/projects/demo/jwks/parse-from-url')
    assert (jwk['sourceType'], jwk['sourceUrl']) == ('URL', url)


def test_fixed_source_wins_over_body(api, ec_jwk):
    jwk = created(api, {'name': 'c', 'sourceType': 'URL', 'jwkStr': json.dumps(ec_jwk)},
                  '/projects/demo/jwks/parse-from-clipboard')
    assert jwk['sourceType'] == 'COPY_PASTE'
