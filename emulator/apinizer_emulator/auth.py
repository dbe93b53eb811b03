# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bearer tokens: checking them on every /apiops call, and POST /apiops/auth/token.

The token endpoint answers in the OAuth form ``{error, error_description}`` in both dialects
(authentication.mdx). Other 401s: current ``{"status": "FAILURE", "resultMessage": <one of the
three texts of error-handling.mdx>}``; legacy ``invalid_token``.
"""

import secrets
from urllib.parse import parse_qs

from . import dialects
from .errors import ApiError


def authenticate(state, headers):
    auth = headers.get('Authorization')
    scheme, _, token = (auth or '').partition(' ')
    token = token.strip()
    with state.lock:
        if scheme.lower() == 'bearer' and token in state.tokens:
            return
        expired = scheme.lower() == 'bearer' and token in state.expired_tokens
        current = state.dialect == dialects.CURRENT
    if not current:
        raise ApiError(401, 'invalid_token', 'Invalid token' if auth else 'Missing bearer token')
    if auth is None:
        raise ApiError(401, 'invalid_token', dialects.EMPTY_KEY)
    raise ApiError(401, 'invalid_token', dialects.TOKEN_EXPIRED if expired else dialects.TOKEN_NOT_VALID)


def token_endpoint(state, method, raw_body):
    if method != 'POST':
        raise ApiError(405, 'method_not_allowed', 'Use POST for /apiops/auth/token', oauth=True)
    form = {k: v[0] for k, v in parse_qs(raw_body.decode('utf-8', 'replace'), keep_blank_values=True).items()}
    with state.lock:
        current = state.dialect == dialects.CURRENT
        if form.get('grant_type') != 'client_credentials':
            # The OAuth code for it (RFC 6749 5.2); the legacy emulator answered bad_request.
            raise ApiError(400, 'unsupported_grant_type' if current else 'bad_request',
                           'grant_type must be client_credentials', oauth=True)
        user, pw = form.get('client_id'), form.get('client_secret')
        if not user or state.users.get(user) != pw:
            raise ApiError(401, 'unauthorized_client', 'Bad credentials' if current else 'Invalid client credentials',
                           oauth=True)
        token = secrets.token_urlsafe(24)
        state.tokens.add(token)
    return 200, {'access_token': token, 'token_type': 'Bearer', 'expires_in': 3600}, {}
