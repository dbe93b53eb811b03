# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the emulator's contract tests: a real emulator over HTTP, driven with requests."""

import os
import sys

import pytest

# The emulator is not part of the collection and the root pytest.ini is not this suite's: make both
# the emulator package and this folder's helpers importable however pytest is started.
HERE = os.path.dirname(os.path.abspath(__file__))
for _path in (os.path.abspath(os.path.join(HERE, '..', '..', 'emulator')), HERE):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from contract_helpers import Api  # noqa: E402
from apinizer_emulator import Emulator  # noqa: E402


@pytest.fixture(scope='session')
def shared_emulator():
    # Pinned, not the default: these files assert the legacy answers, whatever DEFAULT_DIALECT is.
    emu = Emulator(dialect='legacy').start()
    yield emu
    emu.stop()


@pytest.fixture
def dialect():
    """The dialect a test's emulator answers in; a test covering both parametrizes 'dialect'."""
    return 'legacy'


@pytest.fixture
def emulator(shared_emulator, request, dialect):
    # One server for the session (fast); every test starts from the seed, as documented unless the
    # test opts in to use/alg in Get JWK answers (@pytest.mark.report_use_alg).
    shared_emulator.reset()
    if dialect != 'legacy':
        shared_emulator.configure(dialect=dialect)
    if request.node.get_closest_marker('report_use_alg') is not None:
        shared_emulator.configure(report_use_alg=True)
    return shared_emulator


@pytest.fixture
def api(emulator):
    client = Api(emulator)
    yield client
    client.session.close()
