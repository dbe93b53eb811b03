# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The plan of one run of the jwk_rotation role, from the lists it read (controller side, no I/O).

Owns the rules of docs/rotation.md: the record in a generation's description, which JWKs are the
role's generations (never one without its record or with a stamp in the future), the flows
(scheduled, staged, rollback, revoke), the switches and records, what is kept and what is
deleted (never a generation a credential or a policy is known to use; in the ``admin`` project,
whose JWKs other projects' credentials may use, nothing without jwk_rotation_exclusive), the
merge of the plan made after a rotation (reconcile) with the first one, what a check-mode run can
only show, the lines and warnings a run prints, and jwk_rotation_result.

The filter apinizer.apiops.jwk_rotation_plan and the action apinizer.apiops.jwk_rotation_step
both call ``make_plan``; nothing here reads a file or sends a request.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import re

from ansible.module_utils.parsing.convert_bool import boolean

MARK = 'managed by apinizer.apiops.jwk_rotation'
STAMP = '%Y%m%dT%H%M%SZ'
ISO = '%Y-%m-%dT%H:%M:%SZ'
UNITS = {'d': 86400, 'h': 3600, 'm': 60}
FIELDS = ('state', 'activated', 'expires', 'origin', 'switched')
# The project whose JWKs credentials of every project may use (the vendor's documentation).
SHARED_PROJECT = 'admin'
NOT_REPORTED = 'unknown (the server does not report which JWK a credential uses)'


def copy_path(path, name):
    """Where the private key of generation ``name`` is kept (source local)."""
    return '%s.%s' % (path, name)


class PlanError(ValueError):
    """Settings the plan cannot be made from (the callers validated them; this is a bug guard)."""


def _text(value):
    return '' if value is None else str(value)


def flag(value):
    """A role flag, however it arrives (older cores template a bool inside a dict to 'False')."""
    return boolean(value or False, strict=False)


# ---- the record in a generation's description ------------------------------------------------

def parse_record(description, stamp=None):
    """The role's record in a JWK description, or None when the role did not write it.

    With ``stamp``, the record must name that generation (a record copied onto another JWK is
    not that JWK's record).
    """
    parts = [p.strip() for p in _text(description).split(' | ')]
    if MARK not in parts[0]:
        return None
    if stamp is not None and ('generation %s,' % stamp) not in parts[0]:
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

DURATION = re.compile(r'^([0-9]+)([dhm])$')


def seconds(duration):
    """'90d' -> 7776000; None or '' -> 0; ValueError for anything else."""
    if duration is None or duration == '':
        return 0
    match = DURATION.match(duration) if isinstance(duration, str) else None
    if not match:
        raise ValueError('%r is not a duration like 90d, 12h or 30m' % (duration,))
    return int(match.group(1)) * UNITS[match.group(2)]


def parse_stamp(stamp):
    return datetime.datetime.strptime(stamp, STAMP)


def iso(moment):
    return moment.strftime(ISO)


def utc_stamp():
    """Now, as a generation stamp."""
    return datetime.datetime.now(datetime.timezone.utc).strftime(STAMP)


# ---- the view: generations and what uses them -------------------------------------------------

def generations(jwks, base, now):
    """(managed, left_alone) for the JWKs named like generations of ``base``, oldest first.

    A generation is the role's only when its description carries the role's record for that
    generation and its stamp is not in the future. Any other JWK of that name is left alone:
    never made active, switched to, written or deleted (someone's own key, or a planted one).
    """
    pattern = re.compile('^%s-([0-9]{8}T[0-9]{6}Z)$' % re.escape(base))
    managed, alone = [], []
    for jwk in jwks:
        match = pattern.match(_text(jwk.get('name')))
        if not match:
            continue
        name, stamp = match.group(0), match.group(1)
        try:
            future = parse_stamp(stamp) > now
        except ValueError:   # 20241399T... matches the pattern but is no date
            alone.append({'name': name, 'why': 'its stamp is not a date'})
            continue
        record = parse_record(jwk.get('description'), stamp)
        if future:
            alone.append({'name': name, 'why': 'its stamp lies in the future'})
        elif record is None:
            alone.append({'name': name, 'why': 'no record of the role'})
        else:
            managed.append({'name': name, 'stamp': stamp, 'source_type': jwk.get('source_type'),
                            'record': record})
    return sorted(managed, key=lambda g: g['name']), sorted(alone, key=lambda g: g['name'])


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


def describe_reference(ref):
    """One policy that pins a JWK, in words: proxy, policy, where (the where-used reader's fields)."""
    if not isinstance(ref, dict):
        return _text(ref)
    where = ', '.join(_text(ref[k]) for k in ('endpoint', 'pipeline', 'field') if ref.get(k))
    text = '%s/%s' % (ref.get('api_proxy') or '?', ref.get('policy') or ref.get('type') or '?')
    if ref.get('possible'):
        text = 'possibly ' + text
    return '%s (%s)' % (text, where) if where else text


# ---- decisions -------------------------------------------------------------------------------

class Planner(object):
    """One plan; every method is one rule of docs/rotation.md."""

    def __init__(self, view, settings):
        self.s = settings
        self.base = _text(settings['name'])
        self.now = parse_stamp(_text(settings['now']))
        self.max_age = seconds(settings.get('max_age', '90d'))
        self.stage_ahead = seconds(settings.get('stage_ahead'))
        self.keep = int(settings.get('keep', 1))
        self.reported = flag(view.get('assignments_reported'))
        # Fail closed: a project that is not known not to be admin may be admin.
        project = settings.get('project', '')
        self.shared = project is None or _text(project).strip().lower() == SHARED_PROJECT
        jwks = view.get('jwks') or []
        self.names = set(_text(j.get('name')) for j in jwks)
        self.gens, self.left_alone = generations(jwks, self.base, self.now)
        self.by_name = dict((g['name'], g) for g in self.gens)
        self.targets = targets_of(settings.get('credentials'))
        self.assigned = assignments(view.get('credentials') or [])
        self.known = set(c['username'] for c in view.get('credentials') or [])
        # Where-used (issue 22): generation name -> the policies that pin it; None = not checked.
        pinned = view.get('pinned')
        self.pins = dict((k, list(v)) for k, v in pinned.items() if v) if isinstance(pinned, dict) else {}
        self.revoking = False
        self.plan = {'action': 'none', 'reason': '', 'create': {}, 'active': None, 'staged': None,
                     'pending': [], 'switch_labels': [], 'intents': [], 'records': [], 'previous': [],
                     'retire': [], 'kept_in_use': [], 'kept_unverified': [], 'revoked': [],
                     'retained': [], 'expirations': {}, 'expiring': [], 'errors': [],
                     'assignments_reported': self.reported, 'rolled_back': None,
                     'left_alone': self.left_alone, 'pinned_by_policies': {},
                     'shared_project': self.shared, 'policies_checked': isinstance(pinned, dict)}

    def flag(self, name):
        return flag(self.s.get(name))

    def state(self, gen):
        return gen['record']['state']

    def active(self):
        """The newest generation in state active."""
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
        if name in self.names:
            self.plan['errors'].append('%s already exists: run the rotation again in a second.' % name)
        expires = iso(self.now + datetime.timedelta(seconds=self.lifetime()))
        record = {'state': state, 'activated': stamp if state == 'active' else None,
                  'expires': expires, 'origin': origin, 'switched': []}
        gen = {'name': name, 'stamp': stamp, 'source_type': None, 'record': record, 'new': True}
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
            self.plan['action'] = _text(self.s.get('action') or 'none')
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
        plan['generations'] = [g['name'] for g in self.gens]
        plan['pinned_by_policies'] = dict((g['name'], self.pins[g['name']]) for g in self.gens
                                          if g['name'] in self.pins and g['name'] not in (plan['active'], plan['staged']))
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
        # One project's credential list proves nothing where other projects' credentials may use
        # the JWKs (admin); only jwk_rotation_exclusive, the user's statement, lets the role prune.
        provable = (self.reported and not self.shared) or self.flag('exclusive')
        for name in candidates:
            if name in users or name in self.pins:
                if revoking and name in users:
                    plan['errors'].append('jwk_rotation_revoke cannot delete %s: %s still use(s) it (not in '
                                          'jwk_rotation_credentials); nothing was changed.'
                                          % (name, ', '.join(sorted(users[name]))))
                if revoking and name in self.pins:
                    plan['errors'].append('jwk_rotation_revoke cannot delete %s: policies pin it by its id (%s); '
                                          'point them at another key first. Nothing was changed.'
                                          % (name, '; '.join(describe_reference(r) for r in self.pins[name])))
                plan['kept_in_use'].append(name)
            elif provable:
                plan['revoked' if revoking else 'retire'].append(name)
            else:
                plan['kept_unverified'].append(name)
        if revoking and plan['kept_unverified']:
            plan['errors'].append(
                'jwk_rotation_revoke cannot verify that no other credential uses %s: %s. Set '
                'jwk_rotation_exclusive: true if only the listed credentials use the generations of %s; '
                'nothing was changed.' % (', '.join(plan['kept_unverified']), self.unverifiable(), self.base))
        if revoking:
            plan['retire'] = list(plan['revoked'])

    def unverifiable(self):
        """Why the credential list cannot prove a generation unused."""
        if self.shared:
            return ('the project is %s (or not known), whose JWKs credentials of other projects may use, and '
                    'one project\'s credential list cannot show them' % SHARED_PROJECT)
        return 'the server does not report assignments'


def make_plan(view, settings):
    """The plan of one role run: see Planner and docs/rotation.md."""
    if not isinstance(view, dict) or not isinstance(settings, dict):
        raise PlanError('jwk_rotation_plan expects a dict of lists and a dict of settings')
    return Planner(view, settings).decide()


# ---- the run: check mode, reconcile, what is printed ------------------------------------------

def for_run(plan, check_mode, settings, key_file=None, phase='decide'):
    """The plan as the role carries it out: what only the plan can show in check mode (a
    generation this run would create does not exist, so nothing can be switched to it or
    recorded in it), what the report reads, and which parts of the change run at all (booleans:
    the role's conditions test nothing else).

    ``settings``: the role's settings (source, private_key_path, key). ``key_file``: the
    jwk_rotation_key_file decision for source local (None otherwise). ``phase``: V(reconcile) for
    the plan made after a rotation (it is not reconciled again, and creates nothing).
    """
    plan = dict(plan)
    plan['intents'] = [dict(w) for w in plan['intents']]
    plan['records'] = [dict(w) for w in plan['records']]
    created = plan['create'].get('name')
    local = settings.get('source') == 'local'
    plan['key'] = settings.get('key')
    plan['check_mode'] = bool(check_mode)
    plan['creating'] = bool(created) and created == plan['active']
    plan['shown'] = []
    if check_mode and created:
        if plan['creating'] and plan['pending']:
            plan['shown'].append('would switch %s to %s, which this run would create'
                                 % (', '.join(plan['switch_labels']), created))
            plan['pending'] = []
        plan['records'] = [r for r in plan['records'] if r['name'] != created]
        plan['intents'] = [r for r in plan['intents'] if r['name'] != created]
    for write in plan['intents'] + plan['records']:
        write['new'] = write['name'] == created
        write['imported'] = write.get('source_type') == 'jwk' or (write['new'] and local)
    plan['imported'] = sorted(set(w['name'] for w in plan['intents'] + plan['records']
                                  if w['imported'] and not w['new']))
    plan['stage'] = bool(created) and phase == 'decide'
    plan['switching'] = bool(plan['intents'] or plan['pending'] or plan['records'])
    plan['read_back'] = [n for n in plan['retained'] if not (check_mode and n == created)]
    plan['reconcile'] = phase == 'decide' and plan['action'] in ('rotate', 'revoke') and not check_mode
    plan['key_file'] = key_file or {}
    plan['key_file_due'] = bool(key_file) and bool(key_file.get('status') == 'put' or key_file.get('fix_mode')
                                                   or plan['reconcile'])
    plan['prune'] = bool(plan['retire'])
    plan['retire_files'] = [copy_path(settings['private_key_path'], n) for n in plan['retire']] if local else []
    plan['writes'] = bool(plan['stage'] or plan['switching'] or plan['prune'] or plan['reconcile']
                          or plan['key_file_due'])
    plan['summary'] = summary(plan)
    return plan


def merge(first, second):
    """The plan after reconcile: the fresh view's plan, with what the first plan created and
    switched (jwk_rotation_result reports the whole run)."""
    plan = dict(second)
    plan['create'] = first['create']
    plan['reason'] = first['reason']
    plan['switch_labels'] = first['switch_labels'] + [s for s in second['switch_labels']
                                                      if s not in first['switch_labels']]
    plan['first_active'] = first['active']
    return plan


def _names(names):
    return ', '.join(names) or 'none'


def summary(plan):
    """The lines that show the plan; in check mode they say what the real run would do."""
    check = plan.get('check_mode')
    would = 'would ' if check else ''
    created = plan['create'].get('name')
    action = plan['action'] if plan['action'] == 'none' else would + plan['action']

    def named(name):
        if name and name == created:
            return '%s (%s by this run)' % (name, 'would be created' if check else 'created')
        return name or 'none'

    lines = ['action: %s (%s)' % (action, plan['reason']),
             'active: %s' % named(plan['active']),
             'staged: %s' % named(plan['staged']),
             '%sswitch: %s' % (would, _names(plan['switch_labels']))]
    if plan['revoked']:
        lines.append('%srevoke: %s' % (would, _names(plan['revoked'])))
    else:
        lines.append('%sretire: %s' % (would, _names(plan['retire'])))
    lines.append('kept because in use: %s' % in_use_text(plan))
    lines.append('kept unverified: %s' % _names(plan['kept_unverified']))
    if plan.get('left_alone'):
        lines.append('left alone (not the role\'s): %s' % ', '.join(
            '%s (%s)' % (g['name'], g['why']) for g in plan['left_alone']))
    if plan.get('pinned_by_policies'):
        lines.append('pinned by policies: %s' % '; '.join(
            '%s by %s' % (name, ', '.join(describe_reference(r) for r in refs))
            for name, refs in sorted(plan['pinned_by_policies'].items())))
    key_file = plan.get('key_file') or {}
    if key_file.get('status') == 'put':
        lines.append('key file: %sput the private key of %s at %s' % (would, plan['active'], key_file['path']))
    elif key_file.get('status') == 'holding':
        lines.append('key file: %s holds %s' % (key_file['path'], plan['active']))
    return lines


def in_use_text(plan):
    """'kept because in use': never 'none' where nobody can know (documented server, admin)."""
    kept = _names(plan['kept_in_use'])
    if plan['assignments_reported'] and not plan.get('shared_project'):
        return kept
    if plan['assignments_reported']:
        return '%s; credentials of other projects: unknown (admin project)' % kept
    if plan['kept_in_use']:
        return '%s (from the role\'s record); others %s' % (kept, NOT_REPORTED)
    return NOT_REPORTED


def warnings(plan, base):
    """The warnings of a plan, each a sentence; a run prints each once."""
    out = []
    if plan['kept_unverified']:
        if plan.get('shared_project'):
            why = ('The project is %s (or not known), whose JWKs credentials of other projects may use, and one '
                   'project\'s credential list cannot show them' % SHARED_PROJECT)
        else:
            why = 'The server does not report which JWKs the credentials use'
        out.append('%s, so these generations of %s beyond jwk_rotation_keep are kept: %s. Set '
                   'jwk_rotation_exclusive: true if only the listed credentials use them.'
                   % (why, base, ', '.join(plan['kept_unverified'])))
    for name in plan['expiring']:
        out.append('%s, used by the listed credentials, expires at %s, within a quarter of jwk_rotation_max_age: '
                   'rotate now (jwk_rotation_force: true).' % (name, plan['expirations'][name]))
    if plan.get('left_alone'):
        out.append('JWKs named like generations of %s that the role did not create are left alone (never made '
                   'active, switched to, written or deleted): %s.' % (base, ', '.join(
                       '%s (%s)' % (g['name'], g['why']) for g in plan['left_alone'])))
    if plan.get('pinned_by_policies'):
        out.append('Policies still use an old key of %s: %s. A rotation that leaves a policy on an old key has '
                   'not rotated that policy: point it at %s (a policy pins a JWK by its id); the pinned '
                   'generations are kept.' % (base, '; '.join(
                       '%s by %s' % (name, ', '.join(describe_reference(r) for r in refs))
                       for name, refs in sorted(plan['pinned_by_policies'].items())), plan['active']))
    if plan.get('first_active') and plan['first_active'] != plan['active']:
        out.append('Another run rotated %s at the same time: %s is the newest generation, so the listed '
                   'credentials end on it; %s, created by this run, is kept as a previous generation or retired.'
                   % (base, plan['active'], plan['first_active']))
    return out


def result(plan, read_back):
    """jwk_rotation_result, from the plan and the read of the retained generations."""
    jwks = read_back.get('jwks') or []
    active = next((j for j in jwks if j.get('name') == plan['active']), {})
    return {
        'rotated': plan['action'] in ('rotate', 'revoke', 'activate'),
        'action': plan['action'],
        'reason': plan['reason'],
        'active': plan['active'],
        'kid': active.get('kid'),
        'thumbprint': active.get('thumbprint'),
        'staged': plan['staged'],
        'rolled_back': plan['rolled_back'],
        'previous': plan['previous'],
        'switched': plan['switch_labels'],
        'retired': [] if plan['revoked'] else plan['retire'],
        'revoked': plan['revoked'],
        'kept_in_use': plan['kept_in_use'],
        'kept_unverified': plan['kept_unverified'],
        'assignments_reported': plan['assignments_reported'],
        'expirations': plan['expirations'],
        'jwk_set': read_back.get('jwk_set') or {'keys': []},
        'pinned_by_policies': plan['pinned_by_policies'],
    }
