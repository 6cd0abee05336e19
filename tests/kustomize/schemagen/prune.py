#!/usr/bin/env python3
"""Keeps, of the dump main.go writes, only what strategic merge patches consult (lists with a
patch strategy and the way to them) and writes lib/kustomize/schema_data.cpp."""
import json
import sys

dump = json.load(open(sys.argv[1]))
defs = dump["defs"]
memo = {}


def useful_node(n, stack):
    if not n:
        return False
    if "ps" in n:
        return True
    if "ref" in n:
        return useful_def(n["ref"], stack)
    if any(useful_node(n.get(k), stack) for k in ("items", "a")):
        return True
    return any(useful_node(v, stack) for v in n.get("p", {}).values())


def useful_def(name, stack):
    if name in memo:
        return memo[name]
    if name in stack:
        return False
    memo[name] = useful_node(defs.get(name), stack | {name})
    return memo[name]


def prune(n):
    if not n:
        return None
    if "ref" in n:
        return n if memo.get(n["ref"]) else None
    out = {k: n[k] for k in ("ps", "mk", "array") if k in n}
    for k in ("items", "a"):
        if k in n and prune(n[k]):
            out[k] = prune(n[k])
    props = {k: prune(v) for k, v in n.get("p", {}).items()}
    props = {k: v for k, v in props.items() if v}
    if props:
        out["p"] = props
    if "ps" not in out and not any(k in out for k in ("items", "a", "p")):
        return None
    return out


for name in list(defs):
    useful_def(name, frozenset())
kept = {k: prune(v) or {} for k, v in defs.items() if memo[k]}
types = [t for t in dump["types"] if t[2] in kept]
text = json.dumps({"types": types, "defs": kept}, separators=(",", ":"), sort_keys=True)
chunks = "\n".join('    R"schema(' + text[i:i + 4000] + ')schema"' for i in range(0, len(text), 4000))
print("""// Generated from the Kubernetes OpenAPI schema that Kustomize v5.5 compiles in
// (sigs.k8s.io/kustomize/kyaml v0.18.1, kubernetesapi v1_21_2): for each built-in type, the
// path to every list with a strategic-merge patch strategy, its merge keys, and nothing else.
// Regenerate with tests/kustomize/schemagen (see its README) on a Kustomize upgrade.

#include "lib/kustomize/schema.hpp"

namespace kmesh::kustomize {

const char* const kSchemaJson =
""" + chunks + """;

}  // namespace kmesh::kustomize""")
