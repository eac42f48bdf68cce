#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) Kook maintainers
# MIT License (see galaxy.yml)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: host
short_description: Manage a host in Kook's inventory
version_added: 0.1.0
description:
  - Creates, updates or deletes one host in Kook, with its vars and its direct groups.
  - Idempotent. The module reads the host, works out what would change, and writes only when something does.
    A rerun reports C(changed=false).
  - >-
    Every write is conditional (C(If-Match) on the version it read, or C(If-None-Match: *) on create). If someone
    else changes the host between the read and the write, the module fails rather than overwriting that change.
author:
  - Kook maintainers
extends_documentation_fragment:
  - kook.kook.connection
attributes:
  check_mode:
    support: full
    description: Reads Kook and reports what would change; writes nothing.
  diff_mode:
    support: full
    description: Shows the host before and after (name, vars, groups).
options:
  name:
    description:
      - The host's name, as Ansible knows it (FQDN, IP address, alias).
    type: str
    required: true
  state:
    description:
      - C(present) creates or updates the host; C(absent) deletes it, which also removes it from every group.
    type: str
    choices: [present, absent]
    default: present
  vars:
    description:
      - The host's own vars.
      - When not given, the vars stay as they are (a new host has none).
      - How they combine with the vars the host already has depends on I(vars_mode).
    type: dict
  vars_mode:
    description:
      - C(merge) sets each var in I(vars) and keeps the others; a var given as null (C(~)) is removed.
      - C(replace) makes I(vars) the host's whole set of vars.
    type: str
    choices: [merge, replace]
    default: merge
  groups:
    description:
      - The host's direct groups, exactly. Groups not listed are left; every listed group must exist.
      - When not given, membership stays as it is (a new host is in no group).
      - Use M(kook.kook.group) to create groups; C(all) and C(ungrouped) are implicit and cannot be listed.
    type: list
    elements: str
'''

EXAMPLES = r'''
- name: Register web1 in groups web and eu with its port
  kook.kook.host:
    url: https://kook.example.com
    token: "{{ lookup('env', 'KOOK_TOKEN') }}"
    name: web1.example.com
    groups: [web, eu]
    vars:
      http_port: 8080

- name: Drop one var, keep the others (KOOK_URL and KOOK_TOKEN from the environment)
  kook.kook.host:
    name: web1.example.com
    vars:
      http_port: ~

- name: Decommission a host
  kook.kook.host:
    name: old1.example.com
    state: absent
'''

RETURN = r'''
host:
  description: The host as Kook holds it after the task (before, in check mode, with the change applied); empty when absent.
  returned: always
  type: dict
  sample: {"name": "web1.example.com", "vars": {"http_port": 8080}, "groups": ["eu", "web"], "version": 3}
revision:
  description: Kook's revision (X-Kook-Revision) of the write, or of the read when nothing was written.
  returned: when Kook answered
  type: int
  sample: 4711
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kook.kook.plugins.module_utils.kook_api import (
    KookClient, compare, merged_vars, path, read_entity, run_module, write_condition)


def main():
    run_module(AnsibleModule, dict(
        name=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        vars=dict(type='dict'),
        vars_mode=dict(type='str', choices=['merge', 'replace'], default='merge'),
        groups=dict(type='list', elements='str'),
    ), run)


def run(module):
    p = module.params
    kook = KookClient.from_params(p)
    target = path('hosts', p['name'])
    read, current = read_entity(kook, target)

    if p['state'] == 'absent':
        desired = None
    else:
        base = current or {'name': p['name'], 'vars': {}, 'groups': []}
        groups = base['groups'] if p['groups'] is None else sorted(set(p['groups']))
        desired = {'name': p['name'], 'vars': merged_vars(base['vars'], p['vars'], p['vars_mode']), 'groups': groups}

    result, _, after, write = compare(module, 'host', target, current, desired, read.revision)
    if not write:
        return result

    condition = write_condition(read, current)
    if desired is None:
        written = kook.request('DELETE', target, headers=condition)
        result['host'] = {}
    else:
        written = kook.request('PUT', target, body={'vars': desired['vars'], 'groups': desired['groups']},
                               headers=condition)
        result['host'] = written.json() or after
    result['revision'] = written.revision
    return result


if __name__ == '__main__':
    main()
