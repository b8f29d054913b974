"""WorkloadsStack: the chart applied to the cluster after the platform, the ALB log bucket and certificate,
and the ALB hostname read back for the CDN stack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template

import app as techlib_app
import entrypoint
from config import load_config
from k8s_charts.workloads import ALB_LOG_PREFIX
from names import K8sNames
from scripts import deploy_plan
from scripts.applied_manifests import _flatten, applied_manifests, manifest_payloads
from stacks.cache import CacheStack
from stacks.database import DatabaseStack
from stacks.eks import EksStack
from stacks.network import NetworkStack
from stacks.workloads import ALB_HOSTNAME_JSON_PATH, WorkloadsStack
from tests.conftest import Synthesized, new_app
from tests.resources import Locator

MANIFEST = "Custom::AWSCDK-EKS-KubernetesResource"
OBJECT_VALUE = "Custom::AWSCDK-EKS-KubernetesObjectValue"
ALB = "alb.ingress.kubernetes.io"
ALB_LOG_BUCKET = Locator("AWS::S3::Bucket", {"BucketName": "tech-lib-alb-logs-111111111111"})


@pytest.fixture(scope="module")
def workloads(prod: Synthesized) -> WorkloadsStack:
    stack: WorkloadsStack = prod.built.workloads
    return stack


@pytest.fixture(scope="module")
def template(prod: Synthesized, workloads: WorkloadsStack) -> Template:
    return prod.template(workloads)


@pytest.fixture(scope="module")
def template_json(prod: Synthesized, workloads: WorkloadsStack) -> dict[str, Any]:
    return prod.template_json(workloads)


@pytest.fixture(scope="module")
def dev_template(dev: Synthesized) -> Template:
    return dev.template(dev.built.workloads)


def only(template_json: dict[str, Any], resource_type: str) -> tuple[str, dict[str, Any]]:
    found = [(k, v) for k, v in template_json["Resources"].items() if v["Type"] == resource_type]
    assert len(found) == 1, f"{resource_type}: {len(found)}"
    return found[0]


def by_prefix(template_json: dict[str, Any], resource_type: str, prefix: str) -> tuple[str, dict[str, Any]]:
    found = [
        (k, v) for k, v in template_json["Resources"].items() if v["Type"] == resource_type and k.startswith(prefix)
    ]
    assert len(found) == 1, f"{resource_type} {prefix}*: {len(found)}"
    return found[0]


def workloads_manifest(template_json: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return by_prefix(template_json, MANIFEST, "WorkloadsManifest")


def manifest_json(template_json: dict[str, Any]) -> str:
    """The manifest property as JSON text, CloudFormation intrinsics included."""
    return json.dumps(workloads_manifest(template_json)[1]["Properties"]["Manifest"])


# --- the chart on the cluster ---------------------------------------------------------------------------


def test_the_stack_applies_exactly_the_workloads_chart(
    template_json: dict[str, Any], workloads: WorkloadsStack
) -> None:
    manifest_id, manifest = workloads_manifest(template_json)
    applied = applied_manifests({"Resources": {manifest_id: manifest}})
    assert [(o["kind"], o["metadata"]["name"]) for o in applied] == [
        (o["kind"], o["metadata"]["name"]) for o in workloads.chart.manifest()
    ]


def test_the_manifest_goes_to_this_environments_cluster(
    template_json: dict[str, Any], prod: Synthesized, workloads: WorkloadsStack
) -> None:
    resolved = workloads.resolve(prod.built.eks.cluster.cluster_name)
    for manifest_id in ("WorkloadsManifest", "AppSecrets"):
        assert by_prefix(template_json, MANIFEST, manifest_id)[1]["Properties"]["ClusterName"] == resolved


def test_the_manifest_fits_the_kubectl_payload_limit(template_json: dict[str, Any]) -> None:
    sizes = manifest_payloads(template_json)
    assert sizes and all(size < 256 * 1024 for size in sizes.values()), sizes


def test_the_chart_is_applied_after_the_alb_controller_external_secrets_and_namespace(
    prod: Synthesized, workloads: WorkloadsStack, template_json: dict[str, Any]
) -> None:
    eks = prod.built.eks
    required = [eks.app_namespace, *eks.platform_ready, workloads.app_secrets]
    assert len(required) >= 4
    # Declared on the construct, whichever stack the platform lives in (the cluster reference alone
    # would already order the stacks, so this is what keeps the intent if the platform moves).
    declared = {d.node.path for d in workloads.workloads_manifest.node.dependencies}
    assert {c.node.path for c in required} <= declared
    manifest_id, manifest = workloads_manifest(template_json)
    depends_on = set(manifest.get("DependsOn", []))
    for construct in required:
        owner = cdk.Stack.of(construct)
        if owner is workloads:
            # Same template: a DependsOn on the construct's resources.
            ids = {workloads.get_logical_id(c) for c in construct.node.find_all() if isinstance(c, cdk.CfnResource)}
            assert ids <= depends_on, (construct.node.path, manifest_id)
        else:
            # CloudFormation has no DependsOn across stacks: CDK deploys the owning stack, Helm
            # releases and manifests included, completely before this one.
            assert owner in workloads.dependencies, construct.node.path


def test_the_cloud_assembly_orders_the_eks_stack_before_this_one(prod: Synthesized, workloads: WorkloadsStack) -> None:
    artifact = prod.assembly.get_stack_artifact(workloads.artifact_id)
    assert prod.built.eks.artifact_id in [d.id for d in artifact.dependencies]


def test_the_chart_is_applied_after_the_log_bucket_policy(template_json: dict[str, Any]) -> None:
    policy_id, _ = only(template_json, "AWS::S3::BucketPolicy")
    assert policy_id in workloads_manifest(template_json)[1]["DependsOn"]


def test_the_ingress_names_the_log_bucket_created_here(template_json: dict[str, Any]) -> None:
    text = manifest_json(template_json)
    assert f'access_logs.s3.bucket=", {{"Ref": "{ALB_LOG_BUCKET.id(template_json)}"}}' in text
    assert f"access_logs.s3.prefix={ALB_LOG_PREFIX}" in text


def test_the_ingress_uses_the_network_stacks_alb_security_groups(
    template_json: dict[str, Any], prod: Synthesized, workloads: WorkloadsStack
) -> None:
    text = manifest_json(template_json)
    for group in prod.built.network.alb_security_groups:
        assert json.dumps(workloads.resolve(group.security_group_id)) in text


def test_the_ingress_uses_the_certificate_issued_here(template_json: dict[str, Any]) -> None:
    certificate_id, _ = only(template_json, "AWS::CertificateManager::Certificate")
    assert f'"{ALB}/certificate-arn\\":\\"", {{"Ref": "{certificate_id}"}}' in manifest_json(template_json)


# --- ALB hostname for the CDN stack -------------------------------------------------------------------------


def test_the_alb_hostname_is_read_from_the_ingress_status(template: Template, prod: Synthesized) -> None:
    template.has_resource(
        OBJECT_VALUE,
        {
            "Properties": Match.object_like(
                {
                    "ObjectType": "ingress",
                    "ObjectName": K8sNames.INGRESS,
                    "ObjectNamespace": prod.config.workloads.namespace,
                    "JsonPath": ALB_HOSTNAME_JSON_PATH,
                }
            ),
        },
    )
    assert ALB_HOSTNAME_JSON_PATH == ".status.loadBalancer.ingress[0].hostname"


def test_the_hostname_is_read_only_after_the_manifest_is_applied(template_json: dict[str, Any]) -> None:
    manifest_id, _ = workloads_manifest(template_json)
    assert only(template_json, OBJECT_VALUE)[1]["DependsOn"] == [manifest_id]


def test_the_hostname_is_read_again_whenever_the_ingress_changes(template_json: dict[str, Any]) -> None:
    watched = json.loads(_flatten(only(template_json, OBJECT_VALUE)[1]["Properties"]["Ingress"]))
    applied = next(o for o in applied_manifests(template_json) if o["kind"] == "Ingress")
    del applied["metadata"]["labels"]  # the prune label the manifest construct adds when applying
    assert watched == applied


def test_alb_hostname_is_the_object_values_attribute(workloads: WorkloadsStack, template_json: dict[str, Any]) -> None:
    value_id, _ = only(template_json, OBJECT_VALUE)
    assert workloads.resolve(workloads.alb_hostname) == {"Fn::GetAtt": [value_id, "Value"]}


# --- ALB access-log bucket ------------------------------------------------------------------------------------


def test_log_bucket_is_retained(template: Template) -> None:
    template.has_resource("AWS::S3::Bucket", {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})


def test_log_bucket_name_is_the_seeds_plus_the_account(template: Template, prod: Synthesized) -> None:
    template.has_resource_properties("AWS::S3::Bucket", {"BucketName": f"tech-lib-alb-logs-{prod.config.account}"})


def test_log_bucket_uses_sse_s3_because_alb_log_delivery_requires_it(template: Template) -> None:
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
            }
        },
    )


def test_log_bucket_blocks_public_access_and_acls(template: Template) -> None:
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        },
    )


def test_log_bucket_denies_requests_without_tls(template: Template) -> None:
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Action": "s3:*",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        )
                    ]
                )
            }
        },
    )


def test_elb_log_delivery_may_write_under_the_alb_prefix_only(template: Template, prod: Synthesized) -> None:
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        {
                            "Sid": "AlbAccessLogDelivery",
                            "Effect": "Allow",
                            "Action": "s3:PutObject",
                            "Principal": {
                                "Service": "logdelivery.elasticloadbalancing.amazonaws.com",
                                # The ELB account of ap-northeast-1 (a region older than August 2022).
                                "AWS": "arn:aws:iam::582318560864:root",
                            },
                            "Resource": {
                                "Fn::Join": [
                                    "",
                                    [
                                        ALB_LOG_BUCKET.get_att(template, "Arn"),
                                        f"/{ALB_LOG_PREFIX}/AWSLogs/{prod.config.account}/*",
                                    ],
                                ]
                            },
                        }
                    ]
                )
            }
        },
    )


def test_log_bucket_expires_logs_after_the_configured_days(template: Template, dev_template: Template) -> None:
    for tpl, days in ((template, 90), (dev_template, 14)):
        tpl.has_resource_properties(
            "AWS::S3::Bucket",
            {
                "LifecycleConfiguration": {
                    "Rules": [
                        Match.object_like(
                            {
                                "ExpirationInDays": days,
                                "NoncurrentVersionExpiration": {"NoncurrentDays": 7},
                                "Status": "Enabled",
                            }
                        )
                    ]
                },
                "VersioningConfiguration": {"Status": "Enabled"},
            },
        )


def test_log_bucket_findings_are_suppressed_with_reasons(template_json: dict[str, Any]) -> None:
    skips = only(template_json, "AWS::S3::Bucket")[1]["Metadata"]["checkov"]["skip"]
    # Versioned (NIST S3BucketVersioningEnabled), so CKV_AWS_21 passes; only its own access logging is skipped.
    assert {s["id"] for s in skips} == {"CKV_AWS_18"}
    assert all(len(s["comment"]) > 30 for s in skips)


# --- certificate ------------------------------------------------------------------------------------------


def test_certificate_covers_the_ingress_host_and_cloudfronts_origin_name(template: Template, prod: Synthesized) -> None:
    edge = prod.config.edge
    template.has_resource_properties(
        "AWS::CertificateManager::Certificate",
        {
            "DomainName": prod.config.workloads.ingress_host,
            "SubjectAlternativeNames": [edge.alb_origin_domain],
            "ValidationMethod": "DNS",
            "DomainValidationOptions": [
                {"DomainName": prod.config.workloads.ingress_host, "HostedZoneId": edge.hosted_zone_id},
                {"DomainName": edge.alb_origin_domain, "HostedZoneId": edge.hosted_zone_id},
            ],
        },
    )


def test_without_a_domain_no_certificate_and_no_https(dev_template: Template, dev: Synthesized) -> None:
    dev_template.resource_count_is("AWS::CertificateManager::Certificate", 0)
    ingress = next(o for o in applied_manifests(dev.template_json(dev.built.workloads)) if o["kind"] == "Ingress")
    assert ingress["metadata"]["annotations"][f"{ALB}/listen-ports"] == '[{"HTTP": 80}]'


def test_a_configured_certificate_is_used_instead_of_issuing_one(tmp_path: Path) -> None:
    arn = "arn:aws:acm:ap-northeast-1:111111111111:certificate/11111111-2222-3333-4444-555555555555"
    config = load_config("prod", overrides={"workloads": {"alb_certificate_arn": arn}})
    app = new_app(tmp_path)
    network = NetworkStack(app, config.stack_name("Network"), config=config)
    database = DatabaseStack(app, config.stack_name("Database"), config=config, network=network)
    cache = CacheStack(app, config.stack_name("Cache"), config=config, network=network)
    eks = EksStack(app, config.stack_name("Eks"), config=config, network=network)
    stack = WorkloadsStack(
        app, config.stack_name("Workloads"), config=config, network=network, eks=eks, database=database, cache=cache
    )
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::CertificateManager::Certificate", 0)
    ingress = next(o for o in applied_manifests(template.to_json()) if o["kind"] == "Ingress")
    assert ingress["metadata"]["annotations"][f"{ALB}/certificate-arn"] == arn
    assert ingress["metadata"]["annotations"][f"{ALB}/ssl-redirect"] == "443"


# --- the app's secret sync (moved here from the EKS stack: the platform no longer waits for the data tier) --


def test_external_secrets_reads_exactly_the_aurora_and_redis_secrets(template_json: dict[str, Any]) -> None:
    _, policy = by_prefix(template_json, "AWS::IAM::Policy", "ExternalSecretsReadsAppSecrets")
    # Created in this stack, attached to the EKS stack's operator role.
    (role,) = policy["Properties"]["Roles"]
    assert "TechLib-prod-Eks" in json.dumps(role) and "ControllersExternalSecretsRole" in json.dumps(role)
    read, decrypt = policy["Properties"]["PolicyDocument"]["Statement"]
    assert sorted(read["Action"]) == ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
    secrets = sorted(json.dumps(secret) for secret in read["Resource"])
    assert len(secrets) == 2
    assert "TechLib-prod-Cache" in secrets[0] and "AuthToken" in secrets[0]
    assert "TechLib-prod-Database" in secrets[1] and "CredentialsAttachment" in secrets[1]
    assert decrypt["Action"] == "kms:Decrypt"
    assert decrypt["Condition"] == {"StringEquals": {"kms:ViaService": "secretsmanager.ap-northeast-1.amazonaws.com"}}
    keys = sorted(json.dumps(key) for key in decrypt["Resource"])
    assert len(keys) == 2
    assert "TechLib-prod-Cache" in keys[0] and "TechLib-prod-Database" in keys[1]


def _app_secrets(template_json: dict[str, Any]) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    logical_id, resource = by_prefix(template_json, MANIFEST, "AppSecrets")
    return logical_id, resource, applied_manifests({"Resources": {logical_id: resource}})


def test_secret_sync_points_at_the_data_tiers_secrets(template_json: dict[str, Any]) -> None:
    _, resource, objects = _app_secrets(template_json)
    raw = json.dumps(resource["Properties"]["Manifest"])
    assert "TechLib-prod-Database" in raw and "TechLib-prod-Cache" in raw
    names = sorted((o["kind"], o["metadata"]["name"]) for o in objects)
    assert names == [
        ("ConfigMap", "app-config"),
        ("ExternalSecret", "db-credentials"),
        ("ExternalSecret", "redis-credentials"),
        ("SecretStore", "aws-secrets-manager"),
    ]
    (config_map,) = [o for o in objects if o["kind"] == "ConfigMap"]
    assert set(config_map["data"]) == {"redis-host", "redis-port", "redis-tls", "db-port", "db-name"}


def test_secret_sync_waits_for_the_operator_the_namespace_and_its_grant(
    prod: Synthesized, workloads: WorkloadsStack, template_json: dict[str, Any]
) -> None:
    _, resource, _ = _app_secrets(template_json)
    policy_id, _ = by_prefix(template_json, "AWS::IAM::Policy", "ExternalSecretsReadsAppSecrets")
    assert policy_id in resource["DependsOn"]
    eks = prod.built.eks
    declared = {d.node.path for d in workloads.app_secrets.node.dependencies}
    assert {eks.app_namespace.node.path, eks.controllers.external_secrets.node.path} <= declared


def test_synced_secrets_survive_a_move_of_their_external_secret(template_json: dict[str, Any]) -> None:
    """Orphan: no ownerReference, so deleting the ExternalSecret (its manifest leaving a stack) never
    garbage-collects the Secret the pods read; overwrite: the new manifest applies over objects that exist."""
    _, resource, objects = _app_secrets(template_json)
    targets = {o["metadata"]["name"]: o["spec"]["target"] for o in objects if o["kind"] == "ExternalSecret"}
    assert targets == {
        name: {"name": name, "creationPolicy": "Orphan", "deletionPolicy": "Retain"}
        for name in (K8sNames.DB_CREDENTIALS_SECRET, K8sNames.REDIS_CREDENTIALS_SECRET)
    }
    assert resource["Properties"]["Overwrite"] is True


def test_the_exporters_wait_for_the_secret_sync(prod: Synthesized, workloads: WorkloadsStack) -> None:
    monitoring = prod.built.monitoring
    assert workloads.app_secrets.node.path in {d.node.path for d in monitoring.exporters.node.dependencies}
    assert workloads in monitoring.dependencies


def test_an_image_tag_release_changes_the_workloads_stack_only(prod: Synthesized, tmp_path: Path) -> None:
    """`-c imageTag=...` (a release) must deploy one stack; the cdk-nag gate is off here (the session synth
    already ran it on the same constructs) to keep the second synthesis cheap."""
    app = new_app(tmp_path, env="prod", imageTag="release-1234")
    config = entrypoint.config_from_context(app)
    released = techlib_app.build(app, config, nag=False)
    assembly = app.synth()
    after = {
        stack.stack_name: json.loads(
            (tmp_path / assembly.get_stack_artifact(stack.artifact_id).template_file).read_text()
        )
        for stack in released.stacks
    }
    before = {stack.stack_name: prod.template_json(stack) for stack in prod.built.stacks}
    assert sorted(after) == sorted(before)
    assert [name for name in sorted(after) if after[name] != before[name]] == [prod.built.workloads.stack_name]
    # What `make deploy-plan` reports as the release's changed stacks, from the same templates.
    assert [n for n in sorted(after) if deploy_plan.changed_template(after[n], before[n])] == [
        prod.built.workloads.stack_name
    ]
    workloads_name = prod.built.workloads.stack_name
    assert ":release-1234" in manifest_json(after[workloads_name])
    assert ":release-1234" not in manifest_json(before[workloads_name])
