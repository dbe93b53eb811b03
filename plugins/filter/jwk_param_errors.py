# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: jwk_param_errors
short_description: Problems of a set of apinizer_jwk options, checked without any request
version_added: 1.0.0
author:
  - apinizer.apiops contributors
description:
  - Checks a dictionary of M(apinizer.apiops.apinizer_jwk) options (O(_input)) exactly as the
    module does before its first request, and returns every problem found.
  - "The checks come from the collection's JWK vocabulary (C(module_utils/jwk_validation.py)): algorithm
    against key type, curve and use, curve against key type and use, key sizes, the options
    each O(_input.source) requires or refuses, and so on. A playbook or role can therefore
    reject bad input with M(ansible.builtin.assert) before it talks to Apinizer, without
    keeping its own copy of the rules."
  - Each problem names the option and, where there is a choice, the allowed values.
options:
  _input:
    description:
      - "Options as they would be passed to M(apinizer.apiops.apinizer_jwk), for example
        C({source: generate, key_type: EC, curve: P-256, use: signature, algorithm: ES256})."
      - Options that are unset or null are treated as not given, like in the module.
    type: dict
    required: true
  option_prefix:
    description:
      - Written before each option name of O(_input) where a problem names it, so that the
        message names the variable the user set (for example V(jwk_rotation_) turns
        C(algorithm 'RS256' does not fit key_type 'EC') into
        C(jwk_rotation_algorithm 'RS256' does not fit jwk_rotation_key_type 'EC')).
    type: str
    default: ''
'''

EXAMPLES = r'''
- name: Fail before any request when the key settings do not fit together
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems | join('; ') }}"
  vars:
    __problems: >-
      {{ {'source': 'generate', 'key_type': 'EC', 'curve': 'P-256', 'use': 'signature',
          'algorithm': my_algorithm} | apinizer.apiops.jwk_param_errors }}

- name: Name the role variables in the messages
  ansible.builtin.debug:
    msg: >-
      {{ {'key_type': 'EC', 'algorithm': 'RS256'}
         | apinizer.apiops.jwk_param_errors(option_prefix='my_key_') }}
  # ["my_key_algorithm 'RS256' does not fit my_key_key_type 'EC' with use 'signature';
  #   allowed: ES256, ES256K, ES384, ES512"]
'''

RETURN = r'''
_value:
  description:
    - Every problem, one sentence each; an empty list when the options are valid.
  type: list
  elements: str
'''

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_validation import jwk_problems


def jwk_param_errors(params, option_prefix=''):
    """Every problem of ``params`` (apinizer_jwk options), via jwk_validation.jwk_problems."""
    if not isinstance(params, dict):
        raise AnsibleFilterError('jwk_param_errors expects a dictionary of apinizer_jwk options, got %s'
                                 % type(params).__name__)
    # Template results can be lazy/tagged containers: hand plain values to the validator.
    plain = dict((to_native(key), value) for key, value in params.items())
    prefix = to_native(option_prefix or '')
    given = set(key for key, value in plain.items() if value is not None)

    def option_name(option):
        # Only the options the caller set are theirs to rename; the others are the module's defaults.
        return prefix + option if option in given else option

    return [to_native(message) for unused, message in jwk_problems(plain, option_name)]


class FilterModule(object):
    """apinizer.apiops filters."""

    def filters(self):
        return {'jwk_param_errors': jwk_param_errors}
