#!/usr/bin/env python3
"""Composition root: load the environment's configuration, build the stacks, wire them together.

cdk synth                 # prod (the design document)
cdk synth -c env=dev      # the cheaper development environment
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from config import AppConfig, ConfigError, image_tag_override, load_config
from stacks.network import NetworkStack


@dataclass
class TechLibApp:
    """The stacks of one environment, by role, for tests and tools."""

    config: AppConfig
    network: NetworkStack

    @property
    def stacks(self) -> list[cdk.Stack]:
        return [self.network]


def config_from_context(app: cdk.App) -> AppConfig:
    env = app.node.try_get_context("env")
    image_tag = app.node.try_get_context("imageTag")
    overrides = image_tag_override(str(image_tag)) if image_tag else None
    return load_config(str(env) if env else None, overrides=overrides)


def build(app: cdk.App, config: AppConfig, *, nag: bool = True) -> TechLibApp:
    network = NetworkStack(app, config.stack_name("Network"), config=config)
    built = TechLibApp(config=config, network=network)
    if nag:
        # cdk-nag as a validation plugin: findings fail `cdk synth` unless acknowledged with a reason.
        cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return built


def main() -> None:
    app = cdk.App()
    try:
        config = config_from_context(app)
    except ConfigError as error:
        # A configuration mistake is the user's to fix: one line, no traceback.
        print(f"configuration error: {error}", file=sys.stderr)
        sys.exit(2)
    build(app, config)
    app.synth()


if __name__ == "__main__":
    main()
