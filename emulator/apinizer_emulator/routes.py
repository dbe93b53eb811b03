# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Which handler answers which /apiops path: exact documented spellings only (else 404)."""

import json
from urllib.parse import parse_qs, unquote

from . import auth, credential_api, dialects, environment_api, jwk_api, jwk_create, proxies, settings
from .credential_api import PURPOSES
from .errors import bad_request, not_found


class Request:
    """What a handler gets: the project, the path's arguments, the parsed body and query."""

    def __init__(self, method, path, project, args, body, query, headers):
        self.method = method
        self.path = path
        self.project = project
        self.args = args
        self.body = body
        self.query = query
        self.headers = headers


def json_body(raw):
    if not raw or not raw.strip():
        raise bad_request('Request body is required')
    try:
        return json.loads(raw.decode('utf-8'))
    except (ValueError, UnicodeDecodeError):
        raise bad_request('Request body is not valid JSON')


def _route(config, method, rest):
    """(handler, args, project-not-found text of its page or None) for the segments after
    /projects/{p}/, or None when no documented path matches."""
    current = config['dialect'] == dialects.CURRENT
    if rest == ['jwks', '']:
        return {'GET': (jwk_api.list_jwks, ()), 'POST': (jwk_create.create, (None,))}.get(method)
    if len(rest) == 2 and rest[0] == 'jwks' and method == 'POST':
        if rest[1] == 'generate':
            return jwk_create.generate, ()
        if rest[1] in jwk_create.PARSE_FROM:
            return jwk_create.create, (jwk_create.PARSE_FROM[rest[1]],)
    if len(rest) == 3 and rest[0] == 'jwks' and rest[2] == '' and rest[1]:
        return {'GET': (jwk_api.get_jwk, (rest[1],)), 'PUT': (jwk_api.update_jwk, (rest[1],)),
                'DELETE': (jwk_api.delete_jwk, (rest[1],))}.get(method)
    if (len(rest) == 4 and rest[0] == 'jwks' and rest[1] and rest[2:] == ['export-file', ''] and method == 'GET'
            and settings.export_file(config) != 'absent'):
        return jwk_api.export_file, (rest[1],)
    if rest == ['credentials', '']:
        return {'GET': (credential_api.list_credentials, ()),
                'POST': (credential_api.create_credential, ())}.get(method)
    if (len(rest) == 6 and rest[0] == 'credentials' and rest[2] == 'jwk' and rest[3] in PURPOSES
            and rest[5] == '' and rest[4] and method == 'PUT'):
        return credential_api.assign, (rest[1], rest[3], rest[4])
    if (len(rest) == 5 and rest[0] == 'credentials' and rest[2] == 'jwk' and rest[3] in PURPOSES
            and rest[4] == '' and method == 'DELETE'):
        return credential_api.unassign, (rest[1], rest[3])
    if rest == ['environments', ''] and method == 'GET' and current:
        return environment_api.list_environments, (), dialects.PROJECT_NOT_FOUND_OR_NO_ACCESS
    if method == 'GET' and rest == ['apiProxies', '']:
        return proxies.list_proxies, ()
    if method == 'GET' and len(rest) == 3 and rest[0] == 'apiProxies' and rest[1] and rest[2] == '':
        return proxies.get_proxy, (rest[1],)
    if method == 'GET' and len(rest) == 4 and rest[0] == 'apiProxies' and rest[1] and rest[2:] == ['policies', '']:
        return proxies.list_policies, (rest[1],)
    return None


def handle_api(state, method, path, query, headers, raw_body):
    """(status, body, extra headers) for one /apiops request; refusals raise ApiError."""
    segs = [unquote(s) for s in path.split('/')[2:]]   # after '' and 'apiops'
    if segs == ['auth', 'token']:
        return auth.token_endpoint(state, method, raw_body)
    auth.authenticate(state, headers)
    if len(segs) < 3 or segs[0] != 'projects':
        raise not_found('No endpoint %s %s' % (method, path))
    pname, rest = segs[1], segs[2:]
    with state.lock:
        route = _route(state.config, method, rest)
    if route is None:
        raise not_found('No endpoint %s %s' % (method, path))
    func, args = route[0], route[1]
    with state.lock:
        state.project(pname, page_text=route[2] if len(route) > 2 else None)
    body = None
    if method == 'POST':
        body = json_body(raw_body)
    elif func is jwk_api.update_jwk:
        body = json_body(raw_body) if raw_body.strip() else {}
    query = {k: v[0] for k, v in parse_qs(query or '', keep_blank_values=True).items()}
    return func(state, Request(method, path, pname, args, body, query, headers))
