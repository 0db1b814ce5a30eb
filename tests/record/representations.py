"""Each resource's representation as a shape, kept per representation number in
``tests/snapshots/representations.json``, so that a representation cannot change unnoticed.

A version records the resource in the representation of its day, and reads bring it to today's through
the upcasters its serializer lists (``apps.core.record.versions``). Today's representation is number
``len(upcasters) + 1``. ``test_representations`` fails when the shape of a resource differs from the
shape kept under today's number: the representation changed and no upcaster says how to read the
versions recorded before. The fix is an upcaster (``apps.core.record.versions.added`` for a field added),
then ``make schema``, which records the new number's shape; it never overwrites a number's shape.
"""

import json
import sys
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "representations.json"
OPENAPI = SNAPSHOT.with_name("openapi-v1.yaml")


def shape(node, components: dict) -> object:
    """What a response schema reads as, structurally: an object's members, a list's items, a leaf's JSON
    type and format, and whether it may be null (descriptions, examples and enum values left out: a
    new choice is not a change of shape)."""
    if "$ref" in node:
        return shape(components[node["$ref"].rsplit("/", 1)[1]], components)
    for combinator in ("allOf", "oneOf", "anyOf"):
        if combinator in node:
            alternatives = [shape(option, components) for option in node[combinator]]
            return alternatives[0] if len(alternatives) == 1 else {combinator: alternatives}
    if node.get("type") == "array":
        return [shape(node.get("items", {}), components)]
    if node.get("type") == "object" or "properties" in node:
        return {name: shape(member, components) for name, member in node.get("properties", {}).items()}
    leaf = "/".join(str(node[key]) for key in ("type", "format") if key in node) or "any"
    return leaf + (" or null" if node.get("nullable") else "")


def current() -> dict[str, dict]:
    """Today's number and shape of every versioned resource, from the committed OpenAPI snapshot
    (which ``tests/core/test_schema.py`` keeps equal to the code's schema)."""
    import yaml

    from apps.core.record.versions import representation, versioned_models

    spec = yaml.load(OPENAPI.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    components = spec["components"]["schemas"]
    return {
        model.api_resource: {
            "number": representation(model),
            "shape": shape(components[model.api_serializer.rsplit(".", 1)[1].removesuffix("Serializer")], components),
        }
        for model in sorted(versioned_models(), key=lambda m: m.api_resource)
    }


def kept() -> dict[str, dict[str, object]]:
    return json.loads(SNAPSHOT.read_text()) if SNAPSHOT.exists() else {}


def write() -> None:
    """Record today's shape under today's number for each resource whose number has none yet."""
    shapes = kept()
    for resource, today in current().items():
        shapes.setdefault(resource, {}).setdefault(str(today["number"]), today["shape"])
    SNAPSHOT.write_text(json.dumps(shapes, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsapi.test_settings")
    django.setup()
    if sys.argv[1:] != ["write"]:
        sys.exit("usage: python -m tests.record.representations write")
    write()
