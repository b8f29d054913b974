"""Cross-stack wiring and fixed physical names, checked on synthesized assemblies (no account needed).

    .venv/bin/python -m scripts.assembly_check --assembly cdk.out [--assembly cdk.out.dev ...]

- wiring: every `Fn::GetStackOutput` names a stack of the same assembly, in the region that stack deploys to,
  and an output that stack's template declares; every `Fn::ImportValue` names an export of a stack in the
  importer's account and region. CloudFormation would only find out at deploy time (weak references are
  resolved when the consumer deploys), after the producers are already up.
- names: a fixed physical name (bucket, role, log group, security group, alias, secret, cluster...) is unique
  in the scope AWS enforces it in: S3 bucket names everywhere, IAM names per account, the rest per account
  and region. Given several assemblies (prod and dev), names are compared across them too, so two
  environments sharing an account cannot collide. A name built from pseudo parameters (the account id) is
  resolved with the stack's environment; a name holding any other token is not fixed and not compared.
Exit 1 with one line per finding.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GLOBAL, ACCOUNT, REGION = "everywhere", "per account", "per account and region"
# type -> (property path, scope AWS enforces the name in)
PHYSICAL_NAMES: dict[str, tuple[tuple[str, ...], str]] = {
    "AWS::S3::Bucket": (("BucketName",), GLOBAL),
    "AWS::IAM::Role": (("RoleName",), ACCOUNT),
    "AWS::IAM::ManagedPolicy": (("ManagedPolicyName",), ACCOUNT),
    "AWS::IAM::InstanceProfile": (("InstanceProfileName",), ACCOUNT),
    "AWS::IAM::OIDCProvider": (("Url",), ACCOUNT),
    "AWS::EC2::SecurityGroup": (("GroupName",), REGION),
    "AWS::EC2::LaunchTemplate": (("LaunchTemplateName",), REGION),
    "AWS::Logs::LogGroup": (("LogGroupName",), REGION),
    "AWS::Logs::ResourcePolicy": (("PolicyName",), REGION),
    "AWS::KMS::Alias": (("AliasName",), REGION),
    "AWS::SecretsManager::Secret": (("Name",), REGION),
    "AWS::SecretsManager::RotationSchedule": (("HostedRotationLambda", "RotationLambdaName"), REGION),
    "AWS::Lambda::Function": (("FunctionName",), REGION),
    "AWS::SNS::Topic": (("TopicName",), REGION),
    "AWS::CloudWatch::Alarm": (("AlarmName",), REGION),
    "AWS::ECR::Repository": (("RepositoryName",), REGION),
    "AWS::EKS::Cluster": (("Name",), REGION),
    "AWS::RDS::DBCluster": (("DBClusterIdentifier",), REGION),
    "AWS::RDS::DBInstance": (("DBInstanceIdentifier",), REGION),
    "AWS::RDS::DBSubnetGroup": (("DBSubnetGroupName",), REGION),
    "AWS::ElastiCache::ReplicationGroup": (("ReplicationGroupId",), REGION),
    "AWS::ElastiCache::SubnetGroup": (("CacheSubnetGroupName",), REGION),
    "AWS::ElastiCache::ParameterGroup": (("CacheParameterGroupName",), REGION),
    "AWS::Backup::BackupVault": (("BackupVaultName",), REGION),
    "AWS::Backup::BackupPlan": (("BackupPlan", "BackupPlanName"), REGION),
    "AWS::WAFv2::WebACL": (("Name",), REGION),
    "AWS::Events::Rule": (("Name",), REGION),
}


@dataclass(frozen=True)
class Stack:
    assembly: str
    artifact: str
    name: str
    account: str
    region: str
    template: dict[str, Any]


def load(assembly: Path) -> list[Stack]:
    manifest = json.loads((assembly / "manifest.json").read_text())
    stacks = []
    for artifact, entry in manifest["artifacts"].items():
        if entry["type"] != "aws:cloudformation:stack":
            continue
        account, region = entry["environment"].removeprefix("aws://").split("/")
        properties = entry["properties"]
        template = json.loads((assembly / properties["templateFile"]).read_text())
        stacks.append(Stack(str(assembly), artifact, properties.get("stackName", artifact), account, region, template))
    return stacks


def _walk(value: Any, key: str) -> Iterator[Any]:
    if isinstance(value, dict):
        for inner_key, inner in value.items():
            if inner_key == key:
                yield inner
            yield from _walk(inner, key)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner, key)


def wiring_findings(stacks: Sequence[Stack]) -> list[str]:
    """References between the stacks of one assembly."""
    by_name = {s.name: s for s in stacks}
    exports = {
        (s.account, s.region, output["Export"]["Name"])
        for s in stacks
        for output in s.template.get("Outputs", {}).values()
        if isinstance(output.get("Export", {}).get("Name"), str)
    }
    findings = []
    for stack in stacks:
        for reference in _walk(stack.template, "Fn::GetStackOutput"):
            producer_name, region, output = (reference.get(k) for k in ("StackName", "Region", "OutputName"))
            where = f"[wiring] {stack.name}: Fn::GetStackOutput {producer_name}.{output} in {region}"
            producer = by_name.get(producer_name)
            if producer is None:
                findings.append(f"{where}: no stack {producer_name} in the assembly")
            elif producer.region != region:
                findings.append(f"{where}: {producer_name} deploys to {producer.region}, not {region}")
            elif output not in producer.template.get("Outputs", {}):
                findings.append(f"{where}: {producer_name} declares no output {output}")
        for name in _walk(stack.template, "Fn::ImportValue"):
            if isinstance(name, str) and (stack.account, stack.region, name) not in exports:
                findings.append(f"[wiring] {stack.name}: Fn::ImportValue {name}: no stack exports it in {stack.region}")
    return findings


def _fixed(value: Any, stack: Stack) -> str | None:
    """The name as deployed, or None when it holds a token other than the stack's own pseudo parameters."""
    pseudo = {"AWS::AccountId": stack.account, "AWS::Region": stack.region, "AWS::Partition": "aws"}
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and set(value) == {"Ref"}:
        return pseudo.get(value["Ref"])
    if isinstance(value, dict) and set(value) == {"Fn::Join"}:
        separator, parts = value["Fn::Join"]
        resolved = [_fixed(part, stack) for part in parts]
        return None if None in resolved else str(separator).join(p for p in resolved if p is not None)
    return None


def physical_names(stack: Stack) -> Iterator[tuple[str, str, str, str]]:
    """(type, name, scope key, logical id) of every fixed physical name in a stack."""
    for logical_id, resource in stack.template.get("Resources", {}).items():
        spec = PHYSICAL_NAMES.get(resource.get("Type", ""))
        if spec is None:
            continue
        path, scope = spec
        value: Any = resource.get("Properties", {})
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        name = _fixed(value, stack)
        if name is None:
            continue
        if resource["Type"] == "AWS::WAFv2::WebACL":
            name = f"{resource['Properties'].get('Scope')}/{name}"
        where = {GLOBAL: GLOBAL, ACCOUNT: stack.account, REGION: f"{stack.account}/{stack.region}"}[scope]
        yield resource["Type"], name, where, logical_id


def name_findings(stacks: Sequence[Stack]) -> list[str]:
    """Fixed names used twice in one scope, across every stack given (several assemblies together)."""
    seen: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for stack in stacks:
        for resource_type, name, where, logical_id in physical_names(stack):
            seen[(resource_type, name, where)].append(f"{stack.name}/{logical_id}")
    return [
        f"[names] {resource_type} {name!r} is used {len(users)} times in one scope ({where}): {', '.join(users)}"
        for (resource_type, name, where), users in sorted(seen.items())
        if len(users) > 1
    ]


def findings(assemblies: Sequence[Sequence[Stack]]) -> list[str]:
    wiring = [line for stacks in assemblies for line in wiring_findings(stacks)]
    return wiring + name_findings([stack for stacks in assemblies for stack in stacks])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assembly", type=Path, action="append", required=True, help="repeat for each environment")
    args = parser.parse_args(argv)
    assemblies = [load(path) for path in args.assembly]
    lines = findings(assemblies)
    for line in lines:
        print(line)
    count = sum(len(stacks) for stacks in assemblies)
    print(f"assembly check: {count} stacks in {len(assemblies)} assemblies, {len(lines)} findings")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
