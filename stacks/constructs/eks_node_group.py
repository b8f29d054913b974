"""A managed node group on Amazon Linux 2023 with its own launch template (disk, IMDS, security groups, user data)."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_iam as iam
from constructs import Construct

from config.schema import NodeGroupConfig
from findings import nag_acknowledge

# The seed's node tuning, applied as floors: a value the AL2023 kernel already sets higher (fs.file-max
# defaults to 2^63-1 there) is kept, so "65536" can never shrink the node's file table.
SYSCTL_FLOORS: dict[str, int] = {"vm.max_map_count": 262144, "fs.file-max": 65536}
SYSCTL_FILE = "/etc/sysctl.d/90-tech-lib.conf"
# The seed's docker daemon.json log-opts (max-size 10m, max-file 3). AL2023 nodes run containerd,
# where the kubelet rotates container logs: the same limits go to its configuration.
CONTAINER_LOG_MAX_SIZE = "10Mi"
CONTAINER_LOG_MAX_FILES = 3
# IMDS hop limit 2: Container Insights' agent and Fluent Bit (the monitoring stack's
# amazon-cloudwatch-observability add-on) read instance metadata (instance id, type, zone) from pod
# network namespaces, one hop further than the host. Pods could then also read the node role's
# credentials, which is why that role holds node permissions only: every controller has its own.
IMDS_HOP_LIMIT = 2
ROOT_DEVICE = "/dev/xvda"  # AL2023 EKS AMIs' root volume

# AWS-managed policy -> why a node (not a controller) needs it. EKS, the CloudWatch agent and SSM
# document these managed policies as the node role's permissions; AWS keeps them current.
NODE_ROLE_MANAGED_POLICIES = {
    "AmazonEKSWorkerNodePolicy": "EKS's documented node policy: the kubelet describes the cluster and its instance",
    "AmazonEC2ContainerRegistryReadOnly": "the seed's ECR read: containerd pulls images with the node's credentials",
    "CloudWatchAgentServerPolicy": "the seed's cloudWatch add-on policy: the node's CloudWatch agent publishes metrics and logs",
    "AmazonSSMManagedInstanceCore": "Session Manager access to nodes instead of SSH keys or open ports",
}


def sysctl_script() -> str:
    """Shell part of the user data: persist the sysctl floors and apply them before the kubelet starts."""
    lines = [
        "#!/bin/bash",
        "set -euo pipefail",
        f": > {SYSCTL_FILE}",
    ]
    for key, floor in SYSCTL_FLOORS.items():
        lines.append(f'if [ "$(sysctl -n {key})" -lt {floor} ]; then echo "{key} = {floor}" >> {SYSCTL_FILE}; fi')
    lines.append("sysctl --system")
    return "\n".join(lines) + "\n"


def node_config() -> str:
    """nodeadm NodeConfig part: merged by AL2023's nodeadm with the one EKS generates for the node group."""
    return "\n".join(
        [
            "apiVersion: node.eks.aws/v1alpha1",
            "kind: NodeConfig",
            "spec:",
            "  kubelet:",
            "    config:",
            f"      containerLogMaxSize: {CONTAINER_LOG_MAX_SIZE}",
            f"      containerLogMaxFiles: {CONTAINER_LOG_MAX_FILES}",
            "",
        ]
    )


def node_user_data() -> ec2.MultipartUserData:
    """MIME multi-part user data, the format EKS requires to merge its own bootstrap for AL2023 nodes."""
    user_data = ec2.MultipartUserData()
    user_data.add_part(ec2.MultipartBody.from_raw_body(content_type="application/node.eks.aws", body=node_config()))
    user_data.add_part(
        ec2.MultipartBody.from_raw_body(content_type='text/x-shellscript; charset="us-ascii"', body=sysctl_script())
    )
    return user_data


def node_role(scope: Construct, id_: str) -> iam.Role:
    """What a node itself needs; every controller (CNI, EBS CSI, ALB, autoscaler, ...) has its own role."""
    role = iam.Role(
        scope,
        id_,
        assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
        description="EKS worker nodes: join the cluster, pull from ECR, CloudWatch agent, SSM",
        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(name) for name in NODE_ROLE_MANAGED_POLICIES],
    )
    for name, reason in NODE_ROLE_MANAGED_POLICIES.items():
        nag_acknowledge(role, f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/{name}]", reason)
    return role


class ManagedNodeGroup(Construct):
    """One of the seed's node groups: EKS-managed, AL2023, in the given subnets, tagged for the autoscaler."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        cluster: eks.Cluster,
        cluster_name: str,
        group: NodeGroupConfig,
        role: iam.IRole,
        subnets: ec2.SubnetSelection,
        security_groups: Sequence[ec2.ISecurityGroup],
        launch_template_name: str,
        spot_instance_types: Sequence[str] = (),
        startup_taints: Sequence[str] = (),
    ) -> None:
        """`spot_instance_types`: run the group on Spot capacity across these interchangeable types.

        EKS then enables Capacity Rebalancing on the group's Auto Scaling group and, on a rebalance
        recommendation or interruption notice, launches a replacement and cordons and drains the node
        (the EKS User Guide, managed node groups' Spot capacity type): nothing here has to handle it.

        `startup_taints`: NoSchedule taints the nodes register with and a controller removes once the node is
        ready for pods (the mesh's `cni.istio.io/not-ready`); no workload tolerates them.
        """
        super().__init__(scope, id_)
        instance_type = ec2.InstanceType(group.instance_type)
        instance_types = [ec2.InstanceType(t) for t in spot_instance_types] or [instance_type]
        self.launch_template = ec2.LaunchTemplate(
            self,
            "LaunchTemplate",
            launch_template_name=launch_template_name,
            block_devices=[
                ec2.BlockDevice(
                    device_name=ROOT_DEVICE,
                    volume=ec2.BlockDeviceVolume.ebs(
                        group.volume_size_gib,
                        volume_type=ec2.EbsDeviceVolumeType[group.volume_type.upper()],
                        encrypted=True,
                        delete_on_termination=True,
                    ),
                )
            ],
            require_imdsv2=True,
            http_put_response_hop_limit=IMDS_HOP_LIMIT,
            security_group=security_groups[0],
            user_data=node_user_data(),
        )
        for extra in security_groups[1:]:
            self.launch_template.add_security_group(extra)
        # Instances and volumes are named after their group instead of the construct path.
        cdk.Tags.of(self.launch_template).add("Name", launch_template_name)

        arm = instance_type.architecture == ec2.InstanceArchitecture.ARM_64
        self.nodegroup = cluster.add_nodegroup_capacity(
            group.name,
            nodegroup_name=group.name,
            instance_types=instance_types,
            # Unset for on-demand groups (EKS's default): adding CapacityType to a shipped group replaces it.
            capacity_type=eks.CapacityType.SPOT if spot_instance_types else None,
            ami_type=eks.NodegroupAmiType.AL2023_ARM_64_STANDARD
            if arm
            else eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
            desired_size=group.desired_size,
            min_size=group.min_size,
            max_size=group.max_size,
            labels=dict(group.labels),
            taints=[
                eks.TaintSpec(key=taint.key, value=taint.value, effect=_TAINT_EFFECTS[taint.effect])
                for taint in group.taints
            ]
            + [eks.TaintSpec(key=key, value="true", effect=eks.TaintEffect.NO_SCHEDULE) for key in startup_taints],
            node_role=role,
            subnets=subnets,
            launch_template_spec=eks.LaunchTemplateSpec(
                id=self.launch_template.launch_template_id or "",
                version=self.launch_template.latest_version_number,
            ),
            # EKS tags a managed node group's Auto Scaling group with these two keys itself; stating them
            # here keeps the autoscaler's discovery contract (--node-group-auto-discovery) visible.
            tags={
                "k8s.io/cluster-autoscaler/enabled": "true",
                f"k8s.io/cluster-autoscaler/{cluster_name}": "owned",
            },
        )


_TAINT_EFFECTS = {
    "NoSchedule": eks.TaintEffect.NO_SCHEDULE,
    "PreferNoSchedule": eks.TaintEffect.PREFER_NO_SCHEDULE,
    "NoExecute": eks.TaintEffect.NO_EXECUTE,
}
