# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: jwk_rotation_plan
short_description: The plan of one run of the jwk_rotation role, from the lists it read
version_added: 1.0.0
author:
  - apinizer.apiops contributors
description:
  - "Pure computation, no request: from the JWK list and the credential list of a project
    (O(_input)) and the role's settings, decides what one run of the role
    P(apinizer.apiops.jwk_rotation#role) does: which generation to create (and its description,
    C(not_before) and C(expiration)), which listed credentials to switch to which generation, which
    generation records to write before and after the switches, which generations to keep and
    which to delete."
  - "The role keeps a record of what it did in the description of each generation JWK it
    manages, for example
    C(sig generation 20261204T110000Z, managed by apinizer.apiops.jwk_rotation | state: active |
    activated: 20261204T110000Z | expires: 2027-06-02T11:00:00Z | origin: rotation |
    switched: api-user/validation, mobile-app/validation). The format is described in
    C(docs/rotation.md) of the collection."
  - The same rules serve every flow of the role (scheduled, staged, rollback, revoke), so check
    mode shows exactly the plan a real run carries out.
options:
  _input:
    description:
      - "C({jwks, credentials, assignments_reported}): RV(apinizer.apiops.apinizer_jwk_info#module:jwks)
        and RV(apinizer.apiops.apinizer_credential_info#module:credentials) with its
        RV(apinizer.apiops.apinizer_credential_info#module:assignments_reported)."
    type: dict
    required: true
  settings:
    description:
      - "The role's variables without their C(jwk_rotation_) prefix: C(name), C(credentials),
        C(max_age), C(stage_ahead), C(keep), C(force), C(rollback), C(revoke), C(exclusive),
        and C(now) (UTC, C(YYYYMMDDTHHMMSSZ)); C(phase) is V(decide) (default) or V(reconcile)
        (after a rotation: converge on the newest active generation, create nothing)."
    type: dict
    required: true
'''

EXAMPLES = r'''
- name: Plan a rotation
  ansible.builtin.set_fact:
    plan: >-
      {{ {'jwks': jwk_list.jwks, 'credentials': credential_list.credentials,
          'assignments_reported': credential_list.assignments_reported}
         | apinizer.apiops.jwk_rotation_plan({'name': 'sig', 'now': '20261204T110000Z',
                                              'max_age': '90d', 'keep': 1,
                                              'credentials': [{'username': 'api-user'}]}) }}
'''

RETURN = r'''
_value:
  description:
    - "The plan: C(action) (V(none), V(rotate), V(stage), V(activate), V(rollback), V(revoke)),
      C(reason), C(create) (empty or C({name, description, not_before, expiration})), C(active),
      C(staged), C(pending) (credentials to switch), C(switch_labels), C(intents) and C(records)
      (C({name, description, source_type}) to write before and after the switches), C(previous),
      C(retire), C(kept_in_use), C(kept_unverified), C(revoked), C(retained), C(expirations),
      C(expiring), C(switch_files) and C(errors) (reasons to fail before any write)."
  type: dict
'''

import datetime
import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_native
from ansible.module_utils.parsing.convert_bool import boolean

MARK = 'managed by apinizer.apiops.jwk_rotation'
STAMP = '%Y%m%dT%H%M%SZ'
ISO = '%Y-%m-%dT%H:%M:%SZ'
UNITS = {'d': 86400, 'h': 3600, 'm': 60}
FIELDS = ('state', 'activated', 'expires', 'origin', 'switched')


# ---- the record in a generation's description ------------------------------------------------

def parse_record(description):
    """The role's record in a JWK description, or None when the role did not write it."""
    text = to_native(description or '')
    parts = [p.strip() for p in text.split(' | ')]
    if MARK not in parts[0]:
        return None
    record = {}
    for part in parts[1:]:
        key, sep, value = part.partition(': ')
        if sep and key in FIELDS:
            record[key] = value.strip()
    switched = record.get('switched', 'none')
    record['switched'] = [] if switched in ('', 'none') else [s.strip() for s in switched.split(',') if s.strip()]
    if record.get('state') not in ('staged', 'active', 'rolled-back'):
        return None
    return record


def format_record(base, stamp, record):
    """The description that carries ``record``: readable first, parseable by parse_record."""
    parts = ['%s generation %s, %s' % (base, stamp, MARK)]
    for key in FIELDS:
        value = record.get(key)
        if key == 'switched':
            value = ', '.join(sorted(set(value or []))) or 'none'
        if value is not None:
            parts.append('%s: %s' % (key, value))
    return ' | '.join(parts)


# ---- time ------------------------------------------------------------------------------------

def seconds(duration):
    """'90d' -> 7776000; None or '' -> 0."""
    if duration in (None, ''):
        return 0
    match = re.match(r'^([0-9]+)([dhm])$', to_native(duration))
    if not match:
        raise AnsibleFilterError('jwk_rotation_plan: %r is not a duration like 90d, 12h or 30m' % (duration,))
    return int(match.group(1)) * UNITS[match.group(2)]


def parse_stamp(stamp):
    return datetime.datetime.strptime(stamp, STAMP)


def iso(moment):
    return moment.strftime(ISO)


# ---- the view: generations and what uses them -------------------------------------------------

def generations(jwks, base):
    """The generations of ``base``, oldest first, each with its record (legacy: a plain active one)."""
    pattern = re.compile('^%s-([0-9]{8}T[0-9]{6}Z)$' % re.escape(base))
    out = []
    for jwk in jwks:
        match = pattern.match(to_native(jwk.get('name') or ''))
        if not match:
            continue
        record = parse_record(jwk.get('description'))
        out.append({'name': match.group(0), 'stamp': match.group(1), 'managed': record is not None,
                    'source_type': jwk.get('source_type'),
                    'record': record or {'state': 'active', 'activated': match.group(1), 'switched': []}})
    return sorted(out, key=lambda g: g['name'])


def targets_of(credentials):
    """The listed credentials as 'username/purpose' labels, purpose defaulted, duplicates removed."""
    out = []
    for item in credentials or []:
        label = '%s/%s' % (item['username'], item.get('purpose') or 'validation')
        if label not in out:
            out.append(label)
    return out


def assignments(credentials):
    """'username/purpose' -> JWK name, as the server reports it."""
    out = {}
    for cred in credentials:
        for purpose in ('validation', 'encryption'):
            out['%s/%s' % (cred['username'], purpose)] = cred.get('%s_jwk_name' % purpose)
    return out


def recorded_use(gens, active, targets):
    """What the records say every recorded credential uses once the listed ones are on ``active``."""
    where = {}
    # Oldest first, so a newer record wins; rolled-back generations only for credentials no other
    # record names (a rollback moved every credential listed at that time).
    for gen in sorted(gens, key=lambda g: (g['record']['state'] != 'rolled-back', g['name'])):
        for label in gen['record']['switched']:
            where[label] = gen['name']
    for label in targets:
        where[label] = active
    return where


# ---- decisions -------------------------------------------------------------------------------

class Planner(object):
    """One plan; every method is one rule of docs/rotation.md."""

    def __init__(self, view, settings):
        self.s = settings
        self.base = to_native(settings['name'])
        self.now = parse_stamp(to_native(settings['now']))
        self.max_age = seconds(settings.get('max_age', '90d'))
        self.stage_ahead = seconds(settings.get('stage_ahead'))
        self.keep = int(settings.get('keep', 1))
        self.reported = boolean(view.get('assignments_reported') or False, strict=False)
        self.gens = generations(view.get('jwks') or [], self.base)
        self.by_name = dict((g['name'], g) for g in self.gens)
        self.targets = targets_of(settings.get('credentials'))
        self.assigned = assignments(view.get('credentials') or [])
        self.known = set(c['username'] for c in view.get('credentials') or [])
        self.revoking = False
        self.plan = {'action': 'none', 'reason': '', 'create': {}, 'active': None, 'staged': None,
                     'pending': [], 'switch_labels': [], 'intents': [], 'records': [], 'previous': [],
                     'retire': [], 'kept_in_use': [], 'kept_unverified': [], 'revoked': [],
                     'retained': [], 'expirations': {}, 'expiring': [], 'errors': [],
                     'assignments_reported': self.reported, 'rolled_back': None}

    def flag(self, name):
        # Older cores template a bool inside a dict to the string 'False'.
        return boolean(self.s.get(name) or False, strict=False)

    def state(self, gen):
        return gen['record']['state']

    def active(self):
        """The newest generation in state active (legacy generations count as active)."""
        found = [g for g in self.gens if self.state(g) == 'active']
        return found[-1] if found else None

    def staged(self, active):
        """The newest staged generation newer than the active one (the key published ahead)."""
        found = [g for g in self.gens if self.state(g) == 'staged'
                 and (active is None or g['name'] > active['name'])]
        return found[-1] if found else None

    def age(self):
        """Seconds since the newest activation, rolled-back generations included (a rollback
        does not move the schedule); None when nothing was ever activated."""
        stamps = [g['record'].get('activated') or g['stamp'] for g in self.gens if self.state(g) != 'staged']
        if not stamps:
            return None
        return int((self.now - parse_stamp(max(stamps))).total_seconds())

    def lifetime(self):
        # Staged ahead, active for max_age, kept for keep more rotations; a quarter of max_age
        # more so that a late scheduled run never meets an expired key.
        return self.stage_ahead + self.max_age * (self.keep + 1) + self.max_age // 4

    def new_generation(self, state, origin):
        stamp = self.now.strftime(STAMP)
        name = '%s-%s' % (self.base, stamp)
        if name in self.by_name:
            self.plan['errors'].append('%s already exists: run the rotation again in a second.' % name)
        expires = iso(self.now + datetime.timedelta(seconds=self.lifetime()))
        record = {'state': state, 'activated': stamp if state == 'active' else None,
                  'expires': expires, 'origin': origin, 'switched': []}
        gen = {'name': name, 'stamp': stamp, 'managed': True, 'source_type': None, 'record': record, 'new': True}
        self.plan['create'] = {'name': name, 'description': format_record(self.base, stamp, record),
                               'not_before': iso(self.now), 'expiration': expires}
        self.gens.append(gen)
        self.by_name[name] = gen
        return gen

    # -- flows -----------------------------------------------------------------------------------

    def decide(self):
        active = self.active()
        staged = self.staged(active)
        if self.s.get('phase') == 'reconcile':
            self.plan['action'] = to_native(self.s.get('action') or 'none')
            self.revoking = self.plan['action'] == 'revoke'
            return self.converge(active, staged, 'converged on the newest generation after the rotation')
        if self.flag('rollback'):
            return self.rollback(active, staged)
        if self.flag('revoke'):
            return self.revoke(active, staged)
        age = self.age()
        if active is None or self.flag('force') or age > self.max_age:
            reason = ('forced (jwk_rotation_force)' if self.flag('force') and active is not None
                      else 'no generation of %s exists yet' % self.base if active is None
                      else '%s is older than %s' % (active['name'], self.s.get('max_age')))
            if staged is not None:
                return self.activate(staged, reason)
            self.plan['action'] = 'rotate'
            return self.converge(self.new_generation('active', 'rotation'), None, reason)
        if self.stage_ahead and staged is None and age > self.max_age - self.stage_ahead:
            self.plan['action'] = 'stage'
            reason = '%s is older than %s - %s: the next generation is staged' % (
                active['name'], self.s.get('max_age'), self.s.get('stage_ahead'))
            return self.converge(active, self.new_generation('staged', 'staged'), reason)
        return self.converge(active, staged, '%s is younger than %s' % (active['name'], self.s.get('max_age')))

    def intend(self, gen, **changes):
        """A record written before the switches, so a failure in the middle leaves a record that
        makes the next run finish the job (never one that claims a switch that did not happen)."""
        gen['record'] = dict(gen['record'], **changes)
        self.plan['intents'].append({'name': gen['name'], 'source_type': gen['source_type'],
                                     'description': format_record(self.base, gen['stamp'], gen['record'])})

    def activate(self, staged, reason):
        self.plan['action'] = 'activate'
        self.intend(staged, state='active', activated=self.now.strftime(STAMP), switched=[])
        return self.converge(staged, None, reason + '; the staged generation %s is activated' % staged['name'])

    def rollback(self, active, staged):
        if active is None:
            self.plan['errors'].append('jwk_rotation_rollback: no generation of %s exists.' % self.base)
            return self.converge(None, staged, 'nothing to roll back')
        newer = [g['name'] for g in self.gens if self.state(g) == 'rolled-back' and g['name'] > active['name']]
        if newer:
            return self.converge(active, staged, 'already rolled back from %s to %s' % (newer[-1], active['name']))
        older = [g for g in self.gens if g['name'] < active['name'] and self.state(g) == 'active']
        if not older:
            self.plan['errors'].append(
                'jwk_rotation_rollback: no previous generation of %s exists to roll back to from %s; '
                'nothing was changed.' % (self.base, active['name']))
            return self.converge(active, staged, 'nothing to roll back to')
        target = older[-1]
        self.plan['action'] = 'rollback'
        self.intend(active, state='rolled-back')
        self.intend(target, switched=[])
        self.plan['rolled_back'] = active['name']
        return self.converge(target, staged, 'rolled back from %s to %s (jwk_rotation_rollback)'
                             % (active['name'], target['name']))

    def revoke(self, active, staged):
        self.revoking = True
        if active is not None and active['record'].get('origin') == 'revoke' and not self.flag('force'):
            # Rerun after a revoke: the active key is the one the revoke created.
            return self.converge(active, None, '%s was created by a revoke; nothing older is kept' % active['name'])
        self.plan['action'] = 'revoke'
        reason = 'revoked %s (jwk_rotation_revoke)' % (active['name'] if active else 'nothing')
        return self.converge(self.new_generation('active', 'revoke'), None, reason)

    # -- switches, records, pruning ----------------------------------------------------------------

    def converge(self, active, staged, reason):
        """Switch the listed credentials that are not on ``active``, record it, plan the pruning."""
        plan = self.plan
        plan['reason'] = reason
        plan['active'] = active['name'] if active else None
        plan['staged'] = staged['name'] if staged else None
        if active is None:
            return self.finish(None, staged)
        if self.reported:
            pending = [t for t in self.targets if self.assigned.get(t) != active['name']]
        else:
            pending = [t for t in self.targets if t not in active['record']['switched']]
        plan['switch_labels'] = pending
        plan['pending'] = [dict(zip(('username', 'purpose'), t.rsplit('/', 1))) for t in pending]
        if pending:
            record = dict(active['record'], switched=sorted(set(active['record']['switched']) | set(self.targets)))
            plan['records'].append({'name': active['name'], 'source_type': active['source_type'],
                                    'description': format_record(self.base, active['stamp'], record)})
        return self.finish(active, staged)

    def in_use(self, active):
        """Generation names some credential uses once the listed ones are on ``active``."""
        if not self.reported:
            return recorded_use(self.gens, active['name'], self.targets)
        where = dict(self.assigned)
        for label in self.targets:
            where[label] = active['name']
        return dict((k, v) for k, v in where.items() if v)

    def finish(self, active, staged):
        plan = self.plan
        unknown = sorted(set(t.rsplit('/', 1)[0] for t in self.targets) - self.known)
        if unknown:
            plan['errors'].insert(0, 'jwk_rotation_credentials names credentials that do not exist in the '
                                     'project: %s. Nothing was changed.' % ', '.join(unknown))
        if active is not None:
            self.prune(active, staged)
        plan['retained'] = [n for n in [plan['active'], plan['staged']] + plan['previous']
                            + plan['kept_in_use'] + plan['kept_unverified'] if n]
        for name in plan['retained']:
            plan['expirations'][name] = self.by_name[name]['record'].get('expires')
        # The listed credentials end on the active generation: warn when it expires soon.
        expires = plan['expirations'].get(plan['active'])
        if expires and (datetime.datetime.strptime(expires, ISO) - self.now).total_seconds() < self.max_age / 4.0:
            plan['expiring'].append(plan['active'])
        return plan

    def prune(self, active, staged):
        plan = self.plan
        others = [g['name'] for g in reversed(self.gens) if g is not active and g is not staged]
        revoking = self.revoking
        plan['previous'] = [] if revoking else others[:self.keep]
        candidates = list(reversed(others if revoking else others[self.keep:]))
        use = self.in_use(active)
        users = {}
        for label, name in use.items():
            users.setdefault(name, []).append(label)
        for name in candidates:
            if name in users:
                if revoking:
                    plan['errors'].append('jwk_rotation_revoke cannot delete %s: %s still use(s) it (not in '
                                          'jwk_rotation_credentials); nothing was changed.'
                                          % (name, ', '.join(sorted(users[name]))))
                plan['kept_in_use'].append(name)
            elif self.reported or self.flag('exclusive'):
                plan['revoked' if revoking else 'retire'].append(name)
            else:
                plan['kept_unverified'].append(name)
        if revoking and plan['kept_unverified']:
            plan['errors'].append(
                'jwk_rotation_revoke cannot verify that no other credential uses %s: the server does not '
                'report assignments. Set jwk_rotation_exclusive: true if only the listed credentials use '
                'the generations of %s; nothing was changed.' % (', '.join(plan['kept_unverified']), self.base))
        if revoking:
            plan['retire'] = list(plan['revoked'])


def jwk_rotation_plan(view, settings):
    """The plan of one role run (see DOCUMENTATION)."""
    if not isinstance(view, dict) or not isinstance(settings, dict):
        raise AnsibleFilterError('jwk_rotation_plan expects a dict of lists and a dict of settings')
    return Planner(view, settings).decide()


class FilterModule(object):
    """apinizer.apiops filters."""

    def filters(self):
        return {'jwk_rotation_plan': jwk_rotation_plan}
