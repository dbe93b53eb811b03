# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The jwk_rotation role: real ansible-playbook runs against the emulator.

Every claim about writes is checked in the emulator's request log (what went over the wire)
and every claim about assignments in the emulator's state. Every flow runs against both
servers: the documented one (credential lists carry no assignment, ``hide_assignments=True``)
and one that reports assignments (``hide_assignments=False``), set explicitly by the ``mode``
fixture. Time passes by back-dating the generations (``travel``), never by a role option.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import datetime
import hashlib
import json
import os
import re
import stat

import pytest

pytestmark = pytest.mark.slow

NAME = 'sig'
PROJECT = '/apiops/projects/demo'
PRIVATE_MEMBERS = {'d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'}
WRITE_METHODS = ('POST', 'PUT', 'DELETE')
OLDEST, IN_USE_ELSEWHERE, PREVIOUS = 'sig-20240601T000000Z', 'sig-20240901T000000Z', 'sig-20250101T000000Z'
DEFAULT_CREDENTIALS = [{'username': 'api-user'}, {'username': 'mobile-app', 'purpose': 'validation'}]
BOTH = ['api-user/validation', 'mobile-app/validation']
MODES = {'documented': True, 'reported': False}   # mode -> hide_assignments
STAMP, ISO = '%Y%m%dT%H%M%SZ', '%Y-%m-%dT%H:%M:%SZ'
MARK = 'managed by apinizer.apiops.jwk_rotation'


def generation(name, description=None):
    return {'name': name, 'sourceType': 'GENERATE', 'description': description,
            'generate': {'type': 'EC', 'kid': name, 'ec': {'curveType': 'P256', 'algorithm': 'ES256'}}}


def credential(username, validation=None):
    return {'username': username, 'password': username + '-password', 'description': username,
            'roleNameList': ['API_USER'], 'validationJwkName': validation}


# Three old generations: the newest is used by the listed credentials, the middle one by
# partner-app (not listed), the oldest by nobody. The newest is far older than 90 days.
AGED = {'projects': {'demo': {
    'jwks': [generation(OLDEST), generation(IN_USE_ELSEWHERE), generation(PREVIOUS)],
    'credentials': [credential('api-user', PREVIOUS), credential('mobile-app', PREVIOUS),
                    credential('partner-app', IN_USE_ELSEWHERE)],
}}}


def utc_name(delta):
    stamp = datetime.datetime.now(datetime.timezone.utc) - delta
    return '%s-%s' % (NAME, stamp.strftime(STAMP))


def play(**role_vars):
    role_vars.setdefault('jwk_rotation_name', NAME)
    role_vars.setdefault('jwk_rotation_credentials', DEFAULT_CREDENTIALS)
    return '\n'.join([
        '- hosts: localhost',
        '  gather_facts: false',
        '  roles:',
        '    - role: apinizer.apiops.jwk_rotation',
        '      vars: %s' % json.dumps(role_vars),
        '',
    ])


def result_of(run):
    """jwk_rotation_result as set by the role."""
    for entry in reversed(run.results):
        facts = (entry.get('result') or {}).get('ansible_facts') or {}
        if 'jwk_rotation_result' in facts:
            return facts['jwk_rotation_result']
    raise AssertionError('jwk_rotation_result was never set:\n%s' % run.describe())


def api(emu):
    return [(r['method'], r['path']) for r in emu.requests()]


def writes(emu):
    return [r for r in api(emu) if r[0] in WRITE_METHODS]


def credential_puts(emu):
    """'username/purpose -> jwk' for every assignment PUT, in order."""
    out = []
    for method, path in writes(emu):
        m = re.match(r'^%s/credentials/([^/]+)/jwk/(validation|encryption)/([^/]+)/$' % PROJECT, path)
        if method == 'PUT' and m:
            out.append('%s/%s -> %s' % m.groups())
    return out


def record_puts(emu):
    """Names of the JWKs whose description (the role's record) was written."""
    return [path.split('/')[-2] for method, path in writes(emu)
            if method == 'PUT' and path.startswith(PROJECT + '/jwks/')]


def creations(emu):
    return [r['body']['name'] for r in emu.requests() if r['method'] == 'POST' and '/jwks/' in r['path']]


def deletions(emu):
    return [path.split('/')[-2] for method, path in writes(emu) if method == 'DELETE']


def jwk_names(emu):
    return sorted(emu.state()['projects']['demo']['jwks'])


def generations(emu):
    return [n for n in jwk_names(emu) if n.startswith(NAME + '-')]


def description(emu, name):
    return emu.state()['projects']['demo']['jwks'][name]['description']


def assigned(emu, username, purpose='validation'):
    return emu.state()['projects']['demo']['credentials'][username].get('%sJwkName' % purpose)


def kid_of(emu, name):
    return emu.state()['projects']['demo']['jwks'][name]['jwk'].get('kid')


def private_members_in(jwk_set):
    return [m for key in jwk_set['keys'] for m in key if m in PRIVATE_MEMBERS]


def travel(emu, days, key_path=None):
    """Let ``days`` pass: back-date every generation of NAME (its name and the stamps of its
    record; its kid stays), the assignments that name it and, with ``key_path``, its private key
    file. The emulator is reset and re-seeded with the result; its assignment mode is kept."""
    delta = datetime.timedelta(days=days)

    def back(text):
        text = re.sub(r'\d{8}T\d{6}Z', lambda m: (datetime.datetime.strptime(m.group(0), STAMP) - delta).strftime(STAMP), text)
        return re.sub(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ',
                      lambda m: (datetime.datetime.strptime(m.group(0), ISO) - delta).strftime(ISO), text)

    state = emu.state()
    proj = state['projects']['demo']
    jwks = []
    for rec in proj['jwks'].values():
        if rec['name'].startswith(NAME + '-'):
            name = back(rec['name'])
            if key_path and os.path.exists('%s.%s' % (key_path, rec['name'])):
                os.rename('%s.%s' % (key_path, rec['name']), '%s.%s' % (key_path, name))
            jwks.append({'name': name, 'description': back(rec['description'] or '') or None,
                         'sourceType': rec['sourceType'], 'jwk': rec['jwk']})
        else:
            jwks.append({'name': rec['name'], 'description': rec['description'], 'sourceType': rec['sourceType'],
                         'jwk': rec['jwk']})
    creds = []
    for cred in proj['credentials'].values():
        cred = dict(cred)
        for field in ('validationJwkName', 'encryptionJwkName'):
            if (cred.get(field) or '').startswith(NAME + '-'):
                cred[field] = back(cred[field])
        creds.append(cred)
    emu.reset()
    emu.seed({'projects': {'demo': {'jwks': jwks, 'credentials': creds}}})
    emu.configure(hide_assignments=state['config']['hide_assignments'])


@pytest.fixture(params=sorted(MODES))
def mode(request, emulator):
    """Both servers, explicitly: 'documented' hides assignments, 'reported' shows them."""
    emulator.configure(hide_assignments=MODES[request.param])
    return request.param


@pytest.fixture
def aged(emulator, mode):
    emulator.seed(AGED)
    emulator.configure(hide_assignments=MODES[mode])
    emulator.clear_requests()
    return emulator


def rerun_is_a_no_op(emu, run_playbook, playbook, check_calls=None):
    emu.clear_requests()
    again = run_playbook(playbook)
    assert again.changed_tasks == [] and writes(emu) == [], again.describe()
    return again


# ---- scheduled rotation (issue 12 items 3 and 4) ------------------------------------------------

def test_first_rotation_puts_each_credential_once_then_rerun_only_reads(emulator, mode, run_playbook, tmp_path):
    jwks_path = tmp_path / 'jwks.json'
    first = run_playbook(play(jwk_rotation_jwks_path=str(jwks_path)))
    result = result_of(first)
    assert result['rotated'] is True and result['action'] == 'rotate'
    active = result['active']
    assert generations(emulator) == [active]
    assert assigned(emulator, 'api-user') == active and assigned(emulator, 'mobile-app') == active
    # Writes: one creation, one PUT per listed credential, one record.
    assert creations(emulator) == [active]
    assert credential_puts(emulator) == ['api-user/validation -> %s' % active, 'mobile-app/validation -> %s' % active]
    assert record_puts(emulator) == [active]
    assert len(writes(emulator)) == 4
    assert result['switched'] == BOTH
    assert result['retired'] == [] and result['previous'] == [] and result['kept_unverified'] == []
    assert result['assignments_reported'] is (mode == 'reported')
    assert result['kid'] == active and result['thumbprint']
    assert [k['kid'] for k in result['jwk_set']['keys']] == [active]
    assert private_members_in(result['jwk_set']) == []
    assert json.loads(jwks_path.read_text()) == result['jwk_set']
    # The record: readable, and it names the switched credentials.
    assert description(emulator, active) == (
        '%s generation %s, %s | state: active | activated: %s | expires: %s | origin: rotation | '
        'switched: api-user/validation, mobile-app/validation'
        % (NAME, active[-16:], MARK, active[-16:], result['expirations'][active]))
    stats = first.task('apinizer.apiops.jwk_rotation : Pass jwk_rotation_result to AWX workflows')['result']['ansible_stats']
    assert stats['data']['jwk_rotation_result'] == result
    reads = [r for r in api(emulator) if r[0] == 'GET']
    assert reads[:2] == [('GET', PROJECT + '/jwks/'), ('GET', PROJECT + '/credentials/')]

    second = rerun_is_a_no_op(emulator, run_playbook, play(jwk_rotation_jwks_path=str(jwks_path)))
    assert result_of(second)['rotated'] is False and result_of(second)['active'] == active
    assert result_of(second)['switched'] == []
    # Two lists, then the public key of the one retained generation for the JWKS.
    assert api(emulator) == [('GET', PROJECT + '/jwks/'), ('GET', PROJECT + '/credentials/'),
                             ('GET', PROJECT + '/jwks/%s/' % active)]


def test_generation_expiration_covers_its_life_and_is_reported(emulator, mode, run_playbook):
    run = run_playbook(play(jwk_rotation_max_age='40d', jwk_rotation_keep=2, jwk_rotation_stage_ahead='8d'))
    result = result_of(run)
    body = [r['body'] for r in emulator.requests() if r['method'] == 'POST'][0]
    params = body['ec']
    not_before = datetime.datetime.strptime(params['notBeforeTime'], ISO)
    expiration = datetime.datetime.strptime(params['expirationTime'], ISO)
    # staged ahead 8d + active 40d + kept for 2 more rotations 80d + a quarter of max_age 10d.
    assert expiration - not_before == datetime.timedelta(days=8 + 40 + 80 + 10)
    assert result['expirations'] == {result['active']: params['expirationTime']}
    assert 'expires within' not in run.stdout


def test_active_generation_expiring_within_a_quarter_of_max_age_warns(emulator, mode, run_playbook):
    young = utc_name(datetime.timedelta(days=1))
    soon = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=5)).strftime(ISO)
    record = '%s generation %s, %s | state: active | activated: %s | expires: %s | origin: rotation | switched: %s' % (
        NAME, young[-16:], MARK, young[-16:], soon, ', '.join(BOTH))
    emulator.seed({'projects': {'demo': {'jwks': [generation(young, record)],
                                         'credentials': [credential('api-user', young), credential('mobile-app', young)]}}})
    emulator.configure(hide_assignments=MODES[mode])
    emulator.clear_requests()
    run = run_playbook(play())
    assert result_of(run)['expirations'] == {young: soon}
    assert run.output.count('%s, used by the listed credentials, expires at %s' % (young, soon)) == 1
    assert writes(emulator) == []


def test_aged_key_rotates_and_prunes_only_what_it_can_verify(aged, mode, run_playbook):
    run = run_playbook(play())
    result = result_of(run)
    assert result['rotated'] is True and 'older than 90d' in result['reason']
    active = result['active']
    assert result['previous'] == [PREVIOUS]
    assert credential_puts(aged) == ['api-user/validation -> %s' % active, 'mobile-app/validation -> %s' % active]
    assert assigned(aged, 'partner-app') == IN_USE_ELSEWHERE
    if mode == 'reported':
        # partner-app is not in jwk_rotation_credentials but still uses this generation.
        assert result['retired'] == [OLDEST] and result['kept_in_use'] == [IN_USE_ELSEWHERE]
        assert result['kept_unverified'] == []
        assert deletions(aged) == [OLDEST]
        assert [k['kid'] for k in result['jwk_set']['keys']] == [active, PREVIOUS, IN_USE_ELSEWHERE]
    else:
        # Nobody can tell which JWK partner-app uses: nothing is deleted, and the run says so once.
        assert result['retired'] == [] and result['kept_in_use'] == []
        assert result['kept_unverified'] == [OLDEST, IN_USE_ELSEWHERE]
        assert deletions(aged) == []
        assert run.output.count('beyond jwk_rotation_keep are kept: %s, %s' % (OLDEST, IN_USE_ELSEWHERE)) == 1
        assert [k['kid'] for k in result['jwk_set']['keys']] == [active, PREVIOUS, OLDEST, IN_USE_ELSEWHERE]
    rerun_is_a_no_op(aged, run_playbook, play())


def test_exclusive_prunes_on_a_documented_server_but_never_a_recorded_generation(emulator, run_playbook):
    emulator.configure(hide_assignments=True)
    listed = DEFAULT_CREDENTIALS + [{'username': 'partner-app'}]
    g0 = result_of(run_playbook(play(jwk_rotation_credentials=listed)))['active']
    travel(emulator, 100)
    g0 = generations(emulator)[0]
    # partner-app leaves the list: the record still says it is on g0.
    g1 = result_of(run_playbook(play(jwk_rotation_exclusive=True, jwk_rotation_keep=0)))
    assert g1['kept_in_use'] == [g0] and g1['retired'] == [] and g1['kept_unverified'] == []
    assert g0 in generations(emulator)
    travel(emulator, 100)
    g0, g1 = generations(emulator)
    emulator.clear_requests()
    # Back in the list, partner-app moves to the new generation; both old ones go.
    g2 = result_of(run_playbook(play(jwk_rotation_credentials=listed, jwk_rotation_exclusive=True,
                                     jwk_rotation_keep=0)))
    assert g2['retired'] == [g0, g1] and deletions(emulator) == [g0, g1]
    assert generations(emulator) == [g2['active']]
    assert len(credential_puts(emulator)) == 3


def test_exclusive_keeps_keep_and_never_the_active_generation(aged, mode, run_playbook):
    run = run_playbook(play(jwk_rotation_exclusive=True))
    result = result_of(run)
    assert result['previous'] == [PREVIOUS]
    if mode == 'reported':
        assert result['retired'] == [OLDEST] and result['kept_in_use'] == [IN_USE_ELSEWHERE]
    else:
        # The user said only the listed credentials use these generations.
        assert result['retired'] == [OLDEST, IN_USE_ELSEWHERE]
    assert deletions(aged) == result['retired']
    assert result['active'] in generations(aged) and PREVIOUS in generations(aged)
    rerun_is_a_no_op(aged, run_playbook, play(jwk_rotation_exclusive=True))


def test_credential_added_later_is_switched_alone(emulator, mode, run_playbook):
    active = result_of(run_playbook(play(jwk_rotation_credentials=[{'username': 'api-user'}])))['active']
    emulator.clear_requests()
    run = run_playbook(play())
    result = result_of(run)
    assert result['rotated'] is False and result['switched'] == ['mobile-app/validation']
    assert credential_puts(emulator) == ['mobile-app/validation -> %s' % active]
    assert record_puts(emulator) == [active] and len(writes(emulator)) == 2
    assert assigned(emulator, 'mobile-app') == active and assigned(emulator, 'api-user') == active
    rerun_is_a_no_op(emulator, run_playbook, play())


def test_forced_rotation_retires_generations_beyond_keep(emulator, run_playbook):
    # Reported assignments only: keep=0 converging without a rotation needs them.
    emulator.configure(hide_assignments=False)
    young, older = utc_name(datetime.timedelta(hours=1)), utc_name(datetime.timedelta(hours=3))
    emulator.seed({'projects': {'demo': {
        'jwks': [generation(older), generation(young)],
        'credentials': [credential('api-user', young), credential('mobile-app', young)]}}})
    emulator.clear_requests()

    unforced = run_playbook(play(jwk_rotation_keep=0))
    assert result_of(unforced)['rotated'] is False
    assert result_of(unforced)['retired'] == [older]
    assert generations(emulator) == [young]

    forced = run_playbook(play(jwk_rotation_keep=0, jwk_rotation_force=True))
    result = result_of(forced)
    assert result['rotated'] is True and result['reason'].startswith('forced')
    assert result['retired'] == [young] and result['previous'] == []
    assert generations(emulator) == [result['active']]
    assert assigned(emulator, 'api-user') == result['active']


def test_check_mode_plans_the_rotation_and_writes_nothing(aged, mode, run_playbook, tmp_path):
    before = aged.state()['projects']['demo']
    jwks_path = tmp_path / 'jwks.json'
    run = run_playbook(play(jwk_rotation_jwks_path=str(jwks_path)), check=True)
    result = result_of(run)
    assert result['rotated'] is True
    assert result['retired'] == ([OLDEST] if mode == 'reported' else [])
    assert result['switched'] == BOTH
    assert writes(aged) == []
    assert aged.state()['projects']['demo'] == before
    assert 'would switch api-user/validation' in run.stdout
    assert not jwks_path.exists()


def test_check_mode_set_on_the_include_plans_like_check(aged, mode, run_playbook):
    # check_mode from include_role's apply (no --check): ansible_check_mode stays false, yet the
    # role must plan as in check mode instead of switching credentials to a key it did not create.
    before = aged.state()['projects']['demo']
    role_vars = {'jwk_rotation_name': NAME, 'jwk_rotation_credentials': DEFAULT_CREDENTIALS}
    run = run_playbook('\n'.join([
        '- hosts: localhost',
        '  gather_facts: false',
        '  tasks:',
        '    - name: rotate in check mode',
        '      ansible.builtin.include_role:',
        '        name: apinizer.apiops.jwk_rotation',
        '        apply:',
        '          check_mode: true',
        '      vars: %s' % json.dumps(role_vars),
        '',
    ]))
    result = result_of(run)
    assert result['rotated'] is True and result['switched'] == BOTH
    assert result['retired'] == ([OLDEST] if mode == 'reported' else [])
    assert writes(aged) == []
    assert aged.state()['projects']['demo'] == before
    assert 'would switch api-user/validation' in run.stdout


# ---- failures ------------------------------------------------------------------------------------

def test_failed_switch_leaves_every_credential_on_a_key_and_next_run_converges(aged, mode, run_playbook):
    # A non-transient failure on mobile-app's assignment (not retried by the client).
    aged.add_fault(method='PUT', path='/credentials/mobile-app/jwk/validation/', status=500, count=1)
    failed = run_playbook(play(), expect_failure=True)
    assert deletions(aged) == []
    new = [n for n in generations(aged) if n not in (OLDEST, IN_USE_ELSEWHERE, PREVIOUS)]
    assert len(new) == 1, failed.describe()
    for user in ('api-user', 'mobile-app', 'partner-app'):
        assert assigned(aged, user) in jwk_names(aged)
    assert assigned(aged, 'mobile-app') == PREVIOUS and assigned(aged, 'api-user') == new[0]

    aged.clear_requests()
    result = result_of(run_playbook(play()))
    assert result['rotated'] is False and result['active'] == new[0]
    if mode == 'reported':
        assert result['switched'] == ['mobile-app/validation'] and result['retired'] == [OLDEST]
        assert credential_puts(aged) == ['mobile-app/validation -> %s' % new[0]]
    else:
        # The record says nobody is on the new generation yet: both are switched (once each).
        assert result['switched'] == BOTH and result['retired'] == []
        assert len(credential_puts(aged)) == 2
    assert record_puts(aged) == [new[0]]
    assert assigned(aged, 'mobile-app') == new[0]
    rerun_is_a_no_op(aged, run_playbook, play())


def test_failed_record_write_fails_the_run_and_next_run_converges(emulator, mode, run_playbook):
    emulator.add_fault(method='PUT', path='/jwks/sig-', status=500, count=1)
    run_playbook(play(), expect_failure=True)
    active = generations(emulator)[0]
    assert assigned(emulator, 'api-user') == active and assigned(emulator, 'mobile-app') == active
    emulator.clear_requests()
    result = result_of(run_playbook(play()))
    assert result['active'] == active
    if mode == 'reported':
        # The server says both are on it: nothing to switch, nothing to record.
        assert writes(emulator) == []
    else:
        # The record says nobody is on it yet: both are switched again (once each), then recorded.
        assert len(credential_puts(emulator)) == 2 and record_puts(emulator) == [active]
    rerun_is_a_no_op(emulator, run_playbook, play())


def test_failed_credential_list_read_fails_before_any_write(aged, mode, run_playbook):
    aged.add_fault(method='GET', path='/credentials/$', status=500, count=10)
    run = run_playbook(play(jwk_rotation_exclusive=True, jwk_rotation_apinizer_retries=0), expect_failure=True)
    assert writes(aged) == []
    assert 'credentials' in run.output


def test_local_source_keeps_a_private_key_per_generation(emulator, mode, run_playbook, tmp_path):
    (tmp_path / 'keys').mkdir()
    key_path = str(tmp_path / 'keys' / 'signing.jwk.json')
    local = dict(jwk_rotation_source='local', jwk_rotation_private_key_path=key_path)
    run = run_playbook(play(**local))
    g0 = result_of(run)['active']
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(key_path + '.' + g0).st_mode) == 0o600
    private = json.loads(open(key_path).read())
    assert private == json.loads(open(key_path + '.' + g0).read())
    assert private['kid'] == g0 and private['kty'] == 'EC' and 'd' in private
    posts = [r for r in emulator.requests() if r['method'] == 'POST']
    assert [r['path'] for r in posts] == [PROJECT + '/jwks/']
    sent = json.loads(posts[0]['body']['jwkStr'])
    assert not PRIVATE_MEMBERS & set(sent) and (sent['x'], sent['y']) == (private['x'], private['y'])
    assert 'd' not in emulator.state()['projects']['demo']['jwks'][g0]['jwk']
    assert private_members_in(result_of(run)['jwk_set']) == [] and private['d'] not in run.output
    rerun_is_a_no_op(emulator, run_playbook, play(**local))

    travel(emulator, 100, key_path)
    g0 = generations(emulator)[0]
    g1 = result_of(run_playbook(play(**local)))['active']
    assert json.loads(open(key_path).read())['kid'] == g1
    assert sorted(os.listdir(str(tmp_path / 'keys'))) == sorted(['signing.jwk.json', 'signing.jwk.json.' + g0,
                                                        'signing.jwk.json.' + g1])
    # Rollback: the previous private key is put back at the path.
    emulator.clear_requests()
    back = result_of(run_playbook(play(jwk_rotation_rollback=True, **local)))
    assert back['active'] == g0 and back['rolled_back'] == g1
    assert open(key_path).read() == open(key_path + '.' + g0).read()
    rerun_is_a_no_op(emulator, run_playbook, play(jwk_rotation_rollback=True, **local))


def test_local_source_prunes_private_keys_with_their_generations(emulator, run_playbook, tmp_path):
    emulator.configure(hide_assignments=False)
    key_path = str(tmp_path / 'signing.pem')
    local = dict(jwk_rotation_source='local', jwk_rotation_private_key_path=key_path,
                 jwk_rotation_private_key_format='pem', jwk_rotation_keep=0)
    run_playbook(play(**local))
    travel(emulator, 100, key_path)
    old = generations(emulator)[0]
    assert os.path.exists(key_path + '.' + old)
    result = result_of(run_playbook(play(**local)))
    assert result['retired'] == [old] and not os.path.exists(key_path + '.' + old)
    assert os.path.exists(key_path + '.' + result['active'])
    assert open(key_path).read() == open(key_path + '.' + result['active']).read()


def test_local_source_in_check_mode_writes_no_file_and_no_request(emulator, mode, run_playbook, tmp_path):
    (tmp_path / 'keys').mkdir()
    key_path = tmp_path / 'keys' / 'signing.pem'
    run = run_playbook(play(jwk_rotation_source='local', jwk_rotation_private_key_path=str(key_path),
                            jwk_rotation_private_key_format='pem', jwk_rotation_key_type='RSA'), check=True)
    assert result_of(run)['rotated'] is True
    assert os.listdir(str(tmp_path / 'keys')) == []
    assert writes(emulator) == []


# ---- staged rotation (issue 14 item 1) -----------------------------------------------------------

STAGED = dict(jwk_rotation_max_age='90d', jwk_rotation_stage_ahead='14d')


def test_staged_rotation_timeline(emulator, mode, run_playbook, tmp_path):
    jwks_path = tmp_path / 'jwks.json'
    staged_play = play(jwk_rotation_jwks_path=str(jwks_path), **STAGED)
    # Day 0: the first generation is created and switched to at once.
    day0 = result_of(run_playbook(staged_play))
    assert day0['action'] == 'rotate' and day0['staged'] is None
    rerun_is_a_no_op(emulator, run_playbook, staged_play)

    # Day 77 (max_age - stage_ahead = 76): the next generation is created and published only.
    travel(emulator, 77)
    g0 = generations(emulator)[0]
    emulator.clear_requests()
    day77 = result_of(run_playbook(staged_play))
    g1 = day77['staged']
    assert day77['action'] == 'stage' and day77['rotated'] is False and day77['active'] == g0
    assert creations(emulator) == [g1] and credential_puts(emulator) == [] and record_puts(emulator) == []
    assert len(writes(emulator)) == 1
    assert [k['kid'] for k in json.loads(jwks_path.read_text())['keys']] == [kid_of(emulator, g0), g1]
    assert assigned(emulator, 'api-user') == g0
    assert 'state: staged' in description(emulator, g1)
    rerun_is_a_no_op(emulator, run_playbook, staged_play)

    # Day 85: in between, nothing changes.
    travel(emulator, 8)
    rerun_is_a_no_op(emulator, run_playbook, staged_play)

    # Day 91: the listed credentials move to the staged generation; nothing new is created.
    travel(emulator, 6)
    g0, g1 = generations(emulator)
    emulator.clear_requests()
    day91 = result_of(run_playbook(staged_play))
    assert day91['action'] == 'activate' and day91['rotated'] is True
    assert day91['active'] == g1 and day91['previous'] == [g0] and day91['staged'] is None
    assert creations(emulator) == []
    assert credential_puts(emulator) == ['api-user/validation -> %s' % g1, 'mobile-app/validation -> %s' % g1]
    # The record twice: "active, nobody switched yet" before the switches, the switches after.
    assert record_puts(emulator) == [g1, g1] and len(writes(emulator)) == 4
    assert 'state: active' in description(emulator, g1) and 'switched: %s' % ', '.join(BOTH) in description(emulator, g1)
    rerun_is_a_no_op(emulator, run_playbook, staged_play)


def test_stage_ahead_not_shorter_than_max_age_fails_before_any_request(emulator, run_playbook):
    run = run_playbook(play(jwk_rotation_max_age='30d', jwk_rotation_stage_ahead='30d'), expect_failure=True)
    assert 'jwk_rotation_stage_ahead (30d) must be shorter than jwk_rotation_max_age (30d)' in run.output
    run = run_playbook(play(jwk_rotation_stage_ahead='2w'), expect_failure=True)
    assert 'jwk_rotation_stage_ahead must be a whole number followed by d, h or m' in run.output
    assert emulator.requests() == []


def test_check_mode_of_a_staged_activation_writes_nothing(emulator, mode, run_playbook):
    run_playbook(play(**STAGED))
    travel(emulator, 80)
    run_playbook(play(**STAGED))
    travel(emulator, 11)
    emulator.clear_requests()
    run = run_playbook(play(**STAGED), check=True)
    assert result_of(run)['action'] == 'activate' and writes(emulator) == []
    assert result_of(run)['switched'] == BOTH


def test_failed_activation_next_run_converges(emulator, mode, run_playbook):
    run_playbook(play(**STAGED))
    travel(emulator, 80)
    run_playbook(play(**STAGED))
    travel(emulator, 11)
    g0, g1 = generations(emulator)
    emulator.add_fault(method='PUT', path='/credentials/mobile-app/jwk/validation/', status=500, count=1)
    run_playbook(play(**STAGED), expect_failure=True)
    assert assigned(emulator, 'api-user') == g1 and assigned(emulator, 'mobile-app') == g0
    assert generations(emulator) == [g0, g1]
    emulator.clear_requests()
    result = result_of(run_playbook(play(**STAGED)))
    assert result['active'] == g1 and assigned(emulator, 'mobile-app') == g1
    assert creations(emulator) == [] and deletions(emulator) == []
    rerun_is_a_no_op(emulator, run_playbook, play(**STAGED))


# ---- rollback (issue 14 item 2) ------------------------------------------------------------------

def test_rollback_switches_back_records_it_and_the_next_rotation_is_fresh(emulator, mode, run_playbook):
    run_playbook(play())
    travel(emulator, 100)
    g1 = result_of(run_playbook(play()))['active']
    g0 = generations(emulator)[0]
    emulator.clear_requests()
    rolled = run_playbook(play(jwk_rotation_rollback=True))
    result = result_of(rolled)
    assert result['action'] == 'rollback' and result['active'] == g0 and result['rolled_back'] == g1
    assert credential_puts(emulator) == ['api-user/validation -> %s' % g0, 'mobile-app/validation -> %s' % g0]
    # Before the switches: g1 rolled back, g0 active with nobody recorded; after: g0's switches.
    assert record_puts(emulator) == [g1, g0, g0] and creations(emulator) == [] and deletions(emulator) == []
    assert 'state: rolled-back' in description(emulator, g1)
    assert assigned(emulator, 'api-user') == g0 and assigned(emulator, 'mobile-app') == g0
    assert result['previous'] == [g1]
    rerun_is_a_no_op(emulator, run_playbook, play(jwk_rotation_rollback=True))
    # Scheduled runs never switch forward to the rolled-back generation.
    again = rerun_is_a_no_op(emulator, run_playbook, play())
    assert result_of(again)['active'] == g0
    # The next rotation is due when g1's would have been, and creates a fresh generation.
    travel(emulator, 91)
    g0, g1 = generations(emulator)
    emulator.clear_requests()
    fresh = result_of(run_playbook(play()))
    assert fresh['action'] == 'rotate' and fresh['active'] not in (g0, g1)
    assert creations(emulator) == [fresh['active']]
    rerun_is_a_no_op(emulator, run_playbook, play())


def test_rollback_without_a_previous_generation_fails_and_writes_nothing(emulator, mode, run_playbook):
    run_playbook(play())
    emulator.clear_requests()
    run = run_playbook(play(jwk_rotation_rollback=True), expect_failure=True)
    assert 'no previous generation of sig exists to roll back to' in run.output
    assert writes(emulator) == []


def test_rollback_in_check_mode_writes_nothing(emulator, mode, run_playbook):
    run_playbook(play())
    travel(emulator, 100)
    run_playbook(play())
    emulator.clear_requests()
    run = run_playbook(play(jwk_rotation_rollback=True), check=True)
    assert result_of(run)['action'] == 'rollback' and writes(emulator) == []


def test_failed_rollback_next_run_converges(emulator, mode, run_playbook):
    run_playbook(play())
    travel(emulator, 100)
    g1 = result_of(run_playbook(play()))['active']
    g0 = generations(emulator)[0]
    emulator.add_fault(method='PUT', path='/credentials/mobile-app/jwk/validation/', status=500, count=1)
    run_playbook(play(jwk_rotation_rollback=True), expect_failure=True)
    assert assigned(emulator, 'api-user') == g0 and assigned(emulator, 'mobile-app') == g1
    # A scheduled run (without the rollback flag) finishes the rollback: the record says so.
    emulator.clear_requests()
    result = result_of(run_playbook(play()))
    assert result['active'] == g0 and assigned(emulator, 'mobile-app') == g0
    rerun_is_a_no_op(emulator, run_playbook, play())


def test_rollback_with_source_local_needs_the_previous_private_key(emulator, mode, run_playbook, tmp_path):
    key_path = str(tmp_path / 'signing.jwk.json')
    local = dict(jwk_rotation_source='local', jwk_rotation_private_key_path=key_path)
    run_playbook(play(**local))
    travel(emulator, 100, key_path)
    run_playbook(play(**local))
    g0 = generations(emulator)[0]
    os.remove(key_path + '.' + g0)
    emulator.clear_requests()
    run = run_playbook(play(jwk_rotation_rollback=True, **local), expect_failure=True)
    assert 'The private key of %s is not at %s.%s' % (g0, key_path, g0) in run.output
    assert writes(emulator) == []


# ---- revoke (issue 14 item 3) --------------------------------------------------------------------

def test_revoke_rotates_switches_and_deletes_every_previous_generation(emulator, mode, run_playbook, tmp_path):
    jwks_path = tmp_path / 'jwks.json'
    revoke = dict(jwk_rotation_revoke=True, jwk_rotation_keep=3, jwk_rotation_jwks_path=str(jwks_path))
    if mode == 'documented':
        revoke['jwk_rotation_exclusive'] = True
    run_playbook(play())
    travel(emulator, 100)
    run_playbook(play())
    g0, g1 = generations(emulator)
    emulator.clear_requests()
    result = result_of(run_playbook(play(**revoke)))
    new = result['active']
    assert result['action'] == 'revoke' and result['rotated'] is True
    assert result['revoked'] == [g0, g1] and result['previous'] == [] and result['retired'] == []
    assert creations(emulator) == [new] and deletions(emulator) == [g0, g1]
    assert credential_puts(emulator) == ['api-user/validation -> %s' % new, 'mobile-app/validation -> %s' % new]
    assert generations(emulator) == [new]
    assert [k['kid'] for k in result['jwk_set']['keys']] == [new]
    assert json.loads(jwks_path.read_text()) == result['jwk_set']
    rerun_is_a_no_op(emulator, run_playbook, play(**revoke))


def test_revoke_never_deletes_a_generation_an_unlisted_credential_uses(aged, run_playbook, mode):
    revoke = dict(jwk_rotation_revoke=True, jwk_rotation_exclusive=(mode == 'documented'))
    if mode == 'documented':
        # The record is all the role knows: partner-app was switched to this generation by it.
        aged.seed({'projects': {'demo': {'jwks': [generation(IN_USE_ELSEWHERE, (
            '%s generation %s, %s | state: active | activated: %s | switched: partner-app/validation'
            % (NAME, IN_USE_ELSEWHERE[-16:], MARK, IN_USE_ELSEWHERE[-16:])))]}}})
        aged.clear_requests()
    run = run_playbook(play(**revoke), expect_failure=True)
    assert 'jwk_rotation_revoke cannot delete %s: partner-app/validation still use(s) it' % IN_USE_ELSEWHERE in run.output
    assert writes(aged) == []


def test_revoke_on_a_documented_server_needs_exclusive(emulator, run_playbook):
    emulator.configure(hide_assignments=True)
    run_playbook(play())
    travel(emulator, 100)
    run_playbook(play())
    emulator.clear_requests()
    run = run_playbook(play(jwk_rotation_revoke=True), expect_failure=True)
    assert 'Set jwk_rotation_exclusive: true' in run.output and writes(emulator) == []


def test_revoke_in_check_mode_writes_nothing(emulator, mode, run_playbook):
    run_playbook(play())
    emulator.clear_requests()
    run = run_playbook(play(jwk_rotation_revoke=True, jwk_rotation_exclusive=True), check=True)
    result = result_of(run)
    assert result['action'] == 'revoke' and writes(emulator) == []
    assert result['revoked'] == generations(emulator)


def test_failed_revoke_deletes_nothing_and_next_run_converges(emulator, mode, run_playbook):
    revoke = dict(jwk_rotation_revoke=True, jwk_rotation_exclusive=True)
    run_playbook(play())
    old = generations(emulator)[0]
    emulator.add_fault(method='PUT', path='/credentials/mobile-app/jwk/validation/', status=500, count=1)
    run_playbook(play(**revoke), expect_failure=True)
    assert old in generations(emulator) and assigned(emulator, 'mobile-app') == old
    emulator.clear_requests()
    result = result_of(run_playbook(play(**revoke)))
    assert result['revoked'] == [old] and generations(emulator) == [result['active']]
    assert assigned(emulator, 'mobile-app') == result['active']
    rerun_is_a_no_op(emulator, run_playbook, play(**revoke))


# ---- input ---------------------------------------------------------------------------------------

def test_bad_max_age_is_rejected_before_any_request(emulator, run_playbook):
    run = run_playbook(play(jwk_rotation_max_age='90x'), expect_failure=True)
    assert 'jwk_rotation_max_age must be a whole number followed by d, h or m' in run.output
    assert emulator.requests() == []


def test_rollback_and_revoke_together_are_rejected_before_any_request(emulator, run_playbook):
    run = run_playbook(play(jwk_rotation_rollback=True, jwk_rotation_revoke=True), expect_failure=True)
    assert 'jwk_rotation_rollback and jwk_rotation_revoke cannot both be true' in run.output
    assert emulator.requests() == []


@pytest.mark.parametrize('role_vars, message', [
    ({'jwk_rotation_keep': 'many'}, 'jwk_rotation_keep'),
    ({'jwk_rotation_key_type': 'OCT'}, 'jwk_rotation_key_type'),
    ({'jwk_rotation_credentials': [{'purpose': 'validation'}]}, 'username'),
    ({'jwk_rotation_credentials': [{'username': 'api-user', 'purpose': 'signing'}]}, 'purpose'),
    ({'jwk_rotation_exclusive': 'perhaps'}, 'jwk_rotation_exclusive'),
    ({'jwk_rotation_rollback': 'perhaps'}, 'jwk_rotation_rollback'),
])
def test_argument_specs_reject_wrong_input_before_any_request(emulator, run_playbook, role_vars, message):
    run = run_playbook(play(**role_vars), expect_failure=True)
    assert 'Validation of arguments failed' in run.output
    assert message in run.output
    assert emulator.requests() == []


def test_unknown_listed_credential_fails_before_any_write(aged, run_playbook):
    run = run_playbook(play(jwk_rotation_credentials=[{'username': 'nobody'}]), expect_failure=True)
    assert 'nobody' in run.output and 'do not exist' in run.output
    assert writes(aged) == []


def test_connection_variables_replace_the_environment(emulator, run_playbook):
    # No APINIZER_* in the environment: the role's connection variables must carry everything,
    # and the password must not appear even at -vvv.
    env = {'APINIZER_URL': None, 'APINIZER_TOKEN': None, 'APINIZER_PROJECT': None}
    run = run_playbook(play(jwk_rotation_apinizer_url=emulator.url,
                            jwk_rotation_apinizer_username='admin',
                            jwk_rotation_apinizer_password='admin-password',
                            jwk_rotation_apinizer_project='demo',
                            jwk_rotation_apinizer_validate_certs=True),
                       env=env, verbosity=3)
    assert result_of(run)['rotated'] is True
    assert ('POST', '/apiops/auth/token') in api(emulator)
    assert 'admin-password' not in run.output


# The README's main job: scripts/demo.sh seeds the emulator with the JSON below and runs
# playbooks/rotate.yml twice. Both are taken from the repository itself, so this test breaks
# when the demo's seed, playbook or summary drift apart.
DEMO_SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                           'scripts', 'demo.sh')
DEMO_PLAYBOOK = os.path.normpath(os.path.join(os.path.dirname(DEMO_SCRIPT), '..', 'playbooks', 'rotate.yml'))


def demo_seed():
    with open(DEMO_SCRIPT) as f:
        script = f.read()
    return json.loads(re.search(r"<<'EOF'\n(.*?)\nEOF\n", script, re.S).group(1))


def ec_thumbprint(jwk):
    """RFC 7638 thumbprint of an EC public key, computed here independently of the collection."""
    canonical = json.dumps(dict((m, jwk[m]) for m in ('crv', 'kty', 'x', 'y')), separators=(',', ':'), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).decode().rstrip('=')


def summary(run):
    """The lines the demo playbook prints at its end."""
    return list(run.task('Summary')['result']['msg'])


def test_demo_playbook_plans_rotates_then_changes_nothing_and_prints_the_summary(emulator, mode, run_playbook):
    emulator.seed(demo_seed())
    emulator.configure(hide_assignments=MODES[mode])
    emulator.clear_requests()
    retired = 'demo-signing-20240601T000000Z' if mode == 'reported' else 'none'
    unverified = 'none' if mode == 'reported' else 'demo-signing-20240601T000000Z, demo-signing-20240901T000000Z'

    # bash scripts/demo.sh --check: the plan, nothing written.
    planned = summary(run_playbook(DEMO_PLAYBOOK, check=True))
    assert writes(emulator) == []
    assert planned[0] == 'Would rotate (check mode): demo-signing-20250101T000000Z is older than 90d', planned
    assert 'Switched:    api-user/validation, mobile-app/validation' in planned
    assert 'Retired:     %s' % retired in planned

    # Run 1 rotates: active key, kid, thumbprint, switched and retired are printed.
    first_run = run_playbook(DEMO_PLAYBOOK)
    first = summary(first_run)
    state = emulator.state()['projects']['demo']
    active = state['credentials']['api-user']['validationJwkName']
    assert re.match(r'^demo-signing-[0-9]{8}T[0-9]{6}Z$', active) and active != 'demo-signing-20250101T000000Z'
    assert state['credentials']['mobile-app']['validationJwkName'] == active
    assert state['credentials']['partner-app']['validationJwkName'] == 'demo-signing-20240901T000000Z'
    assert ('demo-signing-20240601T000000Z' in state['jwks']) is (mode == 'documented')
    assert first[0] == 'Rotated: demo-signing-20250101T000000Z is older than 90d', first
    assert first[1:6] == [
        'Active key:  %s' % active,
        'kid:         %s' % active,
        'Thumbprint:  %s' % ec_thumbprint(state['jwks'][active]['jwk']),
        'Switched:    api-user/validation, mobile-app/validation',
        'Retired:     %s' % retired,
    ], first
    assert 'Kept, not verified unused: %s' % unverified in first
    # Each listed credential is switched exactly once.
    assert len([w for w in writes(emulator) if '/credentials/' in w[1]]) == 2

    # Run 2, the same command: nothing changes and the summary says so.
    emulator.clear_requests()
    second_run = run_playbook(DEMO_PLAYBOOK)
    second = summary(second_run)
    assert second_run.changed_tasks == [] and writes(emulator) == [], second_run.describe()
    assert second[0].startswith('No rotation: %s is younger than 90d' % active), second
    assert second[1:6] == first[1:4] + ['Switched:    none', 'Retired:     none'], second
