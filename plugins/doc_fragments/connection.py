# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    """Connection options shared by every apinizer.apiops module (apinizer.apiops.connection)."""

    DOCUMENTATION = r'''
options:
  apinizer_url:
    description:
      - Base URL of the Apinizer manager, for example C(https://apinizer.example.com).
      - The client appends C(/apiops) to reach the Management API; a URL that already ends
        with C(/apiops) is used as is.
      - If not set, the value of the E(APINIZER_URL) environment variable is used.
      - Required, either as this option or as E(APINIZER_URL).
    type: str
  apinizer_token:
    description:
      - Personal API access token, sent in the C(Authorization) header as a bearer token.
      - If the task sets none of O(apinizer_token), O(apinizer_username) and
        O(apinizer_password), the E(APINIZER_TOKEN) environment variable is used.
      - Mutually exclusive with O(apinizer_username) and O(apinizer_password). Exactly one way
        of authenticating is needed.
    type: str
  apinizer_username:
    description:
      - User name to exchange for a token, once per module run, at C(POST /apiops/auth/token).
      - Alternative to O(apinizer_token); requires O(apinizer_password).
      - If the task sets none of O(apinizer_token), O(apinizer_username) and
        O(apinizer_password), the E(APINIZER_USERNAME) environment variable is used.
      - When both E(APINIZER_TOKEN) and E(APINIZER_USERNAME) are set in the environment and
        the task sets neither, the module fails instead of guessing.
    type: str
  apinizer_password:
    description:
      - Password of O(apinizer_username).
      - If the task sets none of O(apinizer_token), O(apinizer_username) and
        O(apinizer_password), the E(APINIZER_PASSWORD) environment variable is used.
    type: str
  project:
    description:
      - Name of the Apinizer project that holds the objects.
      - If not set, the value of the E(APINIZER_PROJECT) environment variable is used.
      - Required, either as this option or as E(APINIZER_PROJECT).
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the manager.
      - Set to V(false) only for a trusted test server; the module then warns on every run.
        Prefer O(ca_path) for a private certificate authority.
      - If not set, the value of the E(APINIZER_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - Path to a PEM CA bundle used to verify the manager's TLS certificate.
      - Ignored when O(validate_certs=false).
      - If not set, the value of the E(APINIZER_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP request (connect and read) before it counts as failed.
    type: float
    default: 30
  retries:
    description:
      - How many times a request that failed transiently is retried.
      - Transient failures are connection errors, timeouts and HTTP 429, 502, 503 and 504.
      - V(0) disables retries.
    type: int
    default: 3
requirements:
  - requests
notes:
  - An explicit task option always wins over its environment variable. Connection options can
    be set once for a play with C(module_defaults) and the action group
    C(group/apinizer.apiops.apinizer).
  - Reads, updates and deletes that fail transiently are retried with exponential backoff
    (0.5 s doubling up to 10 s), honouring a C(Retry-After) header or C(retry_after) answer
    of the server up to 30 s. A create or generate request is never blindly sent twice; after
    a transient failure the module first reads the object back and only re-sends the request
    when the write did not land. The module warns when it had to retry.
  - The Management API reports a missing JWK or credential as HTTP 400 with a "not found"
    message rather than 404; the modules treat both as "absent". An unknown project is an
    error, never "absent".
  - The token, the password and request bodies never appear in results, warnings or error
    messages; an API error message that echoes the token or password shows C(********).
'''
