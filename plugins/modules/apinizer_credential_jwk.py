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
  - The module reads the credential list once. When the server reports the current
    assignment (C(validationJwkName) / C(encryptionJwkName)) and it already matches,
    nothing is written and that single request is the whole run.
  - Against a server whose credential list does not report the assignment, the module
    cannot see the current state. It then applies the assignment anyway, reports
    C(changed=true) and warns once that idempotence could not be verified; it never
    guesses. With O(state=absent) it removes the assignment and treats the server's
    "No JWK is assigned" answer as unchanged.
  - Every write redeploys the credential to all environments of the project; see
    O(fail_on_deploy_error).
  - Removing an assignment never deletes the JWK itself.
author:
  - apinizer.apiops maintainers (@apinizer)
extends_documentation_fragment:
  - apinizer.apiops.connection
attributes:
  check_mode:
    support: full
    description: No write is sent; the result reports what would change.
  diff_mode:
    support: full
    description: Shows the assigned JWK name for O(purpose) before and after.
options:
  username:
    description:
      - Username of the credential, as listed in the project's credentials.
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
  fail_on_deploy_error:
    description:
      - When a write succeeds but deploying the credential fails in one or more
        environments, fail the task (V(true)) or only warn (V(false)).
      - Either way RV(deployment) lists the result per environment and the change is
        reported, because the assignment was stored.
    type: bool
    default: true
notes:
  - The public Apinizer reference documents no field that shows a credential's current
    JWK. This module relies on C(validationJwkName) and C(encryptionJwkName) in the
    credential list; see the description for what happens when they are missing.
  - Requests per run, without retries - 1 for a no-op; 3 for an assignment (credential
    list, JWK list of the project, the write), 4 when the JWK lives in C(admin); 2 for a
    removal. The JWK lookup reads the JWK lists, which carry no key material.
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
      description: The assigned JWK, or V(null) when none is assigned.
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
  sample:
    - environment: production
      success: true
      message: Deployed
    - environment: staging
      success: true
      message: Deployed
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

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.apinizer.apiops.plugins.module_utils.client import (
    ApinizerClient,
    ApinizerError,
    CONNECTION_MUTUALLY_EXCLUSIVE,
    CONNECTION_REQUIRED_TOGETHER,
    connection_argument_spec,
    deployment_failed,
    fail_module,
    warn_retries,
)


# The credential list member that reports the assignment for each purpose.
ASSIGNMENT_FIELDS = {
    'validation': 'validationJwkName',
    'encryption': 'encryptionJwkName',
}
# JWKs shared by every project live here (contract: "may live in the project or in admin").
ADMIN_PROJECT = 'admin'
# How many credential names an "unknown credential" message lists.
KNOWN_NAMES_SHOWN = 5

UNVERIFIED_WARNING = (
    "The server does not report which JWK credential '{username}' has for {purpose} "
    "({field} is missing from the credential list), so idempotence could not be "
    "verified: the task reports changed without comparing."
)


def current_assignment(credential, purpose):
    """Return (known, jwk_name) for purpose.

    known is False when the server omits the field: then jwk_name means nothing and
    the caller must not treat it as "nothing assigned".
    """
    field = ASSIGNMENT_FIELDS[purpose]
    if field not in credential:
        return False, None
    # An empty string is how some servers spell "nothing"; normalise it to None.
    return True, credential[field] or None


def plan(state, wanted, known, current):
    """Decide what to do.

    Returns one of 'none' (already as wanted), 'assign', 'remove', or
    'remove_unknown' (remove without knowing whether anything is assigned).
    """
    if state == 'present':
        if known and current == wanted:
            return 'none'
        return 'assign'
    if not known:
        return 'remove_unknown'
    return 'remove' if current is not None else 'none'


def describe_names(names):
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


def run_module():
    argument_spec = connection_argument_spec(
        username=dict(type='str', required=True),
        purpose=dict(type='str', required=True, choices=list(ASSIGNMENT_FIELDS)),
        jwk_name=dict(type='str'),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        fail_on_deploy_error=dict(type='bool', default=True),
    )
    module = AnsibleModule(
        argument_spec=argument_spec,
        mutually_exclusive=CONNECTION_MUTUALLY_EXCLUSIVE,
        required_together=CONNECTION_REQUIRED_TOGETHER,
        required_if=[('state', 'present', ['jwk_name'])],
        supports_check_mode=True,
    )
    params = module.params
    username = params['username']
    purpose = params['purpose']
    state = params['state']
    wanted = params['jwk_name'] if state == 'present' else None

    client = ApinizerClient.from_module(module)
    project = client.project
    result = dict(
        changed=False,
        assignment=dict(username=username, purpose=purpose, jwk_name=None),
        previous_jwk_name=None,
        deployment=[],
    )

    def fail(msg, **extra):
        fail_module(module, client, result, msg=msg, **extra)

    def api_fail(error, doing):
        fail_module(module, client, result, **error.fail_kwargs(doing))

    try:
        credentials = client.list_credentials()
    except ApinizerError as e:
        api_fail(e, 'Reading the credentials of project {0!r}'.format(project))

    credential = next((c for c in credentials if c.get('username') == username), None)
    if credential is None:
        fail("Credential {0!r} not found in project {1!r} (known: {2}); nothing was "
             "changed.".format(username, project,
                               describe_names([c.get('username') for c in credentials
                                               if c.get('username')])))

    known, current = current_assignment(credential, purpose)
    action = plan(state, wanted, known, current)
    result['previous_jwk_name'] = current
    result['assignment']['jwk_name'] = current if action == 'none' else wanted

    if module._diff:
        before = {'jwk_name': current} if known else {}
        result['diff'] = dict(before=before, after={'jwk_name': result['assignment']['jwk_name']})
        if not known:
            result['diff']['before_header'] = 'current {0} JWK not reported by the server'.format(purpose)

    if action == 'none':
        warn_retries(module, client)
        module.exit_json(**result)

    if action == 'assign':
        # Only the change path pays for the lookup; an unknown JWK fails before any write.
        try:
            holder, admin_error = find_jwk_project(client, wanted, project)
        except ApinizerError as e:
            api_fail(e, 'Looking up JWK {0!r}'.format(wanted))
        if holder is None:
            where = ("project {0!r}".format(project) if project == ADMIN_PROJECT
                     else "project {0!r} nor in project {1!r}".format(project, ADMIN_PROJECT))
            msg = "JWK {0!r} not found in {1}; nothing was changed.".format(wanted, where)
            if admin_error:
                msg += ' (The {0} project could not be read: {1})'.format(ADMIN_PROJECT, admin_error)
            fail(msg)

    result['changed'] = True
    # A removal learns the truth from the server's answer; only an assignment (or a
    # check-mode preview) has to report a change it could not verify.
    if not known and (action == 'assign' or module.check_mode):
        module.warn(UNVERIFIED_WARNING.format(username=username, purpose=purpose,
                                              field=ASSIGNMENT_FIELDS[purpose]))

    if module.check_mode:
        warn_retries(module, client)
        module.exit_json(**result)

    retries_before_write = client.retries_used
    try:
        if action == 'assign':
            deployment = client.assign_credential_jwk(username, purpose, wanted)
        else:
            deployment = client.remove_credential_jwk(username, purpose)
    except ApinizerError as e:
        if action != 'assign' and e.is_nothing_assigned():
            if client.retries_used > retries_before_write:
                # An earlier attempt whose answer was lost may have been the one that
                # removed it: report the change rather than claim nothing happened.
                if action == 'remove_unknown':
                    module.warn('The removal was retried after a transient failure and the '
                                'server then reported nothing assigned; an earlier attempt '
                                'probably removed it.')
                warn_retries(module, client)
                module.exit_json(**result)
            # The server's documented answer for "nothing to remove": the state is as
            # wanted and nothing was written.
            result['changed'] = False
            if module._diff:
                result['diff'] = dict(before={'jwk_name': None}, after={'jwk_name': None})
            warn_retries(module, client)
            module.exit_json(**result)
        result['changed'] = False
        api_fail(e, '{0} the {1} JWK of credential {2!r}'.format(
            'Assigning' if action == 'assign' else 'Removing', purpose, username))

    result['deployment'] = deployment
    failed = deployment_failed(deployment)
    if failed:
        msg = 'The {0} JWK of credential {1!r} was {2}, but deployment failed in: {3}'.format(
            purpose, username, 'assigned' if action == 'assign' else 'removed',
            '; '.join('{0} ({1})'.format(f.get('environment'), f.get('message') or 'no message')
                      for f in failed))
        if params['fail_on_deploy_error']:
            fail(msg)
        module.warn(msg)
    warn_retries(module, client)
    module.exit_json(**result)


def main():
    run_module()


if __name__ == '__main__':
    main()
