# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ApiError: a refused request; its body is rendered in the active dialect when answered."""

from . import dialects


class ApiError(Exception):
    """status, legacy error code, text, legacy validation_errors (dropped in the current dialect).

    ``oauth``: the token endpoint's error, ``{error, error_description}`` in both dialects.
    """

    def __init__(self, status, error, description, validation_errors=None, oauth=False):
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description
        self.validation_errors = validation_errors
        self.oauth = oauth

    def body(self, dialect=dialects.LEGACY):
        return dialects.error_body(dialects.LEGACY if self.oauth else dialect, self.error, self.description,
                                   self.validation_errors)


def bad_request(text):
    return ApiError(400, 'bad_request', text)


def not_found(text):
    """A path nobody serves: 404 in both dialects."""
    return ApiError(404, 'not_found', text)


def validation_failed(problems):
    """problems: ['field: message', ...] -> 400 validation_failed naming every problem."""
    errors = []
    for p in problems:
        field, _, message = p.partition(': ')
        errors.append({'field': field, 'message': message})
    return ApiError(400, 'validation_failed', 'Validation failed: ' + '; '.join(problems), errors)
