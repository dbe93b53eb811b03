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
      - A URL with a user name or password before the host (C(https://user:pass@host)) is refused
        without being repeated; use O(apinizer_token) or O(apinizer_username)/O(apinizer_password).
      - With C(http://) to a host other than loopback the module warns once per task that the
        token or password travels unencrypted.
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
      - Seconds each HTTP request may take as a whole before it counts as failed (connecting,
        sending, the status line and headers, and the full body). A server that sends its answer
        slowly, a byte at a time, is cut off at this deadline.
      - An answer body larger than 16 MiB is refused (the task fails) and never read whole.
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
    message rather than 404. A JWK or credential counts as absent only when the answer says
    that this JWK or credential is not found; every other 400 or 404 (an unknown project in
    any of its documented spellings, a bare 404) fails the task with the server's text.
  - Redirects are never followed; any C(3xx) answer fails the task, naming the status and the
    scheme and host of its C(Location). No request is re-sent anywhere else.
  - Answers are validated, never guessed. A C(200) with C(success) V(false), a list or read
    without a C(resultList) list of objects, and a read answered with a JWK of another name
    fail with C(unexpected answer from <method> <path>) and what was wrong.
  - JWK names, user names and project names must not be empty, C(.) or C(..), or contain a
    space (the API does not allow spaces in names); other characters are percent-encoded.
  - The token, the password and request bodies never appear in results, warnings or error
    messages. Every piece of server text (error texts, validation errors, deployment and
    environment messages) is masked first. This masks the token, the password and the
    private members of the task's keys, also JSON- or URL-escaped, and every fragment of 16
    or more characters of them, as C(********).
'''
