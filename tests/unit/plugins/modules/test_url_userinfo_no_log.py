# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An apinizer_url that carries a password is refused, and the password is printed nowhere, not
even in invocation.module_args, which -vvv shows (issue 24 L6)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils.connection import url_secrets
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_credential_info, apinizer_jwk

SECRET = 's3cr3t-Pass-9f2c'


@pytest.mark.parametrize('url, hidden', [
    ('https://admin:%s@mgr.example.com' % SECRET, [SECRET, 'admin:' + SECRET]),
    ('https://admin:p%%40%s@mgr.example.com/apiops' % SECRET, ['p%40' + SECRET, 'p@' + SECRET]),
    ('https://tok-%s@mgr.example.com:8443' % SECRET, ['tok-' + SECRET]),      # a token as the user part
    ('https://admin:%s@[not-an-ip' % SECRET, [SECRET]),                       # urlsplit refuses this one
    ('ftp://admin:%s@mgr.example.com' % SECRET, [SECRET]),
])
@pytest.mark.parametrize('module, args', [
    (apinizer_jwk, dict(name='k', project='demo', apinizer_token='unit-test-token-xyz')),
    (apinizer_credential_info, dict(project='demo', apinizer_username='u', apinizer_password='pw-unit-test')),
])
def test_a_refused_url_never_prints_its_userinfo(run_module, module, args, url, hidden):
    failed, result, out = run_module(module, dict(args, apinizer_url=url))
    assert failed and 'apinizer_url' in result['msg']
    assert 'module_args' in out  # the invocation -vvv prints is in the output...
    for value in hidden:
        assert value not in out  # ...without the password or token


def test_an_exported_url_with_a_password_is_masked_too(run_module, monkeypatch):
    monkeypatch.setenv('APINIZER_URL', 'https://admin:%s@mgr.example.com' % SECRET)
    failed, result, out = run_module(apinizer_jwk, dict(name='k', project='demo', apinizer_token='unit-test-token-xyz'))
    assert failed and SECRET not in out


@pytest.mark.parametrize('url, expected', [
    ('https://mgr.example.com/a@b', set()),
    ('https://mgr.example.com', set()),
    ('https://u:p%40w@h', {'p%40w', 'p@w', 'u:p%40w', 'u:p@w'}),
    ('https://tok@h', {'tok'}),
    ('https://u:@h', {'u', 'u:'}),
    (None, set()),
])
def test_url_secrets(url, expected):
    assert url_secrets(url) == expected


@pytest.mark.parametrize('args', [
    dict(name='k', project='de\tmo', apinizer_token='unit-test-token-xyz'),   # a name check fails first
    dict(name='k', project='demo', apinizer_token='unit-test-token-xyz', state='gone'),   # the argspec fails first
])
def test_the_userinfo_is_no_log_before_any_other_check_fails(run_module, args):
    failed, result, out = run_module(apinizer_jwk, dict(args, apinizer_url='https://admin:%s@mgr.example.com' % SECRET))
    assert failed and 'module_args' in out
    assert SECRET not in out
