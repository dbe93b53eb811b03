# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Deployment results: every write is deployed to each environment of the project, and may fail in some.

Owns parsing a write's answer into ``[{'environment', 'success', 'message'}]`` and the one
deployment-failure report of every module (the message and ``failed_environments``); the module
skeleton (apinizer_module.py) applies the ``fail_on_deploy_error`` policy with it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


def parse_deployment(body):
    """Turn a write answer into ``[{'environment', 'success', 'message'}]``.

    A deploymentResult that failed without naming any environment still yields one failed
    entry (environment None) so that deployment_failed() never reports a failure as success.
    """
    if not isinstance(body, dict):
        return []
    result = body.get('deploymentResult')
    if not isinstance(result, dict):
        return []
    entries = []
    for env in result.get('environmentResults') or []:
        if not isinstance(env, dict):
            continue
        entries.append(dict(
            environment=env.get('environmentName'),
            success=bool(env.get('success')),
            message=env.get('message'),
        ))
    if not entries and result.get('success') is False:
        entries.append(dict(environment=None, success=False, message=result.get('message')))
    return entries


def deployment_failed(deployment):
    """The entries of a parsed deployment that failed."""
    return [entry for entry in deployment or [] if not entry.get('success')]


def deployment_report(subject, failures, name_actions=True):
    """(message, failed_environments) for failed deployments, or (None, []) when there are none.

    ``subject`` says what was written ("JWK k was saved"); ``failures`` are (action, entry) pairs.
    Each environment reads "staging: <server message> (create)", or "staging (<server message>)"
    without ``name_actions`` (a module whose run has only one write; tests pin both spellings).
    """
    if not failures:
        return None, []
    template = '{0}: {1} ({2})' if name_actions else '{0} ({1})'
    text = '; '.join(template.format(entry.get('environment'), entry.get('message') or 'failed', action)
                     for action, entry in failures)
    environments = []
    for unused, entry in failures:
        if entry.get('environment') not in environments:
            environments.append(entry.get('environment'))
    return '%s, but deployment failed in: %s' % (subject, text), environments
