"""Deployability, proven offline by real validators on the session's synthesized output.

- cdk-nag (AwsSolutions and NIST 800-53 R5) runs as validation plugins inside synthesis: the session fixtures
  of prod and dev would fail on any unacknowledged finding; negative tests prove each gate bites.
- cfn-lint and checkov run on every synthesized template.
- Every Kubernetes object the cluster applies is validated against the cluster version's schema
  (kubernetes-validate --strict) and scanned by checkov's Kubernetes checks.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import cloudformation_validate as cfv
import kubernetes_validate
import pytest
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3

import entrypoint
from findings import checkov_skip, nag_acknowledge
from scripts import cfn_validate
from scripts.suppressions import by_pack, pack_of, render
from scripts.suppressions import collect as collect_suppressions
from stacks.aspects import add_validation_plugins
from tests.builtin_validation import ACCOUNT, BROKEN_TEMPLATE, REGION, probe
from tests.conftest import Synthesized, new_app, validation_engine
from tests.validators import all_manifests, checkov_outcome


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_cfn_lint_reports_nothing_on_any_template(env: str, synthesized: Synthesized) -> None:
    synth = synthesized
    assert synth.template_files(), "no templates synthesized"
    result = synth.validators["cfn-lint"].result()
    assert result.stdout.strip() == "" and result.returncode == 0, result.stdout + result.stderr


def test_cdk_nag_gate_fails_synthesis_on_an_unacknowledged_finding(tmp_path: Path) -> None:
    """`app.build` registers this same gate; the session synth passing it means 0 unacknowledged findings."""
    app = new_app(tmp_path)
    stack = cdk.Stack(app, "Probe", env=cdk.Environment(account="111111111111", region="ap-northeast-1"))
    s3.Bucket(stack, "PlainBucket")
    add_validation_plugins(app)
    with pytest.raises(RuntimeError, match=r"ValidationFailed(.|\n)*AwsSolutions-S1"):
        app.synth()


NIST_PROBE_RULE = "NIST.800.53.R5-CloudWatchLogGroupEncrypted"


@pytest.mark.parametrize("acknowledged", [False, True])
def test_nist_gate_fails_on_a_planted_violation_unless_acknowledged(acknowledged: bool, tmp_path: Path) -> None:
    """A log group without a KMS key: a finding of the NIST 800-53 R5 pack only (AwsSolutions has no such rule)."""
    app = new_app(tmp_path)
    stack = cdk.Stack(app, "Probe", env=cdk.Environment(account="111111111111", region="ap-northeast-1"))
    group = logs.LogGroup(stack, "PlainLogGroup", retention=logs.RetentionDays.ONE_YEAR)
    if acknowledged:
        nag_acknowledge(group, NIST_PROBE_RULE, "a probe: the acknowledgement must silence exactly this finding")
    add_validation_plugins(app)
    if not acknowledged:
        with pytest.raises(RuntimeError, match=r"ValidationFailed") as failed:
            app.synth()
        assert NIST_PROBE_RULE in str(failed.value) and "AwsSolutions-" not in str(failed.value)
    else:
        app.synth()


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_both_nag_packs_gated_the_session_synth(env: str, synthesized: Synthesized) -> None:
    """The session synth of each environment ran both packs as plugins; any finding of either would have failed
    it (a pack reports unacknowledged findings only, so success means zero), and it succeeded."""
    synth = synthesized
    app = synth.built.network.node.root
    assert isinstance(app, cdk.App)
    # The only read of an App's plugins the Python binding offers (deprecated; Validations.plugins is not bound).
    assert [plugin.name for plugin in app.policy_validation_beta1] == ["AwsSolutions", "NIST.800.53.R5"]
    packs = by_pack(collect_suppressions(synth.outdir))
    # Each pack's acknowledgements are in the assembly, with their reasons (checked below).
    assert packs["cdk-nag AwsSolutions"] and packs["cdk-nag NIST.800.53.R5"]


def test_suppressions_are_listed_by_pack(prod: Synthesized) -> None:
    assert pack_of("AwsSolutions-IAM4[Policy::x]") == "cdk-nag AwsSolutions"
    assert pack_of("NIST.800.53.R5-LambdaDLQ") == "cdk-nag NIST.800.53.R5"
    assert pack_of("CloudFormation-Validate::W3010") == "built-in validation"
    assert pack_of("checkov CKV_AWS_18") == "checkov"
    text = render(collect_suppressions(prod.outdir))
    headers = [line for line in text.splitlines() if line.startswith("== ")]
    assert [header.split(":")[0] for header in headers] == [
        "== built-in validation",
        "== cdk-nag AwsSolutions",
        "== cdk-nag NIST.800.53.R5",
        "== checkov",
        "== construct annotation",
    ]
    nist = text.split("== cdk-nag NIST.800.53.R5")[1].split("\n== ")[0]
    assert "NIST.800.53.R5-IAMNoInlinePolicy" in nist and "AwsSolutions-" not in nist


def test_built_in_cloudformation_validation_passed(prod: Synthesized) -> None:
    report = json.loads((prod.outdir / "validation-report.json").read_text())
    conclusions = {r["pluginName"]: r["conclusion"] for r in report["pluginReports"]}
    assert conclusions == {"CloudFormation Validate": "success"}
    (plugin,) = report["pluginReports"]
    assert plugin["pluginVersion"] == cfv.version()
    # The zones the design document fixes, acknowledged on the VPC: reported as suppressed, not dropped.
    assert {v["ruleName"] for v in plugin["suppressedViolations"]} == {"W3010"}


# --- the built-in CloudFormation validation, moved out of jsii: same engine, same findings ---------------
# aws-cdk-lib's side runs in its own process beside the session (tests/builtin_validation.py); the native
# side runs here, on the same templates and the same probe apps.

Key = tuple[str, str, str, str, str | None]


def built_in(prod: Synthesized) -> dict[str, Any]:
    result = prod.validators["built-in validation"].result()
    assert result.returncode == 0, result.stderr[-3000:]
    outcome: dict[str, Any] = json.loads(result.stdout)
    return outcome


def _keys(rows: list[list[Any]]) -> list[Key]:
    return [(row[0], row[1], row[2], row[3], row[4]) for row in rows]


def native_findings(templates: list[Path]) -> list[Key]:
    engine = validation_engine().get()
    return sorted(
        (f"{f.stack}.template.json", f.rule, f.severity, f.description, f.logical_id)
        for path in templates
        for f in cfn_validate.raw_findings(
            engine, path, stack=path.name.removesuffix(".template.json"), account=ACCOUNT, region=REGION
        )
    )


def test_the_native_engine_is_the_version_aws_cdk_lib_bundles() -> None:
    bundled = cfn_validate.bundled_engine_version()
    if bundled is None:
        pytest.skip("aws-cdk-lib is not unpacked in jsii's package cache here: cannot read its engine version")
    assert cfv.version() == bundled


def test_native_and_built_in_validation_find_the_same_on_every_prod_template(prod: Synthesized) -> None:
    templates = prod.template_files()
    assert len(templates) == 12
    reference = _keys(built_in(prod)["templates"])
    assert reference, "the built-in plugin found nothing at all: the comparison would prove nothing"
    assert native_findings(templates) == reference


def test_a_broken_template_gets_the_same_errors_from_both(prod: Synthesized, tmp_path: Path) -> None:
    path = tmp_path / "Broken.template.json"
    path.write_text(json.dumps(BROKEN_TEMPLATE))
    reference = _keys(built_in(prod)["broken"])
    assert {severity for _, _, severity, _, _ in reference} == {"error", "warning"}
    assert native_findings([path]) == reference


def _report_keys(violations: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    return sorted(
        (v["ruleName"], v["severity"], v["description"], c["constructPath"])
        for v in violations
        for c in v["violatingConstructs"]
    )


def test_acknowledgements_suppress_the_same_findings_in_both(prod: Synthesized) -> None:
    """aws-cdk-lib's plugin inside synth (a default App) and the native gate on that same assembly."""
    reference = built_in(prod)["acknowledged_report"]["pluginReports"][0]
    assembly = prod.validators["built-in validation"].output
    assert assembly is not None
    outcome = cfn_validate.validate_assembly(assembly / "acknowledged", validation_engine().get())
    native = [cfn_validate._violation(f) for f in outcome.findings]
    suppressed = [cfn_validate._violation(s.finding) for s in outcome.suppressed]
    assert _report_keys(native) == _report_keys(reference["violations"])
    assert _report_keys(suppressed) == _report_keys(reference["suppressedViolations"])
    assert [k[3] for k in _report_keys(native)] == ["Probe/Unacknowledged"]
    assert len(suppressed) == 2


def test_both_gates_fail_synthesis_on_an_error(prod: Synthesized, tmp_path: Path) -> None:
    error = built_in(prod)["failing_error"]
    assert error is not None and re.search(r"ValidationFailed|Validation failed", error), error
    app = new_app(tmp_path / "native")
    probe(app, broken=True)
    assert entrypoint.validate(app.synth(), validation_engine()) == 1
    report = json.loads((tmp_path / "native" / "validation-report.json").read_text())["pluginReports"][0]
    assert report["conclusion"] == "failure"
    assert any(v["severity"] == "error" for v in report["violations"])


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_checkov_passes_every_template(env: str, synthesized: Synthesized) -> None:
    synth = synthesized
    outcome = checkov_outcome(synth.validators["checkov"], "cloudformation")
    assert outcome["passed"] > 0
    assert outcome["parsing_errors"] == 0
    assert outcome["failed"] == [], "\n".join(outcome["failed"])


def _kubernetes_version(synth: Synthesized) -> str:
    return f"{synth.config.eks.kubernetes_version}.0"


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_every_applied_kubernetes_object_validates_strictly(env: str, synthesized: Synthesized) -> None:
    synth = synthesized
    objects = all_manifests(synth.template_files())
    assert objects, "the cluster applies no manifests"
    errors, custom_kinds = [], set()
    for obj in objects:
        try:
            kubernetes_validate.validate(obj, _kubernetes_version(synth), strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            custom_kinds.add(f"{obj['apiVersion']}/{obj['kind']}")  # CRDs: checked by their charts' tests
        except kubernetes_validate.ValidationError as error:
            errors.append(f"{obj['kind']}/{obj['metadata'].get('name')}: {error.message} at {list(error.path)}")
    assert errors == []
    assert all(".k8s.io" not in kind and "/" in kind for kind in custom_kinds), custom_kinds


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_checkov_passes_every_applied_kubernetes_object(env: str, synthesized: Synthesized) -> None:
    synth = synthesized
    outcome = checkov_outcome(synth.validators["checkov"], "kubernetes")
    assert outcome["passed"] > 0
    assert outcome["failed"] == [], "\n".join(outcome["failed"])


def test_checkov_skip_records_each_check_once(tmp_path: Path) -> None:
    """Aspects run again on a forced re-synthesis; the recorded suppressions must not pile up."""
    stack = cdk.Stack(new_app(tmp_path), "Probe")
    bucket = s3.CfnBucket(stack, "Bucket")
    checkov_skip(bucket, "CKV_AWS_18", "first")
    checkov_skip(bucket, "CKV_AWS_18", "again")
    checkov_skip(bucket, "CKV_AWS_21", "other")
    assert bucket.get_metadata("checkov") == {
        "skip": [{"id": "CKV_AWS_18", "comment": "first"}, {"id": "CKV_AWS_21", "comment": "other"}]
    }


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_every_acknowledged_finding_carries_a_specific_reason(env: str, synthesized: Synthesized) -> None:
    synth = synthesized
    rows = collect_suppressions(synth.outdir)
    assert rows, "no acknowledgements found: the collector is broken"
    vague = [(stack, where, rule) for stack, where, rule, reason in rows if len(reason.split()) < 6]
    assert vague == []
