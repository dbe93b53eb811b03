# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""apinizer_jwk_info against the emulator.

The private values the leak checks look for are read from the emulator's own state, so the test
knows the real secrets the API sent to the module.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

PRIVATE = ('d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k')
SEED = {'projects': {'demo': {'jwks': [
    {'name': 'rsa-sig', 'sourceType': 'GENERATE',
     'generate': {'type': 'RSA', 'rsa': {'keySize': 2048, 'keyUseType': 'SIGNATURE', 'algorithm': 'RSA256'}}},
    {'name': 'ec-sig', 'sourceType': 'GENERATE',
     'generate': {'type': 'EC', 'ec': {'curveType': 'P256', 'algorithm': 'ES256'}}},
    {'name': 'okp-sig', 'sourceType': 'GENERATE', 'generate': {'type': 'OKP', 'okp': {'curveType': 'ED25519'}}},
    {'name': 'oct-hmac', 'sourceType': 'GENERATE', 'generate': {'type': 'OCT', 'oct': {'keySize': 256}}},
]}}}


def private_values(emu):
    """Every private member value the emulator holds, in every project."""
    values = []
    for project in emu.state()['projects'].values():
        for rec in project['jwks'].values():
            values += [rec['jwk'][m] for m in PRIVATE if isinstance(rec['jwk'].get(m), str)]
    assert len(values) >= 8  # RSA d,p,q,dp,dq,qi + EC d + OKP d + oct k + admin EC d
    return values


def requests_of(emu):
    return [(r['method'], r['path']) for r in emu.requests()]


def test_list_is_one_request(run_module, emu):
    run = run_module('apinizer_jwk_info')
    assert run.changed is False
    assert requests_of(emu) == [('GET', '/apiops/projects/demo/jwks/')]
    jwks = dict((j['name'], j) for j in run.result['jwks'])
    assert sorted(jwks) == ['ec-sig', 'oct-hmac', 'okp-sig', 'rsa-sig']
    assert jwks['rsa-sig']['source_type'] == 'generate' and jwks['rsa-sig']['key_type'] == 'RSA'
    assert jwks['oct-hmac']['key_type'] == 'OCT'
    assert set(jwks['ec-sig']) == {'id', 'name', 'description', 'source_type', 'key_type', 'kid'}
    assert run.result['missing'] == []


@pytest.mark.report_use_alg
def test_names_public_keys_and_jwk_set_without_private_members(run_module, emu):
    run = run_module('apinizer_jwk_info', {'names': ['rsa-sig', 'oct-hmac', 'missing-one', 'ec-sig', 'okp-sig']})
    result = run.result
    assert run.changed is False
    # the list (it shows missing-one missing), then each public key from the export (no private
    # member crosses the wire); the symmetric key has no public form: Get JWK
    assert requests_of(emu) == [('GET', '/apiops/projects/demo/jwks/')] + [
        ('GET', '/apiops/projects/demo/jwks/%s/%s' % (n, '' if n == 'oct-hmac' else 'export-file/'))
        for n in ('rsa-sig', 'oct-hmac', 'ec-sig', 'okp-sig')]
    assert [j['name'] for j in result['jwks']] == ['rsa-sig', 'oct-hmac', 'ec-sig', 'okp-sig']
    assert result['missing'] == ['missing-one']

    state = emu.state()['projects']['demo']['jwks']
    by_name = dict((j['name'], j) for j in result['jwks'])
    rsa = by_name['rsa-sig']
    assert rsa['key_size'] == 2048 and rsa['alg'] == 'RS256' and rsa['use'] == 'signature'
    assert rsa['public_jwk']['n'] == state['rsa-sig']['jwk']['n']
    assert len(rsa['thumbprint']) == 43
    assert by_name['ec-sig']['curve'] == 'P-256' and by_name['okp-sig']['curve'] == 'Ed25519'

    # Ready to publish: the asymmetric public keys, in order, no oct key.
    keys = result['jwk_set']['keys']
    assert [k['kty'] for k in keys] == ['RSA', 'EC', 'OKP']
    assert [k['kid'] for k in keys] == [state[n]['kid'] for n in ('rsa-sig', 'ec-sig', 'okp-sig')]
    for key in keys:
        assert not set(key) & set(PRIVATE)

    # The whole result is in the output (the public modulus is there, so the check can see a
    # leak); no private value the server holds may be in it.
    assert state['rsa-sig']['jwk']['n'] in run.output
    for value in private_values(emu):
        assert value not in run.output
    assert emu.token not in run.output


def test_check_mode_is_the_same_read(run_module, emu):
    run = run_module('apinizer_jwk_info', {'name': 'ec-sig'}, check=True)
    assert run.changed is False
    assert run.result['jwks'][0]['name'] == 'ec-sig'
    assert len(run.result['jwk_set']['keys']) == 1
    assert requests_of(emu) == [('GET', '/apiops/projects/demo/jwks/'), ('GET', '/apiops/projects/demo/jwks/ec-sig/export-file/')]


def test_admin_project(run_module, emu):
    run = run_module('apinizer_jwk_info', {'project': 'admin', 'name': 'shared-admin-jwk'})
    assert run.result['jwks'][0]['key_type'] == 'EC'
    assert run.result['jwk_set']['keys'][0]['crv'] == 'P-256'
    assert requests_of(emu) == [('GET', '/apiops/projects/admin/jwks/'),
                                ('GET', '/apiops/projects/admin/jwks/shared-admin-jwk/export-file/')]
    admin_d = emu.state()['projects']['admin']['jwks']['shared-admin-jwk']['jwk']['d']
    assert admin_d not in run.output


def test_unknown_project_fails(run_module, emu):
    run = run_module('apinizer_jwk_info', {'project': 'nope'})
    assert run.failed and 'Project (nope) is not found!' in run.msg
