# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""TLS: the emulator over HTTPS with its own self-signed CA.

Verification is on by default and fails with a message that says what to do (ca_path,
validate_certs); ca_path (option or APINIZER_CA_PATH) makes it pass; validate_certs: false
(option or APINIZER_VALIDATE_CERTS) works and warns. The role's variables over HTTPS:
tests/integration/robustness/test_tls.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

import pytest


@pytest.fixture(scope='module')
def tls_emulator(tmp_path_factory):
    from apinizer_emulator import Emulator
    emu = Emulator(tls_dir=str(tmp_path_factory.mktemp('tls')))
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def emulator(tls_emulator):
    tls_emulator.reset()
    return tls_emulator


def clear_failure(msg):
    """The message says it is about certificate verification and how to fix it."""
    return (re.search(r'certificate', msg, re.I) and re.search(r'verif', msg, re.I)
            and 'ca_path' in msg and 'validate_certs' in msg)


def warned(run):
    return any('validate_certs' in w for w in run.warnings)


@pytest.mark.parametrize('options, env, warns', [
    pytest.param({'ca_path': 'CA'}, {}, False, id='ca_path'),
    pytest.param({'validate_certs': False}, {}, True, id='validate_certs-false'),
    pytest.param({}, {'APINIZER_CA_PATH': 'CA'}, False, id='APINIZER_CA_PATH'),
    pytest.param({}, {'APINIZER_VALIDATE_CERTS': 'false'}, True, id='APINIZER_VALIDATE_CERTS-false'),
])
def test_https_connects_with_the_ca_or_without_verification(run_module, emulator, options, env, warns):
    assert emulator.url.startswith('https://')

    def ca(values):
        return dict((k, emulator.ca_file if v == 'CA' else v) for k, v in values.items())

    run = run_module('apinizer_jwk_info', ca(options), env=ca(env))
    assert not run.failed, run
    assert warned(run) is warns, run.warnings
    assert [(r['method'], r['path']) for r in emulator.requests()] == [('GET', '/apiops/projects/demo/jwks/')]


def test_verification_is_on_by_default_and_its_failure_says_what_to_do(run_module, emulator):
    run = run_module('apinizer_jwk', {'name': 'tls-default'})
    assert run.failed and clear_failure(run.msg), run
    assert emulator.requests() == [] and 'tls-default' not in emulator.state()['projects']['demo']['jwks']
