# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The jwk_param_errors filter: the apinizer_jwk checks, usable from a role before any request."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.apinizer.apiops.tests.unit.compat.ansible_core import controller_imports

# A filter plugin is controller code: importing it (through ansible.errors) marks the process as
# the controller, after which module.warn() goes to the controller's display instead of the
# module result; the flag is restored so the module unit tests in the same session still see
# their warnings.
with controller_imports():
    from ansible.errors import AnsibleFilterError

    from ansible_collections.apinizer.apiops.plugins.filter import jwk_param_errors as plugin
    from ansible_collections.apinizer.apiops.plugins.module_utils import jwk_validation as jwk_utils

f = plugin.jwk_param_errors


def test_registered_under_its_documented_name():
    assert plugin.FilterModule().filters() == {'jwk_param_errors': plugin.jwk_param_errors}


@pytest.mark.parametrize('params', [
    dict(key_type='EC', curve='P-256', use='signature', algorithm='ES256'),
    dict(key_type='EC', use='signature', algorithm=None, curve=None),
    dict(key_type='EC', use='encryption', algorithm='ECDH-ES'),
    dict(key_type='RSA', key_size=3072, use='signature', algorithm='PS256'),
    dict(key_type='OKP', curve='X25519', use='encryption'),
    dict(key_type='OKP', curve='Ed25519', use='signature', algorithm='EdDSA'),
])
def test_valid_settings_have_no_problem(params):
    assert f(params) == []


def test_same_problems_as_the_module_validation():
    params = dict(source='generate', key_type='EC', use='encryption', algorithm='ES256')
    assert f(params) == jwk_utils.validate_jwk_params(params)
    assert f(params)  # and there is one


@pytest.mark.parametrize('params, words', [
    (dict(key_type='EC', use='signature', algorithm='RS256'),
     ["jwk_rotation_algorithm 'RS256'", "jwk_rotation_key_type 'EC'", 'allowed: ES256, ES256K, ES384, ES512']),
    (dict(key_type='EC', use='encryption', algorithm='ES256'),
     ["jwk_rotation_algorithm 'ES256'", "jwk_rotation_use 'encryption'", 'ECDH-ES']),
    (dict(key_type='EC', curve='P-384', use='signature', algorithm='ES256'),
     ["jwk_rotation_algorithm 'ES256'", "jwk_rotation_curve 'P-384'", 'allowed: ES384']),
    (dict(key_type='OKP', curve='P-384', use='signature'),
     ["jwk_rotation_curve 'P-384'", 'allowed: Ed25519, X25519']),
    (dict(key_type='OKP', curve='X25519', use='signature'),
     ["jwk_rotation_curve 'X25519'", 'Ed25519']),
])
def test_prefixed_messages_name_the_variable_and_the_allowed_values(params, words):
    problems = f(params, option_prefix='jwk_rotation_')
    assert len(problems) == 1, problems
    for word in words:
        assert word in problems[0]


def test_prefix_leaves_the_verb_use_alone():
    problems = f(dict(key_type='EC', key_size=2048, use='signature'), option_prefix='x_')
    assert problems == ["x_key_size does not apply to x_key_type 'EC' (use curve: P-256, P-384, P-521, secp256k1)"]


def test_options_not_given_are_not_renamed():
    # use is not given: the message speaks of the module's default, not of a user variable.
    problems = f(dict(key_type='EC', algorithm='RS256'), option_prefix='x_')
    assert problems and "with use 'signature'" in problems[0] and 'x_use' not in problems[0]


def test_refuses_a_non_dict():
    with pytest.raises(AnsibleFilterError, match='dictionary'):
        f(['EC'])
