"""The one exception type a configuration problem raises: one line per problem, naming key, value and what is allowed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# A location inside the configuration tree, as pydantic reports it: keys and list indices.
Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One problem a model found, at `loc` relative to that model (a cross-field check's result)."""

    loc: Loc
    problem: str
    allowed: str | None = None


def invalid(loc: Loc, value: object, allowed: str) -> Problem:
    return Problem(loc, f"invalid value {value!r}", allowed)


def format_line(key: str, problem: str, allowed: str | None = None) -> str:
    return f"{key}: {problem} (allowed: {allowed})" if allowed else f"{key}: {problem}"


class ConfigError(ValueError):
    """Configuration values are wrong. Each line is `<key>: <problem> (allowed: ...)`, in file order."""

    def __init__(self, key: str, problem: str, allowed: str | None = None) -> None:
        self.key = key
        self.lines: tuple[str, ...] = (format_line(key, problem, allowed),)
        super().__init__(self.lines[0])

    @classmethod
    def combine(cls, errors: Sequence[ConfigError]) -> ConfigError:
        """All problems of one load as one exception; `str()` gives one line per problem."""
        combined = cls(errors[0].key, "")
        combined.lines = tuple(line for error in errors for line in error.lines)
        combined.args = ("\n".join(combined.lines),)
        return combined

    def __str__(self) -> str:
        return "\n".join(self.lines)
