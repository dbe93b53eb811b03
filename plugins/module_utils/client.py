# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one client for the Apinizer Management API (``{apinizer_url}/apiops``).

Owns everything that talks HTTP: the session, authentication (token or username/password
exchange), retries with bounded backoff, mapping answers and exceptions to ApinizerError (masked
with masking.mask_text), and the endpoint paths. Modules only call the endpoint methods; a new
endpoint is one method here (path, method, how its answer reads) plus its test in test_client.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading
import time
import traceback
import warnings

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2 controller/targets are not supported
    from urllib import quote  # type: ignore

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.apinizer.apiops.plugins.module_utils.answers import (
    api_proxy_policies,
    exception_error,
    named_items,
    read_answer,
    redirect_error,
    response_error,
    public_jwk_set,
    result_list,
    result_named,
    success_body,
)
from ansible_collections.apinizer.apiops.plugins.module_utils.connection import (
    client_settings,
    no_netrc,
    token_problem,
    url_problem,
)
from ansible_collections.apinizer.apiops.plugins.module_utils.credentials import PURPOSES
from ansible_collections.apinizer.apiops.plugins.module_utils.deployment import parse_deployment
from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError, UnexpectedAnswer
from ansible_collections.apinizer.apiops.plugins.module_utils.names import path_segment
from ansible_collections.apinizer.apiops.plugins.module_utils.masking import (
    answer_secrets,
    jwk_document,
    mask_text,
    request_secrets,
    secret_variants,
)

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


API_PREFIX = '/apiops'
# Backoff: base * 2**n seconds, at most BACKOFF_CAP; a server-supplied Retry-After/retry_after
# is honoured up to RETRY_AFTER_CAP so a misbehaving server cannot park a play for hours.
BACKOFF_BASE = 0.5
BACKOFF_CAP = 10.0
RETRY_AFTER_CAP = 30.0
RETRIED_METHODS = frozenset(('GET', 'PUT', 'DELETE'))

# --------------------------------------------------------------------------------------------
# The client
# --------------------------------------------------------------------------------------------


class _Landed(object):
    """Marker: a POST whose answer was lost but that landed (verified by the caller)."""


LANDED = _Landed()


class ApinizerClient(object):
    """A session against one Apinizer manager. One instance per module run."""

    def __init__(self, url, token=None, username=None, password=None, validate_certs=True,
                 ca_path=None, timeout=30, retries=3, sleep=time.sleep, session=None):
        if not url:
            raise ValueError('apinizer_url is required')
        if url_problem(url):
            raise ValueError(url_problem(url))
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
        self.lost_answers = []  # 'POST /path' of each write that landed while its answer was lost
        self.list_dialect = None  # set by list_jwks(): 'current' or 'legacy'
        self._clock = time.monotonic

    # ---- construction from a module -------------------------------------------------------

    @classmethod
    def from_module(cls, module, **kwargs):
        """Build a client from a module's connection options (fails the module on bad input)."""
        if not HAS_REQUESTS and 'session' not in kwargs:
            module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
        settings = client_settings(module)
        settings.update(kwargs)
        client = cls(**settings)
        client.project = module.params['project']
        # What the task marked no_log (token, password, private members of its keys) is masked,
        # fragments included, in every piece of server text.
        client.add_no_log_values(module.no_log_values)
        return client

    # ---- helpers for modules ----------------------------------------------------------------

    def retry_warning(self):
        """The warning a module should emit when transient failures were retried, or None."""
        if not self.retries_used:
            return None
        return '%d transient failure%s %s retried' % (
            self.retries_used, '' if self.retries_used == 1 else 's',
            'was' if self.retries_used == 1 else 'were')

    def lost_answer_warnings(self):
        """One warning per write that landed although its answer was lost."""
        return ['The answer to %s was lost; the write landed (read back), but its deployment result '
                'is unknown: check the environments of the project.' % line for line in self.lost_answers]

    def add_no_log_values(self, values):
        """Take a module's no_log values as secrets: the strings long enough to mask, except a
        whole JWK document (its private members are registered on their own, see
        masking.jwk_document)."""
        self.add_secrets(v for v in values if isinstance(v, str) and len(v) >= 6 and not jwk_document(v))

    def add_secrets(self, values):
        """Also mask ``values`` (and their fragments) in every piece of server text."""
        self._secrets.update(v for v in values if v)

    def secrets(self, extra=()):
        """Every secret this client knows (token, password) in every escaped form, plus ``extra``
        (the request_secrets of one request): what masking.mask_text needs."""
        return secret_variants(self._secrets) | set(extra)

    def mask(self, text, extra=()):
        """masking.mask_text with self.secrets(extra)."""
        return mask_text(text, self.secrets(extra))

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
        if not token or not isinstance(token, str):
            raise ApinizerError('the token endpoint answered without an access_token',
                                method='POST', path='/auth/token')
        if token_problem(token):
            raise ApinizerError('the token endpoint answered an access_token that %s; it cannot be sent back'
                                % token_problem(token).split(':')[0], method='POST', path='/auth/token')
        self._token = token
        self._secrets.add(token)

    def _send(self, method, path, json_body, form, auth):
        """One HTTP exchange, bounded as a whole by ``timeout``; returns an answers.Answer."""
        headers = self._headers(json_body is not None, auth)
        deadline = self._clock() + self.timeout
        # Never follow a redirect (it would re-send a private key or a password elsewhere), and
        # stream the body so that the deadline and the size limit apply to it (answers.read_answer).
        kwargs = dict(headers=headers, timeout=self.timeout, verify=self.verify,
                      allow_redirects=False, stream=True, auth=no_netrc)
        if json_body is not None:
            kwargs['json'] = json_body
        if form is not None:
            kwargs['data'] = form
        self.request_count += 1
        resp = self._exchange(method, self.base_url + path, kwargs)
        if 300 <= resp.status_code < 400:
            resp.close()
            return resp
        return read_answer(resp, method, path, deadline, self._clock)

    def _exchange(self, method, url, kwargs):
        """session.request up to the answer's headers, within ``timeout`` as a whole.

        requests bounds each socket read, so a server that drips its status line and headers a
        byte at a time would hold the task forever: the exchange runs in a daemon thread that the
        module waits for at most ``timeout`` (an abandoned one ends with the module's process).
        """
        outcome = {}

        def exchange():
            try:
                with warnings.catch_warnings():
                    if self.verify is False:
                        # The module already warned once that certificates are not verified;
                        # urllib3's per-request InsecureRequestWarning would only spam stderr.
                        warnings.filterwarnings('ignore', message='Unverified HTTPS request')
                    outcome['resp'] = self.session.request(method, url, **kwargs)
            except Exception as exc:  # pylint: disable=broad-except  # re-raised below, in the module's thread
                outcome['exc'] = exc

        worker = threading.Thread(target=exchange)
        worker.daemon = True
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            raise TimeoutError('the answer headers were not complete within the timeout')
        if 'exc' in outcome:
            raise outcome['exc']
        return outcome['resp']

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
                 resend_post=False, gone=None, exists=None):
        """Send one logical request with retries. Returns the parsed JSON body, or LANDED.

        GET/PUT/DELETE are retried on transient failures. A POST is re-sent only when
        ``resend_post`` (it creates nothing) or when ``landed()`` says the lost write did not
        land; without ``landed`` a transient POST failure is raised. ``gone(err)`` tells whether
        an error answered to a *retried* DELETE means that an earlier attempt already landed;
        ``exists(err)`` whether an error answered to a *re-sent* POST says that what it creates
        already exists (``landed()`` must then confirm it). Both are errors.py allow-list checks:
        any other answer is raised.
        """
        attempt = 0
        extra = request_secrets(body, form)
        while True:
            err = None
            try:
                resp = self._send(method, path, body, form, auth)
            except _TRANSPORT_ERRORS as exc:
                err = exception_error(exc, method, path, self.secrets(extra), self.timeout)
            else:
                try:
                    if resp.status_code < 300:
                        return success_body(resp, method, path, self.secrets(extra))
                    if resp.status_code < 400:
                        raise redirect_error(resp, method, path)
                    err = response_error(resp, method, path, self.secrets(extra), self.username)
                except RecursionError:
                    # JSON nested deeper than Python reads: never a crash without the request line.
                    raise UnexpectedAnswer('HTTP %s with JSON nested too deeply to read' % resp.status_code,
                                           method=method, path=path)

            if attempt > 0:
                # A retried DELETE answering "not found" means an earlier attempt landed.
                if gone is not None and not err.transient and gone(err):
                    return LANDED
                # A re-sent POST answering "already exists": the earlier attempt landed late.
                if landed is not None and exists is not None and exists(err) and landed():
                    return self._landed(method, path)
            if not err.transient:
                raise err
            last = attempt >= self.retries
            if method == 'POST' and not resend_post:
                if landed is None:
                    raise err
                if not last:
                    self._wait(self._delay(attempt, err))
                if landed():
                    return self._landed(method, path)
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

    def _landed(self, method, path):
        self.lost_answers.append('%s %s' % (method, path))
        return LANDED

    @staticmethod
    def _deployment(body):
        if body is LANDED:
            return []
        return parse_deployment(body)

    # ---- JWKs -------------------------------------------------------------------------------

    def _jwks_path(self, project):
        return '/projects/%s/jwks/' % path_segment(self._project(project))

    def list_jwks(self, project=None):
        path = self._jwks_path(project)
        body = self._request('GET', path)
        # The envelope tells the reference the server follows: 'current' (status) or 'legacy'
        # (success only, a server older than export-file); jwk_reader spares the latter a probe.
        self.list_dialect = 'current' if 'status' in body else 'legacy'
        return result_list(body, 'GET', path)

    def get_jwk(self, name, project=None):
        """The JWK, or None only when the server says that this JWK is not found."""
        path = self._jwks_path(project) + '%s/' % path_segment(name)
        try:
            body = self._request('GET', path)
        except ApinizerError as e:
            if e.is_missing('jwk', name):
                return None
            raise
        item = result_named(body, 'GET', path, name)
        # Its private members are secrets from now on: a later answer that repeats them is masked.
        self.add_secrets(answer_secrets(item))
        return item

    def create_jwk(self, body, project=None, landed=None):
        return self._deployment(self._request('POST', self._jwks_path(project), body=body,
                                              landed=landed, exists=self._exists(body)))

    def generate_jwk(self, body, project=None, landed=None):
        return self._deployment(self._request('POST', self._jwks_path(project) + 'generate',
                                              body=body, landed=landed, exists=self._exists(body)))

    @staticmethod
    def _exists(body):
        name = body.get('name') if isinstance(body, dict) else None
        return lambda err: err.is_already_exists('jwk', name)

    def export_jwk(self, name, project=None):
        """The public JWK Set of a JWK (``export-file/?publicOnly=true``): ``{'keys': [public JWKs]}``.

        Raises ApinizerError as any read does (the caller decides what a missing endpoint or a
        refusal means); UnexpectedAnswer when the document is not a JWK Set or carries a private
        member although only public ones were asked for (those are masked, never returned).
        """
        path = self._jwks_path(project) + '%s/export-file/?publicOnly=true' % path_segment(name)
        return public_jwk_set(self._request('GET', path), 'GET', path, self.add_secrets)

    def update_jwk(self, name, body, project=None):
        path = self._jwks_path(project) + '%s/' % path_segment(name)
        return self._deployment(self._request('PUT', path, body=body))

    def delete_jwk(self, name, project=None):
        path = self._jwks_path(project) + '%s/' % path_segment(name)
        return self._deployment(self._request('DELETE', path, gone=lambda err: err.is_missing('jwk', name)))

    # ---- credentials ------------------------------------------------------------------------

    def _credentials_path(self, project):
        return '/projects/%s/credentials/' % path_segment(self._project(project))

    @staticmethod
    def _purpose(purpose):
        if purpose not in PURPOSES:
            raise ValueError('purpose must be one of %s, got %r' % (', '.join(PURPOSES), purpose))
        return purpose

    def list_credentials(self, project=None):
        path = self._credentials_path(project)
        return result_list(self._request('GET', path), 'GET', path)

    def assign_credential_jwk(self, username, purpose, jwk_name, project=None):
        path = self._credentials_path(project) + '%s/jwk/%s/%s/' % (
            path_segment(username), self._purpose(purpose), path_segment(jwk_name))
        return self._deployment(self._request('PUT', path))

    def remove_credential_jwk(self, username, purpose, project=None):
        path = self._credentials_path(project) + '%s/jwk/%s/' % (
            path_segment(username), self._purpose(purpose))
        # A retried removal has landed only when the server says nothing is assigned any more.
        return self._deployment(self._request(
            'DELETE', path, gone=lambda err: err.is_nothing_assigned(username, purpose)))

    # ---- API proxies and their policies (where a JWK is used) --------------------------------

    def _api_proxies_path(self, project):
        return '/projects/%s/apiProxies/' % path_segment(self._project(project))

    @staticmethod
    def _api_proxy_segment(name):
        """An API proxy name (the server's, from the list) as one path segment. Unlike the names a
        task gives (names.path_segment), it may hold spaces: list-api-proxies.mdx shows
        "Contact Application API". Only what would address another path is refused."""
        if not isinstance(name, str) or not name.strip() or name in ('.', '..'):
            raise ValueError('an API proxy name must be a non-empty string other than . and .., got %r' % (name,))
        return quote(name, safe='')

    def list_api_proxies(self, project=None):
        """The project's API proxies (list-api-proxies.mdx), each an object with a name."""
        path = self._api_proxies_path(project)
        return named_items(self._request('GET', path), 'GET', path, 'API proxy')

    def list_api_proxy_policies(self, api_proxy, project=None):
        """The API proxy object with its request, response and error policy lists and its endpointList
        (list-policies.mdx), from either documented shape of the answer."""
        path = self._api_proxies_path(project) + '%s/policies/' % self._api_proxy_segment(api_proxy)
        return api_proxy_policies(self._request('GET', path), 'GET', path, api_proxy)
