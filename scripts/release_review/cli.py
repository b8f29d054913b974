"""`make diff`: review cdk.out against the committed baseline, offline, and fail on every danger.

    python -m scripts.offline_diff --env prod                 # review cdk.out against baseline/prod/
    python -m scripts.offline_diff --env prod --update        # `make baseline`: refresh baseline/prod/
    python -m scripts.offline_diff --env prod --baseline-ref origin/main   # against main's baseline

Per stack, the CDK's own diff engine (`@aws-cdk/cloudformation-diff`) computes the change, its
replacement impact and the IAM and security-group changes, printed as `cdk diff` prints them. On top,
the project's policy: stateful replacements and deletions, regenerated credentials, the network a
database lives in, KMS keys, weakened protection, shortened retention, audit logs, broadened access
and weakened edge, TLS, supply-chain and availability floors (fail for prod), and the cluster: every Kubernetes object, Helm release and add-on, old and new.
Exit 1 on any danger not passed with --accept, 2 on unusable input.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from config import AppConfig, ConfigError, load_config
from scripts.release_review import (
    cost_delta,
    impact,
    kubernetes,
    mesh,
    policy,
    protections,
    protections_k8s,
    report,
    security,
)
from scripts.release_review.engine import compute, shared_engine
from scripts.release_review.graph import AppGraph
from scripts.release_review.inputs import ROOT, Baseline, ReviewError, read_assembly
from scripts.release_review.model import Finding


def _config(env: str) -> AppConfig:
    try:
        return load_config(env, environ={})
    except ConfigError as error:
        raise ReviewError(f"configuration error: {error}") from None


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def run(args: argparse.Namespace) -> int:
    config = _config(args.env)
    assembly = read_assembly(Path(args.assembly), config.stack_name(""))
    baseline = Baseline(Path(args.baseline_dir) / args.env, ref=args.baseline_ref)
    base_stacks = baseline.stacks()
    for stack, info in assembly.stacks.items():
        if stack in base_stacks and base_stacks[stack].environment != info.environment:
            raise ReviewError(
                f"{stack} was synthesized for {info.environment}, the baseline for {base_stacks[stack].environment}: "
                "synthesize without AWS credentials or CDK_DEFAULT_ACCOUNT, as the baseline was"
            )
    color = args.color == "always" or (
        args.color == "auto" and (sys.stdout.isatty() or os.environ.get("GITHUB_ACTIONS") == "true")
    )
    old, new = baseline.templates(), assembly.templates
    diffs = compute(old, new, shared_engine(color))
    printer = report.Printer(color)
    source = (f"{args.baseline_ref}:" if args.baseline_ref else "") + _relative(baseline.directory)
    if not old:
        printer.line(
            f"No baseline in {source}: every stack is new. Create it with `make baseline ENV={args.env}`.",
            report.YELLOW,
        )

    old_graph, new_graph = AppGraph(old), AppGraph(new)
    fail_on_broadening = args.broadening == "fail" if args.broadening else args.env == "prod"
    found: list[Finding] = policy.aws_findings(diffs, old_graph, new_graph, base_stacks, assembly.stacks)
    changes = [c for d in diffs.values() for c in d.resources.values()]
    found += security.security_findings(changes, fail_on_broadening)
    old_cluster, new_cluster = kubernetes.read_cluster(old), kubernetes.read_cluster(new)
    cluster = kubernetes.review(old_cluster, new_cluster)
    found += cluster.findings
    found += mesh.mesh_findings(old_cluster, new_cluster, fail=fail_on_broadening)
    cost = cost_delta.review(old, new, base_stacks, assembly.stacks, config)
    found += cost.findings
    # Weakened protections (edge, TLS floors, supply chain, availability floors): fail prod, warn elsewhere.
    fail_on_weakening = args.weakening == "fail" if args.weakening else args.env == "prod"
    found += protections.weakenings(diffs, old, new, fail_on_weakening)
    found += protections_k8s.weakenings(old_cluster, new_cluster, fail_on_weakening)
    found = list(dict.fromkeys(found))

    report.stacks(diffs, printer)
    report.section("Kubernetes changes (decoded manifests, Helm values, add-on configuration)", cluster.lines, printer)
    report.section(
        "Deploy impact (cdk deploy --all, in dependency waves)", impact.plan(diffs, assembly.stacks), printer
    )
    report.section(cost_delta.TITLE, cost.lines, printer)
    report.summary(diffs, source, printer)
    dangers = report.findings(found, set(args.accept), printer)
    if args.markdown:
        report.markdown(
            Path(args.markdown), printer, dangers, f"Release review of {args.env} against {source}", cost.summary
        )
    if args.update:
        for line in baseline.update(assembly):
            printer.line(line)
        printer.line(f"Baseline {source} refreshed: commit it with the change it records.", report.GREEN)
        return 0
    return 1 if dangers and not args.warn_only else 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--env", required=True, help="environment (prod, dev): baseline/<env>/")
    parser.add_argument(
        "--assembly", default=str(ROOT / "cdk.out"), help="synthesized cloud assembly (default cdk.out)"
    )
    parser.add_argument("--baseline-dir", default=str(ROOT / "baseline"), help="directory of the baselines")
    parser.add_argument("--baseline-ref", help="read the baseline from this git revision (e.g. origin/main)")
    parser.add_argument("--update", action="store_true", help="refresh the baseline from cdk.out (make baseline)")
    parser.add_argument(
        "--accept",
        action="append",
        default=[],
        metavar="STACK/ID",
        help="a reviewed, intended danger (the key printed with it)",
    )
    parser.add_argument(
        "--broadening",
        choices=("fail", "warn"),
        help="broadened IAM/security-group access: fail (default for prod) or warn",
    )
    parser.add_argument(
        "--weakening",
        choices=("fail", "warn"),
        help="a weakened protection (WAF, TLS floor, ECR, availability floor): fail (default for prod) or warn",
    )
    parser.add_argument("--warn-only", action="store_true", help="report dangers but exit 0")
    parser.add_argument("--markdown", help="also append the report as Markdown to this file ($GITHUB_STEP_SUMMARY)")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except ReviewError as error:
        print(f"offline diff: {error}", file=sys.stderr)
        return 2
