"""`make diagram`: the architecture picture, drawn from the synthesized cloud assembly (cdk.out).

    python -m scripts.diagram --assembly cdk.out --out docs/diagram [--readme README.md]

Writes `<out>.mmd` (Mermaid source) and `<out>.md` (the same in a fenced block, which GitHub renders);
with `--readme`, also replaces the block between `<!-- architecture:begin -->` and
`<!-- architecture:end -->` in the README.

Mermaid rather than graphviz: GitHub renders it in the README and in docs/ as it is, so neither
developers nor CI need a system package (graphviz is a Debian package, not something `make` can
install from the project's own pinned files), and the text diffs well in review.

What is drawn:
- one box per stack (with its region), holding its main resources by type (VPC, EKS cluster, Aurora,
  Redis, CloudFront, WAF, buckets, vaults, ECR, ...), named by physical name or construct id;
- one arrow per cross-stack reference, producer -> consumer, labelled with what is passed: found as
  Fn::GetStackOutput / Fn::ImportValue in the consumer's template and resolved through the producer's
  Outputs; a stack dependency in manifest.json without such a reference is a dashed arrow.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Resource types worth a node, with their label. Types in COUNTED are drawn once per stack with a count.
MAIN_TYPES: dict[str, str] = {
    "AWS::EC2::VPC": "VPC",
    "AWS::EC2::NatGateway": "NAT gateway",
    "AWS::EKS::Cluster": "EKS cluster",
    "AWS::EKS::Nodegroup": "EKS node group",
    "AWS::EKS::Addon": "EKS add-on",
    "Custom::AWSCDK-EKS-HelmChart": "Helm chart",
    "AWS::RDS::DBCluster": "Aurora cluster",
    "AWS::RDS::DBInstance": "Aurora instance",
    "AWS::ElastiCache::ReplicationGroup": "ElastiCache Redis",
    "AWS::CloudFront::Distribution": "CloudFront",
    "AWS::WAFv2::WebACL": "WAF WebACL",
    "AWS::CertificateManager::Certificate": "ACM certificate",
    "AWS::S3::Bucket": "S3 bucket",
    "AWS::Backup::BackupVault": "backup vault",
    "AWS::Backup::BackupPlan": "backup plan",
    "AWS::ECR::Repository": "ECR repository",
    "AWS::IAM::OIDCProvider": "GitHub OIDC provider",
    "AWS::SecretsManager::Secret": "secret",
    "AWS::SNS::Topic": "SNS topic",
    "AWS::CloudWatch::Dashboard": "CloudWatch dashboard",
}
COUNTED = {"AWS::EC2::NatGateway", "AWS::RDS::DBInstance", "AWS::EKS::Addon", "AWS::SecretsManager::Secret"}
NAME_PROPERTIES = (
    "RepositoryName",
    "DBClusterIdentifier",
    "ReplicationGroupId",
    "BackupVaultName",
    "BucketName",
    "NodegroupName",
    "Name",
    "TopicName",
    "DomainName",
    "Chart",
)
MARKER_BEGIN, MARKER_END = "<!-- architecture:begin -->", "<!-- architecture:end -->"


@dataclass
class Node:
    id: str
    label: str


@dataclass
class Stack:
    artifact_id: str
    stack_name: str
    region: str
    template: dict[str, Any]
    nodes: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class Edge:
    producer: str  # artifact id
    consumer: str
    labels: tuple[str, ...]
    reference: bool  # False: a dependency without a value passed


# ---------------------------------------------------------------------------------------- assembly


def load_stacks(assembly: Path) -> tuple[dict[str, Stack], dict[str, list[str]]]:
    manifest_path = assembly / "manifest.json"
    if not manifest_path.is_file():
        raise SystemExit(f"diagram: {manifest_path} not found: run `make synth` first")
    manifest = json.loads(manifest_path.read_text())
    stacks, dependencies = {}, {}
    artifacts = manifest.get("artifacts", {})
    for artifact_id, artifact in artifacts.items():
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        properties = artifact.get("properties", {})
        template = json.loads((assembly / properties["templateFile"]).read_text())
        region = artifact.get("environment", "aws://unknown/unknown").rsplit("/", 1)[-1]
        stacks[artifact_id] = Stack(artifact_id, properties.get("stackName", artifact_id), region, template)
        dependencies[artifact_id] = [
            dep
            for dep in artifact.get("dependencies", [])
            if artifacts.get(dep, {}).get("type") == "aws:cloudformation:stack"
        ]
    if not stacks:
        raise SystemExit(f"diagram: {assembly} holds no stacks")
    return stacks, dependencies


def _construct_name(logical_id: str) -> str:
    """The logical ID without CDK's 8-digit hash: the construct path, joined. Not `aws:cdk:path` metadata,
    which only the CLI adds, so that `make diagram` and the tests draw the same picture."""
    return re.sub(r"[0-9A-F]{8}$", "", logical_id) or logical_id


def _resource_name(logical_id: str, resource: dict[str, Any]) -> str:
    properties = resource.get("Properties") or {}
    for prop in NAME_PROPERTIES:
        value = properties.get(prop)
        if isinstance(value, str) and value:
            return value
    return _construct_name(logical_id)


def collect_nodes(stack: Stack) -> None:
    counted: dict[str, int] = {}
    for logical_id, resource in sorted(stack.template.get("Resources", {}).items()):
        resource_type = resource.get("Type", "")
        label = MAIN_TYPES.get(resource_type)
        if label is None:
            continue
        if resource_type in COUNTED:
            counted[resource_type] = counted.get(resource_type, 0) + 1
            continue
        name = _resource_name(logical_id, resource)
        stack.nodes.append(Node(_mermaid_id(f"{stack.artifact_id}_{logical_id}"), f"{label}<br/>{name}"))
    for resource_type, count in sorted(counted.items()):
        label = MAIN_TYPES[resource_type] + ("s" if count > 1 else "")
        stack.nodes.append(Node(_mermaid_id(f"{stack.artifact_id}_{resource_type}"), f"{count} {label}"))


# -------------------------------------------------------------------------------------- references


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        if len(value) == 1:
            yield next(iter(value.items()))
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def _output_label(producer: Stack, output_name: str) -> str:
    output = producer.template.get("Outputs", {}).get(output_name, {})
    for fn, arg in _walk(output.get("Value")):
        if fn == "Ref" and isinstance(arg, str) and not arg.startswith("AWS::"):
            return _construct_name(arg)
        if fn == "Fn::GetAtt":
            target = arg[0] if isinstance(arg, list) else str(arg).split(".")[0]
            attribute = arg[1] if isinstance(arg, list) and len(arg) > 1 else ""
            return f"{_construct_name(target)}.{attribute}".rstrip(".")
    return output_name


def cross_stack_edges(stacks: dict[str, Stack], dependencies: dict[str, list[str]]) -> list[Edge]:
    by_stack_name = {stack.stack_name: stack for stack in stacks.values()}
    exports: dict[str, tuple[Stack, str]] = {}
    for stack in stacks.values():
        for name, output in (stack.template.get("Outputs") or {}).items():
            export = (output.get("Export") or {}).get("Name")
            if isinstance(export, str):
                exports[export] = (stack, name)
    labels: dict[tuple[str, str], set[str]] = {}
    for consumer in stacks.values():
        for fn, arg in _walk(consumer.template.get("Resources", {})):
            producer, output_name = None, None
            if fn == "Fn::GetStackOutput" and isinstance(arg, dict):
                producer = by_stack_name.get(str(arg.get("StackName")))
                output_name = str(arg.get("OutputName"))
            elif fn == "Fn::ImportValue" and isinstance(arg, str) and arg in exports:
                producer, output_name = exports[arg]
            if producer is not None and output_name is not None and producer is not consumer:
                key = (producer.artifact_id, consumer.artifact_id)
                labels.setdefault(key, set()).add(_output_label(producer, output_name))
    edges = [Edge(p, c, tuple(sorted(names)), True) for (p, c), names in labels.items()]
    for consumer_id, producer_ids in dependencies.items():
        for producer_id in producer_ids:
            if (producer_id, consumer_id) not in labels:
                edges.append(Edge(producer_id, consumer_id, (), False))
    return sorted(edges, key=lambda e: (e.producer, e.consumer))


# ----------------------------------------------------------------------------------------- mermaid


def _mermaid_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def _quote(text: str) -> str:
    return text.replace('"', "#quot;")


def render(stacks: dict[str, Stack], edges: list[Edge], max_labels: int = 4) -> str:
    lines = ["flowchart LR"]
    for artifact_id in sorted(stacks):
        stack = stacks[artifact_id]
        lines.append(f'  subgraph {_mermaid_id(artifact_id)}["{_quote(artifact_id)} ({stack.region})"]')
        lines.append("    direction TB")
        if not stack.nodes:
            lines.append(f'    {_mermaid_id(artifact_id)}_empty["(no main resources)"]')
        for node in stack.nodes:
            lines.append(f'    {node.id}["{_quote(node.label)}"]')
        lines.append("  end")
    for edge in edges:
        source, target = _mermaid_id(edge.producer), _mermaid_id(edge.consumer)
        if edge.reference:
            shown = list(edge.labels[:max_labels]) + (
                [f"+{len(edge.labels) - max_labels} more"] if len(edge.labels) > max_labels else []
            )
            lines.append(f'  {source} -->|"{_quote(", ".join(shown))}"| {target}')
        else:
            lines.append(f"  {source} -.->|depends on| {target}")
    return "\n".join(lines) + "\n"


def build_diagram(assembly: Path) -> tuple[str, dict[str, Stack], list[Edge]]:
    stacks, dependencies = load_stacks(assembly)
    for stack in stacks.values():
        collect_nodes(stack)
    edges = cross_stack_edges(stacks, dependencies)
    return render(stacks, edges), stacks, edges


def markdown_block(mermaid: str) -> str:
    return f"```mermaid\n{mermaid}```\n"


def inject_readme(readme: Path, mermaid: str) -> None:
    text = readme.read_text()
    if MARKER_BEGIN not in text or MARKER_END not in text:
        raise SystemExit(f"diagram: {readme} has no {MARKER_BEGIN} ... {MARKER_END} block")
    head, rest = text.split(MARKER_BEGIN, 1)
    _, tail = rest.split(MARKER_END, 1)
    note = "<!-- generated by `make diagram` from cdk.out; do not edit by hand -->\n"
    readme.write_text(f"{head}{MARKER_BEGIN}\n{note}{markdown_block(mermaid)}{MARKER_END}{tail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assembly", default="cdk.out", help="synthesized cloud assembly")
    parser.add_argument("--out", default="docs/diagram", help="output path without extension")
    parser.add_argument("--readme", help="README whose architecture block is replaced")
    args = parser.parse_args(argv)
    mermaid, stacks, edges = build_diagram(Path(args.assembly))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".mmd").write_text(mermaid)
    out.with_suffix(".md").write_text(
        "# Architecture\n\nGenerated by `make diagram` from the synthesized app (cdk.out): stacks, their main "
        "resources and the cross-stack references (arrows point from producer to consumer).\n\n"
        + markdown_block(mermaid)
    )
    if args.readme:
        inject_readme(Path(args.readme), mermaid)
    print(
        f"diagram: {len(stacks)} stacks, {len(edges)} cross-stack edges -> {out.with_suffix('.mmd')}, {out.with_suffix('.md')}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
