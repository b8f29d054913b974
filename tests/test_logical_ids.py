"""The logical IDs of every stateful resource of prod and dev, pinned in this one file.

CloudFormation identifies a resource by its logical ID: a new one (a construct renamed or moved in the
tree) deletes the resource and creates an empty twin, or fails on a fixed physical name. Each resource is
found by what it is (type and telling properties, tests/resources.py) and its logical ID asserted here.
Every other test finds resources by meaning; the last test keeps hash-suffixed IDs out of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from config import load_config
from stacks.file_system import FileSystemStack
from stacks.network import NetworkStack
from tests.conftest import Synthesized, new_app
from tests.resources import Locator, name_tag

TESTS = Path(__file__).resolve().parent
# A CDK logical ID: the construct path's letters and digits, then 8 upper-case hex digits of its hash.
HASH_SUFFIXED = re.compile(r"\b[A-Za-z][A-Za-z0-9]*[0-9A-F]{8}\b")
# The snapshots hold whole templates by design (their own test compares them byte for byte).
HASHES_ALLOWED_IN = {"test_logical_ids.py", "test_snapshots.py"}


def _with_prefix(pattern: Any, prefix: str) -> Any:
    if isinstance(pattern, str):
        return pattern.replace("{p}", prefix)
    if isinstance(pattern, dict):
        return {k: _with_prefix(v, prefix) for k, v in pattern.items()}
    if isinstance(pattern, list):
        return [_with_prefix(v, prefix) for v in pattern]
    return pattern


@dataclass(frozen=True)
class Pin:
    """A resource found by type and properties ("{p}" stands for the environment's resource prefix)."""

    stack: str  # the TechLibApp attribute of the stack that owns the resource
    what: str
    locator: Locator
    logical_id: str
    envs: tuple[str, ...] = ("prod", "dev")

    def id_in(self, template: dict[str, Any], prefix: str) -> str:
        return Locator(self.locator.type, _with_prefix(dict(self.locator.properties), prefix)).id(template)


def subnet(group: str, az: str, logical_id: str) -> Pin:
    tags = {"Tags": [{"Key": "aws-cdk:subnet-name", "Value": group}]}
    locator = Locator("AWS::EC2::Subnet", {**tags, "AvailabilityZone": az})
    return Pin("network", f"{group} subnet in {az}", locator, logical_id)


def security_group(name: str, logical_id: str, stack: str = "network") -> Pin:
    return Pin(stack, f"security group {name}", Locator("AWS::EC2::SecurityGroup", {"GroupName": name}), logical_id)


def log_group(stack: str, what: str, name: str, logical_id: str) -> Pin:
    return Pin(stack, what, Locator("AWS::Logs::LogGroup", {"LogGroupName": name}), logical_id)


def key(stack: str, what: str, logical_id: str, envs: tuple[str, ...] = ("prod", "dev")) -> Pin:
    """A stack's one KMS key (the stateful stacks each own exactly one)."""
    return Pin(stack, what, Locator("AWS::KMS::Key"), logical_id, envs)


PINS = [
    # Network: the VPC and the subnets and security groups the data tier lives in; the flow-log audit trail.
    Pin("network", "VPC", Locator("AWS::EC2::VPC", {"CidrBlock": "10.0.0.0/16"}), "Vpc8378EB38"),
    subnet("Public", "ap-northeast-1a", "VpcPublicSubnet1Subnet5C2D37C4"),
    subnet("Public", "ap-northeast-1c", "VpcPublicSubnet2Subnet691E08A3"),
    subnet("App", "ap-northeast-1a", "VpcAppSubnet1Subnet7D2CF347"),
    subnet("App", "ap-northeast-1c", "VpcAppSubnet2Subnet8D65443B"),
    subnet("Database", "ap-northeast-1a", "VpcDatabaseSubnet1SubnetAABB97F7"),
    subnet("Database", "ap-northeast-1c", "VpcDatabaseSubnet2Subnet7DBBCA2D"),
    subnet("Cache", "ap-northeast-1a", "VpcCacheSubnet1Subnet8DB100DF"),
    subnet("Cache", "ap-northeast-1c", "VpcCacheSubnet2SubnetFA85339B"),
    security_group("{p}-alb-sg", "AlbSecurityGroup86A59E99"),
    security_group("{p}-alb-http-sg", "AlbHttpSecurityGroup9345BCDD"),
    security_group("{p}-eks-cluster-sg", "EksClusterSecurityGroupE3D9A45F"),
    security_group("{p}-eks-node-sg", "EksNodeSecurityGroup0F7E9400"),
    security_group("{p}-db-sg", "DatabaseSecurityGroup7319C0F6"),
    security_group("{p}-redis-sg", "RedisSecurityGroupB05951F6"),
    key("network", "flow-log key", "FlowLogKeyA9968EC3"),
    Pin("network", "flow-log group", Locator("AWS::Logs::LogGroup"), "FlowLogGroup3E25AA51"),
    # Database: the cluster, its instances and everything its snapshots need to be restored.
    Pin("database", "Aurora cluster", Locator("AWS::RDS::DBCluster"), "ClusterEB0386A7"),
    Pin("database", "Aurora writer", Locator("AWS::RDS::DBInstance", {"PromotionTier": 0}), "ClusterWriterA91BB273"),
    Pin(
        "database",
        "Aurora reader",
        Locator("AWS::RDS::DBInstance", name_tag("{p}-db-replica")),
        "ClusterReader16376AFD4",
        envs=("prod",),
    ),
    key("database", "Aurora key", "DatabaseKey7576F140"),
    Pin("database", "Aurora credentials", Locator("AWS::SecretsManager::Secret"), "CredentialsF8F243AA"),
    Pin("database", "Aurora subnet group", Locator("AWS::RDS::DBSubnetGroup"), "SubnetGroup"),
    # A new cluster parameter group is a new name on the cluster: a reboot to apply it.
    Pin(
        "database",
        "Aurora cluster parameter group",
        Locator("AWS::RDS::DBClusterParameterGroup"),
        "ClusterParameterGroupF60E75FA",
    ),
    log_group("database", "PostgreSQL log", "/aws/rds/cluster/{p}-db-cluster/postgresql", "PostgresqlLogGroupB7A74366"),
    security_group("{p}-db-rotation-sg", "RotationSecurityGroup8276CF62", stack="database"),
    # Cache: the replication group, its AUTH token, key, slow log, subnet and parameter groups.
    Pin("cache", "replication group", Locator("AWS::ElastiCache::ReplicationGroup"), "ReplicationGroup"),
    Pin("cache", "cache subnet group", Locator("AWS::ElastiCache::SubnetGroup"), "SubnetGroup"),
    Pin("cache", "cache parameter group", Locator("AWS::ElastiCache::ParameterGroup"), "ParameterGroup"),
    key("cache", "cache key", "CacheKeyA9E311EC"),
    Pin("cache", "AUTH token", Locator("AWS::SecretsManager::Secret"), "AuthToken9D20A5AF"),
    log_group("cache", "slow log", "/aws/elasticache/{p}-redis/slow-log", "SlowLogGroupAC09B610"),
    # Eks: the cluster (all in-cluster state), the key of its secrets, its audit log, its node groups.
    Pin("eks", "EKS cluster", Locator("AWS::EKS::Cluster", {"Name": "{p}-cluster"}), "ClusterEB0386A7"),
    key("eks", "EKS secrets key", "ClusterKeyCC335371"),
    log_group("eks", "control-plane (audit) log", "/aws/eks/{p}-cluster/cluster", "ControlPlaneLogGroupA8D86BA9"),
    Pin(
        "eks",
        "app-nodes",
        Locator("AWS::EKS::Nodegroup", {"NodegroupName": "app-nodes"}),
        "ClusterNodegroupappnodes230C9505",
    ),
    Pin(
        "eks",
        "app-nodes-spot",
        Locator("AWS::EKS::Nodegroup", {"NodegroupName": "app-nodes-spot"}),
        "ClusterNodegroupappnodesspot55E7408F",
    ),
    Pin(
        "eks",
        "system-nodes",
        Locator("AWS::EKS::Nodegroup", {"NodegroupName": "system-nodes"}),
        "ClusterNodegroupsystemnodes1C23BF9C",
    ),
    # Workloads, Cdn: the buckets (fixed names: a new logical ID fails on the name still taken).
    Pin("workloads", "ALB access-log bucket", Locator("AWS::S3::Bucket"), "AlbLogBucketC26F4D8A"),
    Pin(
        "cdn",
        "static-assets bucket",
        Locator("AWS::S3::Bucket", {"OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}}),
        "StaticAssetsBucketC3095769",
    ),
    # Its key: the objects written since it became the bucket's default are unreadable without it.
    key("cdn", "static-assets key", "StaticAssetsKey54F8FFF6"),
    Pin(
        "cdn",
        "CloudFront log bucket",
        Locator("AWS::S3::Bucket", {"OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]}}),
        "LogBucketCC3B17E8",
    ),
    # Edge (us-east-1): the WAF audit log, its key, and the WebACL CloudFront is attached to by ARN.
    key("edge", "WAF log key", "WafLogKeyD7115B0D"),
    log_group("edge", "WAF log", "aws-waf-logs-{p}", "WafLogGroupDFDE65B0"),
    Pin("edge", "WebACL", Locator("AWS::WAFv2::WebACL"), "WebAcl"),
    # Monitoring: the application logs, the alarm topics' keys, the Grafana login.
    log_group("monitoring", "backend log", "/aws/eks/{p}/backend", "BackendLogGroupDA10F1B2"),
    log_group("monitoring", "frontend log", "/aws/eks/{p}/frontend", "FrontendLogGroupCE4F14E0"),
    key("monitoring", "alarm topic key", "AlarmTopicKeyBA1A4AA7"),
    key("monitoring_edge", "us-east-1 alarm topic key", "AlarmTopicKeyBA1A4AA7"),
    Pin(
        "monitoring",
        "Grafana admin secret",
        Locator("AWS::SecretsManager::Secret", {"Name": "{p}/grafana-admin"}),
        "GrafanaAdminSecretC252ACA6",
    ),
    # Cicd: the images, their key and the account's GitHub OIDC provider.
    Pin("cicd", "GitHub OIDC provider", Locator("AWS::IAM::OIDCProvider"), "GithubGithubOidcProvider94CCD439"),
    key("cicd", "image key", "ImagesImageKey53461504"),
    Pin(
        "cicd",
        "frontend repository",
        Locator("AWS::ECR::Repository", {"RepositoryName": "techlib/frontend"}),
        "ImagesFrontendRepository7D494480",
    ),
    Pin(
        "cicd",
        "backend repository",
        Locator("AWS::ECR::Repository", {"RepositoryName": "techlib/backend"}),
        "ImagesBackendRepository5C9924A7",
    ),
    # Backup: a new vault leaves the recovery points behind; a vault cannot change its key.
    key("backup", "backup vault key", "BackupVaultKey74395416"),
    Pin(
        "backup",
        "backup vault",
        Locator("AWS::Backup::BackupVault", {"BackupVaultName": "{p}-backup-vault"}),
        "BackupVault68B95C06",
    ),
    Pin("backup", "backup plan", Locator("AWS::Backup::BackupPlan"), "BackupPlan"),
    Pin("backup", "backup selection", Locator("AWS::Backup::BackupSelection"), "BackupSelection"),
    key("backup_dr", "DR vault key", "BackupVaultKey74395416", envs=("prod",)),
    Pin(
        "backup_dr",
        "DR vault",
        Locator("AWS::Backup::BackupVault", {"BackupVaultName": "{p}-backup-vault-dr"}),
        "BackupVault68B95C06",
        envs=("prod",),
    ),
]
# The file system exists only with efs.enabled (neither prod nor dev yet): pinned on its own stack.
EFS_PINS = [
    Pin(
        "file_system",
        "EFS file system",
        Locator("AWS::EFS::FileSystem", {"FileSystemTags": [{"Key": "Name", "Value": "{p}-app-efs"}]}),
        "FileSystem8A8E25C0",
    ),
    key("file_system", "EFS key", "FileSystemKey2DFFD0A9"),
    security_group("{p}-efs-sg", "FileSystemSecurityGroupBFA44C6B", stack="file_system"),
]
# Types whose replacement loses data or cuts what the data lives in, pinned whatever their removal policy.
STATEFUL_TYPES = {
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBSubnetGroup",
    "AWS::RDS::DBClusterParameterGroup",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElastiCache::SubnetGroup",
    "AWS::ElastiCache::ParameterGroup",
    "AWS::EKS::Cluster",
    "AWS::EKS::Nodegroup",
    "AWS::EFS::FileSystem",
    "AWS::Backup::BackupVault",
    "AWS::Backup::BackupPlan",
    "AWS::Backup::BackupSelection",
    "AWS::EC2::VPC",
    "AWS::EC2::Subnet",
    "AWS::EC2::SecurityGroup",
    "AWS::KMS::Key",
    "AWS::S3::Bucket",
    "AWS::SecretsManager::Secret",
    "AWS::ECR::Repository",
}


def _template(synth: Synthesized, stack: str) -> dict[str, Any]:
    return synth.template_json(getattr(synth.built, stack))


def _provider_function_log(resource: dict[str, Any]) -> bool:
    """The log group of a CDK provider's own Lambda (kubectl, custom resources): no audit data, nothing to keep."""
    name = resource.get("Properties", {}).get("LogGroupName")
    return isinstance(name, dict) and "/aws/lambda/" in str(name)


@pytest.fixture(scope="module")
def with_file_system() -> dict[str, Any]:
    """Only the Network and FileSystem stacks with efs.enabled: a logical ID depends on its stack alone."""
    config = load_config("prod", overrides={"efs": {"enabled": True}})
    app = new_app()
    network = NetworkStack(app, config.stack_name("Network"), config=config)
    stack = FileSystemStack(app, config.stack_name("FileSystem"), config=config, network=network)
    template: dict[str, Any] = dict(Template.from_stack(stack).to_json())
    return template


@pytest.mark.parametrize(
    ("env", "pin"),
    [(env, pin) for pin in PINS for env in pin.envs],
    ids=lambda value: value.what if isinstance(value, Pin) else value,
)
def test_stateful_resource_keeps_its_logical_id(env: str, pin: Pin, synthesized: Synthesized) -> None:
    synth = synthesized
    assert pin.id_in(_template(synth, pin.stack), synth.config.resource_prefix) == pin.logical_id


@pytest.mark.parametrize("pin", EFS_PINS, ids=lambda pin: pin.what)
def test_file_system_resource_keeps_its_logical_id(pin: Pin, with_file_system: dict[str, Any]) -> None:
    assert pin.id_in(with_file_system, "tech-lib") == pin.logical_id


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_every_stateful_resource_of_the_app_is_pinned(env: str, synthesized: Synthesized) -> None:
    synth = synthesized
    pinned = {(pin.stack, pin.logical_id) for pin in PINS if env in pin.envs}
    stacks = {attribute: stack for attribute, stack in vars(synth.built).items() if isinstance(stack, cdk.Stack)}
    unpinned = [
        f"{stack.stack_name}/{lid} ({resource['Type']})"
        for attribute, stack in stacks.items()
        for lid, resource in synth.template_json(stack)["Resources"].items()
        if (resource["Type"] in STATEFUL_TYPES or resource.get("DeletionPolicy") in ("Retain", "Snapshot"))
        and not _provider_function_log(resource)
        and (attribute, lid) not in pinned
    ]
    assert unpinned == [], "pin these in tests/test_logical_ids.py"


def test_the_file_system_stack_is_pinned_completely(with_file_system: dict[str, Any]) -> None:
    pinned = {pin.logical_id for pin in EFS_PINS}
    stateful = {
        lid
        for lid, resource in with_file_system["Resources"].items()
        if resource["Type"] in STATEFUL_TYPES or resource.get("DeletionPolicy") in ("Retain", "Snapshot")
    }
    assert stateful == pinned


def test_no_other_test_file_names_a_hash_suffixed_logical_id() -> None:
    """Elsewhere a resource is found by type and properties (tests/resources.py), so a refactor breaks no test."""
    offenders = {
        path.name: sorted(set(HASH_SUFFIXED.findall(path.read_text())))
        for path in sorted(TESTS.glob("*.py"))
        if path.name not in HASHES_ALLOWED_IN and HASH_SUFFIXED.search(path.read_text())
    }
    assert offenders == {}


def test_the_hash_pattern_recognises_a_cdk_logical_id() -> None:
    """The guard above must be able to fail: it matches the hashed IDs pinned here, and no plain construct name."""
    hashed = [pin.logical_id for pin in PINS + EFS_PINS if not pin.logical_id.isalpha()]
    assert len(hashed) > 50
    assert all(HASH_SUFFIXED.fullmatch(logical_id) for logical_id in hashed)
    assert not HASH_SUFFIXED.search("ReplicationGroup SubnetGroup WebAcl BackupPlan tech-lib-db-cluster")
