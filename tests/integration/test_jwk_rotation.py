# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The jwk_rotation role: real ansible-playbook runs against the emulator.

Only what needs a real playbook is here: each flow end to end (scheduled, staged, rollback,
revoke, source local, a failure in the middle and the run that converges), check mode through
Ansible (--check and check_mode on include_role), the settings and plan failing before any
request or write, the connection at -vvv, and the README demo. Every decision of the plan is
proved in the unit tests (tests/unit/plugins/plugin_utils, tests/unit/plugins/action): this
file proves the YAML carries the plan out, request by request (the emulator's log) and in the
emulator's state. The server is the documented one (no assignment in credential lists) unless a
test needs the difference (``mode``). Time passes by back-dating the generations (``travel``).
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
MODES = {'documented': False, 'reported': True}   # mode -> report_assignments
STAMP, ISO = '%Y%m%dT%H%M%SZ', '%Y-%m-%dT%H:%M:%SZ'
MARK = 'managed by apinizer.apiops.jwk_rotation'
RESULT_TASK = 'apinizer.apiops.jwk_rotation : Set jwk_rotation_result and pass it to AWX workflows'


def record(name, switched=()):
    """The role's record of a generation it created (docs/rotation.md, "The record")."""
    stamp = name[-16:]
    return '%s generation %s, %s | state: active | activated: %s | origin: rotation | switched: %s' % (
        NAME, stamp, MARK, stamp, ', '.join(sorted(switched)) or 'none')


def generation(name, switched=()):
    return {'name': name, 'sourceType': 'GENERATE', 'description': record(name, switched),
            'generate': {'type': 'EC', 'kid': name, 'ec': {'curveType': 'P256', 'algorithm': 'ES256'}}}


def credential(username, validation=None):
    return {'username': username, 'password': username + '-password', 'description': username,
            'roleNameList': ['API_USER'], 'validationJwkName': validation}


# Three old generations of the role: the newest is used by the listed credentials, the middle one
# by partner-app (not listed), the oldest by nobody. The newest is far older than 90 days.
AGED = {'projects': {'demo': {
    'jwks': [generation(OLDEST), generation(IN_USE_ELSEWHERE), generation(PREVIOUS, BOTH)],
    'credentials': [credential('api-user', PREVIOUS), credential('mobile-app', PREVIOUS),
                    credential('partner-app', IN_USE_ELSEWHERE)],
}}}


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


def write_order(emu):
    """Every write as 'record X', 'switch user -> X', 'create X' or 'delete X', in order."""
    out = []
    for r in emu.requests():
        m = re.match(r'^%s/credentials/([^/]+)/jwk/[a-z]+/([^/]+)/$' % PROJECT, r['path'])
        if r['method'] == 'PUT' and m:
            out.append('switch %s -> %s' % m.groups())
        elif r['method'] == 'PUT':
            out.append('record ' + r['path'].split('/')[-2])
        elif r['method'] == 'POST' and '/jwks/' in r['path']:
            out.append('create ' + r['body']['name'])
        elif r['method'] == 'DELETE':
            out.append('delete ' + r['path'].split('/')[-2])
    return out


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


def read_bytes(path):
    with open(path, 'rb') as handle:
        return handle.read()


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
    emu.configure(report_assignments=state['config']['report_assignments'])


@pytest.fixture
def aged(emulator, request):
    emulator.seed(AGED)
    emulator.clear_requests()
    return emulator


def rerun_is_a_no_op(emu, run_playbook, playbook, check_calls=None):
    emu.clear_requests()
    again = run_playbook(playbook)
    assert again.changed_tasks == [] and writes(emu) == [], again.describe()
    return again


def skipped(run):
    return [r['task'] for r in run.results if r['skipped']]


# ---- the scheduled rotation ----------------------------------------------------------------------

def test_first_rotation_puts_each_credential_once_then_rerun_only_reads(emulator, run_playbook, tmp_path):
    jwks_path = tmp_path / 'jwks.json'
    first = run_playbook(play(jwk_rotation_jwks_path=str(jwks_path)))
    result = result_of(first)
    assert result['rotated'] is True and result['action'] == 'rotate'
    active = result['active']
    assert generations(emulator) == [active]
    assert assigned(emulator, 'api-user') == active and assigned(emulator, 'mobile-app') == active
    # Writes, in order: one creation, one PUT per listed credential, one record.
    assert write_order(emulator) == ['create ' + active, 'switch api-user -> ' + active,
                                     'switch mobile-app -> ' + active, 'record ' + active]
    # The generate request carries the plan's not_before and expiration (its life: docs/rotation.md).
    body = [r['body'] for r in emulator.requests() if r['method'] == 'POST'][0]
    assert body['ec']['expirationTime'] == result['expirations'][active] and body['kid'] == active
    assert body['ec']['notBeforeTime'] == '%s-%s-%sT%s:%s:%sZ' % (
        active[-16:-12], active[-12:-10], active[-10:-8], active[-7:-5], active[-5:-3], active[-3:-1])
    assert result['switched'] == BOTH and result['assignments_reported'] is False
    assert result['retired'] == [] and result['previous'] == [] and result['kept_unverified'] == []
    assert result['kid'] == active and result['thumbprint'] and result['pinned_by_policies'] == {}
    assert [k['kid'] for k in result['jwk_set']['keys']] == [active]
    assert private_members_in(result['jwk_set']) == []
    assert json.loads(jwks_path.read_text()) == result['jwk_set']
    # The record: readable, and it names the switched credentials.
    assert description(emulator, active) == (
        '%s generation %s, %s | state: active | activated: %s | expires: %s | origin: rotation | '
        'switched: api-user/validation, mobile-app/validation'
        % (NAME, active[-16:], MARK, active[-16:], result['expirations'][active]))
    assert first.task(RESULT_TASK)['result']['ansible_stats']['data']['jwk_rotation_result'] == result
    reads = [r for r in api(emulator) if r[0] == 'GET']
    assert reads[:2] == [('GET', PROJECT + '/jwks/'), ('GET', PROJECT + '/credentials/')]
    # Issue 25 #6: a rotation prints few "skipping" lines (conditions at include level).
    assert len(skipped(first)) <= 6, skipped(first)

    second = rerun_is_a_no_op(emulator, run_playbook, play(jwk_rotation_jwks_path=str(jwks_path)))
    assert result_of(second)['rotated'] is False and result_of(second)['active'] == active
    assert result_of(second)['switched'] == []
    # Two lists, then the public key of the one retained generation for the JWKS (apinizer_jwk_info:
    # the list, and the export, where no private member crosses the wire).
    assert api(emulator) == [('GET', PROJECT + '/jwks/'), ('GET', PROJECT + '/credentials/'),
                             ('GET', PROJECT + '/jwks/'), ('GET', PROJECT + '/jwks/%s/export-file/' % active)]
    assert skipped(second) == ['apinizer.apiops.jwk_rotation : Carry out the plan']


@pytest.mark.parametrize('mode', sorted(MODES))
def test_aged_key_rotates_and_prunes_only_what_it_can_verify(aged, mode, run_playbook):
    aged.configure(report_assignments=MODES[mode])
    run = run_playbook(play())
    result = result_of(run)
    assert result['rotated'] is True and result['reason'] == '%s is older than 90d' % PREVIOUS
    active = result['active']
    assert result['previous'] == [PREVIOUS]
    assert credential_puts(aged) == ['api-user/validation -> %s' % active, 'mobile-app/validation -> %s' % active]
    assert assigned(aged, 'partner-app') == IN_USE_ELSEWHERE
    if mode == 'reported':
        # partner-app is not in jwk_rotation_credentials but still uses this generation.
        assert result['retired'] == [OLDEST] and result['kept_in_use'] == [IN_USE_ELSEWHERE]
        assert deletions(aged) == [OLDEST] and write_order(aged)[-1] == 'delete ' + OLDEST
        assert [k['kid'] for k in result['jwk_set']['keys']] == [active, PREVIOUS, IN_USE_ELSEWHERE]
    else:
        # Nobody can tell which JWK partner-app uses: nothing is deleted, and the run says so once
        # (a real warning, even though the run plans twice: before and after the rotation).
        assert result['retired'] == [] and result['kept_in_use'] == []
        assert result['kept_unverified'] == [OLDEST, IN_USE_ELSEWHERE]
        assert deletions(aged) == []
        warning = 'beyond jwk_rotation_keep are kept: %s, %s' % (OLDEST, IN_USE_ELSEWHERE)
        assert run.output.count(warning) == 1 and '[WARNING]: The server does not report' in run.stderr
        assert '"[WARNING]' not in run.output
        plan = run.task('apinizer.apiops.jwk_rotation : Show the plan')['result']['msg']
        assert 'kept because in use: unknown (the server does not report which JWK a credential uses)' in plan
        assert [k['kid'] for k in result['jwk_set']['keys']] == [active, PREVIOUS, OLDEST, IN_USE_ELSEWHERE]


def test_a_generation_a_policy_pins_is_kept_and_reported(aged, run_playbook):
    # Issue 22: with assignments reported and exclusive, OLDEST would be retired; a JOSE policy pins
    # it by its id, so the role keeps it, names the policy, and warns that the policy was not rotated.
    aged.configure(report_assignments=True)
    aged.seed({'projects': {'demo': {'apiProxies': [{'name': 'orders', 'requestPolicyList': [
        {'type': 'policy-jose-validation', 'name': 'verify', 'validateByIssuer': False,
         'jwkNameForValidationAndSign': OLDEST}]}]}}})
    aged.clear_requests()
    run = run_playbook(play(jwk_rotation_exclusive=True))
    result = result_of(run)
    assert result['rotated'] is True and OLDEST not in result['retired']
    assert OLDEST in aged.state()['projects']['demo']['jwks']
    assert OLDEST in result['kept_in_use']
    [ref] = result['pinned_by_policies'][OLDEST]
    assert (ref['api_proxy'], ref['policy'], ref['field']) == ('orders', 'verify', 'jwkIdForValidationAndSign')
    assert 'policies still use an old key' in run.stderr or 'not rotated that policy' in run.stderr
    # The policies were read once for the first plan (the proxy list and its one proxy), not per deletion.
    proxy_reads = [p for m, p in api(aged) if '/apiProxies/' in p]
    assert proxy_reads.count(PROJECT + '/apiProxies/') >= 1 and deletions(aged) == []


# ---- check mode through Ansible ------------------------------------------------------------------

def test_check_mode_plans_the_rotation_and_writes_nothing(aged, run_playbook, tmp_path):
    before = aged.state()['projects']['demo']
    jwks_path = tmp_path / 'jwks.json'
    run = run_playbook(play(jwk_rotation_jwks_path=str(jwks_path)), check=True)
    result = result_of(run)
    assert result['rotated'] is True and result['switched'] == BOTH and result['kid'] is None
    assert writes(aged) == []
    assert aged.state()['projects']['demo'] == before
    # Issue 25 #4: what the real run would do, never a key that does not exist named as if it did.
    plan = run.task('apinizer.apiops.jwk_rotation : Show the plan')['result']['msg']
    assert plan[:4] == ['action: would rotate (%s is older than 90d)' % PREVIOUS,
                        'active: %s (would be created by this run)' % result['active'],
                        'staged: none', 'would switch: api-user/validation, mobile-app/validation']
    assert run.task('apinizer.apiops.jwk_rotation : Plan this run')['changed'] is True
    assert not jwks_path.exists()


def test_check_mode_set_on_the_include_plans_like_check(aged, run_playbook):
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
    assert writes(aged) == []
    assert aged.state()['projects']['demo'] == before
    assert 'would switch: api-user/validation' in run.stdout


# ---- failures and convergence --------------------------------------------------------------------

def test_failed_switch_leaves_every_credential_on_a_key_and_next_run_converges(aged, run_playbook):
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
    # The record says nobody is on the new generation yet: both are switched (once each).
    assert result['switched'] == BOTH and write_order(aged) == [
        'switch api-user -> ' + new[0], 'switch mobile-app -> ' + new[0], 'record ' + new[0]]
    assert assigned(aged, 'mobile-app') == new[0]


def test_failed_record_write_fails_the_run_and_next_run_converges(emulator, run_playbook):
    emulator.add_fault(method='PUT', path='/jwks/sig-', status=500, count=1)
    run_playbook(play(), expect_failure=True)
    active = generations(emulator)[0]
    assert assigned(emulator, 'api-user') == active and assigned(emulator, 'mobile-app') == active
    emulator.clear_requests()
    result = result_of(run_playbook(play()))
    assert result['active'] == active
    # The record says nobody is on it yet: both are switched again (once each), then recorded.
    assert len(credential_puts(emulator)) == 2 and record_puts(emulator) == [active]


def test_failed_credential_list_read_fails_before_any_write(aged, run_playbook):
    aged.add_fault(method='GET', path='/credentials/$', status=500, count=10)
    run = run_playbook(play(jwk_rotation_exclusive=True, jwk_rotation_apinizer_retries=0), expect_failure=True)
    assert writes(aged) == []
    assert 'credentials' in run.output


# ---- source local ----------------------------------------------------------------------------------

def test_local_source_keeps_a_private_key_per_generation_and_the_signers_file_on_the_active_one(
        emulator, run_playbook, tmp_path):
    (tmp_path / 'keys').mkdir()
    key_path = str(tmp_path / 'keys' / 'signing.jwk.json')
    local = dict(jwk_rotation_source='local', jwk_rotation_private_key_path=key_path,
                 jwk_rotation_exclusive=True, jwk_rotation_keep=0)
    run = run_playbook(play(**local))
    g0 = result_of(run)['active']
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(key_path + '.' + g0).st_mode) == 0o600
    private = json.loads(read_bytes(key_path))
    assert private == json.loads(read_bytes(key_path + '.' + g0))
    assert private['kid'] == g0 and private['kty'] == 'EC' and 'd' in private
    posts = [r for r in emulator.requests() if r['method'] == 'POST']
    assert [r['path'] for r in posts] == [PROJECT + '/jwks/']
    sent = json.loads(posts[0]['body']['jwkStr'])
    assert not PRIVATE_MEMBERS & set(sent) and (sent['x'], sent['y']) == (private['x'], private['y'])
    assert 'd' not in emulator.state()['projects']['demo']['jwks'][g0]['jwk']
    assert private_members_in(result_of(run)['jwk_set']) == [] and private['d'] not in run.output

    # Issue 24 H2: a rotation fails after its generation was created; the recovery run (action
    # none) brings the signer's file to the new generation, and only then prunes the old one.
    travel(emulator, 100, key_path)
    g0 = generations(emulator)[0]
    emulator.add_fault(method='PUT', path='/credentials/mobile-app/jwk/validation/', status=500, count=1)
    run_playbook(play(**local), expect_failure=True)
    g1 = [n for n in generations(emulator) if n != g0][0]
    assert read_bytes(key_path) == read_bytes(key_path + '.' + g0) and os.path.exists(key_path + '.' + g1)
    emulator.clear_requests()
    recovery = run_playbook(play(**local))
    result = result_of(recovery)
    assert result['action'] == 'none' and result['active'] == g1 and result['retired'] == [g0]
    assert read_bytes(key_path) == read_bytes(key_path + '.' + g1)
    assert sorted(os.listdir(str(tmp_path / 'keys'))) == ['signing.jwk.json', 'signing.jwk.json.' + g1]
    order = [r['task'] for r in recovery.results if r['changed']]
    assert order.index('apinizer.apiops.jwk_rotation : Put the private key of the active generation at '
                       'jwk_rotation_private_key_path') < order.index(
        'apinizer.apiops.jwk_rotation : Delete generations beyond jwk_rotation_keep')
    rerun_is_a_no_op(emulator, run_playbook, play(**local))


def test_local_source_in_check_mode_writes_no_file_and_no_request(emulator, run_playbook, tmp_path):
    (tmp_path / 'keys').mkdir()
    key_path = tmp_path / 'keys' / 'signing.pem'
    run = run_playbook(play(jwk_rotation_source='local', jwk_rotation_private_key_path=str(key_path),
                            jwk_rotation_private_key_format='pem', jwk_rotation_key_type='RSA'), check=True)
    assert result_of(run)['rotated'] is True
    assert os.listdir(str(tmp_path / 'keys')) == []
    assert writes(emulator) == []


# ---- staged rotation -------------------------------------------------------------------------------

STAGED = dict(jwk_rotation_max_age='90d', jwk_rotation_stage_ahead='14d')


def test_staged_rotation_timeline(emulator, run_playbook, tmp_path):
    jwks_path = tmp_path / 'jwks.json'
    staged_play = play(jwk_rotation_jwks_path=str(jwks_path), **STAGED)
    # Day 0: the first generation is created and switched to at once.
    day0 = result_of(run_playbook(staged_play))
    assert day0['action'] == 'rotate' and day0['staged'] is None

    # Day 77 (max_age - stage_ahead = 76): the next generation is created and published only.
    travel(emulator, 77)
    g0 = generations(emulator)[0]
    emulator.clear_requests()
    day77 = result_of(run_playbook(staged_play))
    g1 = day77['staged']
    assert day77['action'] == 'stage' and day77['rotated'] is False and day77['active'] == g0
    assert write_order(emulator) == ['create ' + g1]
    assert [k['kid'] for k in json.loads(jwks_path.read_text())['keys']] == [kid_of(emulator, g0), g1]
    assert assigned(emulator, 'api-user') == g0
    assert 'state: staged' in description(emulator, g1)

    # Day 91: check mode plans the activation and writes nothing.
    travel(emulator, 14)
    g0, g1 = generations(emulator)
    emulator.clear_requests()
    checked = result_of(run_playbook(staged_play, check=True))
    assert checked['action'] == 'activate' and checked['switched'] == BOTH and writes(emulator) == []

    # Day 91: the listed credentials move to the staged generation; nothing new is created. The
    # record twice: "active, nobody switched yet" before the switches, the switches after.
    day91 = result_of(run_playbook(staged_play))
    assert day91['action'] == 'activate' and day91['rotated'] is True
    assert day91['active'] == g1 and day91['previous'] == [g0] and day91['staged'] is None
    assert write_order(emulator) == ['record ' + g1, 'switch api-user -> ' + g1, 'switch mobile-app -> ' + g1,
                                     'record ' + g1]
    assert 'state: active' in description(emulator, g1) and 'switched: %s' % ', '.join(BOTH) in description(emulator, g1)
    rerun_is_a_no_op(emulator, run_playbook, staged_play)


# ---- rollback (with source local, PEM: the previous private key goes back to the signer) ----------

def test_rollback_switches_back_records_it_and_puts_the_previous_key_back(emulator, run_playbook, tmp_path):
    key_path = str(tmp_path / 'signing.pem')
    local = dict(jwk_rotation_source='local', jwk_rotation_private_key_path=key_path,
                 jwk_rotation_private_key_format='pem')
    run_playbook(play(**local))
    travel(emulator, 100, key_path)
    g1 = result_of(run_playbook(play(**local)))['active']
    g0 = generations(emulator)[0]
    assert read_bytes(key_path) == read_bytes(key_path + '.' + g1)
    assert read_bytes(key_path).startswith(b'-----BEGIN PRIVATE KEY-----')
    emulator.clear_requests()
    checked = result_of(run_playbook(play(jwk_rotation_rollback=True, **local), check=True))
    assert checked['action'] == 'rollback' and checked['active'] == g0 and writes(emulator) == []
    assert read_bytes(key_path) == read_bytes(key_path + '.' + g1)

    rolled = run_playbook(play(jwk_rotation_rollback=True, **local))
    result = result_of(rolled)
    assert result['action'] == 'rollback' and result['active'] == g0 and result['rolled_back'] == g1
    # Before the switches: g1 rolled back, g0 active with nobody recorded; after: g0's switches.
    assert write_order(emulator) == ['record ' + g1, 'record ' + g0, 'switch api-user -> ' + g0,
                                     'switch mobile-app -> ' + g0, 'record ' + g0]
    assert 'state: rolled-back' in description(emulator, g1)
    assert result['previous'] == [g1]
    assert read_bytes(key_path) == read_bytes(key_path + '.' + g0)
    # Scheduled runs never switch forward to the rolled-back generation.
    again = rerun_is_a_no_op(emulator, run_playbook, play(**local))
    assert result_of(again)['active'] == g0


# ---- revoke ------------------------------------------------------------------------------------------

def test_revoke_rotates_switches_and_deletes_every_previous_generation(emulator, run_playbook, tmp_path):
    jwks_path = tmp_path / 'jwks.json'
    revoke = dict(jwk_rotation_revoke=True, jwk_rotation_keep=3, jwk_rotation_jwks_path=str(jwks_path),
                  jwk_rotation_exclusive=True)
    run_playbook(play())
    travel(emulator, 100)
    run_playbook(play())
    g0, g1 = generations(emulator)
    emulator.clear_requests()
    checked = result_of(run_playbook(play(**revoke), check=True))
    assert checked['action'] == 'revoke' and checked['revoked'] == [g0, g1] and writes(emulator) == []

    result = result_of(run_playbook(play(**revoke)))
    new = result['active']
    assert result['action'] == 'revoke' and result['rotated'] is True
    assert result['revoked'] == [g0, g1] and result['previous'] == [] and result['retired'] == []
    assert write_order(emulator) == ['create ' + new, 'switch api-user -> ' + new, 'switch mobile-app -> ' + new,
                                     'record ' + new, 'delete ' + g0, 'delete ' + g1]
    assert generations(emulator) == [new]
    assert [k['kid'] for k in result['jwk_set']['keys']] == [new]
    assert json.loads(jwks_path.read_text()) == result['jwk_set']


# ---- input: the settings and the plan fail before any request or write -------------------------------

def test_bad_max_age_is_rejected_before_any_request(emulator, run_playbook):
    run = run_playbook(play(jwk_rotation_max_age='90x'), expect_failure=True)
    assert 'jwk_rotation_max_age must be a whole number followed by d, h or m' in run.output
    assert emulator.requests() == []


def test_unknown_listed_credential_fails_before_any_write(aged, run_playbook):
    run = run_playbook(play(jwk_rotation_credentials=[{'username': 'nobody'}]), expect_failure=True)
    assert 'nobody' in run.output and 'do not exist' in run.output
    assert writes(aged) == []


def test_connection_variables_replace_the_environment(emulator, run_playbook):
    # No APINIZER_* in the environment: the role's connection variables must carry everything,
    # and the password must not appear even at -vvv (the connection step is no_log).
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


# ---- the README demo -------------------------------------------------------------------------------

# scripts/demo.sh seeds the emulator with the JSON below and runs playbooks/rotate.yml twice. Both
# are taken from the repository itself, so this test breaks when the demo's seed, playbook or
# summary drift apart.
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


def test_demo_playbook_plans_rotates_then_changes_nothing_and_prints_the_summary(emulator, run_playbook):
    seed = demo_seed()
    emulator.seed(seed)
    emulator.clear_requests()
    seeded = sorted(j['name'] for j in seed['projects']['demo']['jwks'])
    managed = [j['name'] for j in seed['projects']['demo']['jwks'] if MARK in (j.get('description') or '')]

    # bash scripts/demo.sh --check: the plan, nothing written.
    planned = summary(run_playbook(DEMO_PLAYBOOK, check=True))
    assert writes(emulator) == []
    assert planned[0].startswith('Would rotate (check mode): '), planned

    # Run 1 rotates: active key, kid, thumbprint and switched are printed.
    first_run = run_playbook(DEMO_PLAYBOOK)
    first = summary(first_run)
    state = emulator.state()['projects']['demo']
    active = state['credentials']['api-user']['validationJwkName']
    assert re.match(r'^demo-signing-[0-9]{8}T[0-9]{6}Z$', active) and active not in seeded
    assert state['credentials']['mobile-app']['validationJwkName'] == active
    assert state['credentials']['partner-app']['validationJwkName'] == 'demo-signing-20240901T000000Z'
    # What the role did not create it never deletes (issue 24 H3).
    assert [n for n in seeded if n not in managed and n not in state['jwks']] == []
    assert first[0].startswith('Rotated: '), first
    assert first[1:5] == [
        'Active key:  %s' % active,
        'kid:         %s' % active,
        'Thumbprint:  %s' % ec_thumbprint(state['jwks'][active]['jwk']),
        'Switched:    api-user/validation, mobile-app/validation',
    ], first
    # Each listed credential is switched exactly once.
    assert len([w for w in writes(emulator) if '/credentials/' in w[1]]) == 2

    # Run 2, the same command: nothing changes and the summary says so.
    emulator.clear_requests()
    second_run = run_playbook(DEMO_PLAYBOOK)
    second = summary(second_run)
    assert second_run.changed_tasks == [] and writes(emulator) == [], second_run.describe()
    assert second[0].startswith('No rotation: %s is younger than 90d' % active), second
    assert second[1:5] == first[1:4] + ['Switched:    none'], second
