#!/usr/bin/env python3
"""Trim the oVirt API type table to what hvp-engine-sim reads.

Usage: python3 trim.py FULL.json > types.json
Keeps `source`, `types`, `enums`, `elements` unchanged and, per service, only `list_type`
(the item type of its list reply), `paths`,
`locators` (segment -> service) and per method `http`, `action`, `segment`, `mandatory`,
`mandatory_any_of`, and for non-action methods `query` (the scalar input parameters).
"""
import json
import sys

full = json.load(open(sys.argv[1]))
services = {}
for name, svc in full["services"].items():
    methods = {}
    for mname, m in svc.get("methods", {}).items():
        methods[mname] = {k: m[k] for k in ("http", "action", "segment", "mandatory", "mandatory_any_of") if k in m}
        if not m.get("action"):
            # Query parameters: the scalar inputs (the body parameter is a struct type).
            methods[mname]["query"] = sorted(
                n for n, p in m.get("parameters", {}).items() if p.get("in") and p["kind"] not in full["types"]
            )
    list_type = None
    for p in svc.get("methods", {}).get("list", {}).get("parameters", {}).values():
        if p.get("out") and p.get("list"):
            list_type = p["kind"]
    services[name] = {
        "list_type": list_type,
        "paths": svc.get("paths", []),
        "locators": {seg: loc["service"] for seg, loc in svc.get("locators", {}).items()},
        "methods": methods,
    }
out = {
    "source": full["source"],
    "types": full["types"],
    "enums": full["enums"],
    "elements": full["elements"],
    "services": services,
}
json.dump(out, sys.stdout, separators=(",", ":"), sort_keys=False)
