# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Connection options: the argument spec every API module merges, and how credentials are chosen.

Owns CONNECTION_ARGSPEC (documented by the doc fragment apinizer.apiops.connection), the option
constraints, the environment variables, resolve_credentials(), client_settings() (the checked
keyword arguments of an ApinizerClient, from a module's options) and url_secrets() (the userinfo of
a URL, registered as no_log before the URL is refused), token_problem() (a token an HTTP header
cannot carry fails before any request) and no_netrc (the requests ``auth`` that keeps ~/.netrc out).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import ipaddress
import os

import re

try:
    from urllib.parse import unquote, urlsplit
except ImportError:  # pragma: no cover - Python 2 controller/targets are not supported
    from urllib import unquote  # type: ignore
    from urlparse import urlsplit  # type: ignore

from ansible.module_utils.basic import env_fallback

# The credentials deliberately carry no ``fallback``: ansible applies fallbacks *before* it
# checks mutually_exclusive/required_together, so an exported APINIZER_TOKEN would make a task
# that sets apinizer_username/apinizer_password fail, and an exported APINIZER_PASSWORD would
# break every token-based task. ApinizerClient.from_module() reads the environment for them
# instead, only when the task sets none of the three (an explicit task option always wins).
CONNECTION_ARGSPEC = dict(
    apinizer_url=dict(type='str', fallback=(env_fallback, ['APINIZER_URL'])),
    apinizer_token=dict(type='str', no_log=True),
    apinizer_username=dict(type='str'),
    apinizer_password=dict(type='str', no_log=True),
    project=dict(type='str', fallback=(env_fallback, ['APINIZER_PROJECT'])),
    validate_certs=dict(type='bool', default=True, fallback=(env_fallback, ['APINIZER_VALIDATE_CERTS'])),
    ca_path=dict(type='path', fallback=(env_fallback, ['APINIZER_CA_PATH'])),
    timeout=dict(type='float', default=30),
    retries=dict(type='int', default=3),
)

CONNECTION_MUTUALLY_EXCLUSIVE = [('apinizer_token', 'apinizer_username')]
CONNECTION_REQUIRED_TOGETHER = [('apinizer_username', 'apinizer_password')]

ENV_VARS = dict(
    apinizer_url='APINIZER_URL',
    apinizer_token='APINIZER_TOKEN',
    apinizer_username='APINIZER_USERNAME',
    apinizer_password='APINIZER_PASSWORD',
    project='APINIZER_PROJECT',
    validate_certs='APINIZER_VALIDATE_CERTS',
    ca_path='APINIZER_CA_PATH',
)


def connection_argument_spec(**extra):
    """Return a fresh copy of CONNECTION_ARGSPEC updated with the module's own options."""
    spec = copy.deepcopy(CONNECTION_ARGSPEC)
    spec.update(extra)
    return spec


def resolve_credentials(params, environ, fail):
    """Pick the credentials: task options first, then APINIZER_TOKEN, then USERNAME/PASSWORD.

    Returns (token, username, password, source). Calls ``fail(msg=...)`` on a conflict or when
    nothing is set. Empty environment variables count as unset.
    """
    token = params.get('apinizer_token')
    username = params.get('apinizer_username')
    password = params.get('apinizer_password')
    if token or username or password:
        # AnsibleModule already enforces the pairings on task options; repeat them for clarity
        # when the client is built from a partially filled params dict.
        if token and (username or password):
            fail(msg='apinizer_token and apinizer_username/apinizer_password are mutually '
                     'exclusive: set only one way of authenticating.')
        if not token and not (username and password):
            fail(msg='apinizer_username and apinizer_password must be set together.')
        return token, username, password, 'task'
    env_token = environ.get('APINIZER_TOKEN') or None
    env_username = environ.get('APINIZER_USERNAME') or None
    env_password = environ.get('APINIZER_PASSWORD') or None
    if env_token and env_username:
        fail(msg='Both APINIZER_TOKEN and APINIZER_USERNAME are set in the environment: unset one, '
                 'or set apinizer_token or apinizer_username/apinizer_password on the task.')
    if env_token:
        return env_token, None, None, 'env'
    if env_username and env_password:
        return None, env_username, env_password, 'env'
    if env_username or env_password:
        fail(msg='APINIZER_USERNAME and APINIZER_PASSWORD must be set together.')
    fail(msg='No credentials: set apinizer_token (or the APINIZER_TOKEN environment variable), '
             'or apinizer_username and apinizer_password (APINIZER_USERNAME/APINIZER_PASSWORD).')
    return None, None, None, None


def no_netrc(request):
    """requests' ``auth`` for every request of the client: the request as the client built it (its
    Bearer header, or none for the token exchange).

    Given an ``auth``, requests never reads ``~/.netrc`` (or ``$NETRC``), whose entry for the
    manager's host would replace the Bearer token with another service's password, and send that
    password to the manager. The session still trusts the environment for proxies and CA bundles.
    """
    return request


def token_problem(token):
    """Why ``token`` cannot be sent as a Bearer token in an HTTP header, or None. Never repeats it.

    Tokens are visible ASCII (RFC 6750's b64token is a subset); anything else is a copy-and-paste
    accident (a typographic quote, a line break) that the HTTP library would refuse mid-request.
    """
    if token is None:
        return None
    for position, char in enumerate(token):
        if not '\x21' <= char <= '\x7e':
            return ('holds a character an HTTP header cannot carry (U+%04X at position %d): check that the '
                    'whole token, and nothing else, was copied' % (ord(char), position))
    return None


def url_secrets(url):
    """What a URL carries before its host (user:password@) that must never be printed: the password
    (or, without one, the user part, which may be a token) and the whole userinfo, as written and
    percent-decoded. Read by hand: urlsplit refuses some URLs that still reach the output."""
    if not isinstance(url, str):
        return set()
    authority = re.split(r'[/?#]', url.split('://', 1)[-1], maxsplit=1)[0]
    if '@' not in authority:
        return set()
    userinfo = authority.rsplit('@', 1)[0]
    user, colon, password = userinfo.partition(':')
    secret = password if colon and password else user
    return set(v for v in (secret, unquote(secret), userinfo, unquote(userinfo)) if v)


def url_problem(url):
    """Why ``url`` cannot be the manager URL, or None. Never repeats a user name or password
    (userinfo) the URL may carry."""
    try:
        parts = urlsplit(url)
        if parts.port == 0:  # .port raises ValueError for a port that is not a number
            raise ValueError('port 0')
    except ValueError:
        return 'apinizer_url is not a valid URL (check its host and port).'
    if '@' in parts.netloc:
        return ('apinizer_url must not carry a user name or password before the host (user:password@); '
                'use apinizer_token or apinizer_username/apinizer_password.')
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        return 'apinizer_url must start with http:// or https:// and name a host, got %r.' % url
    return None


def plain_http_to_remote(url):
    """True when ``url`` is http:// to a host other than loopback (secrets would cross a network in clear)."""
    parts = urlsplit(url)
    if parts.scheme != 'http':
        return False
    host = (parts.hostname or '').lower()
    if host == 'localhost' or host.endswith('.localhost'):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def _number(params, option, default):
    value = params.get(option)
    return default if value is None else value


def client_settings(module):
    """Keyword arguments for ApinizerClient from a module's options; fails the module on bad input.

    Also registers environment-supplied secrets with no_log and warns when certificates are not
    verified.
    """
    params = module.params
    url = params.get('apinizer_url')
    if not url:
        module.fail_json(msg='apinizer_url is required: set the apinizer_url option or the '
                             'APINIZER_URL environment variable to the manager base URL '
                             '(for example https://apinizer.example.com).')
    # A refused URL is still printed at -vvv (invocation.module_args): its userinfo is no_log first.
    module.no_log_values.update(url_secrets(url))
    problem = url_problem(url)
    if problem:
        module.fail_json(msg=problem)
    if not params.get('project'):
        module.fail_json(msg='project is required: set the project option or the '
                             'APINIZER_PROJECT environment variable.')
    token, username, password, source = resolve_credentials(params, os.environ, module.fail_json)
    problem = token_problem(token)
    if problem:
        module.fail_json(msg='%s %s' % ('apinizer_token' if source == 'task' else 'APINIZER_TOKEN', problem))
    for secret in (token, password):
        if secret:
            # Env-supplied secrets bypass the argspec's no_log; register them by hand so
            # AnsibleModule masks them in any result, warning or failure message.
            module.no_log_values.add(secret)
    timeout = _number(params, 'timeout', 30)
    if timeout <= 0:
        module.fail_json(msg='timeout must be a positive number of seconds, got %s.' % timeout)
    retries = _number(params, 'retries', 3)
    if retries < 0:
        module.fail_json(msg='retries must be 0 or more, got %s.' % retries)
    validate_certs = _number(params, 'validate_certs', True)
    ca_path = params.get('ca_path')
    if ca_path and validate_certs and not os.path.exists(ca_path):
        module.fail_json(msg='ca_path %s does not exist.' % ca_path)
    if plain_http_to_remote(url):
        module.warn('apinizer_url uses plain http:// to %s: the %s is sent unencrypted. Use https://.'
                    % (urlsplit(url).hostname, 'token' if token else 'password'))
    if not validate_certs:
        module.warn('validate_certs is false: the TLS certificate of %s is not verified%s. '
                    'Use ca_path to trust a private CA instead.'
                    % (url, ' (ca_path is ignored)' if ca_path else ''))
    return dict(url=url, token=token, username=username, password=password, validate_certs=validate_certs,
                ca_path=ca_path, timeout=timeout, retries=retries)
