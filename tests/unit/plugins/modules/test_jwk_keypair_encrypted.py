# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""jwk_keypair never replaces an encrypted key, whatever its format, not even with force (issue 24 L8)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import json
import os
import struct

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils.key_file import encrypted_format
from ansible_collections.apinizer.apiops.plugins.modules import jwk_keypair as mod

serialization = pytest.importorskip('cryptography.hazmat.primitives.serialization')
from cryptography.hazmat.primitives.asymmetric import ec, ed25519  # noqa: E402
from cryptography.hazmat.primitives.serialization import pkcs12  # noqa: E402


def _string(data):
    return struct.pack('>I', len(data)) + data


def openssh(cipher=b'aes256-ctr', kdf=b'bcrypt', body=None):
    """An OpenSSH private key block as ssh-keygen writes it (openssh-key-v1): with a passphrase, the
    cipher and bcrypt KDF, then the public key and the encrypted private section."""
    public = _string(b'ssh-ed25519') + _string(os.urandom(32))
    kdf_options = _string(os.urandom(16)) + struct.pack('>I', 16) if kdf != b'none' else b''
    raw = (b'openssh-key-v1\x00' + _string(cipher) + _string(kdf) + _string(kdf_options) + struct.pack('>I', 1)
           + _string(public) + _string(os.urandom(144)))
    text = base64.b64encode(raw if body is None else body).decode()
    lines = [text[i:i + 70] for i in range(0, len(text), 70)]
    return ('-----BEGIN OPENSSH PRIVATE KEY-----\n%s\n-----END OPENSSH PRIVATE KEY-----\n' % '\n'.join(lines)).encode()


def plain_openssh():
    return ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption())


def der_pkcs8():
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.BestAvailableEncryption(b'a passphrase'))


def pfx():
    key = ec.generate_private_key(ec.SECP256R1())
    return pkcs12.serialize_key_and_certificates(b'k', key, None, None, serialization.BestAvailableEncryption(b'pw'))


PUTTY = (b'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: aes256-cbc\nComment: k\nPublic-Lines: 2\n'
         b'AAAAC3NzaC1lZDI1NTE5AAAAIBGs\nAAAA\nKey-Derivation: Argon2id\nPrivate-Lines: 1\nAAAA\nPrivate-MAC: 00\n')
JWE_JSON = json.dumps({'protected': 'eyJhbGciOiJQQkVTMi1IUzI1NitBMTI4S1ciLCJlbmMiOiJBMTI4R0NNIn0',
                       'encrypted_key': 'AAAA', 'iv': 'AAAA', 'ciphertext': 'AAAA', 'tag': 'AAAA'}).encode()
JWE_COMPACT = b'eyJhbGciOiJQQkVTMi1IUzI1NitBMTI4S1ciLCJlbmMiOiJBMTI4R0NNIn0.AAAA.AAAA.AAAA.AAAA\n'

ENCRYPTED = [pytest.param(name, data, id=case) for case, name, data in (
    ('openssh-aes256-ctr-bcrypt', 'OpenSSH', openssh()),
    ('openssh-chacha20', 'OpenSSH', openssh(cipher=b'chacha20-poly1305@openssh.com')),
    ('openssh-none-bcrypt', 'OpenSSH', openssh(cipher=b'none', kdf=b'bcrypt')),  # inconsistent: not provably plain
    ('openssh-unreadable', 'OpenSSH', openssh(body=b'not the openssh magic')),  # may hide anything
    ('putty', 'PuTTY', PUTTY),
    ('ssh2', 'SSH2 (ssh.com)', b'---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nAAAA\n---- END SSH2 ENCRYPTED PRIVATE KEY ----\n'),
    ('openpgp', 'OpenPGP', b'-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nAAAA\n-----END PGP PRIVATE KEY BLOCK-----\n'),
    ('der-pkcs8', 'DER (PKCS#8 or PKCS#12)', der_pkcs8()),
    ('pkcs12', 'DER (PKCS#8 or PKCS#12)', pfx()),
    ('jwe-json', 'JWE', JWE_JSON),
    ('jwe-compact', 'JWE', JWE_COMPACT),
)]


@pytest.mark.parametrize('name, data', ENCRYPTED)
def test_encrypted_formats_are_recognised(name, data):
    assert encrypted_format(data) == name


@pytest.mark.parametrize('data', [
    plain_openssh(), openssh(cipher=b'none', kdf=b'none'), PUTTY.replace(b'aes256-cbc', b'none'),
    b'{"kty": "EC"}', b'hello', b'',
], ids=['openssh', 'openssh-built', 'putty', 'jwk', 'text', 'empty'])
def test_plain_data_is_not_taken_for_an_encrypted_key(data):
    assert encrypted_format(data) is None


@pytest.mark.parametrize('fmt', ['pem', 'jwk'])
@pytest.mark.parametrize('name, data', ENCRYPTED)
def test_force_never_replaces_an_encrypted_key(run_module, tmp_path, fmt, name, data):
    path = tmp_path / 'signer.key'
    path.write_bytes(data)
    failed, result, out = run_module(mod, dict(path=str(path), format=fmt, force=True, backup=True))
    assert failed and path.read_bytes() == data and os.listdir(str(tmp_path)) == ['signer.key']
    if name != 'PEM':
        assert result['msg'] == (
            'path %s holds an encrypted %s private key, which jwk_keypair cannot read; it is never replaced without '
            'being read, not even with force: move the file away yourself if it is no longer needed.' % (path, name))


def test_force_still_replaces_an_unencrypted_openssh_key(run_module, tmp_path):
    path = tmp_path / 'signer.key'
    path.write_bytes(plain_openssh())
    failed, result, out = run_module(mod, dict(path=str(path), format='pem', force=True))
    assert not failed and result['changed'] and path.read_bytes().startswith(b'-----BEGIN PRIVATE KEY-----')
