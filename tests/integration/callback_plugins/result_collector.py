# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test-only callback: append every task result as one JSON line to $RESULT_COLLECTOR_FILE.

ansible-core has no JSON stdout callback of its own (that one lives in ansible.posix), and
parsing the default output is brittle, so the integration harness reads this file instead.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: result_collector
type: aggregate
short_description: Write every task result as JSON lines (integration tests only)
description:
  - Appends one JSON object per task result to the file named by the C(RESULT_COLLECTOR_FILE)
    environment variable. Does nothing when the variable is unset.
requirements:
  - enable in the callbacks_enabled setting
'''

import json
import os

from ansible.plugins.callback import CallbackBase


def _get(result, new, old):
    # ansible-core 2.19 exposes public properties and deprecates the underscore names.
    try:
        return getattr(result, new)
    except AttributeError:
        return getattr(result, old)


def _jsonable(value):
    if isinstance(value, dict):
        return dict((str(k), _jsonable(v)) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return str(value)  # drops 2.19 data tags
    return repr(value)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'result_collector'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._path = os.environ.get('RESULT_COLLECTOR_FILE')

    def _record(self, result, status):
        if not self._path:
            return
        task = _get(result, 'task', '_task')
        host = _get(result, 'host', '_host')
        res = dict(_get(result, 'result', '_result'))
        warnings = []
        for warning in getattr(result, 'warnings', None) or res.get('warnings') or []:
            event = getattr(warning, 'event', None)
            warnings.append(getattr(event, 'msg', None) or getattr(warning, 'msg', None) or str(warning))
        entry = {
            'task': task.get_name().strip(),
            'action': task.action,
            'host': host.get_name(),
            'status': status,
            'changed': bool(res.get('changed', False)),
            'failed': status in ('failed', 'unreachable'),
            'skipped': status == 'skipped',
            'ignore_errors': bool(task.ignore_errors),
            'warnings': warnings,
            'result': _jsonable(res),
        }
        with open(self._path, 'a') as f:
            f.write(json.dumps(entry, default=repr) + '\n')

    def v2_runner_on_ok(self, result):
        self._record(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._record(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._record(result, 'unreachable')
