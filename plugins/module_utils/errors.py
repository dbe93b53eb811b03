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

    def is_not_found(self):
        """True for 404, or for the API's 400 'JWK (name: x) is not found!' style answers."""
        if self.status == 404:
            return True
        return self.status == 400 and 'not found' in (self.error_description or '').lower()

    def is_project_not_found(self):
        """True when the *project* is unknown (or not accessible), not the named object."""
        desc = self.error_description or ''
        return self.status in (400, 404) and desc.startswith('Project(') and 'not found' in desc

    def is_already_exists(self):
        desc = (self.error_description or '').lower()
        return self.status in (400, 409) and ('already exist' in desc or self.error == 'duplicate_name')

    def is_nothing_assigned(self):
        """True for the documented 400 of removing a credential's JWK assignment that does not exist."""
        return self.status == 400 and 'no jwk is assigned' in (self.error_description or '').lower()

    def fail_kwargs(self, doing=None):
        """Keyword arguments for module.fail_json(**e.fail_kwargs()); ``doing`` prefixes msg as "<doing> failed: ..."."""
        msg = str(self) if doing is None else '%s failed: %s' % (doing, self)
        result = dict(msg=msg, status=self.status, error=self.error,
                      error_description=self.error_description)
        if self.validation_errors:
            result['validation_errors'] = self.validation_errors
        return result
