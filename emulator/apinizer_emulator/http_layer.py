# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP layer: a threading HTTP(S) server; each request goes to a test hook, the redirect
trap, or the API (through the request log and the faults)."""

import http.server
import json
import socket
import ssl
import threading
import time
import traceback

from . import dialects, faults, hooks, request_log
from .errors import ApiError

STATUS_ERRORS = {400: 'bad_request', 401: 'invalid_token', 403: 'forbidden', 404: 'not_found',
                 409: 'conflict', 429: 'rate_limit_exceeded', 500: 'internal_error',
                 502: 'bad_gateway', 503: 'service_unavailable', 504: 'gateway_timeout'}


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address, handler, emulator, ssl_context):
        self.emulator = emulator
        self.ssl_context = ssl_context
        self._conns = set()
        self._conns_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request_thread(self, request, client_address):
        with self._conns_lock:
            self._conns.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._conns_lock:
                self._conns.discard(request)

    def close_connections(self):
        # A stopped emulator must not keep answering on idle keep-alive connections.
        with self._conns_lock:
            conns = list(self._conns)
        for sock in conns:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def finish_request(self, request, client_address):
        # TLS handshakes happen in the connection's own thread, so a silent client cannot stall accept().
        if self.ssl_context is not None:
            try:
                request.settimeout(10)
                request = self.ssl_context.wrap_socket(request, server_side=True)
                request.settimeout(None)
            except (ssl.SSLError, OSError):
                return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        if self.emulator.verbose:
            super().handle_error(request, client_address)


class _Drop(Exception):
    pass


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'ApinizerEmulator/1.0'
    # Headers and body go out in two writes; with Nagle on, keep-alive requests wait ~40 ms for an ACK.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        if self.server.emulator.verbose:
            super().log_message(fmt, *args)

    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def _send(self, status, body, headers=None, raw=None, content_type='application/json'):
        data = raw if raw is not None else (json.dumps(body).encode('utf-8') if body is not None else b'')
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(data)
        self.wfile.flush()

    def _drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _dispatch(self):
        emu = self.server.emulator
        path, _, query = self.path.partition('?')
        length = self.headers.get('Content-Length')
        raw = self.rfile.read(int(length)) if length and length.isdigit() else b''
        method = self.command
        try:
            if path.startswith('/__emulator__/redirected/'):
                self._send(200, emu.trap(method, self.path[len('/__emulator__/redirected'):], self.headers, raw,
                                         self._echo(raw)))
                return
            if path.startswith('/__emulator__/'):
                status, body, doc = hooks.handle_hook(emu, method, path, raw)
                if doc is not None:
                    if doc['delay']:
                        time.sleep(doc['delay'])
                    self._send(status, None, raw=doc['body'], content_type=doc['content_type'])
                else:
                    self._send(status, body)
                return
            entry = {'method': method, 'path': path, 'query': query or None, 'status': None,
                     'body': request_log.log_body(self.headers, raw), 'fault': None,
                     'client_port': self.client_address[1],
                     'time': time.time()}
            fault = emu.take_fault(method, path)
            if fault:
                entry['fault'] = fault['action']
            if fault and fault['action'] == 'delay':
                time.sleep(fault['delay'])
                fault = None
            replacing = fault is not None and fault['action'] in faults.REPLACING
            if replacing and not fault['apply']:
                self._answer_fault(fault, entry, raw)
                return
            status, body, headers = self._process(method, path, query, raw)
            if replacing:
                entry['applied_status'] = status
                self._answer_fault(fault, entry, raw)
                return
            if fault:
                status, body = faults.transform(fault, status, body, self._echo(raw))
            entry['status'] = status
            emu.record(entry)
            if fault and fault['action'] == 'drip':
                self._send_drip(status, body, headers, fault['interval'])
            else:
                self._send(status, body, headers)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _process(self, method, path, query, raw):
        emu = self.server.emulator
        dialect = emu.dialect
        if not path.startswith('/apiops/'):
            return 404, dialects.error_body(dialect, 'not_found', 'No endpoint %s %s' % (method, path)), {}
        try:
            return emu.handle_api(method, path, query, self.headers, raw)
        except ApiError as exc:
            return exc.status, exc.body(dialect), {}
        except Exception as exc:  # an emulator bug must still answer like a server would
            if emu.verbose:
                traceback.print_exc()
            return 500, dialects.error_body(dialect, 'internal_error', '%s: %s' % (type(exc).__name__, exc)), {}

    def _echo(self, raw):
        """The request exactly as received: what a careless server puts into its error text."""
        return {'method': self.command, 'path': self.path,
                'headers': dict((k, v) for k, v in self.headers.items()),
                'body': raw.decode('utf-8', 'replace')}

    def _answer_fault(self, fault, entry, raw=b''):
        """The answer of a fault that replaces the server's, in the active dialect's words."""
        emu = self.server.emulator
        dialect = emu.dialect
        action = fault['action']
        if action == 'drop':
            emu.record(entry)
            self._drop()
            return
        status = 200 if action in ('success_false', 'oversized') else fault['status']
        entry['status'] = status
        emu.record(entry)
        if action == 'redirect':
            scheme = 'https' if self.server.ssl_context is not None else 'http'
            location = faults.redirect_location(fault, scheme, emu.host, emu.port, self.path)
            self._send(status, dialects.error_body(dialect, 'moved', 'Moved to %s' % location),
                       {'Location': location})
        elif action == 'success_false':
            self._send(200, faults.success_false_body(fault, dialect))
        elif action == 'oversized':
            self._send_oversized(fault['size'], fault['length_header'], dialect)
        elif action == 'raw':
            data, content_type = faults.raw_body(fault)
            self._send(status, None, raw=data, content_type=content_type)
        else:
            body = faults.error_body(fault, status, STATUS_ERRORS.get(status, 'error'), self._echo(raw), dialect)
            headers = {}
            if fault['retry_after'] is not None:
                if fault['retry_after_in'] == 'body':
                    body['retry_after'] = fault['retry_after']
                else:
                    headers['Retry-After'] = str(fault['retry_after'])
            self._send(status, body, headers)

    def _send_head(self, status, headers):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.flush()

    def _send_drip(self, status, body, headers, interval):
        """The real answer, its body one byte every ``interval`` seconds (headers at once)."""
        data = json.dumps(body).encode('utf-8') if body is not None else b''
        self._send_head(status, dict(headers or {}, **{'Content-Type': 'application/json',
                                                       'Content-Length': str(len(data))}))
        for i in range(len(data)):
            time.sleep(interval)
            self.wfile.write(data[i:i + 1])
            self.wfile.flush()

    def _send_oversized(self, size, length_header, dialect):
        """A 200 JSON body of ``size`` bytes, streamed; without Content-Length it ends when the connection closes."""
        headers = {'Content-Type': 'application/json'}
        if length_header:
            headers['Content-Length'] = str(size)
        else:
            headers['Connection'] = 'close'
            self.close_connection = True
        self._send_head(200, headers)
        for part in faults.oversized_chunks(size, dialect=dialect):
            self.wfile.write(part)
        self.wfile.flush()
