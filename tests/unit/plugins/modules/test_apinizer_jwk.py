# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""apinizer_jwk decision logic against a faked client.

The fake keeps JWKs in the API's shape and records every call, so each test can assert the
exact requests a run would send (a no-op reads the list, and the public key when the task states key
facts; check mode never writes).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils.client import ApinizerClient
from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_jwk

# RFC 7517 A.1 / RFC 7638 3.1: a 2048-bit RSA public key and its known thumbprint.
RSA_N = ('0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiF'
         'V4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnY'
         'b9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw'
         '0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw')
RSA_THUMBPRINT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
RSA_KEY = {'kty': 'RSA', 'n': RSA_N, 'e': 'AQAB', 'alg': 'RS256', 'use': 'sig', 'kid': '2011-04-29'}
# RFC 7517 A.2: an EC P-256 key with its private member d.
EC_D = '870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE'
EC_KEY = {'kty': 'EC', 'crv': 'P-256', 'x': 'MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4',
          'y': '4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM', 'd': EC_D, 'use': 'sig', 'alg': 'ES256', 'kid': 'ec-1'}
# RFC 8037 A.1/A.2: Ed25519.
OKP_KEY = {'kty': 'OKP', 'crv': 'Ed25519', 'x': '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
           'd': 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A', 'use': 'sig', 'alg': 'EdDSA', 'kid': 'okp-1'}

MATERIAL = {('RSA', 2048): RSA_KEY, ('EC', 'P256'): EC_KEY, ('OKP', 'ED25519'): OKP_KEY}

OK_DEPLOYMENT = [{'environment': 'production', 'success': True, 'message': 'deployed'},
                 {'environment': 'staging', 'success': True, 'message': 'deployed'}]


def api_jwk(name, key, source='GENERATE', description=None, source_url=None):
    """A Jwk as GET /jwks/{name}/ answers it: metadata plus the type-named member."""
    kty = key['kty'].upper()
    return {'id': 'id-%s' % name, 'name': name, 'description': description, 'projectId': 'p1', 'sourceType': source,
            'sourceId': None, 'sourceUrl': source_url, 'type': kty, 'kid': key.get('kid'),
            kty.lower(): copy.deepcopy(key)}


def summary(jwk):
    """The JWK list's item (JwkManagementDTO): metadata and id, no key material."""
    return dict((k, v) for k, v in jwk.items() if k not in ('rsa', 'ec', 'oct', 'okp'))


class FakeClient(object):
    """In-memory stand-in for ApinizerClient; records (method, target, body) per call.

    ``export``: True (the server has export-file?publicOnly=true), 'missing' (404) or 'refused'
    (the permission 400). Reads are recorded as LIST (the JWK list), EXPORT and GET (Get JWK).
    """

    def __init__(self, jwks=None, deployment=None, error=None, retries_used=0, export=True, proxies=None):
        self.jwks = dict((j['name'], j) for j in (jwks or []))
        # API proxy name -> the proxy object its List Policies answer carries (where-used reads)
        self.proxies = dict(proxies or {})
        self.deployment = deployment if deployment is not None else OK_DEPLOYMENT
        self.error = error  # raised by the first call
        self.retries_used = retries_used
        self.export = export
        self.calls = []
        self.landed = []
        self.project = 'demo'

    @property
    def writes(self):
        return [c for c in self.calls if c[0] not in ('GET', 'LIST', 'EXPORT')]

    def list_jwks(self, project=None):
        self._record('LIST', None, None)
        return [summary(j) for j in self.jwks.values()]

    def export_jwk(self, name, project=None):
        self._record('EXPORT', name, None)
        if self.export == 'missing':
            raise ApinizerError(status=404, method='GET', path='/x/export-file/')
        if self.export == 'refused':
            raise ApinizerError(status=400, method='GET', path='/x/export-file/',
                                error_description='User does not have required permission for this operation!')
        jwk = self.jwks.get(name)
        if jwk is None:
            raise ApinizerError(status=400, error_description='JWK (name: %s) is not found!' % name)
        key = next((v for k, v in jwk.items() if k in ('rsa', 'ec', 'oct', 'okp')), None)
        if key is None:
            raise ApinizerError(status=400, error_description='JWK (name: %s) carries no key material to export!' % name)
        return {'keys': [dict((m, v) for m, v in key.items() if m not in ('d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'))]}

    retry_warning = ApinizerClient.retry_warning  # the real wording, from the one client

    def mask(self, text, extra=()):
        return text

    def list_api_proxies(self, project=None):
        self._record('LIST', 'apiProxies', None)
        return [{'name': name} for name in self.proxies]

    def list_api_proxy_policies(self, api_proxy, project=None):
        self._record('LIST', 'policies', api_proxy)
        return copy.deepcopy(self.proxies[api_proxy])

    def _record(self, *call):
        self.calls.append(call)
        if self.error is not None:
            raise self.error

    def get_jwk(self, name, project=None):
        self._record('GET', name, None)
        return copy.deepcopy(self.jwks.get(name))

    def generate_jwk(self, body, project=None, landed=None):
        self._record('POST', 'generate', body)
        self.landed.append(landed)
        member = body[body['type'].lower()]
        key = dict(MATERIAL[(body['type'], member.get('keySize') or member.get('curveType'))])
        key['kid'] = body.get('kid', key['kid'])
        self.jwks[body['name']] = api_jwk(body['name'], key, description=body.get('description'))
        return self.deployment

    def create_jwk(self, body, project=None, landed=None):
        self._record('POST', 'create', body)
        self.landed.append(landed)
        if body['sourceType'] == 'COPY_PASTE':
            key = json.loads(body['jwkStr'])
        else:
            key = dict(RSA_KEY, kid=body.get('kid', 'derived'))
        self.jwks[body['name']] = api_jwk(body['name'], key, source=body['sourceType'],
                                          description=body.get('description'), source_url=body.get('url'))
        return self.deployment

    def update_jwk(self, name, body, project=None):
        self._record('PUT', name, body)
        self.jwks[name]['description'] = body['description']
        if self.jwks[name]['sourceType'] not in ('GENERATE', 'COPY_PASTE'):
            self.jwks[name].update(sourceType='COPY_PASTE', sourceUrl=None)
        return self.deployment

    def delete_jwk(self, name, project=None):
        self._record('DELETE', name, None)
        del self.jwks[name]
        return self.deployment


@pytest.fixture
def run(run_module, connection_args):
    """run(args, client, check=False, diff=False) -> result dict plus _stdout and _client_built."""

    def _run(args, client, check=False, diff=False):
        # This file's own URL and token: tests assert this token never reaches the output.
        module_args = connection_args(apinizer_url='https://apinizer.invalid', apinizer_token='unit-token-secret')
        module_args.update(args)
        dummy, result, out = run_module(apinizer_jwk, module_args, client, check_mode=check, diff=diff)
        result['_stdout'] = out
        result['_client_built'] = run_module.client_built
        return result

    return _run


def warnings(result):
    """Warning texts; ansible-core 2.19 reports each warning as {"event": {"msg": ...}}."""
    texts = []
    for warning in result.get('warnings', []):
        texts.append(warning['event']['msg'] if isinstance(warning, dict) else warning)
    return texts


L = ('LIST', None, None)
RSA_TASK = dict(name='signing', key_type='RSA', key_size=2048, algorithm='RS256', kid='2011-04-29')


# ---- present: create, no-op ------------------------------------------------------------------

def test_noop_reads_the_list_and_the_public_key_and_is_unchanged(run):
    client = FakeClient([api_jwk('signing', RSA_KEY)])
    result = run(RSA_TASK, client)
    assert result['changed'] is False
    assert client.calls == [('LIST', None, None), ('EXPORT', 'signing', None)]   # never Get JWK
    assert result['jwk']['thumbprint'] == RSA_THUMBPRINT
    assert result['jwk']['key_size'] == 2048
    assert result['actions'] == []
    assert 'warnings' not in result


def test_create_generates_with_enum_spelling_and_reads_back(run):
    client = FakeClient()
    result = run(dict(RSA_TASK, description='orders'), client)
    assert result['changed'] is True
    assert [c[:2] for c in client.calls] == [('LIST', None), ('POST', 'generate'), ('GET', 'signing')]
    body = client.calls[1][2]
    assert body['type'] == 'RSA'
    assert body['rsa']['algorithm'] == 'RSA256'  # the generate endpoint's enum, not RS256
    assert body['rsa']['keySize'] == 2048
    assert body['kid'] == '2011-04-29'
    assert result['jwk']['name'] == 'signing'
    assert result['jwk']['alg'] == 'RS256'
    assert result['actions'] == ['create']
    assert result['deployment'] == OK_DEPLOYMENT


def test_create_passes_a_landed_check_that_reads_the_name(run):
    client = FakeClient()
    run(RSA_TASK, client)
    landed = client.landed[0]
    assert callable(landed)
    assert landed() is True  # the JWK exists now, and it is the one sent
    assert client.calls[-2:] == [L, ('EXPORT', 'signing', None)]


def test_create_in_check_mode_writes_nothing(run):
    client = FakeClient()
    result = run(RSA_TASK, client, check=True)
    assert result['changed'] is True
    assert client.writes == []
    assert client.calls == [('LIST', None, None)]
    assert result['actions'] == ['create']
    assert result['jwk'] == {}


def test_create_from_jwk_sends_jose_spelling_and_only_the_public_key_matters(run):
    client = FakeClient()
    jwk_set = {'keys': [dict(EC_KEY), dict(RSA_KEY)]}
    result = run(dict(name='imported', source='jwk', jwk=json.dumps(jwk_set), kid='2011-04-29'), client)
    assert result['changed'] is True
    body = client.calls[1][2]
    assert body['sourceType'] == 'COPY_PASTE'
    assert json.loads(body['jwkStr'])['n'] == RSA_N  # the selected key only
    assert result['jwk']['thumbprint'] == RSA_THUMBPRINT
    # second run with the key given as a dict: no change, one request
    client.calls = []
    result = run(dict(name='imported', source='jwk', jwk=dict(RSA_KEY)), client)
    assert result['changed'] is False
    assert client.calls == [('LIST', None, None), ('EXPORT', 'imported', None)]


def test_other_key_material_is_a_thumbprint_difference(run):
    client = FakeClient([api_jwk('imported', RSA_KEY, source='COPY_PASTE')])
    other = dict(RSA_KEY, n=RSA_N[:-4] + 'AAAA')
    result = run(dict(name='imported', source='jwk', jwk=other), client)
    assert result['failed'] is True
    assert 'thumbprint' in result['msg']
    assert RSA_N[:-4] + 'AAAA' not in result['_stdout']  # differences name thumbprints, never material
    assert RSA_N not in result['msg']
    assert client.writes == []


# ---- description updates ---------------------------------------------------------------------

def test_description_only_is_an_in_place_update(run):
    client = FakeClient([api_jwk('signing', RSA_KEY, description='old')])
    result = run(dict(RSA_TASK, description='new'), client)
    assert result['changed'] is True
    assert client.writes == [('PUT', 'signing', {'description': 'new'})]
    assert result['actions'] == ['update']
    assert result['jwk']['description'] == 'new'
    assert 'warnings' not in result  # a generated key has no source to lose


def test_description_update_of_sourced_jwk_warns_about_detaching_and_is_stable(run):
    url = 'https://keys.example.com/jwks.json'
    client = FakeClient([api_jwk('remote', RSA_KEY, source='URL', source_url=url, description='old')])
    task = dict(name='remote', source='url', url=url, description='new')
    result = run(task, client)
    assert result['changed'] is True
    assert any('detaches' in w for w in warnings(result))
    assert client.jwks['remote']['sourceType'] == 'COPY_PASTE'
    # the detached copy still matches the task that created it
    client.calls = []
    result = run(task, client)
    assert result['changed'] is False
    assert client.calls == [('LIST', None, None)]   # the list reports source, url and kid


@pytest.mark.parametrize('source', ['GENERATE', 'URL'])
def test_description_update_in_check_mode_writes_nothing(run, source):
    url = 'https://keys.example.com/jwks.json'
    client = FakeClient([api_jwk('k', RSA_KEY, source=source, description='old',
                                 source_url=url if source == 'URL' else None)])
    task = dict(name='k', description='new', source='url', url=url) if source == 'URL' else dict(
        RSA_TASK, name='k', description='new')
    result = run(task, client, check=True, diff=True)
    assert result['changed'] is True and result['actions'] == ['update']
    assert client.calls == ([L] if source == 'URL' else [L, ('EXPORT', 'k', None)])
    assert client.jwks['k']['description'] == 'old' and client.jwks['k']['sourceType'] == source
    assert (result['diff']['before']['description'], result['diff']['after']['description']) == ('old', 'new')
    assert result['jwk']['description'] == 'old'  # what exists: nothing was written


def test_a_changed_url_is_a_difference(run):
    client = FakeClient([api_jwk('remote', RSA_KEY, source='URL', source_url='https://a.example/jwks')])
    result = run(dict(name='remote', source='url', url='https://b.example/jwks'), client)
    assert result['failed'] is True
    assert 'url: the server has https://a.example/jwks' in result['msg']


# ---- regenerate ------------------------------------------------------------------------------

EC_TASK = dict(name='ec', key_type='EC', curve='P-384', algorithm='ES384', kid='ec-1')


def test_regenerate_fail_names_every_difference_and_the_way_out(run):
    client = FakeClient([api_jwk('ec', EC_KEY)])
    result = run(EC_TASK, client)
    assert result['failed'] is True
    assert 'curve: the server has P-256, the task asks for P-384' in result['msg']
    assert 'alg: the server has ES256, the task asks for ES384' in result['msg']
    assert 'regenerate: when_different' in result['msg']
    assert client.writes == []
    assert EC_D not in result['_stdout']


def test_regenerate_fail_also_fails_in_check_mode_without_writing(run):
    client = FakeClient([api_jwk('ec', EC_KEY)])
    result = run(EC_TASK, client, check=True)
    assert result['failed'] is True
    assert client.writes == []


def test_regenerate_never_leaves_it_and_warns(run):
    client = FakeClient([api_jwk('ec', EC_KEY)])
    result = run(dict(EC_TASK, regenerate='never'), client)
    assert result['changed'] is False
    assert client.calls == [L, ('EXPORT', 'ec', None)]
    assert any('curve' in w and 'regenerate is never' in w for w in warnings(result))
    assert len(result['differences']) == 2


def test_regenerate_never_still_updates_the_description(run):
    client = FakeClient([api_jwk('ec', EC_KEY, description='a')])
    result = run(dict(EC_TASK, regenerate='never', description='b'), client)
    assert result['changed'] is True
    assert client.writes == [('PUT', 'ec', {'description': 'b'})]


def test_regenerate_when_different_replaces(run):
    client = FakeClient([api_jwk('ec', EC_KEY)])
    MATERIAL[('EC', 'P384')] = dict(EC_KEY, crv='P-384', x='A' * 64, y='B' * 64, alg='ES384')
    try:
        result = run(dict(EC_TASK, regenerate='when_different'), client)
    finally:
        del MATERIAL[('EC', 'P384')]
    assert result['changed'] is True
    assert [c[:2] for c in client.calls] == [L[:2], ('EXPORT', 'ec'), ('LIST', 'apiProxies'), ('DELETE', 'ec'),
                                             ('POST', 'generate'), ('GET', 'ec')]
    assert client.calls[4][2]['ec']['curveType'] == 'P384'
    assert result['actions'] == ['delete', 'create']
    assert result['jwk']['curve'] == 'P-384'


@pytest.mark.parametrize('regenerate', ['when_different', 'always'])
def test_regenerate_in_check_mode_writes_nothing(run, regenerate):
    client = FakeClient([api_jwk('ec', EC_KEY)])
    result = run(dict(EC_TASK, regenerate=regenerate), client, check=True)
    assert result['changed'] is True
    # regenerate=always needs no comparison: the list is the only JWK read; then which policies pin it.
    proxies = ('LIST', 'apiProxies', None)
    assert client.calls == ([L, ('EXPORT', 'ec', None), proxies] if regenerate == 'when_different' else [L, proxies])
    assert result['actions'] == ['delete', 'create']
    assert result['jwk']['name'] == 'ec' and client.jwks['ec']['ec']['crv'] == 'P-256'  # nothing was replaced


def test_regenerate_always_replaces_an_equal_jwk(run):
    client = FakeClient([api_jwk('signing', RSA_KEY)])
    result = run(dict(RSA_TASK, regenerate='always'), client)
    assert result['changed'] is True
    assert [c[0] for c in client.writes] == ['DELETE', 'POST']


def test_a_fact_the_server_does_not_report_is_no_difference(run):
    key = dict(RSA_KEY)
    del key['use'], key['alg']
    client = FakeClient([api_jwk('signing', key)])
    result = run(dict(RSA_TASK, use='signature'), client)
    assert result['changed'] is False
    assert client.writes == []


# ---- facts a documented server does not report (issue 12 item 6) ------------------------------

def _documented_key(key):
    """The key member as the Get JWK page documents it: no use, no alg."""
    return dict((k, v) for k, v in key.items() if k not in ('use', 'alg'))


def test_unreported_use_and_algorithm_warn_once_and_are_never_a_silent_ok(run):
    client = FakeClient([api_jwk('signing', _documented_key(RSA_KEY))], export='missing')
    result = run(dict(RSA_TASK, use='signature'), client)
    assert result['changed'] is False
    assert client.calls == [L, ('EXPORT', 'signing', None), ('GET', 'signing', None)]
    assert result['unverified'] == ['algorithm', 'use']
    assert warnings(result) == [
        "The server does not report algorithm or use of JWK signing, so the task could not compare them with "
        "what it asks for (algorithm 'RS256', use 'signature'): the existing JWK was kept and is not known to match."]
    # What was compared still counts: another key size is a difference, reported as such.
    client = FakeClient([api_jwk('signing', _documented_key(RSA_KEY))], export='missing')
    result = run(dict(RSA_TASK, use='signature', key_size=4096), client)
    assert result['failed'] is True and client.writes == []
    assert result['differences'] == ['key_size: the server has 2048, the task asks for 4096']
    assert result['unverified'] == ['algorithm', 'use']


def test_only_the_unreported_one_is_named(run):
    key = _documented_key(RSA_KEY)
    key['use'] = 'sig'   # a server that reports use but not alg
    client = FakeClient([api_jwk('signing', key)], export='refused')
    result = run(dict(RSA_TASK, use='signature'), client)
    assert result['unverified'] == ['algorithm']
    assert len(warnings(result)) == 1 and "algorithm 'RS256'" in warnings(result)[0]
    assert 'use' not in warnings(result)[0].split('(')[1]


def test_reported_use_and_algorithm_are_compared_without_a_warning(run):
    client = FakeClient([api_jwk('signing', RSA_KEY)])
    result = run(dict(RSA_TASK, use='signature'), client)
    assert result['changed'] is False and 'unverified' not in result and 'warnings' not in result
    result = run(dict(RSA_TASK, algorithm='PS256'), FakeClient([api_jwk('signing', RSA_KEY)]))
    assert result['failed'] is True and result['differences'] == ['alg: the server has RS256, the task asks for PS256']


def test_a_task_that_sets_no_use_or_algorithm_has_nothing_unverified(run):
    client = FakeClient([api_jwk('signing', _documented_key(RSA_KEY))], export='missing')
    result = run(dict(name='signing', key_type='RSA', key_size=2048), client)
    assert result['changed'] is False and 'unverified' not in result and 'warnings' not in result


def test_a_replaced_jwk_has_nothing_unverified(run):
    client = FakeClient([api_jwk('signing', _documented_key(RSA_KEY))])
    result = run(dict(RSA_TASK, use='signature', regenerate='always'), client)
    assert [c[0] for c in client.writes] == ['DELETE', 'POST']
    assert 'unverified' not in result and warnings(result) == []


@pytest.mark.parametrize('source, options', [
    ('certificate', dict(certificate_name='c', environment='production')),
    ('public_key', dict(key_name='k', environment='production')),
    ('private_key', dict(key_name='k', environment='production')),
    ('keystore', dict(keystore_name='ks', alias='a', environment='production')),
])
def test_kid_is_refused_for_stored_sources_before_any_request(run, source, options):
    client = FakeClient()
    task = dict(options, name='derived', source=source, use='signature', algorithm='RS256', kid='k-1')
    result = run(task, client)
    assert result['failed'] is True and client.calls == [] and result['_client_built'] is False
    assert result['problems'] == ["kid does not apply to source %r (it applies to source: generate, jwk, url)" % source]


# ---- absent ----------------------------------------------------------------------------------

def test_absent_deletes(run):
    client = FakeClient([api_jwk('signing', RSA_KEY)])
    result = run(dict(name='signing', state='absent'), client, diff=True)
    assert result['changed'] is True
    # which policies pin it (a project without API proxies: one request) before the delete
    assert client.calls == [L, ('LIST', 'apiProxies', None), ('DELETE', 'signing', None)]
    assert result['diff']['after'] == {}
    assert result['diff']['before']['name'] == 'signing' and result['diff']['before']['key_type'] == 'RSA'


def test_absent_when_missing_is_one_list_read(run):
    client = FakeClient()
    result = run(dict(name='signing', state='absent'), client)
    assert result['changed'] is False
    assert client.calls == [L]


def test_absent_in_check_mode_writes_nothing(run):
    client = FakeClient([api_jwk('signing', RSA_KEY)])
    result = run(dict(name='signing', state='absent'), client, check=True)
    assert result['changed'] is True
    assert client.writes == []
    assert 'signing' in client.jwks


# ---- validation ------------------------------------------------------------------------------

def test_bad_input_fails_before_any_request_listing_every_problem(run):
    client = FakeClient()
    result = run(dict(name='bad', key_type='RSA', key_size=1024, algorithm='ES256'), client)
    assert result['failed'] is True
    assert result['_client_built'] is False
    assert client.calls == []
    assert len(result['problems']) >= 2
    assert 'key_size' in result['msg'] and 'algorithm' in result['msg']
    assert '2048' in result['msg']  # the allowed values


def test_malformed_jwk_names_the_option_without_echoing_it(run):
    client = FakeClient()
    secret = '{"kty": "EC", "d": "supersecretvalue", '
    result = run(dict(name='bad', source='jwk', jwk=secret), client)
    assert result['failed'] is True
    assert client.calls == []
    assert 'jwk' in result['msg']
    assert 'supersecretvalue' not in result['_stdout']


def test_set_without_kid_fails_with_the_available_kids(run):
    client = FakeClient()
    result = run(dict(name='bad', source='jwk', jwk={'keys': [EC_KEY, RSA_KEY]}), client)
    assert result['failed'] is True
    assert client.calls == []
    assert 'ec-1' in result['msg'] and '2011-04-29' in result['msg']
    assert EC_D not in result['_stdout']


# ---- deployment, errors, retries -------------------------------------------------------------

FAILED_DEPLOYMENT = [{'environment': 'production', 'success': True, 'message': 'deployed'},
                     {'environment': 'staging', 'success': False, 'message': 'gateway unreachable'}]


def test_failed_environment_fails_the_task_by_default(run):
    client = FakeClient(deployment=FAILED_DEPLOYMENT)
    result = run(RSA_TASK, client)
    assert result['failed'] is True
    assert result['changed'] is True  # the JWK was saved
    assert 'staging: gateway unreachable' in result['msg']
    assert result['failed_environments'] == ['staging']
    assert result['deployment'] == FAILED_DEPLOYMENT


def test_failed_environment_is_a_warning_when_asked(run):
    client = FakeClient(deployment=FAILED_DEPLOYMENT)
    result = run(dict(RSA_TASK, fail_on_deploy_error=False), client)
    assert result.get('failed') is not True
    assert result['changed'] is True
    assert any('staging: gateway unreachable' in w for w in warnings(result))
    assert result['jwk']['name'] == 'signing'


def test_api_error_is_surfaced_with_status_and_code(run):
    error = ApinizerError(status=404, error='not_found', method='GET', path='/projects/nope/jwks/signing/',
                          error_description='Project(nope) was not found or user does not have privilege to '
                                            'access it!')
    client = FakeClient(error=error)
    result = run(RSA_TASK, client)
    assert result['failed'] is True
    assert result['status'] == 404
    assert result['error'] == 'not_found'
    assert 'Project(nope) was not found' in result['msg']
    assert 'unit-token-secret' not in result['_stdout']


def test_retries_are_reported(run):
    client = FakeClient([api_jwk('signing', RSA_KEY)], retries_used=2)
    result = run(RSA_TASK, client)
    assert result['changed'] is False
    assert any('2 transient' in w for w in warnings(result))


# ---- output: diff, private members -----------------------------------------------------------

def test_diff_shows_metadata_and_thumbprint_never_material(run):
    client = FakeClient([api_jwk('ec', EC_KEY, description='a')])
    result = run(dict(name='ec', key_type='EC', curve='P-256', description='b'), client, diff=True)
    diff = result['diff']
    assert diff['before']['description'] == 'a'
    assert diff['after']['description'] == 'b'
    assert diff['before']['curve'] == 'P-256'
    assert diff['before']['thumbprint'] == diff['after']['thumbprint']
    # the metadata issue 3 lists for diff mode, and nothing else
    fields = {'name', 'description', 'source', 'key_type', 'kid', 'use', 'alg', 'curve', 'thumbprint'}
    assert set(diff['before']) == fields and set(diff['after']) == fields
    dumped = json.dumps(diff)
    assert EC_D not in dumped and EC_KEY['x'] not in dumped


def test_create_diff_in_check_mode_shows_the_requested_facts(run):
    client = FakeClient()
    result = run(dict(name='ec', key_type='EC', curve='P-521'), client, check=True, diff=True)
    assert result['diff']['before'] == {}
    assert result['diff']['after']['curve'] == 'P-521'
    assert result['diff']['after']['alg'] == 'ES512'


def test_private_members_only_on_request(run):
    client = FakeClient([api_jwk('ec', EC_KEY)])
    result = run(dict(name='ec', key_type='EC', curve='P-256'), client)
    assert EC_D not in result['_stdout']
    assert 'private_jwk' not in result['jwk']
    assert result['jwk']['public_jwk'] == dict((k, v) for k, v in EC_KEY.items() if k != 'd')
    client.calls = []
    result = run(dict(name='ec', key_type='EC', return_private_key=True), client)
    assert result['jwk']['private_jwk']['d'] == EC_D
    assert client.calls == [('GET', 'ec', None)]   # Get JWK is the one read that shows it


def test_a_jwk_given_as_dict_masks_private_members_but_not_public_facts(run):
    # no_log on a dict would mask every leaf ("EC", "sig", the kid) wherever it appears.
    client = FakeClient()
    result = run(dict(name='imported', source='jwk', jwk=dict(EC_KEY)), client)
    assert result['changed'] is True
    assert result['jwk']['kid'] == 'ec-1'
    assert result['jwk']['key_type'] == 'EC'
    assert result['jwk']['public_jwk']['x'] == EC_KEY['x']
    assert EC_D not in result['_stdout']
    assert result['invocation']['module_args']['jwk'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    # the private member did reach the API (the fake stores what it received)
    assert json.loads(client.calls[1][2]['jwkStr'])['d'] == EC_D


def test_rsa_4096_encryption_generate_body(run):
    # the integration tests stop at 3072 (4096 costs seconds per run); the body is checked here
    client = FakeClient()
    MATERIAL[('RSA', 4096)] = RSA_KEY  # the fake only needs some material to store
    try:
        result = run(dict(name='big', key_type='RSA', key_size=4096, use='encryption', algorithm='RSA-OAEP-256'),
                     client)
    finally:
        del MATERIAL[('RSA', 4096)]
    assert result['changed'] is True
    assert client.calls[1][2] == {'name': 'big', 'type': 'RSA',
                                  'rsa': {'keySize': 4096, 'keyUseType': 'ENCRYPTION', 'algorithm': 'RSA_OAEP_256'}}


def test_a_failed_environment_never_stops_a_replacement_halfway(run):
    client = FakeClient([api_jwk('signing', RSA_KEY)], deployment=FAILED_DEPLOYMENT)
    result = run(dict(RSA_TASK, regenerate='always'), client)
    assert [c[0] for c in client.writes] == ['DELETE', 'POST']  # created again before failing
    assert 'signing' in client.jwks
    assert result['failed'] is True
    assert result['failed_environments'] == ['staging']
    assert 'staging: gateway unreachable (delete)' in result['msg']
    assert 'staging: gateway unreachable (create)' in result['msg']
    assert result['jwk']['name'] == 'signing'  # read back: the task reports what exists


def test_a_replacement_whose_create_fails_says_the_jwk_was_deleted(run):
    client = FakeClient([api_jwk('signing', RSA_KEY)])

    def refuse(body, project=None, landed=None):
        client.calls.append(('POST', 'generate', body))
        raise ApinizerError(status=400, error='bad_request', error_description='no', method='POST',
                            path='/projects/demo/jwks/generate')

    client.generate_jwk = refuse
    result = run(dict(RSA_TASK, regenerate='always'), client)
    assert result['failed'] is True and result['changed'] is True
    assert 'was deleted to be replaced' in result['msg'] and 'HTTP 400 bad_request: no' in result['msg']
    assert result['status'] == 400
