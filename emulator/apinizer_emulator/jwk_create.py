# Copyright (c) 2026 apinizer.apiops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Creating JWKs: create (POST /jwks/ and the parse-from-* helpers) and generate.

Generate takes algorithms in the enum spelling, create in the JOSE spelling; both validate the
algorithm against the key type, use, curve and size (see emulator/README.md, "API behaviour").
"""

import copy
import datetime
import http.client
import json
import socket
import ssl
from urllib.parse import urlsplit

from . import deployments, dialects, keys
from .errors import ApiError, bad_request, validation_failed
from .state import jwk_record

# parse-from-* helper -> the source it fixes (None: parse-from-key, where the key decides).
PARSE_FROM = {'parse-from-url': 'URL', 'parse-from-clipboard': 'COPY_PASTE',
              'parse-from-certificate': 'CERTIFICATE', 'parse-from-key': 'KEY',
              'parse-from-keystore': 'KEYSTORE'}


def create(state, req):
    """POST /jwks/ (req.args == (None,)) or a parse-from-* helper (req.args == (fixed source,))."""
    return _create(state, req.project, req.body, req.args[0])


def generate(state, req):
    return _generate(state, req.project, req.body)


def _check_new_name(state, pname, name):
    if not isinstance(name, str) or not name.strip():
        raise bad_request('JWK name can not be empty!')
    with state.lock:
        if name in state.project(pname)['jwks']:
            raise bad_request('JWK (name: %s) is already exist! Try update operation if want to change '
                              'its value.' % name)


def _insert(state, pname, body, jwk, source_type, source_id=None, source_url=None, meta=None):
    with state.lock:
        proj = state.project(pname)
        name = body['name']
        if name in proj['jwks']:
            raise bad_request('JWK (name: %s) is already exist! Try update operation if want to change '
                              'its value.' % name)
        proj['jwks'][name] = jwk_record(proj, name, jwk, source_type, body.get('description'), source_id,
                                        source_url, meta)
        return 200, deployments.write_answer(state, dialects.SUCCESS), {}


def _create(state, pname, body, fixed):
    if not isinstance(body, dict):
        raise bad_request('Request body must be a JSON object')
    _check_new_name(state, pname, body.get('name'))
    source = body.get('sourceType')
    if fixed == 'KEY':
        # The helper's body has no sourceType: the named key decides (private PEM -> PRIVATE_KEY).
        if source in (None, ''):
            source = _key_source(state, pname, body.get('keyName'))
        elif source not in ('PUBLIC_KEY', 'PRIVATE_KEY'):
            raise validation_failed(['sourceType: parse-from-key takes PUBLIC_KEY or PRIVATE_KEY (or none)'])
    elif fixed:
        source = fixed
    if source in (None, ''):
        raise bad_request('Source type is required!')
    if source == 'GENERATE':
        raise bad_request('Source type GENERATE is not supported by this operation! '
                          'Use the generate endpoint (POST /jwks/generate).')
    valid = ('URL', 'COPY_PASTE', 'CERTIFICATE', 'PUBLIC_KEY', 'PRIVATE_KEY', 'KEYSTORE')
    if source not in valid:
        raise validation_failed(['sourceType: %r is not supported; allowed: %s' % (source, ', '.join(valid))])
    kid = body.get('kid')
    if kid is not None and (not isinstance(kid, str) or not kid):
        raise validation_failed(['kid: must be a non-empty string'])
    source_id = source_url = None
    if source == 'URL':
        url = body.get('url')
        if not url:
            raise bad_request('URL is required for URL source type!')
        opts = _url_options(body)
        jwk = _select_jwk(_fetch(state, url, *opts), kid)
        source_url = url
    elif source == 'COPY_PASTE':
        text = body.get('jwkStr')
        if not text:
            raise bad_request('JWK string (jwkStr) is required for COPY_PASTE source type!')
        if not isinstance(text, str):
            raise validation_failed(['jwkStr: must be a string holding a JWK or a JWK Set as JSON'])
        jwk = _select_jwk(text, kid)
    else:
        jwk, source_id = _derive(state, pname, body, source)
        if kid is not None:
            jwk['kid'] = kid
        elif 'kid' not in jwk:
            jwk['kid'] = keys.thumbprint(jwk)
    use, alg = body.get('useType'), body.get('algorithm')
    problems = []
    if source in ('CERTIFICATE', 'PUBLIC_KEY', 'PRIVATE_KEY', 'KEYSTORE'):
        if use in (None, ''):
            problems.append('useType: required for %s source type; allowed: SIGNATURE, ENCRYPTION' % source)
        if alg in (None, ''):
            problems.append('algorithm: required for %s source type' % source)
    if use not in (None, '') and use not in keys.USE_TYPES:
        problems.append('useType: %r is not supported; allowed: SIGNATURE, ENCRYPTION' % (use,))
        use = None
    ktype = keys.key_type_of_jwk(jwk)
    if alg not in (None, ''):
        jose, use2, more = keys.check_algorithm(alg, ktype, use or None, 'jose', curve=jwk.get('crv'),
                                                key_bits=keys.oct_bits(jwk))
        problems.extend(more)
        if jose:
            jwk['alg'] = jose
            use = use2
    if ktype == 'OKP' and use:
        problems.extend(keys.check_okp_use(jwk['crv'], use, 'useType'))
    if problems:
        raise validation_failed(problems)
    if use:
        jwk['use'] = keys.USE_MEMBER[use]
    return _insert(state, pname, body, jwk, source, source_id, source_url,
                   meta={'environmentName': body.get('environmentName'), 'aliasName': body.get('aliasName')})


def _key_source(state, pname, key_name):
    with state.lock:
        material = state.project(pname)['keys'].get(key_name) if key_name else None
    if material is None:
        return 'PUBLIC_KEY'   # _derive reports the missing key name
    try:
        private = keys.load_key_pem(material)[1]
    except Exception:   # unreadable material is reported by _derive
        private = False
    return 'PRIVATE_KEY' if private else 'PUBLIC_KEY'


def _derive(state, pname, body, source):
    field = {'CERTIFICATE': 'certificateName', 'PUBLIC_KEY': 'keyName', 'PRIVATE_KEY': 'keyName',
             'KEYSTORE': 'keyStoreName'}[source]
    name = body.get(field)
    problems = []
    if not name:
        problems.append('%s: required for %s source type' % (field, source))
    env = body.get('environmentName')
    if not env:
        problems.append('environmentName: required for %s source type' % source)
    if source == 'KEYSTORE' and not body.get('aliasName'):
        problems.append('aliasName: required for KEYSTORE source type')
    if problems:
        raise validation_failed(problems)
    with state.lock:
        proj = state.project(pname)
        if env not in state.config['environments']:
            raise bad_request('Environment (name: %s) is not found!' % env)
        kind = {'CERTIFICATE': 'certificates', 'KEYSTORE': 'keystores'}.get(source, 'keys')
        material = copy.deepcopy(proj[kind].get(name))
    label = {'certificates': 'Certificate', 'keys': 'Key', 'keystores': 'Keystore'}[kind]
    if material is None:
        raise bad_request('%s (name: %s) is not found!' % (label, name))
    try:
        if source == 'CERTIFICATE':
            return keys.jwk_from_certificate(material), name
        if source == 'KEYSTORE':
            entries = keys.keystore_entries(material['p12_b64'], material.get('password'))
            alias = body['aliasName']
            if alias not in entries:
                raise bad_request('Alias (name: %s) is not found in keystore (name: %s)!' % (alias, name))
            return entries[alias], name
        key, private = keys.load_key_pem(material)
    except ApiError:
        raise
    except Exception as exc:  # broken seed material is reported, not crashed on
        raise bad_request('%s (name: %s) could not be read: %s' % (label, name, exc))
    if source == 'PRIVATE_KEY':
        if not private:
            raise bad_request('Key (name: %s) is not a private key!' % name)
        return keys.private_key_to_jwk(key), name
    return keys.public_key_to_jwk(key.public_key() if private else key), name


def _fetch(state, url, connect_ms, read_ms, limit):
    return _fetch_url(url, connect_ms, read_ms, limit, state.ca_file)

# -- generate


def _generate(state, pname, body):
    if not isinstance(body, dict):
        raise bad_request('Request body must be a JSON object')
    name = body.get('name')
    if not isinstance(name, str) or not name.strip():
        raise bad_request('JWK name can not be empty!')
    if not body.get('type'):
        raise bad_request('JWK type can not be empty!')
    _check_new_name(state, pname, name)
    if body.get('sourceType') not in (None, 'GENERATE'):
        raise validation_failed(['sourceType: the generate endpoint only creates GENERATE JWKs'])
    jwk, meta = prepare_generate(body)
    return _insert(state, pname, body, jwk, 'GENERATE', meta=meta)


def prepare_generate(body):
    ktype = body.get('type')
    if ktype not in keys.KEY_TYPES:
        raise validation_failed(['type: %r is not supported; allowed: %s' % (ktype, ', '.join(keys.KEY_TYPES))])
    member = ktype.lower()
    problems = []
    for other in ('rsa', 'ec', 'oct', 'okp'):
        if other != member and body.get(other) is not None:
            problems.append('%s: not allowed for type %s; give the parameters in %r' % (other, ktype, member))
    params = body.get(member)
    if not isinstance(params, dict):
        problems.append('%s: parameter object required for type %s' % (member, ktype))
        raise validation_failed(problems)
    size = curve = None
    if ktype in ('RSA', 'OCT'):
        allowed = keys.RSA_SIZES if ktype == 'RSA' else keys.OCT_SIZES
        size = params.get('keySize')
        if size is None:
            problems.append('%s.keySize: required; allowed: %s' % (member, ', '.join(map(str, allowed))))
        elif isinstance(size, bool) or size not in allowed:
            problems.append('%s.keySize: %r is not supported; allowed: %s'
                            % (member, size, ', '.join(map(str, allowed))))
    else:
        table = keys.EC_CURVES if ktype == 'EC' else keys.OKP_CURVES
        raw = params.get('curveType')
        if raw is None:
            problems.append('%s.curveType: required; allowed: %s' % (member, ', '.join(table)))
        elif raw not in table:
            problems.append('%s.curveType: %r is not supported; allowed: %s' % (member, raw, ', '.join(table)))
        else:
            curve = table[raw]
    use = params.get('keyUseType', 'SIGNATURE') or 'SIGNATURE'
    if use not in keys.USE_TYPES:
        problems.append('%s.keyUseType: %r is not supported; allowed: SIGNATURE, ENCRYPTION' % (member, use))
        use = None
    kid_type = params.get('keyIdType', 'TIMESTAMP') or 'TIMESTAMP'
    if kid_type not in keys.KEY_ID_TYPES:
        problems.append('%s.keyIdType: %r is not supported; allowed: %s'
                        % (member, kid_type, ', '.join(keys.KEY_ID_TYPES)))
    jose = None
    if params.get('algorithm') not in (None, ''):
        jose, use2, more = keys.check_algorithm(params['algorithm'], ktype, use, 'enum',
                                                field='%s.algorithm' % member, curve=curve,
                                                key_bits=size if ktype == 'OCT' else None)
        problems.extend(more)
    if ktype == 'OKP' and curve and use:
        problems.extend(keys.check_okp_use(curve, use, '%s.keyUseType' % member))
    meta = {}
    for field in ('notBeforeTime', 'expirationTime'):
        value = params.get(field)
        if value is not None:
            if not _is_iso8601(value):
                problems.append('%s.%s: %r is not an ISO 8601 date-time' % (member, field, value))
            meta[field] = value
    if ktype == 'OCT':
        for field, default in (('passwordSaltLength', 8), ('passwordIterationCount', 1000)):
            value = params.get(field, default)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                problems.append('%s.%s: must be a positive integer' % (member, field))
            meta[field] = value
    kid = body.get('kid')
    if kid is not None and (not isinstance(kid, str) or not kid):
        problems.append('kid: must be a non-empty string')
    if problems:
        raise validation_failed(problems)
    jwk = keys.generate_key(ktype, size=size, curve=curve)
    if kid is None:
        kid = keys.make_kid(jwk, kid_type)
    if kid is not None:
        jwk['kid'] = kid
    jwk['use'] = keys.USE_MEMBER[use]
    if jose:
        jwk['alg'] = jose
    meta['keyIdType'] = kid_type
    return jwk, meta


def _is_iso8601(value):
    if not isinstance(value, str):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace('Z', '+00:00'))
        return True
    except ValueError:
        return False


def _url_options(body):
    out, problems = [], []
    for field, default in (('urlOptionConnectTimeout', 5000), ('urlOptionReadTimeout', 10000),
                           ('urlOptionSizeLimit', 1048576)):
        value = body.get(field)
        if value is None:
            value = default
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append('%s: must be a positive integer' % field)
        out.append(value)
    if problems:
        raise validation_failed(problems)
    return out


def _fetch_url(url, connect_ms, read_ms, limit, ca_file=None):
    parts = urlsplit(url)
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise validation_failed(['url: %r is not an http or https URL' % url])
    where = 'Could not read JWK from URL (url: %s): ' % url
    try:
        port = parts.port
    except ValueError:
        raise validation_failed(['url: %r has an invalid port' % url])
    if parts.scheme == 'https':
        ctx = ssl.create_default_context()
        if ca_file:
            ctx.load_verify_locations(ca_file)
        conn = http.client.HTTPSConnection(parts.hostname, port, timeout=connect_ms / 1000.0, context=ctx)
    else:
        conn = http.client.HTTPConnection(parts.hostname, port, timeout=connect_ms / 1000.0)
    try:
        try:
            conn.connect()
        except socket.timeout:
            raise bad_request(where + 'connect timed out after %d ms' % connect_ms)
        conn.sock.settimeout(read_ms / 1000.0)
        target = (parts.path or '/') + ('?' + parts.query if parts.query else '')
        conn.request('GET', target, headers={'Accept': 'application/jwk-set+json, application/json'})
        resp = conn.getresponse()
        if resp.status != 200:
            raise bad_request(where + 'HTTP %d' % resp.status)
        length = resp.getheader('Content-Length')
        if length and length.isdigit() and int(length) > limit:
            raise bad_request(where + 'response exceeds the size limit of %d bytes' % limit)
        data = resp.read(limit + 1)
        if len(data) > limit:
            raise bad_request(where + 'response exceeds the size limit of %d bytes' % limit)
        return data.decode('utf-8', 'replace')
    except ApiError:
        raise
    except socket.timeout:
        raise bad_request(where + 'read timed out after %d ms' % read_ms)
    except (OSError, http.client.HTTPException) as exc:
        raise bad_request(where + '%s' % (exc.__class__.__name__ if not str(exc) else exc))
    finally:
        conn.close()


def _select_jwk(text, kid):
    """A JWK from a JWK or JWK Set document; kid picks from a set."""
    try:
        doc = json.loads(text)
    except ValueError:
        raise bad_request('JWK string is not valid JSON!')
    if isinstance(doc, dict) and 'keys' in doc:
        keyset = doc['keys']
        if not isinstance(keyset, list) or not keyset:
            raise bad_request('JWK Set contains no keys!')
        if kid is None:
            if len(keyset) > 1:
                raise bad_request('JWK Set contains %d keys: kid is required to choose one!' % len(keyset))
            chosen = keyset[0]
        else:
            matches = [k for k in keyset if isinstance(k, dict) and k.get('kid') == kid]
            if not matches:
                raise bad_request('JWK (kid: %s) is not found in the JWK Set!' % kid)
            chosen = matches[0]
    else:
        chosen = doc
        if kid is not None and isinstance(doc, dict):
            if doc.get('kid') not in (None, kid):
                raise bad_request('JWK (kid: %s) is not found in the JWK Set!' % kid)
            doc['kid'] = kid
    try:
        return keys.validate_jwk(chosen)
    except ValueError as exc:
        raise bad_request('JWK is not valid: %s' % exc)
