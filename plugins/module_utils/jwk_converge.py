# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Converging JWKs: the writes of one JWK, and what a set of JWKs needs beyond one.

Owns, for apinizer_jwk and apinizer_jwks alike:

- ``JwkWriter``: the write sequence of one JWK (delete, create with its landed check, update of the
  description with the detach warning), check mode and ``--diff`` for it, and the deployment record
  of each write; ``landed_problem`` (after a lost create answer, whether the JWK of that name is the
  one sent: its facts, its thumbprint or kid);
- the messages of a plan (``refusal_message``, ``left_alone_warning``, ``replace_failed_message``);

and, for a set (apinizer_jwks): ``outcome(actions)`` (the summary list an item goes to),
``in_scope(name, scope)`` and ``scope_problem(scope)`` (a scope that holds every name is none),
``used_by(credentials)``, ``config_entry(api_jwk)`` (a JWK in the ``config`` format: public facts
only).
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
from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_state import (
    compare,
    current_state,
    desired_diff_view,
    desired_state,
    diff_view,
    difference_sentences,
)
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_reader import JwkReader
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
            # A fresh list (the JWK is there or not), and its public key to tell it is ours.
            reader = JwkReader(client)
            summary = reader.summary(self.name)
            if summary is None:
                return False
            found = reader.with_public(summary)
            problem = landed_problem(self.params, found)
            if problem:
                # Not our write: never re-sent (it would fail "already exists"), never taken for ours.
                raise ApinizerError('the answer to creating JWK %s was lost, and %s. The JWK is left as it is '
                                    'and the creation is not sent again: find out who else writes a JWK of that '
                                    'name, then run the task again.' % (self.name, problem))
            return True

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


def landed_problem(params, found):
    """Why ``found`` (the JWK of that name after a create whose answer was lost) is not what ``params``
    sent, or None when it is.

    Every fact the task sent that the server reports must match (jwk_state's FIELD_RULES, and the
    description). A sent key (source jwk) must be identified by its thumbprint or, when the server
    shows no key members, by a kid it sent: otherwise a JWK of that name proves nothing. Whether the
    server keeps the private part is no identity (a server may not show it) and is not compared here.
    """
    desired = desired_state(params)
    current = current_state(found)
    found_differences = compare(desired, found)
    differences = dict((field, pair) for field, pair in found_differences['replace'].items() if field != 'key_part')
    if 'description' in found_differences['update']:
        differences['description'] = found_differences['update']['description']
    if differences:
        return 'the JWK of that name is not the one it sent: %s' % '; '.join(difference_sentences(differences))
    identified = [field for field in ('thumbprint', 'kid') if desired.get(field) is not None and current.get(field) is not None]
    if desired.get('thumbprint') is not None and not identified:
        return ('the JWK of that name shows neither its key nor a kid the task sent, so it cannot be told '
                'apart from another JWK of that name')
    return None


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
    (the regular expression must match the whole name). scope_problem() must have passed it."""
    if scope.get('prefix') is not None:
        return name.startswith(scope['prefix'])
    return re.fullmatch(scope['regex'], name) is not None


# Names unlike each other in every way a name can differ (case, digits, punctuation, scripts,
# length): a regular expression that matches all of them matches any name, so it is no scope.
_UNLIKE_NAMES = ('a', 'Z', '0', '_', '-', '.', '~', '%', '\u00fc', '\u9375', 'key-1', 'Prod.Signing_2026-01-01T00:00:00Z',
                 'x' * 200)


def scope_problem(scope):
    """Why ``scope`` cannot bound what overridden deletes, or None: a regular expression that does not
    compile, or a scope that puts every name in it (an empty prefix, a regex matching any name)."""
    if scope.get('prefix') is not None:
        if scope['prefix'] == '':
            return ("scope.prefix must not be empty: every name starts with '', so every JWK of the project "
                    "would be in scope. Give the prefix the JWKs this task owns share")
        return None
    try:
        pattern = re.compile(scope['regex'])
    except re.error as e:
        return 'scope.regex %r is not a regular expression: %s' % (scope['regex'], e)
    if all(pattern.fullmatch(name) for name in _UNLIKE_NAMES):
        return ('scope.regex %r matches every name, so every JWK of the project would be in scope. Give an '
                'expression that matches only the names of the JWKs this task owns' % scope['regex'])
    return None


def used_by(credentials, listed_in=None):
    """{jwk name: ['username (purpose)', ...]} for every assignment a credential list reports by name,
    whether or not the list as a whole proves anything (a reported use always counts); ``listed_in``
    names the project of the list when it is not the task's."""
    users = {}
    where = '' if listed_in is None else ', listed in project %s' % listed_in
    for credential in credentials if isinstance(credentials, list) else []:
        if not isinstance(credential, dict):
            continue
        for purpose, field in sorted(ASSIGNMENT_FIELDS.items()):
            if isinstance(credential.get(field), str) and credential[field]:
                users.setdefault(credential[field], []).append('%s (%s%s)' % (credential.get('username'), purpose, where))
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
