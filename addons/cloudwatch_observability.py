"""The amazon-cloudwatch-observability add-on: the CloudWatch agent with the design's configuration, and its role.

Installed by the Monitoring stack (stacks/constructs/cluster_monitoring.py), not the EKS stack: it waits for
the log groups that stack creates. The agent's configuration is k8s_charts/cloudwatch_agent.py's; the
pod-shaping part of it is fit/platform_values.py's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_iam as iam
from constructs import Construct

from addons.base import ADDON_VERSIONS, system_node_selector
from addons.pod_identity import PodIdentityRole
from config import AppConfig
from findings import nag_acknowledge
from fit import sizing
from fit.pods import PodComponent, component, daemonset
from k8s_charts import cloudwatch_agent
from names import K8sNames

NAME = "amazon-cloudwatch-observability"
POLICY = "CloudWatchAgentServerPolicy"
# Pinned per Kubernetes minor, so the configuration is checked against the schema of the version that runs
# (tests/test_cloudwatch_addon_schema.py) instead of whatever EKS defaults to on the day the add-on is created.
# v6.4.0-eksbuild.1 is the build EKS installed by default on a new 1.36 cluster (2026-08-08); it packages the
# chart amazon-cloudwatch-observability 6.4.0 (aws-observability/helm-charts). A minor without an entry (1.29,
# which EKS no longer creates) gets EKS's default.
VERSIONS = {"1.36": "v6.4.0-eksbuild.1"}
CHART_VERSIONS = {"v6.4.0-eksbuild.1": "6.4.0"}


def addon_version(kubernetes_version: str) -> str | None:
    return VERSIONS.get(kubernetes_version) or ADDON_VERSIONS.get(kubernetes_version, {}).get(NAME)


def configuration(*, config: AppConfig, region: str) -> dict[str, Any]:
    return cloudwatch_agent.cloudwatch_addon_configuration(
        resource_prefix=config.resource_prefix,
        cluster_name=config.eks.cluster_name,
        region=region,
        node_selector=system_node_selector(config),
    )


class CloudWatchObservability:
    name = NAME

    def enabled(self, *, config: AppConfig) -> bool:
        return True

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return configuration(config=config, region=config.region)

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        manager = {**values.get("manager", {}), "replicaCount": values.get("replicaCount")}
        agent_resources = values.get("agent", {}).get("resources")
        return (
            component(
                config,
                name="amazon-cloudwatch-observability-controller-manager",
                namespace=K8sNames.CLOUDWATCH_NAMESPACE,
                kind="Deployment",
                source=NAME,
                source_kind="addon",
                values={k: v for k, v in manager.items() if v is not None},
                replicas_key="replicaCount",
                default_replicas=1,
            ),
            daemonset(
                K8sNames.CLOUDWATCH_AGENT,
                K8sNames.CLOUDWATCH_NAMESPACE,
                NAME,
                sizing.PodResources.from_values(agent_resources) if agent_resources else sizing.CLOUDWATCH_AGENT,
                declared=bool(agent_resources),
            ),
        )

    def install(
        self, scope: Construct, *, config: AppConfig, cluster: eks.ICluster, region: str
    ) -> tuple[PodIdentityRole, eks.CfnAddon]:
        """The agent's role and the add-on, in `scope` (the Monitoring stack)."""
        role = PodIdentityRole(
            scope,
            "CloudWatchAgentRole",
            cluster=cluster,
            cluster_name=config.eks.cluster_name,
            namespace=K8sNames.CLOUDWATCH_NAMESPACE,
            service_account=K8sNames.CLOUDWATCH_AGENT,
            description="CloudWatch agent (amazon-cloudwatch-observability): node metrics and application logs",
            associate=False,
        )
        role.role.add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name(POLICY))
        nag_acknowledge(
            role,
            f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/{POLICY}]",
            "CloudWatchAgentServerPolicy is the agent's documented policy; AWS maintains it as the agent gains features",
        )
        addon = eks.CfnAddon(
            scope,
            "CloudWatchObservability",
            addon_name=NAME,
            cluster_name=cluster.cluster_name,
            addon_version=addon_version(config.eks.kubernetes_version),
            resolve_conflicts="OVERWRITE",
            pod_identity_associations=[role.addon_association],
            configuration_values=json.dumps(configuration(config=config, region=region)),
        )
        return role, addon


ADDON = CloudWatchObservability()
