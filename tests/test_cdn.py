"""The seed's CloudFront section on the CdnStack, in both modes: prod (a domain) and dev (no domain)."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template

from tests.conftest import Synthesized
from tests.resources import Locator

ENVS = ["prod", "dev"]
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
CORS_S3_ORIGIN = "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf"
ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]
BUCKETS = ["static_assets_bucket", "log_bucket"]


def _cdn(synth: Synthesized) -> Template:
    return synth.template(synth.built.cdn)


def _bucket_id(synth: Synthesized, bucket: str) -> str:
    """The logical ID of a bucket the CdnStack exposes (static_assets_bucket or log_bucket)."""
    stack = synth.built.cdn
    resource = getattr(stack, bucket).node.default_child
    assert isinstance(resource, cdk.CfnElement)
    return stack.get_logical_id(resource)


def _config(template: Template) -> dict[str, Any]:
    distributions = template.find_resources("AWS::CloudFront::Distribution")
    assert len(distributions) == 1
    config: dict[str, Any] = next(iter(distributions.values()))["Properties"]["DistributionConfig"]
    return config


def _origin(template: Template, origin_id: str) -> dict[str, Any]:
    origins = {origin["Id"]: origin for origin in _config(template)["Origins"]}
    assert set(origins) == {"ALBOrigin", "S3Origin"}
    return origins[origin_id]


def _behavior(template: Template, path_pattern: str) -> dict[str, Any]:
    behaviors = {b["PathPattern"]: b for b in _config(template)["CacheBehaviors"]}
    assert set(behaviors) == {"/static/*", "/api/*"}
    return behaviors[path_pattern]


def _stack_output(synth: Synthesized, reference: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The stack (by name) and output value that a Fn::GetStackOutput reference reads."""
    get = reference["Fn::GetStackOutput"]
    producer = next(s for s in synth.built.stacks if s.stack_name == get["StackName"])
    assert producer.region == get["Region"]
    value: dict[str, Any] = synth.template_json(producer)["Outputs"][get["OutputName"]]["Value"]
    return producer.stack_name, value


# --- distribution ------------------------------------------------------------------------------------


@pytest.mark.parametrize("env", ENVS)
def test_distribution_general_settings(env: str, synthesized: Synthesized) -> None:
    config = _config(_cdn(synthesized))
    assert config["Enabled"] is True
    assert config["Comment"] == "Tech Library Management System CDN"
    assert config["DefaultRootObject"] == "index.html"
    assert config["PriceClass"] == "PriceClass_All"


@pytest.mark.parametrize("env", ENVS)
def test_distribution_speaks_http2_and_http3(env: str, synthesized: Synthesized) -> None:
    assert _config(_cdn(synthesized))["HttpVersion"] == "http2and3"


def test_prod_alb_origin_is_the_origin_name_over_https_only_tls12(prod: Synthesized) -> None:
    origin = _origin(prod.template(prod.built.cdn), "ALBOrigin")
    assert origin["DomainName"] == "origin.tech-lib.example.com"
    assert origin["CustomOriginConfig"] == {
        "HTTPPort": 80,
        "HTTPSPort": 443,
        "OriginProtocolPolicy": "https-only",
        "OriginSSLProtocols": ["TLSv1.2"],
    }


def test_dev_alb_origin_is_the_alb_hostname_over_http(dev: Synthesized) -> None:
    origin = _origin(dev.template(dev.built.cdn), "ALBOrigin")
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "http-only"
    assert origin["CustomOriginConfig"]["HTTPPort"] == 80


@pytest.mark.parametrize("env", ENVS)
def test_alb_hostname_comes_from_the_ingress_status(env: str, synthesized: Synthesized) -> None:
    """dev: the origin itself; prod: the CNAME behind origin.<domain>. Either way the Workloads stack's read-back."""
    synth = synthesized
    template = synth.template(synth.built.cdn)
    if env == "dev":
        reference = _origin(template, "ALBOrigin")["DomainName"]
    else:
        records = template.find_resources("AWS::Route53::RecordSet", {"Properties": {"Type": "CNAME"}})
        (record,) = records.values()
        (reference,) = record["Properties"]["ResourceRecords"]
    stack_name, value = _stack_output(synth, reference)
    assert stack_name == f"TechLib-{env}-Workloads"
    object_values = synth.template(synth.built.workloads).find_resources(
        "Custom::AWSCDK-EKS-KubernetesObjectValue",
        {
            "Properties": {
                "ObjectType": "ingress",
                "ObjectName": "tech-lib-ingress",
                "JsonPath": Match.string_like_regexp("hostname"),
            }
        },
    )
    assert len(object_values) == 1
    assert value == {"Fn::GetAtt": [next(iter(object_values)), "Value"]}


@pytest.mark.parametrize("env", ENVS)
def test_s3_origin_uses_origin_access_control_not_oai(env: str, synthesized: Synthesized) -> None:
    template = _cdn(synthesized)
    origin = _origin(template, "S3Origin")
    assert origin["DomainName"] == {
        "Fn::GetAtt": [_bucket_id(synthesized, "static_assets_bucket"), "RegionalDomainName"]
    }
    access_controls = template.find_resources(
        "AWS::CloudFront::OriginAccessControl",
        {
            "Properties": {
                "OriginAccessControlConfig": {
                    "OriginAccessControlOriginType": "s3",
                    "SigningBehavior": "always",
                    "SigningProtocol": "sigv4",
                }
            }
        },
    )
    assert len(access_controls) == 1
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": [next(iter(access_controls)), "Id"]}
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    template.resource_count_is("AWS::CloudFront::CloudFrontOriginAccessIdentity", 0)


@pytest.mark.parametrize("env", ENVS)
def test_static_bucket_is_readable_only_by_this_distribution(env: str, synthesized: Synthesized) -> None:
    template = _cdn(synthesized)
    distribution_id = next(iter(template.find_resources("AWS::CloudFront::Distribution")))
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": _bucket_id(synthesized, "static_assets_bucket")},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": "s3:GetObject",
                                "Effect": "Allow",
                                "Principal": {"Service": "cloudfront.amazonaws.com"},
                                "Condition": {
                                    "StringEquals": {
                                        "AWS:SourceArn": {
                                            "Fn::Join": Match.array_with([Match.array_with([{"Ref": distribution_id}])])
                                        }
                                    }
                                },
                            }
                        )
                    ]
                )
            },
        },
    )


@pytest.mark.parametrize("env", ENVS)
def test_default_behavior_goes_to_the_alb_uncached(env: str, synthesized: Synthesized) -> None:
    assert _config(_cdn(synthesized))["DefaultCacheBehavior"] == {
        "TargetOriginId": "ALBOrigin",
        "ViewerProtocolPolicy": "redirect-to-https",
        "AllowedMethods": ALL_METHODS,
        "CachedMethods": ["GET", "HEAD", "OPTIONS"],
        "Compress": True,
        "CachePolicyId": CACHING_DISABLED,
    }


@pytest.mark.parametrize("env", ENVS)
def test_static_behavior_goes_to_s3_caching_optimized(env: str, synthesized: Synthesized) -> None:
    behavior = _behavior(_cdn(synthesized), "/static/*")
    assert behavior["TargetOriginId"] == "S3Origin"
    assert behavior["ViewerProtocolPolicy"] == "https-only"
    assert behavior["CachePolicyId"] == CACHING_OPTIMIZED


@pytest.mark.parametrize("env", ENVS)
def test_api_behavior_goes_to_the_alb_uncached_with_all_viewer_headers(env: str, synthesized: Synthesized) -> None:
    behavior = _behavior(_cdn(synthesized), "/api/*")
    assert behavior["TargetOriginId"] == "ALBOrigin"
    assert behavior["ViewerProtocolPolicy"] == "https-only"
    assert behavior["CachePolicyId"] == CACHING_DISABLED
    # README deviations: AllViewerExceptHostHeader instead of the seed's CORS-S3Origin.
    assert behavior["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER != CORS_S3_ORIGIN
    # The seed lists no methods; CloudFront's default (GET, HEAD) would refuse every API write.
    assert behavior["AllowedMethods"] == ALL_METHODS


def test_prod_viewer_certificate_is_sni_tls12_2021_with_the_domain(prod: Synthesized) -> None:
    config = _config(prod.template(prod.built.cdn))
    assert config["Aliases"] == ["tech-lib.example.com"]
    certificate = config["ViewerCertificate"]
    assert certificate["SslSupportMethod"] == "sni-only"
    assert certificate["MinimumProtocolVersion"] == "TLSv1.2_2021"
    stack_name, value = _stack_output(prod, certificate["AcmCertificateArn"])
    assert stack_name == "TechLib-prod-Edge"
    certificate_of_the_domain = Locator("AWS::CertificateManager::Certificate", {"DomainName": "tech-lib.example.com"})
    assert value == certificate_of_the_domain.ref(prod.template_json(prod.built.edge))


def test_dev_uses_the_default_cloudfront_certificate(dev: Synthesized) -> None:
    config = _config(dev.template(dev.built.cdn))
    assert "ViewerCertificate" not in config
    assert "Aliases" not in config


@pytest.mark.parametrize("env", ENVS)
def test_web_acl_comes_from_the_us_east_1_edge_stack(env: str, synthesized: Synthesized) -> None:
    synth = synthesized
    reference = _config(synth.template(synth.built.cdn))["WebACLId"]
    assert reference["Fn::GetStackOutput"]["Region"] == "us-east-1"
    stack_name, value = _stack_output(synth, reference)
    assert stack_name == f"TechLib-{env}-Edge"
    assert value == {"Fn::GetAtt": ["WebAcl", "Arn"]}


@pytest.mark.parametrize("env", ENVS)
def test_standard_logging_to_the_log_bucket_without_cookies(env: str, synthesized: Synthesized) -> None:
    assert _config(_cdn(synthesized))["Logging"] == {
        "Bucket": {"Fn::GetAtt": [_bucket_id(synthesized, "log_bucket"), "RegionalDomainName"]},
        "IncludeCookies": False,
        "Prefix": "cloudfront-logs/",
    }


# --- buckets -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("bucket", BUCKETS)
def test_buckets_block_public_access_and_encrypt(env: str, bucket: str, synthesized: Synthesized) -> None:
    properties = _cdn(synthesized).find_resources("AWS::S3::Bucket")[_bucket_id(synthesized, bucket)]["Properties"]
    assert properties["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    if bucket == "log_bucket":
        # Two AWS log deliveries write here; SSE-S3 (NIST S3DefaultEncryptionKMS acknowledged on the bucket).
        assert properties["BucketEncryption"] == {
            "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        }
    else:
        keys = _cdn(synthesized).find_resources("AWS::KMS::Key")
        (static_key,) = [key for key in keys if key.startswith("StaticAssetsKey")]
        assert properties["BucketEncryption"] == {
            "ServerSideEncryptionConfiguration": [
                {
                    "BucketKeyEnabled": True,
                    "ServerSideEncryptionByDefault": {
                        "KMSMasterKeyID": {"Fn::GetAtt": [static_key, "Arn"]},
                        "SSEAlgorithm": "aws:kms",
                    },
                }
            ]
        }


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("bucket", BUCKETS)
def test_buckets_refuse_plain_http(env: str, bucket: str, synthesized: Synthesized) -> None:
    _cdn(synthesized).has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": _bucket_id(synthesized, bucket)},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Action": "s3:*",
                                "Principal": {"AWS": "*"},
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        )
                    ]
                )
            },
        },
    )


@pytest.mark.parametrize("env", ENVS)
def test_static_bucket_is_versioned_for_aws_backup(env: str, synthesized: Synthesized) -> None:
    properties = _cdn(synthesized).find_resources("AWS::S3::Bucket")[_bucket_id(synthesized, "static_assets_bucket")][
        "Properties"
    ]
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}


@pytest.mark.parametrize("env", ENVS)
def test_static_bucket_server_access_logs_go_to_the_log_bucket(env: str, synthesized: Synthesized) -> None:
    properties = _cdn(synthesized).find_resources("AWS::S3::Bucket")[_bucket_id(synthesized, "static_assets_bucket")][
        "Properties"
    ]
    assert properties["LoggingConfiguration"] == {
        "DestinationBucketName": {"Ref": _bucket_id(synthesized, "log_bucket")},
        "LogFilePrefix": "s3-access-logs/static-assets/",
    }


@pytest.mark.parametrize(("env", "days"), [("prod", 365), ("dev", 30)])
def test_log_bucket_expires_logs(env: str, days: int, synthesized: Synthesized) -> None:
    properties = _cdn(synthesized).find_resources("AWS::S3::Bucket")[_bucket_id(synthesized, "log_bucket")][
        "Properties"
    ]
    assert properties["LifecycleConfiguration"]["Rules"] == [
        {
            "Id": "ExpireLogs",
            "Status": "Enabled",
            "ExpirationInDays": days,
            # Versioned (NIST S3BucketVersioningEnabled): a deleted log stays recoverable for a week.
            "NoncurrentVersionExpiration": {"NoncurrentDays": 7},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
        }
    ]
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}


@pytest.mark.parametrize("env", ENVS)
def test_log_bucket_keeps_acls_for_cloudfront_log_delivery(env: str, synthesized: Synthesized) -> None:
    properties = _cdn(synthesized).find_resources("AWS::S3::Bucket")[_bucket_id(synthesized, "log_bucket")][
        "Properties"
    ]
    assert properties["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]}


@pytest.mark.parametrize("env", ENVS)
def test_the_two_buckets_are_retained(env: str, synthesized: Synthesized) -> None:
    buckets = _cdn(synthesized).find_resources("AWS::S3::Bucket")
    assert set(buckets) == {_bucket_id(synthesized, bucket) for bucket in BUCKETS}
    for bucket in buckets.values():
        assert bucket["DeletionPolicy"] == "Retain"
        assert bucket["UpdateReplacePolicy"] == "Retain"


@pytest.mark.parametrize("env", ENVS)
def test_stack_exposes_distribution_and_buckets(env: str, synthesized: Synthesized) -> None:
    cdn = synthesized.built.cdn
    assert cdn.region == "ap-northeast-1"
    assert cdn.static_assets_bucket is not None
    assert cdn.log_bucket is not None
    assert cdn.distribution.distribution_id


# --- DNS ---------------------------------------------------------------------------------------------


def test_prod_site_alias_records_point_at_the_distribution(prod: Synthesized) -> None:
    template = prod.template(prod.built.cdn)
    distribution_id = next(iter(template.find_resources("AWS::CloudFront::Distribution")))
    for record_type in ("A", "AAAA"):
        template.has_resource_properties(
            "AWS::Route53::RecordSet",
            {
                "Name": "tech-lib.example.com.",
                "Type": record_type,
                "HostedZoneId": "Z0123456789EXAMPLE0",
                "AliasTarget": {
                    "DNSName": {"Fn::GetAtt": [distribution_id, "DomainName"]},
                    "HostedZoneId": Match.any_value(),
                },
            },
        )


def test_prod_origin_name_is_a_cname_to_the_alb_that_the_distribution_waits_for(prod: Synthesized) -> None:
    template = prod.template(prod.built.cdn)
    records = template.find_resources(
        "AWS::Route53::RecordSet",
        {
            "Properties": {
                "Type": "CNAME",
                "Name": "origin.tech-lib.example.com.",
                "HostedZoneId": "Z0123456789EXAMPLE0",
            }
        },
    )
    assert len(records) == 1
    (distribution,) = template.find_resources("AWS::CloudFront::Distribution").values()
    assert list(records) == distribution["DependsOn"]


def test_dev_creates_no_dns_records(dev: Synthesized) -> None:
    dev.template(dev.built.cdn).resource_count_is("AWS::Route53::RecordSet", 0)


# --- findings acknowledged, and only where they apply ------------------------------------------------------


def _acknowledged(synth: Synthesized, path_suffix: str) -> set[str]:
    """Rules acknowledged on the CDN stack's construct at `path_suffix`, from the assembly's metadata file."""
    manifest = json.loads((synth.outdir / "manifest.json").read_text())
    artifact = manifest["artifacts"][synth.built.cdn.artifact_id]
    metadata = json.loads((synth.outdir / artifact["additionalMetadataFile"]).read_text())
    return {
        rule.removeprefix("Annotation::")
        for path, entries in metadata.items()
        if path.endswith(path_suffix)
        for entry in entries
        if entry["type"] == "aws:cdk:acknowledged-rules"
        for rule in entry["data"]
    }


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        # The session synth runs cdk-nag as a gate: CFR2/3/6/7 (and CFR4/5 in prod) pass unacknowledged.
        ("prod", {"AwsSolutions-CFR1"}),
        # No domain: default *.cloudfront.net certificate (CFR4) and an HTTP origin (CFR5), by design.
        ("dev", {"AwsSolutions-CFR1", "AwsSolutions-CFR4", "AwsSolutions-CFR5"}),
    ],
)
def test_distribution_nag_acknowledgements(env: str, expected: set[str], synthesized: Synthesized) -> None:
    assert _acknowledged(synthesized, "/Distribution") == expected


@pytest.mark.parametrize(("env", "expected"), [("prod", set()), ("dev", {"CKV_AWS_174", "CKV2_AWS_72"})])
def test_distribution_checkov_skips(env: str, expected: set[str], synthesized: Synthesized) -> None:
    (distribution,) = _cdn(synthesized).find_resources("AWS::CloudFront::Distribution").values()
    skips = distribution.get("Metadata", {}).get("checkov", {}).get("skip", [])
    assert {skip["id"] for skip in skips} == expected
    assert all(skip["comment"] for skip in skips)


@pytest.mark.parametrize("env", ENVS)
def test_only_the_log_bucket_skips_its_own_access_logging(env: str, synthesized: Synthesized) -> None:
    synth = synthesized
    assert _acknowledged(synth, "/LogBucket") == {
        "AwsSolutions-S1",
        "NIST.800.53.R5-S3DefaultEncryptionKMS",
        "NIST.800.53.R5-S3BucketReplicationEnabled",
    }
    assert _acknowledged(synth, "/StaticAssetsBucket") == {"NIST.800.53.R5-S3BucketReplicationEnabled"}
