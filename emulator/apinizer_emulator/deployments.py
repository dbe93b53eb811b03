# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The deploymentResult of a write, in the three documented shapes.

- ``detail_list``: the spec's DeploymentResult, one entry per pod:
  ``{success, responseTime, detail, detailList: [{envName, podName, podIp, success, detail, responseTime}]}``
- ``environment_results`` (JWK and credential pages): ``{success, message, environmentResults:
  [{environmentName, success, message}]}``
- ``deployment_results`` (policy pages): ``{success, deploymentResults: [{environmentName, success, message}]}``

Every environment has ``pods_per_environment`` pods. A pod fails when its environment is in
``failing_environments`` or it is in ``failing_pods`` ("<env>/<podName>"); an environment fails
when any of its pods does. ``deployment_success`` (true/false) overrides the overall flag, so an
answer can say ``success: true`` over a failed pod.
"""

from . import dialects, settings


def pod_name(env, index):
    return '%s-worker-%d' % (env, index + 1)


def pods(config):
    """[(env, podName, podIp, ok)] for every pod of every environment, in order."""
    failing_envs = set(config['failing_environments'])
    failing_pods = set(config['failing_pods'])
    out = []
    for e, env in enumerate(config['environments']):
        for i in range(config['pods_per_environment']):
            name = pod_name(env, i)
            ok = env not in failing_envs and '%s/%s' % (env, name) not in failing_pods
            out.append((env, name, '10.0.%d.%d' % (e + 1, i + 1), ok))
    return out


def _env_results(config, all_pods, undeploy):
    results = []
    for env in config['environments']:
        failed = [name for e, name, _ip, ok in all_pods if e == env and not ok]
        if not failed:
            message = '%s successfully' % ('Undeployed' if undeploy else 'Deployed')
        elif env in config['failing_environments']:
            message = 'Deployment to environment (name: %s) failed: gateway did not answer' % env
        else:
            message = 'Deployment to environment (name: %s) failed on pod(s): %s' % (env, ', '.join(failed))
        results.append({'environmentName': env, 'success': not failed, 'message': message})
    return results


def _overall(config, computed):
    forced = config['deployment_success']
    return computed if forced is None else forced


def deployment_result(config, undeploy=False):
    """The deploymentResult for the settings; ``undeploy`` words it as delete-jwk.mdx does."""
    all_pods = pods(config)
    shape = settings.deployment_shape(config)
    done = 'Undeployed' if undeploy else 'Deployed'
    if shape == 'detail_list':
        details = []
        for n, (env, name, ip, ok) in enumerate(all_pods):
            detail = '%s successfully' % done if ok else 'Deployment failed: gateway pod did not answer'
            details.append({'envName': env, 'podName': name, 'podIp': ip, 'success': ok, 'detail': detail,
                            'responseTime': 10 + n})
        failed = ['%s/%s' % (d['envName'], d['podName']) for d in details if not d['success']]
        if failed:
            summary = 'Deployment failed on %d of %d pod(s): %s' % (len(failed), len(details), ', '.join(failed))
        else:
            summary = '%s completed successfully' % ('Undeployment' if undeploy else 'Deployment')
        return {'success': _overall(config, not failed), 'responseTime': sum(d['responseTime'] for d in details),
                'detail': summary, 'detailList': details}
    results = _env_results(config, all_pods, undeploy)
    failed = [r['environmentName'] for r in results if not r['success']]
    if shape == 'deployment_results':
        return {'success': _overall(config, not failed), 'deploymentResults': results}
    message = ('Deployment failed for %d of %d environment(s): %s' % (len(failed), len(results), ', '.join(failed))
               if failed else '%s completed successfully' % ('Undeployment' if undeploy else 'Deployment'))
    return {'success': _overall(config, not failed), 'message': message, 'environmentResults': results}


def write_answer(state, style, undeploy=False):
    """The answer of a write: the page's success member and the deploymentResult."""
    dialect = state.dialect
    return dialects.ok(dialect, style, deploymentResult=deployment_result(
        state.config, undeploy=undeploy and dialect == dialects.CURRENT))
