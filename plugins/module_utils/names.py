# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Names: of JWKs, credentials and projects (one path segment each), and of the stored objects a JWK
is read from (certificate, key, keystore, alias, environment: sent in a request body).

Owns the rules for what a name may be (name_problem for a path segment, unseen_character for
every name) and which options carry one (NAME_OPTIONS, checked by ApinizerModule before the first
request). The vendor's base-URL page says spaces are not allowed in names; ``.`` and ``..`` would
be removed as dot segments by the HTTP library (``name: .`` would address the collection itself);
an empty name addresses the list. No name may hold a control character (Tab, LF, NUL...), an
invisible formatting or bidirectional character (U+202E turns ``key-1`` into what reads as another
name in a log or a terminal), a line or paragraph separator, or a space other than U+0020: none
is ever part of a real name, and each makes a name look like another. Every other character is
percent-encoded by the client as part of one segment.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import unicodedata

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2 controller/targets are not supported
    from urllib import quote  # type: ignore

# Options holding a name that goes into a request path (a list option: each element).
PATH_NAME_OPTIONS = ('name', 'names', 'username', 'jwk_name', 'project')
# Options holding the name of a stored object, sent in a request body.
BODY_NAME_OPTIONS = ('certificate_name', 'key_name', 'keystore_name', 'alias', 'environment')
NAME_OPTIONS = PATH_NAME_OPTIONS + BODY_NAME_OPTIONS

# Unicode categories no name holds: control (Cc), format (Cf: bidi overrides and isolates,
# zero-width characters, the BOM), surrogates (Cs), line and paragraph separators (Zl, Zp).
_UNSEEN_CATEGORIES = ('Cc', 'Cf', 'Cs', 'Zl', 'Zp')


def unseen_character(value):
    """Why ``value`` cannot be any name because of one of its characters, or None.

    The message names the character by code point and position, never by itself.
    """
    for position, char in enumerate(value):
        category = unicodedata.category(char)
        if category in _UNSEEN_CATEGORIES or (category == 'Zs' and char != ' '):
            kind = 'a space other than U+0020' if category == 'Zs' else 'a control or invisible formatting character'
            label = ' '.join(part for part in ('U+%04X' % ord(char), unicodedata.name(char, '')) if part)
            return 'must not contain %s (%s at position %d)' % (kind, label, position)
    return None


def name_problem(value):
    """Why ``value`` cannot be a name in a path, or None when it can."""
    if not isinstance(value, str):
        return 'must be a string'
    if not value.strip():
        return 'must not be empty or only whitespace'
    if value in ('.', '..'):
        return "must not be '.' or '..'"
    if ' ' in value:
        return 'must not contain a space (the API does not allow spaces in names)'
    return unseen_character(value)


def body_name_problem(value):
    """Why ``value`` cannot be the name of a stored object sent in a body, or None."""
    if not isinstance(value, str):
        return 'must be a string'
    return unseen_character(value)


def name_option_problems(params, options=NAME_OPTIONS, option_name=None):
    """``[message]`` for every option of ``options`` in ``params`` whose value is not a valid name.

    ``option_name(option)`` spells the option in the message (apinizer_jwks: ``config[2].name``).
    The value is shown as its repr, which spells every unseen character as an escape.
    """
    problems = []
    for option in options:
        value = params.get(option)
        if value is None:
            continue
        check = body_name_problem if option in BODY_NAME_OPTIONS else name_problem
        for item in (value if isinstance(value, list) else [value]):
            problem = check(item)
            if problem:
                problems.append('%s %s, got %r' % (option_name(option) if option_name else option, problem, item))
    return problems


def path_segment(value):
    """``value`` percent-encoded as one path segment; ValueError when it cannot be a name."""
    # ApinizerModule already failed on a bad name option; this guards every other caller.
    problem = name_problem(value)
    if problem:
        raise ValueError('a name in a request path %s, got %r' % (problem, value))
    return quote(value, safe='')
