# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Interoperability with an independent JOSE implementation (jwcrypto, pinned in
requirements-dev.txt): real ansible-playbook runs against the emulator, checked by a library
that shares no code with the collection.

- RFC 7638 thumbprints of every key type the API generates agree with jwcrypto's;
- a JWT signed with a ``jwk_keypair`` private key verifies with the JWK Set that
  ``apinizer_jwk_info`` publishes after ``apinizer_jwk`` imported the public half;
- the published example keys of RFC 7517 (Appendix A and B) and RFC 7520 (section 3) import
  idempotently, and what the gateway stores is the same key.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

import pytest
from jwcrypto import jwk as jose_jwk
from jwcrypto import jwt as jose_jwt

pytestmark = pytest.mark.slow

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data', 'rfc_jwks.json')
PRIVATE = ('d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k')


def play(tasks):
    body = ''.join('    ' + line + '\n' if line.strip() else '\n' for line in tasks.strip('\n').split('\n'))
    return '- hosts: localhost\n  gather_facts: false\n  tasks:\n' + body


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
def test_thumbprints_and_public_keys_agree_with_jwcrypto_for_every_key_type(run_playbook, emulator):
    emulator.seed({'projects': {'demo': {'jwks': [
        {'name': name, 'sourceType': 'GENERATE', 'generate': spec} for name, spec in GENERATED.items()]}}})
    run = run_playbook(play('''
- name: describe
  apinizer.apiops.apinizer_jwk_info:
    names: %s
''' % json.dumps(sorted(GENERATED))))
    described = dict((j['name'], j) for j in run.task('describe')['result']['jwks'])
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
    published = run.task('describe')['result']['jwk_set']['keys']
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


def test_jwt_signed_with_a_keypair_verifies_with_the_published_jwks(run_playbook, emulator, tmp_path):
    items = []
    for name, key_type, size_or_curve, alg in SIGNERS:
        item = {'name': name, 'key_type': key_type, 'alg': alg, 'path': str(tmp_path / (name + '.jwk.json'))}
        item['key_size' if key_type == 'RSA' else 'curve'] = size_or_curve
        items.append(item)
    playbook = play('''
- name: key pair
  apinizer.apiops.jwk_keypair:
    path: "{{ item.path }}"
    key_type: "{{ item.key_type }}"
    key_size: "{{ item.key_size | default(omit) }}"
    curve: "{{ item.curve | default(omit) }}"
    kid: "{{ item.name }}"
    algorithm: "{{ item.alg }}"
  loop: "{{ signers }}"
  register: pairs
- name: import public half
  apinizer.apiops.apinizer_jwk:
    name: "{{ item.item.name }}"
    source: jwk
    jwk: "{{ item.public_jwk }}"
  loop: "{{ pairs.results }}"
- name: publish
  apinizer.apiops.apinizer_jwk_info:
    names: "{{ signers | map(attribute='name') | list }}"
  register: published
''')
    run = run_playbook(playbook, extra_vars={'signers': items})
    jwks_document = json.dumps(run.task('publish')['result']['jwk_set'])
    jwks = jose_jwk.JWKSet.from_json(jwks_document)
    assert sorted(k['kid'] for k in json.loads(jwks_document)['keys']) == sorted(i['name'] for i in items)
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


def test_rfc_example_keys_import_idempotently(run_playbook, emulator):
    keys = rfc_keys()['keys']
    playbook = play('''
- name: import
  apinizer.apiops.apinizer_jwk:
    name: "{{ item.key }}"
    source: jwk
    jwk: "{{ item.value }}"
  loop: "{{ rfc_keys | dict2items }}"
  loop_control:
    label: "{{ item.key }}"
  register: imported
''')
    first = run_playbook(playbook, extra_vars={'rfc_keys': keys})
    results = dict((r['item']['key'], r) for r in first.task('import')['result']['results'])
    assert sorted(results) == sorted(keys)
    assert [n for n, r in sorted(results.items()) if not r['changed']] == []
    server = stored(emulator)
    for name, key in keys.items():
        assert jose_thumbprint(server[name]['jwk']) == jose_thumbprint(key), name
        # the stored key keeps its private part exactly when the imported one had it
        assert jose_jwk.JWK(**server[name]['jwk']).has_private == jose_jwk.JWK(**key).has_private, name
        if 'alg' in key and 'alg' in server[name]['jwk']:
            assert server[name]['jwk']['alg'] == key['alg'], name  # RFC spelling, case-sensitive

    emulator.clear_requests()
    second = run_playbook(playbook, extra_vars={'rfc_keys': keys})
    again = second.task('import')['result']['results']
    assert [r['item']['key'] for r in again if r['changed']] == []
    assert writes(emulator) == []
