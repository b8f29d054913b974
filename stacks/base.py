"""What every stack of this app shares: explicit environment, configured AZs, tags, termination protection."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from constructs import Construct

from config import AppConfig


class TechLibStack(cdk.Stack):
    """A stack pinned to the configured account and region that never looks anything up at synth time."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        config: AppConfig,
        region: str | None = None,
        stateful: bool = False,
        description: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            scope,
            id_,
            env=cdk.Environment(account=config.account, region=region or config.region),
            # Stateful stacks (data, backup) can't be deleted by accident in prod.
            termination_protection=stateful and config.termination_protection,
            description=description,
            **kwargs,
        )
        self.config = config
        for key, value in {**config.tags, "Environment": config.environment_tag}.items():
            cdk.Tags.of(self).add(key, value)

    @property
    def availability_zones(self) -> list[str]:
        # Without this, an environment-specific stack asks the account for its AZs (a context lookup).
        if self.region == self.config.region:
            return list(self.config.network.availability_zones)
        return [f"{self.region}a", f"{self.region}b"]
