# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Secrets never reach what Ansible prints or logs: every module and the role through
ansible-playbook at -vvv, with its log file (log_path) on.

Each scenario is one ansible-playbook run at -vvv --diff (a real run; the same in check mode,
which also proves check mode through Ansible writes nothing; every request answered by an error
that echoes it, with username/password auth) running every module and the role. Afterwards the
real secrets are collected from the emulator (the API token, the admin password, every token the
server issued, every credential password and every private JWK member d, p, q, dp, dq, qi and oct
k) and from the private key files the run wrote, and the combined stdout+stderr and the log file
are grepped for each one. A positive control proves the grep finds a secret when one is printed.
A module's own output on its failure paths (bad token, bad password, server errors, echoed
imports): tests/inprocess/test_secrets.py.
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
        {'name': 'generate EC', JWK: {'name': 'sec-ec', 'key_type': 'EC'}},
        {'name': 'replace', JWK: {'name': 'sec-ec', 'key_type': 'EC', 'curve': 'P-384',
                                  'regenerate': 'when_different'}},
        {'name': 'private key on request, not logged', JWK: {'name': 'seed-ec', 'return_private_key': True},
         'no_log': True},
        {'name': 'set', 'apinizer.apiops.apinizer_jwks': {'config': [{'name': 'sec-set', 'source': 'jwk',
                                                                      'jwk': seed_ec}]}},
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
    found = server_secrets(emu, {'API token': TOKEN, 'admin password': PASSWORD})
    for name in ('keypair.jwk', 'rotation.jwk'):
        path = os.path.join(tmp, name)
        if os.path.exists(path):
            with open(path) as f:
                key = json.load(f)
            for member in ('d', 'p', 'q', 'dp', 'dq', 'qi'):
                if key.get(member):
                    found['%s.%s' % (name, member)] = key[member]
    return found


def _logged(tmp):
    """What the run wrote to its log file (ANSIBLE_LOG_PATH)."""
    path = os.path.join(tmp, 'ansible.log')
    with open(path) as f:
        return f.read()


@pytest.mark.parametrize('check', [False, True], ids=['vvv-diff', 'check-mode'])
def test_no_secret_in_output_or_log(run_playbook, emu, tmp_path, check):
    tmp = str(tmp_path)
    run = run_playbook(_play(_tasks(tmp, emu)), verbosity=3, diff=True, check=check,
                       env={'ANSIBLE_LOG_PATH': os.path.join(tmp, 'ansible.log')})
    secrets = _secrets(emu, tmp)
    # The grep covers the seeded keys, and after a real run every key the run created or wrote.
    members = [s for s in secrets if s.rsplit('.', 1)[-1] in ('d', 'p', 'q', 'dp', 'dq', 'qi', 'k')]
    assert len(members) >= (3 if check else 20), sorted(secrets)
    logged = _logged(tmp)
    assert 'read JWKs' in logged  # the log file holds the run
    for where, text in (('output', run.output), ('log file', logged)):
        found = leaks(text, secrets)
        assert found == [], 'secrets in the %s: %s\n%s' % (where, ', '.join(found), run.describe())
    assert 'the output has been hidden' in run.output  # the no_log task
    assert run.task('read JWKs')['failed'] is False, run.describe()
    writes = [(r['method'], r['path']) for r in emu.requests() if r['method'] != 'GET']
    if check:
        # Check mode through Ansible (--check): every module and the role plan, nothing is written.
        assert run.changed_tasks and writes == [], (writes, run.describe())
    else:
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


def test_positive_control_private_key_is_shown_when_asked(run_playbook, emu, tmp_path):
    """return_private_key: true without no_log prints d (documented opt-in): the greps find it, in
    the output and in the log file."""
    tmp = str(tmp_path)
    task = {'name': 'ask for the private key', JWK: {
        'name': 'seed-ec', 'key_type': 'EC', 'curve': 'P-256', 'return_private_key': True}}
    env = {'ANSIBLE_LOG_PATH': os.path.join(tmp, 'ansible.log')}
    run = run_playbook(_play([task]), verbosity=1, env=env)
    secrets = _secrets(emu, '/nonexistent')
    assert leaks(run.output, secrets) == ['demo/seed-ec.d'], run.describe()
    assert leaks(_logged(tmp), secrets) == ['demo/seed-ec.d']
    # And with no_log the same task shows nothing.
    os.remove(os.path.join(tmp, 'ansible.log'))
    run = run_playbook(_play([dict(task, no_log=True)]), verbosity=3, env=env)
    assert leaks(run.output, secrets) == [] and leaks(_logged(tmp), secrets) == []
