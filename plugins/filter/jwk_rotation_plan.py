# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: jwk_rotation_plan
short_description: The plan of one run of the jwk_rotation role, from the lists it read
version_added: 1.1.0
author:
  - apinizer.apiops contributors
description:
  - "Pure computation, no request: from the JWK list and the credential list of a project
    (O(_input)) and the role's settings, decides what one run of the role
    P(apinizer.apiops.jwk_rotation#role) does: which generation to create (and its description,
    C(not_before) and C(expiration)), which listed credentials to switch to which generation, which
    generation records to write before and after the switches, which generations to keep and
    which to delete."
  - "The role keeps a record of what it did in the description of each generation JWK it
    manages, for example
    C(sig generation 20261204T110000Z, managed by apinizer.apiops.jwk_rotation | state: active |
    activated: 20261204T110000Z | expires: 2027-06-02T11:00:00Z | origin: rotation |
    switched: api-user/validation, mobile-app/validation). The format is described in
    C(docs/rotation.md) of the collection."
  - The same rules serve every flow of the role (scheduled, staged, rollback, revoke), so check
    mode shows exactly the plan a real run carries out.
  - "Only a JWK whose description carries the role's record for that generation, with a stamp
    that is not in the future, is one of the role's generations; any other JWK named like one is
    listed in C(left_alone) and never made active, switched to, written or deleted."
  - "Without C(project) in the settings the project is taken as not V(admin). In V(admin)
    (or when C(project) is V(null), not known) reported assignments do not let the plan delete a
    generation: credentials of other projects may use its JWKs, so only C(exclusive) does."
  - "With C(pinned) in O(_input) (a dict: generation name to the policies that pin it), a pinned
    generation is never deleted; it is kept and listed in C(pinned_by_policies)."
  - The role itself calls the same rules through its action P(apinizer.apiops.jwk_rotation_step#module).
options:
  _input:
    description:
      - "C({jwks, credentials, assignments_reported}): RV(apinizer.apiops.apinizer_jwk_info#module:jwks)
        and RV(apinizer.apiops.apinizer_credential_info#module:credentials) with its
        RV(apinizer.apiops.apinizer_credential_info#module:assignments_reported); optionally
        C(pinned), the policies that pin each JWK by name (where-used)."
    type: dict
    required: true
  settings:
    description:
      - "The role's variables without their C(jwk_rotation_) prefix: C(name), C(credentials),
        C(max_age), C(stage_ahead), C(keep), C(force), C(rollback), C(revoke), C(exclusive),
        C(project), and C(now) (UTC, C(YYYYMMDDTHHMMSSZ)); C(phase) is V(decide) (default) or V(reconcile)
        (after a rotation: converge on the newest active generation, create nothing)."
    type: dict
    required: true
'''

EXAMPLES = r'''
- name: Plan a rotation
  ansible.builtin.set_fact:
    plan: >-
      {{ {'jwks': jwk_list.jwks, 'credentials': credential_list.credentials,
          'assignments_reported': credential_list.assignments_reported}
         | apinizer.apiops.jwk_rotation_plan({'name': 'sig', 'now': '20261204T110000Z',
                                              'max_age': '90d', 'keep': 1,
                                              'credentials': [{'username': 'api-user'}]}) }}
'''

RETURN = r'''
_value:
  description:
    - "The plan: C(action) (V(none), V(rotate), V(stage), V(activate), V(rollback), V(revoke)),
      C(reason), C(create) (empty or C({name, description, not_before, expiration})), C(active),
      C(staged), C(pending) (credentials to switch), C(switch_labels), C(intents) and C(records)
      (C({name, description, source_type}) to write before and after the switches), C(previous),
      C(retire), C(kept_in_use), C(kept_unverified), C(revoked), C(retained), C(expirations),
      C(expiring), C(left_alone), C(pinned_by_policies), C(generations) and C(errors) (reasons to
      fail before any write)."
  type: dict
'''

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.apinizer.apiops.plugins.plugin_utils.jwk_rotation_plan import PlanError, make_plan


def jwk_rotation_plan(view, settings):
    """The plan of one role run (see DOCUMENTATION); the rules are plugin_utils/jwk_rotation_plan."""
    try:
        return make_plan(view, settings)
    except (PlanError, ValueError, KeyError) as exc:
        raise AnsibleFilterError('jwk_rotation_plan: %s' % to_native(exc))


class FilterModule(object):
    """apinizer.apiops filters."""

    def filters(self):
        return {'jwk_rotation_plan': jwk_rotation_plan}
