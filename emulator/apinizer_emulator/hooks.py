# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The test hooks under /__emulator__/: the Emulator's methods over HTTP (no auth, never logged).

Their own answers are test infrastructure, not the vendor's API: they keep one form
(``{"error", "error_description"}`` on a mistake) whatever the dialect.
"""

import re
from urllib.parse import unquote

from .errors import ApiError
from .routes import json_body


def handle_hook(emu, method, path, raw_body):
    """(status, body, static document or None) for /__emulator__/..."""
    name = path[len('/__emulator__/'):]
    try:
        if name == 'requests' and method == 'GET':
            return 200, {'requests': emu.requests()}, None
        if name == 'requests' and method == 'DELETE':
            emu.clear_requests()
            return 200, {'success': True}, None
        if name == 'faults' and method == 'POST':
            return 200, {'success': True, 'fault': emu.add_fault(**json_body(raw_body))}, None
        if name == 'redirected' and method == 'GET':
            return 200, {'redirected': emu.redirected()}, None
        if name == 'config' and method == 'POST':
            return 200, {'success': True, 'config': emu.configure(**json_body(raw_body))}, None
        if name == 'config' and method == 'GET':
            return 200, {'config': emu.config()}, None
        if name == 'reset' and method == 'POST':
            emu.reset()
            return 200, {'success': True}, None
        if name == 'seed' and method == 'POST':
            emu.seed(json_body(raw_body))
            return 200, {'success': True}, None
        if name == 'state' and method == 'GET':
            return 200, emu.state(), None
        if name == 'static' and method == 'POST':
            spec = json_body(raw_body)
            if not spec.get('name') or 'body' not in spec:
                raise ValueError('static documents need name and body')
            url = emu.serve_static(spec['name'], spec['body'], spec.get('content_type', 'application/json'),
                                   spec.get('delay', 0), spec.get('status', 200))
            return 200, {'success': True, 'url': url}, None
        if name.startswith('static/') and method == 'GET':
            doc = emu.static_document(unquote(name[len('static/'):]))
            if doc is None:
                return 404, {'error': 'not_found', 'error_description': 'No static document %s' % name}, None
            return doc['status'], None, doc
    except ApiError as exc:
        return exc.status, exc.body(), None
    except (ValueError, TypeError, KeyError, re.error) as exc:
        return 400, {'error': 'bad_request', 'error_description': 'Test hook: %s' % exc}, None
    return 404, {'error': 'not_found', 'error_description': 'No test hook %s %s' % (method, path)}, None
