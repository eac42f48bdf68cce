# -*- coding: utf-8 -*-
# Copyright (c) Kook maintainers
# MIT License (see galaxy.yml)
"""HTTP client for Kook's REST API, shared by the kook.kook modules and the kook.kook.inventory plugin.

Standard library only (urllib, ssl, json, gzip): nothing to install on the controller or the target.
Errors are raised as KookError carrying Kook's RFC 9457 problem details, worded for a human.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gzip
import json
import ssl

# Python 3 only, on the controller and on targets (tests/config.yml says so to ansible-test)
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlencode, urlsplit
from urllib.request import HTTPSHandler, Request, build_opener

USER_AGENT = 'kook.kook-ansible/0.1.0'
DEFAULT_URL = 'http://localhost:8080'
MAX_ERROR_BODY = 64 * 1024

# The connection options, as AnsibleModule argument_spec entries (the modules add env fallbacks).
CONNECTION_ARGS = dict(
    url=dict(type='str'),
    token=dict(type='str', no_log=True),
    validate_certs=dict(type='bool', default=True),
    ca_path=dict(type='path'),
    timeout=dict(type='int', default=30),
)


class KookError(Exception):
    """A failed call: status is the HTTP status (None when Kook could not be reached), problem the parsed
    problem document (or None), message a one-line account naming Kook's detail."""

    def __init__(self, message, status=None, problem=None):
        super(KookError, self).__init__(message)
        self.status = status
        self.problem = problem


class Response(object):
    """One HTTP answer: status, headers (case-insensitive via get), body (bytes, gunzipped)."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name) if self.headers is not None else None

    def json(self):
        if not self.body:
            return None
        return json.loads(self.body.decode('utf-8'))

    @property
    def etag(self):
        return self.header('ETag')

    @property
    def revision(self):
        value = self.header('X-Kook-Revision')
        return int(value) if value and value.isdigit() else None


def path(*segments):
    """'/a/b' from segments, each percent-encoded (a host name may hold ':', '@', '[' and ']')."""
    return ''.join('/' + quote(str(s), safe='') for s in segments)


def query(**params):
    """'?a=1&b=2' from the params that are not None, or ''."""
    present = [(k, v) for k, v in params.items() if v is not None]
    return '?' + urlencode(present) if present else ''


class KookClient(object):
    """Calls Kook at url with a bearer token. 2xx and the statuses in allow are returned as Response; anything
    else raises KookError with the problem's detail."""

    def __init__(self, url=None, token=None, validate_certs=True, ca_path=None, timeout=30):
        self.url = (url or DEFAULT_URL).rstrip('/')
        parts = urlsplit(self.url)
        if parts.scheme not in ('http', 'https') or not parts.hostname:
            raise KookError('url must be an http:// or https:// URL, not %r' % self.url)
        self.token = token
        self.timeout = timeout
        context = None
        if parts.scheme == 'https':
            context = ssl.create_default_context(cafile=ca_path)
            if not validate_certs:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
        self._opener = build_opener(HTTPSHandler(context=context)) if context else build_opener()

    @classmethod
    def from_params(cls, params):
        return cls(url=params.get('url'), token=params.get('token'), validate_certs=params.get('validate_certs', True),
                   ca_path=params.get('ca_path'), timeout=params.get('timeout') or 30)

    def request(self, method, target, body=None, headers=None, allow=(), content_type='application/json'):
        data = None
        request_headers = {'Accept': 'application/json', 'Accept-Encoding': 'gzip', 'User-Agent': USER_AGENT}
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode('utf-8')
            request_headers['Content-Type'] = content_type
        request_headers.update(headers or {})
        request = Request(self.url + target, data=data, headers=request_headers, method=method)
        if self.token:
            # unredirected: urllib drops it on a redirect, so the token never follows one to another origin
            request.add_unredirected_header('Authorization', 'Bearer ' + self.token)
        try:
            answer = self._opener.open(request, timeout=self.timeout)
            status = answer.status
        except HTTPError as e:
            answer = e
            status = e.code
        except (URLError, OSError, ValueError) as e:
            reason = getattr(e, 'reason', None) or e
            raise KookError('cannot reach Kook at %s: %s' % (self.url, reason))
        try:
            limit = None if 200 <= status < 300 else MAX_ERROR_BODY
            raw = answer.read() if limit is None else answer.read(limit)
        except (OSError, ValueError) as e:
            raise KookError('the connection to Kook at %s broke while reading its answer: %s' % (self.url, e))
        finally:
            answer.close()
        if (answer.headers.get('Content-Encoding') or '').strip().lower() == 'gzip' and raw:
            try:
                raw = gzip.decompress(raw)
            except (OSError, EOFError) as e:
                if limit is None:
                    raise KookError("Kook's gzip answer from %s is corrupt: %s" % (self.url, e))
                raw = b''  # an error body cut at MAX_ERROR_BODY: the status still says what happened
        response = Response(status, answer.headers, raw)
        if 200 <= status < 300 or status in allow:
            return response
        raise problem_error(method, target, response)

    def get(self, target, **kwargs):
        return self.request('GET', target, **kwargs)

    def get_json(self, target):
        return self.request('GET', target).json()


def problem_error(method, target, response):
    """KookError for an error answer, worded '<METHOD> <path>: <status> <title>: <detail> (field: message)'."""
    problem = None
    try:
        problem = json.loads(response.body.decode('utf-8'))
    except (ValueError, UnicodeDecodeError):
        pass
    message = '%s %s: Kook answered %s' % (method, target.split('?')[0], response.status)
    if isinstance(problem, dict):
        title, detail = problem.get('title'), problem.get('detail')
        if title:
            message += ' %s' % title
        if detail:
            message += ': %s' % detail
        errors = problem.get('errors')
        if isinstance(errors, list) and errors:
            message += ' (%s)' % '; '.join('%s: %s' % (e.get('field'), e.get('message'))
                                          for e in errors if isinstance(e, dict))
    else:
        problem = None
    return KookError(message, status=response.status, problem=problem)


def without_version(obj):
    """The object as a diff shows it: without the version counter, lists sorted."""
    if obj is None:
        return {}
    shown = dict((k, v) for k, v in obj.items() if k != 'version')
    for key, value in shown.items():
        if isinstance(value, list):
            shown[key] = sorted(value)
    return shown


def merged_vars(current, requested, mode):
    """The vars a module asks for: requested None keeps current; 'replace' takes requested as it is; 'merge'
    sets each requested key over current, and a requested null (~) removes that key (like a merge patch)."""
    if requested is None:
        return dict(current or {})
    if mode == 'replace':
        return dict(requested)
    result = dict(current or {})
    for key, value in requested.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def connection_argument_spec():
    """The connection options with their environment fallbacks, for AnsibleModule."""
    from ansible.module_utils.basic import env_fallback

    spec = dict((k, dict(v)) for k, v in CONNECTION_ARGS.items())
    spec['url']['fallback'] = (env_fallback, ['KOOK_URL'])
    spec['token']['fallback'] = (env_fallback, ['KOOK_TOKEN'])
    return spec


def run_module(module_class, options, run):
    """Runs a kook.kook module: an AnsibleModule (module_class) with the connection options and `options`, check
    mode supported; `run(module)`'s dict is the result, a KookError a failure carrying Kook's problem."""
    argument_spec = connection_argument_spec()
    argument_spec.update(options)
    module = module_class(argument_spec=argument_spec, supports_check_mode=True)
    try:
        module.exit_json(**run(module))
    except KookError as e:
        module.fail_json(msg=str(e), status=e.status, problem=e.problem)


def read_entity(kook, target):
    """GET a host or group: (the response, the object, or None when Kook has none)."""
    read = kook.request('GET', target, allow=(404,))
    return read, (read.json() if read.status == 200 else None)


def compare(module, key, target, current, desired, revision):
    """A host or group module's result before it writes: whether `desired` differs from `current` (version aside,
    lists sorted), the object under `key` (as it would be after the write, in check mode), Kook's revision and the
    diff when asked. Returns (result, before, after, write): write says whether a write is due."""
    before = without_version(current)
    after = without_version(desired)
    changed = before != after
    result = dict(changed=changed, revision=revision)
    result[key] = after if changed and module.check_mode else current or {}
    if module._diff:
        result['diff'] = dict(before=before, after=after, before_header=target, after_header=target)
    return result, before, after, changed and not module.check_mode


def write_condition(read, current):
    """A write's precondition: the version read, or that the object still does not exist."""
    return {'If-Match': read.etag} if current else {'If-None-Match': '*'}
