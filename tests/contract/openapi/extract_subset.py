# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write apinizer-openapi-subset.yaml from the vendor's full openapi.yaml.

    python tests/contract/openapi/extract_subset.py /path/to/apinizer-docs/openapi.yaml

The subset is the vendor's text, cut only as its header says: the operations the collection calls
(plus the new reads), their responses (no request bodies), and the schemas those responses reach.
Our corrections live in amendments.yaml, never in the subset.
"""

import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'apinizer-openapi-subset.yaml')
COMMIT = 'cc9f74b81e419abb456948ab604edb2feaf6422b'

P = '/apiops/projects/{projectName}'
OPERATIONS = [
    ('/apiops/auth/token', 'post'),
    (P + '/jwks/', 'get'), (P + '/jwks/', 'post'),
    (P + '/jwks/generate', 'post'),
    (P + '/jwks/parse-from-certificate', 'post'), (P + '/jwks/parse-from-clipboard', 'post'),
    (P + '/jwks/parse-from-key', 'post'), (P + '/jwks/parse-from-keystore', 'post'),
    (P + '/jwks/parse-from-url', 'post'),
    (P + '/jwks/{jwkName}/', 'get'), (P + '/jwks/{jwkName}/', 'put'), (P + '/jwks/{jwkName}/', 'delete'),
    (P + '/jwks/{jwkName}/export-file/', 'get'),
    (P + '/credentials/', 'get'), (P + '/credentials/', 'post'),
    (P + '/credentials/{username}/jwk/validation/{jwkName}/', 'put'),
    (P + '/credentials/{username}/jwk/validation/', 'delete'),
    (P + '/credentials/{username}/jwk/encryption/{jwkName}/', 'put'),
    (P + '/credentials/{username}/jwk/encryption/', 'delete'),
    (P + '/environments/', 'get'),
    (P + '/apiProxies/', 'get'),
    (P + '/apiProxies/{apiProxyName}/', 'get'),
    (P + '/apiProxies/{apiProxyName}/policies/', 'get'),
]
# Selected by a policy's type in the test (PolicyDTO's own oneOf is cut, see the header).
EXTRA_SCHEMAS = ['PolicyJoseValidationDTO', 'PolicyJoseImplementationDTO']
KEPT_OPERATION_KEYS = ('tags', 'summary', 'description', 'operationId', 'parameters', 'responses')

HEADER = """\
# A subset of the Apinizer Management API's OpenAPI document, kept for the emulator's contract
# tests (tests/contract/test_openapi_current.py). It is not part of the collection.
#
# Source:   https://github.com/apinizer/docs, file openapi.yaml, commit {commit}
#           ("Apinizer Management APIs" {version}, OpenAPI {openapi}).
# Licence:  the document declares `info.license: Apache 2.0` (LICENSES/Apache-2.0.txt); the
#           repository's LICENSE file is the MIT licence, "Copyright (c) 2024 Apinizer"
#           (LICENSES/MIT.txt). Both permit this copy; the notice above is kept as they ask.
# Produced: tests/contract/openapi/extract_subset.py, which only cuts; the vendor's text is unchanged.
#
# What was cut, and why:
# - Only the operations the collection calls, plus the reads the emulator serves for it
#   (environments, export-file, API proxies, policies); of each, only its responses (request
#   bodies are not validated here).
# - Only the schemas those responses reach, plus the two JOSE policy DTOs.
# - PolicyDTO without its `oneOf` and `discriminator` (45 policy DTOs, 84 schemas with theirs).
#   They cannot validate anything as written: every listed DTO is `allOf: [PolicyDTO, ...]`, so
#   PolicyDTO's oneOf recurses into itself, and list-policies.mdx shows types (policy-throttling)
#   its mapping does not know. The test picks the JOSE DTO by `type` instead.
#
# Where this document is wrong or silent, amendments.yaml says so and what the test does instead
# (for instance export-file's 200 is typed ApiOpsResponseError: the test validates that answer
# against export-jwk-file.mdx, in page-shapes.yaml).
"""


def refs(node, out):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == '$ref':
                out.add(value.rsplit('/', 1)[-1])
            else:
                refs(value, out)
    elif isinstance(node, list):
        for value in node:
            refs(value, out)


def cut_schema(name, schema):
    if name == 'PolicyDTO':
        return {k: v for k, v in schema.items() if k not in ('oneOf', 'discriminator')}
    return schema


def main(source):
    with open(source, encoding='utf-8') as fh:
        doc = yaml.safe_load(fh)
    paths = {}
    wanted = set(EXTRA_SCHEMAS)
    for path, method in OPERATIONS:
        operation = doc['paths'][path][method]
        kept = {k: operation[k] for k in KEPT_OPERATION_KEYS if k in operation}
        paths.setdefault(path, {})[method] = kept
        refs(kept['responses'], wanted)
    schemas = doc['components']['schemas']
    done = set()
    while wanted - done:
        name = sorted(wanted - done)[0]
        done.add(name)
        found = set()
        refs(cut_schema(name, schemas[name]), found)
        wanted |= found
    subset = {'openapi': doc['openapi'], 'info': doc['info'], 'paths': paths,
              'components': {'schemas': {name: cut_schema(name, schemas[name]) for name in sorted(done)}}}
    header = HEADER.format(commit=COMMIT, version=doc['info']['version'], openapi=doc['openapi'])
    with open(OUT, 'w', encoding='utf-8') as fh:
        fh.write(header)
        fh.write('---\n')
        yaml.safe_dump(subset, fh, sort_keys=False, allow_unicode=True, width=100)
    print('%s: %d operations, %d schemas' % (OUT, len(OPERATIONS), len(done)))


if __name__ == '__main__':
    main(sys.argv[1])
