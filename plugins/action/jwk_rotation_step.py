# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The jwk_rotation role's own steps (documentation: plugins/modules/jwk_rotation_step.py).

An action, not a filter, because only an action sees what the role's decisions depend on and a
filter cannot: the task's real check mode (set by --check, or on the role, a block or
include_role's apply; ansible_check_mode reflects --check only), the play's module_defaults, the
connection, and the controller's files; and only an action emits real warnings. The decisions
themselves are plugin_utils/jwk_rotation_* (pure, unit-tested); this file only gathers their
input and shapes the task result.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

from ansible.plugins.action import ActionBase

try:
    from ansible.plugins.action import VariableLayer
except ImportError:  # ansible-core before 2.20 injects ansible_facts as variables
    VariableLayer = None

from ansible_collections.apinizer.apiops.plugins.module_utils.where_used import pinned_by_name
from ansible_collections.apinizer.apiops.plugins.plugin_utils import jwk_rotation_key_file as key_file
from ansible_collections.apinizer.apiops.plugins.plugin_utils.jwk_rotation_plan import (
    PlanError,
    for_run,
    make_plan,
    merge,
    result as rotation_result,
    utc_stamp,
    warnings as plan_warnings,
)
from ansible_collections.apinizer.apiops.plugins.plugin_utils.jwk_rotation_settings import (
    GROUP,
    PREFIX,
    connection,
    connection_problems,
    project_of,
    role_settings,
)

# The role's variables the steps read (meta/argument_specs.yml documents them), without PREFIX.
VARIABLES = ('name', 'key_type', 'key_size', 'curve', 'algorithm', 'use', 'credentials', 'max_age', 'force',
             'keep', 'exclusive', 'stage_ahead', 'rollback', 'revoke', 'source', 'private_key_path',
             'private_key_format', 'apinizer_url', 'apinizer_token', 'apinizer_username', 'apinizer_password',
             'apinizer_project', 'apinizer_validate_certs', 'apinizer_ca_path', 'apinizer_timeout',
             'apinizer_retries')
STEPS = ('settings', 'connection', 'plan', 'reconcile', 'key_file', 'result')


def plan_deletes(plan):
    """Whether a plan deletes a generation (retires or revokes one)."""
    return bool(plan['retire'] or plan['revoked'])


def pinned_from(usage, jwks):
    """The plan's ``pinned`` from apinizer_jwk_info's ``jwks`` read with ``usage: true``. A JWK of
    the view that the usage read did not cover (another run created it since) was not checked: it
    may be pinned, so it is never deleted on this run."""
    pinned = pinned_by_name(usage)
    read = set(j.get('name') for j in usage)
    for jwk in jwks:
        if jwk.get('name') not in read:
            pinned[jwk.get('name')] = [dict(possible=True, reason='not read: it appeared after the policies were read')]
    return pinned


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(('step', 'jwks', 'credentials', 'assignments_reported', 'pinned', 'usage', 'plan',
                             'retained'))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        self.task_vars = task_vars or {}
        self.module_warnings = []
        args = self._task.args
        step = args.get('step')
        if step not in STEPS:
            return dict(result, failed=True, msg='step must be one of %s, got %r.' % (', '.join(STEPS), step))
        try:
            result.update(getattr(self, 'step_' + step)(args))
        except (key_file.Refused, PlanError) as exc:
            result.update(failed=True, msg=str(exc))
        if self.module_warnings:
            result['warnings'] = self.module_warnings + list(result.get('warnings') or [])
        if 'ansible_facts' in result:
            self.set_variables(result['ansible_facts'])
        result.setdefault('changed', False)
        return result

    def set_variables(self, facts):
        """The facts become variables of the host as set_fact makes them: newer cores deprecate
        reading an injected ansible_facts entry as a top-level variable."""
        if VariableLayer is not None:
            self.register_host_variables({}, VariableLayer.CACHEABLE_FACT)
            self.register_host_variables(facts, VariableLayer.EPHEMERAL_FACT)

    # -- what the steps read -----------------------------------------------------------------------

    @property
    def check_mode(self):
        return bool(self._task.check_mode)

    def variables(self):
        """The role's variables (without PREFIX), templated; unset ones are None."""
        return dict((name, self._templar.template(self.task_vars.get(PREFIX + name))) for name in VARIABLES)

    def local(self):
        return getattr(self._connection, 'transport', None) == 'local'

    def environ(self):
        """The environment the modules will run with; None when they run elsewhere."""
        if not self.local():
            return None
        env = dict(os.environ)
        for entry in self._task.environment or []:
            entry = self._templar.template(entry)
            if isinstance(entry, dict):
                env.update((str(k), str(v)) for k, v in entry.items())
        return env

    def play_entry(self):
        """The group/apinizer.apiops.apinizer entry the role's tasks would get from the play (and
        any block or include around the role): the last one wins, as in ansible's module_defaults."""
        entry = {}
        for defaults in self._task.module_defaults or []:
            if isinstance(defaults, dict) and GROUP in defaults:
                entry = self._templar.template(defaults[GROUP]) or {}
        return dict(entry) if isinstance(entry, dict) else {}

    def settings(self, variables=None):
        variables = variables or self.variables()
        entry = connection(self.play_entry(), variables)
        settings, errors = role_settings(variables, project_of(entry, self.environ()))
        return settings, errors, entry

    def view(self, args):
        view = {'jwks': args.get('jwks') or [], 'credentials': args.get('credentials') or [],
                'assignments_reported': args.get('assignments_reported')}
        if args.get('pinned') is not None:
            view['pinned'] = args['pinned']
        elif args.get('usage') is not None:
            view['pinned'] = pinned_from(args['usage'], view['jwks'])
        return view

    def key_file(self, settings, plan, created):
        if settings['source'] != 'local':
            return None
        return key_file.decide(settings['private_key_path'], plan['active'], plan['generations'], created)

    # -- the steps -------------------------------------------------------------------------------

    def step_settings(self, args):
        """Everything checked before the first request."""
        variables = self.variables()
        settings, errors, entry = self.settings(variables)
        errors.extend(connection_problems(entry, self.environ()))
        if settings['source'] == 'local' and not self.local():
            errors.append('jwk_rotation_source local keeps the private keys on the controller: run the role with '
                          'connection local (for example hosts: localhost).')
        if errors:
            return dict(failed=True, msg=' '.join(errors))
        return dict(msg='settings checked', check_mode=self.check_mode)

    def step_connection(self, args):
        """The role's entry for group/apinizer.apiops.apinizer, returned to be registered, never a
        fact: it carries the token or password, and a fact may be cached on disk (the role's task
        is no_log, and the role forgets the registered value when it ends)."""
        return dict(connection=self.settings()[2])

    def read_usage(self, entry):
        """Which policies pin each JWK of the project: apinizer_jwk_info ``usage: true`` with the
        role's connection (the proxy list and each proxy's policies). Run only for a plan that would
        delete a generation; the module's own reads and masking, its warnings passed on."""
        result = self._execute_module(module_name='apinizer.apiops.apinizer_jwk_info',
                                      module_args=dict(entry, usage=True), task_vars=self.task_vars)
        self.module_warnings.extend(w for w in result.get('warnings') or [] if isinstance(w, str))
        if result.get('failed'):
            raise PlanError('Reading which policies pin the generations to delete failed, so nothing was '
                            'changed: %s' % result.get('msg'))
        return result['jwks']

    def plan_reading_pins(self, view, plan_settings, entry):
        """make_plan; when that plan would delete a generation and the view holds no pins, never a
        deletion the policies were not read for (issue 22): read them into the view, plan again."""
        plan = make_plan(view, plan_settings)
        if not plan['errors'] and plan_deletes(plan) and 'pinned' not in view:
            view['usage'] = self.read_usage(entry)
            view['pinned'] = pinned_from(view['usage'], view['jwks'])
            plan = make_plan(view, plan_settings)
        return plan

    def step_plan(self, args):
        settings, errors, entry = self.settings()
        if errors:
            return dict(failed=True, msg=' '.join(errors))
        view = self.view(args)
        plan = self.plan_reading_pins(view, dict(settings, now=utc_stamp()), entry)
        if plan['errors']:
            return dict(failed=True, msg=' '.join(plan['errors']))
        plan['usage'] = view.get('usage')
        decision = self.key_file(settings, plan, plan['create'].get('name'))
        plan = for_run(plan, self.check_mode, settings, decision)
        plan['warnings'] = plan_warnings(plan, settings['name'])
        return dict(ansible_facts={'__jwk_rotation_plan': plan}, changed=bool(plan['shown']),
                    msg=plan['shown'] or plan['summary'], warnings=plan['warnings'])

    def step_reconcile(self, args):
        first = args['plan']
        settings, errors, entry = self.settings()
        view = self.view(args)
        if 'pinned' not in view and first.get('usage') is not None:
            # What the first plan read still holds: a policy pins by id, and no id changed since.
            view['pinned'] = pinned_from(first['usage'], view['jwks'])
        reconcile = dict(settings, now=utc_stamp(), phase='reconcile', action=first['action'])
        second = self.plan_reading_pins(view, reconcile, entry)
        if second['errors']:
            return dict(failed=True, msg=' '.join(second['errors']))
        plan = merge(first, second)
        plan = for_run(plan, self.check_mode, settings, self.key_file(settings, plan, None), phase='reconcile')
        # Each warning once per run: only what the first plan did not already say.
        plan['warnings'] = [w for w in plan_warnings(plan, settings['name']) if w not in first.get('warnings', [])]
        return dict(ansible_facts={'__jwk_rotation_plan': plan}, msg=plan['summary'], warnings=plan['warnings'])

    def step_key_file(self, args):
        plan = args['plan']
        settings = self.settings()[0]
        created = plan['create'].get('name') if self.check_mode else None
        decision = self.key_file(settings, plan, created)
        changed = key_file.put(decision, self.check_mode)
        verb = 'would put' if self.check_mode else 'put'
        msg = ('%s the private key of %s at %s' % (verb, plan['active'], decision['path']) if changed
               else '%s holds the private key of %s' % (decision['path'], plan['active']))
        return dict(changed=changed, msg=msg, path=decision['path'])

    def step_result(self, args):
        value = rotation_result(args['plan'], args.get('retained') or {})
        # ansible_stats: what set_stats would pass to AWX workflows.
        return dict(ansible_facts={'jwk_rotation_result': value},
                    ansible_stats={'data': {'jwk_rotation_result': value}, 'per_host': False, 'aggregate': True})
