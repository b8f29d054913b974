"""The typed, frozen configuration tree: `AppConfig` and, re-exported, every section model.

Each section is a pydantic model in its own module (`config.network`, `config.eks`, ...) with its
constraints next to its fields and its cross-field checks as `@check` methods. `AppConfig` holds the
rules that span sections. `config.loader` builds the tree from `config/<env>.yaml` and reports every
problem at once; `config/schema.json` is generated from these models (`python -m config.jsonschema`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from config.base import LOG_RETENTION_DAYS, Matches, Section, check
from config.cost import CostConfig, CostUsageConfig
from config.data import CacheConfig, DatabaseConfig, EfsConfig
from config.edge import EdgeConfig, WafConfig
from config.eks import SPOT_APP_NODE_GROUP, EksConfig, NodeGroupConfig, SpotNodeGroupConfig, Taint
from config.errors import Problem
from config.mesh import MeshConfig
from config.network import NetworkConfig
from config.operations import BackupConfig, BackupRuleConfig, CicdConfig, MonitoringConfig
from config.patterns import ACCOUNT, ACM_ARN_RE, K8S_NAME_RE, REGION
from config.sizing import AutoscalingConfig, ResourcesConfig, WorkloadSizing
from config.workloads import ImageConfig, WorkloadsConfig


class AppConfig(Section):
    """The whole environment. `name` is the environment (`prod`, `dev`), the file's name."""

    name: SkipJsonSchema[str] = Field(description="The environment: the file's name, not a key.")
    account: Annotated[str, ACCOUNT] = Field(description="Target account; CDK_DEFAULT_ACCOUNT overrides it.")
    region: Annotated[str, REGION] = Field(description="Primary region.")
    project: Annotated[str, Matches(K8S_NAME_RE, "a DNS-1123 label such as tech-lib")] = Field(
        description="Prefix of physical names and tags."
    )
    environment_tag: str = Field(description="The Environment tag (the backup selection's condition).")
    termination_protection: bool = Field(description="CloudFormation termination protection of every stack.")
    network: NetworkConfig = Field(description="VPC and subnets.")
    eks: EksConfig = Field(description="The EKS cluster and its node groups.")
    database: DatabaseConfig = Field(description="Aurora PostgreSQL.")
    cache: CacheConfig = Field(description="ElastiCache.")
    edge: EdgeConfig = Field(description="CloudFront and WAF.")
    workloads: WorkloadsConfig = Field(description="The application on the cluster.")
    monitoring: MonitoringConfig = Field(description="Alarms and logs.")
    backup: BackupConfig = Field(description="AWS Backup.")
    cicd: CicdConfig = Field(description="GitHub Actions OIDC and ECR.")
    tags: dict[str, str] = Field(default_factory=dict, description="Tags on every resource.")
    efs: EfsConfig = Field(default_factory=EfsConfig, description="The app tier's optional EFS file system.")
    mesh: MeshConfig = Field(default_factory=MeshConfig, description="Istio ambient service mesh.")
    cost: CostConfig = Field(default_factory=CostConfig, description="Usage assumptions of `make cost`.")

    @check("region", "network.availability_zones")
    def _zones_in_region(self) -> Iterator[Problem]:
        for zone in self.network.availability_zones:
            if not zone.startswith(self.region) or not re.match(r"^[a-z]$", zone[len(self.region) :]):
                yield Problem(
                    ("network", "availability_zones"),
                    f"{zone!r} is not a zone of region {self.region}",
                    f"{self.region}a, {self.region}c, ...",
                )
                return

    @check("region", "backup.dr_region")
    def _dr_region(self) -> Iterator[Problem]:
        if self.backup.dr_region == self.region:
            yield Problem(
                ("backup", "dr_region"),
                f"{self.backup.dr_region!r} is the primary region",
                "a second region, e.g. ap-northeast-3",
            )

    @check("region", "edge.domain_name", "workloads.alb_certificate_arn")
    def _alb_certificate(self) -> Iterator[Problem]:
        arn = self.workloads.alb_certificate_arn
        if arn is not None and not self.edge.has_domain:
            yield Problem(
                ("edge", "domain_name"),
                "is missing but workloads.alb_certificate_arn is set: a certificate needs the domain it is issued for",
                "a DNS name such as tech-lib.example.com, or no alb_certificate_arn",
            )
        match = re.match(ACM_ARN_RE, arn) if arn is not None and self.edge.has_domain else None
        if match and match.group(1) != self.region:
            yield Problem(
                ("workloads", "alb_certificate_arn"),
                f"certificate is in {match.group(1)}, the ALB is in {self.region}",
                f"an ACM certificate in {self.region}",
            )

    @check("name", "workloads.allow_latest_tag")
    def _latest_in_prod(self) -> Iterator[Problem]:
        if self.name == "prod" and self.workloads.allow_latest_tag:
            yield Problem(("workloads", "allow_latest_tag"), "true in prod", "false in prod")

    @check("edge.domain_name", "edge.hosted_zone_name", "workloads.alb_certificate_arn", "workloads.ingress_host")
    def _ingress_host_in_zone(self) -> Iterator[Problem]:
        # The workloads stack issues the ALB certificate, DNS-validated in the configured zone.
        zone = self.edge.hosted_zone_name
        host = self.workloads.ingress_host
        issues_certificate = self.edge.has_domain and self.workloads.alb_certificate_arn is None
        if issues_certificate and zone is not None and not (host == zone or host.endswith("." + zone)):
            yield Problem(
                ("workloads", "ingress_host"),
                f"{host!r} is not inside hosted zone {zone!r}, so its ALB certificate cannot be DNS-validated",
                f"a name ending in {zone}, or an existing certificate in workloads.alb_certificate_arn",
            )

    @check("mesh.namespaces", "workloads.namespace")
    def _meshed_namespaces(self) -> Iterator[Problem]:
        # The authorization declaration (k8s_charts/mesh_policy.py) covers the app namespace's workloads: a
        # namespace it knows nothing of would get a default-deny policy and lose all its traffic.
        known = (self.workloads.namespace,)
        for namespace in self.mesh.namespaces:
            if namespace not in known:
                yield Problem(
                    ("mesh", "namespaces"),
                    f"{namespace!r} has no authorization declaration: its default-deny policy would cut all its traffic",
                    ", ".join(known),
                )

    @property
    def is_production(self) -> bool:
        return self.name == "prod"

    @property
    def resource_prefix(self) -> str:
        """Prefix of physical names: the seed's names in prod (tech-lib-...), tech-lib-<env>-... elsewhere."""
        return self.project if self.is_production else f"{self.project}-{self.name}"

    def stack_name(self, component: str) -> str:
        return f"TechLib-{self.name}-{component}"


__all__ = [
    "LOG_RETENTION_DAYS",
    "SPOT_APP_NODE_GROUP",
    "AppConfig",
    "AutoscalingConfig",
    "BackupConfig",
    "BackupRuleConfig",
    "CacheConfig",
    "CicdConfig",
    "CostConfig",
    "CostUsageConfig",
    "DatabaseConfig",
    "EdgeConfig",
    "EfsConfig",
    "EksConfig",
    "ImageConfig",
    "MeshConfig",
    "MonitoringConfig",
    "NetworkConfig",
    "NodeGroupConfig",
    "ResourcesConfig",
    "SpotNodeGroupConfig",
    "Taint",
    "WafConfig",
    "WorkloadSizing",
    "WorkloadsConfig",
]
