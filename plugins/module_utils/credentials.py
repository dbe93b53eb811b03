# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Credentials and their JWK assignments, in the API's words and the user's.

Owns the purposes (the path segment of the assignment endpoints), the credential list member that
reports each purpose's JWK (our documented assumption: the vendor does not document it), reading
an assignment, and the returned view of a credential (an allow-list: a password never leaks).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

# purpose -> the credential list member that reports its JWK
ASSIGNMENT_FIELDS = {
    'validation': 'validationJwkName',
    'encryption': 'encryptionJwkName',
}
PURPOSES = ('validation', 'encryption')


def current_assignment(credential, purpose):
    """Return (known, jwk_name) for purpose.

    known is False when the server omits the field: then jwk_name means nothing and
    the caller must not treat it as "nothing assigned".
    """
    field = ASSIGNMENT_FIELDS[purpose]
    if field not in credential:
        return False, None
    # An empty string is how some servers spell "nothing"; normalise it to None.
    return True, credential[field] or None


def assignments_reported(items):
    """True when every credential carries the assignment fields (vacuously true when empty)."""
    return all(any(field in item for field in ASSIGNMENT_FIELDS.values()) for item in items)


def credential_view(item):
    """The returned view of one API credential: an allow-list, so a password never leaks."""
    return dict(
        username=item.get('username'),
        enabled=item.get('enabled'),
        description=item.get('description'),
        validation_jwk_name=item.get(ASSIGNMENT_FIELDS['validation']),
        encryption_jwk_name=item.get(ASSIGNMENT_FIELDS['encryption']),
    )
