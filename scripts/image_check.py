"""Before `make deploy`: are the image tags the Workloads stack deploys in their ECR repositories?

    .venv/bin/python -m scripts.image_check --assembly cdk.out [--stacks "TechLib-prod-Cicd ..."]

The repositories start empty (TechLib-<env>-Cicd creates them); a Workloads stack deployed before both
images are pushed starts pods that can never pull, and the site stays down. Exit 1 with one line naming what
is missing; exit 0 with one line when everything is there, when the deploy does not include a stack that
runs the images, or when the check cannot run here (no AWS CLI, no credentials), saying why.

The lookup is `aws ecr describe-images` in the image's region and the credentials' own account (the account
`cdk deploy` deploys to).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from scripts.applied_manifests import applied_manifests
from scripts.deploy_plan import load_assembly, waves

ECR_IMAGE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com/(?P<repository>[^:@]+):(?P<tag>[^:@]+)$"
)
# Errors of `aws` that mean "cannot look", not "the image is missing".
NO_CREDENTIALS = ("Unable to locate credentials", "ExpiredToken", "InvalidClientTokenId", "could not be found")


@dataclass(frozen=True)
class Image:
    stack: str
    repository: str
    tag: str
    region: str

    def __str__(self) -> str:
        return f"{self.repository}:{self.tag}"


class Found(Enum):
    PRESENT = "present"
    NO_IMAGE = "not in the repository"
    NO_REPOSITORY = "repository does not exist"


class Skip(Exception):
    """The lookup cannot run here; the message says why."""


Lookup = Callable[[Image], Found]


def deployed_images(assembly: Path, stacks: Sequence[str] | None = None) -> list[Image]:
    """ECR images of every container the selected stacks (all when None) apply, in stack order."""
    images: list[Image] = []
    for name, stack in load_assembly(assembly).items():
        if stacks is not None and name not in stacks:
            continue
        for obj in applied_manifests(stack.template):
            spec = obj.get("spec", {}).get("template", {}).get("spec", {})
            for container in [*spec.get("initContainers", []), *spec.get("containers", [])]:
                match = ECR_IMAGE.match(str(container.get("image", "")))
                if match:
                    image = Image(name, match["repository"], match["tag"], match["region"])
                    if image not in images:
                        images.append(image)
    return images


def aws_cli_lookup(image: Image) -> Found:
    if shutil.which("aws") is None:
        raise Skip("the AWS CLI is not installed")
    command = ["aws", "ecr", "describe-images", "--region", image.region, "--output", "json"]
    command += ["--repository-name", image.repository, "--image-ids", f"imageTag={image.tag}"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise Skip(f"the AWS CLI did not answer ({error})") from None
    if done.returncode == 0:
        return Found.PRESENT if json.loads(done.stdout).get("imageDetails") else Found.NO_IMAGE
    if "ImageNotFoundException" in done.stderr:
        return Found.NO_IMAGE
    if "RepositoryNotFoundException" in done.stderr:
        return Found.NO_REPOSITORY
    if any(marker in done.stderr for marker in NO_CREDENTIALS):
        raise Skip("no AWS credentials")
    last = done.stderr.strip().splitlines()[-1:] or ["no output"]
    raise Skip(f"aws ecr describe-images failed: {last[0]}")


def check(images: Sequence[Image], lookup: Lookup, *, first_wave_of: dict[str, int]) -> tuple[int, str]:
    """(exit code, the one line to print)."""
    if not images:
        return 0, "image check: the stacks deployed run no ECR image"
    try:
        found = [(image, lookup(image)) for image in images]
    except Skip as why:
        return 0, f"image check skipped: {why}; make sure {', '.join(map(str, images))} are pushed before Workloads"
    missing = [(image, result) for image, result in found if result is not Found.PRESENT]
    if not missing:
        return 0, f"image check: {', '.join(map(str, images))} are in ECR"
    stack = missing[0][0].stack
    what = "; ".join(f"{image} ({result.value})" for image, result in missing)
    return 1, (
        f"refusing to deploy: {stack} (wave {first_wave_of.get(stack, 0) + 1}) would run images that are not in ECR: "
        f"{what}. Deploy the Cicd stack and push both images first (README, deploy guide)"
    )


def main(argv: list[str] | None = None, lookup: Lookup = aws_cli_lookup) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assembly", type=Path, default=Path("cdk.out"))
    parser.add_argument("--stacks", default="", help="space-separated stacks `make deploy STACKS=...` deploys")
    args = parser.parse_args(argv)
    stacks = args.stacks.split() or None
    wave_of = {name: index for index, wave in enumerate(waves(load_assembly(args.assembly))) for name in wave}
    code, line = check(deployed_images(args.assembly, stacks), lookup, first_wave_of=wave_of)
    print(line)
    return code


if __name__ == "__main__":
    sys.exit(main())
