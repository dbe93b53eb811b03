# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Interoperability with an independent JOSE implementation (jwcrypto, pinned in
requirements-dev.txt): the modules against the emulator, checked by a library that shares no code
with the collection.

- RFC 7638 thumbprints of every key type the API generates agree with jwcrypto's;
- a JWT signed with a ``jwk_keypair`` private key verifies with the JWK Set that
  ``apinizer_jwk_info`` publishes after ``apinizer_jwk`` imported the public half;
- the published example keys of RFC 7517 (Appendix A and B) and RFC 7520 (section 3) import
  idempotently, and what the gateway stores is the same key;
- a private import over a public-only copy is a difference, ``algorithm: dir`` stores ``"alg": "dir"``
  (jwcrypto reads it), changed use/alg/key_ops/x5c/x5t#S256 members are differences.

The rotation role's published kids: tests/integration/test_interop.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

import pytest
from jwcrypto import jwk as jose_jwk
from jwcrypto import jwt as jose_jwt

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'integration', 'data',
                    'rfc_jwks.json')
PRIVATE = ('d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k')


def writes(emulator):
    return [r for r in emulator.requests() if r['method'] != 'GET']


def stored(emulator, project='demo'):
    return emulator.state()['projects'][project]['jwks']


def jose_thumbprint(jwk):
    return jose_jwk.JWK(**jwk).thumbprint()


# ---- thumbprints of every key type the API generates ----------------------------------------

GENERATED = {
    'g-rsa-2048': {'type': 'RSA', 'rsa': {'keySize': 2048}},
    'g-rsa-3072': {'type': 'RSA', 'rsa': {'keySize': 3072}},
    'g-ec-p256': {'type': 'EC', 'ec': {'curveType': 'P256'}},
    'g-ec-p384': {'type': 'EC', 'ec': {'curveType': 'P384'}},
    'g-ec-p521': {'type': 'EC', 'ec': {'curveType': 'P521'}},
    'g-ec-secp256k1': {'type': 'EC', 'ec': {'curveType': 'SECP256K1'}},
    'g-okp-ed25519': {'type': 'OKP', 'okp': {'curveType': 'ED25519'}},
    'g-okp-x25519': {'type': 'OKP', 'okp': {'curveType': 'X25519', 'keyUseType': 'ENCRYPTION'}},
    'g-oct-256': {'type': 'OCT', 'oct': {'keySize': 256}},
}


# It compares the whole public JWK, use/alg included: a server that reports them.
@pytest.mark.report_use_alg
def test_thumbprints_and_public_keys_agree_with_jwcrypto_for_every_key_type(run_module, emulator):
    emulator.seed({'projects': {'demo': {'jwks': [
        {'name': name, 'sourceType': 'GENERATE', 'generate': spec} for name, spec in GENERATED.items()]}}})
    run = run_module('apinizer_jwk_info', {'names': sorted(GENERATED)})
    described = dict((j['name'], j) for j in run.result['jwks'])
    assert sorted(described) == sorted(GENERATED)
    server = stored(emulator)
    for name in GENERATED:
        truth = jose_jwk.JWK(**server[name]['jwk'])
        assert described[name]['thumbprint'] == truth.thumbprint(), name
        public = described[name]['public_jwk']
        assert not set(PRIVATE) & set(public), name
        if public['kty'] != 'oct':
            # the module's public JWK is the same key for jwcrypto, and carries nothing private
            assert jose_thumbprint(public) == truth.thumbprint(), name
            assert jose_jwk.JWK(**public).has_private is False, name
            expected = json.loads(truth.export_public())
            assert dict((m, public[m]) for m in expected) == expected, name
    published = run.result['jwk_set']['keys']
    assert sorted(k['kid'] for k in published) == sorted(
        server[n]['jwk']['kid'] for n in GENERATED if GENERATED[n]['type'] != 'OCT')
    jose_jwk.JWKSet.from_json(json.dumps({'keys': published}))  # jwcrypto accepts the set


# ---- a JWT signed on the controller verifies through the published JWKS ---------------------

SIGNERS = [
    # (name, key_type, size or curve, JOSE alg)
    ('iop-rs256', 'RSA', 2048, 'RS256'),
    ('iop-ps384', 'RSA', 3072, 'PS384'),
    ('iop-es256', 'EC', 'P-256', 'ES256'),
    ('iop-es384', 'EC', 'P-384', 'ES384'),
    ('iop-es512', 'EC', 'P-521', 'ES512'),
    ('iop-es256k', 'EC', 'secp256k1', 'ES256K'),
    ('iop-eddsa', 'OKP', 'Ed25519', 'EdDSA'),
]


def test_jwt_signed_with_a_keypair_verifies_with_the_published_jwks(run_module, emulator, tmp_path):
    for name, key_type, size_or_curve, alg in SIGNERS:
        options = {'path': str(tmp_path / (name + '.jwk.json')), 'key_type': key_type, 'kid': name, 'algorithm': alg}
        options['key_size' if key_type == 'RSA' else 'curve'] = size_or_curve
        pair = run_module('jwk_keypair', options)
        imported = run_module('apinizer_jwk', {'name': name, 'source': 'jwk', 'jwk': pair.result['public_jwk']})
        assert imported.changed and not imported.failed, imported
    published = run_module('apinizer_jwk_info', {'names': [s[0] for s in SIGNERS]})
    jwks_document = json.dumps(published.result['jwk_set'])
    jwks = jose_jwk.JWKSet.from_json(jwks_document)
    assert sorted(k['kid'] for k in json.loads(jwks_document)['keys']) == sorted(s[0] for s in SIGNERS)
    for name, key_type, size_or_curve, alg in SIGNERS:
        with open(str(tmp_path / (name + '.jwk.json'))) as handle:
            private = jose_jwk.JWK(**json.load(handle))
        assert private.has_private, name
        token = jose_jwt.JWT(header={'alg': alg, 'kid': name}, claims={'sub': name, 'iss': 'interop'})
        token.make_signed_token(private)
        serialized = token.serialize()
        verified = jose_jwt.JWT(jwt=serialized, key=jwks, algs=[alg], expected_type='JWS')
        assert json.loads(verified.claims) == {'sub': name, 'iss': 'interop'}, name
        # positive control: the same token with another key's kid does not verify
        other = SIGNERS[(SIGNERS.index((name, key_type, size_or_curve, alg)) + 1) % len(SIGNERS)][0]
        with pytest.raises(Exception):
            jose_jwt.JWT(jwt=serialized, key=jwks.get_key(other), algs=[alg], expected_type='JWS')
    # what the gateway stores is the public half only: nothing private left the controller
    for name, _, _, _ in SIGNERS:
        assert not set(PRIVATE) & set(stored(emulator)[name]['jwk']), name


# ---- published example keys import idempotently --------------------------------------------

def rfc_keys():
    with open(DATA) as handle:
        return json.load(handle)


def test_rfc7638_vectors_match_the_data_file():
    # the data file is what the RFCs print: jwcrypto computes the thumbprints RFC 7517/7638 publish
    data = rfc_keys()
    for name, thumb in data['rfc7638_thumbprints'].items():
        assert jose_thumbprint(data['keys'][name]) == thumb


def test_rfc_example_keys_import_idempotently(run_module, emulator):
    keys = rfc_keys()['keys']
    first = dict((name, run_module('apinizer_jwk', {'name': name, 'source': 'jwk', 'jwk': key}))
                 for name, key in keys.items())
    assert [n for n, r in sorted(first.items()) if not r.changed or r.failed] == []
    server = stored(emulator)
    for name, key in keys.items():
        assert jose_thumbprint(server[name]['jwk']) == jose_thumbprint(key), name
        # the stored key keeps its private part exactly when the imported one had it
        assert jose_jwk.JWK(**server[name]['jwk']).has_private == jose_jwk.JWK(**key).has_private, name
        if 'alg' in key and 'alg' in server[name]['jwk']:
            assert server[name]['jwk']['alg'] == key['alg'], name  # RFC spelling, case-sensitive

    emulator.clear_requests()
    again = dict((name, run_module('apinizer_jwk', {'name': name, 'source': 'jwk', 'jwk': key}))
                 for name, key in keys.items())
    assert [n for n, r in sorted(again.items()) if r.changed] == []
    assert writes(emulator) == []


# ---- what a gateway needs of an imported key (issue 13) -------------------------------------

@pytest.fixture
def import_jwk(run_module):
    """import_jwk(name, jwk, use=None, algorithm=None, regenerate='fail'): one apinizer_jwk import."""
    def _run(name, jwk, use=None, algorithm=None, regenerate='fail'):
        options = {'name': name, 'source': 'jwk', 'jwk': jwk, 'regenerate': regenerate}
        options.update((k, v) for k, v in (('use', use), ('algorithm', algorithm)) if v is not None)
        return run_module('apinizer_jwk', options)
    return _run


def test_a_private_import_over_a_public_only_copy_is_a_difference(import_jwk, emulator):
    keys = rfc_keys()['keys']
    public, private = keys['rfc7517-a1-ec-public'], keys['rfc7517-a2-ec-private']
    assert jose_thumbprint(public) == jose_thumbprint(private)  # the same key, with and without its private part
    import_jwk('signer', public)
    assert jose_jwk.JWK(**stored(emulator)['signer']['jwk']).has_private is False

    emulator.clear_requests()
    refused = import_jwk('signer', private)
    assert refused.failed and writes(emulator) == []
    assert refused.result['differences'] == [
        'key_part: the server has public only, the task asks for public and private']

    replaced = import_jwk('signer', private, regenerate='when_different')
    assert replaced.changed is True
    assert [r['method'] for r in writes(emulator)] == ['DELETE', 'POST']
    assert jose_jwk.JWK(**stored(emulator)['signer']['jwk']).has_private is True  # the gateway can sign now

    emulator.clear_requests()
    for jwk in (private, public):  # converged: a public import is satisfied by the private copy too
        again = import_jwk('signer', jwk)
        assert again.changed is False and not again.failed
    assert writes(emulator) == []


@pytest.mark.report_use_alg  # reads use/alg back through the module (not in the documented Get JWK)
def test_algorithm_dir_keeps_the_rfc_spelling_in_the_imported_jwk(import_jwk, emulator):
    key = dict(rfc_keys()['keys']['rfc7517-a3-oct-a128kw'])
    for member in ('alg', 'use'):
        key.pop(member, None)
    emulator.clear_requests()
    run = import_jwk('direct', key, use='encryption', algorithm='dir')
    assert run.changed is True
    posts = writes(emulator)
    assert len(posts) == 1 and posts[0]['method'] == 'POST'
    sent = dict(key, alg='dir', use='enc')
    # the exact request body: the JWK member says dir (RFC 7518 4.5, case-sensitive), never the API's DIR
    assert posts[0]['body'] == {'name': 'direct', 'sourceType': 'COPY_PASTE',
                                'jwkStr': json.dumps(sent, separators=(',', ':'), sort_keys=True)}
    server = stored(emulator)['direct']['jwk']
    assert server == sent
    assert jose_jwk.JWK(**server).get('alg') == 'dir'  # jwcrypto accepts the stored key
    assert run.result['jwk']['alg'] == 'dir'

    emulator.clear_requests()
    again = import_jwk('direct', key, use='encryption', algorithm='dir')
    assert again.changed is False and writes(emulator) == []


MEMBER_CHANGES = [
    ('use', 'enc'),
    ('alg', 'ES384'),
    ('key_ops', ['verify', 'deriveKey']),
    ('x5t#S256', 'c29tZS1vdGhlci1jZXJ0aWZpY2F0ZQ'),
]


@pytest.mark.report_use_alg  # use/alg changes are visible only where the server reports them
def test_member_changes_of_an_imported_jwk_are_differences(import_jwk, emulator):
    base = dict(rfc_keys()['keys']['rfc7517-a1-ec-public'], use='sig', alg='ES256', key_ops=['verify'],
                **{'x5t#S256': 'Y2VydGlmaWNhdGUtdGh1bWJwcmludA'})
    base.pop('kid', None)
    import_jwk('members', base)
    server = stored(emulator)['members']['jwk']
    assert all(server[m] == base[m] for m in ('use', 'alg', 'key_ops', 'x5t#S256'))  # the server reports them

    emulator.clear_requests()
    for member, value in MEMBER_CHANGES:
        run = import_jwk('members', dict(base, **{member: value}))
        assert run.failed, member
        assert [d.split(':')[0] for d in run.result['differences']] == [member], run.result['differences']
    assert writes(emulator) == []
    # normalised on both sides: the same key_ops in another order is no difference
    same = import_jwk('members', dict(base, key_ops=['verify', 'verify']))
    assert same.changed is False and not same.failed and writes(emulator) == []


def test_an_x5c_change_is_a_difference(import_jwk, emulator):
    key = rfc_keys()['keys']['rfc7517-b-rsa-x5c']
    import_jwk('with-chain', key)
    assert stored(emulator)['with-chain']['jwk']['x5c'] == key['x5c']
    emulator.clear_requests()
    other = dict(key, x5c=[key['x5c'][0][:-8] + 'AAAAAAAA'])
    run = import_jwk('with-chain', other)
    assert run.failed and writes(emulator) == []
    assert [d.split(':')[0] for d in run.result['differences']] == ['x5c']
