# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The jwk_rotation role's variables as settings: checked, defaulted, and its connection.

Owns: what the role checks before its first request (durations, keep, the source settings,
rollback with revoke, and the key matrix through the filter apinizer.apiops.jwk_param_errors,
which reads module_utils/jwk_validation), the key every new generation gets (module_utils/
jwk_defaults.resolve_generate, the modules' own defaults: nothing restated here), and the role's
entry for group/apinizer.apiops.apinizer (the play's entry, the jwk_rotation_apinizer_* variables
over it) with what is missing from it.

``variables`` are the role's variables without their ``jwk_rotation_`` prefix, already templated.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.apinizer.apiops.plugins.filter.jwk_param_errors import jwk_param_errors
from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_defaults import resolve_generate
from ansible_collections.apinizer.apiops.plugins.plugin_utils.jwk_rotation_plan import flag, seconds

PREFIX = 'jwk_rotation_'
GROUP = 'group/apinizer.apiops.apinizer'
# role variable (without the prefix) -> module option
CONNECTION_VARIABLES = (
    ('apinizer_url', 'apinizer_url'),
    ('apinizer_token', 'apinizer_token'),
    ('apinizer_username', 'apinizer_username'),
    ('apinizer_password', 'apinizer_password'),
    ('apinizer_project', 'project'),
    ('apinizer_validate_certs', 'validate_certs'),
    ('apinizer_ca_path', 'ca_path'),
    ('apinizer_timeout', 'timeout'),
    ('apinizer_retries', 'retries'),
)
# One way of authenticating: the role's replaces the play's as a whole (never a token from one
# and a user name from the other, which the modules refuse).
CREDENTIAL_OPTIONS = ('apinizer_token', 'apinizer_username', 'apinizer_password')
FLAGS = ('force', 'rollback', 'revoke', 'exclusive')


def _given(value):
    return value is not None and value != ''


def role_settings(variables, project=None):
    """(settings, errors): the plan's settings from the role's variables, and every problem, each
    naming the variable, before any request. ``project``: the project the modules will use (None
    when it cannot be known here)."""
    errors = []
    max_age, stage_ahead = variables.get('max_age'), variables.get('stage_ahead')
    max_seconds = stage_seconds = None
    try:
        max_seconds = seconds(max_age) if _given(max_age) else None
    except ValueError:
        pass
    if max_seconds is None:
        errors.append('jwk_rotation_max_age must be a whole number followed by d, h or m (for example 90d, 12h, '
                      '30m), got %s.' % (max_age,))
    if _given(stage_ahead):
        try:
            stage_seconds = seconds(str(stage_ahead))
        except ValueError:
            errors.append('jwk_rotation_stage_ahead must be a whole number followed by d, h or m (for example '
                          '14d), got %s.' % (stage_ahead,))
        if stage_seconds is not None and max_seconds is not None and stage_seconds >= max_seconds:
            errors.append('jwk_rotation_stage_ahead (%s) must be shorter than jwk_rotation_max_age (%s).'
                          % (stage_ahead, max_age))
    keep = variables.get('keep', 1)
    try:
        keep = int(keep)
        if keep < 0:
            raise ValueError(keep)
    except (TypeError, ValueError):
        errors.append('jwk_rotation_keep must be 0 or more, got %s.' % (variables.get('keep'),))
    source = variables.get('source') or 'generate'
    if source == 'local' and not _given(variables.get('private_key_path')):
        errors.append('jwk_rotation_private_key_path is required with jwk_rotation_source local.')
    flags = dict((name, flag(variables.get(name))) for name in FLAGS)
    if flags['rollback'] and flags['revoke']:
        errors.append('jwk_rotation_rollback and jwk_rotation_revoke cannot both be true.')
    if errors:
        errors = ['Invalid jwk_rotation settings: %s' % ' '.join(errors)]
    key, key_errors = key_settings(variables)
    if key_errors:
        errors.append('Invalid jwk_rotation key settings: %s. Nothing was changed.' % '; '.join(key_errors))
    settings = dict(flags, name=variables.get('name'), credentials=variables.get('credentials') or [],
                    max_age=max_age, stage_ahead=stage_ahead if _given(stage_ahead) else None, keep=keep,
                    project=project, source=source, private_key_path=variables.get('private_key_path'),
                    private_key_format=variables.get('private_key_format') or 'jwk', key=key)
    return settings, errors


def key_settings(variables):
    """(key, problems): the key of every new generation, defaulted as apinizer_jwk defaults a
    generate request, and the problems jwk_param_errors finds in what the user set."""
    key_type = variables.get('key_type') or 'EC'
    # Only what the role passes to the modules: key_size for RSA, curve for EC and OKP.
    params = {'key_type': key_type,
              'key_size': variables.get('key_size') if key_type == 'RSA' else None,
              'curve': None if key_type == 'RSA' else variables.get('curve'),
              'use': variables.get('use') or 'signature',
              'algorithm': variables.get('algorithm')}
    problems = jwk_param_errors(params, option_prefix=PREFIX)
    if problems:
        return None, problems
    return resolve_generate(params), []


def connection(play_entry, variables):
    """The role's entry for group/apinizer.apiops.apinizer: the play's (already templated), with
    every jwk_rotation_apinizer_* variable that is set over it. Unset ones leave the play's value,
    else the module's environment variable or default."""
    out = dict(play_entry or {})
    given = dict((option, variables.get(name)) for name, option in CONNECTION_VARIABLES
                 if _given(variables.get(name)))
    if any(option in given for option in CREDENTIAL_OPTIONS):
        for option in CREDENTIAL_OPTIONS:
            out.pop(option, None)
    out.update(given)
    return out


def connection_problems(entry, environ):
    """What the modules would miss, named for the role's user; ``environ``: the modules'
    environment, or None when it cannot be known here (then the modules say it)."""
    if environ is None:
        return []
    out = []
    for option, name, env in (('apinizer_url', 'jwk_rotation_apinizer_url', 'APINIZER_URL'),
                              ('project', 'jwk_rotation_apinizer_project', 'APINIZER_PROJECT')):
        if not _given(entry.get(option)) and not environ.get(env):
            out.append('%s is required for the role\'s tasks: set %s, or %s in the play\'s module_defaults for '
                       '%s, or the %s environment variable.' % (option, name, option, GROUP, env))
    return out


def project_of(entry, environ):
    """The project the modules will use; None when it cannot be known here."""
    if _given(entry.get('project')):
        return str(entry['project'])
    if environ is None:
        return None
    return environ.get('APINIZER_PROJECT') or None
