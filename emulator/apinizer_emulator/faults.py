# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Injected faults: the fault spec, and what each kind does to an answer.

Two families (see emulator/README.md, "Faults"):
- answers that replace the server's (status, drop, redirect, success_false, oversized, raw,
  refused): the request is processed first only with ``apply: true``;
- answers that rewrite or slow the server's real answer (no_result_list, result_list_not_list,
  items_not_objects, other_name, result_count, echo, drip): the request is always processed.
``delay`` sleeps, then processes the request normally. Every answer a fault writes is in the
active dialect's words (``dialect`` arguments below).
"""

import json
import re
from urllib.parse import parse_qs

from . import dialects

REPLACING = ('status', 'drop', 'redirect', 'success_false', 'oversized', 'raw', 'refused')
TRANSFORMING = ('no_result_list', 'result_list_not_list', 'items_not_objects', 'other_name', 'result_count',
                'echo', 'drip')
ACTIONS = ('delay',) + REPLACING + TRANSFORMING

# Accepted with every action, as before the hostile kinds existed (ignored where they do not apply).
LEGACY_OPTIONS = ('method', 'path', 'action', 'status', 'retry_after', 'retry_after_in', 'delay', 'count',
                  'apply', 'echo')
# The newer options, each only with the actions that use it: a misplaced option is a mistake.
ACTION_OPTIONS = {
    'location': ('redirect',),
    'with_error': ('success_false',),
    'value': ('result_list_not_list', 'items_not_objects', 'result_count'),
    'name': ('other_name',),
    'interval': ('drip',),
    'size': ('oversized',),
    'length_header': ('oversized',),
    'echo_chars': ('status', 'echo'),
    'error': ('status',),
    'error_description': ('status',),
    'message': ('status', 'refused', 'success_false'),
    'body': ('raw',),
    'content_type': ('raw',),
}
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
DEFAULT_STATUS = {'redirect': 307, 'raw': 400, 'refused': 400}
ECHO_MODES = ('whole', 'truncated')
DEFAULT_OVERSIZE = 17 * 1024 * 1024   # just over the 16 MiB a client must refuse
NOT_GIVEN = object()

# What counts as a secret in a request: the bearer token, form and JSON passwords, private JWK members.
SECRET_MEMBERS = frozenset(('d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'password', 'client_secret', 'access_token'))


def make_fault(spec):
    """A normalised fault from a spec (dict); ValueError names what is wrong."""
    unknown = set(spec) - set(LEGACY_OPTIONS) - set(ACTION_OPTIONS)
    if unknown:
        raise ValueError('unknown fault option(s): %s' % ', '.join(sorted(unknown)))
    action = spec.get('action', 'status')
    if action not in ACTIONS:
        raise ValueError('fault action must be one of: %s' % ', '.join(ACTIONS))
    for option, actions in ACTION_OPTIONS.items():
        if option in spec and action not in actions:
            raise ValueError('%s applies only to action %s' % (option, ' or '.join(actions)))
    fault = {'method': str(spec.get('method', '*')).upper(), 'path': spec.get('path', '.*'), 'action': action,
             'status': int(spec.get('status', DEFAULT_STATUS.get(action, 503))),
             'retry_after': spec.get('retry_after'), 'retry_after_in': spec.get('retry_after_in', 'header'),
             'delay': float(spec.get('delay', 0) or 0), 'count': spec.get('count', 1),
             'apply': bool(spec.get('apply', False)), 'echo': _echo_mode(spec, action)}
    if fault['retry_after_in'] not in ('header', 'body'):
        raise ValueError("retry_after_in must be 'header' or 'body'")
    re.compile(fault['path'])
    if fault['count'] is not None:
        fault['count'] = int(fault['count'])
    fault.update(_action_options(spec, action, fault))
    return fault


def _echo_mode(spec, action):
    echo = spec.get('echo', 'whole' if action == 'echo' else False)
    if echo is True:
        echo = 'whole'
    if echo is not False and echo not in ECHO_MODES:
        raise ValueError("echo must be true, false, 'whole' or 'truncated'")
    if echo and action not in ('status', 'echo'):
        raise ValueError("echo applies only to action 'status' or 'echo'")
    if action == 'echo' and not echo:
        raise ValueError("action 'echo' needs echo 'whole' or 'truncated'")
    return echo


def _action_options(spec, action, fault):
    out = {}
    if action == 'redirect':
        if fault['status'] not in REDIRECT_STATUSES:
            raise ValueError('a redirect status is one of %s' % ', '.join(map(str, REDIRECT_STATUSES)))
        location = spec.get('location')
        if location is not None and (not isinstance(location, str) or not location):
            raise ValueError('location must be a non-empty string')
        out['location'] = location
    elif action == 'success_false':
        out['with_error'] = _bool(spec, 'with_error', False)
        out.update(_message(spec))
    elif action in ('result_list_not_list', 'items_not_objects', 'result_count'):
        value = spec.get('value', NOT_GIVEN)
        if action == 'items_not_objects' and value is not NOT_GIVEN and not isinstance(value, list):
            raise ValueError('value of items_not_objects is the list that replaces resultList')
        if action == 'result_count' and value not in (NOT_GIVEN, None) and (
                isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError('value of result_count is an integer (or null to leave resultCount out)')
        if value is not NOT_GIVEN:
            out['value'] = value
    elif action == 'raw':
        body = spec.get('body', '')
        out['body'] = body
        content_type = spec.get('content_type', 'application/json')
        if not isinstance(content_type, str) or not content_type:
            raise ValueError('content_type must be a non-empty string')
        out['content_type'] = content_type
    elif action == 'refused':
        out.update(_message(spec))
    elif action == 'other_name':
        name = spec.get('name')
        if name is not None and (not isinstance(name, str) or not name):
            raise ValueError('name must be a non-empty string')
        out['name'] = name
    elif action == 'drip':
        out['interval'] = float(spec.get('interval', 1.0))
        if out['interval'] <= 0:
            raise ValueError('interval must be a positive number of seconds')
    elif action == 'oversized':
        out['size'] = int(spec.get('size', DEFAULT_OVERSIZE))
        smallest = max(len(oversized_prefix(d)) for d in dialects.DIALECTS) + 2
        if out['size'] < smallest:
            raise ValueError('size must be at least %d bytes' % smallest)
        out['length_header'] = _bool(spec, 'length_header', True)
    elif action == 'status':
        for key in ('error', 'error_description'):
            if key in spec:
                if not isinstance(spec[key], str) or not spec[key]:
                    raise ValueError('%s must be a non-empty string' % key)
                out[key] = spec[key]
        if 'message' in spec and 'error_description' in spec:
            raise ValueError('message and error_description name the same text: give one')
        out.update(_message(spec))
    if fault['echo']:
        out['echo_chars'] = int(spec.get('echo_chars', 100))
        if out['echo_chars'] < 1:
            raise ValueError('echo_chars must be at least 1')
    return out


def _message(spec):
    """The error text a fault answers with (resultMessage or error_description), when given."""
    if 'message' not in spec:
        return {}
    if not isinstance(spec['message'], str) or not spec['message']:
        raise ValueError('message must be a non-empty string')
    return {'message': spec['message']}


def _bool(spec, key, default):
    value = spec.get(key, default)
    if not isinstance(value, bool):
        raise ValueError('%s must be true or false' % key)
    return value


# ---------------------------------------------------------------------- echoes

def request_secrets(request):
    """[(field, value)] of every secret in a request {method, path, headers, body}, in order."""
    found = []
    scheme, _, token = (request['headers'].get('Authorization') or '').partition(' ')
    if token.strip():
        found.append(('Authorization', token.strip()))
    ctype = (request['headers'].get('Content-Type') or '').split(';')[0].strip().lower()
    text = request['body']
    if ctype == 'application/x-www-form-urlencoded':
        for key, values in parse_qs(text, keep_blank_values=True).items():
            if key in SECRET_MEMBERS:
                found.extend((key, v) for v in values if v)
        return found
    try:
        _walk(json.loads(text), found)
    except ValueError:
        pass
    return found


def _walk(value, found):
    if isinstance(value, dict):
        for key, item in value.items():
            if key in SECRET_MEMBERS and isinstance(item, str) and item:
                found.append((key, item))
            elif key == 'jwkStr' and isinstance(item, str):
                try:
                    _walk(json.loads(item), found)   # key material pasted as a JSON string
                except ValueError:
                    pass
            else:
                _walk(item, found)
    elif isinstance(value, list):
        for item in value:
            _walk(item, found)


def echo_text(fault, request):
    """The request as a careless server repeats it: whole, or the first echo_chars of each secret."""
    if fault['echo'] == 'whole':
        return '%s %s with headers %s and body %s' % (
            request['method'], request['path'],
            '; '.join('%s: %s' % kv for kv in request['headers'].items()), request['body'])
    parts = []
    for field, value in request_secrets(request):
        # Always a proper prefix: an exact-string mask of the secret never matches it.
        parts.append('%s=%s' % (field, value[:max(1, min(fault['echo_chars'], len(value) - 1))]))
    return '%s %s: %s' % (request['method'], request['path'], ', '.join(parts) or '(no secret in the request)')


def error_body(fault, status, error, request, dialect=dialects.LEGACY):
    """The error answer of a status or refused fault, with the echo when asked for.

    legacy: ``{error, error_description}`` (``error`` overridable); current: ``{"status":
    "FAILURE", "resultMessage"}`` (``error`` has no place there and is ignored).
    """
    default = dialects.PERMISSION_DENIED if fault['action'] == 'refused' else 'Injected fault: HTTP %d' % status
    text = fault.get('message') or fault.get('error_description') or default
    if fault['echo']:
        text += ' for ' + echo_text(fault, request)
    if dialect == dialects.CURRENT:
        body = dialects.error_body(dialect, error, text)
        if fault['echo'] == 'whole':
            body['request'] = request   # a careless server repeats the request beside its text
        return body
    body = {'error': fault.get('error', 'forbidden' if fault['action'] == 'refused' else error),
            'error_description': text}
    if fault['echo'] == 'whole':
        body['request'] = request
        body['validation_errors'] = (
            [{'field': 'request', 'message': '%s %s' % (request['method'], request['path'])}]
            + [{'field': 'header ' + k, 'message': v} for k, v in request['headers'].items()]
            + [{'field': 'body', 'message': request['body']}])
    elif fault['echo']:
        body['validation_errors'] = [{'field': 'request', 'message': echo_text(fault, request)}]
    return body


def raw_body(fault):
    """(bytes, content type) of a raw fault: a string as it is, any other JSON value serialised."""
    body = fault['body']
    if not isinstance(body, str):
        body = json.dumps(body)
    return body.encode('utf-8'), fault['content_type']


# ---------------------------------------------------------------------- rewritten answers

def transform(fault, status, body, request):
    """(status, body) after a rewriting fault; only 2xx JSON objects are rewritten, except by echo."""
    action = fault['action']
    if action == 'echo':
        return status, _echoed(fault, body, request)
    if not (200 <= status < 300 and isinstance(body, dict)) or action == 'drip':
        return status, body
    body = dict(body)
    items = body.get('resultList')
    if action == 'no_result_list':
        body.pop('resultList', None)
    elif action == 'result_list_not_list':
        if 'value' in fault:
            body['resultList'] = fault['value']
        else:   # one object where a list belongs, the likeliest server slip
            body['resultList'] = items[0] if isinstance(items, list) and items else {}
    elif action == 'items_not_objects':
        if 'value' in fault:
            body['resultList'] = fault['value']
        else:
            body['resultList'] = [_label(i) for i in items or []] or ['not-an-object']
    elif action == 'other_name' and isinstance(items, list):
        body['resultList'] = [_renamed(i, fault['name']) for i in items]
    elif action == 'result_count':
        # A count the list does not match: more than it holds unless value says otherwise.
        value = fault.get('value', NOT_GIVEN)
        if value is NOT_GIVEN:
            body['resultCount'] = (len(items) if isinstance(items, list) else 0) + 1
        elif value is None:
            body.pop('resultCount', None)
        else:
            body['resultCount'] = value
    return status, body


def _label(item):
    if isinstance(item, dict):
        return str(item.get('name') or item.get('username') or json.dumps(item))
    return item


def _renamed(item, name):
    if not isinstance(item, dict):
        return item
    item = dict(item)
    key = 'name' if 'name' in item else 'username'
    item[key] = name or '%s-other' % item.get(key)
    return item


def _echoed(fault, body, request):
    text = echo_text(fault, request)
    if not isinstance(body, dict):
        return body
    body = json.loads(json.dumps(body))
    dep = body.get('deploymentResult')
    if isinstance(dep, dict):
        # Every text member of the three deployment shapes.
        if 'detailList' in dep:
            dep['detail'] = 'Deployment of %s' % text
        else:
            dep['message'] = 'Deployment of %s' % text
        for env in (dep.get('environmentResults') or []) + (dep.get('deploymentResults') or []):
            env['message'] = 'Deployed %s' % text
        for pod in dep.get('detailList') or []:
            pod['detail'] = 'Deployed %s' % text
    elif dialects.error_text(body) is not None:
        body = dialects.with_error_text(body, '%s (request: %s)' % (dialects.error_text(body), text))
    else:
        body['message'] = 'Answered %s' % text
    return body


def success_false_body(fault, dialect=dialects.LEGACY):
    """A 200 that says it failed: legacy ``{"success": false}``, current ``{"status": "FAILURE"}``."""
    text = None
    if fault['with_error'] or fault.get('message'):
        text = fault.get('message') or ('Injected fault: success false' if dialect == dialects.LEGACY else
                                        'Injected fault: status FAILURE')
    return dialects.failure(dialect, text)


def oversized_prefix(dialect=dialects.LEGACY):
    if dialect == dialects.CURRENT:
        return b'{"status": "SUCCESS", "resultList": [], "padding": "'
    return b'{"success": true, "resultList": [], "padding": "'


def oversized_chunks(size, chunk=65536, dialect=dialects.LEGACY):
    """A JSON document of exactly ``size`` bytes, produced piece by piece (never held whole)."""
    prefix, suffix = oversized_prefix(dialect), b'"}'
    yield prefix
    left = size - len(prefix) - len(suffix)
    block = b'x' * chunk
    while left > 0:
        part = block if left >= chunk else block[:left]
        left -= len(part)
        yield part
    yield suffix


def redirect_location(fault, scheme, host, port, target):
    """The Location of a redirect: another host name for this server, unless the spec gives one.

    The default lands on /__emulator__/redirected/..., a trap that records what a client that
    follows the redirect sends there.
    """
    if fault.get('location'):
        return (fault['location'].replace('{scheme}', scheme).replace('{port}', str(port))
                .replace('{path}', target))
    other = 'localhost' if host != 'localhost' else '127.0.0.1'
    return '%s://%s:%d/__emulator__/redirected%s' % (scheme, other, port, target)
