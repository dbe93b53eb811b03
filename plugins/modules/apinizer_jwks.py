#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: apinizer_jwks
short_description: Converge a whole set of JSON Web Keys of an Apinizer project in one task
version_added: 1.1.0
description:
  - Manages many JWKs of an Apinizer project in one module run, in the style of Ansible resource modules.
    Each item of O(config) takes the options of M(apinizer.apiops.apinizer_jwk), with the same validation
    and the same comparison.
  - One list request reads the project's JWKs. A JWK is read on its own (one more request) only when its
    decision needs key material, that is when its item states a fact the list does not report (key size,
    curve, use, algorithm, or the key of O(config[].source=jwk)). Then come the writes. A run with nothing
    to do over JWKs whose list facts decide them sends one request.
  - Every item is validated, and every item is planned, before the first write. A bad item or an item that
    O(config[].regenerate=fail) refuses fails the task with nothing written.
  - Key material never appears in the output, the diff or a warning.
extends_documentation_fragment:
  - apinizer.apiops.connection
  - apinizer.apiops.attributes
  - apinizer.apiops.deployment
attributes:
  check_mode:
    support: full
    details:
      - Check mode sends no write request; it reports what each item would become.
  diff_mode:
    support: full
    details:
      - One diff per changed JWK (metadata and the RFC 7638 thumbprint, never key material).
options:
  config:
    description:
      - The JWKs, each with the options of M(apinizer.apiops.apinizer_jwk) (except its
        O(apinizer.apiops.apinizer_jwk#module:state), O(apinizer.apiops.apinizer_jwk#module:fail_on_deploy_error) and
        O(apinizer.apiops.apinizer_jwk#module:return_private_key)). See that module for the details of each option.
      - Required unless O(state=gathered), where it must be left out.
      - With O(state=deleted) only O(config[].name) is used.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the JWK, unique in the project and in O(config).
        type: str
        required: true
      description:
        description:
          - Free text description.
          - With O(state=merged), when omitted, the description on the server is left as it is. With
            O(state=replaced) and O(state=overridden) an omitted description means an empty one.
        type: str
      source:
        description: Where the key material comes from (see M(apinizer.apiops.apinizer_jwk)).
        type: str
        choices: [generate, jwk, url, certificate, public_key, private_key, keystore]
        default: generate
      kid:
        description: Key ID (for V(generate) the kid of the new key; for V(jwk) and V(url) it selects a key of a set).
        type: str
      key_type:
        description: Type of key to generate.
        type: str
        choices: [RSA, EC, OCT, OKP]
      key_size:
        description: Key size in bits for V(RSA) and V(OCT) keys.
        type: int
      curve:
        description: Curve for V(EC) and V(OKP) keys.
        type: str
        choices: [P-256, P-384, P-521, secp256k1, Ed25519, X25519]
      use:
        description: What the key is for.
        type: str
        choices: [signature, encryption]
      algorithm:
        description: JOSE algorithm name; it must fit the key type, the curve and the use.
        type: str
      kid_type:
        description: How the server derives the kid of a generated key when O(config[].kid) is not given.
        type: str
        choices: [timestamp, sha256, sha1, iso_date, none]
      not_before:
        description: Start of validity of a generated key, ISO 8601 (sent on creation only).
        type: str
      expiration:
        description: End of validity of a generated key, ISO 8601 (sent on creation only).
        type: str
      password_salt_length:
        description: Salt length for a generated V(OCT) key with a V(PBES2-*) algorithm (sent on creation only).
        type: int
      password_iteration_count:
        description: Iteration count for a generated V(OCT) key with a V(PBES2-*) algorithm (sent on creation only).
        type: int
      jwk:
        description: For V(jwk), the key to import, a JWK or a JWK Set, as a dictionary or a JSON string. Never logged.
        type: json
      url:
        description: For V(url), the address the Apinizer server fetches the JWK or JWK Set from.
        type: str
      url_connect_timeout:
        description: Connect timeout in milliseconds for V(url).
        type: int
      url_read_timeout:
        description: Read timeout in milliseconds for V(url).
        type: int
      url_size_limit:
        description: Largest document in bytes the server accepts for V(url).
        type: int
      certificate_name:
        description: For V(certificate), the name of the certificate stored in the Apinizer project.
        type: str
      key_name:
        description: For V(public_key) and V(private_key), the name of the key stored in the Apinizer project.
        type: str
      keystore_name:
        description: For V(keystore), the name of the keystore stored in the Apinizer project.
        type: str
      alias:
        description: For V(keystore), the alias of the entry in the keystore.
        type: str
      environment:
        description: For the stored sources, the environment whose certificate, key or keystore is read.
        type: str
      regenerate:
        description:
          - What to do when the JWK exists but differs in something the API cannot change in place
            (see M(apinizer.apiops.apinizer_jwk)).
          - When omitted, V(fail) with O(state=merged) and V(when_different) with O(state=replaced) and
            O(state=overridden).
        type: str
        choices: [never, fail, when_different, always]
  state:
    description:
      - V(merged) creates the missing JWKs and updates descriptions, item by item as M(apinizer.apiops.apinizer_jwk)
        does (a difference the API cannot change in place fails the task unless O(config[].regenerate) says
        otherwise).
      - V(replaced) makes the listed JWKs exactly as specified, deleting and creating again a JWK that differs
        (O(config[].regenerate) defaults to V(when_different)); an omitted description means an empty one.
      - V(overridden) is V(replaced), and also deletes the JWKs of the project that are not listed and whose
        name is in O(scope). It never deletes a JWK outside O(scope), and never one a credential uses (see
        O(exclusive)).
      - V(deleted) deletes the listed JWKs (only their names count), as M(apinizer.apiops.apinizer_jwk) with
        O(apinizer.apiops.apinizer_jwk#module:state=absent) does.
      - V(gathered) changes nothing and returns the project's JWKs in the O(config) format in RV(gathered).
    type: str
    choices: [merged, replaced, overridden, deleted, gathered]
    default: merged
  scope:
    description:
      - The JWKs O(state=overridden) may delete. Required with O(state=overridden).
      - Give exactly one of O(scope.prefix) and O(scope.regex).
      - A scope that holds every name is refused before any request (an empty O(scope.prefix), or an
        O(scope.regex) such as V(.*) that matches any name); list the JWKs in O(config), or name what they share.
    type: dict
    suboptions:
      prefix:
        description: A JWK whose name starts with this text is in scope.
        type: str
      regex:
        description: A JWK whose whole name matches this Python regular expression is in scope.
        type: str
  exclusive:
    description:
      - With O(state=overridden), whether this task is the only user of the JWKs in O(scope).
      - A JWK to delete that a credential list reports in use fails the task, naming the JWK and the credential,
        whatever this option says.
      - Without O(exclusive=true) the module deletes only what the credential lists prove unused. A credential
        that the project's own list leaves out may still use its JWKs (one "accessible from the project", in the
        vendor's words), so the admin project's list, which holds every credential, is read too. Both lists must
        report, for every credential, both of its assignments (C(validationJwkName), C(encryptionJwkName)) as a
        JWK name or null, and each name must be a JWK of the project or of C(admin), spelled exactly. An empty
        list, a list that cannot be read, or anything else proves nothing, and the task fails with the reason.
      - The documented API reports no assignments, so there O(exclusive=true) is needed to delete. In the
        C(admin) project it is always needed, since a credential of any project may use a JWK of C(admin), and no
        credential list is known to hold them all.
      - O(exclusive=true) asserts that no credential uses a JWK in O(scope) that O(config) does not list.
    type: bool
    default: false
  delete_referenced:
    description:
      - What to do when the task would delete a JWK (O(state=deleted), the deletions of O(state=overridden)) or
        replace one (delete and create it again, O(state=replaced) and O(state=overridden)) while a policy of the
        project pins it, or may pin it.
      - V(false) fails the task before any write, naming for each such JWK every API proxy, endpoint, pipeline
        and policy (see M(apinizer.apiops.apinizer_jwk) for what counts).
      - V(true) deletes anyway and warns with the same names. Those policies stay broken until they are pointed
        at another JWK by its id; the server does not refuse the deletion.
    type: bool
    default: false
notes:
  - B(Requests.) One list request; one public-key read (the public-only export, or Get JWK where the server
    has no export) per JWK whose decision needs key material; with O(state=overridden) one credential list
    request when there is something to delete (without O(exclusive), when that list reports assignments, the
    C(admin) project's credential list too, and its JWK list when a credential names a JWK the project lacks);
    when a JWK is to be deleted or replaced, one request for the project's API proxies and one per proxy (which
    policies pin it); then one request per write (two for a replacement), and one list request after creations
    for the new ids.
  - B(Policies that pin a JWK.) Checked as M(apinizer.apiops.apinizer_jwk) does, once for the whole task and only
    when it deletes or replaces a JWK; RV(jwks[].where_used) returns what was found for each. The documented API
    cannot show global policies, policy groups or connections; they are listed in its C(unchecked).
  - B(Failures.) Writes run in the order of O(config), then the deletions of O(state=overridden). A write that
    fails stops the task; the JWKs written before it stay written and are listed in the result.
  - B(Gathered.) For a generated or URL JWK the entry states the facts the list reports (name, description,
    source, key type, kid, url), so a V(gathered) then V(overridden) round trip sends one list request and one
    credential list request. For a pasted key the entry holds its public JWK (never a private member). A JWK
    whose source cannot be stated from public facts (a stored certificate, key or keystore, a pasted symmetric
    key) is listed in RV(incomplete) with what its entry lacks.
seealso:
  - module: apinizer.apiops.apinizer_jwk
  - module: apinizer.apiops.apinizer_jwk_info
author:
  - apinizer.apiops maintainers (@apinizer)
"""

EXAMPLES = r"""
- name: Converge the partner keys of the demo project
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/apinizer.apiops.apinizer:
      apinizer_url: https://apinizer.example.com
      apinizer_token: "{{ apinizer_token }}"
      project: demo
  tasks:
    - name: Generate the signing keys (creates the missing ones, updates descriptions)
      apinizer.apiops.apinizer_jwks:
        config:
          - name: partner-a-signing
            description: Signs tokens for partner A
            key_type: EC
            curve: P-256
            algorithm: ES256
          - name: partner-b-signing
            key_type: RSA
            key_size: 3072
            algorithm: PS256
          - name: partner-c-published
            source: url
            url: https://partner-c.example.com/.well-known/jwks.json
            kid: c-2026
      register: converged

    - name: Show what happened
      ansible.builtin.debug:
        msg: "created {{ converged.created }}, unchanged {{ converged.unchanged }}"

    - name: Gather the partner keys in the config format
      apinizer.apiops.apinizer_jwks:
        state: gathered
      register: current

    - name: Keep exactly the gathered partner keys (a no-op right after gathering)
      apinizer.apiops.apinizer_jwks:
        state: overridden
        config: "{{ current.gathered | selectattr('name', 'match', 'partner-') | list }}"
        scope:
          prefix: partner-
        exclusive: true

    - name: Delete two retired keys
      apinizer.apiops.apinizer_jwks:
        state: deleted
        config:
          - name: partner-old-1
          - name: partner-old-2
"""

RETURN = r"""
changed:
  description: Whether any JWK was (or, in check mode, would be) created, updated, replaced or deleted.
  returned: always
  type: bool
  sample: true
created:
  description: Names of the JWKs created (in check mode, that would be).
  returned: always
  type: list
  elements: str
  sample: ["partner-a-signing"]
updated:
  description: Names of the JWKs whose description was updated in place.
  returned: always
  type: list
  elements: str
  sample: []
replaced:
  description: Names of the JWKs deleted and created again.
  returned: always
  type: list
  elements: str
  sample: []
deleted:
  description: Names of the JWKs deleted.
  returned: always
  type: list
  elements: str
  sample: ["partner-old-1"]
unchanged:
  description: Names of the listed JWKs left as they were (with O(state=deleted), the listed names that did not exist).
  returned: always
  type: list
  elements: str
  sample: ["partner-b-signing"]
jwks:
  description: One entry per JWK the task acted on or compared, in order (the listed items, then the deletions of V(overridden)).
  returned: when O(state) is not V(gathered)
  type: list
  elements: dict
  contains:
    id:
      description:
        - The server's id of the JWK after the task (policies pin a JWK by it); for a deleted JWK, the id it had.
        - A created or replaced JWK gets a new id, read back with one more list request after the writes.
        - V(null) when the server does not report ids, and for a JWK created in check mode.
      type: str
    name:
      description: Name of the JWK.
      type: str
    outcome:
      description: V(created), V(updated), V(replaced), V(deleted) or V(unchanged).
      type: str
    actions:
      description: The writes, in order (V(delete), V(create), V(update)).
      type: list
      elements: str
    differences:
      description: The differences the API cannot change in place, one sentence each.
      type: list
      elements: str
    unverified:
      description:
        - The options the item set that the server does not report for the existing JWK (typically
          V(use) and V(algorithm) on a server as documented); the module warns about them, as
          M(apinizer.apiops.apinizer_jwk) does.
      returned: when an existing JWK was compared and the server left something out
      type: list
      elements: str
    where_used:
      description:
        - The policies that pin the JWK or may pin it (C(policies), C(possible), C(complete), C(unchecked)), as
          RV(apinizer.apiops.apinizer_jwk#module:where_used) describes them.
      returned: when the task deletes or replaces the JWK (in check mode too)
      type: dict
    deployment:
      description: Per-environment result of the item's last write (see M(apinizer.apiops.apinizer_jwk)).
      type: list
      elements: dict
  sample: [{"name": "partner-a-signing", "outcome": "created", "actions": ["create"], "differences": [], "deployment": []}]
deployment:
  description:
    - Per-environment result of every JWK's last write, in order, each entry with the JWK's name. Empty when
      nothing was written.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the JWK written.
      type: str
      sample: partner-a-signing
    environment:
      description: Environment name.
      type: str
      sample: production
    success:
      description: Whether the write was deployed to that environment.
      type: bool
      sample: true
    message:
      description: The server's message for that environment.
      type: str
      sample: Deployed successfully
    pods:
      description:
        - The gateway pods of that environment, when the server reports the deployment per pod (the current
          reference's C(detailList)); empty otherwise. The environment failed when any pod failed.
      type: list
      elements: dict
      contains:
        name:
          description: Pod name.
          type: str
        ip:
          description: Pod address.
          type: str
        success:
          description: Whether the write was deployed to that pod.
          type: bool
        detail:
          description: The server's message for that pod.
          type: str
failed_item:
  description: The name of the JWK whose write failed; the summary lists hold what was written before it.
  returned: when a write failed
  type: str
  sample: partner-b-signing
failed_environments:
  description: The environments a write could not be deployed to, when that failed the task.
  returned: on failure, with O(fail_on_deploy_error=true)
  type: list
  elements: str
  sample: ["staging"]
gathered:
  description:
    - With O(state=gathered), the project's JWKs in the O(config) format (public facts only), ready to be
      given back as O(config).
  returned: when O(state=gathered)
  type: list
  elements: dict
  sample: [{"name": "partner-a-signing", "description": "Signs tokens for partner A", "source": "generate", "key_type": "EC", "kid": "a-1"}]
incomplete:
  description: Gathered entries that need more options before they can be used as O(config), with the problems.
  returned: when O(state=gathered)
  type: list
  elements: dict
  sample: [{"name": "gateway-cert-jwk", "problems": ["certificate_name is required with source 'certificate'"]}]
diff:
  description: One before/after pair per changed JWK, in diff mode. Never key material.
  returned: in diff mode
  type: list
  elements: dict
"""

from ansible_collections.apinizer.apiops.plugins.module_utils.apinizer_module import ApinizerModule
# The unit tests patch module.ApinizerClient.from_module: the name stays importable from here.
from ansible_collections.apinizer.apiops.plugins.module_utils.client import ApinizerClient  # noqa: F401 pylint: disable=unused-import
from ansible_collections.apinizer.apiops.plugins.module_utils.credentials import (
    ADMIN_PROJECT,
    assignment_names,
    assignment_problems,
    proving_projects,
)
from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_guard import check as check_deletions, delete_referenced_option
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_converge import (
    JwkWriter,
    config_entry,
    in_scope,
    left_alone_warning,
    outcome,
    refusal_message,
    replace_failed_message,
    scope_problem,
    used_by,
)
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_options import jwk_option_spec
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_reader import JwkReader
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_state import plan, unverified_options, unverified_sentence
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_validation import jwk_problems
from ansible_collections.apinizer.apiops.plugins.module_utils.masking import narrow_jwk_no_log
from ansible_collections.apinizer.apiops.plugins.module_utils.names import BODY_NAME_OPTIONS, name_option_problems

OUTCOMES = ('created', 'updated', 'replaced', 'deleted', 'unchanged')
# regenerate when an item leaves it out, by state
DEFAULT_REGENERATE = {'merged': 'fail', 'replaced': 'when_different', 'overridden': 'when_different'}


def argument_spec():
    return dict(
        config=dict(type='list', elements='dict', options=jwk_option_spec(regenerate_default=None)),
        state=dict(type='str', default='merged',
                   choices=['merged', 'replaced', 'overridden', 'deleted', 'gathered']),
        scope=dict(type='dict', options=dict(prefix=dict(type='str'), regex=dict(type='str')),
                   mutually_exclusive=[['prefix', 'regex']], required_one_of=[['prefix', 'regex']]),
        exclusive=dict(type='bool', default=False),
        fail_on_deploy_error=dict(type='bool', default=True),
        delete_referenced=delete_referenced_option(),
    )


def option_problems(params):
    """Problems of the task-level options (state, config, scope)."""
    state, problems = params['state'], []
    if state == 'gathered' and params['config'] is not None:
        problems.append('config does not apply to state gathered')
    if state != 'gathered' and params['config'] is None:
        problems.append('config is required with state %s' % state)
    if state == 'overridden' and params['scope'] is None:
        problems.append('scope is required with state overridden: give scope.prefix or scope.regex, '
                        'the names of the JWKs it may delete')
    if params['scope'] is not None and scope_problem(params['scope']):
        problems.append(scope_problem(params['scope']))
    return problems


def item_problems(index, item, state, seen):
    """Problems of config[index], each naming the item and the option."""
    label = 'config[%d]' % index
    name = item['name']

    def spell(option):
        return '%s.%s' % (label, option)

    if state == 'deleted':
        problems = [message for unused, message in jwk_problems({'name': name}, spell)]
    else:
        problems = [message for unused, message in jwk_problems(item, spell)]
        problems.extend(name_option_problems(item, BODY_NAME_OPTIONS, spell))
    if name in seen:
        problems.append('%s.name %r is already the name of config[%d]' % (label, name, seen[name]))
    seen.setdefault(name, index)
    return ['JWK %s: %s' % (name, problem) for problem in problems]


def item_params(item, state):
    """The params dict of one item as apinizer_jwk's functions read it (state, regenerate, description)."""
    params = dict(item)
    params['state'] = 'absent' if state == 'deleted' else 'present'
    if params.get('regenerate') is None:
        params['regenerate'] = DEFAULT_REGENERATE.get(state, 'fail')
    if state in ('replaced', 'overridden') and params.get('description') is None:
        params['description'] = ''
    return params


class JwksRun(object):
    """One run: validate every item, read the list (and what needs key material), plan every item,
    write in order, report."""

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.state = module.params['state']
        self.result = dict((name, []) for name in OUTCOMES)
        self.result.update(changed=False, jwks=[], deployment=[])
        self.items = []  # (params, current, decided, item result)
        self.reader = None

    def validate(self):
        problems = option_problems(self.params)
        seen = {}
        for index, item in enumerate(self.params['config'] or []):
            problems.extend(item_problems(index, item, self.state, seen))
        if problems:
            self.module.fail(msg='Invalid options: %s.' % '; '.join(problems), problems=problems)

    def read(self):
        """The list (one request), keyed by name; every item must be an object with a name."""
        self.reader = JwkReader(self.module.client)
        return self.reader.summaries()

    def plan(self, by_name):
        """Plan every item before any write; refusals fail the task with nothing written."""
        refusals = []
        for item in self.params['config']:
            params = item_params(item, self.state)
            summary = by_name.get(params['name'])
            current = self.reader.current(params, summary)  # a key read only where the list cannot decide
            decided = plan(params, current)
            if decided['refused']:
                refusals.append(refusal_message(params['name'], decided['differences']))
            if decided['left_alone']:
                self.module.warn(left_alone_warning(params['name'], decided['differences']))
            self.add(params, current, decided)
        if refusals:
            self.module.fail(self.result, msg=' '.join(refusals), jwks=self.jwks())
        if self.state == 'overridden':
            self.plan_deletions(by_name)
        self.guard(by_name)

    def guard(self, by_name):
        """Every deletion and replacement planned: which policies pin those JWKs, read once."""
        planned = [(params['name'], 'create' in decided['actions'])
                   for params, unused, decided, unused2 in self.items if 'delete' in decided['actions']]
        client = self.module.client
        views, refusal, warnings = check_deletions(client, by_name, planned, self.params['delete_referenced'])
        for params, unused, unused2, item in self.items:
            if params['name'] in views:
                item['where_used'] = views[params['name']]
        if refusal:
            self.module.fail(self.result, msg=client.mask(refusal), jwks=self.jwks())
        for warning in warnings:
            self.module.warn(client.mask(warning))

    def add(self, params, current, decided):
        item = dict(changed=False, actions=[], deployment=[], differences=decided['differences'] or [])
        if decided.get('unverified'):
            # As apinizer_jwk: a fact the server does not report is never a silent match.
            item['unverified'] = unverified_options(decided['unverified'])
            self.module.warn(unverified_sentence(params['name'], decided['unverified']))
        self.items.append((params, current, decided, item))

    def plan_deletions(self, by_name):
        """overridden: the unlisted JWKs in scope, unless a credential uses (or may use) one.

        A use any credential list reports blocks the deletion whatever ``exclusive`` says. Without
        ``exclusive``, the lists must prove that no credential uses them (credentials.proving_projects:
        the project's list and admin's; nothing proves a JWK of admin unused); anything they cannot
        prove fails the task with the reason, before any write.
        """
        listed = set(item['name'] for item in self.params['config'])
        doomed = [name for name in by_name if name not in listed and in_scope(name, self.params['scope'])]
        if not doomed:
            return
        project = self.params['project']
        credentials = self.module.client.list_credentials()
        self.refuse_used(doomed, used_by(credentials))
        if not self.params['exclusive']:
            reason = self.unproven(project, credentials, set(by_name), doomed)
            if reason:
                self.module.fail(self.result, msg=(
                    'state overridden would delete %s, but %s, so the module cannot prove that no credential '
                    'uses them; nothing was written. Set exclusive: true to assert that no credential uses a '
                    'JWK in scope that config does not list.' % (', '.join(doomed), reason)))
        for name in doomed:
            self.add({'name': name, 'state': 'absent'}, by_name[name], {'actions': ['delete'], 'differences': None})

    def refuse_used(self, doomed, users):
        blocked = ['JWK %s is used by credential %s' % (name, ', '.join(users[name])) for name in doomed if name in users]
        if blocked:
            self.module.fail(self.result, msg=(
                'state overridden would delete JWKs that credentials use; nothing was written: %s. '
                'List them in config, or assign the credentials other JWKs first.' % '; '.join(blocked)))

    def unproven(self, project, credentials, names, doomed):
        """Why the credential lists do not prove ``doomed`` unused, or None (reads admin's lists when needed)."""
        client = self.module.client
        projects = proving_projects(project)
        if projects is None:
            return ('a credential of any project may use a JWK of project %s, and no credential list the module '
                    'can read is known to hold them all' % project)
        names = set(names)
        if any(name not in names for name in assignment_names(credentials)):
            # The project's credentials may use admin's JWKs too.
            try:
                names.update(j.get('name') for j in client.list_jwks(project=ADMIN_PROJECT) if isinstance(j, dict))
            except ApinizerError as e:
                return 'the JWK list of project %s, whose JWKs they may use, could not be read (%s)' % (ADMIN_PROJECT, e)
        problems = assignment_problems(credentials, names)
        if problems:
            return 'the credential list of project %s does not prove which JWK each credential uses: %s' % (
                project, problems[0])
        try:
            accessible = client.list_credentials(project=ADMIN_PROJECT)
        except ApinizerError as e:
            return ('credentials outside its list may use them (those of project %s, whose credential list could '
                    'not be read: %s)' % (ADMIN_PROJECT, e))
        self.refuse_used(doomed, used_by(accessible, listed_in=ADMIN_PROJECT))
        problems = assignment_problems(accessible, names, foreign=True)
        if problems:
            return ('credentials outside its list may use them, and the credential list of project %s does not '
                    'prove which JWK each uses: %s' % (ADMIN_PROJECT, problems[0]))
        return None

    def write(self):
        """The writes in order; a failure stops the run and names the item (earlier writes stay)."""
        for params, current, decided, item in self.items:
            try:
                JwkWriter(self.module, params, item, label=params['name']).apply(decided['actions'], current)
            except ApinizerError as e:
                self.fail_write(params['name'], item, e.fail_kwargs())
            except Exception as e:  # pylint: disable=broad-except
                # Whatever else stops a write (a bug, an answer no parser foresaw), the user must learn
                # what was already written: the run is changed, and the message says so.
                self.fail_write(params['name'], item, dict(msg='%s: %s' % (
                    type(e).__name__, self.module.client.mask('%s' % e))))
            self.record(params['name'], item['actions'])
        self.read_new_ids()

    def read_new_ids(self):
        """Created JWKs have new ids: one list request after the writes, only when something was created."""
        created = [item for params, unused, unused2, item in self.items if 'create' in item['actions']]
        if not created or self.module.check_mode:
            for item in created:
                item['id'] = None
            return
        try:
            fresh = self.module.client.list_jwks()
        except ApinizerError as e:
            self.module.warn('The JWKs were written, but reading their new ids failed: %s' % e)
            fresh = []
        ids = dict((s.get('name'), s.get('id')) for s in fresh if isinstance(s, dict))
        for params, unused, unused2, item in self.items:
            if 'create' in item['actions']:
                item['id'] = ids.get(params['name'])

    def fail_write(self, name, item, failure):
        done = item['actions'][:-1]  # write() lists an action before sending it
        if done:
            self.record(name, done)
        msg = replace_failed_message(name, item['actions'], failure['msg'])
        failure['msg'] = 'JWK %s failed: %s%s' % (name, msg, self.written())
        self.module.fail(self.report(), failed_item=name, **failure)

    def record(self, name, actions):
        self.result['changed'] = self.result['changed'] or bool(actions)
        self.result[outcome(actions)].append(name)

    def written(self):
        done = ['%s %s' % (key, ', '.join(self.result[key])) for key in OUTCOMES[:4] if self.result[key]]
        return ' Written before it: %s.' % '; '.join(done) if done else ' Nothing was written before it.'

    def jwks(self):
        views = []
        for params, current, unused, item in self.items:
            view = dict(id=item.get('id', (current or {}).get('id')), name=params['name'],
                        outcome=outcome(item['actions']), actions=item['actions'],
                        differences=item['differences'], deployment=item['deployment'])
            if 'unverified' in item:
                view['unverified'] = item['unverified']
            if 'where_used' in item:
                view['where_used'] = item['where_used']
            views.append(view)
        return views

    def report(self):
        self.result['jwks'] = self.jwks()
        self.result['deployment'] = [dict(entry, name=params['name'])
                                     for params, unused, unused2, item in self.items for entry in item['deployment']]
        if self.module._diff:
            self.result['diff'] = [dict(item['diff'], before_header=params['name'], after_header=params['name'])
                                   for params, unused, unused2, item in self.items if 'diff' in item]
        return self.result

    def gather(self, by_name):
        """state gathered: the config entries (a GET only for pasted keys: their public JWK)."""
        gathered, incomplete = [], []
        for name, summary in by_name.items():
            api_jwk = summary
            if config_entry(summary)['source'] == 'jwk':
                api_jwk = self.reader.with_public(summary)  # its public JWK, never a private member
            entry = config_entry(api_jwk)
            gathered.append(entry)
            problems = [message for unused, message in jwk_problems(entry)]
            if problems:
                incomplete.append(dict(name=name, problems=problems))
        return dict(changed=False, gathered=gathered, incomplete=incomplete, deployment=[],
                    **dict((name, []) for name in OUTCOMES))


def main():
    module = ApinizerModule(argument_spec=argument_spec(), supports_check_mode=True)
    for item in module.params['config'] or []:
        if item.get('jwk'):
            narrow_jwk_no_log(module, item['jwk'])
    task = JwksRun(module)
    task.validate()
    try:
        by_name = task.read()
        if task.state == 'gathered':
            module.exit(task.gather(by_name))
        task.plan(by_name)
    except ApinizerError as e:
        module.fail_api(e, task.result)
    task.write()
    module.exit(task.report(), subject='JWKs were saved')


if __name__ == '__main__':
    main()
