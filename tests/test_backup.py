"""The seed's backup strategy and the disaster-recovery copy, asserted on the BackupStack and BackupDrStack templates."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template

from config import AppConfig, load_config
from stacks.backup import BackupDrStack, BackupStack
from stacks.base import TechLibStack
from tests.conftest import Synthesized, new_app

ACCOUNT = "111111111111"
DR_VAULT_ARN = f"arn:aws:backup:ap-northeast-3:{ACCOUNT}:backup-vault:tech-lib-backup-vault-dr"
BREAK_GLASS_ARN = f"arn:aws:iam::{ACCOUNT}:role/tech-lib-backup-break-glass"
SEED_RULES = [
    # name, schedule, start window, completion window, delete after days, BackupType tag
    ("DailyBackup", "cron(0 3 * * ? *)", 60, 120, 30, "Daily"),
    ("WeeklyBackup", "cron(0 4 ? * SUN *)", 60, 180, 90, "Weekly"),
    ("MonthlyBackup", "cron(0 5 1 * ? *)", 60, 240, 365, "Monthly"),
]
SERVICE_ROLE_POLICIES = [
    "service-role/AWSBackupServiceRolePolicyForBackup",
    "service-role/AWSBackupServiceRolePolicyForRestores",
    "AWSBackupServiceRolePolicyForS3Backup",
    "AWSBackupServiceRolePolicyForS3Restore",
]


@dataclass
class BackupBuild:
    """The backup stacks of one environment and the stacks owning the cluster and the bucket they select."""

    backup: BackupStack
    dr: BackupDrStack | None
    cluster: rds.DatabaseCluster
    bucket: s3.Bucket
    template: Callable[[cdk.Stack], Template]

    def stack_named(self, name: str) -> cdk.Stack:
        for stack in (cdk.Stack.of(self.cluster), cdk.Stack.of(self.bucket)):
            if stack.stack_name == name:
                return stack
        raise AssertionError(f"{name} is neither the cluster's nor the bucket's stack")

    def logical_id(self, construct: rds.DatabaseCluster | s3.Bucket) -> str:
        resource = construct.node.default_child
        assert isinstance(resource, cdk.CfnElement)
        return cdk.Stack.of(construct).get_logical_id(resource)


def from_app(synth: Synthesized) -> BackupBuild:
    """The backup stacks as app.py wires them: the DatabaseStack's cluster and the CdnStack's bucket."""
    built = synth.built
    return BackupBuild(
        backup=built.backup,
        dr=built.backup_dr,
        cluster=built.database.cluster,
        bucket=built.cdn.static_assets_bucket,
        template=synth.template,
    )


def build_with_stand_ins(config: AppConfig) -> BackupBuild:
    """Only the backup stacks, wired to a small cluster and bucket: configuration variants without a full synth."""
    app = new_app()
    data = TechLibStack(app, config.stack_name("DataStandIn"), config=config, description="stand-in data tier")
    vpc = ec2.Vpc(
        data,
        "Vpc",
        nat_gateways=0,
        subnet_configuration=[ec2.SubnetConfiguration(name="db", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)],
    )
    cluster = rds.DatabaseCluster(
        data,
        "Cluster",
        engine=rds.DatabaseClusterEngine.aurora_postgres(version=rds.AuroraPostgresEngineVersion.VER_15_10),
        writer=rds.ClusterInstance.provisioned("Writer"),
        vpc=vpc,
        vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
    )
    bucket = s3.Bucket(data, "StaticAssets", versioned=True)
    dr = BackupDrStack(app, config.stack_name("BackupDr"), config=config) if config.backup.dr_region else None
    backup = BackupStack(
        app, config.stack_name("Backup"), config=config, database=cluster, static_assets_bucket=bucket, dr_vault=dr
    )
    assembly = app.synth()

    def template(stack: cdk.Stack) -> Template:
        # From the one synthesis above: Template.from_stack would synthesize the app again per call.
        return Template.from_json(assembly.get_stack_artifact(stack.artifact_id).template)

    return BackupBuild(backup=backup, dr=dr, cluster=cluster, bucket=bucket, template=template)


@pytest.fixture(scope="module")
def prod_build(prod: Synthesized) -> BackupBuild:
    return from_app(prod)


@pytest.fixture(scope="module")
def backup_template(prod_build: BackupBuild) -> Template:
    return prod_build.template(prod_build.backup)


@pytest.fixture(scope="module")
def dr_template(prod_build: BackupBuild) -> Template:
    assert prod_build.dr is not None
    return prod_build.template(prod_build.dr)


def only(template: Template, resource_type: str) -> dict[str, Any]:
    resources = template.find_resources(resource_type)
    assert len(resources) == 1, f"expected one {resource_type}, found {sorted(resources)}"
    resource: dict[str, Any] = next(iter(resources.values()))
    return resource


def plan_rules(template: Template) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = only(template, "AWS::Backup::BackupPlan")["Properties"]["BackupPlan"][
        "BackupPlanRule"
    ]
    return rules


def access_statements(template: Template) -> dict[str, dict[str, Any]]:
    policy = only(template, "AWS::Backup::BackupVault")["Properties"]["AccessPolicy"]
    return {statement["Sid"]: statement for statement in policy["Statement"]}


def logical_id(template: Template, resource_type: str) -> str:
    resources = template.find_resources(resource_type)
    assert len(resources) == 1
    return next(iter(resources))


def producer_value(build: BackupBuild, value: Any) -> Any:
    """What a cross-stack reference (Fn::GetStackOutput) stands for in the stack that produces it."""
    if isinstance(value, dict) and "Fn::GetStackOutput" in value:
        ref = value["Fn::GetStackOutput"]
        producer = build.stack_named(ref["StackName"])
        assert ref["Region"] == producer.region
        return build.template(producer).to_json()["Outputs"][ref["OutputName"]]["Value"]
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return {"Fn::Join": [separator, [producer_value(build, part) for part in parts]]}
    return value


# --- vault and key -------------------------------------------------------------------------------------------------


def test_vault_has_the_seed_name_and_its_own_kms_key(backup_template: Template) -> None:
    key_id = logical_id(backup_template, "AWS::KMS::Key")
    backup_template.has_resource_properties(
        "AWS::Backup::BackupVault",
        {"BackupVaultName": "tech-lib-backup-vault", "EncryptionKeyArn": {"Fn::GetAtt": [key_id, "Arn"]}},
    )


@pytest.mark.parametrize("which", ["primary", "dr"])
def test_vault_keys_rotate(which: str, backup_template: Template, dr_template: Template) -> None:
    template = backup_template if which == "primary" else dr_template
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})
    template.has_resource_properties("AWS::KMS::Alias", {"AliasName": Match.string_like_regexp("^alias/tech-lib-")})


@pytest.mark.parametrize("which", ["primary", "dr"])
def test_vaults_and_keys_are_retained(which: str, backup_template: Template, dr_template: Template) -> None:
    template = backup_template if which == "primary" else dr_template
    for resource_type in ("AWS::KMS::Key", "AWS::Backup::BackupVault"):
        resource = only(template, resource_type)
        assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == ("Retain", "Retain"), resource_type


def test_backup_stacks_are_termination_protected_in_prod(prod_build: BackupBuild) -> None:
    assert prod_build.dr is not None
    assert prod_build.backup.termination_protection is True
    assert prod_build.dr.termination_protection is True


# --- vault access policy -----------------------------------------------------------------------------------------


def test_access_policy_denies_vault_deletion_to_everyone_as_the_seed_does(backup_template: Template) -> None:
    assert access_statements(backup_template)["DenyVaultDeletion"] == {
        "Sid": "DenyVaultDeletion",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "backup:DeleteBackupVault",
        "Resource": "*",
    }


def test_only_the_break_glass_role_may_delete_recovery_points_or_shorten_their_lifecycle(
    backup_template: Template,
) -> None:
    statement = access_statements(backup_template)["DenyRecoveryPointDeletion"]
    assert statement["Effect"] == "Deny"
    assert statement["Principal"] == "*"
    assert statement["Resource"] == "*"
    assert statement["Action"] == ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"]
    assert statement["Condition"] == {"ArnNotEquals": {"aws:PrincipalArn": [BREAK_GLASS_ARN]}}


def test_only_break_glass_and_cloudformation_may_change_the_access_policy_or_remove_the_lock(
    backup_template: Template,
) -> None:
    statement = access_statements(backup_template)["DenyProtectionChanges"]
    assert statement["Effect"] == "Deny"
    assert statement["Principal"] == "*"
    assert statement["Action"] == [
        "backup:PutBackupVaultAccessPolicy",
        "backup:DeleteBackupVaultAccessPolicy",
        "backup:DeleteBackupVaultLockConfiguration",
    ]
    assert statement["Condition"] == {
        "ArnNotEquals": {
            "aws:PrincipalArn": [
                BREAK_GLASS_ARN,
                f"arn:aws:iam::{ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-{ACCOUNT}-ap-northeast-1",
            ]
        }
    }


def test_dr_vault_has_the_same_protection(backup_template: Template, dr_template: Template) -> None:
    primary, dr = access_statements(backup_template), access_statements(dr_template)
    assert dr["DenyVaultDeletion"] == primary["DenyVaultDeletion"]
    assert dr["DenyRecoveryPointDeletion"] == primary["DenyRecoveryPointDeletion"]
    # CloudFormation runs with the bootstrap role of the region it deploys into.
    assert dr["DenyProtectionChanges"]["Condition"]["ArnNotEquals"]["aws:PrincipalArn"][1] == (
        f"arn:aws:iam::{ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-{ACCOUNT}-ap-northeast-3"
    )


def test_without_a_break_glass_role_nobody_may_delete_recovery_points() -> None:
    config = load_config("prod", overrides={"backup": {"break_glass_role_name": None, "dr_region": None}}, environ={})
    build = build_with_stand_ins(config)
    statements = access_statements(build.template(build.backup))
    assert "Condition" not in statements["DenyRecoveryPointDeletion"]
    assert statements["DenyProtectionChanges"]["Condition"]["ArnNotEquals"]["aws:PrincipalArn"] == [
        f"arn:aws:iam::{ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-{ACCOUNT}-ap-northeast-1"
    ]


# --- vault lock --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["primary", "dr"])
def test_vaults_are_locked_in_governance_mode(which: str, backup_template: Template, dr_template: Template) -> None:
    template = backup_template if which == "primary" else dr_template
    lock = only(template, "AWS::Backup::BackupVault")["Properties"]["LockConfiguration"]
    # No ChangeableForDays: governance mode, never the irreversible compliance mode.
    assert lock == {"MinRetentionDays": 1, "MaxRetentionDays": 400}


def test_vault_lock_can_be_switched_off() -> None:
    config = load_config("prod", overrides={"backup": {"vault_lock_enabled": False}}, environ={})
    build = build_with_stand_ins(config)
    assert build.dr is not None
    for stack in (build.backup, build.dr):
        vault = only(build.template(stack), "AWS::Backup::BackupVault")
        assert "LockConfiguration" not in vault["Properties"], stack.stack_name


# --- role --------------------------------------------------------------------------------------------------------


def test_role_is_assumed_by_aws_backup_only(backup_template: Template) -> None:
    role = only(backup_template, "AWS::IAM::Role")["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "backup.amazonaws.com"}}
    ]


def test_role_has_the_seeds_backup_and_restore_policies_plus_the_s3_pair(
    prod_build: BackupBuild, backup_template: Template
) -> None:
    arns = only(backup_template, "AWS::IAM::Role")["Properties"]["ManagedPolicyArns"]
    expected = [
        {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, f":iam::aws:policy/{name}"]]}
        for name in SERVICE_ROLE_POLICIES
    ]
    assert arns == expected
    backup_template.resource_count_is("AWS::IAM::Policy", 0)


# --- plan --------------------------------------------------------------------------------------------------------


def test_plan_name(backup_template: Template) -> None:
    backup_template.has_resource_properties(
        "AWS::Backup::BackupPlan", {"BackupPlan": {"BackupPlanName": "tech-lib-backup-plan"}}
    )


def test_plan_has_exactly_the_seeds_three_rules_in_order(backup_template: Template) -> None:
    assert [rule["RuleName"] for rule in plan_rules(backup_template)] == [r[0] for r in SEED_RULES]


@pytest.mark.parametrize("seed_rule", SEED_RULES, ids=[r[0] for r in SEED_RULES])
def test_rule_schedule_windows_lifecycle_and_tags(
    backup_template: Template, seed_rule: tuple[str, str, int, int, int, str]
) -> None:
    name, schedule, start, completion, days, backup_type = seed_rule
    rule = next(r for r in plan_rules(backup_template) if r["RuleName"] == name)
    assert rule["ScheduleExpression"] == schedule
    assert rule["StartWindowMinutes"] == start
    assert rule["CompletionWindowMinutes"] == completion
    assert rule["Lifecycle"] == {"DeleteAfterDays": days}
    assert rule["RecoveryPointTags"] == {"BackupType": backup_type}


def test_schedules_are_read_in_utc(backup_template: Template) -> None:
    # The seed sets no timezone; AWS Backup then evaluates cron expressions in UTC.
    assert all("ScheduleExpressionTimezone" not in rule for rule in plan_rules(backup_template))


def test_every_rule_targets_the_vault(backup_template: Template) -> None:
    vault_id = logical_id(backup_template, "AWS::Backup::BackupVault")
    assert {json.dumps(rule["TargetBackupVault"]) for rule in plan_rules(backup_template)} == {
        json.dumps({"Fn::GetAtt": [vault_id, "BackupVaultName"]})
    }


# --- disaster recovery copies ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "days"), [(r[0], r[4]) for r in SEED_RULES])
def test_rule_copies_to_the_dr_vault_with_the_same_retention(backup_template: Template, name: str, days: int) -> None:
    rule = next(r for r in plan_rules(backup_template) if r["RuleName"] == name)
    assert rule["CopyActions"] == [{"DestinationBackupVaultArn": DR_VAULT_ARN, "Lifecycle": {"DeleteAfterDays": days}}]


def test_copy_target_is_the_vault_the_dr_stack_creates(prod_build: BackupBuild, dr_template: Template) -> None:
    assert prod_build.dr is not None
    assert prod_build.dr.region == "ap-northeast-3"
    assert prod_build.dr.account == ACCOUNT
    dr_template.has_resource_properties("AWS::Backup::BackupVault", {"BackupVaultName": "tech-lib-backup-vault-dr"})
    assert DR_VAULT_ARN.rsplit(":", 1)[1] == "tech-lib-backup-vault-dr"


def test_dr_vault_has_its_own_kms_key(dr_template: Template) -> None:
    key_id = logical_id(dr_template, "AWS::KMS::Key")
    dr_template.has_resource_properties(
        "AWS::Backup::BackupVault", {"EncryptionKeyArn": {"Fn::GetAtt": [key_id, "Arn"]}}
    )


def test_backup_stack_deploys_after_the_dr_vault(prod_build: BackupBuild) -> None:
    assert prod_build.dr in prod_build.backup.dependencies


def test_dr_stack_holds_only_the_vault_and_its_key(dr_template: Template) -> None:
    types = sorted({r["Type"] for r in dr_template.to_json()["Resources"].values()})
    assert types == ["AWS::Backup::BackupVault", "AWS::KMS::Alias", "AWS::KMS::Key"]


def test_backup_stack_requires_the_dr_vault_when_a_dr_region_is_configured(prod_build: BackupBuild) -> None:
    config = load_config("prod", environ={})
    with pytest.raises(ValueError, match=r"dr_vault exactly when backup\.dr_region is set"):
        BackupStack(
            new_app(),
            "NoDrVault",
            config=config,
            database=prod_build.cluster,
            static_assets_bucket=prod_build.bucket,
        )


def test_dr_stack_needs_a_dr_region() -> None:
    with pytest.raises(ValueError, match=r"needs backup\.dr_region"):
        BackupDrStack(new_app(), "Dr", config=load_config("dev", environ={}))


# --- selection ---------------------------------------------------------------------------------------------------


def test_selection_name_plan_and_role(backup_template: Template) -> None:
    selection = only(backup_template, "AWS::Backup::BackupSelection")["Properties"]
    assert selection["BackupPlanId"] == {
        "Fn::GetAtt": [logical_id(backup_template, "AWS::Backup::BackupPlan"), "BackupPlanId"]
    }
    assert selection["BackupSelection"]["SelectionName"] == "tech-lib-resources"
    assert selection["BackupSelection"]["IamRoleArn"] == {
        "Fn::GetAtt": [logical_id(backup_template, "AWS::IAM::Role"), "Arn"]
    }


def test_selection_covers_the_aurora_cluster_arn_and_the_static_assets_bucket_arn(
    prod_build: BackupBuild, backup_template: Template
) -> None:
    resources = only(backup_template, "AWS::Backup::BackupSelection")["Properties"]["BackupSelection"]["Resources"]
    assert [producer_value(prod_build, r) for r in resources] == [
        {
            "Fn::Join": [
                "",
                [f"arn:aws:rds:ap-northeast-1:{ACCOUNT}:cluster:", {"Ref": prod_build.logical_id(prod_build.cluster)}],
            ]
        },
        {"Fn::GetAtt": [prod_build.logical_id(prod_build.bucket), "Arn"]},
    ]


def test_selected_resources_are_the_database_and_cdn_stacks(prod: Synthesized, prod_build: BackupBuild) -> None:
    assert cdk.Stack.of(prod_build.cluster) is prod.built.database
    assert cdk.Stack.of(prod_build.bucket) is prod.built.cdn


def test_selected_bucket_is_versioned_as_s3_backups_require(prod_build: BackupBuild) -> None:
    bucket = prod_build.template(cdk.Stack.of(prod_build.bucket)).to_json()["Resources"][
        prod_build.logical_id(prod_build.bucket)
    ]
    assert bucket["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}


def test_selection_condition_is_the_seeds_environment_tag(backup_template: Template) -> None:
    selection = only(backup_template, "AWS::Backup::BackupSelection")["Properties"]["BackupSelection"]
    assert selection["Conditions"] == {
        "StringEquals": [{"ConditionKey": "aws:ResourceTag/Environment", "ConditionValue": "production"}]
    }
    # ListOfTags would OR with the resources and pull in anything else tagged production.
    assert "ListOfTags" not in selection


@pytest.mark.parametrize("which", ["cluster", "bucket"])
def test_selected_resources_carry_the_environment_tag_the_condition_needs(prod_build: BackupBuild, which: str) -> None:
    construct = prod_build.cluster if which == "cluster" else prod_build.bucket
    resource = prod_build.template(cdk.Stack.of(construct)).to_json()["Resources"][prod_build.logical_id(construct)]
    assert {"Key": "Environment", "Value": "production"} in resource["Properties"]["Tags"]


def test_outputs_name_what_the_restore_runbook_reads(backup_template: Template) -> None:
    outputs = backup_template.to_json()["Outputs"]
    assert outputs["BackupRoleArn"]["Value"] == {"Fn::GetAtt": [logical_id(backup_template, "AWS::IAM::Role"), "Arn"]}
    assert outputs["BackupVaultName"]["Value"] == {
        "Fn::GetAtt": [logical_id(backup_template, "AWS::Backup::BackupVault"), "BackupVaultName"]
    }


# --- dev ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dev_build(dev: Synthesized) -> BackupBuild:
    return from_app(dev)


def test_dev_has_no_dr_stack(dev: Synthesized, dev_build: BackupBuild) -> None:
    assert dev_build.dr is None
    assert not any(isinstance(stack, BackupDrStack) for stack in dev.built.stacks)
    assert not any(a.id.endswith("BackupDr") for a in dev.assembly.stacks)


def test_dev_backs_up_daily_for_a_week_without_copies(dev_build: BackupBuild) -> None:
    rules = plan_rules(dev_build.template(dev_build.backup))
    assert [(r["RuleName"], r["Lifecycle"]) for r in rules] == [("DailyBackup", {"DeleteAfterDays": 7})]
    assert "CopyActions" not in rules[0]


def test_dev_vault_is_not_locked_and_selects_development_resources(dev_build: BackupBuild) -> None:
    template = dev_build.template(dev_build.backup)
    template.has_resource_properties(
        "AWS::Backup::BackupVault",
        {"BackupVaultName": "tech-lib-dev-backup-vault", "LockConfiguration": Match.absent()},
    )
    template.has_resource_properties(
        "AWS::Backup::BackupSelection",
        {
            "BackupSelection": Match.object_like(
                {
                    "Conditions": {
                        "StringEquals": [
                            {"ConditionKey": "aws:ResourceTag/Environment", "ConditionValue": "development"}
                        ]
                    }
                }
            )
        },
    )
