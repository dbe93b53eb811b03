# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The jwk_rotation role's plan: every decision of a run, without any request (plugin_utils)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.apinizer.apiops.tests.unit.compat.ansible_core import controller_imports

with controller_imports():  # importing controller code marks the process as the controller
    from ansible_collections.apinizer.apiops.plugins.plugin_utils import jwk_rotation_plan as rp

NOW = '20261204T110000Z'
BOTH = ['api-user/validation', 'mobile-app/validation']
CREDENTIALS = [{'username': 'api-user'}, {'username': 'mobile-app', 'purpose': 'validation'}]
RUN = {'source': 'generate', 'private_key_path': None, 'key': {'key_type': 'EC'}}


def record(stamp, state='active', switched=(), activated=None, origin='rotation', expires=None):
    fields = {'state': state, 'activated': activated or (stamp if state != 'staged' else None),
              'expires': expires, 'origin': origin, 'switched': list(switched)}
    return rp.format_record('sig', stamp, fields)


def gen(stamp, description=None, source_type='generate', **record_fields):
    """A generation of sig the role manages (its record), unless ``description`` says otherwise."""
    if description is None:
        description = record(stamp, **record_fields)
    return {'name': 'sig-' + stamp, 'description': description, 'source_type': source_type}


def users(assigned=None):
    assigned = assigned or {}
    return [{'username': u, 'validation_jwk_name': assigned.get(u), 'encryption_jwk_name': None}
            for u in ('api-user', 'mobile-app', 'partner-app')]


def plan(jwks, reported=False, assigned=None, pinned=None, **settings):
    settings.setdefault('name', 'sig')
    settings.setdefault('now', NOW)
    settings.setdefault('max_age', '90d')
    settings.setdefault('keep', 1)
    settings.setdefault('credentials', CREDENTIALS)
    settings.setdefault('project', 'demo')
    view = {'jwks': jwks, 'credentials': users(assigned), 'assignments_reported': reported}
    if pinned is not None:
        view['pinned'] = pinned
    return rp.make_plan(view, settings)


# ---- the record --------------------------------------------------------------------------------

def test_record_round_trip_and_foreign_descriptions():
    text = record('20261001T000000Z', switched=['b/validation', 'a/encryption'], expires='2027-01-01T00:00:00Z')
    assert text == ('sig generation 20261001T000000Z, managed by apinizer.apiops.jwk_rotation | state: active | '
                    'activated: 20261001T000000Z | expires: 2027-01-01T00:00:00Z | origin: rotation | '
                    'switched: a/encryption, b/validation')
    parsed = rp.parse_record(text)
    assert parsed['switched'] == ['a/encryption', 'b/validation'] and parsed['state'] == 'active'
    assert rp.parse_record('Signs tokens | state: active') is None
    assert rp.parse_record(None) is None
    assert rp.parse_record(text.replace('state: active', 'state: gone')) is None
    # Unknown fields are ignored (later versions may add some).
    assert rp.parse_record(text + ' | colour: blue')['origin'] == 'rotation'
    # A record names its generation: copied onto another JWK it is not that JWK's record.
    assert rp.parse_record(text, '20261001T000000Z') is not None
    assert rp.parse_record(text, '20261002T000000Z') is None


@pytest.mark.parametrize('duration, expected', [('90d', 7776000), ('12h', 43200), ('30m', 1800), ('0d', 0),
                                                (None, 0), ('', 0)])
def test_durations(duration, expected):
    assert rp.seconds(duration) == expected


@pytest.mark.parametrize('duration', ['90x', '2w', '-1d', '90', 90, ['90d'], ' 90d'])
def test_bad_durations_raise(duration):
    with pytest.raises(ValueError):
        rp.seconds(duration)


def test_bad_input_raises():
    with pytest.raises(rp.PlanError):
        rp.make_plan([], {})
    with pytest.raises(ValueError):
        plan([], max_age='90x')


# ---- the scheduled flow -------------------------------------------------------------------------

def test_first_run_creates_with_expiration_covering_its_life():
    p = plan([], stage_ahead='14d', keep=2)
    assert p['action'] == 'rotate' and p['active'] == 'sig-' + NOW and p['reason'] == 'no generation of sig exists yet'
    assert p['create']['not_before'] == '2026-12-04T11:00:00Z'
    # 14 + 90 * 3 + 22.5 days
    assert p['create']['expiration'] == '2027-10-06T23:00:00Z'
    assert p['expirations'] == {'sig-' + NOW: '2027-10-06T23:00:00Z'}
    assert 'switched: none' in p['create']['description']
    assert p['switch_labels'] == BOTH and 'switched: %s' % ', '.join(BOTH) in p['records'][0]['description']


@pytest.mark.parametrize('reported', [False, True])
def test_rerun_inside_max_age_plans_nothing(reported):
    young = '20261201T000000Z'
    p = plan([gen(young, switched=BOTH)], reported=reported,
             assigned={'api-user': 'sig-' + young, 'mobile-app': 'sig-' + young})
    assert p['action'] == 'none' and p['pending'] == [] and p['records'] == [] and p['intents'] == []
    assert p['create'] == {} and p['errors'] == [] and p['retire'] == []
    assert not rp.for_run(p, False, RUN)['writes']


def test_aged_generation_rotates_and_keeps_the_previous_one():
    old = '20260801T000000Z'
    p = plan([gen(old, switched=BOTH)])
    assert p['action'] == 'rotate' and p['reason'] == 'sig-%s is older than 90d' % old
    assert p['previous'] == ['sig-' + old] and p['switch_labels'] == BOTH


def test_forced_rotation_and_keep_zero_retire_beyond_keep():
    young, older = '20261204T100000Z', '20261204T080000Z'
    jwks = [gen(older), gen(young, switched=BOTH)]
    assigned = {'api-user': 'sig-' + young, 'mobile-app': 'sig-' + young}
    # Not forced: nothing to rotate, but pruning converges (reported assignments).
    unforced = plan(jwks, reported=True, assigned=assigned, keep=0)
    assert unforced['action'] == 'none' and unforced['retire'] == ['sig-' + older]
    forced = plan(jwks, reported=True, assigned=assigned, keep=0, force=True)
    assert forced['action'] == 'rotate' and forced['reason'].startswith('forced')
    assert forced['retire'] == ['sig-' + older, 'sig-' + young] and forced['previous'] == []


def test_documented_server_switches_only_the_credential_missing_from_the_record():
    young = '20261201T000000Z'
    p = plan([gen(young, switched=['api-user/validation'])])
    assert p['switch_labels'] == ['mobile-app/validation'] and p['pending'] == [
        {'username': 'mobile-app', 'purpose': 'validation'}]
    assert [r['name'] for r in p['records']] == ['sig-' + young]
    assert 'switched: %s' % ', '.join(BOTH) in p['records'][0]['description']


def test_reported_server_switches_only_the_credential_not_on_the_active_generation():
    young = '20261201T000000Z'
    # After a failed record write the server says both are on it: nothing to switch or record.
    p = plan([gen(young)], reported=True, assigned={'api-user': 'sig-' + young, 'mobile-app': 'sig-' + young})
    assert p['pending'] == [] and p['records'] == []
    p = plan([gen(young)], reported=True, assigned={'api-user': 'sig-' + young, 'mobile-app': 'sig-x'})
    assert p['switch_labels'] == ['mobile-app/validation']


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


def test_exclusive_never_deletes_a_generation_the_record_says_is_used_nor_keep_or_active():
    jwks = [gen('20240101T000000Z', switched=['partner-app/validation']),
            gen('20250101T000000Z'), gen('20260101T000000Z')]
    p = plan(jwks, exclusive=True)
    assert p['kept_in_use'] == ['sig-20240101T000000Z'] and p['retire'] == ['sig-20250101T000000Z']
    assert p['previous'] == ['sig-20260101T000000Z'] and p['active'] == 'sig-' + NOW
    # Back in the list, partner-app moves to the new generation: nothing old is in use any more.
    listed = CREDENTIALS + [{'username': 'partner-app'}]
    p = plan(jwks, exclusive=True, keep=0, credentials=listed)
    assert p['retire'] == ['sig-20240101T000000Z', 'sig-20250101T000000Z', 'sig-20260101T000000Z']
    assert p['switch_labels'] == BOTH + ['partner-app/validation']


def test_reported_assignments_keep_what_an_unlisted_credential_uses():
    jwks = [gen('20240101T000000Z'), gen('20250101T000000Z'), gen('20260101T000000Z')]
    p = plan(jwks, reported=True, assigned={'partner-app': 'sig-20240101T000000Z'})
    assert p['kept_in_use'] == ['sig-20240101T000000Z'] and p['retire'] == ['sig-20250101T000000Z']
    assert p['assignments_reported'] is True and plan(jwks)['assignments_reported'] is False
    assert p['retained'] == ['sig-' + NOW, 'sig-20260101T000000Z', 'sig-20240101T000000Z']


def test_expiring_active_generation_is_flagged_and_warned_once():
    young = '20261201T000000Z'
    p = plan([gen(young, switched=BOTH, expires='2026-12-20T00:00:00Z')])
    assert p['expiring'] == ['sig-' + young] and p['expirations'] == {'sig-' + young: '2026-12-20T00:00:00Z'}
    said = rp.warnings(p, 'sig')
    assert [w for w in said if 'expires at 2026-12-20T00:00:00Z' in w] == [
        'sig-%s, used by the listed credentials, expires at 2026-12-20T00:00:00Z, within a quarter of '
        'jwk_rotation_max_age: rotate now (jwk_rotation_force: true).' % young]
    p = plan([gen(young, switched=BOTH, expires='2027-12-20T00:00:00Z')])
    assert p['expiring'] == [] and rp.warnings(p, 'sig') == []


def test_unknown_credential_and_same_second_collision_are_errors():
    p = plan([], credentials=[{'username': 'nobody'}])
    assert p['errors'][0].startswith('jwk_rotation_credentials names credentials that do not exist')
    assert 'nobody' in p['errors'][0]
    assert 'already exists' in plan([gen(NOW)], force=True)['errors'][0]
    # A JWK the role left alone still holds the name: the collision is seen too.
    assert 'already exists' in plan([gen(NOW, 'made by hand')])['errors'][0]


# ---- H3: only the role's own generations --------------------------------------------------------

def test_a_generation_without_the_roles_record_is_never_made_active_nor_deleted():
    """Issue 24 H3: a JWK named like a generation without the role's record is left alone."""
    young = '20261201T000000Z'
    p = plan([gen(young, 'made by hand')], exclusive=True, keep=0)
    assert p['action'] == 'rotate' and p['active'] == 'sig-' + NOW
    assert p['left_alone'] == [{'name': 'sig-' + young, 'why': 'no record of the role'}]
    assert 'sig-' + young not in p['retire'] + p['retained'] + p['previous'] + p['generations']
    assert [r['name'] for r in p['records']] == ['sig-' + NOW]


def test_a_generation_stamped_in_the_future_is_never_made_active_or_switched_to():
    """Issue 24 H3: <name>-20991231T235959Z, even with a record, is not adopted and blocks nothing."""
    young, future = '20261201T000000Z', '20991231T235959Z'
    impostor = gen(future, switched=BOTH)
    p = plan([gen(young, switched=BOTH), impostor], exclusive=True, keep=0)
    assert p['active'] == 'sig-' + young and p['action'] == 'none'
    assert p['switch_labels'] == [] and p['records'] == [] and p['retire'] == []
    assert p['left_alone'] == [{'name': 'sig-' + future, 'why': 'its stamp lies in the future'}]
    # The next rotation is not stopped by the future stamp.
    later = plan([gen(young, switched=BOTH), impostor], now='20270401T000000Z')
    assert later['action'] == 'rotate' and later['active'] == 'sig-20270401T000000Z'
    assert 'sig-' + future not in later['switch_labels'] + later['retained']
    warned = [w for w in rp.warnings(later, 'sig') if 'left alone' in w]
    assert warned and 'sig-%s (its stamp lies in the future)' % future in warned[0]


def test_a_record_copied_onto_another_jwk_does_not_make_it_a_generation():
    stamp, other = '20261201T000000Z', '20261202T000000Z'
    copied = {'name': 'sig-' + other, 'description': record(stamp, switched=BOTH), 'source_type': 'jwk'}
    p = plan([gen(stamp, switched=BOTH), copied])
    assert p['active'] == 'sig-' + stamp and p['left_alone'][0]['name'] == 'sig-' + other


# ---- H1: the admin project ----------------------------------------------------------------------

def test_admin_project_never_prunes_on_its_own_credential_list():
    """Issue 24 H1: credentials of other projects may use admin's JWKs; reported assignments of
    admin's list prove nothing there, so only jwk_rotation_exclusive lets the role prune."""
    jwks = [gen('20240101T000000Z'), gen('20250101T000000Z'), gen('20260101T000000Z')]
    in_demo = plan(jwks, reported=True)
    assert in_demo['retire'] == ['sig-20240101T000000Z', 'sig-20250101T000000Z']
    in_admin = plan(jwks, reported=True, project='admin')
    assert in_admin['retire'] == [] and in_admin['kept_unverified'] == ['sig-20240101T000000Z', 'sig-20250101T000000Z']
    assert 'The project is admin' in rp.warnings(in_admin, 'sig')[0]
    assert 'credentials of other projects: unknown' in rp.summary(dict(in_admin, check_mode=False))[5]
    # Not knowing the project is treated as admin (fail closed).
    assert plan(jwks, reported=True, project=None)['retire'] == []
    assert plan(jwks, reported=True, project='admin', exclusive=True)['retire'] == [
        'sig-20240101T000000Z', 'sig-20250101T000000Z']


def test_admin_project_revoke_needs_exclusive():
    jwks = [gen('20250101T000000Z'), gen('20260101T000000Z')]
    p = plan(jwks, reported=True, project='admin', revoke=True)
    assert p['errors'] and 'the project is admin' in p['errors'][0] and 'jwk_rotation_exclusive' in p['errors'][0]
    assert plan(jwks, reported=True, project='admin', revoke=True, exclusive=True)['errors'] == []


# ---- E (issue 22): generations policies pin -----------------------------------------------------

PIN = {'api_proxy': 'orders', 'endpoint': 'proxy level', 'pipeline': 'request', 'policy': 'verify-jws',
       'type': 'jose-validation', 'field': 'jwkIdForValidationAndSign'}


def test_a_generation_a_policy_pins_is_never_retired_and_is_reported():
    jwks = [gen('20240101T000000Z'), gen('20250101T000000Z'), gen('20260101T000000Z')]
    p = plan(jwks, reported=True, pinned={'sig-20240101T000000Z': [PIN]})
    assert p['retire'] == ['sig-20250101T000000Z'] and p['kept_in_use'] == ['sig-20240101T000000Z']
    assert p['pinned_by_policies'] == {'sig-20240101T000000Z': [PIN]}
    warned = [w for w in rp.warnings(p, 'sig') if w.startswith('Policies still use an old key')]
    assert warned == ['Policies still use an old key of sig: sig-20240101T000000Z by orders/verify-jws (proxy '
                      'level, request, jwkIdForValidationAndSign). A rotation that leaves a policy on an old key '
                      'has not rotated that policy: point it at sig-%s (a policy pins a JWK by its id); the '
                      'pinned generations are kept.' % NOW]
    result = rp.result(rp.for_run(p, False, RUN), {'jwks': [], 'jwk_set': {'keys': []}})
    assert result['pinned_by_policies'] == {'sig-20240101T000000Z': [PIN]}


def test_a_possible_reference_blocks_deletion_and_exclusive_does_not_override_it():
    jwks = [gen('20250101T000000Z'), gen('20260101T000000Z')]
    possible = dict(PIN, possible=True)
    pinned = {'sig-20250101T000000Z': [possible], 'sig-20260101T000000Z': [possible]}
    p = plan(jwks, exclusive=True, keep=0, pinned=pinned)
    assert p['retire'] == [] and p['kept_in_use'] == ['sig-20250101T000000Z', 'sig-20260101T000000Z']
    assert 'possibly orders/verify-jws' in rp.warnings(p, 'sig')[0]


def test_revoke_refuses_to_delete_a_pinned_generation_before_any_write():
    jwks = [gen('20250101T000000Z'), gen('20260101T000000Z')]
    p = plan(jwks, revoke=True, exclusive=True, pinned={'sig-20250101T000000Z': [PIN]})
    assert p['errors'] == ['jwk_rotation_revoke cannot delete sig-20250101T000000Z: policies pin it by its id '
                           '(orders/verify-jws (proxy level, request, jwkIdForValidationAndSign)); point them at '
                           'another key first. Nothing was changed.']


def test_pins_of_the_active_generation_are_no_news_and_unchecked_means_empty():
    p = plan([gen('20261201T000000Z', switched=BOTH)], pinned={'sig-20261201T000000Z': [PIN]})
    assert p['pinned_by_policies'] == {} and p['policies_checked'] is True
    assert plan([gen('20261201T000000Z', switched=BOTH)])['policies_checked'] is False


# ---- staged, rollback, revoke ------------------------------------------------------------------

def test_staged_flow():
    active = '20260920T110000Z'   # 75 days before NOW
    jwks = [gen(active, switched=BOTH)]
    settings = dict(stage_ahead='14d')
    assert plan(jwks, **settings)['action'] == 'none'          # 75 < 76
    older = '20260915T110000Z'    # 80 days
    jwks = [gen(older, switched=BOTH)]
    p = plan(jwks, **settings)
    assert p['action'] == 'stage' and p['active'] == 'sig-' + older and p['staged'] == 'sig-' + NOW
    assert p['pending'] == [] and p['records'] == [] and 'state: staged' in p['create']['description']
    assert p['retained'] == ['sig-' + older, 'sig-' + NOW]
    staged = [gen(older, switched=BOTH), gen('20261001T000000Z', state='staged')]
    assert plan(staged, **settings)['action'] == 'none'
    assert plan(staged, max_age='79d', **settings)['action'] == 'activate'
    p = plan(staged, force=True, **settings)
    assert p['action'] == 'activate' and p['create'] == {} and p['active'] == 'sig-20261001T000000Z'
    assert 'state: active' in p['intents'][0]['description'] and 'switched: none' in p['intents'][0]['description']
    assert p['switch_labels'] == BOTH and p['previous'] == ['sig-' + older]


def test_failed_activation_is_finished_by_the_next_run():
    # The intent was written (active, nobody switched), one switch failed: the next scheduled run
    # switches both again (documented server) and records them; nothing is created.
    older, staged = '20260915T110000Z', '20261001T000000Z'
    jwks = [gen(older, switched=BOTH), gen(staged, activated=NOW)]
    p = plan(jwks, stage_ahead='14d')
    assert p['action'] == 'none' and p['active'] == 'sig-' + staged and p['create'] == {}
    assert p['switch_labels'] == BOTH and p['intents'] == []


def test_rollback_targets_the_previous_active_generation_once():
    g0, g1 = '20260801T000000Z', '20261101T000000Z'
    jwks = [gen(g0, switched=BOTH), gen(g1, switched=BOTH)]
    p = plan(jwks, rollback=True)
    assert p['action'] == 'rollback' and p['active'] == 'sig-' + g0 and p['rolled_back'] == 'sig-' + g1
    assert [i['name'] for i in p['intents']] == ['sig-' + g1, 'sig-' + g0]
    assert 'state: rolled-back' in p['intents'][0]['description']
    assert p['switch_labels'] == BOTH and p['previous'] == ['sig-' + g1]
    done = [gen(g0, switched=BOTH), gen(g1, state='rolled-back', activated=g1, switched=BOTH)]
    again = plan(done, rollback=True)
    assert again['action'] == 'none' and again['active'] == 'sig-' + g0 and again['pending'] == []
    # A scheduled run never switches forward to the rolled-back generation.
    assert plan(done)['active'] == 'sig-' + g0
    # The schedule counts from g1's activation: due 90 days after it, and a fresh generation.
    assert plan(done, now='20270301T000000Z')['action'] == 'rotate'
    assert plan(done, now='20270301T000000Z')['active'] == 'sig-20270301T000000Z'
    assert plan(done, now='20270101T000000Z')['action'] == 'none'
    assert plan([gen(g1)], rollback=True)['errors'][0].startswith(
        'jwk_rotation_rollback: no previous generation of sig exists to roll back to')
    assert plan([], rollback=True)['errors'] == ['jwk_rotation_rollback: no generation of sig exists.']


def test_failed_rollback_is_finished_by_a_scheduled_run():
    # The intents were written (g1 rolled back, g0 active with nobody recorded), one switch failed.
    g0, g1 = '20260801T000000Z', '20261101T000000Z'
    jwks = [gen(g0), gen(g1, state='rolled-back', activated=g1, switched=BOTH)]
    p = plan(jwks)
    assert p['action'] == 'none' and p['active'] == 'sig-' + g0 and p['switch_labels'] == BOTH


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
    # On a documented server the record is what the role knows.
    recorded = plan([gen(g0, switched=['partner-app/validation']), gen(g1)], revoke=True, exclusive=True)
    assert 'partner-app/validation still use(s) it' in recorded['errors'][0]
    # A rerun while the active generation is the one a revoke created: nothing to do.
    done = [gen(NOW, origin='revoke', switched=BOTH)]
    assert plan(done, revoke=True, exclusive=True)['action'] == 'none'


def test_failed_revoke_is_finished_by_the_rerun_with_the_flag():
    # The revoke created its generation and switched api-user; mobile-app's switch failed.
    old, new = '20261101T000000Z', '20261204T100000Z'
    jwks = [gen(old, switched=BOTH), gen(new, origin='revoke')]
    p = plan(jwks, revoke=True, exclusive=True)
    assert p['action'] == 'none' and p['active'] == 'sig-' + new
    assert p['switch_labels'] == BOTH and p['revoked'] == ['sig-' + old] == p['retire']


# ---- the run: check mode, reconcile, lines, result ----------------------------------------------

def test_check_mode_shows_switches_to_a_generation_it_would_create_and_writes_no_record_of_it():
    p = rp.for_run(plan([]), True, RUN)
    assert p['pending'] == [] and p['records'] == [] and p['switching'] is False
    assert p['switch_labels'] == BOTH and p['stage'] is True and p['reconcile'] is False
    assert p['shown'] == ['would switch api-user/validation, mobile-app/validation to sig-%s, which this run '
                          'would create' % NOW]
    assert p['read_back'] == [] and p['writes'] is True
    lines = p['summary']
    assert lines[0] == 'action: would rotate (no generation of sig exists yet)'
    # Never named as if it existed.
    assert lines[1] == 'active: sig-%s (would be created by this run)' % NOW
    assert lines[3] == 'would switch: api-user/validation, mobile-app/validation'
    real = rp.for_run(plan([]), False, RUN)
    assert real['pending'] and real['records'] and real['reconcile'] and real['shown'] == []
    assert real['summary'][1] == 'active: sig-%s (created by this run)' % NOW


def test_check_mode_of_an_activation_still_runs_the_writes_in_check_mode():
    staged = [gen('20260915T110000Z', switched=BOTH), gen('20261001T000000Z', state='staged')]
    p = rp.for_run(plan(staged, force=True, stage_ahead='14d'), True, RUN)
    assert p['action'] == 'activate' and p['shown'] == [] and p['intents'] and p['pending'] and p['records']


def test_kept_because_in_use_reads_unknown_where_nobody_can_tell():
    old = ['20240101T000000Z', '20250101T000000Z', '20260101T000000Z']
    documented = rp.for_run(plan([gen(s) for s in old]), False, RUN)['summary']
    assert 'kept because in use: unknown (the server does not report which JWK a credential uses)' in documented
    recorded = rp.for_run(plan([gen('20240101T000000Z', switched=['partner-app/validation'])]
                               + [gen(s) for s in old[1:]]), False, RUN)['summary']
    assert ('kept because in use: sig-20240101T000000Z (from the role\'s record); others unknown (the server does '
            'not report which JWK a credential uses)') in recorded
    reported = rp.for_run(plan([gen(s) for s in old], reported=True), False, RUN)['summary']
    assert 'kept because in use: none' in reported


def test_kept_unverified_is_warned_once_per_run_even_after_reconcile():
    old = ['20240101T000000Z', '20250101T000000Z', '20260101T000000Z']
    first = plan([gen(s) for s in old])
    said = rp.warnings(first, 'sig')
    assert said == ['The server does not report which JWKs the credentials use, so these generations of sig '
                    'beyond jwk_rotation_keep are kept: sig-20240101T000000Z, sig-20250101T000000Z. Set '
                    'jwk_rotation_exclusive: true if only the listed credentials use them.']


def test_reconcile_converges_on_the_newest_generation_and_keeps_what_this_run_did():
    mine, theirs = '20261204T110000Z', '20261204T110001Z'
    first = plan([gen('20260801T000000Z', switched=BOTH)])
    assert first['active'] == 'sig-' + mine
    after = [gen('20260801T000000Z', switched=BOTH), gen(mine, switched=BOTH),
             gen(theirs, switched=['api-user/validation'])]
    second = plan(after, phase='reconcile', action='rotate', now='20261204T110005Z')
    assert second['active'] == 'sig-' + theirs and second['create'] == {}
    assert second['switch_labels'] == ['mobile-app/validation']
    merged = rp.for_run(rp.merge(first, second), False, RUN, phase='reconcile')
    assert merged['create'] == first['create'] and merged['reason'] == first['reason']
    assert merged['switch_labels'] == BOTH and merged['stage'] is False and merged['reconcile'] is False
    assert merged['previous'] == ['sig-' + mine]
    said = rp.warnings(merged, 'sig')
    assert any(w.startswith('Another run rotated sig at the same time: sig-%s is the newest' % theirs) for w in said)


def test_result_keys_are_the_documented_ones():
    p = rp.for_run(plan([gen('20260801T000000Z', switched=BOTH)]), False, RUN)
    read_back = {'jwks': [{'name': p['active'], 'kid': 'k', 'thumbprint': 't'}], 'jwk_set': {'keys': [{'kid': 'k'}]}}
    result = rp.result(p, read_back)
    assert sorted(result) == sorted(['rotated', 'action', 'reason', 'active', 'kid', 'thumbprint', 'staged',
                                     'rolled_back', 'previous', 'switched', 'retired', 'revoked', 'kept_in_use',
                                     'kept_unverified', 'assignments_reported', 'expirations', 'jwk_set',
                                     'pinned_by_policies'])
    assert result['rotated'] is True and result['kid'] == 'k' and result['thumbprint'] == 't'
    assert result['switched'] == BOTH and result['previous'] == ['sig-20260801T000000Z']
    revoked = rp.result(rp.for_run(plan([gen('20260801T000000Z')], revoke=True, exclusive=True), False, RUN),
                        {'jwks': []})
    assert revoked['retired'] == [] and revoked['revoked'] == ['sig-20260801T000000Z']
    assert revoked['kid'] is None and revoked['jwk_set'] == {'keys': []}


def test_source_local_names_the_key_files_of_retired_generations():
    local = dict(RUN, source='local', private_key_path='/keys/signing.jwk')
    p = rp.for_run(plan([gen('20250101T000000Z'), gen('20260101T000000Z')], exclusive=True), False, local,
                   key_file={'status': 'put', 'path': '/keys/signing.jwk'})
    assert p['retire_files'] == ['/keys/signing.jwk.sig-20250101T000000Z'] and p['key_file_due'] is True
    # The new generation's record is written with its own public key (imported), the others' read.
    assert p['records'][0]['new'] is True and p['records'][0]['imported'] is True and p['imported'] == []


def test_a_recovery_run_with_nothing_else_to_do_still_brings_the_key_file_to_the_active_generation():
    """Issue 24 H2: action none, but the signer's file is not on the active generation."""
    young = '20261201T000000Z'
    local = dict(RUN, source='local', private_key_path='/keys/signing.jwk')
    p = plan([gen(young, switched=BOTH)])
    assert p['action'] == 'none'
    behind = rp.for_run(p, False, local, key_file={'status': 'put', 'path': '/keys/signing.jwk'})
    assert behind['writes'] is True and behind['key_file_due'] is True
    assert behind['summary'][-1] == 'key file: put the private key of sig-%s at /keys/signing.jwk' % young
    holding = rp.for_run(p, False, local, key_file={'status': 'holding', 'path': '/keys/signing.jwk'})
    assert holding['writes'] is False and holding['key_file_due'] is False
