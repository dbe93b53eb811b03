# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the request log keeps of a body: parsed JSON or form, secrets masked."""

import json
from urllib.parse import parse_qs

SECRET_FIELDS = ('client_secret', 'password', 'access_token')


def mask(value):
    if isinstance(value, dict):
        return {k: ('********' if k in SECRET_FIELDS and v is not None else mask(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v) for v in value]
    return value


def log_body(headers, raw):
    if not raw:
        return None
    ctype = (headers.get('Content-Type') or '').split(';')[0].strip().lower()
    text = raw.decode('utf-8', 'replace')
    if ctype == 'application/x-www-form-urlencoded':
        return mask({k: v[0] if len(v) == 1 else v for k, v in parse_qs(text, keep_blank_values=True).items()})
    try:
        return mask(json.loads(text))
    except ValueError:
        return None
