# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Interoperability with an independent JOSE implementation (jwcrypto, pinned in
requirements-dev.txt): the rotation role (playbooks/rotate.yml) never publishes two keys under one
kid, and jwcrypto accepts the JWK Set it publishes. The modules' interoperability (thumbprints,
JWTs verified with the published set, the RFC example keys): tests/inprocess/test_interop.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

import pytest
from jwcrypto import jwk as jose_jwk

pytestmark = pytest.mark.slow

ROLE_PLAYBOOK = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'playbooks',
                                              'rotate.yml'))


@pytest.mark.parametrize('source', ['generate', 'local'])
def test_rotation_role_publishes_unique_kids(run_playbook, emulator, tmp_path, source):
    extra = {'jwk_rotation_force': True, 'jwk_rotation_source': source, 'jwk_rotation_keep': 3}
    if source == 'local':
        extra['jwk_rotation_private_key_path'] = str(tmp_path / 'signing.jwk.json')
    for unused in range(2):  # two forced rotations: three generations to publish
        run = run_playbook(ROLE_PLAYBOOK, extra_vars=extra)
        assert 'carries kid' not in run.output, run.describe()  # apinizer_jwk_info would warn
    published = None
    for entry in reversed(run.results):
        facts = (entry.get('result') or {}).get('ansible_facts') or {}
        if 'jwk_rotation_result' in facts:
            published = facts['jwk_rotation_result']['jwk_set']['keys']
            break
    assert published is not None and len(published) >= 2, run.describe()
    kids = [k['kid'] for k in published]
    assert len(kids) == len(set(kids)), kids
    jose_jwk.JWKSet.from_json(json.dumps({'keys': published}))
