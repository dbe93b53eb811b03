# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    """The deployment-failure policy of every writing module (apinizer.apiops.deployment).

    The rule itself is module_utils/apinizer_module.py (ApinizerModule.exit) with
    module_utils/deployment.py (the message and failed_environments).
    """

    DOCUMENTATION = r'''
options:
  fail_on_deploy_error:
    description:
      - Every write is deployed to all environments of the project, and one environment can fail while the
        others succeed. The write itself is stored either way, so the task reports the change.
      - When V(true), a failed environment fails the task, naming the environments and the server's messages,
        and RV(failed_environments) lists them. When V(false), it is a warning. Either way RV(deployment) lists
        every environment.
    type: bool
    default: true
'''
