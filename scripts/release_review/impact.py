"""Deploy impact: which stacks change, in the waves `cdk deploy --all` takes them (the assembly's
stack dependencies), and which changes interrupt service while they roll out."""

from __future__ import annotations

from collections.abc import Iterator

from scripts.release_review.inputs import StackInfo
from scripts.release_review.model import ResourceChange, StackDiff

# (type, property or "*" for any update) -> what the running system notices.
INTERRUPTIONS: dict[tuple[str, str], str] = {
    ("AWS::EKS::Nodegroup", "*"): "node group update: nodes are drained and replaced one by one, pods restart",
    ("AWS::EC2::LaunchTemplate", "*"): "new launch template version: the node group rolls every node",
    ("AWS::EKS::Cluster", "Version"): "control-plane upgrade (tens of minutes), then the node groups roll",
    ("AWS::EKS::Cluster", "ResourcesVpcConfig"): "cluster endpoint/network update: API access blips",
    ("AWS::EKS::Cluster", "*"): "cluster update: the control plane updates in place (API may blip)",
    (
        "AWS::RDS::DBInstance",
        "DBInstanceClass",
    ): "DB instance class change: that instance restarts (a writer change fails over)",
    ("AWS::RDS::DBInstance", "DBParameterGroupName"): "DB parameter group change: may need a reboot",
    ("AWS::RDS::DBCluster", "EngineVersion"): "Aurora engine upgrade: the cluster restarts",
    (
        "AWS::RDS::DBCluster",
        "DBClusterParameterGroupName",
    ): "cluster parameter group change: static parameters need a reboot",
    (
        "AWS::RDS::DBClusterParameterGroup",
        "Parameters",
    ): "cluster parameters change: static ones apply at the next reboot",
    (
        "AWS::ElastiCache::ReplicationGroup",
        "CacheNodeType",
    ): "Redis node type change: nodes are replaced, connections drop",
    ("AWS::ElastiCache::ReplicationGroup", "EngineVersion"): "Redis engine upgrade: nodes restart one by one",
    ("AWS::ElastiCache::ParameterGroup", "Properties"): "Redis parameters change",
    ("AWS::EC2::NatGateway", "*"): "NAT gateway change: outbound traffic from that zone stops until it is back",
    ("AWS::CloudFront::Distribution", "*"): "CloudFront distribution update: propagates for several minutes",
    ("AWS::WAFv2::WebACL", "*"): "WAF rules change for every request",
}
REPLACE_INTERRUPTS = {
    "AWS::EKS::Nodegroup": "node group REPLACED: a new group is created and the old one deleted, every pod moves",
    "AWS::EC2::NatGateway": "NAT gateway REPLACED: outbound traffic from that zone stops meanwhile",
    "AWS::EC2::Subnet": "subnet REPLACED: everything in it must move out first",
    "AWS::EC2::SecurityGroup": "security group REPLACED: attachments move to the new group",
    "AWS::ElasticLoadBalancingV2::LoadBalancer": "load balancer REPLACED: a new DNS name",
}


def waves(stacks: dict[str, StackInfo]) -> list[list[str]]:
    """Stacks grouped by dependency depth: wave n holds stacks whose dependencies are all in waves < n."""
    remaining, done, result = set(stacks), set[str](), []
    while remaining:
        wave = sorted(s for s in remaining if set(stacks[s].dependencies) & set(stacks) <= done)
        if not wave:  # a cycle cannot be synthesized; keep going rather than loop
            wave = sorted(remaining)
        result.append(wave)
        done |= set(wave)
        remaining -= set(wave)
    return result


def interruptions(change: ResourceChange) -> Iterator[str]:
    if change.added or change.removed:
        return
    if change.impact in ("WILL_REPLACE", "MAY_REPLACE") and change.resource_type in REPLACE_INTERRUPTS:
        yield REPLACE_INTERRUPTS[change.resource_type]
        return
    specific = [
        INTERRUPTIONS[(change.resource_type, p)] for p in change.props if (change.resource_type, p) in INTERRUPTIONS
    ]
    if specific:
        yield from specific
    elif change.props and (change.resource_type, "*") in INTERRUPTIONS:
        yield INTERRUPTIONS[(change.resource_type, "*")]


def plan(diffs: dict[str, StackDiff], stacks: dict[str, StackInfo]) -> list[str]:
    lines = []
    changing = {s for s, d in diffs.items() if not d.empty}
    removed = sorted(s for s, d in diffs.items() if d.removed_stack)
    for number, wave in enumerate(waves({s: i for s, i in stacks.items()}), start=1):
        touched = [s for s in wave if s in changing]
        if not touched:
            continue
        lines.append(f"wave {number}: {', '.join(touched)}")
        for stack in touched:
            for change in sorted(diffs[stack].resources.values(), key=lambda c: c.logical_id):
                for effect in interruptions(change):
                    lines.append(f"  ! {stack} {change.resource_type} {change.logical_id}: {effect}")
    if removed:
        lines.append(f"removed from the app (cdk deploy leaves them; destroy them deliberately): {', '.join(removed)}")
    return lines
