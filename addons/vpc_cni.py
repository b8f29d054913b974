"""Amazon VPC CNI (`vpc-cni`, the aws-node DaemonSet): pod ENIs and IPs, and the network policy agent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from addons.base import AddOnRole, EksAddOn
from addons.pods import PodComponent, PodResources, daemonset
from config import AppConfig
from names import K8sNames

NAME = "vpc-cni"
SERVICE_ACCOUNT = "aws-node"
# The vpc-cni container requests 25m, the network policy agent (enableNetworkPolicy) 25m.
AWS_NODE = PodResources(cpu_request_m=50, memory_request_mib=0, memory_limit_mib=0)


def configuration(node_selector: Mapping[str, str]) -> dict[str, Any]:
    # The CNI's network policy agent enforces the NetworkPolicies the charts ship (ingress allow-lists).
    return {"enableNetworkPolicy": "true"}


def pods(config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
    return (daemonset("aws-node", K8sNames.KUBE_SYSTEM_NAMESPACE, NAME, AWS_NODE),)


ADDON = EksAddOn(
    name=NAME,
    before_nodes=True,
    read_pods=pods,
    addon_role=AddOnRole(
        id_="VpcCniRole",
        service_account=SERVICE_ACCOUNT,
        description="Amazon VPC CNI (aws-node): manages pod ENIs and IPs",
        policy="AmazonEKS_CNI_Policy",
        reason="The VPC CNI's documented policy, maintained by AWS with the plugin's ENI/IP calls; attached to the "
        "add-on's own Pod Identity role instead of the node role",
    ),
    configuration=configuration,
)
