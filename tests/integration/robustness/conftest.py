# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures of the robustness suites; helpers live in robustness_lib.py."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from robustness_lib import SEED


@pytest.fixture
def emu(emulator):
    """The per-test emulator with SEED merged in and an empty request log."""
    emulator.seed(SEED)
    emulator.clear_requests()
    return emulator
