"""Deployability, proven offline by real validators on the session's synthesized output.

- cdk-nag (AwsSolutions) runs as a validation plugin inside synthesis: the session fixtures would fail
  on any unacknowledged finding; a negative test proves the gate bites.
- cfn-lint and checkov run on every synthesized template.
- Every Kubernetes object the cluster applies is validated against the cluster version's schema
  (kubernetes-validate --strict) and scanned by checkov's Kubernetes checks.
"""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import kubernetes_validate
import pytest
from aws_cdk import aws_s3 as s3

import app as techlib_app
from scripts.suppressions import collect as collect_suppressions
from stacks.common import checkov_skip
from tests.conftest import Synthesized, new_app
from tests.validators import all_manifests, checkov_outcome


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_cfn_lint_reports_nothing_on_any_template(env: str, request: pytest.FixtureRequest) -> None:
    synth: Synthesized = request.getfixturevalue(env)
    assert synth.template_files(), "no templates synthesized"
    result = synth.validators["cfn-lint"].result()
    assert result.stdout.strip() == "" and result.returncode == 0, result.stdout + result.stderr


def test_cdk_nag_gate_fails_synthesis_on_an_unacknowledged_finding(tmp_path: Path) -> None:
    """`app.build` registers this same gate; the session synth passing it means 0 unacknowledged findings."""
    app = new_app(tmp_path)
    stack = cdk.Stack(app, "Probe", env=cdk.Environment(account="111111111111", region="ap-northeast-1"))
    s3.Bucket(stack, "PlainBucket")
    techlib_app.add_validation_plugins(app)
    with pytest.raises(RuntimeError, match=r"ValidationFailed(.|\n)*AwsSolutions-S1"):
        app.synth()


def test_built_in_cloudformation_validation_passed(prod: Synthesized) -> None:
    report = json.loads((prod.outdir / "validation-report.json").read_text())
    conclusions = {r["pluginName"]: r["conclusion"] for r in report["pluginReports"]}
    assert conclusions == {"CloudFormation Validate": "success"}


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_checkov_passes_every_template(env: str, request: pytest.FixtureRequest) -> None:
    synth: Synthesized = request.getfixturevalue(env)
    outcome = checkov_outcome(synth.validators["checkov-cloudformation"])
    assert outcome["passed"] > 0
    assert outcome["parsing_errors"] == 0
    assert outcome["failed"] == [], "\n".join(outcome["failed"])


def _kubernetes_version(synth: Synthesized) -> str:
    return f"{synth.config.eks.kubernetes_version}.0"


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_every_applied_kubernetes_object_validates_strictly(env: str, request: pytest.FixtureRequest) -> None:
    synth: Synthesized = request.getfixturevalue(env)
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
def test_checkov_passes_every_applied_kubernetes_object(env: str, request: pytest.FixtureRequest) -> None:
    synth: Synthesized = request.getfixturevalue(env)
    outcome = checkov_outcome(synth.validators["checkov-kubernetes"])
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
def test_every_acknowledged_finding_carries_a_specific_reason(env: str, request: pytest.FixtureRequest) -> None:
    synth: Synthesized = request.getfixturevalue(env)
    rows = collect_suppressions(synth.outdir)
    assert rows, "no acknowledgements found: the collector is broken"
    vague = [(stack, where, rule) for stack, where, rule, reason in rows if len(reason.split()) < 6]
    assert vague == []
