# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Request bodies of the JWK endpoints, from a module's (validated) options.

Owns the API's field names for a JWK write: ``build_generate_body`` (POST /jwks/generate, algorithm
in the endpoint's enum spelling), ``build_create_body`` (POST /jwks/, every other source, JOSE
spelling) and ``build_update_body`` (PUT /jwks/{name}/, the description only). To support a new
source type, add its options to jwk_validation.SOURCE_OPTIONS and its fields here.

Pure functions over a params dict: a bulk module can call them per item.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_defaults import effective_use, resolve_generate
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_material import parse_user_jwk
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_vocabulary import (
    CURVES,
    KEY_SIZES,
    KEY_TYPE_TO_MEMBER,
    SOURCE_TO_API,
    USE_TO_API,
    USE_TO_MEMBER,
    canonical_algorithm,
    jose_to_enum,
    normalise_source,
    normalise_use,
    rfc_alg,
)


def _common_body(params):
    body = {'name': params['name']}
    if params.get('description') is not None:
        body['description'] = params['description']
    return body


def build_generate_body(params):
    """Body for POST /jwks/generate (algorithm in the endpoint's enum spelling).

    The key size or curve is always sent (the endpoint requires it); use and
    algorithm are sent with their effective values so the key carries them;
    everything else only when the user set it.
    """
    resolved = resolve_generate(params)
    key_type = resolved['key_type']
    member = {}
    if key_type in KEY_SIZES:
        member['keySize'] = int(resolved['key_size'])
    else:
        member['curveType'] = CURVES[resolved['curve']][1]
    member['keyUseType'] = USE_TO_API[resolved['use']]
    if resolved['algorithm'] is not None:
        member['algorithm'] = jose_to_enum(resolved['algorithm'])
    if params.get('kid_type') is not None:
        member['keyIdType'] = str(params['kid_type']).upper()
    if params.get('not_before') is not None:
        member['notBeforeTime'] = params['not_before']
    if params.get('expiration') is not None:
        member['expirationTime'] = params['expiration']
    if key_type == 'OCT':
        if params.get('password_salt_length') is not None:
            member['passwordSaltLength'] = int(params['password_salt_length'])
        if params.get('password_iteration_count') is not None:
            member['passwordIterationCount'] = int(params['password_iteration_count'])
    body = _common_body(params)
    body['type'] = key_type
    if params.get('kid') is not None:
        body['kid'] = str(params['kid'])
    body[KEY_TYPE_TO_MEMBER[key_type]] = member
    return body


def build_create_body(params):
    """Body for POST /jwks/ (every source but generate; algorithm in JOSE spelling)."""
    source = normalise_source(params.get('source'))
    if source not in SOURCE_TO_API or source == 'generate':
        raise ValueError("build_create_body does not handle source %r" % (source,))
    body = _common_body(params)
    body['sourceType'] = SOURCE_TO_API[source]
    if params.get('kid') is not None:
        body['kid'] = str(params['kid'])
    if source == 'url':
        body['url'] = params['url']
        for option, field in (('url_connect_timeout', 'urlOptionConnectTimeout'),
                              ('url_read_timeout', 'urlOptionReadTimeout'),
                              ('url_size_limit', 'urlOptionSizeLimit')):
            if params.get(option) is not None:
                body[field] = int(params[option])
        return body
    if source == 'jwk':
        jwk = parse_user_jwk(params['jwk'], params.get('kid'))
        # the chosen key only: the API then never has to pick from a set
        if params.get('use') is not None and jwk.get('use') is None:
            jwk['use'] = USE_TO_MEMBER[normalise_use(params['use'])]
        if params.get('algorithm') is not None and jwk.get('alg') is None:
            # the JWK member takes RFC 7518's spelling ('dir'), never the API field's ('DIR')
            jwk['alg'] = rfc_alg(params['algorithm'])
        body['jwkStr'] = json.dumps(jwk, separators=(',', ':'), sort_keys=True)
        return body
    body['environmentName'] = params['environment']
    body['useType'] = USE_TO_API[effective_use(params)]
    body['algorithm'] = canonical_algorithm(params['algorithm'])
    if source == 'certificate':
        body['certificateName'] = params['certificate_name']
    elif source in ('public_key', 'private_key'):
        body['keyName'] = params['key_name']
    else:
        body['keyStoreName'] = params['keystore_name']
        body['aliasName'] = params['alias']
    return body


def build_update_body(params):
    """Body for PUT /jwks/{name}/: the API changes only the description in place."""
    return {'description': params['description']}
