# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The skeleton of every API module: ApinizerModule, an AnsibleModule that also owns the client.

Owns what every API module does the same way: merging the connection options into the argument
spec (with their constraints), building the one client of the run (lazily: a task that fails
validation sends nothing), and one exit/fail pair that adds the retry warning. It also applies
the deployment-failure policy (``fail_on_deploy_error``) with deployment.deployment_report, so
every module reports a failed environment with the same message and ``failed_environments``.

A module reads top to bottom: validate, read, plan, write (unless check mode), report::

    module = ApinizerModule(argument_spec=dict(...), supports_check_mode=True)
    ...                                     # validate module.params; read with module.client
    deployment = module.client.assign_credential_jwk(...)   # only when not module.check_mode
    module.record_deployment('assign', deployment)
    module.exit(result, subject='...')
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.apinizer.apiops.plugins.module_utils.client import ApinizerClient
from ansible_collections.apinizer.apiops.plugins.module_utils.connection import (
    CONNECTION_MUTUALLY_EXCLUSIVE,
    CONNECTION_REQUIRED_TOGETHER,
    connection_argument_spec,
    url_secrets,
)
from ansible_collections.apinizer.apiops.plugins.module_utils.deployment import deployment_failed, deployment_report
from ansible_collections.apinizer.apiops.plugins.module_utils.names import NAME_OPTIONS, name_option_problems


def warn_retries(module, client):
    """Warn with the number of transient failures the client retried, and about every write whose
    answer was lost (its deployment result is unknown), if any."""
    if client is None:
        return
    # getattr: a stand-in client (unit tests) may predate lost answers.
    for warning in [client.retry_warning()] + getattr(client, 'lost_answer_warnings', list)():
        if warning:
            module.warn(warning)


def fail_module(module, client, result=None, **failure):
    """module.fail_json with the result so far and ``failure`` (msg, ...) over it, after warn_retries."""
    warn_retries(module, client)
    failed = dict(result or {})
    failed.update(failure)
    module.fail_json(**failed)


class ApinizerModule(AnsibleModule):
    """AnsibleModule with the connection options, the run's client, and one exit/fail pair."""

    def __init__(self, argument_spec, mutually_exclusive=None, required_together=None, **kwargs):
        super(ApinizerModule, self).__init__(
            argument_spec=connection_argument_spec(**argument_spec),
            mutually_exclusive=CONNECTION_MUTUALLY_EXCLUSIVE + list(mutually_exclusive or []),
            required_together=CONNECTION_REQUIRED_TOGETHER + list(required_together or []),
            **kwargs)
        self._client = None
        self._deployments = []  # (action, failed entry), judged once by exit()
        self._check_names()

    def _check_names(self):
        problems = name_option_problems(self.params, [o for o in NAME_OPTIONS if o in self.argument_spec])
        if problems:
            self.fail_json(msg='Invalid name: %s.' % '; '.join(problems), problems=problems)

    def _log_invocation(self):
        # AnsibleModule logs its arguments to syslog at the end of its own checks, and syslog
        # refuses a NUL with a message that names no option: the names are checked first.
        self._check_names()
        super(ApinizerModule, self)._log_invocation()

    def _load_params(self):
        # Before any check can fail and print the arguments (-vvv: invocation.module_args), the
        # userinfo of apinizer_url (task or APINIZER_URL) is no_log.
        super(ApinizerModule, self)._load_params()
        for url in (self.params.get('apinizer_url'), os.environ.get('APINIZER_URL')):
            self.no_log_values.update(url_secrets(url))

    @property
    def client(self):
        """The one ApinizerClient of this run, built on first use (fails the module on bad options)."""
        if self._client is None:
            self._client = ApinizerClient.from_module(self)
        return self._client

    def record_deployment(self, action, deployment):
        """Remember the failed environments of a write; exit() judges them all at once, so a
        replacement never stops between its delete and its create."""
        self._deployments.extend((action, entry) for entry in deployment_failed(deployment))

    def exit(self, result, subject=None, name_actions=True):
        """exit_json(**result) after the deployment policy (``subject`` names what was written, see
        deployment.deployment_report) and the retry warning."""
        message, environments = deployment_report(subject, self._deployments, name_actions)
        if message is not None:
            if self.params.get('fail_on_deploy_error', True):
                self.fail(result, msg=message, failed_environments=environments)
            self.warn(message + ' (fail_on_deploy_error is false)')
        warn_retries(self, self._client)
        self.exit_json(**result)

    def fail(self, result=None, **failure):
        """fail_json with the result so far and ``failure`` (msg, ...) over it, after the retry warning."""
        fail_module(self, self._client, result, **failure)

    def fail_api(self, error, result=None, doing=None):
        """fail() with an ApinizerError: the request line and the server's (masked) text."""
        self.fail(result, **error.fail_kwargs(doing))
