"""aws-cdk-lib's own CloudFormation validation plugin (through jsii), run in its own process.

`entrypoint.new_app()` switches the plugin off and runs the same engine natively (scripts/cfn_validate.py);
tests/test_validators.py proves the two agree. The plugin's side is the slow part (a jsii kernel, the
plugin's engine, two probe apps), so the session starts this module beside its own synthesis, like the
other validators, and the tests only compare:

    python -m tests.builtin_validation TEMPLATES_DIR SCRATCH_DIR > findings.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import jsii
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT, REGION = "111111111111", "ap-northeast-1"
Key = tuple[str, str, str, str, str | None]

BROKEN_TEMPLATE = {
    "Resources": {
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": "soon", "NoSuchProperty": 1}},
        "Bucket": {"Type": "AWS::S3::Bucket", "DependsOn": "Missing"},
        "Subnet": {
            "Type": "AWS::EC2::Subnet",
            "Properties": {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "ap-northeast-1a"},
        },
    }
}


@jsii.implements(cdk.IPolicyValidationContext)
class _TemplatesContext:
    """What aws-cdk-lib hands its validation plugins, for templates on disk."""

    def __init__(self, stacks: list[cdk.PolicyValidationStack]) -> None:
        self._stacks = stacks
        self._app = cdk.App()

    @property
    def app_construct(self) -> cdk.App:
        return self._app

    @property
    def stack_templates(self) -> list[cdk.PolicyValidationStack]:
        return self._stacks

    @property
    def template_paths(self) -> list[str]:
        return [s.template_path for s in self._stacks]

    @property
    def account_id(self) -> str | None:
        return None

    @property
    def region(self) -> str | None:
        return None


def built_in_findings(templates: list[Path]) -> list[Key]:
    """aws-cdk-lib's own plugin on these templates, before acknowledgements."""
    stacks = [
        cdk.PolicyValidationStack(
            stack_construct_path=path.name.removesuffix(".template.json"),
            template_path=str(path),
            account_id=ACCOUNT,
            region=REGION,
        )
        for path in templates
    ]
    report = cdk.CloudFormationValidatePlugin().validate(_TemplatesContext(stacks))
    return sorted(
        (Path(r.template_path).name, v.rule_name, v.severity, v.description, r.resource_logical_id)
        for v in report.violations
        for r in v.violating_resources
    )


def probe(app: cdk.App, *, broken: bool) -> None:
    """Two subnets whose fixed zones are acknowledged (W3010), one that is not, and optionally an error."""
    stack = cdk.Stack(app, "Probe", env=cdk.Environment(account=ACCOUNT, region=REGION))
    zones = Construct(stack, "FixedZones")
    for index, zone in enumerate(["ap-northeast-1a", "ap-northeast-1c"]):
        ec2.CfnSubnet(
            zones,
            f"Subnet{index}",
            vpc_id="vpc-0123456789abcdef0",
            cidr_block=f"10.0.{index}.0/24",
            availability_zone=zone,
        )
    cdk.Validations.of(zones).acknowledge(
        cdk.Acknowledgment(id="CloudFormation-Validate::W3010", reason="probe: zones fixed on purpose")
    )
    ec2.CfnSubnet(
        stack,
        "Unacknowledged",
        vpc_id="vpc-0123456789abcdef0",
        cidr_block="10.0.9.0/24",
        availability_zone="ap-northeast-1a",
    )
    if broken:
        cdk.CfnResource(stack, "Broken", type="AWS::SQS::Queue", properties={"VisibilityTimeout": "soon"})


def _context() -> dict[str, Any]:
    context: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
    return context


def run(templates_dir: Path, scratch: Path) -> dict[str, Any]:
    """Everything the equivalence tests compare, from aws-cdk-lib's side."""
    broken = scratch / "Broken.template.json"
    broken.write_text(json.dumps(BROKEN_TEMPLATE))
    # The plugin inside a default App's synth: its report, acknowledgements applied.
    acknowledged = cdk.App(outdir=str(scratch / "acknowledged"), context=_context())
    probe(acknowledged, broken=False)
    acknowledged.synth()
    failing = cdk.App(outdir=str(scratch / "failing"), context=_context())
    probe(failing, broken=True)
    try:
        failing.synth()
        failing_error = None
    except RuntimeError as error:
        failing_error = str(error)
    return {
        "templates": built_in_findings(sorted(templates_dir.glob("*.template.json"))),
        "broken": built_in_findings([broken]),
        "acknowledged_report": json.loads((scratch / "acknowledged" / "validation-report.json").read_text()),
        "failing_error": failing_error,
    }


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]), Path(sys.argv[2]))))
