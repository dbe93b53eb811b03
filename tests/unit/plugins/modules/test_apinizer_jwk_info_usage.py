# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""apinizer_jwk_info usage: true (issue 22): every JWK with the policies that pin it, may pin it, the
credentials that use it, and what could not be checked; what it costs."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils.client import ApinizerClient
from ansible_collections.apinizer.apiops.plugins.module_utils.where_used import (
    CREDENTIALS_NOT_REPORTED,
    CREDENTIALS_OUTSIDE_THE_LIST,
    NO_ID,
    NOT_SHOWN,
)
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_jwk_info as mod
from ansible_collections.apinizer.apiops.tests.unit.plugins.module_utils.test_where_used import (
    JOSE_VALIDATION,
    endpoint,
    proxy,
    simplified,
)
from ansible_collections.apinizer.apiops.tests.unit.plugins.modules.test_apinizer_jwk import warnings
from ansible_collections.apinizer.apiops.tests.unit.plugins.modules.test_apinizer_jwk_info import FakeClient

PIN_EC = dict(JOSE_VALIDATION, name='verify-orders', jwkIdForValidationAndSign='id-ec-key')
PIN_REF = dict(api_proxy='orders', endpoint='POST /orders', pipeline='request', policy='verify-orders',
               type='policy-jose-validation', field='jwkIdForValidationAndSign')


class UsageClient(FakeClient):
    """apinizer_jwk_info's fake plus the proxy, policy and credential lists."""

    mask = ApinizerClient.mask

    def __init__(self, proxies=None, credentials=None, ids=True, **kwargs):
        super(UsageClient, self).__init__(**kwargs)
        self.proxies = proxies or {}
        self.credentials = credentials or []
        self.ids = ids

    def secrets(self, extra=()):
        return ['unit-test-token-xyz']

    def list_jwks(self, project=None):
        items = super(UsageClient, self).list_jwks(project)
        return items if self.ids else [dict((k, v) for k, v in i.items() if k != 'id') for i in items]

    def list_api_proxies(self, project=None):
        self.calls.append(('apiProxies',))
        return [{'name': name} for name in self.proxies]

    def list_api_proxy_policies(self, name, project=None):
        self.calls.append(('policies', name))
        return copy.deepcopy(self.proxies[name])

    def list_credentials(self, project=None):
        self.calls.append(('credentials',))
        return copy.deepcopy(self.credentials)


@pytest.fixture
def run(run_module, connection_args):
    def _run(client, **options):
        failed, result, unused = run_module(mod, connection_args(**options), client)
        assert not failed, result
        return result
    return _run


def by_name(result):
    return dict((j['name'], j['usage']) for j in result['jwks'])


def test_usage_shows_the_policy_that_pins_a_jwk_and_the_credentials(run):
    credentials = [{'username': 'partner', 'validationJwkName': 'ec-key', 'encryptionJwkName': None},
                   {'username': 'other', 'validationJwkName': None, 'encryptionJwkName': None}]
    proxies = {'billing': proxy('billing'),
               'orders': proxy('orders', endpoints=[endpoint('/orders', 'POST', request=[PIN_EC])])}
    client = UsageClient(proxies, credentials)
    usage = by_name(run(client, usage=True))
    unchecked = list(NOT_SHOWN) + [CREDENTIALS_OUTSIDE_THE_LIST]
    assert usage['ec-key'] == dict(credentials=[dict(username='partner', purpose='validation')], policies=[PIN_REF],
                                   possible=[], complete=False, unchecked=unchecked)
    assert usage['rsa-key'] == dict(credentials=[], policies=[], possible=[], complete=False, unchecked=unchecked)
    # the JWK list, the proxies, one request per proxy, the credentials: whatever the number of JWKs
    assert client.calls == [('list', None), ('apiProxies',), ('policies', 'billing'), ('policies', 'orders'),
                            ('credentials',)]


def test_usage_with_names_describes_only_those_and_reads_the_same(run):
    client = UsageClient({'orders': proxy('orders', request=[PIN_EC])})
    result = run(client, names=['ec-key', 'nope'], usage=True)
    assert [j['name'] for j in result['jwks']] == ['ec-key'] and result['missing'] == ['nope']
    assert [r['policy'] for r in result['jwks'][0]['usage']['policies']] == ['verify-orders']
    assert client.calls == [('list', None), ('export', 'ec-key'), ('apiProxies',), ('policies', 'orders'),
                            ('credentials',)]
    # nothing found: nothing to tell about, no request for usage
    client = UsageClient({'orders': proxy('orders', request=[PIN_EC])})
    result = run(client, names=['nope'], usage=True)
    assert client.calls == [('list', None)]


def test_a_simplified_list_makes_the_policy_a_possible_reference_of_every_jwk(run):
    client = UsageClient({'orders': proxy('orders', request=[simplified(PIN_EC)])})
    usage = by_name(run(client, usage=True))
    for name in ('rsa-key', 'ec-key', 'oct-key'):
        assert usage[name]['policies'] == []
        assert [(p['policy'], p['field'], p['reason']) for p in usage[name]['possible']] == [
            ('verify-orders', f, 'the answer does not show %s' % f)
            for f in ('jwkIdForValidationAndSign', 'jwkIdForDecryptionAndEncryption')]


def test_credentials_not_reported_are_said_never_read_as_none(run):
    client = UsageClient(credentials=[{'username': 'partner'}])
    usage = by_name(run(client, usage=True))
    assert usage['ec-key']['credentials'] == []
    assert usage['ec-key']['unchecked'][-2] == CREDENTIALS_NOT_REPORTED


def test_a_server_without_ids_warns_and_counts_every_unmatched_pin_as_possible(run):
    client = UsageClient({'orders': proxy('orders', request=[PIN_EC])}, ids=False)
    result = run(client, usage=True)
    assert ('apiProxies',) in client.calls   # read anyway: a pin may be any JWK's, no pin is none's
    usages = by_name(result).values()
    assert all(u['unchecked'][0] == NO_ID and u['complete'] is False for u in usages)
    assert all(u['policies'] == [] and len(u['possible']) == 1 for u in usages)
    assert any('reports no JWK ids' in w for w in warnings(result))


def test_without_usage_nothing_more_is_read(run):
    client = UsageClient({'orders': proxy('orders', request=[PIN_EC])})
    result = run(client)
    assert client.calls == [('list', None)] and 'usage' not in result['jwks'][0]


def test_a_malformed_policies_answer_fails_the_task(run_module, connection_args):
    client = UsageClient({'orders': dict(proxy('orders'), endpointList='all')})
    failed, result, unused = run_module(mod, connection_args(usage=True), client)
    assert failed and 'endpointList is a str, not a list' in result['msg']
    assert result['msg'].startswith("Reading the API proxies and policies of project 'demo' failed")


def test_server_text_in_usage_is_masked(run):
    leaky = dict(PIN_EC, name='policy named unit-test-token-xyz')
    client = UsageClient({'orders': proxy('orders', request=[leaky])})
    usage = by_name(run(client, usage=True))
    assert 'unit-test-token-xyz' not in str(usage)
    assert usage['ec-key']['policies'][0]['policy'] == 'policy named ********'
