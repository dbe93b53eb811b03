# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Errors: ApinizerError, the one exception for any failure talking to the API.

Owns how a failure reads (the request line, the HTTP status, the server's text, the hint) and
the inferences drawn from a failure: "this JWK/credential is missing", "it already exists",
"nothing is assigned", "the project is unknown". Each inference holds only when the server's
text is one of the texts listed here (the tables below name the vendor page each comes from;
docs/api-contract.md explains them): any other text, an empty or unreadable body, or another
status is an error, never a conclusion. Whatever text it carries was masked before it got here
(masking.py, by the client).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

# "{0}" is the name the task asked about: the text must name exactly that object.
# Source: both reference sets (Get/Delete/Update JWK, set/remove credential JWK pages).
MISSING_TEXTS = {
    'jwk': ('JWK (name: {0}) is not found!',
            'JWK (name: {0}) is not found! Try create operation.'),  # update-jwk
    'credential': ('Credential (username: {0}) was not found!',),
}
# Source: create-jwk, generate-jwk, update-jwk (both reference sets).
ALREADY_EXISTS_TEXTS = {
    'jwk': ('JWK (name: {0}) is already exist!',
            'JWK (name: {0}) is already exist! Try update operation if want to change its value.'),
}
# Source: export-jwk-file (current reference).
NO_KEY_MATERIAL_TEXTS = {'jwk': ('JWK (name: {0}) carries no key material to export!',)}
# Removing a credential's JWK when none is assigned: the vendor documents no text for it. This is
# the one text this collection accepts as saying so (the emulator's; an assumption, see
# docs/api-contract.md): any other answer, a permission refusal included, is an error.
NOTHING_ASSIGNED_TEXTS = ('No JWK is assigned to credential (username: {0}) for {1}!',)

# The seven documented spellings of an unknown (or unreachable) project, and where each is shown.
# "(?P<project>...)" is the project's name.
PROJECT_NOT_FOUND_TEXTS = (
    (r'Project\((?P<project>.*)\) was not found or user does not have privilege to access it!',
     'apinizer/management-api-docs: 02-api-reference/04-api-proxies/import-export/export-api-proxy.md; '
     'apinizer/docs: api-reference/api-proxy-groups/crud/list-api-proxy-groups.mdx'),
    (r'Project \((?P<project>.*)\) is not found or user does not have privilege to access it!',
     'apinizer/docs: api-reference/environments/get-environments-by-project.mdx; '
     'apinizer/management-api-docs: 02-api-reference/04-api-proxies/crud/delete-api-proxy.md'),
    (r"Project '(?P<project>.*)' not found",
     'apinizer/management-api-docs: 01-getting-started/error-handling.md'),
    (r'Project not found for name: \((?P<project>.*)\)( or user has not privilege to access it!)?',
     'apinizer/management-api-docs: 02-api-reference/03-environments/get-environments-by-project.md'),
    (r'Project \(name: (?P<project>.*)\) was not found!',
     'apinizer/docs: api-reference/knowledge-bases/list-knowledge-bases.mdx'),
    (r'Project \((?P<project>.*)\) is not found!',
     'apinizer/docs: api-reference/getting-started/error-handling.mdx'),
    (r'Project with name \((?P<project>.*)\) is not found!',
     'apinizer/docs: api-reference/ai-budgets/get-budget-hierarchy.mdx'),
)
_PROJECT_NOT_FOUND = tuple(re.compile(pattern, re.DOTALL) for pattern, unused in PROJECT_NOT_FOUND_TEXTS)
# Source: docs api-reference/getting-started/error-handling.mdx (400).
PERMISSION_TEXT = 'User does not have required permission for this operation!'


def _says(text, templates, *names):
    """True when ``text`` is exactly one of ``templates`` filled with ``names``."""
    if not isinstance(text, str):
        return False
    text = text.strip()
    return any(text == template.format(*names) for template in templates)


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

    def is_missing(self, kind, name):
        """True only when the server says that *this* object is not found (400 or 404 with one of
        MISSING_TEXTS for ``name``). Anything else (an unknown project, a permission refusal, a bare
        404, an empty or unreadable body, another object) is an error, never "missing"."""
        return self.status in (400, 404) and _says(self.error_description, MISSING_TEXTS[kind], name)

    def is_project_not_found(self):
        """The *project* is unknown (or out of reach), in any of the seven documented spellings."""
        text = (self.error_description or '').strip()
        return self.status in (400, 404) and any(p.fullmatch(text) for p in _PROJECT_NOT_FOUND)

    def is_permission_refused(self):
        return self.status in (400, 403) and (self.error_description or '').strip() == PERMISSION_TEXT

    def is_already_exists(self, kind, name):
        """True only when the server says that *this* object already exists (ALREADY_EXISTS_TEXTS,
        or the older reference's 409 ``duplicate_name``)."""
        return ((self.status in (400, 409) and _says(self.error_description, ALREADY_EXISTS_TEXTS[kind], name))
                or (self.status == 409 and self.error == 'duplicate_name'))

    def is_no_key_material(self, kind, name):
        """export-file: the server says *this* JWK has no key material to export."""
        return self.status == 400 and _says(self.error_description, NO_KEY_MATERIAL_TEXTS[kind], name)

    def is_nothing_assigned(self, username, purpose):
        """Removing an assignment: True only for a 400 whose text says that nothing is assigned to
        *this* credential for *this* purpose (NOTHING_ASSIGNED_TEXTS). A permission refusal, an
        unknown credential or project, any other text and an empty body are errors."""
        return self.status == 400 and _says(self.error_description, NOTHING_ASSIGNED_TEXTS, username, purpose)

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
