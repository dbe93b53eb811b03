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
  idempotently, and what the gateway stores is the same key;
- a private import over a public-only copy is a difference, ``algorithm: dir`` stores ``"alg": "dir"``
  (jwcrypto reads it), changed use/alg/key_ops/x5c/x5t#S256 members are differences;
- the rotation role (playbooks/rotate.yml) never publishes two keys under one kid.
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


# ---- what a gateway needs of an imported key (issue 13) -------------------------------------

IMPORT = play('''
- name: import
  apinizer.apiops.apinizer_jwk:
    name: "{{ name }}"
    source: jwk
    jwk: "{{ jwk }}"
    use: "{{ use | default(omit) }}"
    algorithm: "{{ algorithm | default(omit) }}"
    regenerate: "{{ regenerate | default('fail') }}"
  register: imported
  ignore_errors: "{{ tolerate | default(false) }}"
''')


def test_a_private_import_over_a_public_only_copy_is_a_difference(run_playbook, emulator):
    keys = rfc_keys()['keys']
    public, private = keys['rfc7517-a1-ec-public'], keys['rfc7517-a2-ec-private']
    assert jose_thumbprint(public) == jose_thumbprint(private)  # the same key, with and without its private part
    run_playbook(IMPORT, extra_vars={'name': 'signer', 'jwk': public})
    assert jose_jwk.JWK(**stored(emulator)['signer']['jwk']).has_private is False

    emulator.clear_requests()
    refused = run_playbook(IMPORT, extra_vars={'name': 'signer', 'jwk': private, 'tolerate': True})
    task = refused.task('import')
    assert task['failed'] and writes(emulator) == []
    assert task['result']['differences'] == [
        'key_part: the server has public only, the task asks for public and private']

    replaced = run_playbook(IMPORT, extra_vars={'name': 'signer', 'jwk': private, 'regenerate': 'when_different'})
    assert replaced.task('import')['changed'] is True
    assert [r['method'] for r in writes(emulator)] == ['DELETE', 'POST']
    assert jose_jwk.JWK(**stored(emulator)['signer']['jwk']).has_private is True  # the gateway can sign now

    emulator.clear_requests()
    for jwk in (private, public):  # converged: a public import is satisfied by the private copy too
        again = run_playbook(IMPORT, extra_vars={'name': 'signer', 'jwk': jwk})
        assert again.task('import')['changed'] is False
    assert writes(emulator) == []


@pytest.mark.report_use_alg  # reads use/alg back through the module (not in the documented Get JWK)
def test_algorithm_dir_keeps_the_rfc_spelling_in_the_imported_jwk(run_playbook, emulator):
    key = dict(rfc_keys()['keys']['rfc7517-a3-oct-a128kw'])
    for member in ('alg', 'use'):
        key.pop(member, None)
    emulator.clear_requests()
    run = run_playbook(IMPORT, extra_vars={'name': 'direct', 'jwk': key, 'use': 'encryption', 'algorithm': 'dir'})
    assert run.task('import')['changed'] is True
    posts = writes(emulator)
    assert len(posts) == 1 and posts[0]['method'] == 'POST'
    sent = dict(key, alg='dir', use='enc')
    # the exact request body: the JWK member says dir (RFC 7518 4.5, case-sensitive), never the API's DIR
    assert posts[0]['body'] == {'name': 'direct', 'sourceType': 'COPY_PASTE',
                                'jwkStr': json.dumps(sent, separators=(',', ':'), sort_keys=True)}
    server = stored(emulator)['direct']['jwk']
    assert server == sent
    assert jose_jwk.JWK(**server).get('alg') == 'dir'  # jwcrypto accepts the stored key
    assert run.task('import')['result']['jwk']['alg'] == 'dir'

    emulator.clear_requests()
    again = run_playbook(IMPORT, extra_vars={'name': 'direct', 'jwk': key, 'use': 'encryption', 'algorithm': 'dir'})
    assert again.task('import')['changed'] is False and writes(emulator) == []


MEMBER_CHANGES = [
    ('use', 'enc'),
    ('alg', 'ES384'),
    ('key_ops', ['verify', 'deriveKey']),
    ('x5t#S256', 'c29tZS1vdGhlci1jZXJ0aWZpY2F0ZQ'),
]


@pytest.mark.report_use_alg  # use/alg changes are visible only where the server reports them
def test_member_changes_of_an_imported_jwk_are_differences(run_playbook, emulator):
    base = dict(rfc_keys()['keys']['rfc7517-a1-ec-public'], use='sig', alg='ES256', key_ops=['verify'],
                **{'x5t#S256': 'Y2VydGlmaWNhdGUtdGh1bWJwcmludA'})
    base.pop('kid', None)
    run_playbook(IMPORT, extra_vars={'name': 'members', 'jwk': base})
    server = stored(emulator)['members']['jwk']
    assert all(server[m] == base[m] for m in ('use', 'alg', 'key_ops', 'x5t#S256'))  # the server reports them

    emulator.clear_requests()
    for member, value in MEMBER_CHANGES:
        run = run_playbook(IMPORT, extra_vars={'name': 'members', 'jwk': dict(base, **{member: value}),
                                               'tolerate': True})
        task = run.task('import')
        assert task['failed'], member
        assert [d.split(':')[0] for d in task['result']['differences']] == [member], task['result']['differences']
    assert writes(emulator) == []
    # normalised on both sides: the same key_ops in another order is no difference
    same = run_playbook(IMPORT, extra_vars={'name': 'members', 'jwk': dict(base, key_ops=['verify', 'verify'])})
    assert same.task('import')['changed'] is False and writes(emulator) == []


def test_an_x5c_change_is_a_difference(run_playbook, emulator):
    key = rfc_keys()['keys']['rfc7517-b-rsa-x5c']
    run_playbook(IMPORT, extra_vars={'name': 'with-chain', 'jwk': key})
    assert stored(emulator)['with-chain']['jwk']['x5c'] == key['x5c']
    emulator.clear_requests()
    other = dict(key, x5c=[key['x5c'][0][:-8] + 'AAAAAAAA'])
    run = run_playbook(IMPORT, extra_vars={'name': 'with-chain', 'jwk': other, 'tolerate': True})
    assert run.task('import')['failed'] and writes(emulator) == []
    assert [d.split(':')[0] for d in run.task('import')['result']['differences']] == ['x5c']


# ---- the rotation role never publishes duplicate kids ---------------------------------------

ROLE_PLAYBOOK = os.path.normpath(os.path.join(os.path.dirname(DATA), '..', '..', '..', 'playbooks', 'rotate.yml'))


@pytest.mark.parametrize('source', ['generate', 'local'])
def test_rotation_role_publishes_unique_kids(run_playbook, emulator, tmp_path, source):
    extra = {'jwk_rotation_force': True, 'jwk_rotation_source': source, 'jwk_rotation_keep': 3}
    if source == 'local':
        extra['jwk_rotation_private_key_path'] = str(tmp_path / 'signing.jwk.json')
    for unused in range(2):  # two forced rotations: three generations to publish
        run = run_playbook(ROLE_PLAYBOOK, extra_vars=extra)
        assert 'carries kid' not in run.output, run.describe()  # apinizer_jwk_info would warn
    published = None
    for entry in reversed(run.results):
        facts = (entry.get('result') or {}).get('ansible_facts') or {}
        if 'jwk_rotation_result' in facts:
            published = facts['jwk_rotation_result']['jwk_set']['keys']
            break
    assert published is not None and len(published) >= 2, run.describe()
    kids = [k['kid'] for k in published]
    assert len(kids) == len(set(kids)), kids
    jose_jwk.JWKSet.from_json(json.dumps({'keys': published}))
