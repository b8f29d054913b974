"""What the stacks that run on the cluster (Workloads, Monitoring) read from the EKS stack, as a Protocol:
they depend on these attributes, not on EksStack itself."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from aws_cdk import aws_eks_v2 as eks
from constructs import IConstruct

from addons.pod_identity import PodIdentityRole


class ExternalSecretsController(Protocol):
    @property
    def external_secrets_role(self) -> PodIdentityRole: ...
    @property
    def external_secrets(self) -> IConstruct: ...


class EksPlatform(Protocol):
    """What a stack on the cluster needs from the EKS stack (stacks/eks.py)."""

    @property
    def cluster(self) -> eks.Cluster: ...

    @property
    def app_namespace(self) -> IConstruct: ...

    @property
    def platform_ready(self) -> Sequence[IConstruct]: ...

    @property
    def controllers(self) -> ExternalSecretsController: ...
