# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fault injection: every module operation and the role, against every transient failure.

Table = targets x faults. A target is one operation (create, update, delete, list, assign,
remove, rotate); a fault is injected by the emulator into the request that operation depends
on. Each case must either converge within the retry budget (and warn that it retried) or fail
with a message naming the status, and in every case the emulator state must hold no duplicated
JWK and no credential pointing at a deleted JWK.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re

import pytest

from robustness_lib import api_log, dangling_references, jwks_of, play, role_task

pytestmark = [pytest.mark.slow, pytest.mark.robustness]

RETRIES = 2  # budget used by every case: 1 attempt + 2 retries
ROT = 'fault-rot'
ROT_PROJECT = 'rot'  # the role works in its own project, so its requests never match a module fault
ROT_CREDENTIALS = [{'username': 'rot-a', 'purpose': 'validation'}, {'username': 'rot-b', 'purpose': 'validation'}]
GENERATION = re.compile('^%s-[0-9]{8}T[0-9]{6}Z$' % ROT)
ACTIONS = ('apinizer_jwk', 'apinizer_jwk_info', 'apinizer_credential_jwk', 'apinizer_credential_info')

SEED = {'projects': {
    'demo': {
        'jwks': [{'name': n, 'description': 'before', 'sourceType': 'GENERATE',
                  'generate': {'type': 'EC', 'ec': {'curveType': 'P256'}}} for n in ('fault-upd', 'fault-del')],
        'credentials': [{'username': 'partner-app', 'password': 'partner-app-password',
                         'validationJwkName': 'seed-ec'}]},
    ROT_PROJECT: {'credentials': [{'username': c['username'], 'password': c['username'] + '-pw'}
                                  for c in ROT_CREDENTIALS]},
}}


def _creds(emu, project='demo'):
    return emu.state()['projects'][project]['credentials']


def _check_create(emu, result):
    assert 'fault-new' in jwks_of(emu), 'fault-new was not created'


def _check_update(emu, result):
    assert jwks_of(emu)['fault-upd']['description'] == 'after', 'description not updated'


def _check_delete(emu, result):
    assert 'fault-del' not in jwks_of(emu), 'fault-del still exists'


def _check_info(emu, result):
    assert 'seed-ec' in [j['name'] for j in result['jwks']], 'seed-ec not listed'


def _check_assign(emu, result):
    assert _creds(emu)['mobile-app']['validationJwkName'] == 'seed-ec', 'mobile-app not assigned'


def _check_remove(emu, result):
    assert _creds(emu)['partner-app']['validationJwkName'] is None, 'partner-app still assigned'


def _check_cred_info(emu, result):
    assert 'api-user' in [c['username'] for c in result['credentials']], 'api-user not listed'


def _check_role(emu, result):
    gens = sorted(n for n in jwks_of(emu, ROT_PROJECT) if GENERATION.match(n))
    assert len(gens) == 1, 'generations: %r' % gens
    creds = _creds(emu, ROT_PROJECT)
    used = [creds[c['username']]['validationJwkName'] for c in ROT_CREDENTIALS]
    assert used == gens * 2, 'credentials use %r, generations %r' % (used, gens)


# Run in this order in one playbook per fault; each target's fault matches only its own
# requests until consumed (list reads come before the modules that also list).
# name -> (task, fault method, fault path regex, check)
TARGETS = [
    ('jwk-info', {'apinizer.apiops.apinizer_jwk_info': {}}, 'GET', r'^/apiops/projects/demo/jwks/$', _check_info),
    ('credential-info', {'apinizer.apiops.apinizer_credential_info': {}},
     'GET', r'^/apiops/projects/demo/credentials/$', _check_cred_info),
    ('jwk-create', {'apinizer.apiops.apinizer_jwk': {
        'name': 'fault-new', 'source': 'generate', 'key_type': 'EC', 'curve': 'P-256', 'algorithm': 'ES256'}},
     'POST', r'^/apiops/projects/demo/jwks/generate$', _check_create),
    ('jwk-update', {'apinizer.apiops.apinizer_jwk': {
        'name': 'fault-upd', 'description': 'after', 'source': 'generate', 'key_type': 'EC', 'curve': 'P-256'}},
     'PUT', r'/jwks/fault-upd/$', _check_update),
    ('jwk-delete', {'apinizer.apiops.apinizer_jwk': {'name': 'fault-del', 'state': 'absent'}},
     'DELETE', r'/jwks/fault-del/$', _check_delete),
    ('credential-assign', {'apinizer.apiops.apinizer_credential_jwk': {
        'username': 'mobile-app', 'purpose': 'validation', 'jwk_name': 'seed-ec'}},
     'PUT', r'/credentials/mobile-app/jwk/validation/seed-ec/$', _check_assign),
    ('credential-remove', {'apinizer.apiops.apinizer_credential_jwk': {
        'username': 'partner-app', 'purpose': 'validation', 'state': 'absent'}},
     'DELETE', r'/credentials/partner-app/jwk/validation/$', _check_remove),
    # The role's first rotation: the fault hits the generation POST, or with larger counts the
    # first credential switch after it.
    ('role', 'role', '*', r'^/apiops/projects/%s/(jwks/generate$|credentials/[^/]+/jwk/validation/)' % ROT_PROJECT,
     _check_role),
]
WRITES = ('jwk-create', 'jwk-update', 'jwk-delete', 'credential-assign', 'credential-remove', 'role')

# name -> (fault spec, timeout, converges)
FAULTS = {
    'drop': (dict(action='drop', count=1), 30, True),
    # The write lands but its answer is lost: a blind re-send would duplicate or fail.
    'drop-after-apply': (dict(action='drop', apply=True, count=1), 30, True),
    '429-retry-after-header': (dict(action='status', status=429, retry_after=1, retry_after_in='header', count=1),
                               30, True),
    '429-retry-after-body': (dict(action='status', status=429, retry_after=1, retry_after_in='body', count=1),
                             30, True),
    '503-burst-within-budget': (dict(action='status', status=503, count=RETRIES), 30, True),
    '503-burst-beyond-budget': (dict(action='status', status=503, count=RETRIES + 1), 30, False),
    'slower-than-timeout': (dict(action='delay', delay=2, count=1), 1, True),
}


def _playbook(timeout):
    tasks = []
    for name, task, _m, _p, _c in TARGETS:
        if task == 'role':
            tasks.append({'name': 'role', 'block': [role_task(
                'rotate', jwk_rotation_name=ROT, jwk_rotation_credentials=ROT_CREDENTIALS, jwk_rotation_keep=1,
                jwk_rotation_apinizer_project=ROT_PROJECT)],
                'rescue': [{'name': 'role failed', 'ansible.builtin.set_fact': {
                    'role_failure': '{{ ansible_failed_result }}'}}]})
        else:
            tasks.append(dict(task, name='target ' + name, ignore_errors=True))
    # timeout/retries per action: the role's own group module_defaults replace a play's group
    # entry as a whole (ansible merges module_defaults per key), action entries survive.
    defaults = dict(('apinizer.apiops.' + a, {'timeout': timeout, 'retries': RETRIES}) for a in ACTIONS)
    doc = [{'name': 'faults', 'hosts': 'localhost', 'gather_facts': False,
            'module_defaults': dict(defaults, **{'group/apinizer.apiops.apinizer': {'project': 'demo'}}),
            'tasks': tasks}]
    return json.dumps(doc, indent=1) + '\n'


def _outcome(run, name):
    """(failed, message, warnings, result) of one target."""
    if name != 'role':
        r = run.task('target ' + name)
        res = r['result']
        return r['failed'], res.get('msg') or '', r.get('warnings') or [], res
    role = [r for r in run.results if 'jwk_rotation :' in r['task']]
    failed = [r for r in role if r['failed']]
    warnings = [w for r in role for w in (r.get('warnings') or [])]
    if not failed:
        return False, '', warnings, {}
    res = failed[0]['result']
    msgs = [res.get('msg') or ''] + [i.get('msg') or '' for i in res.get('results') or [] if i.get('failed')]
    return True, ' | '.join(msgs), warnings, res


@pytest.mark.parametrize('fault', list(FAULTS))
def test_fault(run_playbook, emu, fault):
    """One playbook runs every target once, each against its own injected fault."""
    spec, timeout, converges = FAULTS[fault]
    emu.seed(SEED)
    emu.clear_requests()
    targets = [t for t in TARGETS if fault != 'drop-after-apply' or t[0] in WRITES]
    for _name, _task, method, path, _check in targets:
        emu.add_fault(method=method, path=path, **spec)

    run = run_playbook(_playbook(timeout), expect_failure=False)
    log = emu.requests()
    problems = []
    for name, _task, method, path, check in targets:
        rx = re.compile(path)
        hits = [r for r in log if method in ('*', r['method']) and rx.search(r['path']) and r.get('fault')]
        failed, msg, warnings, result = _outcome(run, name)
        where = '%s: ' % name
        if not hits:
            problems.append(where + 'the fault was never hit: %r' % [(r['method'], r['path'], r['fault']) for r in log if ROT_PROJECT in r['path']])
            continue
        if converges:
            if failed:
                problems.append(where + 'did not converge: ' + msg)
                continue
            try:
                check(emu, result)
            except AssertionError as exc:
                problems.append(where + str(exc))
            # The user is told that requests had to be re-sent (a create whose lost answer is
            # found to have landed is not re-sent, so it has nothing to warn about).
            resent = not (fault == 'drop-after-apply' and hits[0]['method'] == 'POST')
            if resent and not re.search(r'\d+ transient failures? (was|were) retried', ' '.join(warnings)):
                problems.append(where + 'no retry warning: %r' % warnings)
            if spec.get('retry_after'):
                # Retry-After (header or body) is honoured: the next attempt waits that long.
                same = [r for r in log if method in ('*', r['method']) and rx.search(r['path'])]
                first = same.index(hits[0])
                if first + 1 >= len(same) or same[first + 1]['time'] - hits[0]['time'] < spec['retry_after'] - 0.1:
                    problems.append(where + 'Retry-After %s s not honoured' % spec['retry_after'])
        else:
            if not failed:
                problems.append(where + 'succeeded beyond the retry budget')
                continue
            if '503' not in msg:
                problems.append(where + 'failure message does not name the status: ' + msg)
            # The retry count, in the failure itself (message) or in the warning that comes with it.
            told = msg + ' ' + ' '.join(warnings)
            if not re.search(r'\b%d (transient failures were retried|retries)' % RETRIES, told):
                problems.append(where + 'failure does not name the retry count: %s %r' % (msg, warnings))
            if len(hits) != RETRIES + 1:
                problems.append(where + '%d attempts, expected 1 + %d retries' % (len(hits), RETRIES))
        if 'already exist' in msg:
            problems.append(where + 'a re-sent create hit "already exist": ' + msg)
    # Never a duplicated JWK: at most one create of each name landed on the server.
    created = [r['body'].get('name') for r in log if r['method'] == 'POST' and isinstance(r.get('body'), dict)
               and 200 in (r['status'], r.get('applied_status'))]
    dupes = sorted(set(n for n in created if created.count(n) > 1))
    if dupes:
        problems.append('JWKs created twice: %r' % dupes)
    # Never a credential left on a deleted key.
    problems.extend('dangling: ' + d for d in dangling_references(emu))
    assert not problems, '\n'.join(problems) + '\n' + run.describe()


# Pruning is asserted, and only a server that reports assignments lets the role prove a
# generation unused (issue 12 item 4); the documented-server variant belongs to the role's tests.
@pytest.mark.report_assignments
def test_mid_rotation_failure_leaves_credentials_on_existing_keys_and_next_run_converges(run_playbook, emu):
    """A failed credential switch during a forced rotation: nothing dangles, next run converges."""
    old = 'mid-rot-20250101T000000Z'
    users = ['api-user', 'mobile-app', 'partner-app']
    emu.seed({'projects': {'demo': {
        'jwks': [{'name': old, 'sourceType': 'GENERATE', 'generate': {'type': 'EC', 'ec': {'curveType': 'P256'}}}],
        'credentials': [{'username': u, 'password': u + '-pw', 'validationJwkName': old} for u in users]}}})
    creds = [{'username': u, 'purpose': 'validation'} for u in users]
    variables = dict(jwk_rotation_name='mid-rot', jwk_rotation_credentials=creds, jwk_rotation_keep=0)

    # 1. Forced rotation; the second credential switch fails with a non-transient server error.
    emu.add_fault(method='PUT', path=r'/credentials/mobile-app/jwk/validation/', action='status', status=500, count=1)
    run = run_playbook(play([role_task('rotate', jwk_rotation_force=True, **variables)]), expect_failure=True)
    state = emu.state()['projects']['demo']
    gens = sorted(n for n in state['jwks'] if n.startswith('mid-rot-'))
    assert dangling_references(emu) == [], run.describe()
    assert old in gens, 'the generation credentials still use was deleted: %r' % gens
    assert len(gens) == 2, gens
    assert state['credentials']['mobile-app']['validationJwkName'] == old
    assert not [r for r in emu.requests() if r['method'] == 'DELETE'], 'pruned after a failed switch'

    # 2. The next run (no force, no fault) switches the rest and prunes the old generation.
    emu.clear_requests()
    run = run_playbook(play([role_task('rotate', **variables)]))
    state = emu.state()['projects']['demo']
    gens = sorted(n for n in state['jwks'] if n.startswith('mid-rot-'))
    assert gens != [old] and len(gens) == 1, gens
    assert [state['credentials'][u]['validationJwkName'] for u in users] == gens * 3
    assert dangling_references(emu) == []
    assert run.changed_tasks, run.describe()

    # 3. A third run is a no-op: reads only, nothing reported changed.
    emu.clear_requests()
    run = run_playbook(play([role_task('rotate', **variables)]))
    assert run.changed_tasks == [], run.describe()
    assert sorted(set(m for m, _p, _f in api_log(emu))) == ['GET'], api_log(emu)
