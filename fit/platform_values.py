"""Helm values of the EKS stack's controllers and the configuration values of the EKS add-ons that run pods.

Pure data (no CDK): stacks/constructs/eks_controllers.py and eks_addons.py pass exactly these dicts to
the charts and add-ons, and fit/inventory.py reads replicas, requests and placement back out of them.
Every key set here exists in the chart's values.yaml or the add-on's configuration schema (`aws eks
describe-addon-configuration`), which mirrors the chart each add-on is built from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fit import sizing

LINUX = {"kubernetes.io/os": "linux"}


def alb_controller_values(
    *, cluster_name: str, region: str, vpc_id: str, service_account: str, node_selector: Mapping[str, str]
) -> dict[str, Any]:
    return {
        "clusterName": cluster_name,
        "region": region,
        "vpcId": vpc_id,
        "serviceAccount": {"create": True, "name": service_account},
        "replicaCount": sizing.ALB_CONTROLLER_REPLICAS,
        "resources": sizing.ALB_CONTROLLER.values(),
        "nodeSelector": dict(node_selector),
        "tolerations": [],
    }


def metrics_server_values(*, node_selector: Mapping[str, str]) -> dict[str, Any]:
    return {
        "replicas": sizing.METRICS_SERVER_REPLICAS,
        "resources": sizing.METRICS_SERVER.values(),
        "nodeSelector": dict(node_selector),
        "tolerations": [],
    }


def external_secrets_values(*, service_account: str, node_selector: Mapping[str, str]) -> dict[str, Any]:
    def part(resources: sizing.PodResources) -> dict[str, Any]:
        return {
            "replicaCount": sizing.EXTERNAL_SECRETS_REPLICAS,
            "resources": resources.values(),
            "nodeSelector": dict(node_selector),
            "tolerations": [],
        }

    return {
        "installCRDs": True,
        "serviceAccount": {"create": True, "name": service_account},
        **part(sizing.EXTERNAL_SECRETS_CONTROLLER),
        "webhook": part(sizing.EXTERNAL_SECRETS_WEBHOOK),
        "certController": part(sizing.EXTERNAL_SECRETS_CERT_CONTROLLER),
    }


def coredns_configuration(*, node_selector: Mapping[str, str]) -> dict[str, Any]:
    return {
        "replicaCount": sizing.COREDNS_REPLICAS,
        "resources": sizing.COREDNS.values(),
        "nodeSelector": dict(node_selector),
    }


def ebs_csi_configuration(*, node_selector: Mapping[str, str]) -> dict[str, Any]:
    return {
        "controller": {
            "replicaCount": sizing.EBS_CSI_CONTROLLER_REPLICAS,
            # The sidecars inherit these (the chart's `default .Values.controller.resources`).
            "resources": sizing.EBS_CSI_CONTROLLER_CONTAINER.values(),
            "nodeSelector": dict(node_selector),
        },
        # The node plugin must reach every node, app-nodes' NoSchedule taint included, or pods there could
        # not mount volumes.
        "node": {"tolerateAllTaints": True},
    }


def efs_csi_configuration(*, node_selector: Mapping[str, str]) -> dict[str, Any]:
    return {
        "controller": {"nodeSelector": dict(node_selector), "resources": sizing.EFS_CSI_CONTROLLER_CONTAINER.values()},
        # Like EBS: app pods on tainted app-nodes (on-demand and Spot) must be able to mount.
        "node": {"tolerations": [{"operator": "Exists"}], "resources": sizing.EFS_CSI_NODE_CONTAINER.values()},
    }


def cloudwatch_pod_configuration(*, node_selector: Mapping[str, str]) -> dict[str, Any]:
    """The pod-shaping part of the amazon-cloudwatch-observability configuration (merged with the agent's)."""
    return {
        "replicaCount": sizing.CLOUDWATCH_MANAGER_REPLICAS,
        "manager": {
            "resources": sizing.CLOUDWATCH_MANAGER.values(),
            "nodeSelector": {**LINUX, **node_selector},
            "tolerations": [],
        },
        # The agent is a DaemonSet on every node; the chart's root toleration (operator: Exists) lets it
        # onto app-nodes' taint as well.
        "agent": {"resources": sizing.CLOUDWATCH_AGENT.values()},
        "tolerations": [{"operator": "Exists"}],
    }
