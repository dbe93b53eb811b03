# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's settings (configure(), POST /__emulator__/config): names, defaults, checks.

A setting whose value is None follows the active dialect (see emulator/README.md, "Settings").
"""

from . import dialects

DEPLOYMENT_SHAPES = ('detail_list', 'environment_results', 'deployment_results')
EXPORT_FILE_MODES = ('served', 'absent', 'refused')
POLICIES_SHAPES = ('flat', 'wrapped')


def defaults(dialect, environments, report_assignments, report_use_alg):
    return {'dialect': dialect, 'environments': list(environments), 'failing_environments': [],
            'report_assignments': report_assignments, 'hide_assignments': not report_assignments,
            'report_use_alg': report_use_alg, 'pods_per_environment': 2, 'failing_pods': [],
            'deployment_shape': None, 'deployment_success': None, 'export_file': None,
            'get_jwk_material': True, 'policies_shape': 'flat', 'simplified_policies': False,
            'project_not_found_message': None}


def _strings(name, value):
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ValueError('%s must be a list of strings' % name)
    return [str(v) for v in value]


def _bool(name, value):
    if not isinstance(value, bool):
        raise ValueError('%s must be true or false' % name)
    return value


def _choice(name, value, allowed, nullable=True):
    if value is None and nullable:
        return None
    if value not in allowed:
        raise ValueError('%s must be %s%s' % (name, ', '.join(allowed), ' or null' if nullable else ''))
    return value


def _pods(value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError('pods_per_environment must be a positive integer')
    return value


def _failing_pods(value):
    pods = _strings('failing_pods', value)
    for pod in pods:
        env, sep, name = pod.partition('/')
        if not sep or not env or not name:
            raise ValueError('failing_pods entries are "<environment>/<podName>", got %r' % pod)
    return pods


def _template(value):
    if value is None:
        return None
    if not isinstance(value, str) or '{project}' not in value:
        raise ValueError('project_not_found_message must be a string holding {project}')
    return value


def _success(value):
    if value is not None and not isinstance(value, bool):
        raise ValueError('deployment_success must be true, false or null')
    return value


CHECKS = {
    'dialect': dialects.check,
    'environments': lambda v: _strings('environments', v),
    'failing_environments': lambda v: _strings('failing_environments', v),
    'report_use_alg': lambda v: bool(v),
    'pods_per_environment': _pods,
    'failing_pods': _failing_pods,
    'deployment_shape': lambda v: _choice('deployment_shape', v, DEPLOYMENT_SHAPES),
    'deployment_success': _success,
    'export_file': lambda v: _choice('export_file', v, EXPORT_FILE_MODES),
    'get_jwk_material': lambda v: _bool('get_jwk_material', v),
    'policies_shape': lambda v: _choice('policies_shape', v, POLICIES_SHAPES, nullable=False),
    'simplified_policies': lambda v: _bool('simplified_policies', v),
    'project_not_found_message': _template,
}
NAMES = frozenset(CHECKS) | {'report_assignments', 'hide_assignments'}


def updates(settings):
    """The checked changes a configure() call asks for; ValueError names the first problem.

    Nothing is applied by this function: a call with one bad setting changes nothing.
    """
    unknown = set(settings) - NAMES
    if unknown:
        raise ValueError('unknown setting(s): %s' % ', '.join(sorted(unknown)))
    out = {name: CHECKS[name](value) for name, value in settings.items() if name in CHECKS}
    report = _report_setting(settings)
    if report is not None:
        out['report_assignments'] = report
        out['hide_assignments'] = not report
    return out


def _report_setting(settings):
    """report_assignments from a configure() call: True, False or None (not given).

    hide_assignments is its inverse; given together they must agree.
    """
    values = set()
    if 'report_assignments' in settings:
        values.add(bool(settings['report_assignments']))
    if 'hide_assignments' in settings:
        values.add(not settings['hide_assignments'])
    if len(values) > 1:
        raise ValueError('report_assignments and hide_assignments contradict each other')
    return values.pop() if values else None


def deployment_shape(config):
    if config['deployment_shape']:
        return config['deployment_shape']
    return 'detail_list' if config['dialect'] == dialects.CURRENT else 'environment_results'


def export_file(config):
    if config['export_file']:
        return config['export_file']
    return 'served' if config['dialect'] == dialects.CURRENT else 'absent'
