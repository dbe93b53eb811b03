#!/usr/bin/env python
# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""CI checks for what AWX / Ansible Automation Platform users rely on.

    python scripts/awx_check.py [credential-type] [ee] [runner] [adhoc]   (default: all four)

credential-type  awx/credential_type.yml passes the checks AWX applies when the type is
                 created (input schema, injector templates, reserved variable names).
ee               `ansible-builder create` writes a build context for awx/execution-environment.yml,
                 and the context, replayed the way the image build does it (install the
                 collection from the context's requirements.yml, run the context's own
                 introspect.py), yields requests, cryptography and the bindep entries.
runner           playbooks/rotate.yml runs through `ansible-runner` in a private data directory
                 shaped like an AWX job: env/envvars rendered from the credential type's
                 injectors (token, CA file injector, HTTPS), env/extravars as a job template
                 passes them. Checks status, rc, events, the set_stats artifact, the emulator's
                 state, idempotence of a second job, and that no secret reaches the artifacts.
adhoc            the README's ad-hoc commands, driven only by the APINIZER_* variables the
                 credential type renders (username/password this time).

Runs from the repository root with the project venv; the collection must already be installed
into .build/collections (scripts/build.sh). Exit status 0 when every check passed.
"""

from __future__ import annotations

import glob
import json
import os
import re
import secrets
import shutil
import ssl
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_BIN = os.path.dirname(sys.executable)
COLLECTIONS = os.path.join(ROOT, '.build', 'collections')
INSTALLED = os.path.join(COLLECTIONS, 'ansible_collections', 'apinizer', 'apiops')
CREDENTIAL_TYPE = os.path.join(ROOT, 'awx', 'credential_type.yml')
EE_DEFINITION = os.path.join(ROOT, 'awx', 'execution-environment.yml')
EE_REQUIREMENTS = os.path.join(ROOT, 'awx', 'ee-requirements.yml')
PLAYBOOK = 'playbooks/rotate.yml'

# RFC 7517/7518 private members: none of them may ever reach a log.
PRIVATE_MEMBERS = ('d', 'p', 'q', 'dp', 'dq', 'qi', 'k')
JWK_MEMBERS = ('rsa', 'ec', 'oct', 'okp')


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def say(message):
    print('awx_check: %s' % message, flush=True)


def load_yaml(path):
    with open(path) as fh:
        return yaml.safe_load(fh)


# --------------------------------------------------------------------------------------------
# The credential type: validation and rendering, the way AWX does both
# --------------------------------------------------------------------------------------------

class TowerNamespace:
    """The `tower` (alias `awx`) object AWX puts into the injector templates' namespace."""


def validate_credential_type(ctype):
    """The checks AWX's CredentialTypeInputField/CredentialTypeInjectorField run on save."""
    check(ctype.get('kind') in ('cloud', 'net'), 'kind must be cloud or net (custom types)')
    check(ctype.get('name'), 'name is required')
    fields = ctype['inputs']['fields']
    ids = [f['id'] for f in fields]
    check(len(ids) == len(set(ids)), 'duplicate input ids: %s' % ids)
    labels = [f['label'] for f in fields]
    check(len(labels) == len(set(labels)), 'duplicate input labels')
    allowed_keys = {'id', 'label', 'type', 'secret', 'multiline', 'help_text', 'format',
                    'choices', 'default', 'ask_at_runtime'}
    for field in fields:
        check(re.match(r'^[a-zA-Z_]+[a-zA-Z0-9_]*$', field['id']), 'bad input id %r' % field['id'])
        check(field.get('type', 'string') in ('string', 'boolean'), 'bad type in %s' % field['id'])
        check(set(field) <= allowed_keys, 'unknown keys in input %s: %s' % (field['id'], set(field) - allowed_keys))
    required = ctype['inputs'].get('required', [])
    check(set(required) <= set(ids), 'required names unknown inputs: %s' % (set(required) - set(ids)))

    injectors = ctype['injectors']
    check(set(injectors) <= {'env', 'extra_vars', 'file'}, 'unknown injector kinds %s' % set(injectors))
    files = injectors.get('file', {})
    for key in files:
        check(re.match(r'^template(\.[a-zA-Z_]+[a-zA-Z0-9_]*)?$', key), 'bad file injector key %r' % key)
    for name in injectors.get('env', {}):
        # AWX refuses ANSIBLE_* and a few other variables it sets itself.
        check(not name.startswith('ANSIBLE_') and name not in ('JOB_ID', 'INVENTORY_ID', 'PROJECT_REVISION'),
              'env variable %s is reserved by AWX' % name)
    # AWX renders every injector with StrictUndefined against EXAMPLE values: a typo in a
    # field name is refused when the type is saved.
    namespace = {f['id']: (True if f.get('type') == 'boolean' else 'EXAMPLE') for f in fields}
    tower = TowerNamespace()
    if 'template' in files:
        tower.filename = 'EXAMPLE_FILENAME'
    elif files:
        tower.filename = TowerNamespace()
        for key in files:
            setattr(tower.filename, key.split('.', 1)[1], 'EXAMPLE_FILENAME')
    namespace['tower'] = namespace['awx'] = tower
    strict = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for kind in ('file', 'env', 'extra_vars'):
        for key, template in injectors.get(kind, {}).items():
            try:
                strict.from_string(template).render(**namespace)
            except TemplateError as exc:  # what AWX reports as a validation error on save
                raise CheckFailed('%s injector %s: %s: %s' % (kind, key, type(exc).__name__, exc))
    return ids


def render_credential(ctype, inputs, private_data_dir):
    """Render `injectors` as AWX's CredentialType.inject_credential does.

    Empty inputs are left out of the namespace (they render as ''), each file template is
    written to a 0600 temp file under <private_data_dir>/env whether or not its input was
    given, and the env templates are rendered with the default (lenient) Undefined.
    Returns the environment variables.
    """
    unknown = set(inputs) - {f['id'] for f in ctype['inputs']['fields']}
    check(not unknown, 'inputs not declared by the credential type: %s' % unknown)
    missing = [r for r in ctype['inputs'].get('required', []) if not inputs.get(r)]
    check(not missing, 'required inputs missing: %s' % missing)
    tower = TowerNamespace()
    namespace = {'tower': tower, 'awx': tower}
    for name, value in inputs.items():
        if isinstance(value, bool) or len(value):
            namespace[name] = value
    sandbox = ImmutableSandboxedEnvironment()
    env_dir = os.path.join(private_data_dir, 'env')
    os.makedirs(env_dir, exist_ok=True)
    for label, template in ctype['injectors'].get('file', {}).items():
        handle, path = tempfile.mkstemp(dir=env_dir)
        with os.fdopen(handle, 'w') as fh:
            fh.write(sandbox.from_string(template).render(**namespace))
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        if '.' not in label:
            tower.filename = path
        else:
            if not hasattr(tower, 'filename'):
                tower.filename = TowerNamespace()
            setattr(tower.filename, label.split('.', 1)[1], path)
    return dict((name, sandbox.from_string(template).render(**namespace))
                for name, template in ctype['injectors'].get('env', {}).items())


def check_credential_type():
    ctype = load_yaml(CREDENTIAL_TYPE)
    ids = validate_credential_type(ctype)
    env_names = sorted(ctype['injectors']['env'])
    expected = ['APINIZER_CA_PATH', 'APINIZER_PASSWORD', 'APINIZER_PROJECT', 'APINIZER_TOKEN',
                'APINIZER_URL', 'APINIZER_USERNAME']
    check(env_names == expected, 'env injectors %s, expected %s' % (env_names, expected))
    secret_ids = sorted(f['id'] for f in ctype['inputs']['fields'] if f.get('secret'))
    check(secret_ids == ['apinizer_password', 'apinizer_token'],
          'secret inputs are %s, expected the token and the password' % secret_ids)
    # Without a CA the file injector still writes a (empty) file; APINIZER_CA_PATH must then
    # stay empty, or every HTTPS call would be verified against an empty bundle.
    with tempfile.TemporaryDirectory() as tmp:
        env = render_credential(ctype, {'apinizer_url': 'https://x', 'apinizer_project': 'p',
                                        'apinizer_token': 't'}, tmp)
        check(env['APINIZER_CA_PATH'] == '' and env['APINIZER_USERNAME'] == '',
              'rendering without a CA/username gave %r' % env)
        env = render_credential(ctype, {'apinizer_url': 'https://x', 'apinizer_project': 'p',
                                        'apinizer_token': 't', 'apinizer_ca_cert': 'PEM'}, tmp)
        with open(env['APINIZER_CA_PATH']) as fh:
            check(fh.read() == 'PEM', 'the CA file injector did not write the CA')
    say('credential type: %d inputs (%s), AWX validation rules pass, env injectors %s, '
        'CA path empty without a CA' % (len(ids), ', '.join(ids), ', '.join(expected)))


# --------------------------------------------------------------------------------------------
# Execution environment: ansible-builder create, then replay the build's introspection
# --------------------------------------------------------------------------------------------

def run(cmd, env=None, cwd=None, timeout=120):
    proc = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=timeout)
    return proc.returncode, proc.stdout


def check_ee(tmp):
    version = load_yaml(os.path.join(ROOT, 'galaxy.yml'))['version']
    tarball_name = 'apinizer-apiops-%s.tar.gz' % version
    wanted = 'collections/%s' % tarball_name
    names = [c['name'] for c in load_yaml(EE_REQUIREMENTS)['collections']]
    check(wanted in names, 'awx/ee-requirements.yml must install %s (galaxy.yml version %s), has %s'
          % (wanted, version, names))

    # The EE definition expects the tarball next to it (see its header): put one into a
    # scratch copy of awx/ so that the checkout stays clean.
    ee_dir = os.path.join(tmp, 'ee')
    os.makedirs(ee_dir)
    for path in (EE_DEFINITION, EE_REQUIREMENTS):
        shutil.copy(path, ee_dir)
    built = os.path.join(ROOT, '.build', 'dist', tarball_name)  # left there by scripts/build.sh
    if os.path.isfile(built):
        shutil.copy(built, ee_dir)
    else:
        rc, out = run([os.path.join(VENV_BIN, 'ansible-galaxy'), 'collection', 'build', '--force',
                       '--output-path', ee_dir, ROOT])
        check(rc == 0, 'ansible-galaxy collection build failed:\n%s' % out)
    context = os.path.join(tmp, 'context')
    rc, out = run([os.path.join(VENV_BIN, 'ansible-builder'), 'create', '-f',
                   os.path.join(ee_dir, 'execution-environment.yml'), '--context', context,
                   '--output-filename', 'Containerfile'])
    check(rc == 0, 'ansible-builder create failed:\n%s' % out)
    containerfile = open(os.path.join(context, 'Containerfile')).read()
    for needle in ('FROM $EE_BASE_IMAGE AS base', 'ansible-core==2.19.14', 'ansible-runner==2.4.3',
                   'ansible-galaxy collection install', 'introspect.py introspect',
                   'install-from-bindep'):
        check(needle in containerfile, 'Containerfile lacks %r' % needle)
    build = os.path.join(context, '_build')
    check(os.path.isfile(os.path.join(build, 'collections', tarball_name)),
          'the collection tarball is not in the build context')

    # What the image build does in its galaxy and builder stages, without a container: install
    # the collection from the context's requirements.yml (cwd /build there), then run the
    # context's introspect.py over the installed tree. It reads meta/execution-environment.yml.
    installed = os.path.join(tmp, 'usr-share-ansible', 'collections')
    rc, out = run([os.path.join(VENV_BIN, 'ansible-galaxy'), 'collection', 'install', '--offline',
                   '-r', 'requirements.yml', '-p', installed], cwd=build)
    check(rc == 0, 'installing the collection from the build context failed:\n%s' % out)
    pip_out = os.path.join(tmp, 'introspect', 'requirements.txt')
    bindep_out = os.path.join(tmp, 'introspect', 'bindep.txt')
    rc, out = run([sys.executable, os.path.join(build, 'scripts', 'introspect.py'), 'introspect',
                   installed, '--write-pip', pip_out, '--write-bindep', bindep_out])
    check(rc == 0, 'introspect.py failed:\n%s' % out)
    # introspect.py writes a file only when it found something for it.
    pip_lines = open(pip_out).read().splitlines() if os.path.exists(pip_out) else []
    bindep_lines = open(bindep_out).read().splitlines() if os.path.exists(bindep_out) else []
    for package in ('requests', 'cryptography'):
        check(any(re.match(r'%s\b.*# from collection apinizer\.apiops' % package, line) for line in pip_lines),
              '%s missing from the introspected Python requirements: %s' % (package, pip_lines))
    check(any(line.startswith('ca-certificates ') for line in bindep_lines),
          'ca-certificates missing from the introspected system requirements: %s' % bindep_lines)
    say('execution environment: ansible-builder create wrote %s (ubi9 + python3.11, ansible-core '
        '2.19.14, ansible-runner 2.4.3, %s); its introspection of the installed collection yields '
        'python [%s] and %d bindep entries'
        % (os.path.relpath(os.path.join(context, 'Containerfile'), tmp), tarball_name,
           ', '.join(line.split('#')[0].strip() for line in pip_lines), len(bindep_lines)))


# --------------------------------------------------------------------------------------------
# The emulator, as a separate process (what an AWX job would talk to over the network)
# --------------------------------------------------------------------------------------------

class EmulatorProcess:
    def __init__(self, tmp):
        self.tmp = tmp
        self.token = 'awx-' + secrets.token_urlsafe(24)
        self.username = 'awx-operator'
        self.password = secrets.token_urlsafe(18)
        self.proc = None
        self.url = None
        self.ca_file = None

    def __enter__(self):
        port_file = os.path.join(self.tmp, 'emulator.port')
        env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, 'emulator'))
        self.log = open(os.path.join(self.tmp, 'emulator.log'), 'w+')
        self.proc = subprocess.Popen(
            [sys.executable, '-m', 'apinizer_emulator', '--port-file', port_file,
             '--token', self.token, '--user', '%s:%s' % (self.username, self.password),
             '--tls-dir', os.path.join(self.tmp, 'tls')],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.tmp)
        deadline = time.time() + 20
        while not os.path.exists(port_file):
            if self.proc.poll() is not None or time.time() > deadline:
                self.log.seek(0)
                raise CheckFailed('the emulator did not start:\n%s' % self.log.read())
            time.sleep(0.1)
        self.log.seek(0)
        lines = dict(line.strip().split('=', 1) for line in self.log if '=' in line)
        self.url, self.ca_file = lines['APINIZER_URL'], lines['APINIZER_CA_PATH']
        check(self.url.startswith('https://127.0.0.1:'), 'emulator URL %s' % self.url)
        self.ssl = ssl.create_default_context(cafile=self.ca_file)
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()

    def state(self):
        with urllib.request.urlopen(self.url + '/__emulator__/state', context=self.ssl, timeout=10) as resp:
            return json.load(resp)

    def secrets(self):
        """{secret value: what it is} for every value that must never appear in a log."""
        found = {self.token: 'the API token', self.password: 'the API password'}

        def walk(node, parent=None):
            if isinstance(node, dict):
                if 'kty' in node or parent in JWK_MEMBERS:
                    for member in PRIVATE_MEMBERS:
                        if isinstance(node.get(member), str) and len(node[member]) >= 8:
                            found[node[member]] = 'private JWK member %s' % member
                for key, value in node.items():
                    if key == 'password' and isinstance(value, str):
                        found[value] = 'a stored password'  # API credentials, keystores
                    walk(value, key)
            elif isinstance(node, list):
                for item in node:
                    walk(item, parent)
            elif isinstance(node, str) and 'PRIVATE KEY-----' in node:
                # PEM private keys (seeded keys): any full base64 line of the body.
                found.update((line, 'a PEM private key') for line in node.splitlines() if len(line) == 64)
        walk(self.state())
        return found


def scan_for_secrets(secret_values, files):
    leaks = []
    for path in files:
        with open(path, errors='replace') as fh:
            text = fh.read()
        leaks.extend('%s in %s' % (label, os.path.relpath(path, os.path.dirname(os.path.dirname(path))))
                     for value, label in secret_values.items() if value in text)
    return leaks


def clean_env():
    """The caller's environment without settings that would change what ansible sees."""
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('ANSIBLE_', 'APINIZER_')))
    env['PATH'] = VENV_BIN + os.pathsep + env.get('PATH', '')
    return env


# --------------------------------------------------------------------------------------------
# ansible-runner: the rotation playbook as an AWX job template would run it
# --------------------------------------------------------------------------------------------

JOB_EXTRA_VARS = {
    'jwk_rotation_name': 'awx-signing',
    'jwk_rotation_credentials': [
        {'username': 'api-user', 'purpose': 'validation'},
        {'username': 'mobile-app', 'purpose': 'validation'},
    ],
}


def make_private_data_dir(tmp, ident, ctype, emulator):
    pdd = os.path.join(tmp, 'runner-%s' % ident)
    # AWX checks the project out into project/ and runs the job template's playbook from there.
    # AWX_CHECK_PLAYBOOKS swaps in another playbooks/ folder (to debug this script alone).
    source = os.environ.get('AWX_CHECK_PLAYBOOKS') or os.path.join(ROOT, 'playbooks')
    shutil.copytree(source, os.path.join(pdd, 'project', 'playbooks'))
    os.makedirs(os.path.join(pdd, 'inventory'))
    with open(os.path.join(pdd, 'inventory', 'hosts'), 'w') as fh:
        fh.write('localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
    with open(emulator.ca_file) as fh:
        ca_pem = fh.read()
    # The credential a user would create from the type: token auth, private CA.
    inputs = {'apinizer_url': emulator.url, 'apinizer_project': 'demo',
              'apinizer_token': emulator.token, 'apinizer_ca_cert': ca_pem}
    envvars = render_credential(ctype, inputs, pdd)
    envvars['ANSIBLE_COLLECTIONS_PATH'] = COLLECTIONS
    envvars['ANSIBLE_COLLECTIONS_SCAN_SYS_PATH'] = 'False'
    envvars['ANSIBLE_HOME'] = os.path.join(tmp, 'ansible-home')
    # envvars carries the token, like the credential itself: owner-only, as AWX keeps it.
    with os.fdopen(os.open(os.path.join(pdd, 'env', 'envvars'), os.O_WRONLY | os.O_CREAT, 0o600), 'w') as fh:
        yaml.safe_dump(envvars, fh, default_flow_style=False)
    with open(os.path.join(pdd, 'env', 'extravars'), 'w') as fh:
        yaml.safe_dump(JOB_EXTRA_VARS, fh, default_flow_style=False)
    return pdd, envvars


def run_job(tmp, ident, ctype, emulator):
    pdd, envvars = make_private_data_dir(tmp, ident, ctype, emulator)
    check(envvars['APINIZER_CA_PATH'].startswith(os.path.join(pdd, 'env')),
          'APINIZER_CA_PATH should name the file injector output, got %r' % envvars['APINIZER_CA_PATH'])
    started = time.time()
    rc, out = run([os.path.join(VENV_BIN, 'ansible-runner'), 'run', pdd, '-p', PLAYBOOK,
                   '--ident', ident], env=clean_env(), timeout=180)
    artifacts = os.path.join(pdd, 'artifacts', ident)
    status = open(os.path.join(artifacts, 'status')).read().strip() if os.path.exists(
        os.path.join(artifacts, 'status')) else None
    job_rc = open(os.path.join(artifacts, 'rc')).read().strip() if os.path.exists(
        os.path.join(artifacts, 'rc')) else None
    check(status == 'successful' and job_rc == '0',
          'job %s: status %s, rc %s (ansible-runner exit %d):\n%s' % (ident, status, job_rc, rc, out[-6000:]))
    events = []
    for path in sorted(glob.glob(os.path.join(artifacts, 'job_events', '*.json'))):
        with open(path) as fh:
            events.append(json.load(fh))
    check(events, 'no job events recorded in %s' % artifacts)
    names = set(e.get('event') for e in events)
    for needed in ('playbook_on_start', 'runner_on_ok', 'playbook_on_stats'):
        check(needed in names, 'job %s recorded no %s event' % (ident, needed))
    stats = [e for e in events if e.get('event') == 'playbook_on_stats'][-1]['event_data']
    return {'pdd': pdd, 'artifacts': artifacts, 'events': events, 'stats': stats,
            'seconds': time.time() - started}


def assigned_jwk(state, project, username, purpose):
    """Name of the JWK the emulator holds for a credential's purpose (None if unassigned)."""
    return state['projects'][project]['credentials'][username].get('%sJwkName' % purpose)


def check_runner(tmp, ctype, emulator):
    first = run_job(tmp, 'rotate-1', ctype, emulator)
    stats = first['stats']
    check(stats.get('changed', {}).get('localhost'), 'the first job changed nothing: %s' % stats)
    result = stats.get('artifact_data', {}).get('jwk_rotation_result')
    check(result, 'set_stats jwk_rotation_result is not in the playbook_on_stats artifact_data: %s'
          % sorted(stats.get('artifact_data', {})))
    check(result['rotated'] is True, 'the first job did not rotate: %s' % result)
    active = result['active']
    active_name = active['name'] if isinstance(active, dict) else active
    check(str(active_name).startswith('awx-signing-'), 'active generation %r' % active_name)
    jwk_set = result['jwk_set']
    keys = jwk_set['keys'] if isinstance(jwk_set, dict) else jwk_set
    check(keys and not any(m in k for k in keys for m in PRIVATE_MEMBERS + ('oth',)),
          'jwk_set must hold public keys only: %s' % keys)
    state = emulator.state()
    for cred in JOB_EXTRA_VARS['jwk_rotation_credentials']:
        got = assigned_jwk(state, 'demo', cred['username'], cred['purpose'])
        check(got == active_name, 'credential %s %s uses %r, expected %r'
              % (cred['username'], cred['purpose'], got, active_name))

    # A scheduled job running again inside max_age: no write, no change.
    second = run_job(tmp, 'rotate-2', ctype, emulator)
    check(not second['stats'].get('changed'), 'the second job changed something: %s' % second['stats'])
    again = second['stats'].get('artifact_data', {}).get('jwk_rotation_result', {})
    check(again.get('rotated') is False, 'the second job reports rotated=%r' % again.get('rotated'))

    secret_values = emulator.secrets()
    files = []
    for job in (first, second):
        files.extend(os.path.join(job['artifacts'], name) for name in ('stdout', 'stderr'))
        files.extend(glob.glob(os.path.join(job['artifacts'], 'job_events', '*.json')))
    leaks = scan_for_secrets(secret_values, files)
    check(not leaks, 'secrets in the job artifacts: %s' % leaks)
    say('ansible-runner: job rotate-1 successful rc 0 (%d events, %.1f s), rotated to %s, %d '
        'credentials switched, set_stats jwk_rotation_result recorded with a public JWKS of %d keys; '
        'job rotate-2 successful, changed nothing; %d secret values (token, private JWK members) '
        'absent from stdout, stderr and %d job event files'
        % (len(first['events']), first['seconds'], active_name,
           len(JOB_EXTRA_VARS['jwk_rotation_credentials']), len(keys), len(secret_values),
           len(files) - 4))


# --------------------------------------------------------------------------------------------
# Ad-hoc commands from the README, configured only through APINIZER_* variables
# --------------------------------------------------------------------------------------------

def adhoc(env, module, args=None):
    cmd = [os.path.join(VENV_BIN, 'ansible'), 'localhost', '-m', module]
    if args:
        cmd += ['-a', args]
    rc, out = run(cmd, env=env)
    match = re.search(r'^localhost \| (\w+) => ', out, re.M)
    check(rc == 0 and match, '`%s` failed (rc %d):\n%s' % (' '.join(cmd[1:]), rc, out[-4000:]))
    return match.group(1), json.loads(out[match.end():].strip().split('\n\n')[0]), out


def check_adhoc(tmp, ctype, emulator):
    pdd = os.path.join(tmp, 'adhoc')
    with open(emulator.ca_file) as fh:
        ca_pem = fh.read()
    inputs = {'apinizer_url': emulator.url, 'apinizer_project': 'demo',
              'apinizer_username': emulator.username, 'apinizer_password': emulator.password,
              'apinizer_ca_cert': ca_pem}
    env = clean_env()
    env.update(render_credential(ctype, inputs, pdd))
    check(env['APINIZER_TOKEN'] == '', 'a username/password credential renders APINIZER_TOKEN=%r'
          % env['APINIZER_TOKEN'])
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='False',
               ANSIBLE_HOME=os.path.join(tmp, 'ansible-home'), ANSIBLE_NOCOLOR='1',
               ANSIBLE_LOCALHOST_WARNING='False')
    outputs = []
    status, result, out = adhoc(env, 'apinizer.apiops.apinizer_jwk_info')
    outputs.append(out)
    check(status == 'SUCCESS' and not result.get('changed'), 'apinizer_jwk_info: %s %s' % (status, result))
    listed = sorted(j['name'] for j in result.get('jwks', []))
    status, result, out = adhoc(env, 'apinizer.apiops.apinizer_jwk', 'name=adhoc-demo key_type=EC')
    outputs.append(out)
    check(status == 'CHANGED' and result.get('changed') is True, 'first apinizer_jwk: %s %s' % (status, result))
    status, result, out = adhoc(env, 'apinizer.apiops.apinizer_jwk', 'name=adhoc-demo key_type=EC')
    outputs.append(out)
    check(status == 'SUCCESS' and result.get('changed') is False, 'second apinizer_jwk: %s %s' % (status, result))
    status, result, out = adhoc(env, 'apinizer.apiops.apinizer_jwk_info', 'name=adhoc-demo')
    outputs.append(out)
    described = result.get('jwks') or [{}]
    check(described[0].get('name') == 'adhoc-demo' and described[0].get('key_type') == 'EC'
          and described[0].get('public_jwk', {}).get('kty') == 'EC',
          'apinizer_jwk_info name=adhoc-demo: %s' % result)
    log = os.path.join(tmp, 'adhoc.log')
    with open(log, 'w') as fh:
        fh.write('\n'.join(outputs))
    leaks = scan_for_secrets(emulator.secrets(), [log])
    check(not leaks, 'secrets in the ad-hoc output: %s' % leaks)
    say('ad-hoc (username/password credential, CA file): apinizer_jwk_info listed %d JWKs; '
        'apinizer_jwk name=adhoc-demo key_type=EC: CHANGED, then SUCCESS (changed=false); '
        'apinizer_jwk_info name=adhoc-demo shows its EC public key (kid %s); no secret in the output'
        % (len(listed), described[0].get('kid')))


def main(argv):
    wanted = argv or ['credential-type', 'ee', 'runner', 'adhoc']
    unknown = set(wanted) - {'credential-type', 'ee', 'runner', 'adhoc'}
    if unknown:
        print(__doc__)
        return 2
    if {'runner', 'adhoc'} & set(wanted):
        check(os.path.isdir(INSTALLED), '%s missing: run scripts/build.sh first' % INSTALLED)
    ctype = load_yaml(CREDENTIAL_TYPE)
    started = time.time()
    keep = os.environ.get('AWX_CHECK_KEEP') == '1'
    tmp = tempfile.mkdtemp(prefix='awx-check-')
    try:
        if 'credential-type' in wanted:
            check_credential_type()
        if 'ee' in wanted:
            check_ee(tmp)
        if {'runner', 'adhoc'} & set(wanted):
            with EmulatorProcess(tmp) as emulator:
                if 'runner' in wanted:
                    check_runner(tmp, ctype, emulator)
                if 'adhoc' in wanted:
                    check_adhoc(tmp, ctype, emulator)
    except CheckFailed as exc:
        print('awx_check: FAILED: %s' % exc, file=sys.stderr, flush=True)
        print('awx_check: scratch directory kept: %s' % tmp, file=sys.stderr)
        return 1
    if keep:
        say('scratch directory kept: %s' % tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    say('all checks passed in %.1f s' % (time.time() - started))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
