"""EksStack: the seed's EKS cluster (eksctl ClusterConfig), node groups, add-ons, controllers and platform objects.

What the stack builds, and why it differs from the seed where it does (README, deviations):
- `aws_eks_v2.Cluster` with managed node groups only (no Auto Mode, no default capacity), API-mode
  access entries and no implicit admin for whoever deploys: the configured admin role gets an explicit
  cluster-admin access entry, the kubectl handler its own.
- The Kubernetes version comes from configuration (config/kubernetes.py maps it to its kubectl layer);
  a version past EKS end of standard support synthesizes with a warning.
- Nodes are AL2023 (AL2 has no AMIs for current versions) via launch templates carrying the seed's
  disk, the sysctl tuning and log rotation in user data (instead of the seed's privileged DaemonSet).
- Nodes get the seed's node security group plus the cluster security group EKS creates: with security
  groups in a launch template EKS no longer adds the latter, and it is what lets nodes, control plane,
  and the kubectl handler reach each other whatever rules the node group's own group carries.
"""

from __future__ import annotations

import datetime
import importlib
from typing import Any, cast

import aws_cdk as cdk
import cdk8s
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct, IDependable

from addons import efs_csi_driver
from addons.base import ClusterContext
from config import AppConfig
from config.kubernetes import SUPPORTED_VERSIONS, KubernetesVersionInfo
from findings import nag_acknowledge, nag_acknowledge_inline_policy
from k8s_charts.mesh_policy import joins_mesh
from k8s_charts.platform import AppNamespaceChart
from k8s_charts.storage import EfsStorageClassChart
from names import Mesh, NodeGroups
from stacks.base import TechLibStack
from stacks.common import allow_log_groups_to_use_key, log_retention
from stacks.constructs.eks_addons import EksAddons
from stacks.constructs.eks_controllers import PlatformControllers
from stacks.constructs.eks_mesh import ServiceMesh
from stacks.constructs.eks_node_group import ManagedNodeGroup, node_role
from stacks.network import NetworkStack

# eksctl's logTypes spelling (the configuration's) -> the construct's enum.
LOG_TYPES = {
    "api": eks.ClusterLoggingTypes.API,
    "audit": eks.ClusterLoggingTypes.AUDIT,
    "authenticator": eks.ClusterLoggingTypes.AUTHENTICATOR,
    "controllerManager": eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
    "scheduler": eks.ClusterLoggingTypes.SCHEDULER,
}


def support_warning(info: KubernetesVersionInfo, today: datetime.date) -> str | None:
    """The synth-time warning for a version past EKS end of standard (or extended) support, else None."""
    if info.past_extended_support(today):
        return (
            f"Kubernetes {info.version} is past the end of EKS extended support ({info.end_of_extended_support}): "
            "EKS no longer creates or keeps clusters of this version. Choose a supported eks.kubernetes_version."
        )
    if info.past_standard_support(today):
        return (
            f"Kubernetes {info.version} is past the end of EKS standard support ({info.end_of_standard_support}): "
            "the cluster runs on paid extended support (upgrade_policy EXTENDED) or is upgraded by EKS (STANDARD)."
        )
    return None


def kubectl_layer(scope: Construct, info: KubernetesVersionInfo) -> lambda_.ILayerVersion:
    """The kubectl/helm Lambda layer for the cluster's version (kubectl supports one minor of skew)."""
    module = importlib.import_module(info.kubectl_layer_module)
    layer_class = getattr(module, f"KubectlV{info.minor}Layer")
    return cast(lambda_.ILayerVersion, layer_class(scope, "KubectlLayer"))


class EksStack(TechLibStack):
    """The EKS platform; workloads depend on `platform_ready` and live in `app_namespace`."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        config: AppConfig,
        network: NetworkStack,
        file_system_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        """`file_system_id`: FileSystemStack's EFS file system, else `efs.file_system_id` (neither: no EFS class)."""
        super().__init__(
            scope,
            id_,
            config=config,
            description=f"tech-lib EKS platform: cluster {config.eks.cluster_name}, node groups, add-ons, controllers",
            **kwargs,
        )
        settings = config.eks
        self.version_info = SUPPORTED_VERSIONS[settings.kubernetes_version]
        warning = support_warning(self.version_info, datetime.date.today())
        if warning:
            cdk.Annotations.of(self).add_warning_v2("@tech-lib/eks:kubernetesVersionPastSupport", warning)
        retain = cdk.RemovalPolicy.RETAIN if config.is_production else cdk.RemovalPolicy.DESTROY

        self.key = kms.Key(
            self,
            "ClusterKey",
            alias=f"alias/{config.resource_prefix}-eks",
            description=f"Envelope encryption of {settings.cluster_name} Kubernetes secrets and its control-plane logs",
            enable_key_rotation=True,
            removal_policy=retain,
        )
        allow_log_groups_to_use_key(self.key, log_groups=[f"/aws/eks/{settings.cluster_name}/cluster"])
        # EKS writes control-plane logs to this fixed name; creating it first gives it retention and the key.
        self.control_plane_logs = logs.LogGroup(
            self,
            "ControlPlaneLogGroup",
            log_group_name=f"/aws/eks/{settings.cluster_name}/cluster",
            retention=log_retention(settings.control_plane_log_retention_days),
            encryption_key=self.key,
            removal_policy=retain,
        )

        cluster_role = iam.Role(
            self,
            "ClusterRole",
            assumed_by=iam.ServicePrincipal("eks.amazonaws.com"),
            description=f"EKS control plane of {settings.cluster_name}",
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("AmazonEKSClusterPolicy")],
        )
        nag_acknowledge(
            cluster_role,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]",
            "The EKS control plane's service role policy, defined and maintained by AWS for EKS",
        )
        # aws_eks_v2 does not grant the cluster role the secrets key; EKS checks it when creating the cluster.
        self.key.grant(cluster_role, "kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant")
        nag_acknowledge_inline_policy(cluster_role, "The EKS control plane's use of the cluster's secrets key")

        self.cluster = eks.Cluster(
            self,
            "Cluster",
            cluster_name=settings.cluster_name,
            version=eks.KubernetesVersion.of(settings.kubernetes_version),
            vpc=network.vpc,
            vpc_subnets=[network.app_subnets],
            security_group=network.cluster_security_group,
            endpoint_access=eks.EndpointAccess.PUBLIC_AND_PRIVATE.only_from(*settings.endpoint_public_access_cidrs),
            cluster_logging=[LOG_TYPES[log_type] for log_type in settings.control_plane_log_types],
            secrets_encryption_key=self.key,
            role=cluster_role,
            # Admin access is explicit: the configured role (an access entry with AmazonEKSClusterAdminPolicy)
            # and the kubectl handler; never the identity that happens to run the deploy.
            bootstrap_cluster_creator_admin_permissions=False,
            masters_role=iam.Role.from_role_name(self, "AdminRole", settings.admin_role_name),
            default_capacity_type=eks.DefaultCapacityType.NODEGROUP,
            default_capacity=0,
            kubectl_provider_options=eks.KubectlProviderOptions(kubectl_layer=kubectl_layer(self, self.version_info)),
        )
        self._acknowledge_kubectl_handler()
        cfn_cluster = cast(eks.CfnCluster, self.cluster.node.default_child)
        cfn_cluster.upgrade_policy = eks.CfnCluster.UpgradePolicyProperty(support_type=settings.upgrade_policy)
        cfn_cluster.node.add_dependency(cluster_role, self.control_plane_logs)

        context = ClusterContext(config=config, cluster=self.cluster, vpc_id=network.vpc.vpc_id)
        self.addons = EksAddons(self, "Addons", context=context)
        self.node_role = node_role(self, "NodeRole")
        node_security_groups: list[ec2.ISecurityGroup] = [
            network.node_security_group,
            self.cluster.cluster_security_group,
        ]
        # With the mesh, every node (Spot too) registers tainted until istio-cni runs on it (addons/istio_istiod.py).
        startup_taints = (Mesh.STARTUP_TAINT,) if config.mesh.enabled else ()
        self.node_groups = {
            group.name: ManagedNodeGroup(
                self,
                "".join(part.capitalize() for part in group.name.split("-")),
                cluster=self.cluster,
                cluster_name=settings.cluster_name,
                group=group,
                role=self.node_role,
                subnets=network.app_subnets,
                security_groups=node_security_groups,
                launch_template_name=f"{config.resource_prefix}-{group.name}",
                startup_taints=startup_taints,
            )
            for group in settings.node_groups
        }
        spot, spot_group = settings.spot_app_nodes, settings.spot_node_group
        if spot is not None and spot_group is not None:
            # app-nodes' label, taint and disk on Spot capacity: workloads land on either group unchanged.
            self.node_groups[NodeGroups.APP_SPOT] = ManagedNodeGroup(
                self,
                "AppNodesSpot",
                cluster=self.cluster,
                cluster_name=settings.cluster_name,
                group=spot_group,
                role=self.node_role,
                subnets=network.app_subnets,
                security_groups=node_security_groups,
                launch_template_name=f"{config.resource_prefix}-{NodeGroups.APP_SPOT}",
                spot_instance_types=spot.instance_types,
                startup_taints=startup_taints,
            )
        for group in self.node_groups.values():
            group.nodegroup.node.add_dependency(*self.addons.before_nodes)
            for addon in self.addons.after_nodes:
                addon.node.add_dependency(group.nodegroup)
        self.mesh = self._service_mesh(context)

        prerequisites: list[IDependable] = [
            *(group.nodegroup for group in self.node_groups.values()),
            *self.addons.before_nodes,
            *self.addons.after_nodes,
        ]
        self.controllers = PlatformControllers(self, "Controllers", context=context, prerequisites=prerequisites)

        charts = cdk8s.App()
        self.efs_storage_class: eks.KubernetesManifest | None = None
        efs_id = file_system_id or config.efs.file_system_id
        if efs_id is not None:
            self.efs_storage_class = self.cluster.add_cdk8s_chart(
                "EfsStorageClass",
                EfsStorageClassChart(charts, f"{config.resource_prefix}-efs-storage", file_system_id=efs_id),
            )
            self.efs_storage_class.node.add_dependency(self.addons.installed[efs_csi_driver.NAME])

        self.app_namespace = self.cluster.add_cdk8s_chart(
            "AppNamespace",
            AppNamespaceChart(
                charts,
                f"{config.resource_prefix}-namespace",
                namespace=config.workloads.namespace,
                kubernetes_version=settings.kubernetes_version,
                ambient=joins_mesh(config, config.workloads.namespace),
            ),
        )
        # The namespace joins the mesh only once ztunnel runs on every node.
        if self.mesh.ready:
            self.app_namespace.node.add_dependency(*self.mesh.ready)
        # The workloads' Services and Ingress need the load balancer controller's webhook serving, and
        # their secret sync the operator's CRDs. Nothing here reads the data tier: the app's ExternalSecrets,
        # ConfigMap and the operator's read grants live in WorkloadsStack, so this stack deploys side by
        # side with Database and Cache instead of after them.
        self.platform_ready: list[Construct] = [
            self.controllers.alb_controller,
            self.controllers.external_secrets,
            # The mesh's CRDs, istiod's validation and ztunnel before the app's policies (PeerAuthentication,
            # AuthorizationPolicy) and pods.
            *self.mesh.ready,
        ]

    def _service_mesh(self, context: ClusterContext) -> ServiceMesh:
        """Istio ambient after the node groups; the add-ons that need schedulable nodes after istio-cni."""
        mesh = ServiceMesh(
            self,
            "Mesh",
            context=context,
            nodes=[
                *(group.nodegroup for group in self.node_groups.values()),
                *self.addons.before_nodes,
            ],
            after_nodes=self.addons.after_nodes,
        )
        for addon in self.addons.after_nodes:
            if mesh.untainted:
                addon.node.add_dependency(*mesh.untainted)
        return mesh

    def _acknowledge_kubectl_handler(self) -> None:
        """cdk-nag and checkov findings on aws-cdk-lib's own kubectl/Helm handler and its provider framework."""
        provider = self.cluster.node.find_child("KubectlProvider")
        # The handler's and its provider framework's log groups (`/aws/lambda/<function>`, names CloudFormation
        # generates from the stack name) are encrypted with the cluster's key like the control-plane logs
        # (NIST 800-53 R5 CloudWatchLogGroupEncrypted, checkov CKV_AWS_158). The key grant names the prefix,
        # not the functions: the functions depend on the cluster, which depends on the key.
        allow_log_groups_to_use_key(self.key, log_groups=[f"/aws/lambda/{self.stack_name}-*"], sid="KubectlHandlerLogs")
        for construct in provider.node.find_all():
            if isinstance(construct, logs.CfnLogGroup):
                construct.kms_key_id = self.key.key_arn
        nag_acknowledge_inline_policy(
            provider, "aws-cdk-lib's kubectl handler and its provider framework (construct-internal roles)"
        )
        handler_policies = {
            "service-role/AWSLambdaBasicExecutionRole": "CloudWatch Logs for the handler and its provider framework",
            "service-role/AWSLambdaVPCAccessExecutionRole": "ENIs for the handler, which runs in the app subnets to reach the private endpoint",
            "AmazonEC2ContainerRegistryReadOnly": "pulling OCI Helm charts from ECR",
        }
        for name, why in handler_policies.items():
            nag_acknowledge(
                provider,
                f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/{name}]",
                f"aws-cdk-lib's kubectl handler (construct-internal role): {why}",
            )
        # Attached only in the aws partition, through a condition the construct names itself.
        has_ecr_public = provider.node.find_child("Handler").node.find_child("HasEcrPublic")
        condition_id = self.resolve(cast(cdk.CfnCondition, has_ecr_public).logical_id)
        public_policy = (
            '{"Fn::If":["' + condition_id + '",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},'
            '":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}'
        )
        nag_acknowledge(
            provider,
            f"AwsSolutions-IAM4[Policy::{public_policy}]",
            "aws-cdk-lib's kubectl handler (construct-internal role): pulling public OCI Helm charts from ECR Public",
        )
        handler = cast(cdk.CfnResource, provider.node.find_child("Handler").node.default_child)
        nag_acknowledge(
            provider,
            f"AwsSolutions-IAM5[Resource::<{self.resolve(handler.logical_id)}.Arn>:*]",
            "aws-cdk-lib's provider framework invokes any version of its own kubectl handler function",
        )
        nag_acknowledge(
            provider,
            "AwsSolutions-L1",
            "aws-cdk-lib picks the Python runtime of its bundled kubectl handler; it moves with the library version",
        )
