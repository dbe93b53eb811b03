# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""apinizer_jwk against the emulator: every source, regenerate mode and failure path, read from the
emulator's request log and state (what the API actually received and holds)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from apinizer_emulator import keys as emulator_keys

PRIVATE_MEMBERS = ('d', 'p', 'q', 'dp', 'dq', 'qi', 'k')


def writes(emulator):
    return [r for r in emulator.requests() if r['method'] != 'GET']


def api_requests(emulator):
    return [(r['method'], r['path'].split('/apiops', 1)[-1]) for r in emulator.requests()]


def methods(emulator):
    return [m for m, unused in api_requests(emulator)]


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


@pytest.fixture
def jwk(run_module):
    """jwk(check=False, diff=False, **options): one apinizer_jwk run."""
    def _run(check=False, diff=False, **options):
        return run_module('apinizer_jwk', options, check=check, diff=diff)
    return _run


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


# It reads back use/alg of what the server made: a server that reports them (the documented
# one does not; test_use_and_algorithm_on_both_servers covers it).
@pytest.mark.report_use_alg
def test_generate_every_key_type_first_second_and_check_run(jwk, emulator):
    check = [jwk(check=True, **g) for g in GENERATED[:3]]  # the same path for every type
    assert all(r.changed for r in check) and writes(emulator) == []
    first = dict((g['name'], jwk(**g)) for g in GENERATED)
    second = [jwk(**g) for g in GENERATED]
    assert all(r.changed and not r.failed for r in first.values()), first
    assert not any(r.changed for r in second)

    # the key the server generated is what was asked for, read back from its material
    facts = dict((n, r.result['jwk']) for n, r in first.items())
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
    for name, fact in facts.items():
        assert fact['source_type'] == 'generate'
        assert fact['thumbprint'] and len(fact['thumbprint']) == 43
        public = fact['public_jwk'] or {}
        assert not set(public) & set(PRIVATE_MEMBERS), name
    assert set(stored(emulator)) == set(g['name'] for g in GENERATED)

    # writes: exactly one generate per key (second run and check mode wrote nothing)
    posts = writes(emulator)
    assert [r['method'] for r in posts] == ['POST'] * len(GENERATED)
    assert all(r['path'].endswith('/jwks/generate') for r in posts)
    # check run and second run one GET per key; first run GET, POST, GET per key
    # check run (nothing exists yet): the JWK list per key; first run: the list, the POST and the
    # read-back (Get JWK, which on this server shows use/alg); second run: the list, plus the public
    # key (the export; Get JWK for a symmetric key, which has no public form) when the task states a
    # fact the list lacks
    needs = sum(any(k in g for k in ('key_size', 'curve', 'use', 'algorithm')) for g in GENERATED)
    assert len(emulator.requests()) == 3 + 3 * len(GENERATED) + len(GENERATED) + needs

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

def test_jwk_source_dict_string_and_set(jwk, emulator):
    ec_key = emulator_keys.generate_key('EC', curve='P-256')
    ec_key.update(kid='partner-ec', use='sig', alg='ES256')
    rsa_key = emulator_keys.generate_key('RSA', size=2048)
    rsa_key.update(kid='partner-rsa')
    okp_key = emulator_keys.generate_key('OKP', curve='Ed25519')
    okp_key.update(kid='partner-okp')
    tasks = {
        'as dict': dict(name='j-dict', source='jwk', jwk=ec_key, description='from a dict'),
        'as string': dict(name='j-string', source='jwk', jwk=json.dumps(okp_key), algorithm='EdDSA'),
        'from set': dict(name='j-set', source='jwk', jwk=json.dumps({'keys': [ec_key, rsa_key]}), kid='partner-rsa',
                         use='signature', algorithm='PS256'),
    }
    check = dict((n, jwk(check=True, **o)) for n, o in tasks.items())
    assert all(r.changed for r in check.values())
    assert writes(emulator) == [] and stored(emulator) == {}

    emulator.clear_requests()
    first = dict((n, jwk(**o)) for n, o in tasks.items())
    assert all(r.changed and not r.failed for r in first.values())
    assert first['as dict'].result['jwk']['kid'] == 'partner-ec'
    assert first['from set'].result['jwk']['thumbprint'] == emulator_keys.thumbprint(rsa_key)

    # the create endpoint receives JOSE spelling and only the selected key
    bodies = dict((r['body']['name'], r['body']) for r in writes(emulator))
    assert bodies['j-set']['sourceType'] == 'COPY_PASTE'
    sent = json.loads(bodies['j-set']['jwkStr'])
    assert sent['kid'] == 'partner-rsa' and sent['alg'] == 'PS256' and sent['use'] == 'sig'
    assert json.loads(bodies['j-string']['jwkStr'])['alg'] == 'EdDSA'
    assert bodies['j-dict']['description'] == 'from a dict'
    assert stored(emulator)['j-set']['jwk']['n'] == rsa_key['n']

    emulator.clear_requests()
    second = [jwk(**o) for o in tasks.values()]
    assert not any(r.changed for r in second)
    # per task (each gives a private key): the JWK list, Get JWK (whether the server holds the
    # private part) and the export (the use/alg Get JWK has no place for): reads only
    assert methods(emulator) == ['GET'] * 9
    assert [p.rsplit('/', 2)[-2] for m, p in api_requests(emulator)][2::3] == ['export-file'] * 3

    # another key under the same name: a key material difference, refused by default
    other = emulator_keys.generate_key('EC', curve='P-256')
    other.update(kid='partner-ec', use='sig', alg='ES256')
    emulator.clear_requests()
    changed = jwk(**dict(tasks['as dict'], jwk=other))
    assert changed.failed
    assert 'thumbprint' in changed.msg and 'regenerate: when_different' in changed.msg
    assert writes(emulator) == []
    assert other['d'] not in changed.output and other['x'] not in changed.msg


# ---- sources kept by the server: url, certificate, keys, keystore ------------------------------

def sourced(url):
    return {
        'url': dict(name='s-url', source='url', url=url, kid='published-2', url_connect_timeout=2000),
        'certificate': dict(name='s-cert', source='certificate', certificate_name='demo-cert', environment='production',
                            use='signature', algorithm='RS256'),
        'public key': dict(name='s-pub', source='public_key', key_name='demo-rsa-public', environment='production',
                           use='encryption', algorithm='RSA-OAEP-256'),
        'private key': dict(name='s-priv', source='private_key', key_name='demo-ec-private', environment='staging',
                            use='signature', algorithm='ES256'),
        'keystore': dict(name='s-ks', source='keystore', keystore_name='demo-keystore', alias='demo',
                         environment='production', use='signature', algorithm='PS512'),
    }


def serve_jwks(emulator):
    one = emulator_keys.generate_key('EC', curve='P-256')
    two = emulator_keys.generate_key('RSA', size=2048)
    one.update(kid='published-1')
    two.update(kid='published-2', use='sig', alg='RS256')
    doc = {'keys': [dict((m, v) for m, v in k.items() if m not in PRIVATE_MEMBERS) for k in (one, two)]}
    return emulator.serve_static('jwks.json', doc), two


# It reads back use/alg of what the server made: a server that reports them (the documented
# one does not; test_use_and_algorithm_on_both_servers covers it).
@pytest.mark.report_use_alg
def test_sourced_jwks_check_first_second_and_request_bodies(jwk, emulator):
    url, published = serve_jwks(emulator)
    tasks = sourced(url)
    check = dict((n, jwk(check=True, **o)) for n, o in tasks.items())
    assert all(r.changed for r in check.values())
    assert writes(emulator) == [] and stored(emulator) == {}

    emulator.clear_requests()
    first = dict((n, jwk(**o)) for n, o in tasks.items())
    assert all(r.changed and not r.failed for r in first.values()), first
    jwks = stored(emulator)
    assert jwks['s-url']['sourceType'] == 'URL' and jwks['s-url']['jwk']['n'] == published['n']
    assert first['url'].result['jwk']['source_type'] == 'url'
    assert first['private key'].result['jwk']['curve'] == 'P-256'
    assert first['keystore'].result['jwk']['alg'] == 'PS512'

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
    second = [jwk(**o) for o in tasks.values()]
    assert not any(r.changed for r in second)
    # the JWK list per task; the four that state use and algorithm also read the public key
    assert len(emulator.requests()) == 9 and writes(emulator) == []

    emulator.clear_requests()
    check = [jwk(check=True, **o) for o in tasks.values()]
    assert not any(r.changed for r in check)
    assert writes(emulator) == []


# ---- diff ------------------------------------------------------------------------------------

def test_diff_shows_metadata_never_key_material(jwk, emulator):
    created = jwk(diff=True, name='diffed', key_type='EC', curve='P-384', description='first')
    updated = jwk(diff=True, name='diffed', key_type='EC', curve='P-384', description='second')
    diff = created.result['diff']
    assert diff['before'] == {}
    assert diff['after']['curve'] == 'P-384' and diff['after']['name'] == 'diffed'
    diff = updated.result['diff']
    assert (diff['before']['description'], diff['after']['description']) == ('first', 'second')
    assert diff['before']['thumbprint'] == diff['after']['thumbprint']
    material = stored(emulator)['diffed']['jwk']
    shown = json.dumps([created.result['diff'], updated.result['diff']])
    for member in ('d', 'x', 'y'):
        assert material[member] not in shown  # the diff names the key by thumbprint only
    assert material['d'] not in created.output + updated.output


# ---- description updates ---------------------------------------------------------------------

def test_description_update_in_place_and_detach_warning(jwk, emulator):
    url, unused = serve_jwks(emulator)

    def tasks(text):
        return [dict(name='d-gen', key_type='OKP', description=text),
                dict(name='d-url', source='url', url=url, kid='published-1', description=text)]

    for options in tasks('one'):
        jwk(**options)
    before = stored(emulator)
    emulator.clear_requests()

    # check mode: both would change, one GET each, nothing written, nothing detached
    check = [jwk(check=True, **o) for o in tasks('two')]
    assert [r.changed for r in check] == [True, True]
    assert methods(emulator) == ['GET', 'GET']
    assert stored(emulator) == before
    emulator.clear_requests()

    generated, from_url = [jwk(**o) for o in tasks('two')]
    assert generated.changed and from_url.changed
    assert [(m, p.split('/jwks/')[1]) for m, p in api_requests(emulator) if m != 'GET'] == [
        ('PUT', 'd-gen/'), ('PUT', 'd-url/')]
    assert [r['body'] for r in writes(emulator)] == [{'description': 'two'}] * 2
    assert generated.warnings == []
    assert any('detaches' in w for w in from_url.warnings)
    after = stored(emulator)
    assert after['d-url']['sourceType'] == 'COPY_PASTE'
    for name in ('d-gen', 'd-url'):
        assert after[name]['jwk'] == before[name]['jwk']  # same key, in place

    # the detached copy still matches the task that created it: no change, no regenerate failure
    emulator.clear_requests()
    again = [jwk(**o) for o in tasks('two')]
    assert not any(r.changed or r.failed for r in again)
    assert len(emulator.requests()) == 2


# ---- regenerate ------------------------------------------------------------------------------

def test_regenerate_modes(jwk, emulator):
    p384 = dict(name='r-ec', key_type='EC', curve='P-384')
    steps = [
        ('create', dict(name='r-ec', key_type='EC'), False),
        ('never', dict(p384, regenerate='never'), False),
        ('fail', p384, False),
        ('when_different in check mode', dict(p384, regenerate='when_different'), True),
        ('always in check mode', dict(p384, regenerate='always'), True),
        ('when_different', dict(p384, regenerate='when_different'), False),
        ('when_different again', dict(p384, regenerate='when_different'), False),
        ('always', dict(p384, regenerate='always'), False),
    ]
    run = dict((name, jwk(check=check, **options)) for name, options, check in steps)
    # The whole conversation, task by task: only the real when_different and always runs write.
    # (each run reads the JWK list; the key's public facts come from the export where the curve is
    # compared, and after a write from Get JWK plus the export for use/alg; regenerate=always
    # compares nothing; a replacement first reads which policies pin the JWK: the API proxy list,
    # empty here)
    assert methods(emulator) == (
        ['GET', 'POST', 'GET', 'GET']                    # create
        + ['GET', 'GET']                                 # never
        + ['GET', 'GET']                                 # fail
        + ['GET', 'GET', 'GET']                          # when_different in check mode
        + ['GET', 'GET']                                 # always in check mode
        + ['GET', 'GET', 'GET', 'DELETE', 'POST', 'GET', 'GET']  # when_different
        + ['GET', 'GET']                                 # when_different again
        + ['GET', 'GET', 'DELETE', 'POST', 'GET', 'GET'])  # always
    difference = 'curve: the server has P-256, the task asks for P-384'
    assert [name for name, unused, unused in steps if run[name].changed] == [
        'create', 'when_different in check mode', 'always in check mode', 'when_different', 'always']

    assert any(difference in w and 'regenerate is never' in w for w in run['never'].warnings)
    assert run['fail'].failed is True
    assert difference in run['fail'].msg and 'regenerate: when_different' in run['fail'].msg

    created = run['create'].result['jwk']
    for name in ('when_different in check mode', 'always in check mode'):
        assert run[name].result['actions'] == ['delete', 'create']
        assert run[name].result['jwk']['id'] == created['id']  # nothing was replaced
    assert run['when_different in check mode'].result['jwk']['thumbprint'] == created['thumbprint']

    replaced = run['when_different'].result['jwk']
    assert replaced['curve'] == 'P-384' and replaced['thumbprint'] != created['thumbprint']
    assert run['when_different again'].result['jwk']['thumbprint'] == replaced['thumbprint']
    renewed = run['always'].result['jwk']
    assert renewed['curve'] == 'P-384' and renewed['thumbprint'] != replaced['thumbprint']
    assert stored(emulator)['r-ec']['jwk']['crv'] == 'P-384'


# ---- absent ----------------------------------------------------------------------------------

def test_absent_deletes_once_then_is_one_request(jwk, emulator):
    runs = [jwk(name='gone'), jwk(check=True, name='gone', state='absent'), jwk(name='gone', state='absent')]
    assert [r.changed for r in runs] == [True, True, True]
    # create: the list, POST, Get JWK and the export (use/alg); check mode: the list and the API proxy
    # list (which policies pin it: none here); delete: the list, the API proxy list, DELETE
    assert methods(emulator) == ['GET', 'POST', 'GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'DELETE']
    assert sum(1 for r in api_requests(emulator) if r == ('GET', '/projects/demo/apiProxies/')) == 2
    assert 'gone' not in stored(emulator)

    emulator.clear_requests()
    again = jwk(name='gone', state='absent')
    assert again.changed is False
    assert api_requests(emulator) == [('GET', '/projects/demo/jwks/')]   # the list shows it is gone


# ---- connection and server errors --------------------------------------------------------------

def test_bad_token_is_a_clear_failure(run_module, emulator):
    run = run_module('apinizer_jwk', {'name': 'x'}, env={'APINIZER_TOKEN': 'stolen-or-expired-token'})
    assert run.failed and run.result['status'] == 401
    assert 'HTTP 401: Token is not valid!' in run.msg and 'GET /projects/demo/jwks/' in run.msg
    assert 'stolen-or-expired-token' not in run.output


def test_options_win_over_the_environment(run_module, emulator):
    run = run_module('apinizer_jwk', {'name': 'conn-options', 'apinizer_url': emulator.url,
                                      'apinizer_token': emulator.token, 'project': 'admin'},
                     env={'APINIZER_TOKEN': 'wrong-token', 'APINIZER_PROJECT': 'demo', 'APINIZER_URL': None})
    assert run.changed and not run.failed
    assert 'conn-options' in stored(emulator, 'admin')
    assert all(p.startswith('/projects/admin/') for unused, p in api_requests(emulator))


def test_unknown_project_surfaces_the_server_message(jwk, emulator):
    run = jwk(name='x', project='nope')
    assert run.failed
    assert 'Project (nope) is not found!' in run.msg and 'check project (APINIZER_PROJECT)' in run.msg
    assert run.result['status'] == 400 and run.result['error'] is None
    assert writes(emulator) == []


# ---- deployment, transient failures, lost answers --------------------------------------------

def test_partial_deployment_failure(jwk, emulator):
    emulator.configure(failing_environments=['staging'])
    strict = jwk(name='dep-strict')
    assert strict.failed is True and strict.changed is True
    assert 'staging' in strict.msg and 'did not answer' in strict.msg
    assert 'staging-worker-1' in strict.msg   # per pod, on the current server
    assert strict.result['failed_environments'] == ['staging']
    tolerant = jwk(name='dep-tolerant', fail_on_deploy_error=False)
    assert tolerant.failed is False and tolerant.changed is True
    assert any('staging' in w and 'fail_on_deploy_error is false' in w for w in tolerant.warnings)
    assert dict((d['environment'], d['success']) for d in tolerant.result['deployment']) == {
        'production': True, 'staging': False}
    assert set(stored(emulator)) == {'dep-strict', 'dep-tolerant'}


def test_transient_503_converges_with_a_retry_warning(jwk, emulator):
    emulator.add_fault(method='GET', path='/jwks/flaky/$', status=503, count=1)
    emulator.add_fault(method='DELETE', path='/jwks/flaky/$', status=503, count=1)
    runs = [jwk(name='flaky'), jwk(name='flaky', state='absent')]
    assert [r.changed for r in runs] == [True, True]
    for run in runs:
        assert any('1 transient failure was retried' in w for w in run.warnings), run
    assert 'flaky' not in stored(emulator)


@pytest.mark.parametrize('action', ['drop', 'status'])
def test_lost_post_answer_creates_exactly_one_jwk(jwk, emulator, action):
    emulator.add_fault(method='POST', path='/jwks/generate$', action=action, status=503, apply=True, count=1)
    run = jwk(name='once')
    assert run.changed is True and run.result['jwk']['name'] == 'once'
    posts = [r for r in emulator.requests() if r['method'] == 'POST']
    assert len(posts) == 1  # verified by a GET, never re-sent
    assert list(stored(emulator)) == ['once']
    assert 'already exist' not in run.output


# ---- facts a documented server does not report (issue 12 item 6) -----------------------------

NOT_REPORTED = 'The server does not report algorithm or use of JWK g-doc'


@pytest.mark.parametrize('mode', ['export-file', 'no export-file', 'older dialect, reported'])
def test_use_and_algorithm_on_three_servers(jwk, emulator, mode):
    # The Get JWK page has no place for use/alg: the export shows them (no private member crosses
    # the wire); without it they are unverified, unless a server reports them on Get JWK.
    if mode == 'no export-file':
        emulator.configure(export_file='absent')
    elif mode.startswith('older'):
        emulator.configure(dialect='legacy', report_use_alg=True)
    task = dict(name='g-doc', curve='P-256', use='signature', algorithm='ES256')
    created = jwk(**task)
    assert created.changed is True and created.warnings == []
    assert [r['method'] for r in writes(emulator)] == ['POST']
    emulator.clear_requests()
    again, preview = jwk(**task), jwk(check=True, **task)
    reads = {'export-file': ['/jwks/', '/jwks/g-doc/export-file/'],
             'no export-file': ['/jwks/', '/jwks/g-doc/export-file/', '/jwks/g-doc/'],   # asked once per run
             'older dialect, reported': ['/jwks/', '/jwks/g-doc/']}[mode]
    assert [p.split('/demo', 1)[1] for unused, p in api_requests(emulator)] == reads * 2
    for run in (again, preview):
        assert run.changed is False
        if mode == 'no export-file':
            # Never a silent ok: said once, and listed.
            assert len(run.warnings) == 1 and NOT_REPORTED in run.warnings[0]
            assert "algorithm 'ES256', use 'signature'" in run.warnings[0]
            assert run.result['unverified'] == ['algorithm', 'use']
        else:
            assert run.warnings == [] and 'unverified' not in run.result
            assert (run.result['jwk']['use'], run.result['jwk']['alg']) == ('signature', 'ES256')

    # Another use and algorithm on the same curve: a server that shows them lets the module see it.
    emulator.clear_requests()
    other = jwk(name='g-doc', curve='P-256', use='encryption', algorithm='ECDH-ES')
    if mode == 'no export-file':
        assert other.changed is False and not other.failed and other.result['unverified'] == ['algorithm', 'use']
        assert "algorithm 'ECDH-ES', use 'encryption'" in other.warnings[0]
    else:
        assert other.failed is True
        assert sorted(other.result['differences']) == [
            'alg: the server has ES256, the task asks for ECDH-ES',
            'use: the server has signature, the task asks for encryption']
    assert writes(emulator) == [] and len(emulator.requests()) == len(reads)
