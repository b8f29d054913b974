"""WorkloadsStack: the application chart and its secret sync on the cluster, the ALB's access-log bucket and certificate.

Everything of the cluster that reads the data tier lives here, not in the EKS stack: the app's
SecretStore, ExternalSecrets (`db-credentials`, `redis-credentials`) and ConfigMap `app-config`
(`AppSecrets`), and the External Secrets role's read grant on the Aurora and Redis secrets (an
`iam.Policy` created here and attached to the EKS stack's role). So the EKS platform deploys side by
side with Database and Cache, and only this stack waits for all three.

The chart (k8s_charts/workloads.py) is applied by a `KubernetesManifest` in THIS stack, not by
`cluster.add_cdk8s_chart` (which would put the resource in the EKS stack): the manifest refers to the
log bucket and certificate created here, and this stack reads the Ingress status back, so hosting it
in the EKS stack would make the two stacks depend on each other. Here it also deploys on its own
(an image release touches this stack only). CloudFormation cannot express DependsOn across stacks:
the manifests' dependency on the platform (ALB controller webhook, External Secrets, namespace)
becomes a stack dependency on the EKS stack, which finishes deploying, Helm releases included,
before this stack starts.

The Ingress's ALB is created by the AWS Load Balancer Controller, not by CloudFormation; its hostname
comes back through a `KubernetesObjectValue` (`alb_hostname`) for the CDN stack's origin.
"""

from __future__ import annotations

from typing import Any, Protocol, cast

import aws_cdk as cdk
import cdk8s
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_eks_v2 as eks_v2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import region_info
from constructs import Construct

from addons.external_secrets import secret_reader_statements
from config import AppConfig
from findings import checkov_skip, nag_acknowledge, nag_acknowledge_inline_policy
from k8s_charts.platform import AppSecretsChart, AppSecretsValues
from k8s_charts.workloads import (
    ALB_LOG_PREFIX,
    WorkloadsChart,
    WorkloadsValues,
    alb_log_bucket_name,
    issues_alb_certificate,
)
from names import K8sNames
from stacks.base import TechLibStack
from stacks.common import LOG_NONCURRENT_VERSION_DAYS
from stacks.constructs.eks_platform import EksPlatform
from stacks.network import NetworkStack

# The ALB sets its status a minute or two after the Ingress is applied; allow for a slow first create.
ALB_HOSTNAME_TIMEOUT = cdk.Duration.minutes(10)
ALB_HOSTNAME_JSON_PATH = ".status.loadBalancer.ingress[0].hostname"


class DatabaseOutputs(Protocol):
    """What this stack reads from DatabaseStack."""

    @property
    def secret(self) -> secretsmanager.ISecret: ...
    @property
    def port(self) -> Any: ...


class CacheOutputs(Protocol):
    """What this stack reads from CacheStack."""

    @property
    def auth_token_secret(self) -> secretsmanager.ISecret: ...
    @property
    def primary_endpoint_address(self) -> str: ...
    @property
    def port(self) -> Any: ...


def string_of(value: Any) -> str:
    """A port or endpoint as the string a ConfigMap holds, token or not."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not cdk.Token.is_unresolved(value):
        return str(int(value))
    return cdk.Token.as_string(value)


class WorkloadsStack(TechLibStack):
    """frontend/backend/HPAs/PDBs/Ingress on the cluster; the ALB access-log bucket; the ALB certificate."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        config: AppConfig,
        network: NetworkStack,
        eks: EksPlatform,
        database: DatabaseOutputs,
        cache: CacheOutputs,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            scope,
            id_,
            config=config,
            description="tech-lib workloads: frontend and backend on EKS, the ALB Ingress, ALB access-log bucket",
            **kwargs,
        )
        # jsii's Python stubs omit `kubectl_provider_options` from Cluster, so mypy sees no ICluster in it.
        cluster = cast(eks_v2.ICluster, eks.cluster)
        self.app_secrets = self._app_secrets(cluster, eks=eks, database=database, cache=cache)
        self.alb_log_bucket = self._alb_log_bucket()
        self.certificate = self._certificate() if issues_alb_certificate(config) else None
        certificate_arn = (
            self.certificate.certificate_arn if self.certificate is not None else config.workloads.alb_certificate_arn
        )

        values = WorkloadsValues.from_config(
            config,
            alb_log_bucket=self.alb_log_bucket.bucket_name,
            alb_security_group_ids=tuple(group.security_group_id for group in network.alb_security_groups),
            certificate_arn=certificate_arn,
        )
        # A throwaway cdk8s App: only the chart's JSON is used, the CDK app owns deployment.
        self.chart = WorkloadsChart(cdk8s.App(), "Workloads", values=values)
        self.workloads_manifest = eks_v2.KubernetesManifest(
            self, "WorkloadsManifest", cluster=cluster, manifest=self.chart.manifest()
        )
        # The ALB controller's webhook must answer before any Service/Ingress, the namespace must exist,
        # and External Secrets must have synced db-credentials before the backend pods start.
        self.workloads_manifest.node.add_dependency(eks.app_namespace, *eks.platform_ready, self.app_secrets)
        # The ALB checks it can write its access logs when the attribute is set: the policy must exist first.
        if self.alb_log_bucket.policy is not None:
            self.workloads_manifest.node.add_dependency(self.alb_log_bucket.policy)

        hostname = eks_v2.KubernetesObjectValue(
            self,
            "AlbHostname",
            cluster=cluster,
            object_type="ingress",
            object_name=K8sNames.INGRESS,
            object_namespace=config.workloads.namespace,
            json_path=ALB_HOSTNAME_JSON_PATH,
            timeout=ALB_HOSTNAME_TIMEOUT,
        )
        hostname.node.add_dependency(self.workloads_manifest)
        # The value is read on create and on property changes only. The controller replaces the ALB (new
        # hostname) when the Ingress's load-balancer settings change, so the Ingress is a property: any
        # change to it reads the hostname again and the CDN origin follows.
        ingress = next(o for o in self.chart.manifest() if o["kind"] == "Ingress")
        value_resource = hostname.node.find_child("Resource").node.default_child
        assert isinstance(value_resource, cdk.CfnResource)
        value_resource.add_property_override("Ingress", self.to_json_string(ingress))
        self.alb_hostname: str = hostname.value
        cdk.CfnOutput(self, "AlbHostnameOutput", value=self.alb_hostname, description="The Ingress's ALB")
        cdk.CfnOutput(self, "AlbLogBucketName", value=self.alb_log_bucket.bucket_name)

    def _app_secrets(
        self, cluster: eks_v2.ICluster, *, eks: EksPlatform, database: DatabaseOutputs, cache: CacheOutputs
    ) -> eks_v2.KubernetesManifest:
        """The SecretStore, ExternalSecrets and ConfigMap the pods read, and the operator's grant to sync them."""
        config = self.config
        readable = [database.secret, cache.auth_token_secret]
        # The policy resource lives in this stack and attaches to the EKS stack's role: granting on the
        # role itself would put the statements (and the data tier's ARNs) into the EKS stack.
        reader = iam.Policy(
            self,
            "ExternalSecretsReadsAppSecrets",
            roles=[eks.controllers.external_secrets_role.role],
            statements=secret_reader_statements(
                secrets=readable,
                keys=[s.encryption_key for s in readable if s.encryption_key is not None],
                region=self.region,
            ),
        )
        nag_acknowledge_inline_policy(reader, "The External Secrets operator's read of the app's two secrets")
        chart = AppSecretsChart(
            cdk8s.App(),
            f"{config.resource_prefix}-app-secrets",
            values=AppSecretsValues(
                namespace=config.workloads.namespace,
                region=self.region,
                database_secret_arn=database.secret.secret_arn,
                database_name=config.database.database_name,
                database_port=string_of(database.port),
                redis_secret_arn=cache.auth_token_secret.secret_arn,
                redis_secret_property=None,  # CacheStack generates the bare token, not JSON
                redis_host=cache.primary_endpoint_address,
                redis_port=string_of(cache.port),
            ),
        )
        # overwrite: `kubectl apply` on create, so the objects may already exist (left by an earlier stack
        # that held them, or applied by hand): moving this manifest again never fails on "already exists".
        manifest = eks_v2.KubernetesManifest(
            self, "AppSecrets", cluster=cluster, manifest=chart.to_json(), overwrite=True
        )
        # SecretStore/ExternalSecret are the operator's CRDs (its chart); its credentials must exist first.
        manifest.node.add_dependency(eks.app_namespace, eks.controllers.external_secrets, reader)
        return manifest

    def _alb_log_bucket(self) -> s3.Bucket:
        config = self.config
        bucket = s3.Bucket(
            self,
            "AlbLogBucket",
            # The seed's tech-lib-alb-logs plus the account: bucket names are global across all accounts.
            bucket_name=alb_log_bucket_name(config),
            # ALB access-log delivery supports SSE-S3 only.
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforce_ssl=True,
            versioned=True,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="ExpireAlbLogs",
                    expiration=cdk.Duration.days(config.workloads.alb_log_expiration_days),
                    noncurrent_version_expiration=cdk.Duration.days(LOG_NONCURRENT_VERSION_DAYS),
                    abort_incomplete_multipart_upload_after=cdk.Duration.days(1),
                )
            ],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        log_objects = bucket.arn_for_objects(f"{ALB_LOG_PREFIX}/AWSLogs/{self.account}/*")
        # ELB log delivery: the service principal (regions since 2022), and the region's ELB account for
        # regions older than that such as ap-northeast-1, which AWS still documents for them.
        principals: list[iam.IPrincipal] = [iam.ServicePrincipal("logdelivery.elasticloadbalancing.amazonaws.com")]
        elb_account = region_info.RegionInfo.get(self.region).elbv2_account
        if elb_account:
            principals.append(iam.AccountPrincipal(elb_account))
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AlbAccessLogDelivery",
                actions=["s3:PutObject"],
                principals=principals,
                resources=[log_objects],
            )
        )
        no_access_logs = (
            "The ALB's access-log destination; server access logs of a log bucket would only log the log delivery."
        )
        nag_acknowledge(bucket, "AwsSolutions-S1", no_access_logs)
        nag_acknowledge(bucket, "NIST.800.53.R5-S3BucketLoggingEnabled", no_access_logs)
        nag_acknowledge(
            bucket,
            "NIST.800.53.R5-S3DefaultEncryptionKMS",
            "ALB access-log delivery supports SSE-S3 only (Elastic Load Balancing User Guide, access logs): a bucket "
            "that defaults to SSE-KMS would receive no logs. SSE-S3 encrypts every object at rest.",
        )
        nag_acknowledge(
            bucket,
            "NIST.800.53.R5-S3BucketReplicationEnabled",
            "Access logs of the ALB in this region, kept for workloads.alb_log_expiration_days and versioned; the "
            "design document's cross-region recovery covers the data (Aurora, static assets), not request logs.",
        )
        checkov_skip(
            bucket, "CKV_AWS_18", "The ALB's access-log destination; logging it would only log the log delivery."
        )
        return bucket

    def _certificate(self) -> acm.Certificate:
        """The ALB's regional certificate for the ingress host and CloudFront's origin name, DNS-validated."""
        edge = self.config.edge
        assert edge.hosted_zone_id is not None and edge.hosted_zone_name is not None
        assert edge.alb_origin_domain is not None
        # Attributes, not a lookup: synth runs without credentials.
        zone = route53.HostedZone.from_hosted_zone_attributes(
            self, "HostedZone", hosted_zone_id=edge.hosted_zone_id, zone_name=edge.hosted_zone_name
        )
        host = self.config.workloads.ingress_host
        return acm.Certificate(
            self,
            "AlbCertificate",
            domain_name=host,
            subject_alternative_names=[name for name in (edge.alb_origin_domain,) if name != host],
            validation=acm.CertificateValidation.from_dns(zone),
        )
