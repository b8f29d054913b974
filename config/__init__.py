from config.errors import ConfigError
from config.loader import DEFAULT_ENVIRONMENT, available_environments, image_tag_override, load_config
from config.schema import AppConfig

__all__ = [
    "DEFAULT_ENVIRONMENT",
    "AppConfig",
    "ConfigError",
    "available_environments",
    "image_tag_override",
    "load_config",
]
