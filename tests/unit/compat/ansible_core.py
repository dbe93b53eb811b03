# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the unit tests need that differs between the supported ansible-core releases (they run on
2.16, 2.19 and 2.21).

- patch_module_args: ansible-core 2.19 added ansible.module_utils.testing.patch_module_args, and
  its modules no longer read the older basic._ANSIBLE_ARGS ("No serialization profile was
  specified"); 2.16 to 2.18 have only basic._ANSIBLE_ARGS.
- controller_flag: since 2.19, importing controller code (a filter plugin, ansible.errors) marks
  the process as the controller, after which module.warn() goes to the display instead of the
  module result; tests that import both save and restore ``controller_flag.is_controller``.
  Older cores have no such flag: a stand-in that nothing reads.
- INJECT_INVOCATION: since 2.21 a module returns its invocation (the masked module_args) only when
  asked (the user's ANSIBLE_INJECT_INVOCATION); older cores always return it and refuse the
  argument. Module runs add it, so that the masking of the invocation is checked on every core.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib

from ansible.module_utils.common.parameters import PASS_VARS

INJECT_INVOCATION = {'_ansible_inject_invocation': True} if 'inject_invocation' in PASS_VARS else {}

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    import json

    from ansible.module_utils import basic
    from ansible.module_utils.common.text.converters import to_bytes

    @contextlib.contextmanager
    def patch_module_args(args=None):
        """The module arguments main() reads, for the duration of the with block."""
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved

try:
    from ansible.module_utils import _internal as controller_flag
except ImportError:  # ansible-core < 2.19

    class controller_flag(object):  # pylint: disable=invalid-name
        is_controller = False


@contextlib.contextmanager
def controller_imports():
    """Import controller code (a filter, action or plugin_utils module) inside this block: the
    controller flag its import sets is restored, so the module unit tests of the same session
    keep their warnings."""
    was = controller_flag.is_controller
    try:
        yield
    finally:
        controller_flag.is_controller = was


__all__ = ['INJECT_INVOCATION', 'controller_flag', 'controller_imports', 'patch_module_args']
