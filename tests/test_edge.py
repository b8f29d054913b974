"""The seed's WAF section (and the CloudFront certificate) on the us-east-1 EdgeStack, in both environments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from config import load_config
from stacks.edge import EdgeStack
from tests.conftest import Synthesized, new_app

ENVS = ["prod", "dev"]

# (name, priority, metric) exactly as the seed's security/waf.yaml lists them.
SEED_RULES = [
    ("AWSManagedRulesCommonRuleSet", 1, "CommonRuleSetMetric"),
    ("AWSManagedRulesKnownBadInputsRuleSet", 2, "KnownBadInputsRuleSetMetric"),
    ("RateLimitRule", 3, "RateLimitRuleMetric"),
    ("GeoBlockRule", 4, "GeoBlockRuleMetric"),
]
SEED_VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True}


def _edge(synth: Synthesized) -> Template:
    return synth.template(synth.built.edge)


def _web_acl(template: Template) -> dict[str, Any]:
    acls = template.find_resources("AWS::WAFv2::WebACL")
    assert len(acls) == 1
    properties: dict[str, Any] = next(iter(acls.values()))["Properties"]
    return properties


def _rule(template: Template, name: str) -> dict[str, Any]:
    rules = {rule["Name"]: rule for rule in _web_acl(template)["Rules"]}
    return rules[name]


@pytest.mark.parametrize("env", ENVS)
def test_edge_stack_is_deployed_to_us_east_1(env: str, synthesized: Synthesized) -> None:
    synth = synthesized
    artifact = synth.assembly.get_stack_artifact(synth.built.edge.artifact_id)
    assert artifact.environment.region == "us-east-1"
    assert artifact.stack_name == f"TechLib-{env}-Edge"


@pytest.mark.parametrize("env", ENVS)
def test_web_acl_lives_only_in_the_us_east_1_stack(env: str, synthesized: Synthesized) -> None:
    synth = synthesized
    regions_with_acls = {
        stack.region
        for stack in synth.built.stacks
        if synth.template(stack).find_resources("AWS::WAFv2::WebACL", {"Properties": {"Scope": "CLOUDFRONT"}})
    }
    assert regions_with_acls == {"us-east-1"}


@pytest.mark.parametrize(("env", "name"), [("prod", "tech-lib-waf"), ("dev", "tech-lib-dev-waf")])
def test_web_acl_name_scope_and_default_allow(env: str, name: str, synthesized: Synthesized) -> None:
    _edge(synthesized).has_resource_properties(
        "AWS::WAFv2::WebACL", {"Name": name, "Scope": "CLOUDFRONT", "DefaultAction": {"Allow": {}}}
    )


@pytest.mark.parametrize(("env", "metric"), [("prod", "tech-lib-waf"), ("dev", "tech-lib-dev-waf")])
def test_web_acl_visibility_config(env: str, metric: str, synthesized: Synthesized) -> None:
    assert _web_acl(_edge(synthesized))["VisibilityConfig"] == {**SEED_VISIBILITY, "MetricName": metric}


@pytest.mark.parametrize("env", ENVS)
def test_exactly_the_four_seed_rules_in_priority_order(env: str, synthesized: Synthesized) -> None:
    rules = _web_acl(_edge(synthesized))["Rules"]
    assert [(r["Name"], r["Priority"]) for r in rules] == [(name, priority) for name, priority, _ in SEED_RULES]


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize(("name", "priority", "metric"), SEED_RULES)
def test_rule_visibility_config(env: str, name: str, priority: int, metric: str, synthesized: Synthesized) -> None:
    rule = _rule(_edge(synthesized), name)
    assert rule["Priority"] == priority
    assert rule["VisibilityConfig"] == {**SEED_VISIBILITY, "MetricName": metric}


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("group", ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"])
def test_managed_rule_group_with_override_none(env: str, group: str, synthesized: Synthesized) -> None:
    rule = _rule(_edge(synthesized), group)
    assert rule["Statement"] == {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": group}}
    assert rule["OverrideAction"] == {"None": {}}
    assert "Action" not in rule


@pytest.mark.parametrize("env", ENVS)
def test_rate_limit_blocks_1000_requests_per_ip(env: str, synthesized: Synthesized) -> None:
    rule = _rule(_edge(synthesized), "RateLimitRule")
    assert rule["Statement"] == {"RateBasedStatement": {"Limit": 1000, "AggregateKeyType": "IP"}}
    assert rule["Action"] == {"Block": {}}


@pytest.mark.parametrize("env", ENVS)
def test_geo_block_blocks_cn_ru_kp(env: str, synthesized: Synthesized) -> None:
    rule = _rule(_edge(synthesized), "GeoBlockRule")
    assert rule["Statement"] == {"GeoMatchStatement": {"CountryCodes": ["CN", "RU", "KP"]}}
    assert rule["Action"] == {"Block": {}}


@pytest.mark.parametrize(
    ("env", "name", "days"), [("prod", "aws-waf-logs-tech-lib", 90), ("dev", "aws-waf-logs-tech-lib-dev", 14)]
)
def test_waf_log_group_name_retention_and_encryption(env: str, name: str, days: int, synthesized: Synthesized) -> None:
    template = _edge(synthesized)
    template.has_resource(
        "AWS::Logs::LogGroup",
        {
            "Properties": {
                "LogGroupName": name,
                "RetentionInDays": days,
                "KmsKeyId": {"Fn::GetAtt": [Match.string_like_regexp("^WafLogKey"), "Arn"]},
            },
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        },
    )
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


@pytest.mark.parametrize("env", ENVS)
def test_waf_logging_sends_the_web_acl_to_the_log_group(env: str, synthesized: Synthesized) -> None:
    template = _edge(synthesized)
    log_group_id = next(iter(template.find_resources("AWS::Logs::LogGroup")))
    template.has_resource(
        "AWS::WAFv2::LoggingConfiguration",
        {
            "Properties": {
                "ResourceArn": {"Fn::GetAtt": ["WebAcl", "Arn"]},
                # WAF rejects GetAtt's ARN form with a trailing ':*'.
                "LogDestinationConfigs": [
                    {
                        "Fn::Join": [
                            "",
                            [
                                Match.string_like_regexp(r"^arn:aws:logs:us-east-1:\d{12}:log-group:$"),
                                {"Ref": log_group_id},
                            ],
                        ]
                    }
                ],
                "RedactedFields": [{"SingleHeader": {"Name": "authorization"}}, {"SingleHeader": {"Name": "cookie"}}],
            },
            "DependsOn": [Match.string_like_regexp("^WafLogDeliveryPolicy")],
        },
    )


@pytest.mark.parametrize("env", ENVS)
def test_waf_log_delivery_policy_is_scoped_to_the_account(env: str, synthesized: Synthesized) -> None:
    template = _edge(synthesized)
    policies = template.find_resources("AWS::Logs::ResourcePolicy")
    assert len(policies) == 1
    document = str(next(iter(policies.values()))["Properties"]["PolicyDocument"])
    assert "delivery.logs.amazonaws.com" in document
    assert "aws:SourceAccount" in document and "aws:SourceArn" in document


def test_prod_certificate_is_dns_validated_in_the_configured_zone(prod: Synthesized) -> None:
    template = prod.template(prod.built.edge)
    template.resource_count_is("AWS::CertificateManager::Certificate", 1)
    template.has_resource_properties(
        "AWS::CertificateManager::Certificate",
        {
            "DomainName": "tech-lib.example.com",
            "ValidationMethod": "DNS",
            "DomainValidationOptions": [{"DomainName": "tech-lib.example.com", "HostedZoneId": "Z0123456789EXAMPLE0"}],
        },
    )
    assert prod.built.edge.certificate is not None


def test_dev_without_a_domain_has_no_certificate(dev: Synthesized) -> None:
    dev.template(dev.built.edge).resource_count_is("AWS::CertificateManager::Certificate", 0)
    assert dev.built.edge.certificate is None


@pytest.mark.parametrize("env", ENVS)
def test_the_edge_stack_holds_one_log_group_one_key_and_one_web_acl(env: str, synthesized: Synthesized) -> None:
    template = _edge(synthesized)
    for resource_type in ("AWS::Logs::LogGroup", "AWS::KMS::Key", "AWS::WAFv2::WebACL"):
        template.resource_count_is(resource_type, 1)


def test_configured_certificate_arn_is_imported_instead_of_issued(tmp_path: Path) -> None:
    arn = "arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012"
    config = load_config("prod", overrides={"edge": {"certificate_arn": arn}}, environ={})
    app = new_app(tmp_path)
    edge = EdgeStack(app, config.stack_name("Edge"), config=config)
    Template.from_stack(edge).resource_count_is("AWS::CertificateManager::Certificate", 0)
    assert edge.certificate is not None
    assert edge.certificate.certificate_arn == arn
