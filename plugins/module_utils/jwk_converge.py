# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Converging JWKs: the writes of one JWK, and what a set of JWKs needs beyond one.

Owns, for apinizer_jwk and apinizer_jwks alike:

- ``JwkWriter``: the write sequence of one JWK (delete, create with its landed check, update of
  the description with the detach warning), check mode and ``--diff`` for it, and the deployment
  record of each write;
- the messages of a plan (``refusal_message``, ``left_alone_warning``, ``replace_failed_message``);

and, for a set (apinizer_jwks): ``outcome(actions)`` (the summary list an item goes to),
``in_scope(name, scope)``, ``used_by(credentials)``, ``config_entry(api_jwk)`` (a JWK in the
``config`` format: public facts only).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible_collections.apinizer.apiops.plugins.module_utils.credentials import ASSIGNMENT_FIELDS
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_bodies import (
    build_create_body,
    build_generate_body,
    build_update_body,
)
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_material import api_jwk_to_jwk, public_jwk
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_state import (
    current_state,
    desired_diff_view,
    diff_view,
)
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_vocabulary import ATTACHED_SOURCES


class JwkWriter(object):
    """The writes of one JWK, through write(): check mode is enforced in one place.

    ``result`` is the item's result dict (changed, actions, deployment, diff); ``label`` names the
    item in a deployment failure of a run that writes several JWKs ("create k1").
    """

    def __init__(self, module, params, result, label=None):
        self.module = module
        self.params = params
        self.name = params['name']
        self.result = result
        self.label = label

    def apply(self, actions, current):
        for action in actions:
            getattr(self, action)(current)

    def delete(self, current):
        self.set_diff(current, {} if self.params.get('state') == 'absent' else desired_diff_view(self.params))
        self.write('delete', self.module.client.delete_jwk, self.name)

    def create(self, current):
        if current is None:
            self.set_diff(None, desired_diff_view(self.params))
        client = self.module.client

        def landed():  # a POST whose answer is lost is re-sent only when the JWK did not land
            return client.get_jwk(self.name) is not None

        if self.params.get('source', 'generate') == 'generate':
            self.write('create', client.generate_jwk, build_generate_body(self.params), landed=landed)
        else:
            self.write('create', client.create_jwk, build_create_body(self.params), landed=landed)

    def update(self, current):
        after = diff_view(current)
        after['description'] = self.params['description']
        if after.get('source') in ATTACHED_SOURCES:
            self.module.warn('Updating the description of JWK %s detaches it from its %s source: the '
                             'server keeps the key material it has now, as a copied key. Later runs of '
                             'this task still accept it; run it once with regenerate: always to attach '
                             'it to its source again.' % (self.name, after['source']))
            after['source'] = 'jwk'
        self.set_diff(current, after)
        self.write('update', self.module.client.update_jwk, self.name, build_update_body(self.params))

    def write(self, action, call, *args, **kwargs):
        self.result['actions'].append(action)
        if not self.module.check_mode:
            self.result['deployment'] = call(*args, **kwargs)
            label = action if self.label is None else '%s %s' % (action, self.label)
            self.module.record_deployment(label, self.result['deployment'])
        # Only once the server accepted it: a refused or unanswered write changed nothing.
        self.result['changed'] = True

    def set_diff(self, before, after):
        """Metadata and thumbprints only: diff_view never returns key material."""
        if self.module._diff:
            self.result['diff'] = dict(before=diff_view(before), after=after)


# ---- messages of a plan -------------------------------------------------------------------------

def refusal_message(name, differences):
    return ('JWK %s differs from the task in what the API cannot change in place: %s. Set regenerate: '
            'when_different to delete and re-create it (it gets a new id: refused while a policy pins it, unless '
            'delete_referenced is true; credentials that use it by name work again once it exists), or '
            'regenerate: never to leave it as it is.' % (name, '; '.join(differences)))


def left_alone_warning(name, differences):
    return ('JWK %s differs from the task in what the API cannot change in place; regenerate is never, '
            'so it is left as it is: %s' % (name, '; '.join(differences)))


def replace_failed_message(name, actions, msg):
    """The failure text of a write: a replacement that deleted but did not create says so."""
    if actions == ['delete', 'create']:
        return ('JWK %s was deleted to be replaced, but creating it again failed; run the task again to '
                'create it. %s' % (name, msg))
    return msg


# ---- reading a set ------------------------------------------------------------------------------

_OUTCOMES = {(): 'unchanged', ('create',): 'created', ('update',): 'updated',
             ('delete', 'create'): 'replaced', ('delete',): 'deleted'}


def outcome(actions):
    """The summary list (created, updated, replaced, deleted, unchanged) of an item's actions."""
    return _OUTCOMES[tuple(actions)]


def in_scope(name, scope):
    """Whether overridden may delete JWK ``name``: ``scope`` is {'prefix': str} or {'regex': str}
    (the regular expression must match the whole name)."""
    if scope.get('prefix') is not None:
        return name.startswith(scope['prefix'])
    return re.fullmatch(scope['regex'], name) is not None


def used_by(credentials):
    """{jwk name: ['username (purpose)', ...]} from a credential list that reports assignments."""
    users = {}
    for credential in credentials:
        for purpose, field in sorted(ASSIGNMENT_FIELDS.items()):
            if credential.get(field):
                users.setdefault(credential[field], []).append('%s (%s)' % (credential.get('username'), purpose))
    return users


def config_entry(api_jwk):
    """One JWK in the ``config`` format from what the server reports, public facts only.

    From a JwkSummary: name, description, source, key_type, kid (and url). From a full Jwk of a
    pasted key: also its public JWK (never a private member); a symmetric key has none.
    """
    facts = current_state(api_jwk)
    entry = {'name': facts['name'], 'description': facts['description'] or '', 'source': facts['source']}
    if facts['source'] == 'generate' and facts['key_type'] is not None:
        entry['key_type'] = facts['key_type']
    if facts['source'] == 'url':
        entry['url'] = facts['url']
    if facts['kid'] is not None:
        entry['kid'] = facts['kid']
    if facts['source'] == 'jwk':
        public = public_jwk(api_jwk_to_jwk(api_jwk))
        if public and public['kty'] != 'oct':  # a shared secret has no public part to restate
            entry['jwk'] = public
    return entry
