# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The playbook harness: real ansible-playbook runs against a fresh emulator per test, for what
only a playbook proves (the role's flows, -vvv and log_path output, check mode through --check);
a module's own behaviour is proved in-process (tests/inprocess).

Fixtures (see docs/design.md, "The integration harness"):

``emulator`` / ``emu`` (tests/conftest.py)
    A started emulator per test; override ``emulator`` in a test module (a fixture of the same
    name) for TLS or custom environments; ``run_playbook`` then points at it.

``run_playbook(playbook, extra_vars=None, check=False, diff=False, verbosity=0, env=None,
expect_failure=False, timeout=300) -> Run``
    ``playbook`` is YAML text or a path. Runs the venv's ansible-playbook against the installed
    collection in .build/collections, with APINIZER_URL/TOKEN/PROJECT set for the emulator.
    ``env`` adds or overrides variables; a value of None removes one. Asserts rc == 0 unless
    ``expect_failure`` (then asserts rc != 0).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess
import sys
import threading

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.path.join(REPO, '.build', 'collections')
CALLBACK_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'callback_plugins')
BIN = os.path.dirname(sys.executable)
DEFAULT_PROJECT = 'demo'
DEFAULT_TOKEN = 'emulator-token'


class Run(object):
    """The outcome of one ansible-playbook / ansible run."""

    def __init__(self, args, rc, stdout, stderr, results):
        self.args = args
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.results = results  # [{task, action, host, status, changed, failed, skipped, warnings, result}]

    @property
    def output(self):
        return self.stdout + self.stderr

    def tasks(self, name):
        """Every result of the task called ``name`` (several with loops over hosts or include)."""
        return [r for r in self.results if r['task'] == name]

    def task(self, name):
        """The last result of the task called ``name``; raises KeyError when the task never ran."""
        found = self.tasks(name)
        if not found:
            raise KeyError('task %r has no result; tasks with results: %r'
                           % (name, [r['task'] for r in self.results]))
        return found[-1]

    @property
    def changed_tasks(self):
        """Names of the tasks that reported changed, in run order."""
        return [r['task'] for r in self.results if r['changed']]

    @property
    def failed_tasks(self):
        return [r['task'] for r in self.results if r['failed']]

    def __repr__(self):
        return '<Run rc=%s tasks=%d changed=%r failed=%r>' % (
            self.rc, len(self.results), self.changed_tasks, self.failed_tasks)

    def describe(self):
        """Everything needed to understand a failed assertion."""
        return '%r\n$ %s\n--- stdout ---\n%s\n--- stderr ---\n%s' % (
            self, ' '.join(self.args), self.stdout, self.stderr)


def _executable(name):
    path = os.path.join(BIN, name)
    if not os.path.exists(path):
        raise RuntimeError('%s not found next to %s: run the tests with the project venv' % (name, sys.executable))
    return path


class _Runner(object):
    """Builds the environment and runs one ansible-playbook."""

    def __init__(self, tmp_path, emulator):
        self.tmp_path = tmp_path
        self.emulator = emulator
        self.count = 0
        # Tests may start runs from several threads (concurrency tests): number them safely.
        self._lock = threading.Lock()

    def _next(self):
        with self._lock:
            self.count += 1
            return self.count

    def environment(self, overrides):
        # Start clean: inherited ANSIBLE_*/APINIZER_* settings must not change what a test sees.
        env = dict((k, v) for k, v in os.environ.items()
                   if not k.startswith(('ANSIBLE_', 'APINIZER_', 'RESULT_COLLECTOR_')))
        home = str(self.tmp_path / 'ansible-home')
        env.update({
            'PATH': BIN + os.pathsep + env.get('PATH', ''),
            # a pyenv shim fails for a version pyenv does not hold: never let discovery pick one.
            'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
            'ANSIBLE_COLLECTIONS_PATH': COLLECTIONS,
            'ANSIBLE_COLLECTIONS_SCAN_SYS_PATH': 'False',
            'ANSIBLE_HOME': home,
            'ANSIBLE_LOCAL_TEMP': os.path.join(home, 'tmp'),
            'ANSIBLE_REMOTE_TEMP': os.path.join(home, 'remote_tmp'),
            'ANSIBLE_CALLBACK_PLUGINS': CALLBACK_DIR,
            'ANSIBLE_CALLBACKS_ENABLED': 'result_collector',
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_LOCALHOST_WARNING': 'False',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'False',
            'ANSIBLE_RETRY_FILES_ENABLED': 'False',
            'APINIZER_URL': self.emulator.url,
            'APINIZER_TOKEN': getattr(self.emulator, 'token', None) or DEFAULT_TOKEN,
            'APINIZER_PROJECT': DEFAULT_PROJECT,
        })
        for key, value in (overrides or {}).items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = str(value)
        return env

    def run(self, args, env, expect_failure, timeout):
        n = self._next()
        results_file = self.tmp_path / ('results-%d.jsonl' % n)
        env = self.environment(env)
        env['RESULT_COLLECTOR_FILE'] = str(results_file)
        # cwd is a fresh dir so no ansible.cfg from the checkout or the caller applies.
        cwd = self.tmp_path / ('run-%d' % n)
        cwd.mkdir()
        proc = subprocess.run(args, cwd=str(cwd), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=timeout)
        results = []
        if results_file.exists():
            with open(str(results_file)) as f:
                results = [json.loads(line) for line in f if line.strip()]
        run = Run(args, proc.returncode, proc.stdout, proc.stderr, results)
        if expect_failure:
            assert run.rc != 0, 'expected a failure:\n' + run.describe()
        else:
            assert run.rc == 0, 'ansible failed:\n' + run.describe()
        return run

    def playbook(self, playbook, extra_vars=None, check=False, diff=False, verbosity=0, env=None,
                 expect_failure=False, timeout=300):
        n = self._next()
        if hasattr(playbook, '__fspath__') or (isinstance(playbook, str) and '\n' not in playbook
                                               and os.path.isfile(playbook)):
            path = os.path.abspath(str(playbook))
        else:
            path = str(self.tmp_path / ('playbook-%d.yml' % n))
            with open(path, 'w') as f:
                f.write(playbook)
        args = [_executable('ansible-playbook'), '-i', 'localhost,', '-c', 'local']
        if check:
            args.append('--check')
        if diff:
            args.append('--diff')
        if verbosity:
            args.append('-' + 'v' * verbosity)
        if extra_vars:
            # A file keeps types (bool, list, dict) and secrets out of the process list.
            vars_file = self.tmp_path / ('extra-vars-%d.json' % n)
            vars_file.write_text(json.dumps(extra_vars))
            args += ['-e', '@' + str(vars_file)]
        args.append(path)
        return self.run(args, env, expect_failure, timeout)

    def adhoc(self, module, args=None, check=False, env=None, expect_failure=False, timeout=300):
        """``ansible localhost -m <module> -a <args>``, as the README's ad-hoc commands run."""
        cmd = [_executable('ansible'), 'localhost', '-i', 'localhost,', '-c', 'local', '-m', module]
        if check:
            cmd.append('--check')
        if args:
            cmd += ['-a', args if isinstance(args, str) else json.dumps(args)]
        return self.run(cmd, env, expect_failure, timeout)


@pytest.fixture
def ansible_runner(tmp_path, emulator):
    return _Runner(tmp_path, emulator)


@pytest.fixture
def run_playbook(ansible_runner):
    return ansible_runner.playbook


@pytest.fixture
def run_ansible(ansible_runner):
    return ansible_runner.adhoc
