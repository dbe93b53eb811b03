# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The where-used guard on every delete and replace path of apinizer_jwk and apinizer_jwks (issue 22):
a JWK a policy pins (or may pin) is never deleted or replaced unless delete_referenced, the refusal
comes before any write and names the proxy and policy, and a run that deletes nothing reads nothing."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_guard import check
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_jwk, apinizer_jwks
from ansible_collections.apinizer.apiops.tests.unit.plugins.module_utils.test_where_used import (
    JOSE_VALIDATION,
    endpoint,
    proxy,
    simplified,
)
from ansible_collections.apinizer.apiops.tests.unit.plugins.modules.test_apinizer_jwk import (
    EC_KEY,
    RSA_KEY,
    FakeClient,
    api_jwk,
    warnings,
)
from ansible_collections.apinizer.apiops.tests.unit.plugins.modules.test_apinizer_jwks import SetClient

# A JOSE validation policy at proxy level of API proxy "orders" pins k1 (api_jwk gives it id "id-k1").
PIN_K1 = dict(JOSE_VALIDATION, name='verify-orders', jwkIdForValidationAndSign='id-k1')
PINNED = {'orders': proxy('orders', request=[PIN_K1]), 'billing': proxy('billing')}
SIMPLIFIED = {'orders': proxy('orders', request=[simplified(PIN_K1)])}
NAMED = 'API proxy orders, proxy level, request pipeline, policy verify-orders (policy-jose-validation, ' \
        'jwkIdForValidationAndSign)'
WHERE_READS = [('LIST', 'apiProxies'), ('LIST', 'policies')]


def k1(kid='k1-kid'):
    return api_jwk('k1', dict(RSA_KEY, kid=kid))


def reads(client):
    return [c[:2] for c in client.calls if c[:2] in WHERE_READS]


@pytest.fixture
def jwk(run_module, connection_args):
    def _run(args, client, check=False, diff=False):
        failed, result, unused = run_module(apinizer_jwk, connection_args(**args), client, check_mode=check, diff=diff)
        result['_failed'] = failed
        return result
    return _run


@pytest.fixture
def jwks(run_module, connection_args):
    def _run(args, client, check=False, diff=False):
        failed, result, unused = run_module(apinizer_jwks, connection_args(**args), client, check_mode=check, diff=diff)
        result['_failed'] = failed
        return result
    return _run


# ---- apinizer_jwk ------------------------------------------------------------------------------

@pytest.mark.parametrize('check_mode, diff', [(False, False), (True, False), (True, True)])
def test_absent_is_refused_before_any_write_naming_the_proxy_and_policy(jwk, check_mode, diff):
    client = FakeClient([k1()], proxies=PINNED)
    result = jwk(dict(name='k1', state='absent'), client, check=check_mode, diff=diff)
    assert result['_failed'] and client.writes == [] and 'k1' in client.jwks
    assert result['msg'].startswith('JWK k1 would be deleted, but it is pinned by %s. Nothing was written.' % NAMED)
    assert 'set delete_referenced: true' in result['msg']
    assert result['where_used']['policies'] == [dict(api_proxy='orders', endpoint='proxy level', pipeline='request',
                                                     policy='verify-orders', type='policy-jose-validation',
                                                     field='jwkIdForValidationAndSign')]
    # the JWK list, then one request for the proxies and one per proxy
    assert [c[:2] for c in client.calls] == [('LIST', None), ('LIST', 'apiProxies'), ('LIST', 'policies'),
                                             ('LIST', 'policies')]


@pytest.mark.parametrize('regenerate', ['always', 'when_different'])
def test_a_replacement_is_refused_the_same_way(jwk, regenerate):
    client = FakeClient([k1()], proxies=PINNED)
    task = dict(name='k1', key_type='RSA', key_size=2048, algorithm='RS256', kid='new-kid', regenerate=regenerate)
    result = jwk(task, client)
    assert result['_failed'] and client.writes == []
    assert result['msg'].startswith('JWK k1 would be deleted and created again (under a new id), but it is '
                                    'pinned by %s. Nothing was written.' % NAMED)


def test_delete_referenced_deletes_and_warns_with_the_same_names(jwk):
    client = FakeClient([k1()], proxies=PINNED)
    result = jwk(dict(name='k1', state='absent', delete_referenced=True), client)
    assert not result['_failed'] and result['changed']
    assert client.writes == [('DELETE', 'k1', None)]
    assert [w for w in warnings(result) if 'delete_referenced' in w] == [
        'delete_referenced is true, so JWK k1 is deleted although it is pinned by %s. The server does not refuse '
        'to delete a pinned JWK, and a JWK created again gets a new id, so a policy that pins it stays broken '
        'for good. Point those policies at another JWK (by its id).' % NAMED]
    # check mode warns the same way and writes nothing
    client = FakeClient([k1()], proxies=PINNED)
    result = jwk(dict(name='k1', state='absent', delete_referenced=True), client, check=True, diff=True)
    assert client.writes == [] and result['changed']
    assert any(NAMED in w for w in warnings(result)) and len(result['where_used']['policies']) == 1


def test_a_simplified_list_is_a_possible_reference_and_refuses(jwk):
    client = FakeClient([k1()], proxies=SIMPLIFIED)
    result = jwk(dict(name='k1', state='absent'), client)
    assert result['_failed'] and client.writes == []
    assert ('possibly pinned by API proxy orders, proxy level, request pipeline, policy verify-orders '
            '(policy-jose-validation, jwkIdForValidationAndSign): the answer does not show '
            'jwkIdForValidationAndSign') in result['msg']
    assert result['where_used']['policies'] == [] and len(result['where_used']['possible']) == 2


def test_a_jwk_no_policy_pins_is_deleted_after_the_check(jwk):
    client = FakeClient([k1(), api_jwk('k2', EC_KEY)], proxies=PINNED)
    result = jwk(dict(name='k2', state='absent'), client)
    assert not result['_failed'] and client.writes == [('DELETE', 'k2', None)]
    assert result['where_used']['policies'] == [] and result['where_used']['possible'] == []
    assert result['where_used']['complete'] is False and len(result['where_used']['unchecked']) == 3
    assert not [w for w in warnings(result) if 'pinned' in w]


def test_a_server_without_jwk_ids_refuses_while_any_policy_pins_a_jwk_and_says_why_it_may_delete_otherwise(jwk):
    legacy = k1()
    del legacy['id']
    client = FakeClient([legacy], proxies=PINNED)
    result = jwk(dict(name='k1', state='absent'), client)
    # a pin of an id that cannot be matched may be this JWK's
    assert result['_failed'] and client.writes == [] and 'possibly pinned by' in result['msg']
    result = jwk(dict(name='k1', state='absent', delete_referenced=True), client)
    assert client.writes == [('DELETE', 'k1', None)] and any('possibly pinned' in w for w in warnings(result))
    # nothing pins anything: the read proves it, and the warning says why an unmatched id is no risk
    client = FakeClient([dict(legacy)], proxies={})
    result = jwk(dict(name='k1', state='absent'), client)
    assert not result['_failed'] and client.writes == [('DELETE', 'k1', None)]
    assert [w for w in warnings(result) if 'reports no id for JWK k1' in w and 'none pins this one' in w]


@pytest.mark.parametrize('task', [
    dict(name='k1', key_type='RSA', key_size=2048, algorithm='RS256', kid='k1-kid'),  # no-op
    dict(name='k1', description='new'),                                                # update in place
    dict(name='k9', key_type='RSA', key_size=2048),                                    # create
    dict(name='k9', state='absent'),                                                   # absent already
    dict(name='k1', kid='other', regenerate='never'),                                  # left alone
])
def test_a_run_that_deletes_nothing_reads_no_policy(jwk, task):
    client = FakeClient([k1()], proxies=PINNED)
    result = jwk(task, client)
    assert not result['_failed'] and reads(client) == [] and 'where_used' not in result


def test_a_malformed_policies_answer_fails_the_delete(jwk):
    bad = {'orders': dict(proxy('orders'), requestPolicyList='none')}
    client = FakeClient([k1()], proxies=bad)
    result = jwk(dict(name='k1', state='absent', delete_referenced=True), client)
    assert result['_failed'] and client.writes == []
    assert 'requestPolicyList is a str, not a list' in result['msg']


# ---- apinizer_jwks -----------------------------------------------------------------------------

def test_overridden_refuses_to_delete_a_pinned_jwk(jwks):
    client = SetClient([k1(), api_jwk('k2', EC_KEY)], proxies=PINNED)
    args = dict(state='overridden', config=[dict(name='k2', key_type='EC', kid='ec-1')], scope=dict(prefix='k'),
                exclusive=True)
    result = jwks(args, client)
    assert result['_failed'] and client.writes == []
    assert result['msg'].startswith('JWK k1 would be deleted, but it is pinned by %s. Nothing was written.' % NAMED)
    assert [j.get('where_used', {}).get('policies') for j in result['jwks'] if j['name'] == 'k1'][0][0]['policy'] \
        == 'verify-orders'
    result = jwks(dict(args, delete_referenced=True), client)
    assert result['deleted'] == ['k1'] and client.writes == [('DELETE', 'k1', None)]
    assert any(NAMED in w for w in warnings(result))


def test_deleted_and_replaced_are_guarded_and_every_refusal_is_named_at_once(jwks):
    pin_k2 = dict(PIN_K1, name='verify-billing', jwkIdForValidationAndSign='id-k2')
    proxies = dict(PINNED, billing=proxy('billing', endpoints=[endpoint('/pay', 'POST', error=[pin_k2])]))
    client = SetClient([k1(), api_jwk('k2', EC_KEY)], proxies=proxies)
    result = jwks(dict(state='deleted', config=[dict(name='k1'), dict(name='k2')]), client, check=True)
    assert result['_failed'] and client.writes == []
    assert 'JWK k1 would be deleted, but it is pinned by %s.' % NAMED in result['msg']
    assert ('JWK k2 would be deleted, but it is pinned by API proxy billing, endpoint POST /pay, error pipeline, '
            'policy verify-billing') in result['msg']
    # one read of the proxies for the whole task
    assert reads(client) == [('LIST', 'apiProxies'), ('LIST', 'policies'), ('LIST', 'policies')]
    client = SetClient([k1()], proxies=PINNED)
    result = jwks(dict(state='replaced', config=[dict(name='k1', key_type='EC')]), client)
    assert result['_failed'] and client.writes == []
    assert result['msg'].startswith('JWK k1 would be deleted and created again (under a new id)')


def test_merged_with_an_item_that_regenerates_is_guarded_too(jwks):
    client = SetClient([k1()], proxies=PINNED)
    result = jwks(dict(config=[dict(name='k1', key_type='RSA', regenerate='always')]), client)
    assert result['_failed'] and client.writes == []
    assert result['msg'].startswith('JWK k1 would be deleted and created again (under a new id), but it is '
                                    'pinned by %s.' % NAMED)


def test_jwks_that_deletes_nothing_reads_no_policy(jwks):
    client = SetClient([k1()], proxies=PINNED)
    result = jwks(dict(state='replaced', config=[dict(name='k1', key_type='RSA', kid='k1-kid'),
                                                 dict(name='new', key_type='EC')]), client)
    assert not result['_failed'] and reads(client) == []
    assert result['created'] == ['new'] and 'where_used' not in result['jwks'][0]


# ---- jwk_guard.check ------------------------------------------------------------------------------

def test_check_with_nothing_planned_sends_nothing():
    client = FakeClient([k1()], proxies=PINNED)
    assert check(client, {'k1': k1()}, [], False) == ({}, None, [])
    assert client.calls == []
