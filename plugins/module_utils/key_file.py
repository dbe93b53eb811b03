# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A private key file on the controller: what is at a path, whether jwk_keypair may replace it, and
how a replacement is written.

Owns the file-safety rules of jwk_keypair (issue 13): a file is replaced only when it is absent or
empty, when it holds a readable private key that does not match and ``force`` is set, or when it is
something else and ``force`` is set. An encrypted key that could not be read (no or a wrong
passphrase) is never replaced, whatever ``force`` says. ``plan_file()`` decides, ``file_view()`` is
one side of ``--diff`` (never key material), ``write_atomically()`` writes with mode 0600.
``encrypted_format()`` recognises every encrypted key format a signer may keep at the path (PEM,
OpenSSH, PuTTY, SSH2, OpenPGP, binary PKCS#8/PKCS#12, JWE): none is replaced unread.

Standard library only: loading the key is jwk_keypair's (it imports ``cryptography``), which hands
the outcome over as a ``Found``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import binascii
import json
import os
import re
import struct
import tempfile

FILE_MODE = 0o600

# what is at a path
ABSENT, EMPTY, KEY, LOCKED, OTHER = 'absent', 'empty', 'key', 'locked', 'other'
# what jwk_keypair does about it
CREATE, KEEP, REWRITE, REPLACE = 'create', 'keep', 'rewrite', 'replace'

_ENCRYPTED_PEM = re.compile(br'-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,\s*ENCRYPTED')
# OpenSSH's own format (ssh-keygen's default since 7.8): after the magic, the cipher and KDF names
# ("aes256-ctr", "bcrypt" when encrypted; "none", "none" when not).
_OPENSSH = re.compile(br'-----BEGIN OPENSSH PRIVATE KEY-----(.*?)-----END OPENSSH PRIVATE KEY-----', re.DOTALL)
_OPENSSH_MAGIC = b'openssh-key-v1\x00'
# PuTTY's .ppk (versions 1 to 3) names its cipher on an "Encryption:" line.
_PUTTY_ENCRYPTION = re.compile(br'\APuTTY-User-Key-File-[0-9]+:.*?^Encryption:[ \t]*(\S+)', re.DOTALL | re.MULTILINE)
# Formats that are encrypted (or may be, and are never read here) whenever they appear.
_ALWAYS_LOCKED = (
    (re.compile(br'---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----'), 'SSH2 (ssh.com)'),
    (re.compile(br'-----BEGIN PGP PRIVATE KEY BLOCK-----'), 'OpenPGP'),
)
# DER (binary) PKCS#8 EncryptedPrivateKeyInfo or PKCS#12: a SEQUENCE holding the OID of PBES2
# (1.2.840.113549.1.5.13) or of a PKCS#12 password-based cipher (1.2.840.113549.1.12.1.x).
_DER_PBE_OIDS = (b'\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x05\x0d', b'\x06\x0a\x2a\x86\x48\x86\xf7\x0d\x01\x0c\x01')
# A JWE in compact serialisation: five base64url parts (RFC 7516 section 7.1).
_COMPACT_JWE = re.compile(br'\A\s*[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){4}\s*\Z')


class Found(object):
    """What a path holds: ``kind`` (ABSENT, EMPTY, KEY, LOCKED, OTHER), ``why`` (for LOCKED and OTHER, a
    phrase without file content), and for KEY the key, its (key_type, size or curve), the JWK document
    it was read from (format jwk) and whether the file is encrypted."""

    def __init__(self, kind, why=None, key=None, facts=(None, None), document=None, encrypted=False, remedy=None):
        self.kind = kind
        self.why = why
        # for LOCKED: what the user can do (default: give the passphrase of a PEM key)
        self.remedy = remedy or 'set passphrase (or move the file away yourself)'
        self.key = key
        self.facts = facts
        self.document = document
        self.encrypted = encrypted


def is_encrypted_pem(data):
    """Whether bytes hold an encrypted PEM private key (PKCS#8 or the traditional OpenSSL header)."""
    return bool(_ENCRYPTED_PEM.search(data))


def _openssh_encrypted(body):
    """Whether the base64 body of an OpenSSH private key block is encrypted (unreadable: yes)."""
    try:
        raw = base64.b64decode(re.sub(br'\s+', b'', body), validate=True)
        if not raw.startswith(_OPENSSH_MAGIC):
            return True
        names, offset = [], len(_OPENSSH_MAGIC)
        for unused in range(2):  # ciphername, kdfname
            (length,) = struct.unpack('>I', raw[offset:offset + 4])
            names.append(raw[offset + 4:offset + 4 + length])
            offset += 4 + length
            if offset > len(raw):
                return True
    except (binascii.Error, ValueError, struct.error):
        return True  # a block this module cannot read may hide anything: never replaced
    return names != [b'none', b'none']


def _jwe_document(data):
    if _COMPACT_JWE.match(data):
        return True
    try:
        document = json.loads(data.decode('utf-8'))
    except ValueError:  # UnicodeDecodeError included
        return False
    return isinstance(document, dict) and 'ciphertext' in document


def encrypted_format(data):
    """The name of the encrypted private key format ``data`` holds ('PEM', 'OpenSSH', 'PuTTY',
    'SSH2 (ssh.com)', 'OpenPGP', 'DER (PKCS#8 or PKCS#12)', 'JWE'), or None.

    A key in any of them is never replaced unread (issue 24 L8: a bcrypt-encrypted OpenSSH key was
    taken for "not a key" and replaced with force). Only PEM is read with a passphrase here.
    """
    if is_encrypted_pem(data):
        return 'PEM'
    match = _OPENSSH.search(data)
    if match and _openssh_encrypted(match.group(1)):
        return 'OpenSSH'
    match = _PUTTY_ENCRYPTION.search(data)
    if match and match.group(1) != b'none':
        return 'PuTTY'
    for pattern, name in _ALWAYS_LOCKED:
        if pattern.search(data):
            return name
    if data[:1] == b'\x30' and any(oid in data for oid in _DER_PBE_OIDS):
        return 'DER (PKCS#8 or PKCS#12)'
    if _jwe_document(data):
        return 'JWE'
    return None


def read_bytes(path):
    """(Found(ABSENT) or Found(EMPTY) or None, data); OSError when the file exists but cannot be read."""
    if not os.path.lexists(path):
        return Found(ABSENT), None
    if not os.path.isfile(path):
        return Found(OTHER, 'not a regular file'), None
    with open(path, 'rb') as handle:
        data = handle.read()
    return (Found(EMPTY), data) if not data.strip() else (None, data)


def describe_facts(facts):
    key_type, size_or_curve = facts
    if key_type is None:
        return 'an unsupported'
    return 'an %s %s' % (key_type, size_or_curve)  # RSA, EC, OKP: all read with a vowel sound


def plan_file(found, wanted, force, encrypt):
    """(action, failure message or None) for a Found against wanted (key_type, size or curve).

    ``encrypt``: whether the task asks for an encrypted file (a passphrase with format pem).
    """
    if found.kind in (ABSENT, EMPTY):
        return CREATE, None
    if found.kind == LOCKED:
        return None, '%s; it is never replaced without being read, not even with force: %s' % (found.why, found.remedy)
    if found.kind == OTHER:
        if force:
            return REPLACE, None
        return None, ('is %s; it is kept. Set force: true to replace it (backup: true keeps a copy)' % found.why)
    if found.facts != wanted:
        if force:
            return REPLACE, None
        return None, ('holds %s private key, the task asks for %s key; it is kept. Set force: true to replace it '
                      '(backup: true keeps a copy)' % (describe_facts(found.facts), describe_facts(wanted)))
    if force:
        return REPLACE, None
    return (REWRITE if encrypt and not found.encrypted else KEEP), None


def file_view(path, fmt, found=None, key_facts=None, jwk=None, encrypted=False):
    """One side of ``--diff``: what the file holds, never key material (the thumbprint identifies a key)."""
    out = {'path': path, 'format': fmt}
    if found is not None and found.kind != KEY:
        out['content'] = {ABSENT: 'no file', EMPTY: 'empty file'}.get(found.kind, found.why)
        return out
    key_type, size_or_curve = key_facts
    out.update(content='private key', key_type=key_type, encrypted=encrypted)
    out['key_size' if key_type == 'RSA' else 'curve'] = size_or_curve
    for member in ('kid', 'use', 'alg'):
        if fmt == 'jwk' and jwk.get(member) is not None:
            out[member] = jwk[member]
    return out


def write_atomically(path, data):
    """Write data to path with mode 0600: the key is never readable by others, not even briefly."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), dir=directory)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, 'wb') as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except Exception:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
