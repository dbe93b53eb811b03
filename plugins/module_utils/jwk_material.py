# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""JWK material: base64url, parsing a user's JWK or JWK Set, thumbprints, public parts, JWK Sets.

Owns RFC 7517 (parse_user_jwk, the checks of one key), RFC 7638 (thumbprint), the public part of a
key (public_jwk, strip_private), reading the API's type-named key member (api_jwk_to_jwk) and the
JWK Set document of public keys (jwk_set). Error messages never contain member values.

Standard library only: ``cryptography`` is deliberately not imported (every module loads this file).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import binascii
import copy
import hashlib
import json
import re

from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_vocabulary import (
    CURVE_COORDINATE_BYTES,
    DESCRIPTIVE_MEMBERS,
    KEY_TYPE_TO_KTY,
    KEY_TYPE_TO_MEMBER,
    PRIVATE_MEMBERS,
    PRIVATE_MEMBERS_BY_KTY,
    THUMBPRINT_MEMBERS,
    MEMBER_ALGORITHMS,
    USE_TO_MEMBER,
    curves_for,
    normalise_alg,
    normalise_curve,
    normalise_key_type,
    normalise_use,
    rfc_alg,
    rfc_kty,
)

_B64URL = re.compile(r'^[A-Za-z0-9_-]*$')


def b64url_decode(text):
    """Bytes of a base64url string (padding optional); ValueError without echoing the value."""
    if not isinstance(text, str) or not _B64URL.match(text) or len(text) % 4 == 1:
        raise ValueError('not base64url')
    try:
        return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))
    except (binascii.Error, TypeError):
        raise ValueError('not base64url') from None


def b64url_encode(data):
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
        allowed = curves_for(kty)
        if crv not in allowed:
            problems.append('%s (kty %s) has unsupported crv %r; allowed: %s'
                            % (where, kty, crv if isinstance(crv, str) else None, ', '.join(allowed)))
    for member in sorted(set(required + list(PRIVATE_MEMBERS_BY_KTY[kty])) - set(missing) - {'crv', 'oth'}):
        if member not in key:
            continue
        try:
            raw = b64url_decode(key[member])
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
    problems.extend(_alg_member_problems(key.get('alg'), where))
    kid = key.get('kid')
    if kid is not None and not isinstance(kid, str):
        problems.append('%s member kid must be a string' % where)
    return problems


def _alg_member_problems(alg, where):
    """``alg`` must be a registered name, spelled as registered (it is case-sensitive, RFC 7515 4.1.1)."""
    if alg is None or (isinstance(alg, str) and alg in MEMBER_ALGORITHMS):
        return []
    if not isinstance(alg, str):
        return ['%s member alg must be a string' % where]
    if rfc_alg(alg) is not None:
        return ['%s member alg %r is spelled %r in the IANA JOSE registry (alg is case-sensitive)' % (where, alg, rfc_alg(alg))]
    return ['%s member alg %r is not a registered JOSE algorithm (RFC 7518, RFC 8037, RFC 8812)' % (where, alg)]


def _set_choices(keys):
    """What a kid can select in a set: the kids, and honestly what happens to kid-less keys."""
    kids = [k['kid'] for k in keys if isinstance(k, dict) and isinstance(k.get('kid'), str)]
    kidless = len(keys) - len(kids)
    text = ', '.join(kids) if kids else 'none (no key of the set has a kid)'
    if kidless:
        text += ('; %d key(s) without a kid cannot be selected from the set: pass such a key on its own '
                 'as jwk (a JWK, not a JWK Set)' % kidless)
    return text


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
        if kid is None:
            if len(keys) > 1:
                raise ValueError('jwk is a JWK Set with %d keys: set kid to one of: %s' % (len(keys), _set_choices(keys)))
            chosen = keys[0]
            where = 'jwk key'
        else:
            matches = [k for k in keys if isinstance(k, dict) and k.get('kid') == kid]
            if not matches:
                raise ValueError("kid %r is not in the JWK Set; available: %s" % (kid, _set_choices(keys)))
            if len(matches) > 1:
                raise ValueError("kid %r names %d keys of the JWK Set; kids must be unique" % (kid, len(matches)))
            chosen = matches[0]
            where = 'jwk key %r' % kid
    else:
        chosen = value
        where = 'jwk'
        own = value.get('kid')
        if kid is not None and own is not None and own != kid:
            raise ValueError("kid %r is not in the JWK; available: %s" % (kid, own))

    problems = _check_key(chosen, where)
    if problems:
        raise ValueError('; '.join(problems))
    chosen = copy.deepcopy(chosen)
    if chosen.get('kty') == 'OCT':
        chosen['kty'] = 'oct'
    if kid is not None and chosen.get('kid') is None:
        chosen['kid'] = kid
    return chosen


def thumbprint(jwk):
    """RFC 7638 JWK thumbprint (SHA-256, base64url without padding); None without material."""
    if not isinstance(jwk, dict):
        return None
    kty = rfc_kty(jwk.get('kty'))
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
    return b64url_encode(hashlib.sha256(canonical.encode('utf-8')).digest())


def public_jwk(jwk):
    """The public part of an RFC 7517 JWK (an oct key keeps no ``k``); None without a kty."""
    if not isinstance(jwk, dict) or not jwk.get('kty'):
        return None
    kty = rfc_kty(jwk['kty'])
    out = {'kty': kty}
    for member in THUMBPRINT_MEMBERS.get(kty, ()):
        if member != 'kty' and member not in PRIVATE_MEMBERS and member in jwk:
            out[member] = jwk[member]
    for member in DESCRIPTIVE_MEMBERS:
        if jwk.get(member) is not None:
            out[member] = copy.deepcopy(jwk[member])
    return out


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
    key_type = normalise_key_type(api_jwk.get('type'))
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
    jwk['kty'] = rfc_kty(kty)
    if jwk.get('kid') is None and api_jwk.get('kid'):
        jwk['kid'] = api_jwk['kid']
    if jwk.get('use') is not None:
        use = normalise_use(jwk['use'])
        jwk['use'] = USE_TO_MEMBER.get(use, jwk['use'])
    if jwk.get('alg') is not None and jwk['alg'] not in MEMBER_ALGORITHMS:
        jwk['alg'] = normalise_alg(jwk['alg'])  # an enum or API spelling ('DIR') becomes the RFC one ('dir')
    if 'crv' in jwk:
        jwk['crv'] = normalise_curve(jwk['crv'])
    return jwk


PUBLIC_ONLY = 'public only'
PUBLIC_AND_PRIVATE = 'public and private'
# Marks an API Jwk whose key member came from a public-only read (export-file?publicOnly=true):
# its key shows no private member whether the server holds one or not.
PUBLIC_READ = '_public_read'


def key_part(jwk):
    """Whether an RSA, EC or OKP JWK holds its private part; None for oct (``k`` is the whole key) or no JWK."""
    if not isinstance(jwk, dict):
        return None
    kty = rfc_kty(jwk.get('kty'))
    if kty not in ('RSA', 'EC', 'OKP'):
        return None
    return PUBLIC_AND_PRIVATE if any(jwk.get(m) not in (None, '') for m in PRIVATE_MEMBERS_BY_KTY[kty]) else PUBLIC_ONLY


def _der_fingerprint(text):
    """x5c entries are base64 DER (not base64url, RFC 7517 4.7): the SHA-256 of the DER, as x5t#S256 spells it."""
    compact = re.sub(r'\s+', '', text)
    try:
        der = base64.b64decode(compact + '=' * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        der = compact.encode('utf-8')  # not base64: compared as written
    return b64url_encode(hashlib.sha256(der).digest())


def _normalise_member(member, value):
    if member == 'key_ops':
        ops = value if isinstance(value, list) else [value]
        return ', '.join(sorted(set(str(op) for op in ops)))  # a set of operations (RFC 7517 4.3)
    if member == 'x5c':
        chain = value if isinstance(value, list) else [value]
        return ', '.join(_der_fingerprint(str(cert)) for cert in chain)  # order counts: the key's own first
    return str(value).strip().rstrip('=')  # x5t, x5t#S256: base64url, padding optional


# descriptive members a gateway acts on, compared when both the task and the server have them
COMPARED_MEMBERS = ('key_ops', 'x5c', 'x5t', 'x5t#S256')


def member_facts(jwk):
    """The COMPARED_MEMBERS a JWK has, normalised (key_ops as a sorted set, x5c as certificate fingerprints)."""
    if not isinstance(jwk, dict):
        return {}
    return dict((m, _normalise_member(m, jwk[m])) for m in COMPARED_MEMBERS if jwk.get(m) not in (None, '', []))


def key_size_of(jwk):
    """RSA modulus bits or oct key bits; None for EC/OKP or unreadable material."""
    if not isinstance(jwk, dict):
        return None
    kty = rfc_kty(jwk.get('kty'))
    try:
        if kty == 'RSA' and jwk.get('n'):
            return int(binascii.hexlify(b64url_decode(jwk['n'])), 16).bit_length()
        if kty == 'oct' and jwk.get('k'):
            return len(b64url_decode(jwk['k'])) * 8
    except ValueError:
        return None
    return None


def publishable(jwk):
    """The public key of a JWK as it may go into a published JWK Set, or None (oct keys have none).

    strip_private even though public_jwk() keeps no private member: what goes into a document meant
    for publication must not depend on a single safeguard.
    """
    if not jwk or jwk.get('kty') == 'oct':
        return None
    return strip_private(jwk)


def duplicate_kids(api_jwks):
    """{kid: [JWK names]} for every kid that more than one key of jwk_set(api_jwks) carries.

    A verifier picks a key by kid (PyJWT, joserfc): with two keys under one kid it may pick the wrong one.
    """
    names = {}
    for api_jwk in api_jwks:
        key = publishable(public_jwk(api_jwk_to_jwk(api_jwk)))
        if key is not None and isinstance(key.get('kid'), str):
            names.setdefault(key['kid'], []).append(str(api_jwk.get('name')))
    return dict((kid, found) for kid, found in names.items() if len(found) > 1)


def jwk_set(api_jwks):
    """A JWKS document ({"keys": [...]}) of the public keys of API Jwks (oct keys left out)."""
    keys = [publishable(public_jwk(api_jwk_to_jwk(api_jwk))) for api_jwk in api_jwks]
    return {'keys': [key for key in keys if key is not None]}
