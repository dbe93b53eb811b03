# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The server as the vendor's current reference documents it (the emulator's default): what issue 21
asks of it, each proved once here. A rerun the JWK list decides is one request; a refused
assignment removal fails with the server's text and leaves the credential on its JWK; one failed
pod under an overall success fails the task under fail_on_deploy_error. (use/alg verified without
reading private members: test_apinizer_jwk.py::test_use_and_algorithm_on_three_servers.)"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

PERMISSION = 'User does not have required permission for this operation!'


def api_requests(emu):
    return [(r['method'], r['path'].split('/apiops', 1)[-1]) for r in emu.requests()]


def writes(emu):
    return [r for r in api_requests(emu) if r[0] != 'GET']


def test_create_noop_delete(run_module, emu):
    task = dict(name='cur-ec', key_type='EC', description='on the current server')
    created = run_module('apinizer_jwk', task)
    assert created.changed and created.result['jwk']['id']
    assert [d['pods'] != [] for d in created.result['deployment']] == [True, True]   # per pod
    emu.clear_requests()
    again = run_module('apinizer_jwk', task)
    assert not again.changed and again.result['jwk']['id'] == created.result['jwk']['id']
    assert api_requests(emu) == [('GET', '/projects/demo/jwks/')]   # one request: the list decides
    emu.clear_requests()
    deleted = run_module('apinizer_jwk', dict(name='cur-ec', state='absent'))
    assert deleted.changed and writes(emu) == [('DELETE', '/projects/demo/jwks/cur-ec/')]
    recreated = run_module('apinizer_jwk', task)
    assert recreated.result['jwk']['id'] != created.result['jwk']['id']   # a new JWK, a new id


def test_a_refused_assignment_removal_fails_naming_the_server_text(run_module, emu):
    assert run_module('apinizer_jwk', dict(name='cur-sig', key_type='EC')).changed
    assert run_module('apinizer_credential_jwk', dict(username='api-user', purpose='validation',
                                                      jwk_name='cur-sig')).changed
    emu.add_fault(method='DELETE', path='/credentials/api-user/jwk/validation/$', action='refused')
    run = run_module('apinizer_credential_jwk', dict(username='api-user', purpose='validation', state='absent'))
    assert run.failed and not run.changed
    assert PERMISSION in run.msg and 'Removing the validation JWK' in run.msg
    credential = emu.state()['projects']['demo']['credentials']['api-user']
    assert credential['validationJwkName'] == 'cur-sig'


@pytest.mark.parametrize('fail_on_deploy_error', [True, False])
def test_one_failed_pod_under_an_overall_success_is_a_failed_environment(run_module, emu, fail_on_deploy_error):
    emu.configure(failing_pods=['staging/staging-worker-2'], deployment_success=True)
    run = run_module('apinizer_jwk', dict(name='cur-pod', key_type='EC', fail_on_deploy_error=fail_on_deploy_error))
    assert run.changed   # the JWK is stored either way: say so
    staging = [d for d in run.result['deployment'] if d['environment'] == 'staging'][0]
    assert staging['success'] is False
    assert [(p['name'], p['success']) for p in staging['pods']] == [('staging-worker-1', True), ('staging-worker-2', False)]
    text = 'JWK cur-pod was saved, but deployment failed in: staging: staging-worker-2 (10.0.2.2)'
    if fail_on_deploy_error:
        assert run.failed and run.msg.startswith(text) and run.result['failed_environments'] == ['staging']
    else:
        assert not run.failed and any(w.startswith(text) for w in run.warnings)
