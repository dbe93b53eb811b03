# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""jwk_keypair through real ansible-playbook runs: a file is replaced only when the module can
prove it may replace it (issue 13). Encrypted PKCS#8 EC P-256 keys with and without passphrase,
an unrelated JSON file, keys of another type, curve or size, force, backup, check mode, diff."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
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


def play(tasks):
    body = ''.join('    ' + line + '\n' if line.strip() else '\n' for line in tasks.strip('\n').split('\n'))
    return '- hosts: localhost\n  gather_facts: false\n  tasks:\n' + body


def snapshot(directory):
    return dict((name, open(os.path.join(directory, name), 'rb').read()) for name in sorted(os.listdir(directory)))


def files(tmp_path):
    """The files every test starts from: name -> bytes."""
    directory = tmp_path / 'keys'
    directory.mkdir()
    encrypted = ec.generate_private_key(ec.SECP256R1())
    content = {
        'encrypted-p256.pem': pem(encrypted, PASSPHRASE),
        'unrelated.json': UNRELATED.encode(),
        'rsa-2048.pem': pem(rsa.generate_private_key(65537, 2048)),
        'ec-p384.pem': pem(ec.generate_private_key(ec.SECP384R1())),
    }
    for name, data in content.items():
        (directory / name).write_bytes(data)
        os.chmod(str(directory / name), 0o600)
    return directory, encrypted


SAFETY = play('''
- name: encrypted key without passphrase
  apinizer.apiops.jwk_keypair:
    path: "{{ dir }}/encrypted-p256.pem"
    format: pem
    force: true
  ignore_errors: true
- name: encrypted key with passphrase
  apinizer.apiops.jwk_keypair:
    path: "{{ dir }}/encrypted-p256.pem"
    format: pem
    passphrase: "{{ passphrase }}"
  register: unlocked
- name: unrelated json
  apinizer.apiops.jwk_keypair:
    path: "{{ dir }}/unrelated.json"
  ignore_errors: true
- name: wrong type
  apinizer.apiops.jwk_keypair:
    path: "{{ dir }}/rsa-2048.pem"
    format: pem
    key_type: EC
  ignore_errors: true
- name: wrong curve
  apinizer.apiops.jwk_keypair:
    path: "{{ dir }}/ec-p384.pem"
    format: pem
    curve: P-256
  ignore_errors: true
- name: wrong size
  apinizer.apiops.jwk_keypair:
    path: "{{ dir }}/rsa-2048.pem"
    format: pem
    key_type: RSA
    key_size: 3072
  ignore_errors: true
''')


def test_files_the_module_cannot_prove_replaceable_are_kept(run_playbook, tmp_path):
    directory, encrypted = files(tmp_path)
    before = snapshot(str(directory))
    run = run_playbook(SAFETY, extra_vars={'dir': str(directory), 'passphrase': PASSPHRASE})
    assert snapshot(str(directory)) == before  # not one byte changed, no file added

    locked = run.task('encrypted key without passphrase')
    assert locked['failed'] and 'holds an encrypted private key and no passphrase was given' in locked['result']['msg']
    assert 'not even with force' in locked['result']['msg']

    unlocked = run.task('encrypted key with passphrase')
    assert not unlocked['failed'] and unlocked['changed'] is False and unlocked['result']['action'] == 'keep'
    x = encrypted.public_key().public_numbers().x.to_bytes(32, 'big')
    assert unlocked['result']['public_jwk']['x'] == base64.urlsafe_b64encode(x).rstrip(b'=').decode()  # that key
    assert PASSPHRASE not in run.output

    for task, fragment in (
            ('unrelated json', 'is JSON but not a JWK (no kty member); it is kept. Set force: true'),
            ('wrong type', 'holds an RSA 2048 private key, the task asks for an EC P-256 key; it is kept'),
            ('wrong curve', 'holds an EC P-384 private key, the task asks for an EC P-256 key; it is kept'),
            ('wrong size', 'holds an RSA 2048 private key, the task asks for an RSA 3072 key; it is kept')):
        assert run.task(task)['failed'], task
        assert fragment in run.task(task)['result']['msg'], task


FORCE = play('''
- name: replace
  apinizer.apiops.jwk_keypair:
    path: "{{ dir }}/{{ item }}"
    format: "{{ 'jwk' if item.endswith('.json') else 'pem' }}"
    passphrase: "{{ passphrase if item.startswith('encrypted') else omit }}"
    force: true
    backup: true
  loop: [unrelated.json, rsa-2048.pem, encrypted-p256.pem]
  register: replaced
''')


def test_force_replaces_and_backup_keeps_the_previous_file(run_playbook, tmp_path):
    directory, encrypted = files(tmp_path)
    before = snapshot(str(directory))
    run = run_playbook(FORCE, extra_vars={'dir': str(directory), 'passphrase': PASSPHRASE})
    results = dict((r['item'], r) for r in run.task('replace')['result']['results'])
    for name in ('unrelated.json', 'rsa-2048.pem', 'encrypted-p256.pem'):
        result = results[name]
        assert result['changed'] is True and result['action'] == 'replace', name
        backup = result['backup_file']
        assert os.path.dirname(backup) == str(directory) and os.path.basename(backup).startswith(name + '.')
        with open(backup, 'rb') as handle:
            assert handle.read() == before[name], name  # the timestamped copy is the previous content
        assert os.stat(backup).st_mode & 0o777 == 0o600, name
    assert json.loads((directory / 'unrelated.json').read_text())['kty'] == 'EC'
    new = (directory / 'encrypted-p256.pem').read_bytes()
    assert new.startswith(b'-----BEGIN ENCRYPTED PRIVATE KEY-----') and new != before['encrypted-p256.pem']
    serialization.load_pem_private_key(new, password=PASSPHRASE.encode())  # encrypted with the same passphrase


CHECK = play('''
- name: would replace
  apinizer.apiops.jwk_keypair:
    path: "{{ dir }}/unrelated.json"
    force: true
    backup: true
    kid: k-13
- name: would create
  apinizer.apiops.jwk_keypair:
    path: "{{ dir }}/new.json"
- name: would keep
  apinizer.apiops.jwk_keypair:
    path: "{{ dir }}/encrypted-p256.pem"
    format: pem
    passphrase: "{{ passphrase }}"
''')


def test_check_mode_writes_nothing_and_diff_reports_what_would_happen(run_playbook, tmp_path):
    directory, encrypted = files(tmp_path)
    before = snapshot(str(directory))
    run = run_playbook(CHECK, extra_vars={'dir': str(directory), 'passphrase': PASSPHRASE}, check=True, diff=True)
    assert snapshot(str(directory)) == before

    replace = run.task('would replace')['result']
    assert replace['changed'] is True and replace['action'] == 'replace' and 'backup_file' not in replace
    assert replace['diff']['before']['content'] == 'JSON but not a JWK (no kty member)'
    after = replace['diff']['after']
    assert (after['content'], after['key_type'], after['curve'], after['kid']) == ('private key', 'EC', 'P-256', 'k-13')
    assert after['thumbprint'] == replace['thumbprint'] and after['mode'] == '0600'

    create = run.task('would create')['result']
    assert create['action'] == 'create' and create['diff']['before'] == {
        'path': str(directory / 'new.json'), 'format': 'jwk', 'content': 'no file'}

    keep = run.task('would keep')
    assert keep['changed'] is False and keep['result']['action'] == 'keep'
    assert keep['result']['diff']['before'] == keep['result']['diff']['after']
    assert keep['result']['diff']['before']['encrypted'] is True
    # the diff shows descriptions and thumbprints, never a private member or the passphrase
    assert PASSPHRASE not in run.output and '"d":' not in run.output
