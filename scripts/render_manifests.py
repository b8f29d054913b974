"""`make manifests`: the Kubernetes objects for review, as dist/*.k8s.yaml.

- `<prefix>-workloads.k8s.yaml`: the workloads chart rendered without the CDK app; values that only
  exist after a deploy (security group ids, an issued certificate's ARN) are `<...>` placeholders.
- with `--assembly cdk.out`, also `<stack>.applied.k8s.yaml` per stack: every object the cluster
  applies (platform, autoscaler, workloads, monitoring), read back from the synthesized templates;
  CloudFormation tokens (ARNs, endpoints) appear as TOKEN.

    python -m scripts.render_manifests --env prod --out dist [--assembly cdk.out]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import cdk8s
import yaml

from config import AppConfig, ConfigError, load_config
from k8s_charts.workloads import (
    WorkloadsChart,
    WorkloadsValues,
    alb_log_bucket_name,
    issues_alb_certificate,
)
from scripts.applied_manifests import applied_manifests


def review_values(config: AppConfig) -> WorkloadsValues:
    """The chart's values for review: deploy-time identifiers become named placeholders."""
    prefix = config.resource_prefix
    certificate_arn = config.workloads.alb_certificate_arn
    if issues_alb_certificate(config):
        certificate_arn = f"<certificate issued by {config.stack_name('Workloads')}>"
    return WorkloadsValues.from_config(
        config,
        alb_log_bucket=alb_log_bucket_name(config),
        alb_security_group_ids=(f"<{prefix}-alb-sg id>", f"<{prefix}-alb-http-sg id>"),
        certificate_arn=certificate_arn,
    )


def render(config: AppConfig, out: Path) -> list[Path]:
    """Write one YAML file per chart into `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.k8s.yaml"):  # a previous environment's render must not pass for this one
        stale.unlink()
    app = cdk8s.App(outdir=str(out), output_file_extension=".k8s.yaml")
    WorkloadsChart(app, f"{config.resource_prefix}-workloads", values=review_values(config))
    app.synth()
    return sorted(out.glob("*.k8s.yaml"))


def render_assembly(assembly: Path, out: Path) -> list[Path]:
    """One YAML stream per stack with every Kubernetes object its manifest resources apply."""
    written = []
    for template in sorted(assembly.glob("*.template.json")):
        objects = applied_manifests(json.loads(template.read_text()))
        if objects:
            path = out / f"{template.name.removesuffix('.template.json')}.applied.k8s.yaml"
            path.write_text(yaml.safe_dump_all(objects, sort_keys=False))
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default="prod", help="environment (config/<env>.yaml)")
    parser.add_argument("--out", default="dist", type=Path, help="output directory")
    parser.add_argument("--assembly", type=Path, help="also write what a synthesized cdk.out applies")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.env)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    written = render(config, args.out)
    if args.assembly:
        written += render_assembly(args.assembly, args.out)
    for path in written:
        print(f"  wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
