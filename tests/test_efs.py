"""EFS for the app tier: the CSI driver add-on and its role always; the file system and StorageClass when configured."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from config import ConfigError, load_config
from fit.inventory import pod_inventory
from k8s_charts.storage import PROVISIONER, STORAGE_CLASS
from tests.conftest import SYNTH, VALIDATORS, Synthesized, needs, synthesize
from tests.test_eks import managed_policy_names, one, resources, role_of
from tests.validators import cfn_lint, checkov, checkov_outcome


@pytest.fixture(scope="module")
@needs(SYNTH, VALIDATORS)
def with_efs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesized]:
    """prod with `efs.enabled` (cdk-nag and the built-in validation run in the synth itself)."""
    yield synthesize("prod", tmp_path_factory.mktemp("cdk.out.efs"), efs={"enabled": True})


def addon(template: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = one(template, "AWS::EKS::Addon", AddonName="aws-efs-csi-driver")[1]["Properties"]
    return properties


def test_efs_driver_addon_has_its_own_pod_identity_role(prod: Synthesized) -> None:
    eks = prod.template_json(prod.built.eks)
    properties = addon(eks)
    (association,) = properties["PodIdentityAssociations"]
    assert association["ServiceAccount"] == "efs-csi-controller-sa"
    role = role_of(eks, association["RoleArn"])
    assert managed_policy_names(role) == ["service-role/AmazonEFSCSIDriverPolicy"]
    condition = role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]["StringEquals"]
    assert condition["aws:RequestTag/kubernetes-service-account"] == "efs-csi-controller-sa"


def test_node_role_gets_no_efs_permission(prod: Synthesized) -> None:
    eks = prod.template_json(prod.built.eks)
    (node_role,) = [
        role
        for role in resources(eks, "AWS::IAM::Role").values()
        if "ec2.amazonaws.com" in json.dumps(role["Properties"]["AssumeRolePolicyDocument"])
    ]
    assert not [p for p in managed_policy_names(node_role) if "EFS" in p]
    assert "elasticfilesystem" not in json.dumps(eks["Resources"])


def test_efs_driver_pods_are_declared_in_the_addon_values(prod: Synthesized) -> None:
    values = json.loads(addon(prod.template_json(prod.built.eks))["ConfigurationValues"])
    per_container = {"requests": {"cpu": "10m", "memory": "40Mi"}, "limits": {"memory": "128Mi", "cpu": "100m"}}
    assert values["controller"] == {"nodeSelector": {"node-type": "system"}, "resources": per_container}
    node_container = {"requests": {"cpu": "10m", "memory": "40Mi"}, "limits": {"memory": "256Mi", "cpu": "200m"}}
    assert values["node"] == {"tolerations": [{"operator": "Exists"}], "resources": node_container}
    # The inventory counts the same figures: 3 containers a pod, the controller on system-nodes.
    pods = {c.name: c for c in pod_inventory(prod.config) if c.source == "aws-efs-csi-driver"}
    controller, node = pods["efs-csi-controller"], pods["efs-csi-node"]
    assert (controller.kind, controller.replicas, controller.node_group) == ("Deployment", 2, "system-nodes")
    assert (controller.cpu_request_m, controller.memory_request_mib) == (30, 120)
    assert (node.kind, node.node_group, node.cpu_request_m, node.memory_request_mib) == ("DaemonSet", None, 30, 120)


def test_without_a_file_system_there_is_no_efs_storage_class(prod: Synthesized) -> None:
    assert prod.built.file_system is None
    assert prod.built.eks.efs_storage_class is None


def test_file_system_is_encrypted_with_its_own_key_and_kept(with_efs: Synthesized) -> None:
    assert with_efs.built.file_system is not None
    template = with_efs.template_json(with_efs.built.file_system)
    _, fs = one(template, "AWS::EFS::FileSystem")
    assert fs["Properties"]["Encrypted"] is True
    (key_id,) = resources(template, "AWS::KMS::Key")
    assert fs["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    assert fs["DeletionPolicy"] == fs["UpdateReplacePolicy"] == "Retain"
    assert template["Resources"][key_id]["DeletionPolicy"] == "Retain"
    # No EFS-managed backups (off when created through the API unless BackupPolicy enables them): the plan does it.
    assert fs["Properties"].get("BackupPolicy", {"Status": "DISABLED"}) == {"Status": "DISABLED"}
    assert with_efs.built.file_system.termination_protection is True


def test_mount_targets_are_in_the_app_subnets_behind_nfs_from_nodes_only(with_efs: Synthesized) -> None:
    assert with_efs.built.file_system is not None
    template = with_efs.template_json(with_efs.built.file_system)
    targets = resources(template, "AWS::EFS::MountTarget")
    assert len(targets) == 2
    text = json.dumps([t["Properties"]["SubnetId"] for t in targets.values()])
    assert "AppSubnet1" in text and "AppSubnet2" in text
    (ingress,) = resources(template, "AWS::EC2::SecurityGroupIngress").values()
    assert ingress["Properties"]["FromPort"] == ingress["Properties"]["ToPort"] == 2049
    assert "EksNodeSecurityGroup" in json.dumps(ingress["Properties"]["SourceSecurityGroupId"])
    (group,) = resources(template, "AWS::EC2::SecurityGroup").values()
    assert "SecurityGroupIngress" not in group["Properties"]


def test_backup_plan_selects_the_file_system(with_efs: Synthesized) -> None:
    template = with_efs.template_json(with_efs.built.backup)
    (_, selection) = one(template, "AWS::Backup::BackupSelection")
    assert "FileSystem" in json.dumps(selection["Properties"]["BackupSelection"]["Resources"])


def test_storage_class_provisions_access_points_on_the_file_system(with_efs: Synthesized) -> None:
    eks = with_efs.template_json(with_efs.built.eks)
    (manifest,) = [
        r["Properties"]["Manifest"]
        for lid, r in resources(eks, "Custom::AWSCDK-EKS-KubernetesResource").items()
        if lid.startswith("ClusterEfsStorageClass")
    ]
    text = json.dumps(manifest)
    assert f'\\"provisioner\\":\\"{PROVISIONER}\\"' in text and STORAGE_CLASS in text
    assert '\\"provisioningMode\\":\\"efs-ap\\"' in text
    assert "TechLib-prod-FileSystem" in text  # read from the FileSystemStack, not a literal


def test_file_system_stack_passes_cfn_lint_and_checkov(with_efs: Synthesized, tmp_path: Any) -> None:
    assert with_efs.built.file_system is not None
    template = with_efs.outdir / f"{with_efs.built.file_system.artifact_id}.template.json"
    (tmp_path / template.name).write_text(template.read_text())
    lint, scan = cfn_lint([template]), checkov(tmp_path, "cloudformation")
    assert lint.result().returncode == 0, lint.result().stdout
    assert checkov_outcome(scan)["failed"] == []


def test_file_system_id_and_enabled_are_exclusive() -> None:
    with pytest.raises(ConfigError) as error:
        load_config("prod", environ={}, overrides={"efs": {"enabled": True, "file_system_id": "fs-0123abcd"}})
    assert str(error.value) == (
        "efs.file_system_id: is set while efs.enabled creates a file system "
        "(allowed: null with enabled: true, or an existing id with enabled: false)"
    )


def test_snapshot_is_not_an_efs_removal_policy() -> None:
    with pytest.raises(
        ConfigError, match=r"^efs\.removal_policy: invalid value 'snapshot' \(allowed: retain, destroy\)$"
    ):
        load_config("prod", environ={}, overrides={"efs": {"removal_policy": "snapshot"}})
