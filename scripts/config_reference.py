"""Generates the README's configuration reference from the schema itself, so it cannot drift.

Every leaf key with its prod and dev values; the allowed values are read back from the validator by
offering each key a value it must reject and quoting the `(allowed: ...)` part of the error.

    .venv/bin/python scripts/config_reference.py            # print the Markdown table
    .venv/bin/python scripts/config_reference.py --check    # exit 1 if README.md's table is stale
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import types
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import AppConfig, ConfigError, load_config  # noqa: E402

BEGIN, END = "<!-- config-reference:begin -->", "<!-- config-reference:end -->"
REJECTED = {str: "\u0000not-valid\u0000", int: -987654321, bool: "not-a-bool"}


def _leaf_type(tp: Any) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        return _leaf_type(next(a for a in get_args(tp) if a is not type(None)))
    return tp


def _nested(path: list[str], value: Any) -> dict[str, Any]:
    out: Any = value
    for part in reversed(path):
        out = {part: out}
    return dict(out)


def _allowed(path: list[str], tp: Any, current: Any) -> str:
    leaf = _leaf_type(tp)
    if leaf is bool:
        return "true, false"
    if get_origin(leaf) is tuple:
        item = _leaf_type(get_args(leaf)[0])
        if dataclasses.is_dataclass(item):
            return "a list of mappings (see the YAML)"
        # As many entries as the current value has, so a length rule does not hide the per-item rule.
        probe: Any = [REJECTED.get(item, REJECTED[str])] * max(1, len(current or ()))
    elif get_origin(leaf) is dict:
        return "a mapping"
    else:
        probe = REJECTED.get(leaf, REJECTED[str])
    try:
        load_config("prod", overrides=_nested(path, probe), environ={})
    except ConfigError as error:
        match = re.search(r"\(allowed: (.*)\)$", str(error))
        if match:
            return match.group(1)
        return str(error).split(": ", 1)[1]
    return "any value"


def _render(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
        return f"{len(value)} entries"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "[]"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items()) or "{}"
    return str(value)


def rows(
    cls: Any = AppConfig, prod: Any = None, dev: Any = None, path: list[str] | None = None
) -> list[tuple[str, str, str, str]]:
    path = path or []
    prod = prod or load_config("prod", environ={})
    dev = dev or load_config("dev", environ={})
    out: list[tuple[str, str, str, str]] = []
    hints = get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if not path and f.name == "name":
            continue  # the environment's file name, not a key
        key_path = [*path, f.name]
        tp = hints[f.name]
        prod_value, dev_value = getattr(prod, f.name), getattr(dev, f.name)
        leaf = _leaf_type(tp)
        if dataclasses.is_dataclass(leaf) and prod_value is not None:
            out.extend(rows(leaf, prod_value, dev_value if dev_value is not None else prod_value, key_path))
            continue
        out.append((".".join(key_path), _render(prod_value), _render(dev_value), _allowed(key_path, tp, prod_value)))
    return out


def table() -> str:
    lines = ["| key | prod | dev | allowed |", "|---|---|---|---|"]
    for key, prod, dev, allowed in rows():
        cells = [key, prod, dev, allowed]
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
