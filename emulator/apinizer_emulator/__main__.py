# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""python -m apinizer_emulator: serve the emulator until SIGTERM/SIGINT."""

import argparse
import os
import signal
import sys
import threading

from .dialects import DEFAULT_DIALECT, DIALECTS
from .emulator import Emulator, main_url_env
from .state import DEFAULT_TOKEN


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog='python -m apinizer_emulator',
                                     description='Apinizer Management API emulator')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0, help='0 picks a free port')
    parser.add_argument('--port-file', help='write the port number to this file once listening')
    parser.add_argument('--token', default=DEFAULT_TOKEN, help='accepted personal API token')
    parser.add_argument('--user', action='append', metavar='NAME:PASSWORD',
                        help='user for POST /apiops/auth/token (repeatable; default admin:admin-password)')
    parser.add_argument('--project', default='demo', help='name of the seeded project (default demo)')
    parser.add_argument('--environments', default='production,staging', help='comma-separated')
    parser.add_argument('--seed', help='JSON or YAML seed file merged over the default seed')
    parser.add_argument('--tls-dir', help='serve HTTPS; CA and server certificate are written here')
    parser.add_argument('--report-assignments', action='store_true',
                        help='list credentials with validationJwkName/encryptionJwkName (not documented by the '
                             'vendor; off by default)')
    parser.add_argument('--report-use-alg', action='store_true',
                        help='Get JWK answers carry use/alg inside the key member (not documented by the '
                             'vendor; off by default)')
    parser.add_argument('--dialect', choices=DIALECTS, default=DEFAULT_DIALECT,
                        help='answer as the vendor\'s current reference or as the older one (default %s)'
                             % DEFAULT_DIALECT)
    parser.add_argument('--verbose', action='store_true', help='log every request to stderr')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    users = None
    if args.user:
        users = {}
        for item in args.user:
            name, sep, pw = item.partition(':')
            if not sep or not name:
                print('--user expects NAME:PASSWORD', file=sys.stderr)
                return 2
            users[name] = pw
    envs = [e.strip() for e in args.environments.split(',') if e.strip()]
    emu = Emulator(token=args.token, environments=envs, tls_dir=args.tls_dir, seed=args.seed, users=users,
                   project=args.project, host=args.host, port=args.port, verbose=args.verbose,
                   report_assignments=args.report_assignments, report_use_alg=args.report_use_alg,
                   dialect=args.dialect)
    emu.start()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    for line in main_url_env(emu):
        print(line)
    sys.stdout.flush()
    if args.port_file:
        tmp = args.port_file + '.tmp'
        with open(tmp, 'w') as fh:
            fh.write('%d\n' % emu.port)
        os.replace(tmp, args.port_file)  # readers never see a half-written file
    while not stop.wait(0.5):
        pass
    emu.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
