# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Key material for the emulator: real keys (cryptography), RFC 7517 JWKs, the
algorithm vocabularies of the two endpoints, and the default seed material."""

import base64
import datetime
import hashlib
import json
import os
import re
import threading
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa, x25519
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

# ---------------------------------------------------------------------------
# Vocabularies
# ---------------------------------------------------------------------------

_ECDH = ['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW',
         'ECDH-1PU', 'ECDH-1PU+A128KW', 'ECDH-1PU+A192KW', 'ECDH-1PU+A256KW']

# (type, use) -> JOSE names, exactly the lists of the create endpoint's documentation
# (it spells direct encryption "DIR"; RFC 7518's "dir" is accepted too).
JOSE_ALGORITHMS = {
    ('RSA', 'SIGNATURE'): ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
    ('RSA', 'ENCRYPTION'): ['RSA1_5', 'RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512'],
    ('EC', 'SIGNATURE'): ['ES256', 'ES384', 'ES512', 'ES256K'],
    ('EC', 'ENCRYPTION'): list(_ECDH),
    ('OCT', 'SIGNATURE'): ['HS256', 'HS384', 'HS512'],
    ('OCT', 'ENCRYPTION'): ['A128KW', 'A192KW', 'A256KW', 'A128GCMKW', 'A192GCMKW', 'A256GCMKW',
                            'DIR', 'PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW'],
    ('OKP', 'SIGNATURE'): ['EdDSA'],
    ('OKP', 'ENCRYPTION'): list(_ECDH),
}

_SPECIAL_ENUM = {'RS256': 'RSA256', 'RS384': 'RSA384', 'RS512': 'RSA512'}


def jose_to_enum(alg):
    """The generate endpoint's spelling of a JOSE algorithm name."""
    if alg in _SPECIAL_ENUM:
        return _SPECIAL_ENUM[alg]
    if alg == 'dir':
        return 'DIR'
    return alg.replace('-', '_').replace('+', '_')


ALL_JOSE = sorted({a for v in JOSE_ALGORITHMS.values() for a in v})
ENUM_TO_JOSE = {jose_to_enum(a): a for a in ALL_JOSE}
ENUM_ALGORITHMS = {k: [jose_to_enum(a) for a in v] for k, v in JOSE_ALGORITHMS.items()}
KEY_TYPES = ['RSA', 'EC', 'OCT', 'OKP']
USE_TYPES = ['SIGNATURE', 'ENCRYPTION']
USE_MEMBER = {'SIGNATURE': 'sig', 'ENCRYPTION': 'enc'}
KTY_TO_TYPE = {'RSA': 'RSA', 'EC': 'EC', 'oct': 'OCT', 'OKP': 'OKP'}

# EC signature algorithms bind the curve (RFC 7518 3.4, RFC 8812).
EC_SIG_CURVE = {'ES256': 'P-256', 'ES384': 'P-384', 'ES512': 'P-521', 'ES256K': 'secp256k1'}

RSA_SIZES = [2048, 3072, 4096]
OCT_SIZES = [128, 192, 256]
EC_CURVES = {'P256': 'P-256', 'P384': 'P-384', 'P521': 'P-521', 'SECP256K1': 'secp256k1'}
OKP_CURVES = {'ED25519': 'Ed25519', 'X25519': 'X25519'}
KEY_ID_TYPES = ['TIMESTAMP', 'SHA256', 'SHA1', 'ISO_DATE', 'NONE']

_CRV = {
    'P-256': (ec.SECP256R1, 32),
    'P-384': (ec.SECP384R1, 48),
    'P-521': (ec.SECP521R1, 66),
    'secp256k1': (ec.SECP256K1, 32),
}
_CURVE_NAME = {'secp256r1': 'P-256', 'secp384r1': 'P-384', 'secp521r1': 'P-521', 'secp256k1': 'secp256k1'}

PRIVATE_MEMBERS = ('d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k')


def check_algorithm(alg, key_type, use, vocabulary, field='algorithm', curve=None, key_bits=None):
    """Return (jose_alg, use, problems). vocabulary is 'jose' (create) or 'enum' (generate).

    use may be None: it is then inferred from the algorithm."""
    problems = []
    if not isinstance(alg, str) or not alg:
        return None, use, ['%s: must be a non-empty string' % field]
    names = ALL_JOSE + ['dir'] if vocabulary == 'jose' else sorted(ENUM_TO_JOSE)
    other = sorted(ENUM_TO_JOSE) if vocabulary == 'jose' else ALL_JOSE + ['dir']
    uses = [use] if use else USE_TYPES
    allowed = []
    for u in uses:
        lst = (JOSE_ALGORITHMS if vocabulary == 'jose' else ENUM_ALGORITHMS).get((key_type, u), [])
        allowed.extend(lst)
    allowed_txt = ', '.join(allowed)
    where = '%s key%s' % (key_type, ' used for %s' % use if use else '')
    if alg.upper() in KEY_TYPES:
        return None, use, ["%s: '%s' is a key type, not an algorithm; allowed for a %s: %s"
                           % (field, alg, where, allowed_txt)]
    if alg not in names:
        if alg in other:
            if vocabulary == 'jose':
                hint = "the generate endpoint's spelling; this endpoint expects the JOSE name %s" % ENUM_TO_JOSE[alg]
            else:
                hint = "a JOSE name; the generate endpoint expects the enum name %s" % jose_to_enum(alg)
            return None, use, ["%s: '%s' is %s" % (field, alg, hint)]
        return None, use, ["%s: '%s' is not a known algorithm; allowed for a %s: %s"
                           % (field, alg, where, allowed_txt)]
    jose = alg if vocabulary == 'jose' else ENUM_TO_JOSE[alg]
    if jose in ('DIR', 'dir'):
        jose = 'dir'
    check = 'DIR' if jose == 'dir' else jose
    found_use = None
    for u in uses:
        if check in JOSE_ALGORITHMS.get((key_type, u), []):
            found_use = u
            break
    if found_use is None:
        return None, use, ["%s: '%s' is not valid for a %s; allowed: %s" % (field, alg, where, allowed_txt)]
    use = found_use
    if key_type == 'EC' and use == 'SIGNATURE' and curve and EC_SIG_CURVE[jose] != curve:
        problems.append("%s: '%s' requires curve %s, the key uses %s" % (field, alg, EC_SIG_CURVE[jose], curve))
    if key_type == 'OCT' and key_bits:
        m = re.match(r'^A(128|192|256)(GCM)?KW$', jose)
        if m and int(m.group(1)) != key_bits:
            problems.append("%s: '%s' requires a %s-bit key, the key has %d bits" % (field, alg, m.group(1), key_bits))
    return jose, use, problems


def check_okp_use(curve, use, field='keyUseType'):
    """Ed25519 only signs, X25519 only agrees keys."""
    if curve == 'Ed25519' and use == 'ENCRYPTION':
        return ['%s: an Ed25519 key can only be used for SIGNATURE' % field]
    if curve == 'X25519' and use == 'SIGNATURE':
        return ['%s: an X25519 key can only be used for ENCRYPTION' % field]
    return []


# ---------------------------------------------------------------------------
# base64url and JWKs
# ---------------------------------------------------------------------------

_B64U = re.compile(r'^[A-Za-z0-9_-]*$')


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode('ascii')


def b64u_decode(value):
    if not isinstance(value, str) or not _B64U.match(value) or len(value) % 4 == 1:
        raise ValueError('not base64url')
    return base64.urlsafe_b64decode(value + '=' * (-len(value) % 4))


def _int_b64u(num, length=None):
    if length is None:
        length = max(1, (num.bit_length() + 7) // 8)
    return b64u(num.to_bytes(length, 'big'))


def _b64u_int(value):
    return int.from_bytes(b64u_decode(value), 'big')


_REQUIRED = {'RSA': ('e', 'kty', 'n'), 'EC': ('crv', 'kty', 'x', 'y'), 'oct': ('k', 'kty'), 'OKP': ('crv', 'kty', 'x')}


def thumbprint(jwk, algorithm='sha256'):
    """RFC 7638 thumbprint, base64url without padding."""
    members = {k: jwk[k] for k in _REQUIRED[jwk['kty']]}
    data = json.dumps(members, sort_keys=True, separators=(',', ':')).encode('utf-8')
    return b64u(hashlib.new(algorithm, data).digest())


def public_key_to_jwk(pub):
    if isinstance(pub, rsa.RSAPublicKey):
        n = pub.public_numbers()
        return {'kty': 'RSA', 'n': _int_b64u(n.n), 'e': _int_b64u(n.e)}
    if isinstance(pub, ec.EllipticCurvePublicKey):
        crv = _CURVE_NAME.get(pub.curve.name)
        if crv is None:
            raise ValueError('unsupported EC curve %s' % pub.curve.name)
        size = _CRV[crv][1]
        n = pub.public_numbers()
        return {'kty': 'EC', 'crv': crv, 'x': _int_b64u(n.x, size), 'y': _int_b64u(n.y, size)}
    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    if isinstance(pub, ed25519.Ed25519PublicKey):
        return {'kty': 'OKP', 'crv': 'Ed25519', 'x': b64u(pub.public_bytes(*raw))}
    if isinstance(pub, x25519.X25519PublicKey):
        return {'kty': 'OKP', 'crv': 'X25519', 'x': b64u(pub.public_bytes(*raw))}
    raise ValueError('unsupported key type %s' % type(pub).__name__)


def private_key_to_jwk(key):
    jwk = public_key_to_jwk(key.public_key())
    if isinstance(key, rsa.RSAPrivateKey):
        n = key.private_numbers()
        jwk.update(d=_int_b64u(n.d), p=_int_b64u(n.p), q=_int_b64u(n.q),
                   dp=_int_b64u(n.dmp1), dq=_int_b64u(n.dmq1), qi=_int_b64u(n.iqmp))
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        jwk['d'] = _int_b64u(key.private_numbers().private_value, _CRV[jwk['crv']][1])
    else:
        jwk['d'] = b64u(key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                          serialization.NoEncryption()))
    return jwk


def is_private_key(obj):
    return isinstance(obj, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey,
                            ed25519.Ed25519PrivateKey, x25519.X25519PrivateKey))


def key_type_of_jwk(jwk):
    return KTY_TO_TYPE[jwk['kty']]


def curve_of_jwk(jwk):
    return jwk.get('crv')


def oct_bits(jwk):
    return len(b64u_decode(jwk['k'])) * 8 if jwk.get('kty') == 'oct' else None


def validate_jwk(obj):
    """Check an RFC 7517 JWK (a dict) really is a key; return a clean copy or raise ValueError."""
    if not isinstance(obj, dict):
        raise ValueError('a JWK must be a JSON object')
    kty = obj.get('kty')
    if kty not in _REQUIRED:
        raise ValueError("JWK member 'kty' must be one of RSA, EC, oct, OKP (got %r)" % (kty,))
    missing = [m for m in _REQUIRED[kty] if m not in obj]
    if missing:
        raise ValueError('JWK of kty %s lacks required member(s): %s' % (kty, ', '.join(missing)))
    try:
        for member in ('n', 'e', 'x', 'y', 'k', 'd', 'p', 'q', 'dp', 'dq', 'qi'):
            if member in obj:
                b64u_decode(obj[member])
        if kty == 'RSA':
            rsa.RSAPublicNumbers(_b64u_int(obj['e']), _b64u_int(obj['n'])).public_key()
        elif kty == 'EC':
            if obj['crv'] not in _CRV:
                raise ValueError('unsupported curve %r' % (obj['crv'],))
            ec.EllipticCurvePublicNumbers(_b64u_int(obj['x']), _b64u_int(obj['y']),
                                          _CRV[obj['crv']][0]()).public_key()
        elif kty == 'OKP':
            if obj['crv'] == 'Ed25519':
                ed25519.Ed25519PublicKey.from_public_bytes(b64u_decode(obj['x']))
            elif obj['crv'] == 'X25519':
                x25519.X25519PublicKey.from_public_bytes(b64u_decode(obj['x']))
            else:
                raise ValueError('unsupported curve %r (Ed448/X448 are not supported)' % (obj['crv'],))
        elif not b64u_decode(obj['k']):
            raise ValueError("member 'k' is empty")
    except ValueError as exc:
        if str(exc) == 'not base64url':
            raise ValueError('JWK holds a member that is not valid base64url')
        raise ValueError('JWK is not a valid %s key: %s' % (kty, exc))
    return dict(obj)


def make_kid(jwk, key_id_type):
    if key_id_type == 'NONE':
        return None
    if key_id_type == 'SHA256':
        return thumbprint(jwk, 'sha256')
    if key_id_type == 'SHA1':
        return thumbprint(jwk, 'sha1')
    if key_id_type == 'ISO_DATE':
        return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z')
    return str(int(time.time() * 1000))


def generate_key(key_type, size=None, curve=None):
    """A fresh private JWK (a dict)."""
    if key_type == 'RSA':
        return private_key_to_jwk(rsa.generate_private_key(public_exponent=65537, key_size=size))
    if key_type == 'EC':
        return private_key_to_jwk(ec.generate_private_key(_CRV[curve][0]()))
    if key_type == 'OKP':
        cls = ed25519.Ed25519PrivateKey if curve == 'Ed25519' else x25519.X25519PrivateKey
        return private_key_to_jwk(cls.generate())
    return {'kty': 'oct', 'k': b64u(os.urandom(size // 8))}


# ---------------------------------------------------------------------------
# PEM / PKCS#12 sources
# ---------------------------------------------------------------------------

def jwk_from_certificate(pem):
    cert = x509.load_pem_x509_certificate(pem.encode('ascii') if isinstance(pem, str) else pem)
    return public_key_to_jwk(cert.public_key())


def load_key_pem(pem):
    """(key object, is_private)."""
    data = pem.encode('ascii') if isinstance(pem, str) else pem
    if b'PRIVATE KEY' in data:
        return serialization.load_pem_private_key(data, password=None), True
    return serialization.load_pem_public_key(data), False


def keystore_entries(p12_b64, password):
    """{alias: private JWK or public JWK}."""
    data = base64.b64decode(p12_b64)
    pw = password.encode('utf-8') if password else None
    store = pkcs12.load_pkcs12(data, pw)
    entries = {}
    if store.key is not None:
        alias = store.cert.friendly_name.decode('utf-8') if store.cert and store.cert.friendly_name else '1'
        entries[alias] = private_key_to_jwk(store.key)
    for extra in store.additional_certs:
        alias = extra.friendly_name.decode('utf-8') if extra.friendly_name else None
        if alias and alias not in entries:
            entries[alias] = public_key_to_jwk(extra.certificate.public_key())
    return entries


def _pem_private(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode('ascii')


def _pem_public(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode('ascii')


def self_signed_cert(key, common_name, days=365, ca=False, issuer_cert=None, issuer_key=None, sans=None):
    now = datetime.datetime.now(datetime.timezone.utc)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    builder = (x509.CertificateBuilder()
               .subject_name(subject)
               .issuer_name(issuer_cert.subject if issuer_cert is not None else subject)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    return builder.sign(issuer_key if issuer_key is not None else key, hashes.SHA256())


_DEFAULT_LOCK = threading.Lock()
_DEFAULT_MATERIAL = {}


def default_material():
    """Key material of the default seed, generated once per process (RSA generation is the
    slow part of starting an emulator, and tests start many)."""
    with _DEFAULT_LOCK:
        if not _DEFAULT_MATERIAL:
            cert_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            cert = self_signed_cert(cert_key, 'demo-cert')
            rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            ec_key = ec.generate_private_key(ec.SECP256R1())
            p12 = pkcs12.serialize_key_and_certificates(
                b'demo', cert_key, cert, None, serialization.BestAvailableEncryption(b'changeit'))
            admin = private_key_to_jwk(ec.generate_private_key(ec.SECP256R1()))
            admin.update(use='sig', alg='ES256', kid=thumbprint(admin))
            _DEFAULT_MATERIAL.update({
                'certificates': {'demo-cert': cert.public_bytes(serialization.Encoding.PEM).decode('ascii')},
                'keys': {'demo-rsa-public': _pem_public(rsa_key),
                         'demo-rsa-private': _pem_private(rsa_key),
                         'demo-ec-private': _pem_private(ec_key)},
                'keystores': {'demo-keystore': {'p12_b64': base64.b64encode(p12).decode('ascii'),
                                                'password': 'changeit'}},
                'admin_jwk': admin,
            })
        return json.loads(json.dumps(_DEFAULT_MATERIAL))


def make_tls_files(directory):
    """Self-signed CA + server certificate for 127.0.0.1/localhost; returns (ca, cert, key) paths."""
    import ipaddress
    os.makedirs(directory, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = self_signed_cert(ca_key, 'Apinizer Emulator Test CA', ca=True)
    srv_key = ec.generate_private_key(ec.SECP256R1())
    srv_cert = self_signed_cert(srv_key, '127.0.0.1', issuer_cert=ca_cert, issuer_key=ca_key,
                                sans=[x509.DNSName('localhost'), x509.IPAddress(ipaddress.ip_address('127.0.0.1'))])
    paths = tuple(os.path.join(directory, n) for n in ('ca.pem', 'server.pem', 'server-key.pem'))
    with open(paths[0], 'wb') as fh:
        fh.write(ca_cert.public_bytes(serialization.Encoding.PEM))
    with open(paths[1], 'wb') as fh:
        fh.write(srv_cert.public_bytes(serialization.Encoding.PEM))
    fd = os.open(paths[2], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as fh:
        fh.write(_pem_private(srv_key))
    return paths
