# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""where_used: which policies pin a JWK, read from the documented answer shapes (vendor reference
cc9f74b8: list-policies.mdx, policy-jose-validation.mdx, policy-jose-implementation.mdx), and the
client's two reads of them."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils import where_used
from ansible_collections.apinizer.apiops.plugins.module_utils.errors import UnexpectedAnswer
from ansible_collections.apinizer.apiops.plugins.module_utils.where_used import (
    NO_ID,
    NO_ID_NO_PINS,
    NOT_SHOWN,
    WhereUsed,
    describe,
    pinned_by_name,
    proxy_references,
)
from ansible_collections.apinizer.apiops.tests.unit.plugins.module_utils.test_client import (
    FakeResponse,
    make_client,
    ok,
)

# list-policies.mdx, "Success Response": the proxy object itself. Its endpoint shows only a request
# list; the page also says an empty pipeline is an empty array, so the two it leaves out are unknown.
LIST_POLICIES_ITEM = {
    'name': 'Address', 'type': 'SOAP', 'relativePath': '/address', 'soapToRest': False,
    'requestPolicyList': [{'type': 'policy-throttling', 'active': True}],
    'responsePolicyList': [{'type': 'policy-api-call', 'active': True}],
    'errorPolicyList': [{'type': 'policy-script', 'active': True},
                        {'type': 'policy-script', 'description': 'sample description', 'active': True}],
    'endpointList': [{'endpoint': '/UpdateAddress', 'active': True, 'httpMethod': 'POST',
                      'requestPolicyList': [{'type': 'policy-script', 'active': True}]}],
}

# policy-jose-validation.mdx, List Policies: the item wrapped in "apiProxy", with the members of the
# "With Proxy JWK" example (validateByIssuer false, jwkIdForValidationAndSign set).
JOSE_VALIDATION = {
    'type': 'policy-jose-validation', 'name': 'jose-validation-policy', 'description': 'Validate JOSE tokens',
    'active': True, 'joseTarget': 'BODY', 'validateSign': True, 'validateByIssuer': False,
    'validateACLforIssuer': False, 'jwkIdForValidationAndSign': 'id-k1', 'decrypt': True,
    'decryptByIssuer': True, 'jwkIdForDecryptionAndEncryption': None, 'stripAndDecode': 'NONE',
}
# policy-jose-implementation.mdx "With Proxy JWK": signs and encrypts with proxy JWKs.
JOSE_IMPLEMENTATION = {
    'type': 'policy-jose-implementation', 'name': 'jose-sign', 'active': True, 'sign': True,
    'signByIssuer': False, 'jwkIdForValidationAndSign': 'id-k2', 'encrypt': True, 'encryptByIssuer': False,
    'jwkIdForDecryptionAndEncryption': 'id-k1',
}


def wrapped(name, request=(), response=(), error=(), endpoints=None):
    inner = {'name': name, 'requestPolicyList': list(request), 'responsePolicyList': list(response),
             'errorPolicyList': list(error)}
    if endpoints is not None:
        inner['endpointList'] = endpoints
    return {'apiProxy': inner}


def proxy(name, request=(), response=(), error=(), endpoints=()):
    return {'name': name, 'type': 'REST', 'relativePath': '/' + name, 'soapToRest': False,
            'requestPolicyList': list(request), 'responsePolicyList': list(response),
            'errorPolicyList': list(error), 'endpointList': list(endpoints)}


def endpoint(path, method='GET', request=(), response=(), error=()):
    return {'endpoint': path, 'active': True, 'httpMethod': method, 'requestPolicyList': list(request),
            'responsePolicyList': list(response), 'errorPolicyList': list(error)}


def simplified(policy):
    """What list-policies.mdx warns a list may show of a policy ("may be simplified")."""
    return dict((k, policy[k]) for k in ('type', 'name', 'description', 'active') if k in policy)


SUMMARIES = {'k1': {'id': 'id-k1', 'name': 'k1'}, 'k2': {'id': 'id-k2', 'name': 'k2'},
             'k3': {'id': 'id-k3', 'name': 'k3'}}


class ProxyClient(object):
    """The two where-used reads, as the client returns them (answers already unwrapped)."""
    project = 'demo'

    def __init__(self, proxies):
        self.proxies = proxies  # name -> proxy object
        self.calls = []

    def list_api_proxies(self):
        self.calls.append(('apiProxies',))
        return [{'name': name} for name in self.proxies]

    def list_api_proxy_policies(self, name):
        self.calls.append(('policies', name))
        item = copy.deepcopy(self.proxies[name])
        return item.get('apiProxy', item)

    def list_credentials(self):
        self.calls.append(('credentials',))
        return getattr(self, 'credentials', [])


def read(proxies, summaries=None):
    client = ProxyClient(proxies)
    return WhereUsed(client, summaries if summaries is not None else SUMMARIES).read(), client


# ---- pins ----------------------------------------------------------------------------------------

def test_a_proxy_level_and_an_endpoint_pin_are_found_with_where_they_are():
    orders = proxy('orders', request=[JOSE_VALIDATION],
                   endpoints=[endpoint('/orders', 'POST', response=[JOSE_IMPLEMENTATION])])
    where, client = read({'orders': orders})
    assert where.policies('k1') == [
        dict(api_proxy='orders', endpoint='proxy level', pipeline='request', policy='jose-validation-policy',
             type='policy-jose-validation', field='jwkIdForValidationAndSign'),
        dict(api_proxy='orders', endpoint='POST /orders', pipeline='response', policy='jose-sign',
             type='policy-jose-implementation', field='jwkIdForDecryptionAndEncryption'),
    ]
    assert where.policies('k2') == [dict(api_proxy='orders', endpoint='POST /orders', pipeline='response',
                                         policy='jose-sign', type='policy-jose-implementation',
                                         field='jwkIdForValidationAndSign')]
    assert where.policies('k3') == [] and where.possibly('k3') == [] and where.blocking('k3') == []
    # one request for the list, one per proxy
    assert client.calls == [('apiProxies',), ('policies', 'orders')]


def test_the_wrapped_shape_of_the_jose_pages_is_read_too():
    where, unused = read({'MyAPI': wrapped('MyAPI', request=[JOSE_VALIDATION], endpoints=[])})
    assert [(r['api_proxy'], r['endpoint'], r['field']) for r in where.policies('k1')] == [
        ('MyAPI', 'proxy level', 'jwkIdForValidationAndSign')]


def test_every_pipeline_is_read_at_both_levels():
    pin = dict(JOSE_VALIDATION, name='p')
    orders = proxy('orders', request=[pin], response=[pin], error=[pin],
                   endpoints=[endpoint('/a', request=[pin], response=[pin], error=[pin])])
    where, unused = read({'orders': orders})
    assert [(r['endpoint'], r['pipeline']) for r in where.policies('k1')] == [
        ('proxy level', 'request'), ('proxy level', 'response'), ('proxy level', 'error'),
        ('GET /a', 'request'), ('GET /a', 'response'), ('GET /a', 'error')]


def test_an_id_pins_whatever_the_by_issuer_flags_say():
    # The server keeps the id: flipping validateByIssuer back uses it again.
    dormant = dict(JOSE_VALIDATION, validateByIssuer=True, active=False)
    where, unused = read({'orders': proxy('orders', request=[dormant])})
    assert len(where.policies('k1')) == 1


def test_any_policy_type_that_shows_a_key_field_pins_and_null_or_empty_pins_nothing():
    odd = {'type': 'policy-future-jose', 'name': 'f', 'jwkIdForDecryptionAndEncryption': 'id-k3'}
    none = dict(JOSE_VALIDATION, jwkIdForValidationAndSign=None, jwkIdForDecryptionAndEncryption='')
    where, unused = read({'orders': proxy('orders', request=[odd, none, {'type': 'policy-script'}])})
    assert [r['policy'] for r in where.policies('k3')] == ['f']
    assert where.policies('k1') == [] and where.possibly('k1') == []


def test_an_unnamed_policy_is_named_by_its_description_else_its_position():
    first = dict(JOSE_VALIDATION)
    del first['name']
    second = dict(first)
    del second['description']
    where, unused = read({'orders': proxy('orders', request=[{'type': 'policy-script'}, first, second])})
    assert [r['policy'] for r in where.policies('k1')] == ['Validate JOSE tokens', '#3']


# ---- possible references ("may be simplified") ---------------------------------------------------

def test_a_simplified_jose_policy_may_pin_every_jwk_of_the_project():
    orders = proxy('orders', request=[simplified(JOSE_VALIDATION), {'type': 'policy-throttling', 'active': True}])
    where, unused = read({'orders': orders})
    assert where.policies('k1') == []
    expected = [dict(api_proxy='orders', endpoint='proxy level', pipeline='request', policy='jose-validation-policy',
                     type='policy-jose-validation', field=field, reason='the answer does not show %s' % field)
                for field in ('jwkIdForValidationAndSign', 'jwkIdForDecryptionAndEncryption')]
    for name in ('k1', 'k2', 'k3'):
        assert where.possibly(name) == expected
        fields = ('jwkIdForValidationAndSign', 'jwkIdForDecryptionAndEncryption')
        assert where.blocking(name) == ['possibly pinned by API proxy orders, proxy level, request pipeline, policy '
                                        'jose-validation-policy (policy-jose-validation, %s): the answer does not '
                                        'show %s' % (f, f) for f in fields]


def test_a_jose_policy_that_shows_one_field_only_may_pin_through_the_other():
    half = dict(JOSE_VALIDATION)
    del half['jwkIdForDecryptionAndEncryption']
    where, unused = read({'orders': proxy('orders', request=[half])})
    assert [r['field'] for r in where.policies('k1')] == ['jwkIdForValidationAndSign']
    assert [r['field'] for r in where.possibly('k2')] == ['jwkIdForDecryptionAndEncryption']


def test_the_documented_list_example_leaves_out_two_endpoint_pipelines_which_may_pin():
    where, unused = read({'Address': LIST_POLICIES_ITEM})
    assert where.policies('k1') == []
    assert [(r['endpoint'], r['pipeline'], r['policy'], r['reason']) for r in where.possibly('k1')] == [
        ('POST /UpdateAddress', 'response', None, 'the answer does not show this pipeline (responsePolicyList)'),
        ('POST /UpdateAddress', 'error', None, 'the answer does not show this pipeline (errorPolicyList)')]


def test_an_answer_without_endpoint_list_may_pin_through_every_endpoint():
    # policy-jose-validation.mdx's own example shows no endpointList.
    where, unused = read({'MyAPI': wrapped('MyAPI', request=[JOSE_VALIDATION])})
    assert where.possibly('k3') == [dict(api_proxy='MyAPI', endpoint='every endpoint', pipeline=None, policy=None,
                                         type=None, field=None,
                                         reason='the answer does not show its endpoints (endpointList)')]
    assert where.blocking('k3') == ['possibly pinned by API proxy MyAPI, every endpoint: the answer does not show '
                                    'its endpoints (endpointList)']


def test_a_null_pipeline_is_not_shown_either():
    orders = proxy('orders')
    orders['errorPolicyList'] = None
    where, unused = read({'orders': orders})
    assert [r['pipeline'] for r in where.possibly('k1')] == ['error']


# ---- ids ---------------------------------------------------------------------------------------------

def test_without_jwk_ids_every_pin_may_be_any_jwk_and_no_pin_at_all_proves_none():
    summaries = {'k1': {'name': 'k1'}, 'k2': {'name': 'k2', 'id': None}}
    # a policy pins some id: it cannot be matched, so it may pin either JWK
    where = WhereUsed(ProxyClient({'orders': proxy('orders', request=[JOSE_VALIDATION])}), summaries).read()
    assert not where.checked('k1') and where.policies('k1') == []
    assert [r['policy'] for r in where.possibly('k1')] == [JOSE_VALIDATION['name']]
    assert where.blocking('k1') and where.notices('k1') == []
    assert where.policy_view('k1')['unchecked'] == [NO_ID] + list(NOT_SHOWN)
    # the project's proxies pin nothing: a read that shows no pin proves none pins it (said once)
    where = WhereUsed(ProxyClient({'orders': proxy('orders')}), summaries).read()
    assert where.blocking('k1') == [] and where.notices('k1') == [NO_ID_NO_PINS % 'k1']


def test_a_jwk_without_an_id_may_be_any_id_no_listed_jwk_has():
    unknown = dict(JOSE_VALIDATION, name='u', jwkIdForValidationAndSign='id-elsewhere')
    summaries = dict(SUMMARIES, k4={'name': 'k4', 'id': 7})  # not a string: no id
    where, unused = read({'orders': proxy('orders', request=[JOSE_VALIDATION, unknown])}, summaries)
    assert where.policies('k4') == []
    assert [(r['policy'], r['reason']) for r in where.possibly('k4')] == [
        ('u', 'it pins id id-elsewhere, which no JWK of the list has, and this JWK shows no id')]
    assert where.blocking('k4') == ['possibly pinned by ' + describe(where.possibly('k4')[0])]
    # the others are checked, and a pin of an unknown id is none of theirs
    assert where.possibly('k3') == [] and where.blocking('k3') == []


def test_two_proxies_of_the_same_name_are_read_once():
    class Twice(ProxyClient):
        def list_api_proxies(self):
            self.calls.append(('apiProxies',))
            return [{'name': 'orders'}, {'name': 'orders'}]
    client = Twice({'orders': proxy('orders', request=[JOSE_VALIDATION])})
    where = WhereUsed(client, SUMMARIES).read().read()  # read twice: still one read
    assert client.calls == [('apiProxies',), ('policies', 'orders')]
    assert len(where.policies('k1')) == 1


# ---- untrusted answers: an error, never "no policies" --------------------------------------------

@pytest.mark.parametrize('mutate, detail', [
    (lambda p: p.update(requestPolicyList={'type': 'x'}), 'requestPolicyList is a dict, not a list'),
    (lambda p: p.update(endpointList={}), 'endpointList is a dict, not a list'),
    (lambda p: p.update(endpointList=['GET /a']), 'endpointList[0] is a str, not an object'),
    (lambda p: p.update(requestPolicyList=['policy-jose-validation']),
     'requestPolicyList[0] is a str, not a policy object'),
    (lambda p: p.update(responsePolicyList=[{'name': 'untyped', 'jwkIdForValidationAndSign': None}]),
     'responsePolicyList[0] has no type'),
    (lambda p: p.update(errorPolicyList=[dict(JOSE_VALIDATION, jwkIdForValidationAndSign=12)]),
     'errorPolicyList[0].jwkIdForValidationAndSign is a int, not a JWK id'),
    (lambda p: p['endpointList'].append(dict(endpoint('/b'), requestPolicyList=[{'type': ''}])),
     'endpointList[0].requestPolicyList[0] has no type'),
])
def test_a_malformed_policies_answer_is_an_error(mutate, detail):
    orders = proxy('orders')
    mutate(orders)
    with pytest.raises(UnexpectedAnswer) as err:
        read({'orders': orders})
    assert str(err.value) == 'unexpected answer from GET /projects/demo/apiProxies/orders/policies/: %s' % detail


def test_proxy_references_is_the_pure_reading_of_one_proxy():
    pins, possible = proxy_references('orders', proxy('orders', request=[JOSE_VALIDATION, simplified(JOSE_VALIDATION)]))
    assert [jwk_id for jwk_id, unused in pins] == ['id-k1']
    assert len(possible) == 2


# ---- usage, credentials, descriptions, the role's input ------------------------------------------

def test_usage_adds_credentials_when_the_server_reports_assignments():
    client = ProxyClient({'orders': proxy('orders', request=[JOSE_VALIDATION])})
    client.credentials = [{'username': 'partner', 'validationJwkName': 'k1', 'encryptionJwkName': None},
                          {'username': 'other', 'validationJwkName': 'k2', 'encryptionJwkName': 'k1'}]
    where = WhereUsed(client, SUMMARIES).read().read_credentials()
    usage = where.usage('k1')
    assert list(usage) == ['credentials', 'policies', 'possible', 'complete', 'unchecked']
    assert usage['credentials'] == [dict(username='partner', purpose='validation'),
                                    dict(username='other', purpose='encryption')]
    assert [r['policy'] for r in usage['policies']] == ['jose-validation-policy']
    assert usage['complete'] is False
    assert usage['unchecked'] == list(NOT_SHOWN) + [where_used.CREDENTIALS_OUTSIDE_THE_LIST]
    # The documented API does not report assignments (nor does an empty list prove any): said, never
    # "no credential".
    for credentials in ([{'username': 'partner'}], []):
        client.credentials = credentials
        usage = WhereUsed(client, SUMMARIES).read().read_credentials().usage('k1')
        assert usage['credentials'] == []
        assert usage['unchecked'][-2:] == [where_used.CREDENTIALS_NOT_REPORTED, where_used.CREDENTIALS_OUTSIDE_THE_LIST]
    # In admin no credential list holds every credential that may use its JWKs.
    client.project = 'admin'
    assert WhereUsed(client, SUMMARIES).read().read_credentials().usage('k1')['unchecked'][-1] == \
        where_used.CREDENTIALS_OF_ANY_PROJECT


def test_what_the_api_cannot_show_is_always_reported():
    where, unused = read({})
    view = where.policy_view('k1')
    assert view['complete'] is False
    assert [reason.split(':', 1)[0] for reason in view['unchecked']] == [
        'global policies', 'policy groups', 'connections and other settings outside API proxy policies']


def test_in_the_admin_project_other_projects_are_reported_unchecked():
    client = ProxyClient({})
    client.project = 'admin'
    where = WhereUsed(client, SUMMARIES).read()
    assert where.unchecked('k1') == [where_used.OTHER_PROJECTS] + list(NOT_SHOWN)
    assert where.blocking('k1') == []  # reported, like what the API cannot show; not a reference


def test_describe_names_proxy_endpoint_pipeline_policy_type_and_field():
    ref = dict(api_proxy='orders', endpoint='POST /orders', pipeline='response', policy='jose-sign',
               type='policy-jose-implementation', field='jwkIdForValidationAndSign')
    assert describe(ref) == ('API proxy orders, endpoint POST /orders, response pipeline, policy jose-sign '
                             '(policy-jose-implementation, jwkIdForValidationAndSign)')


def test_pinned_by_name_gives_the_role_each_jwk_with_its_pins_and_possible_ones():
    pin = dict(api_proxy='orders', endpoint='proxy level', pipeline='request', policy='p',
               type='policy-jose-validation', field='jwkIdForValidationAndSign')
    maybe = dict(pin, policy='q', reason='the answer does not show jwkIdForValidationAndSign')
    jwks = [dict(name='gen-1', usage=dict(policies=[pin], possible=[], unchecked=list(NOT_SHOWN))),
            dict(name='gen-2', usage=dict(policies=[], possible=[maybe], unchecked=list(NOT_SHOWN))),
            dict(name='gen-3', usage=dict(policies=[], possible=[], unchecked=list(NOT_SHOWN))),
            dict(name='gen-4', usage=dict(policies=[], possible=[], unchecked=[NO_ID] + list(NOT_SHOWN)))]
    pinned = pinned_by_name(jwks)
    # gen-4 has no id, but the read showed no pin it could be: nothing pins it
    assert sorted(pinned) == ['gen-1', 'gen-2']
    assert pinned['gen-1'] == [dict(pin, possible=False)]
    assert pinned['gen-2'] == [dict(maybe, possible=True)]
    with pytest.raises(ValueError, match='gen-5 carries no usage'):
        pinned_by_name([dict(name='gen-5')])


# ---- the client's two reads --------------------------------------------------------------------

def listed(*items, **extra):
    body = {'status': 'SUCCESS', 'resultList': list(items), 'resultCount': len(items)}
    body.update(extra)
    return ok(body)


def test_client_paths_quote_a_proxy_name_with_spaces_as_one_segment():
    client = make_client(listed({'name': 'Contact Application API'}),
                         listed(proxy('Contact Application API')), listed(proxy('a/b?c')))
    assert client.list_api_proxies() == [{'name': 'Contact Application API'}]
    assert client.list_api_proxy_policies('Contact Application API')['name'] == 'Contact Application API'
    client.list_api_proxy_policies('a/b?c')
    assert client.session.lines() == ['GET /apiops/projects/demo/apiProxies/',
                                      'GET /apiops/projects/demo/apiProxies/Contact%20Application%20API/policies/',
                                      'GET /apiops/projects/demo/apiProxies/a%2Fb%3Fc/policies/']
    for bad in ('', ' ', '.', '..', None):
        with pytest.raises(ValueError):
            client.list_api_proxy_policies(bad)


def test_client_reads_both_documented_shapes_of_list_policies():
    client = make_client(listed(LIST_POLICIES_ITEM), listed(wrapped('MyAPI', request=[JOSE_VALIDATION])))
    assert client.list_api_proxy_policies('Address') == LIST_POLICIES_ITEM
    assert client.list_api_proxy_policies('MyAPI')['requestPolicyList'] == [JOSE_VALIDATION]


@pytest.mark.parametrize('answer, detail', [
    (listed(), '0 items in resultList, expected the one API proxy orders'),
    (listed(proxy('orders'), proxy('orders')), '2 items in resultList, expected the one API proxy orders'),
    (listed(proxy('billing')), 'asked for the policies of API proxy orders, got an item named otherwise'),
    (listed({'apiProxy': ['orders']}), 'apiProxy is a list, not an object'),
    (listed(proxy('orders'), resultCount=3), 'resultCount 3 does not match the 1 item(s) of resultList'),
    (ok({'status': 'SUCCESS'}), 'no resultList list in the answer'),
])
def test_client_refuses_a_policies_answer_about_anything_but_this_proxy(answer, detail):
    client = make_client(answer)
    with pytest.raises(UnexpectedAnswer) as err:
        client.list_api_proxy_policies('orders')
    assert str(err.value) == 'unexpected answer from GET /projects/demo/apiProxies/orders/policies/: %s' % detail


@pytest.mark.parametrize('item', [{'description': 'no name'}, {'name': ''}, {'name': 3}])
def test_client_refuses_a_proxy_list_item_without_a_name(item):
    client = make_client(listed({'name': 'ok'}, item))
    with pytest.raises(UnexpectedAnswer, match=r'resultList\[1\] is no API proxy with a name'):
        client.list_api_proxies()


def test_client_proxy_list_errors_are_the_servers_text():
    client = make_client(FakeResponse(400, {'status': 'FAILURE', 'resultMessage': 'Project (demo) is not found!'}))
    with pytest.raises(Exception) as err:
        client.list_api_proxies()
    assert 'Project (demo) is not found!' in str(err.value)
