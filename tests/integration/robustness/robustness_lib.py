# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers of the robustness suites (faults, secrets, TLS, bad input, concurrency).

Everything here reads the emulator's own state and request log, i.e. what really happened on
the wire and on the "server"; nothing is faked. The secret greps and state checks live in
tests/lib/leak_checks.py (shared with tests/inprocess). The fixtures ``emulator`` and
``run_playbook`` come from tests/conftest.py and tests/integration/conftest.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from leak_checks import PRIVATE_MEMBERS, dangling_references, leaks, private_values, server_secrets  # noqa: F401 (re-exported)

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
