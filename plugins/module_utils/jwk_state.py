# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Desired and current state of a JWK, their comparison, and the views of a JWK a module returns.

Owns:

- ``current_state(api_jwk)`` and ``desired_state(params)``: the same fields, normalised, read from
  a server Jwk and from a task's options (absent facts are None / left out);
- ``FIELD_RULES``: one row per compared field (how a difference is applied, how two values are
  compared, whether an unreported server value counts); ``compare()`` only walks the table. To
  compare one more JWK member, read it in both states and add a row;
- ``unverified()``: the stated facts the server does not report (the Get JWK page documents no
  ``use``/``alg``), which no row can compare: the module warns instead of a silent match
  (``unverified_options``, ``unverified_sentence``);
- ``plan(params, current)``: what apinizer_jwk does about a difference (the ``regenerate`` policy);
- the views: ``jwk_view`` (the ``jwk`` return value), ``diff_view`` / ``desired_diff_view`` (the
  two sides of ``--diff``), ``difference_sentences``. No view ever holds key material, except
  ``jwk_view(..., include_private=True)``.

Pure functions over dicts (no AnsibleModule): a bulk module can call them per item.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_defaults import inferred_key_type, resolve_generate
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_material import (
    PUBLIC_AND_PRIVATE,
    PUBLIC_READ,
    api_jwk_to_jwk,
    key_part,
    key_size_of,
    member_facts,
    parse_user_jwk,
    public_jwk,
    thumbprint,
)
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_vocabulary import (
    ATTACHED_SOURCES,
    normalise_alg,
    normalise_curve,
    normalise_description,
    normalise_key_type,
    normalise_source,
    normalise_use,
)


# ---- the two states -----------------------------------------------------------------------------

def current_state(api_jwk):
    """Normalised facts of an API Jwk (or JwkSummary): absent facts are None."""
    api_jwk = api_jwk or {}
    jwk = api_jwk_to_jwk(api_jwk) or {}
    state = {
        'name': api_jwk.get('name'),
        'description': api_jwk.get('description'),
        'source': normalise_source(api_jwk.get('sourceType')),
        'key_type': normalise_key_type(api_jwk.get('type')) or normalise_key_type(jwk.get('kty')),
        'kid': api_jwk.get('kid') or jwk.get('kid'),
        'use': normalise_use(jwk.get('use') or api_jwk.get('useType') or api_jwk.get('keyUseType')),
        'alg': normalise_alg(jwk.get('alg') or api_jwk.get('algorithm')),
        'key_size': key_size_of(jwk or None),
        'curve': normalise_curve(jwk.get('crv')),
        'thumbprint': thumbprint(jwk) if jwk else None,
        'url': api_jwk.get('sourceUrl') or None,
        # Unknown (None) unless the read could show private members: a public-only read cannot.
        'key_part': None if api_jwk.get(PUBLIC_READ) else key_part(jwk),
    }
    state.update(member_facts(jwk))
    return state


def _generate_state(params, facts):
    key_type, how = inferred_key_type(params)
    if how is not None:
        facts['key_type'] = key_type
    for option, normalise in (('key_size', int), ('curve', normalise_curve)):
        if params.get(option) is not None:
            facts[option] = normalise(params[option])


def _given_jwk_state(params, facts):
    jwk = parse_user_jwk(params['jwk'], params.get('kid'))
    facts['key_type'] = normalise_key_type(jwk['kty'])
    if jwk.get('crv') is not None:
        facts['curve'] = normalise_curve(jwk['crv'])
    size = key_size_of(jwk)
    if size is not None:
        facts['key_size'] = size
    if jwk.get('kid') is not None:
        facts['kid'] = jwk['kid']
    if 'use' not in facts and jwk.get('use') is not None:
        facts['use'] = normalise_use(jwk['use'])
    if 'alg' not in facts and jwk.get('alg') is not None:
        facts['alg'] = normalise_alg(jwk['alg'])
    facts['thumbprint'] = thumbprint(jwk)
    # a private import must not be satisfied by a public-only copy; a public import by either
    if key_part(jwk) == PUBLIC_AND_PRIVATE:
        facts['key_part'] = PUBLIC_AND_PRIVATE
    facts.update(member_facts(jwk))


# option -> (field, normaliser): the facts a task states in so many words, whatever the source
_STATED = (
    ('description', 'description', normalise_description),
    ('kid', 'kid', str),
    ('use', 'use', normalise_use),
    ('algorithm', 'alg', normalise_alg),
)


def desired_state(params):
    """Normalised facts the user specified; unspecified facts are absent.

    Derived facts count as specified when they follow from what the user wrote (curve P-256 means
    key_type EC; a given JWK fixes type, size or curve, kid and thumbprint), never from a default.
    """
    facts = {}
    source = normalise_source(params.get('source'))
    if source is not None:
        facts['source'] = source
    for option, field, normalise in _STATED:
        if params.get(option) is not None:
            facts[field] = normalise(params[option])
    if source in (None, 'generate'):
        _generate_state(params, facts)
    elif source == 'url' and params.get('url') is not None:
        facts['url'] = str(params['url'])
    elif source == 'jwk' and params.get('jwk') is not None:
        _given_jwk_state(params, facts)
    return facts


# ---- the field rules ----------------------------------------------------------------------------

def _same(before, after):
    return before == after


def _same_word(before, after):
    return str(before).lower() == str(after).lower()


def _same_number(before, after):
    return int(before) == int(after)


def _same_alg(before, after):
    return normalise_alg(before).upper() == normalise_alg(after).upper()


def _same_source(before, after):
    # A JWK a description update detached from its source (reported as ``jwk``) still matches the
    # sourced task that made it, else the next run would ask to regenerate it.
    return (before == 'jwk' and after in ATTACHED_SOURCES) or _same_word(before, after)


def _same_description(before, after):
    return normalise_description(before) == normalise_description(after)


class FieldRule(object):
    """How one field is compared: ``change`` is 'update' (the API changes it in place) or 'replace'
    (delete and create); ``same(before, after)``; ``unreported_counts``: a None on the server is
    compared too (else a field the server does not report is never a difference)."""

    def __init__(self, field, change, same, unreported_counts=False):
        self.field = field
        self.change = change
        self.same = same
        self.unreported_counts = unreported_counts


FIELD_RULES = (
    FieldRule('description', 'update', _same_description, unreported_counts=True),
    FieldRule('source', 'replace', _same_source),
    FieldRule('key_type', 'replace', _same_word),
    FieldRule('key_size', 'replace', _same_number),
    FieldRule('curve', 'replace', _same_word),
    FieldRule('use', 'replace', _same_word),
    FieldRule('alg', 'replace', _same_alg),
    FieldRule('kid', 'replace', _same),
    FieldRule('thumbprint', 'replace', _same),
    FieldRule('url', 'replace', _same),
    # what a gateway needs of an imported JWK (issue 13): its private part, and the members it acts on
    FieldRule('key_part', 'replace', _same),
    FieldRule('key_ops', 'replace', _same),
    FieldRule('x5c', 'replace', _same),
    FieldRule('x5t', 'replace', _same),
    FieldRule('x5t#S256', 'replace', _same),
)
REPLACE_FIELDS = tuple(rule.field for rule in FIELD_RULES if rule.change == 'replace')
UPDATE_FIELDS = tuple(rule.field for rule in FIELD_RULES if rule.change == 'update')


def compare(desired, api_jwk):
    """Differences between desired_state() and a server Jwk, by FIELD_RULES.

    Returns {'update': {field: (before, after)}, 'replace': {field: (before, after)}}. A fact the
    user did not specify, or (unless the rule says otherwise) the server does not report, is never
    a difference; the second kind is what unverified() names.
    """
    current = current_state(api_jwk)
    result = {'update': {}, 'replace': {}}
    for rule in FIELD_RULES:
        after = desired.get(rule.field)
        before = current.get(rule.field)
        if after is None or (before is None and not rule.unreported_counts):
            continue
        if not rule.same(before, after):
            if rule.unreported_counts:
                before, after = normalise_description(before), normalise_description(after)
            result[rule.change][rule.field] = (before, after)
    return result


def difference_sentences(replace):
    """One sentence per difference of compare()'s ``replace``; never key material (thumbprints only)."""
    return ['%s: the server has %s, the task asks for %s' % (field, before, after)
            for field, (before, after) in sorted(replace.items())]


# What the task states that a server may not show, as the option that states it and how a warning
# names it. The task's own options (use, algorithm, kid, curve, key_size) are named as given; the
# facts of a given key (``jwk``) by what they are, never by value (key material stays out of text).
_UNVERIFIED = {
    'alg': ('algorithm', None),
    'use': ('use', None),
    'kid': ('kid', None),
    'curve': ('curve', None),
    'key_size': ('key_size', None),
    'key_type': ('key_type', None),
    'url': ('url', None),
    'source': ('source', None),
    'thumbprint': ('jwk', 'the key material of jwk'),
    'key_part': ('jwk', 'whether it holds the private part of jwk'),
    'key_ops': ('jwk', 'the key_ops of jwk'),
    'x5c': ('jwk', 'the x5c of jwk'),
    'x5t': ('jwk', 'the x5t of jwk'),
    'x5t#S256': ('jwk', 'the x5t#S256 of jwk'),
}


_KEY_FACTS = ('key_type', 'key_size', 'curve', 'thumbprint', 'key_part')


def unverified(params, api_jwk):
    """{field: asked} for what the task states that the server does not show, by FIELD_RULES.

    compare() cannot see a difference there (the Get JWK page documents no ``use``/``alg``; the
    spec's Get JWK shows no key material at all; a public-only read cannot show a private part),
    so the caller must say it could not compare them: never a silent match, and never a reason to
    replace the key.
    """
    current = current_state(api_jwk)
    desired = desired_state(params)
    # The task's own options, and the key itself; not the descriptive members inside a given JWK
    # (its use, alg, key_ops...), which a server as documented never shows.
    asked = set(field for option, field, unused in _STATED if params.get(option) is not None) | set(_KEY_FACTS)
    return dict((rule.field, desired[rule.field]) for rule in FIELD_RULES
                if rule.field in asked and desired.get(rule.field) is not None and current.get(rule.field) is None
                and not rule.unreported_counts)


def unverified_options(facts):
    """unverified()'s fields as the options that state them (alg -> algorithm, thumbprint -> jwk), sorted."""
    return sorted(set(_UNVERIFIED.get(field, (field, None))[0] for field in facts))


def unverified_sentence(name, facts):
    """The one warning for unverified()'s facts; '' when there are none."""
    if not facts:
        return ''
    asked = []
    for field, value in sorted(facts.items()):
        option, phrase = _UNVERIFIED.get(field, (field, None))
        asked.append(phrase or '%s %r' % (option, value))
    return ('The server does not report %s of JWK %s, so the task could not compare them with what it asks '
            'for (%s): the existing JWK was kept and is not known to match.'
            % (' or '.join(unverified_options(facts)), name, ', '.join(asked)))


def plan(params, current):
    """What apinizer_jwk does for ``params`` when the server has ``current`` (None: no such JWK).

    Returns {'actions': [...] of 'delete'/'create'/'update', 'differences': sentences or None,
    'unverified': {field: asked} the server does not report for a key that is kept (compared
    nowhere: warn; empty when the key is created or re-created),
    'refused': True when regenerate=fail stops the task, 'left_alone': True when regenerate=never
    keeps a differing key}.
    """
    out = {'actions': [], 'differences': None, 'unverified': {}, 'refused': False, 'left_alone': False}
    if params['state'] == 'absent':
        out['actions'] = ['delete'] if current is not None else []
        return out
    if current is None:
        out['actions'] = ['create']
        return out
    found = compare(desired_state(params), current)
    out['unverified'] = unverified(params, current)
    differences = out['differences'] = difference_sentences(found['replace'])
    regenerate = params['regenerate']
    if differences and regenerate == 'fail':
        out['refused'] = True
    elif regenerate == 'always' or (differences and regenerate == 'when_different'):
        out['actions'] = ['delete', 'create']
        out['unverified'] = {}  # the new key is made as asked: nothing left unverified
    else:
        out['left_alone'] = bool(differences)
        out['actions'] = ['update'] if found['update'] else []
    return out


# ---- views --------------------------------------------------------------------------------------

def _size_or_curve(facts, out):
    key_type = facts.get('key_type')
    if key_type in ('EC', 'OKP'):
        out['curve'] = facts.get('curve')
    elif key_type in ('RSA', 'OCT'):
        out['key_size'] = facts.get('key_size')
    else:
        if facts.get('curve') is not None:
            out['curve'] = facts['curve']
        if facts.get('key_size') is not None:
            out['key_size'] = facts['key_size']
    return out


def jwk_view(api_jwk, include_private=False):
    """The modules' ``jwk`` return value; private members only with include_private (as ``private_jwk``)."""
    facts = current_state(api_jwk)
    jwk = api_jwk_to_jwk(api_jwk)
    out = {
        'id': api_jwk.get('id') if isinstance(api_jwk.get('id'), str) else None,
        'name': facts['name'],
        'description': facts['description'],
        'source_type': facts['source'],
        'key_type': facts['key_type'],
        'kid': facts['kid'],
        'use': facts['use'],
        'alg': facts['alg'],
    }
    _size_or_curve(facts, out)
    out['thumbprint'] = facts['thumbprint']
    out['public_jwk'] = public_jwk(jwk)
    if include_private and jwk is not None:
        out['private_jwk'] = jwk
    return out


def diff_view(api_jwk_or_none):
    """Metadata for ``--diff`` (never key material); {} when the JWK does not exist."""
    if not api_jwk_or_none:
        return {}
    facts = current_state(api_jwk_or_none)
    out = dict((k, facts[k]) for k in ('name', 'description', 'source', 'key_type', 'kid', 'use', 'alg'))
    _size_or_curve(facts, out)
    out['thumbprint'] = facts['thumbprint']
    return out


def desired_diff_view(params):
    """The ``after`` side of ``--diff`` when creating: metadata the request determines."""
    facts = desired_state(params)
    # What the task does not set is not predicted: the server's value is unknown until it answers.
    out = {'name': params.get('name'), 'description': facts.get('description')}
    for field in ('source', 'key_type', 'kid', 'use', 'alg'):
        out[field] = facts.get(field)
    if out['source'] not in (None, 'generate'):
        _size_or_curve(facts, out)
        out['thumbprint'] = facts.get('thumbprint')
        return out
    resolved = resolve_generate(params)
    out['key_type'] = resolved['key_type']
    out['use'] = resolved['use']
    out['alg'] = resolved['algorithm']
    if resolved['curve'] is not None:
        out['curve'] = resolved['curve']
    else:
        out['key_size'] = resolved['key_size']
    out['thumbprint'] = None  # known only once the server generated the key
    return out
