# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The jwk_rotation role: real ansible-playbook runs against the emulator.

Every claim about writes is checked in the emulator's request log (what went over the wire)
and every claim about assignments in the emulator's state.
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
PRIVATE_MEMBERS = {'d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'}
WRITE_METHODS = ('POST', 'PUT', 'DELETE')
OLDEST, IN_USE_ELSEWHERE, PREVIOUS = 'sig-20240601T000000Z', 'sig-20240901T000000Z', 'sig-20250101T000000Z'
DEFAULT_CREDENTIALS = [{'username': 'api-user'}, {'username': 'mobile-app', 'purpose': 'validation'}]


def generation(name):
    return {'name': name, 'sourceType': 'GENERATE',
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
    return '%s-%s' % (NAME, stamp.strftime('%Y%m%dT%H%M%SZ'))


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


def jwk_names(emu):
    return sorted(emu.state()['projects']['demo']['jwks'])


def generations(emu):
    return [n for n in jwk_names(emu) if n.startswith(NAME + '-')]


def assigned(emu, username, purpose='validation'):
    return emu.state()['projects']['demo']['credentials'][username].get('%sJwkName' % purpose)


def private_members_in(jwk_set):
    return [m for key in jwk_set['keys'] for m in key if m in PRIVATE_MEMBERS]


@pytest.fixture
def aged(emulator):
    emulator.seed(AGED)
    emulator.clear_requests()
    return emulator


def test_first_rotation_then_rerun_changes_nothing_and_only_reads(emulator, run_playbook, tmp_path):
    jwks_path = tmp_path / 'jwks.json'
    first = run_playbook(play(jwk_rotation_jwks_path=str(jwks_path)))
    result = result_of(first)
    assert result['rotated'] is True
    active = result['active']
    assert generations(emulator) == [active]
    assert assigned(emulator, 'api-user') == active and assigned(emulator, 'mobile-app') == active
    assert result['switched'] == ['api-user/validation', 'mobile-app/validation']
    assert result['retired'] == [] and result['previous'] == []
    assert result['kid'] == active and result['thumbprint']
    assert [k['kid'] for k in result['jwk_set']['keys']] == [active]
    assert private_members_in(result['jwk_set']) == []
    published = json.loads(jwks_path.read_text())
    assert published == result['jwk_set']
    # The same result goes to set_stats, for AWX workflows.
    stats = first.task('apinizer.apiops.jwk_rotation : Pass jwk_rotation_result to AWX workflows')['result']['ansible_stats']
    assert stats['data']['jwk_rotation_result'] == result
    # The API read exactly one JWK list and one credential list before deciding.
    reads = [r for r in api(emulator) if r[0] == 'GET']
    assert reads[:2] == [('GET', '/apiops/projects/demo/jwks/'), ('GET', '/apiops/projects/demo/credentials/')]

    emulator.clear_requests()
    second = run_playbook(play(jwk_rotation_jwks_path=str(jwks_path)))
    assert second.changed_tasks == [], second.describe()
    assert result_of(second)['rotated'] is False
    assert result_of(second)['active'] == active
    assert writes(emulator) == []
    # Two lists, then the public keys of the one retained generation for the JWKS.
    assert api(emulator) == [('GET', '/apiops/projects/demo/jwks/'),
                             ('GET', '/apiops/projects/demo/credentials/'),
                             ('GET', '/apiops/projects/demo/jwks/%s/' % active)]


def test_aged_key_rotates_prunes_oldest_and_never_a_key_in_use(aged, run_playbook):
    run = run_playbook(play())
    result = result_of(run)
    assert result['rotated'] is True and 'older than 90d' in result['reason']
    active = result['active']
    assert result['previous'] == [PREVIOUS]
    assert result['retired'] == [OLDEST]
    # partner-app is not in jwk_rotation_credentials but still uses this generation.
    assert result['kept_in_use'] == [IN_USE_ELSEWHERE]
    assert generations(aged) == sorted([IN_USE_ELSEWHERE, PREVIOUS, active])
    assert assigned(aged, 'partner-app') == IN_USE_ELSEWHERE
    assert assigned(aged, 'api-user') == active and assigned(aged, 'mobile-app') == active
    deletes = [path for method, path in writes(aged) if method == 'DELETE']
    assert deletes == ['/apiops/projects/demo/jwks/%s/' % OLDEST]
    # The published set covers every retained generation, in-use ones included.
    assert [k['kid'] for k in result['jwk_set']['keys']] == [active, PREVIOUS, IN_USE_ELSEWHERE]


def test_forced_rotation_retires_generations_beyond_keep(emulator, run_playbook):
    young, older = utc_name(datetime.timedelta(hours=1)), utc_name(datetime.timedelta(hours=3))
    emulator.seed({'projects': {'demo': {
        'jwks': [generation(older), generation(young)],
        'credentials': [credential('api-user', young), credential('mobile-app', young)]}}})
    emulator.clear_requests()

    unforced = run_playbook(play(jwk_rotation_keep=0))
    assert result_of(unforced)['rotated'] is False
    # keep=0 converges even without a rotation: the older, unused generation goes.
    assert result_of(unforced)['retired'] == [older]
    assert generations(emulator) == [young]

    forced = run_playbook(play(jwk_rotation_keep=0, jwk_rotation_force=True))
    result = result_of(forced)
    assert result['rotated'] is True and result['reason'].startswith('forced')
    assert result['retired'] == [young] and result['previous'] == []
    assert generations(emulator) == [result['active']]
    assert assigned(emulator, 'api-user') == result['active']


def test_check_mode_plans_the_rotation_and_writes_nothing(aged, run_playbook, tmp_path):
    before = aged.state()['projects']['demo']
    jwks_path = tmp_path / 'jwks.json'
    run = run_playbook(play(jwk_rotation_jwks_path=str(jwks_path)), check=True)
    result = result_of(run)
    assert result['rotated'] is True
    assert result['retired'] == [OLDEST]
    assert result['switched'] == ['api-user/validation', 'mobile-app/validation']
    assert writes(aged) == []
    assert aged.state()['projects']['demo'] == before
    assert 'would switch api-user/validation' in run.stdout
    # Not even the local JWKS file is written.
    assert not jwks_path.exists()


def test_failed_switch_fails_the_play_deletes_nothing_and_next_run_converges(aged, run_playbook):
    # A non-transient failure on mobile-app's assignment (not retried by the client).
    aged.add_fault(method='PUT', path='/credentials/mobile-app/jwk/validation/', status=500, count=1)
    failed = run_playbook(play(), expect_failure=True)
    assert [m for m, _ in writes(aged) if m == 'DELETE'] == []
    assert sorted(jwk_names(aged)) == sorted(set(jwk_names(aged)))  # nothing vanished
    assert OLDEST in jwk_names(aged) and PREVIOUS in jwk_names(aged)
    assert assigned(aged, 'mobile-app') == PREVIOUS
    new = [n for n in generations(aged) if n not in (OLDEST, IN_USE_ELSEWHERE, PREVIOUS)]
    assert len(new) == 1, failed.describe()
    assert assigned(aged, 'api-user') == new[0]

    aged.clear_requests()
    converged = run_playbook(play())
    result = result_of(converged)
    assert result['rotated'] is False and result['active'] == new[0]
    assert result['switched'] == ['mobile-app/validation']
    assert result['retired'] == [OLDEST]
    assert assigned(aged, 'mobile-app') == new[0]
    assert [m for m, _ in writes(aged)] == ['PUT', 'DELETE']

    aged.clear_requests()
    run_playbook(play())
    assert writes(aged) == []


def test_local_source_writes_private_key_0600_and_imports_only_the_public_key(emulator, run_playbook, tmp_path):
    key_path = tmp_path / 'signing.jwk.json'
    run = run_playbook(play(jwk_rotation_source='local', jwk_rotation_private_key_path=str(key_path)))
    result = result_of(run)
    active = result['active']
    assert stat.S_IMODE(os.stat(str(key_path)).st_mode) == 0o600
    private = json.loads(key_path.read_text())
    assert private['kid'] == active and private['kty'] == 'EC' and 'd' in private
    posts = [r for r in emulator.requests() if r['method'] == 'POST']
    assert [r['path'] for r in posts] == ['/apiops/projects/demo/jwks/']
    sent = json.loads(posts[0]['body']['jwkStr'])
    assert not PRIVATE_MEMBERS & set(sent)
    assert (sent['x'], sent['y']) == (private['x'], private['y'])
    stored = emulator.state()['projects']['demo']['jwks'][active]['jwk']
    assert 'd' not in stored
    assert result['thumbprint'] and private_members_in(result['jwk_set']) == []
    assert private['d'] not in run.output


def test_bad_max_age_is_rejected_before_any_request(emulator, run_playbook):
    run = run_playbook(play(jwk_rotation_max_age='90x'), expect_failure=True)
    assert 'jwk_rotation_max_age must be a whole number followed by d, h or m' in run.output
    assert emulator.requests() == []


@pytest.mark.parametrize('role_vars, message', [
    ({'jwk_rotation_keep': 'many'}, 'jwk_rotation_keep'),
    ({'jwk_rotation_key_type': 'OCT'}, 'jwk_rotation_key_type'),
    ({'jwk_rotation_credentials': [{'purpose': 'validation'}]}, 'username'),
    ({'jwk_rotation_credentials': [{'username': 'api-user', 'purpose': 'signing'}]}, 'purpose'),
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


def test_hidden_assignments_switch_but_never_prune(aged, run_playbook):
    aged.configure(hide_assignments=True)
    run = run_playbook(play(jwk_rotation_force=True))
    result = result_of(run)
    assert result['rotated'] is True and result['retired'] == []
    assert [m for m, _ in writes(aged) if m == 'DELETE'] == []
    assert OLDEST in jwk_names(aged)
    assert 'no generation of sig is deleted' in run.stdout


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


def test_local_source_in_check_mode_writes_no_file_and_no_request(emulator, run_playbook, tmp_path):
    key_path = tmp_path / 'signing.pem'
    run = run_playbook(play(jwk_rotation_source='local', jwk_rotation_private_key_path=str(key_path),
                            jwk_rotation_private_key_format='pem', jwk_rotation_key_type='RSA'), check=True)
    assert result_of(run)['rotated'] is True
    assert not key_path.exists()
    assert writes(emulator) == []


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


def test_demo_playbook_plans_rotates_then_changes_nothing_and_prints_the_summary(emulator, run_playbook):
    emulator.seed(demo_seed())
    emulator.clear_requests()

    # bash scripts/demo.sh --check: the plan, nothing written.
    planned = summary(run_playbook(DEMO_PLAYBOOK, check=True))
    assert writes(emulator) == []
    assert planned[0] == 'Would rotate (check mode): demo-signing-20250101T000000Z is older than 90d', planned
    assert 'Switched:    api-user/validation, mobile-app/validation' in planned
    assert 'Retired:     demo-signing-20240601T000000Z' in planned

    # Run 1 rotates: active key, kid, thumbprint, switched and retired are printed.
    first = summary(run_playbook(DEMO_PLAYBOOK))
    state = emulator.state()['projects']['demo']
    active = state['credentials']['api-user']['validationJwkName']
    assert re.match(r'^demo-signing-[0-9]{8}T[0-9]{6}Z$', active) and active != 'demo-signing-20250101T000000Z'
    assert state['credentials']['mobile-app']['validationJwkName'] == active
    assert state['credentials']['partner-app']['validationJwkName'] == 'demo-signing-20240901T000000Z'
    assert 'demo-signing-20240601T000000Z' not in state['jwks']
    assert first[0] == 'Rotated: demo-signing-20250101T000000Z is older than 90d', first
    assert first[1:6] == [
        'Active key:  %s' % active,
        'kid:         %s' % active,
        'Thumbprint:  %s' % ec_thumbprint(state['jwks'][active]['jwk']),
        'Switched:    api-user/validation, mobile-app/validation',
        'Retired:     demo-signing-20240601T000000Z',
    ], first

    # Run 2, the same command: nothing changes and the summary says so.
    emulator.clear_requests()
    second_run = run_playbook(DEMO_PLAYBOOK)
    second = summary(second_run)
    assert second_run.changed_tasks == [] and writes(emulator) == [], second_run.describe()
    assert second[0].startswith('No rotation: %s is younger than 90d' % active), second
    assert second[1:6] == first[1:4] + ['Switched:    none', 'Retired:     none'], second
