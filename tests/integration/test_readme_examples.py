# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README's examples, read from README.md (and scripts/demo.sh) and run against the emulator.

Each example is taken as the README prints it; only the values that name a real gateway, a vault
or a web server path are replaced, each by an exact text that must still be in the README (so an
edit there breaks this test instead of silently testing something else). What the README says a
rerun does is what is asserted: no change, or, on the line next to a task that cannot be
idempotent, the one change it names. Counted from the emulator's request log.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import json
import os
import re
import shlex
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
README = os.path.join(REPO, 'README.md')
DEMO = os.path.join(REPO, 'scripts', 'demo.sh')
VENV = os.path.dirname(os.path.dirname(sys.executable))
READS = ('GET',)


def readme():
    with open(README) as f:
        return f.read()


def fenced(language, containing):
    """The one ```language block of the README that contains ``containing``."""
    blocks = [b for b in re.findall(r'^```%s\n(.*?)^```' % language, readme(), re.S | re.M) if containing in b]
    assert len(blocks) == 1, 'expected one ```%s block with %r in README.md, found %d' % (language, containing, len(blocks))
    return blocks[0]


def substitute(text, replacements):
    for old, new in replacements.items():
        assert text.count(old) == 1, '%r is no longer in the README example exactly once' % old
        text = text.replace(old, new)
    return text


def writes(emulator):
    return [(r['method'], r['path']) for r in emulator.requests() if r['method'] not in READS]


def partner_jwks():
    numbers = ec.generate_private_key(ec.SECP256R1()).public_key().public_numbers()

    def b64(n):
        return base64.urlsafe_b64encode(n.to_bytes(32, 'big')).decode().rstrip('=')

    return {'keys': [{'kty': 'EC', 'crv': 'P-256', 'use': 'sig', 'kid': 'partner-2026',
                      'x': b64(numbers.x), 'y': b64(numbers.y)}]}


# ---- "Using the modules" ---------------------------------------------------------------------

CREDENTIAL_TASK = 'Validate JWTs of api-user with that key'
ASSIGN = ('PUT', '/apiops/projects/payments/credentials/api-user/jwk/validation/payments-signing/')


def using_the_modules(emulator, tmp_path):
    emulator.seed({'projects': {'payments': {'credentials': [
        {'username': 'api-user', 'password': 'api-user-password', 'roleNameList': ['API_USER']}]}}})
    partner_url = emulator.serve_static('partner-jwks.json', partner_jwks())
    jwks_file = tmp_path / 'jwks.json'
    play = substitute(fenced('yaml', "- name: Manage the gateway's JWKs"), {
        'apinizer_url: https://apinizer.example.com': 'apinizer_url: %s' % emulator.url,
        'url: https://partner.example.com/.well-known/jwks.json': 'url: %s' % partner_url,
        'dest: /var/www/.well-known/jwks.json': 'dest: %s' % jwks_file,
    })
    return play, jwks_file


@pytest.mark.parametrize('reported', [False, True], ids=['documented', 'reported'])
def test_using_the_modules_rerun_changes_only_what_the_readme_says(emulator, run_playbook, tmp_path, reported):
    emulator.configure(report_assignments=reported)
    play, jwks_file = using_the_modules(emulator, tmp_path)
    secrets = {'vault_apinizer_token': 'emulator-token'}

    first = run_playbook(play, extra_vars=secrets)
    assert first.changed_tasks == ['A server-generated EC P-256 signing key',
                                   "Import a partner's public key from its JWKS endpoint",
                                   CREDENTIAL_TASK, 'Write the JWKS'], first.describe()
    state = emulator.state()['projects']['payments']
    assert state['credentials']['api-user']['validationJwkName'] == 'payments-signing'
    assert sorted(k['kid'] for k in json.loads(jwks_file.read_text())['keys']) == sorted(
        [state['jwks']['payments-signing']['jwk']['kid'], 'partner-2026'])

    # The rerun. The README's line next to the credential task: on a server as documented it is
    # sent again (one PUT, reported changed); everything else changes nothing.
    emulator.clear_requests()
    again = run_playbook(play, extra_vars=secrets)
    if reported:
        assert again.changed_tasks == [] and writes(emulator) == [], again.describe()
        return   # update makes no difference there (the unit tests show both values)
    assert again.changed_tasks == [CREDENTIAL_TASK], again.describe()
    assert writes(emulator) == [ASSIGN]
    assert 'Not idempotent on a server as documented' in play   # ... and the README says so

    # "Once the binding is in place, add update: when_different to that task": then a rerun writes nothing.
    bound = play.replace('        jwk_name: payments-signing\n',
                         '        jwk_name: payments-signing\n        update: when_different\n', 1)
    assert bound != play
    emulator.clear_requests()
    rerun = run_playbook(bound, extra_vars=secrets)
    assert rerun.changed_tasks == [] and writes(emulator) == [], rerun.describe()
    credential = rerun.task(CREDENTIAL_TASK)['result']
    # Never a guess reported as a fact: the module does not claim the assignment it cannot read.
    assert credential['unverified'] == ['jwk_name'] and credential['assignment']['jwk_name'] is None
    assert emulator.state()['projects']['payments']['credentials']['api-user']['validationJwkName'] == 'payments-signing'


def test_the_idempotence_headline_names_the_exception():
    headline = readme().split('## Set-up')[0]
    assert 'Every module is idempotent wherever the server shows what the module manages' in headline
    assert '`update: when_different`' in headline and 'unverified' in headline


# ---- the jwk_rotation role example -------------------------------------------------------------

def test_role_example_rerun_writes_nothing(emulator, run_playbook, tmp_path):
    jwks_file = tmp_path / 'jwks.json'
    play = substitute(fenced('yaml', '- name: Rotate the API signing key every 90 days'), {
        'jwk_rotation_jwks_path: /var/www/.well-known/jwks.json': 'jwk_rotation_jwks_path: %s' % jwks_file,
    })
    first = run_playbook(play)
    generations = [n for n in emulator.state()['projects']['demo']['jwks'] if n.startswith('api-signing-')]
    assert len(generations) == 1 and first.changed_tasks, first.describe()
    assert [k['kid'] for k in json.loads(jwks_file.read_text())['keys']] == generations
    emulator.clear_requests()
    again = run_playbook(play)
    assert again.changed_tasks == [] and writes(emulator) == [], again.describe()   # "A rerun inside max_age writes nothing."


# ---- Ad-hoc use -------------------------------------------------------------------------------

def test_adhoc_commands(emulator, run_ansible):
    commands = [line for line in fenced('bash', 'ansible localhost -m').splitlines() if line.startswith('ansible ')]
    assert [c.split('#')[0].split()[3] for c in commands] == ['apinizer.apiops.apinizer_jwk_info',
                                                              'apinizer.apiops.apinizer_jwk']
    info = shlex.split(commands[0])
    assert run_ansible(info[3]).rc == 0
    create = shlex.split(commands[1].split('#')[0])
    assert '# CHANGED, then SUCCESS on a rerun' in commands[1]
    first = run_ansible(create[3], create[5])
    assert 'localhost | CHANGED' in first.stdout
    emulator.clear_requests()
    again = run_ansible(create[3], create[5])
    assert 'localhost | SUCCESS' in again.stdout and writes(emulator) == []


# ---- scripts/demo.sh ----------------------------------------------------------------------------

def demo(tmp_path, *args, **env):
    """bash scripts/demo.sh with this test's venv and the collection already built."""
    environ = dict((k, v) for k, v in os.environ.items() if not k.startswith(('ANSIBLE_', 'APINIZER_')))
    environ.update(APINIZER_DEMO_VENV=VENV, APINIZER_SKIP_BUILD='1', ANSIBLE_NOCOLOR='1',
                   ANSIBLE_HOME=str(tmp_path / 'ansible-home'))
    environ.update(env)
    proc = subprocess.run(['bash', DEMO] + list(args), cwd=REPO, env=environ, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, timeout=600)
    return proc.returncode, proc.stdout


def recaps(output):
    return re.findall(r'^localhost +: ok=\d+ +changed=(\d+) .*failed=(\d+)', output, re.M)


def test_demo_check_against_the_emulator_runs_once_and_describes_the_plan(tmp_path):
    rc, out = demo(tmp_path, '--check')
    assert rc == 0, out
    assert len(recaps(out)) == 1 and 'Run 2' not in out, out
    for line in ('"Would rotate (check mode): demo-signing-20250101T000000Z is older than 90d"',
                 '"kid:         (not created yet)"',
                 '"Would switch: api-user/validation, mobile-app/validation"',
                 '"Would keep, in use by a credential: unknown: the server does not report which key each credential uses"'):
        assert line in out, out
    assert re.search(r'"Would activate: demo-signing-\d{8}T\d{6}Z \(created by the real run\)"', out), out
    assert 'Switched:' not in out and 'Active key:' not in out


def test_demo_against_a_real_server_is_read_only_unless_told_what_to_rotate(emulator, tmp_path):
    server = dict(APINIZER_URL=emulator.url, APINIZER_TOKEN='emulator-token', APINIZER_PROJECT='demo')
    rc, out = demo(tmp_path, **server)
    assert rc == 0, out
    assert emulator.requests() and writes(emulator) == [], out      # it read, and wrote nothing
    assert 'Read-only: check mode' in out and 'APINIZER_DEMO_KEY=<base name>' in out
    assert '"Would rotate (check mode): no generation of demo-signing exists yet"' in out

    # Named: that key, those credentials, and nothing else.
    emulator.clear_requests()
    rc, out = demo(tmp_path, APINIZER_DEMO_KEY='payments-signing',
                   APINIZER_DEMO_CREDENTIALS='api-user, mobile-app/encryption', **server)
    assert rc == 0, out
    state = emulator.state()['projects']['demo']
    active = state['credentials']['api-user']['validationJwkName']
    assert re.match(r'^payments-signing-\d{8}T\d{6}Z$', active), out
    assert state['credentials']['mobile-app']['encryptionJwkName'] == active
    assert sorted(w for w in writes(emulator) if '/credentials/' in w[1]) == [
        ('PUT', '/apiops/projects/demo/credentials/api-user/jwk/validation/%s/' % active),
        ('PUT', '/apiops/projects/demo/credentials/mobile-app/jwk/encryption/%s/' % active)]
    assert not any('demo-signing' in w[1] for w in writes(emulator))


def test_demo_refuses_a_bad_purpose_before_installing_anything(tmp_path):
    rc, out = demo(tmp_path, APINIZER_URL='http://127.0.0.1:9', APINIZER_TOKEN='t', APINIZER_PROJECT='p',
                   APINIZER_DEMO_KEY='k', APINIZER_DEMO_CREDENTIALS='api-user/signing')
    assert rc == 2 and "the purpose is validation or encryption, not 'signing'" in out, out
