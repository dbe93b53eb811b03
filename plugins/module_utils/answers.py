# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading the server's answers: every byte the client gets back passes through here.

Owns reading a streamed answer within the deadline and the 16 MiB limit (read_answer), refusing
a redirect (redirect_error), mapping a 2xx answer to its validated JSON body (success_body,
result_list, result_named: a wrong shape is UnexpectedAnswer, never "empty"), an HTTP error
answer or a transport exception to ApinizerError (response_error, exception_error), and Retry-After. Every
piece of server text is masked with masking.mask_text/mask_value and ``secrets`` (the client's
secrets plus those of the request). Answer-shape checks belong here.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import email.utils
import json
import math
import time

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover - Python 2 controller/targets are not supported
    from urlparse import urlsplit  # type: ignore

try:
    import requests
    import urllib3
    HAS_REQUESTS = True
    _URLLIB3_ERRORS = (urllib3.exceptions.HTTPError,)
except ImportError:  # pragma: no cover - the client reports the missing library
    requests = None
    HAS_REQUESTS = False
    _URLLIB3_ERRORS = ()

from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError, UnexpectedAnswer
from ansible_collections.apinizer.apiops.plugins.module_utils.masking import mask_text, mask_value

TRANSIENT_STATUSES = frozenset((429, 502, 503, 504))
# The largest body the client reads; a bigger one is refused (a hostile or broken server could
# otherwise fill the controller's memory).
MAX_BODY = 16 * 1024 * 1024
_CHUNK = 64 * 1024


def parse_retry_after(value):
    """Seconds from a Retry-After header (delta-seconds or HTTP-date) or a retry_after body."""
    if value is None or isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        try:
            when = email.utils.parsedate_to_datetime('%s' % value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - time.time()
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)


def exception_error(exc, method, path, secrets, timeout):
    """Map a requests exception to ApinizerError (no URL userinfo, no body, masked)."""
    name = type(exc).__name__
    if HAS_REQUESTS and isinstance(exc, requests.exceptions.SSLError):
        return ApinizerError(
            'TLS error (%s): %s' % (name, _short(exc, secrets)), method=method, path=path,
            hint='set ca_path (APINIZER_CA_PATH) to the CA bundle that signed the server '
                 'certificate, or validate_certs=false for a trusted test server')
    if isinstance(exc, TimeoutError) or (HAS_REQUESTS and isinstance(exc, requests.exceptions.Timeout)):
        return ApinizerError('timed out after %s s (%s)' % (timeout, name),
                             method=method, path=path, transient=True)
    transient_types = (requests.exceptions.ConnectionError,
                       requests.exceptions.ChunkedEncodingError) if HAS_REQUESTS else ()
    if isinstance(exc, transient_types) or isinstance(exc, (ConnectionError, TimeoutError)):
        return ApinizerError('connection error (%s): %s' % (name, _short(exc, secrets)),
                             method=method, path=path, transient=True)
    return ApinizerError('request failed (%s): %s' % (name, _short(exc, secrets)),
                         method=method, path=path)


def _short(exc, secrets, limit=300):
    # requests wraps urllib3's MaxRetryError, whose text repeats the whole URL; its
    # ``reason`` is the part a user needs ("Connection refused", "certificate verify failed").
    inner = exc.args[0] if getattr(exc, 'args', None) else None
    reason = getattr(inner, 'reason', None)
    text = mask_text('%s' % (reason if reason is not None else exc), secrets)
    return text if len(text) <= limit else text[:limit] + '...'


def response_error(resp, method, path, secrets, username=None):
    """Map an HTTP error answer to ApinizerError: only error, error_description and validation_errors are kept, masked."""
    status = resp.status_code
    body = None
    try:
        body = resp.json()
    except ValueError:
        body = None
    error = description = validation = retry_after_body = None
    if isinstance(body, dict):
        error = body.get('error')
        description = body.get('error_description')
        validation = body.get('validation_errors')
        retry_after_body = body.get('retry_after')
        # Only these members are kept (a `request` echo or anything else is dropped), each
        # masked, at any depth, with the secrets of the request that failed.
        error = mask_text(error, secrets) if isinstance(error, str) else None
        description = mask_text(description, secrets) if isinstance(description, str) else (
            None if description is None else mask_text('%s' % description, secrets))
        if isinstance(validation, list):
            validation = [
                mask_value(item, secrets) if isinstance(item, dict) else mask_text('%s' % item, secrets)
                for item in validation]
        else:
            validation = None
    hint = None
    if status == 401:
        if username:
            hint = ('the token obtained for apinizer_username was rejected: check '
                    'apinizer_username/apinizer_password (APINIZER_USERNAME/APINIZER_PASSWORD)')
        else:
            hint = 'check apinizer_token (APINIZER_TOKEN): the token is invalid or expired'
    err = ApinizerError(
        status=status, error=error, error_description=description,
        validation_errors=validation, method=method, path=path,
        transient=status in TRANSIENT_STATUSES, hint=hint,
        reason=mask_text(getattr(resp, 'reason', None) or '', secrets) or None)
    header = None
    headers = getattr(resp, 'headers', None) or {}
    try:
        header = headers.get('Retry-After')
    except AttributeError:
        header = None
    err.retry_after = parse_retry_after(header)
    if err.retry_after is None:
        err.retry_after = parse_retry_after(retry_after_body)
    return err


def success_body(resp, method, path, secrets):
    """The JSON body of a 2xx answer ({} when empty), every string in it masked; UnexpectedAnswer
    for a body that is not JSON or says ``success: false`` (with or without an error text)."""
    if resp.status_code == 204 or not resp.content:
        return {}
    try:
        body = resp.json()
    except ValueError:
        raise ApinizerError('HTTP %s with a body that is not JSON' % resp.status_code,
                            method=method, path=path)
    # Server text reaches results, warnings and diffs: mask it here, once (an echo may sit in
    # deploymentResult.message, environmentResults[].message or any other member). The items
    # of a read are data (key material the modules compare), not text: they are left alone.
    if isinstance(body, dict):
        body = dict((k, v if k == 'resultList' else mask_value(v, secrets)) for k, v in body.items())
    if isinstance(body, dict) and body.get('success') is False:
        detail = ': '.join('%s' % body[k] for k in ('error', 'error_description') if body.get(k))
        raise UnexpectedAnswer('HTTP %s with success false%s' % (resp.status_code, ' (%s)' % detail if detail else ''),
                               status=None, method=method, path=path)
    return body


def result_list(body, method, path):
    """The resultList of a list or get answer; UnexpectedAnswer unless it is a list of objects."""
    items = body.get('resultList') if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise UnexpectedAnswer('no resultList list in the answer' if items is None else
                               'resultList is a %s, not a list' % type(items).__name__,
                               method=method, path=path)
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise UnexpectedAnswer('resultList[%d] is a %s, not an object' % (index, type(item).__name__),
                                   method=method, path=path)
    return items


def result_named(body, method, path, name):
    """The one item of a get answer; UnexpectedAnswer when it is missing or carries another name."""
    items = result_list(body, method, path)
    if not items:
        raise UnexpectedAnswer('an empty resultList for JWK %r' % name, method=method, path=path)
    if items[0].get('name') != name:
        raise UnexpectedAnswer('asked for %r, got an item named %r' % (name, items[0].get('name')),
                               method=method, path=path)
    return items[0]


def redirect_error(resp, method, path):
    """UnexpectedAnswer for a 3xx: the client never follows one (a re-sent body would carry a
    private key or a password elsewhere). Names the Location's scheme and host, never its userinfo."""
    location = ''
    try:
        location = (getattr(resp, 'headers', None) or {}).get('Location') or ''
        target = urlsplit(location)
        where = '%s://%s%s' % (target.scheme, target.hostname, ':%s' % target.port if target.port else '') \
            if target.scheme and target.hostname else 'a relative location'
    except (AttributeError, ValueError):
        where = 'an unreadable location'
    return UnexpectedAnswer('HTTP %s redirect to %s; redirects are never followed, nothing was sent there'
                            % (resp.status_code, where), method=method, path=path)


class Answer(object):
    """What the client keeps of a response once its body was read within the limits."""

    def __init__(self, status_code, headers, reason, content):
        self.status_code = status_code
        self.headers = headers
        self.reason = reason
        self.content = content

    def json(self):
        return json.loads(self.content.decode('utf-8'))


def read_answer(resp, method, path, deadline, clock=time.monotonic):
    """Read a streamed response within ``deadline`` (a ``clock()`` value) and MAX_BODY bytes.

    A server that drips its answer is cut off at the deadline (TimeoutError, transient like any
    timeout); a body over MAX_BODY is refused without being kept (UnexpectedAnswer).
    """
    raw = resp.raw
    read = getattr(raw, 'read1', None) or raw.read
    chunks, size = [], 0
    try:
        if _declared_length(resp) > MAX_BODY:
            raise _too_large(method, path)
        while True:
            remaining = deadline - clock()
            if remaining <= 0:
                raise TimeoutError('the answer was not complete within the timeout')
            _limit_wait(raw, remaining)
            try:
                chunk = read(_CHUNK, decode_content=True)
            except _URLLIB3_ERRORS as exc:
                # urllib3's own errors while reading the body: a timeout, or a broken connection.
                if 'timed out' in ('%s' % exc).lower():
                    raise TimeoutError('the answer was not complete within the timeout')
                raise ConnectionError(type(exc).__name__)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_BODY:
                raise _too_large(method, path)
            chunks.append(chunk)
    finally:
        resp.close()
    return Answer(resp.status_code, resp.headers, getattr(resp, 'reason', None), b''.join(chunks))


def _too_large(method, path):
    return UnexpectedAnswer('the body is larger than %d bytes (16 MiB); refused' % MAX_BODY, method=method, path=path)


def _declared_length(resp):
    try:
        return int((getattr(resp, 'headers', None) or {}).get('Content-Length') or 0)
    except (TypeError, ValueError, AttributeError):
        return 0


def _limit_wait(raw, seconds):
    # Each read then waits at most until the deadline (urllib3 exposes the connection's socket).
    sock = getattr(getattr(raw, 'connection', None), 'sock', None)
    if sock is not None:
        sock.settimeout(max(seconds, 0.001))
