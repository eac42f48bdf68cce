#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) Kook maintainers
# MIT License (see galaxy.yml)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: group
short_description: Manage a group in Kook's inventory
version_added: 0.1.0
description:
  - Creates, updates or deletes one group in Kook, with its vars, direct member hosts, child groups and parent groups.
  - Idempotent. The module reads the group, works out what would change, and writes only when something does.
    A rerun reports C(changed=false).
  - >-
    The group itself (vars, hosts, children) is written in one conditional call (C(If-Match) on the version it
    read, C(If-None-Match: *) on create), so a concurrent change makes the module fail instead of being lost.
    Parent edges are separate calls, one per added or removed parent, each idempotent on Kook's side.
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
    description: Shows the group before and after (name, vars, hosts, children, parents).
options:
  name:
    description:
      - The group's name (letters, digits, C(_), C(.), C(-); not starting with C(.) or C(-)).
      - C(all) may be given to manage the vars of the implicit C(all) group; it cannot be deleted or get members.
    type: str
    required: true
  state:
    description:
      - C(present) creates or updates the group; C(absent) deletes it with its edges and memberships (its hosts stay).
    type: str
    choices: [present, absent]
    default: present
  vars:
    description:
      - The group's own vars. When not given they stay as they are (a new group has none).
      - How they combine with the vars it already has depends on I(vars_mode).
    type: dict
  vars_mode:
    description:
      - C(merge) sets each var in I(vars) and keeps the others; a var given as null (C(~)) is removed.
      - C(replace) makes I(vars) the group's whole set of vars.
    type: str
    choices: [merge, replace]
    default: merge
  hosts:
    description:
      - The group's direct member hosts, exactly. Every host must exist (see M(kook.kook.host)).
      - When not given, the members stay as they are.
    type: list
    elements: str
  children:
    description:
      - The group's direct child groups, exactly. Every child must exist; an edge that would close a cycle fails
        with Kook's C(409) problem.
      - When not given, the children stay as they are.
    type: list
    elements: str
  parents:
    description:
      - The groups this group is a direct child of, exactly. Every parent must exist.
      - When not given, the parents stay as they are.
    type: list
    elements: str
'''

EXAMPLES = r'''
- name: A group with vars, nested under eu
  kook.kook.group:
    name: web
    vars:
      ansible_user: deploy
    parents: [eu]

- name: Exactly these hosts are in db
  kook.kook.group:
    name: db
    hosts: [db1.example.com, db2.example.com]

- name: Vars for every host
  kook.kook.group:
    name: all
    vars:
      ntp_server: ntp.example.com

- name: Remove a group (its hosts stay in Kook)
  kook.kook.group:
    name: legacy
    state: absent
'''

RETURN = r'''
group:
  description: The group as Kook holds it after the task (in check mode, with the change applied); empty when absent.
  returned: always
  type: dict
  sample: {"name": "web", "vars": {"ansible_user": "deploy"}, "hosts": ["web1"], "children": [], "parents": ["eu"], "version": 2}
revision:
  description: Kook's revision (X-Kook-Revision) of the last write, or of the read when nothing was written.
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
        hosts=dict(type='list', elements='str'),
        children=dict(type='list', elements='str'),
        parents=dict(type='list', elements='str'),
    ), run)


def exactly(requested, current):
    return sorted(current or []) if requested is None else sorted(set(requested))


def run(module):
    p = module.params
    kook = KookClient.from_params(p)
    name = p['name']
    target = path('groups', name)
    read, current = read_entity(kook, target)

    if p['state'] == 'absent':
        desired = None
    else:
        base = current or {'name': name, 'vars': {}, 'hosts': [], 'children': [], 'parents': []}
        desired = {'name': name, 'vars': merged_vars(base.get('vars'), p['vars'], p['vars_mode']),
                   'hosts': exactly(p['hosts'], base.get('hosts')),
                   'children': exactly(p['children'], base.get('children')),
                   'parents': exactly(p['parents'], base.get('parents'))}

    result, before, after, write = compare(module, 'group', target, current, desired, read.revision)
    if not write:
        return result

    condition = write_condition(read, current)
    if desired is None:
        written = kook.request('DELETE', target, headers=condition)
        result.update(group={}, revision=written.revision)
        return result

    own = ('vars', 'hosts', 'children')
    if current is None or any(before.get(k) != after.get(k) for k in own):
        body = dict((k, desired[k]) for k in own)
        if name == 'all':  # all holds every host and group implicitly: only its vars are its own
            body = {'vars': desired['vars']}
        written = kook.request('PUT', target, body=body, headers=condition)
        result['revision'] = written.revision
    old_parents = set(before.get('parents') or [])
    new_parents = set(desired['parents'])
    for parent in sorted(new_parents - old_parents):
        result['revision'] = kook.request('PUT', path('groups', parent, 'children', name)).revision
    for parent in sorted(old_parents - new_parents):
        result['revision'] = kook.request('DELETE', path('groups', parent, 'children', name)).revision
    result['group'] = kook.get_json(target + '?minRevision=%d' % result['revision'] if result['revision'] else target)
    return result


if __name__ == '__main__':
    main()
