# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The command line (python -m apinizer_emulator), TLS, and the Emulator class life cycle."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from contract_helpers import EMULATOR_DIR, Api, error_of
from apinizer_emulator import Emulator


def start_cli(*args, tmp_path):
    env = dict(os.environ, PYTHONPATH=EMULATOR_DIR, PYTHONUNBUFFERED='1')
    proc = subprocess.Popen([sys.executable, '-m', 'apinizer_emulator'] + list(args), cwd=str(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    first = proc.stdout.readline().strip()
    return proc, first


@pytest.mark.parametrize('sig', [signal.SIGTERM, signal.SIGINT])
def test_cli_prints_url_writes_port_serves_and_stops_cleanly(tmp_path, sig):
    port_file = tmp_path / 'port'
    seed = tmp_path / 'seed.json'
    seed.write_text(json.dumps({'projects': {'Extra': {'credentials': ['c']}}}))
    proc, first = start_cli('--port-file', str(port_file), '--token', 'cli-token', '--project', 'Team',
                            '--environments', 'a,b,c', '--user', 'ops:pw', '--seed', str(seed), '--dialect', 'legacy',
                            tmp_path=tmp_path)
    try:
        assert first.startswith('APINIZER_URL=http://127.0.0.1:'), first
        assert [proc.stdout.readline().strip() for _ in range(2)] == ['APINIZER_TOKEN=cli-token',
                                                                      'APINIZER_PROJECT=Team']
        url = first.split('=', 1)[1]
        for _ in range(50):
            if port_file.exists():
                break
            time.sleep(0.1)
        assert url.endswith(':' + port_file.read_text().strip())
        headers = {'Authorization': 'Bearer cli-token'}
        assert requests.get(url + '/apiops/projects/Team/credentials/', headers=headers, timeout=10).status_code == 200
        assert requests.get(url + '/apiops/projects/Extra/credentials/', headers=headers, timeout=10).status_code == 200
        r = requests.post(url + '/apiops/projects/Team/jwks/generate', headers=headers, timeout=10,
                          json={'name': 'x', 'type': 'OCT', 'oct': {'keySize': 128}})
        assert [e['environmentName'] for e in r.json()['deploymentResult']['environmentResults']] == ['a', 'b', 'c']
        tok = requests.post(url + '/apiops/auth/token', timeout=10, data={
            'grant_type': 'client_credentials', 'client_id': 'ops', 'client_secret': 'pw'})
        assert tok.status_code == 200
        assert requests.get(url + '/apiops/projects/demo/jwks/', headers=headers, timeout=10).status_code == 404
    finally:
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err


@pytest.mark.parametrize('flag', [False, True])
def test_cli_report_assignments_flag(tmp_path, flag):
    proc, first = start_cli(*(['--report-assignments'] if flag else []), tmp_path=tmp_path)
    try:
        url = first.split('=', 1)[1]
        headers = {'Authorization': 'Bearer emulator-token'}
        creds = requests.get(url + '/apiops/projects/demo/credentials/', headers=headers, timeout=10).json()
        cred = creds['resultList'][0]
        assert ('validationJwkName' in cred and 'encryptionJwkName' in cred) is flag
        assert ('validationJwkName' in cred or 'encryptionJwkName' in cred) is flag
        config = requests.get(url + '/__emulator__/config', timeout=10).json()['config']
        assert (config['report_assignments'], config['hide_assignments']) == (flag, not flag)
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    assert proc.returncode == 0


@pytest.mark.parametrize('flag', [False, True])
def test_cli_report_use_alg_flag(tmp_path, flag):
    proc, first = start_cli(*(['--report-use-alg'] if flag else []), tmp_path=tmp_path)
    try:
        url = first.split('=', 1)[1]
        headers = {'Authorization': 'Bearer emulator-token'}
        got = requests.get(url + '/apiops/projects/admin/jwks/shared-admin-jwk/', headers=headers, timeout=10).json()
        member = got['resultList'][0]['ec']
        assert ('use' in member, 'alg' in member) == (flag, flag)
        assert requests.get(url + '/__emulator__/config', timeout=10).json()['config']['report_use_alg'] is flag
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    assert proc.returncode == 0


def test_cli_current_dialect_and_the_default(tmp_path):
    from apinizer_emulator import DEFAULT_DIALECT
    from apinizer_emulator.__main__ import parse_args
    assert parse_args([]).dialect == DEFAULT_DIALECT == Emulator().dialect
    proc, first = start_cli('--dialect', 'current', tmp_path=tmp_path)
    try:
        url = first.split('=', 1)[1]
        r = requests.get(url + '/apiops/projects/demo/jwks/', timeout=10)
        assert r.status_code == 401 and r.json() == {
            'status': 'FAILURE', 'resultMessage': 'Empty Key! Client must be authenticated to access this resource.'}
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    assert proc.returncode == 0
    with pytest.raises(SystemExit) as exited:
        parse_args(['--dialect', 'newest'])
    assert exited.value.code == 2


def test_cli_rejects_a_malformed_user(tmp_path):
    env = dict(os.environ, PYTHONPATH=EMULATOR_DIR)
    proc = subprocess.run([sys.executable, '-m', 'apinizer_emulator', '--user', 'nopassword'], env=env,
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2 and 'NAME:PASSWORD' in proc.stderr


@pytest.mark.tls
def test_tls_with_generated_ca(tmp_path):
    emu = Emulator(tls_dir=str(tmp_path / 'tls')).start()
    try:
        assert emu.url.startswith('https://127.0.0.1:') and os.path.exists(emu.ca_file)
        api = Api(emu)
        assert api.get('/projects/demo/jwks/').status_code == 200
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(emu.url + '/apiops/projects/demo/jwks/', timeout=10)
        # URL sources can point at the emulator's own HTTPS static documents.
        full = api.jwk('shared-admin-jwk', 'admin')['ec']
        url = emu.serve_static('k.json', {k: full[k] for k in ('kty', 'crv', 'x', 'y')})
        assert url.startswith('https://')
        r = api.post('/projects/demo/jwks/', json={'name': 'u', 'sourceType': 'URL', 'url': url})
        assert r.status_code == 200, r.text
        # A client that never handshakes does not stall the server.
        import socket
        idle = socket.create_connection(('127.0.0.1', emu.port))
        assert api.get('/projects/demo/jwks/').status_code == 200
        idle.close()
    finally:
        emu.stop()


@pytest.mark.tls
def test_tls_cli_prints_ca_path(tmp_path):
    proc, first = start_cli('--tls-dir', str(tmp_path / 'tls'), tmp_path=tmp_path)
    try:
        assert first.startswith('APINIZER_URL=https://127.0.0.1:')
        url = first.split('=', 1)[1]
        lines = [proc.stdout.readline().strip() for _ in range(3)]
        ca = [line.split('=', 1)[1] for line in lines if line.startswith('APINIZER_CA_PATH=')][0]
        assert requests.get(url + '/apiops/projects/demo/jwks/', verify=ca, timeout=10,
                            headers={'Authorization': 'Bearer emulator-token'}).status_code == 200
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    assert proc.returncode == 0


def test_emulator_class_options_and_context_manager():
    with Emulator(token='t2', environments=('only',), users={'u': 'p'}, project='P', dialect='legacy',
                  seed={'projects': {'P': {'credentials': ['c9']}}}) as emu:
        api = Api(emu, token='t2')
        assert 'c9' in api.credentials('P') and 'api-user' in api.credentials('P')
        r = api.post('/projects/P/jwks/generate', json={'name': 'x', 'type': 'OCT', 'oct': {'keySize': 128}})
        assert [e['environmentName'] for e in r.json()['deploymentResult']['environmentResults']] == ['only']
        assert error_of(Api(emu).get('/projects/P/jwks/'), 401)[0] == 'invalid_token'
        port = emu.port
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get('http://127.0.0.1:%d/apiops/' % port, timeout=2)
    # ... and an open keep-alive connection gets no more answers either.
    with pytest.raises(requests.exceptions.ConnectionError):
        api.get('/projects/P/jwks/', timeout=2)


def test_two_emulators_are_independent():
    with Emulator() as one, Emulator() as two:
        assert one.port != two.port
        Api(one).post('/projects/demo/jwks/generate', json={'name': 'x', 'type': 'OCT', 'oct': {'keySize': 128}})
        assert Api(two).jwks() == {} and 'x' in Api(one).jwks()


def test_concurrent_writes_are_consistent(api):
    from concurrent.futures import ThreadPoolExecutor

    def one(i):
        client = Api(api.emulator)
        try:
            return client.post('/projects/demo/jwks/generate',
                               json={'name': 'k%d' % (i % 5), 'type': 'OCT', 'oct': {'keySize': 128}}).status_code
        finally:
            client.session.close()

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(one, range(20)))
    assert codes.count(200) == 5 and codes.count(400) == 15
    assert sorted(api.jwks()) == ['k0', 'k1', 'k2', 'k3', 'k4']
