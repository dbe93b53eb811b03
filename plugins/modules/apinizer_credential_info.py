#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


DOCUMENTATION = r'''
---
module: apinizer_credential_info
short_description: List Apinizer credentials and the JWKs assigned to them
version_added: 1.0.0
description:
  - Lists the credentials of a project in one request, with the JWK each one uses for
    validation and signing and the JWK it uses for decryption and encryption.
  - Use it to see which keys are in use before deleting one, or to check that every
    credential moved to a new key after a rotation.
  - The credential password is never returned.
author:
  - apinizer.apiops maintainers (@apinizer)
extends_documentation_fragment:
  - apinizer.apiops.connection
  - apinizer.apiops.attributes
  - apinizer.apiops.attributes.info_module
options:
  username:
    description:
      - Return only the credential with this user name.
      - The whole list is still read in one request; a user name that does not exist gives
        an empty RV(credentials) list, not a failure.
    type: str
notes:
  - The public Management API reference documents no field that shows a credential's JWK
    assignments. This module reads them from C(validationJwkName) and C(encryptionJwkName)
    on each credential of the list answer. When the server omits both fields, the
    assignments are returned as V(null), RV(assignments_reported) is V(false) and the module
    warns; it never guesses.
seealso:
  - module: apinizer.apiops.apinizer_credential_jwk
  - module: apinizer.apiops.apinizer_jwk_info
'''

EXAMPLES = r'''
- name: Inspect credentials
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/apinizer.apiops.apinizer:
      apinizer_url: https://apinizer.example.com
      apinizer_token: "{{ vault_apinizer_token }}"
      project: demo
  tasks:
    - name: List every credential of the project with its JWK assignments
      apinizer.apiops.apinizer_credential_info:
      register: creds

    - name: Show which JWK each credential validates with
      ansible.builtin.debug:
        msg: "{{ creds.credentials | items2dict(key_name='username', value_name='validation_jwk_name') }}"

    - name: Fail when the server cannot tell which JWKs are in use
      ansible.builtin.assert:
        that: creds.assignments_reported
        fail_msg: This Apinizer does not report credential JWK assignments.

    - name: Read one credential
      apinizer.apiops.apinizer_credential_info:
        username: mobile-app
      register: mobile

    - name: Check that it signs with the new key
      ansible.builtin.assert:
        that: mobile.credentials[0].validation_jwk_name == 'signing-2027'
'''

RETURN = r'''
credentials:
  description:
    - The credentials of the project (only the one named by O(username) when given), in the
      order the server lists them.
  returned: always
  type: list
  elements: dict
  contains:
    username:
      description: User name of the credential.
      type: str
      sample: mobile-app
    enabled:
      description: Whether the credential is enabled.
      type: bool
      sample: true
    description:
      description: Description of the credential.
      type: str
      sample: Mobile application
    validation_jwk_name:
      description:
        - Name of the JWK used for validation and signing, V(null) when none is assigned
          or when the server does not report assignments (see RV(assignments_reported)).
      type: str
      sample: signing-20260101T000000Z
    encryption_jwk_name:
      description:
        - Name of the JWK used for decryption and encryption, V(null) when none is assigned
          or when the server does not report assignments.
      type: str
      sample: null
  sample:
    - username: mobile-app
      enabled: true
      description: Mobile application
      validation_jwk_name: signing-20260101T000000Z
      encryption_jwk_name: null
assignments_reported:
  description:
    - V(true) when the server reports JWK assignments on credentials, so that
      RV(credentials[].validation_jwk_name) and RV(credentials[].encryption_jwk_name) can be
      trusted; V(false) when it omits them (they are then V(null) and the module warns).
  returned: always
  type: bool
  sample: true
'''

from ansible_collections.apinizer.apiops.plugins.module_utils.apinizer_module import ApinizerModule
# The unit tests patch module.ApinizerClient.from_module: the name stays importable from here.
from ansible_collections.apinizer.apiops.plugins.module_utils.client import ApinizerClient  # noqa: F401 pylint: disable=unused-import
from ansible_collections.apinizer.apiops.plugins.module_utils.credentials import assignments_reported, credential_view
from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError


def main():
    module = ApinizerModule(argument_spec=dict(username=dict(type='str')), supports_check_mode=True)
    try:
        items = [item for item in module.client.list_credentials() if isinstance(item, dict)]
    except ApinizerError as exc:
        # fail_api adds the retry warning: the user learns how many retries were spent.
        module.fail_api(exc)
    reported = assignments_reported(items)
    if not reported:
        module.warn('The server does not report which JWKs the credentials use '
                    '(no validationJwkName/encryptionJwkName): validation_jwk_name and '
                    'encryption_jwk_name are null and cannot be relied on.')
    username = module.params['username']
    if username is not None:
        items = [item for item in items if item.get('username') == username]
    module.exit(dict(changed=False, credentials=[credential_view(item) for item in items],
                     assignments_reported=reported))


if __name__ == '__main__':
    main()
