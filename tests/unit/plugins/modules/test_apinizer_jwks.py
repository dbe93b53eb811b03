# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""apinizer_jwks planning per state against apinizer_jwk's fake client (plus the two list calls)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_jwks
from ansible_collections.apinizer.apiops.tests.unit.plugins.modules.test_apinizer_jwk import (
    EC_D,
    EC_KEY,
    RSA_KEY,
    FakeClient,
    api_jwk,
)

SUMMARY_FIELDS = ('id', 'name', 'description', 'projectId', 'sourceType', 'sourceId', 'sourceUrl', 'type', 'kid')


class SetClient(FakeClient):
    """FakeClient with the list endpoints: a JwkSummary carries no key material.

    ``others`` holds other projects ({project: {'jwks': [...], 'credentials': [...]}}); a list of another
    project is recorded with its project (('LIST', 'credentials', 'admin')), and a project it lacks
    answers 400.
    """

    def __init__(self, jwks=None, credentials=None, fail_on=None, others=None, **kwargs):
        super(SetClient, self).__init__(jwks, **kwargs)
        self.credentials = credentials or []
        self.fail_on = fail_on  # (method, target) whose call raises
        self.others = others or {}

    def _record(self, *call):
        super(SetClient, self)._record(*call)
        if self.fail_on in (call[:2], call):
            raise ApinizerError('HTTP 400 bad_request: refused', status=400, method=call[0], path=call[1])

    def _other(self, kind, project):
        self._record('LIST', kind, project)
        if project not in self.others:
            raise ApinizerError('HTTP 400: Project not found for name: (%s)' % project, status=400,
                                method='GET', path='/projects/%s/%s/' % (project, kind))
        return copy.deepcopy(self.others[project].get(kind, []))

    def list_jwks(self, project=None):
        if project is not None:
            return [dict((k, j.get(k)) for k in SUMMARY_FIELDS) for j in self._other('jwks', project)]
        self._record('LIST', 'jwks', None)
        return [dict((k, j.get(k)) for k in SUMMARY_FIELDS) for j in self.jwks.values()]

    def mask(self, text, extra=()):
        return text.replace('unit-test-token-xyz', '********')

    def list_credentials(self, project=None):
        if project is not None:
            return self._other('credentials', project)
        self._record('LIST', 'credentials', None)
        return copy.deepcopy(self.credentials)


def ec(name, kid='ec-1', description=None):
    return api_jwk(name, dict(EC_KEY, kid=kid), description=description)


@pytest.fixture
def run(run_module, connection_args):
    def _run(args, client, check=False, diff=False):
        failed, result, out = run_module(apinizer_jwks, connection_args(**args), client, check_mode=check, diff=diff)
        result['_failed'] = failed
        result['_stdout'] = out
        return result
    return _run


def summary(result):
    return dict((key, result[key]) for key in ('created', 'updated', 'replaced', 'deleted', 'unchanged'))


def test_merged_noop_decided_by_the_list_is_one_request(run):
    client = SetClient([ec('a', kid='a1'), ec('b', kid='b1')])
    result = run(dict(config=[dict(name='a', key_type='EC', kid='a1'), dict(name='b', key_type='EC', kid='b1')]), client)
    assert not result['changed'] and not result['_failed']
    assert client.calls == [('LIST', 'jwks', None)]
    assert summary(result) == dict(created=[], updated=[], replaced=[], deleted=[], unchanged=['a', 'b'])


def test_merged_reads_only_the_items_that_need_key_material(run):
    client = SetClient([ec('a'), ec('b')])
    config = [dict(name='a', key_type='EC'), dict(name='b', curve='P-256', algorithm='ES256'), dict(name='c', curve='P-256')]
    result = run(dict(config=config), client)
    # the public key of b only (export-file: no private member crosses the wire); after the
    # creation, the list once more for the new id
    assert [c[:2] for c in client.calls] == [('LIST', 'jwks'), ('EXPORT', 'b'), ('POST', 'generate'), ('LIST', 'jwks')]
    assert [(j['name'], j['id']) for j in result['jwks']] == [('a', 'id-a'), ('b', 'id-b'), ('c', 'id-c')]
    assert client.calls[2][2]['name'] == 'c' and client.calls[2][2]['ec']['curveType'] == 'P256'
    assert summary(result)['created'] == ['c'] and summary(result)['unchanged'] == ['a', 'b']
    # a server without export-file: Get JWK instead, asked once per run
    client = SetClient([ec('a'), ec('b'), ec('d')], export='missing')
    result = run(dict(config=[dict(name=n, curve='P-256') for n in ('a', 'b', 'd')]), client)
    assert [c[:2] for c in client.calls] == [('LIST', 'jwks'), ('EXPORT', 'a'), ('GET', 'a'), ('GET', 'b'), ('GET', 'd')]
    assert not result['changed']


def test_merged_updates_description_and_check_mode_writes_nothing(run):
    client = SetClient([ec('a', description='old')])
    result = run(dict(config=[dict(name='a', description='new'), dict(name='n', curve='P-256')]), client, check=True, diff=True)
    assert result['changed'] and client.writes == [] and client.calls == [('LIST', 'jwks', None)]
    assert result['updated'] == ['a'] and result['created'] == ['n']
    assert [d['before_header'] for d in result['diff']] == ['a', 'n']
    assert result['diff'][0]['after']['description'] == 'new'


def test_merged_refuses_every_differing_item_before_any_write(run):
    client = SetClient([ec('a'), ec('b')])
    config = [dict(name='new', curve='P-256'), dict(name='a', key_type='RSA'), dict(name='b', curve='P-384')]
    result = run(dict(config=config), client)
    assert result['_failed']
    assert 'JWK a differs' in result['msg'] and 'JWK b differs' in result['msg']
    assert client.writes == []


def test_replaced_regenerates_and_resets_an_omitted_description(run):
    client = SetClient([ec('a', description='keep?'), ec('b')])
    result = run(dict(state='replaced', config=[dict(name='a', key_type='EC', kid='ec-1'), dict(name='b', key_type='RSA', key_size=2048)]), client)
    assert result['updated'] == ['a'] and result['replaced'] == ['b']
    assert ('PUT', 'a', {'description': ''}) in client.calls
    assert [c[:2] for c in client.calls if c[0] in ('DELETE', 'POST')] == [('DELETE', 'b'), ('POST', 'generate')]


def test_overridden_deletes_unlisted_in_scope_only_with_exclusive(run):
    client = SetClient([ec('app-a'), ec('app-old'), ec('other')], credentials=[{'username': 'u'}])
    args = dict(state='overridden', config=[dict(name='app-a', description='')], scope=dict(prefix='app-'))
    refused = run(args, client)
    assert refused['_failed'] and 'app-old' in refused['msg'] and 'exclusive: true' in refused['msg']
    assert client.writes == [] and client.calls == [('LIST', 'jwks', None), ('LIST', 'credentials', None)]
    result = run(dict(args, exclusive=True), client)
    assert result['deleted'] == ['app-old'] and result['unchanged'] == ['app-a']
    assert sorted(client.jwks) == ['app-a', 'other']


def test_overridden_never_deletes_a_jwk_a_credential_uses(run):
    creds = [{'username': 'api-user', 'validationJwkName': 'app-used', 'encryptionJwkName': None}]
    client = SetClient([ec('app-used'), ec('app-free')], credentials=creds)
    result = run(dict(state='overridden', config=[], scope=dict(regex='app-.*'), exclusive=True), client)
    assert result['_failed']
    assert 'JWK app-used is used by credential api-user (validation)' in result['msg']
    assert 'app-free' not in result['msg'] and sorted(client.jwks) == ['app-free', 'app-used']


def test_overridden_regex_must_match_the_whole_name(run):
    client = SetClient([ec('app-1'), ec('xapp-1')], credentials=[])
    result = run(dict(state='overridden', config=[], scope=dict(regex='app-[0-9]'), exclusive=True), client)
    assert result['deleted'] == ['app-1'] and sorted(client.jwks) == ['xapp-1']


# ---- in-use keys across projects (issue 24 H1) and malformed credential lists (M1) ---------------

def cred(username, validation=None, encryption=None):
    return {'username': username, 'validationJwkName': validation, 'encryptionJwkName': encryption}


ADMIN_OK = {'admin': {'jwks': [ec('shared-admin')], 'credentials': [cred('ops')]}}
OVERRIDE = dict(state='overridden', config=[dict(name='app-a', description='')], scope=dict(prefix='app-'))


def deletes(client):
    return [c[:2] for c in client.calls if c[0] == 'DELETE']


def test_an_empty_credential_list_proves_nothing(run):
    # The reproduced case: admin (or any project) without credentials read as "nothing uses them".
    client = SetClient([ec('app-a'), ec('app-old')], credentials=[], others=ADMIN_OK)
    result = run(OVERRIDE, client)
    assert result['_failed'] and 'app-old' in result['msg'] and 'is empty, which proves nothing' in result['msg']
    assert 'exclusive: true' in result['msg'] and deletes(client) == [] and sorted(client.jwks) == ['app-a', 'app-old']


def test_overridden_in_admin_needs_exclusive_even_when_its_list_reports(run, connection_args):
    # shared-old is admin's; a credential of another project may use it, and admin's list cannot show it.
    client = SetClient([ec('shared-new'), ec('shared-old')], credentials=[cred('ops', 'shared-new')])
    args = dict(state='overridden', config=[dict(name='shared-new', description='')], scope=dict(prefix='shared-'),
                project='admin')
    result = run(args, client)
    assert result['_failed'] and 'would delete shared-old' in result['msg']
    assert 'a credential of any project may use a JWK of project admin' in result['msg']
    assert 'exclusive: true' in result['msg'] and deletes(client) == []
    result = run(dict(args, exclusive=True), client)
    assert result['deleted'] == ['shared-old'] and deletes(client) == [('DELETE', 'shared-old')]


def test_overridden_reads_admins_credentials_which_may_use_the_projects_jwks(run):
    client = SetClient([ec('app-a'), ec('app-old')], credentials=[cred('api-user', 'app-a')], others=ADMIN_OK)
    result = run(OVERRIDE, client)
    assert result['deleted'] == ['app-old'] and deletes(client) == [('DELETE', 'app-old')]
    assert client.calls[:3] == [('LIST', 'jwks', None), ('LIST', 'credentials', None), ('LIST', 'credentials', 'admin')]


def test_a_global_credential_in_admins_list_blocks_the_deletion(run):
    others = {'admin': {'jwks': [], 'credentials': [cred('ops'), cred('global-user', None, 'app-old')]}}
    client = SetClient([ec('app-a'), ec('app-old')], credentials=[cred('api-user', 'app-a')], others=others)
    result = run(OVERRIDE, client)
    assert result['_failed'] and deletes(client) == []
    assert 'JWK app-old is used by credential global-user (encryption, listed in project admin)' in result['msg']


def test_an_unreadable_admin_list_proves_nothing(run):
    client = SetClient([ec('app-a'), ec('app-old')], credentials=[cred('api-user', 'app-a')], others=ADMIN_OK,
                       fail_on=('LIST', 'credentials', 'admin'))
    result = run(OVERRIDE, client)
    assert result['_failed'] and deletes(client) == []
    assert 'credential list could not be read' in result['msg'] and 'refused' in result['msg']
    assert 'exclusive: true' in result['msg']


def test_a_credential_using_an_admin_jwk_is_understood(run):
    client = SetClient([ec('app-a'), ec('app-old')], credentials=[cred('api-user', 'shared-admin')], others=ADMIN_OK)
    result = run(OVERRIDE, client)
    assert result['deleted'] == ['app-old']
    assert ('LIST', 'jwks', 'admin') in client.calls


@pytest.mark.parametrize('credentials, words', [
    ([{'username': 'u', 'validationJwkName': None}], 'credential u does not report encryptionJwkName'),
    ([{'username': 'u', 'encryptionJwkName': 'app-a'}], 'credential u does not report validationJwkName'),
    ([cred('u', 7)], 'credential u reports validationJwkName 7, which is no JWK name'),
    ([cred('u', None, {'name': 'app-old'})], 'which is no JWK name'),
    ([cred('u', 'App-Old')], "reports validationJwkName 'App-Old', which is no JWK of the project"),
    ([cred('u', 'gone')], "validationJwkName 'gone', which is no JWK of the project or of project admin"),
    ([cred('ok', 'app-a'), 'not-a-credential'], 'an item that is not a credential object'),
])
def test_a_malformed_credential_list_proves_nothing(run, credentials, words):
    client = SetClient([ec('app-a'), ec('app-old')], credentials=credentials, others=ADMIN_OK)
    result = run(OVERRIDE, client)
    assert result['_failed'] and words in result['msg'] and 'exclusive: true' in result['msg']
    assert deletes(client) == [] and sorted(client.jwks) == ['app-a', 'app-old']


@pytest.mark.parametrize('accessible, words', [
    ([{'username': 'g'}], 'credential g does not report'),
    ([cred('g', 'APP-OLD')], "'APP-OLD', which differs only in case from JWK app-old"),
    ([], 'the credential list is empty'),
])
def test_a_malformed_admin_list_proves_nothing(run, accessible, words):
    others = {'admin': {'jwks': [], 'credentials': accessible}}
    client = SetClient([ec('app-a'), ec('app-old')], credentials=[cred('api-user', 'app-a')], others=others)
    result = run(OVERRIDE, client)
    assert result['_failed'] and words in result['msg'] and 'project admin' in result['msg']
    assert deletes(client) == []


def test_a_use_reported_by_a_malformed_list_still_blocks_even_with_exclusive(run):
    client = SetClient([ec('app-a'), ec('app-old')], credentials=[{'username': 'u', 'validationJwkName': 'app-old'}])
    result = run(dict(OVERRIDE, exclusive=True), client)
    assert result['_failed'] and 'JWK app-old is used by credential u (validation)' in result['msg']
    assert deletes(client) == []


def test_deleted_deletes_listed_names_only(run):
    client = SetClient([ec('a'), ec('b')])
    result = run(dict(state='deleted', config=[dict(name='a'), dict(name='gone')]), client)
    assert result['deleted'] == ['a'] and result['unchanged'] == ['gone']
    assert [c[:2] for c in client.calls] == [('LIST', 'jwks'), ('LIST', 'apiProxies'), ('DELETE', 'a')]


def test_gathered_is_config_without_private_members(run):
    pasted = api_jwk('pasted', dict(EC_KEY, kid='p1'), source='COPY_PASTE', description='d')
    cert = api_jwk('cert', dict(RSA_KEY), source='CERTIFICATE')
    client = SetClient([ec('gen', kid='g1', description='x'), pasted, cert])
    result = run(dict(state='gathered'), client)
    assert [c[:2] for c in client.calls] == [('LIST', 'jwks'), ('EXPORT', 'pasted')]   # its public key only
    gathered = dict((e['name'], e) for e in result['gathered'])
    assert gathered['gen'] == dict(name='gen', description='x', source='generate', key_type='EC', kid='g1')
    assert gathered['pasted']['jwk']['x'] == EC_KEY['x'] and 'd' not in gathered['pasted']['jwk']
    assert EC_D not in result['_stdout']
    assert [i['name'] for i in result['incomplete']] == ['cert']


def test_gathered_then_overridden_is_a_noop(run):
    client = SetClient([ec('gen', kid='g1', description='x'), api_jwk('pasted', dict(EC_KEY, kid='p1'), source='COPY_PASTE')])
    gathered = run(dict(state='gathered'), client)['gathered']
    client.calls = []
    result = run(dict(state='overridden', config=gathered, scope=dict(regex='gen|pasted')), client)
    assert not result['changed'] and result['unchanged'] == ['gen', 'pasted']
    assert [c[:2] for c in client.calls] == [('LIST', 'jwks'), ('EXPORT', 'pasted')]


def test_bad_items_fail_before_any_request_naming_index_and_name(run):
    client = SetClient([])
    config = [dict(name='ok'), dict(name='bad', key_type='EC', algorithm='RS256'), dict(name='ok')]
    result = run(dict(config=config), client)
    assert result['_failed'] and client.calls == []
    assert "JWK bad: config[1].algorithm 'RS256' does not fit" in result['msg']
    assert "config[2].name 'ok' is already the name of config[0]" in result['msg']


def test_overridden_needs_scope(run):
    result = run(dict(state='overridden', config=[]), SetClient([]))
    assert result['_failed'] and 'scope is required with state overridden' in result['msg']


@pytest.mark.parametrize('scope, option', [(dict(prefix=''), 'scope.prefix'), (dict(regex='.*'), 'scope.regex')])
def test_overridden_refuses_a_scope_of_every_name_before_any_request(run, scope, option):
    client = SetClient([ec('a'), ec('b')])
    result = run(dict(state='overridden', config=[], scope=scope, exclusive=True), client)
    assert result['_failed'] and option in result['msg'] and 'every JWK of the project' in result['msg']
    assert client.calls == [] and sorted(client.jwks) == ['a', 'b']


def test_a_failing_write_names_the_item_and_keeps_what_was_written(run):
    client = SetClient([ec('b', description='old')], fail_on=('PUT', 'b'))
    result = run(dict(config=[dict(name='a', curve='P-256'), dict(name='b', description='new'), dict(name='c', curve='P-256')]), client)
    assert result['_failed'] and result['failed_item'] == 'b'
    assert result['created'] == ['a'] and 'c' not in client.jwks
    assert result['msg'].startswith('JWK b failed: ') and 'Written before it: created a.' in result['msg']


def test_a_list_item_that_is_not_a_jwk_fails_before_any_write(run):
    client = SetClient([])
    client.list_jwks = lambda project=None: ['not-an-object']
    result = run(dict(state='overridden', config=[], scope=dict(prefix='k'), exclusive=True), client)
    assert result['_failed'] and 'not a JWK with a name' in result['msg'] and client.calls == []


def test_deployment_lists_every_write_with_its_jwk(run):
    client = SetClient([ec('a', description='old')])
    result = run(dict(config=[dict(name='a', description='new'), dict(name='b', curve='P-256')]), client)
    assert [(e['name'], e['environment']) for e in result['deployment']] == [
        ('a', 'production'), ('a', 'staging'), ('b', 'production'), ('b', 'staging')]


def test_a_failed_environment_fails_the_task_naming_the_jwk(run):
    failing = [{'environment': 'production', 'success': True, 'message': 'ok'},
               {'environment': 'staging', 'success': False, 'message': 'staging is down'}]
    client = SetClient([], deployment=failing)
    result = run(dict(config=[dict(name='b', curve='P-256')]), client)
    assert result['_failed'] and result['failed_environments'] == ['staging']
    assert result['msg'] == 'JWKs were saved, but deployment failed in: staging: staging is down (create b)'
    assert result['created'] == ['b']


@pytest.mark.parametrize('error', [RecursionError('maximum recursion depth exceeded while decoding a JSON array'),
                                   UnicodeEncodeError('latin-1', 'Bearer unit-test-token-xyz\u2019', 26, 27, 'ordinal not in range(256)')])
def test_an_unexpected_error_after_writes_reports_them_changed(run, error):
    # issue 24 L5: a crash after two creations reported changed: false and nothing of what was written.
    client = SetClient([])
    real = client.generate_jwk

    def generate(body, project=None, landed=None):
        if body['name'] == 'c':
            raise error
        return real(body, project=project, landed=landed)
    client.generate_jwk = generate
    result = run(dict(config=[dict(name=n, curve='P-256') for n in ('a', 'b', 'c')]), client)
    assert result['_failed'] and result['changed'] is True and result['failed_item'] == 'c'
    assert result['created'] == ['a', 'b'] and sorted(client.jwks) == ['a', 'b']
    assert result['msg'].startswith('JWK c failed: %s: ' % type(error).__name__)
    assert 'Written before it: created a, b.' in result['msg'] and 'unit-test-token-xyz' not in result['_stdout']
