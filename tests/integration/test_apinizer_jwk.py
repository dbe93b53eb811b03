# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""apinizer_jwk end to end: real ansible-playbook runs against the emulator.

Every test starts a fresh emulator (default seed, project ``demo``, environments production and
staging) and reads its request log to assert what the API actually received.
Run: .venv/bin/python -m pytest -q -n 2 tests/integration/test_apinizer_jwk.py
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from apinizer_emulator import keys as emulator_keys

pytestmark = pytest.mark.slow

PRIVATE_MEMBERS = ('d', 'p', 'q', 'dp', 'dq', 'qi', 'k')
TOKEN = 'emulator-token'


@pytest.fixture
def run_playbook(ansible_runner):
    """The harness's run_playbook with pipelining on: it only saves the temporary files of each
    task (the module runs exactly the same), which matters with dozens of tasks per test."""

    def _run(playbook, env=None, **kwargs):
        return ansible_runner.playbook(playbook, env=dict({'ANSIBLE_PIPELINING': 'True'}, **(env or {})), **kwargs)

    return _run


def play(tasks, module_defaults=None):
    """A one-play playbook on localhost; ``tasks`` is YAML at column 0."""
    head = '- hosts: localhost\n  gather_facts: false\n'
    if module_defaults:
        head += '  module_defaults:\n    group/apinizer.apiops.apinizer:\n'
        head += ''.join('      %s: %s\n' % (k, json.dumps(v)) for k, v in module_defaults.items())
    body = ''.join('    ' + line + '\n' if line.strip() else '\n' for line in tasks.strip('\n').split('\n'))
    return head + '  tasks:\n' + body


def writes(emulator):
    return [r for r in emulator.requests() if r['method'] != 'GET']


def api_requests(emulator):
    return [(r['method'], r['path'].split('/apiops', 1)[-1]) for r in emulator.requests()]


def stored(emulator, project='demo'):
    return emulator.state()['projects'][project]['jwks']


def private_values(emulator):
    """Every private member value of every JWK the emulator holds (what must never leak)."""
    values = []
    for project in emulator.state()['projects'].values():
        for rec in project['jwks'].values():
            for member in PRIVATE_MEMBERS:
                if rec['jwk'].get(member):
                    values.append(rec['jwk'][member])
    return values


def items(result):
    return dict((r['item']['name'], r) for r in result['result']['results'])


# ---- generate: every key type, size and curve ------------------------------------------------

GENERATED = [
    dict(name='g-rsa-2048', key_type='RSA'),
    dict(name='g-rsa-3072', key_type='RSA', key_size=3072, algorithm='PS256'),
    # 4096 is left to the unit tests: generating it costs seconds of emulator CPU on every run.
    dict(name='g-rsa-3072-enc', key_type='RSA', key_size=3072, use='encryption', algorithm='RSA-OAEP-256'),
    dict(name='g-ec-p256', key_type='EC'),
    dict(name='g-ec-p384', key_type='EC', curve='P-384', algorithm='ES384'),
    dict(name='g-ec-p521', key_type='EC', curve='P-521', use='encryption', algorithm='ECDH-ES+A128KW'),
    dict(name='g-ec-k1', key_type='EC', curve='secp256k1', algorithm='ES256K'),
    dict(name='g-okp-ed', key_type='OKP'),
    dict(name='g-okp-x', key_type='OKP', curve='X25519', use='encryption', algorithm='ECDH-ES'),
    dict(name='g-oct-128', key_type='OCT', key_size=128, use='encryption', algorithm='A128KW'),
    dict(name='g-oct-192', key_type='OCT', key_size=192, use='encryption', algorithm='A192GCMKW'),
    dict(name='g-oct-256', key_type='OCT'),
    dict(name='g-oct-pbes2', key_type='OCT', use='encryption', algorithm='PBES2-HS256+A128KW',
         password_salt_length=16, password_iteration_count=4096, kid_type='sha256'),
]

GENERATE_TASK = '''
- name: {name}
  apinizer.apiops.apinizer_jwk:
    name: "{{{{ item.name }}}}"
    key_type: "{{{{ item.key_type }}}}"
    key_size: "{{{{ item.key_size | default(omit) }}}}"
    curve: "{{{{ item.curve | default(omit) }}}}"
    use: "{{{{ item.use | default(omit) }}}}"
    algorithm: "{{{{ item.algorithm | default(omit) }}}}"
    kid_type: "{{{{ item.kid_type | default(omit) }}}}"
    password_salt_length: "{{{{ item.password_salt_length | default(omit) }}}}"
    password_iteration_count: "{{{{ item.password_iteration_count | default(omit) }}}}"
  loop: "{{{{ generated }}}}"
  check_mode: {check}
'''


# It reads back use/alg of what the server made: a server that reports them (the documented
# one does not; test_apinizer_jwk.py::test_use_and_algorithm_on_both_servers covers it).
@pytest.mark.report_use_alg
def test_generate_every_key_type_first_second_and_check_run(run_playbook, emulator):
    # check mode first (three keys: it is the same path for every type), then real, then again
    tasks = (GENERATE_TASK.format(name='check', check='true').replace('loop: "{{ generated }}"',
                                                                      'loop: "{{ generated[:3] }}"')
             + GENERATE_TASK.format(name='first', check='false') + GENERATE_TASK.format(name='second', check='false'))
    run = run_playbook(play(tasks), extra_vars={'generated': GENERATED})

    check, first, second = (items(run.task(n)) for n in ('check', 'first', 'second'))
    assert len(check) == 3 and all(r['changed'] for r in check.values())
    assert all(r['changed'] for r in first.values()), run.describe()
    assert not any(r['changed'] for r in second.values())

    # the key the server generated is what was asked for, read back from its material
    facts = dict((n, r['jwk']) for n, r in first.items())
    assert facts['g-rsa-2048']['key_size'] == 2048 and facts['g-rsa-2048']['alg'] == 'RS256'
    assert facts['g-rsa-3072']['key_size'] == 3072 and facts['g-rsa-3072']['alg'] == 'PS256'
    assert facts['g-rsa-3072-enc']['key_size'] == 3072 and facts['g-rsa-3072-enc']['use'] == 'encryption'
    assert facts['g-ec-p256']['curve'] == 'P-256' and facts['g-ec-p256']['alg'] == 'ES256'
    assert facts['g-ec-p384']['curve'] == 'P-384'
    assert facts['g-ec-p521']['curve'] == 'P-521' and facts['g-ec-p521']['alg'] == 'ECDH-ES+A128KW'
    assert facts['g-ec-k1']['curve'] == 'secp256k1'
    assert facts['g-okp-ed']['curve'] == 'Ed25519' and facts['g-okp-ed']['alg'] == 'EdDSA'
    assert facts['g-okp-x']['curve'] == 'X25519'
    assert [facts['g-oct-%d' % s]['key_size'] for s in (128, 192, 256)] == [128, 192, 256]
    for name, jwk in facts.items():
        assert jwk['source_type'] == 'generate'
        assert jwk['thumbprint'] and len(jwk['thumbprint']) == 43
        public = jwk['public_jwk'] or {}
        assert not set(public) & set(PRIVATE_MEMBERS), name
    assert set(stored(emulator)) == set(g['name'] for g in GENERATED)

    # writes: exactly one generate per key (second run and check mode wrote nothing)
    posts = writes(emulator)
    assert [r['method'] for r in posts] == ['POST'] * len(GENERATED)
    assert all(r['path'].endswith('/jwks/generate') for r in posts)
    # check run (nothing exists yet): the JWK list per key; first run: the list, the POST and the
    # read-back per key; second run: the list, plus the key when the task states a fact the list
    # lacks (size, curve, use, algorithm)
    reads = sum(1 + any(k in g for k in ('key_size', 'curve', 'use', 'algorithm')) for g in GENERATED)
    assert len(emulator.requests()) == 3 + 3 * len(GENERATED) + reads, \
        [(r['method'], r['path']) for r in emulator.requests()]

    # the generate endpoint's own enum spelling, never JOSE
    bodies = dict((r['body']['name'], r['body']) for r in posts)
    assert bodies['g-rsa-2048'] == {'name': 'g-rsa-2048', 'type': 'RSA',
                                    'rsa': {'keySize': 2048, 'keyUseType': 'SIGNATURE', 'algorithm': 'RSA256'}}
    assert bodies['g-rsa-3072-enc']['rsa']['algorithm'] == 'RSA_OAEP_256'
    assert bodies['g-ec-p521']['ec'] == {'curveType': 'P521', 'keyUseType': 'ENCRYPTION',
                                         'algorithm': 'ECDH_ES_A128KW'}
    assert bodies['g-ec-k1']['ec']['curveType'] == 'SECP256K1'
    assert bodies['g-okp-x']['okp'] == {'curveType': 'X25519', 'keyUseType': 'ENCRYPTION', 'algorithm': 'ECDH_ES'}
    assert bodies['g-okp-ed']['okp']['curveType'] == 'ED25519'
    assert bodies['g-oct-pbes2']['oct'] == {'keySize': 256, 'keyUseType': 'ENCRYPTION',
                                            'algorithm': 'PBES2_HS256_A128KW', 'keyIdType': 'SHA256',
                                            'passwordSaltLength': 16, 'passwordIterationCount': 4096}


# ---- source: jwk (dict, JSON string, JWK Set) ------------------------------------------------

def test_jwk_source_dict_string_and_set(run_playbook, emulator):
    ec_key = emulator_keys.generate_key('EC', curve='P-256')
    ec_key.update(kid='partner-ec', use='sig', alg='ES256')
    rsa_key = emulator_keys.generate_key('RSA', size=2048)
    rsa_key.update(kid='partner-rsa')
    okp_key = emulator_keys.generate_key('OKP', curve='Ed25519')
    okp_key.update(kid='partner-okp')
    tasks = '''
- name: as dict
  apinizer.apiops.apinizer_jwk:
    name: j-dict
    source: jwk
    jwk: "{{ ec_key }}"
    description: from a dict
- name: as string
  apinizer.apiops.apinizer_jwk:
    name: j-string
    source: jwk
    jwk: "{{ okp_key | to_json }}"
    algorithm: EdDSA
- name: from set
  apinizer.apiops.apinizer_jwk:
    name: j-set
    source: jwk
    jwk: "{{ {'keys': [ec_key, rsa_key]} | to_json }}"
    kid: partner-rsa
    use: signature
    algorithm: PS256
'''
    extra = {'ec_key': ec_key, 'rsa_key': rsa_key, 'okp_key': okp_key}
    check = run_playbook(play(tasks), extra_vars=extra, check=True)
    assert check.changed_tasks == ['as dict', 'as string', 'from set']
    assert writes(emulator) == [] and stored(emulator) == {}

    emulator.clear_requests()
    first = run_playbook(play(tasks), extra_vars=extra)
    assert first.changed_tasks == ['as dict', 'as string', 'from set']
    assert first.task('as dict')['result']['jwk']['kid'] == 'partner-ec'
    assert first.task('from set')['result']['jwk']['thumbprint'] == emulator_keys.thumbprint(rsa_key)

    # the create endpoint receives JOSE spelling and only the selected key
    bodies = dict((r['body']['name'], r['body']) for r in writes(emulator))
    assert bodies['j-set']['sourceType'] == 'COPY_PASTE'
    sent = json.loads(bodies['j-set']['jwkStr'])
    assert sent['kid'] == 'partner-rsa' and sent['alg'] == 'PS256' and sent['use'] == 'sig'
    assert json.loads(bodies['j-string']['jwkStr'])['alg'] == 'EdDSA'
    assert bodies['j-dict']['description'] == 'from a dict'
    assert stored(emulator)['j-set']['jwk']['n'] == rsa_key['n']

    emulator.clear_requests()
    second = run_playbook(play(tasks), extra_vars=extra)
    assert second.changed_tasks == []
    # per task the JWK list and the key (its thumbprint): reads only
    assert [m for m, _ in api_requests(emulator)] == ['GET'] * 6

    # another key under the same name: a key material difference, refused by default
    other = emulator_keys.generate_key('EC', curve='P-256')
    other.update(kid='partner-ec', use='sig', alg='ES256')
    emulator.clear_requests()
    changed = run_playbook(play(tasks.split('- name: as string')[0]), extra_vars=dict(extra, ec_key=other),
                           expect_failure=True)
    msg = changed.task('as dict')['result']['msg']
    assert 'thumbprint' in msg and 'regenerate: when_different' in msg
    assert writes(emulator) == []
    assert other['d'] not in changed.output and other['x'] not in msg


# ---- sources kept by the server: url, certificate, keys, keystore ------------------------------

SOURCED = '''
- name: url
  apinizer.apiops.apinizer_jwk:
    name: s-url
    source: url
    url: "{{ jwks_url }}"
    kid: published-2
    url_connect_timeout: 2000
- name: certificate
  apinizer.apiops.apinizer_jwk:
    name: s-cert
    source: certificate
    certificate_name: demo-cert
    environment: production
    use: signature
    algorithm: RS256
- name: public key
  apinizer.apiops.apinizer_jwk:
    name: s-pub
    source: public_key
    key_name: demo-rsa-public
    environment: production
    use: encryption
    algorithm: RSA-OAEP-256
- name: private key
  apinizer.apiops.apinizer_jwk:
    name: s-priv
    source: private_key
    key_name: demo-ec-private
    environment: staging
    use: signature
    algorithm: ES256
- name: keystore
  apinizer.apiops.apinizer_jwk:
    name: s-ks
    source: keystore
    keystore_name: demo-keystore
    alias: demo
    environment: production
    use: signature
    algorithm: PS512
'''


def serve_jwks(emulator):
    one = emulator_keys.generate_key('EC', curve='P-256')
    two = emulator_keys.generate_key('RSA', size=2048)
    one.update(kid='published-1')
    two.update(kid='published-2', use='sig', alg='RS256')
    doc = {'keys': [dict((m, v) for m, v in k.items() if m not in PRIVATE_MEMBERS) for k in (one, two)]}
    return emulator.serve_static('jwks.json', doc), two


# It reads back use/alg of what the server made: a server that reports them (the documented
# one does not; test_apinizer_jwk.py::test_use_and_algorithm_on_both_servers covers it).
@pytest.mark.report_use_alg
def test_sourced_jwks_check_first_second_and_request_bodies(run_playbook, emulator):
    url, published = serve_jwks(emulator)
    check = run_playbook(play(SOURCED), extra_vars={'jwks_url': url}, check=True)
    assert check.changed_tasks == ['url', 'certificate', 'public key', 'private key', 'keystore']
    assert writes(emulator) == [] and stored(emulator) == {}

    emulator.clear_requests()
    first = run_playbook(play(SOURCED), extra_vars={'jwks_url': url})
    assert first.changed_tasks == ['url', 'certificate', 'public key', 'private key', 'keystore']
    jwks = stored(emulator)
    assert jwks['s-url']['sourceType'] == 'URL' and jwks['s-url']['jwk']['n'] == published['n']
    assert first.task('url')['result']['jwk']['source_type'] == 'url'
    assert first.task('private key')['result']['jwk']['curve'] == 'P-256'
    assert first.task('keystore')['result']['jwk']['alg'] == 'PS512'

    bodies = dict((r['body']['name'], r['body']) for r in writes(emulator))
    assert bodies['s-cert'] == {'name': 's-cert', 'sourceType': 'CERTIFICATE', 'certificateName': 'demo-cert',
                                'environmentName': 'production', 'useType': 'SIGNATURE', 'algorithm': 'RS256'}
    assert bodies['s-pub']['algorithm'] == 'RSA-OAEP-256'  # JOSE spelling on the create endpoint
    assert bodies['s-pub']['sourceType'] == 'PUBLIC_KEY' and bodies['s-pub']['useType'] == 'ENCRYPTION'
    assert bodies['s-priv']['sourceType'] == 'PRIVATE_KEY'
    assert bodies['s-ks'] == {'name': 's-ks', 'sourceType': 'KEYSTORE', 'keyStoreName': 'demo-keystore',
                              'aliasName': 'demo', 'environmentName': 'production', 'useType': 'SIGNATURE',
                              'algorithm': 'PS512'}
    assert bodies['s-url'] == {'name': 's-url', 'sourceType': 'URL', 'url': url, 'kid': 'published-2',
                               'urlOptionConnectTimeout': 2000}

    emulator.clear_requests()
    second = run_playbook(play(SOURCED), extra_vars={'jwks_url': url})
    assert second.changed_tasks == []
    # the JWK list per task; the four that state use and algorithm also read the key
    assert len(emulator.requests()) == 9 and writes(emulator) == []

    emulator.clear_requests()
    check = run_playbook(play(SOURCED), extra_vars={'jwks_url': url}, check=True)
    assert check.changed_tasks == []
    assert writes(emulator) == []


# ---- diff ------------------------------------------------------------------------------------

def test_diff_shows_metadata_never_key_material(run_playbook, emulator):
    tasks = '''
- name: create
  apinizer.apiops.apinizer_jwk:
    name: diffed
    key_type: EC
    curve: P-384
    description: first
- name: describe differently
  apinizer.apiops.apinizer_jwk:
    name: diffed
    key_type: EC
    curve: P-384
    description: second
'''
    run = run_playbook(play(tasks), diff=True)
    created = run.task('create')['result']['diff']
    assert created['before'] == {}
    assert created['after']['curve'] == 'P-384' and created['after']['name'] == 'diffed'
    updated = run.task('describe differently')['result']['diff']
    assert (updated['before']['description'], updated['after']['description']) == ('first', 'second')
    assert updated['before']['thumbprint'] == updated['after']['thumbprint']
    assert 'description: first' in run.stdout or '"first"' in run.stdout  # the diff is printed
    material = stored(emulator)['diffed']['jwk']
    for member in ('d', 'x', 'y'):
        assert material[member] not in run.output


# ---- description updates ---------------------------------------------------------------------

def test_description_update_in_place_and_detach_warning(run_playbook, emulator):
    url, unused = serve_jwks(emulator)
    tasks = '''
- name: generated
  apinizer.apiops.apinizer_jwk:
    name: d-gen
    key_type: OKP
    description: "{{ text }}"
- name: from url
  apinizer.apiops.apinizer_jwk:
    name: d-url
    source: url
    url: "{{ jwks_url }}"
    kid: published-1
    description: "{{ text }}"
'''
    run_playbook(play(tasks), extra_vars={'jwks_url': url, 'text': 'one'})
    before = stored(emulator)
    emulator.clear_requests()

    # check mode: both would change, one GET each, nothing written, nothing detached
    check = run_playbook(play(tasks), extra_vars={'jwks_url': url, 'text': 'two'}, check=True)
    assert check.changed_tasks == ['generated', 'from url']
    assert [m for m, unused in api_requests(emulator)] == ['GET', 'GET']
    assert stored(emulator) == before
    emulator.clear_requests()

    run = run_playbook(play(tasks), extra_vars={'jwks_url': url, 'text': 'two'})
    assert run.changed_tasks == ['generated', 'from url']
    assert [(m, p.split('/jwks/')[1]) for m, p in api_requests(emulator) if m != 'GET'] == [
        ('PUT', 'd-gen/'), ('PUT', 'd-url/')]
    assert [r['body'] for r in writes(emulator)] == [{'description': 'two'}] * 2
    assert run.task('generated')['warnings'] == []
    assert any('detaches' in w for w in run.task('from url')['warnings'])
    after = stored(emulator)
    assert after['d-url']['sourceType'] == 'COPY_PASTE'
    for name in ('d-gen', 'd-url'):
        assert after[name]['jwk'] == before[name]['jwk']  # same key, in place

    # the detached copy still matches the task that created it: no change, no regenerate failure
    emulator.clear_requests()
    again = run_playbook(play(tasks), extra_vars={'jwks_url': url, 'text': 'two'})
    assert again.changed_tasks == []
    assert len(emulator.requests()) == 2


# ---- regenerate ------------------------------------------------------------------------------

REGENERATE = '''
- name: create
  apinizer.apiops.apinizer_jwk:
    name: r-ec
    key_type: EC
- name: never
  apinizer.apiops.apinizer_jwk:
    name: r-ec
    key_type: EC
    curve: P-384
    regenerate: never
- name: fail
  apinizer.apiops.apinizer_jwk:
    name: r-ec
    key_type: EC
    curve: P-384
  ignore_errors: true
- name: when_different in check mode
  apinizer.apiops.apinizer_jwk:
    name: r-ec
    key_type: EC
    curve: P-384
    regenerate: when_different
  check_mode: true
- name: always in check mode
  apinizer.apiops.apinizer_jwk:
    name: r-ec
    key_type: EC
    curve: P-384
    regenerate: always
  check_mode: true
- name: when_different
  apinizer.apiops.apinizer_jwk:
    name: r-ec
    key_type: EC
    curve: P-384
    regenerate: when_different
- name: when_different again
  apinizer.apiops.apinizer_jwk:
    name: r-ec
    key_type: EC
    curve: P-384
    regenerate: when_different
- name: always
  apinizer.apiops.apinizer_jwk:
    name: r-ec
    key_type: EC
    curve: P-384
    regenerate: always
'''


def test_regenerate_modes(run_playbook, emulator):
    run = run_playbook(play(REGENERATE))
    # The whole conversation, task by task: only the real when_different and always runs write.
    # (the JWK list, then the key where the curve must be compared; regenerate=always compares nothing)
    assert [m for m, unused in api_requests(emulator)] == (
        ['GET', 'POST', 'GET']                   # create
        + ['GET', 'GET']                         # never
        + ['GET', 'GET']                         # fail
        + ['GET', 'GET']                         # when_different in check mode
        + ['GET']                                # always in check mode
        + ['GET', 'GET', 'DELETE', 'POST', 'GET']  # when_different
        + ['GET', 'GET']                         # when_different again
        + ['GET', 'DELETE', 'POST', 'GET'])      # always
    difference = 'curve: the server has P-256, the task asks for P-384'
    assert run.changed_tasks == ['create', 'when_different in check mode', 'always in check mode',
                                 'when_different', 'always']

    never = run.task('never')
    assert any(difference in w and 'regenerate is never' in w for w in never['warnings'])

    fail = run.task('fail')
    assert fail['failed'] is True
    assert difference in fail['result']['msg'] and 'regenerate: when_different' in fail['result']['msg']

    created = run.task('create')['result']['jwk']
    for name in ('when_different in check mode', 'always in check mode'):
        result = run.task(name)['result']
        assert result['actions'] == ['delete', 'create']
        assert result['jwk']['id'] is None or result['jwk']['id'] == created['id']
    # nothing was replaced
    assert run.task('when_different in check mode')['result']['jwk']['thumbprint'] == created['thumbprint']

    replaced = run.task('when_different')['result']['jwk']
    assert replaced['curve'] == 'P-384' and replaced['thumbprint'] != created['thumbprint']
    assert run.task('when_different again')['result']['jwk']['thumbprint'] == replaced['thumbprint']
    renewed = run.task('always')['result']['jwk']
    assert renewed['curve'] == 'P-384' and renewed['thumbprint'] != replaced['thumbprint']
    assert stored(emulator)['r-ec']['jwk']['crv'] == 'P-384'


# ---- absent ----------------------------------------------------------------------------------

def test_absent_deletes_once_then_is_one_request(run_playbook, emulator):
    tasks = '''
- name: create
  apinizer.apiops.apinizer_jwk:
    name: gone
- name: delete in check mode
  apinizer.apiops.apinizer_jwk:
    name: gone
    state: absent
  check_mode: true
- name: delete
  apinizer.apiops.apinizer_jwk:
    name: gone
    state: absent
'''
    run = run_playbook(play(tasks))
    assert run.changed_tasks == ['create', 'delete in check mode', 'delete']
    assert [m for m, _ in api_requests(emulator)] == ['GET', 'POST', 'GET', 'GET', 'GET', 'DELETE']
    assert 'gone' not in stored(emulator)

    emulator.clear_requests()
    again = run_playbook(play('- name: delete\n  apinizer.apiops.apinizer_jwk:\n    name: gone\n    state: absent\n'))
    assert again.changed_tasks == []
    assert api_requests(emulator) == [('GET', '/projects/demo/jwks/')]   # the list shows it is gone


# ---- connection: environment, module_defaults, errors -----------------------------------------

def test_environment_fallbacks_and_module_defaults_group(run_playbook, emulator):
    task = '''
- name: create
  apinizer.apiops.apinizer_jwk:
    name: conn
'''
    # environment only (the harness exports APINIZER_URL, APINIZER_TOKEN, APINIZER_PROJECT)
    run_playbook(play(task))
    assert 'conn' in stored(emulator)

    # module_defaults for the group win over a wrong environment
    emulator.clear_requests()
    run = run_playbook(play(task.replace('conn', 'conn-defaults'),
                            module_defaults={'apinizer_url': emulator.url, 'apinizer_token': TOKEN,
                                             'project': 'admin'}),
                       env={'APINIZER_TOKEN': 'wrong-token', 'APINIZER_PROJECT': 'demo', 'APINIZER_URL': None})
    assert run.changed_tasks == ['create']
    assert 'conn-defaults' in stored(emulator, 'admin')
    assert all(p.startswith('/projects/admin/') for _, p in api_requests(emulator))


def test_bad_token_is_a_clear_failure(run_playbook, emulator):
    run = run_playbook(play('- name: create\n  apinizer.apiops.apinizer_jwk:\n    name: x\n'),
                       env={'APINIZER_TOKEN': 'stolen-or-expired-token'}, expect_failure=True)
    result = run.task('create')['result']
    assert result['status'] == 401
    assert 'HTTP 401' in result['msg'] and 'GET /projects/demo/jwks/' in result['msg']
    assert 'stolen-or-expired-token' not in run.output


def test_unknown_project_surfaces_the_server_message(run_playbook, emulator):
    run = run_playbook(play('- name: create\n  apinizer.apiops.apinizer_jwk:\n    name: x\n    project: nope\n'),
                       expect_failure=True)
    result = run.task('create')['result']
    assert 'Project(nope) was not found' in result['msg']
    assert result['status'] == 404 and result['error'] == 'not_found'
    assert writes(emulator) == []


# ---- deployment, transient failures, lost answers --------------------------------------------

def test_partial_deployment_failure(run_playbook, emulator):
    emulator.configure(failing_environments=['staging'])
    tasks = '''
- name: strict
  apinizer.apiops.apinizer_jwk:
    name: dep-strict
  ignore_errors: true
- name: tolerant
  apinizer.apiops.apinizer_jwk:
    name: dep-tolerant
    fail_on_deploy_error: false
'''
    run = run_playbook(play(tasks))
    strict = run.task('strict')
    assert strict['failed'] is True and strict['changed'] is True
    assert 'staging' in strict['result']['msg'] and 'gateway did not answer' in strict['result']['msg']
    assert strict['result']['failed_environments'] == ['staging']
    tolerant = run.task('tolerant')
    assert tolerant['failed'] is False and tolerant['changed'] is True
    assert any('staging' in w and 'fail_on_deploy_error is false' in w for w in tolerant['warnings'])
    assert dict((d['environment'], d['success']) for d in tolerant['result']['deployment']) == {
        'production': True, 'staging': False}
    assert set(stored(emulator)) == {'dep-strict', 'dep-tolerant'}


def test_transient_503_converges_with_a_retry_warning(run_playbook, emulator):
    emulator.add_fault(method='GET', path='/jwks/flaky/$', status=503, count=1)
    emulator.add_fault(method='DELETE', path='/jwks/flaky/$', status=503, count=1)
    tasks = '''
- name: create
  apinizer.apiops.apinizer_jwk:
    name: flaky
- name: delete
  apinizer.apiops.apinizer_jwk:
    name: flaky
    state: absent
'''
    run = run_playbook(play(tasks))
    assert run.changed_tasks == ['create', 'delete']
    for name in ('create', 'delete'):
        assert any('1 transient failure was retried' in w for w in run.task(name)['warnings']), name
    assert 'flaky' not in stored(emulator)


@pytest.mark.parametrize('action', ['drop', 'status'])
def test_lost_post_answer_creates_exactly_one_jwk(run_playbook, emulator, action):
    emulator.add_fault(method='POST', path='/jwks/generate$', action=action, status=503, apply=True, count=1)
    run = run_playbook(play('- name: create\n  apinizer.apiops.apinizer_jwk:\n    name: once\n'))
    task = run.task('create')
    assert task['changed'] is True and task['result']['jwk']['name'] == 'once'
    posts = [r for r in emulator.requests() if r['method'] == 'POST']
    assert len(posts) == 1  # verified by a GET, never re-sent
    assert list(stored(emulator)) == ['once']
    assert 'already exist' not in run.output


# ---- bad input -------------------------------------------------------------------------------

BAD_INPUT = [
    ('algorithm that does not fit', dict(key_type='RSA', algorithm='ES256'), ['algorithm', 'RS256']),
    ('invalid size', dict(key_type='RSA', key_size=1024), ['key_size', '2048']),
    ('curve of another type', dict(key_type='OKP', curve='P-256'), ['curve']),
    ('malformed json', dict(source='jwk', jwk='{"kty": "EC", '), ['jwk', 'JSON']),
    ('set without kid', dict(source='jwk', jwk='SET'), ['kid', 'set-a', 'set-b']),
    ('unknown kid', dict(source='jwk', jwk='SET', kid='nope'), ['kid', 'set-a']),
    ('missing url', dict(source='url'), ['url']),
    ('missing certificate options', dict(source='certificate', use='signature'),
     ['certificate_name', 'environment', 'algorithm']),
    ('missing use', dict(source='keystore', keystore_name='demo-keystore', alias='demo', environment='production',
                         algorithm='RS256'), ['use is required', 'signature, encryption']),
    ('option of another source', dict(key_type='EC', url='https://example.com/jwks'), ['url']),
]


def test_bad_input_fails_before_any_request(run_playbook, emulator):
    key_a = emulator_keys.generate_key('EC', curve='P-256')
    key_b = emulator_keys.generate_key('EC', curve='P-256')
    key_a['kid'], key_b['kid'] = 'set-a', 'set-b'
    jwk_set = json.dumps({'keys': [key_a, key_b]})
    tasks = ''
    for label, options, unused in BAD_INPUT:
        options = dict(options, name='bad')
        if options.get('jwk') == 'SET':
            options['jwk'] = jwk_set
        tasks += '- name: %s\n  apinizer.apiops.apinizer_jwk: %s\n  ignore_errors: true\n' % (
            label, json.dumps(options))
    run = run_playbook(play(tasks))
    assert emulator.requests() == []
    for label, unused, words in BAD_INPUT:
        result = run.task(label)
        assert result['failed'] is True, label
        for word in words:
            assert word in result['result']['msg'], (label, word, result['result']['msg'])
    assert key_a['d'] not in run.output and key_b['d'] not in run.output


# ---- secrets in -vvv output ------------------------------------------------------------------

def test_no_private_member_or_token_in_verbose_output(run_playbook, emulator):
    imported = emulator_keys.generate_key('RSA', size=2048)
    imported['kid'] = 'imported'
    oct_key = emulator_keys.generate_key('OCT', size=256)
    tasks = '''
- name: generate
  apinizer.apiops.apinizer_jwk:
    name: v-gen
    key_type: EC
    description: one
- name: generate oct
  apinizer.apiops.apinizer_jwk:
    name: v-oct
    key_type: OCT
- name: import
  apinizer.apiops.apinizer_jwk:
    name: v-imported
    source: jwk
    jwk: "{{ imported }}"
- name: import oct
  apinizer.apiops.apinizer_jwk:
    name: v-imported-oct
    source: jwk
    jwk: "{{ oct_key | to_json }}"
- name: update and diff
  apinizer.apiops.apinizer_jwk:
    name: v-gen
    key_type: EC
    description: two
- name: replace
  apinizer.apiops.apinizer_jwk:
    name: v-gen
    key_type: EC
    curve: P-521
    regenerate: when_different
- name: private key on request, not logged
  apinizer.apiops.apinizer_jwk:
    name: v-gen
    return_private_key: true
  no_log: true
  register: private
- name: the private key was returned
  ansible.builtin.assert:
    that:
      - private.jwk.private_jwk.d | length > 0
    quiet: true
- name: delete
  apinizer.apiops.apinizer_jwk:
    name: v-imported
    state: absent
'''
    run = run_playbook(play(tasks), extra_vars={'imported': imported, 'oct_key': oct_key}, verbosity=3, diff=True)
    secrets = private_values(emulator)
    secrets += [imported[m] for m in ('d', 'p', 'q', 'dp', 'dq', 'qi')] + [oct_key['k']]
    assert len(secrets) > 10
    for value in secrets:
        assert value not in run.output
    assert TOKEN not in run.output
    assert 'the output has been hidden' in run.output  # the no_log task
    assert imported['n'] in run.output  # public material is not masked (the public_jwk return)


# ---- facts a documented server does not report (issue 12 item 6) -----------------------------

DOC_TASK = '''
- name: {name}
  apinizer.apiops.apinizer_jwk:
    name: g-doc
    curve: P-256
    use: {use}
    algorithm: {alg}
  check_mode: {check}
'''
NOT_REPORTED = 'The server does not report algorithm or use of JWK g-doc'


@pytest.mark.parametrize('mode', ['documented', 'reported'])
def test_use_and_algorithm_on_both_servers(run_playbook, emulator, mode):
    # The Get JWK page documents no use/alg: by default the emulator leaves them out.
    emulator.configure(report_use_alg=mode == 'reported')
    run = run_playbook(play(DOC_TASK.format(name='create', use='signature', alg='ES256', check='false')
                            + DOC_TASK.format(name='again', use='signature', alg='ES256', check='false')
                            + DOC_TASK.format(name='preview', use='signature', alg='ES256', check='true')))
    created, again, preview = (run.task(n) for n in ('create', 'again', 'preview'))
    assert created['changed'] is True and created['warnings'] == []
    assert [r['method'] for r in writes(emulator)] == ['POST']
    # first run: the list, POST, the read-back; the rerun and the check-mode run: the list and the key
    assert len(emulator.requests()) == 7
    for task in (again, preview):
        assert task['changed'] is False
        if mode == 'documented':
            # Never a silent ok: said once, and listed.
            assert len(task['warnings']) == 1 and NOT_REPORTED in task['warnings'][0]
            assert "algorithm 'ES256', use 'signature'" in task['warnings'][0]
            assert task['result']['unverified'] == ['algorithm', 'use']
        else:
            assert task['warnings'] == [] and 'unverified' not in task['result']
    # ansible-core prints an identical warning once per run.
    assert run.output.count(NOT_REPORTED) == (1 if mode == 'documented' else 0)

    # Another use and algorithm on the same curve: only a reporting server lets the module see it.
    emulator.clear_requests()
    other = DOC_TASK.format(name='other', use='encryption', alg='ECDH-ES', check='false')
    if mode == 'documented':
        run = run_playbook(play(other))
        task = run.task('other')
        assert task['changed'] is False and task['result']['unverified'] == ['algorithm', 'use']
        assert "algorithm 'ECDH-ES', use 'encryption'" in task['warnings'][0]
    else:
        run = run_playbook(play(other), expect_failure=True)
        task = run.task('other')
        assert task['failed'] is True
        assert sorted(task['result']['differences']) == [
            'alg: the server has ES256, the task asks for ECDH-ES',
            'use: the server has signature, the task asks for encryption']
    assert writes(emulator) == [] and len(emulator.requests()) == 2   # the list and the key


def test_kid_is_refused_for_a_certificate_source_before_any_request(run_playbook, emulator):
    # SOURCED's certificate task, plus a kid
    task = SOURCED[SOURCED.index('- name: certificate'):SOURCED.index('- name: public key')] + '    kid: my-kid\n'
    run = run_playbook(play(task), expect_failure=True)
    assert ("kid does not apply to source 'certificate' (it applies to source: generate, jwk, url)"
            in run.task('certificate')['result']['msg'])
    assert emulator.requests() == []
