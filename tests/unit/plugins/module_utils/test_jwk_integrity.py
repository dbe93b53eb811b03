# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Issue 13 rules: the JOSE alg registry and its two spellings, what a gateway needs of an imported
JWK (private part, key_ops, x5c, x5t, x5t#S256), kid-less keys in sets, duplicate kids."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from ansible_collections.apinizer.apiops.plugins.module_utils import (
    jwk_bodies,
    jwk_material,
    jwk_state,
    jwk_validation,
    jwk_vocabulary,
)


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode('ascii')


@pytest.fixture(scope='module')
def ec_private():
    numbers = ec.generate_private_key(ec.SECP256R1()).private_numbers()
    return {'kty': 'EC', 'crv': 'P-256', 'kid': 'ec-1',
            'x': b64u(numbers.public_numbers.x.to_bytes(32, 'big')),
            'y': b64u(numbers.public_numbers.y.to_bytes(32, 'big')),
            'd': b64u(numbers.private_value.to_bytes(32, 'big'))}


@pytest.fixture(scope='module')
def ec_public(ec_private):
    return dict((k, v) for k, v in ec_private.items() if k != 'd')


OCT = {'kty': 'oct', 'kid': 'oct-1', 'k': b64u(b'\x01' * 32)}


def api(jwk, source='COPY_PASTE'):
    kty = jwk['kty'].upper()
    return {'name': 'k', 'description': '', 'sourceType': source, 'type': kty, 'kid': jwk.get('kid'),
            kty.lower(): dict(jwk)}


def task(jwk, **options):
    return dict({'name': 'k', 'source': 'jwk', 'jwk': jwk, 'state': 'present', 'regenerate': 'when_different'},
                **options)


# ---- the registry ------------------------------------------------------------------------------

# RFC 7518 3.1, 4.1, 5.1; RFC 8037; RFC 8812; RFC 9864; WebCrypto
REGISTERED = ('HS256', 'RS512', 'PS384', 'ES256K', 'EdDSA', 'Ed25519', 'Ed448', 'RSA-OAEP-384', 'dir',
              'A128KW', 'A256GCMKW', 'ECDH-ES+A256KW', 'PBES2-HS512+A256KW',
              'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512', 'A128GCM', 'A192GCM', 'A256GCM')


@pytest.mark.parametrize('alg', REGISTERED)
def test_every_registered_alg_is_accepted_in_a_jwk_member(alg):
    assert jwk_material.parse_user_jwk(dict(OCT, alg=alg))['alg'] == alg
    assert jwk_validation.validate_jwk_params(task(dict(OCT, alg=alg))) == []


def test_the_rfc_7520_3_6_key_is_accepted():
    key = {'kty': 'oct', 'kid': '1e571774-2e08-40da-8308-e8d68773842d', 'use': 'enc', 'alg': 'A256GCM',
           'k': 'AAPapAv4LbFbiVawEjagUBluYqN5rhna-8nuldDvOx8'}
    assert jwk_validation.validate_jwk_params(task(key)) == []


@pytest.mark.parametrize('alg,fragment', [
    ('DIR', "member alg 'DIR' is spelled 'dir' in the IANA JOSE registry (alg is case-sensitive)"),
    ('a256gcm', "member alg 'a256gcm' is spelled 'A256GCM'"),
    ('none', "member alg 'none' is not a registered JOSE algorithm"),
    ('XS256', "member alg 'XS256' is not a registered JOSE algorithm"),
    (256, 'member alg must be a string'),
])
def test_a_jwk_member_alg_must_be_registered_and_spelled_as_registered(alg, fragment):
    with pytest.raises(ValueError) as err:
        jwk_material.parse_user_jwk(dict(OCT, alg=alg))
    assert fragment in str(err.value)


def test_the_algorithm_option_takes_only_what_the_api_field_takes():
    problems = jwk_validation.validate_jwk_params(task(dict(OCT), algorithm='A256GCM'))
    assert len(problems) == 1
    assert problems[0].startswith("algorithm 'A256GCM' is a registered JOSE algorithm the API's algorithm field "
                                  "does not take; a JWK may carry it in its own alg member (source jwk)")


@pytest.mark.parametrize('value,expected', [('dir', 'dir'), ('DIR', 'dir'), ('Dir', 'dir'), ('A256GCM', 'A256GCM'),
                                            ('RSA_OAEP_256', 'RSA-OAEP-256'), ('rs256', 'RS256'), ('RSA256', 'RS256')])
def test_normalise_alg_gives_the_rfc_spelling(value, expected):
    assert jwk_vocabulary.normalise_alg(value) == expected


# ---- dir: the RFC spelling in the JWK, the API's in API fields -----------------------------------

def test_algorithm_dir_writes_rfc_dir_into_the_imported_jwk():
    params = task(dict(OCT), algorithm='dir', use='encryption', description=None, kid=None)
    body = jwk_bodies.build_create_body(params)
    assert body == {'name': 'k', 'sourceType': 'COPY_PASTE',
                    'jwkStr': json.dumps(dict(OCT, alg='dir', use='enc'), separators=(',', ':'), sort_keys=True)}
    assert '"alg":"dir"' in body['jwkStr'] and 'DIR' not in body['jwkStr']


@pytest.mark.parametrize('spelling', ['dir', 'DIR'])
def test_algorithm_dir_uses_the_api_spelling_in_api_fields(spelling):
    stored = {'name': 'k', 'source': 'certificate', 'certificate_name': 'c', 'environment': 'e',
              'use': 'encryption', 'algorithm': spelling}
    assert jwk_bodies.build_create_body(stored)['algorithm'] == 'DIR'
    generated = {'name': 'k', 'source': 'generate', 'key_type': 'OCT', 'key_size': 256, 'use': 'encryption',
                 'algorithm': spelling}
    assert jwk_bodies.build_generate_body(generated)['oct']['algorithm'] == 'DIR'


def test_algorithm_dir_matches_a_jwk_that_says_dir():
    assert jwk_validation.validate_jwk_params(task(dict(OCT, alg='dir'), algorithm='DIR')) == []
    # and a server that stored the API's spelling is the same algorithm (normalised on both sides)
    found = jwk_state.compare(jwk_state.desired_state(task(dict(OCT, alg='dir'))), api(dict(OCT, alg='DIR')))
    assert found['replace'] == {}
    assert jwk_state.jwk_view(api(dict(OCT, alg='DIR')))['alg'] == 'dir'


# ---- what a gateway needs: private part and the members it acts on -------------------------------

def test_a_private_import_over_a_public_only_copy_is_a_difference(ec_private, ec_public):
    result = jwk_state.plan(task(ec_private), api(ec_public))
    assert result['actions'] == ['delete', 'create']
    assert result['differences'] == [
        'key_part: the server has public only, the task asks for public and private']
    refused = jwk_state.plan(task(ec_private, regenerate='fail'), api(ec_public))
    assert refused['refused'] is True and refused['actions'] == []


def test_a_public_import_is_satisfied_by_either_copy(ec_private, ec_public):
    for server in (ec_public, ec_private):
        assert jwk_state.plan(task(ec_public), api(server))['actions'] == []
    assert jwk_state.plan(task(ec_private), api(ec_private))['actions'] == []


def test_oct_keys_have_no_private_part_rule():
    assert jwk_material.key_part(OCT) is None
    assert 'key_part' not in jwk_state.desired_state(task(dict(OCT)))


CERT_A = base64.b64encode(b'certificate A DER').decode('ascii')
CERT_B = base64.b64encode(b'certificate B DER').decode('ascii')


@pytest.mark.parametrize('member,before,after', [
    ('use', 'sig', 'enc'),
    ('alg', 'ES256', 'ECDH-ES'),
    ('key_ops', ['verify'], ['verify', 'sign']),
    ('x5c', [CERT_A], [CERT_B]),
    ('x5c', [CERT_A, CERT_B], [CERT_B, CERT_A]),
    ('x5t', 'AAAA', 'BBBB'),
    ('x5t#S256', 'AAAA', 'BBBB'),
])
def test_a_changed_member_is_a_difference(ec_public, member, before, after):
    desired = jwk_state.desired_state(task(dict(ec_public, **{member: after})))
    found = jwk_state.compare(desired, api(dict(ec_public, **{member: before})))
    assert list(found['replace']) == [member]
    assert found['update'] == {}


@pytest.mark.parametrize('member,before,after', [
    ('key_ops', ['verify', 'sign'], ['sign', 'verify', 'sign']),   # a set
    ('x5c', [CERT_A[:8] + '\n' + CERT_A[8:]], [CERT_A]),            # line breaks in base64
    ('x5t', 'AAAAAA==', 'AAAAAA'),                                 # padding
    ('alg', 'ES256', 'es256'),
    ('use', 'SIG', 'sig'),
])
def test_members_are_normalised_on_both_sides(ec_public, member, before, after):
    if member == 'alg':
        desired = jwk_state.desired_state(task(dict(ec_public), algorithm=after))
    elif member == 'use':
        desired = jwk_state.desired_state(task(dict(ec_public), use='signature'))
    else:
        desired = jwk_state.desired_state(task(dict(ec_public, **{member: after})))
    assert jwk_state.compare(desired, api(dict(ec_public, **{member: before})))['replace'] == {}


def test_a_member_the_server_does_not_report_is_never_a_difference(ec_public):
    desired = jwk_state.desired_state(task(dict(ec_public, key_ops=['verify'], x5c=[CERT_A], x5t='AAAA')))
    assert jwk_state.compare(desired, api(ec_public))['replace'] == {}


def test_x5c_is_compared_by_certificate_fingerprint(ec_public):
    facts = jwk_material.member_facts(dict(ec_public, x5c=[CERT_A]))
    assert facts == {'x5c': b64u(hashlib.sha256(b'certificate A DER').digest())}


# ---- JWK Sets ----------------------------------------------------------------------------------

def test_kid_less_keys_are_never_offered_as_a_choice(ec_public):
    keyless = dict(OCT)
    del keyless['kid']
    with pytest.raises(ValueError) as err:
        jwk_material.parse_user_jwk({'keys': [ec_public, keyless, dict(keyless)]})
    message = str(err.value)
    assert message == ('jwk is a JWK Set with 3 keys: set kid to one of: ec-1; 2 key(s) without a kid cannot be '
                       'selected from the set: pass such a key on its own as jwk (a JWK, not a JWK Set)')
    assert '(key without kid)' not in message
    with pytest.raises(ValueError) as err:
        jwk_material.parse_user_jwk({'keys': [keyless, dict(keyless)]}, kid='x')
    assert str(err.value).startswith("kid 'x' is not in the JWK Set; available: none (no key of the set has a kid); "
                                     "2 key(s) without a kid")


def test_duplicate_kids_name_the_jwks(ec_public):
    okp = {'kty': 'OKP', 'crv': 'Ed25519', 'x': b64u(b'\x02' * 32), 'kid': 'ec-1'}
    okp_twin = {'name': 'b', 'type': 'OKP', 'okp': okp}
    jwks = [dict(api(ec_public), name='a'), okp_twin, dict(api(OCT), name='c'), dict(api(OCT), name='d')]
    assert jwk_material.duplicate_kids(jwks) == {'ec-1': ['a', 'b']}  # oct keys are never published
    assert jwk_material.duplicate_kids(jwks[:1] + jwks[2:]) == {}
