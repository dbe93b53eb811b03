# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bad input fails before the first request, with a message naming the bad option.

Each case runs the module against the emulator in its own project (``bad-<case>``), so a request
in the emulator's log is traced back to the case that sent it; the log must stay empty. The
role's bad input is a playbook matter (argument_specs): tests/integration/robustness/test_bad_input.py.

No row needs a private key that is missing: no flow of the collection requires one.
apinizer_jwk with ``source: jwk`` imports public JWKs on purpose (the jwk_keypair flow keeps
the private half on the controller), and the role's ``local`` source generates its own key.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

EC_X = 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU'
EC_Y = 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0'
EC_JWK = {'kty': 'EC', 'crv': 'P-256', 'x': EC_X, 'y': EC_Y}
JWK_SET = {'keys': [dict(EC_JWK, kid='a'), dict(EC_JWK, kid='b')]}
JWK_SET_NO_KIDS = {'keys': [dict(EC_JWK), dict(EC_JWK, x=EC_Y, y=EC_X)]}

JWK = 'apinizer_jwk'
CRED = 'apinizer_credential_jwk'
INFO = 'apinizer_jwk_info'

# case id -> (module, options, words the message must contain (every one, case-insensitive))
MODULE_CASES = {
    # algorithm vs key type vs curve vs use
    'alg-vs-key-type': (JWK, dict(key_type='RSA', algorithm='ES256'), ['algorithm', 'allowed: PS256', 'RS256']),
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
    'rsa-size-1024': (JWK, dict(key_type='RSA', key_size=1024), ['key_size', 'allowed: 2048, 3072, 4096']),
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
    'jwk-malformed-json': (JWK, dict(source='jwk', jwk='{"kty": "EC", "crv": '), ['jwk', 'JSON']),
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
    'jwk-set-without-kid': (JWK, dict(source='jwk', jwk=JWK_SET), ['set kid to one of: a, b']),
    'jwk-set-keys-without-kids': (JWK, dict(source='jwk', jwk=JWK_SET_NO_KIDS), ['kid']),
    'jwk-set-empty': (JWK, dict(source='jwk', jwk={'keys': []}), ['jwk']),
    'jwk-set-unknown-kid': (JWK, dict(source='jwk', jwk=JWK_SET, kid='zz'), ['kid', 'zz', 'available: a, b']),
    'jwk-unknown-kid': (JWK, dict(source='jwk', jwk=dict(EC_JWK, kid='a'), kid='zz'), ['kid', 'zz']),
    # missing source options, for each source
    'jwk-source-without-jwk': (JWK, dict(source='jwk'), ['jwk']),
    'url-source-without-url': (JWK, dict(source='url'), ['url']),
    'url-source-bad-scheme': (JWK, dict(source='url', url='ftp://example.com/jwks.json'), ['url']),
    'url-timeout-negative': (JWK, dict(source='url', url='https://example.com/jwks.json', url_read_timeout=-5),
                             ['url_read_timeout']),
    'certificate-source-without-certificate': (JWK, dict(source='certificate', environment='production',
                                                         algorithm='RS256'), ['certificate_name']),
    'certificate-source-without-anything': (JWK, dict(source='certificate', use='signature'),
                                            ['certificate_name', 'environment', 'algorithm']),
    'keystore-source-without-use': (JWK, dict(source='keystore', keystore_name='demo-keystore', alias='demo',
                                              environment='production', algorithm='RS256'),
                                    ['use is required', 'signature, encryption']),
    'kid-for-certificate-source': (JWK, dict(source='certificate', certificate_name='demo-cert',
                                             environment='production', use='signature', algorithm='RS256',
                                             kid='my-kid'),
                                   ["kid does not apply to source 'certificate' (it applies to source: generate, jwk, url)"]),
    'url-for-generate-source': (JWK, dict(key_type='EC', url='https://example.com/jwks'), ['url']),
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
    'purpose-unknown': (CRED, dict(username='api-user', purpose='signing', jwk_name='seed-ec'),
                        ['purpose', 'validation, encryption']),
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


@pytest.mark.parametrize('case', sorted(MODULE_CASES))
def test_module_bad_input_fails_before_any_request(run_module, emu, case):
    module, options, words = MODULE_CASES[case]
    args = dict(options)
    if module == JWK:
        args.setdefault('name', 'bad-input')
    args.setdefault('project', 'bad-' + case)
    run = run_module(module, args)
    assert run.failed, run
    missing = [w for w in words if w.lower() not in run.msg.lower()]
    assert not missing, 'the message does not name %s: %s' % (', '.join(missing), run.msg)
    # The log is EMPTY: bad input never reaches the server.
    assert emu.requests() == []


def test_bad_input_messages_never_echo_key_material(run_module, emu):
    """A rejected JWK is named by its problem, never printed: its members stay out of the output."""
    secret_d = 'jb2Nq0f7mmr1oXRdSb8b4IJD_lfCe0dUVLsUe23QjIk'
    cases = {
        'jwk-private-bad-x': dict(EC_JWK, x=EC_X[:20], d=secret_d),
        'jwk-private-set-without-kid': {'keys': [dict(EC_JWK, d=secret_d, kid='a'), dict(EC_JWK, kid='b')]},
        'jwk-private-malformed': '{"kty": "EC", "d": "%s", ' % secret_d,
    }
    for case, value in cases.items():
        run = run_module(JWK, {'name': 'bad-input', 'project': 'bad-' + case, 'source': 'jwk', 'jwk': value},
                         diff=True)
        assert run.failed, case
        assert 'jwk' in run.msg, run
        assert secret_d not in run.output, case
    assert emu.requests() == []
