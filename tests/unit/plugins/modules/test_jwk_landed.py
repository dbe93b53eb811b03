# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""After a lost create answer, "landed" means the JWK of that name is the one sent: its facts, its
thumbprint or kid, not only its name (issue 24 L4)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_jwk, apinizer_jwks
from ansible_collections.apinizer.apiops.tests.unit.plugins.module_utils.test_client import (
    FakeResponse,
    make_client,
    ok,
)
from ansible_collections.apinizer.apiops.tests.unit.plugins.modules.test_apinizer_jwk import (
    EC_KEY,
    RSA_KEY,
    api_jwk,
)
from ansible_collections.apinizer.apiops.tests.unit.plugins.modules.test_apinizer_jwks import SetClient

PUBLIC_EC = dict((k, v) for k, v in EC_KEY.items() if k != 'd')
# Another P-256 key (RFC 7515 A.3) with the same kid: an impostor of the same shape.
OTHER_EC = {'kty': 'EC', 'crv': 'P-256', 'x': 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
            'y': 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', 'use': 'sig', 'alg': 'ES256', 'kid': 'ec-1'}


def landed_after(module, args, replace_with, run_module, connection_args):
    """Run ``module`` (which creates), then swap what the server holds and call the landed check."""
    client = SetClient()
    failed, result, out = run_module(module, connection_args(**args), client)
    assert not failed and client.landed
    name = args['name'] if 'name' in args else args['config'][0]['name']
    if replace_with is not None:
        client.jwks[name] = replace_with(client.jwks[name])
    return client.landed[0]


IMPORT = dict(name='signing', source='jwk', jwk=json.dumps(PUBLIC_EC))


@pytest.mark.parametrize('module, args', [
    (apinizer_jwk, IMPORT), (apinizer_jwks, dict(config=[dict(IMPORT)])),
])
def test_the_jwk_that_was_sent_has_landed(run_module, connection_args, module, args):
    assert landed_after(module, args, None, run_module, connection_args)() is True


IMPORT_DESCRIBED = dict(IMPORT, description='ours')


@pytest.mark.parametrize('replace_with, words', [
    (lambda jwk: api_jwk('signing', OTHER_EC, source='COPY_PASTE', description='ours'), 'thumbprint: the server has'),
    (lambda jwk: api_jwk('signing', dict(PUBLIC_EC, kid='theirs'), source='COPY_PASTE', description='ours'),
     'kid: the server has theirs'),
    (lambda jwk: api_jwk('signing', RSA_KEY, source='COPY_PASTE', description='ours'), 'key_type: the server has RSA'),
    (lambda jwk: dict(jwk, description='made by someone else'), 'description: the server has made by someone else'),
])
def test_another_jwk_of_that_name_has_not_landed(run_module, connection_args, replace_with, words):
    landed = landed_after(apinizer_jwk, IMPORT_DESCRIBED, replace_with, run_module, connection_args)
    with pytest.raises(ApinizerError) as info:
        landed()
    assert 'the answer to creating JWK signing was lost' in str(info.value) and words in str(info.value)
    assert 'is not the one it sent' in str(info.value)


def test_an_imported_key_that_cannot_be_identified_has_not_landed(run_module, connection_args):
    # Sent without a kid; the server shows no key members (Get JWK as the spec's JwkManagementDTO).
    args = dict(IMPORT, jwk=json.dumps(dict((k, v) for k, v in PUBLIC_EC.items() if k != 'kid')))
    landed = landed_after(apinizer_jwk, args, lambda jwk: dict((k, v) for k, v in jwk.items() if k not in ('ec', 'kid')),
                          run_module, connection_args)
    with pytest.raises(ApinizerError, match='shows neither its key nor a kid'):
        landed()


def test_a_generated_key_is_compared_by_the_kid_it_was_sent_with(run_module, connection_args):
    args = dict(name='gen', key_type='EC', curve='P-256', kid='gen-1')
    landed = landed_after(apinizer_jwk, args, lambda jwk: dict(jwk, kid='gen-2'), run_module, connection_args)
    with pytest.raises(ApinizerError, match='kid: the server has gen-2, the task asks for gen-1'):
        landed()


def test_a_lost_answer_and_an_impostor_fail_the_task_without_sending_again(run_module, connection_args):
    # The whole client: the POST's answer is lost (503), the read-back finds another key under the name.
    impostor = api_jwk('signing', OTHER_EC, source='COPY_PASTE')
    listed = dict((k, v) for k, v in impostor.items() if k != 'ec')
    client = make_client(
        ok({'success': True, 'resultList': []}),
        FakeResponse(503, {'error': 'unavailable', 'error_description': 'try later'}),
        ok({'success': True, 'resultList': [listed]}),
        ok({'success': True, 'resultList': [impostor]}),
    )
    failed, result, out = run_module(apinizer_jwk, connection_args(**IMPORT), client)
    assert failed and 'thumbprint: the server has' in result['msg'] and 'is not sent again' in result['msg']
    # the list, the lost POST, then the list and the key read (an older server: Get JWK) of the check
    assert client.session.lines() == ['GET /apiops/projects/demo/jwks/', 'POST /apiops/projects/demo/jwks/',
                                      'GET /apiops/projects/demo/jwks/', 'GET /apiops/projects/demo/jwks/signing/']
    assert result['changed'] is False
