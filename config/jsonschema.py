"""config/schema.json, generated from the models, so editors validate and complete config/<env>.yaml.

A file with `extends:` (dev.yaml) sets only what differs, so it is checked against a partial variant
of every section (no required keys; list items, which replace the parent's lists, stay complete).

    .venv/bin/python -m config.jsonschema            # rewrite config/schema.json
    .venv/bin/python -m config.jsonschema --check    # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

from config.loader import CONFIG_DIR, EXTENDS
from config.schema import AppConfig

SCHEMA_PATH = CONFIG_DIR / "schema.json"
PARTIAL = "Partial"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _partial_property(prop: dict[str, Any]) -> dict[str, Any]:
    """A section-valued property points at the section's partial variant; anything else is left as it is."""
    if "$ref" in prop:
        return {**prop, "$ref": prop["$ref"] + PARTIAL}
    if "anyOf" in prop:
        return {**prop, "anyOf": [_partial_property(option) for option in prop["anyOf"]]}
    return prop


def _partial(definition: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(definition)
    out.pop("required", None)
    out["properties"] = {key: _partial_property(prop) for key, prop in out.get("properties", {}).items()}
    return out


def build() -> dict[str, Any]:
    root = AppConfig.model_json_schema()
    defs: dict[str, Any] = root.pop("$defs")
    root["properties"] = {
        EXTENDS: {"type": "string", "description": "Environment this file is merged over (dev extends prod)."},
        **root["properties"],
    }
    defs["AppConfig"] = root
    sections = {name: d for name, d in defs.items() if d.get("type") == "object" and "properties" in d}
    partials = {f"{name}{PARTIAL}": _partial(d) for name, d in sections.items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Tech-lib environment configuration (config/<env>.yaml)",
        "description": "Generated from config/*.py by `python -m config.jsonschema`; do not edit.",
        "if": {"required": [EXTENDS]},
        "then": _ref(f"AppConfig{PARTIAL}"),
        "else": _ref("AppConfig"),
        "$defs": dict(sorted({**defs, **partials}.items())),
    }


def render() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None, path: Path = SCHEMA_PATH) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="fail if config/schema.json is stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if not path.is_file() or path.read_text() != text:
            print(f"{path.name} is stale: run `python -m config.jsonschema`", file=sys.stderr)
            return 1
        return 0
    path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
