# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared harness for the module unit tests: run a module's main() in-process and parse its result.

Lives here (not in the repository root conftest) so that both plain pytest and ansible-test units,
which only sees the installed collection, pick it up.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible.module_utils.common import warnings as warnings_module
from ansible_collections.apinizer.apiops.tests.unit.compat.ansible_core import INJECT_INVOCATION, patch_module_args

CONNECTION_DEFAULTS = dict(apinizer_url='http://127.0.0.1:1', apinizer_token='unit-test-token-xyz', project='demo')


def _connection_args(**extra):
    """Connection options that never reach a server (loopback port 1), updated with extra."""
    args = dict(CONNECTION_DEFAULTS)
    args.update(extra)
    return args


@pytest.fixture
def connection_args():
    """connection_args(**extra) -> dict of apinizer_url/apinizer_token/project plus extra."""
    return _connection_args


class ModuleRunner(object):
    """run_module(module, args, client=None, check_mode=False, diff=False) -> (failed, result, raw_out).

    With a client, module.ApinizerClient.from_module returns it (for the rest of the test), and
    client_built tells whether the module asked for one in the last run.
    """

    def __init__(self, monkeypatch, capsys):
        self._monkeypatch = monkeypatch
        self._capsys = capsys
        self.client_built = False

    def __call__(self, module, args, client=None, check_mode=False, diff=False):
        self.client_built = False
        if client is not None:
            def from_module(cls, ansible_module):
                self.client_built = True
                return client

            self._monkeypatch.setattr(module.ApinizerClient, 'from_module', classmethod(from_module))
        # Warnings are process-global (and de-duplicated) in ansible-core: start each run empty.
        # The container type differs between cores (list before 2.19, dict since), so keep it.
        self._monkeypatch.setattr(warnings_module, '_global_warnings', type(warnings_module._global_warnings)())
        module_args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff, **INJECT_INVOCATION)
        with patch_module_args(module_args):
            with pytest.raises(SystemExit) as exc:
                module.main()
        out = self._capsys.readouterr().out
        return exc.value.code != 0, json.loads(out), out


@pytest.fixture
def run_module(monkeypatch, capsys):
    return ModuleRunner(monkeypatch, capsys)
