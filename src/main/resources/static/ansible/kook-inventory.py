#!/usr/bin/env python3
"""Ansible dynamic inventory backed by Kook.

    KOOK_URL=http://kook:8080 ansible-inventory -i kook-inventory.py --graph

Environment:
  KOOK_URL      Kook's base URL (default http://localhost:8080)
  KOOK_TOKEN    optional bearer token, sent as "Authorization: Bearer <token>"
  KOOK_TIMEOUT  seconds to wait for Kook (default 30)

Uses only the Python 3 standard library. On any failure it prints one line to stderr
and exits non-zero, so Ansible never runs against an empty or partial inventory.
"""
import gzip
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


def fetch(path):
    base = os.environ.get("KOOK_URL", "http://localhost:8080").rstrip("/")
    timeout = float(os.environ.get("KOOK_TIMEOUT", "30"))
    request = urllib.request.Request(base + path, headers={
        "Accept": "application/json",
        "Accept-Encoding": "gzip",
        "User-Agent": "kook-inventory/1",
    })
    token = os.environ.get("KOOK_TOKEN")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
    except urllib.error.HTTPError as e:
        detail = ""
        try:
            detail = json.loads(e.read().decode("utf-8")).get("detail", "")
        except Exception:
            pass
        fail("Kook at %s answered %s %s%s" % (base, e.code, e.reason, (": " + detail) if detail else ""))
    except (urllib.error.URLError, OSError) as e:
        fail("cannot reach Kook at %s: %s" % (base, getattr(e, "reason", e)))
    try:
        return json.loads(body.decode("utf-8"))
    except ValueError as e:
        fail("Kook at %s answered something that is not JSON: %s" % (base, e))


def fail(message):
    sys.stderr.write("kook-inventory: " + message + "\n")
    sys.exit(1)


def main(argv):
    if len(argv) == 2 and argv[1] == "--list":
        result = fetch("/ansible/inventory")
    elif len(argv) == 3 and argv[1] == "--host":
        result = fetch("/ansible/inventory/hosts/" + urllib.parse.quote(argv[2], safe=""))
    else:
        fail("usage: %s --list | --host <name>" % os.path.basename(argv[0]))
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
