"""AWS Backup per the design document, plus the disaster-recovery copy it asks for ("複数リージョンでのバックアップ").

BackupStack (primary region): the vault `tech-lib-backup-vault` with its own KMS key, the plan
`tech-lib-backup-plan` (Daily/Weekly/Monthly rules), the selection `tech-lib-resources` (the Aurora cluster and
the static-assets bucket, tagged Environment=<environment_tag>) and the role AWS Backup assumes.
BackupDrStack (`backup.dr_region`): the vault every rule copies its recovery points to, with the same retention.

Deviations from the seed's selection (see docs/backup-restore.md):
- `!Sub "${DBCluster}/*"` is the cluster identifier plus `/*`, which matches nothing; AWS Backup selects an Aurora
  cluster by its cluster ARN.
- `tech-lib-data-bucket` does not exist in the design: the data the system keeps in S3 is the CloudFront
  static-assets bucket (versioned, which S3 backups require), selected by its bucket ARN.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_backup as backup
from aws_cdk import aws_efs as efs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from constructs import Construct

from config import AppConfig
from findings import nag_acknowledge
from stacks.base import TechLibStack
from stacks.constructs.stateful import DataKey

# The seed's two policies, plus the S3 pair: AWS Backup's S3 permissions live only in these, and the
# selection includes a bucket.
BACKUP_ROLE_MANAGED_POLICIES = (
    "service-role/AWSBackupServiceRolePolicyForBackup",
    "service-role/AWSBackupServiceRolePolicyForRestores",
    "AWSBackupServiceRolePolicyForS3Backup",
    "AWSBackupServiceRolePolicyForS3Restore",
)
# Deleting a recovery point, or shortening its lifecycle (a delayed delete), is for the break-glass role only.
RECOVERY_POINT_DELETE_ACTIONS = ("backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle")
# Replacing or removing the access policy would lift every deny above, and removing the vault lock would allow
# early deletion. CloudFormation keeps managing both, so its execution role stays allowed next to break-glass.
PROTECTION_CHANGE_ACTIONS = (
    "backup:PutBackupVaultAccessPolicy",
    "backup:DeleteBackupVaultAccessPolicy",
    "backup:DeleteBackupVaultLockConfiguration",
)
SELECTION_TAG_KEY = "Environment"


def _cloudformation_execution_role_arn(stack: cdk.Stack) -> str | None:
    synthesizer = stack.synthesizer
    if not isinstance(synthesizer, cdk.DefaultStackSynthesizer):
        return None
    # The synthesizer hands the ARN back with a literal ${AWS::Partition} placeholder (it is meant for the manifest).
    return synthesizer.cloud_formation_execution_role_arn.replace("${AWS::Partition}", stack.partition)


def vault_access_policy(stack: cdk.Stack, config: AppConfig) -> iam.PolicyDocument:
    """The seed's deny of DeleteBackupVault, and denies on deleting recovery points or lifting the protection."""
    break_glass = config.backup.break_glass_role_name
    break_glass_arns = (
        [stack.format_arn(service="iam", region="", account=config.account, resource="role", resource_name=break_glass)]
        if break_glass
        else []
    )

    def unless(principal_arns: list[str]) -> dict[str, object] | None:
        # aws:PrincipalArn is the role's ARN for an assumed-role session, so this exempts whoever assumes it.
        return {"ArnNotEquals": {"aws:PrincipalArn": principal_arns}} if principal_arns else None

    cfn_role = _cloudformation_execution_role_arn(stack)
    return iam.PolicyDocument(
        statements=[
            iam.PolicyStatement(
                sid="DenyVaultDeletion",
                effect=iam.Effect.DENY,
                principals=[iam.StarPrincipal()],
                actions=["backup:DeleteBackupVault"],
                resources=["*"],
            ),
            iam.PolicyStatement(
                sid="DenyRecoveryPointDeletion",
                effect=iam.Effect.DENY,
                principals=[iam.StarPrincipal()],
                actions=list(RECOVERY_POINT_DELETE_ACTIONS),
                resources=["*"],
                conditions=unless(break_glass_arns),
            ),
            iam.PolicyStatement(
                sid="DenyProtectionChanges",
                effect=iam.Effect.DENY,
                principals=[iam.StarPrincipal()],
                actions=list(PROTECTION_CHANGE_ACTIONS),
                resources=["*"],
                conditions=unless(break_glass_arns + ([cfn_role] if cfn_role else [])),
            ),
        ]
    )


class ProtectedVault(Construct):
    """A backup vault encrypted with its own key, guarded by the access policy and, if configured, a governance lock.

    Both the vault and the key are RETAIN: deleting either would make every recovery point in it unusable.
    """

    def __init__(self, scope: Construct, id_: str, *, config: AppConfig, vault_name: str) -> None:
        super().__init__(scope, id_)
        stack = cdk.Stack.of(self)
        self.key = DataKey(
            self,
            "Key",
            alias=f"alias/{vault_name}",
            description=f"Encrypts the recovery points in the backup vault {vault_name}",
            removal_policy=cdk.RemovalPolicy.RETAIN,
        ).key
        lock = (
            # No changeable_for: governance mode, which the break-glass path can still lift; compliance mode
            # would make a wrong retention permanent.
            backup.LockConfiguration(
                min_retention=cdk.Duration.days(config.backup.vault_lock_min_retention_days),
                max_retention=cdk.Duration.days(config.backup.vault_lock_max_retention_days),
            )
            if config.backup.vault_lock_enabled
            else None
        )
        self.vault = backup.BackupVault(
            self,
            "Vault",
            backup_vault_name=vault_name,
            encryption_key=self.key,
            access_policy=vault_access_policy(stack, config),
            lock_configuration=lock,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )


class BackupDrStack(TechLibStack):
    """The disaster-recovery vault in `backup.dr_region`, which every backup rule copies its recovery points into."""

    def __init__(self, scope: Construct, id_: str, *, config: AppConfig) -> None:
        dr_region = config.backup.dr_region
        if dr_region is None:
            raise ValueError("BackupDrStack needs backup.dr_region; app.py creates it only when that is set")
        super().__init__(
            scope,
            id_,
            config=config,
            region=dr_region,
            stateful=True,
            description=f"Disaster-recovery backup vault in {dr_region} for cross-region copies of recovery points",
        )
        protected = ProtectedVault(self, "BackupVault", config=config, vault_name=config.backup.dr_vault_name)
        self.vault = protected.vault
        self.kms_key = protected.key
        # Built from the configured account, region and vault name rather than read from the vault: the copy
        # actions in the primary region then need no cross-region reference, only a deploy-order dependency.
        self.vault_arn = cdk.Arn.format(
            cdk.ArnComponents(
                partition=self.partition,
                service="backup",
                region=dr_region,
                account=config.account,
                resource="backup-vault",
                resource_name=config.backup.dr_vault_name,
                arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
            )
        )
        cdk.CfnOutput(self, "DrBackupVaultName", value=self.vault.backup_vault_name)


class BackupStack(TechLibStack):
    """The seed's backup strategy: vault, role, plan with three rules, selection of the cluster and the bucket."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        config: AppConfig,
        database: rds.IDatabaseCluster,
        static_assets_bucket: s3.IBucket,
        dr_vault: BackupDrStack | None = None,
        file_system: efs.IFileSystem | None = None,
    ) -> None:
        super().__init__(
            scope,
            id_,
            config=config,
            stateful=True,
            description="AWS Backup vault, plan and selection for the Aurora cluster and the static-assets bucket",
        )
        if (dr_vault is None) != (config.backup.dr_region is None):
            raise ValueError("pass dr_vault exactly when backup.dr_region is set")

        protected = ProtectedVault(self, "BackupVault", config=config, vault_name=config.backup.vault_name)
        self.vault = protected.vault
        self.kms_key = protected.key

        self.role = iam.Role(
            self,
            "DatabaseBackupRole",
            description="Assumed by AWS Backup to back up and restore the Aurora cluster and the static-assets bucket",
            assumed_by=iam.ServicePrincipal("backup.amazonaws.com"),
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(n) for n in BACKUP_ROLE_MANAGED_POLICIES],
        )
        for name in BACKUP_ROLE_MANAGED_POLICIES:
            nag_acknowledge(
                self.role,
                f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/{name}]",
                "AWS Backup's own service-role policies (the seed names the Backup/Restores pair; the S3 pair is needed "
                "because the selection includes a bucket). AWS maintains them as Backup evolves; a copy would drift.",
            )

        if dr_vault is not None:
            self.add_stack_dependency(dr_vault, "the copy actions target the DR vault, which must exist first")
        dr_vault_arn = dr_vault.vault_arn if dr_vault is not None else None
        self.plan = backup.CfnBackupPlan(
            self,
            "BackupPlan",
            backup_plan=backup.CfnBackupPlan.BackupPlanResourceTypeProperty(
                backup_plan_name=config.backup.plan_name,
                # No ScheduleExpressionTimezone: AWS Backup then reads the seed's cron expressions in UTC.
                backup_plan_rule=[
                    backup.CfnBackupPlan.BackupRuleResourceTypeProperty(
                        rule_name=rule.name,
                        target_backup_vault=self.vault.backup_vault_name,
                        schedule_expression=rule.schedule,
                        start_window_minutes=rule.start_window_minutes,
                        completion_window_minutes=rule.completion_window_minutes,
                        lifecycle=backup.CfnBackupPlan.LifecycleResourceTypeProperty(
                            delete_after_days=rule.delete_after_days
                        ),
                        recovery_point_tags=dict(rule.recovery_point_tags),
                        copy_actions=(
                            [
                                backup.CfnBackupPlan.CopyActionResourceTypeProperty(
                                    destination_backup_vault_arn=dr_vault_arn,
                                    lifecycle=backup.CfnBackupPlan.LifecycleResourceTypeProperty(
                                        delete_after_days=rule.delete_after_days
                                    ),
                                )
                            ]
                            if dr_vault_arn
                            else None
                        ),
                    )
                    for rule in config.backup.rules
                ],
            ),
        )

        self.selection = backup.CfnBackupSelection(
            self,
            "BackupSelection",
            backup_plan_id=self.plan.attr_backup_plan_id,
            backup_selection=backup.CfnBackupSelection.BackupSelectionResourceTypeProperty(
                selection_name=config.backup.selection_name,
                iam_role_arn=self.role.role_arn,
                # The app tier's EFS file system (efs.enabled) is data too: the same plan, rules and DR copies.
                resources=[
                    database.cluster_arn,
                    static_assets_bucket.bucket_arn,
                    *([file_system.file_system_arn] if file_system is not None else []),
                ],
                # Conditions narrow the listed resources (AND); ListOfTags would have widened them (OR). A plain
                # mapping: the property is typed JSON, so CDK would not PascalCase a ConditionsProperty's keys.
                conditions={
                    "StringEquals": [
                        {
                            "ConditionKey": f"aws:ResourceTag/{SELECTION_TAG_KEY}",
                            "ConditionValue": config.environment_tag,
                        }
                    ]
                },
            ),
        )

        cdk.CfnOutput(self, "BackupVaultName", value=self.vault.backup_vault_name)
        cdk.CfnOutput(self, "BackupPlanId", value=self.plan.attr_backup_plan_id)
        cdk.CfnOutput(self, "BackupRoleArn", value=self.role.role_arn, description="--iam-role-arn for restore jobs")
