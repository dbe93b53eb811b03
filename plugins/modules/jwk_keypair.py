#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


DOCUMENTATION = r'''
---
module: jwk_keypair
short_description: Generate an asymmetric key pair as a private JWK or PEM file
version_added: 1.0.0
description:
  - Generates an RSA, EC or OKP key pair with the C(cryptography) library on the host the
    task runs on (normally the controller) and writes the private key to O(path), as a JSON
    JWK or as a PKCS#8 PEM file, with mode C(0600), atomically.
  - Returns the public half as a JWK and its RFC 7638 thumbprint, ready to import into
    Apinizer with M(apinizer.apiops.apinizer_jwk) (O(apinizer.apiops.apinizer_jwk#module:source=jwk)),
    so that the private key stays with the signer that reads O(path) and never reaches the gateway.
  - Idempotent. An existing file that holds a private key of the requested type and size
    or curve is kept; O(force=true) replaces it with a new key.
  - Never replaces a file it cannot prove is a key it may replace. A file that is not a private
    key in O(format) (an unrelated JSON file, a public key, a certificate, unreadable data), or a
    private key of another type, size or curve, makes the task fail and is kept, unless
    O(force=true). An empty file counts as no key.
  - An encrypted PEM key is read with O(passphrase). Without it, or when it does not decrypt the
    key, the task fails and the file is kept, even with O(force=true).
  - A key in another encrypted format (an OpenSSH key with a passphrase, PuTTY, SSH2, OpenPGP, binary
    PKCS#8 or PKCS#12, a JWE) is never read; the task fails and the file is kept, even with O(force=true).
  - Private key members never appear in the module result.
  - Does not talk to Apinizer, so it is not part of the C(apinizer.apiops.apinizer) action group.
  - The C(apinizer.apiops.jwk_rotation) role uses it for C(jwk_rotation_source=local).
author:
  - apinizer.apiops maintainers (@apinizer)
requirements:
  - cryptography >= 3.4
attributes:
  check_mode:
    support: full
    description:
      - Writes nothing (no key, no backup). When a new key would be written, a key is generated
        in memory so that RV(public_jwk) and RV(thumbprint) show what the new key would look
        like; a later real run generates a different key. RV(action) says what would happen.
  diff_mode:
    support: full
    description:
      - Shows what the file holds before and after (content, key type, size or curve, kid,
        use, alg, whether encrypted, mode, thumbprint); never key material.
options:
  path:
    description:
      - File to hold the private key. Its directory must exist.
      - Written with mode C(0600); an existing file with other permissions is fixed.
    type: path
    required: true
  format:
    description:
      - V(jwk) writes the private key as an RFC 7517 JWK (JSON, with O(kid), O(use) and
        O(algorithm) when given).
      - V(pem) writes a PKCS#8 PEM private key (no key id or use), encrypted when
        O(passphrase) is set.
    type: str
    choices: [jwk, pem]
    default: jwk
  key_type:
    description: Key type.
    type: str
    choices: [RSA, EC, OKP]
    default: EC
  key_size:
    description: RSA modulus size in bits. Only for O(key_type=RSA).
    type: int
    choices: [2048, 3072, 4096]
  curve:
    description:
      - Curve for O(key_type=EC) (V(P-256) by default, V(P-384), V(P-521), V(secp256k1)) or
        O(key_type=OKP) (V(Ed25519) by default for signatures, V(X25519) for encryption).
    type: str
    choices: [P-256, P-384, P-521, secp256k1, Ed25519, X25519]
  kid:
    description:
      - Key id placed in the JWK (file and RV(public_jwk)).
      - When not given, the RFC 7638 thumbprint is used as the key id.
    type: str
  use:
    description: Intended use, written as the JWK C(use) member (V(sig) or V(enc)).
    type: str
    choices: [signature, encryption]
    default: signature
  algorithm:
    description:
      - JOSE algorithm (for example V(RS256), V(PS256), V(ES256), V(EdDSA), V(RSA-OAEP-256),
        V(ECDH-ES)), written as the JWK C(alg) member. Must fit O(key_type), O(curve) and O(use).
      - Omitted from the JWK when not given.
    type: str
  passphrase:
    description:
      - Passphrase of an encrypted PEM key at O(path), and the passphrase a new PEM key is
        encrypted with (PKCS#8, the best available encryption).
      - An unencrypted key at O(path) that matches is kept and rewritten encrypted (same key).
      - Only with O(format=pem); a JWK file cannot be encrypted.
    type: str
  force:
    description:
      - Generate and write a new key even when O(path) already holds a matching one, a key of
        another type, size or curve, or something that is not a key.
      - The previous content is lost unless O(backup=true); keep a copy if tokens the old key
        signed must still be issued.
      - An encrypted key that O(passphrase) does not decrypt is never replaced, not even with
        O(force=true).
    type: bool
    default: false
  backup:
    description:
      - Keep a copy of O(path) before it is replaced or rewritten, as
        C(<path>.<pid>.<YYYY-MM-DD>@<HH:MM:SS>~) in the same directory (the convention of
        C(community.crypto.openssl_privatekey)); RV(backup_file) names it.
      - No copy is made when the file is kept, only its mode fixed, or in check mode.
    type: bool
    default: false
notes:
  - Whether an existing file matches is decided by key type and size or curve only. With
    O(format=jwk), a differing O(kid), O(use) or O(algorithm) rewrites the file with the
    same key material.
  - The file must hold a key in O(format); a PEM key at a path with O(format=jwk) (or the
    reverse) is not read as a key, so the task fails unless O(force=true).
seealso:
  - module: apinizer.apiops.apinizer_jwk
'''

EXAMPLES = r'''
- name: Create a signing key for an external token issuer and import its public half
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Generate an EC P-256 key pair on the controller
      apinizer.apiops.jwk_keypair:
        path: /etc/issuer/signing.jwk.json
        key_type: EC
        curve: P-256
        kid: issuer-2026
        algorithm: ES256
      register: keypair

    - name: Import only the public key into Apinizer
      apinizer.apiops.apinizer_jwk:
        name: issuer-2026
        source: jwk
        jwk: "{{ keypair.public_jwk }}"
        apinizer_url: https://apinizer.example.com
        apinizer_token: "{{ vault_apinizer_token }}"
        project: demo

- name: An RSA key as PEM for a signer that reads PKCS#8
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Generate an RSA 3072 key pair
      apinizer.apiops.jwk_keypair:
        path: /etc/issuer/signing.pem
        format: pem
        key_type: RSA
        key_size: 3072
        algorithm: PS256
      register: rsa_key

    - name: Show its thumbprint
      ansible.builtin.debug:
        var: rsa_key.thumbprint

- name: An encrypted PEM key, replaced on purpose with a copy of the old one
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Replace the key, keeping a timestamped backup
      apinizer.apiops.jwk_keypair:
        path: /etc/issuer/signing.pem
        format: pem
        passphrase: "{{ vault_signing_key_passphrase }}"
        force: true
        backup: true
      register: replaced

    - name: Show where the previous key went
      ansible.builtin.debug:
        var: replaced.backup_file
'''

RETURN = r'''
path:
  description: The private key file.
  returned: always
  type: str
  sample: /etc/issuer/signing.jwk.json
action:
  description:
    - What happened to the file (in check mode, what would happen).
    - V(create) (no file, or an empty one), V(keep) (the key is kept; at most its mode is fixed),
      V(rewrite) (the same key written again, with new kid/use/alg or now encrypted),
      V(replace) (a new key replaces the content, O(force=true)).
  returned: success
  type: str
  sample: keep
backup_file:
  description: The copy of the previous file made by O(backup=true).
  returned: when a backup was made
  type: str
  sample: /etc/issuer/signing.pem.4711.2026-12-04@11:30:00~
kid:
  description: Key id of the key (O(kid), or the thumbprint when not given).
  returned: always
  type: str
  sample: issuer-2026
key_type:
  description: Key type.
  returned: always
  type: str
  sample: EC
key_size:
  description: RSA modulus size in bits.
  returned: for RSA keys
  type: int
  sample: 2048
curve:
  description: Curve of an EC or OKP key.
  returned: for EC and OKP keys
  type: str
  sample: P-256
thumbprint:
  description: RFC 7638 SHA-256 thumbprint of the public key, base64url without padding.
  returned: always
  type: str
  sample: oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U
public_jwk:
  description:
    - The public key as an RFC 7517 JWK, with C(kid), and C(use) and C(alg) when set.
    - Never contains a private member.
  returned: always
  type: dict
  sample:
    kty: EC
    crv: P-256
    x: f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU
    y: x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0
    kid: issuer-2026
    use: sig
    alg: ES256
'''

import json
import os
import stat
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.text.converters import to_bytes, to_native, to_text

from ansible_collections.apinizer.apiops.plugins.module_utils.key_file import (
    ABSENT,
    FILE_MODE,
    KEEP,
    KEY,
    LOCKED,
    OTHER,
    REWRITE,
    Found,
    encrypted_format,
    file_view,
    is_encrypted_pem,
    plan_file,
    read_bytes,
    write_atomically,
)
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_material import (
    b64url_decode,
    b64url_encode,
    public_jwk,
    thumbprint,
)
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_vocabulary import (
    CURVE_COORDINATE_BYTES,
    CURVE_USES,
    DEFAULT_KEY_SIZE,
    KEY_SIZES,
    PRIVATE_MEMBERS,
    USE_TO_MEMBER,
    USES,
    allowed_algorithms,
    curves_for,
    default_curve,
)

CRYPTOGRAPHY_IMPORT_ERROR = None
try:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa, x25519
    HAS_CRYPTOGRAPHY = True
except ImportError:  # pragma: no cover - exercised through missing_required_lib only
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_IMPORT_ERROR = traceback.format_exc()

# The curves of each key type, from the collection's one table (jwk_vocabulary.CURVES).
EC_CURVES = tuple(curves_for('EC'))
OKP_CURVES = tuple(curves_for('OKP'))


def _int_b64(value, length=None):
    if length is None:
        length = max(1, (value.bit_length() + 7) // 8)
    return b64url_encode(value.to_bytes(length, 'big'))


def _b64_int(text):
    return int.from_bytes(b64url_decode(text), 'big')


def _curve_obj(curve):
    return {'P-256': ec.SECP256R1, 'P-384': ec.SECP384R1, 'P-521': ec.SECP521R1,
            'secp256k1': ec.SECP256K1}[curve]()


def _curve_errors(curve, key_type, use):
    """Problems of a curve for a key type and use, from the vocabulary's tables."""
    fit = curves_for(key_type)
    if curve not in fit:
        return ['curve %s does not fit key_type %s; use one of %s.' % (curve, key_type, ', '.join(fit))]
    if use not in CURVE_USES.get(curve, USES):
        return ['curve %s is for use %s; use curve %s for %s.'
                % (curve, CURVE_USES[curve][0], ', '.join(curves_for(key_type, use)), use)]
    return []


def normalise_params(params):
    """Resolve defaults and check the combination. Returns (spec, errors)."""
    errors = []
    key_type = params['key_type']
    use = params['use']
    spec = dict(key_type=key_type, use=use, algorithm=params.get('algorithm'), kid=params.get('kid'))
    if key_type == 'RSA':
        if params.get('curve'):
            errors.append('curve is not used with key_type RSA; set key_size (%s) instead.'
                          % ', '.join(str(size) for size in KEY_SIZES['RSA']))
        spec['key_size'] = params.get('key_size') or DEFAULT_KEY_SIZE['RSA']
    else:
        if params.get('key_size'):
            errors.append('key_size is only used with key_type RSA; set curve for %s keys.' % key_type)
        spec['curve'] = params.get('curve') or default_curve(key_type, use)
        errors.extend(_curve_errors(spec['curve'], key_type, use))
    allowed = allowed_algorithms(key_type, use, spec.get('curve'))
    if spec['algorithm'] and not errors and spec['algorithm'] not in allowed:
        errors.append('algorithm %s does not fit a %s %s key for use %s; allowed: %s.' % (
            spec['algorithm'], key_type, spec.get('curve', spec.get('key_size')), use, ', '.join(allowed)))
    return spec, errors


def generate_key(spec):
    if spec['key_type'] == 'RSA':
        return rsa.generate_private_key(public_exponent=65537, key_size=spec['key_size'])
    if spec['key_type'] == 'EC':
        return ec.generate_private_key(_curve_obj(spec['curve']))
    if spec['curve'] == 'Ed25519':
        return ed25519.Ed25519PrivateKey.generate()
    return x25519.X25519PrivateKey.generate()


def key_facts(key):
    """(key_type, key_size or curve) of a cryptography private key, or None if unsupported."""
    if isinstance(key, rsa.RSAPrivateKey):
        return 'RSA', key.key_size
    if isinstance(key, ec.EllipticCurvePrivateKey):
        names = {'secp256r1': 'P-256', 'secp384r1': 'P-384', 'secp521r1': 'P-521', 'secp256k1': 'secp256k1'}
        return 'EC', names.get(key.curve.name)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return 'OKP', 'Ed25519'
    if isinstance(key, x25519.X25519PrivateKey):
        return 'OKP', 'X25519'
    return None, None


def key_to_private_jwk(key):
    """The RFC 7517 private JWK of a key (key members only; metadata is added separately)."""
    key_type, size_or_curve = key_facts(key)
    if key_type == 'RSA':
        priv = key.private_numbers()
        pub = priv.public_numbers
        return dict(kty='RSA', n=_int_b64(pub.n), e=_int_b64(pub.e), d=_int_b64(priv.d),
                    p=_int_b64(priv.p), q=_int_b64(priv.q), dp=_int_b64(priv.dmp1),
                    dq=_int_b64(priv.dmq1), qi=_int_b64(priv.iqmp))
    if key_type == 'EC':
        # Coordinates are fixed-length, left-padded (RFC 7518 6.2.1.2).
        size = CURVE_COORDINATE_BYTES[size_or_curve]
        priv = key.private_numbers()
        pub = priv.public_numbers
        return dict(kty='EC', crv=size_or_curve, x=_int_b64(pub.x, size), y=_int_b64(pub.y, size),
                    d=_int_b64(priv.private_value, size))
    raw = serialization.Encoding.Raw
    public = key.public_key().public_bytes(raw, serialization.PublicFormat.Raw)
    private = key.private_bytes(raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return dict(kty='OKP', crv=size_or_curve, x=b64url_encode(public), d=b64url_encode(private))


def private_jwk_to_key(jwk):
    """A cryptography private key from a private JWK dict (ValueError when it is not one)."""
    kty = jwk.get('kty')
    if kty == 'RSA':
        n, e = _b64_int(jwk['n']), _b64_int(jwk['e'])
        p, q, d = _b64_int(jwk['p']), _b64_int(jwk['q']), _b64_int(jwk['d'])
        numbers = rsa.RSAPrivateNumbers(p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q),
                                        rsa.rsa_crt_iqmp(p, q), rsa.RSAPublicNumbers(e, n))
        return numbers.private_key()
    if kty == 'EC':
        curve = _curve_obj(jwk['crv'])
        pub = ec.EllipticCurvePublicNumbers(_b64_int(jwk['x']), _b64_int(jwk['y']), curve)
        return ec.EllipticCurvePrivateNumbers(_b64_int(jwk['d']), pub).private_key()
    if kty == 'OKP':
        cls = {'Ed25519': ed25519.Ed25519PrivateKey, 'X25519': x25519.X25519PrivateKey}[jwk['crv']]
        return cls.from_private_bytes(b64url_decode(jwk['d']))
    raise ValueError('unsupported kty %r' % kty)


def _load_pem(data, passphrase):
    """Found for PEM bytes: the key, or why it is not one (encrypted ones need the passphrase)."""
    encrypted = is_encrypted_pem(data)
    if encrypted and passphrase is None:
        return Found(LOCKED, 'holds an encrypted private key and no passphrase was given')
    try:
        key = serialization.load_pem_private_key(data, password=to_bytes(passphrase) if encrypted else None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        # cryptography's messages may quote the data: none of them is passed on
        if encrypted:
            return Found(LOCKED, 'holds an encrypted private key that the passphrase does not decrypt')
        return Found(OTHER, 'not a PEM private key')
    return Found(KEY, key=key, facts=key_facts(key), encrypted=encrypted)


def _load_jwk(data):
    """Found for the bytes of a JWK file: a private JWK's key, or why it is not one."""
    try:
        document = json.loads(to_text(data, errors='surrogate_or_strict'))
    except ValueError:
        return Found(OTHER, 'PEM data, not a JWK (format pem reads it)' if b'-----BEGIN' in data
                     else 'not JSON, so not a JWK')
    if not isinstance(document, dict) or 'kty' not in document:
        return Found(OTHER, 'JSON but not a JWK (no kty member)')
    if not any(member in document for member in PRIVATE_MEMBERS):
        return Found(OTHER, 'a JWK without a private part')
    try:
        key = private_jwk_to_key(document)
    except (ValueError, KeyError, TypeError, UnsupportedAlgorithm):
        return Found(OTHER, 'a JWK that is not a readable private key')
    return Found(KEY, key=key, facts=key_facts(key), document=document)


def read_existing(path, fmt, passphrase):
    """What path holds (a key_file.Found); OSError when it exists but cannot be read."""
    found, data = read_bytes(path)
    if found is not None:
        return found
    encrypted = encrypted_format(data)
    if encrypted == 'PEM' and fmt != 'pem':
        return Found(LOCKED, 'holds an encrypted PEM private key, which format jwk cannot read')
    if encrypted not in (None, 'PEM'):
        return Found(LOCKED, 'holds an encrypted %s private key, which jwk_keypair cannot read' % encrypted,
                     remedy='move the file away yourself if it is no longer needed')
    return _load_pem(data, passphrase) if fmt == 'pem' else _load_jwk(data)


def wanted_facts(spec):
    return spec['key_type'], (spec['key_size'] if spec['key_type'] == 'RSA' else spec['curve'])


def with_metadata(jwk, spec):
    """Add kid/use/alg to a JWK dict (kid defaults to the thumbprint)."""
    jwk = dict(jwk)
    jwk['kid'] = spec['kid'] or thumbprint(jwk)
    jwk['use'] = USE_TO_MEMBER[spec['use']]
    if spec['algorithm']:
        jwk['alg'] = spec['algorithm']
    return jwk


def serialise(key, private_doc, fmt, passphrase):
    if fmt == 'pem':
        encryption = (serialization.BestAvailableEncryption(to_bytes(passphrase)) if passphrase is not None
                      else serialization.NoEncryption())
        return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    return to_bytes(json.dumps(private_doc, indent=2, sort_keys=True) + '\n')


ARGUMENT_SPEC = dict(
    path=dict(type='path', required=True),
    format=dict(type='str', choices=['jwk', 'pem'], default='jwk'),
    key_type=dict(type='str', choices=['RSA', 'EC', 'OKP'], default='EC'),
    key_size=dict(type='int', choices=list(KEY_SIZES['RSA'])),
    curve=dict(type='str', choices=list(EC_CURVES + OKP_CURVES)),
    kid=dict(type='str'),
    use=dict(type='str', choices=list(USES), default='signature'),
    algorithm=dict(type='str'),
    passphrase=dict(type='str', no_log=True),
    force=dict(type='bool', default=False),
    backup=dict(type='bool', default=False),
)


def validate(module):
    """The resolved spec, after failing on any bad option (before touching the file)."""
    if not HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib('cryptography'), exception=CRYPTOGRAPHY_IMPORT_ERROR)
    spec, errors = normalise_params(module.params)
    if module.params['passphrase'] is not None and module.params['format'] != 'pem':
        errors.append('passphrase applies to format pem only (a JWK file holds the key unencrypted).')
    path = module.params['path']
    if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
        errors.append('The directory of path %s does not exist.' % path)
    elif os.path.isdir(path):
        errors.append('path %s is a directory.' % path)
    if errors:
        module.fail_json(msg=' '.join(errors))
    return spec


def decide(module, spec):
    """(action, found, key, private_doc): what happens to the file; fails when it must be kept."""
    path, fmt, passphrase = module.params['path'], module.params['format'], module.params['passphrase']
    try:
        found = read_existing(path, fmt, passphrase)
    except (IOError, OSError) as exc:
        module.fail_json(msg='Could not read %s, so it is kept: %s' % (path, to_native(exc.strerror or exc)))
    action, failure = plan_file(found, wanted_facts(spec), module.params['force'],
                                encrypt=fmt == 'pem' and passphrase is not None)
    if failure is not None:
        module.fail_json(msg='path %s %s.' % (path, failure), path=path)
    key = found.key if action in (KEEP, REWRITE) else generate_key(spec)
    private_doc = with_metadata(key_to_private_jwk(key), spec)
    if action == KEEP and fmt == 'jwk' and found.document != private_doc:
        action = REWRITE  # same key, new kid/use/alg
    return action, found, key, private_doc


def write(module, action, key, private_doc):
    """Backup (when asked) and write, or fix the mode; returns (changed, backup_file or None)."""
    path, fmt = module.params['path'], module.params['format']
    exists = os.path.exists(path)
    mode_changed = action == KEEP and exists and stat.S_IMODE(os.stat(path).st_mode) != FILE_MODE
    if action == KEEP and not mode_changed:
        return False, None
    backup_file = None
    if module.check_mode:
        return True, None
    try:
        if action == KEEP:
            os.chmod(path, FILE_MODE)
            return True, None
        if module.params['backup'] and exists:
            backup_file = module.backup_local(path)
        write_atomically(path, serialise(key, private_doc, fmt, module.params['passphrase']))
    except (IOError, OSError) as exc:
        module.fail_json(msg='Could not write %s: %s' % (path, to_native(exc)), backup_file=backup_file)
    return True, backup_file


def diff_of(module, action, found, key, private_doc):
    path, fmt = module.params['path'], module.params['format']
    before = file_view(path, fmt, found=found, key_facts=found.facts, jwk=found.document or {},
                       encrypted=found.encrypted)
    if found.kind == KEY:
        before['thumbprint'] = thumbprint(key_to_private_jwk(found.key))
    if found.kind != ABSENT and os.path.isfile(path):
        before['mode'] = '%04o' % stat.S_IMODE(os.stat(path).st_mode)
    if action == KEEP:
        after = dict(before, mode='0600')
    else:
        after = file_view(path, fmt, key_facts=key_facts(key), jwk=private_doc,
                          encrypted=fmt == 'pem' and module.params['passphrase'] is not None)
        after.update(thumbprint=thumbprint(private_doc), mode='0600')
    return dict(before=before, after=after)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    spec = validate(module)
    action, found, key, private_doc = decide(module, spec)
    changed, backup_file = write(module, action, key, private_doc)

    public = public_jwk(private_doc)
    result = dict(changed=changed, action=action, path=module.params['path'], kid=private_doc['kid'],
                  key_type=spec['key_type'], thumbprint=thumbprint(private_doc), public_jwk=public)
    if spec['key_type'] == 'RSA':
        result['key_size'] = spec['key_size']
    else:
        result['curve'] = spec['curve']
    if backup_file is not None:
        result['backup_file'] = backup_file
    if module._diff:
        result['diff'] = diff_of(module, action, found, key, private_doc)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
