# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
import json

from conftest import error_of


def test_list_starts_empty_in_demo_and_admin_holds_shared_jwk(api):
    assert api.jwks() == {}
    admin = api.jwks('admin')
    assert list(admin) == ['shared-admin-jwk']
    assert admin['shared-admin-jwk']['type'] == 'EC'
    full = api.jwk('shared-admin-jwk', 'admin')
    assert full['ec']['crv'] == 'P-256' and full['ec']['alg'] == 'ES256' and full['ec']['use'] == 'sig'


def test_generate_then_get_returns_private_material(api):
    r = api.post('/projects/demo/jwks/generate', json={'name': 'k', 'type': 'EC', 'ec': {'curveType': 'P256'}})
    assert r.status_code == 200, r.text
    assert r.json()['success'] is True
    jwk = api.jwk('k')
    assert jwk['sourceType'] == 'GENERATE' and jwk['type'] == 'EC'
    assert set(jwk['ec']) >= {'kty', 'crv', 'x', 'y', 'd', 'use', 'kid'}


def test_copy_paste_create(api):
    src = api.jwk('shared-admin-jwk', 'admin')['ec']
    r = api.post('/projects/demo/jwks/', json={'name': 'p', 'sourceType': 'COPY_PASTE', 'jwkStr': json.dumps(src)})
    assert r.status_code == 200, r.text
    assert api.jwk('p')['ec']['x'] == src['x']


def test_get_unknown_is_400(api):
    assert error_of(api.get('/projects/demo/jwks/nope/')) == ('bad_request', 'JWK (name: nope) is not found!')
