# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The signer's key file of the jwk_rotation role (source local), on the controller.

Owns when the role writes jwk_rotation_private_key_path. The private key of each generation the
role keeps is at ``<path>.<generation>`` (written by jwk_keypair); the signer's file at ``path``
must hold the active generation's. The role writes ``path`` only with the bytes of the active
generation's copy, and only over what it can prove it may replace: nothing, an empty file, or
the bytes of another generation's copy (so the replaced key is still kept, with its generation).
Anything else (an encrypted key, a key the role did not write, not a regular file) is refused
before any write. A new generation's copy is written only to a path where nothing is.

Reading and writing use module_utils/key_file (read_bytes, write_atomically: mode 0600 before
the first byte); the file rules of jwk_keypair itself stay there.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import stat

from ansible_collections.apinizer.apiops.plugins.module_utils.key_file import (
    ABSENT,
    EMPTY,
    FILE_MODE,
    is_encrypted_pem,
    read_bytes,
    write_atomically,
)
from ansible_collections.apinizer.apiops.plugins.plugin_utils.jwk_rotation_plan import copy_path

NONE, HOLDING, PUT = 'none', 'holding', 'put'


class Refused(Exception):
    """The role must not go on: the message says why and what to do; nothing was changed."""


def _what(found, data):
    """What a path holds, in words, never its content."""
    if found is not None:
        return {ABSENT: 'no file', EMPTY: 'an empty file'}.get(found.kind, found.why)
    if is_encrypted_pem(data):
        return 'an encrypted private key'
    if b'PRIVATE KEY' in data or b'"d"' in data:
        return 'a private key'
    return 'data that is not one of its keys'


def _read(path):
    try:
        return read_bytes(path)
    except (IOError, OSError) as exc:
        raise Refused('Could not read %s, so nothing was changed: %s.' % (path, exc.strerror or exc))


def decide(path, active, managed, created=None):
    """{'status', 'path', 'from', 'fix_mode'}: what happens to ``path`` for ``active`` (None: no
    generation yet). ``managed``: the role's generations whose copies prove what it wrote;
    ``created``: the generation this run creates (no copy yet). Raises Refused."""
    out = {'status': NONE, 'path': path, 'from': None, 'fix_mode': False}
    if created and os.path.lexists(copy_path(path, created)):
        raise Refused('%s already exists, but %s is a new generation: the role writes the private key of a new '
                      'generation only where nothing is, and never replaces a file it did not write. Move it away '
                      'and run again. Nothing was changed.' % (copy_path(path, created), created))
    if active is None:
        return out
    out['from'] = copy_path(path, active)
    found, data = _read(path)
    if active != created:
        source_found, source = _read(out['from'])
        if source_found is not None:
            raise Refused('The private key of %s is not at %s, so the signer could not be given it at %s. Restore '
                          'the file or run with jwk_rotation_force: true for a new generation. Nothing was changed.'
                          % (active, out['from'], path))
        if found is None and data == source:
            out['status'] = HOLDING
            out['fix_mode'] = stat.S_IMODE(os.stat(path).st_mode) != FILE_MODE
            return out
    if found is not None and found.kind in (ABSENT, EMPTY):
        out['status'] = PUT
        return out
    if found is None:
        for name in managed:
            if name not in (active, created):
                copy_found, copy = _read(copy_path(path, name))
                if copy_found is None and copy == data:
                    out['status'] = PUT
                    return out
    raise Refused('jwk_rotation_private_key_path %s holds %s, which is not the private key of a generation the role '
                  'keeps (no %s.<generation> file holds the same bytes): the role never replaces a file it cannot '
                  'prove it may, such as an encrypted key or a key it did not write. Move it away (keep a copy if a '
                  'signer still uses it) and run again. Nothing was changed.' % (path, _what(found, data), path))


def put(decision, check_mode):
    """Carry out ``decision``: True when the file changed (or would, in check mode)."""
    if decision['status'] == PUT:
        if not check_mode:
            _found, data = _read(decision['from'])
            write_atomically(decision['path'], data)
        return True
    if decision['status'] == HOLDING and decision['fix_mode']:
        if not check_mode:
            os.chmod(decision['path'], FILE_MODE)
        return True
    return False
