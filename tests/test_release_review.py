"""The release review (`make diff`) on the real prod app: every danger class is a red line and exit 1.

Each test mutates the JSON templates of the session's prod synth the way the corresponding code or
configuration change would, runs the gate against a baseline made from the unchanged synth, and
asserts the red line and the exit code.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Synthesized
from tests.release_review_helpers import RED, Template, baseline_from, edit_manifest, mutated, one, resources, run_gate


@pytest.fixture(scope="module")
def baseline(prod: Synthesized, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return baseline_from(prod.outdir, tmp_path_factory.mktemp("review-baseline"))


def _gate(
    prod: Synthesized,
    baseline: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    edits: dict[str, Callable[[Template], None]],
    *extra: str,
) -> tuple[int, str]:
    return run_gate(mutated(prod.outdir, tmp_path, edits), baseline, capsys, *extra)


def _red(out: str, category: str, *fragments: str) -> None:
    lines = [line for line in out.splitlines() if line.startswith(f"{RED}  [{category}]")]
    assert lines, f"no red [{category}] line in:\n{out[-3000:]}"
    assert any(all(f in line for f in fragments) for line in lines), lines


def test_unchanged_tree_passes_with_no_resource_changes(
    prod: Synthesized, baseline: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run_gate(prod.outdir, baseline, capsys)
    assert code == 0
    assert "12 stack(s) against" in out and "no resource changes" in out
    assert RED not in out


# ------------------------------------------------------------------------------------ credentials


def _master_user(template: Template) -> None:
    generate = one(template, "AWS::SecretsManager::Secret")["Properties"]["GenerateSecretString"]
    generate["SecretStringTemplate"] = generate["SecretStringTemplate"].replace('"techlib_admin"', '"techlib_owner"')


def test_master_user_name_change_regenerates_the_attached_secret(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Database": _master_user})
    assert code == 1
    _red(out, "credentials", "regenerates its value", "AWS::RDS::DBCluster")


def test_redis_auth_token_regeneration_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def longer_token(template: Template) -> None:
        one(template, "AWS::SecretsManager::Secret")["Properties"]["GenerateSecretString"]["PasswordLength"] = 100

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Cache": longer_token})
    assert code == 1
    _red(out, "credentials", "AWS::ElastiCache::ReplicationGroup")


# ---------------------------------------------------------------------------------------- network


def _subnet_cidr(cidr: str, new: str) -> Callable[[Template], None]:
    def edit(template: Template) -> None:
        one(template, "AWS::EC2::Subnet", lambda r: r["Properties"]["CidrBlock"] == cidr)["Properties"]["CidrBlock"] = (
            new
        )

    return edit


@pytest.mark.parametrize(("cidr", "store"), [("10.0.30.0/24", "ReplicationGroup"), ("10.0.21.0/24", "Cluster")])
def test_replacing_a_subnet_a_data_store_lives_in_fails(
    *, prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], cidr: str, store: str
) -> None:
    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Network": _subnet_cidr(cidr, "10.0.99.0/24")})
    assert code == 1
    _red(out, "network", "AWS::EC2::Subnet", "would be REPLACED while", store)
    # The consumer's subnet group sees the new subnet ID through the cross-stack output.
    assert "(changes: TechLib-prod-Network replaces or changes it)" in out


def test_replacing_the_database_security_group_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def describe(template: Template) -> None:
        group = one(template, "AWS::EC2::SecurityGroup", lambda r: "RDS" in r["Properties"]["GroupDescription"])
        group["Properties"]["GroupDescription"] = "database"

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Network": describe})
    assert code == 1
    _red(out, "network", "AWS::EC2::SecurityGroup", "TechLib-prod-Database/Cluster")


def test_replacing_the_cache_subnet_group_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def rename(template: Template) -> None:
        one(template, "AWS::ElastiCache::SubnetGroup")["Properties"]["CacheSubnetGroupName"] = "renamed"

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Cache": rename})
    assert code == 1
    _red(out, "network", "AWS::ElastiCache::SubnetGroup")


# -------------------------------------------------------------------------------------------- KMS


def test_replaced_data_key_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def new_id(template: Template) -> None:
        ((lid, _),) = resources(template, "AWS::KMS::Key")
        text = json.dumps(template).replace(f'"{lid}"', '"DatabaseKeyV2"')
        template.clear()
        template.update(json.loads(text))

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Database": new_id})
    assert code == 1
    # The app's keys are retained: the old key is orphaned, still a red line naming what it encrypts.
    _red(out, "kms", "would be", "it encrypts")


def test_removed_data_key_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def drop_key(template: Template) -> None:
        ((lid, _),) = resources(template, "AWS::KMS::Key")
        del template["Resources"][lid]
        for alias_id, _ in resources(template, "AWS::KMS::Alias"):
            del template["Resources"][alias_id]

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-BackupDr": drop_key})
    assert code == 1
    _red(out, "kms", "TechLib-prod-BackupDr/BackupVault")


# ------------------------------------------------------------------------------------- protection


def test_weakened_removal_policy_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def delete_policy(template: Template) -> None:
        cluster = one(template, "AWS::RDS::DBCluster")
        cluster["DeletionPolicy"] = cluster["UpdateReplacePolicy"] = "Delete"

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Database": delete_policy})
    assert code == 1
    _red(out, "protection", "DeletionPolicy from Snapshot to Delete")


def test_deletion_protection_off_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def unprotect(template: Template) -> None:
        one(template, "AWS::RDS::DBCluster")["Properties"]["DeletionProtection"] = False

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Database": unprotect})
    assert code == 1
    _red(out, "protection", "turns DeletionProtection off")


def test_termination_protection_off_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assembly = mutated(prod.outdir, tmp_path, {})
    manifest = json.loads((assembly / "manifest.json").read_text())
    manifest["artifacts"]["TechLib-prod-Database"]["properties"]["terminationProtection"] = False
    (assembly / "manifest.json").write_text(json.dumps(manifest))
    code, out = run_gate(assembly, baseline, capsys)
    assert code == 1
    _red(out, "protection", "TechLib-prod-Database: stack termination protection turned off")


# -------------------------------------------------------------------------------------- retention


def _set(resource_type: str, path: list[Any], value: Any) -> Callable[[Template], None]:
    def edit(template: Template) -> None:
        target = one(template, resource_type)["Properties"]
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return edit


@pytest.mark.parametrize(
    ("suffix", "edit", "fragment"),
    [
        ("-Database", _set("AWS::RDS::DBCluster", ["BackupRetentionPeriod"], 1), "BackupRetentionPeriod: 7 → 1"),
        ("-Cache", _set("AWS::ElastiCache::ReplicationGroup", ["SnapshotRetentionLimit"], 1), "SnapshotRetentionLimit"),
        (
            "-Backup",
            _set("AWS::Backup::BackupPlan", ["BackupPlan", "BackupPlanRule", 0, "Lifecycle", "DeleteAfterDays"], 7),
            "DeleteAfterDays: 30 → 7",
        ),
    ],
)
def test_shortened_backup_retention_fails(
    *,
    prod: Synthesized,
    baseline: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    suffix: str,
    edit: Callable[[Template], None],
    fragment: str,
) -> None:
    code, out = _gate(prod, baseline, tmp_path, capsys, {suffix: edit})
    assert code == 1
    _red(out, "retention", "shortens")
    assert fragment in out


def test_removed_vault_lock_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def unlock(template: Template) -> None:
        vault = one(template, "AWS::Backup::BackupVault")["Properties"]
        assert "LockConfiguration" in vault
        del vault["LockConfiguration"]

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Backup": unlock})
    assert code == 1
    _red(out, "retention")
    assert "the vault lock is removed" in out


# ------------------------------------------------------------------------------------------ audit


def test_deleted_flow_log_group_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def drop(template: Template) -> None:
        for lid, _ in resources(template, "AWS::Logs::LogGroup") + resources(template, "AWS::EC2::FlowLog"):
            del template["Resources"][lid]

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Network": drop})
    assert code == 1
    _red(out, "audit", "AWS::Logs::LogGroup")


def test_eks_audit_log_switched_off_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_audit(template: Template) -> None:
        logging = one(template, "AWS::EKS::Cluster")["Properties"]["Logging"]["ClusterLogging"]
        logging["EnabledTypes"] = [t for t in logging["EnabledTypes"] if t["Type"] != "audit"]

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Eks": no_audit})
    assert code == 1
    _red(out, "audit", "stops writing audit logs")


# --------------------------------------------------------------------------------------- security


def _deploy_role_reads_db_secret(template: Template) -> None:
    (policy,) = [r for lid, r in resources(template, "AWS::IAM::Policy") if "Deploy" in lid]
    policy["Properties"]["PolicyDocument"]["Statement"].append(
        {
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": "arn:aws:secretsmanager:*:*:secret:tech-lib/db-*",
        }
    )


def test_iam_widening_fails_for_prod_and_is_printed(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Cicd": _deploy_role_reads_db_secret})
    assert code == 1
    assert "IAM Statement Changes" in out  # the library's table, as `cdk diff` prints it
    _red(out, "security", "broadens access")
    assert "+ IAM Allow secretsmanager:GetSecretValue" in out


def test_a_managed_policy_attached_to_a_role_is_broadening_and_names_the_role(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    attached: list[str] = []

    def attach(template: Template) -> None:
        lid, role = next((lid, r) for lid, r in resources(template, "AWS::IAM::Role") if "Deploy" in lid)
        role["Properties"].setdefault("ManagedPolicyArns", []).append(admin)
        attached.append(lid)

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Cicd": attach})
    assert code == 1
    _red(out, "security", "broadens access")
    # The library wraps each attachment ({"type": "parsed", "value": ...}): the line must read through it.
    assert f"+ managed policy {admin} attached to ${{{attached[0]}}}" in out


def test_iam_widening_passes_when_accepted_or_only_warned(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assembly = mutated(prod.outdir, tmp_path, {"-Cicd": _deploy_role_reads_db_secret})
    code, out = run_gate(assembly, baseline, capsys, "--broadening", "warn")
    assert code == 0 and "warning [security]" in out
    key = next(
        line.split("--accept ")[1].rstrip(")\033[0m")
        for line in run_gate(assembly, baseline, capsys)[1].splitlines()
        if "--accept TechLib" in line
    )
    code, out = run_gate(assembly, baseline, capsys, "--accept", key)
    assert code == 0 and f"accepted with --accept {key}" in out


def test_narrowed_statement_passes(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def narrow(template: Template) -> None:
        (policy,) = [r for lid, r in resources(template, "AWS::IAM::Policy") if "Deploy" in lid]
        statement = policy["Properties"]["PolicyDocument"]["Statement"][0]
        statement["Resource"] = (
            statement["Resource"][:1] if isinstance(statement["Resource"], list) else statement["Resource"]
        )

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Cicd": narrow})
    assert "[security]" not in out
    assert code == 0


@pytest.mark.parametrize("cidr", ["10.0.0.0/8", "0.0.0.0/0"])
def test_wider_security_group_ingress_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], cidr: str
) -> None:
    def open_node_port(template: Template) -> None:
        (node_group,) = [lid for lid, r in resources(template, "AWS::EC2::SecurityGroup") if "EksNode" in lid]
        template["Resources"]["NodePortIngress"] = {
            "Type": "AWS::EC2::SecurityGroupIngress",
            "Properties": {
                "GroupId": {"Fn::GetAtt": [node_group, "GroupId"]},
                "IpProtocol": "tcp",
                "FromPort": 30080,
                "ToPort": 30080,
                "CidrIp": cidr,
            },
        }

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Network": open_node_port})
    assert code == 1
    _red(out, "security", "NodePortIngress")
    assert f"ingress tcp 30080 from {cidr}" in out
    assert ("PUBLIC" in out) == (cidr == "0.0.0.0/0")


def test_public_bucket_policy_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def public(template: Template) -> None:
        (_, policy), *_ = resources(template, "AWS::S3::BucketPolicy")
        policy["Properties"]["PolicyDocument"]["Statement"].append(
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "*"}
        )

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Cdn": public})
    assert code == 1
    _red(out, "security", "AWS::S3::BucketPolicy")
    assert "PUBLIC (any principal)" in out


# ------------------------------------------------------------------------------------- stateful


def test_renamed_aurora_cluster_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    renamed = "AuroraClusterMovedInTheConstructTree"

    def rename(template: Template) -> None:
        ((lid, _),) = resources(template, "AWS::RDS::DBCluster")
        text = json.dumps(template).replace(f'"{lid}"', f'"{renamed}"')
        template.clear()
        template.update(json.loads(text))

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Database": rename})
    assert code == 1
    _red(out, "stateful", "AWS::RDS::DBCluster", f"logical ID changed to {renamed}")


# ------------------------------------------------------------------------------------- Kubernetes


def test_release_image_tag_is_shown_per_object_and_passes(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tag = prod.config.workloads.backend_image.tag

    def release(template: Template) -> None:
        edit_manifest(template, "backend", f"techlib/backend:{tag}", "techlib/backend:3f2a9c1")

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Workloads": release})
    assert code == 0
    assert f"~ apps/v1 Deployment tech-lib/backend: spec.template.spec.containers[backend].image {tag} → 3f2a9c1" in out


def test_changed_deployment_selector_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def selector(template: Template) -> None:
        edit_manifest(
            template,
            "frontend",
            '"selector":{"matchLabels":{"app":"frontend"}}',
            '"selector":{"matchLabels":{"app":"frontend","v":"2"}}',
        )

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Workloads": selector})
    assert code == 1
    _red(out, "kubernetes", "Deployment tech-lib/frontend: spec.selector changes")


def test_deleted_namespace_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def drop(template: Template) -> None:
        for lid, resource in resources(template, "Custom::AWSCDK-EKS-KubernetesResource"):
            if '"kind":"Namespace"' in str(resource["Properties"]["Manifest"]):
                del template["Resources"][lid]

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Eks": drop})
    assert code == 1
    _red(out, "kubernetes", "Namespace", "would be DELETED")


def test_service_port_change_behind_the_ingress_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def port(template: Template) -> None:
        edit_manifest(
            template, "frontend-service", '"ports":[{"name":"http","port":80,', '"ports":[{"name":"http","port":8081,'
        )

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Workloads": port})
    assert code == 1
    _red(out, "kubernetes", "Service tech-lib/frontend-service: spec.ports changes behind the Ingress")


def test_chart_major_bump_fails_and_values_are_diffed(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def bump(template: Template) -> None:
        chart = one(template, "Custom::AWSCDK-EKS-HelmChart", lambda r: r["Properties"]["Chart"] == "metrics-server")
        chart["Properties"]["Version"] = "4.0.0"
        values = json.loads(chart["Properties"]["Values"])
        assert "priorityClassName" not in values
        values["priorityClassName"] = "system-cluster-critical"
        chart["Properties"]["Values"] = json.dumps(values)

    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Eks": bump})
    assert code == 1
    _red(out, "kubernetes", "metrics-server", "changes major version")
    assert (
        "~ Helm release kube-system/metrics-server values: priorityClassName (absent) → system-cluster-critical" in out
    )


def test_kubernetes_version_skipping_a_minor_fails(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _gate(prod, baseline, tmp_path, capsys, {"-Eks": _set("AWS::EKS::Cluster", ["Version"], "1.38")})
    assert code == 1
    _red(out, "kubernetes", "skips minor versions")
    assert "control-plane upgrade" in out  # deploy impact


# ---------------------------------------------------------------------------------- deploy impact


def test_node_group_change_is_an_interruption_in_its_wave(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def bigger(template: Template) -> None:
        group = one(template, "AWS::EKS::Nodegroup", lambda r: r["Properties"]["NodegroupName"] == "app-nodes")
        group["Properties"]["InstanceTypes"] = ["t3.xlarge"]

    _code, out = _gate(
        prod, baseline, tmp_path, capsys, {"-Eks": bigger, "-Network": _subnet_cidr("10.0.1.0/24", "10.0.3.0/24")}
    )
    impact = out.split("Deploy impact")[1]
    network, eks = impact.index("TechLib-prod-Network"), impact.index("TechLib-prod-Eks")
    assert network < eks, "the Network stack deploys in an earlier wave than Eks"
    assert "ClusterNodegroupappnodes" in impact and "node group REPLACED" in impact
