# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Validation of apinizer_jwk options, before any request.

Owns which options each source takes and requires, and every check of a combination (algorithm
against key type, curve, use and key size; curve against key type and use; ISO 8601 dates...).
``jwk_problems(params)`` returns ``(option, message)`` pairs: the option a problem is about, and one
sentence naming the option and the allowed values. Every option a message names is spelled by
``option_name`` (the filter plugin passes one that adds the role's variable prefix), so nobody has
to parse a message again. ``validate_jwk_params(params)`` is the list of messages.

Pure functions over a params dict: a bulk module can call them per item.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import re

from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_defaults import effective_use, inferred_key_type
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_material import key_size_of, parse_user_jwk
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_vocabulary import (
    ALGORITHMS,
    ALL_ALGORITHMS,
    ANY_SIZE_OCT_ENCRYPTION,
    CURVE_USES,
    CURVES,
    DEFAULT_CURVE,
    ENUM_TO_JOSE,
    KEY_SIZES,
    KEY_TYPES,
    KID_TYPES,
    SOURCES,
    USES,
    WRAP_KEY_SIZE,
    algorithm_use,
    algorithms_for_use,
    allowed_algorithms,
    canonical_algorithm,
    curves_for,
    enum_spelling,
    normalise_alg,
    normalise_curve,
    normalise_key_type,
    normalise_use,
    rfc_alg,
)

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
_REQUIRED_CHOICES = {'use': USES}
_SPECIFIC_OPTIONS = tuple(sorted(set(o for opts in SOURCE_OPTIONS.values() for o in opts)))

_ISO8601 = re.compile(
    r'^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})'
    r'(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?'
    r'(?P<tz>Z|z|[+-]\d{2}(?::?\d{2})?)?)?$')


class _Problems(object):
    """Collects (option, message) pairs; ``n(option)`` is how a message spells an option."""

    def __init__(self, option_name=None):
        self.items = []
        self.n = option_name or (lambda option: option)

    def add(self, option, message):
        self.items.append((option, message))


def _parse_iso8601(text):
    """(datetime, aware) or None."""
    match = _ISO8601.match(text.strip()) if isinstance(text, str) else None
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


def _check_algorithm_name(value, p):
    """Canonical JOSE name, or None after recording why it is not one."""
    jose = canonical_algorithm(value)
    if jose is not None:
        return jose
    text, n = str(value), p.n
    kt = normalise_key_type(text)
    if kt in KEY_TYPES:
        fit = sorted(set(ALGORITHMS[(kt, 'signature')] + ALGORITHMS[(kt, 'encryption')]))
        p.add('algorithm', "%s %r is a key type, not an algorithm; set key_type: %s and algorithm to one of: %s"
              % (n('algorithm'), text, kt, ', '.join(fit)))
    elif enum_spelling(text) is not None:
        p.add('algorithm', "%s %r is not a JOSE name; use %r" % (n('algorithm'), text, ENUM_TO_JOSE[enum_spelling(text)]))
    elif rfc_alg(text) is not None:
        p.add('algorithm', "%s %r is a registered JOSE algorithm the API's algorithm field does not take; "
              "a JWK may carry it in its own alg member (source jwk); allowed here: %s"
              % (n('algorithm'), text, ', '.join(ALL_ALGORITHMS)))
    else:
        p.add('algorithm', "%s %r is not supported; allowed: %s" % (n('algorithm'), text, ', '.join(ALL_ALGORITHMS)))
    return None


def _check_alg_fit(alg, key_type, use, curve, key_size, p, context=''):
    n = p.n
    allowed = allowed_algorithms(key_type, use)
    if alg not in allowed:
        p.add('algorithm', "%s %r does not fit %s %r with %s %r%s; allowed: %s"
              % (n('algorithm'), alg, n('key_type'), key_type, n('use'), use, context, ', '.join(allowed)))
        return
    if curve is not None:
        fit = allowed_algorithms(key_type, use, curve)
        if alg not in fit:
            p.add('algorithm', "%s %r does not fit %s %r%s; allowed: %s"
                  % (n('algorithm'), alg, n('curve'), curve, context, ', '.join(fit) or 'none'))
    if key_size is not None and alg in WRAP_KEY_SIZE and WRAP_KEY_SIZE[alg] != key_size:
        fit = sorted(a for a, size in WRAP_KEY_SIZE.items() if size == key_size)
        p.add('algorithm', "%s %r needs key_size %d, not %d%s; for key_size %d use one of: %s"
              % (n('algorithm'), alg, WRAP_KEY_SIZE[alg], key_size, context, key_size,
                 ', '.join(fit + list(ANY_SIZE_OCT_ENCRYPTION))))


def _check_curve(params, key_type, use, p):
    """The curve, or None (after recording why it does not fit)."""
    n = p.n
    curve = normalise_curve(params['curve'])
    if curve not in CURVES:
        p.add('curve', "%s %r is not supported; allowed: %s" % (n('curve'), params['curve'], ', '.join(sorted(CURVES))))
    elif key_type not in DEFAULT_CURVE:
        p.add('curve', "%s does not apply to %s %r (use key_size: %s)"
              % (n('curve'), n('key_type'), key_type, ', '.join(str(s) for s in KEY_SIZES[key_type])))
    elif CURVES[curve][0] != key_type:
        p.add('curve', "%s %r does not fit %s %r; allowed: %s"
              % (n('curve'), curve, n('key_type'), key_type, ', '.join(curves_for(key_type))))
    elif use in USES and use not in CURVE_USES.get(curve, USES):
        p.add('curve', "%s %r does not fit %s %r; allowed for %s %r with %s %r: %s"
              % (n('curve'), curve, n('use'), use, n('key_type'), key_type, n('use'), use,
                 ', '.join(curves_for(key_type, use))))
    else:
        return curve
    return None


def _check_key_size(size, key_type, p):
    """The key size as an int, or None (after recording why it does not fit)."""
    n = p.n
    if key_type not in KEY_SIZES:
        p.add('key_size', "%s does not apply to %s %r (use curve: %s)"
              % (n('key_size'), n('key_type'), key_type, ', '.join(curves_for(key_type))))
    elif not _positive_int(size) or int(size) not in KEY_SIZES[key_type]:
        p.add('key_size', "%s %r does not fit %s %r; allowed: %s"
              % (n('key_size'), size, n('key_type'), key_type, ', '.join(str(s) for s in KEY_SIZES[key_type])))
    else:
        return int(size)
    return None


def _check_validity(params, p):
    n = p.n
    parsed = {}
    for option in ('not_before', 'expiration'):
        if params.get(option) is not None:
            parsed[option] = _parse_iso8601(params[option])
            if parsed[option] is None:
                p.add(option, "%s %r is not an ISO 8601 date or date-time (for example 2030-01-31T12:00:00Z)"
                      % (n(option), params[option]))
    if parsed.get('not_before') and parsed.get('expiration'):
        (start, start_aware), (end, end_aware) = parsed['not_before'], parsed['expiration']
        if start_aware == end_aware and end <= start:
            p.add('expiration', "%s %r is not after %s %r"
                  % (n('expiration'), params['expiration'], n('not_before'), params['not_before']))


def _check_positive(params, options, p):
    for option in options:
        if params.get(option) is not None and not _positive_int(params[option]):
            p.add(option, "%s must be a positive integer, got %r" % (p.n(option), params[option]))


def _validate_generate(params, p):
    n = p.n
    key_type = normalise_key_type(params.get('key_type'))
    if key_type is not None and key_type not in KEY_TYPES:
        p.add('key_type', "%s %r is not supported; allowed: %s" % (n('key_type'), params.get('key_type'), ', '.join(KEY_TYPES)))
        return
    key_type = inferred_key_type(params)[0]
    use = effective_use(params)
    curve = _check_curve(params, key_type, use, p) if params.get('curve') is not None else None
    key_size = _check_key_size(params['key_size'], key_type, p) if params.get('key_size') is not None else None
    if params.get('algorithm') is not None:
        alg = _check_algorithm_name(params['algorithm'], p)
        if alg is not None:
            _check_alg_fit(alg, key_type, use, curve, key_size, p)
    if params.get('kid_type') is not None and str(params['kid_type']).lower() not in KID_TYPES:
        p.add('kid_type', "%s %r is not supported; allowed: %s" % (n('kid_type'), params['kid_type'], ', '.join(KID_TYPES)))
    _check_validity(params, p)
    pbes2 = [o for o in ('password_salt_length', 'password_iteration_count') if params.get(o) is not None]
    if key_type != 'OCT':
        for option in pbes2:
            p.add(option, "%s applies only to %s 'OCT', not %r" % (n(option), n('key_type'), key_type))
    else:
        _check_positive(params, pbes2, p)


def _given_jwk(params, p):
    """The parsed JWK of source jwk, or None (after recording why it is not one)."""
    try:
        return parse_user_jwk(params['jwk'], params.get('kid'))
    except ValueError as exc:
        text = str(exc)
        option = 'kid' if text.startswith('kid') else 'jwk'
        if not text.startswith(('jwk', 'kid')):
            p.add(option, '%s: %s' % (p.n(option), text))
        else:
            p.add(option, p.n(option) + text[len(option):])
        return None


def _validate_jwk_source(params, p):
    n = p.n
    jwk = _given_jwk(params, p)
    if jwk is None:
        return
    key_type = normalise_key_type(jwk['kty'])
    own_use = normalise_use(jwk.get('use'))
    use = normalise_use(params.get('use'))
    if use is not None and own_use is not None and use != own_use:
        p.add('use', "%s %r does not match the JWK's use %r (%s)" % (n('use'), use, own_use, jwk['use']))
    use = use or own_use
    curve = normalise_curve(jwk.get('crv'))
    if use is not None and curve in CURVE_USES and use not in CURVE_USES[curve]:
        p.add('use', "%s %r does not fit the JWK's curve %r; allowed: %s" % (n('use'), use, curve, ', '.join(CURVE_USES[curve])))
    if params.get('algorithm') is None:
        return
    alg = _check_algorithm_name(params['algorithm'], p)
    if alg is None:
        return
    own_alg = normalise_alg(jwk.get('alg'))
    if own_alg is not None and own_alg != normalise_alg(alg):
        p.add('algorithm', "%s %r does not match the JWK's alg %r" % (n('algorithm'), alg, own_alg))
        return
    _check_alg_fit(alg, key_type, use or algorithm_use(alg), curve, key_size_of(jwk) if key_type == 'OCT' else None, p,
                   context=" (the JWK's kty %s%s)" % (jwk['kty'], ', crv %s' % curve if curve else ''))


def _validate_url_source(params, p):
    url = params.get('url')
    if url and not re.match(r'^https?://[^\s/]+', str(url)):
        p.add('url', "%s %r must be an http:// or https:// URL" % (p.n('url'), url))
    _check_positive(params, ('url_connect_timeout', 'url_read_timeout', 'url_size_limit'), p)


def _validate_stored_source(params, p):
    """certificate, public_key, private_key, keystore: the algorithm must fit the use."""
    if params.get('algorithm') is None:
        return
    alg = _check_algorithm_name(params['algorithm'], p)
    use = effective_use(params)
    if alg is not None and params.get('use') is not None and alg not in algorithms_for_use(use):
        p.add('algorithm', "%s %r does not fit %s %r; allowed: %s"
              % (p.n('algorithm'), alg, p.n('use'), use, ', '.join(algorithms_for_use(use))))


def _check_source_options(params, source, p):
    n = p.n
    applies = SOURCE_OPTIONS[source]
    for option in _SPECIFIC_OPTIONS:
        if option not in applies and params.get(option) is not None:
            users = [s for s in SOURCES if option in SOURCE_OPTIONS[s]]
            p.add(option, "%s does not apply to %s %r (it applies to source: %s)"
                  % (n(option), n('source'), source, ', '.join(users)))
    for option in REQUIRED_OPTIONS[source]:
        value = params.get(option)
        if value is None or (isinstance(value, str) and not value.strip()):
            allowed = _REQUIRED_CHOICES.get(option)
            p.add(option, "%s is required with %s %r%s" % (
                n(option), n('source'), source, '; allowed: %s' % ', '.join(allowed) if allowed else ''))


_SOURCE_CHECKS = {
    'generate': _validate_generate,
    'jwk': lambda params, p: _validate_jwk_source(params, p) if params.get('jwk') is not None else None,
    'url': _validate_url_source,
}


def jwk_problems(params, option_name=None):
    """Every problem of apinizer_jwk options as (option, message) pairs; [] when they are valid.

    ``option_name(option)`` spells each option a message names (default: the option itself).
    """
    p = _Problems(option_name)
    if params.get('name') is not None and not str(params['name']).strip():
        p.add('name', '%s must not be empty' % p.n('name'))
    source = params.get('source')
    source = 'generate' if source is None else str(source).lower()
    if source not in SOURCES:
        p.add('source', "%s %r is not supported; allowed: %s" % (p.n('source'), params.get('source'), ', '.join(SOURCES)))
        return p.items
    _check_source_options(params, source, p)
    if params.get('use') is not None and normalise_use(params['use']) not in USES:
        p.add('use', "%s %r is not supported; allowed: %s" % (p.n('use'), params['use'], ', '.join(USES)))
        return p.items
    _SOURCE_CHECKS.get(source, _validate_stored_source)(params, p)
    return p.items


def validate_jwk_params(params):
    """Every problem of a module's parameters, each naming the option and the allowed values."""
    return [message for unused, message in jwk_problems(params)]
