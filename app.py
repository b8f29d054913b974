#!/usr/bin/env python3
"""Composition root: load the environment's configuration, build the stacks, wire them together.

cdk synth                 # prod (the design document 「インフラ設計書 - 技術書管理システム」)
cdk synth -c env=dev      # the cheaper development environment

How the CLI runs it (its context, the configuration checked before aws-cdk-lib loads, the gates, the exit):
entrypoint.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

# Only the configuration is imported up front (entrypoint.py): the stacks import aws-cdk-lib, so build()
# imports them where it runs.
# ruff: noqa: PLC0415
import entrypoint
from config import AppConfig

if TYPE_CHECKING:
    import aws_cdk as cdk

    import stacks


@dataclass
class TechLibApp:
    """The stacks of one environment, by role, for tests and tools."""

    config: AppConfig
    network: stacks.NetworkStack
    database: stacks.DatabaseStack
    cache: stacks.CacheStack
    eks: stacks.EksStack
    workloads: stacks.WorkloadsStack
    monitoring: stacks.MonitoringStack
    monitoring_edge: stacks.EdgeMonitoringStack
    cicd: stacks.CicdStack
    edge: stacks.EdgeStack
    cdn: stacks.CdnStack
    backup: stacks.BackupStack
    backup_dr: stacks.BackupDrStack | None
    file_system: stacks.FileSystemStack | None = None

    @property
    def stacks(self) -> list[cdk.Stack]:
        optional = [stack for stack in (self.backup_dr, self.file_system) if stack]
        return [
            *(self.network, self.database, self.cache, self.eks, self.workloads, self.monitoring),
            *(self.monitoring_edge, self.cicd, self.edge, self.cdn, self.backup, *optional),
        ]


def build(app: cdk.App, config: AppConfig, *, nag: bool = True) -> TechLibApp:
    import stacks
    from stacks.aspects import apply_app_wide

    name = config.stack_name
    network = stacks.NetworkStack(app, name("Network"), config=config)
    database = stacks.DatabaseStack(app, name("Database"), config=config, network=network)
    cache = stacks.CacheStack(app, name("Cache"), config=config, network=network)
    # The app tier's EFS file system exists only when configured (efs.enabled); the cluster's StorageClass uses it.
    file_system = (
        stacks.FileSystemStack(app, name("FileSystem"), config=config, network=network) if config.efs.enabled else None
    )
    # Eks reads only the network, so it deploys side by side with Database and Cache; Workloads (the app's
    # secret sync and pods) is the first stack that needs the cluster and the data tier both.
    eks = stacks.EksStack(
        app,
        name("Eks"),
        config=config,
        network=network,
        file_system_id=file_system.file_system.file_system_id if file_system else None,
    )
    workloads = stacks.WorkloadsStack(
        app,
        name("Workloads"),
        config=config,
        network=network,
        eks=eks,
        database=database,
        cache=cache,
    )
    # us-east-1: CloudFront accepts its WebACL and certificate from there only.
    edge = stacks.EdgeStack(app, name("Edge"), config=config)
    cdn = stacks.CdnStack(app, name("Cdn"), config=config, edge=edge, alb_hostname=workloads.alb_hostname)
    monitoring = stacks.MonitoringStack(
        app,
        name("Monitoring"),
        config=config,
        eks=eks,
        database=database,
        cache=cache,
        workloads=workloads,
    )
    # The exporters read db-credentials / redis-credentials / app-config, which WorkloadsStack syncs.
    monitoring.exporters.node.add_dependency(workloads.app_secrets)
    # us-east-1: CloudFront publishes its metrics there only, and an alarm watches its own region's metrics.
    monitoring_edge = stacks.EdgeMonitoringStack(app, name("MonitoringEdge"), config=config, cdn=cdn)
    cicd = stacks.CicdStack(app, name("Cicd"), config=config)
    # The DR vault (a second region) exists only when configured; every backup rule then copies into it.
    backup_dr = stacks.BackupDrStack(app, name("BackupDr"), config=config) if config.backup.dr_region else None
    backup = stacks.BackupStack(
        app,
        name("Backup"),
        config=config,
        database=database.cluster,
        static_assets_bucket=cdn.static_assets_bucket,
        dr_vault=backup_dr,
        file_system=file_system.file_system if file_system else None,
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
        file_system=file_system,
    )
    apply_app_wide(app, nag=nag)
    return built


def verify(built: TechLibApp) -> list[str]:
    """The cross-layer rules (fit/cross_layer.py) over this app: raises ConfigError, returns the warnings."""
    from fit.cross_layer import check_cross_layer
    from fit.manifests import layers

    return check_cross_layer(layers(built.config, alb_to_node_ports=built.network.node_ports_from_albs()))


def main() -> None:
    entrypoint.main(build=build, verify=verify, warn_on=lambda built: built.workloads)


if __name__ == "__main__":
    entrypoint.run_as_script(main)
