# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""TLS and the role: the emulator over HTTPS with its own self-signed CA.

Verification is on by default and the role's failure says what to do (ca_path, validate_certs);
the role variable jwk_rotation_apinizer_ca_path or APINIZER_CA_PATH makes it pass;
jwk_rotation_apinizer_validate_certs: false or APINIZER_VALIDATE_CERTS=false works and warns.
The modules' options and environment variables over HTTPS: tests/inprocess/test_tls.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re

import pytest

from robustness_lib import role_task

pytestmark = [pytest.mark.slow, pytest.mark.robustness, pytest.mark.tls]

@pytest.fixture
def emulator(tmp_path_factory):
    from apinizer_emulator import Emulator
    emu = Emulator(tls_dir=str(tmp_path_factory.mktemp('tls')))
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()


def _rescued(name, **variables):
    return {'name': 'case ' + name, 'block': [role_task('rotate ' + name, **variables)],
            'rescue': [{'name': name + ' failed', 'ansible.builtin.debug': {'msg': '{{ ansible_failed_result.msg }}'}}]}


def _play(tasks):
    return json.dumps([{'name': 'tls', 'hosts': 'localhost', 'gather_facts': False,
                        'module_defaults': {'group/apinizer.apiops.apinizer': {'project': 'demo'}},
                        'tasks': tasks}]) + '\n'


def _clear_failure(msg):
    """The message says it is about certificate verification and how to fix it."""
    return (re.search(r'certificate', msg, re.I) and re.search(r'verif', msg, re.I)
            and 'ca_path' in msg and 'validate_certs' in msg)



def test_https_role_variables(run_playbook, emulator):
    assert emulator.url.startswith('https://')
    ca = emulator.ca_file
    run = run_playbook(_play([
        _rescued('role default', jwk_rotation_name='tls-default'),
        _rescued('role ca_path', jwk_rotation_name='tls-ca', jwk_rotation_apinizer_ca_path=ca),
        _rescued('role no verification', jwk_rotation_name='tls-insecure', jwk_rotation_apinizer_validate_certs=False),
    ]))
    problems = []
    try:
        msg = run.task('role default failed')['result']['msg']
        if not _clear_failure(msg):
            problems.append('role default verification message: %r' % msg)
    except KeyError:
        problems.append('role default verification did not fail')
    for name in ('role ca_path', 'role no verification'):
        try:
            problems.append('%s failed: %r' % (name, run.task(name + ' failed')['result']['msg']))
        except KeyError:
            pass
    role_warnings = [w for r in run.results if 'jwk_rotation :' in r['task'] for w in r['warnings']]
    if not any('validate_certs' in w for w in role_warnings):
        problems.append('role with validate_certs false did not warn')
    state = emulator.state()['projects']['demo']['jwks']
    if not [n for n in state if n.startswith('tls-ca-')] or not [n for n in state if n.startswith('tls-insecure-')]:
        problems.append('role runs over HTTPS created no generation: %r' % sorted(state))
    if [n for n in state if n.startswith('tls-default-')]:
        problems.append('the unverified default run wrote a generation')
    assert not problems, '\n'.join(problems) + '\n' + run.describe()


@pytest.mark.parametrize('env,warns', [
    pytest.param({'APINIZER_CA_PATH': 'CA'}, False, id='APINIZER_CA_PATH'),
    pytest.param({'APINIZER_VALIDATE_CERTS': 'false'}, True, id='APINIZER_VALIDATE_CERTS-false'),
])
def test_https_environment_variables(run_playbook, emulator, env, warns):
    env = dict((k, emulator.ca_file if v == 'CA' else v) for k, v in env.items())
    run = run_playbook(_play([_rescued('role', jwk_rotation_name='tls-env')]), env=env)
    with pytest.raises(KeyError):
        run.task('role failed')
    role_warnings = [w for r in run.results if 'jwk_rotation :' in r['task'] for w in r['warnings']]
    assert any('validate_certs' in w for w in role_warnings) is warns, role_warnings
    assert [n for n in emulator.state()['projects']['demo']['jwks'] if n.startswith('tls-env-')]
