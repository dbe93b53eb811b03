# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Playbook texts the integration suites share."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json


def one_task_play(module, task_name, options=None, project='demo', show=False):
    """A localhost playbook with one task of ``module`` (its FQCN) named ``task_name``; the
    connection comes from the harness environment, ``project`` from the action group's
    module_defaults. ``show`` registers the result and prints it with a debug task (what a user
    who inspects it would see, for the secret greps)."""
    lines = [
        '- hosts: localhost',
        '  gather_facts: false',
        '  module_defaults:',
        '    group/apinizer.apiops.apinizer:',
        '      project: %s' % project,
        '  tasks:',
        '    - name: %s' % task_name,
        '      %s: %s' % (module, json.dumps(options or {})),
    ]
    if show:
        lines += ['      register: result', '    - name: show', '      ansible.builtin.debug:', '        var: result']
    return '\n'.join(lines + [''])
