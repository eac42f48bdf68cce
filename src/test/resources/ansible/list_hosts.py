#!/usr/bin/env python3
"""What Ansible targets with each host pattern, in one process.

Usage: list_hosts.py <inventory source>   (patterns: a JSON list on stdin)

Loads the inventory once through Ansible's own InventoryManager (the inventory script reads KOOK_URL and
KOOK_TOKEN) and prints, for each pattern, what `ansible --list-hosts <pattern>` prints
(InventoryManager.list_hosts) as a JSON list of objects:
  {"hosts": [...names...], "orderDefined": bool, "parts": n}  or  {"error": "..."}
orderDefined is false when a subscript in the pattern applies to a group whose host order Ansible takes from
iterating a Python set of groups (Group._walk_relationship below the children), which varies between runs.
"""
import json
import sys

from ansible.errors import AnsibleError
from ansible.inventory.manager import InventoryManager, split_host_pattern
from ansible.parsing.dataloader import DataLoader
from ansible.utils.display import Display

Display().verbosity = 0


def set_order_matters(group):
    """True when two groups reached at the same level both bring new child groups (set order decides)."""
    seen = set()
    unprocessed = set(group.child_groups)
    unprocessed.add(group)
    while unprocessed:
        seen.update(unprocessed)
        contributors = [g for g in unprocessed if any(c not in seen for c in g.child_groups)]
        if len(contributors) > 1:
            return True
        new = set(c for g in unprocessed for c in g.child_groups)
        new.difference_update(seen)
        unprocessed = new
    return False


def order_defined(inventory, pattern):
    for part in split_host_pattern(pattern):
        p = part.lstrip("&!")
        if not p or p[0] == "~":
            continue
        expr, subscript = inventory._split_subscript(p)
        if subscript is None:
            continue
        try:
            groups = inventory._match_list(inventory._inventory.groups, expr)
        except AnsibleError:
            continue
        if any(set_order_matters(inventory._inventory.groups[g]) for g in groups):
            return False
    return True


def main():
    inventory = InventoryManager(loader=DataLoader(), sources=[sys.argv[1]])
    results = []
    for pattern in json.load(sys.stdin):
        inventory.clear_pattern_cache()
        try:
            hosts = [h if isinstance(h, str) else h.name for h in inventory.list_hosts(pattern)]
            results.append({"hosts": hosts, "orderDefined": order_defined(inventory, pattern),
                            "parts": len(split_host_pattern(pattern))})
        except Exception as e:  # Ansible's own refusal (or a crash on a malformed pattern): Kook says 400
            results.append({"error": "%s: %s" % (type(e).__name__, e)})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
