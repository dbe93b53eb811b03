# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks an answer against the vendor's OpenAPI subset (with amendments.yaml) and the page shapes.

``Contract().problems(method, template, status, body, page)`` lists every way the answer breaks
either: the spec's response schema for that operation and status (OpenAPI 3.0 read as JSON
Schema: ``nullable`` admits null, ``format`` is not checked), the JOSE policy DTO chosen by each
policy's ``type``, the page's shape (openapi/page-shapes.yaml), and ``resultCount`` equal to the
length of ``resultList``. An empty list means the answer is what the vendor documents.
"""

import copy
import os

import yaml
from jsonschema import Draft202012Validator

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'openapi')
PIPELINES = ('requestPolicyList', 'responsePolicyList', 'errorPolicyList')


def _load(name):
    with open(os.path.join(HERE, name), encoding='utf-8') as fh:
        return yaml.safe_load(fh)


def _pointer(doc, pointer):
    node = doc
    for part in pointer.strip('/').split('/'):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def to_json_schema(node):
    """OpenAPI 3.0 schema -> JSON Schema: ``nullable: true`` becomes "or null"."""
    if isinstance(node, list):
        return [to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_json_schema(v) for k, v in node.items() if k not in ('nullable', 'discriminator', 'example')}
    if node.get('nullable'):
        return {'anyOf': [{'type': 'null'}, out]}
    return out


class Contract:
    def __init__(self):
        self.spec = _load('apinizer-openapi-subset.yaml')
        self.amendments = _load('amendments.yaml')
        components = copy.deepcopy(self.spec['components'])
        for entry in self.amendments['nullable']:
            props = _pointer({'components': components}, entry['at'])
            for name in entry['names']:
                props[name]['nullable'] = True   # KeyError here: the amendment names no such field
        self.root = {'components': to_json_schema(components)}
        self.pages = _load('page-shapes.yaml')
        self.page_only = {(a['operation'], a['status']) for a in self.amendments['responses']
                          if a['instead'].startswith('page ')}
        self.policy_types = self.amendments['policy_types']

    # ------------------------------------------------------------------ schema lookup
    def spec_schema(self, method, template, status):
        """The spec's schema name for the answer, or None when a page replaces it (amendments)."""
        if ('%s %s' % (method.upper(), template), status) in self.page_only:
            return None
        operation = self.spec['paths'][template][method.lower()]
        response = operation['responses'].get(str(status))
        if response is None:
            if status in (400, 404):
                return 'ApiOpsResponseError'   # amendments.yaml: undeclared, documented by the pages
            raise AssertionError('the spec declares no %d answer for %s %s' % (status, method, template))
        return response['content']['application/json']['schema']['$ref'].rsplit('/', 1)[-1]

    def _validate(self, schema, body, where):
        validator = Draft202012Validator(dict(schema, **self.root))
        return ['%s: %s at /%s' % (where, e.message[:300], '/'.join(map(str, e.absolute_path)))
                for e in validator.iter_errors(body)]

    # ------------------------------------------------------------------ the check
    def problems(self, method, template, status, body, page):
        out = []
        name = self.spec_schema(method, template, status)
        if name is not None:
            out += self._validate({'$ref': '#/components/schemas/%s' % name}, body, 'spec %s' % name)
        for policy in _policies(body):
            dto = self.policy_types.get(policy.get('type'), 'PolicyDTO')
            out += self._validate({'$ref': '#/components/schemas/%s' % dto}, policy, 'spec %s' % dto)
        page_schema = dict(self.pages, **{'$ref': '#/$defs/%s' % page})
        out += ['page %s: %s at /%s' % (page, e.message[:300], '/'.join(map(str, e.absolute_path)))
                for e in Draft202012Validator(page_schema).iter_errors(body)]
        if isinstance(body, dict) and 'resultCount' in body and isinstance(body.get('resultList'), list):
            if body['resultCount'] != len(body['resultList']):
                out.append('resultCount %r but %d items' % (body['resultCount'], len(body['resultList'])))
        return out


def _policies(node):
    """Every policy object in an answer (proxy level, endpoint level, wrapped or not)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in PIPELINES and isinstance(value, list):
                for item in value:
                    if isinstance(item, dict):
                        yield item
            else:
                yield from _policies(value)
    elif isinstance(node, list):
        for item in node:
            yield from _policies(item)
