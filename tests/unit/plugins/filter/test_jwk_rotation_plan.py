# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The jwk_rotation_plan filter: every decision of the role, without any request."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.apinizer.apiops.tests.unit.compat.ansible_core import controller_flag as _module_utils_internal

# Importing a filter plugin marks the process as the controller; restore the flag so the
# module unit tests in the same session keep their warnings (see test_jwk_param_errors.py).
_WAS_CONTROLLER = _module_utils_internal.is_controller
from ansible.errors import AnsibleFilterError  # noqa: E402

from ansible_collections.apinizer.apiops.plugins.filter import jwk_rotation_plan as plugin  # noqa: E402

_module_utils_internal.is_controller = _WAS_CONTROLLER

NOW = '20261204T110000Z'
BOTH = ['api-user/validation', 'mobile-app/validation']
CREDENTIALS = [{'username': 'api-user'}, {'username': 'mobile-app', 'purpose': 'validation'}]


def record(stamp, state='active', switched=(), activated=None, origin='rotation', expires=None):
    fields = {'state': state, 'activated': activated or (stamp if state != 'staged' else None),
              'expires': expires, 'origin': origin, 'switched': list(switched)}
    return plugin.format_record('sig', stamp, fields)


def gen(stamp, description=None, source_type='generate'):
    return {'name': 'sig-' + stamp, 'description': description, 'source_type': source_type}


def users(assigned=None):
    assigned = assigned or {}
    return [{'username': u, 'validation_jwk_name': assigned.get(u), 'encryption_jwk_name': None}
            for u in ('api-user', 'mobile-app', 'partner-app')]


def plan(jwks, reported=False, assigned=None, **settings):
    settings.setdefault('name', 'sig')
    settings.setdefault('now', NOW)
    settings.setdefault('max_age', '90d')
    settings.setdefault('keep', 1)
    settings.setdefault('credentials', CREDENTIALS)
    view = {'jwks': jwks, 'credentials': users(assigned), 'assignments_reported': reported}
    return plugin.jwk_rotation_plan(view, settings)


def test_registered_under_its_documented_name():
    assert plugin.FilterModule().filters() == {'jwk_rotation_plan': plugin.jwk_rotation_plan}


def test_record_round_trip_and_foreign_descriptions():
    text = record('20261001T000000Z', switched=['b/validation', 'a/encryption'], expires='2027-01-01T00:00:00Z')
    assert text == ('sig generation 20261001T000000Z, managed by apinizer.apiops.jwk_rotation | state: active | '
                    'activated: 20261001T000000Z | expires: 2027-01-01T00:00:00Z | origin: rotation | '
                    'switched: a/encryption, b/validation')
    parsed = plugin.parse_record(text)
    assert parsed['switched'] == ['a/encryption', 'b/validation'] and parsed['state'] == 'active'
    assert plugin.parse_record('Signs tokens | state: active') is None
    assert plugin.parse_record(None) is None
    assert plugin.parse_record(text.replace('state: active', 'state: gone')) is None
    # Unknown fields are ignored (later versions may add some).
    assert plugin.parse_record(text + ' | colour: blue')['origin'] == 'rotation'


def test_first_run_creates_with_expiration_covering_its_life():
    p = plan([], stage_ahead='14d', keep=2)
    assert p['action'] == 'rotate' and p['active'] == 'sig-' + NOW
    assert p['create']['not_before'] == '2026-12-04T11:00:00Z'
    # 14 + 90 * 3 + 22.5 days
    assert p['create']['expiration'] == '2027-10-06T23:00:00Z'
    assert 'switched: none' in p['create']['description']
    assert p['switch_labels'] == BOTH and 'switched: %s' % ', '.join(BOTH) in p['records'][0]['description']


@pytest.mark.parametrize('reported', [False, True])
def test_rerun_inside_max_age_plans_nothing(reported):
    young = '20261201T000000Z'
    p = plan([gen(young, record(young, switched=BOTH))], reported=reported,
             assigned={'api-user': 'sig-' + young, 'mobile-app': 'sig-' + young})
    assert p['action'] == 'none' and p['pending'] == [] and p['records'] == [] and p['intents'] == []
    assert p['create'] == {} and p['errors'] == []


def test_documented_server_switches_only_the_credential_missing_from_the_record():
    young = '20261201T000000Z'
    p = plan([gen(young, record(young, switched=['api-user/validation']))])
    assert p['switch_labels'] == ['mobile-app/validation']
    assert 'switched: %s' % ', '.join(BOTH) in p['records'][0]['description']


def test_legacy_generation_without_record_is_active_and_gets_one():
    young = '20261201T000000Z'
    p = plan([gen(young, 'made by hand')])
    assert p['action'] == 'none' and p['active'] == 'sig-' + young and p['switch_labels'] == BOTH


def test_documented_server_keeps_unverified_unless_exclusive():
    old = ['20240101T000000Z', '20250101T000000Z', '20260101T000000Z']
    jwks = [gen(s) for s in old]
    p = plan(jwks)
    assert p['previous'] == ['sig-20260101T000000Z']
    assert p['kept_unverified'] == ['sig-20240101T000000Z', 'sig-20250101T000000Z'] and p['retire'] == []
    p = plan(jwks, exclusive='True')
    assert p['retire'] == ['sig-20240101T000000Z', 'sig-20250101T000000Z'] and p['kept_unverified'] == []
    # Older cores hand bools over as strings.
    assert plan(jwks, exclusive='False')['retire'] == []


def test_exclusive_never_deletes_a_generation_the_record_says_is_used():
    jwks = [gen('20240101T000000Z', record('20240101T000000Z', switched=['partner-app/validation'])),
            gen('20250101T000000Z'), gen('20260101T000000Z')]
    p = plan(jwks, exclusive=True)
    assert p['kept_in_use'] == ['sig-20240101T000000Z'] and p['retire'] == ['sig-20250101T000000Z']


def test_reported_assignments_keep_what_an_unlisted_credential_uses():
    jwks = [gen('20240101T000000Z'), gen('20250101T000000Z'), gen('20260101T000000Z')]
    p = plan(jwks, reported=True, assigned={'partner-app': 'sig-20240101T000000Z'})
    assert p['kept_in_use'] == ['sig-20240101T000000Z'] and p['retire'] == ['sig-20250101T000000Z']


def test_staged_flow():
    active = '20260920T110000Z'   # 75 days before NOW
    jwks = [gen(active, record(active, switched=BOTH))]
    settings = dict(stage_ahead='14d')
    assert plan(jwks, **settings)['action'] == 'none'          # 75 < 76
    older = '20260915T110000Z'    # 80 days
    jwks = [gen(older, record(older, switched=BOTH))]
    p = plan(jwks, **settings)
    assert p['action'] == 'stage' and p['active'] == 'sig-' + older and p['staged'] == 'sig-' + NOW
    assert p['pending'] == [] and 'state: staged' in p['create']['description']
    staged = [gen(older, record(older, switched=BOTH)), gen('20261001T000000Z', record('20261001T000000Z', state='staged'))]
    assert plan(staged, **settings)['action'] == 'none'
    assert plan(staged, max_age='79d', **settings)['action'] == 'activate'
    p = plan(staged, force=True, **settings)
    assert p['action'] == 'activate' and p['create'] == {} and p['active'] == 'sig-20261001T000000Z'
    assert 'state: active' in p['intents'][0]['description'] and 'switched: none' in p['intents'][0]['description']
    assert p['previous'] == ['sig-' + older]


def test_rollback_targets_the_previous_active_generation_once():
    g0, g1 = '20260801T000000Z', '20261101T000000Z'
    jwks = [gen(g0, record(g0, switched=BOTH)), gen(g1, record(g1, switched=BOTH))]
    p = plan(jwks, rollback=True)
    assert p['action'] == 'rollback' and p['active'] == 'sig-' + g0 and p['rolled_back'] == 'sig-' + g1
    assert [i['name'] for i in p['intents']] == ['sig-' + g1, 'sig-' + g0]
    assert 'state: rolled-back' in p['intents'][0]['description']
    assert p['switch_labels'] == BOTH and p['previous'] == ['sig-' + g1]
    done = [gen(g0, record(g0, switched=BOTH)), gen(g1, record(g1, state='rolled-back', activated=g1, switched=BOTH))]
    again = plan(done, rollback=True)
    assert again['action'] == 'none' and again['active'] == 'sig-' + g0 and again['pending'] == []
    # The schedule counts from g1's activation: due 90 days after it, and a fresh generation.
    assert plan(done, now='20270301T000000Z')['action'] == 'rotate'
    assert plan(done, now='20270101T000000Z')['action'] == 'none'
    assert plan([gen(g1, record(g1))], rollback=True)['errors'][0].startswith(
        'jwk_rotation_rollback: no previous generation of sig exists to roll back to')


def test_revoke_deletes_every_other_generation_or_refuses_before_any_write():
    g0, g1 = '20260801T000000Z', '20261101T000000Z'
    jwks = [gen(g0), gen(g1)]
    p = plan(jwks, revoke=True, exclusive=True, keep=3)
    assert p['action'] == 'revoke' and p['revoked'] == ['sig-' + g0, 'sig-' + g1] == p['retire']
    assert p['previous'] == [] and p['retained'] == ['sig-' + NOW] and 'origin: revoke' in p['create']['description']
    assert 'Set jwk_rotation_exclusive: true' in plan(jwks, revoke=True)['errors'][0]
    blocked = plan(jwks, revoke=True, reported=True, assigned={'partner-app': 'sig-' + g0})
    assert blocked['errors'] == ['jwk_rotation_revoke cannot delete sig-%s: partner-app/validation still use(s) '
                                 'it (not in jwk_rotation_credentials); nothing was changed.' % g0]
    # A rerun while the active generation is the one a revoke created: nothing to do.
    done = [gen(NOW, record(NOW, origin='revoke', switched=BOTH))]
    assert plan(done, revoke=True, exclusive=True)['action'] == 'none'


def test_expiring_active_generation_is_flagged():
    young = '20261201T000000Z'
    p = plan([gen(young, record(young, switched=BOTH, expires='2026-12-20T00:00:00Z'))])
    assert p['expiring'] == ['sig-' + young] and p['expirations'] == {'sig-' + young: '2026-12-20T00:00:00Z'}
    p = plan([gen(young, record(young, switched=BOTH, expires='2027-12-20T00:00:00Z'))])
    assert p['expiring'] == []


def test_unknown_credential_and_same_second_collision_are_errors():
    p = plan([], credentials=[{'username': 'nobody'}])
    assert p['errors'][0].startswith('jwk_rotation_credentials names credentials that do not exist')
    assert 'already exists' in plan([gen(NOW, 'x')], force=True)['errors'][0]


def test_bad_input_raises():
    with pytest.raises(AnsibleFilterError):
        plugin.jwk_rotation_plan([], {})
    with pytest.raises(AnsibleFilterError):
        plan([], max_age='90x')
