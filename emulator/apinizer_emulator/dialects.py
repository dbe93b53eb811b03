# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The two answer dialects: how an error and a success envelope look.

``current``: the vendor's current reference (apinizer/docs, api-reference/ and openapi.yaml):
errors ``{"status": "FAILURE", "resultMessage"}``, success envelopes as each page shows them
(``status: "SUCCESS"`` on most pages, ``success: true`` on a few), ``resultCount`` on lists.
``legacy``: the older reference (apinizer/management-api-docs) as this emulator served it first:
errors ``{"error", "error_description"}``, ``success: true`` everywhere, no ``resultCount``.
"""

CURRENT = 'current'
LEGACY = 'legacy'
DIALECTS = (CURRENT, LEGACY)

# The server as the vendor's current reference documents it; the older dialect is opt-in.
DEFAULT_DIALECT = CURRENT

# Which success member each current page shows ('status' -> "status": "SUCCESS", 'success' ->
# "success": true). Legacy answers always carry "success": true.
STATUS = 'status'
SUCCESS = 'success'

# Texts the current pages document (error-handling.mdx, export-jwk-file.mdx).
PERMISSION_DENIED = 'User does not have required permission for this operation!'
EMPTY_KEY = 'Empty Key! Client must be authenticated to access this resource.'
TOKEN_NOT_VALID = 'Token is not valid!'
TOKEN_EXPIRED = 'Token was expired!'
PROJECT_NOT_FOUND = 'Project ({project}) is not found!'
# get-environments-by-project.mdx spells it its own way.
PROJECT_NOT_FOUND_OR_NO_ACCESS = 'Project ({project}) is not found or user does not have privilege to access it!'
LEGACY_PROJECT_NOT_FOUND = 'Project({project}) was not found or user does not have privilege to access it!'


def check(dialect):
    if dialect not in DIALECTS:
        raise ValueError('dialect must be one of: %s' % ', '.join(DIALECTS))
    return dialect


def error_body(dialect, code, text, validation_errors=None):
    """The body of a management error in this dialect (code is the legacy error code)."""
    if dialect == CURRENT:
        return {'status': 'FAILURE', 'resultMessage': text}
    body = {'error': code, 'error_description': text}
    if validation_errors:
        body['validation_errors'] = validation_errors
    return body


def error_text(body):
    """The text of an error body of either dialect (None when it has none)."""
    if not isinstance(body, dict):
        return None
    if 'resultMessage' in body:
        return body['resultMessage']
    return body.get('error_description')


def with_error_text(body, text):
    """The same error body with its text replaced (either dialect)."""
    body = dict(body)
    body['resultMessage' if 'resultMessage' in body else 'error_description'] = text
    return body


def ok(dialect, style, **fields):
    """A success envelope: the page's success member first, then the answer's fields."""
    if dialect == CURRENT and style == STATUS:
        head = {'status': 'SUCCESS'}
    else:
        head = {'success': True}
    head.update(fields)
    return head


def listing(dialect, style, items, count=True):
    """A list answer; current lists carry resultCount (``count=False`` where a page shows none)."""
    body = ok(dialect, style, resultList=items)
    if dialect == CURRENT and count:
        body['resultCount'] = len(items)
    return body


def failure(dialect, text=None):
    """A 2xx answer that says it failed: {"success": false} or {"status": "FAILURE"}."""
    if dialect == CURRENT:
        body = {'status': 'FAILURE'}
        if text is not None:
            body['resultMessage'] = text
        return body
    body = {'success': False}
    if text is not None:
        body.update(error='internal_error', error_description=text)
    return body
