# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private JWK members a server repeats are masked by pattern, as PEM private keys are, and the
private members read from an answer can be registered as secrets (issue 24 M2)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils.masking import MASK, mask_text, mask_value

# RFC 7517 A.2 (EC P-256) and A.3 (a symmetric key): values a server might hold and repeat.
D = '870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE'
X = 'MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4'
K = 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow'
STORED = {'kty': 'EC', 'crv': 'P-256', 'x': X, 'd': D, 'kid': 'k-1'}


@pytest.mark.parametrize('text', [
    'Deployment failed: %s' % json.dumps(STORED),                                  # JSON
    'Deployment failed: %s' % json.dumps(STORED, indent=2),                        # JSON over lines
    'error in %s' % json.dumps(json.dumps(STORED)),                                # JSON inside a JSON string
    'bad key %r' % STORED,                                                         # Python repr
    'ECKey{kty=EC, crv=P-256, kid=k-1, x=%s, d=%s}' % (X, D),                      # a Java toString
    'cannot parse {"kid" : "k-1", "d" : "%s", "x" : "%s"}' % (D, X),               # spaces around the colon
])
def test_a_repeated_private_member_is_masked_by_pattern(text):
    masked = mask_text(text)  # no registered secret at all
    assert D not in masked and D[:16] not in masked and MASK in masked
    assert X in masked and 'k-1' in masked  # public members stay readable


@pytest.mark.parametrize('member', ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'])
def test_every_private_member_name_is_masked(member):
    assert mask_text('{"%s": "%s"}' % (member, K)) == '{"%s": "%s"}' % (member, MASK)


def test_oth_is_masked_whole():
    text = '{"oth": [{"r": "%s", "d": "%s", "t": "%s"}], "e": "AQAB"}' % (K, D, K)
    assert mask_text(text) == '{"oth": %s, "e": "AQAB"}' % MASK


@pytest.mark.parametrize('text', [
    '{"kid": "%s"}' % K, '{"x": "%s"}' % X, '{"id": "%s"}' % K, '{"dkid": "%s"}' % K,
    'JWK (name: d) is not found!', '{"d": "short"}', 'hello d=short',
])
def test_public_members_and_ordinary_text_are_left_alone(text):
    assert mask_text(text) == text


def test_a_structured_echo_masks_private_members_whole():
    body = {'detail': {'jwk': dict(STORED)}, 'detailList': [{'detail': json.dumps({'k': K})}]}
    masked = mask_value(body)
    assert masked['detail']['jwk']['d'] == MASK and masked['detail']['jwk']['x'] == X
    assert K not in json.dumps(masked)


def test_answer_secrets_collects_every_private_member_read():
    from ansible_collections.apinizer.apiops.plugins.module_utils.masking import answer_secrets
    api_jwk = {'name': 'k', 'ec': dict(STORED), 'jwkStr': json.dumps({'kty': 'oct', 'k': K}), 'description': 'x'}
    assert answer_secrets(api_jwk) == frozenset([D, K])
    assert answer_secrets({'name': 'k', 'ec': {'kty': 'EC', 'x': X}}) == frozenset()
