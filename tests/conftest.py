# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Repository-wide pytest setup: test the collection as built and installed, never the checkout.

Not shipped (galaxy.yml build_ignore): the shipped unit tests run under ansible-test too.

Fixtures of the suites that talk to the emulator (tests/inprocess, tests/integration):

``emulator``
    A started ``apinizer_emulator.Emulator`` (plain HTTP, default seed), stopped after the test.
    It is the server as documented: credential lists carry no assignment fields. A test marked
    ``@pytest.mark.report_assignments`` gets a server that reports them (validationJwkName /
    encryptionJwkName), an opt-in that survives ``reset()``; a test that runs in both worlds
    calls ``emulator.configure(report_assignments=...)`` itself. Likewise Get JWK answers carry no
    ``use``/``alg`` in the key member unless ``@pytest.mark.report_use_alg`` (or
    ``configure(report_use_alg=True)``).

``emu``
    The same emulator with the test module's SEED (if it has one) merged in and an empty request log.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pytest_configure(config):
    config.addinivalue_line('markers', 'report_assignments: the emulator lists credentials with '
                                       'validationJwkName/encryptionJwkName (not documented by the vendor)')
    # xdist workers inherit the controller's fresh build; building once avoids races.
    if hasattr(config, 'workerinput') or os.environ.get('APINIZER_SKIP_BUILD') == '1':
        return
    env = dict(os.environ)
    # Build with the venv running pytest (normally <repo>/.venv) when it has ansible-galaxy.
    venv = os.path.dirname(os.path.dirname(sys.executable))
    if os.path.exists(os.path.join(venv, 'bin', 'ansible-galaxy')):
        env.setdefault('APINIZER_VENV', venv)
    proc = subprocess.run(['bash', os.path.join(REPO, 'scripts', 'build.sh')], cwd=REPO, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    if proc.returncode != 0:
        raise RuntimeError('scripts/build.sh failed (rc=%d); set APINIZER_SKIP_BUILD=1 to test the '
                           'existing .build tree anyway:\n%s' % (proc.returncode, proc.stdout))


@pytest.fixture
def emulator(request):
    from apinizer_emulator import Emulator
    marked = request.node.get_closest_marker
    emu = Emulator(report_assignments=marked('report_assignments') is not None,
                   report_use_alg=marked('report_use_alg') is not None)
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def emu(emulator, request):
    """The per-test emulator with the test module's SEED (if it has one) merged in and an empty request log."""
    seed = getattr(request.module, 'SEED', None)
    if seed:
        emulator.seed(seed)
    emulator.clear_requests()
    return emulator
