# -*- coding: utf-8 -*-
# Copyright: apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The argument spec of one JWK: the options apinizer_jwk takes and each item of apinizer_jwks' ``config``.

Owns the per-JWK option spec, once: apinizer_jwk adds ``state``, ``return_private_key`` and
``fail_on_deploy_error`` around it; apinizer_jwks uses it as the suboptions of ``config`` (with
``regenerate`` defaulting by ``state`` there, so its default is a parameter here).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.apinizer.apiops.plugins.module_utils.jwk_vocabulary import (
    CURVES,
    KEY_TYPES,
    KID_TYPES,
    SOURCES,
    USES,
)

REGENERATE_CHOICES = ['never', 'fail', 'when_different', 'always']


def jwk_option_spec(regenerate_default='fail'):
    """The options of one JWK (name, description, source and its options, regenerate)."""
    return dict(
        name=dict(type='str', required=True),
        description=dict(type='str'),
        source=dict(type='str', default='generate', choices=list(SOURCES)),
        kid=dict(type='str'),
        key_type=dict(type='str', choices=list(KEY_TYPES)),
        key_size=dict(type='int'),
        curve=dict(type='str', choices=list(CURVES)),
        use=dict(type='str', choices=list(USES)),
        algorithm=dict(type='str'),
        kid_type=dict(type='str', choices=list(KID_TYPES)),
        not_before=dict(type='str'),
        expiration=dict(type='str'),
        password_salt_length=dict(type='int', no_log=False),
        password_iteration_count=dict(type='int', no_log=False),
        # type json: one parser for a dict and a JSON string (see masking.narrow_jwk_no_log for no_log).
        jwk=dict(type='json', no_log=True),
        url=dict(type='str'),
        url_connect_timeout=dict(type='int'),
        url_read_timeout=dict(type='int'),
        url_size_limit=dict(type='int'),
        certificate_name=dict(type='str'),
        key_name=dict(type='str', no_log=False),
        keystore_name=dict(type='str', no_log=False),
        alias=dict(type='str'),
        environment=dict(type='str'),
        regenerate=dict(type='str', choices=list(REGENERATE_CHOICES), default=regenerate_default),
    )
