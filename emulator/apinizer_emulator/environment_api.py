# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""GET /projects/{p}/environments/ (get-environments-by-project.mdx; current dialect only)."""

import uuid

from . import dialects


def _type(name):
    lowered = name.lower()
    if 'prod' in lowered:
        return 'PRODUCTION'
    return 'TEST' if 'test' in lowered else 'SANDBOX'


def list_environments(state, req):
    with state.lock:
        # This page spells project-not-found its own way.
        state.project(req.project, page_text=dialects.PROJECT_NOT_FOUND_OR_NO_ACCESS)
        items = [{'id': uuid.uuid5(uuid.NAMESPACE_URL, 'apinizer-emulator-env:' + env).hex[:24], 'name': env,
                  'description': '%s environment' % env, 'type': _type(env),
                  'accessUrl': 'https://%s.gateway.example.com' % env, 'status': 'PUBLISHED',
                  'deployed': None, 'redeployRequired': None}
                 for env in state.config['environments']]
        return 200, dialects.listing(state.dialect, dialects.STATUS, items), {}
