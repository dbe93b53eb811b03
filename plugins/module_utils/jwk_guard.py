# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The guard before a JWK is deleted or replaced: a policy that pins it must not break unnoticed.

Owns, for apinizer_jwk and apinizer_jwks alike, the ``delete_referenced`` option (its spec), the decision
(refuse before any write, or proceed and warn) and its messages. The server does not refuse to
delete a pinned JWK (delete-jwk.mdx), and a JWK created again gets a new id, so a policy that pins
it stays broken for good; credentials use a JWK by name and work again once it exists, so they are
not this guard's concern. What pins a JWK is where_used's rule; this file only reads it, once per
run and only for a run that plans a delete (a no-op pays nothing).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.apinizer.apiops.plugins.module_utils.where_used import WhereUsed


def delete_referenced_option():
    """The argument spec of ``delete_referenced`` (a fresh dict: AnsibleModule may annotate it)."""
    return dict(type='bool', default=False)


_WHY = ('The server does not refuse to delete a pinned JWK, and a JWK created again gets a new id, so a policy '
        'that pins it stays broken for good.')


def _what(replace):
    return 'deleted and created again (under a new id)' if replace else 'deleted'


def check(client, summaries, planned, delete_referenced):
    """Judge the deletions a run plans, before any write.

    ``planned``: ``[(name, replace)]``, each JWK the run would delete (``replace``: to create it
    again). ``summaries``: the run's JWK list (JwkReader.summaries()). Returns ``(views, refusal,
    warnings)``: ``views`` maps each planned name to where_used's policy view; ``refusal`` is the
    message to fail with (None when nothing is pinned or ``delete_referenced`` is true); ``warnings``
    name the policies a deletion goes ahead despite. Nothing planned: ``({}, None, [])``, no request.
    Server text is in the messages: the caller masks them.
    """
    if not planned:
        return {}, None, []
    where = WhereUsed(client, summaries).read()
    views, blocked, notices = {}, [], []
    for name, replace in planned:
        views[name] = where.policy_view(name)
        texts = where.blocking(name)
        if texts:
            blocked.append((name, replace, texts))
        notices.extend(where.notices(name))
    if not blocked:
        return views, None, notices
    if delete_referenced:
        return views, None, [
            'delete_referenced is true, so JWK %s is %s although it is %s. %s Point those policies at another '
            'JWK (by its id).' % (name, _what(replace), '; '.join(texts), _WHY) for name, replace, texts in blocked]
    refusal = ' '.join('JWK %s would be %s, but it is %s.' % (name, _what(replace), '; '.join(texts))
                       for name, replace, texts in blocked)
    return views, ('%s Nothing was written. %s Point those policies at another JWK first, or set '
                   'delete_referenced: true to proceed anyway.' % (refusal, _WHY)), []
