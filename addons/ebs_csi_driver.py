"""Amazon EBS CSI driver (the seed's `ebs`): its controller on system-nodes with its own role, the node plugin everywhere."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from addons.base import AddOnRole, EksAddOn
from addons.pods import PodComponent, PodResources, component, daemonset
from config import AppConfig
from names import K8sNames

NAME = "aws-ebs-csi-driver"
CONTROLLER_SERVICE_ACCOUNT = "ebs-csi-controller-sa"
# 2 controller replicas (leader-elected; the second takes over attachments within seconds). The chart's
# controller.resources default 10m/40Mi (256Mi limit) applies to the plugin and to each of its five
# sidecars (provisioner, attacher, snapshotter, resizer, liveness probe), which inherit it.
CONTROLLER_REPLICAS = 2
CONTROLLER_CONTAINERS = 6
CONTROLLER_CONTAINER = PodResources(cpu_request_m=10, memory_request_mib=40, memory_limit_mib=256)
# ebs-csi-node: plugin, node-driver-registrar and liveness probe at the chart's node default 10m/40Mi each.
NODE = PodResources(cpu_request_m=10, memory_request_mib=40, memory_limit_mib=256).times(3)


def configuration(node_selector: Mapping[str, str]) -> dict[str, Any]:
    return {
        "controller": {
            "replicaCount": CONTROLLER_REPLICAS,
            # The sidecars inherit these (the chart's `default .Values.controller.resources`).
            "resources": CONTROLLER_CONTAINER.values(),
            "nodeSelector": dict(node_selector),
        },
        # The node plugin must reach every node, app-nodes' NoSchedule taint included, or pods there could
        # not mount volumes.
        "node": {"tolerateAllTaints": True},
    }


def pods(config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
    return (
        component(
            name="ebs-csi-controller",
            namespace=K8sNames.KUBE_SYSTEM_NAMESPACE,
            kind="Deployment",
            source=NAME,
            source_kind="addon",
            values=values.get("controller", {}),
            replicas_key="replicaCount",
            default_replicas=2,
            containers=CONTROLLER_CONTAINERS,
        ),
        daemonset("ebs-csi-node", K8sNames.KUBE_SYSTEM_NAMESPACE, NAME, NODE),
    )


ADDON = EksAddOn(
    name=NAME,
    # The controller is a Deployment: degraded until nodes exist.
    before_nodes=False,
    read_pods=pods,
    addon_role=AddOnRole(
        id_="EbsCsiDriverRole",
        service_account=CONTROLLER_SERVICE_ACCOUNT,
        description="Amazon EBS CSI driver controller: creates, attaches and snapshots EBS volumes",
        policy="service-role/AmazonEBSCSIDriverPolicy",
        reason="The EBS CSI driver's documented policy, maintained by AWS with the driver's volume calls and scoped "
        "by its ebs.csi.aws.com tags; attached to the add-on's own Pod Identity role (the seed's `ebs`)",
    ),
    configuration=configuration,
)
