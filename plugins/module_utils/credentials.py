# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Credentials and their JWK assignments, in the API's words and the user's.

Owns the purposes (the path segment of the assignment endpoints), the credential list members that
report each purpose's JWK (our documented assumption: the vendor does not document them), when a
credential list proves which JWK each credential uses (the one rule: ``credential_problem``,
``assignment_problems``, ``assignments_reported``, ``current_assignment``, ``assignment_names``), which credential lists can
prove that no credential uses a JWK of a project (``proving_projects``), and the returned view of a
credential (an allow-list: a password never leaks).

Every answer is untrusted, and a wrong "unused" deletes a key in use: an assignment is known only
when the credential reports *both* fields, each a JWK name or null, and (when the caller knows the
JWKs that can be assigned) each name is one of them, spelled exactly (JWK names are case-sensitive).
Anything else is unknown. An empty list proves nothing: a server that does not report assignments
answers the same for a project without credentials.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

# purpose -> the credential list member that reports its JWK
ASSIGNMENT_FIELDS = {
    'validation': 'validationJwkName',
    'encryption': 'encryptionJwkName',
}
PURPOSES = ('validation', 'encryption')

# The project whose JWKs a credential of any project may use, and whose credential list holds every
# credential, global ones included (vendor: Set JWK Validation/Encryption, List Credentials).
ADMIN_PROJECT = 'admin'

_SHOWN = 60  # at most this many characters of a server value in a message


def _shown(value):
    text = '%r' % (value,)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + '...'


def _label(credential):
    username = credential.get('username')
    if not isinstance(username, str):
        return 'a credential without a username'
    plain = username.isprintable() and ' ' not in username and 0 < len(username) <= _SHOWN
    return 'credential %s' % (username if plain else _shown(username))


def credential_problem(credential, jwk_names=None, foreign=False):
    """Why ``credential`` (one item of a credential list) does not report its assignments, or None.

    ``jwk_names``: the JWKs its assignments may name (a set), or None not to check names. With
    ``foreign`` (a credential of another project, listed in admin's list), a name outside
    ``jwk_names`` is a JWK of its own project, unless it differs from one of ``jwk_names`` only in
    case: then the server may spell names differently, and that name may be ours.
    """
    if not isinstance(credential, dict):
        return 'an item that is not a credential object'
    folded = dict((name.lower(), name) for name in jwk_names or ())
    for purpose in PURPOSES:
        field = ASSIGNMENT_FIELDS[purpose]
        if field not in credential:
            return '%s does not report %s' % (_label(credential), field)
        value = credential[field]
        if value is not None and not isinstance(value, str):
            return '%s reports %s %s, which is no JWK name' % (_label(credential), field, _shown(value))
        if not value or jwk_names is None or value in jwk_names:
            continue
        if not foreign:
            return ('%s reports %s %s, which is no JWK of the project or of project %s (names are '
                    'case-sensitive)' % (_label(credential), field, _shown(value), ADMIN_PROJECT))
        if value.lower() in folded:
            return ('%s reports %s %s, which differs only in case from JWK %s'
                    % (_label(credential), field, _shown(value), folded[value.lower()]))
    return None


def assignment_problems(items, jwk_names=None, foreign=False):
    """Why the credential list ``items`` does not prove which JWK each credential uses ([] when it does)."""
    if not isinstance(items, list):
        return ['the credential list is not a list']
    if not items:
        return ['the credential list is empty, which proves nothing (a server that does not report '
                'assignments answers the same)']
    return [problem for problem in (credential_problem(item, jwk_names, foreign) for item in items) if problem]


def assignments_reported(items, jwk_names=None):
    """True only when ``items`` is a non-empty credential list in which every credential reports both
    assignments (see credential_problem); never for an empty list."""
    return not assignment_problems(items, jwk_names)


def assignment_names(items):
    """The JWK names a credential list reports (the string values of the assignment fields)."""
    names = set()
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            names.update(item[field] for field in ASSIGNMENT_FIELDS.values() if isinstance(item.get(field), str) and item[field])
    return names


def current_assignment(credential, purpose, jwk_names=None):
    """Return (known, jwk_name) for purpose.

    known is False unless the credential reports both assignment fields well (credential_problem):
    then jwk_name means nothing, and the caller must not treat it as "nothing assigned".
    """
    if credential_problem(credential, jwk_names) is not None:
        return False, None
    # An empty string is how some servers spell "nothing"; normalise it to None.
    return True, credential[ASSIGNMENT_FIELDS[purpose]] or None


def proving_projects(project):
    """The projects whose credential lists, read together, hold every credential that may use a JWK of
    ``project``; None when no lists the module reads can.

    A project's own list leaves out the credentials "accessible from the project" (the vendor's Set
    JWK pages), to which an assignment made in the project may still give its JWKs: they are admin's
    (List Credentials: admin's list returns every credential, global ones included). A JWK of admin
    itself may be assigned to a credential of every project, and no one list is known to hold them
    all (a server whose admin list holds admin's own credentials only is the reproduced case), so
    nothing the module reads proves a JWK of admin unused.
    """
    if project == ADMIN_PROJECT:
        return None
    return [project, ADMIN_PROJECT]


def credential_view(item):
    """The returned view of one API credential: an allow-list, so a password never leaks."""
    return dict(
        username=item.get('username'),
        enabled=item.get('enabled'),
        description=item.get('description'),
        validation_jwk_name=item.get(ASSIGNMENT_FIELDS['validation']),
        encryption_jwk_name=item.get(ASSIGNMENT_FIELDS['encryption']),
    )
