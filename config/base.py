"""The building blocks of every configuration section: the frozen pydantic base model, the field rules
that carry this project's error wording into both validation and the JSON Schema, and cross-field checks.

A field rule (`Range`, `OneOf`, `Matches`, `Cidr`) goes in `Annotated[...]` next to the field:
it validates the value, words the error as `invalid value X (allowed: ...)` and adds the matching JSON
Schema keywords (`minimum`/`maximum`, `enum`, `pattern`) plus `x-allowed`, the human text.

A cross-field check is a method marked `@check("field", "other.field")` that yields `Problem`s. The
model runs them after its fields validate; when some fields fail, the loader runs the checks whose
fields did not fail on a partial model (`config.loader`), so one run reports every problem.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from config.errors import Problem

# CloudWatch Logs accepts only these retention periods (days).
LOG_RETENTION_DAYS = (
    *(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731),
    *(1096, 1827, 2192, 2557, 2922, 3288, 3653),
)

F = TypeVar("F", bound=Callable[..., Iterable[Problem]])
CHECK_DEPS = "__config_check_deps__"


def check(*deps: str) -> Callable[[F], F]:
    """Marks a cross-field check; `deps` are the dotted fields it reads (it is skipped when one of them failed)."""

    def mark(fn: F) -> F:
        setattr(fn, CHECK_DEPS, deps)
        return fn

    return mark


def _field_error(problem: str, allowed: str | None) -> PydanticCustomError:
    return PydanticCustomError("config_issue", "{problem}", {"problem": problem, "allowed": allowed})


class Section(BaseModel):
    """A frozen, strict configuration section: unknown keys are errors, YAML's coercions are not applied."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, regex_engine="python-re")

    @classmethod
    def cross_checks(cls) -> list[tuple[tuple[str, ...], Callable[[Any], Iterable[Problem]]]]:
        found = []
        for klass in reversed(cls.__mro__):  # definition order, so the problems of one key come in a stable order
            for member in vars(klass).values():
                deps = getattr(member, CHECK_DEPS, None)
                if deps is not None and callable(member):
                    found.append((deps, member))
        return found

    def problems(self) -> Iterator[Problem]:
        for _deps, fn in self.cross_checks():
            yield from fn(self)

    @model_validator(mode="after")
    def _run_cross_checks(self) -> Section:
        found = tuple(self.problems())
        if found:
            summary = "; ".join(f"{'.'.join(map(str, p.loc))}: {p.problem}" for p in found)
            raise PydanticCustomError("cross_checks", "{summary}", {"summary": summary, "problems": found})
        return self


@dataclass(frozen=True)
class Rule:
    """Base of the field rules: `Annotated[int, Range(1, 35)]`."""

    def validate(self, value: Any) -> str | None:  # pragma: no cover - every rule overrides it
        """The `allowed` text when `value` is wrong, None when it is right."""
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:  # pragma: no cover
        raise NotImplementedError

    def _check(self, value: Any) -> Any:
        allowed = self.validate(value)
        if allowed is not None:
            raise _field_error(f"invalid value {value!r}", allowed)
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.update(self.json_schema())
        return json_schema


@dataclass(frozen=True)
class Range(Rule):
    low: int
    high: int

    def validate(self, value: Any) -> str | None:
        return None if self.low <= value <= self.high else self.allowed

    @property
    def allowed(self) -> str:
        return f"an integer from {self.low} to {self.high}"

    def json_schema(self) -> dict[str, Any]:
        return {"minimum": self.low, "maximum": self.high, "x-allowed": self.allowed}


@dataclass(frozen=True, init=False)
class OneOf(Rule):
    choices: tuple[Any, ...]

    def __init__(self, *choices: Any) -> None:
        object.__setattr__(self, "choices", choices)

    def validate(self, value: Any) -> str | None:
        return None if value in self.choices else ", ".join(str(c) for c in self.choices)

    def json_schema(self) -> dict[str, Any]:
        return {"enum": list(self.choices)}


@dataclass(frozen=True)
class Matches(Rule):
    """A regular expression (anchored with ^...$) and the words that say what it accepts."""

    pattern: str
    allowed: str

    def validate(self, value: Any) -> str | None:
        return None if re.match(self.pattern, value) else self.allowed

    def json_schema(self) -> dict[str, Any]:
        return {"pattern": self.pattern, "x-allowed": self.allowed}


@dataclass(frozen=True)
class Cidr(Rule):
    """An IPv4 network with no host bits set."""

    def validate(self, value: Any) -> str | None:
        try:
            ipaddress.IPv4Network(value, strict=True)
        except ValueError:
            return "an IPv4 CIDR block with no host bits set, e.g. 10.0.1.0/24"
        return None

    def json_schema(self) -> dict[str, Any]:
        return {
            "pattern": r"^(\d{1,3}\.){3}\d{1,3}/\d{1,2}$",
            "x-allowed": "an IPv4 CIDR block with no host bits set, e.g. 10.0.1.0/24",
        }


LogRetention = OneOf(*LOG_RETENTION_DAYS)


def network(value: str) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Network(value, strict=True)


__all__ = [
    "LOG_RETENTION_DAYS",
    "Cidr",
    "LogRetention",
    "Matches",
    "OneOf",
    "Range",
    "Section",
    "check",
    "network",
]
