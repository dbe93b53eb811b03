# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""jwk_keypair: files, permissions, idempotence, check mode and no private member in results."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import stat

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_material import thumbprint
from ansible_collections.apinizer.apiops.plugins.modules import jwk_keypair as mod

serialization = pytest.importorskip('cryptography.hazmat.primitives.serialization')

PRIVATE_MEMBERS = ('d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k')


@pytest.fixture
def run(run_module):
    def _run(check_mode=False, **options):
        return run_module(mod, options, check_mode=check_mode)

    return _run


def mode_of(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


def assert_public_only(result, out, private_values):
    assert not set(PRIVATE_MEMBERS) & set(result['public_jwk'])
    for value in private_values:
        assert value not in out


@pytest.mark.parametrize('options, kty, facts', [
    (dict(), 'EC', dict(crv='P-256')),
    (dict(key_type='EC', curve='P-521', algorithm='ES512'), 'EC', dict(crv='P-521', alg='ES512')),
    (dict(key_type='EC', curve='secp256k1'), 'EC', dict(crv='secp256k1')),
    (dict(key_type='RSA', key_size=3072, algorithm='PS256'), 'RSA', dict(alg='PS256')),
    (dict(key_type='OKP'), 'OKP', dict(crv='Ed25519')),
    (dict(key_type='OKP', use='encryption', algorithm='ECDH-ES'), 'OKP', dict(crv='X25519', use='enc')),
])
def test_writes_a_private_jwk_0600_and_returns_only_the_public_half(run, tmp_path, options, kty, facts):
    path = tmp_path / 'key.json'
    failed, result, out = run(path=str(path), kid='k1', **options)
    assert not failed, result
    assert result['changed'] is True
    assert mode_of(path) == 0o600
    private = json.loads(path.read_text())
    assert private['kty'] == kty and private['kid'] == 'k1' and 'd' in private
    for member, value in facts.items():
        assert private[member] == value and result['public_jwk'][member] == value
    assert result['thumbprint'] == thumbprint(private)
    assert result['public_jwk']['kid'] == 'k1'
    if kty == 'RSA':
        assert result['key_size'] == 3072 and len(private['n']) == 512  # 3072 bits, base64url
    assert_public_only(result, out, [private[m] for m in PRIVATE_MEMBERS if m in private])
    assert not [name for name in os.listdir(str(tmp_path)) if name != 'key.json']  # no temp file left


def test_second_run_reuses_the_key_and_force_replaces_it(run, tmp_path):
    path = tmp_path / 'key.json'
    first = run(path=str(path), kid='k1', algorithm='ES256')[1]
    second = run(path=str(path), kid='k1', algorithm='ES256')[1]
    assert second['changed'] is False and second['thumbprint'] == first['thumbprint']
    forced = run(path=str(path), kid='k1', algorithm='ES256', force=True)[1]
    assert forced['changed'] is True and forced['thumbprint'] != first['thumbprint']
    assert json.loads(path.read_text())['x'] == forced['public_jwk']['x']


def test_a_different_curve_or_size_fails_and_keeps_the_key_unless_forced(run, tmp_path):
    path = tmp_path / 'key.json'
    first = run(path=str(path))[1]
    before = path.read_bytes()
    failed, other, dummy = run(path=str(path), curve='P-384')
    assert failed and other['msg'] == (
        'path %s holds an EC P-256 private key, the task asks for an EC P-384 key; it is kept. '
        'Set force: true to replace it (backup: true keeps a copy).' % path)
    assert path.read_bytes() == before
    forced = run(path=str(path), curve='P-384', force=True)[1]
    assert forced['changed'] is True and forced['curve'] == 'P-384' and forced['thumbprint'] != first['thumbprint']
    assert forced['action'] == 'replace'


def test_changed_metadata_keeps_the_key_material(run, tmp_path):
    path = tmp_path / 'key.json'
    first = run(path=str(path), kid='old')[1]
    renamed = run(path=str(path), kid='new')[1]
    assert renamed['changed'] is True and renamed['thumbprint'] == first['thumbprint']
    assert json.loads(path.read_text())['kid'] == 'new'


def test_pem_format_is_pkcs8_and_idempotent(run, tmp_path):
    path = tmp_path / 'key.pem'
    failed, result, out = run(path=str(path), format='pem', key_type='RSA', algorithm='RS256')
    assert not failed and result['changed'] is True and mode_of(path) == 0o600
    data = path.read_bytes()
    assert data.startswith(b'-----BEGIN PRIVATE KEY-----')
    key = serialization.load_pem_private_key(data, password=None)
    assert key.key_size == 2048
    assert data.decode() not in out
    again = run(path=str(path), format='pem', key_type='RSA', algorithm='RS256')[1]
    assert again['changed'] is False and again['thumbprint'] == result['thumbprint']


def test_loose_permissions_are_fixed_without_a_new_key(run, tmp_path):
    path = tmp_path / 'key.json'
    first = run(path=str(path))[1]
    os.chmod(str(path), 0o644)
    fixed = run(path=str(path))[1]
    assert fixed['changed'] is True and fixed['thumbprint'] == first['thumbprint']
    assert mode_of(path) == 0o600


def test_check_mode_writes_nothing_but_shows_the_public_key(run, tmp_path):
    path = tmp_path / 'key.json'
    failed, result, out = run(check_mode=True, path=str(path))
    assert not failed and result['changed'] is True
    assert result['public_jwk']['kty'] == 'EC' and result['thumbprint']
    assert not path.exists()
    assert os.listdir(str(tmp_path)) == []


def test_a_file_that_is_not_a_key_is_kept_unless_forced(run, tmp_path):
    path = tmp_path / 'key.json'
    path.write_text('not a key')
    failed, result, dummy = run(path=str(path))
    assert failed and result['msg'] == ('path %s is not JSON, so not a JWK; it is kept. Set force: true to replace it '
                                        '(backup: true keeps a copy).' % path)
    assert path.read_text() == 'not a key'
    result = run(path=str(path), force=True)[1]
    assert result['changed'] is True and json.loads(path.read_text())['kty'] == 'EC'


@pytest.mark.parametrize('options, message', [
    (dict(key_type='EC', algorithm='RS256'), 'algorithm RS256 does not fit'),
    (dict(key_type='EC', curve='P-256', algorithm='ES384'), 'allowed: ES256'),
    (dict(key_type='OKP', curve='P-256'), 'curve P-256 does not fit key_type OKP'),
    (dict(key_type='OKP', curve='X25519'), 'curve X25519 is for use encryption'),
    (dict(key_type='EC', key_size=2048), 'key_size is only used with key_type RSA'),
    (dict(key_type='RSA', curve='P-256'), 'curve is not used with key_type RSA'),
])
def test_bad_combinations_fail_before_writing(run, tmp_path, options, message):
    path = tmp_path / 'key.json'
    failed, result, dummy = run(path=str(path), **options)
    assert failed and message in result['msg']
    assert not path.exists()


def test_missing_directory_fails_clearly(run, tmp_path):
    failed, result, dummy = run(path=str(tmp_path / 'nope' / 'key.json'))
    assert failed and 'does not exist' in result['msg']
