"""The seed's EKS add-ons as `AWS::EKS::Addon` resources, the CNI and the EBS and EFS CSI drivers each with its own role."""

from __future__ import annotations

import json
from collections.abc import Mapping

from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_iam as iam
from constructs import Construct

from addons.pod_identity import PodIdentityRole
from findings import nag_acknowledge
from fit import platform_values
from names import K8sNames

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
        self._cluster_name = cluster_name
        self._versions = ADDON_VERSIONS.get(kubernetes_version, {})

        self.cni_role = self._addon_role(
            "VpcCniRole",
            service_account="aws-node",
            description="Amazon VPC CNI (aws-node): manages pod ENIs and IPs",
            policy="AmazonEKS_CNI_Policy",
            reason="The VPC CNI's documented policy, maintained by AWS with the plugin's ENI/IP calls; attached to the "
            "add-on's own Pod Identity role instead of the node role",
        )
        self.ebs_csi_role = self._addon_role(
            "EbsCsiDriverRole",
            service_account="ebs-csi-controller-sa",
            description="Amazon EBS CSI driver controller: creates, attaches and snapshots EBS volumes",
            policy="service-role/AmazonEBSCSIDriverPolicy",
            reason="The EBS CSI driver's documented policy, maintained by AWS with the driver's volume calls and scoped "
            "by its ebs.csi.aws.com tags; attached to the add-on's own Pod Identity role (the seed's `ebs`)",
        )
        # The design's app-nodes `efs: true`, as EKS now does it: the driver's controller holds the EFS
        # permissions (access points for dynamic provisioning); the node role gets nothing.
        self.efs_csi_role = self._addon_role(
            "EfsCsiDriverRole",
            service_account=EFS_CSI_CONTROLLER_SERVICE_ACCOUNT,
            description="Amazon EFS CSI driver controller: creates and deletes EFS access points for volumes",
            policy="service-role/AmazonEFSCSIDriverPolicy",
            reason="The EFS CSI driver's documented policy, maintained by AWS with the driver's access-point calls and "
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
        self.coredns = self._addon(
            COREDNS, configuration=platform_values.coredns_configuration(node_selector=system_node_selector)
        )
        self.ebs_csi_driver = self._addon(
            EBS_CSI_DRIVER,
            pod_identity=self.ebs_csi_role,
            configuration=platform_values.ebs_csi_configuration(node_selector=system_node_selector),
        )
        self.efs_csi_driver: eks.CfnAddon = self._addon(
            EFS_CSI_DRIVER,
            pod_identity=self.efs_csi_role,
            configuration=platform_values.efs_csi_configuration(node_selector=system_node_selector),
        )
        self.before_nodes: list[Construct] = [self.vpc_cni, self.kube_proxy, self.pod_identity_agent]
        self.after_nodes: list[Construct] = [self.coredns, self.ebs_csi_driver, self.efs_csi_driver]

    def _addon_role(
        self, id_: str, *, service_account: str, description: str, policy: str, reason: str
    ) -> PodIdentityRole:
        """An add-on's own Pod Identity role in kube-system with one AWS managed policy (the add-on associates it)."""
        role = PodIdentityRole(
            self,
            id_,
            cluster=self._cluster,
            cluster_name=self._cluster_name,
            namespace=K8sNames.KUBE_SYSTEM_NAMESPACE,
            service_account=service_account,
            description=description,
            associate=False,
        )
        role.role.add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name(policy))
        nag_acknowledge(role.role, f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/{policy}]", reason)
        return role

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
