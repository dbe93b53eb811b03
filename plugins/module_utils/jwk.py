# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The JWK vocabulary of the collection.

The one place that translates between the words a user writes in a task
(module options) and the words the Apinizer Management API speaks, validates
option combinations before any request, parses user supplied JWKs, computes
RFC 7638 thumbprints and compares desired state with server state.

Pure python, standard library only (``cryptography`` is deliberately not
imported: this file is loaded by every module and by the role's filters).

Public interface (names fixed by docs/design.md):

- ``jose_to_enum(alg)`` / ``enum_to_jose(enum)``: algorithm spellings of the
  create endpoint / JWK ``alg`` member (JOSE) and of the generate endpoint (enum).
- ``allowed_algorithms(key_type, use, curve=None)``: sorted JOSE names.
- ``validate_jwk_params(params)``: list of problems (empty when valid).
- ``parse_user_jwk(value, kid=None)``: the selected JWK dict, or ValueError.
- ``thumbprint(jwk)``, ``public_jwk(jwk)``, ``strip_private(obj)``,
  ``api_jwk_to_jwk(api_jwk)``, ``describe(api_jwk, include_private=False)``,
  ``build_generate_body(params)``, ``build_create_body(params)``, ``PRIVATE_MEMBERS``.

Additions:

- ``key_size_of(jwk)``: RSA modulus bits / oct key bits, else None.
- ``desired_facts(params)``: what the user specified, normalised.
- ``server_facts(api_jwk)``: the same facts read from an API Jwk.
- ``compare(desired, api_jwk)``: ``{'update': {...}, 'replace': {...}}``
  (``replace`` fields: ``REPLACE_FIELDS``; the ``url`` of a URL source is
  compared with the server's ``sourceUrl`` when it reports one).
- ``diff_view(api_jwk_or_None)`` / ``desired_diff_view(params)``: metadata
  for ``--diff`` (never key material).
- ``jwk_set(api_jwks)``: a JWKS document of public keys.
- ``resolve_generate(params)``: the effective key_type, key_size, curve, use,
  algorithm a generate request would use (defaults applied).
- ``effective_use(params)``, ``canonical_algorithm(name)``,
  ``normalize_alg/normalize_use/normalize_curve/normalize_key_type/normalize_source``.
- Tables: ``SOURCES``, ``KEY_TYPES``, ``USES``, ``CURVES``, ``KEY_SIZES``,
  ``DEFAULT_KEY_SIZE``, ``ALGORITHMS``, ``KID_TYPES``, ``SOURCE_OPTIONS``.

Defaults (generate):

- key_type: from ``curve`` (P-*/secp256k1 -> EC, Ed25519/X25519 -> OKP), else
  from ``algorithm`` (RS*/PS*/RSA* -> RSA, ES* -> EC, HS*/A*KW/dir/PBES2* -> OCT,
  EdDSA -> OKP, ECDH-* -> EC), else from ``key_size`` (2048+ -> RSA, else OCT),
  else ``RSA``.
- use: ``use``, else the use of ``algorithm``, else ``encryption`` for curve
  X25519, else ``signature``.
- key_size: RSA 2048; OCT 256, or the size an AES key wrap algorithm needs
  (A128KW/A128GCMKW -> 128, ...).
- curve: EC P-256 (or the curve of ES384/ES512/ES256K); OKP Ed25519 for
  signature, X25519 for encryption.
- algorithm: RSA RS256 / RSA-OAEP-256; EC ES256, ES384, ES512, ES256K per curve
  / ECDH-ES; OCT HS256 / A128KW, A192KW, A256KW per key size; OKP EdDSA /
  ECDH-ES.

Module authors: give source specific options no ``default`` in the argument
spec (``use`` neither); a value present for a source it does not apply to is
reported as a problem.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import copy
import datetime
import hashlib
import json
import re

# --------------------------------------------------------------------------
# Vocabulary tables
# --------------------------------------------------------------------------

SOURCES = ('generate', 'jwk', 'url', 'certificate', 'public_key', 'private_key', 'keystore')
SOURCE_TO_API = {
    'generate': 'GENERATE',
    'jwk': 'COPY_PASTE',
    'url': 'URL',
    'certificate': 'CERTIFICATE',
    'public_key': 'PUBLIC_KEY',
    'private_key': 'PRIVATE_KEY',
    'keystore': 'KEYSTORE',
}
API_TO_SOURCE = dict((v, k) for k, v in SOURCE_TO_API.items())

KEY_TYPES = ('RSA', 'EC', 'OCT', 'OKP')
# key_type (user and API ``type``) -> RFC 7517 ``kty``
KEY_TYPE_TO_KTY = {'RSA': 'RSA', 'EC': 'EC', 'OCT': 'oct', 'OKP': 'OKP'}
# the API names the key material member after the type, lower case
KEY_TYPE_TO_MEMBER = {'RSA': 'rsa', 'EC': 'ec', 'OCT': 'oct', 'OKP': 'okp'}

USES = ('signature', 'encryption')
USE_TO_API = {'signature': 'SIGNATURE', 'encryption': 'ENCRYPTION'}
USE_TO_MEMBER = {'signature': 'sig', 'encryption': 'enc'}

# JOSE ``crv`` -> (key type, generate endpoint curveType)
CURVES = {
    'P-256': ('EC', 'P256'),
    'P-384': ('EC', 'P384'),
    'P-521': ('EC', 'P521'),
    'secp256k1': ('EC', 'SECP256K1'),
    'Ed25519': ('OKP', 'ED25519'),
    'X25519': ('OKP', 'X25519'),
}
# coordinate length in bytes, to catch truncated keys early
CURVE_COORDINATE_BYTES = {'P-256': 32, 'P-384': 48, 'P-521': 66, 'secp256k1': 32, 'Ed25519': 32, 'X25519': 32}
# OKP curves are single purpose: Ed25519 signs, X25519 agrees keys
CURVE_USES = {'Ed25519': ('signature',), 'X25519': ('encryption',)}

KEY_SIZES = {'RSA': (2048, 3072, 4096), 'OCT': (128, 192, 256)}
DEFAULT_KEY_SIZE = {'RSA': 2048, 'OCT': 256}
DEFAULT_CURVE = {'EC': 'P-256', 'OKP': 'Ed25519'}

KID_TYPES = ('timestamp', 'sha256', 'sha1', 'iso_date', 'none')

_ECDH = ('ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW',
         'ECDH-1PU', 'ECDH-1PU+A128KW', 'ECDH-1PU+A192KW', 'ECDH-1PU+A256KW')

# (key_type, use) -> JOSE names, as the API contract lists them
ALGORITHMS = {
    ('RSA', 'signature'): ('RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'),
    ('RSA', 'encryption'): ('RSA1_5', 'RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512'),
    ('EC', 'signature'): ('ES256', 'ES384', 'ES512', 'ES256K'),
    ('EC', 'encryption'): _ECDH,
    ('OCT', 'signature'): ('HS256', 'HS384', 'HS512'),
    ('OCT', 'encryption'): ('A128KW', 'A192KW', 'A256KW', 'A128GCMKW', 'A192GCMKW', 'A256GCMKW', 'DIR',
                            'PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW'),
    ('OKP', 'signature'): ('EdDSA',),
    ('OKP', 'encryption'): _ECDH,
}

# EC signature algorithms are bound to one curve each (RFC 7518 3.4, RFC 8812)
SIGNATURE_CURVE = {'ES256': 'P-256', 'ES384': 'P-384', 'ES512': 'P-521', 'ES256K': 'secp256k1', 'EdDSA': 'Ed25519'}
# AES key wrap needs a key of exactly this many bits
WRAP_KEY_SIZE = {'A128KW': 128, 'A192KW': 192, 'A256KW': 256, 'A128GCMKW': 128, 'A192GCMKW': 192, 'A256GCMKW': 256}

DEFAULT_ALGORITHM = {
    ('RSA', 'signature'): 'RS256',
    ('RSA', 'encryption'): 'RSA-OAEP-256',
    ('EC', 'encryption'): 'ECDH-ES',
    ('OCT', 'signature'): 'HS256',
    ('OKP', 'signature'): 'EdDSA',
    ('OKP', 'encryption'): 'ECDH-ES',
}
_DEFAULT_EC_SIGNATURE = {'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512', 'secp256k1': 'ES256K'}
_DEFAULT_OCT_ENCRYPTION = {128: 'A128KW', 192: 'A192KW', 256: 'A256KW'}

# JOSE -> generate endpoint enum, for names that are spelled differently
_ENUM_EXCEPTIONS = {'RS256': 'RSA256', 'RS384': 'RSA384', 'RS512': 'RSA512'}


def _jose_to_enum_spelling(alg):
    if alg in _ENUM_EXCEPTIONS:
        return _ENUM_EXCEPTIONS[alg]
    return alg.replace('-', '_').replace('+', '_')


ALL_ALGORITHMS = tuple(sorted(set(a for algs in ALGORITHMS.values() for a in algs)))
JOSE_TO_ENUM = dict((a, _jose_to_enum_spelling(a)) for a in ALL_ALGORITHMS)
ENUM_TO_JOSE = dict((v, k) for k, v in JOSE_TO_ENUM.items())
_JOSE_BY_UPPER = dict((a.upper(), a) for a in ALL_ALGORITHMS)
_ENUM_BY_UPPER = dict((e.upper(), e) for e in ENUM_TO_JOSE)

# which source each source specific option belongs to
SOURCE_OPTIONS = {
    'generate': ('key_type', 'key_size', 'curve', 'use', 'algorithm', 'kid_type', 'not_before', 'expiration',
                 'password_salt_length', 'password_iteration_count'),
    'jwk': ('jwk', 'use', 'algorithm'),
    'url': ('url', 'url_connect_timeout', 'url_read_timeout', 'url_size_limit'),
    'certificate': ('certificate_name', 'environment', 'use', 'algorithm'),
    'public_key': ('key_name', 'environment', 'use', 'algorithm'),
    'private_key': ('key_name', 'environment', 'use', 'algorithm'),
    'keystore': ('keystore_name', 'alias', 'environment', 'use', 'algorithm'),
}
REQUIRED_OPTIONS = {
    'generate': (),
    'jwk': ('jwk',),
    'url': ('url',),
    # A stored certificate or key does not say what it is for: the task must (issue 3, the docs).
    'certificate': ('certificate_name', 'environment', 'use', 'algorithm'),
    'public_key': ('key_name', 'environment', 'use', 'algorithm'),
    'private_key': ('key_name', 'environment', 'use', 'algorithm'),
    'keystore': ('keystore_name', 'alias', 'environment', 'use', 'algorithm'),
}
# The allowed values a "required" problem names, for the required options that have a fixed set.
_REQUIRED_CHOICES = {'use': ('signature', 'encryption')}
_SPECIFIC_OPTIONS = tuple(sorted(set(o for opts in SOURCE_OPTIONS.values() for o in opts)))

# private members per RFC 7518 (RSA, EC) and RFC 8037 (OKP); ``k`` is the whole oct key
PRIVATE_MEMBERS_BY_KTY = {
    'RSA': ('d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'),
    'EC': ('d',),
    'OKP': ('d',),
    'oct': ('k',),
}
PRIVATE_MEMBERS = frozenset(m for members in PRIVATE_MEMBERS_BY_KTY.values() for m in members)
# members RFC 7638 hashes, in lexicographic order
THUMBPRINT_MEMBERS = {
    'RSA': ('e', 'kty', 'n'),
    'EC': ('crv', 'kty', 'x', 'y'),
    'oct': ('k', 'kty'),
    'OKP': ('crv', 'kty', 'x'),
}
# public members that name or describe a key (RFC 7517 4.x), kept by public_jwk
_DESCRIPTIVE_MEMBERS = ('kid', 'use', 'alg', 'key_ops', 'x5u', 'x5c', 'x5t', 'x5t#S256')
# every public member (RFC 7517/7518/8037): the key type, the public key members and the descriptive ones
PUBLIC_MEMBERS = frozenset(('kty',) + _DESCRIPTIVE_MEMBERS + tuple(
    m for members in THUMBPRINT_MEMBERS.values() for m in members if m not in PRIVATE_MEMBERS))

_B64URL = re.compile(r'^[A-Za-z0-9_-]*$')
_ISO8601 = re.compile(
    r'^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})'
    r'(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?'
    r'(?P<tz>Z|z|[+-]\d{2}(?::?\d{2})?)?)?$')


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------

def _is_set(value):
    return value is not None


def canonical_algorithm(name):
    """JOSE spelling of a user supplied algorithm (case-insensitive), or None."""
    if not isinstance(name, str):
        return None
    upper = name.strip().upper()
    return _JOSE_BY_UPPER.get(upper)


def jose_to_enum(alg):
    """Generate endpoint spelling of a JOSE algorithm name; ValueError if unknown."""
    jose = canonical_algorithm(alg)
    if jose is None:
        raise ValueError("unknown algorithm %r; allowed: %s" % (alg, ', '.join(ALL_ALGORITHMS)))
    return JOSE_TO_ENUM[jose]


def enum_to_jose(enum):
    """JOSE spelling of a generate endpoint enum name; ValueError if unknown."""
    if isinstance(enum, str):
        found = _ENUM_BY_UPPER.get(enum.strip().upper())
        if found is not None:
            return ENUM_TO_JOSE[found]
    raise ValueError("unknown algorithm enum %r" % (enum,))


def normalize_alg(value):
    """JOSE name from either spelling (server data may use either); None stays None."""
    if value is None or value == '':
        return None
    jose = canonical_algorithm(value)
    if jose is not None:
        return jose
    try:
        return enum_to_jose(value)
    except ValueError:
        return str(value)


def normalize_use(value):
    """'signature'/'encryption' from sig/enc/SIGNATURE/ENCRYPTION; None stays None."""
    if value is None or value == '':
        return None
    low = str(value).strip().lower()
    if low in ('sig', 'signature'):
        return 'signature'
    if low in ('enc', 'encryption'):
        return 'encryption'
    return low


_CURVE_BY_KEY = {}
for _crv, (_kt, _enum) in CURVES.items():
    _CURVE_BY_KEY[_crv.upper()] = _crv
    _CURVE_BY_KEY[_enum.upper()] = _crv
    _CURVE_BY_KEY[_crv.upper().replace('-', '_')] = _crv


def normalize_curve(value):
    """JOSE ``crv`` spelling from any of P-256/P256/p_256/SECP256K1/ED25519...; None stays None."""
    if value is None or value == '':
        return None
    return _CURVE_BY_KEY.get(str(value).strip().upper(), str(value))


def normalize_key_type(value):
    """RSA/EC/OCT/OKP from a key type or a ``kty``; None stays None."""
    if value is None or value == '':
        return None
    return str(value).strip().upper()


def normalize_source(value):
    """User source word from a user word or an API sourceType; None stays None."""
    if value is None or value == '':
        return None
    text = str(value).strip()
    if text.upper() in API_TO_SOURCE:
        return API_TO_SOURCE[text.upper()]
    return text.lower()


def _normalize_description(value):
    return '' if value is None else str(value).strip()


def allowed_algorithms(key_type, use, curve=None):
    """Sorted JOSE names that fit a key type and use (and curve, when given)."""
    key_type = normalize_key_type(key_type)
    use = normalize_use(use)
    algs = ALGORITHMS.get((key_type, use), ())
    curve = normalize_curve(curve)
    if curve is not None:
        algs = [a for a in algs if SIGNATURE_CURVE.get(a, curve) == curve]
        if curve in CURVE_USES and use not in CURVE_USES[curve]:
            algs = []
    return sorted(algs)


def _algorithm_key_types(alg):
    return [kt for kt in KEY_TYPES if any(alg in ALGORITHMS[(kt, u)] for u in USES)]


def _algorithm_use(alg):
    for (unused_kt, use), algs in ALGORITHMS.items():
        if alg in algs:
            return use
    return None


def _curves_for(key_type, use=None):
    return sorted(c for c, (kt, unused) in CURVES.items()
                  if kt == key_type and (use is None or use in CURVE_USES.get(c, USES)))


# --------------------------------------------------------------------------
# Effective (defaulted) generate parameters
# --------------------------------------------------------------------------

def effective_use(params):
    """The use a request will carry: explicit, else from algorithm or curve, else signature."""
    use = normalize_use(params.get('use'))
    if use is not None:
        return use
    alg = canonical_algorithm(params.get('algorithm'))
    if alg is not None:
        return _algorithm_use(alg)
    curve = normalize_curve(params.get('curve'))
    if curve in CURVE_USES:
        return CURVE_USES[curve][0]
    return 'signature'


def _inferred_key_type(params):
    """(key_type, how) for generate; how is None when it is only the default."""
    key_type = normalize_key_type(params.get('key_type'))
    if key_type is not None:
        return key_type, 'key_type'
    curve = normalize_curve(params.get('curve'))
    if curve in CURVES:
        return CURVES[curve][0], 'curve'
    alg = canonical_algorithm(params.get('algorithm'))
    if alg is not None:
        kts = _algorithm_key_types(alg)
        return ('EC' if 'EC' in kts else kts[0]), 'algorithm'
    size = params.get('key_size')
    if isinstance(size, int) and not isinstance(size, bool):
        return ('RSA' if size >= 1024 else 'OCT'), 'key_size'
    return 'RSA', None


def resolve_generate(params):
    """Effective generate settings: {key_type, key_size, curve, use, algorithm} (JOSE)."""
    key_type = _inferred_key_type(params)[0]
    use = effective_use(params)
    alg = canonical_algorithm(params.get('algorithm'))
    key_size = params.get('key_size')
    curve = normalize_curve(params.get('curve'))
    if key_type in KEY_SIZES:
        curve = None
        if key_size is None:
            key_size = WRAP_KEY_SIZE.get(alg, DEFAULT_KEY_SIZE[key_type]) if key_type == 'OCT' else DEFAULT_KEY_SIZE[key_type]
    elif key_type in DEFAULT_CURVE:
        key_size = None
        if curve is None:
            if alg in SIGNATURE_CURVE:
                curve = SIGNATURE_CURVE[alg]
            elif key_type == 'OKP':
                curve = 'X25519' if use == 'encryption' else 'Ed25519'
            else:
                curve = DEFAULT_CURVE[key_type]
    if alg is None:
        if key_type == 'EC' and use == 'signature':
            alg = _DEFAULT_EC_SIGNATURE.get(curve)
        elif key_type == 'OCT' and use == 'encryption':
            alg = _DEFAULT_OCT_ENCRYPTION.get(key_size, 'A256KW')
        else:
            alg = DEFAULT_ALGORITHM.get((key_type, use))
    return {'key_type': key_type, 'key_size': key_size, 'curve': curve, 'use': use, 'algorithm': alg}


# --------------------------------------------------------------------------
# base64url and JWK parsing
# --------------------------------------------------------------------------

def _b64url_decode(text):
    """Bytes of a base64url string (padding optional); ValueError without echoing the value."""
    if not isinstance(text, str) or not _B64URL.match(text) or len(text) % 4 == 1:
        raise ValueError('not base64url')
    try:
        return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))
    except (binascii.Error, TypeError):
        raise ValueError('not base64url') from None


def _b64url_encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode('ascii')


def _check_key(key, where):
    """Problems of one RFC 7517 key (messages never contain member values)."""
    problems = []
    if not isinstance(key, dict):
        return ['%s is not a JSON object' % where]
    kty = key.get('kty')
    if kty == 'OCT':  # tolerate the API's upper case spelling
        kty = 'oct'
    if kty not in THUMBPRINT_MEMBERS:
        shown = kty if isinstance(kty, str) else None
        return ['%s has kty %r; allowed: %s' % (where, shown, ', '.join(sorted(THUMBPRINT_MEMBERS)))]
    required = [m for m in THUMBPRINT_MEMBERS[kty] if m != 'kty']
    missing = [m for m in required if key.get(m) in (None, '')]
    if missing:
        problems.append('%s (kty %s) lacks required member(s): %s' % (where, kty, ', '.join(missing)))
    if 'crv' in required and 'crv' not in missing:
        crv = key.get('crv')
        allowed = _curves_for(kty)
        if crv not in allowed:
            problems.append('%s (kty %s) has unsupported crv %r; allowed: %s'
                            % (where, kty, crv if isinstance(crv, str) else None, ', '.join(allowed)))
    for member in sorted(set(required + list(PRIVATE_MEMBERS_BY_KTY[kty])) - set(missing) - {'crv', 'oth'}):
        if member not in key:
            continue
        try:
            raw = _b64url_decode(key[member])
        except ValueError:
            problems.append('%s member %r is not base64url' % (where, member))
            continue
        if member in ('x', 'y') and key.get('crv') in CURVE_COORDINATE_BYTES and len(raw) != CURVE_COORDINATE_BYTES[key['crv']]:
            problems.append('%s member %r must decode to %d bytes for crv %s, got %d'
                            % (where, member, CURVE_COORDINATE_BYTES[key['crv']], key['crv'], len(raw)))
    if kty == 'EC' and key.get('crv') in ('Ed25519', 'X25519'):
        problems.append('%s: crv %s belongs to kty OKP' % (where, key['crv']))
    use = key.get('use')
    if use is not None and use not in ('sig', 'enc'):
        problems.append('%s member use %r is not one of: sig, enc' % (where, use if isinstance(use, str) else None))
    alg = key.get('alg')
    if alg is not None and canonical_algorithm(alg) is None:
        problems.append('%s member alg %r is not a known JOSE algorithm' % (where, alg if isinstance(alg, str) else None))
    kid = key.get('kid')
    if kid is not None and not isinstance(kid, str):
        problems.append('%s member kid must be a string' % where)
    return problems


def _kid_label(key):
    kid = key.get('kid') if isinstance(key, dict) else None
    return kid if isinstance(kid, str) else '(key without kid)'


def parse_user_jwk(value, kid=None):
    """Return the JWK the user means, as a new dict.

    ``value`` is a JWK or a JWK Set ({"keys": [...]}), as a dict or a JSON
    string. A set with several keys needs ``kid``. A single JWK without a
    ``kid`` member takes ``kid`` when given. Raises ValueError whose message
    names the problem but never contains key material.
    """
    if isinstance(value, (bytes, bytearray)):
        value = value.decode('utf-8', 'replace')
    if isinstance(value, str):
        if not value.strip():
            raise ValueError('jwk is empty')
        try:
            value = json.loads(value)
        except ValueError as exc:
            # position only, and ``from None``: a JSONDecodeError carries the whole document (.doc)
            raise ValueError('jwk is not valid JSON (%s at line %s column %s)'
                             % (getattr(exc, 'msg', 'parse error'), getattr(exc, 'lineno', '?'), getattr(exc, 'colno', '?'))) from None
    if not isinstance(value, dict):
        raise ValueError('jwk must be a JSON object (a JWK or a JWK Set), got %s' % type(value).__name__)
    if kid is not None and not isinstance(kid, str):
        kid = str(kid)

    if 'keys' in value and 'kty' not in value:
        keys = value['keys']
        if not isinstance(keys, list) or not keys:
            raise ValueError('jwk is a JWK Set whose keys member is not a non-empty list')
        labels = [_kid_label(k) for k in keys]
        if kid is None:
            if len(keys) > 1:
                raise ValueError('jwk is a JWK Set with %d keys: set kid to one of: %s' % (len(keys), ', '.join(labels)))
            chosen = keys[0]
            where = 'jwk key'
        else:
            matches = [k for k in keys if isinstance(k, dict) and k.get('kid') == kid]
            if not matches:
                raise ValueError("kid %r is not in the JWK Set; available: %s" % (kid, ', '.join(labels)))
            if len(matches) > 1:
                raise ValueError("kid %r names %d keys of the JWK Set; kids must be unique" % (kid, len(matches)))
            chosen = matches[0]
            where = 'jwk key %r' % kid
    else:
        chosen = value
        where = 'jwk'
        own = value.get('kid')
        if kid is not None and own is not None and own != kid:
            raise ValueError("kid %r is not in the JWK; available: %s" % (kid, _kid_label(value)))

    problems = _check_key(chosen, where)
    if problems:
        raise ValueError('; '.join(problems))
    chosen = copy.deepcopy(chosen)
    if chosen.get('kty') == 'OCT':
        chosen['kty'] = 'oct'
    if kid is not None and chosen.get('kid') is None:
        chosen['kid'] = kid
    return chosen


# --------------------------------------------------------------------------
# Key material helpers
# --------------------------------------------------------------------------

def _rfc_kty(kty):
    if isinstance(kty, str) and kty.upper() == 'OCT':
        return 'oct'
    if isinstance(kty, str) and kty.upper() in ('RSA', 'EC', 'OKP'):
        return kty.upper()
    return kty


def thumbprint(jwk):
    """RFC 7638 JWK thumbprint (SHA-256, base64url without padding); None without material."""
    if not isinstance(jwk, dict):
        return None
    kty = _rfc_kty(jwk.get('kty'))
    members = THUMBPRINT_MEMBERS.get(kty)
    if members is None:
        return None
    subset = {}
    for member in members:
        value = kty if member == 'kty' else jwk.get(member)
        if value in (None, ''):
            return None
        subset[member] = value
    canonical = json.dumps(subset, sort_keys=True, separators=(',', ':'), ensure_ascii=False)
    return _b64url_encode(hashlib.sha256(canonical.encode('utf-8')).digest())


def public_jwk(jwk):
    """The public part of an RFC 7517 JWK (an oct key keeps no ``k``); None without a kty."""
    if not isinstance(jwk, dict) or not jwk.get('kty'):
        return None
    kty = _rfc_kty(jwk['kty'])
    out = {'kty': kty}
    for member in THUMBPRINT_MEMBERS.get(kty, ()):
        if member != 'kty' and member not in PRIVATE_MEMBERS and member in jwk:
            out[member] = jwk[member]
    for member in _DESCRIPTIVE_MEMBERS:
        if jwk.get(member) is not None:
            out[member] = copy.deepcopy(jwk[member])
    return out


def _leaves(value):
    """Every scalar of a JSON value, as strings (what AnsibleModule registers for no_log)."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    if value is None or isinstance(value, bool):
        return []
    return ['%s' % value]


def narrow_jwk_no_log(module):
    """Keep no_log of the ``jwk`` option on its secret members only.

    AnsibleModule registers every leaf of a no_log dict as a secret before the ``json`` type turns
    it into one string, and then masks those strings wherever they appear in the result: "RSA",
    "sig", the kid, the public modulus. Unmask the public members of the user's JWK (or JWK Set);
    the whole document and every other member (d, p, q, dp, dq, qi, oth, k, unknown ones) stay
    masked, and so do the values of the other no_log options (token, password).
    """
    raw = module.params.get('jwk')
    if not raw:
        return
    # The json type strips the string: register the value the module holds, not only the raw one.
    module.no_log_values.add(raw)
    try:
        doc = json.loads(raw)
    except ValueError:
        return  # not JSON: one opaque string, masked as a whole
    if not isinstance(doc, dict):
        return
    keys = doc.get('keys') if 'kty' not in doc else [doc]
    if not isinstance(keys, list):
        return
    public, secret = set(), set()
    for key in keys:
        if not isinstance(key, dict):
            continue
        for member, value in key.items():
            (public if member in PUBLIC_MEMBERS else secret).update(_leaves(value))
    for option in ('apinizer_token', 'apinizer_password'):
        if module.params.get(option):
            secret.add(module.params[option])
    module.no_log_values.difference_update(public - secret)


def strip_private(obj):
    """Deep copy of a JWK, a JWK Set or an API Jwk without any private member."""
    if isinstance(obj, list):
        return [strip_private(item) for item in obj]
    if not isinstance(obj, dict):
        return copy.deepcopy(obj)
    out = {}
    is_key = 'kty' in obj
    for name, value in obj.items():
        if is_key and name in PRIVATE_MEMBERS:
            continue
        if name in KEY_TYPE_TO_MEMBER.values() and isinstance(value, dict):
            out[name] = strip_private(dict(value, kty=value.get('kty', name)))
            if 'kty' not in value:
                del out[name]['kty']
        else:
            out[name] = strip_private(value)
    return out


def _material_member(api_jwk):
    if not isinstance(api_jwk, dict):
        return None
    key_type = normalize_key_type(api_jwk.get('type'))
    names = [KEY_TYPE_TO_MEMBER[key_type]] if key_type in KEY_TYPE_TO_MEMBER else []
    names += [n for n in ('rsa', 'ec', 'oct', 'okp') if n not in names]
    for name in names:
        member = api_jwk.get(name)
        if isinstance(member, str) and member.strip():
            try:
                member = json.loads(member)
            except ValueError:
                continue
        if isinstance(member, dict) and member:
            return name, member
    return None


def api_jwk_to_jwk(api_jwk):
    """RFC 7517 JWK (private members included) from the API's type-named member; None without material."""
    found = _material_member(api_jwk)
    if found is None:
        return None
    name, member = found
    jwk = copy.deepcopy(member)
    kty = jwk.get('kty') or KEY_TYPE_TO_KTY[name.upper()]
    jwk['kty'] = _rfc_kty(kty)
    if jwk.get('kid') is None and api_jwk.get('kid'):
        jwk['kid'] = api_jwk['kid']
    if jwk.get('use') is not None:
        use = normalize_use(jwk['use'])
        jwk['use'] = USE_TO_MEMBER.get(use, jwk['use'])
    if jwk.get('alg') is not None and canonical_algorithm(jwk['alg']) is None:
        jwk['alg'] = normalize_alg(jwk['alg'])  # an enum spelling; a JOSE name (even RFC 'dir') stays as is
    if 'crv' in jwk:
        jwk['crv'] = normalize_curve(jwk['crv'])
    return jwk


def key_size_of(jwk):
    """RSA modulus bits or oct key bits; None for EC/OKP or unreadable material."""
    if not isinstance(jwk, dict):
        return None
    kty = _rfc_kty(jwk.get('kty'))
    try:
        if kty == 'RSA' and jwk.get('n'):
            return int(binascii.hexlify(_b64url_decode(jwk['n'])), 16).bit_length()
        if kty == 'oct' and jwk.get('k'):
            return len(_b64url_decode(jwk['k'])) * 8
    except ValueError:
        return None
    return None


def jwk_set(api_jwks):
    """A JWKS document ({"keys": [...]}) of the public keys of API Jwks.

    oct keys are left out: they have no public part worth publishing.
    """
    keys = []
    for api_jwk in api_jwks:
        pub = public_jwk(api_jwk_to_jwk(api_jwk))
        if pub is not None and pub['kty'] != 'oct':
            keys.append(pub)
    return {'keys': keys}


# --------------------------------------------------------------------------
# Facts, description, comparison
# --------------------------------------------------------------------------

def server_facts(api_jwk):
    """Normalised facts of an API Jwk (or JwkSummary): absent facts are None."""
    api_jwk = api_jwk or {}
    jwk = api_jwk_to_jwk(api_jwk)
    key_type = normalize_key_type(api_jwk.get('type')) or (normalize_key_type(jwk.get('kty')) if jwk else None)
    facts = {
        'name': api_jwk.get('name'),
        'description': api_jwk.get('description'),
        'source': normalize_source(api_jwk.get('sourceType')),
        'key_type': key_type,
        'kid': api_jwk.get('kid') or (jwk.get('kid') if jwk else None),
        'use': normalize_use((jwk or {}).get('use') or api_jwk.get('useType') or api_jwk.get('keyUseType')),
        'alg': normalize_alg((jwk or {}).get('alg') or api_jwk.get('algorithm')),
        'key_size': key_size_of(jwk),
        'curve': normalize_curve(jwk.get('crv')) if jwk else None,
        'thumbprint': thumbprint(jwk) if jwk else None,
        'url': api_jwk.get('sourceUrl') or None,
    }
    return facts


def _size_or_curve(facts, out):
    key_type = facts.get('key_type')
    if key_type in ('EC', 'OKP'):
        out['curve'] = facts.get('curve')
    elif key_type in ('RSA', 'OCT'):
        out['key_size'] = facts.get('key_size')
    else:
        if facts.get('curve') is not None:
            out['curve'] = facts['curve']
        if facts.get('key_size') is not None:
            out['key_size'] = facts['key_size']
    return out


def describe(api_jwk, include_private=False):
    """The module's ``jwk`` return value; private members only with include_private (as ``private_jwk``)."""
    facts = server_facts(api_jwk)
    jwk = api_jwk_to_jwk(api_jwk)
    out = {
        'name': facts['name'],
        'description': facts['description'],
        'source_type': facts['source'],
        'key_type': facts['key_type'],
        'kid': facts['kid'],
        'use': facts['use'],
        'alg': facts['alg'],
    }
    _size_or_curve(facts, out)
    out['thumbprint'] = facts['thumbprint']
    out['public_jwk'] = public_jwk(jwk)
    if include_private and jwk is not None:
        out['private_jwk'] = jwk
    return out


def diff_view(api_jwk_or_none):
    """Metadata for ``--diff`` (never key material); {} when the JWK does not exist."""
    if not api_jwk_or_none:
        return {}
    facts = server_facts(api_jwk_or_none)
    out = dict((k, facts[k]) for k in ('name', 'description', 'source', 'key_type', 'kid', 'use', 'alg'))
    _size_or_curve(facts, out)
    out['thumbprint'] = facts['thumbprint']
    return out


def desired_facts(params):
    """Normalised facts the user specified; unspecified facts are absent.

    Derived facts count as specified when they follow from what the user
    wrote (curve P-256 means key_type EC; a given JWK fixes type, size or
    curve, kid and thumbprint), never from a default.
    """
    facts = {}
    source = normalize_source(params.get('source'))
    if source is not None:
        facts['source'] = source
    if params.get('description') is not None:
        facts['description'] = _normalize_description(params['description'])
    if params.get('kid') is not None:
        facts['kid'] = str(params['kid'])
    if params.get('use') is not None:
        facts['use'] = normalize_use(params['use'])
    if params.get('algorithm') is not None:
        facts['alg'] = normalize_alg(params['algorithm'])
    if source in (None, 'generate'):
        key_type, how = _inferred_key_type(params)
        if how is not None:
            facts['key_type'] = key_type
        if params.get('key_size') is not None:
            facts['key_size'] = int(params['key_size'])
        if params.get('curve') is not None:
            facts['curve'] = normalize_curve(params['curve'])
    elif source == 'url' and params.get('url') is not None:
        facts['url'] = str(params['url'])
    elif source == 'jwk' and params.get('jwk') is not None:
        jwk = parse_user_jwk(params['jwk'], params.get('kid'))
        facts['key_type'] = normalize_key_type(jwk['kty'])
        if jwk.get('crv') is not None:
            facts['curve'] = normalize_curve(jwk['crv'])
        size = key_size_of(jwk)
        if size is not None:
            facts['key_size'] = size
        if jwk.get('kid') is not None:
            facts['kid'] = jwk['kid']
        if 'use' not in facts and jwk.get('use') is not None:
            facts['use'] = normalize_use(jwk['use'])
        if 'alg' not in facts and jwk.get('alg') is not None:
            facts['alg'] = normalize_alg(jwk['alg'])
        facts['thumbprint'] = thumbprint(jwk)
    return facts


REPLACE_FIELDS = ('source', 'key_type', 'key_size', 'curve', 'use', 'alg', 'kid', 'thumbprint', 'url')
# sources the server keeps a JWK attached to; a description update detaches it (sourceType COPY_PASTE)
ATTACHED_SOURCES = ('url', 'certificate', 'public_key', 'private_key', 'keystore')
UPDATE_FIELDS = ('description',)


def compare(desired, api_jwk):
    """Differences between desired_facts() and a server Jwk.

    Returns {'update': {field: (before, after)}, 'replace': {field: (before, after)}}:
    ``update`` holds what the API changes in place (description), ``replace``
    what needs delete and create. A fact the user did not specify or the
    server does not report is never a difference. A JWK that a description
    update detached from its source (reported as source ``jwk``) still
    matches the sourced task that made it: kid, use, alg... are compared,
    the source is not (else the next run would ask to regenerate it).
    """
    current = server_facts(api_jwk)
    result = {'update': {}, 'replace': {}}
    if 'description' in desired:
        before = _normalize_description(current.get('description'))
        after = _normalize_description(desired['description'])
        if before != after:
            result['update']['description'] = (before, after)
    for field in REPLACE_FIELDS:
        after = desired.get(field)
        before = current.get(field)
        if after is None or before is None:
            continue
        if field == 'source' and before == 'jwk' and after in ATTACHED_SOURCES:
            continue
        if field == 'key_size':
            equal = int(before) == int(after)
        elif field in ('kid', 'thumbprint', 'url'):
            equal = before == after
        elif field == 'alg':
            equal = normalize_alg(before).upper() == normalize_alg(after).upper()
        else:
            equal = str(before).lower() == str(after).lower()
        if not equal:
            result['replace'][field] = (before, after)
    return result


def describe_differences(replace):
    """One sentence per difference of compare()'s ``replace``; never key material (thumbprints only)."""
    return ['%s: the server has %s, the task asks for %s' % (field, before, after)
            for field, (before, after) in sorted(replace.items())]


def desired_diff_view(params):
    """The ``after`` side of ``--diff`` when creating: metadata the request determines."""
    facts = desired_facts(params)
    out = {'name': params.get('name'), 'description': facts.get('description', '')}
    for field in ('source', 'key_type', 'kid', 'use', 'alg'):
        out[field] = facts.get(field)
    if out['source'] in (None, 'generate'):
        resolved = resolve_generate(params)
        out['key_type'] = resolved['key_type']
        out['use'] = resolved['use']
        out['alg'] = resolved['algorithm']
        if resolved['curve'] is not None:
            out['curve'] = resolved['curve']
        else:
            out['key_size'] = resolved['key_size']
        out['thumbprint'] = None  # known only once the server generated the key
    else:
        _size_or_curve(facts, out)
        out['thumbprint'] = facts.get('thumbprint')
    return out


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------

def _parse_iso8601(text):
    """(datetime, aware) or None."""
    if not isinstance(text, str):
        return None
    match = _ISO8601.match(text.strip())
    if not match:
        return None
    parts = match.groupdict()
    try:
        value = datetime.datetime(int(parts['y']), int(parts['mo']), int(parts['d']),
                                  int(parts['h'] or 0), int(parts['mi'] or 0), int(parts['s'] or 0))
    except ValueError:
        return None
    tz = parts['tz']
    if tz is None:
        return value, False
    if tz in ('Z', 'z'):
        return value, True
    sign = -1 if tz[0] == '-' else 1
    digits = tz[1:].replace(':', '')
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        return None
    return value - sign * datetime.timedelta(hours=hours, minutes=minutes), True


def _positive_int(value):
    if isinstance(value, bool):
        return False
    try:
        return int(value) > 0 and int(value) == float(value)
    except (TypeError, ValueError):
        return False


def _check_algorithm_name(value, problems):
    """Canonical JOSE name, or None after recording why it is not one."""
    jose = canonical_algorithm(value)
    if jose is not None:
        return jose
    text = str(value)
    if normalize_key_type(text) in KEY_TYPES:
        kt = normalize_key_type(text)
        problems.append("algorithm %r is a key type, not an algorithm; set key_type: %s and algorithm to one of: %s"
                        % (text, kt, ', '.join(sorted(set(ALGORITHMS[(kt, 'signature')] + ALGORITHMS[(kt, 'encryption')])))))
    elif text.strip().upper() in _ENUM_BY_UPPER:
        problems.append("algorithm %r is not a JOSE name; use %r" % (text, ENUM_TO_JOSE[_ENUM_BY_UPPER[text.strip().upper()]]))
    else:
        problems.append("algorithm %r is not supported; allowed: %s" % (text, ', '.join(ALL_ALGORITHMS)))
    return None


def _check_alg_fit(alg, key_type, use, curve, key_size, problems, context=''):
    allowed = allowed_algorithms(key_type, use)
    if alg not in allowed:
        problems.append("algorithm %r does not fit key_type %r with use %r%s; allowed: %s"
                        % (alg, key_type, use, context, ', '.join(allowed)))
        return
    if curve is not None:
        fit = allowed_algorithms(key_type, use, curve)
        if alg not in fit:
            problems.append("algorithm %r does not fit curve %r%s; allowed: %s" % (alg, curve, context, ', '.join(fit) or 'none'))
    if key_size is not None and alg in WRAP_KEY_SIZE and WRAP_KEY_SIZE[alg] != key_size:
        fit = sorted(a for a, size in WRAP_KEY_SIZE.items() if size == key_size)
        problems.append("algorithm %r needs key_size %d, not %d%s; for key_size %d use one of: %s"
                        % (alg, WRAP_KEY_SIZE[alg], key_size, context, key_size,
                           ', '.join(fit + ['DIR', 'PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW'])))


def _validate_generate(params, problems):
    key_type = normalize_key_type(params.get('key_type'))
    if key_type is not None and key_type not in KEY_TYPES:
        problems.append("key_type %r is not supported; allowed: %s" % (params.get('key_type'), ', '.join(KEY_TYPES)))
        return
    key_type = _inferred_key_type(params)[0]
    use = effective_use(params)

    curve = None
    if params.get('curve') is not None:
        curve = normalize_curve(params['curve'])
        if curve not in CURVES:
            problems.append("curve %r is not supported; allowed: %s" % (params['curve'], ', '.join(sorted(CURVES))))
            curve = None
        elif key_type not in DEFAULT_CURVE:
            problems.append("curve does not apply to key_type %r (use key_size: %s)"
                            % (key_type, ', '.join(str(s) for s in KEY_SIZES[key_type])))
            curve = None
        elif CURVES[curve][0] != key_type:
            problems.append("curve %r does not fit key_type %r; allowed: %s" % (curve, key_type, ', '.join(_curves_for(key_type))))
            curve = None
        elif use in USES and use not in CURVE_USES.get(curve, USES):
            problems.append("curve %r does not fit use %r; allowed for key_type %r with use %r: %s"
                            % (curve, use, key_type, use, ', '.join(_curves_for(key_type, use))))
            curve = None

    key_size = None
    if params.get('key_size') is not None:
        size = params['key_size']
        if key_type not in KEY_SIZES:
            problems.append("key_size does not apply to key_type %r (use curve: %s)" % (key_type, ', '.join(_curves_for(key_type))))
        elif not _positive_int(size) or int(size) not in KEY_SIZES[key_type]:
            problems.append("key_size %r does not fit key_type %r; allowed: %s"
                            % (size, key_type, ', '.join(str(s) for s in KEY_SIZES[key_type])))
        else:
            key_size = int(size)

    if params.get('algorithm') is not None:
        alg = _check_algorithm_name(params['algorithm'], problems)
        if alg is not None:
            _check_alg_fit(alg, key_type, use, curve, key_size, problems)

    if params.get('kid_type') is not None and str(params['kid_type']).lower() not in KID_TYPES:
        problems.append("kid_type %r is not supported; allowed: %s" % (params['kid_type'], ', '.join(KID_TYPES)))

    parsed = {}
    for option in ('not_before', 'expiration'):
        if params.get(option) is not None:
            parsed[option] = _parse_iso8601(params[option])
            if parsed[option] is None:
                problems.append("%s %r is not an ISO 8601 date or date-time (for example 2030-01-31T12:00:00Z)"
                                % (option, params[option]))
    if parsed.get('not_before') and parsed.get('expiration'):
        (start, start_aware), (end, end_aware) = parsed['not_before'], parsed['expiration']
        if start_aware == end_aware and end <= start:
            problems.append("expiration %r is not after not_before %r" % (params['expiration'], params['not_before']))

    for option in ('password_salt_length', 'password_iteration_count'):
        if params.get(option) is None:
            continue
        if key_type != 'OCT':
            problems.append("%s applies only to key_type 'OCT', not %r" % (option, key_type))
        elif not _positive_int(params[option]):
            problems.append("%s must be a positive integer, got %r" % (option, params[option]))


def _validate_jwk_source(params, problems):
    try:
        jwk = parse_user_jwk(params['jwk'], params.get('kid'))
    except ValueError as exc:
        problems.append(str(exc) if str(exc).startswith(('jwk', 'kid')) else 'jwk: %s' % exc)
        return
    key_type = normalize_key_type(jwk['kty'])
    own_use = normalize_use(jwk.get('use'))
    use = normalize_use(params.get('use'))
    if use is not None and own_use is not None and use != own_use:
        problems.append("use %r does not match the JWK's use %r (%s)" % (use, own_use, jwk['use']))
    use = use or own_use
    curve = normalize_curve(jwk.get('crv'))
    if use is not None and curve in CURVE_USES and use not in CURVE_USES[curve]:
        problems.append("use %r does not fit the JWK's curve %r; allowed: %s" % (use, curve, ', '.join(CURVE_USES[curve])))
    if params.get('algorithm') is None:
        return
    alg = _check_algorithm_name(params['algorithm'], problems)
    if alg is None:
        return
    own_alg = normalize_alg(jwk.get('alg'))
    if own_alg is not None and own_alg != alg:
        problems.append("algorithm %r does not match the JWK's alg %r" % (alg, own_alg))
        return
    use = use or _algorithm_use(alg)
    _check_alg_fit(alg, key_type, use, curve, key_size_of(jwk) if key_type == 'OCT' else None, problems,
                   context=" (the JWK's kty %s%s)" % (jwk['kty'], ', crv %s' % curve if curve else ''))


def validate_jwk_params(params):
    """Every problem of a module's parameters, each naming the option and the allowed values."""
    problems = []
    if params.get('name') is not None and not str(params['name']).strip():
        problems.append('name must not be empty')
    source = params.get('source')
    source = 'generate' if source is None else str(source).lower()
    if source not in SOURCES:
        problems.append("source %r is not supported; allowed: %s" % (params.get('source'), ', '.join(SOURCES)))
        return problems

    applies = SOURCE_OPTIONS[source]
    for option in _SPECIFIC_OPTIONS:
        if option not in applies and _is_set(params.get(option)):
            users = [s for s in SOURCES if option in SOURCE_OPTIONS[s]]
            problems.append("%s does not apply to source %r (it applies to source: %s)" % (option, source, ', '.join(users)))
    for option in REQUIRED_OPTIONS[source]:
        value = params.get(option)
        if value is None or (isinstance(value, str) and not value.strip()):
            allowed = _REQUIRED_CHOICES.get(option)
            problems.append("%s is required with source %r%s" % (
                option, source, '; allowed: %s' % ', '.join(allowed) if allowed else ''))

    if params.get('use') is not None and normalize_use(params['use']) not in USES:
        problems.append("use %r is not supported; allowed: %s" % (params['use'], ', '.join(USES)))
        return problems

    if source == 'generate':
        _validate_generate(params, problems)
    elif source == 'jwk':
        if params.get('jwk') is not None:
            _validate_jwk_source(params, problems)
    elif source == 'url':
        url = params.get('url')
        if url and not re.match(r'^https?://[^\s/]+', str(url)):
            problems.append("url %r must be an http:// or https:// URL" % (url,))
        for option in ('url_connect_timeout', 'url_read_timeout', 'url_size_limit'):
            if params.get(option) is not None and not _positive_int(params[option]):
                problems.append("%s must be a positive integer, got %r" % (option, params[option]))
    else:
        if params.get('algorithm') is not None:
            alg = _check_algorithm_name(params['algorithm'], problems)
            use = effective_use(params)
            if alg is not None and params.get('use') is not None:
                allowed = sorted(set(a for (unused, u), algs in ALGORITHMS.items() if u == use for a in algs))
                if alg not in allowed:
                    problems.append("algorithm %r does not fit use %r; allowed: %s" % (alg, use, ', '.join(allowed)))
    return problems


# --------------------------------------------------------------------------
# Request bodies
# --------------------------------------------------------------------------

def _common_body(params):
    body = {'name': params['name']}
    if params.get('description') is not None:
        body['description'] = params['description']
    return body


def build_generate_body(params):
    """Body for POST /jwks/generate (algorithm in the endpoint's enum spelling).

    The key size or curve is always sent (the endpoint requires it); use and
    algorithm are sent with their effective values so the key carries them;
    everything else only when the user set it.
    """
    resolved = resolve_generate(params)
    key_type = resolved['key_type']
    member = {}
    if key_type in KEY_SIZES:
        member['keySize'] = int(resolved['key_size'])
    else:
        member['curveType'] = CURVES[resolved['curve']][1]
    member['keyUseType'] = USE_TO_API[resolved['use']]
    if resolved['algorithm'] is not None:
        member['algorithm'] = jose_to_enum(resolved['algorithm'])
    if params.get('kid_type') is not None:
        member['keyIdType'] = str(params['kid_type']).upper()
    if params.get('not_before') is not None:
        member['notBeforeTime'] = params['not_before']
    if params.get('expiration') is not None:
        member['expirationTime'] = params['expiration']
    if key_type == 'OCT':
        if params.get('password_salt_length') is not None:
            member['passwordSaltLength'] = int(params['password_salt_length'])
        if params.get('password_iteration_count') is not None:
            member['passwordIterationCount'] = int(params['password_iteration_count'])
    body = _common_body(params)
    body['type'] = key_type
    if params.get('kid') is not None:
        body['kid'] = str(params['kid'])
    body[KEY_TYPE_TO_MEMBER[key_type]] = member
    return body


def build_create_body(params):
    """Body for POST /jwks/ (every source but generate; algorithm in JOSE spelling)."""
    source = normalize_source(params.get('source'))
    if source not in SOURCE_TO_API or source == 'generate':
        raise ValueError("build_create_body does not handle source %r" % (source,))
    body = _common_body(params)
    body['sourceType'] = SOURCE_TO_API[source]
    if params.get('kid') is not None:
        body['kid'] = str(params['kid'])
    if source == 'url':
        body['url'] = params['url']
        for option, field in (('url_connect_timeout', 'urlOptionConnectTimeout'),
                              ('url_read_timeout', 'urlOptionReadTimeout'),
                              ('url_size_limit', 'urlOptionSizeLimit')):
            if params.get(option) is not None:
                body[field] = int(params[option])
        return body
    if source == 'jwk':
        jwk = parse_user_jwk(params['jwk'], params.get('kid'))
        # the chosen key only: the API then never has to pick from a set
        if params.get('use') is not None and jwk.get('use') is None:
            jwk['use'] = USE_TO_MEMBER[normalize_use(params['use'])]
        if params.get('algorithm') is not None and jwk.get('alg') is None:
            jwk['alg'] = canonical_algorithm(params['algorithm'])
        body['jwkStr'] = json.dumps(jwk, separators=(',', ':'), sort_keys=True)
        return body
    body['environmentName'] = params['environment']
    body['useType'] = USE_TO_API[effective_use(params)]
    body['algorithm'] = canonical_algorithm(params['algorithm'])
    if source == 'certificate':
        body['certificateName'] = params['certificate_name']
    elif source in ('public_key', 'private_key'):
        body['keyName'] = params['key_name']
    else:
        body['keyStoreName'] = params['keystore_name']
        body['aliasName'] = params['alias']
    return body
