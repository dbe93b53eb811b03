# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""apinizer_credential_info against the emulator, on the documented server (no assignment fields in
the credential list) and on one that reports assignments."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

SEED = {'projects': {'demo': {
    'jwks': [{'name': 'sig-2026', 'sourceType': 'GENERATE', 'generate': {'type': 'EC', 'ec': {'curveType': 'P256'}}}],
    'credentials': [{'username': 'api-user', 'password': 'api-user-password', 'validationJwkName': 'sig-2026',
                     'description': 'Demo API consumer'}],
}}}
NOT_REPORTED = 'does not report which JWKs the credentials use'


@pytest.fixture(params=['documented', 'reported'])
def mode(request, emu):
    emu.configure(report_assignments=request.param == 'reported')
    return request.param


@pytest.mark.parametrize('check', [False, True])
def test_lists_every_credential_in_one_request(run_module, emu, mode, check):
    run = run_module('apinizer_credential_info', check=check)
    assert run.changed is False and not run.failed
    assert [(r['method'], r['path']) for r in emu.requests()] == [('GET', '/apiops/projects/demo/credentials/')]
    creds = dict((c['username'], c) for c in run.result['credentials'])
    assert sorted(creds) == ['api-user', 'mobile-app', 'partner-app']
    assert creds['api-user']['description'] == 'Demo API consumer'
    assert 'api-user-password' not in run.output and 'password' not in creds['api-user']
    if mode == 'reported':
        assert run.result['assignments_reported'] is True and run.warnings == []
        assert creds['api-user']['validation_jwk_name'] == 'sig-2026'
        assert creds['mobile-app']['validation_jwk_name'] is None
    else:
        # The server says nothing: null, flagged, and one warning; never a guess.
        assert run.result['assignments_reported'] is False
        assert [w for w in run.warnings if NOT_REPORTED in w] == run.warnings and len(run.warnings) == 1
        assert all(c['validation_jwk_name'] is None and c['encryption_jwk_name'] is None for c in creds.values())


def test_one_credential(run_module, emu, mode):
    run = run_module('apinizer_credential_info', {'username': 'api-user'})
    assert [c['username'] for c in run.result['credentials']] == ['api-user']
    assert run.result['assignments_reported'] is (mode == 'reported')
    assert len(emu.requests()) == 1
