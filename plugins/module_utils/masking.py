# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Masking of secrets: what must never reach a result, a warning, an error or a log line.

Owns MASK, the secrets a request body carries (request_secrets) and a server answer carries
(answer_secrets), mask_text() (THE function that masks a piece of server text: known secrets in every
escaped form, every 16-character or longer fragment of one, PEM private keys, private JWK members
written out JSON-shaped) and
mask_value() (the same over a JSON value), and narrow_jwk_no_log() (which members of a user's JWK
AnsibleModule's no_log keeps masking). The secret JWK members come from jwk_vocabulary.PRIVATE_MEMBERS.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re

try:
    from urllib.parse import quote, quote_plus
except ImportError:  # pragma: no cover - Python 2 controller/targets are not supported
    from urllib import quote, quote_plus  # type: ignore

from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_vocabulary import PRIVATE_MEMBERS, PUBLIC_MEMBERS

MASK = '********'

# A server error may repeat the request it failed on (a careless one does). Whatever the client
# sent that is secret must then be masked too: private JWK members (RFC 7518 section 6), values
# of password/secret/token members, and PEM private keys (also masked whenever they appear).
_SECRET_NAME = re.compile(r'password|secret|token', re.IGNORECASE)
_PEM_PRIVATE_KEY = re.compile(r'-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?-----END [A-Z0-9 ]*PRIVATE KEY-----',
                              re.DOTALL)
# A private JWK member written out in server text, JSON-shaped (``"d": "..."``, escaped ``\\"d\\":\\"...``,
# Python's ``'d': '...'``) or as Java prints a map (``d=...``): its value is masked wherever it is,
# whether or not the client knew the key (a server may repeat a key it stores). ``oth`` (RSA's
# other primes) is an array of objects: masked whole. Base64url values of 16 or more characters:
# every private member of a real key is longer, and shorter values are ordinary text.
_PRIVATE_NAMES = '|'.join(sorted((re.escape(m) for m in PRIVATE_MEMBERS if m != 'oth'), key=len, reverse=True))
_QUOTE = r'(?:\\*["\'])'
_JSON_PRIVATE_MEMBER = re.compile(
    r'(?P<keep>%(q)s(?:%(names)s)%(q)s\s*:\s*%(q)s|(?<![A-Za-z0-9_$.-])(?:%(names)s)=)(?P<value>[A-Za-z0-9_\-+/]{16,}={0,2})'
    % {'q': _QUOTE, 'names': _PRIVATE_NAMES})
_JSON_OTH_MEMBER = re.compile(r'(?P<keep>%(q)soth%(q)s\s*:\s*)\[[^\]]*\]' % {'q': _QUOTE})
# Shorter values (an empty or one-letter member) would mask ordinary words.
_MIN_SECRET_LENGTH = 6
# Any piece this long of a secret is masked wherever it appears (random data never repeats
# 16 characters by chance; shorter pieces would mask ordinary text).
FRAGMENT_LENGTH = 16


def secret_variants(secrets):
    """Each secret as sent and as a server may repeat it: JSON-escaped and form/URL-encoded."""
    out = set()
    for secret in secrets:
        if not secret:
            continue
        out.add(secret)
        out.add(json.dumps(secret)[1:-1])
        out.add(quote_plus(secret))
        out.add(quote(secret, safe=''))
    out.discard('')
    return out


def _collect_secrets(value, secret, out):
    if isinstance(value, dict):
        for key, item in value.items():
            key = '%s' % key
            _collect_secrets(item, secret or key in PRIVATE_MEMBERS or bool(_SECRET_NAME.search(key)), out)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _collect_secrets(item, secret, out)
    elif isinstance(value, str):
        if secret or 'PRIVATE KEY' in value:
            if len(value) >= _MIN_SECRET_LENGTH:
                out.add(value)
        elif value.lstrip().startswith('{'):
            # A JWK passed as a JSON string (jwkStr): its private members are secrets too.
            try:
                parsed = json.loads(value)
            except ValueError:
                return
            _collect_secrets(parsed, False, out)


def request_secrets(json_body=None, form=None):
    """The secrets a request body carries, with their escaped forms, for mask_text()."""
    found = set()
    _collect_secrets(json_body, False, found)
    _collect_secrets(form, False, found)
    return frozenset(secret_variants(found))


def answer_secrets(value):
    """The secrets a server answer carries (private JWK members at any depth, also inside a JWK held as
    a JSON string; password/secret/token values; PEM private keys), as read: the client registers
    them (add_secrets) so that they are masked, fragments and escaped forms included, in every piece
    of server text that follows, for instance a deployment message that repeats the stored JWK."""
    found = set()
    _collect_secrets(value, False, found)
    return frozenset(found)


def _mask_private_members(text):
    text = _JSON_PRIVATE_MEMBER.sub(lambda m: m.group('keep') + MASK, text)
    return _JSON_OTH_MEMBER.sub(lambda m: m.group('keep') + MASK, text)


def mask_text(text, secrets=()):
    """``text`` with every secret of ``secrets`` (longest first), every fragment of FRAGMENT_LENGTH or
    more characters of a secret, and every PEM private key replaced by MASK.

    ``secrets`` should hold every escaped form (secret_variants, request_secrets): a fragment of
    an escaped form is then caught too. Not a string: returned as is.
    """
    if text is None or not isinstance(text, str):
        return text
    for secret in sorted(secrets, key=len, reverse=True):
        if secret and secret in text:
            text = text.replace(secret, MASK)
    text = _mask_fragments(text, secrets)
    return _mask_private_members(_PEM_PRIVATE_KEY.sub(MASK, text))


def _mask_fragments(text, secrets):
    # A server that echoes a truncated request ("the first 100 characters of d") repeats no
    # whole secret: mask every run of text made of FRAGMENT_LENGTH-character pieces of one.
    grams = set()
    for secret in secrets:
        if secret and len(secret) >= FRAGMENT_LENGTH:
            grams.update(secret[i:i + FRAGMENT_LENGTH] for i in range(len(secret) - FRAGMENT_LENGTH + 1))
    if not grams or len(text) < FRAGMENT_LENGTH:
        return text
    covered_until, runs = -1, []
    for start in range(len(text) - FRAGMENT_LENGTH + 1):
        if text[start:start + FRAGMENT_LENGTH] in grams:
            end = start + FRAGMENT_LENGTH
            if runs and start <= covered_until:
                runs[-1][1] = end
            else:
                runs.append([start, end])
            covered_until = end
    if not runs:
        return text
    out, last = [], 0
    for start, end in runs:
        out.append(text[last:start])
        out.append(MASK)
        last = end
    out.append(text[last:])
    return ''.join(out)


def mask_value(value, secrets=()):
    """mask_text() applied to every string of a JSON value (dicts and lists at any depth); the value
    of a private JWK member (d, k, oth...) is masked whole, whatever it is."""
    if isinstance(value, str):
        return mask_text(value, secrets)
    if isinstance(value, dict):
        return dict((k, MASK if k in PRIVATE_MEMBERS and value[k] not in (None, '') else mask_value(v, secrets))
                    for k, v in value.items())
    if isinstance(value, list):
        return [mask_value(v, secrets) for v in value]
    return value


def _leaves(value):
    """Every scalar of a JSON value, as strings (what AnsibleModule registers for no_log)."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    if value is None or isinstance(value, bool):
        return []
    return ['%s' % value]


def narrow_jwk_no_log(module, raw=None):
    """Keep no_log of the ``jwk`` option on its secret members only.

    AnsibleModule registers every leaf of a no_log dict as a secret before the ``json`` type turns
    it into one string, and then masks those strings wherever they appear in the result: "RSA",
    "sig", the kid, the public modulus. Unmask the public members of the user's JWK (or JWK Set);
    the whole document and every other member (d, p, q, dp, dq, qi, oth, k, unknown ones) stay
    masked, and so do the values of the other no_log options (token, password).
    """
    raw = module.params.get('jwk') if raw is None else raw  # raw: one config item's jwk (apinizer_jwks)
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
    public, secret, private = set(), set(), set()
    for key in keys:
        if not isinstance(key, dict):
            continue
        for member, value in key.items():
            (public if member in PUBLIC_MEMBERS else secret).update(_leaves(value))
            if member in PRIVATE_MEMBERS:
                private.update(_leaves(value))
    for option in ('apinizer_token', 'apinizer_password'):
        if module.params.get(option):
            secret.add(module.params[option])
    module.no_log_values.difference_update(public - secret)
    # A JWK given as a JSON string registers only as a whole: register its secret members on their
    # own too (private members only), so that the client masks their fragments in server text (see jwk_document).
    module.no_log_values.update(private)


def jwk_document(value):
    """True when ``value`` is a JWK or JWK Set as a JSON string (a no_log value of a ``jwk`` option).

    The client masks fragments of secrets in server text; it takes the secret members of such a
    document (narrow_jwk_no_log registers them on their own), not the whole document, whose
    public text (the kid, often the JWK's own name) would otherwise be masked out of error texts
    the modules must read, such as "JWK (name: x) is not found".
    """
    if not value.lstrip().startswith('{'):
        return False
    try:
        doc = json.loads(value)
    except ValueError:
        return False
    return isinstance(doc, dict) and ('kty' in doc or isinstance(doc.get('keys'), list))
