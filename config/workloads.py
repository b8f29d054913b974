"""The `workloads` section: the application's images, namespace, ingress and sizing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from pydantic import Field

from config.base import Matches, Range, Section, check
from config.errors import Problem
from config.patterns import ACM_ARN, DOMAIN_RE, IMAGE_REPOSITORY, IMAGE_TAG, K8S_NAME_RE
from config.sizing import WorkloadSizing


class ImageConfig(Section):
    repository: Annotated[str, IMAGE_REPOSITORY] = Field(
        description="ECR repository name (account's registry) or a full registry/repository."
    )
    tag: Annotated[str, IMAGE_TAG] = Field(description="Image tag; `-c imageTag=` overrides both workloads' tags.")

    @property
    def reference(self) -> str:
        return f"{self.repository}:{self.tag}"


class WorkloadsConfig(Section):
    namespace: Annotated[str, Matches(K8S_NAME_RE, "a DNS-1123 label")] = Field(description="The app's namespace.")
    ingress_host: Annotated[str, Matches(DOMAIN_RE, "a lower-case DNS name")] = Field(
        description="Host name the ALB Ingress serves."
    )
    frontend_image: ImageConfig = Field(description="The frontend's image.")
    backend_image: ImageConfig = Field(description="The backend's image.")
    frontend: WorkloadSizing = Field(description="Sizing of the frontend.")
    backend: WorkloadSizing = Field(description="Sizing of the backend.")
    alb_certificate_arn: Annotated[str, ACM_ARN] | None = Field(
        default=None, description="An existing ALB certificate instead of one issued for ingress_host."
    )
    allow_latest_tag: bool = Field(default=False, description="Accept the `latest` tag (never in prod).")
    alb_log_expiration_days: Annotated[int, Range(1, 3650)] = Field(
        default=90, description="ALB access logs (S3) expire after this many days."
    )

    @check("frontend_image.tag", "backend_image.tag", "allow_latest_tag")
    def _latest(self) -> Iterator[Problem]:
        for name, image in (("frontend_image", self.frontend_image), ("backend_image", self.backend_image)):
            if image.tag == "latest" and not self.allow_latest_tag:
                yield Problem(
                    (name, "tag"),
                    "'latest' is not a release",
                    "an immutable tag such as a git SHA or semver, or allow_latest_tag: true outside prod",
                )
