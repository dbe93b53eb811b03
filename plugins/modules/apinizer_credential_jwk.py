#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


DOCUMENTATION = r'''
---
module: apinizer_credential_jwk
short_description: Assign a JWK to an Apinizer credential for validation or encryption
version_added: 1.0.0
description:
  - Assigns a JSON Web Key to an API credential of an Apinizer project, or removes that
    assignment, for one purpose at a time.
  - C(validation) is the JWK used to validate and sign tokens for the credential;
    C(encryption) is the JWK used to decrypt and encrypt them. The two purposes are
    independent; a credential holds at most one JWK per purpose and a new assignment
    replaces the old one.
  - The module reads the credential list once, then writes when needed. What that can
    tell depends on the server; see the note B(Documented server or reported assignments)
    and O(update).
  - Every write redeploys the credential to all environments of the project; see
    O(fail_on_deploy_error).
  - Removing an assignment never deletes the JWK itself.
author:
  - apinizer.apiops maintainers (@apinizer)
extends_documentation_fragment:
  - apinizer.apiops.connection
  - apinizer.apiops.attributes
  - apinizer.apiops.deployment
attributes:
  check_mode:
    support: full
    details:
      - No write is sent; the result reports what would change.
  diff_mode:
    support: full
    details:
      - Shows the assigned JWK name for O(purpose) before and after.
options:
  username:
    description:
      - Username of the credential.
      - A credential that is not in the project's credential list is not refused, since the vendor
        documents that it may be "accessible from the project" (for example a credential of
        the C(admin) project). The module sends the write and the server decides; when the
        server answers that the credential was not found, the task fails with that answer and
        the names the project does list. Nothing is written for it in check mode.
    type: str
    required: true
  purpose:
    description:
      - Which assignment to manage.
      - V(validation) is the JWK for validation and signing.
      - V(encryption) is the JWK for decryption and encryption.
    type: str
    required: true
    choices: [validation, encryption]
  jwk_name:
    description:
      - Name of the JWK to assign.
      - The JWK may live in the credential's project or in the C(admin) project; the
        module looks it up in that order and fails before any write when it exists in
        neither.
      - Required when O(state=present); ignored when O(state=absent).
    type: str
  state:
    description:
      - V(present) makes O(jwk_name) the credential's JWK for O(purpose).
      - V(absent) removes whatever JWK is assigned for O(purpose); the JWK itself stays.
    type: str
    choices: [present, absent]
    default: present
  update:
    description:
      - When O(state=present) sends the assignment, in the spirit of the O(ansible.builtin.user#module:update_password)
        option of M(ansible.builtin.user). It matters only on a server that does not report
        which JWK a credential has (the documented API). A server that reports it gets the same
        behaviour from both values, a write only when the reported JWK differs.
      - V(always) sends the assignment unless the server reports that the credential already has
        O(jwk_name). On a server that does not report it, that is every run - a write that
        redeploys the credential to every environment - and the task reports C(changed) with
        one warning, since it cannot tell whether the assignment was already in place. The
        assignment is certain after the task; idempotence is not.
      - V(when_different) sends it only when the server reports another JWK or none. On a server
        that does not report it, nothing is sent - every run, including the first - and the task
        reports C(changed=false) with V(jwk_name) in RV(unverified) and RV(assignment.jwk_name)
        V(null) (unknown) - a rerun writes nothing, but the module does not claim that the JWK is
        assigned. Use it on such a server once the assignment is in place (for example after a
        run with V(always)); a new binding still needs V(always).
      - The JWK must exist (project or C(admin)) with either value; an unknown one fails before
        any write.
      - Ignored when O(state=absent) - the server's answer to the removal tells whether anything
        was assigned.
    type: str
    choices: [always, when_different]
    default: always
    version_added: 1.2.0
notes:
  - B(Documented server or reported assignments.) The public Apinizer reference documents
    no field that shows a credential's current JWK, and no other way to read it. B(On any
    documented server) the module checks that O(jwk_name) exists in the project or in C(admin)
    before any write and assigns or removes with one write; RV(previous_jwk_name) is V(null) and
    the diff has no "before". What a rerun of O(state=present) does there depends on O(update) -
    V(always) (default) sends the assignment again and reports C(changed) with one warning (not
    idempotent); V(when_different) sends nothing and reports C(changed=false) with the assignment
    in RV(unverified) (idempotent, but unverified). O(state=absent) sends the removal and the
    server's answer says whether anything was assigned. Check mode writes nothing. B(Only a server
    that reports assignments) (C(validationJwkName) / C(encryptionJwkName) in the credential list,
    an addition the vendor does not document) gives verified idempotence - a matching assignment
    is one request and no write - and a real RV(previous_jwk_name) and diff.
  - Why the module keeps no record of what it assigned (the way the C(apinizer.apiops.jwk_rotation)
    role records its switches in the descriptions of the generations it owns) - the only place
    every later run could read is the JWK's description, which a task of M(apinizer.apiops.apinizer_jwk)
    may manage (the two would overwrite each other), which detaches a JWK created from a URL,
    certificate, key or keystore from its source when updated, which lives in another project for
    a JWK of C(admin), and which would still be a record of the past, not what the server has
    (an assignment changed elsewhere would go unnoticed).
  - Requests per run, without retries - 1 for a no-op (reported assignments only); 3 for an
    assignment (credential list, JWK list of the project, the write), 4 when the JWK lives
    in C(admin); 2 (3 with C(admin)) for O(update=when_different) on a server that does not
    report assignments (the credential list and the JWK lookup, no write); 2 for a removal,
    and 1 for a removal when reported assignments show nothing assigned. The JWK lookup reads
    the JWK lists, which carry no key material.
  - Invalid O(purpose) or a missing O(jwk_name) fail before any request.
seealso:
  - module: apinizer.apiops.apinizer_jwk
  - module: apinizer.apiops.apinizer_jwk_info
'''

EXAMPLES = r'''
- name: Bind JWKs to credentials
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/apinizer.apiops.apinizer:
      apinizer_url: https://apinizer.example.com
      apinizer_token: "{{ vault_apinizer_token }}"
      project: demo
  tasks:
    - name: Validate and sign tokens of api-user with the signing-2026 JWK
      apinizer.apiops.apinizer_credential_jwk:
        username: api-user
        purpose: validation
        jwk_name: signing-2026

    - name: Use the JWK shared from the admin project for encryption
      apinizer.apiops.apinizer_credential_jwk:
        username: api-user
        purpose: encryption
        jwk_name: shared-admin-jwk

    - name: On a scheduled rerun, send the assignment only when the server shows a difference
      apinizer.apiops.apinizer_credential_jwk:
        username: api-user
        purpose: validation
        jwk_name: signing-2026
        update: when_different   # a server that does not report assignments: nothing is sent, 'unverified'
      register: binding

    - name: Remove the encryption JWK of partner-app (the JWK itself stays)
      apinizer.apiops.apinizer_credential_jwk:
        username: partner-app
        purpose: encryption
        state: absent

- name: Preview a rotation without writing anything
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/apinizer.apiops.apinizer:
      project: demo
  tasks:
    - name: Show which credential would switch to the new key
      apinizer.apiops.apinizer_credential_jwk:
        username: mobile-app
        purpose: validation
        jwk_name: signing-2027
      check_mode: true
      diff: true
      register: preview

    - name: Accept a failing staging environment, keep going
      apinizer.apiops.apinizer_credential_jwk:
        username: mobile-app
        purpose: validation
        jwk_name: signing-2027
        fail_on_deploy_error: false
'''

RETURN = r'''
assignment:
  description:
    - The assignment for O(purpose) after the task (or that the task would make in check mode).
    - RV(assignment.jwk_name) is V(null) after O(state=absent).
  returned: success
  type: dict
  contains:
    username:
      description: The credential.
      type: str
      sample: api-user
    purpose:
      description: V(validation) or V(encryption).
      type: str
      sample: validation
    jwk_name:
      description:
        - The assigned JWK, or V(null) when none is assigned.
        - Also V(null) when the module does not know it - the server does not report the
          assignment and nothing was sent (O(update=when_different)); RV(unverified) says so.
      type: str
      sample: signing-2026
  sample:
    username: api-user
    purpose: validation
    jwk_name: signing-2026
previous_jwk_name:
  description:
    - The JWK that was assigned for O(purpose) before the task.
    - V(null) when nothing was assigned, and also when the server does not report
      assignments (see the warning in that case).
  returned: success
  type: str
  sample: signing-2025
unverified:
  description:
    - The options whose state the task could not read and did not set - V(jwk_name) when the
      server does not report the credential's JWK for O(purpose) and O(update=when_different)
      sent nothing. The credential may or may not have that JWK.
    - Absent when the assignment was reported, sent or removed.
  returned: when O(update=when_different) sent nothing because the server does not report the assignment
  type: list
  elements: str
  version_added: 1.2.0
  sample: ["jwk_name"]
deployment:
  description:
    - Per-environment result of the write; empty when nothing was written.
  returned: always
  type: list
  elements: dict
  contains:
    environment:
      description: Environment name.
      type: str
      sample: production
    success:
      description: Whether the credential was deployed to that environment.
      type: bool
      sample: true
    message:
      description: The server's message for that environment.
      type: str
      sample: Deployed
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
  sample:
    - environment: production
      success: true
      message: Deployed
    - environment: staging
      success: true
      message: Deployed
failed_environments:
  description: The environments the write could not be deployed to, when that failed the task.
  returned: on failure, with O(fail_on_deploy_error=true)
  type: list
  elements: str
  sample: ["staging"]
diff:
  description: The assigned JWK name before and after, in diff mode (C(--diff)).
  returned: when diff mode is on
  type: dict
  sample:
    before:
      jwk_name: signing-2025
    after:
      jwk_name: signing-2026
'''

# The unit tests patch module.AnsibleModule.warn (ApinizerModule inherits it).
from ansible.module_utils.basic import AnsibleModule  # noqa: F401 pylint: disable=unused-import

from ansible_collections.apinizer.apiops.plugins.module_utils.apinizer_module import ApinizerModule
# The unit tests patch module.ApinizerClient.from_module: the name stays importable from here.
from ansible_collections.apinizer.apiops.plugins.module_utils.client import ApinizerClient  # noqa: F401 pylint: disable=unused-import
from ansible_collections.apinizer.apiops.plugins.module_utils.credentials import (
    ASSIGNMENT_FIELDS,
    PURPOSES,
    current_assignment,
)
from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError

# JWKs shared by every project live here (contract: "may live in the project or in admin").
ADMIN_PROJECT = 'admin'
# How many credential names an "unknown credential" message lists.
KNOWN_NAMES_SHOWN = 5

UNVERIFIED_WARNING = (
    "Credential '{username}': the server does not report its {purpose} JWK ({field}), so the module "
    "cannot know whether it was already assigned; the assignment {sent} and reported as changed "
    "(idempotence could not be verified; update=when_different sends only a difference the server reports)."
)
# Set JWK Encryption: "Credential must be in the same project or accessible from the project".
UNLISTED_WARNING = (
    "Credential '{username}' is not in the credential list of project '{project}' (known: "
    "{known}); it may still be accessible from the project (for example a credential of the "
    "admin project){tail}"
)
UNLISTED_TAILS = {
    ('assign', False): ", so the assignment was sent for the server to decide. Its JWK cannot be read: "
                       "the task reports changed.",
    ('assign', True): ", so the server decides when the task runs. Its JWK cannot be read: the task "
                      "reports changed.",
    ('remove_unknown', True): ", so the server decides when the task runs.",
    ('unverified', False): ". Its JWK cannot be read, and update=when_different sent nothing: check the name.",
    ('unverified', True): ". Its JWK cannot be read, and update=when_different sends nothing: check the name.",
}


def plan(state, wanted, known, current, update='always'):
    """Decide what to do.

    Returns one of 'none' (already as wanted), 'assign', 'remove',
    'remove_unknown' (remove without knowing whether anything is assigned), or
    'unverified' (update=when_different and the server does not report the
    assignment: nothing is sent and nothing is claimed).
    """
    if state == 'present':
        if known and current == wanted:
            return 'none'
        if not known and update == 'when_different':
            return 'unverified'
        return 'assign'
    if not known:
        return 'remove_unknown'
    return 'remove' if current is not None else 'none'


def names_excerpt(names):
    shown = ', '.join(names[:KNOWN_NAMES_SHOWN]) or 'none'
    if len(names) > KNOWN_NAMES_SHOWN:
        shown += ', ... ({0} more)'.format(len(names) - KNOWN_NAMES_SHOWN)
    return shown


def find_jwk_project(client, name, project):
    """Return the project that holds JWK name (project first, then admin), or None.

    Uses the list endpoint rather than get_jwk: the request count is the same
    (one per project looked at) and the summary carries no key material, so no
    private key crosses the wire just to prove that a name exists.
    """
    projects = [project] if project == ADMIN_PROJECT else [project, ADMIN_PROJECT]
    for candidate in projects:
        try:
            summaries = client.list_jwks(project=candidate)
        except ApinizerError as e:
            # The admin project may be out of reach for this token; that is "not
            # found there", but say why so a permissions problem is not hidden.
            if candidate == ADMIN_PROJECT and e.status in (403, 404):
                return None, str(e)
            raise
        if any(s.get('name') == name for s in summaries):
            return candidate, None
    return None, None


class AssignmentRun(object):
    """One run: read the credential, plan, check the JWK exists, write (unless check mode), report."""

    def __init__(self, module):
        self.module = module
        self.client = module.client
        params = module.params
        self.username, self.purpose = params['username'], params['purpose']
        self.wanted = params['jwk_name'] if params['state'] == 'present' else None
        self.result = dict(changed=False, assignment=dict(username=self.username, purpose=self.purpose, jwk_name=None),
                           previous_jwk_name=None, deployment=[])
        self.unlisted = None   # the known names when the credential is not in the project's list

    def fail(self, msg):
        self.module.fail(self.result, msg=msg)

    def api_call(self, doing, call, *args):
        try:
            return call(*args)
        except ApinizerError as e:
            self.module.fail_api(e, self.result, doing)

    def read(self):
        """(known, current) assignment of the credential.

        A credential missing from the project's list may still be accessible from the project: it
        is not refused here; the write asks the server (self.unlisted says so).
        """
        project = self.client.project
        credentials = self.api_call('Reading the credentials of project {0!r}'.format(project),
                                    self.client.list_credentials)
        credential = next((c for c in credentials if c.get('username') == self.username), None)
        if credential is None:
            self.unlisted = names_excerpt([c.get('username') for c in credentials if c.get('username')])
            return False, None
        return current_assignment(credential, self.purpose)

    def warn_unverified(self, action):
        """The one warning of an outcome the module could not verify (an assignment sent or
        previewed blind, or a credential the project does not list)."""
        check = self.module.check_mode
        if self.unlisted is not None:
            # A real removal is settled by the server's answer (no tail); anything else may hide a typo.
            tail = UNLISTED_TAILS.get((action, check))
            if tail:
                self.module.warn(UNLISTED_WARNING.format(username=self.username, project=self.client.project,
                                                         known=self.unlisted, tail=tail))
            return
        if action == 'assign':
            self.module.warn(UNVERIFIED_WARNING.format(
                username=self.username, purpose=self.purpose, field=ASSIGNMENT_FIELDS[self.purpose],
                sent='would be sent' if check else 'was sent'))
        elif action != 'unverified' and check:
            # A removal in check mode cannot ask the server whether anything is assigned.
            self.module.warn("The server does not report the {0} JWK of credential '{1}', so check mode "
                             "cannot tell whether the removal would find one (reported as a change)."
                             .format(self.purpose, self.username))

    def report_plan(self, action, known, current):
        self.result['previous_jwk_name'] = current
        if action == 'unverified':
            # Nothing is sent and nothing is known: claim no assignment either way.
            self.result['unverified'] = ['jwk_name']
            if self.module._diff:
                self.result['diff'] = dict(before={}, after={})
            return
        self.result['assignment']['jwk_name'] = current if action == 'none' else self.wanted
        if self.module._diff:
            self.result['diff'] = dict(before={'jwk_name': current} if known else {},
                                       after={'jwk_name': self.result['assignment']['jwk_name']})
            if not known:
                self.result['diff']['before_header'] = 'current {0} JWK not reported by the server'.format(self.purpose)

    def check_jwk_exists(self):
        """Only the change path pays for the lookup; an unknown JWK fails before any write."""
        project = self.client.project
        holder, admin_error = self.api_call('Looking up JWK {0!r}'.format(self.wanted),
                                            find_jwk_project, self.client, self.wanted, project)
        if holder is None:
            where = ("project {0!r}".format(project) if project == ADMIN_PROJECT
                     else "project {0!r} nor in project {1!r}".format(project, ADMIN_PROJECT))
            msg = "JWK {0!r} not found in {1}; nothing was changed.".format(self.wanted, where)
            if admin_error:
                msg += ' (The {0} project could not be read: {1})'.format(ADMIN_PROJECT, admin_error)
            self.fail(msg)

    def write(self, action):
        """The write; False when the server says nothing was assigned (nothing was written)."""
        retries_before_write = self.client.retries_used
        try:
            if action == 'assign':
                deployment = self.client.assign_credential_jwk(self.username, self.purpose, self.wanted)
            else:
                deployment = self.client.remove_credential_jwk(self.username, self.purpose)
        except ApinizerError as e:
            # Only the server's own words "nothing is assigned" make a refused removal a no-op
            # (errors.NOTHING_ASSIGNED_TEXTS); a permission refusal or any other answer fails.
            if action == 'assign' or not e.is_nothing_assigned(self.username, self.purpose):
                self.result['changed'] = False
                doing = '{0} the {1} JWK of credential {2!r}'.format(
                    'Assigning' if action == 'assign' else 'Removing', self.purpose, self.username)
                if self.unlisted is not None:
                    doing += ' (not in the credential list of project {0!r}; known: {1})'.format(
                        self.client.project, self.unlisted)
                self.module.fail_api(e, self.result, doing)
            if self.client.retries_used > retries_before_write:
                # An earlier attempt whose answer was lost may have been the one that
                # removed it: report the change rather than claim nothing happened.
                self.module.warn('The removal was retried after a transient failure and the '
                                 'server then reported nothing assigned; an earlier attempt '
                                 'probably removed it.')
                return True
            return False
        self.result['deployment'] = deployment
        self.module.record_deployment('assign' if action == 'assign' else 'remove', deployment)
        return True

    def nothing_assigned(self):
        """The server's documented answer for "nothing to remove": as wanted, nothing written."""
        self.result['changed'] = False
        if self.module._diff:
            self.result['diff'] = dict(before={'jwk_name': None}, after={'jwk_name': None})


def run(module):
    task = AssignmentRun(module)
    known, current = task.read()
    action = plan(module.params['state'], task.wanted, known, current, module.params['update'])
    task.report_plan(action, known, current)
    if action == 'none':
        return task.result, None
    if action in ('assign', 'unverified'):
        task.check_jwk_exists()   # a typo fails even when nothing would be sent
    if action == 'unverified':
        task.warn_unverified(action)
        return task.result, None
    task.result['changed'] = True
    # A removal learns the truth from the server's answer; only an assignment (or a
    # check-mode preview) has to report a change it could not verify.
    if not known:
        task.warn_unverified(action)
    if not module.check_mode and not task.write(action):
        task.nothing_assigned()
    subject = 'The {0} JWK of credential {1!r} was {2}'.format(
        task.purpose, task.username, 'assigned' if action == 'assign' else 'removed')
    return task.result, subject


def main():
    module = ApinizerModule(
        argument_spec=dict(
            username=dict(type='str', required=True),
            purpose=dict(type='str', required=True, choices=list(PURPOSES)),
            jwk_name=dict(type='str'),
            state=dict(type='str', default='present', choices=['present', 'absent']),
            update=dict(type='str', default='always', choices=['always', 'when_different']),
            fail_on_deploy_error=dict(type='bool', default=True),
        ),
        required_if=[('state', 'present', ['jwk_name'])],
        supports_check_mode=True,
    )
    result, subject = run(module)
    module.exit(result, subject=subject, name_actions=False)


if __name__ == '__main__':
    main()
