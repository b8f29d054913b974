"""The one exception type a configuration problem raises: a single line naming key, value and what is allowed."""


class ConfigError(ValueError):
    """A configuration value is wrong. The message is one line: `<key>: <problem> (allowed: ...)`."""

    def __init__(self, key: str, problem: str, allowed: str | None = None) -> None:
        self.key = key
        message = f"{key}: {problem}"
        if allowed:
            message += f" (allowed: {allowed})"
        super().__init__(message)
