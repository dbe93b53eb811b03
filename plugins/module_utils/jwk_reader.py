# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which read answers a question about a JWK, with the fewest requests and the least key material.

Owns the choice between the three documented reads (docs/api-contract.md, "Reading a JWK"):

- the JWK list: every JWK's id, name, description, source, type and kid, no key material; one
  request per run, read once;
- ``export-file/?publicOnly=true``: one JWK's public members (curve, size, use, alg, thumbprint,
  key_ops, x5c ...), never a private one; not every server has it, so the first call of a run
  tells: a 404 (no such endpoint) or a permission refusal means Get JWK for the rest of the run;
- Get JWK: the key material, private members included; read only for what needs it (whether the
  server holds the private part, ``return_private_key``) or where export-file is unavailable.

A run whose list already decides pays for nothing else. A read that shows no key material means
"not shown", never "different" (jwk_state.unverified then names what could not be compared).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.apinizer.apiops.plugins.module_utils.errors import ApinizerError, UnexpectedAnswer
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_material import (
    PUBLIC_AND_PRIVATE,
    PUBLIC_READ,
    api_jwk_to_jwk,
    thumbprint,
)
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_state import current_state, desired_state
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_vocabulary import (
    KEY_TYPE_TO_MEMBER,
    normalise_key_type,
)

# What the Get JWK page's key member has no place for; the export shows them.
_NOT_ON_GET = ('use', 'alg')
# What the list (JwkManagementDTO) reports: no key read can tell more about these (a detached
# JWK's url is gone for good). Any other stated fact needs a key read.
LIST_FIELDS = ('name', 'description', 'source', 'key_type', 'kid', 'url')


class JwkReader(object):
    """The reads of one module run (one client): the list once, export-file probed once."""

    def __init__(self, client):
        self.client = client
        self._by_name = None
        # None: not tried in this run; False: missing or refused (Get JWK from then on).
        self.export_available = None

    # ---- the list ------------------------------------------------------------------------------

    def summaries(self):
        """{name: JwkSummary} of the project, read once. Every item must name itself."""
        if self._by_name is None:
            by_name = {}
            for summary in self.client.list_jwks():
                if not isinstance(summary, dict) or not isinstance(summary.get('name'), str):
                    raise UnexpectedAnswer('the JWK list answered an item that is not a JWK with a name',
                                           method='GET', path='/projects/%s/jwks/' % self.client.project)
                by_name[summary['name']] = summary
            self._by_name = by_name
        return self._by_name

    def summary(self, name):
        """The JwkSummary of ``name``, or None: the project's whole list shows it is missing."""
        return self.summaries().get(name)

    # ---- what a decision needs -----------------------------------------------------------------

    def current(self, params, summary):
        """What plan() compares ``params`` with: the summary when it decides (nothing more is read),
        else the summary with the key read that the stated facts need."""
        if summary is None or params.get('state') == 'absent' or params.get('regenerate') == 'always':
            return summary
        desired = desired_state(params)
        reported = current_state(summary)
        needed = set(field for field, value in desired.items()
                     if value is not None and field not in LIST_FIELDS and reported.get(field) is None)
        if not needed:
            return summary
        if 'key_part' in needed and desired.get('key_part') == PUBLIC_AND_PRIVATE:
            return self.with_private(summary)
        return self.with_public(summary)

    def with_public(self, summary):
        """The summary with the JWK's public key: from export-file where the server has it (no
        private member crosses the wire), else from Get JWK."""
        public = self._export(summary)
        if public is not None:
            return public
        return self._get(summary)

    def with_private(self, summary):
        """The summary with the key as Get JWK shows it (private members, when shown), the
        descriptive members Get JWK leaves out (use, alg, ...) filled in from export-file."""
        return self.completed(self._get(summary))

    def completed(self, full):
        """A Get JWK answer with what it does not show taken from export-file where the server has
        it: the public key when it shows none ("not shown"), else the use and alg the Get JWK page
        documents no place for (only from the same key: the thumbprints must agree)."""
        member = _member_name(full)
        if member is None:
            return self._export(full) or full
        missing = [m for m in _NOT_ON_GET if full[member].get(m) is None]
        if missing and self._export_worth_trying(full):
            public = self._export(full)
            if public is not None and thumbprint(api_jwk_to_jwk(public)) == thumbprint(api_jwk_to_jwk(full)):
                exported = public[_member_name(public)]
                full = dict(full)
                full[member] = dict(full[member], **dict((m, exported[m]) for m in missing
                                                         if exported.get(m) is not None))
        return full

    def full(self, name):
        """Get JWK (private members included): ``return_private_key`` and reads after a write."""
        return self.client.get_jwk(name)

    # ---- the two key reads ---------------------------------------------------------------------

    def _get(self, summary):
        full = self.client.get_jwk(summary['name'])
        if full is None:
            raise ApinizerError('JWK %s was listed but Get JWK says it is not found; it may have been '
                                'deleted meanwhile: run the task again' % summary['name'])
        if full.get('id') is None and summary.get('id') is not None:
            full = dict(full, id=summary['id'])
        return full

    def _export_worth_trying(self, summary):
        # A symmetric key has no public form to export (export-jwk-file.mdx); a run that found the
        # endpoint missing or refused does not ask again; a server whose list answered in the older
        # dialect predates the endpoint (the current reference introduced both).
        if self.export_available is None and getattr(self.client, 'list_dialect', None) == 'legacy':
            self.export_available = False
        return self.export_available is not False and normalise_key_type(summary.get('type')) != 'OCT'

    def _export(self, summary):
        """The summary with the public key from export-file, or None when the server cannot answer
        (missing endpoint, refused, no key material to export: Get JWK instead)."""
        if not self._export_worth_trying(summary):
            return None
        try:
            document = self.client.export_jwk(summary['name'])
        except ApinizerError as e:  # an UnexpectedAnswer has no HTTP status: neither test holds, it is raised
            if _export_missing(e, summary['name']):
                self.export_available = False
                return None
            if e.is_no_key_material('jwk', summary['name']):
                return None
            raise
        self.export_available = True
        key = _the_key(document['keys'], summary)
        if key is None:
            return None
        api_jwk = dict(summary)
        api_jwk[_member_for(summary, key)] = key
        api_jwk[PUBLIC_READ] = True  # public members only: whether the server holds more is unknown
        return api_jwk


def _export_missing(error, name):
    """export-file is not there (an older server: 404, 405) or this user may not use it. A 404 that
    names an unknown project or this JWK as missing is that error, not a missing endpoint."""
    if error.is_permission_refused():
        return True
    return (error.status in (404, 405, 501) and not error.is_project_not_found()
            and not error.is_missing('jwk', name))


def _the_key(keys, summary):
    """The JWK Set's key for this JWK: the only one, or the one whose kid is the JWK's kid."""
    if len(keys) == 1:
        return keys[0]
    kid = summary.get('kid')
    matches = [key for key in keys if kid is not None and key.get('kid') == kid]
    return matches[0] if len(matches) == 1 else None


def _member_for(summary, key):
    """The API's type-named member (rsa, ec, oct, okp) that holds a key of this JWK."""
    key_type = normalise_key_type(summary.get('type')) or normalise_key_type(key.get('kty'))
    return KEY_TYPE_TO_MEMBER.get(key_type, 'rsa')


def _member_name(api_jwk):
    for name in KEY_TYPE_TO_MEMBER.values():
        if isinstance(api_jwk.get(name), dict) and api_jwk[name]:
            return name
    return None
