# -*- coding: utf-8 -*-
# Copyright (c) Kook maintainers
# MIT License (see galaxy.yml)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """How the kook.kook modules reach Kook."""

    DOCUMENTATION = r'''
options:
  url:
    description:
      - Kook's base URL.
      - When not set, the environment variable C(KOOK_URL) is used, and failing that C(http://localhost:8080).
    type: str
  token:
    description:
      - 'The secret of a Kook token, sent as C(Authorization: Bearer <token>).'
      - When not set, the environment variable C(KOOK_TOKEN) is used.
      - The modules need a token with role C(write) (C(register) for M(kook.kook.registration)).
    type: str
  validate_certs:
    description:
      - Whether to verify Kook's TLS certificate (C(https://) URLs only).
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file of CA certificates to verify Kook's certificate with, instead of the system's.
    type: path
  timeout:
    description:
      - Seconds to wait for each call to Kook.
    type: int
    default: 30
notes:
  - Uses only the Python standard library; nothing needs to be installed on the host running the module.
  - "Errors carry Kook's problem details (RFC 9457), for example C(403 Forbidden: the token's group scope does not cover web1)."
'''
