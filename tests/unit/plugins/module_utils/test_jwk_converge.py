# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""jwk_converge: scope, credential use, the gathered entry (when the list decides: test_jwk_reader.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_converge import (
    config_entry,
    in_scope,
    outcome,
    used_by,
)

SUMMARY = {'name': 'k', 'description': None, 'sourceType': 'GENERATE', 'sourceUrl': None, 'type': 'EC', 'kid': 'k1'}


def test_scope_prefix_and_whole_name_regex():
    assert in_scope('app-1', {'prefix': 'app-'}) and not in_scope('xapp-1', {'prefix': 'app-'})
    assert in_scope('app-1', {'regex': 'app-[0-9]'}) and not in_scope('app-12', {'regex': 'app-[0-9]'})
    assert not in_scope('my-app-1', {'regex': 'app-.*'})


def test_used_by_names_credential_and_purpose():
    creds = [{'username': 'a', 'validationJwkName': 'k', 'encryptionJwkName': 'k'},
             {'username': 'b', 'validationJwkName': '', 'encryptionJwkName': None}]
    assert used_by(creds) == {'k': ['a (encryption)', 'a (validation)']}


def test_outcome_of_each_action_sequence():
    assert [outcome(a) for a in ([], ['create'], ['update'], ['delete', 'create'], ['delete'])] == [
        'unchanged', 'created', 'updated', 'replaced', 'deleted']


def test_config_entry_of_a_summary_and_of_a_pasted_symmetric_key():
    assert config_entry(SUMMARY) == dict(name='k', description='', source='generate', key_type='EC', kid='k1')
    url = dict(SUMMARY, sourceType='URL', sourceUrl='https://x.example/jwks.json')
    assert config_entry(url) == dict(name='k', description='', source='url', url='https://x.example/jwks.json', kid='k1')
    oct_jwk = dict(SUMMARY, sourceType='COPY_PASTE', type='OCT', oct={'kty': 'oct', 'k': 'c2VjcmV0LXNlY3JldC1zZWNyZXQ'})
    entry = config_entry(oct_jwk)
    assert 'jwk' not in entry and 'c2VjcmV0' not in str(entry)
