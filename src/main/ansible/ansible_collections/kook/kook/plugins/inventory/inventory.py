# -*- coding: utf-8 -*-
# Copyright (c) Kook maintainers
# MIT License (see galaxy.yml)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: inventory
short_description: Kook as an inventory source
version_added: 0.1.0
description:
  - Reads hosts, groups, nested groups and vars from Kook's C(/ansible/inventory) document, the same document
    Kook's inventory script prints for C(--list).
  - The configuration file's name must end in C(kook.yml) or C(kook.yaml).
  - Supports C(compose), C(groups) and C(keyed_groups) (see the C(constructed) plugin). Their expressions see
    each host's effective vars (C(all), then its groups by depth and priority, then its own).
  - B(Caching differs from Ansible's usual time-to-live cache on purpose.) With C(cache=true) the plugin keeps
    the document together with its C(ETag) and asks Kook again on every run with C(If-None-Match). Kook answers
    C(304 Not Modified) (no body) while nothing changed, and the cached document is used; after any change Kook
    sends the new document. So a cached inventory is never stale and is never fetched again without need.
    C(cache_timeout) only bounds how long a cached copy is kept at all; C(0) keeps it forever. C(--flush-cache)
    fetches the document unconditionally.
author:
  - Kook maintainers
extends_documentation_fragment:
  - constructed
  - inventory_cache
options:
  plugin:
    description: Marks this file as a Kook inventory source.
    type: str
    required: true
    choices: [kook.kook.inventory]
  url:
    description:
      - Kook's base URL.
    type: str
    default: http://localhost:8080
    env:
      - name: KOOK_URL
  token:
    description:
      - 'The secret of a Kook token with role C(read), sent as C(Authorization: Bearer <token>).'
      - Prefer the environment variable or a vaulted value to writing it into the file.
    type: str
    env:
      - name: KOOK_TOKEN
  validate_certs:
    description: Whether to verify Kook's TLS certificate (C(https://) URLs only).
    type: bool
    default: true
  ca_path:
    description: A PEM file of CA certificates to verify Kook's certificate with, instead of the system's.
    type: path
  timeout:
    description: Seconds to wait for each call to Kook.
    type: int
    default: 30
  pattern:
    description:
      - Keep only the hosts Ansible would target with this host pattern (for example C(web:&prod:!db),
        C(web*), C(~regex)), as Kook's C(GET /hosts?pattern=) selects them. All groups stay; they list only the kept hosts.
    type: str
  filter:
    description:
      - Keep only the hosts matching this Kook filter expression (for example C(effective.env == "prod")),
        as Kook's C(GET /hosts?filter=) selects them. Combines with I(pattern) (both must hold).
    type: str
  at_revision:
    description:
      - The inventory as it was right after this Kook revision (from Kook's history), for example the
        C(X-Kook-Revision) of the inventory a past deploy used.
    type: int
'''

EXAMPLES = r'''
# inventory/prod.kook.yml  (KOOK_URL and KOOK_TOKEN from the environment)
plugin: kook.kook.inventory

# inventory/eu-web.kook.yml
plugin: kook.kook.inventory
url: https://kook.example.com
ca_path: /etc/pki/kook-ca.pem
pattern: "web:&eu"
filter: 'effective.env == "prod"'
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/kook-inventory
cache_timeout: 0
keyed_groups:
  - key: os_family | default("unknown")
    prefix: os
compose:
  ansible_host: address | default(inventory_hostname)
groups:
  canary: "'canary' in (tags | default([]))"
'''

import json

from ansible.errors import AnsibleParserError
from ansible.inventory.helpers import get_group_vars
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.vars import combine_vars
from ansible_collections.kook.kook.plugins.module_utils.kook_api import KookClient, KookError, query


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = 'kook.kook.inventory'

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(('kook.yml', 'kook.yaml'))

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)
        try:
            kook = KookClient(url=self.get_option('url'), token=self.get_option('token'),
                              validate_certs=self.get_option('validate_certs'), ca_path=self.get_option('ca_path'),
                              timeout=self.get_option('timeout'))
            document, selected = self._fetch(kook, path, cache)
        except KookError as e:
            raise AnsibleParserError('kook.kook.inventory: %s' % to_native(e))
        self._populate(document, selected)

    # --- reading Kook, with the ETag cache ---------------------------------------------------------------------

    def _fetch(self, kook, path, cache):
        """(document, selected host names or None). With the cache on, a cached document is revalidated with
        If-None-Match on every run: 304 reuses it, 200 replaces it."""
        source = kook.url + '/ansible/inventory' + query(atRevision=self.get_option('at_revision'))
        selection = {'pattern': self.get_option('pattern'), 'filter': self.get_option('filter')}
        use_cache = self.get_option('cache')
        cache_key = self.get_cache_key(path) if use_cache else None
        cached = None
        if use_cache and cache:  # cache=False is --flush-cache: fetch unconditionally, then store
            try:
                cached = self._cache[cache_key]
            except KeyError:
                cached = None
            if not self._usable(cached, source, selection):
                cached = None

        headers = {'If-None-Match': cached['etag']} if cached else {}
        answer = kook.request('GET', source[len(kook.url):], headers=headers, allow=(304,))
        if answer.status == 304 and cached:
            return self._parse_document(cached['document']), cached['selected']
        if answer.status == 304:
            raise KookError('Kook answered 304 Not Modified to a request that sent no If-None-Match')
        text = answer.body.decode('utf-8')
        document = self._parse_document(text)
        selected = self._select(kook, selection, answer.etag)
        if use_cache and answer.etag:
            self._cache[cache_key] = {'source': source, 'selection': selection, 'etag': answer.etag,
                                      'document': text, 'selected': selected}
        return document, selected

    @staticmethod
    def _usable(cached, source, selection):
        return (isinstance(cached, dict) and cached.get('source') == source and cached.get('selection') == selection
                and isinstance(cached.get('etag'), str) and isinstance(cached.get('document'), str))

    def _select(self, kook, selection, etag):
        """The names of the hosts GET /hosts?pattern=&filter= selects, at the document's own revision, or None
        when neither option is set."""
        if not any(selection.values()):
            return None
        revision = (etag or '').strip('"')
        at = self.get_option('at_revision')
        if at is None and revision.isdigit():
            at = int(revision)  # the hosts of exactly the state the document shows
        hosts = kook.get_json('/hosts' + query(pattern=selection['pattern'], filter=selection['filter'],
                                               atRevision=at))
        return sorted(h['name'] for h in hosts)

    @staticmethod
    def _parse_document(text):
        try:
            document = json.loads(text)
        except ValueError as e:
            raise AnsibleParserError('kook.kook.inventory: Kook answered something that is not JSON: %s' % e)
        if not isinstance(document, dict) or not isinstance((document.get('_meta') or {}).get('hostvars'), dict):
            raise AnsibleParserError('kook.kook.inventory: Kook answered an inventory without _meta.hostvars')
        return document

    # --- building the inventory --------------------------------------------------------------------------------

    def _populate(self, document, selected):
        """Adds groups, hosts and vars the way Ansible's script plugin reads an inventory script's --list, then
        applies compose, groups and keyed_groups."""
        keep = set(selected) if selected is not None else None
        hostvars = document['_meta']['hostvars']
        seen = []
        for name, data in document.items():
            if name == '_meta':
                continue
            if not isinstance(data, dict):
                raise AnsibleParserError('kook.kook.inventory: group %r is not an object' % name)
            group = self.inventory.add_group(name)
            for host in data.get('hosts') or []:
                if keep is None or host in keep:
                    self.inventory.add_host(host, group)
                    seen.append(host)
            for key, value in (data.get('vars') or {}).items():
                self.inventory.set_variable(group, key, value)
            for child in data.get('children') or []:
                self.inventory.add_child(group, self.inventory.add_group(child))
        for host in hostvars:
            if (keep is None or host in keep) and host not in self.inventory.hosts:
                self.inventory.add_host(host)
                seen.append(host)

        strict = self.get_option('strict')
        for name in dict.fromkeys(seen):
            # on the Host itself: InventoryData.set_variable looks groups up first, so a host named like a group
            # would hand its vars to the group (the script plugin does; the document means the host)
            host = self.inventory.get_host(name)
            for key, value in (hostvars.get(name) or {}).items():
                host.set_variable(key, value)
        constructing = self.get_option('compose') or self.get_option('groups') or self.get_option('keyed_groups')
        if not constructing:
            return
        for name in dict.fromkeys(seen):
            host = self.inventory.get_host(name)
            variables = combine_vars(get_group_vars(host.get_groups()), host.get_vars())
            self._set_composite_vars(self.get_option('compose'), variables, name, strict=strict)
            variables = combine_vars(get_group_vars(host.get_groups()), host.get_vars())
            self._add_host_to_composed_groups(self.get_option('groups'), variables, name, strict=strict)
            self._add_host_to_keyed_groups(self.get_option('keyed_groups'), variables, name, strict=strict)
