""".github/workflows/infrastructure.yml: valid against GitHub's workflow schema, calls the Makefile, OIDC only."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, Synthesized

WORKFLOW = ROOT / ".github" / "workflows" / "infrastructure.yml"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials"


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text())
    # YAML 1.1 reads the key `on` as the boolean true.
    data["on"] = data.pop(True, data.get("on"))
    return data


@pytest.fixture(scope="module")
def jobs(workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = workflow["jobs"]
    return result


def _runs(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def _uses(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step for step in job["steps"] if str(step.get("uses", "")).split("@")[0] == action]


def _make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.MULTILINE))


def _schema_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.validators  # check-jsonschema
def test_workflow_is_valid_against_githubs_workflow_schema() -> None:
    result = _schema_check(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.validators  # check-jsonschema
def test_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    shutil.copy(WORKFLOW, broken)
    broken.write_text(broken.read_text().replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest", 1))
    assert _schema_check(broken).returncode != 0


def test_triggers_are_pull_requests_and_pushes_to_main(workflow: dict[str, Any]) -> None:
    assert workflow["on"]["pull_request"] == {"branches": ["main"]}
    assert workflow["on"]["push"] == {"branches": ["main"]}
    # A manual re-run of main takes no inputs: what is deployed is what main holds.
    assert workflow["on"]["workflow_dispatch"] is None


def test_default_token_is_read_only(workflow: dict[str, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read"}


def test_pull_request_checks_call_the_makefile(jobs: dict[str, dict[str, Any]]) -> None:
    runs = _runs(jobs["test"])
    assert "make test" in runs
    assert any(line.startswith("make synth") for run in runs for line in run.splitlines())
    diffs = [run for run in runs if run.startswith("make diff ")]
    assert any("ENV=prod" in run and "--baseline-ref" not in run for run in diffs)
    assert any("ENV=dev" in run for run in diffs)


def test_the_review_diff_reads_the_base_branchs_baseline(jobs: dict[str, dict[str, Any]]) -> None:
    (step,) = [s for s in jobs["test"]["steps"] if "--baseline-ref" in s.get("run", "")]
    assert step["if"] == "github.event_name == 'pull_request'"
    assert step["env"] == {"BASE_REF": "${{ github.base_ref }}"}  # not interpolated into the script
    assert _uses(jobs["test"], "actions/checkout")[0]["with"]["fetch-depth"] == 0


def test_python_311_and_the_node_of_nvmrc_which_is_24(jobs: dict[str, dict[str, Any]]) -> None:
    # jsii supports Node ^22/^24; Node 20 is past its end of life. CI reads the line .nvmrc names, so the
    # workflow, .nvmrc and package.json's engines cannot drift apart (tests/test_node.py).
    assert (ROOT / ".nvmrc").read_text().strip() == "24"
    for name in ("test", "online-diff", "deploy-dev", "plan-prod", "deploy-prod"):
        assert _uses(jobs[name], "actions/setup-python")[0]["with"]["python-version"] == "3.11"
        setup_node = _uses(jobs[name], "actions/setup-node")[0]["with"]
        assert setup_node["node-version-file"] == ".nvmrc" and "node-version" not in setup_node


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_tag() -> None:
    lines = [line for line in WORKFLOW.read_text().splitlines() if line.strip().startswith(("uses:", "- uses:"))]
    assert lines
    for line in lines:
        assert re.search(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v?\d+\.\d+\.\d+$", line), line


def test_charts_are_verified_with_every_release_required(jobs: dict[str, dict[str, Any]]) -> None:
    assert "make verify-charts ENV=prod VERIFY_ARGS=--require-all" in _runs(jobs["test"])


def test_every_run_step_is_a_makefile_target(jobs: dict[str, dict[str, Any]]) -> None:
    targets = _make_targets()
    for name, job in jobs.items():
        for run in _runs(job):
            first = run.strip().splitlines()[0]
            assert first.startswith("make "), f"{name}: {first}"
            for line in run.splitlines():
                if line.strip().startswith("make "):
                    assert line.split()[1] in targets, f"{name}: {line} is not a Makefile target"


def test_security_scan_job(jobs: dict[str, dict[str, Any]]) -> None:
    job = jobs["security-scan"]
    assert "make security-scan" in _runs(job)
    (trivy,) = _uses(job, "aquasecurity/trivy-action")
    assert trivy["with"]["scan-type"] == "fs"
    assert trivy["with"]["exit-code"] == "1"


def test_online_diff_only_on_pull_requests_with_a_configured_role(jobs: dict[str, dict[str, Any]]) -> None:
    job = jobs["online-diff"]
    assert job["if"] == "github.event_name == 'pull_request' && vars.AWS_DIFF_ROLE_ARN != ''"
    (credentials,) = _uses(job, CREDENTIALS_ACTION)
    assert credentials["with"]["role-to-assume"] == "${{ vars.AWS_DIFF_ROLE_ARN }}"
    run = next(r for r in _runs(job) if "diff-online" in r)
    assert "GITHUB_STEP_SUMMARY" in run


def test_main_deploys_dev_automatically(jobs: dict[str, dict[str, Any]]) -> None:
    job = jobs["deploy-dev"]
    assert job["environment"] == "dev"
    assert set(job["needs"]) == {"test", "security-scan"}
    assert "github.ref == 'refs/heads/main'" in job["if"]
    assert "make deploy ENV=dev" in _runs(job)


def test_prod_deploys_after_dev_behind_the_protected_environment(jobs: dict[str, dict[str, Any]]) -> None:
    job = jobs["deploy-prod"]
    assert job["environment"] == "prod"
    assert set(job["needs"]) == {"deploy-dev", "plan-prod"}
    assert "needs.deploy-dev.result == 'success'" in job["if"]
    assert "make deploy ENV=prod REQUIRE_APPROVAL=never" in _runs(job)
    assert jobs["plan-prod"]["needs"] == "deploy-dev"


def test_deploys_are_never_cancelled_half_way(jobs: dict[str, dict[str, Any]]) -> None:
    for name in ("deploy-dev", "deploy-prod"):
        assert jobs[name]["concurrency"]["cancel-in-progress"] is False


def test_aws_access_is_oidc_only(jobs: dict[str, dict[str, Any]]) -> None:
    for name, job in jobs.items():
        credential_steps = _uses(job, CREDENTIALS_ACTION)
        if not credential_steps:
            assert "id-token" not in job.get("permissions", {}), f"{name} asks for an OIDC token it does not use"
            continue
        assert job["permissions"] == {"contents": "read", "id-token": "write"}, name
        for step in credential_steps:
            assert set(step["with"]) <= {
                "role-to-assume",
                "role-session-name",
                "role-duration-seconds",
                "aws-region",
            }, name
            assert step["with"]["role-to-assume"].startswith("${{ vars.AWS_"), name


def test_no_long_lived_keys_anywhere() -> None:
    text = WORKFLOW.read_text().lower()
    for forbidden in ("aws-access-key-id", "aws-secret-access-key", "aws_access_key_id", "aws_secret_access_key"):
        assert forbidden not in text
    assert "secrets." not in text


def test_deploy_jobs_match_the_roles_the_cicd_stack_trusts(
    jobs: dict[str, dict[str, Any]], prod: Synthesized, dev: Synthesized
) -> None:
    """A job's OIDC subject must be one the target role trusts, or the deploy cannot log in."""
    for built, job_name in ((prod, "deploy-prod"), (dev, "deploy-dev")):
        cicd = built.config.cicd
        subject = f"repo:{cicd.github_owner}/{cicd.github_repository}:environment:{jobs[job_name]['environment']}"
        assert built.built.cicd.github.deploy_subjects == [subject]
    diff_subjects = prod.built.cicd.github.diff_subjects
    repo = f"repo:{prod.config.cicd.github_owner}/{prod.config.cicd.github_repository}"
    # online-diff runs on pull requests, plan-prod on a push to the deploy branch; neither names an environment.
    assert f"{repo}:pull_request" in diff_subjects
    assert f"{repo}:ref:refs/heads/{prod.config.cicd.deploy_branch}" in diff_subjects
    assert "environment" not in jobs["online-diff"]
    assert "environment" not in jobs["plan-prod"]
