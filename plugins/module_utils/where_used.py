# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Where a JWK is used: the policies that pin it by id, and the credentials that use it by name.

Owns what the collection concludes from the policies of a project's API proxies
(docs/rotation.md, "Where a JWK is used"):

- a **pin**: a policy that shows a JWK id in ``jwkIdForValidationAndSign`` or
  ``jwkIdForDecryptionAndEncryption`` (policy-jose-validation.mdx, policy-jose-implementation.mdx),
  whatever its ``*ByIssuer`` flags say (the server keeps the id, and the flag is one click away);
- a **possible** reference: a JOSE policy whose answer does not show one of those fields (the
  List Policies page warns that details "may be simplified"), or a pipeline or endpoint list the
  answer leaves out. It may pin any JWK of the project;
- what the documented API cannot show at all (``NOT_SHOWN``): reported, never left out;
- a JWK whose id the server does not report: its pins cannot be told, so it counts as unchecked.

Every answer is untrusted: a policies answer of the wrong shape raises UnexpectedAnswer (never
"no policies"). Costs one request for the proxy list and one per proxy, read once per run and only
when a caller asks (a run that deletes or replaces, or ``usage: true``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.apinizer.apiops.plugins.module_utils.credentials import (
    ADMIN_PROJECT,
    PURPOSES,
    assignments_reported,
    current_assignment,
    proving_projects,
)
from ansible_collections.apinizer.apiops.plugins.module_utils.errors import UnexpectedAnswer

JOSE_TYPES = ('policy-jose-validation', 'policy-jose-implementation')
KEY_FIELDS = ('jwkIdForValidationAndSign', 'jwkIdForDecryptionAndEncryption')
# (the pipeline's word in a reference, the member of the proxy or endpoint object that lists it)
PIPELINES = (('request', 'requestPolicyList'), ('response', 'responsePolicyList'), ('error', 'errorPolicyList'))
PROXY_LEVEL = 'proxy level'
ALL_ENDPOINTS = 'every endpoint'

# What the documented API cannot show (vendor reference cc9f74b8): always in ``unchecked``.
NOT_SHOWN = (
    'global policies: the API lists them by name and type only, never with the JWK a global JOSE policy pins',
    'policy groups: the API shows a group without its policies',
    'connections and other settings outside API proxy policies: the documented API does not show which JWK '
    'they use',
)
OTHER_PROJECTS = ('API proxies of other projects: a JWK of project admin may be used from any project, and only '
                  "this project's API proxies are read")
NO_ID = ('the server reports no id for this JWK, and policies pin a JWK by its id: a pin cannot be matched to '
         'it, so every pin of an id no listed JWK has counts as a possible reference to it')
# A warning for a deletion that goes ahead on a server without ids: nothing pins anything.
NO_ID_NO_PINS = ('the server reports no id for JWK %s, so a policy that pins it could not be told apart; no '
                 "policy of the project's API proxies pins any JWK, so none pins this one")
CREDENTIALS_NOT_REPORTED = 'credentials: the server does not report which JWK each credential uses'
# Which credential lists hold every credential that may use a project's JWK is the rule of
# credentials.proving_projects; usage reads the project's own list only, and says what that leaves out.
CREDENTIALS_OF_ANY_PROJECT = ('credentials of other projects: a credential of any project may use a JWK of project '
                              'admin, and no credential list is known to hold them all')
CREDENTIALS_OUTSIDE_THE_LIST = ("credentials outside the project's list (accessible from the project, listed by "
                                'project %s) are not read' % ADMIN_PROJECT)


def _reference(api_proxy, endpoint, pipeline, policy, ptype, field):
    return dict(api_proxy=api_proxy, endpoint=endpoint, pipeline=pipeline, policy=policy, type=ptype, field=field)


def _possible(api_proxy, endpoint, pipeline, policy, ptype, field, reason):
    ref = _reference(api_proxy, endpoint, pipeline, policy, ptype, field)
    ref['reason'] = reason
    return ref


class _PolicyReader(object):
    """The references in one API proxy object of a List Policies answer."""

    def __init__(self, api_proxy, method, path):
        self.api_proxy = api_proxy
        self.method = method
        self.path = path
        self.pins = []      # (jwk id, reference)
        self.possible = []  # references that may pin any JWK

    def bad(self, detail):
        return UnexpectedAnswer(detail, method=self.method, path=self.path)

    def read(self, proxy):
        self.holder(proxy, PROXY_LEVEL, '')
        endpoints = proxy.get('endpointList')
        if endpoints is None:
            self.possible.append(_possible(self.api_proxy, ALL_ENDPOINTS, None, None, None, None,
                                           'the answer does not show its endpoints (endpointList)'))
            return self
        if not isinstance(endpoints, list):
            raise self.bad('endpointList is a %s, not a list' % type(endpoints).__name__)
        for index, endpoint in enumerate(endpoints):
            if not isinstance(endpoint, dict):
                raise self.bad('endpointList[%d] is a %s, not an object' % (index, type(endpoint).__name__))
            self.holder(endpoint, _endpoint_label(endpoint, index), 'endpointList[%d].' % index)
        return self

    def holder(self, holder, endpoint, prefix):
        """The three pipelines of the proxy level or of one endpoint (``prefix`` locates it in errors)."""
        for pipeline, member in PIPELINES:
            policies = holder.get(member)
            if policies is None:
                # The page says an empty pipeline is an empty array: a missing one is not shown.
                self.possible.append(_possible(self.api_proxy, endpoint, pipeline, None, None, None,
                                               'the answer does not show this pipeline (%s)' % member))
                continue
            if not isinstance(policies, list):
                raise self.bad('%s%s is a %s, not a list' % (prefix, member, type(policies).__name__))
            for index, policy in enumerate(policies):
                self.policy(policy, endpoint, pipeline, '%s%s[%d]' % (prefix, member, index), index)

    def policy(self, policy, endpoint, pipeline, where, index):
        if not isinstance(policy, dict):
            raise self.bad('%s is a %s, not a policy object' % (where, type(policy).__name__))
        ptype = policy.get('type')
        if not isinstance(ptype, str) or not ptype:
            raise self.bad('%s has no type' % where)
        label = _policy_label(policy, index)
        for field in KEY_FIELDS:
            if field not in policy:
                if ptype in JOSE_TYPES:
                    self.possible.append(_possible(self.api_proxy, endpoint, pipeline, label, ptype, field,
                                                   'the answer does not show %s' % field))
                continue
            value = policy[field]
            if value is None or value == '':
                continue
            if not isinstance(value, str):
                raise self.bad('%s.%s is a %s, not a JWK id' % (where, field, type(value).__name__))
            # Any policy type that shows a JWK id pins it: the field means the same wherever it appears.
            self.pins.append((value, _reference(self.api_proxy, endpoint, pipeline, label, ptype, field)))


def _endpoint_label(endpoint, index):
    path = endpoint.get('endpoint')
    method = endpoint.get('httpMethod')
    if isinstance(path, str) and path:
        return '%s %s' % (method, path) if isinstance(method, str) and method else path
    return 'endpoint #%d' % (index + 1)


def _policy_label(policy, index):
    """The policy's name, else its description, else its position in the pipeline (list-policies.mdx
    shows policies without a name)."""
    for member in ('name', 'description'):
        if isinstance(policy.get(member), str) and policy[member].strip():
            return policy[member]
    return '#%d' % (index + 1)


def proxy_references(api_proxy, proxy, method='GET', path=None):
    """``(pins, possible)`` of one API proxy object (answers.api_proxy_policies): pins are
    ``(jwk id, reference)``, possible are references with a ``reason``."""
    reader = _PolicyReader(api_proxy, method, path).read(proxy)
    return reader.pins, reader.possible


def _jwk_id(summary):
    value = summary.get('id') if isinstance(summary, dict) else None
    return value if isinstance(value, str) and value else None


class WhereUsed(object):
    """The where-used view of one project, read once: ``WhereUsed(client, summaries).read()``.

    ``summaries`` is JwkReader.summaries() (name -> JwkSummary): the ids come from the run's one
    JWK list.
    """

    def __init__(self, client, summaries):
        self.client = client
        self.ids = dict((name, _jwk_id(summary)) for name, summary in summaries.items())
        self.pins = {}       # jwk id -> [reference]
        self.possible = []   # references that may pin any JWK of the project
        self.proxies = None  # the names read; None until read()
        self.credentials = None  # jwk name -> [{username, purpose}]; None: not reported or not read

    def read(self):
        """The proxy list and each proxy's policies. Read even when no JWK has an id (an older
        server): a project whose policies pin nothing proves that no policy pins the JWK."""
        if self.proxies is not None:
            return self
        self.proxies = []
        for item in self.client.list_api_proxies():
            name = item['name']
            if name in self.proxies:
                continue
            self.proxies.append(name)
            proxy = self.client.list_api_proxy_policies(name)
            pins, possible = proxy_references(name, proxy, 'GET', '/projects/%s/apiProxies/%s/policies/'
                                              % (self.client.project, name))
            for jwk_id, ref in pins:
                self.pins.setdefault(jwk_id, []).append(ref)
            self.possible.extend(possible)
        return self

    def read_credentials(self):
        """The credentials that use each JWK, when the server reports assignments (one request)."""
        credentials = self.client.list_credentials()
        self.credentials = None
        if assignments_reported(credentials):
            self.credentials = {}
            for credential in credentials:
                for purpose in PURPOSES:
                    known, jwk_name = current_assignment(credential, purpose)
                    if known and jwk_name:
                        self.credentials.setdefault(jwk_name, []).append(
                            dict(username=credential.get('username'), purpose=purpose))
        return self

    def checked(self, name):
        """Whether the policies that pin JWK ``name`` can be told (the server reported its id)."""
        return self.ids.get(name) is not None

    def policies(self, name):
        jwk_id = self.ids.get(name)
        return list(self.pins.get(jwk_id, [])) if jwk_id is not None else []

    def possibly(self, name):
        """The references that may pin JWK ``name``: those whose key field is not shown, and for a
        JWK without an id every pin of an id that no listed JWK has."""
        possible = list(self.possible)
        if not self.checked(name):
            known = set(i for i in self.ids.values() if i is not None)
            possible.extend(dict(ref, reason='it pins id %s, which no JWK of the list has, and this JWK shows '
                                             'no id' % jwk_id)
                            for jwk_id, refs in sorted(self.pins.items()) if jwk_id not in known for ref in refs)
        return possible

    def unchecked(self, name):
        reasons = [] if self.checked(name) else [NO_ID]
        if self.client.project == ADMIN_PROJECT:
            reasons.append(OTHER_PROJECTS)
        return reasons + list(NOT_SHOWN)

    def policy_view(self, name):
        """What the modules that delete return and refuse on: ``{policies, possible, complete, unchecked}``."""
        unchecked = self.unchecked(name)
        return dict(policies=self.policies(name), possible=self.possibly(name), complete=not unchecked,
                    unchecked=unchecked)

    def usage(self, name):
        """apinizer_jwk_info's ``usage`` of JWK ``name``: the policy view with the credentials
        (read_credentials first)."""
        view = self.policy_view(name)
        view['credentials'] = list((self.credentials or {}).get(name, []))
        if self.credentials is None:
            view['unchecked'].append(CREDENTIALS_NOT_REPORTED)
        view['unchecked'].append(CREDENTIALS_OF_ANY_PROJECT if proving_projects(self.client.project) is None
                                 else CREDENTIALS_OUTSIDE_THE_LIST)
        view['complete'] = False
        return dict((key, view[key]) for key in ('credentials', 'policies', 'possible', 'complete', 'unchecked'))

    def blocking(self, name):
        """Why deleting JWK ``name`` may break a policy, one text each ([] when nothing may). For a
        JWK without an id every pin of an id no listed JWK has is a possible one (possibly())."""
        texts = ['pinned by %s' % describe(ref) for ref in self.policies(name)]
        texts.extend('possibly pinned by %s' % describe(ref) for ref in self.possibly(name))
        return texts

    def notices(self, name):
        """What a deletion that nothing blocks should still say: without an id, why no policy can
        be pinning the JWK."""
        return [] if self.checked(name) or self.blocking(name) else [NO_ID_NO_PINS % name]


def describe(ref):
    """One reference in words: 'API proxy orders, proxy level, request pipeline, policy p
    (policy-jose-validation, jwkIdForValidationAndSign)'; a possible one adds its reason."""
    parts = ['API proxy %s' % ref.get('api_proxy')]
    if ref.get('endpoint'):
        parts.append(ref['endpoint'] if ref['endpoint'] in (PROXY_LEVEL, ALL_ENDPOINTS) else
                     'endpoint %s' % ref['endpoint'])
    if ref.get('pipeline'):
        parts.append('%s pipeline' % ref['pipeline'])
    if ref.get('policy'):
        detail = ', '.join(ref[k] for k in ('type', 'field') if ref.get(k))
        parts.append('policy %s%s' % (ref['policy'], ' (%s)' % detail if detail else ''))
    text = ', '.join(parts)
    return '%s: %s' % (text, ref['reason']) if ref.get('reason') else text


def pinned_by_name(jwks):
    """For the jwk_rotation role: ``{jwk name: [reference]}`` from apinizer_jwk_info's ``jwks`` read
    with ``usage: true``. A possible reference carries ``possible: true`` and its ``reason``; a JWK
    without an id has every pin of an id no listed JWK has among its possible ones. JWKs nothing may
    pin are left out."""
    pinned = {}
    for jwk in jwks:
        usage = jwk.get('usage')
        if not isinstance(usage, dict):
            # Without usage nothing was checked: never "pinned by nothing".
            raise ValueError('JWK %s carries no usage: read it with apinizer_jwk_info usage: true' % jwk.get('name'))
        refs = [dict(ref, possible=False) for ref in usage.get('policies') or []]
        # (a JWK without an id has every pin of an unmatched id among its possible references)
        refs.extend(dict(ref, possible=True) for ref in usage.get('possible') or [])
        if refs:
            pinned[jwk['name']] = refs
    return pinned
