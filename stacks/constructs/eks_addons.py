"""The seed's EKS add-ons as `AWS::EKS::Addon` resources, the CNI and the EBS and EFS CSI drivers each with its own role."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_iam as iam
from constructs import Construct

from stacks.common import nag_acknowledge
from stacks.constructs.pod_identity import PodIdentityRole

# Add-on versions pinned per Kubernetes minor. A missing entry means EKS installs the default version
# of that add-on for the cluster's Kubernetes version when the add-on is created (the seed's
# "version: latest", but fixed at creation instead of drifting). EKS never upgrades an add-on on its
# own: after raising eks.kubernetes_version, pin the versions `aws eks describe-addon-versions
# --kubernetes-version <new>` lists here, so the next deploy moves them together with the cluster.
ADDON_VERSIONS: dict[str, dict[str, str]] = {}

VPC_CNI = "vpc-cni"
KUBE_PROXY = "kube-proxy"
COREDNS = "coredns"
EBS_CSI_DRIVER = "aws-ebs-csi-driver"
EFS_CSI_DRIVER = "aws-efs-csi-driver"
EFS_CSI_CONTROLLER_SERVICE_ACCOUNT = "efs-csi-controller-sa"


@dataclass(frozen=True)
class AddonWorkload:
    """One Deployment or DaemonSet an add-on runs, as its configuration values declare it.

    `replicas` None: a DaemonSet, one pod per node. The driver's chart gives each sidecar its pod's
    container resources unless told otherwise, so one pod requests `containers` times the figures.
    """

    kind: str
    replicas: int | None
    containers: int
    cpu_request: str
    memory_request: str
    cpu_limit: str
    memory_limit: str
    placement: str

    @property
    def resources(self) -> dict[str, dict[str, str]]:
        return {
            "requests": {"cpu": self.cpu_request, "memory": self.memory_request},
            "limits": {"cpu": self.cpu_limit, "memory": self.memory_limit},
        }


# The EFS CSI driver's pods, for its add-on values and the pod inventory / capacity model. The add-on
# defaults are 200m CPU per container, 3 containers per pod (aws/containers-roadmap#2758); these figures
# are the driver's idle use with headroom for stunnel (TLS mounts) in the node plugin. The controller's
# replica count is the chart's default (controller.replicaCount: 2), which the add-on's configuration
# schema does not let us set (aws/containers-roadmap#2415): it is recorded here, not sent.
EFS_CSI_DRIVER_PODS: dict[str, AddonWorkload] = {
    "efs-csi-controller": AddonWorkload(
        kind="Deployment",
        replicas=2,
        containers=3,  # efs-plugin, csi-provisioner, liveness-probe
        cpu_request="10m",
        memory_request="40Mi",
        cpu_limit="100m",
        memory_limit="128Mi",
        placement="system-nodes",
    ),
    "efs-csi-node": AddonWorkload(
        kind="DaemonSet",
        replicas=None,
        containers=3,  # efs-plugin, csi-driver-registrar, liveness-probe
        cpu_request="10m",
        memory_request="40Mi",
        cpu_limit="200m",
        memory_limit="256Mi",
        placement="every node (all taints tolerated)",
    ),
}


class EksAddons(Construct):
    """Networking add-ons that must run before nodes join, and the ones that need nodes to become active.

    `before_nodes` (vpc-cni, kube-proxy and the pod identity agent: DaemonSets that are healthy with no
    node) are what node groups depend on; `after_nodes` (CoreDNS and the EBS CSI controller: Deployments
    that stay degraded without a node) depend on the node groups.
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        cluster: eks.Cluster,
        cluster_name: str,
        kubernetes_version: str,
        system_node_selector: Mapping[str, str],
    ) -> None:
        super().__init__(scope, id_)
        self._cluster = cluster
        self._versions = ADDON_VERSIONS.get(kubernetes_version, {})

        self.cni_role = PodIdentityRole(
            self,
            "VpcCniRole",
            cluster=cluster,
            cluster_name=cluster_name,
            namespace="kube-system",
            service_account="aws-node",
            description="Amazon VPC CNI (aws-node): manages pod ENIs and IPs",
            associate=False,
        )
        self.cni_role.role.add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name("AmazonEKS_CNI_Policy"))
        nag_acknowledge(
            self.cni_role.role,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKS_CNI_Policy]",
            "The VPC CNI's documented policy, maintained by AWS with the plugin's ENI/IP calls; attached to the "
            "add-on's own Pod Identity role instead of the node role",
        )
        self.ebs_csi_role = PodIdentityRole(
            self,
            "EbsCsiDriverRole",
            cluster=cluster,
            cluster_name=cluster_name,
            namespace="kube-system",
            service_account="ebs-csi-controller-sa",
            description="Amazon EBS CSI driver controller: creates, attaches and snapshots EBS volumes",
            associate=False,
        )
        self.ebs_csi_role.role.add_managed_policy(
            iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AmazonEBSCSIDriverPolicy")
        )
        nag_acknowledge(
            self.ebs_csi_role.role,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy]",
            "The EBS CSI driver's documented policy, maintained by AWS with the driver's volume calls and scoped "
            "by its ebs.csi.aws.com tags; attached to the add-on's own Pod Identity role (the seed's `ebs`)",
        )

        # The design's app-nodes `efs: true`, as EKS now does it: the driver's controller holds the EFS
        # permissions (access points for dynamic provisioning); the node role gets nothing.
        self.efs_csi_role = PodIdentityRole(
            self,
            "EfsCsiDriverRole",
            cluster=cluster,
            cluster_name=cluster_name,
            namespace="kube-system",
            service_account=EFS_CSI_CONTROLLER_SERVICE_ACCOUNT,
            description="Amazon EFS CSI driver controller: creates and deletes EFS access points for volumes",
            associate=False,
        )
        self.efs_csi_role.role.add_managed_policy(
            iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AmazonEFSCSIDriverPolicy")
        )
        nag_acknowledge(
            self.efs_csi_role.role,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy]",
            "The EFS CSI driver's documented policy, maintained by AWS with the driver's access-point calls and "
            "scoped by its efs.csi.aws.com tags; attached to the add-on's own Pod Identity role (the seed's `efs`)",
        )

        # The agent every Pod Identity association needs; the cluster construct owns it so that any
        # later `add_service_account(identity_type=POD_IDENTITY)` reuses it instead of adding a second one.
        agent = cluster.eks_pod_identity_agent
        assert isinstance(agent, Construct)
        self.pod_identity_agent: Construct = agent
        # The CNI's network policy agent enforces the NetworkPolicies the charts ship (ingress allow-lists).
        self.vpc_cni = self._addon(VPC_CNI, pod_identity=self.cni_role, configuration={"enableNetworkPolicy": "true"})
        self.kube_proxy = self._addon(KUBE_PROXY)
        self.coredns = self._addon(COREDNS)
        # The node plugin must reach every node, app-nodes' NoSchedule taint included, or pods there could
        # not mount volumes.
        self.ebs_csi_driver = self._addon(
            EBS_CSI_DRIVER, pod_identity=self.ebs_csi_role, configuration={"node": {"tolerateAllTaints": True}}
        )
        controller = EFS_CSI_DRIVER_PODS["efs-csi-controller"]
        node = EFS_CSI_DRIVER_PODS["efs-csi-node"]
        self.efs_csi_driver: eks.CfnAddon = self._addon(
            EFS_CSI_DRIVER,
            pod_identity=self.efs_csi_role,
            configuration={
                "controller": {"nodeSelector": dict(system_node_selector), "resources": controller.resources},
                # Like EBS: app pods on tainted app-nodes (on-demand and Spot) must be able to mount.
                "node": {"tolerations": [{"operator": "Exists"}], "resources": node.resources},
            },
        )
        self.before_nodes: list[Construct] = [self.vpc_cni, self.kube_proxy, self.pod_identity_agent]
        self.after_nodes: list[Construct] = [self.coredns, self.ebs_csi_driver, self.efs_csi_driver]

    def _addon(
        self,
        name: str,
        *,
        pod_identity: PodIdentityRole | None = None,
        configuration: dict[str, object] | None = None,
    ) -> eks.CfnAddon:
        return eks.CfnAddon(
            self,
            "".join(part.capitalize() for part in name.split("-")),
            addon_name=name,
            cluster_name=self._cluster.cluster_name,
            addon_version=self._versions.get(name),
            # EKS installed self-managed vpc-cni, kube-proxy and CoreDNS with the cluster: take them over.
            resolve_conflicts="OVERWRITE",
            pod_identity_associations=[pod_identity.addon_association] if pod_identity else None,
            configuration_values=json.dumps(configuration) if configuration else None,
        )
