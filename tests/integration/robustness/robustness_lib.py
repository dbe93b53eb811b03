# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers of the robustness suites (faults, secrets, TLS, bad input, concurrency).

Everything here reads the emulator's own state and request log, i.e. what really happened on
the wire and on the "server"; nothing is faked. The fixtures ``emulator`` and ``run_playbook``
come from tests/integration/conftest.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json


# Every private member of RFC 7518/8037 keys; ``k`` is the whole secret of an oct key.
PRIVATE_MEMBERS = ('d', 'p', 'q', 'dp', 'dq', 'qi', 'k')

# Two generated JWKs every suite can rely on (plus the default seed: credentials api-user,
# mobile-app, partner-app; admin/shared-admin-jwk).
SEED = {'projects': {'demo': {'jwks': [
    {'name': 'seed-ec', 'sourceType': 'GENERATE', 'generate': {'type': 'EC', 'ec': {'curveType': 'P256'}}},
    {'name': 'seed-oct', 'sourceType': 'GENERATE',
     'generate': {'type': 'OCT', 'oct': {'keySize': 256, 'keyUseType': 'SIGNATURE', 'algorithm': 'HS256'}}},
]}}}


def play(tasks, module_defaults=None, name='robustness'):
    """A localhost playbook; ``tasks`` is a list of task dicts, serialised as JSON (valid YAML)."""
    defaults = {'project': 'demo'}
    defaults.update(module_defaults or {})
    doc = [{
        'name': name,
        'hosts': 'localhost',
        'gather_facts': False,
        'module_defaults': {'group/apinizer.apiops.apinizer': defaults},
        'tasks': tasks,
    }]
    return json.dumps(doc, indent=1) + '\n'


def role_task(name='rotate', **variables):
    """include_role of jwk_rotation with variables (argument_specs validation included)."""
    return {'name': name, 'ansible.builtin.include_role': {'name': 'apinizer.apiops.jwk_rotation'},
            'vars': variables}


def api_log(emu):
    """The /apiops requests of the log as (method, path, fault) tuples."""
    return [(r['method'], r['path'], r.get('fault')) for r in emu.requests()]


def jwks_of(emu, project='demo'):
    return emu.state()['projects'][project]['jwks']


def dangling_references(emu):
    """Credentials (user/purpose -> JWK) whose JWK exists neither in their project nor in admin."""
    state = emu.state()['projects']
    admin = state.get('admin', {}).get('jwks', {})
    dangling = []
    for pname, proj in state.items():
        for user, cred in proj.get('credentials', {}).items():
            for purpose in ('validation', 'encryption'):
                name = cred.get('%sJwkName' % purpose)
                if name and name not in proj['jwks'] and name not in admin:
                    dangling.append('%s/%s/%s -> %s' % (pname, user, purpose, name))
    return dangling


def private_values(emu):
    """Every private member value of every JWK the emulator holds, as {description: value}."""
    values = {}
    for pname, proj in emu.state()['projects'].items():
        for name, rec in proj['jwks'].items():
            for member in PRIVATE_MEMBERS:
                value = rec['jwk'].get(member)
                if isinstance(value, str) and len(value) >= 16:
                    values['%s/%s.%s' % (pname, name, member)] = value
    return values


def server_secrets(emu, known):
    """``known`` ({description: value}) plus every secret the emulator holds: each token it issued,
    each credential password and each private JWK member (private_values)."""
    found = dict(known)
    state = emu.state()
    for i, tok in enumerate(state['tokens']):
        found['issued token %d' % i] = tok
    for pname, proj in state['projects'].items():
        for user, cred in proj.get('credentials', {}).items():
            if cred.get('password'):
                found['credential password %s/%s' % (pname, user)] = cred['password']
    found.update(private_values(emu))
    return found


def leaks(text, secrets):
    """The names of the secrets (a {description: value} dict) that occur in text."""
    return sorted(desc for desc, value in secrets.items() if value and value in text)
