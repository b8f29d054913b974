"""`make manifests`: render the cdk8s charts to dist/*.k8s.yaml for review, without the CDK app.

Values that only exist after a deploy (security group ids, an issued certificate's ARN) are shown as
`<...>` placeholders; everything else is exactly what WorkloadsStack applies.

    python scripts/render_manifests.py --env prod --out dist
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cdk8s

from config import AppConfig, ConfigError, load_config
from k8s_charts.workloads import (
    WorkloadsChart,
    WorkloadsValues,
    alb_log_bucket_name,
    issues_alb_certificate,
)


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default="prod", help="environment (config/<env>.yaml)")
    parser.add_argument("--out", default="dist", type=Path, help="output directory")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.env)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    for path in render(config, args.out):
        print(f"  wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
