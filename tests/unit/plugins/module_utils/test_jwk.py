# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for plugins/module_utils/jwk.py: vocabulary, validation, parsing, comparison."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json

import hashlib
import inspect
import os

import types

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa, x25519

from ansible_collections.apinizer.apiops.plugins.module_utils import (
    jwk_bodies,
    jwk_defaults,
    jwk_material,
    jwk_state,
    jwk_validation,
    jwk_vocabulary,
    masking,
)

# The JWK files of module_utils, and one namespace over them (the names these tests were written against).
JWK_MODULES = (jwk_vocabulary, jwk_defaults, jwk_material, jwk_validation, jwk_state, jwk_bodies, masking)
J = types.SimpleNamespace()
for _module in JWK_MODULES:
    J.__dict__.update((k, v) for k, v in vars(_module).items() if not k.startswith('__'))
J.describe, J.diff_view, J.desired_diff_view = jwk_state.jwk_view, jwk_state.diff_view, jwk_state.desired_diff_view
J.desired_facts, J.describe_differences = jwk_state.desired_state, jwk_state.difference_sentences
J.normalize_alg, J.normalize_use = jwk_vocabulary.normalise_alg, jwk_vocabulary.normalise_use
J.normalize_curve, J.normalize_key_type = jwk_vocabulary.normalise_curve, jwk_vocabulary.normalise_key_type
J.normalize_source = jwk_vocabulary.normalise_source

# RFC 7638 section 3.1
RFC7638_JWK = {
    'kty': 'RSA',
    'n': ('0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMst'
          'n64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n9'
          '1CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw'),
    'e': 'AQAB',
    'alg': 'RS256',
    'kid': '2011-04-29',
}
RFC7638_THUMBPRINT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'


# ---------------------------------------------------------------- real keys

def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode('ascii')


def _int_b64(value, length=None):
    length = length or (value.bit_length() + 7) // 8
    return _b64(value.to_bytes(length, 'big'))


def _rsa_jwk(bits=2048, kid='rsa-1'):
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    priv = key.private_numbers()
    pub = priv.public_numbers
    return {'kty': 'RSA', 'kid': kid, 'n': _int_b64(pub.n), 'e': _int_b64(pub.e), 'd': _int_b64(priv.d),
            'p': _int_b64(priv.p), 'q': _int_b64(priv.q), 'dp': _int_b64(priv.dmp1), 'dq': _int_b64(priv.dmq1),
            'qi': _int_b64(priv.iqmp)}


_EC_CURVES = {'P-256': (ec.SECP256R1, 32), 'P-384': (ec.SECP384R1, 48), 'P-521': (ec.SECP521R1, 66),
              'secp256k1': (ec.SECP256K1, 32)}


def _ec_jwk(crv='P-256', kid='ec-1'):
    curve, size = _EC_CURVES[crv]
    key = ec.generate_private_key(curve())
    numbers = key.private_numbers()
    return {'kty': 'EC', 'kid': kid, 'crv': crv, 'x': _int_b64(numbers.public_numbers.x, size),
            'y': _int_b64(numbers.public_numbers.y, size), 'd': _int_b64(numbers.private_value, size)}


def _okp_jwk(crv='Ed25519', kid='okp-1'):
    key = (ed25519.Ed25519PrivateKey if crv == 'Ed25519' else x25519.X25519PrivateKey).generate()
    raw_private = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    raw_public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {'kty': 'OKP', 'kid': kid, 'crv': crv, 'x': _b64(raw_public), 'd': _b64(raw_private)}


def _oct_jwk(bits=256, kid='oct-1'):
    return {'kty': 'oct', 'kid': kid, 'k': _b64(os.urandom(bits // 8))}


@pytest.fixture(scope='module')
def keys():
    return {
        'RSA': _rsa_jwk(),
        'EC': _ec_jwk(),
        'OKP': _okp_jwk(),
        'X25519': _okp_jwk('X25519', kid='x-1'),
        'OCT': _oct_jwk(),
    }


def _api_jwk(jwk, name='my-jwk', source='GENERATE', description='demo'):
    """An API Jwk as the server returns it: key material in the type-named member."""
    key_type = J.normalize_key_type(jwk['kty'])
    member = dict(jwk)
    return {'name': name, 'description': description, 'projectId': 'p1', 'sourceType': source,
            'type': key_type, 'kid': jwk.get('kid'), J.KEY_TYPE_TO_MEMBER[key_type]: member}


def _private_values(jwk):
    values = []
    for member in J.PRIVATE_MEMBERS:
        if member in jwk:
            values.append(jwk[member])
    assert values, 'test key must carry private members'
    return values


# ---------------------------------------------------------------- vocabulary

MATRIX = [(kt, use, alg) for (kt, use), algs in sorted(J.ALGORITHMS.items()) for alg in algs]


@pytest.mark.parametrize('key_type,use,alg', MATRIX)
def test_every_algorithm_round_trips_jose_enum(key_type, use, alg):
    enum = J.jose_to_enum(alg)
    assert J.enum_to_jose(enum) == alg
    assert alg in J.allowed_algorithms(key_type, use)
    # the enum spelling never carries JOSE punctuation
    assert '-' not in enum and '+' not in enum


@pytest.mark.parametrize('jose,enum', [
    ('RS256', 'RSA256'), ('RS384', 'RSA384'), ('RS512', 'RSA512'), ('PS256', 'PS256'),
    ('RSA1_5', 'RSA1_5'), ('RSA-OAEP', 'RSA_OAEP'), ('RSA-OAEP-256', 'RSA_OAEP_256'), ('RSA-OAEP-512', 'RSA_OAEP_512'),
    ('ES256', 'ES256'), ('ES256K', 'ES256K'), ('ECDH-ES', 'ECDH_ES'), ('ECDH-ES+A128KW', 'ECDH_ES_A128KW'),
    ('ECDH-1PU+A256KW', 'ECDH_1PU_A256KW'), ('HS512', 'HS512'), ('A192GCMKW', 'A192GCMKW'), ('DIR', 'DIR'),
    ('PBES2-HS256+A128KW', 'PBES2_HS256_A128KW'), ('PBES2-HS512+A256KW', 'PBES2_HS512_A256KW'), ('EdDSA', 'EdDSA'),
])
def test_enum_spelling(jose, enum):
    assert J.jose_to_enum(jose) == enum
    assert J.enum_to_jose(enum) == jose


def test_matrix_matches_the_api_contract():
    assert J.allowed_algorithms('RSA', 'signature') == ['PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512']
    assert J.allowed_algorithms('EC', 'signature') == ['ES256', 'ES256K', 'ES384', 'ES512']
    assert J.allowed_algorithms('OKP', 'signature') == ['EdDSA']
    assert J.allowed_algorithms('OCT', 'signature') == ['HS256', 'HS384', 'HS512']
    assert J.allowed_algorithms('EC', 'encryption') == J.allowed_algorithms('OKP', 'encryption')
    assert len(J.allowed_algorithms('OCT', 'encryption')) == 10
    assert len(J.allowed_algorithms('RSA', 'encryption')) == 5
    assert J.allowed_algorithms('EC', 'signature', 'P-384') == ['ES384']
    assert J.allowed_algorithms('OKP', 'signature', 'X25519') == []


@pytest.mark.parametrize('func,value', [(J.jose_to_enum, 'RSA256'), (J.jose_to_enum, 'RSA'), (J.enum_to_jose, 'RS999')])
def test_unknown_spellings_raise(func, value):
    with pytest.raises(ValueError):
        func(value)


@pytest.mark.parametrize('func,value,expected', [
    (J.normalize_use, 'sig', 'signature'), (J.normalize_use, 'SIGNATURE', 'signature'), (J.normalize_use, 'enc', 'encryption'),
    (J.normalize_curve, 'P256', 'P-256'), (J.normalize_curve, 'p-521', 'P-521'), (J.normalize_curve, 'SECP256K1', 'secp256k1'),
    (J.normalize_curve, 'ED25519', 'Ed25519'), (J.normalize_curve, 'x25519', 'X25519'),
    (J.normalize_key_type, 'oct', 'OCT'), (J.normalize_source, 'COPY_PASTE', 'jwk'), (J.normalize_source, 'URL', 'url'),
    (J.normalize_source, 'PRIVATE_KEY', 'private_key'), (J.normalize_alg, 'RSA_OAEP_256', 'RSA-OAEP-256'),
    (J.normalize_alg, 'rs256', 'RS256'), (J.normalize_alg, 'dir', 'dir'), (J.normalize_alg, 'DIR', 'dir'),
    (J.normalize_alg, 'a256gcm', 'A256GCM'), (J.normalize_alg, None, None),
])
def test_normalisation(func, value, expected):
    assert func(value) == expected


# ---------------------------------------------------------------- validation: valid

def _fit_params(key_type, use, alg):
    params = {'name': 'k', 'source': 'generate', 'key_type': key_type, 'use': use, 'algorithm': alg}
    if alg in J.SIGNATURE_CURVE and key_type == 'EC':
        params['curve'] = J.SIGNATURE_CURVE[alg]
    if key_type == 'OKP':
        params['curve'] = 'Ed25519' if use == 'signature' else 'X25519'
    if alg in J.WRAP_KEY_SIZE:
        params['key_size'] = J.WRAP_KEY_SIZE[alg]
    return params


@pytest.mark.parametrize('key_type,use,alg', MATRIX)
def test_every_matrix_entry_validates_and_generates_enum(key_type, use, alg):
    params = _fit_params(key_type, use, alg)
    assert J.validate_jwk_params(params) == []
    body = J.build_generate_body(params)
    member = body[key_type.lower()]
    assert body['type'] == key_type
    assert member['algorithm'] == J.JOSE_TO_ENUM[alg]
    assert member['keyUseType'] == use.upper()
    assert ('keySize' in member) == (key_type in ('RSA', 'OCT'))
    assert ('curveType' in member) == (key_type in ('EC', 'OKP'))


@pytest.mark.parametrize('params', [
    {'name': 'k'},
    {'name': 'k', 'curve': 'P-384'},
    {'name': 'k', 'key_type': 'OKP'},
    {'name': 'k', 'key_type': 'OKP', 'curve': 'X25519'},  # use follows the curve
    {'name': 'k', 'algorithm': 'ECDH-ES+A256KW', 'curve': 'X25519'},
    {'name': 'k', 'key_type': 'OCT', 'key_size': 128, 'password_salt_length': 16, 'password_iteration_count': 2000},
    {'name': 'k', 'kid_type': 'ISO_DATE', 'not_before': '2030-01-01', 'expiration': '2031-01-01T00:00:00+02:00'},
    {'name': 'k', 'not_before': '2030-01-01T10:00:00.123Z', 'expiration': '2030-01-01T12:00:00+01:00'},
    {'name': 'k', 'source': 'url', 'url': 'https://idp.example.com/jwks', 'kid': 'a', 'url_connect_timeout': 1000,
     'url_read_timeout': 2000, 'url_size_limit': 4096},
    {'name': 'k', 'source': 'certificate', 'certificate_name': 'c', 'environment': 'production', 'algorithm': 'RS256',
     'use': 'signature'},
    {'name': 'k', 'source': 'public_key', 'key_name': 'c', 'environment': 'production', 'algorithm': 'RSA-OAEP-256', 'use': 'encryption'},
    {'name': 'k', 'source': 'private_key', 'key_name': 'c', 'environment': 'production', 'algorithm': 'ES256',
     'use': 'signature'},
    {'name': 'k', 'source': 'keystore', 'keystore_name': 's', 'alias': 'demo', 'environment': 'production', 'algorithm': 'PS256',
     'use': 'signature'},
])
def test_valid_params(params):
    assert J.validate_jwk_params(params) == []


# ---------------------------------------------------------------- validation: invalid

INVALID_PAIRS = [(kt, use, alg) for (kt, use) in sorted(J.ALGORITHMS) for alg in J.ALL_ALGORITHMS
                 if alg not in J.ALGORITHMS[(kt, use)]]


@pytest.mark.parametrize('key_type,use,alg', INVALID_PAIRS)
def test_every_misfit_algorithm_is_rejected_with_allowed_values(key_type, use, alg):
    params = {'name': 'k', 'key_type': key_type, 'use': use, 'algorithm': alg}
    problems = J.validate_jwk_params(params)
    assert len(problems) == 1, problems
    expected = "algorithm %r does not fit key_type %r with use %r; allowed: %s" % (
        alg, key_type, use, ', '.join(sorted(J.ALGORITHMS[(key_type, use)])))
    assert problems[0] == expected


@pytest.mark.parametrize('params,fragments', [
    ({'name': 'k', 'key_type': 'EC', 'algorithm': 'RS256'},
     ["algorithm 'RS256' does not fit key_type 'EC' with use 'signature'; allowed: ES256, ES256K, ES384, ES512"]),
    ({'name': 'k', 'key_type': 'EC', 'curve': 'P-384', 'algorithm': 'ES256'}, ["algorithm 'ES256' does not fit curve 'P-384'; allowed: ES384"]),
    ({'name': 'k', 'curve': 'secp256k1', 'algorithm': 'ES256'}, ["does not fit curve 'secp256k1'; allowed: ES256K"]),
    ({'name': 'k', 'algorithm': 'RSA'}, ["algorithm 'RSA' is a key type", 'RS256']),
    ({'name': 'k', 'algorithm': 'EC'}, ["algorithm 'EC' is a key type", 'ES256']),
    ({'name': 'k', 'algorithm': 'RSA256'}, ["algorithm 'RSA256' is not a JOSE name; use 'RS256'"]),
    ({'name': 'k', 'algorithm': 'ECDH_ES_A128KW'}, ["use 'ECDH-ES+A128KW'"]),
    ({'name': 'k', 'algorithm': 'HS1024'}, ["algorithm 'HS1024' is not supported; allowed:", 'EdDSA']),
    ({'name': 'k', 'key_type': 'DSA'}, ["key_type 'DSA' is not supported; allowed: RSA, EC, OCT, OKP"]),
    ({'name': 'k', 'key_type': 'RSA', 'key_size': 1024}, ["key_size 1024 does not fit key_type 'RSA'; allowed: 2048, 3072, 4096"]),
    ({'name': 'k', 'key_type': 'OCT', 'key_size': 512}, ["key_size 512 does not fit key_type 'OCT'; allowed: 128, 192, 256"]),
    ({'name': 'k', 'key_type': 'EC', 'key_size': 256}, ["key_size does not apply to key_type 'EC' (use curve: P-256, P-384, P-521, secp256k1)"]),
    ({'name': 'k', 'key_type': 'RSA', 'curve': 'P-256'}, ["curve does not apply to key_type 'RSA' (use key_size: 2048, 3072, 4096)"]),
    ({'name': 'k', 'key_type': 'EC', 'curve': 'Ed25519'}, ["curve 'Ed25519' does not fit key_type 'EC'; allowed: P-256, P-384, P-521, secp256k1"]),
    ({'name': 'k', 'key_type': 'OKP', 'curve': 'P-256'}, ["curve 'P-256' does not fit key_type 'OKP'; allowed: Ed25519, X25519"]),
    ({'name': 'k', 'curve': 'Ed448'}, ["curve 'Ed448' is not supported; allowed:"]),
    ({'name': 'k', 'key_type': 'OKP', 'curve': 'X25519', 'use': 'signature'},
     ["curve 'X25519' does not fit use 'signature'; allowed for key_type 'OKP' with use 'signature': Ed25519"]),
    ({'name': 'k', 'key_type': 'OKP', 'curve': 'Ed25519', 'use': 'encryption'}, ["curve 'Ed25519' does not fit use 'encryption'", 'X25519']),
    ({'name': 'k', 'key_type': 'OCT', 'key_size': 256, 'algorithm': 'A128KW'}, ["algorithm 'A128KW' needs key_size 128, not 256", 'A256KW']),
    ({'name': 'k', 'use': 'both'}, ["use 'both' is not supported; allowed: signature, encryption"]),
    ({'name': 'k', 'kid_type': 'uuid'}, ["kid_type 'uuid' is not supported; allowed: timestamp, sha256, sha1, iso_date, none"]),
    ({'name': 'k', 'not_before': 'tomorrow'}, ["not_before 'tomorrow' is not an ISO 8601"]),
    ({'name': 'k', 'expiration': '2030-02-30'}, ["expiration '2030-02-30' is not an ISO 8601"]),
    ({'name': 'k', 'not_before': '2031-01-01', 'expiration': '2030-01-01'}, ["expiration '2030-01-01' is not after not_before '2031-01-01'"]),
    ({'name': 'k', 'key_type': 'RSA', 'password_salt_length': 8}, ["password_salt_length applies only to key_type 'OCT', not 'RSA'"]),
    ({'name': 'k', 'key_type': 'OCT', 'password_iteration_count': 0}, ['password_iteration_count must be a positive integer']),
    ({'name': 'k', 'source': 'url'}, ["url is required with source 'url'"]),
    ({'name': 'k', 'source': 'url', 'url': 'ftp://x/jwks'}, ['url', 'http:// or https://']),
    ({'name': 'k', 'source': 'url', 'url': 'https://x/j', 'url_connect_timeout': 0, 'url_read_timeout': -5, 'url_size_limit': 'big'},
     ['url_connect_timeout must be a positive integer', 'url_read_timeout must be a positive integer', 'url_size_limit must be a positive integer']),
    ({'name': 'k', 'source': 'url', 'url': 'https://x/j', 'algorithm': 'RS256', 'key_size': 2048},
     ["algorithm does not apply to source 'url'", "key_size does not apply to source 'url' (it applies to source: generate)"]),
    ({'name': 'k', 'source': 'jwk'}, ["jwk is required with source 'jwk'"]),
    ({'name': 'k', 'source': 'jwk', 'jwk': RFC7638_JWK, 'key_size': 2048, 'curve': 'P-256', 'kid_type': 'sha1'},
     ["key_size does not apply to source 'jwk'", "curve does not apply to source 'jwk'", "kid_type does not apply to source 'jwk'"]),
    ({'name': 'k', 'source': 'generate', 'jwk': RFC7638_JWK, 'url': 'https://x'},
     ["jwk does not apply to source 'generate'", "url does not apply to source 'generate'"]),
    ({'name': 'k', 'source': 'certificate'},
     ["certificate_name is required with source 'certificate'", "environment is required with source 'certificate'",
      "algorithm is required with source 'certificate'", "use is required with source 'certificate'; allowed: signature, encryption"]),
    ({'name': 'k', 'source': 'keystore', 'keystore_name': 's', 'alias': 'a', 'environment': 'e', 'algorithm': 'RS256'},
     ["use is required with source 'keystore'; allowed: signature, encryption"]),
    ({'name': 'k', 'source': 'private_key', 'key_name': 'k', 'environment': 'e', 'algorithm': 'ES256'},
     ["use is required with source 'private_key'; allowed: signature, encryption"]),
    ({'name': 'k', 'source': 'keystore', 'keystore_name': 's', 'environment': 'e', 'algorithm': 'RS256'}, ["alias is required with source 'keystore'"]),
    ({'name': 'k', 'source': 'public_key', 'environment': 'e', 'algorithm': 'RS256'}, ["key_name is required with source 'public_key'"]),
    ({'name': 'k', 'source': 'private_key', 'key_name': 'k', 'environment': 'e', 'algorithm': 'RSA'}, ["algorithm 'RSA' is a key type"]),
    ({'name': 'k', 'source': 'certificate', 'certificate_name': 'c', 'environment': 'e', 'algorithm': 'ES256', 'use': 'encryption'},
     ["algorithm 'ES256' does not fit use 'encryption'; allowed:", 'RSA-OAEP-256']),
    ({'name': 'k', 'source': 'certificate', 'certificate_name': 'c', 'environment': 'e', 'algorithm': 'RS256', 'key_type': 'RSA'},
     ["key_type does not apply to source 'certificate'"]),
    ({'name': 'k', 'source': 'clipboard'}, ["source 'clipboard' is not supported; allowed: generate, jwk, url"]),
    ({'name': ' '}, ['name must not be empty']),
])
def test_invalid_params_name_option_and_allowed(params, fragments):
    problems = J.validate_jwk_params(params)
    joined = '\n'.join(problems)
    for fragment in fragments:
        assert fragment in joined, (fragment, problems)


def test_every_problem_is_reported_at_once():
    problems = J.validate_jwk_params({'name': 'k', 'key_type': 'RSA', 'key_size': 1000, 'algorithm': 'ES256',
                                      'kid_type': 'x', 'not_before': 'y', 'url': 'https://x'})
    options = [p.split()[0] for p in problems]
    assert sorted(options) == ['algorithm', 'key_size', 'kid_type', 'not_before', 'url']


# ---------------------------------------------------------------- validation: source jwk

@pytest.mark.parametrize('kind,params,fragment', [
    ('EC', {'algorithm': 'RS256'}, "algorithm 'RS256' does not fit key_type 'EC' with use 'signature'"),
    ('EC', {'algorithm': 'ES384'}, "algorithm 'ES384' does not fit curve 'P-256'"),
    ('OKP', {'algorithm': 'ECDH-ES'}, "does not fit key_type 'OKP' with use 'signature'"),  # key says sig
    ('X25519', {'algorithm': 'EdDSA'}, "algorithm 'EdDSA' does not fit"),
    ('RSA', {'use': 'encryption', 'algorithm': 'RS256'}, "algorithm 'RS256' does not fit key_type 'RSA' with use 'encryption'"),
    ('OCT', {'algorithm': 'A128KW'}, "algorithm 'A128KW' needs key_size 128, not 256"),
    ('OCT', {'algorithm': 'OCT'}, "algorithm 'OCT' is a key type"),
])
def test_source_jwk_algorithm_checked_against_the_key(keys, kind, params, fragment):
    key = dict(keys[kind])
    if kind == 'OKP':
        key['use'] = 'sig'
    problems = J.validate_jwk_params(dict(params, name='k', source='jwk', jwk=key))
    assert any(fragment in p for p in problems), problems


def test_source_jwk_alg_member_conflict(keys):
    key = dict(keys['RSA'], alg='RS256', use='sig')
    problems = J.validate_jwk_params({'name': 'k', 'source': 'jwk', 'jwk': key, 'algorithm': 'PS256', 'use': 'encryption'})
    assert "use 'encryption' does not match the JWK's use 'signature' (sig)" in problems
    assert "algorithm 'PS256' does not match the JWK's alg 'RS256'" in problems


@pytest.mark.parametrize('kind,params', [
    ('RSA', {}), ('RSA', {'algorithm': 'PS512'}), ('RSA', {'use': 'encryption', 'algorithm': 'RSA-OAEP-256'}),
    ('EC', {'algorithm': 'ES256'}), ('EC', {'algorithm': 'ECDH-ES+A128KW'}), ('OKP', {'algorithm': 'EdDSA'}),
    ('X25519', {'algorithm': 'ECDH-ES'}), ('OCT', {'algorithm': 'HS256'}), ('OCT', {'algorithm': 'A256KW'}),
])
def test_source_jwk_valid(keys, kind, params):
    assert J.validate_jwk_params(dict(params, name='k', source='jwk', jwk=json.dumps(keys[kind]))) == []


def test_source_jwk_problems_never_echo_material(keys):
    key = dict(keys['RSA'], n=keys['RSA']['n'] + '*')
    problems = J.validate_jwk_params({'name': 'k', 'source': 'jwk', 'jwk': key})
    assert problems == ["jwk member 'n' is not base64url"]
    for secret in _private_values(keys['RSA']):
        assert secret not in '\n'.join(problems)


# ---------------------------------------------------------------- parse_user_jwk

def test_parse_accepts_dict_and_json_string(keys):
    key = keys['EC']
    assert J.parse_user_jwk(key) == key
    assert J.parse_user_jwk(json.dumps(key)) == key
    assert J.parse_user_jwk(json.dumps(key)) is not key


def test_parse_selects_from_set_by_kid(keys):
    jwks = {'keys': [J.public_jwk(keys['RSA']), J.public_jwk(keys['EC'])]}
    assert J.parse_user_jwk(jwks, kid='ec-1')['kty'] == 'EC'
    assert J.parse_user_jwk(json.dumps(jwks), kid='rsa-1')['kty'] == 'RSA'
    single = {'keys': [J.public_jwk(keys['OKP'])]}
    assert J.parse_user_jwk(single)['crv'] == 'Ed25519'


def test_parse_single_jwk_without_kid_takes_the_given_kid(keys):
    key = dict(keys['EC'])
    del key['kid']
    assert J.parse_user_jwk(key, kid='chosen')['kid'] == 'chosen'
    assert 'kid' not in key


@pytest.mark.parametrize('value,kid,fragment', [
    ('{"kty": "RSA", ', None, 'jwk is not valid JSON'),
    ('', None, 'jwk is empty'),
    ('[1, 2]', None, 'jwk must be a JSON object'),
    ({'keys': []}, None, 'keys member is not a non-empty list'),
    ({'kty': 'DSA'}, None, "jwk has kty 'DSA'; allowed: EC, OKP, RSA, oct"),
    ({'kty': 'RSA', 'e': 'AQAB'}, None, 'jwk (kty RSA) lacks required member(s): n'),
    ({'kty': 'EC', 'crv': 'P-256'}, None, 'lacks required member(s): x, y'),
    ({'kty': 'oct'}, None, 'lacks required member(s): k'),
    ({'kty': 'OKP', 'crv': 'Ed448', 'x': 'AAAA'}, None, "unsupported crv 'Ed448'; allowed: Ed25519, X25519"),
    ({'kty': 'EC', 'crv': 'P-256', 'x': 'AAAA', 'y': 'AAAA'}, None, "member 'x' must decode to 32 bytes for crv P-256, got 3"),
    ({'kty': 'RSA', 'n': 'ab+/', 'e': 'AQAB'}, None, "member 'n' is not base64url"),
    ({'kty': 'oct', 'k': 'AAAA', 'use': 'signing'}, None, "use 'signing' is not one of: sig, enc"),
    ({'kty': 'oct', 'k': 'AAAA', 'alg': 'XS256'}, None, "alg 'XS256' is not a registered JOSE algorithm"),
    ({'kty': 'oct', 'k': 'AAAA', 'kid': 'a'}, 'b', "kid 'b' is not in the JWK; available: a"),
])
def test_parse_errors(value, kid, fragment):
    with pytest.raises(ValueError) as err:
        J.parse_user_jwk(value, kid=kid)
    assert fragment in str(err.value)


def test_set_with_several_keys_needs_kid_and_lists_only_kids(keys):
    jwks = {'keys': [keys['RSA'], keys['EC'], dict(keys['OCT'], kid=None)]}
    with pytest.raises(ValueError) as err:
        J.parse_user_jwk(json.dumps(jwks))
    message = str(err.value)
    assert message == ('jwk is a JWK Set with 3 keys: set kid to one of: rsa-1, ec-1; 1 key(s) without a kid cannot be '
                       'selected from the set: pass such a key on its own as jwk (a JWK, not a JWK Set)')
    assert 'key without kid' not in message
    with pytest.raises(ValueError) as err:
        J.parse_user_jwk(jwks, kid='nope')
    assert str(err.value).startswith("kid 'nope' is not in the JWK Set; available: rsa-1, ec-1; 1 key(s) without a kid")


@pytest.mark.parametrize('kind', ['RSA', 'EC', 'OKP', 'OCT'])
def test_parse_error_messages_never_contain_key_material(keys, kind):
    broken = dict(keys[kind])
    for member in list(broken):
        if member in ('x', 'n'):
            del broken[member]  # a missing public member: error mentions only member names
    broken['d' if kind != 'OCT' else 'k'] = broken.get('d', broken.get('k')) + '!'
    with pytest.raises(ValueError) as err:
        J.parse_user_jwk(json.dumps({'keys': [broken]}))
    message = str(err.value)
    for value in keys[kind].values():
        if len(value) > 8:
            assert value not in message
    with pytest.raises(ValueError) as err:
        J.parse_user_jwk(json.dumps(keys[kind])[:-3])
    for value in keys[kind].values():
        if len(value) > 8:
            assert value not in str(err.value)


# ---------------------------------------------------------------- thumbprints, sizes, public parts

def test_rfc7638_example():
    assert J.thumbprint(RFC7638_JWK) == RFC7638_THUMBPRINT
    # member order, extra members and private members do not matter
    shuffled = dict(reversed(list(RFC7638_JWK.items())), use='sig', d='AAAA')
    assert J.thumbprint(shuffled) == RFC7638_THUMBPRINT


@pytest.mark.parametrize('kind', ['RSA', 'EC', 'OKP', 'X25519', 'OCT'])
def test_thumbprint_uses_only_required_members(keys, kind):
    key = keys[kind]
    expected_members = J.THUMBPRINT_MEMBERS[key['kty']]
    canonical = json.dumps(dict((m, key[m]) for m in expected_members), sort_keys=True, separators=(',', ':'))
    expected = _b64(hashlib.sha256(canonical.encode()).digest())
    assert J.thumbprint(key) == expected
    if kind != 'OCT':
        assert J.thumbprint(J.public_jwk(key)) == expected
    assert J.thumbprint(dict(key, kid='other', alg='x')) == expected


def test_thumbprint_of_incomplete_key_is_none():
    assert J.thumbprint({'kty': 'RSA', 'e': 'AQAB'}) is None
    assert J.thumbprint(None) is None


def test_key_size_of():
    assert J.key_size_of(RFC7638_JWK) == 2048
    assert J.key_size_of(_oct_jwk(128)) == 128
    assert J.key_size_of(_oct_jwk(192)) == 192
    assert J.key_size_of({'kty': 'EC', 'crv': 'P-256'}) is None


def test_key_size_of_rsa_3072():
    assert J.key_size_of(_rsa_jwk(3072)) == 3072


@pytest.mark.parametrize('kind,public', [
    ('RSA', {'kty', 'kid', 'n', 'e'}), ('EC', {'kty', 'kid', 'crv', 'x', 'y'}), ('OKP', {'kty', 'kid', 'crv', 'x'}), ('OCT', {'kty', 'kid'}),
])
def test_public_jwk_and_strip_private(keys, kind, public):
    key = dict(keys[kind], use='sig')
    assert set(J.public_jwk(key)) == public | {'use'}
    stripped = J.strip_private(key)
    assert not set(stripped) & J.PRIVATE_MEMBERS
    api = _api_jwk(key)
    stripped_api = J.strip_private({'resultList': [api]})
    member = stripped_api['resultList'][0][kind.lower()]
    assert not set(member) & J.PRIVATE_MEMBERS
    assert key == dict(keys[kind], use='sig'), 'inputs are not modified'


def test_strip_private_on_member_without_kty(keys):
    member = dict(keys['EC'])
    del member['kty']
    out = J.strip_private({'name': 'n', 'type': 'EC', 'ec': member})
    assert 'd' not in out['ec'] and 'kty' not in out['ec'] and out['ec']['x'] == member['x']


def test_api_jwk_to_jwk_reads_the_type_named_member(keys):
    member = dict(keys['OCT'])
    del member['kty']
    del member['kid']
    api = {'name': 'n', 'type': 'OCT', 'kid': 'top', 'oct': dict(member, use='SIGNATURE', alg='HS256')}
    jwk = J.api_jwk_to_jwk(api)
    assert jwk['kty'] == 'oct' and jwk['kid'] == 'top' and jwk['use'] == 'sig' and jwk['k'] == member['k']
    assert J.api_jwk_to_jwk({'name': 'summary', 'type': 'RSA'}) is None
    as_string = {'type': 'EC', 'ec': json.dumps(keys['EC'])}
    assert J.api_jwk_to_jwk(as_string)['crv'] == 'P-256'


# ---------------------------------------------------------------- describe, diff, compare

@pytest.mark.parametrize('kind', ['RSA', 'EC', 'OKP', 'X25519', 'OCT'])
def test_describe_and_diff_never_leak_private_members(keys, kind):
    api = _api_jwk(dict(keys[kind], use='sig'))
    secrets = _private_values(keys[kind])
    described = J.describe(api)
    view = J.diff_view(api)
    result = J.compare(J.desired_facts({'name': 'my-jwk', 'source': 'jwk', 'jwk': keys[kind], 'description': 'other'}), api)
    for output in (described, view, result, J.jwk_set([api]), J.strip_private(api)):
        text = json.dumps(output)
        for secret in secrets:
            assert secret not in text
    assert described['thumbprint'] == J.thumbprint(keys[kind])
    assert view['thumbprint'] == described['thumbprint']
    private = J.describe(api, include_private=True)
    assert any(secret in json.dumps(private) for secret in secrets)


def test_describe_shape(keys):
    api = _api_jwk(dict(keys['EC'], use='sig', alg='ES256'), source='URL')
    assert J.describe(api) == {
        'id': None, 'name': 'my-jwk', 'description': 'demo', 'source_type': 'url', 'key_type': 'EC', 'kid': 'ec-1',
        'use': 'signature', 'alg': 'ES256', 'curve': 'P-256', 'thumbprint': J.thumbprint(keys['EC']),
        'public_jwk': J.public_jwk(dict(keys['EC'], use='sig', alg='ES256')),
    }
    rsa_view = J.diff_view(_api_jwk(keys['RSA']))
    assert rsa_view['key_size'] == 2048 and 'curve' not in rsa_view and rsa_view['use'] is None
    assert J.diff_view(None) == {}
    summary = J.describe({'id': '6650f1c2', 'name': 's', 'type': 'RSA', 'sourceType': 'GENERATE', 'kid': 'k'})
    assert summary['id'] == '6650f1c2'
    assert summary['thumbprint'] is None and summary['public_jwk'] is None and summary['source_type'] == 'generate'


def test_jwk_set_is_publishable(keys):
    doc = J.jwk_set([_api_jwk(keys['RSA']), _api_jwk(keys['EC']), {'name': 'summary-only', 'type': 'RSA'}])
    assert [k['kid'] for k in doc['keys']] == ['rsa-1', 'ec-1']


def test_compare_equal_is_empty(keys):
    api = _api_jwk(dict(keys['EC'], use='sig', alg='ES256'), source='COPY_PASTE', description='  demo ')
    desired = J.desired_facts({'name': 'my-jwk', 'source': 'jwk', 'jwk': json.dumps(keys['EC']), 'description': 'demo',
                               'use': 'signature', 'algorithm': 'es256'})
    assert J.compare(desired, api) == {'update': {}, 'replace': {}}


@pytest.mark.parametrize('server_member,params,expected', [
    # normalisation: enum alg, sig vs signature, crv spelling, kty case, description None == ''
    ({'use': 'SIGNATURE', 'alg': 'ES256', 'crv': 'P256'}, {'use': 'signature', 'algorithm': 'ES256', 'curve': 'P-256', 'key_type': 'EC'}, {}),
    ({'alg': 'ECDH_ES_A128KW', 'use': 'enc'}, {'algorithm': 'ECDH-ES+A128KW', 'use': 'encryption'}, {}),
    ({'use': 'sig'}, {'use': 'encryption'}, {'use': ('signature', 'encryption')}),
    ({'alg': 'ES256'}, {'algorithm': 'ES384', 'curve': 'P-384'}, {'alg': ('ES256', 'ES384'), 'curve': ('P-256', 'P-384')}),
    ({}, {'key_type': 'RSA'}, {'key_type': ('EC', 'RSA')}),
    ({}, {'kid': 'other'}, {'kid': ('ec-1', 'other')}),
    ({}, {'source': 'url'}, {'source': ('generate', 'url')}),
    # the server does not report use/alg: never a difference
    ({}, {'use': 'encryption', 'algorithm': 'ECDH-ES'}, {}),
])
def test_compare_replace_fields(keys, server_member, params, expected):
    api = _api_jwk(dict(keys['EC'], **server_member))
    desired = J.desired_facts(dict(params, name='my-jwk'))
    result = J.compare(desired, api)
    assert result['replace'] == expected
    assert result['update'] == {}


def test_compare_unspecified_fields_are_never_differences(keys):
    api = _api_jwk(dict(keys['RSA'], use='enc', alg='RSA-OAEP-256'), description='x')
    assert J.compare(J.desired_facts({'name': 'my-jwk'}), api) == {'update': {}, 'replace': {}}
    # the default key type (RSA) is not something the user specified
    api_ec = _api_jwk(keys['EC'])
    assert J.compare(J.desired_facts({'name': 'my-jwk', 'source': 'generate'}), api_ec) == {'update': {}, 'replace': {}}


@pytest.mark.parametrize('server,desired,expected', [
    (None, '', {}), ('', None, {}), ('  same ', 'same', {}), (None, 'new', {'description': ('', 'new')}),
    ('old', '', {'description': ('old', '')}), ('Old', 'old', {'description': ('Old', 'old')}),
])
def test_compare_description_is_the_only_update(keys, server, desired, expected):
    api = _api_jwk(keys['OKP'], description=server)
    params = {'name': 'my-jwk'}
    if desired is not None:
        params['description'] = desired
    result = J.compare(J.desired_facts(params), api)
    assert result == {'update': expected, 'replace': {}}


def test_compare_key_material_by_thumbprint(keys):
    api = _api_jwk(keys['RSA'], source='COPY_PASTE')
    other = _rsa_jwk(kid='rsa-1')
    result = J.compare(J.desired_facts({'name': 'my-jwk', 'source': 'jwk', 'jwk': other}), api)
    assert list(result['replace']) == ['thumbprint']
    before, after = result['replace']['thumbprint']
    assert before == J.thumbprint(keys['RSA']) and after == J.thumbprint(other)
    # the public part alone matches a server key holding the private part
    same = J.compare(J.desired_facts({'name': 'my-jwk', 'source': 'jwk', 'jwk': J.public_jwk(keys['RSA'])}), api)
    assert same == {'update': {}, 'replace': {}}


def test_compare_key_size_from_material(keys):
    api = _api_jwk(keys['RSA'])
    assert J.compare(J.desired_facts({'name': 'my-jwk', 'key_size': 4096}), api)['replace'] == {'key_size': (2048, 4096)}
    assert J.compare(J.desired_facts({'name': 'my-jwk', 'key_type': 'RSA', 'key_size': 2048}), api)['replace'] == {}


def test_describe_differences_one_sentence_per_field_sorted_without_key_material(keys):
    api = _api_jwk(keys['RSA'], source='COPY_PASTE')
    other = _rsa_jwk(kid='other')
    replace = J.compare(J.desired_facts({'name': 'my-jwk', 'source': 'jwk', 'jwk': other}), api)['replace']
    sentences = J.describe_differences(replace)
    assert sentences == [
        'kid: the server has rsa-1, the task asks for other',
        'thumbprint: the server has %s, the task asks for %s' % (J.thumbprint(keys['RSA']), J.thumbprint(other)),
    ]
    text = ' '.join(sentences)
    for secret in _private_values(keys['RSA']) + _private_values(other) + [keys['RSA']['n'], other['n']]:
        assert secret not in text
    assert J.describe_differences({}) == []


def test_desired_diff_view_for_generate_and_jwk(keys):
    view = J.desired_diff_view({'name': 'n', 'key_type': 'EC', 'curve': 'P-521'})
    # a description the task does not set is not predicted (the server's answer decides it)
    assert view == {'name': 'n', 'description': None, 'source': None, 'key_type': 'EC', 'kid': None, 'use': 'signature',
                    'alg': 'ES512', 'curve': 'P-521', 'thumbprint': None}
    view = J.desired_diff_view({'name': 'n', 'source': 'jwk', 'jwk': keys['OKP'], 'description': 'd'})
    assert view['thumbprint'] == J.thumbprint(keys['OKP']) and view['curve'] == 'Ed25519'
    assert not set(json.dumps(view).split('"')) & set(_private_values(keys['OKP']))


# ---------------------------------------------------------------- request bodies

@pytest.mark.parametrize('params,expected', [
    ({'name': 'n'}, {'name': 'n', 'type': 'RSA', 'rsa': {'keySize': 2048, 'keyUseType': 'SIGNATURE', 'algorithm': 'RSA256'}}),
    ({'name': 'n', 'description': 'd', 'kid': 'k1', 'key_type': 'EC', 'curve': 'secp256k1', 'kid_type': 'sha256',
      'not_before': '2030-01-01T00:00:00Z', 'expiration': '2031-01-01T00:00:00Z'},
     {'name': 'n', 'description': 'd', 'kid': 'k1', 'type': 'EC',
      'ec': {'curveType': 'SECP256K1', 'keyUseType': 'SIGNATURE', 'algorithm': 'ES256K', 'keyIdType': 'SHA256',
             'notBeforeTime': '2030-01-01T00:00:00Z', 'expirationTime': '2031-01-01T00:00:00Z'}}),
    ({'name': 'n', 'algorithm': 'ES384'}, {'name': 'n', 'type': 'EC', 'ec': {'curveType': 'P384', 'keyUseType': 'SIGNATURE', 'algorithm': 'ES384'}}),
    ({'name': 'n', 'key_type': 'OKP'}, {'name': 'n', 'type': 'OKP', 'okp': {'curveType': 'ED25519', 'keyUseType': 'SIGNATURE', 'algorithm': 'EdDSA'}}),
    ({'name': 'n', 'key_type': 'OKP', 'use': 'encryption'},
     {'name': 'n', 'type': 'OKP', 'okp': {'curveType': 'X25519', 'keyUseType': 'ENCRYPTION', 'algorithm': 'ECDH_ES'}}),
    ({'name': 'n', 'key_type': 'RSA', 'use': 'encryption', 'key_size': 4096},
     {'name': 'n', 'type': 'RSA', 'rsa': {'keySize': 4096, 'keyUseType': 'ENCRYPTION', 'algorithm': 'RSA_OAEP_256'}}),
    ({'name': 'n', 'key_type': 'OCT'}, {'name': 'n', 'type': 'OCT', 'oct': {'keySize': 256, 'keyUseType': 'SIGNATURE', 'algorithm': 'HS256'}}),
    ({'name': 'n', 'algorithm': 'A192KW'}, {'name': 'n', 'type': 'OCT', 'oct': {'keySize': 192, 'keyUseType': 'ENCRYPTION', 'algorithm': 'A192KW'}}),
    ({'name': 'n', 'key_type': 'oct', 'use': 'encryption', 'algorithm': 'PBES2-HS256+A128KW', 'password_salt_length': 16,
      'password_iteration_count': 5000},
     {'name': 'n', 'type': 'OCT',
      'oct': {'keySize': 256, 'keyUseType': 'ENCRYPTION', 'algorithm': 'PBES2_HS256_A128KW',
              'passwordSaltLength': 16, 'passwordIterationCount': 5000}}),
])
def test_build_generate_body(params, expected):
    assert J.validate_jwk_params(params) == []
    assert J.build_generate_body(params) == expected


@pytest.mark.parametrize('params,expected', [
    ({'name': 'n', 'source': 'url', 'url': 'https://idp/jwks', 'kid': 'a', 'url_connect_timeout': 1000, 'url_size_limit': 2048},
     {'name': 'n', 'sourceType': 'URL', 'url': 'https://idp/jwks', 'kid': 'a', 'urlOptionConnectTimeout': 1000, 'urlOptionSizeLimit': 2048}),
    ({'name': 'n', 'description': 'd', 'source': 'certificate', 'certificate_name': 'c', 'environment': 'prod', 'algorithm': 'ps256',
      'use': 'signature'},
     {'name': 'n', 'description': 'd', 'sourceType': 'CERTIFICATE', 'certificateName': 'c', 'environmentName': 'prod',
      'useType': 'SIGNATURE', 'algorithm': 'PS256'}),
    ({'name': 'n', 'source': 'public_key', 'key_name': 'k', 'environment': 'prod', 'algorithm': 'RSA-OAEP-256',
      'use': 'encryption'},
     {'name': 'n', 'sourceType': 'PUBLIC_KEY', 'keyName': 'k', 'environmentName': 'prod', 'useType': 'ENCRYPTION', 'algorithm': 'RSA-OAEP-256'}),
    ({'name': 'n', 'source': 'private_key', 'key_name': 'k', 'environment': 'prod', 'algorithm': 'ES256', 'use': 'signature'},
     {'name': 'n', 'sourceType': 'PRIVATE_KEY', 'keyName': 'k', 'environmentName': 'prod', 'useType': 'SIGNATURE', 'algorithm': 'ES256'}),
    ({'name': 'n', 'source': 'keystore', 'keystore_name': 's', 'alias': 'demo', 'environment': 'prod', 'algorithm': 'ECDH-ES+A128KW',
      'use': 'encryption'},
     {'name': 'n', 'sourceType': 'KEYSTORE', 'keyStoreName': 's', 'aliasName': 'demo', 'environmentName': 'prod',
      'useType': 'ENCRYPTION', 'algorithm': 'ECDH-ES+A128KW'}),
])
def test_build_create_body(params, expected):
    assert J.validate_jwk_params(params) == []
    assert J.build_create_body(params) == expected


def test_build_create_body_jwk_sends_the_chosen_key_compactly(keys):
    jwks = {'keys': [keys['RSA'], keys['EC']]}
    params = {'name': 'n', 'source': 'jwk', 'jwk': json.dumps(jwks), 'kid': 'ec-1', 'algorithm': 'ES256'}
    assert J.validate_jwk_params(params) == []
    body = J.build_create_body(params)
    assert body['sourceType'] == 'COPY_PASTE' and body['kid'] == 'ec-1'
    assert ' ' not in body['jwkStr']
    sent = json.loads(body['jwkStr'])
    assert sent == dict(keys['EC'], alg='ES256')
    assert keys['RSA']['n'] not in body['jwkStr']


def test_build_create_body_rejects_generate():
    with pytest.raises(ValueError):
        J.build_create_body({'name': 'n', 'source': 'generate'})


def test_no_cryptography_import_in_module_utils():
    source = ''.join(inspect.getsource(module) for module in JWK_MODULES)
    assert 'import cryptography' not in source and 'from cryptography' not in source


@pytest.mark.parametrize('server_source,server_url,params,expected', [
    # a description update detached the JWK from its URL: still the task's JWK
    ('COPY_PASTE', None, {'source': 'url', 'url': 'https://idp/jwks'}, {}),
    ('COPY_PASTE', None, {'source': 'keystore'}, {}),
    ('URL', 'https://idp/jwks', {'source': 'url', 'url': 'https://idp/jwks'}, {}),
    ('URL', 'https://idp/jwks', {'source': 'url', 'url': 'https://other/jwks'}, {'url': ('https://idp/jwks', 'https://other/jwks')}),
    ('URL', None, {'source': 'url', 'url': 'https://other/jwks'}, {}),
    ('URL', 'https://idp/jwks', {'source': 'jwk'}, {'source': ('url', 'jwk')}),
    ('CERTIFICATE', None, {'source': 'url', 'url': 'https://idp/jwks'}, {'source': ('certificate', 'url')}),
])
def test_compare_sources(keys, server_source, server_url, params, expected):
    api = _api_jwk(keys['EC'], source=server_source)
    if server_url:
        api['sourceUrl'] = server_url
    assert J.compare(J.desired_facts(dict(params, name='my-jwk')), api)['replace'] == expected


def test_jwk_set_leaves_out_oct_keys(keys):
    doc = J.jwk_set([_api_jwk(keys['OCT']), _api_jwk(keys['OKP'])])
    assert [k['kty'] for k in doc['keys']] == ['OKP']


@pytest.mark.parametrize('member_alg,public_alg,described_alg', [
    ('dir', 'dir', 'dir'), ('DIR', 'dir', 'dir'), ('A256GCM', 'A256GCM', 'A256GCM'), ('A256KW', 'A256KW', 'A256KW'),
    ('PBES2_HS256_A128KW', 'PBES2-HS256+A128KW', 'PBES2-HS256+A128KW'),
])
def test_alg_spellings_from_the_server(keys, member_alg, public_alg, described_alg):
    api = _api_jwk(dict(keys['OCT'], alg=member_alg, use='enc'))
    assert J.api_jwk_to_jwk(api)['alg'] == public_alg
    assert J.describe(api)['alg'] == described_alg
    assert J.compare(J.desired_facts({'name': 'my-jwk', 'algorithm': described_alg.lower()}), api)['replace'] == {}


class _NoLogModule(object):
    """What narrow_jwk_no_log uses of an AnsibleModule: params and no_log_values."""

    def __init__(self, params, no_log_values):
        self.params = params
        self.no_log_values = set(no_log_values)


def test_narrow_jwk_no_log_unmasks_public_members_only(keys):
    key = dict(keys['RSA'], use='sig', alg='RS256')
    raw = json.dumps({'keys': [key]})
    registered = set(str(v) for v in key.values()) | {'the-token'}
    module = _NoLogModule({'jwk': raw, 'apinizer_token': 'the-token'}, registered)
    J.narrow_jwk_no_log(module)
    for member in ('kty', 'kid', 'use', 'alg', 'n', 'e'):
        assert key[member] not in module.no_log_values
    for secret in _private_values(keys['RSA']) + ['the-token', raw]:
        assert secret in module.no_log_values


def test_narrow_jwk_no_log_keeps_a_public_value_that_is_also_a_secret(keys):
    # a kid equal to the token stays masked: the token must never show
    key = dict(keys['EC'], kid='the-token')
    module = _NoLogModule({'jwk': json.dumps(key), 'apinizer_token': 'the-token'}, set(key.values()))
    J.narrow_jwk_no_log(module)
    assert 'the-token' in module.no_log_values and key['d'] in module.no_log_values
    assert key['x'] not in module.no_log_values


def test_narrow_jwk_no_log_leaves_non_json_masked_whole():
    module = _NoLogModule({'jwk': 'not json'}, set())
    J.narrow_jwk_no_log(module)
    assert module.no_log_values == {'not json'}


def test_narrow_jwk_no_log_registers_the_private_members_of_a_json_string_on_their_own(keys):
    # a JWK given as a JSON string is registered by AnsibleModule only as a whole
    raw = json.dumps(dict(keys['EC'], kid='sig-20261204T125803Z'))
    module = _NoLogModule({'jwk': raw}, {raw})
    J.narrow_jwk_no_log(module)
    assert keys['EC']['d'] in module.no_log_values and raw in module.no_log_values
    assert 'sig-20261204T125803Z' not in module.no_log_values


def test_the_client_masks_private_members_not_the_public_text_of_a_jwk_document(keys):
    # The role names a generation's JWK after its kid: the server's "not found" text must keep the
    # name (a fragment of the whole document) or the module cannot read it as "missing".
    from ansible_collections.apinizer.apiops.plugins.module_utils.client import ApinizerClient
    from ansible_collections.apinizer.apiops.plugins.module_utils.masking import jwk_document
    name = 'sig-20261204T125803Z'
    raw = json.dumps(dict(keys['EC'], kid=name))
    assert jwk_document(raw) and jwk_document(json.dumps({'keys': []}))
    assert not jwk_document('{"password": "x"}') and not jwk_document('not json') and not jwk_document('{')
    module = _NoLogModule({'jwk': raw}, {raw})
    J.narrow_jwk_no_log(module)
    client = ApinizerClient('https://apinizer.example.com', token='tok-' + 'x' * 20)
    client.add_no_log_values(module.no_log_values)
    text = client.mask('JWK (name: %s) is not found! echo: %s' % (name, keys['EC']['d'][:20]))
    assert name in text and keys['EC']['d'][:20] not in text


def test_public_members_are_every_rfc_public_member():
    assert J.PUBLIC_MEMBERS == frozenset(('kty', 'kid', 'use', 'alg', 'crv', 'n', 'e', 'x', 'y', 'key_ops',
                                          'x5u', 'x5c', 'x5t', 'x5t#S256'))
    assert not J.PUBLIC_MEMBERS & J.PRIVATE_MEMBERS


# ---- facts the server does not report (issue 12 item 6) ------------------------------------------

def test_unverified_names_stated_facts_the_server_leaves_out(keys):
    documented = _api_jwk(dict((k, v) for k, v in keys['EC'].items() if k not in ('use', 'alg')))
    params = {'name': 'my-jwk', 'use': 'signature', 'algorithm': 'es256', 'curve': 'P-256'}
    assert jwk_state.unverified(params, documented) == {'use': 'signature', 'alg': 'ES256'}
    assert jwk_state.unverified_options({'use': 'signature', 'alg': 'ES256'}) == ['algorithm', 'use']
    # No difference either way: unverified is not "different".
    assert J.compare(J.desired_facts(params), documented)['replace'] == {}
    reported = _api_jwk(dict(keys['EC'], use='sig', alg='ES256'))
    assert jwk_state.unverified(params, reported) == {}
    # Unstated facts are never unverified; a description is compared even when unreported.
    assert jwk_state.unverified({'name': 'my-jwk', 'description': 'x'}, dict(documented, description=None)) == {}
    # use/alg inside a given JWK are not options the task asks for: its material is compared by thumbprint.
    given = {'name': 'my-jwk', 'source': 'jwk', 'jwk': json.dumps(dict(keys['EC'], use='sig', alg='ES256'))}
    assert jwk_state.unverified(given, documented) == {}
    assert jwk_state.unverified_sentence('my-jwk', {}) == ''
