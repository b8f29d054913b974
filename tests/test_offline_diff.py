"""scripts/offline_diff.py (`make diff`): stateful replacements fail in red, every other change is listed.

The Aurora fixture is a small real CDK stack (VPC, KMS key, Aurora cluster with writer and reader)
synthesized twice: once as the baseline and once with the cluster's construct id changed, which is
exactly what a careless refactor does to a deployed database.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_rds as rds

from scripts import offline_diff
from scripts.offline_diff import ReplacementSpec, compute, dangers_of, diff_stack
from tests.conftest import ROOT, Synthesized, new_app

STACK = "TechLib-prod-AuroraFixture"
RED = "\033[31m"


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
    """The same cluster after a refactor renamed its construct id: a new logical ID."""
    return _aurora_assembly(tmp_path_factory.mktemp("aurora-renamed"), "AuroraDatabase")


@pytest.fixture(scope="module")
def spec() -> ReplacementSpec:
    return ReplacementSpec.load()


def _template(assembly: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((assembly / f"{STACK}.template.json").read_text())
    return data


def _logical_id(template: dict[str, Any], resource_type: str) -> str:
    (lid,) = [k for k, r in template["Resources"].items() if r["Type"] == resource_type]
    return lid


def _variant(base: Path, tmp_path: Path, mutate: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of an assembly whose template was edited by `mutate`."""
    target = tmp_path / "assembly"
    shutil.copytree(base, target)
    template = _template(target)
    mutate(template)
    (target / f"{STACK}.template.json").write_text(json.dumps(template, indent=1))
    return target


def _baseline_from(assembly: Path, tmp_path: Path) -> Path:
    baseline = tmp_path / "baseline"
    assert (
        offline_diff.main(["--env", "prod", "--assembly", str(assembly), "--baseline-dir", str(baseline), "--update"])
        == 0
    )
    return baseline


def _diff(assembly: Path, baseline: Path, *extra: str) -> int:
    return offline_diff.main(
        ["--env", "prod", "--assembly", str(assembly), "--baseline-dir", str(baseline), "--color", "always", *extra]
    )


def test_unchanged_template_passes(aurora_base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = _baseline_from(aurora_base, tmp_path)
    capsys.readouterr()
    assert _diff(aurora_base, baseline) == 0
    out = capsys.readouterr().out
    assert "no differences" in out
    assert RED not in out


def test_renamed_aurora_cluster_fails_naming_the_resource(
    aurora_base: Path, aurora_renamed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = _baseline_from(aurora_base, tmp_path)
    old_id = _logical_id(_template(aurora_base), "AWS::RDS::DBCluster")
    new_id = _logical_id(_template(aurora_renamed), "AWS::RDS::DBCluster")
    assert old_id != new_id
    capsys.readouterr()

    assert _diff(aurora_renamed, baseline) == 1

    out = capsys.readouterr().out
    danger = f"{STACK}: AWS::RDS::DBCluster {old_id} (the Aurora cluster and its data) would be"
    assert danger in out
    assert f"logical ID changed to {new_id}" in out
    assert f"{RED}  {danger}" in out  # printed in red


def test_renamed_cluster_takes_its_instances_with_it(
    aurora_base: Path, aurora_renamed: Path, spec: ReplacementSpec
) -> None:
    diff = diff_stack(STACK, _template(aurora_base), _template(aurora_renamed), spec)
    dangerous = {(c.resource_type, c.kind) for c in diff.resources if c.dangerous}
    assert ("AWS::RDS::DBCluster", "removed") in dangerous
    assert ("AWS::RDS::DBInstance", "removed") in dangerous


@pytest.mark.parametrize(
    ("prop", "value"),
    [("DBClusterIdentifier", "tech-lib-aurora-2"), ("StorageEncrypted", False), ("DatabaseName", "other")],
)
def test_replacing_property_of_the_cluster_fails(
    aurora_base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], prop: str, value: Any
) -> None:
    baseline = _baseline_from(aurora_base, tmp_path)
    cluster = _logical_id(_template(aurora_base), "AWS::RDS::DBCluster")

    def mutate(template: dict[str, Any]) -> None:
        template["Resources"][cluster]["Properties"][prop] = value

    capsys.readouterr()
    assert _diff(_variant(aurora_base, tmp_path, mutate), baseline) == 1
    out = capsys.readouterr().out
    assert f"AWS::RDS::DBCluster {cluster} (the Aurora cluster and its data) would be REPLACED" in out
    assert f"{prop} (requires replacement)" in out


def test_harmless_change_is_listed_but_passes(
    aurora_base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = _baseline_from(aurora_base, tmp_path)
    cluster = _logical_id(_template(aurora_base), "AWS::RDS::DBCluster")

    def mutate(template: dict[str, Any]) -> None:
        template["Resources"][cluster]["Properties"]["BackupRetentionPeriod"] = 14

    capsys.readouterr()
    assert _diff(_variant(aurora_base, tmp_path, mutate), baseline) == 0
    out = capsys.readouterr().out
    assert f"[~] AWS::RDS::DBCluster {cluster} update STATEFUL" in out
    assert "~ BackupRetentionPeriod" in out
    assert "7 -> 14" in out
    assert "1 to update" in out


def test_replaced_subnet_group_replaces_the_cluster_through_its_ref(aurora_base: Path, spec: ReplacementSpec) -> None:
    old = _template(aurora_base)
    new = copy.deepcopy(old)
    group = _logical_id(new, "AWS::RDS::DBSubnetGroup")
    cluster = _logical_id(new, "AWS::RDS::DBCluster")
    # Renaming the subnet group replaces it; the cluster's `DBSubnetGroupName: {Ref}` looks unchanged.
    new["Resources"][group]["Properties"]["DBSubnetGroupName"] = "renamed-subnets"
    assert new["Resources"][cluster]["Properties"]["DBSubnetGroupName"] == {"Ref": group}

    diffs = compute({STACK: old}, {STACK: new}, spec)

    (danger,) = [c for c in dangers_of(diffs) if c.resource_type == "AWS::RDS::DBCluster"]
    assert danger.logical_id == cluster
    assert f"{group} is replaced" in danger.danger_message()


def test_replacement_follows_cross_stack_outputs(spec: ReplacementSpec) -> None:
    def producer(name: str) -> dict[str, Any]:
        return {
            "Resources": {"Subnets": {"Type": "AWS::RDS::DBSubnetGroup", "Properties": {"DBSubnetGroupName": name}}},
            "Outputs": {"SubnetsRef": {"Value": {"Ref": "Subnets"}}},
        }

    consumer = {
        "Resources": {
            "Cluster": {
                "Type": "AWS::RDS::DBCluster",
                "Properties": {
                    "Engine": "aurora-postgresql",
                    "DBSubnetGroupName": {"Fn::GetStackOutput": {"StackName": "Net", "OutputName": "SubnetsRef"}},
                },
                "DeletionPolicy": "Snapshot",
            }
        }
    }
    diffs = compute({"Net": producer("a"), "Db": consumer}, {"Net": producer("b"), "Db": consumer}, spec)
    assert [(c.stack, c.logical_id) for c in dangers_of(diffs)] == [("Db", "Cluster")]


def test_retained_resource_of_any_type_counts_as_stateful(spec: ReplacementSpec) -> None:
    old = {"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Retain", "Properties": {}}}}
    diffs = compute({"S": old}, {"S": {"Resources": {}}}, spec)
    (danger,) = dangers_of(diffs)
    assert "orphaned (DeletionPolicy Retain" in danger.danger_message()


def test_removed_snapshot_resource_is_deleted_after_a_snapshot(spec: ReplacementSpec) -> None:
    old = {"Resources": {"Db": {"Type": "AWS::RDS::DBCluster", "DeletionPolicy": "Snapshot", "Properties": {}}}}
    (danger,) = dangers_of(compute({"S": old}, {"S": {"Resources": {}}}, spec))
    assert "DELETED after a final snapshot" in danger.danger_message()


def test_replaced_stateless_resource_is_listed_but_passes(spec: ReplacementSpec) -> None:
    def template(name: str) -> dict[str, Any]:
        return {"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupName": name}}}}

    diffs = compute({"S": template("a")}, {"S": template("b")}, spec)
    (change,) = diffs["S"].resources
    assert change.action == "replace"
    assert dangers_of(diffs) == []


def test_removed_stack_deletes_its_stateful_resources(spec: ReplacementSpec) -> None:
    old = {"Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": {}}}}
    diffs = compute({"Gone": old}, {}, spec)
    assert diffs["Gone"].removed_stack
    assert [c.logical_id for c in dangers_of(diffs)] == ["Key"]


def test_accept_lets_a_reviewed_replacement_through(
    aurora_base: Path, aurora_renamed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = _baseline_from(aurora_base, tmp_path)
    renamed = _template(aurora_renamed)
    base = _template(aurora_base)
    accepted = [
        f"--accept={STACK}/{lid}"
        for lid, resource in base["Resources"].items()
        if lid not in renamed["Resources"]
        and (resource["Type"] in offline_diff.STATEFUL_TYPES or resource.get("DeletionPolicy"))
    ]
    capsys.readouterr()
    assert _diff(aurora_renamed, baseline, *accepted) == 0
    assert "accepted with --accept" in capsys.readouterr().out


def test_warn_only_reports_but_exits_zero(
    aurora_base: Path, aurora_renamed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = _baseline_from(aurora_base, tmp_path)
    capsys.readouterr()
    assert _diff(aurora_renamed, baseline, "--warn-only") == 0
    assert "would be replaced or deleted" in capsys.readouterr().out


def test_markdown_summary_names_the_dangerous_resource(aurora_base: Path, aurora_renamed: Path, tmp_path: Path) -> None:
    baseline = _baseline_from(aurora_base, tmp_path)
    summary = tmp_path / "summary.md"
    _diff(aurora_renamed, baseline, "--markdown", str(summary))
    cluster = _logical_id(_template(aurora_base), "AWS::RDS::DBCluster")
    text = summary.read_text()
    assert f"- `{STACK}` `{cluster}` (AWS::RDS::DBCluster)" in text
    assert "\033[" not in text


def test_update_writes_the_baseline_and_drops_removed_stacks(aurora_base: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline"
    (baseline / "prod").mkdir(parents=True)
    (baseline / "prod" / "TechLib-prod-Old.template.json").write_text("{}")
    _baseline_from(aurora_base, tmp_path)
    assert sorted(p.name for p in (baseline / "prod").iterdir()) == [f"{STACK}.template.json", "stacks.json"]
    assert json.loads((baseline / "prod" / "stacks.json").read_text()) == {STACK: "aws://111111111111/ap-northeast-1"}


def test_assembly_of_another_environment_is_refused(
    aurora_base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert offline_diff.main(["--env", "dev", "--assembly", str(aurora_base), "--baseline-dir", str(tmp_path)]) == 2
    assert "not a TechLib-dev-* stack" in capsys.readouterr().err


def test_cdk_cli_agrees_on_what_is_replaced(aurora_base: Path, tmp_path: Path, spec: ReplacementSpec) -> None:
    """The pinned CLI, offline, on the same change: our replacement rules are its rules, cascade included."""
    cluster = _logical_id(_template(aurora_base), "AWS::RDS::DBCluster")

    def mutate(template: dict[str, Any]) -> None:
        template["Resources"][cluster]["Properties"]["DBClusterIdentifier"] = "tech-lib-aurora-2"

    assembly = _variant(aurora_base, tmp_path, mutate)
    result = subprocess.run(
        [
            str(ROOT / "node_modules" / ".bin" / "cdk"),
            "diff",
            "--app",
            str(assembly),
            "-e",
            "--template",
            str(aurora_base / f"{STACK}.template.json"),
            STACK,
            "--no-notices",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CDK_DISABLE_CLI_TELEMETRY": "true", "AWS_EC2_METADATA_DISABLED": "true"},
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert "DBClusterIdentifier (requires replacement)" in output
    cli_replaced = set(re.findall(r"^\[~\] \S+ .* (\S+) replace$", output, flags=re.MULTILINE))

    diffs = compute({STACK: _template(aurora_base)}, {STACK: _template(assembly)}, spec)
    ours = {c.logical_id for c in diffs[STACK].resources if c.replaced}
    assert cluster in ours
    assert ours == cli_replaced


def _rename(template: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    text = json.dumps(template)
    text = text.replace(f'"{old}"', f'"{new}"').replace(f"${{{old}", f"${{{new}").replace(f'"{old}.', f'"{new}.')
    renamed: dict[str, Any] = json.loads(text)
    return renamed


def test_every_stateful_resource_of_the_prod_app_is_guarded(prod: Synthesized, spec: ReplacementSpec) -> None:
    """Renaming the logical ID of any stateful resource in the real prod templates fails the diff."""
    templates = {
        path.name.removesuffix(".template.json"): json.loads(path.read_text()) for path in prod.template_files()
    }
    guarded = 0
    for stack, template in templates.items():
        for lid, resource in template["Resources"].items():
            stateful = resource["Type"] in offline_diff.STATEFUL_TYPES
            if not stateful and resource.get("DeletionPolicy") not in offline_diff.RETAINING_POLICIES:
                continue
            changed = {**templates, stack: _rename(template, lid, f"{lid}Renamed")}
            dangers = {(c.stack, c.logical_id) for c in dangers_of(compute(templates, changed, spec))}
            assert (stack, lid) in dangers, f"renaming {stack}/{lid} ({resource['Type']}) was not flagged"
            guarded += 1
    # At least the ECR repositories, the image key and the OIDC provider of CicdStack.
    assert guarded >= 4


def test_renaming_the_real_aurora_cluster_fails_the_diff(
    prod: Synthesized, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The prod app's own Aurora cluster, with its logical ID changed as a refactor would: `make diff` fails."""
    baseline = _baseline_from(prod.outdir, tmp_path)
    clusters = [
        (path, lid)
        for path in prod.template_files()
        for lid, resource in json.loads(path.read_text())["Resources"].items()
        if resource["Type"] == "AWS::RDS::DBCluster"
    ]
    assert len(clusters) == 1, "the prod app has one Aurora cluster"
    (path, cluster) = clusters[0]
    assembly = tmp_path / "assembly"
    shutil.copytree(prod.outdir, assembly)
    renamed = _rename(json.loads(path.read_text()), cluster, "AuroraCluster0123ABCD")
    (assembly / path.name).write_text(json.dumps(renamed))
    capsys.readouterr()

    assert _diff(assembly, baseline) == 1

    out = capsys.readouterr().out
    stack = path.name.removesuffix(".template.json")
    assert f"{stack}: AWS::RDS::DBCluster {cluster} (the Aurora cluster and its data) would be" in out
