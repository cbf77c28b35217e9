#!/usr/bin/env python3
"""Prints a synthetic facts document for the balanced policy: NODES nodes with DISKS disks each
(sizes 2, 4, 8 and 12 TB in a fixed pattern), for benchmarks.

usage: gen-facts.py NODES DISKS
"""
import json
import sys

SIZES = [2_000_398_934_016, 4_000_787_030_016, 8_001_563_222_016, 12_000_138_625_024]


def disk_name(i):
    letters = "abcdefghijklmnopqrstuvwxyz"
    i += 1  # sdb first
    name = ""
    while True:
        name = letters[i % 26] + name
        i = i // 26 - 1
        if i < 0:
            break
    return "sd" + name


def main():
    nodes, disks = int(sys.argv[1]), int(sys.argv[2])
    document = {
        "nodes": [
            {
                "name": f"node{n}.gluster.private",
                "hvp_free_disks": [
                    {"name": disk_name(d), "size": SIZES[(n + d) % len(SIZES)]}
                    for d in range(disks)
                ],
            }
            for n in range(nodes)
        ],
        "vars": {"hvp_layout_policy": "balanced"},
    }
    json.dump(document, sys.stdout)


if __name__ == "__main__":
    main()
