# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""jwk_keypair never replaces a file it cannot prove is a key it may replace (issue 13):
encrypted keys and passphrase, files that are not keys, wrong type/curve/size, force, backup,
check mode, diff."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils import key_file
from ansible_collections.apinizer.apiops.plugins.modules import jwk_keypair as mod

serialization = pytest.importorskip('cryptography.hazmat.primitives.serialization')
from cryptography.hazmat.primitives.asymmetric import ec, rsa  # noqa: E402

PASSPHRASE = 'correct horse battery staple'


@pytest.fixture
def run(run_module):
    def _run(check_mode=False, diff=False, **options):
        return run_module(mod, options, check_mode=check_mode, diff=diff)

    return _run


def pem(key, passphrase=None):
    encryption = (serialization.BestAvailableEncryption(passphrase.encode()) if passphrase
                  else serialization.NoEncryption())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


@pytest.fixture
def encrypted_p256(tmp_path):
    path = tmp_path / 'key.pem'
    key = ec.generate_private_key(ec.SECP256R1())
    path.write_bytes(pem(key, PASSPHRASE))
    os.chmod(str(path), 0o600)
    return path, key


def others(tmp_path, path):
    return sorted(n for n in os.listdir(str(tmp_path)) if n != path.name)


def test_encrypted_key_without_passphrase_is_refused_never_replaced(run, tmp_path, encrypted_p256):
    path, key = encrypted_p256
    before = path.read_bytes()
    for force in (False, True):
        failed, result, out = run(path=str(path), format='pem', force=force)
        assert failed
        assert result['msg'] == (
            'path %s holds an encrypted private key and no passphrase was given; it is never replaced without '
            'being read, not even with force: set passphrase (or move the file away yourself).' % path)
        assert path.read_bytes() == before and others(tmp_path, path) == []


def test_wrong_passphrase_is_refused(run, tmp_path, encrypted_p256):
    path, key = encrypted_p256
    before = path.read_bytes()
    failed, result, out = run(path=str(path), format='pem', passphrase='wrong', force=True)
    assert failed and 'passphrase does not decrypt' in result['msg']
    assert path.read_bytes() == before
    assert 'wrong' not in out.replace('"passphrase": "********"', '')


def test_encrypted_key_with_passphrase_is_kept_untouched(run, tmp_path, encrypted_p256):
    path, key = encrypted_p256
    before = path.read_bytes()
    failed, result, out = run(path=str(path), format='pem', passphrase=PASSPHRASE)
    assert not failed and result['changed'] is False and result['action'] == 'keep'
    assert path.read_bytes() == before
    assert result['public_jwk']['x']  # the key that is in the file
    assert PASSPHRASE not in out


def test_a_new_pem_key_is_encrypted_with_the_passphrase(run, tmp_path):
    path = tmp_path / 'key.pem'
    result = run(path=str(path), format='pem', passphrase=PASSPHRASE)[1]
    data = path.read_bytes()
    assert data.startswith(b'-----BEGIN ENCRYPTED PRIVATE KEY-----')
    with pytest.raises(TypeError):
        serialization.load_pem_private_key(data, password=None)
    serialization.load_pem_private_key(data, password=PASSPHRASE.encode())
    assert run(path=str(path), format='pem', passphrase=PASSPHRASE)[1]['thumbprint'] == result['thumbprint']


def test_an_unencrypted_key_gets_encrypted_with_the_same_key(run, tmp_path):
    path = tmp_path / 'key.pem'
    first = run(path=str(path), format='pem')[1]
    second = run(path=str(path), format='pem', passphrase=PASSPHRASE, backup=True)[1]
    assert second['changed'] is True and second['action'] == 'rewrite'
    assert second['thumbprint'] == first['thumbprint']
    assert path.read_bytes().startswith(b'-----BEGIN ENCRYPTED PRIVATE KEY-----')
    assert os.path.basename(second['backup_file']) in others(tmp_path, path)


def test_passphrase_needs_format_pem(run, tmp_path):
    failed, result, dummy = run(path=str(tmp_path / 'k.json'), passphrase=PASSPHRASE)
    assert failed and result['msg'] == 'passphrase applies to format pem only (a JWK file holds the key unencrypted).'
    assert os.listdir(str(tmp_path)) == []


def test_an_encrypted_pem_at_a_jwk_path_is_never_replaced(run, tmp_path, encrypted_p256):
    path, key = encrypted_p256
    failed, result, dummy = run(path=str(path), force=True)
    assert failed and 'holds an encrypted PEM private key, which format jwk cannot read' in result['msg']


@pytest.mark.parametrize('content, why', [
    ('{"name": "settings", "debug": true}', 'is JSON but not a JWK (no kty member)'),
    ('[1, 2]', 'is JSON but not a JWK (no kty member)'),
    ('{"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"}', 'is a JWK without a private part'),
    ('{"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA", "d": "AAAA"}', 'is a JWK that is not a readable private key'),
    ('{"kty": "EC", "crv": "P-999", "x": "AAAA", "y": "AAAA", "d": "AAAA"}', 'is a JWK that is not a readable private key'),
    ('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', 'is PEM data, not a JWK (format pem reads it)'),
])
def test_files_that_are_not_a_private_jwk_are_kept(run, tmp_path, content, why):
    path = tmp_path / 'key.json'
    path.write_text(content)
    failed, result, dummy = run(path=str(path))
    assert failed and result['msg'] == ('path %s %s; it is kept. Set force: true to replace it '
                                        '(backup: true keeps a copy).' % (path, why))
    assert path.read_text() == content and others(tmp_path, path) == []


def test_a_pem_path_that_is_not_a_private_key_is_kept(run, tmp_path):
    path = tmp_path / 'key.pem'
    public = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    path.write_bytes(public)
    failed, result, dummy = run(path=str(path), format='pem')
    assert failed and 'is not a PEM private key; it is kept' in result['msg']
    assert path.read_bytes() == public


@pytest.mark.parametrize('existing, options, held, asked', [
    (lambda: rsa.generate_private_key(65537, 2048), dict(), 'an RSA 2048', 'an EC P-256'),
    (lambda: ec.generate_private_key(ec.SECP384R1()), dict(), 'an EC P-384', 'an EC P-256'),
    (lambda: rsa.generate_private_key(65537, 2048), dict(key_type='RSA', key_size=3072), 'an RSA 2048', 'an RSA 3072'),
    (lambda: ec.generate_private_key(ec.SECP256R1()), dict(key_type='OKP'), 'an EC P-256', 'an OKP Ed25519'),
])
def test_a_key_of_another_type_curve_or_size_is_kept(run, tmp_path, existing, options, held, asked):
    path = tmp_path / 'key.pem'
    path.write_bytes(pem(existing()))
    before = path.read_bytes()
    failed, result, dummy = run(path=str(path), format='pem', **options)
    assert failed and ('holds %s private key, the task asks for %s key; it is kept' % (held, asked)) in result['msg']
    assert path.read_bytes() == before


def test_backup_keeps_a_timestamped_copy_before_replacing(run, tmp_path):
    path = tmp_path / 'key.json'
    path.write_text('{"unrelated": "json"}')
    failed, result, dummy = run(path=str(path), force=True, backup=True)
    assert not failed and result['action'] == 'replace'
    backup = result['backup_file']
    assert os.path.dirname(backup) == str(tmp_path) and os.path.basename(backup).startswith('key.json.')
    assert backup.endswith('~') and '@' in backup  # AnsibleModule.backup_local: <path>.<pid>.<date>@<time>~
    with open(backup) as handle:
        assert handle.read() == '{"unrelated": "json"}'
    assert json.loads(path.read_text())['kty'] == 'EC'


def test_no_backup_when_nothing_is_replaced(run, tmp_path):
    path = tmp_path / 'key.json'
    first = run(path=str(path), backup=True)[1]
    assert 'backup_file' not in first  # a new file replaces nothing
    again = run(path=str(path), backup=True)[1]
    assert again['changed'] is False and 'backup_file' not in again
    assert others(tmp_path, path) == []


def test_an_empty_file_counts_as_no_key(run, tmp_path):
    path = tmp_path / 'key.json'
    path.write_text('')
    result = run(path=str(path))[1]
    assert result['changed'] is True and result['action'] == 'create'


def test_check_mode_writes_nothing_and_diff_says_what_would_happen(run, tmp_path):
    path = tmp_path / 'key.json'
    path.write_text('{"unrelated": "json"}')
    failed, result, out = run(check_mode=True, diff=True, path=str(path), force=True, backup=True, kid='k1')
    assert not failed and result['changed'] is True and result['action'] == 'replace'
    assert 'backup_file' not in result
    assert path.read_text() == '{"unrelated": "json"}' and others(tmp_path, path) == []
    assert result['diff']['before'] == {'path': str(path), 'format': 'jwk',
                                        'content': 'JSON but not a JWK (no kty member)', 'mode': '%04o' % (
                                            os.stat(str(path)).st_mode & 0o777)}
    after = result['diff']['after']
    assert after == {'path': str(path), 'format': 'jwk', 'content': 'private key', 'key_type': 'EC',
                     'curve': 'P-256', 'encrypted': False, 'kid': 'k1', 'use': 'sig',
                     'thumbprint': result['thumbprint'], 'mode': '0600'}


def test_diff_of_a_kept_key_with_new_metadata_shows_the_same_thumbprint(run, tmp_path):
    path = tmp_path / 'key.json'
    first = run(path=str(path), kid='old')[1]
    before = path.read_bytes()
    failed, result, out = run(check_mode=True, diff=True, path=str(path), kid='new')
    assert result['action'] == 'rewrite' and result['changed'] is True and path.read_bytes() == before
    diff = result['diff']
    assert diff['before']['kid'] == 'old' and diff['after']['kid'] == 'new'
    assert diff['before']['thumbprint'] == diff['after']['thumbprint'] == first['thumbprint']
    private = json.loads(before)
    assert private['d'] not in out


def test_plan_file_rules():
    found = key_file.Found(key_file.KEY, facts=('EC', 'P-256'))
    assert key_file.plan_file(found, ('EC', 'P-256'), False, False) == ('keep', None)
    assert key_file.plan_file(found, ('EC', 'P-256'), True, False) == ('replace', None)
    assert key_file.plan_file(found, ('EC', 'P-256'), False, True) == ('rewrite', None)
    assert key_file.plan_file(found, ('RSA', 2048), False, False)[0] is None
    locked = key_file.Found(key_file.LOCKED, 'holds an encrypted private key')
    assert key_file.plan_file(locked, ('EC', 'P-256'), True, True)[0] is None
    assert key_file.plan_file(key_file.Found(key_file.ABSENT), ('EC', 'P-256'), False, False) == ('create', None)
