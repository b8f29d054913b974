#!/usr/bin/env python3
"""Composition root: load the environment's configuration, build the stacks, wire them together.

cdk synth                 # prod (the design document)
cdk synth -c env=dev      # the cheaper development environment
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from config import AppConfig, ConfigError, image_tag_override, load_config
from scripts import cfn_validate
from stacks.aspects import SuppressCdkHandlerFindings
from stacks.backup import BackupDrStack, BackupStack
from stacks.cache import CacheStack
from stacks.cdn import CdnStack
from stacks.cicd import CicdStack
from stacks.database import DatabaseStack
from stacks.edge import EdgeStack
from stacks.eks import EksStack
from stacks.monitoring import EdgeMonitoringStack, MonitoringStack
from stacks.network import NetworkStack
from stacks.workloads import WorkloadsStack


@dataclass
class TechLibApp:
    """The stacks of one environment, by role, for tests and tools."""

    config: AppConfig
    network: NetworkStack
    database: DatabaseStack
    cache: CacheStack
    eks: EksStack
    workloads: WorkloadsStack
    monitoring: MonitoringStack
    monitoring_edge: EdgeMonitoringStack
    cicd: CicdStack
    edge: EdgeStack
    cdn: CdnStack
    backup: BackupStack
    backup_dr: BackupDrStack | None

    @property
    def stacks(self) -> list[cdk.Stack]:
        return [
            self.network,
            self.database,
            self.cache,
            self.eks,
            self.workloads,
            self.monitoring,
            self.monitoring_edge,
            self.cicd,
            self.edge,
            self.cdn,
            self.backup,
            *([self.backup_dr] if self.backup_dr else []),
        ]


def new_app(**props: Any) -> cdk.App:
    """The App, with aws-cdk-lib's built-in CloudFormation validation moved out of the jsii process.

    The same engine and rules run natively on the written templates (`validate`, scripts/cfn_validate.py):
    the same findings at a fraction of the cost. Every App that synthesizes this project (`cdk synth`,
    the test session) is made here, so none skips the check.
    """
    return cdk.App(builtin_cloud_formation_validation=False, **props)


def validate(assembly: cdk.cx_api.CloudAssembly, engine: cfn_validate.EngineInBackground | None = None) -> int:
    """The built-in CloudFormation validation gate on a synthesized assembly: 0, or 1 with the findings printed."""
    return cfn_validate.gate(Path(assembly.directory), engine.get() if engine else None)


def config_from_context(app: cdk.App) -> AppConfig:
    env = app.node.try_get_context("env")
    image_tag = app.node.try_get_context("imageTag")
    overrides = image_tag_override(str(image_tag)) if image_tag else None
    return load_config(str(env) if env else None, overrides=overrides)


def build(app: cdk.App, config: AppConfig, *, nag: bool = True) -> TechLibApp:
    network = NetworkStack(app, config.stack_name("Network"), config=config)
    database = DatabaseStack(app, config.stack_name("Database"), config=config, network=network)
    cache = CacheStack(app, config.stack_name("Cache"), config=config, network=network)
    # Eks reads only the network, so it deploys side by side with Database and Cache; Workloads (the app's
    # secret sync and pods) is the first stack that needs the cluster and the data tier both.
    eks = EksStack(app, config.stack_name("Eks"), config=config, network=network)
    workloads = WorkloadsStack(
        app,
        config.stack_name("Workloads"),
        config=config,
        network=network,
        eks=eks,
        database=database,
        cache=cache,
    )
    # us-east-1: CloudFront accepts its WebACL and certificate from there only.
    edge = EdgeStack(app, config.stack_name("Edge"), config=config)
    cdn = CdnStack(app, config.stack_name("Cdn"), config=config, edge=edge, alb_hostname=workloads.alb_hostname)
    monitoring = MonitoringStack(
        app,
        config.stack_name("Monitoring"),
        config=config,
        eks=eks,
        database=database,
        cache=cache,
        workloads=workloads,
    )
    # The exporters read db-credentials / redis-credentials / app-config, which WorkloadsStack syncs.
    monitoring.exporters.node.add_dependency(workloads.app_secrets)
    # us-east-1: CloudFront publishes its metrics there only, and an alarm watches its own region's metrics.
    monitoring_edge = EdgeMonitoringStack(app, config.stack_name("MonitoringEdge"), config=config, cdn=cdn)
    cicd = CicdStack(app, config.stack_name("Cicd"), config=config)
    # The DR vault (a second region) exists only when configured; every backup rule then copies into it.
    backup_dr = BackupDrStack(app, config.stack_name("BackupDr"), config=config) if config.backup.dr_region else None
    backup = BackupStack(
        app,
        config.stack_name("Backup"),
        config=config,
        database=database.cluster,
        static_assets_bucket=cdn.static_assets_bucket,
        dr_vault=backup_dr,
    )
    built = TechLibApp(
        config=config,
        network=network,
        database=database,
        cache=cache,
        eks=eks,
        workloads=workloads,
        monitoring=monitoring,
        monitoring_edge=monitoring_edge,
        cicd=cicd,
        edge=edge,
        cdn=cdn,
        backup=backup,
        backup_dr=backup_dr,
    )
    cdk.Aspects.of(app).add(SuppressCdkHandlerFindings())
    if nag:
        add_validation_plugins(app)
    return built


def add_validation_plugins(app: cdk.App) -> None:
    """cdk-nag AwsSolutions as a validation plugin: any finding fails synthesis unless acknowledged with a reason."""
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))


def main() -> None:
    # Compiles the validation rules on another thread while jsii builds and synthesizes the app.
    engine = cfn_validate.EngineInBackground()
    app = new_app()
    try:
        config = config_from_context(app)
    except ConfigError as error:
        # A configuration mistake is the user's to fix: one line, no traceback.
        print(f"configuration error: {error}", file=sys.stderr)
        sys.exit(2)
    build(app, config)
    # cdk-nag (a validation plugin) gates inside synth(); the CloudFormation validation right after it.
    sys.exit(validate(app.synth(), engine))


if __name__ == "__main__":
    main()
