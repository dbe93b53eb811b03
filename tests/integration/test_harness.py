# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The harness itself: if these fail, no integration result can be trusted."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys

import pytest

pytestmark = pytest.mark.slow


def test_a_run_sees_its_variables_environment_and_modes(run_playbook, emulator, tmp_path):
    path = tmp_path / 'harness.yml'
    path.write_text('''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Say hello
      ansible.builtin.debug:
        msg: hello {{ who }}
    - name: Show environment
      ansible.builtin.debug:
        msg:
          url: "{{ lookup('ansible.builtin.env', 'APINIZER_URL') }}"
          token: "{{ lookup('ansible.builtin.env', 'APINIZER_TOKEN', default='UNSET') }}"
          project: "{{ lookup('ansible.builtin.env', 'APINIZER_PROJECT') }}"
          collections: "{{ lookup('ansible.builtin.env', 'ANSIBLE_COLLECTIONS_PATH') }}"
          python: "{{ ansible_playbook_python }}"
          modes: "{{ ansible_check_mode }}|{{ ansible_diff_mode }}"
''')
    run = run_playbook(str(path), extra_vars={'who': 'harness'}, check=True, diff=True,
                       env={'APINIZER_PROJECT': 'other', 'APINIZER_TOKEN': None})
    assert run.rc == 0 and '--check' in run.args and '--diff' in run.args
    result = run.task('Say hello')
    assert (result['status'], result['changed'], result['failed'], result['host']) == ('ok', False, False, 'localhost')
    assert result['result']['msg'] == 'hello harness' and 'hello harness' in run.stdout
    assert run.changed_tasks == []
    msg = run.task('Show environment')['result']['msg']
    assert msg['url'] == emulator.url
    assert (msg['token'], msg['project'], msg['modes']) == ('UNSET', 'other', 'True|True')
    assert msg['collections'].endswith(os.path.join('.build', 'collections'))
    assert os.path.realpath(os.path.dirname(msg['python'])) == os.path.realpath(os.path.dirname(sys.executable))


def test_a_request_reaches_the_emulator_log(run_playbook, emulator):
    emulator.clear_requests()
    run = run_playbook('''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: List JWKs over plain HTTP
      ansible.builtin.uri:
        url: "{{ lookup('ansible.builtin.env', 'APINIZER_URL') }}/apiops/projects/{{ lookup('ansible.builtin.env', 'APINIZER_PROJECT') }}/jwks/"
        headers:
          Authorization: "Bearer {{ lookup('ansible.builtin.env', 'APINIZER_TOKEN') }}"
    - name: Report modes
      ansible.builtin.debug:
        msg: "{{ ansible_check_mode }}|{{ ansible_diff_mode }}"
''')
    assert run.task('List JWKs over plain HTTP')['result']['status'] == 200
    assert [(r['method'], r['path']) for r in emulator.requests()] == [('GET', '/apiops/projects/demo/jwks/')]
    assert run.task('Report modes')['result']['msg'] == 'False|False'


FAILING = '''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Break on purpose
      ansible.builtin.fail:
        msg: broken on purpose
    - name: Never reached
      ansible.builtin.debug:
        msg: unreachable
'''


def test_failing_task_gives_nonzero_rc(run_playbook):
    run = run_playbook(FAILING, expect_failure=True)
    assert run.rc != 0
    result = run.task('Break on purpose')
    assert result['failed'] is True
    assert result['status'] == 'failed'
    assert result['result']['msg'] == 'broken on purpose'
    assert run.failed_tasks == ['Break on purpose']
    with pytest.raises(KeyError):
        run.task('Never reached')


def test_unexpected_failure_is_reported(run_playbook):
    with pytest.raises(AssertionError, match='broken on purpose'):
        run_playbook(FAILING)


REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _tarball():
    import glob
    found = glob.glob(os.path.join(REPO, '.build', 'dist', 'apinizer-apiops-*.tar.gz'))
    assert len(found) == 1, found
    return found[0]


def test_built_tarball_ships_the_collection_and_nothing_else():
    import tarfile
    with tarfile.open(_tarball()) as tar:
        names = set(tar.getnames())
    for required in ('MANIFEST.json', 'FILES.json', 'meta/runtime.yml', 'plugins/module_utils/client.py',
                     'plugins/modules/apinizer_jwk.py', 'plugins/doc_fragments/connection.py'):
        assert required in names
    top = set(n.split('/')[0] for n in names)
    for forbidden in ('.venv', '.venv-2.16', '.build', '.ansible', '.git', '.ci', 'emulator', 'scripts',
                      'benchmarks', 'extensions', 'pytest.ini', 'requirements-dev.txt', 'context'):
        assert forbidden not in top
    assert not [n for n in names if n.startswith(('tests/integration', 'tests/contract', 'tests/inprocess', 'tests/output'))]
    assert not [n for n in names if '__pycache__' in n or n.endswith('.pyc')]


def test_build_rejects_a_tarball_that_would_ship_development_files(tmp_path):
    """build.sh's content check must be able to fail: ship emulator/ by dropping it from build_ignore."""
    import shutil
    import subprocess
    root = tmp_path / 'repo'
    (root / 'scripts').mkdir(parents=True)
    shutil.copy(os.path.join(REPO, 'scripts', 'build.sh'), str(root / 'scripts' / 'build.sh'))
    shutil.copytree(os.path.join(REPO, 'meta'), str(root / 'meta'))
    (root / 'README.md').write_text('readme\n')
    (root / 'emulator').mkdir()
    (root / 'emulator' / 'server.py').write_text('# development only\n')
    with open(os.path.join(REPO, 'galaxy.yml')) as f:
        galaxy = f.read()
    assert '  - emulator\n' in galaxy
    (root / 'galaxy.yml').write_text(galaxy.replace('  - emulator\n', ''))
    env = dict(os.environ, APINIZER_VENV=os.path.dirname(os.path.dirname(sys.executable)))
    proc = subprocess.run(['bash', str(root / 'scripts' / 'build.sh')], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True)
    assert proc.returncode != 0, proc.stdout
    assert 'must not ship' in proc.stdout and 'emulator/server.py' in proc.stdout
    assert not (root / '.build' / 'collections' / 'ansible_collections').exists()


def test_built_manifest_carries_what_the_galaxy_importer_requires():
    """MANIFEST.json of the tarball is what Galaxy / Automation Hub import: check it, not galaxy.yml."""
    import json
    import re
    import tarfile
    with tarfile.open(_tarball()) as tar:
        info = json.load(tar.extractfile('MANIFEST.json'))['collection_info']
    assert (info['namespace'], info['name']) == ('apinizer', 'apiops')
    assert re.match(r'^\d+\.\d+\.\d+$', info['version'])
    assert os.path.basename(_tarball()) == 'apinizer-apiops-%s.tar.gz' % info['version']
    assert info['license'] == ['GPL-3.0-or-later'] and not info['license_file']
    assert info['readme'] == 'README.md' and info['authors'] and info['description']
    # The importer: at most 20 tags, each [a-z0-9_]; Automation Hub wants one of its fixed tags.
    tags = info['tags']
    assert 0 < len(tags) <= 20 and all(re.match(r'^[a-z0-9_]+$', t) for t in tags), tags
    assert {'security', 'tools'} <= set(tags)
    for link in ('repository', 'documentation', 'homepage', 'issues'):
        assert (info[link] or '').startswith('https://'), link
