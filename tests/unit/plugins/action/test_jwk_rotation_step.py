# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The jwk_rotation role's action: what it reads (variables, check mode, module_defaults, the
connection, the environment) and the results it gives the role (facts, warnings, failures)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import pytest

from ansible_collections.apinizer.apiops.tests.unit.compat.ansible_core import controller_imports

with controller_imports():  # importing controller code marks the process as the controller
    from ansible_collections.apinizer.apiops.plugins.action import jwk_rotation_step as step_plugin
    from ansible_collections.apinizer.apiops.plugins.plugin_utils import jwk_rotation_plan as rp

NOW = '20261204T110000Z'
BOTH = ['api-user/validation', 'mobile-app/validation']
ROLE_VARS = {'jwk_rotation_name': 'sig', 'jwk_rotation_key_type': 'EC', 'jwk_rotation_key_size': 2048,
             'jwk_rotation_algorithm': None, 'jwk_rotation_use': 'signature', 'jwk_rotation_max_age': '90d',
             'jwk_rotation_keep': 1, 'jwk_rotation_force': False, 'jwk_rotation_exclusive': False,
             'jwk_rotation_stage_ahead': None, 'jwk_rotation_rollback': False, 'jwk_rotation_revoke': False,
             'jwk_rotation_source': 'generate', 'jwk_rotation_private_key_path': None,
             'jwk_rotation_private_key_format': 'jwk',
             'jwk_rotation_credentials': [{'username': 'api-user'}, {'username': 'mobile-app'}]}
CREDENTIALS = [{'username': u, 'validation_jwk_name': None, 'encryption_jwk_name': None}
               for u in ('api-user', 'mobile-app')]


class Templar(object):
    """Variables are already values here; '{{ secret }}' stands for a template the play holds."""

    def template(self, value):
        if isinstance(value, dict):
            return dict((k, self.template(v)) for k, v in value.items())
        return 'from-a-vault' if value == '{{ secret }}' else value


class Task(object):
    def __init__(self, args, check_mode=False, module_defaults=None, environment=None):
        self.args = args
        self.check_mode = check_mode
        self.module_defaults = module_defaults or []
        self.environment = environment
        self.async_val = 0
        self.action = 'apinizer.apiops.jwk_rotation_step'


class Shell(object):
    tmpdir = '/tmp'


class Connection(object):
    def __init__(self, transport='local'):
        self.transport = transport
        self._shell = Shell()


@pytest.fixture(autouse=True)
def environment(monkeypatch):
    """The controller's environment: the emulator's URL and project, as the integration tests set them."""
    for name in list(os.environ):
        if name.startswith('APINIZER_'):
            monkeypatch.delenv(name)
    monkeypatch.setenv('APINIZER_URL', 'http://127.0.0.1:1')
    monkeypatch.setenv('APINIZER_PROJECT', 'demo')
    monkeypatch.setattr(rp, 'utc_stamp', lambda: NOW)
    monkeypatch.setattr(step_plugin, 'utc_stamp', lambda: NOW)


def run(step, check_mode=False, role_vars=None, module_defaults=None, transport='local', environment=None,
        modules=None, **args):
    """One step; ``modules``: a list that receives (module, args) of each module the step runs, and
    answers it with apinizer_jwk_info's ``usage`` read from ``modules_answer`` (the list's attribute)."""
    task = Task(dict(args, step=step), check_mode, module_defaults, environment)
    action = step_plugin.ActionModule(task, Connection(transport), None, None, Templar(), None)
    if modules is not None:
        def execute(module_name=None, module_args=None, task_vars=None):
            modules.append((module_name, module_args))
            return modules.answer
        action._execute_module = execute
    registered = []
    # ansible-core 2.20+: the variables are registered with the running task (none here).
    action.register_host_variables = lambda variables, layer: registered.append((variables, layer))
    result = action.run(task_vars=dict(ROLE_VARS, **(role_vars or {})))
    if step_plugin.VariableLayer is not None and 'ansible_facts' in result:
        assert registered == [({}, step_plugin.VariableLayer.CACHEABLE_FACT),
                              (result['ansible_facts'], step_plugin.VariableLayer.EPHEMERAL_FACT)]
    return result


def gen(stamp, **fields):
    record = dict({'state': 'active', 'activated': stamp, 'switched': []}, **fields)
    return {'name': 'sig-' + stamp, 'description': rp.format_record('sig', stamp, record), 'source_type': 'generate'}


def test_unknown_step_fails():
    assert run('dance')['failed'] is True


# ---- settings (before any request) ------------------------------------------------------------------

def test_settings_fail_naming_every_bad_variable():
    result = run('settings', role_vars={'jwk_rotation_max_age': '90x', 'jwk_rotation_algorithm': 'RS256'})
    assert result['failed'] is True
    assert 'jwk_rotation_max_age must be a whole number' in result['msg']
    assert "jwk_rotation_algorithm 'RS256' does not fit" in result['msg']


def test_settings_pass_and_report_check_mode():
    result = run('settings', check_mode=True)
    assert not result.get('failed') and result['check_mode'] is True and result['changed'] is False


def test_a_missing_url_names_both_spellings(monkeypatch):
    """Issue 25 #2: the message names apinizer_url and jwk_rotation_apinizer_url."""
    monkeypatch.delenv('APINIZER_URL')
    msg = run('settings')['msg']
    assert 'apinizer_url is required' in msg and 'jwk_rotation_apinizer_url' in msg
    assert not run('settings', role_vars={'jwk_rotation_apinizer_url': 'http://x'}).get('failed')
    # The task's environment keyword reaches the modules too.
    assert not run('settings', environment=[{'APINIZER_URL': 'http://x'}]).get('failed')
    # A play's module_defaults for the group count.
    defaults = [{'group/apinizer.apiops.apinizer': {'apinizer_url': 'http://x'}}]
    assert not run('settings', module_defaults=defaults).get('failed')


def test_source_local_needs_the_controller():
    local = {'jwk_rotation_source': 'local', 'jwk_rotation_private_key_path': '/keys/k'}
    result = run('settings', role_vars=local, transport='ssh')
    assert result['failed'] and 'connection local' in result['msg']
    assert not run('settings', role_vars=local).get('failed')


# ---- connection (issue 25 #2) ------------------------------------------------------------------

def test_the_connection_is_the_plays_group_entry_with_the_role_variables_over_it():
    defaults = [{'group/apinizer.apiops.apinizer': {'apinizer_url': 'http://outer', 'timeout': 9}},
                {'apinizer.apiops.apinizer_jwk': {'retries': 1},
                 'group/apinizer.apiops.apinizer': {'apinizer_url': 'http://play', 'apinizer_token': '{{ secret }}',
                                                    'project': 'payments', 'timeout': 60}}]
    result = run('connection', module_defaults=defaults,
                 role_vars={'jwk_rotation_apinizer_project': 'demo', 'jwk_rotation_apinizer_retries': 0})
    # The last entry wins as a whole (ansible's rule); the role's variables win key by key.
    assert result['connection'] == {'apinizer_url': 'http://play', 'apinizer_token': 'from-a-vault',
                                    'project': 'demo', 'timeout': 60, 'retries': 0}
    assert 'ansible_facts' not in result   # a secret is never a fact (a fact cache may keep it on disk)


def test_without_any_play_entry_only_the_set_role_variables_are_passed():
    result = run('connection', role_vars={'jwk_rotation_apinizer_token': 't', 'jwk_rotation_apinizer_url': ''})
    assert result['connection'] == {'apinizer_token': 't'}


# ---- plan and reconcile ------------------------------------------------------------------------

def test_plan_sets_the_fact_and_shows_nothing_extra_on_a_real_run():
    result = run('plan', jwks=[], credentials=CREDENTIALS, assignments_reported=False)
    plan = result['ansible_facts']['__jwk_rotation_plan']
    assert plan['action'] == 'rotate' and plan['active'] == 'sig-' + NOW and plan['check_mode'] is False
    assert plan['key'] == {'key_type': 'EC', 'key_size': None, 'curve': 'P-256', 'use': 'signature',
                           'algorithm': 'ES256'}
    assert result['changed'] is False and result['msg'] == plan['summary'] and result['warnings'] == []


def test_plan_follows_the_tasks_check_mode_however_it_was_set():
    """check_mode set on the role, a block or include_role's apply reaches the task, not ansible_check_mode."""
    result = run('plan', check_mode=True, jwks=[], credentials=CREDENTIALS, assignments_reported=False)
    plan = result['ansible_facts']['__jwk_rotation_plan']
    assert plan['check_mode'] is True and plan['pending'] == [] and plan['switch_labels'] == BOTH
    assert result['changed'] is True
    assert result['msg'] == ['would switch api-user/validation, mobile-app/validation to sig-%s, which this run '
                             'would create' % NOW]


def test_plan_errors_fail_before_any_write():
    result = run('plan', jwks=[], credentials=CREDENTIALS[:1], assignments_reported=False)
    assert result['failed'] is True and 'mobile-app' in result['msg'] and 'do not exist' in result['msg']
    assert 'ansible_facts' not in result


def test_plan_warnings_are_real_warnings():
    old = [gen('20240101T000000Z'), gen('20250101T000000Z'), gen('20260101T000000Z')]
    result = run('plan', jwks=old + [{'name': 'sig-20991231T235959Z', 'description': 'mine'}],
                 credentials=CREDENTIALS, assignments_reported=False)
    assert [w.split(',')[0] for w in result['warnings']] == [
        'The server does not report which JWKs the credentials use',
        'JWKs named like generations of sig that the role did not create are left alone (never made active']


def test_the_admin_project_comes_from_the_connection():
    old = [gen('20240101T000000Z'), gen('20250101T000000Z'), gen('20260101T000000Z')]
    reported = [dict(c, validation_jwk_name='sig-20260101T000000Z') for c in CREDENTIALS]
    modules = Modules(dict(jwks=usage(old)))   # it would delete: the policies are read (none pins)
    plain = run('plan', jwks=old, credentials=reported, assignments_reported=True, modules=modules)
    assert plain['ansible_facts']['__jwk_rotation_plan']['retire'] == ['sig-20240101T000000Z', 'sig-20250101T000000Z']
    assert len(modules) == 1
    admin = run('plan', role_vars={'jwk_rotation_apinizer_project': 'admin'}, jwks=old, credentials=reported,
                assignments_reported=True)
    assert admin['ansible_facts']['__jwk_rotation_plan']['retire'] == []


def test_the_pinned_seam_reaches_the_plan():
    old = [gen('20240101T000000Z'), gen('20250101T000000Z'), gen('20260101T000000Z')]
    pin = {'api_proxy': 'orders', 'policy': 'verify'}
    result = run('plan', jwks=old, credentials=CREDENTIALS, assignments_reported=True,
                 pinned={'sig-20240101T000000Z': [pin]})
    plan = result['ansible_facts']['__jwk_rotation_plan']
    assert plan['pinned_by_policies'] == {'sig-20240101T000000Z': [pin]} and plan['retire'] == ['sig-20250101T000000Z']
    assert any(w.startswith('Policies still use an old key of sig') for w in result['warnings'])


def test_reconcile_merges_and_warns_only_what_the_first_plan_did_not_say():
    old = [gen('20240101T000000Z'), gen('20250101T000000Z'), gen('20260101T000000Z')]
    first = run('plan', jwks=old, credentials=CREDENTIALS, assignments_reported=False)
    plan = first['ansible_facts']['__jwk_rotation_plan']
    assert len(first['warnings']) == 1
    after = old + [gen(NOW, switched=BOTH)]
    again = run('reconcile', plan=plan, jwks=after, credentials=CREDENTIALS, assignments_reported=False)
    merged = again['ansible_facts']['__jwk_rotation_plan']
    assert merged['create'] == plan['create'] and merged['switch_labels'] == BOTH and merged['pending'] == []
    assert merged['kept_unverified'] == plan['kept_unverified'] and again['warnings'] == []
    assert merged['reconcile'] is False and merged['stage'] is False


# ---- key file and result -----------------------------------------------------------------------

def test_key_file_step_puts_the_active_key_and_writes_nothing_in_check_mode(tmp_path):
    path = str(tmp_path / 'signing.jwk')
    local = {'jwk_rotation_source': 'local', 'jwk_rotation_private_key_path': path}
    plan = {'active': 'sig-' + NOW, 'generations': ['sig-' + NOW], 'create': {'name': 'sig-' + NOW}}
    # Check mode: the generation would be created, so its key is nowhere yet.
    checked = run('key_file', check_mode=True, role_vars=local, plan=plan)
    assert checked['changed'] is True and os.listdir(str(tmp_path)) == []
    assert checked['msg'] == 'would put the private key of sig-%s at %s' % (NOW, path)
    with open(path + '.sig-' + NOW, 'wb') as handle:
        handle.write(b'{"d": "new"}')
    done = run('key_file', role_vars=local, plan=plan)
    assert done['changed'] is True and open(path, 'rb').read() == b'{"d": "new"}'
    again = run('key_file', role_vars=local, plan=plan)
    assert again['changed'] is False


def test_key_file_refusal_fails_the_plan_before_any_write(tmp_path):
    path = str(tmp_path / 'signing.pem')
    with open(path, 'wb') as handle:
        handle.write(b'-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n-----END ENCRYPTED PRIVATE KEY-----\n')
    local = {'jwk_rotation_source': 'local', 'jwk_rotation_private_key_path': path}
    result = run('plan', role_vars=local, jwks=[], credentials=CREDENTIALS, assignments_reported=False)
    assert result['failed'] is True and 'holds an encrypted private key' in result['msg']


def test_result_sets_the_fact_and_the_stats_for_awx():
    plan = run('plan', jwks=[], credentials=CREDENTIALS, assignments_reported=False)['ansible_facts']['__jwk_rotation_plan']
    retained = {'jwks': [{'name': 'sig-' + NOW, 'kid': 'sig-' + NOW, 'thumbprint': 'tp'}], 'jwk_set': {'keys': [1]}}
    result = run('result', plan=plan, retained=retained)
    value = result['ansible_facts']['jwk_rotation_result']
    assert value['thumbprint'] == 'tp' and value['jwk_set'] == {'keys': [1]} and value['switched'] == BOTH
    assert result['ansible_stats'] == {'data': {'jwk_rotation_result': value}, 'per_host': False, 'aggregate': True}


def test_the_action_reads_exactly_the_documented_role_variables():
    """VARIABLES is the one list the action reads; meta/argument_specs.yml documents each one."""
    import yaml
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(step_plugin.__file__))))
    with open(os.path.join(root, 'roles', 'jwk_rotation', 'meta', 'argument_specs.yml')) as handle:
        options = yaml.safe_load(handle)['argument_specs']['main']['options']
    assert sorted('jwk_rotation_' + name for name in step_plugin.VARIABLES) == sorted(
        name for name in options if name != 'jwk_rotation_jwks_path')


def test_usage_read_by_apinizer_jwk_info_becomes_the_plans_pinned_and_unread_jwks_are_kept():
    from ansible_collections.apinizer.apiops.plugins.action.jwk_rotation_step import pinned_from
    pin = dict(api_proxy='orders', endpoint='proxy level', pipeline='request', policy='verify',
               type='policy-jose-validation', field='jwkIdForValidationAndSign')
    usage = [dict(name='sig-a', usage=dict(policies=[pin], possible=[], unchecked=[])),
             dict(name='sig-b', usage=dict(policies=[], possible=[], unchecked=[]))]
    pinned = pinned_from(usage, [dict(name='sig-a'), dict(name='sig-b'), dict(name='sig-new')])
    assert pinned['sig-a'] == [dict(pin, possible=False)] and 'sig-b' not in pinned
    # appeared after the policies were read: not checked, so never deleted on this run
    assert pinned['sig-new'][0]['possible'] is True


class Modules(list):
    def __init__(self, answer):
        super(Modules, self).__init__()
        self.answer = answer


PIN = dict(api_proxy='orders', endpoint='proxy level', pipeline='request', policy='verify',
           type='policy-jose-validation', field='jwkIdForValidationAndSign')


def usage(jwks, pinned=()):
    return [dict(name=j['name'], usage=dict(policies=[PIN] if j['name'] in pinned else [], possible=[], unchecked=[]))
            for j in jwks]


def test_a_plan_that_would_delete_reads_the_policies_once_and_keeps_a_pinned_generation():
    jwks = [gen('20250101T000000Z'), gen('20260101T000000Z'), gen('20261201T000000Z', switched=BOTH)]
    modules = Modules(dict(jwks=usage(jwks, pinned=['sig-20250101T000000Z'])))
    result = run('plan', jwks=jwks, credentials=CREDENTIALS, assignments_reported=False, modules=modules,
                 role_vars={'jwk_rotation_exclusive': True, 'jwk_rotation_keep': 0})
    plan = result['ansible_facts']['__jwk_rotation_plan']
    [(module, args)] = modules
    assert module == 'apinizer.apiops.apinizer_jwk_info' and args['usage'] is True
    assert set(args) <= {'usage', 'apinizer_url', 'apinizer_token', 'project', 'timeout', 'retries'}   # the role's connection
    assert plan['retire'] == ['sig-20260101T000000Z'] and 'sig-20250101T000000Z' in plan['kept_in_use']
    assert list(plan['pinned_by_policies']) == ['sig-20250101T000000Z']
    # reconcile reuses what was read: a policy pins by id, and no id changed
    modules = Modules(None)
    result = run('reconcile', plan=plan, jwks=jwks, credentials=CREDENTIALS, assignments_reported=False,
                 modules=modules, role_vars={'jwk_rotation_exclusive': True, 'jwk_rotation_keep': 0})
    assert modules == [] and 'sig-20250101T000000Z' not in result['ansible_facts']['__jwk_rotation_plan']['retire']


def test_a_plan_that_deletes_nothing_reads_no_policy():
    modules = Modules(None)
    run('plan', jwks=[gen('20261201T000000Z', switched=BOTH)], credentials=CREDENTIALS,
        assignments_reported=False, modules=modules)
    assert modules == []


def test_a_failed_policies_read_fails_the_plan_before_any_write():
    jwks = [gen('20250101T000000Z'), gen('20261201T000000Z', switched=BOTH)]
    modules = Modules(dict(failed=True, msg='GET /projects/demo/apiProxies/: HTTP 400: refused'))
    result = run('plan', jwks=jwks, credentials=CREDENTIALS, assignments_reported=False, modules=modules,
                 role_vars={'jwk_rotation_exclusive': True, 'jwk_rotation_keep': 0})
    assert result['failed'] and 'Reading which policies pin' in result['msg'] and 'HTTP 400: refused' in result['msg']
