# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Emulator: the public Python API (life cycle and every test hook as a method)."""

import copy
import json
import os
import re
import ssl
import threading
import time

from . import deployments, dialects, faults, jwk_create, keys, request_log, routes
from . import settings as settings_rules
from .http_layer import Server, Handler
from .state import DEFAULT_ENVIRONMENTS, DEFAULT_TOKEN, DEFAULT_USERS, State, initial_settings, load_seed_file


class Emulator:
    """An Apinizer Management API emulator on a real HTTP(S) server.

    Emulator(token='emulator-token', environments=('production', 'staging'), tls_dir=None, seed=None,
             dialect=None (DEFAULT_DIALECT), settings=None (initial configure() values))
    """

    def __init__(self, token=DEFAULT_TOKEN, environments=DEFAULT_ENVIRONMENTS, tls_dir=None, seed=None,
                 users=None, project='demo', host='127.0.0.1', port=0, verbose=False, report_assignments=False,
                 report_use_alg=False, dialect=None, settings=None):
        # The vendor documents no assignment fields in the credential list, and no use/alg inside
        # Get JWK's key member: reporting them is opt-in (report_assignments, report_use_alg).
        initial = initial_settings(dialect or dialects.DEFAULT_DIALECT, environments, report_assignments,
                                   report_use_alg, settings)
        extra_seed = load_seed_file(seed) if isinstance(seed, str) else seed
        self._state = State(token, DEFAULT_USERS if users is None else users, project, extra_seed, initial,
                            jwk_create.prepare_generate)
        self._lock = self._state.lock
        self._token = token
        self._project = project
        self.host = host
        self.port = port
        self.tls_dir = tls_dir
        self.ca_file = None
        self.verbose = verbose
        self._server = None
        self._thread = None
        self.url = None
        self._clear_hooks()

    # ------------------------------------------------------------------ lifecycle
    def start(self):
        ctx = None
        if self.tls_dir:
            ca, cert, key = keys.make_tls_files(self.tls_dir)
            self.ca_file = ca
            self._state.ca_file = ca
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
        self._server = Server((self.host, self.port), Handler, self, ctx)
        self.port = self._server.server_address[1]
        self.url = '%s://%s:%d' % ('https' if ctx else 'http', self.host, self.port)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={'poll_interval': 0.1},
                                        name='apinizer-emulator', daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.close_connections()
            self._thread.join(5)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def api_url(self):
        return self.url + '/apiops'

    @property
    def token(self):
        return self._token

    @property
    def dialect(self):
        return self._state.dialect

    # ------------------------------------------------------------------ hooks as methods
    def requests(self):
        with self._lock:
            return copy.deepcopy(self._log)

    def clear_requests(self):
        with self._lock:
            self._log = []

    def add_fault(self, **spec):
        fault = faults.make_fault(spec)
        with self._lock:
            self._faults.append(fault)
        return dict(fault)

    def redirected(self):
        """What clients sent after following a redirect fault to its default Location (secrets masked)."""
        with self._lock:
            return copy.deepcopy(self._redirected)

    def configure(self, **settings):
        """Change settings (emulator/README.md, "Settings"); all or nothing, ValueError names the problem."""
        return self._state.configure(settings_rules.updates(settings))

    def config(self):
        with self._lock:
            return copy.deepcopy(self._state.config)

    def reset(self):
        with self._lock:
            self._state.reset()
            self._clear_hooks()

    def seed(self, data):
        if isinstance(data, str):
            data = load_seed_file(data)
        self._state.seed(data)

    def state(self):
        with self._lock:
            out = self._state.snapshot()
            out.update(faults=copy.deepcopy(self._faults), static=sorted(self._static))
            return out

    def serve_static(self, name, body, content_type='application/json', delay=0, status=200):
        if not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode('utf-8')
        with self._lock:
            self._static[name] = {'body': body, 'content_type': content_type, 'delay': float(delay or 0),
                                  'status': int(status)}
        return '%s/__emulator__/static/%s' % (self.url or '', name)

    def static_document(self, name):
        with self._lock:
            return self._static.get(name)

    # ------------------------------------------------------------------ used by the HTTP layer
    def _clear_hooks(self):
        self._log = []
        self._redirected = []
        self._faults = []
        self._static = {}

    def take_fault(self, method, path):
        with self._lock:
            for fault in self._faults:
                if fault['method'] not in ('*', method):
                    continue
                if not re.search(fault['path'], path):
                    continue
                if fault['count'] is not None and fault['count'] > 0:
                    fault['count'] -= 1
                    if fault['count'] == 0:
                        self._faults.remove(fault)
                return dict(fault)
        return None

    def record(self, entry):
        with self._lock:
            self._log.append(entry)

    def handle_api(self, method, path, query, headers, raw_body):
        return routes.handle_api(self._state, method, path, query, headers, raw_body)

    def trap(self, method, target, headers, raw, request):
        """A request that followed a redirect fault: record it, answer like a server that accepted it."""
        entry = {'method': method, 'path': target, 'host': headers.get('Host'),
                 'authorization': bool(headers.get('Authorization')), 'body_bytes': len(raw),
                 'body': request_log.log_body(headers, raw),
                 'secrets': [field for field, _ in faults.request_secrets(request)], 'time': time.time()}
        with self._lock:
            self._redirected.append(entry)
            if method == 'GET':
                return dialects.listing(self.dialect, dialects.STATUS, [])
            return deployments.write_answer(self._state, dialects.SUCCESS)


def main_url_env(emulator):
    lines = ['APINIZER_URL=%s' % emulator.url, 'APINIZER_TOKEN=%s' % emulator.token,
             'APINIZER_PROJECT=%s' % emulator._project]
    if emulator.ca_file:
        lines.append('APINIZER_CA_PATH=%s' % os.path.abspath(emulator.ca_file))
    return lines
