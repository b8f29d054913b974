"""Builds the typed `AppConfig` for one environment from `config/<env>.yaml`, reporting every problem at once.

- `extends: <env>` deep-merges an environment over another (dev extends prod); lists replace lists.
- The YAML is read with the line and source text of every key, so the errors come in file order
  (the environment's own file first, then the one it extends) and a number given for a string can be
  shown as written (`15.10`, which YAML 1.1 reads as the float 15.1).
- pydantic validates the fields; the cross-field checks of every model run too, also those of a model
  whose other fields failed, as long as the fields they read did not (`_partial`).
- `CDK_DEFAULT_ACCOUNT` overrides the configured account; `-c imageTag=...` overrides both image tags.
"""

from __future__ import annotations

import copy
import datetime
import functools
import os
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from config.base import Section
from config.errors import ConfigError, Loc, Problem
from config.schema import AppConfig

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_ENVIRONMENT = "prod"
EXTENDS = "extends"


@dataclass(frozen=True)
class Position:
    """Where a key's value was written: the file's rank in the extends chain (0 = the environment's own)."""

    rank: int
    line: int
    source: str | None  # a scalar's text as written, e.g. "15.10"


Positions = dict[Loc, Position]


def available_environments(config_dir: Path = CONFIG_DIR) -> list[str]:
    return sorted(p.stem for p in config_dir.glob("*.yaml"))


def _positions(node: yaml.Node, loc: Loc, rank: int, out: Positions, line: int | None = None) -> None:
    out[loc] = Position(rank, (line if line is not None else node.start_mark.line) + 1, None)
    if isinstance(node, yaml.ScalarNode):
        out[loc] = Position(rank, out[loc].line, node.value)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            _positions(value_node, (*loc, str(key_node.value)), rank, out, key_node.start_mark.line)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _positions(item, (*loc, index), rank, out)


def _load_yaml(path: Path, rank: int) -> tuple[Any, Positions]:
    """The file's data (the caller's own copy: merging edits it) and each key's position."""
    data, positions = _parse(path.read_text(), path.name, rank)
    return copy.deepcopy(data), dict(positions)


@functools.lru_cache(maxsize=64)
def _parse(text: str, name: str, rank: int) -> tuple[Any, Positions]:
    # PyYAML's pure-Python composer is the slow part of a load (~0.1 s a file); a process that loads the
    # same text again (the test suite, a script per environment) reuses the result.
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as error:
        raise ConfigError(name, f"is not valid YAML ({str(error).splitlines()[0]})") from None
    finally:
        loader.dispose()
    positions: Positions = {}
    if node is not None:
        _positions(node, (), rank, positions)
    return data, positions


def _read(env: str, config_dir: Path, seen: tuple[str, ...] = ()) -> tuple[dict[str, Any], Positions]:
    path = config_dir / f"{env}.yaml"
    if not path.is_file():
        raise ConfigError("env", f"unknown environment {env!r}", ", ".join(available_environments(config_dir)))
    if env in seen:
        raise ConfigError(EXTENDS, f"cycle {' -> '.join((*seen, env))}", "an acyclic chain of environments")
    data, positions = _load_yaml(path, len(seen))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(path.name, "must be a mapping at the top level")
    parent = data.pop(EXTENDS, None)
    if parent is None:
        return data, positions
    base, base_positions = _read(str(parent), config_dir, (*seen, env))
    return _merge(base, data), _merge_positions(base_positions, positions, data)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _replaced(loc: Loc, override: Any) -> bool:
    """True when the override sets `loc` or one of its parents to a value that is not merged (not a mapping)."""
    node = override
    for part in loc:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
        if not isinstance(node, dict):
            return True
    return False


def _merge_positions(base: Positions, override: Positions, override_data: dict[str, Any]) -> Positions:
    kept = {loc: pos for loc, pos in base.items() if not _replaced(loc, override_data)}
    return {**kept, **{loc: pos for loc, pos in override.items() if loc}}


def _frozen(value: Any) -> Any:
    """YAML lists as tuples: the models' sequences are immutable, and strict mode takes no list for a tuple."""
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


# --- what a type is called in an error ------------------------------------------------------------


def _unwrap(tp: Any) -> Any:
    while True:
        origin = get_origin(tp)
        if origin is typing.Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            non_none = [a for a in get_args(tp) if a is not type(None)]
            if len(non_none) != 1:
                return tp
            tp = non_none[0]
        else:
            return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _type_at(loc: Loc) -> Any:
    """The annotation of the key at `loc`, walking the models from AppConfig; None when there is no such key."""
    tp: Any = AppConfig
    for part in loc:
        tp = _unwrap(tp)
        if _is_model(tp) and isinstance(part, str):
            field = tp.model_fields.get(part)
            if field is None:
                return None
            tp = field.annotation
        elif get_origin(tp) is tuple and isinstance(part, int):
            tp = get_args(tp)[0]
        elif get_origin(tp) is dict:
            tp = get_args(tp)[1]
        else:
            return None
    return tp


def _keys(model: type[BaseModel]) -> list[str]:
    return sorted(name for name in model.model_fields if not (model is AppConfig and name == "name"))


def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if origin is typing.Annotated:
        return _type_name(get_args(tp)[0])
    if origin in (Union, types.UnionType):
        return " or ".join(_type_name(a) for a in get_args(tp))
    if origin is tuple:
        return f"a list of {_type_name(get_args(tp)[0])}"
    if origin is dict:
        return "a mapping"
    if _is_model(tp):
        return "a mapping with " + ", ".join(_keys(tp))
    return {str: "a string", int: "an integer", float: "a number", bool: "true or false", type(None): "null"}.get(
        tp, str(tp)
    )


# --- pydantic's errors as this project's lines ----------------------------------------------------


def _quote_hint(value: Any, position: Position | None) -> str:
    written = position.source if position and position.source is not None else str(value)
    if isinstance(value, bool):
        what = f"got {str(value).lower()} (YAML reads {written} as a boolean)"
    elif isinstance(value, datetime.date):
        what = f"got the date {value}"
    else:
        what = f"got the number {value}"
    return f'{what}; write "{written}" in quotes'


def _problem(error: Any, positions: Positions) -> Problem:
    loc: Loc = tuple(error["loc"])
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "config_issue":
        return Problem(loc, ctx["problem"], ctx["allowed"])
    if kind == "missing":
        return Problem(loc, "is missing", _type_name(_type_at(loc)))
    if kind == "extra_forbidden":
        parent = _unwrap(_type_at(loc[:-1]))
        return Problem(loc, "unknown key", ", ".join(_keys(parent)) if _is_model(parent) else None)
    if kind == "string_type" and isinstance(value, (int, float, datetime.date)):
        return Problem(loc, _quote_hint(value, positions.get(loc)))
    expected = {
        "string_type": "a string",
        "int_type": "an integer",
        "float_type": "a number",
        "bool_type": "true or false",
        "tuple_type": "a list",
        "dict_type": "a mapping",
        "model_type": "a mapping",
        "model_attributes_type": "a mapping",
    }.get(kind)
    if expected:
        return Problem(loc, f"expected {expected}, got {value!r}")
    return Problem(loc, f"{error['msg']}, got {value!r}")


def _field_problems(error: ValidationError, positions: Positions) -> list[Problem]:
    found: list[Problem] = []
    for item in error.errors():
        if item["type"] == "cross_checks":
            base = tuple(item["loc"])
            found.extend(Problem((*base, *p.loc), p.problem, p.allowed) for p in item["ctx"]["problems"])
        else:
            found.append(_problem(item, positions))
    return found


# --- cross-field checks of models whose other fields failed ---------------------------------------

FAILED: Any = object()


def _dirty(loc: Loc, failed: set[Loc]) -> bool:
    return any(f[: len(loc)] == loc or loc[: len(f)] == f for f in failed)


def _section(tp: Any) -> type[Section] | None:
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, Section) else None


def _value(tp: Any, value: Any, loc: Loc, failed: set[Loc], out: list[Problem]) -> Any:
    """The field's value as a model would hold it; partial models where something below failed."""
    model = _section(tp)
    unwrapped = _unwrap(tp)
    item_model = _section(get_args(unwrapped)[0]) if get_origin(unwrapped) is tuple else None
    if not _dirty(loc, failed):
        if model is not None and isinstance(value, dict):
            return model.model_validate(value)
        if item_model is not None:
            return tuple(item_model.model_validate(v) for v in value)
        return value
    if model is not None and isinstance(value, dict):
        return _partial(model, value, loc, failed, out)
    if item_model is not None and isinstance(value, tuple):
        return tuple(_value(item_model, v, (*loc, i), failed, out) for i, v in enumerate(value))
    return FAILED


def _partial(cls: type[Section], raw: dict[str, Any], loc: Loc, failed: set[Loc], out: list[Problem]) -> Section:
    values = {}
    for name, field in cls.model_fields.items():
        if name in raw:
            values[name] = _value(field.annotation, raw[name], (*loc, name), failed, out)
        elif field.is_required():
            values[name] = FAILED
        else:
            values[name] = field.get_default(call_default_factory=True)
    model = cls.model_construct(**values)
    for deps, fn in cls.cross_checks():
        if not any(_dirty((*loc, *dep.split(".")), failed) for dep in deps):
            out.extend(Problem((*loc, *p.loc), p.problem, p.allowed) for p in fn(model))
    return model


# --- keys as the user writes them -------------------------------------------------------------------


def dotted_key(loc: Loc, data: Any) -> str:
    """`eks.node_groups.app-nodes.min_size` for named list items (node groups, rules), `[i]` for others."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, tuple) and 0 <= part < len(node) else None
            name = item.get("name") if isinstance(item, dict) else None
            out += f".{name}" if isinstance(name, str) and name else f"[{part}]"
            node = item
        else:
            out += f".{part}" if out else part
            node = node.get(part) if isinstance(node, dict) else None
    return out


def _order(loc: Loc, positions: Positions) -> tuple[int, int]:
    for end in range(len(loc), -1, -1):
        position = positions.get(loc[:end])
        if position is not None:
            return (position.rank, position.line)
    return (1 << 30, 0)


def validate(data: dict[str, Any], positions: Positions | None = None) -> AppConfig:
    """Validates a merged configuration mapping; every problem, in file order, in one `ConfigError`."""
    positions = positions or {}
    data = _frozen(data)
    try:
        return AppConfig.model_validate(data)
    except ValidationError as error:
        problems = _field_problems(error, positions)
    _partial(AppConfig, data, (), {p.loc for p in problems}, problems)
    unique = list(dict.fromkeys(problems))
    unique.sort(key=lambda p: _order(p.loc, positions))
    raise ConfigError.combine([ConfigError(dotted_key(p.loc, data), p.problem, p.allowed) for p in unique])


def load_config(
    env: str | None = None,
    *,
    config_dir: Path = CONFIG_DIR,
    overrides: dict[str, Any] | None = None,
    environ: typing.Mapping[str, str] | None = None,
) -> AppConfig:
    """Load and validate one environment. `overrides` deep-merges over the file (tests, `-c` options)."""
    env = env or DEFAULT_ENVIRONMENT
    environ = os.environ if environ is None else environ
    data, positions = _read(env, config_dir)
    if overrides:
        positions = {loc: pos for loc, pos in positions.items() if not _replaced(loc, overrides)}
        data = _merge(data, overrides)
    account = environ.get("CDK_DEFAULT_ACCOUNT")
    if account:
        data["account"] = account
    if "name" in data:
        raise ConfigError("name", "unknown key (the environment is the file's name)", ", ".join(_keys(AppConfig)))
    data["name"] = env
    return validate(data, positions)


def image_tag_override(tag: str) -> dict[str, Any]:
    """The override a release passes with `-c imageTag=<tag>`: both workloads deploy that exact image."""
    return {"workloads": {"frontend_image": {"tag": tag}, "backend_image": {"tag": tag}}}
