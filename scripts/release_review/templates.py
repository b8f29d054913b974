"""Template helpers: references between resources and stacks, and turning token-laden strings into text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any


def references(value: Any) -> Iterator[tuple[str, ...]]:
    """Every reference inside a template value: ('local', id), ('output', stack, name), ('import', name)."""
    if isinstance(value, dict):
        if len(value) == 1:
            ((fn, arg),) = value.items()
            if fn == "Ref" and isinstance(arg, str) and not arg.startswith("AWS::"):
                yield ("local", arg)
            elif fn == "Fn::GetAtt":
                yield ("local", arg[0] if isinstance(arg, list) else str(arg).split(".")[0])
            elif fn == "Fn::Sub":
                text = arg[0] if isinstance(arg, list) else arg
                if isinstance(text, str):
                    for part in text.split("${")[1:]:
                        name = part.split("}")[0].split(".")[0]
                        if name and not name.startswith(("AWS::", "!")):
                            yield ("local", name)
            elif fn == "Fn::GetStackOutput" and isinstance(arg, dict):
                yield ("output", str(arg.get("StackName")), str(arg.get("OutputName")))
            elif fn == "Fn::ImportValue" and isinstance(arg, str):
                yield ("import", arg)
        for item in value.values():
            yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def placeholder(token: Any) -> str:
    """A readable stand-in for an unresolved token, safe inside a JSON string."""
    if isinstance(token, dict) and len(token) == 1:
        ((fn, arg),) = token.items()
        if fn == "Ref":
            return f"${{{arg}}}"
        if fn == "Fn::GetAtt":
            return f"${{{'.'.join(arg) if isinstance(arg, list) else arg}}}"
        if fn == "Fn::GetStackOutput" and isinstance(arg, dict):
            return f"${{{arg.get('StackName')}.{arg.get('OutputName')}}}"
        if fn == "Fn::ImportValue":
            return f"${{import:{arg}}}"
        if fn == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
            return resolve_text(token) or ""
        if fn == "Fn::Select":
            return f"${{select:{arg[0]}}}"
    return "${token}"


def resolve_text(value: Any) -> str | None:
    """A string property as text, tokens inside an `Fn::Join` replaced by placeholders; None if not a string."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and set(value) == {"Fn::Join"}:
        separator, parts = value["Fn::Join"]
        if isinstance(parts, list):
            return str(separator).join(p if isinstance(p, str) else placeholder(p) for p in parts)
    return None


def decode_json(value: Any) -> Any:
    """A JSON document held in a string property (a manifest, Helm values, add-on configuration).

    CDK sometimes double-encodes (a JSON string whose content is JSON): decode until it is not a string.
    Returns None when the value is absent; raises ValueError when it is not JSON."""
    if value is None:
        return None
    text = resolve_text(value)
    if text is None:
        raise ValueError(f"not a string: {json.dumps(value)[:80]}")
    decoded: Any = json.loads(text) if text.strip() else None
    while isinstance(decoded, str):
        try:
            decoded = json.loads(decoded)
        except json.JSONDecodeError:
            break
    return decoded


class _Missing:
    def __repr__(self) -> str:
        return "(absent)"


MISSING = _Missing()


def _list_key(item: Any) -> str | None:
    if isinstance(item, dict):
        for name in ("name", "Name", "RuleName", "Id", "key", "Key", "Sid"):
            if isinstance(item.get(name), str | int):
                return str(item[name])
    return None


def leaf_diffs(old: Any, new: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(path, old, new) for every changed leaf; list items with a name are matched by name, as `[backend]`."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new), key=str):
            a, b = old.get(key, MISSING), new.get(key, MISSING)
            if a != b:
                yield from leaf_diffs(a, b, f"{path}.{key}" if path else str(key))
        return
    if isinstance(old, list) and isinstance(new, list):
        old_keys, new_keys = [_list_key(i) for i in old], [_list_key(i) for i in new]
        if all(old_keys) and all(new_keys) and len(set(old_keys)) == len(old) and len(set(new_keys)) == len(new):
            by_old, by_new = dict(zip(old_keys, old, strict=True)), dict(zip(new_keys, new, strict=True))
            for key in [*old_keys, *(k for k in new_keys if k not in by_old)]:
                a, b = by_old.get(str(key), MISSING), by_new.get(str(key), MISSING)
                if a != b:
                    yield from leaf_diffs(a, b, f"{path}[{key}]")
            return
        if len(old) == len(new):
            for index, (a, b) in enumerate(zip(old, new, strict=True)):
                if a != b:
                    yield from leaf_diffs(a, b, f"{path}[{index}]")
            return
    yield path, old, new


def short(value: Any, limit: int = 120) -> str:
    if value is MISSING or value is None:
        return "(absent)"
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."
