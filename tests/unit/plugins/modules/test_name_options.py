# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Names with control, invisible or bidirectional characters are refused in every name option,
naming the option, before any request (issue 24 L9)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils.names import (
    name_option_problems,
    name_problem,
    path_segment,
)
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_credential_jwk, apinizer_jwk, apinizer_jwks
from ansible_collections.apinizer.apiops.tests.unit.plugins.modules.test_apinizer_jwk import FakeClient

# Each would be sent today, and each makes a name read as another one (or as two lines of a log).
UNSEEN = [
    ('key\t1', 'U+0009'),
    ('key\n1', 'U+000A'),
    ('key\x001', 'U+0000'),
    ('key-\u202e1-yek', 'U+202E RIGHT-TO-LEFT OVERRIDE'),
    ('key\u2066x\u2069', 'U+2066 LEFT-TO-RIGHT ISOLATE'),
    ('key\u200b1', 'U+200B ZERO WIDTH SPACE'),
    ('\ufeffkey', 'U+FEFF'),
    ('key\u20281', 'U+2028 LINE SEPARATOR'),
    ('key\x7f', 'U+007F'),
    ('key\x85', 'U+0085'),
    ('key\u00a01', 'U+00A0 NO-BREAK SPACE'),
]


@pytest.mark.parametrize('value, code', UNSEEN)
def test_a_path_name_with_an_unseen_character_is_refused(value, code):
    problem = name_problem(value)
    assert problem is not None and code in problem
    with pytest.raises(ValueError):
        path_segment(value)


@pytest.mark.parametrize('value', ['key-1', 'Key_1.v2', 'ключ-1', '鍵', 'a/b?c#d%e', 'x' * 300])
def test_ordinary_names_stay_accepted(value):
    assert name_problem(value) is None


@pytest.mark.parametrize('option', ['certificate_name', 'key_name', 'keystore_name', 'alias', 'environment'])
def test_a_stored_object_name_with_an_unseen_character_is_refused_naming_the_option(option):
    problems = name_option_problems({option: 'prod\u202ectrl'})
    assert len(problems) == 1 and problems[0].startswith(option + ' must not contain')
    # the value is shown escaped, never as the raw character
    assert '\u202e' not in problems[0] and '\\u202e' in problems[0]
    # a space stays allowed there (the path rule is not applied to body names)
    assert name_option_problems({option: 'my alias'}) == []


@pytest.mark.parametrize('module, args, option', [
    (apinizer_jwk, dict(name='k\t1'), 'name'),
    (apinizer_jwk, dict(name='k', source='certificate', certificate_name='c\u202e', environment='prod'),
     'certificate_name'),
    (apinizer_jwk, dict(name='k', project='demo\n'), 'project'),
    (apinizer_credential_jwk, dict(username='u\x00', jwk_name='k', purpose='validation'), 'username'),
    (apinizer_credential_jwk, dict(username='u', jwk_name='k\u2067', purpose='validation'), 'jwk_name'),
])
def test_each_module_refuses_before_any_request(run_module, connection_args, module, args, option):
    client = FakeClient()
    failed, result, out = run_module(module, connection_args(**args), client)
    assert failed and option in result['msg'] and 'must not contain' in result['msg']
    assert client.calls == [] and not run_module.client_built


@pytest.mark.parametrize('item, option', [
    (dict(name='k\u202e'), 'config[1].name'),
    (dict(name='k', source='keystore', keystore_name='ks', alias='a\tb', environment='prod'), 'config[1].alias'),
])
def test_apinizer_jwks_refuses_an_item_naming_its_option(run_module, connection_args, item, option):
    client = FakeClient()
    args = connection_args(config=[dict(name='fine', curve='P-256'), item])
    failed, result, out = run_module(apinizer_jwks, args, client)
    assert failed and option in result['msg'] and 'must not contain' in result['msg']
    assert client.calls == [] and not run_module.client_built
