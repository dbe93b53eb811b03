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
      - Writes nothing. When a new key would be written, a key is generated in memory so
        that RV(public_jwk) and RV(thumbprint) show what the new key would look like; a
        later real run generates a different key.
  diff_mode:
    support: none
    description: The module has no diff output.
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
      - V(pem) writes an unencrypted PKCS#8 PEM private key (no key id or use).
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
  force:
    description:
      - Generate and write a new key even when O(path) already holds a matching one.
      - The previous key is lost; keep a copy first if tokens it signed must still be issued.
    type: bool
    default: false
notes:
  - Whether an existing file matches is decided by key type and size or curve only. With
    O(format=jwk), a differing O(kid), O(use) or O(algorithm) rewrites the file with the
    same key material.
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
'''

RETURN = r'''
path:
  description: The private key file.
  returned: always
  type: str
  sample: /etc/issuer/signing.jwk.json
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
import tempfile
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.text.converters import to_bytes, to_native

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
    USE_TO_MEMBER,
    USES,
    allowed_algorithms,
    curves_for,
    default_curve,
)

CRYPTOGRAPHY_IMPORT_ERROR = None
try:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa, x25519
    HAS_CRYPTOGRAPHY = True
except ImportError:  # pragma: no cover - exercised through missing_required_lib only
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_IMPORT_ERROR = traceback.format_exc()

FILE_MODE = 0o600
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


def read_existing(path, fmt):
    """The key held by path, or None when the file is not a readable private key in fmt."""
    try:
        with open(path, 'rb') as handle:
            data = handle.read()
    except (IOError, OSError):
        return None, None
    try:
        if fmt == 'pem':
            return serialization.load_pem_private_key(data, password=None), None
        document = json.loads(to_native(data))
        if not isinstance(document, dict):
            return None, None
        return private_jwk_to_key(document), document
    except Exception:  # any parse failure means "not a reusable key": replace it
        return None, None


def matches(key, spec):
    key_type, size_or_curve = key_facts(key)
    if key_type != spec['key_type']:
        return False
    return size_or_curve == (spec['key_size'] if key_type == 'RSA' else spec['curve'])


def with_metadata(jwk, spec):
    """Add kid/use/alg to a JWK dict (kid defaults to the thumbprint)."""
    jwk = dict(jwk)
    jwk['kid'] = spec['kid'] or thumbprint(jwk)
    jwk['use'] = USE_TO_MEMBER[spec['use']]
    if spec['algorithm']:
        jwk['alg'] = spec['algorithm']
    return jwk


def serialise(key, private_doc, fmt):
    if fmt == 'pem':
        return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
    return to_bytes(json.dumps(private_doc, indent=2, sort_keys=True) + '\n')


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


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            format=dict(type='str', choices=['jwk', 'pem'], default='jwk'),
            key_type=dict(type='str', choices=['RSA', 'EC', 'OKP'], default='EC'),
            key_size=dict(type='int', choices=list(KEY_SIZES['RSA'])),
            curve=dict(type='str', choices=list(EC_CURVES + OKP_CURVES)),
            kid=dict(type='str'),
            use=dict(type='str', choices=list(USES), default='signature'),
            algorithm=dict(type='str'),
            force=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )
    if not HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib('cryptography'), exception=CRYPTOGRAPHY_IMPORT_ERROR)
    spec, errors = normalise_params(module.params)
    if errors:
        module.fail_json(msg=' '.join(errors))
    path = module.params['path']
    fmt = module.params['format']
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        module.fail_json(msg='The directory of path %s does not exist.' % path)
    if os.path.isdir(path):
        module.fail_json(msg='path %s is a directory.' % path)

    key, document = (None, None)
    if not module.params['force']:
        key, document = read_existing(path, fmt)
        if key is not None and not matches(key, spec):
            key, document = None, None
    new_key = key is None
    if new_key:
        key = generate_key(spec)
    private_doc = with_metadata(key_to_private_jwk(key), spec)
    content_changed = new_key or (fmt == 'jwk' and document != private_doc)
    mode_changed = (not content_changed and os.path.exists(path)
                    and stat.S_IMODE(os.stat(path).st_mode) != FILE_MODE)

    if not module.check_mode:
        try:
            if content_changed:
                write_atomically(path, serialise(key, private_doc, fmt))
            elif mode_changed:
                os.chmod(path, FILE_MODE)
        except (IOError, OSError) as exc:
            module.fail_json(msg='Could not write %s: %s' % (path, to_native(exc)))

    public = public_jwk(private_doc)
    result = dict(changed=content_changed or mode_changed, path=path, kid=private_doc['kid'],
                  key_type=spec['key_type'], thumbprint=thumbprint(private_doc), public_jwk=public)
    if spec['key_type'] == 'RSA':
        result['key_size'] = spec['key_size']
    else:
        result['curve'] = spec['curve']
    module.exit_json(**result)


if __name__ == '__main__':
    main()
