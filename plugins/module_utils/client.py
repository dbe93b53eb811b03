# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one client for the Apinizer Management API (``{apinizer_url}/apiops``).

Everything that talks HTTP lives here: connection options, authentication, retries, error
mapping, endpoint paths and deployment-result parsing. Modules only call the methods below.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import email.utils
import json
import math
import os
import re
import time
import traceback
import warnings

try:
    from urllib.parse import quote, quote_plus
except ImportError:  # pragma: no cover - Python 2 controller/targets are not supported
    from urllib import quote, quote_plus  # type: ignore

from ansible.module_utils.basic import env_fallback, missing_required_lib

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    HAS_REQUESTS = True
except ImportError:  # pragma: no cover - exercised by from_module only
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

# What a failed send can raise: requests' own exceptions, plus OSError for socket-level failures
# (and the "could not find a suitable TLS CA certificate bundle" error for a bad ca_path).
_TRANSPORT_ERRORS = (requests.exceptions.RequestException, OSError) if HAS_REQUESTS else (OSError,)


# --------------------------------------------------------------------------------------------
# Connection options
# --------------------------------------------------------------------------------------------

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

API_PREFIX = '/apiops'
MASK = '********'

# A server error may repeat the request it failed on (a careless one does). Whatever the client
# sent that is secret must then be masked too: private JWK members (RFC 7518 section 6), values
# of password/secret/token members, and PEM private keys (also masked whenever they appear).
_PRIVATE_JWK_MEMBERS = frozenset(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'])
_SECRET_NAME = re.compile(r'password|secret|token', re.IGNORECASE)
_PEM_PRIVATE_KEY = re.compile(r'-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?-----END [A-Z0-9 ]*PRIVATE KEY-----',
                              re.DOTALL)
# Shorter values (an empty or one-letter member) would mask ordinary words.
_MIN_SECRET_LENGTH = 6

# Backoff: base * 2**n seconds, at most BACKOFF_CAP; a server-supplied Retry-After/retry_after
# is honoured up to RETRY_AFTER_CAP so a misbehaving server cannot park a play for hours.
BACKOFF_BASE = 0.5
BACKOFF_CAP = 10.0
RETRY_AFTER_CAP = 30.0
TRANSIENT_STATUSES = frozenset((429, 502, 503, 504))
RETRIED_METHODS = frozenset(('GET', 'PUT', 'DELETE'))
PURPOSES = ('validation', 'encryption')


def connection_argument_spec(**extra):
    """Return a fresh copy of CONNECTION_ARGSPEC updated with the module's own options."""
    spec = copy.deepcopy(CONNECTION_ARGSPEC)
    spec.update(extra)
    return spec


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# Deployment results
# --------------------------------------------------------------------------------------------

def parse_deployment(body):
    """Turn a write answer into ``[{'environment', 'success', 'message'}]``.

    A deploymentResult that failed without naming any environment still yields one failed
    entry (environment None) so that deployment_failed() never reports a failure as success.
    """
    if not isinstance(body, dict):
        return []
    result = body.get('deploymentResult')
    if not isinstance(result, dict):
        return []
    entries = []
    for env in result.get('environmentResults') or []:
        if not isinstance(env, dict):
            continue
        entries.append(dict(
            environment=env.get('environmentName'),
            success=bool(env.get('success')),
            message=env.get('message'),
        ))
    if not entries and result.get('success') is False:
        entries.append(dict(environment=None, success=False, message=result.get('message')))
    return entries


def deployment_failed(deployment):
    """The entries of a parsed deployment that failed."""
    return [entry for entry in deployment or [] if not entry.get('success')]


# --------------------------------------------------------------------------------------------
# Reporting to the module
# --------------------------------------------------------------------------------------------

def warn_retries(module, client):
    """Warn with the number of transient failures the client retried, if any."""
    warning = client.retry_warning()
    if warning:
        module.warn(warning)


def fail_module(module, client, result=None, **failure):
    """module.fail_json with the result so far and ``failure`` (msg, ...) over it, after warn_retries."""
    warn_retries(module, client)
    failed = dict(result or {})
    failed.update(failure)
    module.fail_json(**failed)


def _variants(secrets):
    """Each secret as sent and as a server may repeat it: JSON-escaped and form/URL-encoded."""
    out = set()
    for secret in secrets:
        if not secret:
            continue
        out.add(secret)
        out.add(json.dumps(secret)[1:-1])
        out.add(quote_plus(secret))
        out.add(quote(secret, safe=''))
    out.discard('')
    return out


def _collect_secrets(value, secret, out):
    if isinstance(value, dict):
        for key, item in value.items():
            key = '%s' % key
            _collect_secrets(item, secret or key in _PRIVATE_JWK_MEMBERS or bool(_SECRET_NAME.search(key)), out)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _collect_secrets(item, secret, out)
    elif isinstance(value, str):
        if secret or 'PRIVATE KEY' in value:
            if len(value) >= _MIN_SECRET_LENGTH:
                out.add(value)
        elif value.lstrip().startswith('{'):
            # A JWK passed as a JSON string (jwkStr): its private members are secrets too.
            try:
                parsed = json.loads(value)
            except ValueError:
                return
            _collect_secrets(parsed, False, out)


def request_secrets(json_body=None, form=None):
    """The secrets a request body carries, with their escaped forms, for ApinizerClient.mask()."""
    found = set()
    _collect_secrets(json_body, False, found)
    _collect_secrets(form, False, found)
    return frozenset(_variants(found))


# --------------------------------------------------------------------------------------------
# The client
# --------------------------------------------------------------------------------------------

class _Landed(object):
    """Marker: a POST whose answer was lost but that landed (verified by the caller)."""


LANDED = _Landed()


def _quote(value):
    return quote('%s' % value, safe='')


def _parse_retry_after(value):
    """Seconds from a Retry-After header (delta-seconds or HTTP-date) or a retry_after body."""
    if value is None or isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        try:
            when = email.utils.parsedate_to_datetime('%s' % value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - time.time()
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)


class ApinizerClient(object):
    """A session against one Apinizer manager. One instance per module run."""

    def __init__(self, url, token=None, username=None, password=None, validate_certs=True,
                 ca_path=None, timeout=30, retries=3, sleep=time.sleep, session=None):
        if not url:
            raise ValueError('apinizer_url is required')
        if token and username:
            raise ValueError('apinizer_token and apinizer_username are mutually exclusive')
        if not token and not (username and password):
            raise ValueError('either apinizer_token or apinizer_username and apinizer_password are required')
        base = url.rstrip('/')
        # Accept a URL that already ends with /apiops rather than call /apiops/apiops.
        if not base.endswith(API_PREFIX):
            base += API_PREFIX
        self.base_url = base
        self.username = username
        self._token = token or None
        self._password = password
        self._secrets = set(s for s in (token, password) if s)
        self.validate_certs = validate_certs
        self.ca_path = ca_path
        # An explicit validate_certs=false wins over a (possibly inherited) CA bundle.
        self.verify = (ca_path or True) if validate_certs else False
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self._sleep = sleep
        if session is None:
            if not HAS_REQUESTS:
                raise ImportError('the requests library is required')
            session = requests.Session()
        self.session = session
        self.project = None
        self.request_count = 0
        self.retries_used = 0
        self.sleeps = []  # every backoff delay chosen, in order (0 included); for tests and debugging

    # ---- construction from a module -------------------------------------------------------

    @classmethod
    def from_module(cls, module, **kwargs):
        """Build a client from a module's connection options (fails the module on bad input)."""
        if not HAS_REQUESTS and 'session' not in kwargs:
            module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
        params = module.params
        url = params.get('apinizer_url')
        if not url:
            module.fail_json(msg='apinizer_url is required: set the apinizer_url option or the '
                                 'APINIZER_URL environment variable to the manager base URL '
                                 '(for example https://apinizer.example.com).')
        if not (url.startswith('http://') or url.startswith('https://')):
            module.fail_json(msg='apinizer_url must start with http:// or https://, got %r.' % url)
        project = params.get('project')
        if not project:
            module.fail_json(msg='project is required: set the project option or the '
                                 'APINIZER_PROJECT environment variable.')
        token, username, password, _source = resolve_credentials(params, os.environ, module.fail_json)
        for secret in (token, password):
            if secret:
                # Env-supplied secrets bypass the argspec's no_log; register them by hand so
                # AnsibleModule masks them in any result, warning or failure message.
                module.no_log_values.add(secret)
        timeout = params.get('timeout')
        if timeout is None:
            timeout = 30
        if timeout <= 0:
            module.fail_json(msg='timeout must be a positive number of seconds, got %s.' % timeout)
        retries = params.get('retries')
        if retries is None:
            retries = 3
        if retries < 0:
            module.fail_json(msg='retries must be 0 or more, got %s.' % retries)
        validate_certs = params.get('validate_certs')
        if validate_certs is None:
            validate_certs = True
        ca_path = params.get('ca_path')
        if ca_path and validate_certs and not os.path.exists(ca_path):
            module.fail_json(msg='ca_path %s does not exist.' % ca_path)
        if not validate_certs:
            module.warn('validate_certs is false: the TLS certificate of %s is not verified%s. '
                        'Use ca_path to trust a private CA instead.'
                        % (url, ' (ca_path is ignored)' if ca_path else ''))
        client = cls(url, token=token, username=username, password=password,
                     validate_certs=validate_certs, ca_path=ca_path, timeout=timeout,
                     retries=retries, **kwargs)
        client.project = project
        return client

    # ---- helpers for modules ----------------------------------------------------------------

    def retry_warning(self):
        """The warning a module should emit when transient failures were retried, or None."""
        if not self.retries_used:
            return None
        return '%d transient failure%s %s retried' % (
            self.retries_used, '' if self.retries_used == 1 else 's',
            'was' if self.retries_used == 1 else 'were')

    def mask(self, text, extra=()):
        """Replace every secret this client knows (token, password), every secret in ``extra``
        (see request_secrets) and every PEM private key in text with ********."""
        if text is None or not isinstance(text, str):
            return text
        for secret in sorted(_variants(self._secrets) | set(extra), key=len, reverse=True):
            if secret and secret in text:
                text = text.replace(secret, MASK)
        return _PEM_PRIVATE_KEY.sub(MASK, text)

    def _mask_value(self, value, extra=()):
        """mask() applied to every string of a JSON value (dicts and lists at any depth)."""
        if isinstance(value, str):
            return self.mask(value, extra)
        if isinstance(value, dict):
            return dict((k, self._mask_value(v, extra)) for k, v in value.items())
        if isinstance(value, list):
            return [self._mask_value(v, extra) for v in value]
        return value

    def _project(self, project):
        project = project or self.project
        if not project:
            raise ValueError('project is required')
        return project

    # ---- HTTP -------------------------------------------------------------------------------

    def _headers(self, json_body, auth):
        headers = {'Accept': 'application/json'}
        if json_body:
            headers['Content-Type'] = 'application/json'
        if auth:
            headers['Authorization'] = 'Bearer %s' % self._ensure_token()
        return headers

    def _ensure_token(self):
        if self._token is None:
            self._exchange_token()
        return self._token

    def _exchange_token(self):
        form = dict(grant_type='client_credentials', client_id=self.username,
                    client_secret=self._password)
        try:
            # Exchanging credentials creates nothing, so a transient failure may be re-sent.
            body = self._request('POST', '/auth/token', form=form, auth=False, resend_post=True)
        except ApinizerError as e:
            if e.status in (400, 401, 403):
                e.hint = ('check apinizer_username/apinizer_password '
                          '(APINIZER_USERNAME/APINIZER_PASSWORD)')
            raise
        token = body.get('access_token') if isinstance(body, dict) else None
        if not token:
            raise ApinizerError('the token endpoint answered without an access_token',
                                method='POST', path='/auth/token')
        self._token = token
        self._secrets.add(token)

    def _send(self, method, path, json_body, form, auth):
        headers = self._headers(json_body is not None, auth)
        kwargs = dict(headers=headers, timeout=self.timeout, verify=self.verify)
        if json_body is not None:
            kwargs['json'] = json_body
        if form is not None:
            kwargs['data'] = form
        self.request_count += 1
        if self.verify is False:
            # The module already warned once that certificates are not verified; urllib3's
            # per-request InsecureRequestWarning would only spam stderr.
            with warnings.catch_warnings():
                warnings.filterwarnings('ignore', message='Unverified HTTPS request')
                return self.session.request(method, self.base_url + path, **kwargs)
        return self.session.request(method, self.base_url + path, **kwargs)

    def _exception_error(self, exc, method, path, extra=()):
        """Map a requests exception to ApinizerError (no URL userinfo, no body, masked)."""
        name = type(exc).__name__
        if HAS_REQUESTS and isinstance(exc, requests.exceptions.SSLError):
            return ApinizerError(
                'TLS error (%s): %s' % (name, self._short(exc, extra=extra)), method=method, path=path,
                hint='set ca_path (APINIZER_CA_PATH) to the CA bundle that signed the server '
                     'certificate, or validate_certs=false for a trusted test server')
        if HAS_REQUESTS and isinstance(exc, requests.exceptions.Timeout):
            return ApinizerError('timed out after %s s (%s)' % (self.timeout, name),
                                 method=method, path=path, transient=True)
        transient_types = (requests.exceptions.ConnectionError,
                           requests.exceptions.ChunkedEncodingError) if HAS_REQUESTS else ()
        if isinstance(exc, transient_types) or isinstance(exc, (ConnectionError, TimeoutError)):
            return ApinizerError('connection error (%s): %s' % (name, self._short(exc, extra=extra)),
                                 method=method, path=path, transient=True)
        return ApinizerError('request failed (%s): %s' % (name, self._short(exc, extra=extra)),
                             method=method, path=path)

    def _short(self, exc, limit=300, extra=()):
        # requests wraps urllib3's MaxRetryError, whose text repeats the whole URL; its
        # ``reason`` is the part a user needs ("Connection refused", "certificate verify failed").
        inner = exc.args[0] if getattr(exc, 'args', None) else None
        reason = getattr(inner, 'reason', None)
        text = self.mask('%s' % (reason if reason is not None else exc), extra)
        return text if len(text) <= limit else text[:limit] + '...'

    def _response_error(self, resp, method, path, extra=()):
        status = resp.status_code
        body = None
        try:
            body = resp.json()
        except ValueError:
            body = None
        error = description = validation = retry_after_body = None
        if isinstance(body, dict):
            error = body.get('error')
            description = body.get('error_description')
            validation = body.get('validation_errors')
            retry_after_body = body.get('retry_after')
            # Only these members are kept (a `request` echo or anything else is dropped), each
            # masked, at any depth, with the secrets of the request that failed.
            error = self.mask(error, extra) if isinstance(error, str) else None
            description = self.mask(description, extra) if isinstance(description, str) else (
                None if description is None else self.mask('%s' % description, extra))
            if isinstance(validation, list):
                validation = [
                    self._mask_value(item, extra) if isinstance(item, dict) else self.mask('%s' % item, extra)
                    for item in validation]
            else:
                validation = None
        hint = None
        if status == 401:
            if self.username:
                hint = ('the token obtained for apinizer_username was rejected: check '
                        'apinizer_username/apinizer_password (APINIZER_USERNAME/APINIZER_PASSWORD)')
            else:
                hint = 'check apinizer_token (APINIZER_TOKEN): the token is invalid or expired'
        err = ApinizerError(
            status=status, error=error, error_description=description,
            validation_errors=validation, method=method, path=path,
            transient=status in TRANSIENT_STATUSES, hint=hint,
            reason=self.mask(getattr(resp, 'reason', None) or '', extra) or None)
        header = None
        headers = getattr(resp, 'headers', None) or {}
        try:
            header = headers.get('Retry-After')
        except AttributeError:
            header = None
        err.retry_after = _parse_retry_after(header)
        if err.retry_after is None:
            err.retry_after = _parse_retry_after(retry_after_body)
        return err

    def _delay(self, retry_index, err):
        retry_after = getattr(err, 'retry_after', None)
        if retry_after is not None:
            return min(retry_after, RETRY_AFTER_CAP)
        return min(BACKOFF_BASE * (2 ** retry_index), BACKOFF_CAP)

    def _wait(self, seconds):
        self.sleeps.append(seconds)
        if seconds > 0:
            self._sleep(seconds)

    def _request(self, method, path, body=None, form=None, auth=True, landed=None,
                 resend_post=False, gone=None):
        """Send one logical request with retries. Returns the parsed JSON body, or LANDED.

        GET/PUT/DELETE are retried on transient failures. A POST is re-sent only when
        ``resend_post`` (it creates nothing) or when ``landed()`` says the lost write did not
        land; without ``landed`` a transient POST failure is raised. ``gone(err)`` tells whether
        an error answered to a *retried* DELETE means that an earlier attempt already landed.
        """
        attempt = 0
        extra = request_secrets(body, form)
        while True:
            err = None
            try:
                resp = self._send(method, path, body, form, auth)
            except _TRANSPORT_ERRORS as exc:
                err = self._exception_error(exc, method, path, extra)
            else:
                if resp.status_code < 400:
                    return self._parse_success(resp, method, path, extra)
                err = self._response_error(resp, method, path, extra)

            if attempt > 0:
                # A retried DELETE answering "not found" means an earlier attempt landed.
                if gone is not None and not err.transient and gone(err):
                    return LANDED
                # A re-sent POST answering "already exists": the earlier attempt landed late.
                if landed is not None and err.is_already_exists() and landed():
                    return LANDED
            if not err.transient:
                raise err
            last = attempt >= self.retries
            if method == 'POST' and not resend_post:
                if landed is None:
                    raise err
                if not last:
                    self._wait(self._delay(attempt, err))
                if landed():
                    return LANDED
                if last:
                    raise err
            elif method in RETRIED_METHODS or resend_post:
                if last:
                    raise err
                self._wait(self._delay(attempt, err))
            else:
                raise err
            attempt += 1
            self.retries_used += 1

    def _parse_success(self, resp, method, path, extra=()):
        if resp.status_code == 204 or not resp.content:
            return {}
        try:
            body = resp.json()
        except ValueError:
            raise ApinizerError('HTTP %s with a body that is not JSON' % resp.status_code,
                                method=method, path=path)
        if isinstance(body, dict) and body.get('success') is False and body.get('error'):
            raise ApinizerError(status=resp.status_code, error=self.mask(body.get('error'), extra),
                                error_description=self.mask(body.get('error_description'), extra),
                                method=method, path=path)
        return body

    @staticmethod
    def _result_list(body):
        if isinstance(body, dict):
            items = body.get('resultList')
            if isinstance(items, list):
                return items
        return []

    @staticmethod
    def _deployment(body):
        if body is LANDED:
            return []
        return parse_deployment(body)

    # ---- JWKs -------------------------------------------------------------------------------

    def _jwks_path(self, project):
        return '/projects/%s/jwks/' % _quote(self._project(project))

    def list_jwks(self, project=None):
        return self._result_list(self._request('GET', self._jwks_path(project)))

    def get_jwk(self, name, project=None):
        path = self._jwks_path(project) + '%s/' % _quote(name)
        try:
            body = self._request('GET', path)
        except ApinizerError as e:
            if e.is_not_found() and not e.is_project_not_found():
                return None
            raise
        items = self._result_list(body)
        return items[0] if items else None

    def create_jwk(self, body, project=None, landed=None):
        return self._deployment(self._request('POST', self._jwks_path(project), body=body,
                                              landed=landed))

    def generate_jwk(self, body, project=None, landed=None):
        return self._deployment(self._request('POST', self._jwks_path(project) + 'generate',
                                              body=body, landed=landed))

    def update_jwk(self, name, body, project=None):
        path = self._jwks_path(project) + '%s/' % _quote(name)
        return self._deployment(self._request('PUT', path, body=body))

    def delete_jwk(self, name, project=None):
        path = self._jwks_path(project) + '%s/' % _quote(name)
        return self._deployment(self._request('DELETE', path, gone=_jwk_gone))

    # ---- credentials ------------------------------------------------------------------------

    def _credentials_path(self, project):
        return '/projects/%s/credentials/' % _quote(self._project(project))

    @staticmethod
    def _purpose(purpose):
        if purpose not in PURPOSES:
            raise ValueError('purpose must be one of %s, got %r' % (', '.join(PURPOSES), purpose))
        return purpose

    def list_credentials(self, project=None):
        return self._result_list(self._request('GET', self._credentials_path(project)))

    def assign_credential_jwk(self, username, purpose, jwk_name, project=None):
        path = self._credentials_path(project) + '%s/jwk/%s/%s/' % (
            _quote(username), self._purpose(purpose), _quote(jwk_name))
        return self._deployment(self._request('PUT', path))

    def remove_credential_jwk(self, username, purpose, project=None):
        path = self._credentials_path(project) + '%s/jwk/%s/' % (
            _quote(username), self._purpose(purpose))
        return self._deployment(self._request('DELETE', path, gone=_assignment_gone))


def _jwk_gone(err):
    return err.is_not_found() and not err.is_project_not_found()


def _assignment_gone(err):
    # The API answers 400 (with no documented text) when the assignment does not exist.
    return err.status == 400 or _jwk_gone(err)


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
