# -*- coding: utf-8 -*-
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Deployment results: every write is deployed to each environment of the project, and may fail in some.

Owns reading a write's answer into one per-environment report, whatever documented shape the
server used, and the one deployment-failure report of every module (the message and
``failed_environments``); the module skeleton (apinizer_module.py) applies the
``fail_on_deploy_error`` policy with it. The documented shapes of ``deploymentResult``:

1. ``environmentResults: [{environmentName, success, message}]`` (JWK and credential-JWK pages);
2. ``{success, responseTime, detail, detailList: [{envName, podName, podIp, success, detail,
   responseTime}]}`` (the spec's DeploymentResult, per pod; an item may nest its own detailList);
3. ``deploymentResults: [{environmentName, success, message}]`` (policy pages).

Only ``success: true`` counts as success (a missing or odd value is a failure), an environment
failed when any of its pods failed, and a failed overall result that names no failed
environment still yields a failed entry: a failure is never read as success.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

# A detailList nests DeploymentResults; a deeper answer is read as far as this.
_MAX_DEPTH = 8


def parse_deployment(body):
    """Turn a write answer into ``[{'environment', 'success', 'message', 'pods'}]``.

    ``pods`` lists ``{'name', 'ip', 'success', 'detail'}`` for the per-pod shape (else []).
    """
    if not isinstance(body, dict):
        return []
    result = body.get('deploymentResult')
    if not isinstance(result, dict):
        return []
    environments = []
    by_name = {}
    for env in _environment_lists(result):
        entry = _entry(by_name, environments, _text(env.get('environmentName')))
        entry['success'] = entry['success'] and env.get('success') is True
        entry['message'] = _join(entry['message'], _text(env.get('message')))
    for pod in _pods(result, 0):
        entry = _entry(by_name, environments, _text(pod.get('envName')))
        ok = pod.get('success') is True
        entry['pods'].append(dict(name=_text(pod.get('podName')), ip=_text(pod.get('podIp')), success=ok,
                                  detail=_text(pod.get('detail'))))
        if not ok:
            entry['success'] = False
            entry['message'] = _join(entry['message'], _pod_message(pod))
    for entry in environments:
        if entry['message'] is None and entry['pods']:
            # A deployed environment's message: what its pods said (each distinct text once).
            details = [p['detail'] for p in entry['pods'] if p['detail']]
            entry['message'] = '; '.join(sorted(set(details), key=details.index)) or None
    if result.get('success') is not True and all(entry['success'] for entry in environments):
        # The whole deployment failed, but no environment says where: still a failure.
        environments.append(dict(environment=None, success=False, pods=[],
                                 message=_text(result.get('message')) or _text(result.get('detail'))
                                 or 'the server reported a failed deployment without naming an environment'))
    return environments


def _environment_lists(result):
    for key in ('environmentResults', 'deploymentResults'):
        for env in result.get(key) or []:
            if isinstance(env, dict):
                yield env


def _pods(result, depth):
    """The leaves of a (nested) detailList: the pods. A result without a detailList that names an
    environment or a pod is itself one."""
    items = result.get('detailList')
    if isinstance(items, list) and items:
        if depth >= _MAX_DEPTH:
            # Unread is not "succeeded".
            return [dict(envName=result.get('envName'), success=False,
                         detail='the deployment result nests deeper than %d levels; not read' % _MAX_DEPTH)]
        return [pod for item in items if isinstance(item, dict) for pod in _pods(item, depth + 1)]
    if depth > 0 or 'envName' in result or 'podName' in result:
        return [result]
    return []


def _entry(by_name, environments, name):
    if name not in by_name:
        by_name[name] = dict(environment=name, success=True, message=None, pods=[])
        environments.append(by_name[name])
    return by_name[name]


def _text(value):
    if value is None or isinstance(value, str):
        return value
    return '%s' % (value,)


def _join(first, second):
    if not second:
        return first
    return second if not first else '%s; %s' % (first, second)


def _pod_message(pod):
    where = _text(pod.get('podName')) or 'a pod'
    if pod.get('podIp'):
        where += ' (%s)' % _text(pod['podIp'])
    return '%s: %s' % (where, _text(pod.get('detail')) or 'failed')


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
