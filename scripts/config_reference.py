"""Generates the README's configuration reference from config/schema.json, so it cannot drift.

Every key with its prod and dev values, what is allowed (the schema's enum, range, pattern text) and
its description. Keys of list items are written `eks.node_groups[].instance_type`, their values per item.

    .venv/bin/python -m scripts.config_reference            # print the Markdown table
    .venv/bin/python -m scripts.config_reference --check    # exit 1 if README.md's table is stale
    .venv/bin/python -m scripts.config_reference --write    # rewrite it
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from config import load_config
from config.jsonschema import build
from config.loader import EXTENDS

ROOT = Path(__file__).resolve().parent.parent

BEGIN, END = "<!-- config-reference:begin -->", "<!-- config-reference:end -->"
MISSING = object()


def _resolve(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in prop:
        return {**defs[prop["$ref"].rsplit("/", 1)[1]], **{k: v for k, v in prop.items() if k != "$ref"}}
    return prop


def _nullable(prop: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    options = prop.get("anyOf")
    if options and {"type": "null"} in options:
        rest = [o for o in options if o != {"type": "null"}]
        if len(rest) == 1:
            return {**{k: v for k, v in prop.items() if k != "anyOf"}, **rest[0]}, True
    return prop, False


def _allowed(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    prop, nullable = _nullable(_resolve(prop, defs))
    prop = _resolve(prop, defs)
    if "x-allowed" in prop:
        text = prop["x-allowed"]
    elif "enum" in prop:
        text = ", ".join(str(v) for v in prop["enum"])
    elif prop.get("type") == "boolean":
        text = "true, false"
    elif prop.get("type") == "array":
        text = "a list; each: " + _allowed(prop["items"], defs)
    elif prop.get("type") == "object" and "properties" in prop:
        text = "a mapping (see below)"
    elif prop.get("type") == "object":
        text = "a mapping"
    else:
        text = {"string": "a string", "integer": "an integer"}.get(prop.get("type", ""), "any value")
    return f"{text}, or null" if nullable else text


def _values(value: Any, part: str) -> Any:
    if isinstance(value, list):
        return [_values(item, part) for item in value]
    return value.get(part, MISSING) if isinstance(value, dict) else MISSING


def _render(value: Any) -> str:
    if value is MISSING:
        return ""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return f"{len(value)} entries"
        return ", ".join(_render(v) for v in value) or "[]"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_render(v)}" for k, v in value.items()) or "{}"
    return str(value)


def _rows(
    schema: dict[str, Any], defs: dict[str, Any], prod: Any, dev: Any, prefix: str
) -> list[tuple[str, str, str, str, str]]:
    out = []
    for key, raw_prop in schema.get("properties", {}).items():
        if not prefix and key == EXTENDS:
            continue
        prop, nullable = _nullable(_resolve(raw_prop, defs))
        prop = _resolve(prop, defs)
        name = f"{prefix}{key}"
        prod_value, dev_value = _values(prod, key), _values(dev, key)
        if prop.get("type") == "object" and "properties" in prop:
            if nullable:  # an optional section: say whether each environment sets it
                cells = [_render(v) if v is None or v is MISSING else "set" for v in (prod_value, dev_value)]
                out.append((name, *cells, _allowed(raw_prop, defs), raw_prop.get("description", "")))
            out.extend(_rows(prop, defs, prod_value, dev_value, f"{name}."))
            continue
        description = raw_prop.get("description", prop.get("description", ""))
        out.append((name, _render(prod_value), _render(dev_value), _allowed(raw_prop, defs), description))
        items = _resolve(prop.get("items", {}), defs) if prop.get("type") == "array" else {}
        if "properties" in items:
            out.extend(_rows(items, defs, prod_value, dev_value, f"{name}[]."))
    return out


def rows() -> list[tuple[str, str, str, str, str]]:
    schema = build()
    defs = schema["$defs"]
    prod = load_config("prod", environ={}).model_dump(mode="json")
    dev = load_config("dev", environ={}).model_dump(mode="json")
    return _rows(defs["AppConfig"], defs, prod, dev, "")


def table() -> str:
    lines = ["| key | prod | dev | allowed | description |", "|---|---|---|---|---|"]
    for cells in rows():
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="fail if README.md's table differs")
    parser.add_argument("--write", action="store_true", help="rewrite the table in README.md")
    args = parser.parse_args()
    generated = f"{BEGIN}\n{table()}\n{END}"
    readme = ROOT / "README.md"
    if not (args.check or args.write):
        print(generated)
        return
    text = readme.read_text()
    current = text[text.index(BEGIN) : text.index(END) + len(END)]
    if args.check:
        sys.exit(0 if current == generated else "README.md's configuration reference is stale: make config-reference")
    readme.write_text(text.replace(current, generated))


if __name__ == "__main__":
    main()
