# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""POST /projects/{p}/jwks/generate: real keys, kids, the enum vocabulary and its validation."""

import base64
import datetime
import hashlib
import json
import time

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from contract_helpers import error_of

GEN = '/projects/demo/jwks/generate'


def b64d(s):
    return base64.urlsafe_b64decode(s + '=' * (-len(s) % 4))


def b64i(s):
    return int.from_bytes(b64d(s), 'big')


def gen(api, body):
    return api.post(GEN, json=body)


def generated(api, name, ktype, params, **extra):
    r = gen(api, dict({'name': name, 'type': ktype, ktype.lower(): params}, **extra))
    assert r.status_code == 200, r.text
    return api.jwk(name)


def thumb(jwk, algo='sha256'):
    req = {'RSA': ('e', 'kty', 'n'), 'EC': ('crv', 'kty', 'x', 'y'), 'oct': ('k', 'kty'), 'OKP': ('crv', 'kty', 'x')}
    data = json.dumps({k: jwk[k] for k in req[jwk['kty']]}, sort_keys=True, separators=(',', ':')).encode()
    return base64.urlsafe_b64encode(hashlib.new(algo, data).digest()).rstrip(b'=').decode()


def test_write_answers_deployment_result_for_every_environment(api):
    r = gen(api, {'name': 'a', 'type': 'OCT', 'oct': {'keySize': 256}})
    assert r.json() == {'success': True, 'deploymentResult': {
        'success': True, 'message': 'Deployment completed successfully',
        'environmentResults': [{'environmentName': 'production', 'success': True, 'message': 'Deployed successfully'},
                               {'environmentName': 'staging', 'success': True, 'message': 'Deployed successfully'}]}}


@pytest.mark.report_use_alg
def test_rsa_2048_is_a_real_working_key(api):
    jwk = generated(api, 'r', 'RSA', {'keySize': 2048, 'algorithm': 'RSA256', 'keyUseType': 'SIGNATURE'})
    assert jwk['type'] == 'RSA' and jwk['sourceType'] == 'GENERATE' and jwk['projectId']
    k = jwk['rsa']
    assert k['kty'] == 'RSA' and k['alg'] == 'RS256' and k['use'] == 'sig'
    assert b64i(k['n']).bit_length() == 2048
    priv = rsa.RSAPrivateNumbers(
        b64i(k['p']), b64i(k['q']), b64i(k['d']), b64i(k['dp']), b64i(k['dq']), b64i(k['qi']),
        rsa.RSAPublicNumbers(b64i(k['e']), b64i(k['n']))).private_key()
    sig = priv.sign(b'msg', padding.PKCS1v15(), hashes.SHA256())
    priv.public_key().verify(sig, b'msg', padding.PKCS1v15(), hashes.SHA256())
    summary = api.jwks()['r']
    assert set(summary) == {'name', 'description', 'projectId', 'sourceType', 'sourceId', 'sourceUrl', 'type', 'kid'}
    assert summary['kid'] == k['kid']


@pytest.mark.report_use_alg
def test_rsa_3072(api):
    jwk = generated(api, 'r3', 'RSA', {'keySize': 3072, 'keyUseType': 'ENCRYPTION', 'algorithm': 'RSA_OAEP_256'})
    assert b64i(jwk['rsa']['n']).bit_length() == 3072
    assert jwk['rsa']['alg'] == 'RSA-OAEP-256' and jwk['rsa']['use'] == 'enc'


def test_rsa_4096(api):
    jwk = generated(api, 'r4', 'RSA', {'keySize': 4096, 'algorithm': 'PS512'})
    assert b64i(jwk['rsa']['n']).bit_length() == 4096


@pytest.mark.report_use_alg
@pytest.mark.parametrize('curve,crv,size,alg', [('P256', 'P-256', 32, 'ES256'), ('P384', 'P-384', 48, 'ES384'),
                                                ('P521', 'P-521', 66, 'ES512'),
                                                ('SECP256K1', 'secp256k1', 32, 'ES256K')])
def test_ec_curves(api, curve, crv, size, alg):
    jwk = generated(api, 'e', 'EC', {'curveType': curve, 'algorithm': alg})
    k = jwk['ec']
    assert (k['kty'], k['crv'], k['alg'], k['use']) == ('EC', crv, alg, 'sig')
    assert len(b64d(k['x'])) == size and len(b64d(k['y'])) == size and len(b64d(k['d'])) == size
    curve_obj = {'P-256': ec.SECP256R1, 'P-384': ec.SECP384R1, 'P-521': ec.SECP521R1, 'secp256k1': ec.SECP256K1}[crv]
    key = ec.derive_private_key(b64i(k['d']), curve_obj())
    assert key.public_key().public_numbers().x == b64i(k['x'])


@pytest.mark.report_use_alg
@pytest.mark.parametrize('curve,crv,use,alg', [('ED25519', 'Ed25519', 'SIGNATURE', 'EdDSA'),
                                               ('X25519', 'X25519', 'ENCRYPTION', 'ECDH_ES_A128KW')])
def test_okp_curves(api, curve, crv, use, alg):
    jwk = generated(api, 'o', 'OKP', {'curveType': curve, 'keyUseType': use, 'algorithm': alg})
    k = jwk['okp']
    assert k['kty'] == 'OKP' and k['crv'] == crv and len(b64d(k['x'])) == 32 and len(b64d(k['d'])) == 32
    assert k['alg'] == {'EdDSA': 'EdDSA', 'ECDH_ES_A128KW': 'ECDH-ES+A128KW'}[alg]
    assert jwk['type'] == 'OKP'


@pytest.mark.report_use_alg
@pytest.mark.parametrize('size', [128, 192, 256])
def test_oct_sizes(api, size):
    jwk = generated(api, 's', 'OCT', {'keySize': size})
    assert jwk['type'] == 'OCT' and jwk['oct']['kty'] == 'oct' and len(b64d(jwk['oct']['k'])) * 8 == size
    assert jwk['oct']['use'] == 'sig' and 'alg' not in jwk['oct']


@pytest.mark.parametrize('enum,jose,ktype,params', [
    ('RSA256', 'RS256', 'RSA', {'keySize': 2048}),
    ('RSA_OAEP_256', 'RSA-OAEP-256', 'RSA', {'keySize': 2048, 'keyUseType': 'ENCRYPTION'}),
    ('RSA_OAEP', 'RSA-OAEP', 'RSA', {'keySize': 2048, 'keyUseType': 'ENCRYPTION'}),
    ('ECDH_ES_A128KW', 'ECDH-ES+A128KW', 'EC', {'curveType': 'P256', 'keyUseType': 'ENCRYPTION'}),
    ('ECDH_1PU_A256KW', 'ECDH-1PU+A256KW', 'EC', {'curveType': 'P384', 'keyUseType': 'ENCRYPTION'}),
    ('PBES2_HS256_A128KW', 'PBES2-HS256+A128KW', 'OCT', {'keySize': 128, 'keyUseType': 'ENCRYPTION'}),
    ('A256GCMKW', 'A256GCMKW', 'OCT', {'keySize': 256, 'keyUseType': 'ENCRYPTION'}),
    ('DIR', 'dir', 'OCT', {'keySize': 256, 'keyUseType': 'ENCRYPTION'}),
    ('HS512', 'HS512', 'OCT', {'keySize': 256}),
])
@pytest.mark.report_use_alg
def test_enum_algorithms_are_stored_as_jose_names(api, enum, jose, ktype, params):
    jwk = generated(api, 'x', ktype, dict(params, algorithm=enum))
    assert jwk[ktype.lower()]['alg'] == jose


def test_kid_given_wins(api):
    assert generated(api, 'k', 'OCT', {'keySize': 128, 'keyIdType': 'SHA1'}, kid='mine')['kid'] == 'mine'


def test_kid_types(api):
    before = int(time.time() * 1000)
    ts = generated(api, 'ts', 'OCT', {'keySize': 128})
    assert before <= int(ts['kid']) <= int(time.time() * 1000)   # TIMESTAMP is the default
    sha256 = generated(api, 'h2', 'EC', {'curveType': 'P256', 'keyIdType': 'SHA256'})
    assert sha256['kid'] == thumb(sha256['ec'])
    sha1 = generated(api, 'h1', 'EC', {'curveType': 'P256', 'keyIdType': 'SHA1'})
    assert sha1['kid'] == thumb(sha1['ec'], 'sha1')
    iso = generated(api, 'iso', 'OCT', {'keySize': 128, 'keyIdType': 'ISO_DATE'})
    assert datetime.datetime.fromisoformat(iso['kid'].replace('Z', '+00:00')).year >= 2024
    none = generated(api, 'none', 'OCT', {'keySize': 128, 'keyIdType': 'NONE'})
    assert none['kid'] is None and 'kid' not in none['oct']


def test_name_and_type_required(api):
    assert error_of(gen(api, {'type': 'RSA', 'rsa': {'keySize': 2048}})) == ('bad_request',
                                                                              'JWK name can not be empty!')
    assert error_of(gen(api, {'name': ' ', 'type': 'RSA'}))[1] == 'JWK name can not be empty!'
    assert error_of(gen(api, {'name': 'a', 'rsa': {'keySize': 2048}})) == ('bad_request',
                                                                            'JWK type can not be empty!')


def test_duplicate_name(api):
    generated(api, 'dup', 'OCT', {'keySize': 128})
    assert error_of(gen(api, {'name': 'dup', 'type': 'OCT', 'oct': {'keySize': 128}})) == (
        'bad_request', 'JWK (name: dup) is already exist! Try update operation if want to change its value.')


def validation(r):
    err, text = error_of(r)
    assert err == 'validation_failed'
    assert r.json()['validation_errors']
    return text


@pytest.mark.parametrize('body,words', [
    ({'type': 'DSA'}, ["type: 'DSA' is not supported", 'RSA, EC, OCT, OKP']),
    ({'type': 'RSA'}, ['rsa: parameter object required']),
    ({'type': 'RSA', 'ec': {'curveType': 'P256'}}, ['ec: not allowed for type RSA', 'rsa: parameter object']),
    ({'type': 'RSA', 'rsa': {'keySize': 1024}}, ['rsa.keySize: 1024 is not supported', '2048, 3072, 4096']),
    ({'type': 'RSA', 'rsa': {}}, ['rsa.keySize: required']),
    ({'type': 'OCT', 'oct': {'keySize': 512}}, ['oct.keySize: 512', '128, 192, 256']),
    ({'type': 'EC', 'ec': {'curveType': 'P-256'}}, ["ec.curveType: 'P-256' is not supported", 'P256, P384']),
    ({'type': 'EC', 'ec': {}}, ['ec.curveType: required']),
    ({'type': 'OKP', 'okp': {'curveType': 'ED448'}}, ["okp.curveType: 'ED448' is not supported"]),
    ({'type': 'RSA', 'rsa': {'keySize': 2048, 'algorithm': 'RS256'}},
     ["'RS256' is a JOSE name", 'enum name RSA256']),
    ({'type': 'RSA', 'rsa': {'keySize': 2048, 'keyUseType': 'ENCRYPTION', 'algorithm': 'RSA-OAEP-256'}},
     ['enum name RSA_OAEP_256']),
    ({'type': 'RSA', 'rsa': {'keySize': 2048, 'algorithm': 'RSA'}}, ["'RSA' is a key type, not an algorithm"]),
    ({'type': 'RSA', 'rsa': {'keySize': 2048, 'algorithm': 'RSA_OAEP_256'}},
     ["'RSA_OAEP_256' is not valid for a RSA key used for SIGNATURE", 'RSA256']),
    ({'type': 'EC', 'ec': {'curveType': 'P256', 'algorithm': 'RSA256'}}, ['not valid for a EC key']),
    ({'type': 'EC', 'ec': {'curveType': 'P384', 'algorithm': 'ES256'}}, ['requires curve P-256']),
    ({'type': 'OCT', 'oct': {'keySize': 128, 'keyUseType': 'ENCRYPTION', 'algorithm': 'A256KW'}},
     ['requires a 256-bit key']),
    ({'type': 'OKP', 'okp': {'curveType': 'ED25519', 'keyUseType': 'ENCRYPTION'}}, ['Ed25519 key can only']),
    ({'type': 'OKP', 'okp': {'curveType': 'X25519'}}, ['X25519 key can only be used for ENCRYPTION']),
    ({'type': 'RSA', 'rsa': {'keySize': 2048, 'keyUseType': 'SIGN'}}, ["rsa.keyUseType: 'SIGN'"]),
    ({'type': 'RSA', 'rsa': {'keySize': 2048, 'keyIdType': 'UUID'}}, ["rsa.keyIdType: 'UUID'", 'TIMESTAMP']),
    ({'type': 'RSA', 'rsa': {'keySize': 2048, 'expirationTime': 'next year'}}, ['expirationTime', 'ISO 8601']),
    ({'type': 'OCT', 'oct': {'keySize': 128, 'passwordIterationCount': 0}}, ['passwordIterationCount']),
    ({'type': 'OCT', 'oct': {'keySize': 128}, 'sourceType': 'URL'}, ['sourceType']),
])
def test_validation_failures_name_the_field_and_the_allowed_values(api, body, words):
    text = validation(gen(api, dict(body, name='bad')))
    for word in words:
        assert word in text
    assert 'bad' not in api.jwks()


def test_valid_dates_are_accepted(api):
    generated(api, 'd', 'EC', {'curveType': 'P256', 'notBeforeTime': '2026-01-01T00:00:00Z',
                               'expirationTime': '2027-01-01T00:00:00+00:00'})


def test_get_jwk_carries_no_use_or_alg_by_default_as_documented(api):
    body = {'name': 'doc', 'type': 'EC', 'ec': {'curveType': 'P256', 'keyUseType': 'SIGNATURE', 'algorithm': 'ES256'}}
    assert gen(api, body).status_code == 200
    member = api.jwk('doc')['ec']
    # Get JWK documents the key members without use/alg: the documented server leaves them out.
    assert 'use' not in member and 'alg' not in member
    assert {'kty', 'crv', 'x', 'y', 'd'} <= set(member)
    api.emulator.configure(report_use_alg=True)
    member = api.jwk('doc')['ec']
    assert (member['use'], member['alg']) == ('sig', 'ES256')
    # The opt-in is a view: switching it off again hides them, the key is unchanged.
    assert api.hook('POST', 'config', json={'report_use_alg': False}).json()['config']['report_use_alg'] is False
    assert 'use' not in api.jwk('doc')['ec'] and 'alg' not in api.jwk('doc')['ec']


def test_report_use_alg_set_in_the_constructor_survives_reset():
    from apinizer_emulator import Emulator
    from contract_helpers import Api
    with Emulator(report_use_alg=True) as emu:
        client = Api(emu)
        assert client.jwk('shared-admin-jwk', project='admin')['ec']['alg'] == 'ES256'
        emu.configure(report_use_alg=False)
        emu.reset()
        assert client.jwk('shared-admin-jwk', project='admin')['ec']['alg'] == 'ES256'
        client.session.close()
