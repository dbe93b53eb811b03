# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Names that become one path segment: JWK names, usernames, project names.

Owns the rule for what such a name may be (name_problem) and which options carry one
(NAME_OPTIONS, checked by ApinizerModule before the first request). The vendor's base-URL page
says spaces are not allowed in names; ``.`` and ``..`` would be removed as dot segments by the
HTTP library (``name: .`` would address the collection itself); an empty name addresses the
list. Every other character is percent-encoded by the client as part of one segment.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2 controller/targets are not supported
    from urllib import quote  # type: ignore

# Options holding a name that goes into a request path (a list option: each element).
NAME_OPTIONS = ('name', 'names', 'username', 'jwk_name', 'project')


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
    return None


def name_option_problems(params, options=NAME_OPTIONS):
    """``[message]`` for every option of ``options`` in ``params`` whose value is not a valid name."""
    problems = []
    for option in options:
        value = params.get(option)
        if value is None:
            continue
        for item in (value if isinstance(value, list) else [value]):
            problem = name_problem(item)
            if problem:
                problems.append('%s %s, got %r' % (option, problem, item))
    return problems


def path_segment(value):
    """``value`` percent-encoded as one path segment; ValueError when it cannot be a name."""
    # ApinizerModule already failed on a bad name option; this guards every other caller.
    problem = name_problem(value)
    if problem:
        raise ValueError('a name in a request path %s, got %r' % (problem, value))
    return quote(value, safe='')
