"""Builds the typed `AppConfig` for one environment from `config/<env>.yaml`.

- `extends: <env>` deep-merges an environment over another (dev extends prod).
- Unknown keys, wrong types and bad values raise `ConfigError` with the dotted key.
- `CDK_DEFAULT_ACCOUNT` overrides the configured account; `-c imageTag=...` overrides both image tags.
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import yaml

from config.errors import ConfigError
from config.schema import AppConfig

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_ENVIRONMENT = "prod"


def available_environments(config_dir: Path = CONFIG_DIR) -> list[str]:
    return sorted(p.stem for p in config_dir.glob("*.yaml"))


def _read(env: str, config_dir: Path, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    path = config_dir / f"{env}.yaml"
    if not path.is_file():
        raise ConfigError("env", f"unknown environment {env!r}", ", ".join(available_environments(config_dir)))
    if env in seen:
        raise ConfigError("extends", f"cycle {' -> '.join((*seen, env))}", "an acyclic chain of environments")
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as error:
        raise ConfigError(f"{path.name}", f"is not valid YAML ({str(error).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise ConfigError(path.name, "must be a mapping at the top level")
    parent = data.pop("extends", None)
    if parent is None:
        return data
    return _merge(_read(str(parent), config_dir, (*seen, env)), data)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        return " or ".join(_type_name(a) for a in get_args(tp))
    if origin is tuple:
        return f"a list of {_type_name(get_args(tp)[0])}"
    if origin is dict:
        return "a mapping"
    if dataclasses.is_dataclass(tp):
        return "a mapping with " + ", ".join(f.name for f in dataclasses.fields(tp))
    return {str: "a string", int: "an integer", bool: "true or false", type(None): "null"}.get(tp, str(tp))


def _convert(key: str, tp: Any, value: Any) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = get_args(tp)
        if value is None and type(None) in args:
            return None
        non_none = [a for a in args if a is not type(None)]
        return _convert(key, non_none[0], value)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise ConfigError(key, f"expected a mapping, got {value!r}")
        return _build(key, tp, value)
    if origin is tuple:
        if not isinstance(value, list):
            raise ConfigError(key, f"expected a list, got {value!r}")
        (item_type, *_rest) = get_args(tp)
        return tuple(_convert(f"{key}[{i}]", item_type, v) for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(key, f"expected a mapping, got {value!r}")
        _, value_type = get_args(tp)
        return {str(k): _convert(f"{key}.{k}", value_type, v) for k, v in value.items()}
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(key, f"expected true or false, got {value!r}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(key, f"expected an integer, got {value!r}")
        return value
    if tp is str:
        # YAML reads 1.29 as a float: accept plain numbers for strings, since the intent is unambiguous.
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise ConfigError(key, f"expected a string, got {value!r}")
        return value
    raise TypeError(f"unsupported config type {tp!r} at {key}")  # a schema bug, not a user error


def _build(prefix: str, cls: Any, data: dict[str, Any]) -> Any:
    hints = get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        where = f"{prefix}.{unknown[0]}" if prefix else unknown[0]
        raise ConfigError(where, "unknown key", ", ".join(sorted(fields)))
    kwargs = {}
    for name, f in fields.items():
        key = f"{prefix}.{name}" if prefix else name
        if name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise ConfigError(key, "is missing", _type_name(hints[name]))
            continue
        kwargs[name] = _convert(key, hints[name], data[name])
    return cls(**kwargs)


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
    data = _read(env, config_dir)
    if overrides:
        data = _merge(data, overrides)
    account = environ.get("CDK_DEFAULT_ACCOUNT")
    if account:
        data["account"] = account
    data["name"] = env
    config: AppConfig = _build("", AppConfig, data)
    return config


def image_tag_override(tag: str) -> dict[str, Any]:
    """The override a release passes with `-c imageTag=<tag>`: both workloads deploy that exact image."""
    return {"workloads": {"frontend_image": {"tag": tag}, "backend_image": {"tag": tag}}}
