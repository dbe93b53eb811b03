# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Apinizer Management API emulator (test infrastructure, not shipped with the collection)."""

from .dialects import DEFAULT_DIALECT, DIALECTS
from .emulator import Emulator
from .errors import ApiError
from .state import default_seed

__all__ = ['ApiError', 'DEFAULT_DIALECT', 'DIALECTS', 'Emulator', 'default_seed']
