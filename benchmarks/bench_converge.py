#!/usr/bin/env python
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: converging N JWKs with apinizer.apiops.apinizer_jwk vs hand-written uri tasks.

Everything is measured in one run of this script, against one emulator instance:

* for each N (20 and 200; ``--quick`` = 20 only; ``--n`` overrides), on a fresh project each:
  a playbook with one ``apinizer.apiops.apinizer_jwk`` task looping over N names, and the
  equivalent hand-written ``ansible.builtin.uri`` playbook (GET each JWK by name accepting
  200/400, then POST /jwks/generate for the missing ones, same EC P-256 ES256 keys); first run
  (creates everything) and a no-op rerun. Wall time of the ``ansible-playbook`` subprocess and
  the requests per JWK from the emulator's request log, by method.
* the jwk_rotation role run twice with the same settings: the second run must only read.
* import cost of the module utils and of every module, and whether ``cryptography`` is
  imported, both by importing each module and on real runs of its main() (create, no-op, read
  paths) against the emulator.

Targets (the process exits 1 when one fails, unless ``--no-fail``):
  no-op = 2 reads per JWK (the JWK list and the public key from export-file: the task states curve,
  use and algorithm, which the module verifies; the uri side reads once and verifies nothing);
  create wall time <= 0.75 x uri; no-op wall time <= 1.10 x uri;
  role no-op rerun: 0 non-GET requests; one connection per module run; no cryptography import.
``--timing-advisory`` prints a missed wall-time target as WARN and does not fail on it.
``--gates`` (the default test run) checks only what does not depend on timing: the request counts
of the module's create and no-op at N=20 (no uri side), the role's rerun, the module probes.

Needs the collection installed into .build/collections (scripts/build.sh) and the project venv.
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'emulator'))

from apinizer_emulator import Emulator  # noqa: E402  (needs the sys.path entry above)

COLLECTIONS = os.path.join(ROOT, '.build', 'collections')
INSTALLED = os.path.join(COLLECTIONS, 'ansible_collections', 'apinizer', 'apiops')
PREFIX = 'ansible_collections.apinizer.apiops.plugins.'

TARGET_CREATE = 0.75
TARGET_NOOP = 1.10

# The same key for both playbooks: EC P-256, signature, ES256 (cheap to generate).
MODULE_PLAYBOOK = """\
- name: Converge JWKs with apinizer.apiops.apinizer_jwk
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Converge each JWK
      apinizer.apiops.apinizer_jwk:
        name: "{{ item }}"
        key_type: EC
        curve: P-256
        use: signature
        algorithm: ES256
      loop: "{{ jwk_names }}"
      loop_control:
        label: "{{ item }}"
"""

# What a user writes without the collection: look each JWK up (the API answers 400 for an
# unknown name), then generate the missing ones.
URI_PLAYBOOK = """\
- name: Converge JWKs with ansible.builtin.uri
  hosts: localhost
  gather_facts: false
  vars:
    apinizer_api: "{{ lookup('ansible.builtin.env', 'APINIZER_URL') }}/apiops/projects/{{ lookup('ansible.builtin.env', 'APINIZER_PROJECT') }}"
    apinizer_headers:
      Authorization: "Bearer {{ lookup('ansible.builtin.env', 'APINIZER_TOKEN') }}"
  tasks:
    - name: Look up each JWK
      ansible.builtin.uri:
        url: "{{ apinizer_api }}/jwks/{{ item | urlencode }}/"
        headers: "{{ apinizer_headers }}"
        status_code: [200, 400]
      loop: "{{ jwk_names }}"
      loop_control:
        label: "{{ item }}"
      register: jwk_lookup

    - name: Generate the missing JWKs
      ansible.builtin.uri:
        url: "{{ apinizer_api }}/jwks/generate"
        method: POST
        headers: "{{ apinizer_headers }}"
        body_format: json
        body:
          name: "{{ item.item }}"
          type: EC
          ec:
            curveType: P256
            keyUseType: SIGNATURE
            algorithm: ES256
      loop: "{{ jwk_lookup.results }}"
      loop_control:
        label: "{{ item.item }}"
      when: item.status == 400
"""

ROLE_PLAYBOOK = """\
- name: Rotate a JWK with the jwk_rotation role
  hosts: localhost
  gather_facts: false
  roles:
    - role: apinizer.apiops.jwk_rotation
      vars:
        jwk_rotation_name: bench-rotation
        jwk_rotation_max_age: 90d
        jwk_rotation_keep: 1
        jwk_rotation_credentials:
          - username: api-user
            purpose: validation
          - username: mobile-app
            purpose: validation
"""

# Runs one module's main() in a fresh interpreter and reports whether cryptography was imported.
MODULE_PROBE = r"""
import contextlib, importlib, io, json, sys
from ansible.module_utils.testing import patch_module_args
name, args = sys.argv[1], json.loads(sys.argv[2])
mod = importlib.import_module(name if '.' in name else 'ansible_collections.apinizer.apiops.plugins.modules.' + name)
after_import = 'cryptography' in sys.modules
# Count TCP connections: one session per run means one connection (the emulator keeps alive).
import urllib3.connection
connects = [0]
_connect = urllib3.connection.HTTPConnection.connect
def connect(self, *a, **k):
    connects[0] += 1
    return _connect(self, *a, **k)
urllib3.connection.HTTPConnection.connect = connect
out = io.StringIO()
rc = 0
with patch_module_args(args), contextlib.redirect_stdout(out):
    try:
        mod.main()
    except SystemExit as e:
        rc = e.code or 0
try:
    result = json.loads(out.getvalue())
except ValueError:
    result = {}
print(json.dumps({'rc': rc, 'changed': result.get('changed'), 'failed': result.get('failed', False),
                  'msg': result.get('msg'), 'crypto_import': after_import,
                  'crypto_run': 'cryptography' in sys.modules, 'connections': connects[0]}))
"""


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--quick', action='store_true', help='N=20 only (the CI stage)')
    p.add_argument('--n', type=int, action='append', metavar='N',
                   help='number of JWKs (repeatable); overrides the default 20 and 200')
    p.add_argument('--no-fail', action='store_true', help='report only: exit 0 even when a target fails')
    p.add_argument('--timing-advisory', action='store_true',
                   help='wall-time targets warn instead of failing (request, connection and import targets still fail)')
    p.add_argument('--gates', action='store_true',
                   help='request, connection and import targets only, at N=20, no timing (the default test run)')
    p.add_argument('--noop-repeat', type=int, default=2, metavar='R',
                   help='no-op reruns per side, alternating; the fastest of each side is compared (default 2)')
    p.add_argument('--skip-role', action='store_true', help='do not run the jwk_rotation role check')
    p.add_argument('--skip-imports', action='store_true', help='do not measure imports')
    p.add_argument('--import-repeat', type=int, default=None,
                   help='interpreter starts per import timing, the min is kept (default 5, 3 with --quick)')
    p.add_argument('--json', metavar='FILE', help='also write every figure to FILE as JSON')
    p.add_argument('--venv', default=os.path.join(ROOT, '.venv'), help='venv with ansible-core (default .venv)')
    p.add_argument('--keep', action='store_true', help='keep the work directory (playbooks, outputs)')
    opts = p.parse_args(argv)
    if opts.import_repeat is None:
        opts.import_repeat = 3 if opts.quick else 5
    return opts


class Bench(object):
    def __init__(self, opts):
        self.opts = opts
        self.python = os.path.join(opts.venv, 'bin', 'python')
        self.playbook_bin = os.path.join(opts.venv, 'bin', 'ansible-playbook')
        for path in (self.python, self.playbook_bin):
            if not os.path.exists(path):
                sys.exit('bench: %s not found (run scripts/bootstrap.sh)' % path)
        if not os.path.isdir(INSTALLED):
            sys.exit('bench: %s not found (run scripts/build.sh)' % INSTALLED)
        self.work = tempfile.mkdtemp(prefix='apinizer-bench.')
        # A private snapshot of the installed collection: a concurrent scripts/build.sh swaps
        # .build/collections, and a module missing for one loop item would end the run.
        self.collections = os.path.join(self.work, 'collections')
        shutil.copytree(os.path.dirname(os.path.dirname(INSTALLED)),
                        os.path.join(self.collections, 'ansible_collections'), symlinks=True)
        self.emu = Emulator().start()
        self.results = {'targets': []}

    def close(self):
        self.emu.stop()
        if self.opts.keep:
            print('work directory kept: %s' % self.work)
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    # -- running things ------------------------------------------------------------------------

    def env(self, project):
        # A clean environment: inherited ANSIBLE_* settings must not change what is measured.
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('ANSIBLE_', 'APINIZER_')))
        home = os.path.join(self.work, 'ansible-home')
        env.update({
            'ANSIBLE_PYTHON_INTERPRETER': self.python,
            'ANSIBLE_COLLECTIONS_PATH': self.collections,
            'ANSIBLE_COLLECTIONS_SCAN_SYS_PATH': 'False',
            'ANSIBLE_HOME': home,
            'ANSIBLE_LOCAL_TEMP': os.path.join(home, 'tmp'),
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_LOCALHOST_WARNING': 'False',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'False',
            'ANSIBLE_RETRY_FILES_ENABLED': 'False',
            'APINIZER_URL': self.emu.url,
            'APINIZER_TOKEN': self.emu.token,
            'APINIZER_PROJECT': project,
        })
        return env

    def write(self, name, text):
        path = os.path.join(self.work, name)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def playbook(self, label, playbook_path, project, extra_vars=None):
        """Run ansible-playbook once; returns wall seconds and the requests it caused, by method."""
        # The implicit localhost: local connection, the controller's python.
        cmd = [self.python, self.playbook_bin, playbook_path]
        if extra_vars is not None:
            cmd += ['-e', '@' + self.write('vars-%s.json' % label, json.dumps(extra_vars))]
        self.emu.clear_requests()
        out_path = os.path.join(self.work, 'out-%s.txt' % label)
        server_cpu = time.process_time()  # the emulator is a thread of this process
        with open(out_path, 'w') as out:
            rc, wall, cpu = run_measured(cmd, env=self.env(project), cwd=self.work, stdout=out,
                                         stderr=subprocess.STDOUT)
        server_cpu = time.process_time() - server_cpu
        log = [r for r in self.emu.requests() if r['path'].startswith('/apiops/')]
        if rc != 0:
            with open(out_path) as out:
                print(out.read()[-4000:])
            raise SystemExit('bench: %s: ansible-playbook failed (rc %d)' % (label, rc))
        methods = {}
        for r in log:
            methods[r['method']] = methods.get(r['method'], 0) + 1
        return {'wall': wall, 'cpu': cpu, 'server_cpu': server_cpu, 'requests': len(log), 'methods': methods}

    def target(self, name, ok, detail, timing=False):
        # timing targets compare wall times, which a loaded machine skews; --timing-advisory
        # reports them without failing the run (the request and import targets always gate)
        self.results['targets'].append({'target': name, 'ok': bool(ok), 'detail': detail, 'timing': timing})

    # -- the measurements ----------------------------------------------------------------------

    def gates(self, n):
        """The request counts of the module's create and no-op, without the uri side or timing."""
        names = ['bench-jwk-%04d' % i for i in range(n)]
        project = 'bench-module-%d' % n
        self.emu.seed({'projects': {project: {}}})
        playbook = self.write('module.yml', MODULE_PLAYBOOK)
        print('N=%d: module create ...' % n, flush=True)
        create = self.playbook('module-create-%d' % n, playbook, project, {'jwk_names': names})
        print('N=%d: module no-op ...' % n, flush=True)
        noop = self.playbook('module-noop-%d' % n, playbook, project, {'jwk_names': names})
        self.results.setdefault('gates', []).append({'n': n, 'create': create, 'noop': noop})
        self.target('N=%d no-op = 2 reads per JWK' % n, noop['requests'] == 2 * n and noop['methods'].get('GET') == 2 * n,
                    '%d requests for %d JWKs (%s)' % (noop['requests'], n, fmt_methods(noop['methods'])))

    def converge(self, n):
        names = ['bench-jwk-%04d' % i for i in range(n)]
        mod_project, uri_project = 'bench-module-%d' % n, 'bench-uri-%d' % n
        # A fresh project each, in the same emulator; runs interleaved so that a slow spell of a
        # shared machine hits both sides.
        self.emu.seed({'projects': {mod_project: {}, uri_project: {}}})
        mod_pb = self.write('module.yml', MODULE_PLAYBOOK)
        uri_pb = self.write('uri.yml', URI_PLAYBOOK)
        ev = {'jwk_names': names}
        print('N=%d: module create ...' % n, flush=True)
        mc = self.playbook('module-create-%d' % n, mod_pb, mod_project, ev)
        print('N=%d: uri create ...' % n, flush=True)
        uc = self.playbook('uri-create-%d' % n, uri_pb, uri_project, ev)
        # No-op reruns change nothing, so they can be repeated: alternating pairs, the fastest
        # run of each side kept (the least disturbed by other jobs on the machine).
        mod_noops, uri_noops = [], []
        for r in range(self.opts.noop_repeat):
            print('N=%d: module no-op (%d/%d) ...' % (n, r + 1, self.opts.noop_repeat), flush=True)
            mod_noops.append(self.playbook('module-noop-%d-%d' % (n, r), mod_pb, mod_project, ev))
            print('N=%d: uri no-op (%d/%d) ...' % (n, r + 1, self.opts.noop_repeat), flush=True)
            uri_noops.append(self.playbook('uri-noop-%d-%d' % (n, r), uri_pb, uri_project, ev))
        mn = dict(min(mod_noops, key=lambda run: run['wall']), all_walls=[run['wall'] for run in mod_noops])
        un = dict(min(uri_noops, key=lambda run: run['wall']), all_walls=[run['wall'] for run in uri_noops])
        mn['cpu'] = min(run['cpu'] for run in mod_noops)
        un['cpu'] = min(run['cpu'] for run in uri_noops)

        state = self.emu.state()['projects']
        same_keys = self.key_shapes(state[mod_project], names) == self.key_shapes(state[uri_project], names)
        row = {'n': n, 'module_create': mc, 'uri_create': uc, 'module_noop': mn, 'uri_noop': un,
               'same_keys': same_keys,
               'create_ratio': mc['wall'] / uc['wall'], 'noop_ratio': mn['wall'] / un['wall'],
               'create_cpu_ratio': mc['cpu'] / uc['cpu'], 'noop_cpu_ratio': mn['cpu'] / un['cpu']}
        self.results.setdefault('converge', []).append(row)

        self.target('N=%d both playbooks converge the same %d keys' % (n, n), same_keys,
                    'EC P-256 ES256 sig in both projects' if same_keys else 'key shapes differ')
        self.target('N=%d no-op = 2 reads per JWK' % n,
                    all(run['requests'] == 2 * n and run['methods'].get('GET') == 2 * n for run in mod_noops),
                    ', '.join('%d requests for %d JWKs (%s)' % (run['requests'], n, fmt_methods(run['methods']))
                              for run in mod_noops))
        self.target('N=%d create <= %.2fx uri wall time' % (n, TARGET_CREATE), row['create_ratio'] <= TARGET_CREATE,
                    '%.2fx (%.1f s vs %.1f s)' % (row['create_ratio'], mc['wall'], uc['wall']), timing=True)
        self.target('N=%d no-op <= %.2fx uri wall time' % (n, TARGET_NOOP), row['noop_ratio'] <= TARGET_NOOP,
                    '%.2fx (%.1f s vs %.1f s)' % (row['noop_ratio'], mn['wall'], un['wall']), timing=True)
        return row

    @staticmethod
    def key_shapes(project, names):
        shapes = {}
        for name in names:
            rec = project['jwks'].get(name)
            jwk = (rec or {}).get('jwk') or {}
            shapes[name] = (jwk.get('kty'), jwk.get('crv'), jwk.get('alg'), jwk.get('use'))
        return shapes

    def role(self):
        self.emu.reset()
        pb = self.write('role.yml', ROLE_PLAYBOOK)
        print('role: first run ...', flush=True)
        first = self.playbook('role-1', pb, 'demo')
        print('role: second run ...', flush=True)
        second = self.playbook('role-2', pb, 'demo')
        writes = sum(c for m, c in second['methods'].items() if m != 'GET')
        self.results['role'] = {'first': first, 'second': second, 'second_writes': writes}
        self.target('role no-op rerun issues only reads', writes == 0 and second['requests'] > 0,
                    '%d requests (%s)' % (second['requests'], fmt_methods(second['methods'])))

    def import_time(self, statement):
        """Min wall and min CPU seconds of a fresh interpreter running ``statement``."""
        env = dict(os.environ, PYTHONPATH=self.collections)
        walls, cpus = [], []
        for _ in range(max(1, self.opts.import_repeat)):
            rc, wall, cpu = run_measured([self.python, '-c', statement], env=env, cwd=self.work)
            if rc != 0:
                raise SystemExit('bench: python -c %r failed (rc %d)' % (statement, rc))
            walls.append(wall)
            cpus.append(cpu)
        return min(walls), min(cpus)

    def imports(self):
        print('imports ...', flush=True)
        cases = [
            ('python -c pass', 'pass'),
            ('ansible.module_utils.basic', 'import ansible.module_utils.basic'),
            ('module_utils.client', 'import %smodule_utils.client' % PREFIX),
            ('module_utils.client + jwk_*', 'import %smodule_utils.client, %smodule_utils.jwk_state, '
             '%smodule_utils.jwk_validation, %smodule_utils.jwk_bodies' % (PREFIX, PREFIX, PREFIX, PREFIX)),
            ('cryptography (for scale)', 'import cryptography.hazmat.primitives.asymmetric.ec'),
        ]
        modules_dir = os.path.join(self.collections, 'ansible_collections', 'apinizer', 'apiops', 'plugins', 'modules')
        for module in sorted(os.listdir(modules_dir)):
            if module.endswith('.py') and not module.startswith('_'):
                cases.append(('modules.' + module[:-3], 'import %smodules.%s' % (PREFIX, module[:-3])))
        rows = []
        for what, stmt in cases:
            wall, cpu = self.import_time(stmt)
            rows.append({'what': what, 'statement': stmt, 'seconds': wall, 'cpu': cpu})
        self.results['imports'] = rows

    def probe(self, module, args, connection=True):
        """One real run of a module's main(): requests, connections, CPU, cryptography imported?"""
        full = dict(args)
        if connection:
            full.update(apinizer_url=self.emu.url, apinizer_token=self.emu.token, project='demo')
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('ANSIBLE_', 'APINIZER_')))
        env['PYTHONPATH'] = self.collections
        self.emu.clear_requests()
        out_path, err_path = os.path.join(self.work, 'probe.out'), os.path.join(self.work, 'probe.err')
        with open(out_path, 'w') as out, open(err_path, 'w') as err:
            rc, wall, cpu = run_measured([self.python, '-c', MODULE_PROBE, module, json.dumps(full)], env=env,
                                         cwd=self.work, stdout=out, stderr=err)
        with open(out_path) as out, open(err_path) as err:
            lines, errors = out.read().strip().splitlines(), err.read()
        if rc != 0 or not lines:
            raise SystemExit('bench: probe of %s failed: %s' % (module, errors[-2000:]))
        out = json.loads(lines[-1])
        out.update(wall=wall, cpu=cpu)
        log = [r for r in self.emu.requests() if r['path'].startswith('/apiops/')]
        methods = {}
        for r in log:
            methods[r['method']] = methods.get(r['method'], 0) + 1
        out['requests'] = len(log)
        out['methods'] = methods
        return out

    def heavy_imports(self):
        print('module probes ...', flush=True)
        self.emu.reset()
        jwk = dict(name='bench-probe', key_type='EC', curve='P-256', use='signature', algorithm='ES256')
        paths = [
            ('apinizer_jwk', 'generate (create)', jwk, True),
            ('apinizer_jwk', 'generate (no-op)', jwk, False),
            ('apinizer_jwk_info', 'list', {}, False),
            ('apinizer_jwk_info', 'names', {'names': ['bench-probe']}, False),
            ('apinizer_credential_jwk', 'assign', {'username': 'api-user', 'purpose': 'validation',
                                                   'jwk_name': 'bench-probe'}, True),
            ('apinizer_credential_jwk', 'assign (no-op)', {'username': 'api-user', 'purpose': 'validation',
                                                           'jwk_name': 'bench-probe'}, False),
        ]
        # A credential's no-op path exists only where the server reports assignments (on a server
        # as documented, the emulator's default, the module applies the assignment and warns).
        self.emu.configure(report_assignments=True)
        rows = []
        for module, path, args, changed in paths:
            out = self.probe(module, args)
            out.update(module=module, path=path, expected_changed=changed)
            rows.append(out)
            ok = out['rc'] == 0 and out['changed'] == changed
            self.target('%s %s runs' % (module, path), ok,
                        'changed=%s, %d requests (%s)%s' % (out['changed'], out['requests'], fmt_methods(out['methods']),
                                                            '' if ok else ': %s' % out.get('msg')))
            self.target('%s %s: one connection for the run' % (module, path), out['connections'] == 1,
                        '%d TCP connection(s) for %d request(s)' % (out['connections'], out['requests']))
            self.target('%s %s: no cryptography import' % (module, path),
                        not out['crypto_import'] and not out['crypto_run'],
                        'imported at module import: %s, after the run: %s' % (out['crypto_import'], out['crypto_run']))
        # For scale: the hand-written playbook's GET, the same interpreter and harness.
        url = '%s/apiops/projects/demo/jwks/bench-probe/' % self.emu.url
        out = self.probe('ansible.modules.uri', {'url': url, 'status_code': [200, 400],
                                                 'headers': {'Authorization': 'Bearer %s' % self.emu.token}},
                         connection=False)
        out.update(module='ansible.builtin.uri', path='GET (for scale)', expected_changed=False, connections='-')
        rows.append(out)
        self.results['probes'] = rows


def run_measured(cmd, **kwargs):
    """Run cmd; return (rc, wall seconds, CPU seconds of the whole process tree).

    CPU time comes from wait4(): it covers the process and every descendant it waited for (for
    ansible-playbook: its workers and the module processes), so unlike wall time it hardly moves
    when other jobs share the machine.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, **kwargs)
    try:
        _pid, status, usage = os.wait4(proc.pid, 0)
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM): do not leave the playbook running.
        proc.terminate()
        proc.wait()
        raise
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, wall, usage.ru_utime + usage.ru_stime


def failed_targets(results, timing_advisory):
    """The failed targets that fail the run; with timing_advisory a missed wall-time target only warns."""
    failed = [t for t in results['targets'] if not t['ok']]
    if timing_advisory:
        for t in failed:
            if t['timing']:
                print('WARN timing target missed (advisory): %s' % t['target'])
        failed = [t for t in failed if not t['timing']]
    return failed


def fmt_methods(methods):
    return ' '.join('%s %d' % (m, c) for m, c in sorted(methods.items())) or 'none'


def per(run, n):
    return ' '.join('%s %g' % (m, round(c / float(n), 2)) for m, c in sorted(run['methods'].items())) or '0'


def machine():
    def version(cmd):
        try:
            return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  universal_newlines=True).stdout.splitlines()[0].strip()
        except (OSError, IndexError):
            return 'unknown'
    venv_python = os.path.join(parse_args([]).venv, 'bin', 'python')
    return {
        'nproc': os.cpu_count(),
        'cpu': next((line.split(':', 1)[1].strip() for line in open('/proc/cpuinfo')
                     if line.startswith('model name')), platform.processor()) if os.path.exists('/proc/cpuinfo')
        else platform.processor(),
        'loadavg_at_start': ' '.join('%.2f' % x for x in os.getloadavg()),
        'python': version([venv_python, '--version']),
        'ansible_core': version([venv_python, '-c', 'import ansible.release as r; print(r.__version__)']),
        'platform': platform.platform(),
    }


def verdict(target, timing_advisory):
    """PASS, FAIL, or WARN for a missed wall-time target that is advisory."""
    if target['ok']:
        return 'PASS'
    return 'WARN' if timing_advisory and target['timing'] else 'FAIL'


def report(results, timing_advisory=False):
    m = results['machine']
    print()
    print('machine: %d CPU (%s), load average %s at start, %s at end, %s, ansible-core %s, %s'
          % (m['nproc'], m['cpu'], m['loadavg_at_start'], m.get('loadavg_at_end', '?'), m['python'],
             m['ansible_core'], m['platform']))
    rows = results.get('converge', [])
    if rows:
        print()
        print('Converging N JWKs (EC P-256 ES256): ansible-playbook wall time, CPU time of its process tree,')
        print('requests per JWK. Ratios are module / uri; targets apply to wall time; no-op: the fastest of the reruns.')
        fmt = '%-5s %-7s %9s %8s %6s %7s %9s %8s %6s  %-18s %-18s'
        print(fmt % ('N', 'run', 'module s', 'uri s', 'ratio', 'target', 'mod cpu', 'uri cpu', 'ratio',
                     'module req/JWK', 'uri req/JWK'))
        for row in rows:
            n = row['n']
            for run, key, target in (('create', 'create', TARGET_CREATE), ('no-op', 'noop', TARGET_NOOP)):
                mod, uri = row['module_' + key], row['uri_' + key]
                print(fmt % (n, run, '%.2f' % mod['wall'], '%.2f' % uri['wall'], '%.2f' % row[key + '_ratio'],
                             '<=%.2f' % target, '%.2f' % mod['cpu'], '%.2f' % uri['cpu'],
                             '%.2f' % row[key + '_cpu_ratio'],
                             '%g (%s)' % (mod['requests'] / float(n), per(mod, n)),
                             '%g (%s)' % (uri['requests'] / float(n), per(uri, n))))
        for row in rows:
            n = row['n']
            print('N=%d no-op walls, module: %s s; uri: %s s (the fastest of each is compared)'
                  % (n, ', '.join('%.2f' % w for w in row['module_noop']['all_walls']),
                     ', '.join('%.2f' % w for w in row['uri_noop']['all_walls'])))
            print('N=%d per JWK, module/uri: create %.0f/%.0f ms wall, no-op %.0f/%.0f ms wall; '
                  'emulator CPU create %.2f/%.2f s'
                  % (n, 1000 * row['module_create']['wall'] / n, 1000 * row['uri_create']['wall'] / n,
                     1000 * row['module_noop']['wall'] / n, 1000 * row['uri_noop']['wall'] / n,
                     row['module_create']['server_cpu'], row['uri_create']['server_cpu']))
    for row in results.get('gates', []):
        print()
        print('N=%d module create: %d requests (%s), %.2f s; no-op: %d requests (%s), %.2f s' % (
            row['n'], row['create']['requests'], fmt_methods(row['create']['methods']), row['create']['wall'],
            row['noop']['requests'], fmt_methods(row['noop']['methods']), row['noop']['wall']))
    role = results.get('role')
    if role:
        print()
        print('jwk_rotation role: first run %.2f s, %d requests (%s); rerun %.2f s, %d requests (%s)'
              % (role['first']['wall'], role['first']['requests'], fmt_methods(role['first']['methods']),
                 role['second']['wall'], role['second']['requests'], fmt_methods(role['second']['methods'])))
    imports = results.get('imports')
    if imports:
        print()
        print('Import cost: a fresh interpreter running python -c "import X" (min of %d), PYTHONPATH=a copy of .build/collections'
              % results['import_repeat'])
        base, basic = imports[0], imports[1]
        print('%-40s %8s %8s %16s' % ('import', 'wall ms', 'CPU ms', 'CPU over basic'))
        for row in imports:
            print('%-40s %8.0f %8.0f %16s' % (row['what'], 1000 * row['seconds'], 1000 * row['cpu'],
                                              '' if row in (base, basic) else '%+.0f' % (1000 * (row['cpu'] - basic['cpu']))))
    probes = results.get('probes')
    if probes:
        print()
        print('Module runs: main() in a fresh interpreter against the emulator (not through ansible-playbook)')
        fmt = '%-24s %-18s %-8s %-17s %-11s %-12s %7s %7s'
        print(fmt % ('module', 'path', 'changed', 'requests', 'connections', 'cryptography', 'wall ms', 'CPU ms'))
        for p in probes:
            print(fmt % (p['module'], p['path'], p['changed'], '%d (%s)' % (p['requests'], fmt_methods(p['methods'])),
                         p['connections'], 'IMPORTED' if p['crypto_import'] or p['crypto_run'] else 'no',
                         '%.0f' % (1000 * p['wall']), '%.0f' % (1000 * p['cpu'])))
    print()
    print('Targets')
    for t in results['targets']:
        print('%-4s %-62s %s' % (verdict(t, timing_advisory), t['target'], t['detail']))


def main(argv=None):
    opts = parse_args(argv)
    sizes = opts.n or ([20] if opts.quick or opts.gates else [20, 200])
    if opts.noop_repeat < 1:
        sys.exit('bench: --noop-repeat must be positive')
    if any(n < 1 for n in sizes):
        sys.exit('bench: --n must be positive')
    started = time.perf_counter()
    # SIGTERM (a CI timeout) unwinds like Ctrl-C: the emulator stops and the work dir goes.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit('bench: terminated'))
    bench = Bench(opts)
    bench.results['machine'] = machine()
    bench.results['import_repeat'] = opts.import_repeat
    try:
        for n in sizes:
            bench.gates(n) if opts.gates else bench.converge(n)
        if not opts.skip_role:
            bench.role()
        if not opts.skip_imports:
            if not opts.gates:
                bench.imports()
            bench.heavy_imports()
    finally:
        bench.close()
    bench.results['seconds'] = time.perf_counter() - started
    bench.results['machine']['loadavg_at_end'] = ' '.join('%.2f' % x for x in os.getloadavg())
    report(bench.results, opts.timing_advisory)
    failed = failed_targets(bench.results, opts.timing_advisory)
    print()
    print('%d targets, %d failed; benchmark took %.0f s' % (len(bench.results['targets']), len(failed),
                                                           bench.results['seconds']))
    if opts.json:
        with open(opts.json, 'w') as f:
            json.dump(bench.results, f, indent=2, sort_keys=True)
    if failed and not opts.no_fail:
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
