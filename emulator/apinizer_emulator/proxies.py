# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""API proxies and their policies: seeded records and the three reads.

- ``GET /projects/{p}/apiProxies/`` (list-api-proxies.mdx)
- ``GET /projects/{p}/apiProxies/{a}/policies/`` (list-policies.mdx; the ``{"apiProxy": {...}}``
  item of policy-jose-*.mdx with the setting ``policies_shape: wrapped``)
- ``GET /projects/{p}/apiProxies/{a}/?withPolicies=true`` (get-api-proxy.mdx)

JOSE policies pin a JWK by id (``jwkIdForValidationAndSign``, ``jwkIdForDecryptionAndEncryption``);
deleting the JWK does not touch them (delete-jwk.mdx only warns). With ``simplified_policies`` the
policy lists carry only type/name/description/active, as list-policies.mdx warns they may.
"""

import copy

from . import dialects
from .errors import bad_request

PIPELINES = ('requestPolicyList', 'responsePolicyList', 'errorPolicyList')
SIMPLE_FIELDS = ('type', 'name', 'description', 'active')
JOSE_VALIDATION = 'policy-jose-validation'
JOSE_IMPLEMENTATION = 'policy-jose-implementation'
# Seed-only conveniences: a JWK named here is stored as its id in the real field.
JWK_NAME_FIELDS = {'jwkNameForValidationAndSign': 'jwkIdForValidationAndSign',
                   'jwkNameForDecryptionAndEncryption': 'jwkIdForDecryptionAndEncryption'}

# The members policy-jose-validation.mdx shows in its List Policies answer, with its defaults.
_VALIDATION_DEFAULTS = {
    'active': True, 'joseTarget': 'BODY', 'joseTargetVariable': None, 'clientSourcePart': 'CLAIMS',
    'clientSourceVariable': None, 'clientFieldname': 'iss', 'acceptedAudienceList': [], 'exactMatchClaimMap': {},
    'requiredClaimList': [], 'prohibitedClaimList': [], 'validateExpirationTime': True, 'validateSign': True,
    'validateByIssuer': True, 'validateACLforIssuer': True, 'jwkIdForValidationAndSign': None, 'decrypt': False,
    'decryptByIssuer': True, 'jwkIdForDecryptionAndEncryption': None, 'stripAndDecode': 'NONE',
    'jwtClaimsToDecode': None, 'decodedClaimsTargetForDataManipulation': 'BODY',
    'decodedClaimsTargetVariableForDataManipulation': None}
# Likewise for policy-jose-implementation.mdx.
_IMPLEMENTATION_DEFAULTS = {
    'active': True, 'joseTarget': 'BODY', 'joseTargetVariable': None, 'jwtClaimsClaim': None,
    'escapeJsonString': False, 'addIssueTime': True, 'addJWTID': True, 'addIssuer': True,
    'issuer': 'https://issuer.example.com', 'addAudience': True, 'audienceList': ['api://example'],
    'addSubject': True, 'subject': 'user123', 'addTypeToHeader': True,
    'typeValue': 'JWT', 'addExpirationTime': True, 'expirationTimeValue': 3600, 'expirationTimeUnit': 'SECONDS',
    'additionalClaimMap': {}, 'sign': True, 'signByIssuer': True, 'jwkIdForValidationAndSign': None,
    'encrypt': False, 'encryptByIssuer': True, 'jwkIdForDecryptionAndEncryption': None,
    'encryptionMethod': 'A128CBC_HS256', 'encodedClaimsTargetForDataManipulation': 'BODY',
    'decodedClaimsTargetVariableForDataManipulation': None}


def _policy(item, resolve, where, n):
    if not isinstance(item, dict) or not isinstance(item.get('type'), str) or not item['type']:
        raise ValueError('a policy of %s needs a type' % where)
    given = dict(item)
    for name_field, id_field in JWK_NAME_FIELDS.items():
        if name_field in given:
            if id_field in given:
                raise ValueError('a policy of %s gives both %s and %s' % (where, name_field, id_field))
            given[id_field] = resolve(given.pop(name_field))
    ptype = given['type']
    # list-policies.mdx shows a description only where a policy has one.
    out = {'type': ptype, 'name': given.pop('name', None) or '%s-%d' % (ptype, n)}
    if ptype == JOSE_VALIDATION:
        out.update(_VALIDATION_DEFAULTS)
        # A pinned JWK is only used when the issuer's is not: that is what pinning means.
        if given.get('jwkIdForValidationAndSign'):
            out['validateByIssuer'] = False
            out['validateACLforIssuer'] = False
        if given.get('jwkIdForDecryptionAndEncryption'):
            out['decrypt'] = True
            out['decryptByIssuer'] = False
    elif ptype == JOSE_IMPLEMENTATION:
        out.update(_IMPLEMENTATION_DEFAULTS)
        if given.get('jwkIdForValidationAndSign'):
            out['signByIssuer'] = False
        if given.get('jwkIdForDecryptionAndEncryption'):
            out['encrypt'] = True
            out['encryptByIssuer'] = False
    else:
        out['active'] = True
    out.update(given)
    return out


def _pipelines(item, resolve, where):
    out = {}
    for pipeline in PIPELINES:
        entries = item.get(pipeline) or []
        if not isinstance(entries, list):
            raise ValueError('%s of %s must be a list' % (pipeline, where))
        out[pipeline] = [_policy(p, resolve, '%s %s' % (where, pipeline), n + 1) for n, p in enumerate(entries)]
    return out


def proxy_record(item, resolve):
    """A stored API proxy from a seed entry; ``resolve(name)`` gives a JWK's id (ValueError if none)."""
    if not isinstance(item, dict) or not isinstance(item.get('name'), str) or not item['name']:
        raise ValueError('a seeded API proxy needs a name')
    name = item['name']
    rec = {'name': name, 'description': item.get('description', ''), 'type': item.get('type', 'REST'),
           'relativePath': item.get('relativePath', '/' + name), 'soapToRest': bool(item.get('soapToRest', False)),
           'endpointList': []}
    rec.update(_pipelines(item, resolve, 'API proxy %r' % name))
    endpoints = item.get('endpointList') or []
    if not isinstance(endpoints, list):
        raise ValueError('endpointList of API proxy %r must be a list' % name)
    for n, ep in enumerate(endpoints):
        if not isinstance(ep, dict) or not ep.get('endpoint'):
            raise ValueError('an endpoint of API proxy %r needs endpoint (its path)' % name)
        method = ep.get('httpMethod', 'GET')
        where = 'API proxy %r endpoint %s %s' % (name, method, ep['endpoint'])
        out = {'id': ep.get('id') or '%s-endpoint-%d' % (name, n + 1), 'endpoint': ep['endpoint'],
               'description': ep.get('description', ''), 'active': bool(ep.get('active', True)),
               'httpMethod': method, 'backendResourceUrl': ep.get('backendResourceUrl', ep['endpoint']),
               'backendHttpMethod': ep.get('backendHttpMethod', method)}
        out.update(_pipelines(ep, resolve, where))
        rec['endpointList'].append(out)
    return rec


# ---------------------------------------------------------------------- views

def _policy_view(policy, simplified):
    if simplified:
        return {k: copy.deepcopy(policy[k]) for k in SIMPLE_FIELDS if k in policy}
    return copy.deepcopy(policy)


def _lists(holder, simplified):
    return {p: [_policy_view(x, simplified) for x in holder[p]] for p in PIPELINES}


def _policies_item(rec, config):
    simplified = config['simplified_policies']
    endpoints = []
    for ep in rec['endpointList']:
        view = {'endpoint': ep['endpoint'], 'active': ep['active'], 'httpMethod': ep['httpMethod']}
        view.update(_lists(ep, simplified))
        endpoints.append(view)
    if config['policies_shape'] == 'wrapped':
        inner = {'name': rec['name']}
        inner.update(_lists(rec, simplified))
        inner['endpointList'] = endpoints
        return {'apiProxy': inner}
    item = {'name': rec['name'], 'type': rec['type'], 'relativePath': rec['relativePath'],
            'soapToRest': rec['soapToRest']}
    item.update(_lists(rec, simplified))
    item['endpointList'] = endpoints
    return item


def _detail_item(rec, config, with_policies):
    endpoints = []
    for ep in rec['endpointList']:
        view = {k: ep[k] for k in ('id', 'endpoint', 'description', 'active', 'httpMethod', 'backendResourceUrl',
                                   'backendHttpMethod')}
        if with_policies:
            # get-api-proxy.mdx: withPolicies adds the three lists to each endpoint (and shows no
            # proxy-level lists; those are in List Policies).
            view.update(_lists(ep, config['simplified_policies']))
        endpoints.append(view)
    return {'name': rec['name'], 'description': rec['description'], 'apiType': rec['type'], 'categoryList': [],
            'sharingType': 'PROJECT',
            'clientRoute': {'relativePathList': [rec['relativePath']], 'hostList': []},
            'routing': {'routingEnabled': True, 'routingAddressList': [
                {'address': 'https://backend.example.com', 'weight': 100, 'healthMonitoringEnabled': False}]},
            'endpointList': endpoints,
            'deploymentList': [{'environmentName': env, 'deployed': True, 'redeployRequired': False}
                               for env in config['environments']]}


# ---------------------------------------------------------------------- handlers

def _proxy(state, req):
    rec = state.project(req.project)['apiProxies'].get(req.args[0])
    if rec is None:
        raise bad_request('ApiProxy (name: %s) was not found!' % req.args[0])
    return rec


def list_proxies(state, req):
    with state.lock:
        recs = sorted(state.project(req.project)['apiProxies'].values(), key=lambda r: r['name'])
        items = [{k: r[k] for k in ('name', 'description', 'type', 'relativePath', 'soapToRest')} for r in recs]
        return 200, dialects.listing(state.dialect, dialects.STATUS, items), {}


def list_policies(state, req):
    with state.lock:
        item = _policies_item(_proxy(state, req), state.config)
        return 200, dialects.listing(state.dialect, dialects.STATUS, [item]), {}


def get_proxy(state, req):
    with_policies = (req.query.get('withPolicies') or '').lower() == 'true'
    with state.lock:
        item = _detail_item(_proxy(state, req), state.config, with_policies)
        return 200, dialects.listing(state.dialect, dialects.SUCCESS, [item]), {}
