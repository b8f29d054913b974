"""The amazon-cloudwatch-observability add-on's configuration, carrying the design's agent configuration."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fit import platform_values
from names import K8sNames

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


def cloudwatch_addon_configuration(
    *, resource_prefix: str, cluster_name: str, region: str, node_selector: Mapping[str, str]
) -> dict[str, Any]:
    """configurationValues of the amazon-cloudwatch-observability add-on."""
    return {
        **platform_values.cloudwatch_pod_configuration(node_selector=node_selector),
        "agent": {
            "config": cloudwatch_agent_config(
                resource_prefix=resource_prefix, cluster_name=cluster_name, region=region
            ),
            **platform_values.cloudwatch_pod_configuration(node_selector=node_selector)["agent"],
        },
        # The agent ships the design's two log groups; the add-on's Fluent Bit would copy every container's
        # log a second time into /aws/containerinsights/<cluster>/application.
        "containerLogs": {"enabled": False},
    }
