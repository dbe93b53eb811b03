# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Secrets never reach the output: a table of scenarios x every module and the role.

Each scenario is one ansible-playbook run at -vvv (with --diff, in check mode, with
username/password auth, with a bad token, a bad password, on failure paths) running every
module and the role. Afterwards the real secrets are collected from the emulator (the API
token, the admin password, every token the server issued, every credential password and every
private JWK member d, p, q, dp, dq, qi and oct k, read from GET /__emulator__/state) and from
the private key files the run wrote, and the combined stdout+stderr is grepped for each one.
A positive control proves the grep finds a secret when one is printed.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

import pytest

from robustness_lib import leaks, role_task, server_secrets

pytestmark = [pytest.mark.slow, pytest.mark.robustness]

TOKEN = 'tok-9f3c2b7e1d5a4c68b0e2f1a3d5c7e9b1'
PASSWORD = 'pw-7d1e5b3a9c2f4e6081d3b5a7c9e1f3a5'
WRONG_TOKEN = 'wrong-tok-5c3a1e9f7d2b4c6e8a0f1b3d5e7a9c1'
WRONG_PASSWORD = 'wrong-pw-3e5a7c9e1b2d4f6a8c0e1f3b5d7a9c2'

JWK = 'apinizer.apiops.apinizer_jwk'


@pytest.fixture
def emulator():
    """An emulator with distinctive secrets, so a grep cannot match anything by accident."""
    from apinizer_emulator import Emulator
    emu = Emulator(token=TOKEN, users={'admin': PASSWORD})
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()


def _tasks(tmp, emu, failing=False):
    """One task per module operation and the role; ``failing`` adds ignore_errors/rescue."""
    seed_ec = emu.state()['projects']['demo']['jwks']['seed-ec']['jwk']
    tasks = [
        {'name': 'generate RSA', JWK: {'name': 'sec-rsa', 'key_type': 'RSA', 'key_size': 2048, 'algorithm': 'RS256'}},
        {'name': 'generate OCT', JWK: {'name': 'sec-oct', 'key_type': 'OCT', 'key_size': 256, 'algorithm': 'HS256'}},
        # Import a private JWK (the seeded EC key with its d) under a new name, then compare it.
        {'name': 'import private JWK', JWK: {'name': 'sec-imported', 'source': 'jwk', 'jwk': seed_ec}},
        {'name': 'import private JWK as a string', JWK: {
            'name': 'sec-imported', 'source': 'jwk', 'jwk': json.dumps(seed_ec), 'description': 'again'}},
        # A differing key with regenerate=fail: the failure lists the differences.
        {'name': 'differing private JWK', JWK: {'name': 'seed-ec', 'source': 'jwk',
                                                'jwk': emu.state()['projects']['admin']['jwks']['shared-admin-jwk']['jwk']},
         'ignore_errors': True},
        {'name': 'update description', JWK: {'name': 'seed-oct', 'description': 'updated',
                                             'key_type': 'OCT', 'key_size': 256}},
        {'name': 'read JWKs', 'apinizer.apiops.apinizer_jwk_info': {'names': ['seed-ec', 'seed-oct', 'sec-rsa', 'sec-oct']}},
        {'name': 'read admin JWK', 'apinizer.apiops.apinizer_jwk_info': {'name': 'shared-admin-jwk', 'project': 'admin'}},
        {'name': 'list JWKs', 'apinizer.apiops.apinizer_jwk_info': {}},
        {'name': 'assign', 'apinizer.apiops.apinizer_credential_jwk': {
            'username': 'api-user', 'purpose': 'validation', 'jwk_name': 'seed-ec'}},
        {'name': 'assign unknown JWK', 'apinizer.apiops.apinizer_credential_jwk': {
            'username': 'api-user', 'purpose': 'encryption', 'jwk_name': 'no-such-jwk'}, 'ignore_errors': True},
        {'name': 'list credentials', 'apinizer.apiops.apinizer_credential_info': {}},
        {'name': 'delete', JWK: {'name': 'sec-imported', 'state': 'absent'}},
        {'name': 'keypair', 'apinizer.apiops.jwk_keypair': {'path': os.path.join(tmp, 'keypair.jwk'),
                                                            'key_type': 'RSA', 'key_size': 2048}},
        {'name': 'rotation', 'block': [role_task(
            'rotate generate', jwk_rotation_name='sec-rot', jwk_rotation_key_type='RSA',
            jwk_rotation_credentials=[{'username': 'mobile-app'}], jwk_rotation_jwks_path=os.path.join(tmp, 'jwks.json'))],
         'rescue': [{'name': 'rotation failed', 'ansible.builtin.debug': {'msg': '{{ ansible_failed_result.msg }}'}}]},
        {'name': 'local rotation', 'block': [role_task(
            'rotate local', jwk_rotation_name='sec-local', jwk_rotation_key_type='RSA', jwk_rotation_source='local',
            jwk_rotation_private_key_path=os.path.join(tmp, 'rotation.jwk'),
            jwk_rotation_credentials=[{'username': 'partner-app'}])],
         'rescue': [{'name': 'local rotation failed', 'ansible.builtin.debug': {'msg': '{{ ansible_failed_result.msg }}'}}]},
        # Show what a user registers: the results themselves must be clean too.
        {'name': 'show rotation result', 'ansible.builtin.debug': {'var': 'jwk_rotation_result'}, 'ignore_errors': True},
    ]
    if failing:
        for task in tasks:
            if 'block' not in task:
                task['ignore_errors'] = True
    return tasks


def _play(tasks):
    return json.dumps([{'name': 'secrets', 'hosts': 'localhost', 'gather_facts': False,
                        'module_defaults': {'group/apinizer.apiops.apinizer': {'project': 'demo'}},
                        'tasks': tasks}]) + '\n'


def _secrets(emu, tmp):
    found = server_secrets(emu, {'API token': TOKEN, 'admin password': PASSWORD, 'wrong token': WRONG_TOKEN,
                                 'wrong password': WRONG_PASSWORD})
    for name in ('keypair.jwk', 'rotation.jwk'):
        path = os.path.join(tmp, name)
        if os.path.exists(path):
            with open(path) as f:
                key = json.load(f)
            for member in ('d', 'p', 'q', 'dp', 'dq', 'qi'):
                if key.get(member):
                    found['%s.%s' % (name, member)] = key[member]
    return found


# scenario -> (run_playbook keyword arguments, environment, tasks fail)
SCENARIOS = {
    'vvv-diff': (dict(verbosity=3, diff=True), {}, False),
    'check-mode': (dict(verbosity=3, diff=True, check=True), {}, False),
    'password-auth': (dict(verbosity=3, diff=True),
                      {'APINIZER_TOKEN': None, 'APINIZER_USERNAME': 'admin', 'APINIZER_PASSWORD': PASSWORD}, False),
    'bad-token': (dict(verbosity=3), {'APINIZER_TOKEN': WRONG_TOKEN}, True),
    'bad-password': (dict(verbosity=3),
                     {'APINIZER_TOKEN': None, 'APINIZER_USERNAME': 'admin', 'APINIZER_PASSWORD': WRONG_PASSWORD}, True),
    'server-errors': (dict(verbosity=3, diff=True), {}, True),
}


@pytest.mark.parametrize('scenario', list(SCENARIOS))
def test_no_secret_in_output(run_playbook, emu, tmp_path, scenario):
    kwargs, env, failing = SCENARIOS[scenario]
    tmp = str(tmp_path)
    if scenario == 'server-errors':
        # Every write fails on the server: deployment failures and a 500 on each credential write.
        emu.configure(failing_environments=['staging'])
        emu.add_fault(method='PUT', path='/credentials/', action='status', status=500, count=None)
    run = run_playbook(_play(_tasks(tmp, emu, failing)), env=env, **kwargs)
    secrets = _secrets(emu, tmp)
    # The grep covers the seeded keys, and after a real run every key the run created or wrote.
    members = [s for s in secrets if s.rsplit('.', 1)[-1] in ('d', 'p', 'q', 'dp', 'dq', 'qi', 'k')]
    assert len(members) >= (3 if failing or kwargs.get('check') else 20), sorted(secrets)
    found = leaks(run.output, secrets)
    assert found == [], 'secrets in the %s output: %s\n%s' % (scenario, ', '.join(found), run.describe())
    # The run really did something (or really failed) for every target.
    if scenario == 'bad-token':
        assert run.task('list JWKs')['failed'] and '401' in run.task('list JWKs')['result']['msg']
    elif scenario == 'bad-password':
        assert run.task('list JWKs')['failed']
    elif scenario == 'server-errors':
        assert run.task('assign')['failed'] and '500' in run.task('assign')['result']['msg']
    else:
        assert run.task('read JWKs')['failed'] is False, run.describe()
        if scenario != 'check-mode':
            assert 'sec-rsa' in emu.state()['projects']['demo']['jwks']


def test_server_error_that_echoes_the_request_is_masked(run_playbook, emu):
    """A server whose error text repeats the request (headers, form, body) must not leak it."""
    try:
        emu.add_fault(method='*', path='/apiops/', action='status', status=500, echo=True, count=None)
    except ValueError as exc:
        pytest.fail('the emulator needs a fault option "echo": true for action "status" whose answer '
                    'carries the request verbatim (method, path, every header including Authorization, '
                    'the raw form or JSON body) in error_description, validation_errors and a "request" '
                    'member; it refused: %s' % exc)
    run = run_playbook(_play(_tasks('/nonexistent', emu, True)), verbosity=3, diff=True,
                       env={'APINIZER_TOKEN': None, 'APINIZER_USERNAME': 'admin', 'APINIZER_PASSWORD': PASSWORD})
    found = leaks(run.output, _secrets(emu, '/nonexistent'))
    assert found == [], 'secrets in the output: %s\n%s' % (', '.join(found), run.describe())


def test_server_error_that_echoes_a_private_jwk_import_is_masked(run_playbook, emu):
    """Token auth, a POST carrying private members (jwkStr with d) answered by an echoing 500.

    The password-auth case above never gets past the token exchange; here the GET answers
    "not found" as usual and only the write is echoed, so the request body with the private
    key material and the Authorization header come back in the error body.
    """
    emu.add_fault(method='POST', path='/jwks/', action='status', status=500, echo=True, count=None)
    seed_ec = emu.state()['projects']['demo']['jwks']['seed-ec']['jwk']
    tasks = [
        {'name': 'import private JWK', JWK: {'name': 'echo-imported', 'source': 'jwk', 'jwk': seed_ec},
         'ignore_errors': True},
        {'name': 'import private JWK as a string', JWK: {'name': 'echo-imported', 'source': 'jwk',
                                                         'jwk': json.dumps(seed_ec)}, 'ignore_errors': True},
    ]
    run = run_playbook(_play(tasks), verbosity=3, diff=True)
    for name in ('import private JWK', 'import private JWK as a string'):
        task = run.task(name)
        # The write really reached the server and really failed with its echoed answer.
        assert task['failed'] and '500' in task['result']['msg'], run.describe()
    posts = [r for r in emu.requests() if r['method'] == 'POST']
    assert len(posts) == 2 and seed_ec['d'] in posts[0]['body']['jwkStr']
    found = leaks(run.output, _secrets(emu, '/nonexistent'))
    assert found == [], 'secrets in the output: %s\n%s' % (', '.join(found), run.describe())


def test_positive_control_private_key_is_shown_when_asked(run_playbook, emu):
    """return_private_key: true without no_log prints d (documented opt-in): the grep finds it."""
    run = run_playbook(_play([{'name': 'ask for the private key', JWK: {
        'name': 'seed-ec', 'key_type': 'EC', 'curve': 'P-256', 'return_private_key': True}}]), verbosity=1)
    secrets = _secrets(emu, '/nonexistent')
    assert leaks(run.output, secrets) == ['demo/seed-ec.d'], run.describe()
    # And with no_log the same task shows nothing.
    run = run_playbook(_play([{'name': 'ask for the private key', 'no_log': True, JWK: {
        'name': 'seed-ec', 'key_type': 'EC', 'curve': 'P-256', 'return_private_key': True}}]), verbosity=3)
    assert leaks(run.output, secrets) == []
