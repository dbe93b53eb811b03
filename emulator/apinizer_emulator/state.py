# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the emulated server holds: projects (JWKs, credentials, key material, API proxies),
tokens, users and settings; the default seed, seeding and reset."""

import copy
import json
import threading
import uuid

from . import dialects, keys, proxies, settings
from .errors import ApiError

DEFAULT_TOKEN = 'emulator-token'
DEFAULT_USERS = {'admin': 'admin-password'}
DEFAULT_ENVIRONMENTS = ('production', 'staging')


def project_id(name):
    return uuid.uuid5(uuid.NAMESPACE_URL, 'apinizer-emulator:' + name).hex[:24]


def new_id():
    """A fresh object id (24 hex digits, the shape of the vendor's ids): never reused."""
    return uuid.uuid4().hex[:24]


def new_project(name):
    return {'id': project_id(name), 'jwks': {}, 'credentials': {}, 'certificates': {}, 'keys': {},
            'keystores': {}, 'apiProxies': {}}


def credential(data):
    return {'username': data.get('username'), 'email': data.get('email'),
            'fullName': data.get('fullName'), 'description': data.get('description'),
            'password': data.get('password'), 'roleNameList': list(data.get('roleNameList') or []),
            'enabled': data.get('enabled', True) if data.get('enabled') is not None else True,
            'ipList': list(data.get('ipList') or []), 'expireDate': data.get('expireDate'),
            'validationJwkName': data.get('validationJwkName'),
            'encryptionJwkName': data.get('encryptionJwkName')}


def jwk_record(project, name, jwk, source_type, description=None, source_id=None, source_url=None, meta=None,
               jwk_id=None):
    """A stored JWK; a new record always gets a new id (a re-created name is another object)."""
    return {'id': jwk_id or new_id(), 'name': name, 'description': description, 'projectId': project['id'],
            'sourceType': source_type, 'sourceId': source_id, 'sourceUrl': source_url,
            'type': keys.key_type_of_jwk(jwk), 'kid': jwk.get('kid'), 'jwk': jwk, 'meta': meta or {}}


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


def load_seed_file(path):
    with open(path, 'r', encoding='utf-8') as fh:
        text = fh.read()
    try:
        return json.loads(text)
    except ValueError:
        import yaml  # PyYAML ships with ansible-core; JSON seeds need nothing
        return yaml.safe_load(text)


class State:
    """Everything the API handlers read and write, under one lock."""

    def __init__(self, token, users, project, extra_seed, initial_settings, generate):
        self.lock = threading.RLock()
        self._token = token
        self._users0 = dict(users)
        self._project = project
        self._extra_seed = extra_seed
        self._settings0 = initial_settings
        # The generate body -> (jwk, meta) function of the JWK handlers: seeds may generate keys.
        self._generate = generate
        self.ca_file = None
        self.reset()

    # ------------------------------------------------------------------ reset and seed
    def reset(self):
        with self.lock:
            self.projects = {}
            self.tokens = {self._token} if self._token else set()
            self.expired_tokens = set()
            self.users = dict(self._users0)
            self.config = copy.deepcopy(self._settings0)
            self.seed(default_seed(self._project))
            if self._extra_seed:
                self.seed(self._extra_seed)

    def seed(self, data):
        """Merge a seed; all or nothing (ValueError names what is wrong)."""
        if not isinstance(data, dict):
            raise ValueError('a seed is a mapping')
        with self.lock:
            saved = copy.deepcopy((self.projects, self.tokens, self.expired_tokens, self.users))
            try:
                self._seed(data)
            except Exception:
                self.projects, self.tokens, self.expired_tokens, self.users = saved
                raise

    def _seed(self, data):
        for tok in data.get('tokens') or []:
            self.tokens.add(str(tok))
        for tok in data.get('expired_tokens') or []:
            # A token the server knows but that has run out: 401 "Token was expired!" (current).
            self.tokens.discard(str(tok))
            self.expired_tokens.add(str(tok))
        for user, pw in (data.get('users') or {}).items():
            self.users[str(user)] = str(pw)
        for pname, pdata in (data.get('projects') or {}).items():
            proj = self.projects.setdefault(pname, new_project(pname))
            pdata = pdata or {}
            for kind in ('certificates', 'keys', 'keystores'):
                for name, value in (pdata.get(kind) or {}).items():
                    proj[kind][name] = value
            for cred in pdata.get('credentials') or []:
                if isinstance(cred, str):
                    cred = {'username': cred}
                proj['credentials'][cred['username']] = credential(cred)
            for item in pdata.get('jwks') or []:
                rec = self._seed_jwk(proj, item)
                proj['jwks'][rec['name']] = rec
            # After the JWKs: a policy may name a JWK seeded in the same call.
            for item in pdata.get('apiProxies') or []:
                rec = proxies.proxy_record(item, lambda name, p=pname: self.jwk_id_for_seed(p, name))
                proj['apiProxies'][rec['name']] = rec

    def _seed_jwk(self, proj, item):
        jwk = item.get('jwk')
        if jwk is None:
            for member in ('rsa', 'ec', 'oct', 'okp'):
                if member in item:
                    jwk = item[member]
        if jwk is None and 'generate' in item:
            jwk, _meta = self._generate(dict(item['generate'], name=item['name']))
        if jwk is None:
            raise ValueError('seed JWK %r needs jwk, a type-named member or generate' % item.get('name'))
        jwk = keys.validate_jwk(jwk)
        return jwk_record(proj, item['name'], jwk, item.get('sourceType', 'COPY_PASTE'), item.get('description'),
                          item.get('sourceId'), item.get('sourceUrl'), item.get('meta', {}), item.get('id'))

    def jwk_id_for_seed(self, pname, name):
        """The id of JWK ``name`` of the project, else of the admin project (a seed names it)."""
        for where in (pname, 'admin'):
            rec = self.projects.get(where, {}).get('jwks', {}).get(name)
            if rec is not None:
                return rec['id']
        raise ValueError('seed policy names JWK %r, which project %r does not have' % (name, pname))

    # ------------------------------------------------------------------ reads shared by the handlers
    @property
    def dialect(self):
        return self.config['dialect']

    def project(self, name, page_text=None):
        """The project, or the project-not-found error of the active dialect.

        current: 400 with the page's text (error-handling.mdx unless ``page_text`` names another);
        legacy: 404 with the older pages' text.
        """
        proj = self.projects.get(name)
        if proj is not None:
            return proj
        if self.dialect == dialects.CURRENT:
            template = self.config['project_not_found_message'] or page_text or dialects.PROJECT_NOT_FOUND
            raise ApiError(400, 'bad_request', template.replace('{project}', name))
        template = self.config['project_not_found_message'] or dialects.LEGACY_PROJECT_NOT_FOUND
        raise ApiError(404, 'not_found', template.replace('{project}', name))

    def configure(self, changes):
        with self.lock:
            self.config.update(changes)
            return dict(self.config)

    def snapshot(self):
        with self.lock:
            return copy.deepcopy({'projects': self.projects, 'config': self.config,
                                  'tokens': sorted(self.tokens), 'expired_tokens': sorted(self.expired_tokens),
                                  'users': self.users})


def initial_settings(dialect, environments, report_assignments, report_use_alg, extra):
    """The settings reset() restores: the constructor's, checked like a configure() call."""
    config = settings.defaults(dialects.check(dialect), environments, bool(report_assignments),
                               bool(report_use_alg))
    config.update(settings.updates(extra or {}))
    return config
