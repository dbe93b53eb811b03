# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The jwk_rotation_plan filter: the role's plan for playbooks (the rules: test_jwk_rotation_plan in
tests/unit/plugins/plugin_utils)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.apinizer.apiops.tests.unit.compat.ansible_core import controller_imports

with controller_imports():  # importing controller code marks the process as the controller
    from ansible.errors import AnsibleFilterError

    from ansible_collections.apinizer.apiops.plugins.filter import jwk_rotation_plan as plugin

SETTINGS = {'name': 'sig', 'now': '20261204T110000Z', 'max_age': '90d', 'keep': 1,
            'credentials': [{'username': 'api-user'}]}
VIEW = {'jwks': [], 'credentials': [{'username': 'api-user'}], 'assignments_reported': False}


def test_registered_under_its_documented_name():
    assert plugin.FilterModule().filters() == {'jwk_rotation_plan': plugin.jwk_rotation_plan}


def test_plans_as_the_role_does():
    p = plugin.jwk_rotation_plan(VIEW, SETTINGS)
    assert p['action'] == 'rotate' and p['active'] == 'sig-20261204T110000Z'
    assert p['switch_labels'] == ['api-user/validation']


@pytest.mark.parametrize('view, settings', [
    ([], {}),
    (VIEW, dict(SETTINGS, max_age='90x')),
    (VIEW, dict(SETTINGS, now='yesterday')),
    (VIEW, {'now': '20261204T110000Z'}),
])
def test_bad_input_raises_a_filter_error(view, settings):
    with pytest.raises(AnsibleFilterError):
        plugin.jwk_rotation_plan(view, settings)
