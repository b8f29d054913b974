"""CdnStack: the seed's CloudFront distribution in front of the ALB, the static-assets bucket and the log bucket.

Two modes, chosen by `edge.domain_name`:
- with a domain: viewers reach `<domain>` (alias records here, certificate from the edge stack) and
  CloudFront reaches the ALB over HTTPS as `origin.<domain>`, a CNAME to the ALB that the ALB's
  certificate covers: TLS end to end, as the seed has it.
- without one: the distribution's *.cloudfront.net certificate, and CloudFront reaches the ALB by its
  own hostname over HTTP, since no certificate can be issued for an elb.amazonaws.com name. The ALB
  still accepts only CloudFront's origin-facing addresses (network stack).
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_kms as kms
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as targets
from aws_cdk import aws_s3 as s3
from constructs import Construct

from config import AppConfig
from findings import checkov_skip, nag_acknowledge
from names import PathPatterns, Ports
from stacks.base import TechLibStack
from stacks.common import LOG_NONCURRENT_VERSION_DAYS
from stacks.edge import EdgeStack

COMMENT = "Tech Library Management System CDN"
ALB_ORIGIN_ID = "ALBOrigin"
S3_ORIGIN_ID = "S3Origin"
CLOUDFRONT_LOG_PREFIX = "cloudfront-logs/"
S3_ACCESS_LOG_PREFIX = "s3-access-logs/static-assets/"
STATIC_PATH_PATTERN = f"{PathPatterns.STATIC_PREFIX}/*"
API_PATH_PATTERN = f"{PathPatterns.API_PREFIX}/*"
ORIGIN_RECORD_TTL = cdk.Duration.minutes(5)
PRICE_CLASSES = {
    "PriceClass_All": cloudfront.PriceClass.PRICE_CLASS_ALL,
    "PriceClass_200": cloudfront.PriceClass.PRICE_CLASS_200,
    "PriceClass_100": cloudfront.PriceClass.PRICE_CLASS_100,
}


class CdnStack(TechLibStack):
    """CloudFront (WebACL and certificate from the us-east-1 edge stack) over the ALB and the static-assets bucket."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        config: AppConfig,
        edge: EdgeStack,
        alb_hostname: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            scope,
            id_,
            config=config,
            description="tech-lib CDN: CloudFront distribution, static-assets and log buckets, DNS records",
            **kwargs,
        )
        self.edge_config = config.edge
        self.log_bucket = self._log_bucket()
        self.static_assets_bucket = self._static_assets_bucket()

        self.distribution = self._distribution(edge, alb_hostname)
        zone = self._hosted_zone()
        if zone is not None:
            # The origin name must resolve before the distribution sends traffic to it.
            self.distribution.node.add_dependency(self._origin_record(zone, alb_hostname))
            self._alias_records(zone)

        cdk.CfnOutput(self, "DistributionId", value=self.distribution.distribution_id)
        cdk.CfnOutput(self, "DistributionDomainName", value=self.distribution.distribution_domain_name)
        cdk.CfnOutput(self, "StaticAssetsBucketName", value=self.static_assets_bucket.bucket_name)

    # --- buckets -------------------------------------------------------------------------------------

    def _log_bucket(self) -> s3.Bucket:
        bucket = s3.Bucket(
            self,
            "LogBucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            # CloudFront standard logging writes through the bucket ACL (awslogsdelivery), so ACLs stay enabled.
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            versioned=True,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="ExpireLogs",
                    expiration=cdk.Duration.days(self.edge_config.log_bucket_expiration_days),
                    noncurrent_version_expiration=cdk.Duration.days(LOG_NONCURRENT_VERSION_DAYS),
                    abort_incomplete_multipart_upload_after=cdk.Duration.days(1),
                )
            ],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        nag_acknowledge(
            bucket,
            "AwsSolutions-S1",
            "This is the access-log destination of the distribution and the static-assets bucket; logging it to itself would loop.",
        )
        nag_acknowledge(
            bucket,
            "NIST.800.53.R5-S3DefaultEncryptionKMS",
            "Two AWS log deliveries write here (CloudFront standard logging through the bucket ACL, S3 server access "
            "logging): with a customer-managed key each needs its service admitted by the key policy, and a delivery "
            "the key refuses is dropped silently, with no deploy-time error. SSE-S3 encrypts every object at rest.",
        )
        nag_acknowledge(
            bucket,
            "NIST.800.53.R5-S3BucketReplicationEnabled",
            "Access logs of the distribution and the static-assets bucket, kept for edge.log_bucket_expiration_days and "
            "versioned; the design document's cross-region recovery covers the data (Aurora, static assets), not request logs.",
        )
        checkov_skip(bucket, "CKV_AWS_18", "The log destination bucket itself; logging it to itself would loop.")
        return bucket

    def _static_assets_bucket(self) -> s3.Bucket:
        # A customer-managed key (NIST 800-53 R5 S3DefaultEncryptionKMS): CloudFront reads through origin access
        # control, which S3BucketOrigin admits in the key policy; AWS Backup's S3 policies use it through S3.
        key = kms.Key(
            self,
            "StaticAssetsKey",
            alias=f"alias/{self.config.resource_prefix}/static-assets",
            description=f"Encrypts the {self.config.resource_prefix} static-assets bucket",
            enable_key_rotation=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        bucket = s3.Bucket(
            self,
            "StaticAssetsBucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.KMS,
            encryption_key=key,
            # One data key per bucket instead of a KMS request per object read or written.
            bucket_key_enabled=True,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            # AWS Backup (backup stack) protects this bucket and requires versioning.
            versioned=True,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="ExpireOldVersions",
                    noncurrent_version_expiration=cdk.Duration.days(30),
                    abort_incomplete_multipart_upload_after=cdk.Duration.days(1),
                )
            ],
            server_access_logs_bucket=self.log_bucket,
            server_access_logs_prefix=S3_ACCESS_LOG_PREFIX,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        dr_region = self.config.backup.dr_region
        nag_acknowledge(
            bucket,
            "NIST.800.53.R5-S3BucketReplicationEnabled",
            f"AWS Backup's plan (backup stack) takes daily recovery points of this bucket and copies them to {dr_region}, "
            "the design document's multi-region backup; replication would be a second copy of the same files."
            if dr_region
            else "AWS Backup's plan (backup stack) takes daily recovery points of this bucket; a second region is off "
            f"by configuration in the {self.config.name} environment (backup.dr_region), for replication as for backup.",
        )
        return bucket

    # --- DNS -----------------------------------------------------------------------------------------

    def _hosted_zone(self) -> route53.IHostedZone | None:
        edge = self.edge_config
        if edge.hosted_zone_id is None or edge.hosted_zone_name is None or not edge.has_domain:
            return None
        # Attributes, not a lookup: synth runs without credentials.
        return route53.HostedZone.from_hosted_zone_attributes(
            self, "HostedZone", hosted_zone_id=edge.hosted_zone_id, zone_name=edge.hosted_zone_name
        )

    def _origin_record(self, zone: route53.IHostedZone, alb_hostname: str) -> route53.CnameRecord:
        assert self.edge_config.alb_origin_domain is not None
        return route53.CnameRecord(
            self,
            "AlbOriginRecord",
            zone=zone,
            record_name=self.edge_config.alb_origin_domain,
            domain_name=alb_hostname,
            ttl=ORIGIN_RECORD_TTL,
        )

    def _alias_records(self, zone: route53.IHostedZone) -> None:
        target = route53.RecordTarget.from_alias(targets.CloudFrontTarget(self.distribution))
        route53.ARecord(self, "SiteAliasRecord", zone=zone, record_name=self.edge_config.domain_name, target=target)
        route53.AaaaRecord(
            self, "SiteAliasRecordIpv6", zone=zone, record_name=self.edge_config.domain_name, target=target
        )

    # --- distribution --------------------------------------------------------------------------------

    def _alb_origin(self, alb_hostname: str) -> cloudfront.IOrigin:
        if self.edge_config.alb_origin_domain is not None:
            return origins.HttpOrigin(
                self.edge_config.alb_origin_domain,
                origin_id=ALB_ORIGIN_ID,
                protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
                origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
                http_port=Ports.HTTP,
                https_port=Ports.HTTPS,
            )
        # No domain, no ALB certificate: an elb.amazonaws.com name cannot get one, so CloudFront speaks HTTP to it.
        return origins.HttpOrigin(
            alb_hostname,
            origin_id=ALB_ORIGIN_ID,
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTP_ONLY,
            origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
            http_port=Ports.HTTP,
            https_port=Ports.HTTPS,
        )

    def _distribution(self, edge: EdgeStack, alb_hostname: str) -> cloudfront.Distribution:
        alb = self._alb_origin(alb_hostname)
        static = origins.S3BucketOrigin.with_origin_access_control(self.static_assets_bucket, origin_id=S3_ORIGIN_ID)
        nag_acknowledge(
            self,
            "Annotation::@aws-cdk/aws-cloudfront-origins:wildcardKeyPolicyForOac",
            "The static-assets key admits CloudFront for any distribution of this account (naming this one would make "
            "key, bucket and distribution depend on each other); the bucket policy still admits this distribution only, "
            "and reading an object needs both.",
        )
        domain = self.edge_config.domain_name
        viewer_tls: dict[str, Any] = {}
        if domain is not None:
            viewer_tls = {
                "certificate": edge.certificate,
                "domain_names": [domain],
                "ssl_support_method": cloudfront.SSLMethod.SNI,
                "minimum_protocol_version": cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            }
        distribution = cloudfront.Distribution(
            self,
            "Distribution",
            enabled=True,
            comment=COMMENT,
            default_root_object="index.html",
            price_class=PRICE_CLASSES[self.edge_config.price_class],
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            default_behavior=cloudfront.BehaviorOptions(
                origin=alb,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                cached_methods=cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
                compress=True,
                cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
            ),
            additional_behaviors={
                STATIC_PATH_PATTERN: cloudfront.BehaviorOptions(
                    origin=static,
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                    cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                ),
                # The seed's CORS-S3Origin policy drops the query string and most headers an API needs
                # (README, deviations); the seed lists no methods here, and GET/HEAD alone would refuse every write.
                API_PATH_PATTERN: cloudfront.BehaviorOptions(
                    origin=alb,
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                    allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                    cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                    origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                ),
            },
            web_acl_id=edge.web_acl_arn,
            enable_logging=True,
            log_bucket=self.log_bucket,
            log_file_prefix=CLOUDFRONT_LOG_PREFIX,
            log_includes_cookies=False,
            **viewer_tls,
        )
        nag_acknowledge(
            distribution,
            "AwsSolutions-CFR1",
            "Countries are blocked by the WebACL's GeoBlockRule (seed: CN, RU, KP), which also counts what it blocks.",
        )
        if domain is None:
            reason = (
                "No domain configured: the distribution serves *.cloudfront.net with CloudFront's default "
                "certificate, whose security policy AWS fixes; viewers are still redirected to HTTPS."
            )
            nag_acknowledge(distribution, "AwsSolutions-CFR4", reason)
            checkov_skip(distribution, "CKV_AWS_174", reason)
            http_origin = (
                "No domain configured: the ALB has no certificate (none can be issued for an elb.amazonaws.com name), "
                "so CloudFront reaches it over HTTP; the ALB accepts only CloudFront's origin-facing prefix list."
            )
            nag_acknowledge(distribution, "AwsSolutions-CFR5", http_origin)
            checkov_skip(distribution, "CKV2_AWS_72", http_origin)
        return distribution
