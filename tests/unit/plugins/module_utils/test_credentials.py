# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""credentials: when a credential list proves which JWK each credential uses (issue 24 H1, M1)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils.credentials import (
    assignment_problems,
    assignments_reported,
    current_assignment,
    proving_projects,
)
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_converge import used_by

NAMES = {'k1', 'k2'}


def cred(validation=None, encryption=None, username='u'):
    return {'username': username, 'validationJwkName': validation, 'encryptionJwkName': encryption}


def test_an_empty_or_absent_list_is_never_proof():
    assert assignments_reported([]) is False
    assert assignments_reported(None) is False
    assert assignments_reported({'resultList': []}) is False
    assert 'proves nothing' in assignment_problems([])[0]


@pytest.mark.parametrize('item', [
    {'username': 'u', 'validationJwkName': 'k1'},                # one field only
    {'username': 'u', 'encryptionJwkName': None},
    cred(5), cred(None, ['k1']), cred(True), cred(None, {'name': 'k1'}),   # not a name or null
    cred('K1'), cred('k3'),                                      # not a JWK of the project (case-sensitive)
    'u', None, 7,                                                # not a credential
])
def test_anything_but_two_names_or_nulls_of_known_jwks_is_unknown(item):
    assert assignments_reported([cred('k1'), item], NAMES) is False
    if isinstance(item, dict):
        assert current_assignment(item, 'validation', NAMES) == (False, None)
        assert current_assignment(item, 'encryption', NAMES) == (False, None)


def test_two_names_or_nulls_are_known():
    items = [cred('k1', None), cred('', 'k2', username='v')]
    assert assignments_reported(items, NAMES) is True
    assert current_assignment(items[1], 'validation', NAMES) == (True, None)
    assert current_assignment(items[1], 'encryption', NAMES) == (True, 'k2')
    # without the JWK names, only the shape is checked
    assert assignments_reported([cred('anything')]) is True


def test_a_foreign_credential_may_name_a_jwk_of_its_own_project_but_not_ours_in_another_case():
    assert assignment_problems([cred('their-key')], NAMES, foreign=True) == []
    assert 'differs only in case from JWK k1' in assignment_problems([cred('K1')], NAMES, foreign=True)[0]


def test_nothing_proves_a_jwk_of_admin_unused():
    assert proving_projects('admin') is None
    assert proving_projects('demo') == ['demo', 'admin']


def test_used_by_reads_names_only_and_survives_any_item():
    creds = [cred('k1', 'k1', username='a'), cred('', None, username='b'), 'x', None, cred({'n': 1}, 7, username='c')]
    assert used_by(creds) == {'k1': ['a (encryption)', 'a (validation)']}
    assert used_by(creds, listed_in='admin') == {'k1': ['a (encryption, listed in project admin)',
                                                        'a (validation, listed in project admin)']}
    assert used_by(None) == {}
