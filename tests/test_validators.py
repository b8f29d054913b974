"""Deployability, proven offline by real validators on the session's synthesized output.

- cdk-nag (AwsSolutions) runs as a validation plugin inside synthesis: the session fixtures would fail
  on any unacknowledged finding; a negative test proves the gate bites.
- cfn-lint and checkov run on every synthesized template.
- Every Kubernetes object the cluster applies is validated against the cluster version's schema
  (kubernetes-validate --strict) and scanned by checkov's Kubernetes checks.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import kubernetes_validate
import pytest
import yaml
from aws_cdk import aws_s3 as s3

import app as techlib_app
from stacks.common import checkov_skip
from tests.conftest import ROOT, Synthesized, new_app
from tests.manifests import applied_manifests

CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
CFN_LINT = ROOT / ".venv" / "bin" / "cfn-lint"


def _all_manifests(synth: Synthesized) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for path in synth.template_files():
        objects.extend(applied_manifests(json.loads(path.read_text())))
    return objects


def _has_cluster(synth: Synthesized) -> bool:
    return any(
        resource.get("Type") == "AWS::EKS::Cluster"
        for path in synth.template_files()
        for resource in json.loads(path.read_text()).get("Resources", {}).values()
    )


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_cfn_lint_reports_nothing_on_any_template(env: str, request: pytest.FixtureRequest) -> None:
    synth: Synthesized = request.getfixturevalue(env)
    templates = [str(p) for p in synth.template_files()]
    assert templates, "no templates synthesized"
    result = subprocess.run(
        [str(CFN_LINT), "--config-file", str(ROOT / ".cfnlintrc.yaml"), "--format", "parseable", "--", *templates],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
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


def _checkov(args: list[str]) -> dict[str, Any]:
    result = subprocess.run(
        [str(CHECKOV), "--config-file", str(ROOT / ".checkov.yaml"), "--output", "json", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
    )
    assert result.returncode in (0, 1), result.stderr[-3000:]
    data = json.loads(result.stdout) if result.stdout.strip() else []
    reports = data if isinstance(data, list) else [data]
    return {
        "failed": [
            f"{c['check_id']} {c['resource']} ({c.get('file_path', '')}): {c['check_name']}"
            for r in reports
            for c in r.get("results", {}).get("failed_checks", [])
        ],
        "passed": sum(r.get("summary", {}).get("passed", 0) for r in reports),
        "parsing_errors": sum(r.get("summary", {}).get("parsing_errors", 0) for r in reports),
    }


def test_checkov_passes_every_template(prod: Synthesized, tmp_path: Path) -> None:
    # Only the templates: cdk.out also holds Lambda asset bundles of the CDK's own handlers.
    for path in prod.template_files():
        (tmp_path / path.name).write_text(path.read_text())
    outcome = _checkov(["--directory", str(tmp_path), "--framework", "cloudformation"])
    assert outcome["passed"] > 0
    assert outcome["parsing_errors"] == 0
    assert outcome["failed"] == [], "\n".join(outcome["failed"])


def _kubernetes_version(synth: Synthesized) -> str:
    return f"{synth.config.eks.kubernetes_version}.0"


def test_every_applied_kubernetes_object_validates_strictly(prod: Synthesized) -> None:
    if not _has_cluster(prod):
        pytest.skip("the app has no EKS cluster yet")
    objects = _all_manifests(prod)
    assert objects, "the cluster applies no manifests"
    errors, custom_kinds = [], set()
    for obj in objects:
        try:
            kubernetes_validate.validate(obj, _kubernetes_version(prod), strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            custom_kinds.add(f"{obj['apiVersion']}/{obj['kind']}")  # CRDs: checked by their charts' tests
        except kubernetes_validate.ValidationError as error:
            errors.append(f"{obj['kind']}/{obj['metadata'].get('name')}: {error.message} at {list(error.path)}")
    assert errors == []
    assert all(".k8s.io" not in kind and "/" in kind for kind in custom_kinds), custom_kinds


def test_checkov_passes_every_applied_kubernetes_object(prod: Synthesized, tmp_path: Path) -> None:
    if not _has_cluster(prod):
        pytest.skip("the app has no EKS cluster yet")
    for index, obj in enumerate(_all_manifests(prod)):
        name = f"{index:03d}-{obj['kind']}-{obj['metadata'].get('name', 'x')}.yaml".lower()
        (tmp_path / name).write_text(yaml.safe_dump(obj, sort_keys=False))
    outcome = _checkov(["--directory", str(tmp_path), "--framework", "kubernetes"])
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
