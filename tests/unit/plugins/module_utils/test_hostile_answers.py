# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 11: every rule about untrusted answers, one test (or table) each, with a fake HTTP session."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.apinizer.apiops.tests.unit.compat.ansible_core import patch_module_args

from ansible_collections.apinizer.apiops.plugins.module_utils.answers import MAX_BODY, Answer, read_answer
from ansible_collections.apinizer.apiops.plugins.module_utils.apinizer_module import warn_retries
from ansible_collections.apinizer.apiops.plugins.module_utils.client import ApinizerClient
from ansible_collections.apinizer.apiops.plugins.module_utils.connection import (
    CONNECTION_MUTUALLY_EXCLUSIVE,
    CONNECTION_REQUIRED_TOGETHER,
    connection_argument_spec,
    plain_http_to_remote,
    url_problem,
)
from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError, UnexpectedAnswer
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_validation import jwk_problems
from ansible_collections.apinizer.apiops.plugins.module_utils.masking import MASK, mask_text, request_secrets
from ansible_collections.apinizer.apiops.plugins.module_utils.names import name_option_problems, name_problem

from ansible_collections.apinizer.apiops.tests.unit.plugins.module_utils.test_client import TOKEN, FakeResponse, api_error, deployed, make_client, ok

D = 'pQk0vTnq1oXRdSb8b4IJD_lfCe0dUVLsUe23QjIkjb2Nq0f7mmr1oXRdSb8b4IJD_lfCe0dUVLsUe23QjIkAbCdEfGhIjKlMnOpQrStUvWxYz0123456789'
LONG_TOKEN = 'tok-0123456789abcdefghijklmnopqrstuvwxyz'


def echo_deployment(text):
    return ok({'success': True, 'deploymentResult': {
        'success': True, 'message': text,
        'environmentResults': [{'environmentName': 'production', 'success': True, 'message': text}]}})


# ---- redirects ---------------------------------------------------------------------------------

@pytest.mark.parametrize('status', [301, 302, 303, 307, 308])
@pytest.mark.parametrize('call', ['get', 'create', 'exchange'])
def test_a_redirect_is_never_followed_and_names_status_scheme_and_host(status, call):
    location = 'http://user:hunter2-secret@evil.example:8080/steal?x=1'
    redirect = FakeResponse(status, headers={'Location': location})
    if call == 'exchange':
        client = make_client(redirect, token=None, username='admin', password='pw-long-secret-1')
        run = client.list_jwks
        line = 'POST /auth/token'
    else:
        client = make_client(redirect)
        run = (lambda: client.get_jwk('k')) if call == 'get' else (lambda: client.create_jwk({'name': 'k'}, landed=lambda: False))
        line = 'GET /projects/demo/jwks/k/' if call == 'get' else 'POST /projects/demo/jwks/'
    with pytest.raises(UnexpectedAnswer) as info:
        run()
    text = str(info.value)
    assert text == ('unexpected answer from %s: HTTP %d redirect to http://evil.example:8080; redirects are '
                    'never followed, nothing was sent there' % (line, status))
    assert 'hunter2' not in text and 'user' not in text
    assert len(client.session.calls) == 1  # nothing re-sent anywhere, not retried
    assert client.session.calls[0]['allow_redirects'] is False


# ---- answer shapes -----------------------------------------------------------------------------

@pytest.mark.parametrize('body, detail', [
    ({'success': False}, 'HTTP 200 with success false'),
    ({'success': False, 'error': 'internal_error', 'error_description': 'boom'},
     'HTTP 200 with success false: boom'),
    ({'success': 'false', 'resultList': []}, 'HTTP 200 with success "false"'),
    ({'status': 'FAILURE', 'resultMessage': 'User does not have required permission for this operation!'},
     'HTTP 200 with status "FAILURE": User does not have required permission for this operation!'),
    ({'status': 'PARTIAL', 'resultList': []}, 'HTTP 200 with status "PARTIAL"'),
])
@pytest.mark.parametrize('call, line', [
    (lambda c: c.list_jwks(), 'GET /projects/demo/jwks/'),
    (lambda c: c.delete_jwk('k'), 'DELETE /projects/demo/jwks/k/'),
    (lambda c: c.assign_credential_jwk('u', 'validation', 'k'), 'PUT /projects/demo/credentials/u/jwk/validation/k/'),
])
def test_success_false_in_a_200_is_an_unexpected_answer(body, detail, call, line):
    client = make_client(ok(body))
    with pytest.raises(UnexpectedAnswer) as info:
        call(client)
    assert str(info.value) == 'unexpected answer from %s: %s' % (line, detail)


@pytest.mark.parametrize('body, detail', [
    ({'success': True}, 'no resultList list in the answer'),
    ({'success': True, 'resultList': {'name': 'k'}}, 'resultList is a dict, not a list'),
    ({'success': True, 'resultList': None}, 'no resultList list in the answer'),
    ({'success': True, 'resultList': ['k', 'j']}, 'resultList[0] is a str, not an object'),
    ({'status': 'SUCCESS', 'resultList': [{'name': 'k'}], 'resultCount': 2},
     'resultCount 2 does not match the 1 item(s) of resultList'),
    ({'status': 'SUCCESS', 'resultList': [], 'resultCount': '0'},
     'resultCount "0" does not match the 0 item(s) of resultList'),
    ([], 'HTTP 200 with a JSON list, not an object'),
])
@pytest.mark.parametrize('method', ['list_jwks', 'list_credentials', 'get_jwk'])
def test_a_list_or_get_without_a_list_of_objects_is_never_read_as_empty(body, detail, method):
    client = make_client(ok(body))
    args = ('k',) if method == 'get_jwk' else ()
    with pytest.raises(UnexpectedAnswer, match='^unexpected answer from GET /projects/demo/') as info:
        getattr(client, method)(*args)
    assert str(info.value).endswith(': ' + detail)


def test_a_get_answered_with_another_jwk_fails():
    client = make_client(ok({'success': True, 'resultList': [{'name': 'k-other'}]}))
    with pytest.raises(UnexpectedAnswer) as info:
        client.get_jwk('k')
    assert str(info.value) == "unexpected answer from GET /projects/demo/jwks/k/: asked for 'k', got an item named 'k-other'"


def test_a_get_answered_with_an_empty_list_fails():
    client = make_client(ok({'success': True, 'resultList': []}))
    with pytest.raises(UnexpectedAnswer, match='an empty resultList'):
        client.get_jwk('k')


# ---- "not found" is never guessed ---------------------------------------------------------------

@pytest.mark.parametrize('status, description', [
    (404, 'Project(nope) was not found or user does not have privilege to access it!'),
    (400, 'Project not found for name: (nope)'),
    (404, "Project 'nope' not found"),
    (404, 'Not Found'),
    (400, 'JWK (name: other) is not found!'),
    (400, 'Credential (username: k) was not found!'),
])
@pytest.mark.parametrize('call', ['get', 'delete'])
def test_only_this_jwk_not_found_is_missing(status, description, call):
    client = make_client(api_error(status, 'not_found', description))
    with pytest.raises(ApinizerError) as info:
        client.get_jwk('k') if call == 'get' else client.delete_jwk('k')
    assert description in str(info.value)


@pytest.mark.parametrize('description', ['Project not found for name: (nope)', "Project 'nope' not found",
                                         'Project(nope) was not found or user does not have privilege to access it!'])
def test_each_documented_project_not_found_spelling_is_recognised(description):
    assert ApinizerError(status=404 if 'Project(' in description else 400,
                         error_description=description).is_project_not_found()


# ---- masking -----------------------------------------------------------------------------------

def test_a_truncated_echo_of_a_private_member_is_masked_in_every_deployment_message():
    body = {'name': 'k', 'sourceType': 'COPY_PASTE', 'jwkStr': json.dumps({'kty': 'EC', 'd': D})}
    echo = 'POST /apiops/projects/demo/jwks/: d=%s, access_token=%s' % (D[:100], TOKEN[:9])
    client = make_client(echo_deployment(echo))
    deployment = client.create_jwk(body, landed=lambda: False)
    for entry in deployment:
        assert D[:16] not in entry['message'] and MASK in entry['message']


def test_fragments_of_16_characters_are_masked_and_shorter_ones_are_not():
    secrets = request_secrets({'d': D})
    assert mask_text('x%sy' % D[10:26], secrets) == 'x%sy' % MASK
    assert mask_text('x%sy' % D[10:25], secrets) == 'x%sy' % D[10:25]
    assert mask_text('%s and %s' % (D[:40], D[50:90]), secrets) == '%s and %s' % (MASK, MASK)


def test_a_json_escaped_fragment_of_a_password_is_masked():
    password = 'pw"with\\quotes/and-more-than-sixteen'
    secrets = request_secrets(form={'client_secret': password})
    escaped = json.dumps(password)[1:-1]
    assert mask_text('echo: %s' % escaped[:30], secrets) == 'echo: %s' % MASK


def test_a_long_token_fragment_is_masked_in_error_text():
    client = make_client(api_error(500, 'internal_error', 'Authorization: Bearer %s' % LONG_TOKEN[:20]),
                         token=LONG_TOKEN)
    with pytest.raises(ApinizerError) as info:
        client.list_jwks()
    assert LONG_TOKEN[:16] not in str(info.value)


def test_a_read_answer_keeps_its_key_material_unmasked():
    # The items of a read are data the modules compare; masking applies to server text around them.
    item = {'name': 'k', 'ec': {'kty': 'EC', 'd': D}}
    client = make_client(ok({'success': True, 'resultList': [item], 'message': 'echo %s' % LONG_TOKEN[:20]}),
                         token=LONG_TOKEN)
    client.add_secrets([D])
    assert client.get_jwk('k') == item


# ---- names -------------------------------------------------------------------------------------

@pytest.mark.parametrize('value, problem', [
    ('', 'must not be empty or only whitespace'),
    ('   ', 'must not be empty or only whitespace'),
    ('.', "must not be '.' or '..'"),
    ('..', "must not be '.' or '..'"),
    ('a b', 'must not contain a space'),
    ('k', None), ('a.b', None), ('...', None), ('a/b?c#d%e', None),
])
def test_name_problem(value, problem):
    found = name_problem(value)
    assert (found is None) if problem is None else found.startswith(problem)


def test_name_option_problems_name_each_option_and_list_element():
    problems = name_option_problems(dict(name='..', names=['ok', ' '], username='a b', jwk_name='.', project='p'))
    assert [p.split(' ')[0] for p in problems] == ['name', 'names', 'username', 'jwk_name']


def test_the_client_refuses_a_dot_segment_before_any_request():
    client = make_client()
    with pytest.raises(ValueError, match="must not be '.' or '..'"):
        client.delete_jwk('.')
    assert client.session.calls == []


def test_other_characters_stay_one_percent_encoded_segment():
    client = make_client(deployed())
    client.delete_jwk('a/../b%2F?#')
    assert client.session.lines() == ['DELETE /apiops/projects/demo/jwks/a%2F..%2Fb%252F%3F%23/']


@pytest.mark.parametrize('kid', ['', '  '])
def test_an_empty_kid_fails_naming_the_option(kid):
    problems = jwk_problems(dict(name='k', source='jwk', jwk='{"kty": "oct", "k": "AAAA"}', kid=kid))
    assert ('kid', 'kid must not be empty or only whitespace (leave it out to let the server choose)') in problems


# ---- bounded answers ---------------------------------------------------------------------------

class _Dripping(object):
    """A body read one byte per read on a clock that advances ``step`` seconds per read."""

    def __init__(self, size, clock, step):
        self.left, self.clock, self.step = size, clock, step

    def read1(self, amt=-1, decode_content=True):
        self.clock[0] += self.step
        if not self.left:
            return b''
        self.left -= 1
        return b' '


class _Streamed(object):
    def __init__(self, raw, status=200):
        self.raw, self.status_code, self.headers, self.reason = raw, status, {}, 'OK'
        self.closed = False

    def close(self):
        self.closed = True


def test_a_dripping_body_is_cut_off_at_the_deadline():
    now = [0.0]
    resp = _Streamed(_Dripping(1000, now, 1.5))
    with pytest.raises(TimeoutError):
        read_answer(resp, 'GET', '/x/', deadline=3.0, clock=lambda: now[0])
    assert now[0] <= 4.5 and resp.closed


def test_a_body_over_16_mib_is_refused():
    class Big(object):
        def read1(self, amt=-1, decode_content=True):
            return b'x' * amt

    resp = _Streamed(Big())
    with pytest.raises(UnexpectedAnswer, match='larger than %d bytes' % MAX_BODY):
        read_answer(resp, 'GET', '/x/', deadline=float('inf'))
    assert resp.closed


def test_a_declared_length_over_16_mib_is_refused_before_reading():
    class Unread(object):
        def read1(self, amt=-1, decode_content=True):
            raise AssertionError('read although the declared length is too large')

    resp = _Streamed(Unread())
    resp.headers = {'Content-Length': str(MAX_BODY + 1)}
    with pytest.raises(UnexpectedAnswer, match='larger than'):
        read_answer(resp, 'GET', '/x/', deadline=float('inf'))
    assert resp.closed


def test_a_deadline_timeout_is_a_transient_timeout_for_the_client():
    client = make_client(TimeoutError('the answer was not complete within the timeout'), ok({'resultList': []}), timeout=3)
    assert client.list_jwks() == []
    assert client.retries_used == 1


def test_a_whole_answer_is_read():
    answer = read_answer(FakeResponse(200, {'success': True}), 'GET', '/x/', deadline=float('inf'))
    assert isinstance(answer, Answer) and answer.json() == {'success': True}


# ---- transport ---------------------------------------------------------------------------------

@pytest.mark.parametrize('url', ['https://admin:s3cr3t-pass@mgr.example.com', 'http://tok3n@mgr.example.com:8080/'])
def test_a_url_with_userinfo_fails_without_repeating_it(url):
    problem = url_problem(url)
    assert problem.startswith('apinizer_url must not carry a user name or password')
    assert 's3cr3t' not in problem and 'tok3n' not in problem and 'admin' not in problem
    with pytest.raises(ValueError) as info:
        make_client(url=url)
    assert 's3cr3t' not in str(info.value) and 'tok3n' not in str(info.value)


@pytest.mark.parametrize('url, expected', [
    ('http://mgr.example.com', True), ('http://10.0.0.5:8080', True),
    ('http://127.0.0.1:8080', False), ('http://127.5.0.1', False), ('http://localhost:1', False),
    ('http://[::1]:8080', False), ('https://mgr.example.com', False),
])
def test_plain_http_to_a_remote_host(url, expected):
    assert plain_http_to_remote(url) is expected


# ---- lost answers ------------------------------------------------------------------------------

class _Module(object):
    def __init__(self):
        self.warnings = []

    def warn(self, text):
        self.warnings.append(text)


def test_a_post_whose_answer_was_lost_but_landed_warns_that_the_deployment_is_unknown():
    client = make_client(FakeResponse(503), retries=0)
    assert client.create_jwk({'name': 'k'}, landed=lambda: True) == []
    module = _Module()
    warn_retries(module, client)
    assert module.warnings == ['The answer to POST /projects/demo/jwks/ was lost; the write landed (read back), but '
                               'its deployment result is unknown: check the environments of the project.']


# ---- transport, through a module's options -----------------------------------------------------

class _NoSession(object):
    def request(self, *args, **kwargs):
        raise AssertionError('no HTTP request expected while building the client')


def _from_module(args, capsys):
    """(warnings, None) after building the client from ``args``, or (None, failure message)."""
    with patch_module_args(args):
        module = AnsibleModule(argument_spec=connection_argument_spec(), mutually_exclusive=CONNECTION_MUTUALLY_EXCLUSIVE,
                               required_together=CONNECTION_REQUIRED_TOGETHER)
        warnings = []
        module.warn = warnings.append
        try:
            ApinizerClient.from_module(module, session=_NoSession())
        except SystemExit:
            return None, json.loads(capsys.readouterr().out)['msg']
    return warnings, None


@pytest.mark.parametrize('auth, secret', [
    (dict(apinizer_token='tok-0a1b2c3d'), 'token'),
    (dict(apinizer_username='admin', apinizer_password='pw-0a1b2c3d'), 'password'),
])
def test_a_secret_over_plain_http_to_a_remote_host_warns_once(monkeypatch, capsys, auth, secret):
    for name in ('APINIZER_TOKEN', 'APINIZER_USERNAME', 'APINIZER_PASSWORD'):
        monkeypatch.delenv(name, raising=False)
    warnings, failed = _from_module(dict(auth, apinizer_url='http://mgr.example.com', project='p'), capsys)
    assert failed is None
    assert warnings == ['apinizer_url uses plain http:// to mgr.example.com: the %s is sent unencrypted. '
                        'Use https://.' % secret]
    warnings, failed = _from_module(dict(auth, apinizer_url='http://127.0.0.1:8080', project='p'), capsys)
    assert warnings == []


def test_a_url_with_userinfo_fails_before_the_validate_certs_warning_could_print_it(monkeypatch, capsys):
    monkeypatch.delenv('APINIZER_TOKEN', raising=False)
    warnings, failed = _from_module(dict(apinizer_url='https://admin:s3cr3t-pass@mgr.example.com', project='p',
                                         apinizer_token='tok-0a1b2c3d', validate_certs=False), capsys)
    assert warnings is None and failed.startswith('apinizer_url must not carry a user name or password')
    assert 's3cr3t' not in failed and 'admin' not in failed


# ---- a server that drips its status line and headers (issue 11: timeout as a whole) ----------

def _dripping_server(interval):
    """A loopback socket server that answers the status line and headers one byte every ``interval``
    seconds; returns (port, stop event)."""
    import socket
    import threading
    import time
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(('127.0.0.1', 0))
    server.listen(1)
    stop = threading.Event()

    def serve():
        conn, unused = server.accept()
        conn.recv(65536)
        for byte in b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: yes\r\n\r\n':
            if stop.is_set():
                break
            try:
                conn.sendall(bytes(bytearray([byte])))
            except OSError:
                break
            time.sleep(interval)
        conn.close()
        server.close()

    worker = threading.Thread(target=serve)
    worker.daemon = True
    worker.start()
    return server.getsockname()[1], stop


def test_a_server_that_drips_its_headers_is_cut_off_at_the_timeout():
    import time
    # 70 header bytes at 0.1 s each take 7 s; each socket read waits far less than the timeout,
    # so only a deadline over the whole exchange ends it at 1 s.
    port, stop = _dripping_server(0.1)
    client = ApinizerClient('http://127.0.0.1:%d' % port, token=TOKEN, timeout=1, retries=0)
    started = time.monotonic()
    try:
        with pytest.raises(ApinizerError) as failure:
            client.list_jwks(project='demo')
    finally:
        stop.set()
    assert time.monotonic() - started < 3
    assert failure.value.transient and 'timed out after 1 s' in str(failure.value)


def test_https_to_a_plain_http_port_says_so_instead_of_advising_a_ca_bundle():
    # Issue 25 #5: a TLS handshake answered in plain HTTP (OpenSSL: WRONG_VERSION_NUMBER).
    import socket
    import threading
    server = socket.socket()
    server.bind(('127.0.0.1', 0))
    server.listen(1)

    def answer_in_plain_http():
        conn, unused = server.accept()
        conn.recv(1024)
        conn.sendall(b'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
        conn.close()
        server.close()

    worker = threading.Thread(target=answer_in_plain_http)
    worker.daemon = True
    worker.start()
    client = ApinizerClient('https://127.0.0.1:%d' % server.getsockname()[1], token=TOKEN, timeout=5, retries=0)
    with pytest.raises(ApinizerError) as failure:
        client.list_jwks(project='demo')
    text = str(failure.value)
    assert 'TLS error' in text and 'the server does not speak TLS on this port' in text
    assert 'ca_path' not in text and 'validate_certs' not in text
