"""The cluster side of MonitoringStack: the monitoring add-ons (addons/registry.py MONITORING), installed by a
loop in registry order through the EKS cluster's kubectl provider.

They are created in MonitoringStack, not the EKS stack: `cluster.add_helm_chart` would create them in
the EKS stack, whose templates would then refer to the monitoring stack's topic and roles while the
monitoring stack refers to the cluster (a dependency cycle). Construct ids are the stack's own (`scope`),
so an add-on's logical IDs do not depend on this loop.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import aws_cdk as cdk
import cdk8s
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_logs as logs
from constructs import Construct, IConstruct

from addons import exporters
from addons.base import InstalledMonitoring, MonitoringContext
from addons.registry import MONITORING, enabled
from config import AppConfig
from stacks.constructs.alarms import AlarmTopic
from stacks.constructs.eks_platform import EksPlatform


class ClusterMonitoring:
    """Installs every enabled monitoring add-on in `scope` (the monitoring stack), each after the ones it needs."""

    def __init__(
        self,
        scope: Construct,
        *,
        config: AppConfig,
        platform: EksPlatform,
        alarms: AlarmTopic,
        log_groups: Mapping[str, logs.ILogGroup],
    ) -> None:
        context = MonitoringContext(
            config=config,
            # jsii's Python stubs omit `kubectl_provider_options` from Cluster, so mypy sees no ICluster in it.
            cluster=cast(eks.ICluster, platform.cluster),
            region=cdk.Stack.of(scope).region,
            topic=alarms.topic,
            key=alarms.key,
            log_groups=log_groups,
            platform_ready=platform.platform_ready,
            app_namespace=platform.app_namespace,
            external_secrets_role=platform.controllers.external_secrets_role.role,
            k8s_app=cdk8s.App(),
        )
        self.installed: dict[str, InstalledMonitoring] = {}
        for addon in enabled(MONITORING, config=config):
            missing = [name for name in addon.needs if name not in self.installed]
            if missing:
                raise ValueError(
                    f"monitoring add-on {addon.name} needs {missing} installed before it (addons/registry.py)"
                )
            self.installed[addon.name] = addon.install(scope, context=context, installed=self.installed)

    @property
    def exporters(self) -> IConstruct:
        """The exporters' manifest: app.py makes it wait for the Secrets the Workloads stack syncs."""
        return self.installed[exporters.ADDON.name].release
