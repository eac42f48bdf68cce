#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) Kook maintainers
# MIT License (see galaxy.yml)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: registration
short_description: Register or deregister a service instance in Kook
version_added: 0.1.0
description:
  - Registers an instance (C(host:port)) of a service in Kook's C(/services) registry with a TTL, or deregisters it.
  - A registration lapses I(ttl) seconds after its last renewal. Every run with C(state=present) renews it
    (unless in check mode). A renewal that changes neither the metadata nor the TTL reports C(changed=false),
    so a play that renews on a schedule stays green.
  - Needs a token with role C(register) (or above).
author:
  - Kook maintainers
extends_documentation_fragment:
  - kook.kook.connection
attributes:
  check_mode:
    support: full
    description: Reads Kook and reports what would change; neither registers nor renews.
  diff_mode:
    support: full
    description: Shows the registration before and after (host, port, metadata, TTL).
options:
  service:
    description:
      - The service's name (1-200 characters of letters, digits, C(_), C(.) and C(-)).
    type: str
    required: true
  host:
    description:
      - The instance's host name or address.
    type: str
    required: true
  port:
    description:
      - The instance's port (1-65535).
    type: int
    required: true
  state:
    description:
      - C(present) registers or renews the instance; C(absent) deregisters it.
    type: str
    choices: [present, absent]
    default: present
  metadata:
    description:
      - Free-form metadata readers of C(/services) see with the instance (a JSON object).
    type: dict
    default: {}
  ttl:
    description:
      - Seconds the registration lives after each renewal. When not given, Kook's default
        (C(kook.services.default-ttl)) applies and the TTL takes no part in deciding whether something changed.
    type: int
'''

EXAMPLES = r'''
- name: Announce this node's API for two minutes (renew it from a timer or each deploy)
  kook.kook.registration:
    service: orders-api
    host: "{{ inventory_hostname }}"
    port: 8443
    ttl: 120
    metadata:
      version: "{{ app_version }}"

- name: Take it out of the registry before a restart
  kook.kook.registration:
    service: orders-api
    host: "{{ inventory_hostname }}"
    port: 8443
    state: absent
'''

RETURN = r'''
instance:
  description: The registration as Kook holds it after the task; empty when absent.
  returned: always
  type: dict
  sample: {"service": "orders-api", "host": "web1", "port": 8443, "metadata": {"version": "1.2"},
           "since": "2026-01-01T10:00:00Z", "ttlMillis": 120000, "source": "http"}
revision:
  description: Kook's revision (X-Kook-Revision) after the task.
  returned: when Kook answered
  type: int
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kook.kook.plugins.module_utils.kook_api import (
    KookClient, path, query, run_module)


def main():
    run_module(AnsibleModule, dict(
        service=dict(type='str', required=True),
        host=dict(type='str', required=True),
        port=dict(type='int', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        metadata=dict(type='dict', default={}),
        ttl=dict(type='int'),
    ), run)


def shown(instance):
    if not instance:
        return {}
    return dict((k, instance.get(k)) for k in ('host', 'port', 'metadata', 'ttlMillis'))


def run(module):
    p = module.params
    if not 1 <= p['port'] <= 65535:
        module.fail_json(msg='port must be 1-65535, not %d' % p['port'])
    if p['ttl'] is not None and p['ttl'] < 1:
        module.fail_json(msg='ttl must be at least 1 (seconds)')
    kook = KookClient.from_params(p)
    instance = '%s:%d' % (p['host'], p['port'])
    read = kook.request('GET', path('services', p['service']))
    current = next((i for i in read.json() or [] if i.get('host') == p['host'] and i.get('port') == p['port']), None)

    if p['state'] == 'absent':
        desired = None
    else:
        ttl_millis = p['ttl'] * 1000 if p['ttl'] is not None else (current or {}).get('ttlMillis')
        desired = dict(host=p['host'], port=p['port'], metadata=p['metadata'], ttlMillis=ttl_millis)
    before, after = shown(current), shown(desired)
    if desired is not None and current is None and p['ttl'] is None:
        after.pop('ttlMillis')  # Kook's default, not known before the write
    changed = before != after
    result = dict(changed=changed, instance=current or {}, revision=read.revision)
    if module._diff:
        header = path('services', p['service'], 'instances', instance)
        result['diff'] = dict(before=before, after=after, before_header=header, after_header=header)
    if module.check_mode:
        if changed:
            result['instance'] = dict(after, service=p['service']) if desired else {}
        return result

    target = path('services', p['service'], 'instances', instance)
    if desired is None:
        if current is not None:
            result.update(instance={}, revision=kook.request('DELETE', target).revision)
        return result
    ttl = '%ds' % p['ttl'] if p['ttl'] is not None else None
    written = kook.request('PUT', target + query(ttl=ttl), body={'metadata': p['metadata']})
    result.update(instance=written.json() or {}, revision=written.revision)
    return result


if __name__ == '__main__':
    main()
