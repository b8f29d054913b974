"""scripts/offline_diff.py (`make diff`) on a minimal Aurora stack, and its baseline handling.

The Aurora fixture is a small real CDK stack (VPC, KMS key, Aurora cluster with writer and reader)
synthesized twice: once as the baseline and once with the cluster's construct id changed, which is
exactly what a careless refactor does to a deployed database.
"""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_rds as rds

from scripts import offline_diff
from tests.conftest import new_app
from tests.release_review_helpers import RED, baseline_from, mutated, one, run_gate

# Every test runs the release review's Node diff engine.
pytestmark = pytest.mark.validators

STACK = "TechLib-prod-AuroraFixture"


def _aurora_assembly(outdir: Path, cluster_id: str) -> Path:
    app = new_app(outdir)
    stack = cdk.Stack(app, STACK, env=cdk.Environment(account="111111111111", region="ap-northeast-1"))
    vpc = ec2.Vpc(
        stack,
        "Vpc",
        nat_gateways=0,
        availability_zones=["ap-northeast-1a", "ap-northeast-1c"],
        subnet_configuration=[ec2.SubnetConfiguration(name="Db", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)],
    )
    key = kms.Key(stack, "DatabaseKey", enable_key_rotation=True)
    rds.DatabaseCluster(
        stack,
        cluster_id,
        engine=rds.DatabaseClusterEngine.aurora_postgres(version=rds.AuroraPostgresEngineVersion.VER_15_10),
        writer=rds.ClusterInstance.provisioned("writer"),
        readers=[rds.ClusterInstance.provisioned("reader")],
        vpc=vpc,
        vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
        storage_encryption_key=key,
        default_database_name="techlib",
        backup=rds.BackupProps(retention=cdk.Duration.days(7)),
        removal_policy=cdk.RemovalPolicy.SNAPSHOT,
    )
    app.synth()
    return outdir


@pytest.fixture(scope="module")
def aurora_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _aurora_assembly(tmp_path_factory.mktemp("aurora-base"), "Database")


@pytest.fixture(scope="module")
def aurora_renamed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _aurora_assembly(tmp_path_factory.mktemp("aurora-renamed"), "AuroraDatabase")


def test_unchanged_template_passes(aurora_base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_gate(aurora_base, baseline_from(aurora_base, tmp_path), capsys)
    assert code == 0
    assert "no resource changes" in out and RED not in out


def test_renamed_cluster_fails_naming_the_resource_and_its_instances(
    aurora_base: Path, aurora_renamed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run_gate(aurora_renamed, baseline_from(aurora_base, tmp_path), capsys)
    assert code == 1
    assert f"{RED}  [stateful] {STACK}: AWS::RDS::DBCluster Database" in out
    assert "logical ID changed to AuroraDatabase" in out
    assert out.count("[stateful]") >= 3  # the cluster and both instances


def test_replacing_property_fails_and_subnet_group_rename_follows_the_ref(
    aurora_base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def rename_group(template: dict) -> None:  # type: ignore[type-arg]
        one(template, "AWS::RDS::DBSubnetGroup")["Properties"]["DBSubnetGroupName"] = "renamed-subnets"

    code, out = run_gate(
        mutated(aurora_base, tmp_path, {"AuroraFixture": rename_group}), baseline_from(aurora_base, tmp_path), capsys
    )
    assert code == 1
    assert "AWS::RDS::DBCluster" in out and "would be REPLACED" in out  # the library's in-stack propagation


def test_harmless_change_is_listed_but_passes(
    aurora_base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def longer(template: dict) -> None:  # type: ignore[type-arg]
        one(template, "AWS::RDS::DBCluster")["Properties"]["BackupRetentionPeriod"] = 14

    code, out = run_gate(
        mutated(aurora_base, tmp_path, {"AuroraFixture": longer}), baseline_from(aurora_base, tmp_path), capsys
    )
    assert code == 0
    assert "BackupRetentionPeriod" in out and "1 to update" in out


def test_warn_only_and_markdown(
    aurora_base: Path, aurora_renamed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = tmp_path / "summary.md"
    code, out = run_gate(
        aurora_renamed, baseline_from(aurora_base, tmp_path), capsys, "--warn-only", "--markdown", str(summary)
    )
    assert code == 0 and "danger(s)" in out
    text = summary.read_text()
    assert f"`{STACK}/Database" in text and "\033[" not in text


def test_update_writes_the_baseline_and_drops_removed_stacks(aurora_base: Path, tmp_path: Path) -> None:
    (tmp_path / "baseline" / "prod").mkdir(parents=True)
    (tmp_path / "baseline" / "prod" / "TechLib-prod-Old.template.json").write_text("{}")
    baseline = baseline_from(aurora_base, tmp_path)
    assert sorted(p.name for p in (baseline / "prod").iterdir()) == [f"{STACK}.template.json", "stacks.json"]
    index = json.loads((baseline / "prod" / "stacks.json").read_text())
    assert index == {STACK: {"environment": "aws://111111111111/ap-northeast-1", "terminationProtection": False}}


def test_assembly_of_another_environment_is_refused(
    aurora_base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert offline_diff.main(["--env", "dev", "--assembly", str(aurora_base), "--baseline-dir", str(tmp_path)]) == 2
    assert "not a TechLib-dev-* stack" in capsys.readouterr().err
