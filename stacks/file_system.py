"""FileSystemStack: the app tier's optional EFS file system (the design's app-nodes `iam.withAddonPolicies.efs`).

Created only with `efs.enabled`. Encrypted with its own key, one mount target per app subnet, reachable on
NFS (2049) from the EKS node security group only, backed up by the existing backup plan (BackupStack
selects it) instead of EFS's own automatic backups, and kept on stack deletion in prod. The EFS CSI
driver's controller creates an access point per volume in it (k8s_charts/storage.py's StorageClass).
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_efs as efs
from aws_cdk import aws_iam as iam
from constructs import Construct

from config import AppConfig
from findings import nag_acknowledge
from names import Ports
from stacks.base import TechLibStack
from stacks.constructs.stateful import DataKey, Removal
from stacks.network import NetworkStack


class FileSystemStack(TechLibStack):
    """The EFS file system, its key and its security group; `file_system` is what backup and the cluster read."""

    def __init__(self, scope: Construct, id_: str, *, config: AppConfig, network: NetworkStack, **kwargs: Any) -> None:
        super().__init__(
            scope,
            id_,
            config=config,
            stateful=True,
            description="tech-lib EFS file system for the app tier: KMS key, mount targets, NFS security group",
            **kwargs,
        )
        prefix = config.resource_prefix
        # efs.removal_policy is "retain" or "destroy" (EFS has no SNAPSHOT deletion policy; the backup plan's
        # recovery points are its snapshots), so the key goes exactly when the file system does.
        removal = Removal.configured(config.efs.removal_policy)
        self.key = DataKey(
            self,
            "FileSystemKey",
            alias=f"alias/{prefix}-efs",
            description=f"Encrypts the {prefix} EFS file system at rest",
            removal_policy=removal.dependents,
        ).key
        self.security_group = ec2.SecurityGroup(
            self,
            "FileSystemSecurityGroup",
            vpc=network.vpc,
            security_group_name=f"{prefix}-efs-sg",
            description="EFS mount targets: NFS from the EKS nodes only",
            allow_all_outbound=False,
        )
        self.security_group.add_ingress_rule(
            network.node_security_group, ec2.Port.tcp(Ports.NFS), "NFS from EKS nodes (EFS CSI driver mounts)"
        )
        self.file_system = efs.FileSystem(
            self,
            "FileSystem",
            file_system_name=f"{prefix}-app-efs",
            vpc=network.vpc,
            vpc_subnets=network.app_subnets,
            security_group=self.security_group,
            encrypted=True,
            kms_key=self.key,
            performance_mode=efs.PerformanceMode.GENERAL_PURPOSE,
            throughput_mode=efs.ThroughputMode.ELASTIC,
            # The backup plan (BackupStack) backs it up with the rest of the data; EFS's own plan would be a second.
            enable_automatic_backups=False,
            removal_policy=removal.data,
            # No IAM mount authorization: the nodes hold no EFS permission (the driver's controller does), so
            # access is the security group above plus the access points' enforced POSIX identity, and TLS only.
            allow_anonymous_access=True,
            file_system_policy=iam.PolicyDocument(
                statements=[
                    iam.PolicyStatement(
                        sid="MountThroughMountTargets",
                        principals=[iam.AnyPrincipal()],
                        actions=[
                            "elasticfilesystem:ClientMount",
                            "elasticfilesystem:ClientWrite",
                            "elasticfilesystem:ClientRootAccess",
                        ],
                        conditions={"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}},
                    ),
                    iam.PolicyStatement(
                        sid="DenyUnencryptedTransport",
                        effect=iam.Effect.DENY,
                        principals=[iam.AnyPrincipal()],
                        actions=["*"],
                        conditions={"Bool": {"aws:SecureTransport": "false"}},
                    ),
                ]
            ),
        )
        nag_acknowledge(
            self.file_system,
            "NIST.800.53.R5-EFSInBackupPlan",
            "The file system is in the AWS Backup plan of the backup stack (its selection lists the file system ARN); "
            "cdk-nag looks for a backup selection in this stack only.",
        )
        cdk.CfnOutput(self, "FileSystemId", value=self.file_system.file_system_id)
