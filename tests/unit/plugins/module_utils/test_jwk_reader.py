# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""jwk_reader: the list decides when it can; the public key comes from export-file (probed once per
run) or Get JWK; what a read does not show is never read as "different"."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError, UnexpectedAnswer
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_reader import JwkReader
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_state import current_state, plan, unverified

EC = {'kty': 'EC', 'crv': 'P-256', 'x': 'MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4',
      'y': '4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM', 'd': '870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE',
      'kid': 'k1'}
PUBLIC_EC = dict((k, v) for k, v in EC.items() if k != 'd')
SUMMARY = {'id': 'id-k', 'name': 'k', 'description': None, 'sourceType': 'GENERATE', 'sourceUrl': None,
           'type': 'EC', 'kid': 'k1'}
PERMISSION = 'User does not have required permission for this operation!'


class Reads(object):
    """A client whose reads are recorded: LIST, EXPORT <name>, GET <name>."""

    def __init__(self, export='ok', get_shows_key=True, exported=None, jwks=('k', 'j'), source='GENERATE'):
        self.export, self.get_shows_key = export, get_shows_key
        self.base = dict(SUMMARY, sourceType=source)
        self.exported = exported if exported is not None else dict(PUBLIC_EC, use='sig', alg='ES256')
        self.names = jwks
        self.calls = []
        self.project = 'demo'

    def list_jwks(self):
        self.calls.append('LIST')
        return [dict(self.base, name=n, id='id-%s' % n) for n in self.names]

    def export_jwk(self, name):
        self.calls.append('EXPORT %s' % name)
        if self.export == 'missing':
            raise ApinizerError(status=404, method='GET', path='/x/')
        if self.export == 'refused':
            raise ApinizerError(status=400, error_description=PERMISSION)
        if self.export == 'no material':
            raise ApinizerError(status=400, error_description='JWK (name: %s) carries no key material to export!' % name)
        if self.export == 'other 400':
            raise ApinizerError(status=400, error_description='Something else')
        return {'keys': [copy.deepcopy(self.exported)]}

    def get_jwk(self, name):
        self.calls.append('GET %s' % name)
        full = dict(self.base, name=name, id='id-%s' % name)
        if self.get_shows_key:
            full['ec'] = copy.deepcopy(EC)
        return full


def params(**kwargs):
    base = dict(name='k', state='present', regenerate='fail')
    base.update(kwargs)
    return base


@pytest.mark.parametrize('task', [
    params(key_type='EC', kid='k1', description='d'),
    params(source='generate'),
    params(curve='P-256', regenerate='always'),
    params(curve='P-256', state='absent'),
])
def test_the_list_decides_without_any_key_read(task):
    client = Reads()
    reader = JwkReader(client)
    assert reader.current(task, reader.summary('k')) == dict(SUMMARY)
    assert client.calls == ['LIST']


def test_a_missing_jwk_is_decided_by_the_list():
    client = Reads()
    reader = JwkReader(client)
    assert reader.current(params(curve='P-256'), reader.summary('nope')) is None
    assert client.calls == ['LIST']


@pytest.mark.parametrize('task', [params(curve='P-256'), params(algorithm='ES256'), params(use='signature')])
def test_key_facts_come_from_the_public_export_never_get_jwk(task):
    client = Reads()
    reader = JwkReader(client)
    current = reader.current(task, reader.summary('k'))
    assert client.calls == ['LIST', 'EXPORT k']
    facts = current_state(current)
    assert (facts['curve'], facts['use'], facts['alg'], facts['key_part']) == ('P-256', 'signature', 'ES256', None)
    assert 'd' not in current['ec'] and current['id'] == 'id-k'
    assert unverified(task, current) == {} and plan(task, current)['actions'] == []


@pytest.mark.parametrize('export', ['missing', 'refused'])
def test_a_missing_or_refused_export_is_probed_once_then_get_jwk(export):
    client = Reads(export=export)
    reader = JwkReader(client)
    for name in ('k', 'j'):
        reader.current(params(name=name, curve='P-256'), reader.summary(name))
    assert client.calls == ['LIST', 'EXPORT k', 'GET k', 'GET j']
    assert reader.export_available is False


def test_no_key_material_to_export_falls_back_for_that_jwk_only():
    client = Reads(export='no material')
    reader = JwkReader(client)
    reader.current(params(curve='P-256'), reader.summary('k'))
    reader.current(params(name='j', curve='P-256'), reader.summary('j'))
    assert client.calls == ['LIST', 'EXPORT k', 'GET k', 'EXPORT j', 'GET j']


def test_any_other_export_error_is_an_error():
    reader = JwkReader(Reads(export='other 400'))
    with pytest.raises(ApinizerError, match='Something else'):
        reader.current(params(curve='P-256'), reader.summary('k'))


def test_a_symmetric_key_is_read_with_get_jwk():
    client = Reads()
    reader = JwkReader(client)
    reader.current(params(key_size=256), dict(SUMMARY, type='OCT'))
    assert client.calls == ['GET k']


def test_a_private_import_asks_get_jwk_and_fills_use_and_alg_from_the_export():
    client = Reads()
    reader = JwkReader(client)
    task = params(source='jwk', jwk=dict(EC, use='sig'), use='signature')
    current = reader.current(task, reader.summary('k'))
    assert client.calls == ['LIST', 'GET k', 'EXPORT k']
    facts = current_state(current)
    assert (facts['key_part'], facts['use'], facts['alg']) == ('public and private', 'signature', 'ES256')
    assert plan(task, current)['actions'] == [] and unverified(task, current) == {}


def test_get_jwk_without_key_material_is_not_shown_never_different():
    # The spec's Get JWK (JwkManagementDTO) carries no key member: the public facts come from the
    # export, and whether the server holds the private part is unverified, never a replacement.
    client = Reads(get_shows_key=False, source='COPY_PASTE')
    reader = JwkReader(client)
    task = params(source='jwk', jwk=EC, regenerate='when_different')
    current = reader.current(task, reader.summary('k'))
    assert client.calls == ['LIST', 'GET k', 'EXPORT k']
    decided = plan(task, current)
    assert decided['actions'] == [] and decided['unverified'] == {'key_part': 'public and private'}


def test_nothing_shown_anywhere_is_unverified_and_never_replaced():
    client = Reads(get_shows_key=False, export='missing', source='COPY_PASTE')
    reader = JwkReader(client)
    task = params(source='jwk', jwk=EC, regenerate='when_different')
    current = reader.current(task, reader.summary('k'))
    assert client.calls == ['LIST', 'GET k', 'EXPORT k']   # Get JWK once: its answer is what is shown
    decided = plan(task, current)
    assert decided['actions'] == []
    assert sorted(decided['unverified']) == ['curve', 'key_part', 'thumbprint']


def test_a_jwk_set_export_is_read_by_kid():
    client = Reads(exported=None)
    client.exported = None
    other = dict(PUBLIC_EC, kid='other', x='AAAA')

    def export(name):
        client.calls.append('EXPORT %s' % name)
        return {'keys': [other, dict(PUBLIC_EC)]}

    client.export_jwk = export
    reader = JwkReader(client)
    current = reader.current(params(curve='P-256'), reader.summary('k'))
    assert current['ec']['x'] == PUBLIC_EC['x']


def test_an_export_with_private_members_is_refused():
    client = Reads()

    def export(name):
        raise UnexpectedAnswer('a public-only export carries private members (keys[0].d)', method='GET', path='/x/')

    client.export_jwk = export
    reader = JwkReader(client)
    with pytest.raises(UnexpectedAnswer):
        reader.current(params(curve='P-256'), reader.summary('k'))


def test_the_list_is_read_once():
    client = Reads()
    reader = JwkReader(client)
    reader.summary('k'), reader.summary('j'), reader.summaries()
    assert client.calls == ['LIST']


def test_a_list_in_the_older_dialect_spares_the_export_probe():
    client = Reads(export='missing')
    client.list_dialect = 'legacy'   # set by ApinizerClient.list_jwks from the answer's envelope
    reader = JwkReader(client)
    reader.current(params(curve='P-256'), reader.summary('k'))
    assert client.calls == ['LIST', 'GET k']


def test_a_read_back_takes_use_and_alg_from_the_export_of_the_same_key_only():
    client = Reads()
    reader = JwkReader(client)
    full = reader.completed(client.get_jwk('k'))   # Get JWK shows no use/alg (the page has no place for them)
    assert (full['ec']['use'], full['ec']['alg'], full['ec']['d']) == ('sig', 'ES256', EC['d'])
    assert client.calls == ['GET k', 'EXPORT k']
    client = Reads(exported=dict(PUBLIC_EC, x='AAAA', use='enc', alg='ECDH-ES'))   # another key: not taken
    full = JwkReader(client).completed(client.get_jwk('k'))
    assert 'use' not in full['ec'] and 'alg' not in full['ec']


def test_a_404_naming_the_project_or_the_jwk_is_that_error_not_a_missing_export():
    for text in ("Project 'demo' not found", 'JWK (name: k) is not found!'):
        client = Reads()

        def export(name, text=text):
            raise ApinizerError(status=404, error_description=text)

        client.export_jwk = export
        reader = JwkReader(client)
        with pytest.raises(ApinizerError, match='not found'):
            reader.current(params(curve='P-256'), reader.summary('k'))
