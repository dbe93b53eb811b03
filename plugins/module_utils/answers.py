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
import re
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
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_vocabulary import PRIVATE_MEMBERS
from ansible_collections.apinizer.apiops.plugins.module_utils.masking import mask_text, mask_value

TRANSIENT_STATUSES = frozenset((429, 502, 503, 504))
# The largest body the client reads; a bigger one is refused (a hostile or broken server could
# otherwise fill the controller's memory).
MAX_BODY = 16 * 1024 * 1024
_CHUNK = 64 * 1024
# OpenSSL's words for a handshake answered by something that is not TLS (plain HTTP, say).
_NOT_TLS = re.compile(r'WRONG_VERSION_NUMBER|wrong version number|record layer failure',
                      re.IGNORECASE)


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
        text = _short(exc, secrets)
        if _NOT_TLS.search(text):
            # The TLS handshake got a plain-HTTP answer: no certificate setting can help.
            hint = ('the server does not speak TLS on this port: use an http:// apinizer_url, '
                    'or the port where the manager serves HTTPS')
        else:
            hint = ('set ca_path (APINIZER_CA_PATH) to the CA bundle that signed the server '
                    'certificate, or validate_certs=false for a trusted test server')
        return ApinizerError('TLS error (%s): %s' % (name, text), method=method, path=path, hint=hint)
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


def server_text(body):
    """The server's error text in either dialect: ``resultMessage`` (the current reference) or
    ``error_description`` (the older one, and the token endpoint's OAuth form); None if neither."""
    if not isinstance(body, dict):
        return None
    for key in ('resultMessage', 'error_description'):
        value = body.get(key)
        if value is not None and value != '':
            return value if isinstance(value, str) else '%s' % (value,)
    return None


def _excerpt(content, secrets, limit=200):
    """A short, masked, one-line excerpt of a body that is not JSON (a proxy's HTML page, say)."""
    try:
        text = content.decode('utf-8', 'replace') if isinstance(content, bytes) else '%s' % content
    except Exception:  # pylint: disable=broad-except  # any undecodable body: nothing to show
        return None
    text = ' '.join(text.split())
    if not text:
        return None
    text = mask_text(text, secrets)
    return text if len(text) <= limit else text[:limit] + '...'


def response_error(resp, method, path, secrets, username=None):
    """Map an HTTP error answer to ApinizerError, in either dialect: only the error code, the
    server's text (resultMessage or error_description) and validation_errors are kept, masked. An
    empty or unreadable body keeps no text (so no inference can be drawn from it)."""
    status = resp.status_code
    body = None
    try:
        body = resp.json()
    except (ValueError, RecursionError):
        body = None
    error = description = validation = retry_after_body = message = None
    if isinstance(body, dict):
        error = body.get('error')
        description = server_text(body)
        validation = body.get('validation_errors')
        retry_after_body = body.get('retry_after')
        # Only these members are kept (a `request` echo or anything else is dropped), each
        # masked, at any depth, with the secrets of the request that failed.
        error = mask_text(error, secrets) if isinstance(error, str) else None
        description = None if description is None else mask_text(description, secrets)
        if isinstance(validation, list):
            validation = [
                mask_value(item, secrets) if isinstance(item, dict) else mask_text('%s' % item, secrets)
                for item in validation]
        else:
            validation = None
    elif getattr(resp, 'content', None):
        excerpt = _excerpt(resp.content, secrets)
        message = 'the error body is not a JSON object%s' % (': %s' % excerpt if excerpt else '')
    else:
        message = 'no error text (empty body)'
    err = ApinizerError(
        status=status, error=error, error_description=description, message=message,
        validation_errors=validation, method=method, path=path,
        transient=status in TRANSIENT_STATUSES,
        reason=mask_text(getattr(resp, 'reason', None) or '', secrets) or None)
    err.hint = _hint(err, username)
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


def _hint(err, username):
    if err.status == 401:
        if username:
            return ('the token obtained for apinizer_username was rejected: check '
                    'apinizer_username/apinizer_password (APINIZER_USERNAME/APINIZER_PASSWORD)')
        return 'check apinizer_token (APINIZER_TOKEN): the token is invalid or expired'
    if err.is_project_not_found():
        return ('check project (APINIZER_PROJECT): the server does not know it, or this user may '
                'not access it')
    if err.is_permission_refused():
        return 'the user lacks a permission this operation needs in the project; nothing was changed by it'
    return None


def success_body(resp, method, path, secrets):
    """The JSON object of a 2xx answer ({} when empty), every string in it masked.

    The envelope is checked in both dialects: ``status`` present and not "SUCCESS" (the current
    reference's "FAILURE", or anything else) or ``success`` present and not true is a failure with
    the server's text, never a success. A body that is not a JSON object is UnexpectedAnswer.
    JSON nested too deeply to read raises RecursionError: the client maps it to UnexpectedAnswer.
    """
    if resp.status_code == 204 or not resp.content:
        return {}
    try:
        body = resp.json()
    except ValueError:
        raise ApinizerError('HTTP %s with a body that is not JSON' % resp.status_code,
                            method=method, path=path)
    if not isinstance(body, dict):
        raise UnexpectedAnswer('HTTP %s with a JSON %s, not an object' % (resp.status_code, type(body).__name__),
                               method=method, path=path)
    # Server text reaches results, warnings and diffs: mask it here, once (an echo may sit in
    # deploymentResult.message, environmentResults[].message or any other member). The items
    # of a read are data (key material the modules compare), not text: they are left alone.
    body = dict((k, v if k in _DATA_MEMBERS else mask_value(v, secrets)) for k, v in body.items())
    refused = _refusal(body)
    if refused:
        text = server_text(body)
        raise UnexpectedAnswer('HTTP %s with %s%s' % (resp.status_code, refused, ': %s' % text if text else ''),
                               method=method, path=path, error_description=text)
    return body


# Members of a 2xx answer that carry data, not server text (left unmasked for the modules).
_DATA_MEMBERS = ('resultList', 'keys')


def _refusal(body):
    """Why an answer's envelope says it failed, or None: ``status`` not "SUCCESS", ``success`` not true."""
    if 'status' in body and body['status'] != 'SUCCESS':
        return 'status %s' % _shown(body['status'])
    if 'success' in body and body['success'] is not True:
        return 'success %s' % _shown(body['success'])
    return None


def _shown(value):
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = '%r' % (value,)
    return text if len(text) <= 40 else text[:40] + '...'


def result_list(body, method, path):
    """The resultList of a list or get answer; UnexpectedAnswer unless it is a list of objects whose
    length agrees with ``resultCount`` when the answer gives one (a list shorter than its count is
    a partial answer, never the whole truth)."""
    items = body.get('resultList') if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise UnexpectedAnswer('no resultList list in the answer' if items is None else
                               'resultList is a %s, not a list' % type(items).__name__,
                               method=method, path=path)
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise UnexpectedAnswer('resultList[%d] is a %s, not an object' % (index, type(item).__name__),
                                   method=method, path=path)
    if 'resultCount' in body and body['resultCount'] is not None:
        count = body['resultCount']
        if isinstance(count, bool) or not isinstance(count, int) or count != len(items):
            raise UnexpectedAnswer('resultCount %s does not match the %d item(s) of resultList'
                                   % (_shown(count), len(items)), method=method, path=path)
    return items


def public_jwk_set(body, method, path, add_secrets):
    """The JWK Set of an ``export-file/?publicOnly=true`` answer: ``{'keys': [JWK, ...]}``.

    Every key must be an object with a string ``kty``. A private member (PRIVATE_MEMBERS_BY_KTY;
    ``k`` of a symmetric key) in a public-only answer is refused: its values are handed to
    ``add_secrets`` so that no later text repeats them, and never returned.
    """
    keys = body.get('keys') if isinstance(body, dict) else None
    if not isinstance(keys, list):
        raise UnexpectedAnswer('no keys list in the JWK Set' if keys is None else
                               'keys is a %s, not a list' % type(keys).__name__, method=method, path=path)
    leaked = []
    for index, key in enumerate(keys):
        if not isinstance(key, dict) or not isinstance(key.get('kty'), str):
            raise UnexpectedAnswer('keys[%d] is not a JWK with a kty' % index, method=method, path=path)
        private = [m for m in PRIVATE_MEMBERS if m in key and key[m] not in (None, '')]
        add_secrets(v for m in private for v in _strings(key[m]))
        leaked.extend('keys[%d].%s' % (index, m) for m in sorted(private))
    if leaked:
        raise UnexpectedAnswer('a public-only export carries private members (%s); refused, nothing of '
                               'them is shown' % ', '.join(leaked), method=method, path=path)
    return dict(keys=keys)


def _strings(value):
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    return []


def result_named(body, method, path, name):
    """The one item of a get answer; UnexpectedAnswer when it is missing or carries another name."""
    items = result_list(body, method, path)
    if not items:
        raise UnexpectedAnswer('an empty resultList for JWK %r' % name, method=method, path=path)
    if items[0].get('name') != name:
        raise UnexpectedAnswer('asked for %r, got an item named %r' % (name, items[0].get('name')),
                               method=method, path=path)
    return items[0]


def named_items(body, method, path, what):
    """result_list whose every item names itself (a non-empty string ``name``); ``what`` names an item
    in the error ("API proxy"). An item without a name cannot be read further, so it is no item to skip."""
    items = result_list(body, method, path)
    for index, item in enumerate(items):
        name = item.get('name')
        if not isinstance(name, str) or not name.strip():
            raise UnexpectedAnswer('resultList[%d] is no %s with a name' % (index, what), method=method, path=path)
    return items


def api_proxy_policies(body, method, path, name):
    """The API proxy object of a List Policies answer, with its policy lists.

    Two documented shapes: the proxy object itself (list-policies.mdx) or ``{"apiProxy": {...}}``
    (policy-jose-validation.mdx, policy-jose-implementation.mdx). The answer must hold exactly one
    item (the page says resultCount is always 1) naming the proxy asked for when it names one: an
    empty or a longer list is no answer about this proxy, never "no policies".
    """
    items = result_list(body, method, path)
    if len(items) != 1:
        raise UnexpectedAnswer('%d items in resultList, expected the one API proxy %s' % (len(items), name),
                               method=method, path=path)
    proxy = items[0]
    if 'apiProxy' in proxy:
        proxy = proxy['apiProxy']
        if not isinstance(proxy, dict):
            raise UnexpectedAnswer('apiProxy is a %s, not an object' % type(proxy).__name__, method=method, path=path)
    if 'name' in proxy and proxy['name'] != name:
        raise UnexpectedAnswer('asked for the policies of API proxy %s, got an item named otherwise' % name,
                               method=method, path=path)
    return proxy


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
