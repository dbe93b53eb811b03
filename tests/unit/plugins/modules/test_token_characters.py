# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A token an HTTP header cannot carry fails before any request, naming the option and never
repeating the token (issue 24 L5: it raised UnicodeEncodeError mid-request, without the request)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.apinizer.apiops.plugins.modules import apinizer_jwk_info

TOKEN = 'tok-abc\u2019def-123456'


@pytest.mark.parametrize('token, code', [
    (TOKEN, 'U+2019 at position 7'), ('tok-\u00e9t\u00e9-123456', 'U+00E9'),
    ('tok-abc\r\nX-Evil: 1', 'U+000D'), ('tok abc-123456', 'U+0020'), ('tok-\u202eabc-123456', 'U+202E'),
])
def test_a_task_token_that_no_header_can_carry_fails_before_any_request(run_module, monkeypatch, token, code):
    sent = []
    monkeypatch.setattr('requests.Session.request', lambda *a, **k: sent.append(a) or pytest.fail('a request was sent'))
    failed, result, out = run_module(apinizer_jwk_info, dict(apinizer_url='https://mgr.example.com', project='demo',
                                                             apinizer_token=token))
    assert failed and result['msg'].startswith('apinizer_token holds a character an HTTP header cannot carry')
    assert code in result['msg'] and sent == []
    assert token not in out and token[:10] not in result['msg']


def test_an_exported_token_names_the_variable(run_module, monkeypatch):
    monkeypatch.setenv('APINIZER_TOKEN', TOKEN)
    failed, result, out = run_module(apinizer_jwk_info, dict(apinizer_url='https://mgr.example.com', project='demo'))
    assert failed and result['msg'].startswith('APINIZER_TOKEN holds a character') and TOKEN not in out
