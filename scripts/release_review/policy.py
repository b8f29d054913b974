"""The project's policy on AWS changes: what loses data, locks people out or breaks a deploy half-way.

The CDK's diff engine says what CloudFormation will do to each resource; this module says which of
those actions are dangerous for this app. Every danger names the key `--accept` takes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scripts.release_review.graph import AppGraph, Node
from scripts.release_review.inputs import StackInfo
from scripts.release_review.model import DANGER, RETAINING_POLICIES, STATEFUL_TYPES, Finding, ResourceChange, StackDiff
from scripts.release_review.templates import MISSING, leaf_diffs, short

DATA_STORES = {
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ServerlessCache",
}
CREDENTIAL_HOLDERS = DATA_STORES | {"AWS::SecretsManager::SecretTargetAttachment", "AWS::ElastiCache::User"}
# What a database or cache "lives in": replacing one of these under a running store fails the deploy.
NETWORK_HOMES = {
    "AWS::EC2::Subnet",
    "AWS::RDS::DBSubnetGroup",
    "AWS::ElastiCache::SubnetGroup",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::VPC",
}
# Properties holding a credential a running store was created with: a new value locks clients out.
CREDENTIAL_PROPS = {"AuthToken", "MasterUserPassword", "MasterUserSecret", "Passwords"}
RETENTION_KEY = re.compile(
    r"(Retention(Period|Limit|InDays|Days)?$|DeleteAfterDays$|MinRetentionDays$|ExpirationInDays$)"
)
# Absent means "keep forever" for these, so removing them does not shorten anything.
ABSENT_IS_FOREVER = {"RetentionInDays", "DeleteAfterDays", "ExpirationInDays", "MoveToColdStorageAfterDays"}
AUDIT_LOG_SWITCHES = {"EnableCloudwatchLogsExports", "EnabledTypes", "LogDeliveryConfigurations", "Logging"}
AUDIT_TYPES = {
    "AWS::Logs::LogGroup": "a log group and the audit/application logs in it",
    "AWS::EC2::FlowLog": "the VPC flow log (network audit trail)",
    "AWS::WAFv2::LoggingConfiguration": "the WAF's request log",
    "AWS::CloudTrail::Trail": "a CloudTrail trail",
}


def _finding(change: ResourceChange, category: str, message: str, *details: str) -> Finding:
    return Finding(
        DANGER, category, change.key, f"{change.stack}: {change.resource_type} {change.logical_id} {message}", details
    )


def stateful(change: ResourceChange) -> Iterator[Finding]:
    if not change.stateful or change.resource_type == "AWS::KMS::Key" or change.added:
        return
    what = STATEFUL_TYPES.get(change.resource_type, "a resource kept on delete (DeletionPolicy Retain/Snapshot)")
    if change.removed:
        policy = str((change.old or {}).get("DeletionPolicy"))
        verb = {
            "Retain": "orphaned (DeletionPolicy Retain: it stays, outside CloudFormation)",
            "RetainExceptOnCreate": "orphaned (DeletionPolicy RetainExceptOnCreate: it stays, outside CloudFormation)",
            "Snapshot": "DELETED after a final snapshot (DeletionPolicy Snapshot)",
        }.get(policy, "DELETED")
        note = (
            f" — logical ID changed to {change.renamed_to}: CloudFormation deletes {change.logical_id} and creates a new one"
            if change.renamed_to
            else ""
        )
        yield _finding(change, "stateful", f"({what}) would be {verb}{note}")
    elif change.impact in ("WILL_REPLACE", "MAY_REPLACE"):
        verb = "REPLACED" if change.impact == "WILL_REPLACE" else "possibly REPLACED"
        causes = [
            f"{p.name} ({'requires' if p.impact == 'WILL_REPLACE' else 'may cause'} replacement)"
            for p in change.props.values()
            if p.impact in ("WILL_REPLACE", "MAY_REPLACE")
        ]
        if change.other.get("Type"):
            causes.append("its type changes")
        yield _finding(change, "stateful", f"({what}) would be {verb}" + (f" — {'; '.join(causes)}" if causes else ""))


def credentials(change: ResourceChange, old: AppGraph, new: AppGraph) -> Iterator[Finding]:
    if change.added or change.removed:
        return
    node: Node = (change.stack, change.logical_id)
    if change.resource_type == "AWS::SecretsManager::Secret":
        regenerated = [n for n in ("GenerateSecretString", "SecretString") if n in change.props]
        holders = sorted(old.users_of(node, CREDENTIAL_HOLDERS) | new.users_of(node, CREDENTIAL_HOLDERS))
        if regenerated and holders:
            held = ", ".join(f"{s}/{lid} ({old.type_of((s, lid)) or new.type_of((s, lid))})" for s, lid in holders)
            yield _finding(
                change,
                "credentials",
                f"regenerates its value ({', '.join(regenerated)} changes) while {held} keeps the old one: clients lose access on their next restart",
                *(
                    f"{path}: {short(a)} → {short(b)}"
                    for n in regenerated
                    for path, a, b in leaf_diffs(change.old_prop(n), change.new_prop(n), n)
                ),
            )
    elif change.resource_type in DATA_STORES:
        for name in sorted(CREDENTIAL_PROPS & set(change.props)):
            yield _finding(
                change, "credentials", f"changes {name}: the running store's credential changes under every client"
            )


def network_homes(change: ResourceChange, old: AppGraph) -> Iterator[Finding]:
    """A replaced subnet, subnet group or security group that a database or cache sits in."""
    if change.resource_type not in NETWORK_HOMES or not change.replaced or change.added:
        return
    node: Node = (change.stack, change.logical_id)
    stores = sorted(
        (stack, lid)
        for stack, template in old.templates.items()
        for lid, resource in (template.get("Resources") or {}).items()
        if resource.get("Type") in DATA_STORES
        and node in old.closure((stack, lid), through=NETWORK_HOMES | {"AWS::RDS::DBSubnetGroup"})
    )
    if stores:
        causes = [
            f"{p.name}: {short(p.old)} → {short(p.new)}"
            for p in change.props.values()
            if p.impact in ("WILL_REPLACE", "MAY_REPLACE")
        ]
        verb = "deleted" if change.removed else "REPLACED"
        yield _finding(
            change,
            "network",
            f"would be {verb} while {', '.join(f'{s}/{lid}' for s, lid in stores)} lives in it: the stores' network interfaces block the delete and the deploy fails half-way",
            *causes,
        )


def kms(change: ResourceChange, old: AppGraph) -> Iterator[Finding]:
    if change.resource_type != "AWS::KMS::Key" or change.added:
        return
    users = sorted(old.users_of((change.stack, change.logical_id)))
    encrypted = ", ".join(f"{s}/{lid}" for s, lid in users[:6]) + (
        f" and {len(users) - 6} more" if len(users) > 6 else ""
    )
    of_what = f" (it encrypts {encrypted})" if users else ""
    if change.removed:
        kept = (change.old or {}).get("DeletionPolicy") in RETAINING_POLICIES
        verb = (
            "orphaned outside CloudFormation"
            if kept
            else "SCHEDULED FOR DELETION: what it encrypts becomes unreadable after the waiting period"
        )
        yield _finding(change, "kms", f"would be {verb}{of_what}")
    elif change.replaced:
        yield _finding(change, "kms", f"would be REPLACED: a new key, the old one scheduled for deletion{of_what}")
    elif change.old_prop("Enabled") is not False and change.new_prop("Enabled") is False:
        yield _finding(change, "kms", f"would be DISABLED{of_what}")


def protection(change: ResourceChange) -> Iterator[Finding]:
    if change.added or change.removed:
        return
    for attribute in ("DeletionPolicy", "UpdateReplacePolicy"):
        before, after = (change.old or {}).get(attribute), (change.new or {}).get(attribute)
        if before in RETAINING_POLICIES and after not in RETAINING_POLICIES:
            yield _finding(
                change, "protection", f"weakens its {attribute} from {before} to {after or 'Delete (the default)'}"
            )
    for path, before, after in leaf_diffs(
        change.old.get("Properties") if change.old else {}, change.new.get("Properties") if change.new else {}
    ):
        if "DeletionProtection" in path and before is True and after is not True:
            yield _finding(change, "protection", f"turns {path} off ({short(before)} → {short(after)})")


def termination_protection(baseline: dict[str, StackInfo], current: dict[str, StackInfo]) -> Iterator[Finding]:
    for stack, info in sorted(current.items()):
        if stack in baseline and baseline[stack].termination_protection and not info.termination_protection:
            yield Finding(
                DANGER,
                "protection",
                f"{stack}/TerminationProtection",
                f"{stack}: stack termination protection turned off",
            )


def _shorter(name: str, before: Any, after: Any) -> bool:
    if after is MISSING:
        return before is not MISSING and name not in ABSENT_IS_FOREVER
    return isinstance(before, int | float) and isinstance(after, int | float) and after < before


def retention(change: ResourceChange) -> Iterator[Finding]:
    if change.added:
        return
    if change.removed:
        if change.resource_type in ("AWS::Backup::BackupPlan", "AWS::Backup::BackupSelection"):
            yield _finding(change, "retention", "would be deleted: the backups it makes stop")
        return
    old_props, new_props = (change.old or {}).get("Properties") or {}, (change.new or {}).get("Properties") or {}
    reasons = []
    for path, before, after in leaf_diffs(old_props, new_props):
        name = path.rsplit(".", 1)[-1].split("[")[0]
        if RETENTION_KEY.search(name) and _shorter(name, before, after):
            reasons.append(f"{path}: {short(before)} → {short(after)}")
        elif name == "LockConfiguration" and before is not MISSING and after is MISSING:
            reasons.append(f"{path}: the vault lock is removed")
        elif path.startswith("BackupPlan.BackupPlanRule[") and path.count(".") == 1 and after is MISSING:
            reasons.append(f"{path}: the backup rule is removed")
    if reasons:
        yield _finding(change, "retention", "shortens how long backups or data are kept", *reasons)


def audit(change: ResourceChange) -> Iterator[Finding]:
    if change.added:
        return
    if change.resource_type in AUDIT_TYPES and change.replaced:
        verb = "REPLACED (its contents are lost)" if not change.removed else "deleted"
        if (change.old or {}).get("DeletionPolicy") in RETAINING_POLICIES and change.removed:
            verb = "removed from the stack (orphaned, no longer managed)"
        yield _finding(change, "audit", f"({AUDIT_TYPES[change.resource_type]}) would be {verb}")
        return
    if change.removed:
        return
    reasons = []
    for path, before, after in leaf_diffs(
        (change.old or {}).get("Properties") or {}, (change.new or {}).get("Properties") or {}
    ):
        if not any(part.split("[")[0] in AUDIT_LOG_SWITCHES for part in path.split(".")):
            continue
        if after is MISSING and before is not MISSING:
            reasons.append(f"{path}: {short(before)} → (absent)")
        elif isinstance(before, list) and isinstance(after, list) and any(item not in after for item in before):
            reasons.append(f"{path}: {short([i for i in before if i not in after])} no longer logged")
    if (
        change.resource_type == "AWS::S3::Bucket"
        and change.old_prop("LoggingConfiguration")
        and not change.new_prop("LoggingConfiguration")
    ):
        reasons.append("LoggingConfiguration removed")
    if reasons:
        yield _finding(change, "audit", "stops writing audit logs", *sorted(set(reasons)))


def dangling_reads(new: dict[str, dict[str, Any]]) -> Iterator[Finding]:
    """Weak cross-stack references: nothing stops a producer dropping an output a consumer still reads."""
    from scripts.release_review.templates import references  # noqa: PLC0415

    for stack, template in sorted(new.items()):
        for lid, resource in (template.get("Resources") or {}).items():
            for ref in references(resource.get("Properties")):
                if ref[0] == "output" and ref[1] in new and ref[2] not in (new[ref[1]].get("Outputs") or {}):
                    yield Finding(
                        DANGER,
                        "reference",
                        f"{stack}/{lid}",
                        f"{stack}: {lid} reads output {ref[2]} of {ref[1]}, which no longer has it: the deploy fails",
                    )


def aws_findings(
    diffs: dict[str, StackDiff],
    old: AppGraph,
    new: AppGraph,
    baseline: dict[str, StackInfo],
    current: dict[str, StackInfo],
) -> list[Finding]:
    findings: list[Finding] = []
    for diff in diffs.values():
        for change in diff.resources.values():
            for check in (
                stateful(change),
                credentials(change, old, new),
                network_homes(change, old),
                kms(change, old),
                protection(change),
                retention(change),
                audit(change),
            ):
                findings.extend(check)
    findings.extend(termination_protection(baseline, current))
    findings.extend(dangling_reads(new.templates))
    return findings
