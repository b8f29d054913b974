"""Amazon EFS CSI driver: the design's app-nodes `efs: true`, as EKS now does it.

The driver's controller holds the EFS permissions (access points for dynamic provisioning) in its own
Pod Identity role; the node role gets nothing. The driver is installed whether or not a file system is
configured; the StorageClass that points at one is the EKS stack's (k8s_charts/storage.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from addons.base import AddOnRole, EksAddOn
from addons.pods import PodComponent, PodResources, component, daemonset
from config import AppConfig
from names import K8sNames

NAME = "aws-efs-csi-driver"
CONTROLLER_SERVICE_ACCOUNT = "efs-csi-controller-sa"
# The add-on's default is 200m CPU for each of a pod's 3 containers (aws/containers-roadmap#2758); these are
# the driver's idle use with headroom for stunnel (TLS mounts) in the node plugin. The controller runs the
# chart's 2 replicas (controller.replicaCount), which the add-on's configuration schema does not let us set
# (aws/containers-roadmap#2415): counted here, not sent.
CONTROLLER_REPLICAS = 2
CONTROLLER_CONTAINERS = 3  # efs-plugin, csi-provisioner, liveness-probe
CONTROLLER_CONTAINER = PodResources(cpu_request_m=10, memory_request_mib=40, memory_limit_mib=128, cpu_limit_m=100)
NODE_CONTAINERS = 3  # efs-plugin, csi-driver-registrar, liveness-probe
NODE_CONTAINER = PodResources(cpu_request_m=10, memory_request_mib=40, memory_limit_mib=256, cpu_limit_m=200)


def configuration(node_selector: Mapping[str, str]) -> dict[str, Any]:
    return {
        "controller": {"nodeSelector": dict(node_selector), "resources": CONTROLLER_CONTAINER.values()},
        # Like EBS: app pods on tainted app-nodes (on-demand and Spot) must be able to mount.
        "node": {"tolerations": [{"operator": "Exists"}], "resources": NODE_CONTAINER.values()},
    }


def pods(config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
    return (
        component(
            name="efs-csi-controller",
            namespace=K8sNames.KUBE_SYSTEM_NAMESPACE,
            kind="Deployment",
            source=NAME,
            source_kind="addon",
            values=values["controller"],
            replicas_key=None,
            default_replicas=CONTROLLER_REPLICAS,
            containers=CONTROLLER_CONTAINERS,
        ),
        daemonset(
            "efs-csi-node",
            K8sNames.KUBE_SYSTEM_NAMESPACE,
            NAME,
            NODE_CONTAINER.times(NODE_CONTAINERS),
            declared=True,
        ),
    )


ADDON = EksAddOn(
    name=NAME,
    before_nodes=False,
    read_pods=pods,
    addon_role=AddOnRole(
        id_="EfsCsiDriverRole",
        service_account=CONTROLLER_SERVICE_ACCOUNT,
        description="Amazon EFS CSI driver controller: creates and deletes EFS access points for volumes",
        policy="service-role/AmazonEFSCSIDriverPolicy",
        reason="The EFS CSI driver's documented policy, maintained by AWS with the driver's access-point calls and "
        "scoped by its efs.csi.aws.com tags; attached to the add-on's own Pod Identity role (the seed's `efs`)",
    ),
    configuration=configuration,
)
