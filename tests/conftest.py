# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Repository-wide pytest setup: test the collection as built and installed, never the checkout.

Not shipped (galaxy.yml build_ignore): the shipped unit tests run under ansible-test too.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pytest_configure(config):
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
