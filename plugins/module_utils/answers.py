# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading the server's answers: every byte the client gets back passes through here.

Owns mapping a 2xx answer to its JSON body (success_body, result_list), an HTTP error answer or a
transport exception to ApinizerError (response_error, exception_error), and Retry-After. Every
piece of server text is masked with masking.mask_text/mask_value and ``secrets`` (the client's
secrets plus those of the request). Answer-shape checks belong here.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import email.utils
import math
import time

try:
    import requests
    HAS_REQUESTS = True
except ImportError:  # pragma: no cover - the client reports the missing library
    requests = None
    HAS_REQUESTS = False

from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError
from ansible_collections.apinizer.apiops.plugins.module_utils.masking import mask_text, mask_value

TRANSIENT_STATUSES = frozenset((429, 502, 503, 504))


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
    if HAS_REQUESTS and isinstance(exc, requests.exceptions.Timeout):
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
    """The JSON body of a 2xx answer ({} when empty); ApinizerError for a body that is not JSON or says success: false."""
    if resp.status_code == 204 or not resp.content:
        return {}
    try:
        body = resp.json()
    except ValueError:
        raise ApinizerError('HTTP %s with a body that is not JSON' % resp.status_code,
                            method=method, path=path)
    if isinstance(body, dict) and body.get('success') is False and body.get('error'):
        raise ApinizerError(status=resp.status_code, error=mask_text(body.get('error'), secrets),
                            error_description=mask_text(body.get('error_description'), secrets),
                            method=method, path=path)
    return body


def result_list(body):
    """The resultList of a read answer ([] when there is none)."""
    if isinstance(body, dict):
        items = body.get('resultList')
        if isinstance(items, list):
            return items
    return []
