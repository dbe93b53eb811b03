# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The JWK vocabulary: the words a task uses, the words the API uses, and the tables between them.

Owns: sources, key types, uses, curves, key sizes, algorithms (which fit which key type, use and
curve), kid types, the RFC 7517/7518/8037 member tables (private, thumbprint, public), the JOSE <->
generate-endpoint spellings, and ``normalise_*`` (any spelling, user's or server's, to one).

Standard library only, no Ansible import: the filter plugin, the modules and jwk_keypair share it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

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
# sources the server keeps a JWK attached to; a description update detaches it (sourceType COPY_PASTE)
ATTACHED_SOURCES = ('url', 'certificate', 'public_key', 'private_key', 'keystore')

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
# OCT encryption algorithms that take a key of any allowed size
ANY_SIZE_OCT_ENCRYPTION = ('DIR', 'PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW')

DEFAULT_ALGORITHM = {
    ('RSA', 'signature'): 'RS256',
    ('RSA', 'encryption'): 'RSA-OAEP-256',
    ('EC', 'encryption'): 'ECDH-ES',
    ('OCT', 'signature'): 'HS256',
    ('OKP', 'signature'): 'EdDSA',
    ('OKP', 'encryption'): 'ECDH-ES',
}
DEFAULT_EC_SIGNATURE = {'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512', 'secp256k1': 'ES256K'}
DEFAULT_OCT_ENCRYPTION = {128: 'A128KW', 192: 'A192KW', 256: 'A256KW'}

# JOSE -> generate endpoint enum, for names that are spelled differently
_ENUM_EXCEPTIONS = {'RS256': 'RSA256', 'RS384': 'RSA384', 'RS512': 'RSA512'}


def _jose_to_enum_spelling(alg):
    if alg in _ENUM_EXCEPTIONS:
        return _ENUM_EXCEPTIONS[alg]
    return alg.replace('-', '_').replace('+', '_')


ALL_ALGORITHMS = tuple(sorted(set(a for algs in ALGORITHMS.values() for a in algs)))

# The API's algorithm field spells these differently from RFC 7518 (``alg`` is case-sensitive,
# RFC 7515 4.1.1): the API's spelling goes into API fields only, the RFC's into a JWK's ``alg``.
API_TO_RFC_ALG = {'DIR': 'dir'}
# Every ``alg`` value of the IANA "JSON Web Signature and Encryption Algorithms" registry that is
# not Prohibited: RFC 7518 3.1 (JWS), 4.1 (JWE alg), 5.1 (JWE enc), RFC 8037 (EdDSA), RFC 8812
# (ES256K), RFC 9864 (Ed25519, Ed448), W3C WebCrypto (RSA-OAEP-384/512). ``none`` is registered
# but no key is used with it: a JWK saying so would invite unsigned tokens, so it stays out.
IANA_JOSE_ALGORITHMS = (
    'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512',
    'PS256', 'PS384', 'PS512', 'EdDSA', 'ES256K', 'Ed25519', 'Ed448',
    'RSA1_5', 'RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512',
    'A128KW', 'A192KW', 'A256KW', 'dir', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW',
    'A128GCMKW', 'A192GCMKW', 'A256GCMKW', 'PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW',
    'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512', 'A128GCM', 'A192GCM', 'A256GCM',
)
# what a JWK's ``alg`` member may say: the registry, plus what the API accepts (ECDH-1PU), RFC spelling
MEMBER_ALGORITHMS = frozenset(IANA_JOSE_ALGORITHMS + tuple(API_TO_RFC_ALG.get(a, a) for a in ALL_ALGORITHMS))
_MEMBER_BY_UPPER = dict((a.upper(), a) for a in MEMBER_ALGORITHMS)
JOSE_TO_ENUM = dict((a, _jose_to_enum_spelling(a)) for a in ALL_ALGORITHMS)
ENUM_TO_JOSE = dict((v, k) for k, v in JOSE_TO_ENUM.items())
_JOSE_BY_UPPER = dict((a.upper(), a) for a in ALL_ALGORITHMS)
_ENUM_BY_UPPER = dict((e.upper(), e) for e in ENUM_TO_JOSE)

# private members per RFC 7518 (RSA, EC) and RFC 8037 (OKP); ``k`` is the whole oct key.
# The one list of secret key members: masking, strip_private and no_log all read it.
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
DESCRIPTIVE_MEMBERS = ('kid', 'use', 'alg', 'key_ops', 'x5u', 'x5c', 'x5t', 'x5t#S256')
# every public member (RFC 7517/7518/8037): the key type, the public key members and the descriptive ones
PUBLIC_MEMBERS = frozenset(('kty',) + DESCRIPTIVE_MEMBERS + tuple(
    m for members in THUMBPRINT_MEMBERS.values() for m in members if m not in PRIVATE_MEMBERS))


# ---- one spelling for each word -----------------------------------------------------------------

def canonical_algorithm(name):
    """JOSE spelling of a user supplied algorithm (case-insensitive), or None."""
    if not isinstance(name, str):
        return None
    return _JOSE_BY_UPPER.get(name.strip().upper())


def enum_spelling(name):
    """The generate endpoint enum a (case-insensitive) name spells, or None."""
    if not isinstance(name, str):
        return None
    return _ENUM_BY_UPPER.get(name.strip().upper())


def jose_to_enum(alg):
    """Generate endpoint spelling of a JOSE algorithm name; ValueError if unknown."""
    jose = canonical_algorithm(alg)
    if jose is None:
        raise ValueError("unknown algorithm %r; allowed: %s" % (alg, ', '.join(ALL_ALGORITHMS)))
    return JOSE_TO_ENUM[jose]


def enum_to_jose(enum):
    """JOSE spelling of a generate endpoint enum name; ValueError if unknown."""
    found = enum_spelling(enum)
    if found is None:
        raise ValueError("unknown algorithm enum %r" % (enum,))
    return ENUM_TO_JOSE[found]


def rfc_alg(name):
    """The RFC spelling a JWK's ``alg`` member takes for a registered name in any case (``DIR`` -> ``dir``), or None."""
    if not isinstance(name, str):
        return None
    text = name.strip()
    return text if text in MEMBER_ALGORITHMS else _MEMBER_BY_UPPER.get(text.upper())


def normalise_alg(value):
    """RFC spelling from a JOSE name in any case or a generate enum (server data may use either); None stays None."""
    if value is None or value == '':
        return None
    rfc = rfc_alg(value)
    if rfc is not None:
        return rfc
    try:
        return rfc_alg(enum_to_jose(value))
    except ValueError:
        return str(value)


def normalise_use(value):
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


def normalise_curve(value):
    """JOSE ``crv`` spelling from any of P-256/P256/p_256/SECP256K1/ED25519...; None stays None."""
    if value is None or value == '':
        return None
    return _CURVE_BY_KEY.get(str(value).strip().upper(), str(value))


def normalise_key_type(value):
    """RSA/EC/OCT/OKP from a key type or a ``kty``; None stays None."""
    if value is None or value == '':
        return None
    return str(value).strip().upper()


def normalise_source(value):
    """User source word from a user word or an API sourceType; None stays None."""
    if value is None or value == '':
        return None
    text = str(value).strip()
    if text.upper() in API_TO_SOURCE:
        return API_TO_SOURCE[text.upper()]
    return text.lower()


def normalise_description(value):
    return '' if value is None else str(value).strip()


def rfc_kty(kty):
    """RFC 7517 ``kty`` spelling (``oct`` lower case, the others upper case)."""
    if isinstance(kty, str) and kty.upper() == 'OCT':
        return 'oct'
    if isinstance(kty, str) and kty.upper() in ('RSA', 'EC', 'OKP'):
        return kty.upper()
    return kty


# ---- what fits what -----------------------------------------------------------------------------

def allowed_algorithms(key_type, use, curve=None):
    """Sorted JOSE names that fit a key type and use (and curve, when given)."""
    key_type = normalise_key_type(key_type)
    use = normalise_use(use)
    algs = ALGORITHMS.get((key_type, use), ())
    curve = normalise_curve(curve)
    if curve is not None:
        algs = [a for a in algs if SIGNATURE_CURVE.get(a, curve) == curve]
        if curve in CURVE_USES and use not in CURVE_USES[curve]:
            algs = []
    return sorted(algs)


def algorithms_for_use(use):
    """Sorted JOSE names of every key type for one use."""
    return sorted(set(a for (unused, u), algs in ALGORITHMS.items() if u == use for a in algs))


def algorithm_key_types(alg):
    return [kt for kt in KEY_TYPES if any(alg in ALGORITHMS[(kt, u)] for u in USES)]


def algorithm_use(alg):
    for (unused_kt, use), algs in ALGORITHMS.items():
        if alg in algs:
            return use
    return None


def curves_for(key_type, use=None):
    """Sorted curves of a key type (``kty`` spellings too), optionally only those fit for a use."""
    key_type = normalise_key_type(key_type)
    return sorted(c for c, (kt, unused) in CURVES.items()
                  if kt == key_type and (use is None or use in CURVE_USES.get(c, USES)))


def default_curve(key_type, use=None, algorithm=None):
    """The curve a key of this type gets when none is given: the algorithm's, the use's, else the type's."""
    if algorithm in SIGNATURE_CURVE:
        return SIGNATURE_CURVE[algorithm]
    if key_type == 'OKP':
        return 'X25519' if use == 'encryption' else 'Ed25519'
    return DEFAULT_CURVE.get(key_type)
