# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Credentials: list, create, and setting or removing the JWK a credential uses per purpose.

current: the pages answer ``status: "SUCCESS"`` (list with ``resultCount``); create-credential.mdx
also requires fullName and email and keeps usernames unique across all projects.
"""

import copy

from . import deployments, dialects
from .errors import bad_request, validation_failed
from .state import credential

PURPOSES = ('validation', 'encryption')
CREDENTIAL_FIELDS = ('username', 'email', 'fullName', 'description', 'roleNameList', 'enabled',
                     'ipList', 'expireDate')
USERNAME_TAKEN = ('This username is already used by another credential. Credential usernames must be unique '
                  'across ALL projects, not only this one, so the credential holding it may live in a different '
                  'project. Choose a different username.')


def _view(cred, hide):
    out = {k: copy.deepcopy(cred.get(k)) for k in CREDENTIAL_FIELDS}
    out['password'] = None
    if not hide:
        out['validationJwkName'] = cred.get('validationJwkName')
        out['encryptionJwkName'] = cred.get('encryptionJwkName')
    return out


def list_credentials(state, req):
    with state.lock:
        proj = state.project(req.project)
        hide = not state.config['report_assignments']
        items = [_view(c, hide) for c in proj['credentials'].values()]
        return 200, dialects.listing(state.dialect, dialects.STATUS, items), {}


def create_credential(state, req):
    body = req.body
    current = state.dialect == dialects.CURRENT
    if not isinstance(body, dict):
        raise bad_request('Request body must be a JSON object')
    username = body.get('username')
    if not isinstance(username, str) or not username.strip():
        raise bad_request('Credential username can not be empty!')
    if not body.get('password'):
        raise bad_request('Credential password can not be empty!')
    if current and not body.get('fullName'):
        raise bad_request('Credential full name can not be empty!')
    if current and not body.get('email'):
        raise bad_request('Credential email can not be empty!')
    for field in ('roleNameList', 'ipList'):
        if body.get(field) is not None and not isinstance(body[field], list):
            raise validation_failed(['%s: must be a list' % field])
    with state.lock:
        proj = state.project(req.project)
        if current and any(username in p['credentials'] for p in state.projects.values()):
            raise bad_request(USERNAME_TAKEN)
        if username in proj['credentials']:
            raise bad_request('Credential (username: %s) is already exist!' % username)
        data = {k: v for k, v in body.items() if k not in ('validationJwkName', 'encryptionJwkName')}
        proj['credentials'][username] = credential(data)
        return 200, deployments.write_answer(state, dialects.STATUS), {}


def _accessible_credential(state, proj, username):
    """The credential an assignment names: the project's own, else one of the admin project.

    Set JWK Encryption: "Credential must be in the same project or accessible from the
    project"; which ones are accessible is not documented. Ours: the admin project's.
    """
    cred = proj['credentials'].get(username)
    if cred is None:
        cred = state.projects.get('admin', {}).get('credentials', {}).get(username)
    if cred is None:
        raise bad_request('Credential (username: %s) was not found!' % username)
    return cred


def assign(state, req):
    username, purpose, jwk_name = req.args
    with state.lock:
        proj = state.project(req.project)
        cred = _accessible_credential(state, proj, username)
        admin = state.projects.get('admin', {'jwks': {}})
        # A credential may use a JWK of its own project or of the admin project.
        if jwk_name not in proj['jwks'] and jwk_name not in admin['jwks']:
            raise bad_request('JWK (name: %s) is not found!' % jwk_name)
        cred['%sJwkName' % purpose] = jwk_name
        return 200, deployments.write_answer(state, dialects.STATUS), {}


def unassign(state, req):
    username, purpose = req.args
    with state.lock:
        cred = _accessible_credential(state, state.project(req.project), username)
        field = '%sJwkName' % purpose
        if not cred.get(field):
            raise bad_request('No JWK is assigned to credential (username: %s) for %s!' % (username, purpose))
        cred[field] = None
        return 200, deployments.write_answer(state, dialects.STATUS), {}
