# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""In-process module runs against the emulator over HTTP: a module's real main() and real client,
no ansible-playbook (milliseconds per run instead of a second).

What a run proves is what the module sends and answers: the request log of a real HTTP server,
the result JSON the module prints (what the controller receives, and what -vvv shows of it), its
warnings, its exit status. What Ansible itself adds (check mode through --check, the action
group's module_defaults, -vvv and log_path output, callbacks) is proved by the integration
targets and the playbook suites in tests/integration.

Not shipped (galaxy.yml build_ignore, scripts/build.sh's forbidden list): it needs the emulator.

Fixtures:

``emulator``
    One emulator per session (per xdist worker), reset to its seed before each test and configured
    as the test's markers ask (``report_assignments``, ``report_use_alg``: tests/conftest.py). A test
    module whose faults outlive a test (a delayed or dripped answer still being written) overrides
    it with a fresh emulator per test.

``emu`` (tests/conftest.py)
    ``emulator`` with the test module's SEED merged in and an empty request log.

``run_module(module, args=None, check=False, diff=False, env=None) -> ModuleRun``
    ``module`` is a module name of the collection (``apinizer_jwk``). It runs main() of the
    installed copy (.build/collections) with ``args`` plus Ansible's internal arguments for check
    mode and diff, and the connection from the environment as a playbook run gets it: APINIZER_URL,
    APINIZER_TOKEN and APINIZER_PROJECT point at the test's ``emulator``; ``env`` adds variables or
    (a value of None) removes one. Backoff delays are recorded in ``ModuleRun.sleeps`` instead of
    slept, so a test of retries takes no wall time and depends on none.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib
import json
import os

import pytest

from ansible.module_utils.common import warnings as warnings_module

from ansible_collections.apinizer.apiops.plugins.module_utils import client as client_module
from ansible_collections.apinizer.apiops.tests.unit.compat.ansible_core import INJECT_INVOCATION, patch_module_args

MODULES = 'ansible_collections.apinizer.apiops.plugins.modules.'
DEFAULT_PROJECT = 'demo'


class ModuleRun(object):
    """The outcome of one main() run."""

    def __init__(self, module, args, rc, output, sleeps, clients):
        self.module = module
        self.args = args
        self.rc = rc
        self.output = output  # the module's stdout: the result JSON exactly as printed
        self.result = json.loads(output)
        self.sleeps = sleeps  # every backoff delay the client chose (0 included)
        self.clients = clients

    @property
    def failed(self):
        return self.rc != 0 or bool(self.result.get('failed'))

    @property
    def changed(self):
        return bool(self.result.get('changed'))

    @property
    def msg(self):
        return self.result.get('msg') or ''

    @property
    def warnings(self):
        """Warning texts; ansible-core 2.19+ reports each warning as {"event": {"msg": ...}}."""
        return [w['event']['msg'] if isinstance(w, dict) else w for w in self.result.get('warnings', [])]

    def __repr__(self):
        return '<ModuleRun %s rc=%s changed=%s msg=%r warnings=%r>' % (
            self.module, self.rc, self.changed, self.msg, self.warnings)


class _Runner(object):

    def __init__(self, monkeypatch, capsys, emulator):
        self._monkeypatch = monkeypatch
        self._capsys = capsys
        self._emulator = emulator
        self._clients = []
        original = client_module.ApinizerClient.from_module.__func__
        clients = self._clients

        def from_module(cls, module, **kwargs):
            kwargs.setdefault('sleep', lambda seconds: None)  # client.sleeps records each delay
            client = original(cls, module, **kwargs)
            clients.append(client)
            return client

        monkeypatch.setattr(client_module.ApinizerClient, 'from_module', classmethod(from_module))

    def _environment(self, env):
        for key in list(os.environ):
            if key.startswith('APINIZER_'):
                self._monkeypatch.delenv(key)
        base = {'APINIZER_URL': self._emulator.url, 'APINIZER_TOKEN': self._emulator.token,
                'APINIZER_PROJECT': DEFAULT_PROJECT}
        base.update(env or {})
        for key, value in base.items():
            if value is not None:
                self._monkeypatch.setenv(key, str(value))

    def __call__(self, module, args=None, check=False, diff=False, env=None):
        mod = importlib.import_module(MODULES + module)
        self._environment(env)
        del self._clients[:]
        # Warnings are process-global (and de-duplicated) in ansible-core: start each run empty.
        self._monkeypatch.setattr(warnings_module, '_global_warnings', type(warnings_module._global_warnings)())
        self._monkeypatch.setattr(warnings_module, '_global_deprecations',
                                  type(warnings_module._global_deprecations)())
        module_args = dict(args or {}, _ansible_check_mode=check, _ansible_diff=diff, **INJECT_INVOCATION)
        self._capsys.readouterr()
        with patch_module_args(module_args):
            try:
                mod.main()
                rc = 0  # main() returned without exit_json/fail_json: json.loads below fails loudly
            except SystemExit as exc:
                rc = exc.code or 0
        out = self._capsys.readouterr().out
        sleeps = [s for c in self._clients for s in c.sleeps]
        return ModuleRun(module, args, rc, out, sleeps, list(self._clients))


@pytest.fixture(scope='session')
def shared_emulator():
    from apinizer_emulator import Emulator
    emu = Emulator().start()
    yield emu
    emu.stop()


@pytest.fixture
def emulator(shared_emulator, request):
    marked = request.node.get_closest_marker
    shared_emulator.reset()
    shared_emulator.configure(report_assignments=marked('report_assignments') is not None,
                              report_use_alg=marked('report_use_alg') is not None)
    return shared_emulator


@pytest.fixture
def run_module(monkeypatch, capsys, emulator):
    return _Runner(monkeypatch, capsys, emulator)
