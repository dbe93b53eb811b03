#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The documentation of the action plugins/action/jwk_rotation_step.py (there is no module code).

from __future__ import absolute_import, division, print_function
__metaclass__ = type


DOCUMENTATION = r'''
---
module: jwk_rotation_step
short_description: One step of the jwk_rotation role (internal to the role)
version_added: 1.1.0
description:
  - The decisions of the role P(apinizer.apiops.jwk_rotation#role), run on the controller. It
    reads the role's C(jwk_rotation_*) variables of the task; the role calls it, and its options
    and results may change with the role. Playbooks should use the role.
  - V(settings) checks every role variable before the first request and fails naming them.
  - V(connection) returns RV(connection), the role's entry for C(group/apinizer.apiops.apinizer) in
    C(module_defaults) - the play's entry for that group, with each C(jwk_rotation_apinizer_*)
    variable that is set over it. It carries the token or password, so it is returned to be
    registered, never set as a fact (a fact cache could keep it on disk); the role's task is
    C(no_log) and the role forgets the registered value when it ends.
  - V(plan) and V(reconcile) set the fact C(__jwk_rotation_plan) from the two lists. A plan that
    would delete a generation first reads which policies pin the project's JWKs (it runs
    M(apinizer.apiops.apinizer_jwk_info) with O(apinizer.apiops.apinizer_jwk_info#module:usage=true)
    and the role's connection) and is made again keeping every pinned generation; V(reconcile)
    reuses that read. Both follow the rules of the filter
    P(apinizer.apiops.jwk_rotation_plan#filter), fail before any write when the plan
    cannot be carried out, and warn (kept unverified, expiring, JWKs left alone, policies on an old
    key). In check mode a plan step reports a change for what only it can show (switches to a
    generation the run would create).
  - V(key_file) puts the active generation's private key at C(jwk_rotation_private_key_path)
    (source local), mode C(0600) before the first byte, only over a file it may replace.
  - V(result) sets the fact C(jwk_rotation_result) and passes it to C(set_stats) for AWX workflows.
author:
  - apinizer.apiops maintainers (@apinizer)
options:
  step:
    description: The step to run.
    type: str
    required: true
    choices: [settings, connection, plan, reconcile, key_file, result]
  jwks:
    description: V(plan), V(reconcile) - RV(apinizer.apiops.apinizer_jwk_info#module:jwks) of the project.
    type: list
    elements: dict
  credentials:
    description: V(plan), V(reconcile) - RV(apinizer.apiops.apinizer_credential_info#module:credentials).
    type: list
    elements: dict
  assignments_reported:
    description:
      - V(plan), V(reconcile) - RV(apinizer.apiops.apinizer_credential_info#module:assignments_reported).
    type: bool
  pinned:
    description:
      - V(plan), V(reconcile) - the policies that pin each JWK by its id (where-used), as a dict of
        JWK name to a list of references C({api_proxy, endpoint, pipeline, policy, type, field,
        possible}). A possible reference (a policy whose key fields the server does not show) is
        listed under every JWK it may pin. Unset means not checked.
    type: dict
  plan:
    description: V(reconcile), V(key_file), V(result) - the fact C(__jwk_rotation_plan).
    type: dict
  retained:
    description: V(result) - the registered result of reading the retained generations with
      M(apinizer.apiops.apinizer_jwk_info).
    type: dict
attributes:
  check_mode:
    support: full
    description:
      - Follows the task's check mode however it was set (C(--check), or on the role, a block or
        C(include_role)'s C(apply)); V(key_file) writes nothing.
  diff_mode:
    support: none
    description:
      - The role's modules show their own differences.
notes:
  - Runs on the controller. With C(jwk_rotation_source=local) the role needs C(connection=local),
    since the key files are read and written by the controller process.
'''

EXAMPLES = r'''
- name: Check the settings of the role before any request (what the role does first)
  apinizer.apiops.jwk_rotation_step:
    step: settings
'''

RETURN = r'''
msg:
  description: What the step did; for V(plan) and V(reconcile), the lines of the plan.
  returned: always
  type: raw
connection:
  description: The role's C(module_defaults) entry for C(group/apinizer.apiops.apinizer).
  returned: V(connection)
  type: dict
ansible_facts:
  description: C(__jwk_rotation_plan) or C(jwk_rotation_result).
  returned: V(plan), V(reconcile), V(result)
  type: dict
'''
