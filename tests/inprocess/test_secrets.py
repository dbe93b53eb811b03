# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Secrets never reach a module's output on its failure paths: a bad token, a bad password, server
errors and deployment failures, and error answers that echo the request (its Authorization
header, the token form with the password, the body with private key members).

After the runs the real secrets are collected from the emulator (the API token, the admin
password, every token the server issued, every credential password and every private JWK member)
and every run's output (the result JSON the controller receives, invocation included) is grepped
for each. What Ansible prints around it at -vvv, and in its log file: tests/integration/robustness/
test_secrets.py, with the positive control.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest
import requests

from leak_checks import leaks, server_secrets

TOKEN = 'tok-9f3c2b7e1d5a4c68b0e2f1a3d5c7e9b1'
PASSWORD = 'pw-7d1e5b3a9c2f4e6081d3b5a7c9e1f3a5'
WRONG_TOKEN = 'wrong-tok-5c3a1e9f7d2b4c6e8a0f1b3d5e7a9c1'
WRONG_PASSWORD = 'wrong-pw-3e5a7c9e1b2d4f6a8c0e1f3b5d7a9c2'
SEED = {'projects': {'demo': {'jwks': [
    {'name': 'seed-ec', 'sourceType': 'GENERATE', 'generate': {'type': 'EC', 'ec': {'curveType': 'P256'}}},
    {'name': 'seed-oct', 'sourceType': 'GENERATE',
     'generate': {'type': 'OCT', 'oct': {'keySize': 256, 'keyUseType': 'SIGNATURE', 'algorithm': 'HS256'}}},
]}}}
PASSWORD_AUTH = {'APINIZER_TOKEN': None, 'APINIZER_USERNAME': 'admin', 'APINIZER_PASSWORD': PASSWORD}


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


def operations(emu):
    """(label, module, options): one run per module operation, private key material included."""
    seed_ec = emu.state()['projects']['demo']['jwks']['seed-ec']['jwk']
    admin = emu.state()['projects']['admin']['jwks']['shared-admin-jwk']['jwk']
    return [
        ('generate RSA', 'apinizer_jwk', {'name': 'sec-rsa', 'key_type': 'RSA', 'key_size': 2048, 'algorithm': 'RS256'}),
        ('generate OCT', 'apinizer_jwk', {'name': 'sec-oct', 'key_type': 'OCT', 'key_size': 256, 'algorithm': 'HS256'}),
        ('import private JWK', 'apinizer_jwk', {'name': 'sec-imported', 'source': 'jwk', 'jwk': seed_ec}),
        ('import private JWK as a string', 'apinizer_jwk', {'name': 'sec-imported', 'source': 'jwk',
                                                           'jwk': json.dumps(seed_ec), 'description': 'again'}),
        ('differing private JWK', 'apinizer_jwk', {'name': 'seed-ec', 'source': 'jwk', 'jwk': admin}),
        ('update description', 'apinizer_jwk', {'name': 'seed-oct', 'description': 'updated', 'key_type': 'OCT',
                                                'key_size': 256}),
        ('read JWKs', 'apinizer_jwk_info', {'names': ['seed-ec', 'seed-oct', 'sec-rsa', 'sec-oct']}),
        ('read admin JWK', 'apinizer_jwk_info', {'name': 'shared-admin-jwk', 'project': 'admin'}),
        ('list JWKs', 'apinizer_jwk_info', {}),
        ('set', 'apinizer_jwks', {'config': [{'name': 'sec-set', 'source': 'jwk', 'jwk': seed_ec}]}),
        ('assign', 'apinizer_credential_jwk', {'username': 'api-user', 'purpose': 'validation', 'jwk_name': 'seed-ec'}),
        ('list credentials', 'apinizer_credential_info', {}),
        ('delete', 'apinizer_jwk', {'name': 'sec-imported', 'state': 'absent'}),
    ]


def run_all(run_module, emu, env=None, diff=True):
    return dict((label, run_module(module, options, env=env, diff=diff))
                for label, module, options in operations(emu))


def secrets(emu):
    return server_secrets(emu, {'API token': TOKEN, 'admin password': PASSWORD, 'wrong token': WRONG_TOKEN,
                                'wrong password': WRONG_PASSWORD})


def assert_no_leak(emu, runs):
    found = secrets(emu)
    members = [s for s in found if s.rsplit('.', 1)[-1] in ('d', 'p', 'q', 'dp', 'dq', 'qi', 'k')]
    assert len(members) >= 3, sorted(found)  # the grep covers the seeded keys at least
    for label, run in runs.items():
        assert leaks(run.output, found) == [], '%s: %r' % (label, run)


@pytest.mark.parametrize('env', [{'APINIZER_TOKEN': WRONG_TOKEN},
                                 dict(PASSWORD_AUTH, APINIZER_PASSWORD=WRONG_PASSWORD)],
                         ids=['bad-token', 'bad-password'])
def test_refused_credentials(run_module, emu, env):
    runs = run_all(run_module, emu, env=env)
    assert all(run.failed for run in runs.values()), runs
    assert '401' in runs['list JWKs'].msg
    writes = [r for r in emu.requests() if r['method'] != 'GET' and r['path'] != '/apiops/auth/token']
    assert writes == []
    assert_no_leak(emu, runs)


def test_server_errors_and_failed_deployments(run_module, emu):
    emu.configure(failing_environments=['staging'])
    emu.add_fault(method='PUT', path='/credentials/', action='status', status=500, count=None)
    runs = run_all(run_module, emu)
    assert runs['assign'].failed and '500' in runs['assign'].msg
    assert runs['generate RSA'].failed and 'staging' in runs['generate RSA'].msg
    assert_no_leak(emu, runs)


def test_password_auth_succeeds_without_a_leak(run_module, emu):
    runs = run_all(run_module, emu, env=PASSWORD_AUTH)
    assert not runs['read JWKs'].failed and 'sec-rsa' in emu.state()['projects']['demo']['jwks']
    assert_no_leak(emu, runs)


def test_error_answers_that_echo_the_request_are_masked(run_module, emu):
    """Every answer is a 500 repeating the request verbatim: method, path, every header including
    Authorization, the raw token form (with the password) or JSON body (with private members)."""
    emu.add_fault(method='*', path='/apiops/', action='status', status=500, echo=True, count=None)
    runs = run_all(run_module, emu, env=PASSWORD_AUTH)
    assert all(run.failed and '500' in run.msg for run in runs.values()), runs
    assert_no_leak(emu, runs)
    # Positive control: such an answer really carries the password the module sent.
    echo = requests.post(emu.url + '/apiops/auth/token', timeout=10,
                         data={'grant_type': 'client_credentials', 'client_id': 'admin', 'client_secret': PASSWORD})
    assert echo.status_code == 500 and PASSWORD in echo.text


def test_error_answer_that_echoes_a_private_jwk_import_is_masked(run_module, emu):
    """Token auth: the GET answers "not found" as usual, only the write is echoed, so the body with
    the private key material and the Authorization header come back in the error."""
    emu.add_fault(method='POST', path='/jwks/', action='status', status=500, echo=True, count=None)
    seed_ec = emu.state()['projects']['demo']['jwks']['seed-ec']['jwk']
    runs = dict((label, run_module('apinizer_jwk', {'name': 'echo-imported', 'source': 'jwk', 'jwk': jwk}))
                for label, jwk in (('dict', seed_ec), ('string', json.dumps(seed_ec))))
    for run in runs.values():
        # The write really reached the server and really failed with its echoed answer.
        assert run.failed and '500' in run.msg, run
    posts = [r for r in emu.requests() if r['method'] == 'POST']
    assert len(posts) == 2 and seed_ec['d'] in posts[0]['body']['jwkStr']
    assert_no_leak(emu, runs)
