# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading, renaming, deleting and exporting JWKs.

current: list and get items carry ``id`` (JwkManagementDTO); list-jwks.mdx answers ``status:
"SUCCESS"`` with ``resultCount``, get/update/delete-jwk.mdx ``success: true``; export-file is
served (export-jwk-file.mdx). legacy: no ``id``, no ``resultCount``, no export-file.
"""

import copy

from . import deployments, dialects, keys, settings
from .errors import ApiError, bad_request, not_found, validation_failed

SUMMARY_FIELDS = ('name', 'description', 'projectId', 'sourceType', 'sourceId', 'sourceUrl', 'type', 'kid')


def summary(rec, dialect):
    out = {'id': rec['id']} if dialect == dialects.CURRENT else {}
    out.update((k, rec[k]) for k in SUMMARY_FIELDS)
    return out


def _full(rec, config):
    out = summary(rec, config['dialect'])
    if config['dialect'] == dialects.CURRENT and not config['get_jwk_material']:
        # The spec types Get JWK as JwkManagementDTO, which has no key member at all.
        return out
    jwk = copy.deepcopy(rec['jwk'])
    if not config['report_use_alg']:
        # The Get JWK page documents no use/alg members: the documented server leaves them out.
        jwk.pop('use', None)
        jwk.pop('alg', None)
    out[rec['type'].lower()] = jwk
    return out


def list_jwks(state, req):
    with state.lock:
        proj = state.project(req.project)
        items = [summary(r, state.dialect) for r in proj['jwks'].values()]
        return 200, dialects.listing(state.dialect, dialects.STATUS, items), {}


def get_jwk(state, req):
    name = req.args[0]
    with state.lock:
        rec = state.project(req.project)['jwks'].get(name)
        if rec is None:
            raise bad_request('JWK (name: %s) is not found!' % name)
        # get-jwk.mdx shows success: true and no resultCount.
        return 200, dialects.listing(state.dialect, dialects.SUCCESS, [_full(rec, state.config)], count=False), {}


def delete_jwk(state, req):
    name = req.args[0]
    with state.lock:
        proj = state.project(req.project)
        if name not in proj['jwks']:
            raise bad_request('JWK (name: %s) is not found!' % name)
        # Credentials keep the dangling name and policies the dangling id: that is how a real
        # deletion breaks them (delete-jwk.mdx only warns; the server does not refuse).
        del proj['jwks'][name]
        return 200, deployments.write_answer(state, dialects.SUCCESS, undeploy=True), {}


def update_jwk(state, req):
    name, body = req.args[0], req.body
    if not isinstance(body, dict):
        raise bad_request('Request body must be a JSON object')
    new = body.get('name', None)
    if new is not None and (not isinstance(new, str) or not new.strip()):
        raise bad_request('JWK name can not be empty!')
    desc = body.get('description', None)
    if desc is not None and not isinstance(desc, str):
        raise validation_failed(['description: must be a string'])
    with state.lock:
        proj = state.project(req.project)
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
            # A rename keeps the object and so its id. Credentials keep the old name: the docs
            # make updating references the user's job.
            rec['name'] = new
            proj['jwks'] = {(new if k == name else k): v for k, v in proj['jwks'].items()}
        return 200, deployments.write_answer(state, dialects.SUCCESS), {}


def export_file(state, req):
    """GET .../jwks/{name}/export-file/[?publicOnly=true]: the JWK Set document itself."""
    name = req.args[0]
    with state.lock:
        mode = settings.export_file(state.config)
        if mode == 'absent':
            # What a server older than export-jwk-file.mdx answers: no such endpoint.
            raise not_found('No endpoint %s %s' % (req.method, req.path))
        proj = state.project(req.project)
        if mode == 'refused':
            # The page requires SECRETS + EXPORT_IMPORT; a token without it is refused with 400.
            raise ApiError(400, 'forbidden', dialects.PERMISSION_DENIED)
        rec = proj['jwks'].get(name)
        if rec is None:
            raise bad_request('JWK (name: %s) is not found!' % name)
        jwk = copy.deepcopy(rec['jwk'])
    public_only = (req.query.get('publicOnly') or '').lower() == 'true'
    if public_only:
        jwk = {k: v for k, v in jwk.items() if k not in keys.PRIVATE_MEMBERS}
        if jwk.get('kty') == 'oct':
            # "Symmetric keys have no public form ... the call reports it rather than emitting an
            # empty document"; the page gives no text for it, this one is ours.
            raise bad_request('JWK (name: %s) carries no key material to export!' % name)
    filename = '%s%s.json' % (name, '-public' if public_only else '')
    return 200, {'keys': [jwk]}, {'Content-Disposition': 'attachment; filename="%s"' % filename}
