# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the suites grep output for, read from the emulator's own state (what really is secret on
the "server"), and the state checks every robustness suite shares. Used by tests/inprocess and
tests/integration (pytest.ini puts tests/lib on the path); not shipped.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

# Every private member of RFC 7518/8037 keys; ``k`` is the whole secret of an oct key.
PRIVATE_MEMBERS = ('d', 'p', 'q', 'dp', 'dq', 'qi', 'k')


def dangling_references(emu):
    """Credentials (user/purpose -> JWK) whose JWK exists neither in their project nor in admin."""
    state = emu.state()['projects']
    admin = state.get('admin', {}).get('jwks', {})
    dangling = []
    for pname, proj in state.items():
        for user, cred in proj.get('credentials', {}).items():
            for purpose in ('validation', 'encryption'):
                name = cred.get('%sJwkName' % purpose)
                if name and name not in proj['jwks'] and name not in admin:
                    dangling.append('%s/%s/%s -> %s' % (pname, user, purpose, name))
    return dangling


def private_values(emu):
    """Every private member value of every JWK the emulator holds, as {description: value}."""
    values = {}
    for pname, proj in emu.state()['projects'].items():
        for name, rec in proj['jwks'].items():
            for member in PRIVATE_MEMBERS:
                value = rec['jwk'].get(member)
                if isinstance(value, str) and len(value) >= 16:
                    values['%s/%s.%s' % (pname, name, member)] = value
    return values


def server_secrets(emu, known):
    """``known`` ({description: value}) plus every secret the emulator holds: each token it issued,
    each credential password and each private JWK member (private_values)."""
    found = dict(known)
    state = emu.state()
    for i, tok in enumerate(state['tokens']):
        found['issued token %d' % i] = tok
    for pname, proj in state['projects'].items():
        for user, cred in proj.get('credentials', {}).items():
            if cred.get('password'):
                found['credential password %s/%s' % (pname, user)] = cred['password']
    found.update(private_values(emu))
    return found


def leaks(text, secrets):
    """The names of the secrets (a {description: value} dict) that occur in text."""
    return sorted(desc for desc, value in secrets.items() if value and value in text)


def fragment_leaks(text, secrets, length=16):
    """The names of the secrets of which any piece of ``length`` characters occurs in text: a
    truncated echo repeats no whole secret, so a whole-string grep alone would miss it."""
    grams = {}
    for desc, value in secrets.items():
        for i in range(len(value or '') - length + 1):
            grams.setdefault(value[i:i + length], desc)
    return sorted(set(grams[text[i:i + length]] for i in range(len(text) - length + 1)
                      if text[i:i + length] in grams))
