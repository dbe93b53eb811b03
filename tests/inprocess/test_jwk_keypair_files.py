# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""jwk_keypair on real files, beyond its unit tests (tests/unit/plugins/modules/test_jwk_keypair*.py,
which prove what is kept and why): force with backup over every kind of file, and the check-mode
diff of a file it would create and of an encrypted key it keeps (issue 13)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

PASSPHRASE = 'integration passphrase 13'
UNRELATED = '{"service": "billing", "retries": 3}\n'


def pem(key, passphrase=None):
    encryption = (serialization.BestAvailableEncryption(passphrase.encode()) if passphrase
                  else serialization.NoEncryption())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def files(tmp_path):
    """The files every test starts from, mode 0600: (directory, name -> bytes)."""
    directory = tmp_path / 'keys'
    directory.mkdir()
    content = {
        'encrypted-p256.pem': pem(ec.generate_private_key(ec.SECP256R1()), PASSPHRASE),
        'unrelated.json': UNRELATED.encode(),
        'rsa-2048.pem': pem(rsa.generate_private_key(65537, 2048)),
    }
    for name, data in content.items():
        (directory / name).write_bytes(data)
        os.chmod(str(directory / name), 0o600)
    return directory, content


def test_force_replaces_and_backup_keeps_the_previous_file(run_module, tmp_path):
    directory, before = files(tmp_path)
    for name in ('unrelated.json', 'rsa-2048.pem', 'encrypted-p256.pem'):
        options = {'path': str(directory / name), 'format': 'jwk' if name.endswith('.json') else 'pem',
                   'force': True, 'backup': True}
        if name.startswith('encrypted'):
            options['passphrase'] = PASSPHRASE
        run = run_module('jwk_keypair', options)
        assert run.changed is True and run.result['action'] == 'replace', run
        backup = run.result['backup_file']
        assert os.path.dirname(backup) == str(directory) and os.path.basename(backup).startswith(name + '.')
        with open(backup, 'rb') as handle:
            assert handle.read() == before[name], name  # the timestamped copy is the previous content
        assert os.stat(backup).st_mode & 0o777 == 0o600, name
        assert PASSPHRASE not in run.output
    assert json.loads((directory / 'unrelated.json').read_text())['kty'] == 'EC'
    new = (directory / 'encrypted-p256.pem').read_bytes()
    assert new.startswith(b'-----BEGIN ENCRYPTED PRIVATE KEY-----') and new != before['encrypted-p256.pem']
    serialization.load_pem_private_key(new, password=PASSPHRASE.encode())  # encrypted with the same passphrase


def test_check_mode_diff_of_a_new_file_and_of_a_kept_encrypted_key(run_module, tmp_path):
    directory, before = files(tmp_path)
    create = run_module('jwk_keypair', {'path': str(directory / 'new.json')}, check=True, diff=True)
    assert create.changed and create.result['action'] == 'create'
    assert create.result['diff']['before'] == {'path': str(directory / 'new.json'), 'format': 'jwk', 'content': 'no file'}

    keep = run_module('jwk_keypair', {'path': str(directory / 'encrypted-p256.pem'), 'format': 'pem',
                                      'passphrase': PASSPHRASE}, check=True, diff=True)
    assert keep.changed is False and keep.result['action'] == 'keep'
    assert keep.result['diff']['before'] == keep.result['diff']['after']
    assert keep.result['diff']['before']['encrypted'] is True
    # the diff shows descriptions and thumbprints, never a private member or the passphrase
    assert PASSPHRASE not in keep.output and '"d":' not in keep.output + create.output
    assert sorted(os.listdir(str(directory))) == sorted(before)  # nothing written
    for name, data in before.items():
        assert (directory / name).read_bytes() == data
