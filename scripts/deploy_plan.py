"""Deploy plan of a synthesized assembly: waves, critical path, and estimated wall times.

    make deploy-plan ENV=prod                          # reads cdk.out and baseline/prod/
    .venv/bin/python -m scripts.deploy_plan --assembly cdk.out --baseline baseline/prod
    .venv/bin/python -m scripts.deploy_plan --assembly cdk.out --concurrency   # prints N only (make deploy)

- Stacks and their dependencies come from the assembly's manifest.json (what `cdk deploy` orders by).
- A wave is the set of stacks whose dependencies all sit in earlier waves; `--concurrency` for
  `cdk deploy` is the widest wave.
- A stack's time is the longest chain of resources inside it (CloudFormation creates independent
  resources of one stack in parallel), each resource weighted by RESOURCE_SECONDS below, plus a fixed
  per-stack overhead. The plan's wall time is the longest chain of stacks through the graph (unlimited
  concurrency; with `--concurrency` = widest wave it is the same, checked by a list-scheduling replay).
- The current diff compares each template with the committed baseline by logical ID: added resources
  cost their creation time, changed ones their update time, removed ones a deletion; unchanged
  resources cost nothing, and an unchanged stack only the CLI's check.
These are estimates to compare layouts with, not promises: AWS's own times vary by region and load.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MIN = 60

# Typical seconds to create / update one resource of a type, with where the figure comes from.
# (create, update)
RESOURCE_SECONDS: dict[str, tuple[int, int]] = {
    # "Cluster creation typically takes between 10 and 15 minutes" (AWS CloudFormation User Guide,
    # AWS::EKS::Cluster); a measured ap-northeast-1 create took 894 s (easontechtalk.com, "Unofficial EKS
    # Cluster Creation Performance", 21 regions). Updates (logging, access config) take minutes.
    "AWS::EKS::Cluster": (15 * MIN, 5 * MIN),
    # Managed node group: EC2 launch + node join; eksctl's create logs show 3-5 min per group (eksbook.com
    # day 07, "why CDK deploys EKS slower"); a rolling update replaces nodes one by one (longer).
    "AWS::EKS::Nodegroup": (5 * MIN, 10 * MIN),
    # EKS add-ons become ACTIVE once their pods run: ~1-2 min (EKS User Guide, "Create an Amazon EKS add-on").
    "AWS::EKS::Addon": (2 * MIN, 1 * MIN),
    "AWS::EKS::AccessEntry": (10, 10),
    "AWS::EKS::PodIdentityAssociation": (10, 10),
    # "Aurora cluster and instance creation can take 10-20 minutes" (AWS agent-toolkit-for-aws skill
    # creating-amazon-aurora-db-cluster-with-instances); the cluster itself is quick, the instances are not.
    "AWS::RDS::DBCluster": (5 * MIN, 5 * MIN),
    "AWS::RDS::DBInstance": (12 * MIN, 10 * MIN),
    # ElastiCache Multi-AZ replication group: ~10-15 min to "available" (AWS ElastiCache User Guide,
    # "Creating a cluster"; estimate, no public measurement found for 2 nodes with TLS).
    "AWS::ElastiCache::ReplicationGroup": (15 * MIN, 10 * MIN),
    # CloudFront distributions deploy to every edge location; terraform-provider issue #8749 measured
    # 15-20 min (2016); AWS cut propagation to minutes since (CloudFront Developer Guide, "Update a
    # distribution": changes apply once propagated). 5 min is the typical figure today.
    "AWS::CloudFront::Distribution": (5 * MIN, 5 * MIN),
    # DNS-validated ACM certificate: CDK's own validation handler waits up to 9.5 min (aws-cdk commit
    # 5b5ca48, issue #2914); ACM retries for up to 72 h (ACM API, CertificateDetail.Status).
    "AWS::CertificateManager::Certificate": (5 * MIN, 1 * MIN),
    # NAT gateway: "pending" to "available" in a few minutes (VPC User Guide, "NAT gateways").
    "AWS::EC2::NatGateway": (2 * MIN, 1 * MIN),
    # Helm releases and kubectl manifests run in the kubectl Lambda; our charts wait for their pods
    # (HELM_TIMEOUT is 15 min as the worst case, 2-3 min typical); the ALB hostname lookup waits for
    # the load balancer controller to provision the ALB (~2-3 min, ELB User Guide).
    "Custom::AWSCDK-EKS-HelmChart": (3 * MIN, 2 * MIN),
    "Custom::AWSCDK-EKS-KubernetesResource": (1 * MIN, 30),
    "Custom::AWSCDK-EKS-KubernetesObjectValue": (3 * MIN, 30),
    # WAFv2 WebACLs are global for CloudFront and take about a minute (WAF Developer Guide).
    "AWS::WAFv2::WebACL": (1 * MIN, 1 * MIN),
    "AWS::WAFv2::LoggingConfiguration": (30, 30),
    # KMS keys, Lambda functions, VPC endpoints, backup vaults: under a minute each (CloudFormation events).
    "AWS::KMS::Key": (1 * MIN, 30),
    "AWS::Lambda::Function": (1 * MIN, 30),
    "AWS::EC2::VPCEndpoint": (2 * MIN, 1 * MIN),
    "AWS::Backup::BackupVault": (30, 10),
    "AWS::SecretsManager::RotationSchedule": (1 * MIN, 30),
    # IAM is eventually consistent; CloudFormation waits for propagation on roles and policies.
    "AWS::IAM::Role": (20, 10),
    "AWS::IAM::Policy": (20, 10),
    "AWS::IAM::ManagedPolicy": (20, 10),
}
# Any other resource type (subnets, routes, security groups, log groups, buckets, alarms...).
DEFAULT_SECONDS = (10, 10)
DELETE_SECONDS = 30
# Change set creation, the stack's own status polling and output reads per stack deploy.
STACK_OVERHEAD_S = 30
# `cdk deploy` of a stack whose template did not change: the CLI compares and skips.
UNCHANGED_STACK_S = 5


@dataclass(frozen=True)
class Stack:
    name: str
    dependencies: tuple[str, ...]
    template: dict[str, Any]


def load_assembly(assembly: Path) -> dict[str, Stack]:
    manifest = json.loads((assembly / "manifest.json").read_text())
    artifacts = manifest["artifacts"]
    names = {name for name, a in artifacts.items() if a["type"] == "aws:cloudformation:stack"}
    return {
        name: Stack(
            name=name,
            dependencies=tuple(sorted(d for d in artifacts[name].get("dependencies", []) if d in names)),
            template=json.loads((assembly / artifacts[name]["properties"]["templateFile"]).read_text()),
        )
        for name in sorted(names)
    }


def waves(stacks: Mapping[str, Stack]) -> list[list[str]]:
    """Stacks grouped by depth: wave k holds the stacks whose deepest dependency is in wave k-1."""
    depth: dict[str, int] = {}

    def level(name: str, seen: tuple[str, ...] = ()) -> int:
        if name in seen:
            raise ValueError(f"dependency cycle: {' -> '.join((*seen, name))}")
        if name not in depth:
            deps = stacks[name].dependencies
            depth[name] = 1 + max((level(d, (*seen, name)) for d in deps), default=-1)
        return depth[name]

    for name in stacks:
        level(name)
    grouped: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for name in sorted(stacks):
        grouped[depth[name]].append(name)
    return grouped


def _references(value: Any) -> Iterator[str]:
    """Logical IDs a template fragment refers to (Ref, Fn::GetAtt, ${X} in Fn::Sub)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                yield inner
            elif key == "Fn::GetAtt":
                target = inner[0] if isinstance(inner, list) else str(inner).split(".")[0]
                yield str(target)
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) else inner
                for part in str(text).split("${")[1:]:
                    yield part.split("}")[0].split(".")[0]
                yield from _references(inner)
            else:
                yield from _references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _references(inner)


def resource_graph(template: Mapping[str, Any]) -> dict[str, set[str]]:
    """Each resource's in-template prerequisites (DependsOn and references)."""
    resources: Mapping[str, Any] = template.get("Resources", {})
    graph: dict[str, set[str]] = {}
    for logical_id, resource in resources.items():
        depends_on = resource.get("DependsOn", [])
        deps = {depends_on} if isinstance(depends_on, str) else set(depends_on)
        deps |= set(_references(resource.get("Properties", {})))
        graph[logical_id] = {d for d in deps if d in resources and d != logical_id}
    return graph


def longest_chain(graph: Mapping[str, set[str]], cost: Callable[[str], float]) -> tuple[float, list[str]]:
    """Length and members of the most expensive dependency chain of a DAG."""
    best: dict[str, tuple[float, list[str]]] = {}

    def finish(node: str) -> tuple[float, list[str]]:
        if node not in best:
            before = max((finish(d) for d in graph[node]), default=(0.0, []), key=lambda r: r[0])
            best[node] = (before[0] + cost(node), [*before[1], node])
        return best[node]

    return max((finish(n) for n in graph), default=(0.0, []), key=lambda r: r[0])


def resource_seconds(resource_type: str, change: str) -> int:
    create, update = RESOURCE_SECONDS.get(resource_type, DEFAULT_SECONDS)
    return {"create": create, "update": update, "delete": DELETE_SECONDS}[change]


def fresh_seconds(stack: Stack) -> float:
    resources = stack.template.get("Resources", {})
    chain, _ = longest_chain(resource_graph(stack.template), lambda r: resource_seconds(resources[r]["Type"], "create"))
    return STACK_OVERHEAD_S + chain


def _comparable(resource: Mapping[str, Any]) -> dict[str, Any]:
    # Metadata (construct paths, suppressions) never changes what CloudFormation provisions.
    return {k: v for k, v in resource.items() if k != "Metadata"}


def resource_changes(template: Mapping[str, Any], baseline: Mapping[str, Any] | None) -> dict[str, str]:
    """logical ID -> create / update / delete, against the baseline template (None: a new stack)."""
    current = template.get("Resources", {})
    before = (baseline or {}).get("Resources", {})
    changes = {r: "create" for r in current if r not in before}
    changes |= {r: "delete" for r in before if r not in current}
    changes |= {r: "update" for r in current if r in before and _comparable(current[r]) != _comparable(before[r])}
    return changes


def changed_template(template: Mapping[str, Any], baseline: Mapping[str, Any] | None) -> bool:
    return baseline is None or json.dumps(template, sort_keys=True) != json.dumps(baseline, sort_keys=True)


def diff_seconds(stack: Stack, baseline: Mapping[str, Any] | None) -> float:
    if not changed_template(stack.template, baseline):
        return UNCHANGED_STACK_S
    changes = resource_changes(stack.template, baseline)
    types = {r: v["Type"] for r, v in {**(baseline or {}).get("Resources", {}), **stack.template["Resources"]}.items()}
    graph = resource_graph(stack.template)
    for removed in (r for r, c in changes.items() if c == "delete"):
        graph[removed] = set()
    chain, _ = longest_chain(graph, lambda r: resource_seconds(types[r], changes[r]) if r in changes else 0)
    return STACK_OVERHEAD_S + chain


def critical_path(stacks: Mapping[str, Stack], seconds: Mapping[str, float]) -> tuple[float, list[str]]:
    graph = {name: set(stack.dependencies) for name, stack in stacks.items()}
    return longest_chain(graph, lambda name: seconds[name])


def schedule(stacks: Mapping[str, Stack], seconds: Mapping[str, float], concurrency: int) -> float:
    """Replays `cdk deploy --concurrency N`: a stack starts once its dependencies are done and a slot is free."""
    done_at: dict[str, float] = {}
    running: list[tuple[float, str]] = []
    now = 0.0
    pending = set(stacks)
    while pending or running:
        ready = sorted(n for n in pending if all(d in done_at for d in stacks[n].dependencies))
        while ready and len(running) < concurrency:
            name = ready.pop(0)
            pending.remove(name)
            running.append((now + seconds[name], name))
        if not running:
            raise ValueError(f"unschedulable stacks: {sorted(pending)}")
        running.sort()
        now, finished = running.pop(0)
        done_at[finished] = now
    return now


@dataclass(frozen=True)
class Plan:
    waves: list[list[str]]
    concurrency: int
    fresh: dict[str, float]
    diff: dict[str, float]
    changed: list[str]
    sequential_s: float
    critical_s: float
    critical: list[str]
    scheduled_s: float
    diff_sequential_s: float
    diff_critical_s: float
    diff_critical: list[str]


def plan(stacks: Mapping[str, Stack], baselines: Mapping[str, dict[str, Any] | None]) -> Plan:
    grouped = waves(stacks)
    concurrency = max(len(w) for w in grouped)
    fresh = {name: fresh_seconds(stack) for name, stack in stacks.items()}
    diff = {name: diff_seconds(stack, baselines.get(name)) for name, stack in stacks.items()}
    critical_s, critical = critical_path(stacks, fresh)
    diff_critical_s, diff_critical = critical_path(stacks, diff)
    return Plan(
        waves=grouped,
        concurrency=concurrency,
        fresh=fresh,
        diff=diff,
        changed=sorted(n for n, s in stacks.items() if changed_template(s.template, baselines.get(n))),
        sequential_s=sum(fresh.values()),
        critical_s=critical_s,
        critical=critical,
        scheduled_s=schedule(stacks, fresh, concurrency),
        diff_sequential_s=sum(diff.values()),
        diff_critical_s=diff_critical_s,
        diff_critical=diff_critical,
    )


def load_baselines(stacks: Mapping[str, Stack], baseline_dir: Path | None) -> dict[str, dict[str, Any] | None]:
    baselines: dict[str, dict[str, Any] | None] = {}
    for name in stacks:
        path = baseline_dir / f"{name}.template.json" if baseline_dir else None
        baselines[name] = json.loads(path.read_text()) if path and path.is_file() else None
    return baselines


def _minutes(seconds: float) -> str:
    return f"{seconds / MIN:5.1f} min"


def render(result: Plan, baseline_dir: Path | None) -> str:
    lines = ["Waves (stacks in one wave deploy together; each waits for the waves before it):"]
    for index, wave in enumerate(result.waves, 1):
        lines.append(f"  {index}. " + ", ".join(f"{n} ({_minutes(result.fresh[n]).strip()})" for n in wave))
    lines += [
        f"cdk deploy --concurrency {result.concurrency} (the widest wave)",
        "",
        "Fresh environment:",
        f"  sequential sum of stacks   {_minutes(result.sequential_s)}",
        f"  critical path              {_minutes(result.critical_s)}  "
        f"({result.critical_s / result.sequential_s:.2f} x sequential)",
        f"    {' -> '.join(result.critical)}",
        f"  replay with concurrency {result.concurrency}  {_minutes(result.scheduled_s)}",
        "",
        f"Current diff against {baseline_dir or 'nothing (no baseline)'}:",
        f"  changed stacks             {', '.join(result.changed) or 'none'}",
        f"  sequential                 {_minutes(result.diff_sequential_s)}",
        f"  critical path              {_minutes(result.diff_critical_s)}",
        f"    {' -> '.join(n for n in result.diff_critical if n in result.changed) or 'nothing to deploy'}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assembly", type=Path, default=Path("cdk.out"))
    parser.add_argument("--baseline", type=Path, help="directory of <stack>.template.json to diff against")
    parser.add_argument("--concurrency", action="store_true", help="print only the widest wave (for make deploy)")
    args = parser.parse_args(argv)
    if not (args.assembly / "manifest.json").is_file():
        sys.exit(f"deploy plan: no assembly at {args.assembly} (run make synth first)")
    stacks = load_assembly(args.assembly)
    if args.concurrency:
        print(max(len(w) for w in waves(stacks)))
        return
    print(render(plan(stacks, load_baselines(stacks, args.baseline)), args.baseline))


if __name__ == "__main__":
    main()
