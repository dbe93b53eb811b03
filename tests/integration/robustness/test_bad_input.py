# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bad input fails before the first request, with a message naming the bad option.

Each table row is one task of one playbook run (``ignore_errors``/``rescue`` keep the play
going), so the whole table costs two ansible-playbook runs. Every case talks to its own
project (``bad-<case>``), so a request in the emulator log is traced back to the case that
sent it; the log must stay empty.

No row needs a private key that is missing: no flow of the collection requires one.
apinizer_jwk with ``source: jwk`` imports public JWKs on purpose (the jwk_keypair flow keeps
the private half on the controller), and the role's ``local`` source generates its own key.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re

import pytest

from robustness_lib import role_task

pytestmark = [pytest.mark.slow, pytest.mark.robustness]

EC_X = 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU'
EC_Y = 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0'
EC_JWK = {'kty': 'EC', 'crv': 'P-256', 'x': EC_X, 'y': EC_Y}
JWK_SET = {'keys': [dict(EC_JWK, kid='a'), dict(EC_JWK, kid='b')]}
JWK_SET_NO_KIDS = {'keys': [dict(EC_JWK), dict(EC_JWK, x=EC_Y, y=EC_X)]}

JWK = 'apinizer.apiops.apinizer_jwk'
CRED = 'apinizer.apiops.apinizer_credential_jwk'
INFO = 'apinizer.apiops.apinizer_jwk_info'

# case id -> (module, options, words the message must contain (every one, case-insensitive))
MODULE_CASES = {
    # algorithm vs key type vs curve vs use
    'alg-vs-key-type': (JWK, dict(key_type='RSA', algorithm='ES256'), ['algorithm']),
    'alg-vs-curve': (JWK, dict(key_type='EC', curve='P-384', algorithm='ES256'), ['algorithm']),
    'alg-vs-use': (JWK, dict(key_type='RSA', use='encryption', algorithm='RS256'), ['algorithm']),
    'alg-oct-wrap-vs-size': (JWK, dict(key_type='OCT', key_size=128, use='encryption', algorithm='A256KW'),
                             ['algorithm']),
    'alg-unknown': (JWK, dict(key_type='EC', algorithm='XS256'), ['algorithm']),
    'curve-vs-key-type': (JWK, dict(key_type='EC', curve='Ed25519'), ['curve']),
    'curve-vs-use': (JWK, dict(key_type='OKP', curve='X25519', use='signature'), ['curve']),
    'curve-for-rsa': (JWK, dict(key_type='RSA', curve='P-256'), ['curve']),
    'curve-for-oct': (JWK, dict(key_type='OCT', curve='P-256'), ['curve']),
    'curve-unknown': (JWK, dict(key_type='EC', curve='P-192'), ['curve']),
    'key-type-unknown': (JWK, dict(key_type='DSA'), ['key_type']),
    'use-unknown': (JWK, dict(key_type='EC', use='signing'), ['use']),
    # sizes
    'rsa-size-1024': (JWK, dict(key_type='RSA', key_size=1024), ['key_size']),
    'rsa-size-odd': (JWK, dict(key_type='RSA', key_size=2049), ['key_size']),
    'oct-size-512': (JWK, dict(key_type='OCT', key_size=512), ['key_size']),
    'size-for-ec': (JWK, dict(key_type='EC', key_size=2048), ['key_size']),
    'size-for-okp': (JWK, dict(key_type='OKP', key_size=256), ['key_size']),
    'size-not-int': (JWK, dict(key_type='RSA', key_size='big'), ['key_size']),
    # generate extras
    'kid-type-unknown': (JWK, dict(kid_type='uuid'), ['kid_type']),
    'not-before-not-a-date': (JWK, dict(not_before='tomorrow'), ['not_before']),
    'expiration-before-not-before': (JWK, dict(not_before='2030-01-02T00:00:00Z', expiration='2030-01-01T00:00:00Z'),
                                     ['expiration']),
    'salt-for-ec': (JWK, dict(key_type='EC', password_salt_length=8), ['password_salt_length']),
    # JWK documents
    'jwk-malformed-json': (JWK, dict(source='jwk', jwk='{"kty": "EC", "crv": '), ['jwk', 'json']),
    'jwk-not-an-object': (JWK, dict(source='jwk', jwk='[1, 2]'), ['jwk']),
    'jwk-empty-string': (JWK, dict(source='jwk', jwk=' '), ['jwk']),
    'jwk-kty-unknown': (JWK, dict(source='jwk', jwk={'kty': 'DSA', 'x': EC_X}), ['jwk', 'kty']),
    'jwk-missing-members': (JWK, dict(source='jwk', jwk={'kty': 'EC', 'crv': 'P-256'}), ['jwk', 'x']),
    'jwk-short-coordinate': (JWK, dict(source='jwk', jwk=dict(EC_JWK, x=EC_X[:20])), ['jwk', 'x']),
    'jwk-not-base64url': (JWK, dict(source='jwk', jwk=dict(EC_JWK, x='not base64!')), ['jwk', 'x']),
    'jwk-use-vs-option': (JWK, dict(source='jwk', jwk=dict(EC_JWK, use='sig'), use='encryption'), ['use']),
    'jwk-alg-vs-option': (JWK, dict(source='jwk', jwk=dict(EC_JWK, alg='ES256'), algorithm='ES384'),
                          ['algorithm']),
    'jwk-alg-vs-key': (JWK, dict(source='jwk', jwk=EC_JWK, algorithm='RS256'), ['algorithm']),
    'jwk-set-without-kid': (JWK, dict(source='jwk', jwk=JWK_SET), ['kid']),
    'jwk-set-keys-without-kids': (JWK, dict(source='jwk', jwk=JWK_SET_NO_KIDS), ['kid']),
    'jwk-set-empty': (JWK, dict(source='jwk', jwk={'keys': []}), ['jwk']),
    'jwk-set-unknown-kid': (JWK, dict(source='jwk', jwk=JWK_SET, kid='zz'), ['kid', 'zz']),
    'jwk-unknown-kid': (JWK, dict(source='jwk', jwk=dict(EC_JWK, kid='a'), kid='zz'), ['kid', 'zz']),
    # missing source options, for each source
    'jwk-source-without-jwk': (JWK, dict(source='jwk'), ['jwk']),
    'url-source-without-url': (JWK, dict(source='url'), ['url']),
    'url-source-bad-scheme': (JWK, dict(source='url', url='ftp://example.com/jwks.json'), ['url']),
    'url-timeout-negative': (JWK, dict(source='url', url='https://example.com/jwks.json', url_read_timeout=-5),
                             ['url_read_timeout']),
    'certificate-source-without-certificate': (JWK, dict(source='certificate', environment='production',
                                                         algorithm='RS256'), ['certificate_name']),
    'certificate-source-without-environment': (JWK, dict(source='certificate', certificate_name='demo-cert',
                                                         algorithm='RS256'), ['environment']),
    'certificate-source-without-algorithm': (JWK, dict(source='certificate', certificate_name='demo-cert',
                                                       environment='production'), ['algorithm']),
    'public-key-source-without-key': (JWK, dict(source='public_key', environment='production', algorithm='RS256'),
                                      ['key_name']),
    'private-key-source-without-key': (JWK, dict(source='private_key', environment='production', algorithm='RS256'),
                                       ['key_name']),
    'keystore-source-without-keystore': (JWK, dict(source='keystore', alias='demo', environment='production',
                                                   algorithm='RS256'), ['keystore_name']),
    'keystore-source-without-alias': (JWK, dict(source='keystore', keystore_name='demo-keystore',
                                                environment='production', algorithm='RS256'), ['alias']),
    'option-of-another-source': (JWK, dict(source='url', url='https://example.com/jwks.json', key_type='EC'),
                                 ['key_type']),
    'source-unknown': (JWK, dict(source='vault'), ['source']),
    'state-unknown': (JWK, dict(state='gone'), ['state']),
    'regenerate-unknown': (JWK, dict(regenerate='sometimes'), ['regenerate']),
    'name-empty': (JWK, dict(name=' '), ['name']),
    # names that cannot be one path segment (issue 11): '.', '..' and spaces never reach the wire
    'name-dot': (JWK, dict(name='.', state='absent'), ['name', "'.' or '..'"]),
    'name-dot-dot': (JWK, dict(name='..'), ['name', "'.' or '..'"]),
    'name-with-space': (JWK, dict(name='my key'), ['name', 'space']),
    'kid-empty': (JWK, dict(source='jwk', jwk={'kty': 'oct', 'k': 'AAAAAAAAAAAAAAAAAAAAAA'}, kid=''), ['kid']),
    'project-dot-dot': (INFO, dict(project='..'), ['project', "'.' or '..'"]),
    'info-names-dot': (INFO, dict(names=['seed-ec', '.']), ['names', "'.' or '..'"]),
    'jwk-name-dot-dot': (CRED, dict(username='api-user', purpose='validation', jwk_name='..'), ['jwk_name']),
    'username-with-space': (CRED, dict(username='api user', purpose='validation', state='absent'), ['username', 'space']),
    'url-with-userinfo': (INFO, dict(apinizer_url='http://admin:url-secret-0123456789@127.0.0.1:1'),
                          ['apinizer_url', 'user name or password']),
    # credentials
    'purpose-unknown': (CRED, dict(username='api-user', purpose='signing', jwk_name='seed-ec'), ['purpose']),
    'purpose-missing': (CRED, dict(username='api-user', jwk_name='seed-ec'), ['purpose']),
    'assign-without-jwk-name': (CRED, dict(username='api-user', purpose='validation'), ['jwk_name']),
    'assign-without-username': (CRED, dict(purpose='validation', jwk_name='seed-ec'), ['username']),
    # info
    'info-name-and-names': (INFO, dict(name='a', names=['b']), ['name', 'names']),
    # connection options
    'timeout-zero': (INFO, dict(timeout=0), ['timeout']),
    'retries-negative': (INFO, dict(retries=-1), ['retries']),
    'url-not-http': (INFO, dict(apinizer_url='ftp://127.0.0.1:1'), ['apinizer_url']),
    'token-and-username': (INFO, dict(apinizer_token='bad-input-token-0123456789', apinizer_username='bad-input-user',
                                               apinizer_password='bad-input-password-0123456789'),
                           ['apinizer_token', 'apinizer_username']),
    'username-without-password': (INFO, dict(apinizer_username='bad-input-user'), ['apinizer_password']),
    'ca-path-missing': (INFO, dict(ca_path='/nonexistent/ca.pem'), ['ca_path']),
}

# case id -> (role variables, words the message must contain)
ROLE_CASES = {
    'max-age-bad-unit': (dict(jwk_rotation_max_age='90x'), ['jwk_rotation_max_age']),
    'max-age-empty': (dict(jwk_rotation_max_age=''), ['jwk_rotation_max_age']),
    'max-age-negative': (dict(jwk_rotation_max_age='-1d'), ['jwk_rotation_max_age']),
    'max-age-no-unit': (dict(jwk_rotation_max_age='90'), ['jwk_rotation_max_age']),
    'max-age-list': (dict(jwk_rotation_max_age=['90d']), ['jwk_rotation_max_age']),
    'keep-not-int': (dict(jwk_rotation_keep='some'), ['jwk_rotation_keep']),
    'keep-negative': (dict(jwk_rotation_keep=-1), ['jwk_rotation_keep']),
    'force-not-bool': (dict(jwk_rotation_force='maybe'), ['jwk_rotation_force']),
    'credentials-not-list-of-dicts': (dict(jwk_rotation_credentials='api-user'), ['jwk_rotation_credentials']),
    'credential-without-username': (dict(jwk_rotation_credentials=[{'purpose': 'validation'}]), ['username']),
    'credential-bad-purpose': (dict(jwk_rotation_credentials=[{'username': 'api-user', 'purpose': 'signing'}]),
                               ['purpose']),
    'key-type-oct': (dict(jwk_rotation_key_type='OCT'), ['jwk_rotation_key_type']),
    'key-size-1024': (dict(jwk_rotation_key_type='RSA', jwk_rotation_key_size=1024), ['jwk_rotation_key_size']),
    'curve-vs-key-type': (dict(jwk_rotation_key_type='OKP', jwk_rotation_curve='P-384'), ['jwk_rotation_curve']),
    'curve-unknown': (dict(jwk_rotation_curve='P-192'), ['jwk_rotation_curve']),
    'use-unknown': (dict(jwk_rotation_use='signing'), ['jwk_rotation_use']),
    'source-unknown': (dict(jwk_rotation_source='vault'), ['jwk_rotation_source']),
    'local-without-private-key-path': (dict(jwk_rotation_source='local'), ['jwk_rotation_private_key_path']),
    'private-key-format-unknown': (dict(jwk_rotation_private_key_format='der'), ['jwk_rotation_private_key_format']),
    'name-missing': (dict(jwk_rotation_name=None), ['jwk_rotation_name']),
    # The algorithm must fit key type, curve and use exactly as in apinizer_jwk.
    'algorithm-vs-key-type': (dict(jwk_rotation_algorithm='RS256'), ['jwk_rotation_algorithm']),
    'algorithm-vs-use': (dict(jwk_rotation_use='encryption', jwk_rotation_algorithm='ES256'),
                         ['jwk_rotation_algorithm']),
}


def _project(case):
    return 'bad-' + case


def _module_task(case):
    module, options, _words = MODULE_CASES[case]
    args = dict(options)
    if module == JWK:
        args.setdefault('name', 'bad-input')
    args.setdefault('project', _project(case))
    return {'name': case, module: args, 'ignore_errors': True}


def _role_case(case):
    variables = dict(jwk_rotation_name='bad-input', jwk_rotation_apinizer_project=_project(case))
    variables.update(ROLE_CASES[case][0])
    variables = dict((k, v) for k, v in variables.items() if v is not None)
    return {'name': 'case ' + case, 'block': [role_task('rotate ' + case, **variables)],
            'rescue': [{'name': case, 'ansible.builtin.debug': {'msg': '{{ ansible_failed_result.msg }}'}}]}


def _check(run, emu, cases, outcome):
    log = emu.requests()
    problems = []
    for case, words in cases.items():
        sent = [(r['method'], r['path']) for r in log if '/projects/%s/' % _project(case) in r['path']]
        if sent:
            problems.append('%s: sent %d request(s) before failing: %r' % (case, len(sent), sent[:3]))
        try:
            failed, msg = outcome(run, case)
        except KeyError:
            problems.append('%s: no result (the case did not run)' % case)
            continue
        if not failed:
            problems.append('%s: did not fail' % case)
            continue
        missing = [w for w in words if w.lower() not in msg.lower()]
        if missing:
            problems.append('%s: message does not name %s: %s' % (case, ', '.join(missing), msg))
    stray = [(r['method'], r['path']) for r in log]
    if stray and not problems:
        problems.append('requests in the log: %r' % stray)
    assert not problems, '%d of %d cases wrong:\n%s' % (len(problems), len(cases), '\n'.join(problems))
    # The log is EMPTY: bad input never reaches the server.
    assert log == []


def _module_outcome(run, case):
    result = run.task(case)
    return result['failed'], result['result'].get('msg') or ''


def _role_outcome(run, case):
    # The rescue task runs only when the role failed; its message is the failure's message.
    try:
        result = run.task(case)
    except KeyError:
        run.task('rotate ' + case)  # raises KeyError too when the case did not run at all
        return False, ''
    return True, result['result'].get('msg') or ''


def _play(tasks):
    return json.dumps([{'name': 'bad input', 'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}]) + '\n'


@pytest.mark.parametrize('half', [0, 1], ids=['first-half', 'second-half'])
def test_module_bad_input_fails_before_any_request(run_playbook, emu, half):
    # Two halves of the table, so that pytest -n 2 runs them side by side.
    cases = sorted(MODULE_CASES)[half::2]
    run = run_playbook(_play([_module_task(c) for c in cases]))
    _check(run, emu, dict((c, MODULE_CASES[c][2]) for c in cases), _module_outcome)


def test_role_bad_input_fails_before_any_request(run_playbook, emu):
    run = run_playbook(_play([_role_case(c) for c in ROLE_CASES]))
    _check(run, emu, dict((c, w) for c, (_v, w) in ROLE_CASES.items()), _role_outcome)


def test_bad_input_messages_never_echo_key_material(run_playbook, emu):
    """A rejected JWK is named by its problem, never printed: its members stay out of the output."""
    secret_d = 'jb2Nq0f7mmr1oXRdSb8b4IJD_lfCe0dUVLsUe23QjIk'
    cases = {
        'jwk-private-bad-x': dict(EC_JWK, x=EC_X[:20], d=secret_d),
        'jwk-private-set-without-kid': {'keys': [dict(EC_JWK, d=secret_d, kid='a'), dict(EC_JWK, kid='b')]},
        'jwk-private-malformed': '{"kty": "EC", "d": "%s", ' % secret_d,
    }
    tasks = [{'name': c, JWK: {'name': 'bad-input', 'project': _project(c), 'source': 'jwk', 'jwk': v},
              'ignore_errors': True} for c, v in cases.items()]
    run = run_playbook(_play(tasks), verbosity=3, diff=True)
    for case in cases:
        assert run.task(case)['failed'], case
    assert secret_d not in run.output
    assert emu.requests() == []
    assert re.search(r'jwk', run.task('jwk-private-bad-x')['result']['msg'])
