#!/usr/bin/env python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Requests per module run, side by side on three servers: the current reference with the
public-only export, the current reference without it (an older 2026 server, or a user without the
EXPORT_IMPORT permission), and the older dialect. Each module runs in-process (its real main()
and client) against the emulator over HTTP; the emulator's request log counts the requests and
whether any of them read private members (Get JWK).

    PYTHONPATH=emulator:.build/collections .venv/bin/python benchmarks/requests_per_run.py [--check]

--check exits 1 when a figure differs from EXPECTED (the figures docs/performance.md shows).
"""

from __future__ import absolute_import, division, print_function

import contextlib
import io
import json
import sys

from apinizer_emulator import Emulator

from ansible.module_utils.testing import patch_module_args

from ansible_collections.apinizer.apiops.plugins.modules import apinizer_jwk, apinizer_jwk_info, apinizer_jwks

SERVERS = (
    ('current, export-file', dict(dialect='current')),
    ('current, no export-file', dict(dialect='current', settings={'export_file': 'absent'})),
    ('older dialect', dict(dialect='legacy')),
)
EC = dict(key_type='EC', curve='P-256')
# (label, module, args before (a set-up run, not counted), args counted)
RUNS = (
    ('apinizer_jwk no-op, the list decides (name, key_type)', apinizer_jwk,
     dict(name='k', **EC), dict(name='k', key_type='EC')),
    ('apinizer_jwk no-op stating curve, use, algorithm', apinizer_jwk,
     dict(name='k', **EC), dict(name='k', use='signature', algorithm='ES256', **EC)),
    ('apinizer_jwk create (list, write, read back)', apinizer_jwk, None, dict(name='k', **EC)),
    ('apinizer_jwk delete (the list, where-used, the delete)', apinizer_jwk, dict(name='k', **EC),
     dict(name='k', state='absent')),
    ('apinizer_jwk no-op, return_private_key', apinizer_jwk,
     dict(name='k', **EC), dict(name='k', return_private_key=True, **EC)),
    ('apinizer_jwks no-op, 10 JWKs stating their curve', apinizer_jwks,
     dict(config=[dict(name='k%d' % i, **EC) for i in range(10)]),
     dict(config=[dict(name='k%d' % i, **EC) for i in range(10)])),
    ('apinizer_jwk_info, 10 names', apinizer_jwk_info,
     dict(config=[dict(name='k%d' % i, **EC) for i in range(10)]), dict(names=['k%d' % i for i in range(10)])),
)
# label -> (requests, Get JWK reads) per server, in SERVERS order
EXPECTED = {
    'apinizer_jwk no-op, the list decides (name, key_type)': ((1, 0), (1, 0), (1, 0)),
    'apinizer_jwk no-op stating curve, use, algorithm': ((2, 0), (3, 1), (2, 1)),
    'apinizer_jwk create (list, write, read back)': ((4, 1), (4, 1), (3, 1)),
    'apinizer_jwk delete (the list, where-used, the delete)': ((3, 0), (3, 0), (3, 0)),
    'apinizer_jwk no-op, return_private_key': ((1, 1), (1, 1), (1, 1)),
    'apinizer_jwks no-op, 10 JWKs stating their curve': ((11, 0), (12, 10), (11, 10)),
    'apinizer_jwk_info, 10 names': ((11, 0), (12, 10), (11, 10)),
}


def run_module(module, args, url):
    args = dict(args, apinizer_url=url, apinizer_token='emulator-token', project='demo')
    out = io.StringIO()
    with patch_module_args(args), contextlib.redirect_stdout(out):
        try:
            module.main()
        except SystemExit:
            pass
    result = json.loads(out.getvalue())
    if result.get('failed'):
        raise RuntimeError('%s failed: %s' % (module.__name__, result.get('msg')))
    return result


def measure():
    table = {}
    for server, options in SERVERS:
        for label, module, before, args in RUNS:
            emulator = Emulator(**options)
            emulator.start()
            try:
                if before is not None:
                    run_module(apinizer_jwks if 'config' in before else module, before, emulator.url)
                emulator.clear_requests()
                run_module(module, args, emulator.url)
                requests = emulator.requests()
            finally:
                emulator.stop()
            gets = [r for r in requests if r['method'] == 'GET' and r['path'].count('/') == 6
                    and not r['path'].endswith('/jwks/')]
            table.setdefault(label, []).append((len(requests), len(gets)))
    return table


def main():
    table = measure()
    width = max(len(label) for label in table)
    print('%-*s  %s' % (width, 'run', '  '.join('%-24s' % s for s, unused in SERVERS)))
    for label, cells in table.items():
        print('%-*s  %s' % (width, label, '  '.join('%-24s' % ('%d requests, %d Get JWK' % c) for c in cells)))
    if '--check' in sys.argv:
        wrong = [(label, cells, EXPECTED[label]) for label, cells in table.items() if tuple(cells) != EXPECTED[label]]
        for label, got, want in wrong:
            print('FAIL %s: got %s, expected %s' % (label, got, want))
        return 1 if wrong else 0
    return 0


if __name__ == '__main__':
    sys.exit(main())
