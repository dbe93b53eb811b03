# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A ~/.netrc entry for the manager's host never replaces the Bearer token, and proxies from the
environment still apply (issue 24 L2), through a real requests.Session."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

requests = pytest.importorskip('requests')

from ansible_collections.apinizer.apiops.plugins.module_utils.connection import no_netrc  # noqa: E402

URL = 'https://mgr.example.com/apiops/projects/demo/jwks/'


@pytest.fixture
def netrc(tmp_path, monkeypatch):
    path = tmp_path / '.netrc'
    path.write_text('machine mgr.example.com login other-service password other-service-password\n')
    path.chmod(0o600)
    monkeypatch.setenv('NETRC', str(path))
    monkeypatch.setenv('HOME', str(tmp_path))
    return path


def prepared(auth, headers):
    session = requests.Session()
    return session.prepare_request(requests.Request('GET', URL, headers=headers, auth=auth))


def test_without_it_requests_replaces_the_bearer_token_with_the_netrc_password(netrc):
    # The positive control: this is what the client did.
    assert prepared(None, {'Authorization': 'Bearer tok'}).headers['Authorization'].startswith('Basic ')


@pytest.mark.parametrize('headers', [{'Authorization': 'Bearer tok'}, {}])
def test_with_it_the_request_keeps_what_the_client_set(netrc, headers):
    assert prepared(no_netrc, headers).headers.get('Authorization') == headers.get('Authorization')


def test_proxies_from_the_environment_still_apply(netrc, monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy.example.com:3128')
    monkeypatch.delenv('NO_PROXY', raising=False)
    monkeypatch.delenv('no_proxy', raising=False)
    session = requests.Session()
    settings = session.merge_environment_settings(URL, {}, None, None, None)
    assert settings['proxies'].get('https') == 'http://proxy.example.com:3128'
