# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""apinizer_jwks against the emulator.

Every request count and every "zero writes" reads the emulator's request log. The emulator is the
server as documented (credential lists without assignments) unless a test is marked
``report_assignments``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from apinizer_emulator import keys as emulator_keys

LIST = ('GET', '/apiops/projects/demo/jwks/')
CREDENTIALS = ('GET', '/apiops/projects/demo/credentials/')
WRITES = ('POST', 'PUT', 'DELETE')
PRIVATE = ('d', 'p', 'q', 'dp', 'dq', 'qi', 'k')

def generated(name, curve='P256', description=None):
    return {'name': name, 'sourceType': 'GENERATE', 'description': description, 'generate': {
        'type': 'EC', 'kid': name + '-kid', 'ec': {'curveType': curve, 'keyIdType': 'NONE'}}}


def requests(emu):
    return [(r['method'], r['path']) for r in emu.requests()]


def writes(emu):
    return [r for r in requests(emu) if r[0] in WRITES]


def converge(run_module, emu, check=False, diff=False, **options):
    emu.clear_requests()
    return run_module('apinizer_jwks', options, check=check, diff=diff)


def ec_items(names, **extra):
    return [dict(name=n, key_type='EC', kid=n + '-kid', **extra) for n in names]


def test_merged_creates_then_noop_is_one_request_and_check_mode_writes_nothing(run_module, emulator):
    names = ['m-%d' % i for i in range(5)]
    run = converge(run_module, emulator, check=True, config=ec_items(names))
    assert run.result['changed'] and run.result['created'] == names and writes(emulator) == []
    assert requests(emulator) == [LIST]
    run = converge(run_module, emulator, config=ec_items(names))
    assert run.result['changed'] and run.result['created'] == names
    assert writes(emulator) == [('POST', '/apiops/projects/demo/jwks/generate')] * 5
    assert requests(emulator)[-1] == LIST and len(requests(emulator)) == 7  # one list read-back, for the new ids
    run = converge(run_module, emulator, config=ec_items(names))
    assert not run.result['changed'] and run.result['unchanged'] == names
    assert requests(emulator) == [LIST]


def test_merged_reads_key_material_only_where_the_item_needs_it(run_module, emulator):
    emulator.seed({'projects': {'demo': {'jwks': [generated('a'), generated('b')]}}})
    config = [dict(name='a', key_type='EC'), dict(name='b', curve='P-256', use='signature')]
    run = converge(run_module, emulator, config=config)
    # b's public key from the export: no private member crosses the wire
    assert not run.result['changed'] and requests(emulator) == [LIST, ('GET', '/apiops/projects/demo/jwks/b/export-file/')]


def test_merged_updates_descriptions_with_a_diff_per_item(run_module, emulator):
    emulator.seed({'projects': {'demo': {'jwks': [generated('a', description='old'), generated('b')]}}})
    config = [dict(name='a', description='new'), dict(name='b', description='also new')]
    run = converge(run_module, emulator, check=True, diff=True, config=config)
    assert run.result['updated'] == ['a', 'b'] and writes(emulator) == []
    assert [d['after']['description'] for d in run.result['diff']] == ['new', 'also new']
    run = converge(run_module, emulator, config=config)
    assert writes(emulator) == [('PUT', '/apiops/projects/demo/jwks/a/'), ('PUT', '/apiops/projects/demo/jwks/b/')]
    run = converge(run_module, emulator, config=config)
    assert not run.result['changed'] and requests(emulator) == [LIST]


def test_merged_refuses_a_difference_before_any_write(run_module, emulator):
    emulator.seed({'projects': {'demo': {'jwks': [generated('a')]}}})
    run = converge(run_module, emulator,
                           config=[dict(name='new-one', curve='P-256'), dict(name='a', curve='P-384')])
    assert run.failed and 'JWK a differs from the task' in run.result['msg'] and 'curve' in run.result['msg']
    assert writes(emulator) == []


def test_replaced_regenerates_a_differing_jwk_then_is_stable(run_module, emulator):
    emulator.seed({'projects': {'demo': {'jwks': [generated('a'), generated('b', description='x')]}}})
    config = [dict(name='a', curve='P-384'), dict(name='b', key_type='EC', kid='b-kid')]
    run = converge(run_module, emulator, state='replaced', config=config)
    assert run.result['replaced'] == ['a'] and run.result['updated'] == ['b']
    assert emulator.state()['projects']['demo']['jwks']['a']['jwk']['crv'] == 'P-384'
    assert emulator.state()['projects']['demo']['jwks']['b']['description'] == ''
    run = converge(run_module, emulator, state='replaced', config=config)
    assert not run.result['changed'] and writes(emulator) == []


def test_overridden_documented_server_needs_exclusive_and_keeps_scope(run_module, emulator):
    emulator.seed({'projects': {'demo': {'jwks': [generated('app-1'), generated('app-2'), generated('other')]}}})
    task = dict(state='overridden', config=ec_items(['app-1']), scope={'prefix': 'app-'})
    run = converge(run_module, emulator, **task)
    assert run.failed and 'app-2' in run.result['msg'] and 'exclusive: true' in run.result['msg']
    assert requests(emulator) == [LIST, CREDENTIALS]
    run = converge(run_module, emulator, check=True, exclusive=True, **task)
    assert run.result['deleted'] == ['app-2'] and writes(emulator) == []
    run = converge(run_module, emulator, exclusive=True, **task)
    assert run.result['deleted'] == ['app-2'] and run.result['unchanged'] == ['app-1']
    assert writes(emulator) == [('DELETE', '/apiops/projects/demo/jwks/app-2/')]
    assert sorted(emulator.state()['projects']['demo']['jwks']) == ['app-1', 'other']
    run = converge(run_module, emulator, exclusive=True, **task)
    assert not run.result['changed'] and requests(emulator) == [LIST]


@pytest.mark.report_assignments
def test_overridden_reported_server_never_deletes_a_used_jwk(run_module, emulator):
    emulator.seed({'projects': {'demo': {
        'jwks': [generated('app-used'), generated('app-free')],
        'credentials': [{'username': 'api-user', 'validationJwkName': 'app-used'}]}}})
    task = dict(state='overridden', config=[], scope={'regex': 'app-.*'})
    run = converge(run_module, emulator, exclusive=True, **task)
    assert run.failed and 'JWK app-used is used by credential api-user (validation)' in run.result['msg']
    assert writes(emulator) == [] and requests(emulator) == [LIST, CREDENTIALS]
    task['config'] = ec_items(['app-used'])
    # Reported assignments in the project's list and in admin's (the credentials accessible from the
    # project): no exclusive needed. admin's list is empty at first, which proves nothing.
    run = converge(run_module, emulator, **task)
    assert run.failed and 'credential list is empty, which proves nothing' in run.result['msg'] and writes(emulator) == []
    emulator.seed({'projects': {'admin': {'credentials': [{'username': 'ops'}]}}})
    run = converge(run_module, emulator, **task)
    assert requests(emulator)[:3] == [LIST, CREDENTIALS, ('GET', '/apiops/projects/admin/credentials/')]
    assert run.result['deleted'] == ['app-free'] and writes(emulator) == [('DELETE', '/apiops/projects/demo/jwks/app-free/')]


def test_deleted_deletes_the_listed_names(run_module, emulator):
    emulator.seed({'projects': {'demo': {'jwks': [generated('a'), generated('b')]}}})
    config = [dict(name='a'), dict(name='never-there')]
    run = converge(run_module, emulator, state='deleted', config=config)
    assert run.result['deleted'] == ['a'] and writes(emulator) == [('DELETE', '/apiops/projects/demo/jwks/a/')]
    run = converge(run_module, emulator, state='deleted', config=config)
    assert not run.result['changed'] and requests(emulator) == [LIST]


def test_gathered_then_overridden_round_trip_is_a_noop(run_module, emulator):
    pasted = emulator_keys.generate_key('EC', curve='P-256')
    pasted['kid'] = 'pasted-kid'
    emulator.seed({'projects': {'demo': {'jwks': [
        generated('g-1', description='one'), generated('g-2', curve='P384'),
        {'name': 'pasted', 'sourceType': 'COPY_PASTE', 'jwk': pasted}]}}})
    run = converge(run_module, emulator, state='gathered')
    assert requests(emulator) == [LIST, ('GET', '/apiops/projects/demo/jwks/pasted/export-file/')]
    gathered = dict((e['name'], e) for e in run.result['gathered'])
    assert gathered['g-1'] == dict(name='g-1', description='one', source='generate', key_type='EC', kid='g-1-kid')
    assert gathered['pasted']['jwk']['x'] == pasted['x'] and 'd' not in gathered['pasted']['jwk']
    assert pasted['d'] not in run.output
    run = converge(run_module, emulator, state='overridden', config=run.result['gathered'],
                   scope={'regex': 'g-1|g-2|pasted'})
    assert not run.result['changed'] and sorted(run.result['unchanged']) == ['g-1', 'g-2', 'pasted']
    assert writes(emulator) == [] and len(requests(emulator)) == 2  # the list and the pasted key's export


def test_a_failing_write_names_the_item_and_reports_what_was_written(run_module, emulator):
    emulator.seed({'projects': {'demo': {'jwks': [generated('f-2', description='old')]}}})
    emulator.add_fault(method='PUT', path='/jwks/f-2/$', status=400, count=1,
                       error='bad_request', error_description='refused')
    config = ec_items(['f-1']) + [dict(name='f-2', description='new')] + ec_items(['f-3'])
    run = converge(run_module, emulator, config=config)
    assert run.failed and run.result['failed_item'] == 'f-2' and run.result['created'] == ['f-1'] and run.result['changed']
    assert 'JWK f-2 failed' in run.result['msg'] and 'Written before it: created f-1.' in run.result['msg']
    assert sorted(emulator.state()['projects']['demo']['jwks']) == ['f-1', 'f-2']


def test_secrets_never_in_the_result(run_module, emulator):
    imported = emulator_keys.generate_key('RSA', size=2048)
    imported['kid'] = 'imp'
    emulator.seed({'projects': {'demo': {'jwks': [generated('s-old', description='x')]}}})
    config = [dict(name='s-imported', source='jwk', jwk=imported), dict(name='s-gen', curve='P-256'),
              dict(name='s-old', description='y')]
    run = converge(run_module, emulator, diff=True, config=config)
    assert run.result['created'] == ['s-imported', 's-gen'] and run.result['updated'] == ['s-old']
    secrets = [imported[m] for m in PRIVATE if m in imported]
    for rec in emulator.state()['projects']['demo']['jwks'].values():
        secrets += [rec['jwk'][m] for m in PRIVATE if rec['jwk'].get(m)]
    assert len(secrets) >= 7
    for value in secrets:
        assert value not in run.output
    assert 'emulator-token' not in run.output
    # no_log covers the JWK's secret members only: its public facts still read in the diff
    assert run.result['diff'][0]['after']['key_type'] == 'RSA' and run.result['diff'][0]['after']['kid'] == 'imp'
