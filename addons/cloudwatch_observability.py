"""The amazon-cloudwatch-observability add-on: the CloudWatch agent with the design's configuration, and its role.

Installed by the Monitoring stack (stacks/constructs/cluster_monitoring.py, a monitoring add-on), not the EKS
stack: it waits for the log groups that stack creates. Here: the design's agent configuration
(cwagentconfig.json of 「CloudWatch 設定」 in the design document 「インフラ設計書 - 技術書管理システム」), the
pod-shaping part of the add-on's configuration (replicas, requests, placement), the pods as the inventory reads
them, and the agent's Pod Identity role. Every key set here exists in the add-on's configuration schema
(`aws eks describe-addon-configuration`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_iam as iam
from constructs import Construct

from addons.base import ADDON_VERSIONS, InstalledMonitoring, MonitoringContext, system_node_selector
from addons.pod_identity import PodIdentityRole
from addons.pods import PodComponent, PodResources, component, daemonset
from config import AppConfig
from findings import nag_acknowledge
from names import K8sNames

NAME = "amazon-cloudwatch-observability"
POLICY = "CloudWatchAgentServerPolicy"

# The chart's manager default requests 100m/64Mi; agent 250m/128Mi (512Mi limit).
MANAGER_REPLICAS = 1
MANAGER_RESOURCES = PodResources(cpu_request_m=100, memory_request_mib=64, memory_limit_mib=128)
AGENT_RESOURCES = PodResources(cpu_request_m=250, memory_request_mib=128, memory_limit_mib=512, cpu_limit_m=500)
LINUX = {"kubernetes.io/os": "linux"}

METRICS_INTERVAL = 60
CLOUDWATCH_METRICS_NAMESPACE = "TechLib/EKS"
# The add-on runs the agent with the host's root filesystem at /rootfs (and /var/log/pods at its own
# path, where the /var/log/containers symlinks point): the design's paths, seen from inside the pod.
HOST_ROOT = "/rootfs"
# The agent's schema accepts only Local or UTC here (the design's Asia/Tokyo fails validation, and the
# agent would not start). It only applies to timestamps parsed with timestamp_format, which the design
# does not set: events keep their ingestion time either way.
LOG_TIMEZONE = "Local"
BACKEND_MULTILINE_START = r"^\d{4}-\d{2}-\d{2}"


def app_log_group(resource_prefix: str, app: str) -> str:
    """The design's /aws/eks/tech-lib/<app> (tech-lib-dev in dev)."""
    return f"/aws/eks/{resource_prefix}/{app}"


def cloudwatch_agent_config(*, resource_prefix: str, cluster_name: str, region: str) -> dict[str, Any]:
    """The design's cwagentconfig.json, adjusted only where the agent would otherwise reject or miss it."""
    backend_logs = {
        "file_path": f"{HOST_ROOT}/var/log/containers/*{K8sNames.BACKEND}*.log",
        "log_group_name": app_log_group(resource_prefix, K8sNames.BACKEND),
        "log_stream_name": "{hostname}-backend",
        "timezone": LOG_TIMEZONE,
        "multi_line_start_pattern": BACKEND_MULTILINE_START,
    }
    frontend_logs = {
        "file_path": f"{HOST_ROOT}/var/log/containers/*{K8sNames.FRONTEND}*.log",
        "log_group_name": app_log_group(resource_prefix, K8sNames.FRONTEND),
        "log_stream_name": "{hostname}-frontend",
        "timezone": LOG_TIMEZONE,
    }
    return {
        # The design's agent block plus `region`: the chart's config-modifier helper (amazon-cloudwatch-
        # observability _helpers.tpl) replaces an agent block without a region by {"region": ...}, which
        # silently dropped the design's interval and user. run_as_user is the design's; the containerized
        # agent starts as the pod's user and ignores it.
        "agent": {"metrics_collection_interval": METRICS_INTERVAL, "run_as_user": "cwagent", "region": region},
        "logs": {
            "logs_collected": {"files": {"collect_list": [backend_logs, frontend_logs]}},
            # The design lists `kubernetes` under logs_collected, which the agent's schema rejects; Container
            # Insights' cluster_name and interval belong under logs.metrics_collected.
            "metrics_collected": {
                "kubernetes": {"cluster_name": cluster_name, "metrics_collection_interval": METRICS_INTERVAL}
            },
        },
        "metrics": {
            "namespace": CLOUDWATCH_METRICS_NAMESPACE,
            "metrics_collected": {
                "cpu": {
                    "measurement": ["cpu_usage_idle", "cpu_usage_iowait", "cpu_usage_user", "cpu_usage_system"],
                    "metrics_collection_interval": METRICS_INTERVAL,
                    "resources": ["*"],
                    "totalcpu": False,
                },
                "disk": {
                    "measurement": ["used_percent"],
                    "metrics_collection_interval": METRICS_INTERVAL,
                    "resources": ["*"],
                },
                "diskio": {
                    "measurement": ["io_time"],
                    "metrics_collection_interval": METRICS_INTERVAL,
                    "resources": ["*"],
                },
                "mem": {"measurement": ["mem_used_percent"], "metrics_collection_interval": METRICS_INTERVAL},
                "netstat": {
                    "measurement": ["tcp_established", "tcp_time_wait"],
                    "metrics_collection_interval": METRICS_INTERVAL,
                },
            },
        },
    }


def cloudwatch_pod_configuration(*, node_selector: Mapping[str, str]) -> dict[str, Any]:
    """The pod-shaping part of the amazon-cloudwatch-observability configuration (merged with the agent's)."""
    return {
        "replicaCount": MANAGER_REPLICAS,
        "manager": {
            "resources": MANAGER_RESOURCES.values(),
            "nodeSelector": {**LINUX, **node_selector},
            "tolerations": [],
        },
        # The agent is a DaemonSet on every node; the chart's root toleration (operator: Exists) lets it
        # onto app-nodes' taint as well.
        "agent": {"resources": AGENT_RESOURCES.values()},
        "tolerations": [{"operator": "Exists"}],
    }


def cloudwatch_addon_configuration(
    *, resource_prefix: str, cluster_name: str, region: str, node_selector: Mapping[str, str]
) -> dict[str, Any]:
    """configurationValues of the amazon-cloudwatch-observability add-on."""
    return {
        **cloudwatch_pod_configuration(node_selector=node_selector),
        "agent": {
            "config": cloudwatch_agent_config(
                resource_prefix=resource_prefix, cluster_name=cluster_name, region=region
            ),
            **cloudwatch_pod_configuration(node_selector=node_selector)["agent"],
        },
        # The agent ships the design's two log groups; the add-on's Fluent Bit would copy every container's
        # log a second time into /aws/containerinsights/<cluster>/application.
        "containerLogs": {"enabled": False},
    }


def configuration(*, config: AppConfig, region: str) -> dict[str, Any]:
    return cloudwatch_addon_configuration(
        resource_prefix=config.resource_prefix,
        cluster_name=config.eks.cluster_name,
        region=region,
        node_selector=system_node_selector(config),
    )


class CloudWatchObservability:
    name = NAME
    # The log groups are the Monitoring stack's own (MonitoringContext.log_groups), not an add-on's.
    needs: tuple[str, ...] = ()

    def enabled(self, *, config: AppConfig) -> bool:
        return True

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return configuration(config=config, region=config.region)

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        manager = {**values.get("manager", {}), "replicaCount": values.get("replicaCount")}
        agent_resources = values.get("agent", {}).get("resources")
        return (
            component(
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
                PodResources.from_values(agent_resources) if agent_resources else AGENT_RESOURCES,
                declared=bool(agent_resources),
            ),
        )

    def install(
        self, scope: Construct, *, context: MonitoringContext, installed: Mapping[str, InstalledMonitoring]
    ) -> InstalledMonitoring:
        """The agent's role and the add-on, in `scope` (the Monitoring stack)."""
        config = context.config
        role = PodIdentityRole(
            scope,
            "CloudWatchAgentRole",
            cluster=context.cluster,
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
            cluster_name=context.cluster.cluster_name,
            addon_version=ADDON_VERSIONS.get(config.eks.kubernetes_version, {}).get(NAME),
            resolve_conflicts="OVERWRITE",
            pod_identity_associations=[role.addon_association],
            configuration_values=json.dumps(configuration(config=config, region=context.region)),
        )
        # The agent creates a missing log group itself (without retention or key): ours must exist first.
        addon.node.add_dependency(*context.log_groups.values())
        return InstalledMonitoring(release=addon, role=role)


ADDON = CloudWatchObservability()
