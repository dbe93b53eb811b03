# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The signer's key file of the jwk_rotation role (source local): issue 24 H2, M4 and L1."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import stat

import pytest

from ansible_collections.apinizer.apiops.tests.unit.compat.ansible_core import controller_imports

with controller_imports():  # importing controller code marks the process as the controller
    from ansible_collections.apinizer.apiops.plugins.plugin_utils import jwk_rotation_key_file as kf

G0, G1, NEW = 'sig-20260801T000000Z', 'sig-20261101T000000Z', 'sig-20261204T110000Z'
KEY0, KEY1 = b'{"kty": "EC", "kid": "%s", "d": "zero"}\n' % G0.encode(), b'{"kty": "EC", "d": "one"}\n'
ENCRYPTED = b'-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n'


@pytest.fixture
def keys(tmp_path):
    path = str(tmp_path / 'signing.jwk')

    def write(name, data, mode=0o600):
        target = path if name is None else kf.copy_path(path, name)
        with open(target, 'wb') as handle:
            handle.write(data)
        os.chmod(target, mode)
    write(G0, KEY0)
    write(G1, KEY1)
    return path, write


def test_holding_the_active_generation_needs_nothing(keys):
    path, write = keys
    write(None, KEY1)
    decision = kf.decide(path, G1, [G0, G1])
    assert decision['status'] == kf.HOLDING and decision['fix_mode'] is False
    assert kf.put(decision, check_mode=False) is False


def test_another_generations_copy_is_replaced_and_still_kept_with_its_generation(keys):
    """Issue 24 H2: whenever the file does not hold the active generation, it is brought to it."""
    path, write = keys
    write(None, KEY0)
    decision = kf.decide(path, G1, [G0, G1])
    assert decision['status'] == kf.PUT and decision['from'] == kf.copy_path(path, G1)
    assert kf.put(decision, check_mode=True) is True
    assert open(path, 'rb').read() == KEY0              # check mode wrote nothing
    assert kf.put(decision, check_mode=False) is True
    assert open(path, 'rb').read() == KEY1 and open(kf.copy_path(path, G0), 'rb').read() == KEY0


@pytest.mark.parametrize('content', [None, b'', b'  \n'])
def test_nothing_or_an_empty_file_is_written(keys, content):
    path, write = keys
    if content is not None:
        write(None, content)
    assert kf.decide(path, G1, [G0, G1])['status'] == kf.PUT


def test_the_written_file_is_never_readable_by_others_not_even_briefly(keys, monkeypatch):
    """Issue 24 L1: key_file.write_atomically (mode 0600 before the first byte), not a chmod after."""
    path, write = keys
    seen = []
    monkeypatch.setattr(kf, 'write_atomically', lambda target, data: seen.append((target, data)))
    kf.put(kf.decide(path, G1, [G0, G1]), check_mode=False)
    assert seen == [(path, KEY1)]


def test_the_real_write_is_mode_0600(keys):
    path, write = keys
    kf.put(kf.decide(path, G1, [G0, G1]), check_mode=False)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_holding_file_readable_by_others_gets_mode_0600(keys):
    path, write = keys
    write(None, KEY1, mode=0o644)
    decision = kf.decide(path, G1, [G0, G1])
    assert decision['status'] == kf.HOLDING and decision['fix_mode'] is True
    assert kf.put(decision, check_mode=False) is True
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


@pytest.mark.parametrize('content, what', [
    (ENCRYPTED, 'an encrypted private key'),
    (b'{"kty": "EC", "d": "someone else"}', 'a private key'),
    (b'signer configuration\n', 'data that is not one of its keys'),
])
def test_a_file_the_role_cannot_prove_it_may_replace_is_refused_before_any_write(keys, content, what):
    """Issue 24 M4: never clobber what it cannot prove it may replace (an encrypted key, another key)."""
    path, write = keys
    write(None, content)
    with pytest.raises(kf.Refused) as caught:
        kf.decide(path, G1, [G0, G1])
    message = str(caught.value)
    assert message.startswith('jwk_rotation_private_key_path %s holds %s,' % (path, what))
    assert message.endswith('Nothing was changed.') and 'someone else' not in message
    assert open(path, 'rb').read() == content
    # The same for the first generation of a rotation.
    with pytest.raises(kf.Refused):
        kf.decide(path, NEW, [G0, G1], created=NEW)


def test_a_directory_at_the_path_is_refused(keys):
    path, write = keys
    os.mkdir(path)
    with pytest.raises(kf.Refused) as caught:
        kf.decide(path, G1, [G0, G1])
    assert 'not a regular file' in str(caught.value)


def test_a_missing_copy_of_the_active_generation_is_refused(keys):
    path, write = keys
    os.remove(kf.copy_path(path, G0))
    with pytest.raises(kf.Refused) as caught:
        kf.decide(path, G0, [G0, G1])
    assert str(caught.value).startswith('The private key of %s is not at %s.%s' % (G0, path, G0))


def test_a_new_generation_is_written_only_where_nothing_is(keys):
    path, write = keys
    write(None, KEY1)
    decision = kf.decide(path, NEW, [G0, G1], created=NEW)
    assert decision['status'] == kf.PUT
    write(NEW, b'planted')
    with pytest.raises(kf.Refused) as caught:
        kf.decide(path, NEW, [G0, G1], created=NEW)
    assert str(caught.value).startswith('%s.%s already exists, but %s is a new generation' % (path, NEW, NEW))
    # Staging a generation checks its file too, while the active one stays put.
    with pytest.raises(kf.Refused):
        kf.decide(path, G1, [G0, G1], created=NEW)


def test_no_generation_yet_needs_nothing(keys):
    path, write = keys
    assert kf.decide(path, None, [])['status'] == kf.NONE
