# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Errors: ApinizerError, the one exception for any failure talking to the API.

Owns how a failure reads (the request line, the HTTP status, the API's error text, the hint) and
the predicates on it (not found, already exists, nothing assigned) and fail_kwargs() for modules.
Whatever text it carries was masked before it got here (masking.py, by the client).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

_MISSING_LABELS = {'jwk': 'jwk (name: %s)', 'credential': 'credential (username: %s)'}
_PROJECT_NOT_FOUND = re.compile(r"\s*project\s*(\(.*\)\s*was not found|not found for name|'.*'\s*not found)",
                                re.IGNORECASE | re.DOTALL)


class ApinizerError(Exception):
    """Any failure talking to the API: HTTP error, connection error, timeout, bad answer.

    Carries the request line (method and path relative to /apiops) but never a body, a token
    or a password.
    """

    def __init__(self, message=None, status=None, error=None, error_description=None,
                 validation_errors=None, method=None, path=None, transient=False, hint=None,
                 reason=None):
        self.status = status
        self.error = error
        self.error_description = error_description
        self.validation_errors = validation_errors
        self.method = method
        self.path = path
        self.transient = transient
        self.hint = hint
        self.reason = reason
        self.message = message
        super(ApinizerError, self).__init__(self._render())

    def _render(self):
        parts = []
        if self.status is not None:
            text = 'HTTP %s' % self.status
            if self.error:
                text += ' %s' % self.error
            if self.error_description:
                text += ': %s' % self.error_description
            elif self.message:
                text += ': %s' % self.message
            elif self.reason:
                text += ' %s' % self.reason
            parts.append(text)
        else:
            parts.append(self.message or self.error_description or 'request failed')
        if self.validation_errors:
            details = []
            for item in self.validation_errors:
                if isinstance(item, dict):
                    field = item.get('field')
                    msg = item.get('message')
                    details.append('%s: %s' % (field, msg) if field else '%s' % msg)
                else:
                    details.append('%s' % item)
            parts.append('(validation errors: %s)' % '; '.join(details))
        if self.hint:
            parts.append('- %s' % self.hint)
        text = ' '.join(parts)
        if self.method and self.path:
            text = '%s %s: %s' % (self.method, self.path, text)
        return text

    def __str__(self):
        return self._render()

    def _text(self):
        return ('%s %s' % (self.error_description or '', self.message or '')).lower()

    def _says_not_found(self, *subjects):
        """A 400/404 whose text says 'not found' and names one of ``subjects`` (case-insensitive)."""
        text = self._text()
        return (self.status in (400, 404) and 'not found' in text
                and any(s and ('%s' % s).lower() in text for s in subjects))

    def is_missing(self, kind, name):
        """True only when the server says that *this* object is not found: 400/404 with
        'JWK (name: <name>) is not found!' (kind 'jwk') or 'Credential (username: <name>) was not
        found!' (kind 'credential'). Anything else (an unknown project in any of its documented
        spellings, a bare 404, another object) is an error, never "missing"."""
        return self._says_not_found(_MISSING_LABELS[kind] % name) and not self.is_project_not_found()

    def is_project_not_found(self):
        """The *project* is unknown (or out of reach), in each documented spelling:
        'Project(X) was not found or ...' (404), 'Project not found for name: (X)' (400) and
        "Project 'X' not found" (404)."""
        return self.status in (400, 404) and bool(_PROJECT_NOT_FOUND.match(self.error_description or ''))

    def is_already_exists(self):
        desc = (self.error_description or '').lower()
        return self.status in (400, 409) and ('already exist' in desc or self.error == 'duplicate_name')

    def is_nothing_assigned(self, username=None, project=None):
        """Removing an assignment: a 400 that names neither the credential nor the project as
        missing means "nothing assigned" (the vendor documents the status, not the text). Any
        mention of a missing credential or project (even loosely worded) is an error instead."""
        return self.status == 400 and not (
            self.is_project_not_found()
            or self._says_not_found('credential', 'project', username, project))

    def fail_kwargs(self, doing=None):
        """Keyword arguments for module.fail_json(**e.fail_kwargs()); ``doing`` prefixes msg as "<doing> failed: ..."."""
        msg = str(self) if doing is None else '%s failed: %s' % (doing, self)
        result = dict(msg=msg, status=self.status, error=self.error,
                      error_description=self.error_description)
        if self.validation_errors:
            result['validation_errors'] = self.validation_errors
        return result


class UnexpectedAnswer(ApinizerError):
    """A 2xx (or 3xx) answer the client cannot trust: 'unexpected answer from <METHOD> <path>: <detail>'."""

    def _render(self):
        return 'unexpected answer from %s %s: %s' % (self.method, self.path, self.message)
