#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


DOCUMENTATION = r'''
---
module: apinizer_jwk_info
short_description: List Apinizer JWKs or describe some of them with their public keys
version_added: 1.0.0
description:
  - Without O(name) or O(names), lists every JWK of the project with its metadata and id, in one request.
  - With O(name) or O(names), reads the project's JWK list and each named JWK's public key (one
    request per name) and returns its metadata, its RFC 7638 thumbprint and its public key, plus
    RV(jwk_set), a JWK Set document of those public keys ready to publish (for example as a
    C(jwks.json) endpoint that token consumers read).
  - The public key comes from the public-only export (C(export-file?publicOnly=true)) where the server
    has it, so no private member crosses the wire; otherwise (a 404 or a permission refusal, asked once
    per run) from Get JWK, which sends the private members too. A symmetric (V(OCT)) key is always read
    with Get JWK (it has no public form).
  - Private key members (C(d), C(p), C(q), C(dp), C(dq), C(qi), C(oth), and the C(k) of
    symmetric keys) are never returned, even when the API sends them to the module.
  - Names that do not exist are listed in RV(missing); they do not fail the task, so a
    play can decide what a missing key means for it (see the C(failed_when) example).
author:
  - apinizer.apiops maintainers (@apinizer)
extends_documentation_fragment:
  - apinizer.apiops.connection
  - apinizer.apiops.attributes
  - apinizer.apiops.attributes.info_module
options:
  name:
    description:
      - Name of one JWK to describe with its public key.
      - Mutually exclusive with O(names).
    type: str
  names:
    description:
      - Names of JWKs to describe with their public keys. Duplicates are read once;
        the order of RV(jwks) and of the keys in RV(jwk_set) follows this list.
      - Mutually exclusive with O(name).
    type: list
    elements: str
  usage:
    description:
      - Add RV(jwks[].usage) to each JWK returned, where it is used. Policies pin a JWK by its id; credentials
        use it by name.
      - Costs one request for the project's API proxies, one per proxy (its policies) and one for the
        credential list, whatever the number of JWKs.
      - A server that reports no JWK ids cannot be checked; the module then warns, and says so in each
        RV(jwks[].usage.unchecked).
    type: bool
    default: false
notes:
  - B(What O(usage) checks.) The policies of every API proxy of the project, at proxy level and on every
    endpoint, in the request, response and error pipelines. A policy that shows a JWK's id in
    C(jwkIdForValidationAndSign) or C(jwkIdForDecryptionAndEncryption) pins that JWK, whatever its
    C(*ByIssuer) flags say. A JOSE policy (C(policy-jose-validation), C(policy-jose-implementation)) whose
    answer does not show those fields (the server may simplify the list), and a pipeline or endpoint list the
    answer leaves out, may pin any JWK of the project, and is listed in RV(jwks[].usage.possible) of every JWK.
    Credentials are listed when the project's credential list reports which JWK each credential uses (the
    documented API does not). Only that list is read, so the credentials outside it (those accessible from
    the project, and in the C(admin) project those of every project) are named in RV(jwks[].usage.unchecked).
  - B(What O(usage) cannot show.) Global policies (the API lists them without their settings), policy groups
    (shown without their policies) and connections. RV(jwks[].usage.unchecked) names them, and
    RV(jwks[].usage.complete) is V(false). An empty RV(jwks[].usage.policies) means that no API proxy policy
    pins the JWK, not that nothing uses it.
  - Symmetric (C(oct)) keys have no public part. They appear in RV(jwks) with their
    metadata and thumbprint, their RV(jwks[].public_jwk) carries no key value, and they are
    left out of RV(jwk_set), since publishing a shared secret would disclose it.
  - Only the project given by the connection options is read; JWKs of the C(admin)
    project need O(project=admin).
seealso:
  - module: apinizer.apiops.apinizer_jwk
  - module: apinizer.apiops.apinizer_credential_jwk
'''

EXAMPLES = r'''
- name: Inspect and publish JWKs
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/apinizer.apiops.apinizer:
      apinizer_url: https://apinizer.example.com
      apinizer_token: "{{ vault_apinizer_token }}"
      project: demo
  tasks:
    - name: List every JWK of the project (metadata only, one request)
      apinizer.apiops.apinizer_jwk_info:
      register: all_jwks

    - name: Show their names and key types
      ansible.builtin.debug:
        msg: "{{ all_jwks.jwks | map(attribute='name') | zip(all_jwks.jwks | map(attribute='key_type')) }}"

    - name: Describe the current and the next signing key
      apinizer.apiops.apinizer_jwk_info:
        names:
          - signing-2026
          - signing-2027
      register: signing

    - name: Publish both public keys as a JWK Set during the rotation window
      ansible.builtin.copy:
        content: "{{ signing.jwk_set | to_nice_json }}"
        dest: /var/www/.well-known/jwks.json
        mode: "0644"
      when: signing.missing | length == 0

- name: Find the JWKs of a project that no policy or credential uses
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/apinizer.apiops.apinizer:
      apinizer_url: https://apinizer.example.com
      apinizer_token: "{{ vault_apinizer_token }}"
      project: demo
  tasks:
    - name: List every JWK with where it is used
      apinizer.apiops.apinizer_jwk_info:
        usage: true
      register: with_usage

    - name: Show the JWKs that nothing the API shows uses
      ansible.builtin.debug:
        msg: >-
          Unused (no API proxy policy pins it, none may, no credential uses it):
          {{ with_usage.jwks
             | selectattr('usage.policies', 'equalto', [])
             | selectattr('usage.possible', 'equalto', [])
             | selectattr('usage.credentials', 'equalto', [])
             | map(attribute='name') | list }}.
          Not checked: {{ with_usage.jwks | map(attribute='usage.unchecked') | flatten | unique | list }}

- name: Read a key shared from the admin project
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/apinizer.apiops.apinizer:
      project: admin
  tasks:
    - name: Thumbprint of the shared JWK, failing when it does not exist
      apinizer.apiops.apinizer_jwk_info:
        name: shared-admin-jwk
      register: shared
      failed_when: shared.missing | length > 0

    - name: Print it
      ansible.builtin.debug:
        var: shared.jwks[0].thumbprint
'''

RETURN = r'''
jwks:
  description:
    - Without O(name)/O(names), every JWK of the project with its metadata.
    - With O(name)/O(names), each JWK that exists, in the order asked, with metadata,
      RV(jwks[].thumbprint) and RV(jwks[].public_jwk).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description:
        - The server's id of the JWK; policies pin a JWK by it. V(null) when the server does not report ids.
      type: str
      sample: 6650f1c2a4e5b7d8c9f0a1b2
    name:
      description: JWK name.
      type: str
      sample: signing-2026
    description:
      description: JWK description.
      type: str
      sample: Token signing key for 2026
    source_type:
      description:
        - Where the key came from, in the vocabulary of the O(apinizer.apiops.apinizer_jwk#module:source) option.
      type: str
      sample: generate
    key_type:
      description: V(RSA), V(EC), V(OCT) or V(OKP).
      type: str
      sample: RSA
    kid:
      description: Key id.
      type: str
      sample: "1764028800"
    use:
      description:
        - V(signature) or V(encryption) (the vocabulary of the
          O(apinizer.apiops.apinizer_jwk#module:use) option); V(null) when the server does not report it.
      type: str
      returned: with O(name)/O(names)
      sample: signature
    alg:
      description: JOSE algorithm name; V(null) when the server does not report it.
      type: str
      returned: with O(name)/O(names)
      sample: RS256
    key_size:
      description: Key size in bits (RSA and OCT).
      type: int
      returned: with O(name)/O(names), for RSA and OCT keys
      sample: 2048
    curve:
      description: Curve name (EC and OKP).
      type: str
      returned: with O(name)/O(names), for EC and OKP keys
      sample: P-256
    thumbprint:
      description: RFC 7638 SHA-256 thumbprint, base64url without padding.
      type: str
      returned: with O(name)/O(names)
      sample: NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs
    public_jwk:
      description:
        - The public key as an RFC 7517 JWK, without any private member.
        - For symmetric (C(oct)) keys, which have no public part, only C(kty) and the
          descriptive members (C(kid), C(use), C(alg)); never C(k).
      type: dict
      returned: with O(name)/O(names)
      sample:
        kty: EC
        kid: "1764028800"
        use: sig
        alg: ES256
        crv: P-256
        x: f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU
        y: x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0
    usage:
      description:
        - Where the JWK is used, with O(usage=true).
      type: dict
      returned: with O(usage=true)
      contains:
        credentials:
          description:
            - The credentials that use the JWK (C(username), C(purpose) V(validation) or V(encryption)), when the
              server reports which JWK each credential uses; empty otherwise (then RV(jwks[].usage.unchecked)
              says so).
          type: list
          elements: dict
          sample: [{"username": "partner-a", "purpose": "validation"}]
        policies:
          description:
            - The policies that pin the JWK by its id - C(api_proxy), C(endpoint) (V(proxy level) or the
              endpoint's method and path), C(pipeline) (V(request), V(response) or V(error)), C(policy) (its name,
              else its description, else its position such as V(#2)), C(type) and C(field).
          type: list
          elements: dict
          sample: [{"api_proxy": "orders", "endpoint": "proxy level", "pipeline": "request",
                    "policy": "verify-token", "type": "policy-jose-validation",
                    "field": "jwkIdForValidationAndSign"}]
        possible:
          description:
            - The policies that may pin this JWK (or any JWK of the project) because the answer does not show
              their key fields, with the same keys and a C(reason). C(policy), C(type) and C(field) are V(null)
              when a whole pipeline or the endpoint list is not shown.
          type: list
          elements: dict
          sample: [{"api_proxy": "orders", "endpoint": "POST /orders", "pipeline": "request", "policy": "#1",
                    "type": "policy-jose-validation", "field": "jwkIdForValidationAndSign",
                    "reason": "the answer does not show jwkIdForValidationAndSign"}]
        complete:
          description: V(false) when something could not be checked (always, with the documented API).
          type: bool
          sample: false
        unchecked:
          description: What could not be checked, one reason each.
          type: list
          elements: str
          sample: ["policy groups: the API shows a group without its policies"]
missing:
  description:
    - Names given in O(name)/O(names) that do not exist in the project. Empty when all
      exist and when listing.
  returned: always
  type: list
  elements: str
  sample: [signing-2027]
jwk_set:
  description:
    - A JWK Set (RFC 7517 section 5) of the public keys of RV(jwks), ready to publish.
    - Symmetric (C(oct)) keys are left out.
    - Its one member C(keys) is the list of public JWKs, as RFC 7517 names it. Read it in Jinja as
      C(jwk_set['keys']), since C(jwk_set.keys) is the dictionary method.
    - When several keys of the set share a C(kid), the module warns, naming the kid and the JWKs,
      because a verifier that selects keys by C(kid) may pick the wrong one.
  returned: when O(name) or O(names) is given
  type: dict
  sample:
    keys:
      - kty: EC
        kid: shared-2026
        use: sig
        alg: ES256
        crv: P-256
        x: f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU
        y: x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0
'''

from ansible_collections.apinizer.apiops.plugins.module_utils.apinizer_module import ApinizerModule
# The unit tests patch module.ApinizerClient.from_module: the name stays importable from here.
from ansible_collections.apinizer.apiops.plugins.module_utils.client import ApinizerClient  # noqa: F401 pylint: disable=unused-import
from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_material import duplicate_kids, jwk_set
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_reader import JwkReader
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_state import jwk_view
from ansible_collections.apinizer.apiops.plugins.module_utils.where_used import WhereUsed


# Metadata a listing returns; the summary endpoint carries nothing more useful.
SUMMARY_KEYS = ('id', 'name', 'description', 'source_type', 'key_type', 'kid')


def summary_view(summary):
    """Listing entry: metadata in the user's vocabulary, nothing else."""
    viewed = jwk_view(summary)
    return dict((k, viewed.get(k)) for k in SUMMARY_KEYS)


def unique(names):
    seen = set()
    return [n for n in names if not (n in seen or seen.add(n))]


def read(module, result, doing, call, *args):
    try:
        return call(*args)
    except ApinizerError as e:
        module.fail_api(e, result, doing)


def warn_duplicate_kids(module, found):
    """One warning per kid that several keys of jwk_set share, naming the JWKs (server text: masked)."""
    for kid, names in sorted(duplicate_kids(found).items()):
        module.warn(module.client.mask(
            'jwk_set carries kid {0!r} {1} times (JWKs: {2}): a verifier that selects keys by kid may pick the wrong '
            'one; give each JWK a unique kid before publishing this set'.format(kid, len(names), ', '.join(names))))


def add_usage(module, result, summaries):
    """usage of every JWK returned: the policies and credentials, read once for all of them."""
    if not result['jwks']:
        return  # nothing to tell about: no request
    client = module.client
    where = WhereUsed(client, summaries)
    read(module, result, 'Reading the API proxies and policies of project {0!r}'.format(client.project), where.read)
    read(module, result, 'Reading the credentials of project {0!r}'.format(client.project), where.read_credentials)
    if not any(where.checked(jwk['name']) for jwk in result['jwks']):
        module.warn('The server reports no JWK ids, and policies pin a JWK by its id: which policies use these '
                    'JWKs could not be checked (usage.unchecked says so for each).')
    for jwk in result['jwks']:
        jwk['usage'] = masked(client, where.usage(jwk['name']))


def masked(client, usage):
    """The usage with the server's texts masked (names of proxies, policies, endpoints, credentials)."""
    def mask(value):
        if isinstance(value, str):
            return client.mask(value)
        if isinstance(value, list):
            return [mask(v) for v in value]
        if isinstance(value, dict):
            return dict((k, mask(v)) for k, v in value.items())
        return value
    return mask(usage)


def main():
    module = ApinizerModule(
        argument_spec=dict(name=dict(type='str'), names=dict(type='list', elements='str'),
                           usage=dict(type='bool', default=False)),
        mutually_exclusive=[('name', 'names')],
        supports_check_mode=True,
    )
    params, client = module.params, module.client
    reader = JwkReader(client)
    result = dict(changed=False, jwks=[], missing=[])
    listing = 'Listing the JWKs of project {0!r}'.format(client.project)
    summaries = read(module, result, listing, reader.summaries)
    if params['name'] is None and params['names'] is None:
        result['jwks'] = [summary_view(s) for s in summaries.values()]
        if params['usage']:
            add_usage(module, result, summaries)
        module.exit(result)

    found = []
    for name in unique([params['name']] if params['name'] is not None else params['names']):
        if name not in summaries:
            result['missing'].append(name)   # the project's whole list shows it is missing
            continue
        doing = 'Reading the public key of JWK {0!r} of project {1!r}'.format(name, client.project)
        api_jwk = read(module, result, doing, reader.with_public, summaries[name])
        found.append(api_jwk)
        result['jwks'].append(jwk_view(api_jwk))
    result['jwk_set'] = jwk_set(found)
    warn_duplicate_kids(module, found)
    if params['usage']:
        add_usage(module, result, summaries)
    module.exit(result)


if __name__ == '__main__':
    main()
