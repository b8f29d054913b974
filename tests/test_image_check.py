"""`make deploy` refuses, in one line, to deploy images that are not in ECR (scripts/image_check.py).

The lookups are faked: the real one needs an account. The skip path runs the real CLI lookup with no
AWS CLI on PATH, and with one that answers as `aws` does without credentials.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from scripts import image_check
from scripts.image_check import Found, Image, Skip
from tests.conftest import Synthesized

ROOT = Path(__file__).resolve().parent.parent


def test_the_workloads_stack_runs_both_application_images(prod: Synthesized) -> None:
    images = image_check.deployed_images(prod.outdir)
    tag = prod.config.workloads.backend_image.tag
    assert {(i.stack, i.repository, i.tag, i.region) for i in images} >= {
        ("TechLib-prod-Workloads", "techlib/frontend", prod.config.workloads.frontend_image.tag, "ap-northeast-1"),
        ("TechLib-prod-Workloads", "techlib/backend", tag, "ap-northeast-1"),
    }
    # Only the Workloads stack runs them: deploying the Cicd stack alone needs no image.
    assert image_check.deployed_images(prod.outdir, ["TechLib-prod-Cicd"]) == []


def _run(
    prod: Synthesized, lookup: image_check.Lookup, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str]:
    code = image_check.main(["--assembly", str(prod.outdir), *args], lookup=lookup)
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out
    return code, out.strip()


def test_a_missing_tag_refuses_the_deploy_in_one_line(prod: Synthesized, capsys: pytest.CaptureFixture[str]) -> None:
    def lookup(image: Image) -> Found:
        return Found.NO_IMAGE if image.repository == "techlib/backend" else Found.PRESENT

    code, line = _run(prod, lookup, capsys)
    assert code == 1
    tag = prod.config.workloads.backend_image.tag
    assert line.startswith("refusing to deploy: TechLib-prod-Workloads (wave 3) would run images that are not in ECR:")
    assert f"techlib/backend:{tag} (not in the repository)" in line
    assert "techlib/frontend" not in line


def test_an_empty_account_names_the_missing_repositories(prod: Synthesized, capsys: pytest.CaptureFixture[str]) -> None:
    code, line = _run(prod, lambda image: Found.NO_REPOSITORY, capsys)
    assert code == 1
    assert line.count("(repository does not exist)") == 2
    assert line.endswith("Deploy the Cicd stack and push both images first (README, deploy guide)")


def test_present_images_pass(prod: Synthesized, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(prod, lambda image: Found.PRESENT, capsys) == (
        0,
        f"image check: techlib/frontend:{prod.config.workloads.frontend_image.tag}, "
        f"techlib/backend:{prod.config.workloads.backend_image.tag} are in ECR",
    )


def test_deploying_only_the_cicd_stack_needs_no_lookup(prod: Synthesized, capsys: pytest.CaptureFixture[str]) -> None:
    def lookup(image: Image) -> Found:
        raise AssertionError("no lookup for a stack without images")

    assert _run(prod, lookup, capsys, "--stacks", "TechLib-prod-Cicd") == (
        0,
        "image check: the stacks deployed run no ECR image",
    )


def test_without_credentials_the_check_is_skipped_in_one_line(
    prod: Synthesized, capsys: pytest.CaptureFixture[str]
) -> None:
    def lookup(image: Image) -> Found:
        raise Skip("no AWS credentials")

    code, line = _run(prod, lookup, capsys)
    assert code == 0
    assert line.startswith("image check skipped: no AWS credentials; make sure techlib/frontend:")


def _fake_aws(directory: Path, stderr: str, code: int) -> None:
    script = directory / "aws"
    script.write_text(f"#!/bin/sh\necho '{stderr}' >&2\nexit {code}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


@pytest.mark.validators  # runs a fake `aws` program
@pytest.mark.parametrize(
    ("stderr", "code", "expected"),
    [
        ("Unable to locate credentials. You can configure credentials by running aws configure.", 253, Skip),
        (
            "An error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with "
            "imageId {imageTag:'abc'} does not exist within the repository",
            254,
            Found.NO_IMAGE,
        ),
        (
            "An error occurred (RepositoryNotFoundException) when calling the DescribeImages operation: The "
            "repository with name 'techlib/backend' does not exist",
            254,
            Found.NO_REPOSITORY,
        ),
    ],
)
def test_the_cli_lookup_reads_the_clis_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stderr: str, code: int, expected: object
) -> None:
    _fake_aws(tmp_path, stderr, code)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    image = Image("TechLib-prod-Workloads", "techlib/backend", "abc", "ap-northeast-1")
    if expected is Skip:
        with pytest.raises(Skip, match="no AWS credentials"):
            image_check.aws_cli_lookup(image)
    else:
        assert image_check.aws_cli_lookup(image) is expected


def test_without_the_cli_the_lookup_skips(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(Skip, match="the AWS CLI is not installed"):
        image_check.aws_cli_lookup(Image("s", "techlib/backend", "abc", "ap-northeast-1"))


def test_make_deploy_runs_the_check_before_cdk_deploy() -> None:
    recipe = (ROOT / "Makefile").read_text().split("\ndeploy: synth\n", 1)[1].split("\n\n", 1)[0]
    assert recipe.index("scripts.image_check") < recipe.index("deploy $(or $(STACKS),--all)")
