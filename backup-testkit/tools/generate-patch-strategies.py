#!/usr/bin/env python3
"""Extracts the strategic-merge-patch metadata of the Kubernetes API from its OpenAPI v2 spec.

Usage: generate-patch-strategies.py SWAGGER_JSON SOURCE_LABEL > patch-strategies.json

SWAGGER_JSON is api/openapi-spec/swagger.json of k8s.io/kubernetes (e.g. from the Go module
cache after .ci/servers/build.sh: ~/go/pkg/mod/k8s.io/kubernetes@v1.35.4/api/openapi-spec/).
The output keeps, for every definition reachable from a kind, the fields that lead to another
definition (directly, as list items or as map values) or carry x-kubernetes-patch-strategy /
x-kubernetes-patch-merge-key, which is all the embedded cluster's strategic merge patch needs.
"""
import json
import sys

REF = "#/definitions/"


def target(prop):
    """(definition name or None, shape) of a property: shape is value, list or map."""
    if "$ref" in prop:
        return prop["$ref"][len(REF):], "value"
    if prop.get("type") == "array":
        items = prop.get("items", {})
        return (items["$ref"][len(REF):] if "$ref" in items else None), "list"
    if prop.get("type") == "object" and "additionalProperties" in prop:
        values = prop["additionalProperties"]
        return (values["$ref"][len(REF):] if "$ref" in values else None), "map"
    return None, "value"


def main(path, label):
    with open(path, encoding="utf-8") as f:
        spec = json.load(f)
    definitions = spec["definitions"]
    kinds = {}
    for name, d in definitions.items():
        for gvk in d.get("x-kubernetes-group-version-kind", []):
            if name.endswith("List") or gvk["kind"] in ("Status", "WatchEvent", "DeleteOptions"):
                continue
            group = gvk["group"]
            api_version = gvk["version"] if not group else group + "/" + gvk["version"]
            kinds[api_version + "/" + gvk["kind"]] = name
    types = {}
    pending = sorted(set(kinds.values()))
    while pending:
        name = pending.pop()
        if name in types or name not in definitions:
            continue
        fields = {}
        for field, prop in sorted(definitions[name].get("properties", {}).items()):
            ref, shape = target(prop)
            entry = {}
            if ref is not None:
                entry["ref"] = ref
                pending.append(ref)
            if shape != "value":
                entry["shape"] = shape
            if "x-kubernetes-patch-strategy" in prop:
                entry["strategy"] = prop["x-kubernetes-patch-strategy"]
            if "x-kubernetes-patch-merge-key" in prop:
                entry["mergeKey"] = prop["x-kubernetes-patch-merge-key"]
            if ref is not None or "strategy" in entry:
                fields[field] = entry
        types[name] = fields
    out = {
        "source": label,
        "kinds": dict(sorted(kinds.items())),
        "types": dict(sorted(types.items())),
    }
    json.dump(out, sys.stdout, separators=(",", ":"), sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
