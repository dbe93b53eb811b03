# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""jwk_converge's safety rules (issue 24): a scope that holds every name is none (L3)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_converge import scope_problem


@pytest.mark.parametrize('scope, words', [
    ({'prefix': ''}, 'scope.prefix must not be empty'),
    ({'regex': '.*'}, "scope.regex '.*' matches every name"),
    ({'regex': '.+'}, 'matches every name'),
    ({'regex': '(?s).*'}, 'matches every name'),
    ({'regex': '[\\s\\S]*'}, 'matches every name'),
    ({'regex': '\\S+'}, 'matches every name'),
    ({'regex': 'app-.*|.*'}, 'matches every name'),
    ({'regex': '(app-)?.*'}, 'matches every name'),
    ({'regex': '[^/]*'}, 'matches every name'),
    ({'regex': 'app-('}, "scope.regex 'app-(' is not a regular expression"),
])
def test_a_scope_that_holds_every_name_is_refused_naming_the_option(scope, words):
    assert words in (scope_problem(scope) or '')


@pytest.mark.parametrize('scope', [
    {'prefix': 'app-'}, {'prefix': 'a'}, {'regex': 'app-.*'}, {'regex': '[a-z]+-[0-9]+'}, {'regex': '.*-signing'},
])
def test_a_bounded_scope_is_accepted(scope):
    assert scope_problem(scope) is None
