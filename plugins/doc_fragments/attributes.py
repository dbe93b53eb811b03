# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    """The attributes every apinizer.apiops API module shares (apinizer.apiops.attributes).

    A module adds its own C(support) and C(details) for check_mode and diff_mode, or takes
    apinizer.apiops.attributes.info_module when it only reads.
    """

    DOCUMENTATION = r'''
attributes:
  action_group:
    description: Use C(group/apinizer.apiops.apinizer) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - apinizer.apiops.apinizer
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: all
    details:
      - Runs wherever the module runs (usually C(localhost)); only the Apinizer Management API is contacted.
'''

    INFO_MODULE = r'''
attributes:
  check_mode:
    support: full
    details:
      - The module only reads; it runs the same in check mode.
  diff_mode:
    support: none
    details:
      - Nothing changes, so there is nothing to diff.
'''
