# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The defaults of a generate request: what the server is asked for when the task leaves a setting out.

Owns the inference rules (docs/design.md lists them):

- key_type: from ``curve`` (P-*/secp256k1 -> EC, Ed25519/X25519 -> OKP), else from ``algorithm``
  (RS*/PS*/RSA* -> RSA, ES* -> EC, HS*/A*KW/dir/PBES2* -> OCT, EdDSA -> OKP, ECDH-* -> EC), else
  from ``key_size`` (2048+ -> RSA, else OCT), else ``RSA``.
- use: ``use``, else the use of ``algorithm``, else ``encryption`` for curve X25519, else ``signature``.
- key_size: RSA 2048; OCT 256, or the size an AES key wrap algorithm needs.
- curve: EC P-256 (or the curve of ES384/ES512/ES256K); OKP Ed25519 to sign, X25519 to encrypt.
- algorithm: RSA RS256 / RSA-OAEP-256; EC ES256, ES384, ES512, ES256K per curve / ECDH-ES;
  OCT HS256 / A128KW, A192KW, A256KW per key size; OKP EdDSA / ECDH-ES.

Pure functions over a params dict (the module's options).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_vocabulary import (
    CURVE_USES,
    CURVES,
    DEFAULT_ALGORITHM,
    DEFAULT_CURVE,
    DEFAULT_EC_SIGNATURE,
    DEFAULT_KEY_SIZE,
    DEFAULT_OCT_ENCRYPTION,
    KEY_SIZES,
    WRAP_KEY_SIZE,
    algorithm_key_types,
    algorithm_use,
    canonical_algorithm,
    default_curve,
    normalise_curve,
    normalise_key_type,
    normalise_use,
)


def effective_use(params):
    """The use a request will carry: explicit, else from algorithm or curve, else signature."""
    use = normalise_use(params.get('use'))
    if use is not None:
        return use
    alg = canonical_algorithm(params.get('algorithm'))
    if alg is not None:
        return algorithm_use(alg)
    curve = normalise_curve(params.get('curve'))
    if curve in CURVE_USES:
        return CURVE_USES[curve][0]
    return 'signature'


def inferred_key_type(params):
    """(key_type, how) for generate; how is None when it is only the default."""
    key_type = normalise_key_type(params.get('key_type'))
    if key_type is not None:
        return key_type, 'key_type'
    curve = normalise_curve(params.get('curve'))
    if curve in CURVES:
        return CURVES[curve][0], 'curve'
    alg = canonical_algorithm(params.get('algorithm'))
    if alg is not None:
        kts = algorithm_key_types(alg)
        return ('EC' if 'EC' in kts else kts[0]), 'algorithm'
    size = params.get('key_size')
    if isinstance(size, int) and not isinstance(size, bool):
        return ('RSA' if size >= 1024 else 'OCT'), 'key_size'
    return 'RSA', None


def _default_algorithm(key_type, use, curve, key_size):
    if key_type == 'EC' and use == 'signature':
        return DEFAULT_EC_SIGNATURE.get(curve)
    if key_type == 'OCT' and use == 'encryption':
        return DEFAULT_OCT_ENCRYPTION.get(key_size, 'A256KW')
    return DEFAULT_ALGORITHM.get((key_type, use))


def resolve_generate(params):
    """Effective generate settings: {key_type, key_size, curve, use, algorithm} (JOSE)."""
    key_type = inferred_key_type(params)[0]
    use = effective_use(params)
    alg = canonical_algorithm(params.get('algorithm'))
    key_size = params.get('key_size')
    curve = normalise_curve(params.get('curve'))
    if key_type in KEY_SIZES:
        curve = None
        if key_size is None:
            key_size = WRAP_KEY_SIZE.get(alg, DEFAULT_KEY_SIZE[key_type]) if key_type == 'OCT' else DEFAULT_KEY_SIZE[key_type]
    elif key_type in DEFAULT_CURVE:
        key_size = None
        if curve is None:
            curve = default_curve(key_type, use, alg)
    if alg is None:
        alg = _default_algorithm(key_type, use, curve, key_size)
    return {'key_type': key_type, 'key_size': key_size, 'curve': curve, 'use': use, 'algorithm': alg}
