"""EdgeStack: what CloudFront needs from us-east-1 — the WAFv2 WebACL (seed's WAF section), its logs and,
with a domain, the viewer certificate.

AWS accepts a CLOUDFRONT-scoped WebACL and a CloudFront ACM certificate only in us-east-1, so this
stack lives there and the CDN stack in the primary region reads both through cross-region references.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from config import AppConfig
from config.schema import WafConfig
from names import Regions
from stacks.base import TechLibStack
from stacks.common import allow_log_groups_to_use_key, log_retention

# CloudFront reads WebACLs (scope CLOUDFRONT) and viewer certificates from this region only.

# (rule name, priority, managed rule group, metric name) as the seed lists them.
MANAGED_RULE_GROUPS = (
    ("AWSManagedRulesCommonRuleSet", 1, "CommonRuleSetMetric"),
    ("AWSManagedRulesKnownBadInputsRuleSet", 2, "KnownBadInputsRuleSetMetric"),
)
RATE_LIMIT_RULE = ("RateLimitRule", 3, "RateLimitRuleMetric")
GEO_BLOCK_RULE = ("GeoBlockRule", 4, "GeoBlockRuleMetric")

# WAF logs would otherwise keep session tokens and credentials in plain text for the retention period.
REDACTED_HEADERS = ("authorization", "cookie")


def _visibility(metric_name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        sampled_requests_enabled=True, cloud_watch_metrics_enabled=True, metric_name=metric_name
    )


def _rules(waf: WafConfig) -> list[wafv2.CfnWebACL.RuleProperty]:
    rules = [
        wafv2.CfnWebACL.RuleProperty(
            name=group,
            priority=priority,
            override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
            statement=wafv2.CfnWebACL.StatementProperty(
                managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                    vendor_name="AWS", name=group
                )
            ),
            visibility_config=_visibility(metric),
        )
        for group, priority, metric in MANAGED_RULE_GROUPS
    ]
    name, priority, metric = RATE_LIMIT_RULE
    rules.append(
        wafv2.CfnWebACL.RuleProperty(
            name=name,
            priority=priority,
            action=wafv2.CfnWebACL.RuleActionProperty(block={}),
            statement=wafv2.CfnWebACL.StatementProperty(
                rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                    limit=waf.rate_limit_per_5min, aggregate_key_type="IP"
                )
            ),
            visibility_config=_visibility(metric),
        )
    )
    name, priority, metric = GEO_BLOCK_RULE
    rules.append(
        wafv2.CfnWebACL.RuleProperty(
            name=name,
            priority=priority,
            action=wafv2.CfnWebACL.RuleActionProperty(block={}),
            statement=wafv2.CfnWebACL.StatementProperty(
                geo_match_statement=wafv2.CfnWebACL.GeoMatchStatementProperty(
                    country_codes=list(waf.geo_block_country_codes)
                )
            ),
            visibility_config=_visibility(metric),
        )
    )
    return rules


class EdgeStack(TechLibStack):
    """The CloudFront WebACL with its logging, and the CloudFront certificate when a domain is configured."""

    def __init__(self, scope: Construct, id_: str, *, config: AppConfig, **kwargs: Any) -> None:
        super().__init__(
            scope,
            id_,
            config=config,
            region=Regions.CLOUDFRONT,
            description="tech-lib edge (us-east-1): CloudFront WebACL, WAF logs, CloudFront certificate",
            **kwargs,
        )
        prefix = config.resource_prefix
        acl_name = f"{prefix}-waf"

        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            name=acl_name,
            scope="CLOUDFRONT",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            rules=_rules(config.edge.waf),
            visibility_config=_visibility(acl_name),
        )
        self.web_acl_arn: str = self.web_acl.attr_arn
        self._add_logging(prefix, config.edge.waf.log_retention_days)
        self.certificate = self._certificate()

    def _add_logging(self, prefix: str, retention_days: int) -> None:
        self.waf_log_key = kms.Key(
            self,
            "WafLogKey",
            description="Encrypts the CloudFront WebACL log group",
            enable_key_rotation=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        allow_log_groups_to_use_key(self.waf_log_key)
        # WAF only delivers to log groups whose name starts with aws-waf-logs-.
        self.waf_log_group = logs.LogGroup(
            self,
            "WafLogGroup",
            log_group_name=f"aws-waf-logs-{prefix}",
            retention=log_retention(retention_days),
            encryption_key=self.waf_log_key,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        # Stating the delivery policy ourselves keeps WAF from appending to the account's shared
        # log resource policy (10 per region) the first time logging is enabled.
        delivery_policy = logs.ResourcePolicy(
            self,
            "WafLogDeliveryPolicy",
            policy_statements=[
                iam.PolicyStatement(
                    principals=[iam.ServicePrincipal("delivery.logs.amazonaws.com")],
                    actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                    resources=[f"{self.waf_log_group.log_group_arn}"],
                    conditions={
                        "ArnLike": {"aws:SourceArn": f"arn:{self.partition}:logs:{self.region}:{self.account}:*"},
                        "StringEquals": {"aws:SourceAccount": self.account},
                    },
                )
            ],
        )
        # WAF wants the log group ARN without GetAtt's trailing ':*'.
        log_group_arn = self.format_arn(
            service="logs",
            resource="log-group",
            resource_name=self.waf_log_group.log_group_name,
            arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
        )
        logging = wafv2.CfnLoggingConfiguration(
            self,
            "WafLogging",
            resource_arn=self.web_acl.attr_arn,
            log_destination_configs=[log_group_arn],
            redacted_fields=[
                wafv2.CfnLoggingConfiguration.FieldToMatchProperty(single_header={"Name": header})
                for header in REDACTED_HEADERS
            ],
        )
        logging.node.add_dependency(delivery_policy)

    def _certificate(self) -> acm.ICertificate | None:
        edge = self.config.edge
        if edge.domain_name is None:
            return None
        if edge.certificate_arn is not None:
            return acm.Certificate.from_certificate_arn(self, "CloudFrontCertificate", edge.certificate_arn)
        assert edge.hosted_zone_id is not None and edge.hosted_zone_name is not None  # EdgeConfig guarantees it
        # Attributes, not a lookup: synth runs without credentials.
        zone = route53.HostedZone.from_hosted_zone_attributes(
            self, "HostedZone", hosted_zone_id=edge.hosted_zone_id, zone_name=edge.hosted_zone_name
        )
        return acm.Certificate(
            self,
            "CloudFrontCertificate",
            domain_name=edge.domain_name,
            validation=acm.CertificateValidation.from_dns(zone),
        )
