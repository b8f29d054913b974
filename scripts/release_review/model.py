"""What the review finds: per-stack resource changes (from the CDK's diff engine) and findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Resource types whose replacement or deletion loses data or breaks everything built on them.
STATEFUL_TYPES: dict[str, str] = {
    "AWS::RDS::DBCluster": "the Aurora cluster and its data",
    "AWS::RDS::DBInstance": "an Aurora instance",
    "AWS::ElastiCache::ReplicationGroup": "the Redis replication group and its data",
    "AWS::S3::Bucket": "a bucket and its objects",
    "AWS::Backup::BackupVault": "a backup vault and its recovery points",
    "AWS::KMS::Key": "a KMS key (data encrypted with it becomes unreadable once it is deleted)",
    "AWS::SecretsManager::Secret": "a secret (credentials the workloads use)",
    "AWS::ECR::Repository": "an image repository and the released images",
    "AWS::EKS::Cluster": "the EKS cluster and everything running on it",
    "AWS::IAM::OIDCProvider": "the GitHub OIDC provider every CI role trusts",
}
# A resource the author chose to keep on delete is stateful too (log groups, for instance).
RETAINING_POLICIES = frozenset({"Retain", "Snapshot", "RetainExceptOnCreate"})
REPLACING = frozenset({"WILL_REPLACE", "MAY_REPLACE"})

# Severities: a danger fails the gate unless accepted; a warning is printed in yellow; info is context.
DANGER, WARNING, INFO = "danger", "warning", "info"


@dataclass
class PropChange:
    name: str
    old: Any
    new: Any
    impact: str  # the library's ResourceImpact for this property (WILL_REPLACE, MAY_REPLACE, WILL_UPDATE)


@dataclass
class ResourceChange:
    stack: str
    logical_id: str
    resource_type: str
    impact: str  # the library's ResourceImpact: WILL_CREATE, WILL_UPDATE, WILL_REPLACE, MAY_REPLACE, WILL_DESTROY, ...
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    props: dict[str, PropChange] = field(default_factory=dict)
    other: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # DeletionPolicy, Type, DependsOn, ...
    security: dict[str, Any] = field(default_factory=dict)  # the library's IAM/SG changes of this resource alone
    renamed_to: str | None = None  # a removed resource whose twin was added under another logical ID
    renamed_from: str | None = None

    @property
    def key(self) -> str:
        return f"{self.stack}/{self.logical_id}"

    @property
    def removed(self) -> bool:
        return self.new is None

    @property
    def added(self) -> bool:
        return self.old is None

    @property
    def replaced(self) -> bool:
        """Its physical resource changes identity: replaced, deleted, or moved to another logical ID."""
        return self.impact in REPLACING or self.removed

    @property
    def stateful(self) -> bool:
        resource = self.old or self.new or {}
        return self.resource_type in STATEFUL_TYPES or resource.get("DeletionPolicy") in RETAINING_POLICIES

    def old_prop(self, name: str) -> Any:
        return ((self.old or {}).get("Properties") or {}).get(name)

    def new_prop(self, name: str) -> Any:
        return ((self.new or {}).get("Properties") or {}).get(name)


@dataclass
class StackDiff:
    stack: str
    resources: dict[str, ResourceChange] = field(default_factory=dict)
    outputs: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    security: dict[str, Any] = field(default_factory=dict)  # the library's IAM/SG changes of the whole stack
    text: str = ""  # formatDifferences, as `cdk diff` prints it
    new_stack: bool = False
    removed_stack: bool = False

    @property
    def empty(self) -> bool:
        return not self.resources and not self.outputs


@dataclass(frozen=True)
class Finding:
    """One line of the review. `key` is what `--accept` takes to let a reviewed danger through."""

    severity: str
    category: str  # stateful, security, credentials, network, kms, protection, retention, audit, kubernetes, ...
    key: str
    message: str
    details: tuple[str, ...] = ()
