# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Apinizer Management API emulator: state, API behaviour, test hooks and the HTTP server."""

import copy
import http.client
import http.server
import json
import os
import re
import secrets
import socket
import ssl
import threading
import time
import uuid
from urllib.parse import parse_qs, unquote, urlsplit

from . import faults, keys

DEFAULT_TOKEN = 'emulator-token'
DEFAULT_USERS = {'admin': 'admin-password'}
DEFAULT_ENVIRONMENTS = ('production', 'staging')
SECRET_FIELDS = ('client_secret', 'password', 'access_token')
PURPOSES = ('validation', 'encryption')
STATUS_ERRORS = {400: 'bad_request', 401: 'invalid_token', 403: 'forbidden', 404: 'not_found',
                 409: 'conflict', 429: 'rate_limit_exceeded', 500: 'internal_error',
                 502: 'bad_gateway', 503: 'service_unavailable', 504: 'gateway_timeout'}
CREDENTIAL_FIELDS = ('username', 'email', 'fullName', 'description', 'roleNameList', 'enabled',
                     'ipList', 'expireDate')


class ApiError(Exception):
    def __init__(self, status, error, description, validation_errors=None):
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description
        self.validation_errors = validation_errors

    def body(self):
        out = {'error': self.error, 'error_description': self.description}
        if self.validation_errors:
            out['validation_errors'] = self.validation_errors
        return out


def bad_request(text):
    return ApiError(400, 'bad_request', text)


def validation_failed(problems):
    """problems: ['field: message', ...] -> 400 validation_failed naming every problem."""
    errors = []
    for p in problems:
        field, _, message = p.partition(': ')
        errors.append({'field': field, 'message': message})
    return ApiError(400, 'validation_failed', 'Validation failed: ' + '; '.join(problems), errors)


def _project_id(name):
    return uuid.uuid5(uuid.NAMESPACE_URL, 'apinizer-emulator:' + name).hex[:24]


def _new_project(name):
    return {'id': _project_id(name), 'jwks': {}, 'credentials': {}, 'certificates': {}, 'keys': {},
            'keystores': {}}


def _credential(data):
    cred = {'username': data.get('username'), 'email': data.get('email'),
            'fullName': data.get('fullName'), 'description': data.get('description'),
            'password': data.get('password'), 'roleNameList': list(data.get('roleNameList') or []),
            'enabled': data.get('enabled', True) if data.get('enabled') is not None else True,
            'ipList': list(data.get('ipList') or []), 'expireDate': data.get('expireDate'),
            'validationJwkName': data.get('validationJwkName'),
            'encryptionJwkName': data.get('encryptionJwkName')}
    return cred


def default_seed(project='demo'):
    mat = keys.default_material()
    return {
        'projects': {
            project: {
                'credentials': [
                    {'username': 'api-user', 'password': 'api-user-password', 'email': 'api-user@example.com',
                     'fullName': 'API User', 'description': 'Demo API consumer', 'roleNameList': ['API_USER']},
                    {'username': 'mobile-app', 'password': 'mobile-app-password', 'email': 'mobile@example.com',
                     'fullName': 'Mobile App', 'description': 'Demo mobile client', 'roleNameList': ['API_USER']},
                    {'username': 'partner-app', 'password': 'partner-app-password', 'email': 'partner@example.com',
                     'fullName': 'Partner App', 'description': 'Demo partner integration',
                     'roleNameList': ['PARTNER']},
                ],
                'certificates': mat['certificates'],
                'keys': mat['keys'],
                'keystores': mat['keystores'],
                'jwks': [],
            },
            'admin': {
                'jwks': [{'name': 'shared-admin-jwk', 'description': 'Shared EC P-256 signing key',
                          'sourceType': 'GENERATE', 'jwk': mat['admin_jwk']}],
            },
        },
    }


def _load_seed_file(path):
    with open(path, 'r', encoding='utf-8') as fh:
        text = fh.read()
    try:
        return json.loads(text)
    except ValueError:
        import yaml  # PyYAML ships with ansible-core; JSON seeds need nothing
        return yaml.safe_load(text)


class Emulator:
    """An Apinizer Management API emulator on a real HTTP(S) server.

    Emulator(token='emulator-token', environments=('production', 'staging'), tls_dir=None, seed=None)
    """

    def __init__(self, token=DEFAULT_TOKEN, environments=DEFAULT_ENVIRONMENTS, tls_dir=None, seed=None,
                 users=None, project='demo', host='127.0.0.1', port=0, verbose=False, report_assignments=False,
                 report_use_alg=False):
        self._lock = threading.RLock()
        # The vendor documents no assignment fields in the credential list: reporting them is opt-in.
        self._report_assignments0 = bool(report_assignments)
        # Get JWK documents no use/alg inside the key member: reporting them is opt-in too.
        self._report_use_alg0 = bool(report_use_alg)
        self._token = token
        self._default_environments = list(environments)
        self._users0 = dict(DEFAULT_USERS if users is None else users)
        self._project = project
        self._extra_seed = _load_seed_file(seed) if isinstance(seed, str) else seed
        self.host = host
        self.port = port
        self.tls_dir = tls_dir
        self.ca_file = None
        self.verbose = verbose
        self._server = None
        self._thread = None
        self.url = None
        self._reset_locked()

    # ------------------------------------------------------------------ lifecycle
    def start(self):
        ctx = None
        if self.tls_dir:
            ca, cert, key = keys.make_tls_files(self.tls_dir)
            self.ca_file = ca
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
        self._server = _Server((self.host, self.port), _Handler, self, ctx)
        self.port = self._server.server_address[1]
        self.url = '%s://%s:%d' % ('https' if ctx else 'http', self.host, self.port)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={'poll_interval': 0.1},
                                        name='apinizer-emulator', daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.close_connections()
            self._thread.join(5)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def api_url(self):
        return self.url + '/apiops'

    @property
    def token(self):
        return self._token

    # ------------------------------------------------------------------ hooks as methods
    def requests(self):
        with self._lock:
            return copy.deepcopy(self._log)

    def clear_requests(self):
        with self._lock:
            self._log = []

    def add_fault(self, **spec):
        fault = faults.make_fault(spec)
        with self._lock:
            self._faults.append(fault)
        return dict(fault)

    def redirected(self):
        """What clients sent after following a redirect fault to its default Location (secrets masked)."""
        with self._lock:
            return copy.deepcopy(self._redirected)

    def clear_redirected(self):
        with self._lock:
            self._redirected = []

    def clear_faults(self):
        with self._lock:
            self._faults = []

    def configure(self, **settings):
        """failing_environments, environments, report_assignments (or its inverse hide_assignments),
        report_use_alg."""
        allowed = {'failing_environments', 'hide_assignments', 'report_assignments', 'environments',
                   'report_use_alg'}
        unknown = set(settings) - allowed
        if unknown:
            raise ValueError('unknown setting(s): %s' % ', '.join(sorted(unknown)))
        report = _report_setting(settings)
        with self._lock:
            if 'environments' in settings:
                self._config['environments'] = [str(e) for e in settings['environments']]
            if 'failing_environments' in settings:
                self._config['failing_environments'] = [str(e) for e in settings['failing_environments'] or []]
            if report is not None:
                self._config['report_assignments'] = report
                self._config['hide_assignments'] = not report
            if 'report_use_alg' in settings:
                self._config['report_use_alg'] = bool(settings['report_use_alg'])
            return dict(self._config)

    def reset(self):
        with self._lock:
            self._reset_locked()

    def seed(self, data):
        if isinstance(data, str):
            data = _load_seed_file(data)
        with self._lock:
            saved = copy.deepcopy((self._projects, self._tokens, self._users))
            try:
                self._seed_locked(data)
            except Exception:
                # A bad seed changes nothing.
                self._projects, self._tokens, self._users = saved
                raise

    def state(self):
        with self._lock:
            return copy.deepcopy({'projects': self._projects, 'config': self._config,
                                  'tokens': sorted(self._tokens), 'users': self._users,
                                  'faults': self._faults, 'static': sorted(self._static)})

    def serve_static(self, name, body, content_type='application/json', delay=0, status=200):
        if not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode('utf-8')
        with self._lock:
            self._static[name] = {'body': body, 'content_type': content_type, 'delay': float(delay or 0),
                                  'status': int(status)}
        return '%s/__emulator__/static/%s' % (self.url or '', name)

    # ------------------------------------------------------------------ state internals
    def _reset_locked(self):
        self._projects = {}
        self._tokens = {self._token} if self._token else set()
        self._users = dict(self._users0)
        self._config = {'environments': list(self._default_environments), 'failing_environments': [],
                        'report_assignments': self._report_assignments0,
                        'hide_assignments': not self._report_assignments0,
                        'report_use_alg': self._report_use_alg0}
        self._log = []
        self._redirected = []
        self._faults = []
        self._static = {}
        self._seed_locked(default_seed(self._project))
        if self._extra_seed:
            self._seed_locked(self._extra_seed)

    def _seed_locked(self, data):
        if not isinstance(data, dict):
            raise ValueError('a seed is a mapping')
        for tok in data.get('tokens') or []:
            self._tokens.add(str(tok))
        for user, pw in (data.get('users') or {}).items():
            self._users[str(user)] = str(pw)
        for pname, pdata in (data.get('projects') or {}).items():
            proj = self._projects.setdefault(pname, _new_project(pname))
            pdata = pdata or {}
            for kind in ('certificates', 'keys', 'keystores'):
                for name, value in (pdata.get(kind) or {}).items():
                    proj[kind][name] = value
            for cred in pdata.get('credentials') or []:
                if isinstance(cred, str):
                    cred = {'username': cred}
                proj['credentials'][cred['username']] = _credential(cred)
            for item in pdata.get('jwks') or []:
                rec = self._seed_jwk(pname, proj, item)
                proj['jwks'][rec['name']] = rec

    def _seed_jwk(self, pname, proj, item):
        jwk = item.get('jwk')
        if jwk is None:
            for member in ('rsa', 'ec', 'oct', 'okp'):
                if member in item:
                    jwk = item[member]
        if jwk is None and 'generate' in item:
            body = dict(item['generate'], name=item['name'])
            jwk, _meta = self._prepare_generate(body)
        if jwk is None:
            raise ValueError('seed JWK %r needs jwk, a type-named member or generate' % item.get('name'))
        jwk = keys.validate_jwk(jwk)
        return {'name': item['name'], 'description': item.get('description'), 'projectId': proj['id'],
                'sourceType': item.get('sourceType', 'COPY_PASTE'), 'sourceId': item.get('sourceId'),
                'sourceUrl': item.get('sourceUrl'), 'type': keys.key_type_of_jwk(jwk),
                'kid': jwk.get('kid'), 'jwk': jwk, 'meta': item.get('meta', {})}

    # ------------------------------------------------------------------ request log and faults
    def _take_fault(self, method, path):
        with self._lock:
            for fault in self._faults:
                if fault['method'] not in ('*', method):
                    continue
                if not re.search(fault['path'], path):
                    continue
                if fault['count'] is not None and fault['count'] > 0:
                    fault['count'] -= 1
                    if fault['count'] == 0:
                        self._faults.remove(fault)
                return dict(fault)
        return None

    def _record(self, entry):
        with self._lock:
            self._log.append(entry)

    def _trap(self, method, target, headers, raw, request):
        """A request that followed a redirect fault: record it, answer like a server that accepted it."""
        entry = {'method': method, 'path': target, 'host': headers.get('Host'),
                 'authorization': bool(headers.get('Authorization')), 'body_bytes': len(raw),
                 'body': _log_body(headers, raw),
                 'secrets': [field for field, _ in faults.request_secrets(request)], 'time': time.time()}
        with self._lock:
            self._redirected.append(entry)
            if method == 'GET':
                return {'success': True, 'resultList': []}
            return self._deployment()

    # ------------------------------------------------------------------ API
    def _deployment(self):
        envs = self._config['environments']
        failing = set(self._config['failing_environments'])
        results = []
        for env in envs:
            if env in failing:
                results.append({'environmentName': env, 'success': False,
                                'message': 'Deployment to environment (name: %s) failed: '
                                           'gateway did not answer' % env})
            else:
                results.append({'environmentName': env, 'success': True, 'message': 'Deployed successfully'})
        failed = [r['environmentName'] for r in results if not r['success']]
        ok = not failed
        message = ('Deployment completed successfully' if ok else
                   'Deployment failed for %d of %d environment(s): %s' % (len(failed), len(results),
                                                                          ', '.join(failed)))
        return {'success': True, 'deploymentResult': {'success': ok, 'message': message,
                                                      'environmentResults': results}}

    def _project_locked(self, name):
        proj = self._projects.get(name)
        if proj is None:
            raise ApiError(404, 'not_found',
                           'Project(%s) was not found or user does not have privilege to access it!' % name)
        return proj

    def handle_api(self, method, path, headers, raw_body):
        """(status, body dict, extra headers) for one /apiops request."""
        segs = path.split('/')
        # segs[0] == '' and segs[1] == 'apiops'
        segs = [unquote(s) for s in segs[2:]]
        if segs == ['auth', 'token']:
            if method != 'POST':
                raise ApiError(405, 'method_not_allowed', 'Use POST for /apiops/auth/token')
            return self._token_endpoint(headers, raw_body)
        self._authenticate(headers)
        if len(segs) < 3 or segs[0] != 'projects':
            raise ApiError(404, 'not_found', 'No endpoint %s %s' % (method, path))
        pname, rest = segs[1], segs[2:]
        route = self._route(method, rest)
        if route is None:
            raise ApiError(404, 'not_found', 'No endpoint %s %s' % (method, path))
        with self._lock:
            self._project_locked(pname)
        func, args = route
        body = None
        if method == 'POST':
            body = _json_body(raw_body)
        elif func == self._api_update_jwk:
            body = _json_body(raw_body) if raw_body.strip() else {}
        return func(pname, body, *args)

    def _route(self, method, rest):
        # rest: segments after /projects/{p}/
        if rest == ['jwks', ''] and method == 'GET':
            return self._api_list_jwks, ()
        if rest == ['jwks', ''] and method == 'POST':
            return self._api_create_jwk, (None,)
        if len(rest) == 2 and rest[0] == 'jwks' and method == 'POST':
            if rest[1] == 'generate':
                return self._api_generate, ()
            fixed = {'parse-from-url': 'URL', 'parse-from-clipboard': 'COPY_PASTE',
                     'parse-from-certificate': 'CERTIFICATE', 'parse-from-key': None,
                     'parse-from-keystore': 'KEYSTORE'}
            if rest[1] in fixed:
                return self._api_create_jwk, (fixed[rest[1]] or 'KEY',)
        if len(rest) == 3 and rest[0] == 'jwks' and rest[2] == '' and rest[1]:
            return {'GET': (self._api_get_jwk, (rest[1],)), 'PUT': (self._api_update_jwk, (rest[1],)),
                    'DELETE': (self._api_delete_jwk, (rest[1],))}.get(method)
        if rest == ['credentials', '']:
            return {'GET': (self._api_list_credentials, ()),
                    'POST': (self._api_create_credential, ())}.get(method)
        if (len(rest) == 6 and rest[0] == 'credentials' and rest[2] == 'jwk' and rest[3] in PURPOSES
                and rest[5] == '' and rest[4] and method == 'PUT'):
            return self._api_assign, (rest[1], rest[3], rest[4])
        if (len(rest) == 5 and rest[0] == 'credentials' and rest[2] == 'jwk' and rest[3] in PURPOSES
                and rest[4] == '' and method == 'DELETE'):
            return self._api_unassign, (rest[1], rest[3])
        return None

    # -- auth
    def _authenticate(self, headers):
        auth = headers.get('Authorization') or ''
        scheme, _, token = auth.partition(' ')
        with self._lock:
            ok = scheme.lower() == 'bearer' and token.strip() in self._tokens
        if not ok:
            raise ApiError(401, 'invalid_token', 'Invalid token' if auth else 'Missing bearer token')

    def _token_endpoint(self, headers, raw_body):
        form = {k: v[0] for k, v in parse_qs(raw_body.decode('utf-8', 'replace'), keep_blank_values=True).items()}
        if form.get('grant_type') != 'client_credentials':
            raise ApiError(400, 'bad_request', 'grant_type must be client_credentials')
        user, pw = form.get('client_id'), form.get('client_secret')
        with self._lock:
            if not user or self._users.get(user) != pw:
                raise ApiError(401, 'unauthorized_client', 'Invalid client credentials')
            token = secrets.token_urlsafe(24)
            self._tokens.add(token)
        return 200, {'access_token': token, 'token_type': 'Bearer', 'expires_in': 3600}, {}

    # -- JWK views
    @staticmethod
    def _summary(rec):
        return {k: rec[k] for k in ('name', 'description', 'projectId', 'sourceType', 'sourceId', 'sourceUrl',
                                    'type', 'kid')}

    def _full(self, rec):
        out = self._summary(rec)
        jwk = copy.deepcopy(rec['jwk'])
        if not self._config['report_use_alg']:
            # The Get JWK page documents no use/alg members: the documented server leaves them out.
            jwk.pop('use', None)
            jwk.pop('alg', None)
        out[rec['type'].lower()] = jwk
        return out

    def _api_list_jwks(self, pname, body):
        with self._lock:
            proj = self._project_locked(pname)
            return 200, {'success': True, 'resultList': [self._summary(r) for r in proj['jwks'].values()]}, {}

    def _api_get_jwk(self, pname, body, name):
        with self._lock:
            rec = self._project_locked(pname)['jwks'].get(name)
            if rec is None:
                raise bad_request('JWK (name: %s) is not found!' % name)
            return 200, {'success': True, 'resultList': [self._full(rec)]}, {}

    def _api_delete_jwk(self, pname, body, name):
        with self._lock:
            proj = self._project_locked(pname)
            if name not in proj['jwks']:
                raise bad_request('JWK (name: %s) is not found!' % name)
            # Credentials keep the dangling name: that is how a real deletion breaks them.
            del proj['jwks'][name]
            return 200, self._deployment(), {}

    def _api_update_jwk(self, pname, body, name):
        if not isinstance(body, dict):
            raise bad_request('Request body must be a JSON object')
        new = body.get('name', None)
        if new is not None and (not isinstance(new, str) or not new.strip()):
            raise bad_request('JWK name can not be empty!')
        desc = body.get('description', None)
        if desc is not None and not isinstance(desc, str):
            raise validation_failed(['description: must be a string'])
        with self._lock:
            proj = self._project_locked(pname)
            rec = proj['jwks'].get(name)
            if rec is None:
                raise bad_request('JWK (name: %s) is not found! Try create operation.' % name)
            if new is not None and new != name and new in proj['jwks']:
                raise bad_request('JWK (name: %s) is already exist!' % new)
            if 'description' in body:
                rec['description'] = desc
            # An update detaches a JWK from its source: it becomes plain pasted material.
            if rec['sourceType'] not in ('GENERATE', 'COPY_PASTE'):
                rec['sourceType'] = 'COPY_PASTE'
                rec['sourceId'] = None
                rec['sourceUrl'] = None
            if new is not None and new != name:
                rec['name'] = new
                # Credentials keep the old name: the docs make updating references the user's job.
                proj['jwks'] = {(new if k == name else k): v for k, v in proj['jwks'].items()}
            return 200, self._deployment(), {}

    # -- create
    def _check_new_name(self, pname, name):
        if not isinstance(name, str) or not name.strip():
            raise bad_request('JWK name can not be empty!')
        with self._lock:
            if name in self._project_locked(pname)['jwks']:
                raise bad_request('JWK (name: %s) is already exist! Try update operation if want to change '
                                  'its value.' % name)

    def _insert(self, pname, body, jwk, source_type, source_id=None, source_url=None, meta=None):
        with self._lock:
            proj = self._project_locked(pname)
            name = body['name']
            if name in proj['jwks']:
                raise bad_request('JWK (name: %s) is already exist! Try update operation if want to change '
                                  'its value.' % name)
            proj['jwks'][name] = {'name': name, 'description': body.get('description'), 'projectId': proj['id'],
                                  'sourceType': source_type, 'sourceId': source_id, 'sourceUrl': source_url,
                                  'type': keys.key_type_of_jwk(jwk), 'kid': jwk.get('kid'), 'jwk': jwk,
                                  'meta': meta or {}}
            return 200, self._deployment(), {}

    def _api_create_jwk(self, pname, body, fixed):
        if not isinstance(body, dict):
            raise bad_request('Request body must be a JSON object')
        self._check_new_name(pname, body.get('name'))
        source = body.get('sourceType')
        if fixed == 'KEY':
            # The helper's body has no sourceType: the named key decides (private PEM -> PRIVATE_KEY).
            if source in (None, ''):
                source = self._key_source(pname, body.get('keyName'))
            elif source not in ('PUBLIC_KEY', 'PRIVATE_KEY'):
                raise validation_failed(['sourceType: parse-from-key takes PUBLIC_KEY or PRIVATE_KEY (or none)'])
        elif fixed:
            source = fixed
        if source in (None, ''):
            raise bad_request('Source type is required!')
        if source == 'GENERATE':
            raise bad_request('Source type GENERATE is not supported by this operation! '
                              'Use the generate endpoint (POST /jwks/generate).')
        valid = ('URL', 'COPY_PASTE', 'CERTIFICATE', 'PUBLIC_KEY', 'PRIVATE_KEY', 'KEYSTORE')
        if source not in valid:
            raise validation_failed(['sourceType: %r is not supported; allowed: %s' % (source, ', '.join(valid))])
        kid = body.get('kid')
        if kid is not None and (not isinstance(kid, str) or not kid):
            raise validation_failed(['kid: must be a non-empty string'])
        source_id = source_url = None
        if source == 'URL':
            url = body.get('url')
            if not url:
                raise bad_request('URL is required for URL source type!')
            opts = _url_options(body)
            jwk = _select_jwk(self._fetch(url, *opts), kid)
            source_url = url
        elif source == 'COPY_PASTE':
            text = body.get('jwkStr')
            if not text:
                raise bad_request('JWK string (jwkStr) is required for COPY_PASTE source type!')
            if not isinstance(text, str):
                raise validation_failed(['jwkStr: must be a string holding a JWK or a JWK Set as JSON'])
            jwk = _select_jwk(text, kid)
        else:
            jwk, source_id = self._derive(pname, body, source)
            if kid is not None:
                jwk['kid'] = kid
            elif 'kid' not in jwk:
                jwk['kid'] = keys.thumbprint(jwk)
        use, alg = body.get('useType'), body.get('algorithm')
        problems = []
        if source in ('CERTIFICATE', 'PUBLIC_KEY', 'PRIVATE_KEY', 'KEYSTORE'):
            if use in (None, ''):
                problems.append('useType: required for %s source type; allowed: SIGNATURE, ENCRYPTION' % source)
            if alg in (None, ''):
                problems.append('algorithm: required for %s source type' % source)
        if use not in (None, '') and use not in keys.USE_TYPES:
            problems.append('useType: %r is not supported; allowed: SIGNATURE, ENCRYPTION' % (use,))
            use = None
        ktype = keys.key_type_of_jwk(jwk)
        if alg not in (None, ''):
            jose, use2, more = keys.check_algorithm(alg, ktype, use or None, 'jose', curve=jwk.get('crv'),
                                                    key_bits=keys.oct_bits(jwk))
            problems.extend(more)
            if jose:
                jwk['alg'] = jose
                use = use2
        if ktype == 'OKP' and use:
            problems.extend(keys.check_okp_use(jwk['crv'], use, 'useType'))
        if problems:
            raise validation_failed(problems)
        if use:
            jwk['use'] = keys.USE_MEMBER[use]
        return self._insert(pname, body, jwk, source, source_id, source_url,
                            meta={'environmentName': body.get('environmentName'),
                                  'aliasName': body.get('aliasName')})

    def _key_source(self, pname, key_name):
        with self._lock:
            material = self._project_locked(pname)['keys'].get(key_name) if key_name else None
        if material is None:
            return 'PUBLIC_KEY'   # _derive reports the missing key name
        try:
            private = keys.load_key_pem(material)[1]
        except Exception:   # unreadable material is reported by _derive
            private = False
        return 'PRIVATE_KEY' if private else 'PUBLIC_KEY'

    def _derive(self, pname, body, source):
        field = {'CERTIFICATE': 'certificateName', 'PUBLIC_KEY': 'keyName', 'PRIVATE_KEY': 'keyName',
                 'KEYSTORE': 'keyStoreName'}[source]
        name = body.get(field)
        problems = []
        if not name:
            problems.append('%s: required for %s source type' % (field, source))
        env = body.get('environmentName')
        if not env:
            problems.append('environmentName: required for %s source type' % source)
        if source == 'KEYSTORE' and not body.get('aliasName'):
            problems.append('aliasName: required for KEYSTORE source type')
        if problems:
            raise validation_failed(problems)
        with self._lock:
            proj = self._project_locked(pname)
            if env not in self._config['environments']:
                raise bad_request('Environment (name: %s) is not found!' % env)
            kind = {'CERTIFICATE': 'certificates', 'KEYSTORE': 'keystores'}.get(source, 'keys')
            material = copy.deepcopy(proj[kind].get(name))
        label = {'certificates': 'Certificate', 'keys': 'Key', 'keystores': 'Keystore'}[kind]
        if material is None:
            raise bad_request('%s (name: %s) is not found!' % (label, name))
        try:
            if source == 'CERTIFICATE':
                return keys.jwk_from_certificate(material), name
            if source == 'KEYSTORE':
                entries = keys.keystore_entries(material['p12_b64'], material.get('password'))
                alias = body['aliasName']
                if alias not in entries:
                    raise bad_request('Alias (name: %s) is not found in keystore (name: %s)!' % (alias, name))
                return entries[alias], name
            key, private = keys.load_key_pem(material)
        except ApiError:
            raise
        except Exception as exc:  # broken seed material is reported, not crashed on
            raise bad_request('%s (name: %s) could not be read: %s' % (label, name, exc))
        if source == 'PRIVATE_KEY':
            if not private:
                raise bad_request('Key (name: %s) is not a private key!' % name)
            return keys.private_key_to_jwk(key), name
        return keys.public_key_to_jwk(key.public_key() if private else key), name

    def _fetch(self, url, connect_ms, read_ms, limit):
        return _fetch_url(url, connect_ms, read_ms, limit, self.ca_file)

    # -- generate
    def _api_generate(self, pname, body):
        if not isinstance(body, dict):
            raise bad_request('Request body must be a JSON object')
        name = body.get('name')
        if not isinstance(name, str) or not name.strip():
            raise bad_request('JWK name can not be empty!')
        if not body.get('type'):
            raise bad_request('JWK type can not be empty!')
        self._check_new_name(pname, name)
        if body.get('sourceType') not in (None, 'GENERATE'):
            raise validation_failed(['sourceType: the generate endpoint only creates GENERATE JWKs'])
        jwk, meta = self._prepare_generate(body)
        return self._insert(pname, body, jwk, 'GENERATE', meta=meta)

    def _prepare_generate(self, body):
        ktype = body.get('type')
        if ktype not in keys.KEY_TYPES:
            raise validation_failed(['type: %r is not supported; allowed: %s' % (ktype, ', '.join(keys.KEY_TYPES))])
        member = ktype.lower()
        problems = []
        for other in ('rsa', 'ec', 'oct', 'okp'):
            if other != member and body.get(other) is not None:
                problems.append('%s: not allowed for type %s; give the parameters in %r' % (other, ktype, member))
        params = body.get(member)
        if not isinstance(params, dict):
            problems.append('%s: parameter object required for type %s' % (member, ktype))
            raise validation_failed(problems)
        size = curve = None
        if ktype in ('RSA', 'OCT'):
            allowed = keys.RSA_SIZES if ktype == 'RSA' else keys.OCT_SIZES
            size = params.get('keySize')
            if size is None:
                problems.append('%s.keySize: required; allowed: %s' % (member, ', '.join(map(str, allowed))))
            elif isinstance(size, bool) or size not in allowed:
                problems.append('%s.keySize: %r is not supported; allowed: %s'
                                % (member, size, ', '.join(map(str, allowed))))
        else:
            table = keys.EC_CURVES if ktype == 'EC' else keys.OKP_CURVES
            raw = params.get('curveType')
            if raw is None:
                problems.append('%s.curveType: required; allowed: %s' % (member, ', '.join(table)))
            elif raw not in table:
                problems.append('%s.curveType: %r is not supported; allowed: %s' % (member, raw, ', '.join(table)))
            else:
                curve = table[raw]
        use = params.get('keyUseType', 'SIGNATURE') or 'SIGNATURE'
        if use not in keys.USE_TYPES:
            problems.append('%s.keyUseType: %r is not supported; allowed: SIGNATURE, ENCRYPTION' % (member, use))
            use = None
        kid_type = params.get('keyIdType', 'TIMESTAMP') or 'TIMESTAMP'
        if kid_type not in keys.KEY_ID_TYPES:
            problems.append('%s.keyIdType: %r is not supported; allowed: %s'
                            % (member, kid_type, ', '.join(keys.KEY_ID_TYPES)))
        jose = None
        if params.get('algorithm') not in (None, ''):
            jose, use2, more = keys.check_algorithm(params['algorithm'], ktype, use, 'enum',
                                                    field='%s.algorithm' % member, curve=curve,
                                                    key_bits=size if ktype == 'OCT' else None)
            problems.extend(more)
        if ktype == 'OKP' and curve and use:
            problems.extend(keys.check_okp_use(curve, use, '%s.keyUseType' % member))
        meta = {}
        for field in ('notBeforeTime', 'expirationTime'):
            value = params.get(field)
            if value is not None:
                if not _is_iso8601(value):
                    problems.append('%s.%s: %r is not an ISO 8601 date-time' % (member, field, value))
                meta[field] = value
        if ktype == 'OCT':
            for field, default in (('passwordSaltLength', 8), ('passwordIterationCount', 1000)):
                value = params.get(field, default)
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    problems.append('%s.%s: must be a positive integer' % (member, field))
                meta[field] = value
        kid = body.get('kid')
        if kid is not None and (not isinstance(kid, str) or not kid):
            problems.append('kid: must be a non-empty string')
        if problems:
            raise validation_failed(problems)
        jwk = keys.generate_key(ktype, size=size, curve=curve)
        if kid is None:
            kid = keys.make_kid(jwk, kid_type)
        if kid is not None:
            jwk['kid'] = kid
        jwk['use'] = keys.USE_MEMBER[use]
        if jose:
            jwk['alg'] = jose
        meta['keyIdType'] = kid_type
        return jwk, meta

    # -- credentials
    def _cred_view(self, cred, hide):
        out = {k: copy.deepcopy(cred.get(k)) for k in CREDENTIAL_FIELDS}
        out['password'] = None
        if not hide:
            out['validationJwkName'] = cred.get('validationJwkName')
            out['encryptionJwkName'] = cred.get('encryptionJwkName')
        return out

    def _api_list_credentials(self, pname, body):
        with self._lock:
            proj = self._project_locked(pname)
            hide = not self._config['report_assignments']
            return 200, {'success': True,
                         'resultList': [self._cred_view(c, hide) for c in proj['credentials'].values()]}, {}

    def _api_create_credential(self, pname, body):
        if not isinstance(body, dict):
            raise bad_request('Request body must be a JSON object')
        username = body.get('username')
        if not isinstance(username, str) or not username.strip():
            raise bad_request('Credential username can not be empty!')
        if not body.get('password'):
            raise bad_request('Credential password can not be empty!')
        for field in ('roleNameList', 'ipList'):
            if body.get(field) is not None and not isinstance(body[field], list):
                raise validation_failed(['%s: must be a list' % field])
        with self._lock:
            proj = self._project_locked(pname)
            if username in proj['credentials']:
                raise bad_request('Credential (username: %s) is already exist!' % username)
            data = {k: v for k, v in body.items() if k not in ('validationJwkName', 'encryptionJwkName')}
            proj['credentials'][username] = _credential(data)
            return 200, self._deployment(), {}

    def _accessible_credential(self, proj, username):
        """The credential an assignment names: the project's own, else one of the admin project.

        Set JWK Encryption: "Credential must be in the same project or accessible from the
        project"; which ones are accessible is not documented. Ours: the admin project's.
        """
        cred = proj['credentials'].get(username)
        if cred is None:
            cred = self._projects.get('admin', {}).get('credentials', {}).get(username)
        if cred is None:
            raise bad_request('Credential (username: %s) was not found!' % username)
        return cred

    def _api_assign(self, pname, body, username, purpose, jwk_name):
        with self._lock:
            proj = self._project_locked(pname)
            cred = self._accessible_credential(proj, username)
            admin = self._projects.get('admin', {'jwks': {}})
            # A credential may use a JWK of its own project or of the admin project.
            if jwk_name not in proj['jwks'] and jwk_name not in admin['jwks']:
                raise bad_request('JWK (name: %s) is not found!' % jwk_name)
            cred['%sJwkName' % purpose] = jwk_name
            return 200, self._deployment(), {}

    def _api_unassign(self, pname, body, username, purpose):
        with self._lock:
            cred = self._accessible_credential(self._project_locked(pname), username)
            field = '%sJwkName' % purpose
            if not cred.get(field):
                raise bad_request('No JWK is assigned to credential (username: %s) for %s!' % (username, purpose))
            cred[field] = None
            return 200, self._deployment(), {}

    # ------------------------------------------------------------------ hooks over HTTP
    def handle_hook(self, method, path, raw_body):
        """(status, body, headers, raw) for /__emulator__/...; raw is (bytes, content type, delay) for static."""
        name = path[len('/__emulator__/'):]
        try:
            if name == 'requests' and method == 'GET':
                return 200, {'requests': self.requests()}, None
            if name == 'requests' and method == 'DELETE':
                self.clear_requests()
                return 200, {'success': True}, None
            if name == 'faults' and method == 'POST':
                return 200, {'success': True, 'fault': self.add_fault(**_json_body(raw_body))}, None
            if name == 'faults' and method == 'GET':
                with self._lock:
                    return 200, {'faults': copy.deepcopy(self._faults)}, None
            if name == 'faults' and method == 'DELETE':
                self.clear_faults()
                return 200, {'success': True}, None
            if name == 'redirected' and method == 'GET':
                return 200, {'redirected': self.redirected()}, None
            if name == 'redirected' and method == 'DELETE':
                self.clear_redirected()
                return 200, {'success': True}, None
            if name == 'config' and method == 'POST':
                return 200, {'success': True, 'config': self.configure(**_json_body(raw_body))}, None
            if name == 'config' and method == 'GET':
                with self._lock:
                    return 200, {'config': copy.deepcopy(self._config)}, None
            if name == 'reset' and method == 'POST':
                self.reset()
                return 200, {'success': True}, None
            if name == 'seed' and method == 'POST':
                self.seed(_json_body(raw_body))
                return 200, {'success': True}, None
            if name == 'state' and method == 'GET':
                return 200, self.state(), None
            if name == 'static' and method == 'POST':
                spec = _json_body(raw_body)
                if not spec.get('name') or 'body' not in spec:
                    raise ValueError('static documents need name and body')
                url = self.serve_static(spec['name'], spec['body'], spec.get('content_type', 'application/json'),
                                        spec.get('delay', 0), spec.get('status', 200))
                return 200, {'success': True, 'url': url}, None
            if name.startswith('static/') and method == 'GET':
                with self._lock:
                    doc = self._static.get(unquote(name[len('static/'):]))
                if doc is None:
                    return 404, {'error': 'not_found', 'error_description': 'No static document %s' % name}, None
                return doc['status'], None, doc
        except ApiError as exc:
            return exc.status, exc.body(), None
        except (ValueError, TypeError, KeyError, re.error) as exc:
            return 400, {'error': 'bad_request', 'error_description': 'Test hook: %s' % exc}, None
        return 404, {'error': 'not_found', 'error_description': 'No test hook %s %s' % (method, path)}, None


# ---------------------------------------------------------------------- helpers

def _report_setting(settings):
    """report_assignments from a configure() call: True, False or None (not given).

    hide_assignments is its inverse; given together they must agree.
    """
    values = set()
    if 'report_assignments' in settings:
        values.add(bool(settings['report_assignments']))
    if 'hide_assignments' in settings:
        values.add(not settings['hide_assignments'])
    if len(values) > 1:
        raise ValueError('report_assignments and hide_assignments contradict each other')
    return values.pop() if values else None


def _json_body(raw):
    if not raw or not raw.strip():
        raise bad_request('Request body is required')
    try:
        return json.loads(raw.decode('utf-8'))
    except (ValueError, UnicodeDecodeError):
        raise bad_request('Request body is not valid JSON')


def _is_iso8601(value):
    import datetime
    if not isinstance(value, str):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace('Z', '+00:00'))
        return True
    except ValueError:
        return False


def _url_options(body):
    out, problems = [], []
    for field, default in (('urlOptionConnectTimeout', 5000), ('urlOptionReadTimeout', 10000),
                           ('urlOptionSizeLimit', 1048576)):
        value = body.get(field)
        if value is None:
            value = default
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append('%s: must be a positive integer' % field)
        out.append(value)
    if problems:
        raise validation_failed(problems)
    return out


def _fetch_url(url, connect_ms, read_ms, limit, ca_file=None):
    parts = urlsplit(url)
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise validation_failed(['url: %r is not an http or https URL' % url])
    where = 'Could not read JWK from URL (url: %s): ' % url
    try:
        port = parts.port
    except ValueError:
        raise validation_failed(['url: %r has an invalid port' % url])
    if parts.scheme == 'https':
        ctx = ssl.create_default_context()
        if ca_file:
            ctx.load_verify_locations(ca_file)
        conn = http.client.HTTPSConnection(parts.hostname, port, timeout=connect_ms / 1000.0, context=ctx)
    else:
        conn = http.client.HTTPConnection(parts.hostname, port, timeout=connect_ms / 1000.0)
    try:
        try:
            conn.connect()
        except socket.timeout:
            raise bad_request(where + 'connect timed out after %d ms' % connect_ms)
        conn.sock.settimeout(read_ms / 1000.0)
        target = (parts.path or '/') + ('?' + parts.query if parts.query else '')
        conn.request('GET', target, headers={'Accept': 'application/jwk-set+json, application/json'})
        resp = conn.getresponse()
        if resp.status != 200:
            raise bad_request(where + 'HTTP %d' % resp.status)
        length = resp.getheader('Content-Length')
        if length and length.isdigit() and int(length) > limit:
            raise bad_request(where + 'response exceeds the size limit of %d bytes' % limit)
        data = resp.read(limit + 1)
        if len(data) > limit:
            raise bad_request(where + 'response exceeds the size limit of %d bytes' % limit)
        return data.decode('utf-8', 'replace')
    except ApiError:
        raise
    except socket.timeout:
        raise bad_request(where + 'read timed out after %d ms' % read_ms)
    except (OSError, http.client.HTTPException) as exc:
        raise bad_request(where + '%s' % (exc.__class__.__name__ if not str(exc) else exc))
    finally:
        conn.close()


def _select_jwk(text, kid):
    """A JWK from a JWK or JWK Set document; kid picks from a set."""
    try:
        doc = json.loads(text)
    except ValueError:
        raise bad_request('JWK string is not valid JSON!')
    if isinstance(doc, dict) and 'keys' in doc:
        keyset = doc['keys']
        if not isinstance(keyset, list) or not keyset:
            raise bad_request('JWK Set contains no keys!')
        if kid is None:
            if len(keyset) > 1:
                raise bad_request('JWK Set contains %d keys: kid is required to choose one!' % len(keyset))
            chosen = keyset[0]
        else:
            matches = [k for k in keyset if isinstance(k, dict) and k.get('kid') == kid]
            if not matches:
                raise bad_request('JWK (kid: %s) is not found in the JWK Set!' % kid)
            chosen = matches[0]
    else:
        chosen = doc
        if kid is not None and isinstance(doc, dict):
            if doc.get('kid') not in (None, kid):
                raise bad_request('JWK (kid: %s) is not found in the JWK Set!' % kid)
            doc['kid'] = kid
    try:
        return keys.validate_jwk(chosen)
    except ValueError as exc:
        raise bad_request('JWK is not valid: %s' % exc)


def _mask(value):
    if isinstance(value, dict):
        return {k: ('********' if k in SECRET_FIELDS and v is not None else _mask(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


def _log_body(headers, raw):
    if not raw:
        return None
    ctype = (headers.get('Content-Type') or '').split(';')[0].strip().lower()
    text = raw.decode('utf-8', 'replace')
    if ctype == 'application/x-www-form-urlencoded':
        return _mask({k: v[0] if len(v) == 1 else v for k, v in parse_qs(text, keep_blank_values=True).items()})
    try:
        return _mask(json.loads(text))
    except ValueError:
        return None


# ---------------------------------------------------------------------- HTTP layer

class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address, handler, emulator, ssl_context):
        self.emulator = emulator
        self.ssl_context = ssl_context
        self._conns = set()
        self._conns_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request_thread(self, request, client_address):
        with self._conns_lock:
            self._conns.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._conns_lock:
                self._conns.discard(request)

    def close_connections(self):
        # A stopped emulator must not keep answering on idle keep-alive connections.
        with self._conns_lock:
            conns = list(self._conns)
        for sock in conns:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def finish_request(self, request, client_address):
        # TLS handshakes happen in the connection's own thread, so a silent client cannot stall accept().
        if self.ssl_context is not None:
            try:
                request.settimeout(10)
                request = self.ssl_context.wrap_socket(request, server_side=True)
                request.settimeout(None)
            except (ssl.SSLError, OSError):
                return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        if self.emulator.verbose:
            super().handle_error(request, client_address)


class _Drop(Exception):
    pass


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'ApinizerEmulator/1.0'
    # Headers and body go out in two writes; with Nagle on, keep-alive requests wait ~40 ms for an ACK.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        if self.server.emulator.verbose:
            super().log_message(fmt, *args)

    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def _send(self, status, body, headers=None, raw=None, content_type='application/json'):
        data = raw if raw is not None else (json.dumps(body).encode('utf-8') if body is not None else b'')
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(data)
        self.wfile.flush()

    def _drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _dispatch(self):
        emu = self.server.emulator
        path, _, query = self.path.partition('?')
        length = self.headers.get('Content-Length')
        raw = self.rfile.read(int(length)) if length and length.isdigit() else b''
        method = self.command
        try:
            if path.startswith('/__emulator__/redirected/'):
                self._send(200, emu._trap(method, self.path[len('/__emulator__/redirected'):], self.headers, raw,
                                          self._echo(raw)))
                return
            if path.startswith('/__emulator__/'):
                status, body, doc = emu.handle_hook(method, path, raw)
                if doc is not None:
                    if doc['delay']:
                        time.sleep(doc['delay'])
                    self._send(status, None, raw=doc['body'], content_type=doc['content_type'])
                else:
                    self._send(status, body)
                return
            entry = {'method': method, 'path': path, 'query': query or None, 'status': None,
                     'body': _log_body(self.headers, raw), 'fault': None, 'client_port': self.client_address[1],
                     'time': time.time()}
            fault = emu._take_fault(method, path)
            if fault:
                entry['fault'] = fault['action']
            if fault and fault['action'] == 'delay':
                time.sleep(fault['delay'])
                fault = None
            replacing = fault is not None and fault['action'] in faults.REPLACING
            if replacing and not fault['apply']:
                self._answer_fault(fault, entry, raw)
                return
            status, body, headers = self._process(method, path, raw)
            if replacing:
                entry['applied_status'] = status
                self._answer_fault(fault, entry, raw)
                return
            if fault:
                status, body = faults.transform(fault, status, body, self._echo(raw))
            entry['status'] = status
            emu._record(entry)
            if fault and fault['action'] == 'drip':
                self._send_drip(status, body, headers, fault['interval'])
            else:
                self._send(status, body, headers)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _process(self, method, path, raw):
        emu = self.server.emulator
        if not path.startswith('/apiops/'):
            return 404, {'error': 'not_found', 'error_description': 'No endpoint %s %s' % (method, path)}, {}
        try:
            return emu.handle_api(method, path, self.headers, raw)
        except ApiError as exc:
            return exc.status, exc.body(), {}
        except Exception as exc:  # an emulator bug must still answer like a server would
            if emu.verbose:
                import traceback
                traceback.print_exc()
            return 500, {'error': 'internal_error', 'error_description': '%s: %s' % (type(exc).__name__, exc)}, {}

    def _echo(self, raw):
        """The request exactly as received: what a careless server puts into its error text."""
        return {'method': self.command, 'path': self.path,
                'headers': dict((k, v) for k, v in self.headers.items()),
                'body': raw.decode('utf-8', 'replace')}

    def _answer_fault(self, fault, entry, raw=b''):
        """The answer of a fault that replaces the server's (status, drop, redirect, success_false, oversized)."""
        emu = self.server.emulator
        action = fault['action']
        if action == 'drop':
            emu._record(entry)
            self._drop()
            return
        status = 200 if action in ('success_false', 'oversized') else fault['status']
        entry['status'] = status
        emu._record(entry)
        if action == 'redirect':
            scheme = 'https' if self.server.ssl_context is not None else 'http'
            location = faults.redirect_location(fault, scheme, emu.host, emu.port, self.path)
            self._send(status, {'error': 'moved', 'error_description': 'Moved to %s' % location},
                       {'Location': location})
        elif action == 'success_false':
            self._send(200, faults.success_false_body(fault))
        elif action == 'oversized':
            self._send_oversized(fault['size'], fault['length_header'])
        else:
            body = faults.error_body(fault, status, STATUS_ERRORS.get(status, 'error'), self._echo(raw))
            headers = {}
            if fault['retry_after'] is not None:
                if fault['retry_after_in'] == 'body':
                    body['retry_after'] = fault['retry_after']
                else:
                    headers['Retry-After'] = str(fault['retry_after'])
            self._send(status, body, headers)

    def _send_head(self, status, headers):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.flush()

    def _send_drip(self, status, body, headers, interval):
        """The real answer, its body one byte every ``interval`` seconds (headers at once)."""
        data = json.dumps(body).encode('utf-8') if body is not None else b''
        self._send_head(status, dict(headers or {}, **{'Content-Type': 'application/json',
                                                       'Content-Length': str(len(data))}))
        for i in range(len(data)):
            time.sleep(interval)
            self.wfile.write(data[i:i + 1])
            self.wfile.flush()

    def _send_oversized(self, size, length_header):
        """A 200 JSON body of ``size`` bytes, streamed; without Content-Length it ends when the connection closes."""
        headers = {'Content-Type': 'application/json'}
        if length_header:
            headers['Content-Length'] = str(size)
        else:
            headers['Connection'] = 'close'
            self.close_connection = True
        self._send_head(200, headers)
        for part in faults.oversized_chunks(size):
            self.wfile.write(part)
        self.wfile.flush()


def main_url_env(emulator):
    lines = ['APINIZER_URL=%s' % emulator.url, 'APINIZER_TOKEN=%s' % emulator.token,
             'APINIZER_PROJECT=%s' % emulator._project]
    if emulator.ca_file:
        lines.append('APINIZER_CA_PATH=%s' % os.path.abspath(emulator.ca_file))
    return lines
