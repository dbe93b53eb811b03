# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the emulator's contract tests (a module of its own: several conftest.py files exist
in this repository, so ``from conftest import ...`` could pick the wrong one)."""

import os
import sys

# The emulator is not part of the collection; the root pytest.ini is not ours, so put it on the path here.
EMULATOR_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', 'emulator'))
if EMULATOR_DIR not in sys.path:
    sys.path.insert(0, EMULATOR_DIR)

import requests  # noqa: E402

TOKEN = 'emulator-token'


class Api:
    """A thin requests wrapper: paths relative to /apiops, bearer token by default."""

    def __init__(self, emulator, token=TOKEN):
        self.emulator = emulator
        self.base = emulator.url + '/apiops'
        self.session = requests.Session()
        # Per request, not session.verify: REQUESTS_CA_BUNDLE in the environment overrides a session's verify.
        self.verify = emulator.ca_file or True
        if token:
            self.session.headers['Authorization'] = 'Bearer ' + token

    def request(self, method, path, **kw):
        kw.setdefault('timeout', 30)
        kw.setdefault('verify', self.verify)
        # A client of an API must never follow a redirect; tests that want to, use the session directly.
        kw.setdefault('allow_redirects', False)
        return self.session.request(method, self.base + path, **kw)

    def get(self, path, **kw):
        return self.request('GET', path, **kw)

    def post(self, path, **kw):
        return self.request('POST', path, **kw)

    def put(self, path, **kw):
        return self.request('PUT', path, **kw)

    def delete(self, path, **kw):
        return self.request('DELETE', path, **kw)

    def hook(self, method, name, **kw):
        kw.setdefault('timeout', 30)
        return requests.request(method, self.emulator.url + '/__emulator__/' + name,
                                verify=self.emulator.ca_file or True, **kw)

    # shortcuts
    def jwk(self, name, project='demo'):
        r = self.get('/projects/%s/jwks/%s/' % (project, name))
        assert r.status_code == 200, r.text
        return r.json()['resultList'][0]

    def jwks(self, project='demo'):
        r = self.get('/projects/%s/jwks/' % project)
        assert r.status_code == 200, r.text
        return {j['name']: j for j in r.json()['resultList']}

    def credentials(self, project='demo'):
        r = self.get('/projects/%s/credentials/' % project)
        assert r.status_code == 200, r.text
        return {c['username']: c for c in r.json()['resultList']}


def assigned(emulator, username, purpose, project='demo'):
    """The JWK a credential uses for a purpose, from the emulator's state (whatever the list reports)."""
    return emulator.state()['projects'][project]['credentials'][username]['%sJwkName' % purpose]


def error_of(response, status=400):
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    return body['error'], body['error_description']


def refusal(response, status, dialect):
    """The text of a management error, after checking it has exactly the dialect's form."""
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    if dialect == 'current':
        assert set(body) == {'status', 'resultMessage'} and body['status'] == 'FAILURE', body
        return body['resultMessage']
    assert 'error' in body and 'status' not in body and 'resultMessage' not in body, body
    return body['error_description']


def succeeded(body, dialect, style):
    """Check the success member a page shows: style 'status' or 'success' (legacy: always success)."""
    if dialect == 'current' and style == 'status':
        assert body['status'] == 'SUCCESS' and 'success' not in body, body
    else:
        assert body['success'] is True and 'status' not in body, body
