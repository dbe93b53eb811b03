# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shared connection options through a real AnsibleModule: env fallbacks, precedence, errors."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

import io

import pytest
import yaml

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.apinizer.apiops.tests.unit.compat.ansible_core import patch_module_args

from ansible_collections.apinizer.apiops.plugins.module_utils.client import ApinizerClient
from ansible_collections.apinizer.apiops.plugins.module_utils.connection import (
    CONNECTION_ARGSPEC,
    CONNECTION_MUTUALLY_EXCLUSIVE,
    CONNECTION_REQUIRED_TOGETHER,
    connection_argument_spec,
)

ENV_NAMES = ('APINIZER_URL', 'APINIZER_TOKEN', 'APINIZER_USERNAME', 'APINIZER_PASSWORD',
             'APINIZER_PROJECT', 'APINIZER_VALIDATE_CERTS', 'APINIZER_CA_PATH')


class NoSession(object):
    def request(self, *args, **kwargs):
        raise AssertionError('no HTTP request expected while building the client')


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


def build(args, capsys):
    """Run AnsibleModule + from_module; return (client, module) or the failure JSON dict."""
    with patch_module_args(args):
        try:
            module = AnsibleModule(
                argument_spec=connection_argument_spec(name=dict(type='str')),
                mutually_exclusive=CONNECTION_MUTUALLY_EXCLUSIVE,
                required_together=CONNECTION_REQUIRED_TOGETHER,
                supports_check_mode=True,
            )
            client = ApinizerClient.from_module(module, session=NoSession())
        except SystemExit:
            out = capsys.readouterr().out
            result = json.loads(out)
            assert result.get('failed'), result
            return result, None
    return client, module


def failure(args, capsys):
    result, module = build(args, capsys)
    assert module is None, 'expected a failure'
    return result['msg']


def test_connection_argument_spec_adds_module_options_without_touching_the_shared_spec():
    spec = connection_argument_spec(name=dict(type='str', required=True))
    spec['apinizer_url']['type'] = 'raw'
    assert 'name' in spec and 'name' not in CONNECTION_ARGSPEC
    assert CONNECTION_ARGSPEC['apinizer_url']['type'] == 'str'
    assert CONNECTION_ARGSPEC['apinizer_token']['no_log'] is True
    assert CONNECTION_ARGSPEC['apinizer_password']['no_log'] is True


def test_everything_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv('APINIZER_URL', 'https://env.example.com/')
    monkeypatch.setenv('APINIZER_TOKEN', 'env-token-1')
    monkeypatch.setenv('APINIZER_PROJECT', 'envproj')
    monkeypatch.setenv('APINIZER_CA_PATH', __file__)
    client, module = build({}, capsys)
    assert client.base_url == 'https://env.example.com/apiops'
    assert client.project == 'envproj'
    assert client._token == 'env-token-1'
    assert client.verify == __file__
    assert (client.timeout, client.retries) == (30, 3)
    # The env token bypasses the argspec's no_log: it must still be masked in module output.
    assert 'env-token-1' in module.no_log_values


def test_task_options_beat_environment_variables(monkeypatch, capsys):
    monkeypatch.setenv('APINIZER_URL', 'https://env.example.com')
    monkeypatch.setenv('APINIZER_TOKEN', 'env-token-1')
    monkeypatch.setenv('APINIZER_PROJECT', 'envproj')
    monkeypatch.setenv('APINIZER_VALIDATE_CERTS', 'false')
    client, module = build(dict(apinizer_url='https://task.example.com', apinizer_token='task-token',
                                project='taskproj', validate_certs=True, timeout=5, retries=0), capsys)
    assert client.base_url == 'https://task.example.com/apiops'
    assert client.project == 'taskproj'
    assert client._token == 'task-token'
    assert client.verify is True
    assert (client.timeout, client.retries) == (5, 0)


def test_task_username_password_beat_an_exported_token(monkeypatch, capsys):
    monkeypatch.setenv('APINIZER_TOKEN', 'env-token-1')
    monkeypatch.setenv('APINIZER_PASSWORD', 'env-password')
    client, module = build(dict(apinizer_url='https://m', project='p', apinizer_username='admin',
                                apinizer_password='task-password'), capsys)
    assert client._token is None
    assert (client.username, client._password) == ('admin', 'task-password')


def test_task_token_beats_exported_username_and_password(monkeypatch, capsys):
    monkeypatch.setenv('APINIZER_USERNAME', 'admin')
    monkeypatch.setenv('APINIZER_PASSWORD', 'env-password')
    client, module = build(dict(apinizer_url='https://m', project='p', apinizer_token='task-token'), capsys)
    assert client._token == 'task-token' and client.username is None


def test_username_and_password_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv('APINIZER_USERNAME', 'admin')
    monkeypatch.setenv('APINIZER_PASSWORD', 'env-password')
    client, module = build(dict(apinizer_url='https://m', project='p'), capsys)
    assert (client.username, client._password) == ('admin', 'env-password')
    assert 'env-password' in module.no_log_values


def test_missing_url_names_the_option_and_the_variable(monkeypatch, capsys):
    monkeypatch.setenv('APINIZER_TOKEN', 'tok-0a1b2c3d')
    msg = failure(dict(project='p'), capsys)
    assert 'apinizer_url' in msg and 'APINIZER_URL' in msg


def test_url_must_be_http(monkeypatch, capsys):
    msg = failure(dict(apinizer_url='mgr.example.com', project='p', apinizer_token='tok-0a1b2c3d'), capsys)
    assert 'http://' in msg


def test_missing_project_names_the_option_and_the_variable(capsys):
    msg = failure(dict(apinizer_url='https://m', apinizer_token='tok-0a1b2c3d'), capsys)
    assert 'project' in msg and 'APINIZER_PROJECT' in msg


def test_missing_credentials_name_both_ways(capsys):
    msg = failure(dict(apinizer_url='https://m', project='p'), capsys)
    for word in ('apinizer_token', 'APINIZER_TOKEN', 'apinizer_username', 'apinizer_password'):
        assert word in msg


def test_token_and_username_on_the_task_are_mutually_exclusive(capsys):
    msg = failure(dict(apinizer_url='https://m', project='p', apinizer_token='tok-0a1b2c3d',
                       apinizer_username='u', apinizer_password='pw-0a1b2c3d'), capsys)
    assert 'mutually exclusive' in msg and 'apinizer_token' in msg


def test_username_without_password_on_the_task_fails(monkeypatch, capsys):
    monkeypatch.setenv('APINIZER_TOKEN', 'env-token-1')
    msg = failure(dict(apinizer_url='https://m', project='p', apinizer_username='u'), capsys)
    assert 'apinizer_username' in msg and 'apinizer_password' in msg


def test_token_and_username_both_exported_is_ambiguous(monkeypatch, capsys):
    monkeypatch.setenv('APINIZER_TOKEN', 'env-token-1')
    monkeypatch.setenv('APINIZER_USERNAME', 'admin')
    monkeypatch.setenv('APINIZER_PASSWORD', 'env-password')
    msg = failure(dict(apinizer_url='https://m', project='p'), capsys)
    assert 'APINIZER_TOKEN' in msg and 'APINIZER_USERNAME' in msg
    assert 'env-token-1' not in msg and 'env-password' not in msg


def test_exported_username_without_password_fails(monkeypatch, capsys):
    monkeypatch.setenv('APINIZER_USERNAME', 'admin')
    msg = failure(dict(apinizer_url='https://m', project='p'), capsys)
    assert 'APINIZER_PASSWORD' in msg


@pytest.mark.parametrize('value', ['false', 'no', '0'])
def test_validate_certs_false_from_the_environment_warns(monkeypatch, capsys, value):
    monkeypatch.setenv('APINIZER_VALIDATE_CERTS', value)
    with patch_module_args(dict(apinizer_url='https://m', project='p', apinizer_token='tok-0a1b2c3d')):
        module = AnsibleModule(argument_spec=connection_argument_spec())
        warnings = []
        module.warn = warnings.append
        client = ApinizerClient.from_module(module, session=NoSession())
    assert client.verify is False
    assert len(warnings) == 1 and 'validate_certs' in warnings[0]


def test_validate_certs_true_does_not_warn(capsys):
    with patch_module_args(dict(apinizer_url='https://m', project='p', apinizer_token='tok-0a1b2c3d')):
        module = AnsibleModule(argument_spec=connection_argument_spec())
        warnings = []
        module.warn = warnings.append
        ApinizerClient.from_module(module, session=NoSession())
    assert warnings == []


def test_a_missing_ca_path_fails_clearly(capsys):
    msg = failure(dict(apinizer_url='https://m', project='p', apinizer_token='tok-0a1b2c3d',
                       ca_path='/nonexistent/ca.pem'), capsys)
    assert '/nonexistent/ca.pem' in msg


@pytest.mark.parametrize('option, value', [('timeout', 0), ('retries', -1)])
def test_bad_timeout_or_retries_fail(capsys, option, value):
    args = dict(apinizer_url='https://m', project='p', apinizer_token='tok-0a1b2c3d')
    args[option] = value
    assert option in failure(args, capsys)


def test_failure_output_never_contains_the_task_token(capsys):
    # The token is no_log: AnsibleModule masks it even inside messages that quote it.
    result, module = build(dict(apinizer_url='https://secret-token-xyz', project='p',
                                apinizer_token='secret-token-xyz', timeout=0), capsys)
    assert module is None
    assert 'secret-token-xyz' not in json.dumps(result)


def _collection_root():
    # The collection under test (the installed copy under pytest and ansible-test units alike).
    from ansible_collections.apinizer.apiops.plugins.module_utils import client
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(client.__file__))))


def test_doc_fragment_documents_every_connection_option_with_its_env_var():
    from ansible_collections.apinizer.apiops.plugins.doc_fragments.connection import ModuleDocFragment
    from ansible_collections.apinizer.apiops.plugins.module_utils.connection import ENV_VARS
    options = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
    assert set(options) == set(CONNECTION_ARGSPEC)
    for name, spec in CONNECTION_ARGSPEC.items():
        doc = options[name]
        assert doc['type'] == spec['type'], name
        assert doc.get('default') == spec.get('default'), name
        text = ' '.join(doc['description'])
        fallback = spec.get('fallback')
        env = ENV_VARS.get(name)
        if fallback:
            # The argspec's own fallback and the documented variable must be the same one.
            assert fallback[1] == [env], name
        if env:
            assert 'E(%s)' % env in text, '%s does not document %s' % (name, env)
        else:
            assert 'E(APINIZER_' not in text, name
    # The table: these seven options read the environment, timeout and retries do not.
    assert sorted(ENV_VARS) == sorted(['apinizer_url', 'apinizer_token', 'apinizer_username', 'apinizer_password',
                                       'project', 'validate_certs', 'ca_path'])
    assert sorted(ENV_VARS.values()) == sorted(ENV_NAMES)
    assert {n for n, s in CONNECTION_ARGSPEC.items() if s.get('no_log')} == {'apinizer_token', 'apinizer_password'}


def test_action_group_lists_exactly_the_modules_that_take_the_connection_options():
    # module_defaults hands a group's defaults to every module of the group, so a module that
    # has no connection options (jwk_keypair) would fail with "Unsupported parameters" there.
    root = _collection_root()
    with open(os.path.join(root, 'meta', 'runtime.yml')) as f:
        runtime = yaml.safe_load(f)
    # the tested range exactly (docs/tested-versions.md): ansible-core 2.16 to 2.21
    assert runtime['requires_ansible'] == '>=2.16.0,<2.22.0'
    modules_dir = os.path.join(root, 'plugins', 'modules')
    connected, local = [], []
    for filename in sorted(os.listdir(modules_dir)):
        if not filename.endswith('.py') or filename == '__init__.py':
            continue
        with open(os.path.join(modules_dir, filename)) as f:
            source = f.read()
        uses = 'ApinizerModule(' in source  # the skeleton merges the connection options
        assert uses == ('- apinizer.apiops.connection' in source), filename
        (connected if uses else local).append(filename[:-3])
    # jwk_rotation_step: the documentation of the role's action (no module code, no connection).
    assert len(connected) >= 4 and local == ['jwk_keypair', 'jwk_rotation_step']
    assert sorted(runtime['action_groups']['apinizer']) == connected


def _client_without_test_session(args):
    # The real construction path (no session= injected), as a module run does it.
    with patch_module_args(args):
        return ApinizerClient.from_module(AnsibleModule(argument_spec=connection_argument_spec()))


def test_missing_requests_fails_with_missing_required_lib(monkeypatch, capsys):
    from ansible_collections.apinizer.apiops.plugins.module_utils import client
    monkeypatch.setattr(client, 'HAS_REQUESTS', False)
    with pytest.raises(SystemExit):
        _client_without_test_session(dict(apinizer_url='https://m', project='p', apinizer_token='tok-0a1b2c3d'))
    result = json.loads(capsys.readouterr().out)
    assert result['failed'] and 'Failed to import the required Python library (requests)' in result['msg']


def test_one_requests_session_serves_every_request_of_a_run(monkeypatch):
    import requests
    client = _client_without_test_session(dict(apinizer_url='https://m', project='p', apinizer_token='tok-0a1b2c3d'))
    assert isinstance(client.session, requests.Session)
    used = []

    def request(self, method, url, **kwargs):
        used.append(self)
        response = requests.Response()
        response.status_code = 200
        response.raw = io.BytesIO(b'{"success": true, "resultList": []}')
        response.raw.read1 = lambda amt, decode_content=True, raw=response.raw: io.BytesIO.read1(raw, amt)
        return response

    monkeypatch.setattr(requests.Session, 'request', request)
    client.list_jwks()
    client.list_credentials()
    assert len(used) == 2 and used[0] is used[1] is client.session
