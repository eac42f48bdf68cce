#!/usr/bin/env python3
"""Ansible dynamic inventory backed by Kook.

    KOOK_URL=http://kook:8080 ansible-inventory -i kook-inventory.py --graph

Environment:
  KOOK_URL        Kook's base URL (default http://localhost:8080)
  KOOK_TOKEN      optional bearer token, sent as "Authorization: Bearer <token>"
  KOOK_TIMEOUT    seconds for the whole exchange: connect, redirects and every read (default 30)
  KOOK_MAX_BYTES  largest answer accepted, counted after gzip decompression (default 536870912, 512 MiB)
  KOOK_AT_REVISION  optional revision: the inventory as it was right after it (Kook's history), e.g. the
                  X-Kook-Revision of the inventory a past deploy used

Uses only the Python 3 standard library. On any failure it prints one line to stderr
and exits 1, so Ansible never runs against an empty or partial inventory.

Proxies named in http_proxy, https_proxy and no_proxy are used as urllib would use them.
Redirects are followed only within KOOK_URL's origin (same scheme, host and port); one to
any other origin is refused, so the token never leaves that origin. The answer is printed
as Kook sent it (numbers keep every digit), once it is known to be a JSON object of the
shape Ansible expects.
"""
import base64
import http.client
import io
import json
import os
import socket
import sys
import time
import urllib.parse
import urllib.request
import zlib

CHUNK = 64 * 1024
MAX_REDIRECTS = 5
MAX_ERROR_BODY = 64 * 1024
GZIP = 16 + zlib.MAX_WBITS


class Failure(Exception):
    """A reason to give up, worded for the one line on stderr."""


def main(argv):
    try:
        if len(argv) == 2 and argv[1] == "--list":
            body = fetch("/ansible/inventory" + at_revision(), check_list)
        elif len(argv) == 3 and argv[1] == "--host":
            body = fetch("/ansible/inventory/hosts/" + urllib.parse.quote(argv[2], safe="") + at_revision(), check_host)
        else:
            raise Failure("usage: %s --list | --host <name>" % os.path.basename(argv[0]))
        sys.stdout.buffer.write(body.strip() + b"\n")
        sys.stdout.flush()
        return 0
    except Failure as e:
        return fail(str(e))
    except Exception as e:  # the last resort: still one line, never a traceback
        return fail("unexpected %s: %s" % (type(e).__name__, e))


def fail(message):
    sys.stderr.write("kook-inventory: " + printable(message, 500) + "\n")
    return 1


def printable(text, limit):
    """Text safe for a terminal and a log: no control characters or escapes, at most limit characters."""
    text = "".join(c if c.isprintable() else (" " if c.isspace() else "?") for c in str(text))
    return text if len(text) <= limit else text[:limit - 3] + "..."


# --- settings ------------------------------------------------------------------------------------------------

def at_revision():
    """The query asking for the inventory as of KOOK_AT_REVISION, or nothing."""
    revision = os.environ.get("KOOK_AT_REVISION", "").strip()
    if not revision:
        return ""
    if not revision.isdigit():
        raise Failure("KOOK_AT_REVISION must be a revision (a non-negative integer), not %r" % revision)
    return "?atRevision=" + revision


def settings():
    base = os.environ.get("KOOK_URL", "http://localhost:8080").rstrip("/")
    url = urllib.parse.urlsplit(base)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise Failure("KOOK_URL must be an http:// or https:// URL, not %r" % base)
    token = os.environ.get("KOOK_TOKEN", "")
    if any(not " " <= c <= "~" for c in token):
        raise Failure("KOOK_TOKEN holds characters a header cannot carry")  # never print the token itself
    return base, token, positive("KOOK_TIMEOUT", "30", float), positive("KOOK_MAX_BYTES", str(512 << 20), int)


def positive(name, default, kind):
    value = os.environ.get(name, default)
    try:
        result = kind(value)
    except ValueError:
        result = 0
    if not 0 < result < float("inf"):
        raise Failure("%s must be a positive number, not %r" % (name, value))
    return result


# --- HTTP ----------------------------------------------------------------------------------------------------

def fetch(path, check):
    """GETs path below KOOK_URL within KOOK_TIMEOUT; returns the body once check has accepted it."""
    base, token, timeout, max_bytes = settings()
    deadline = time.monotonic() + timeout
    headers = {"Accept": "application/json", "Accept-Encoding": "gzip", "User-Agent": "kook-inventory/2",
               "Connection": "close"}
    if token:
        headers["Authorization"] = "Bearer " + token
    url = base + path
    for _ in range(MAX_REDIRECTS + 1):
        try:
            status, reason, location, body = get(url, headers, deadline, max_bytes)
        except (TimeoutError, socket.timeout):
            raise Failure("Kook at %s did not answer within KOOK_TIMEOUT=%gs" % (base, timeout))
        except (OSError, http.client.HTTPException) as e:
            raise Failure("cannot reach Kook at %s: %s" % (base, str(e) or type(e).__name__))
        if status in (301, 302, 303, 307, 308) and location:
            target = urllib.parse.urljoin(url, location)
            if origin(target) != origin(url):
                raise Failure("Kook at %s redirected to another origin (%s); not following it with the token, "
                              "set KOOK_URL there if that is Kook" % (base, target))
            url = target
            continue
        if status != 200:
            raise Failure("Kook at %s answered %s %s%s" % (base, status, reason, problem_detail(body)))
        return parse(body, check, base)
    raise Failure("Kook at %s redirected more than %d times" % (base, MAX_REDIRECTS))


def origin(url):
    parts = urllib.parse.urlsplit(url)
    return parts.scheme, parts.hostname, parts.port or {"http": 80, "https": 443}.get(parts.scheme)


def get(url, headers, deadline, max_bytes):
    """One GET; returns (status, reason, Location, body). Every step ends by the deadline."""
    connection, target, proxy_headers = connect_to(urllib.parse.urlsplit(url), remaining(deadline))
    try:
        connection.request("GET", target, headers=dict(headers, **proxy_headers))  # connects, then sends
        sock = connection.sock
        connection.sock = DeadlineSocket(sock, deadline)
        try:
            response = connection.getresponse()
            if response.status == 200:
                body = read_body(response, max_bytes)
            else:
                try:
                    body = read_body(response, MAX_ERROR_BODY)
                except (Failure, OSError, http.client.HTTPException):
                    body = b""  # the status says enough
            return response.status, response.reason, response.getheader("Location"), body
        finally:
            sock.close()
    finally:
        connection.close()


def connect_to(parts, timeout):
    """(connection, request target, extra headers) for parts, through a proxy named in the environment as
    urllib would use it (http_proxy, https_proxy, no_proxy): a CONNECT tunnel for https, an absolute URL for http."""
    path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    https = parts.scheme == "https"
    connection_class = http.client.HTTPSConnection if https else http.client.HTTPConnection
    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(parts.hostname):
        return connection_class(parts.hostname, parts.port, timeout=timeout), path, {}
    proxy = urllib.parse.urlsplit(proxy if "://" in proxy else "http://" + proxy)
    credentials = {}
    if proxy.username:
        user_password = urllib.parse.unquote(proxy.username) + ":" + urllib.parse.unquote(proxy.password or "")
        credentials["Proxy-Authorization"] = "Basic " + base64.b64encode(user_password.encode()).decode()
    if https:
        connection = connection_class(proxy.hostname, proxy.port, timeout=timeout)
        connection.set_tunnel(parts.hostname, parts.port, headers=credentials)
        return connection, path, {}
    connection = http.client.HTTPConnection(proxy.hostname, proxy.port, timeout=timeout)
    return connection, urllib.parse.urlunsplit(parts._replace(fragment="")), credentials


def remaining(deadline):
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError()
    return left


class DeadlineSocket:
    """What http.client reads the answer through: each read waits at most until the deadline."""

    def __init__(self, sock, deadline):
        self.sock = sock
        self.deadline = deadline

    def makefile(self, mode):
        return io.BufferedReader(DeadlineReader(self.sock, self.deadline))

    def close(self):
        pass  # get() closes the socket once the answer is read


class DeadlineReader(io.RawIOBase):
    def __init__(self, sock, deadline):
        super().__init__()
        self.sock = sock
        self.deadline = deadline

    def readable(self):
        return True

    def readinto(self, buffer):
        self.sock.settimeout(remaining(self.deadline))
        return self.sock.recv_into(buffer)


def read_body(response, limit):
    """The whole body, gunzipped if need be; more than limit bytes (either way) is a failure."""
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip"):
        raise Failure("Kook answered in Content-Encoding %r, which the script does not read" % encoding)
    gunzip = Gunzip(limit) if encoding == "gzip" else None
    body = bytearray()
    received = 0
    while True:
        try:
            chunk = response.read(CHUNK)
        except http.client.IncompleteRead:  # a chunked body cut short
            raise cut_short(received, None)
        if not chunk:
            break
        received += len(chunk)
        if received > limit:
            raise too_large(limit)
        body += gunzip.feed(chunk) if gunzip else chunk
    length = (response.getheader("Content-Length") or "").strip()
    if length.isdigit() and received < int(length):
        raise cut_short(received, length)
    if gunzip:
        body += gunzip.finish()
    return bytes(body)


def cut_short(received, expected):
    so_far = " (%d of %s bytes)" % (received, expected) if expected else ""
    return Failure("the connection to Kook closed before the end of its answer%s" % so_far)


def too_large(limit):
    return Failure("Kook's answer is larger than KOOK_MAX_BYTES=%d bytes" % limit)


class Gunzip:
    """Streaming gzip decompression that gives up as soon as the output would pass limit bytes."""

    def __init__(self, limit):
        self.limit = limit
        self.produced = 0
        self.inflater = zlib.decompressobj(GZIP)

    def feed(self, data):
        out = bytearray()
        try:
            while data:
                if self.inflater.eof:  # another gzip member follows
                    self.inflater = zlib.decompressobj(GZIP)
                out += self.count(self.inflater.decompress(data, self.limit + 1 - self.produced))
                data = self.inflater.unused_data if self.inflater.eof else self.inflater.unconsumed_tail
        except zlib.error as e:
            raise Failure("Kook's gzip answer is corrupt: %s" % e)
        return out

    def finish(self):
        out = self.count(self.inflater.flush())
        if not self.inflater.eof:
            raise Failure("Kook's gzip answer ends before its end-of-stream marker")
        return out

    def count(self, piece):
        self.produced += len(piece)
        if self.produced > self.limit:
            raise too_large(self.limit)
        return piece


def problem_detail(body):
    """': <detail>' from a problem document, made printable, or ''."""
    try:
        detail = json.loads(body.decode("utf-8")).get("detail")
    except Exception:
        return ""
    return ": " + printable(detail, 200) if isinstance(detail, str) and detail else ""


# --- the answer ----------------------------------------------------------------------------------------------

def parse(body, check, base):
    try:
        # The numbers are not needed to check the shape, and skipping their conversion keeps huge ones cheap.
        document = json.loads(body.decode("utf-8"), parse_int=lambda s: 0, parse_float=lambda s: 0.0)
    except RecursionError:
        raise Failure("Kook at %s answered JSON nested too deeply to read" % base)
    except ValueError as e:
        raise Failure("Kook at %s answered something that is not JSON: %s" % (base, e))
    problem = check(document)
    if problem:
        raise Failure("Kook at %s answered %s" % (base, problem))
    return body


def check_host(document):
    if not isinstance(document, dict):
        return "a JSON %s where the host's vars (an object) belong" % kind(document)
    return None


def check_list(document):
    if not isinstance(document, dict):
        return "a JSON %s where the inventory (an object) belongs" % kind(document)
    meta = document.get("_meta")
    hostvars = meta.get("hostvars") if isinstance(meta, dict) else None
    if not isinstance(hostvars, dict):
        return "an inventory without a _meta.hostvars object"
    for host, variables in hostvars.items():
        if not isinstance(variables, dict):
            return "a JSON %s as the vars of host %r" % (kind(variables), host)
    for name, group in document.items():
        if name == "_meta":
            continue
        if not isinstance(group, dict):
            return "a JSON %s as group %r" % (kind(group), name)
        for key in ("hosts", "children"):
            if key in group and not (isinstance(group[key], list) and all(isinstance(n, str) for n in group[key])):
                return "group %r with %s that are not a list of names" % (name, key)
        if "vars" in group and not isinstance(group["vars"], dict):
            return "group %r with vars that are not an object" % name
    return None


def kind(value):
    for python_type, name in ((dict, "object"), (list, "array"), (str, "string"), (bool, "boolean")):
        if isinstance(value, python_type):
            return name
    return "null" if value is None else "number"


if __name__ == "__main__":
    sys.exit(main(sys.argv))
