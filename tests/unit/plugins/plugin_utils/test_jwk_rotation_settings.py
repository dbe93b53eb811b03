# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The jwk_rotation role's variables: what is checked before any request, the key defaults, the connection."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.apinizer.apiops.tests.unit.compat.ansible_core import controller_imports

with controller_imports():  # importing controller code marks the process as the controller
    from ansible_collections.apinizer.apiops.plugins.plugin_utils import jwk_rotation_settings as rs

# The role's defaults (roles/jwk_rotation/defaults/main.yml), without the prefix.
DEFAULTS = dict(name='sig', key_type='EC', key_size=2048, curve=None, algorithm=None, use='signature',
                credentials=[], max_age='90d', force=False, keep=1, exclusive=False, stage_ahead=None,
                rollback=False, revoke=False, source='generate', private_key_path=None, private_key_format='jwk')


def settings(**changes):
    return rs.role_settings(dict(DEFAULTS, **changes), project='demo')


def test_defaults_are_valid_and_carried_over():
    s, errors = settings()
    assert errors == []
    assert s['max_age'] == '90d' and s['stage_ahead'] is None and s['keep'] == 1 and s['project'] == 'demo'
    assert s['force'] is False and s['source'] == 'generate' and s['private_key_format'] == 'jwk'
    assert s['key'] == {'key_type': 'EC', 'key_size': None, 'curve': 'P-256', 'use': 'signature', 'algorithm': 'ES256'}


@pytest.mark.parametrize('changes, key', [
    (dict(key_type='RSA'), ('RSA', 2048, None, 'signature', 'RS256')),
    (dict(key_type='RSA', key_size=3072, algorithm='PS256'), ('RSA', 3072, None, 'signature', 'PS256')),
    (dict(key_type='RSA', use='encryption'), ('RSA', 2048, None, 'encryption', 'RSA-OAEP-256')),
    (dict(key_type='EC', curve='P-384'), ('EC', None, 'P-384', 'signature', 'ES384')),
    (dict(key_type='EC', curve='P-521'), ('EC', None, 'P-521', 'signature', 'ES512')),
    (dict(key_type='EC', curve='secp256k1'), ('EC', None, 'secp256k1', 'signature', 'ES256K')),
    # The curve the algorithm needs, as apinizer_jwk would pick it (the role's YAML used to send P-256).
    (dict(key_type='EC', algorithm='ES384'), ('EC', None, 'P-384', 'signature', 'ES384')),
    (dict(key_type='EC', use='encryption'), ('EC', None, 'P-256', 'encryption', 'ECDH-ES')),
    (dict(key_type='OKP'), ('OKP', None, 'Ed25519', 'signature', 'EdDSA')),
    (dict(key_type='OKP', use='encryption'), ('OKP', None, 'X25519', 'encryption', 'ECDH-ES')),
])
def test_key_defaults_are_the_modules(changes, key):
    s, errors = settings(**changes)
    assert errors == []
    assert tuple(s['key'][k] for k in ('key_type', 'key_size', 'curve', 'use', 'algorithm')) == key


@pytest.mark.parametrize('changes, message', [
    (dict(max_age='90x'), 'jwk_rotation_max_age must be a whole number followed by d, h or m (for example 90d, '
                          '12h, 30m), got 90x.'),
    (dict(max_age=''), 'jwk_rotation_max_age must be a whole number'),
    (dict(max_age='-1d'), 'jwk_rotation_max_age must be a whole number'),
    (dict(max_age=['90d']), 'jwk_rotation_max_age must be a whole number'),
    (dict(keep=-1), 'jwk_rotation_keep must be 0 or more, got -1.'),
    (dict(keep='some'), 'jwk_rotation_keep must be 0 or more, got some.'),
    (dict(source='local'), 'jwk_rotation_private_key_path is required with jwk_rotation_source local.'),
    (dict(stage_ahead='2w'), 'jwk_rotation_stage_ahead must be a whole number followed by d, h or m (for example '
                             '14d), got 2w.'),
    (dict(max_age='30d', stage_ahead='30d'), 'jwk_rotation_stage_ahead (30d) must be shorter than '
                                             'jwk_rotation_max_age (30d).'),
    (dict(rollback=True, revoke=True), 'jwk_rotation_rollback and jwk_rotation_revoke cannot both be true.'),
    (dict(rollback='true', revoke='yes'), 'jwk_rotation_rollback and jwk_rotation_revoke cannot both be true.'),
    (dict(algorithm='RS256'), "jwk_rotation_algorithm 'RS256' does not fit jwk_rotation_key_type 'EC'"),
    (dict(use='encryption', algorithm='ES256'), 'jwk_rotation_algorithm'),
    (dict(key_type='OKP', curve='P-384'), 'jwk_rotation_curve'),
])
def test_bad_settings_are_named(changes, message):
    s, errors = settings(**changes)
    assert len(errors) == 1 and message in errors[0], errors
    assert errors[0].startswith('Invalid jwk_rotation')


def test_every_problem_at_once():
    s, errors = settings(max_age='x', keep=-1, rollback=True, revoke=True, algorithm='RS256')
    assert len(errors) == 2
    assert 'jwk_rotation_max_age' in errors[0] and 'jwk_rotation_keep' in errors[0] and 'revoke' in errors[0]
    assert errors[1].startswith('Invalid jwk_rotation key settings:') and errors[1].endswith('Nothing was changed.')


def test_unset_stage_ahead_spellings_stage_nothing():
    for value in (None, ''):
        s, errors = settings(stage_ahead=value)
        assert errors == [] and s['stage_ahead'] is None


# ---- the connection (issue 25 #2) ------------------------------------------------------------

PLAY = {'apinizer_url': 'https://play.example', 'apinizer_token': 'play-token', 'project': 'payments',
        'timeout': 60, 'retries': 5}


def test_the_plays_group_defaults_reach_the_role_when_no_role_variable_is_set():
    assert rs.connection(PLAY, {}) == PLAY


def test_role_variables_override_the_play_key_by_key():
    entry = rs.connection(PLAY, {'apinizer_url': 'https://role.example', 'apinizer_timeout': 5,
                                 'apinizer_retries': 0, 'apinizer_validate_certs': False, 'apinizer_ca_path': ''})
    assert entry == dict(PLAY, apinizer_url='https://role.example', timeout=5, retries=0, validate_certs=False)


def test_role_credentials_replace_the_plays_credentials_as_a_whole():
    entry = rs.connection(PLAY, {'apinizer_username': 'admin', 'apinizer_password': 'pw'})
    assert 'apinizer_token' not in entry and entry['apinizer_username'] == 'admin'
    entry = rs.connection(dict(PLAY, apinizer_token=None, apinizer_username='u', apinizer_password='p'),
                          {'apinizer_token': 't'})
    assert entry['apinizer_token'] == 't' and 'apinizer_username' not in entry and 'apinizer_password' not in entry


def test_a_missing_url_names_the_role_variable_and_the_module_option():
    problems = rs.connection_problems(rs.connection({}, {}), {})
    assert problems[0] == ("apinizer_url is required for the role's tasks: set jwk_rotation_apinizer_url, or "
                           "apinizer_url in the play's module_defaults for group/apinizer.apiops.apinizer, or the "
                           "APINIZER_URL environment variable.")
    assert 'jwk_rotation_apinizer_project' in problems[1]
    assert rs.connection_problems({}, {'APINIZER_URL': 'http://x', 'APINIZER_PROJECT': 'p'}) == []
    assert rs.connection_problems({'apinizer_url': 'http://x', 'project': 'p'}, {}) == []
    # The modules' environment is not known here (they run on another host): they say it.
    assert rs.connection_problems({}, None) == []


def test_the_project_the_modules_will_use():
    assert rs.project_of({'project': 'admin'}, None) == 'admin'
    assert rs.project_of({}, {'APINIZER_PROJECT': 'demo'}) == 'demo'
    assert rs.project_of({}, None) is None and rs.project_of({}, {}) is None
