"""Small helpers shared by several stacks."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs

_RETENTION_BY_DAYS: dict[int, logs.RetentionDays] = {
    1: logs.RetentionDays.ONE_DAY,
    3: logs.RetentionDays.THREE_DAYS,
    5: logs.RetentionDays.FIVE_DAYS,
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    60: logs.RetentionDays.TWO_MONTHS,
    90: logs.RetentionDays.THREE_MONTHS,
    120: logs.RetentionDays.FOUR_MONTHS,
    150: logs.RetentionDays.FIVE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    400: logs.RetentionDays.THIRTEEN_MONTHS,
    545: logs.RetentionDays.EIGHTEEN_MONTHS,
    731: logs.RetentionDays.TWO_YEARS,
    1096: logs.RetentionDays.THREE_YEARS,
    1827: logs.RetentionDays.FIVE_YEARS,
    2192: logs.RetentionDays.SIX_YEARS,
    2557: logs.RetentionDays.SEVEN_YEARS,
    2922: logs.RetentionDays.EIGHT_YEARS,
    3288: logs.RetentionDays.NINE_YEARS,
    3653: logs.RetentionDays.TEN_YEARS,
}


# Access-log buckets are versioned (NIST 800-53 R5 S3BucketVersioningEnabled, checkov CKV_AWS_21): a log object
# deleted or overwritten before its lifecycle expiry stays recoverable this long. Expiry itself only makes the
# current version noncurrent, so this is also how long an expired log outlives its expiry; S3 then removes the
# remaining delete marker as part of the same expiration rule.
LOG_NONCURRENT_VERSION_DAYS = 7


def log_retention(days: int) -> logs.RetentionDays:
    """The RetentionDays member for a number of days the config has already validated."""
    return _RETENTION_BY_DAYS[days]


def allow_log_groups_to_use_key(key: kms.IKey, *, log_groups: Sequence[str] = ("*",), sid: str | None = None) -> None:
    """Let CloudWatch Logs of the key's own account and region encrypt the named log groups with it.

    `log_groups` are log-group names (or patterns); the default admits every group of the account.
    """
    stack = cdk.Stack.of(key)
    prefix = f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:"
    arns = [prefix + ("*" if name == "*" else f"log-group:{name}") for name in log_groups]
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid=sid,
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            resources=["*"],
            conditions={"ArnLike": {"kms:EncryptionContext:aws:logs:arn": arns[0] if len(arns) == 1 else arns}},
        )
    )
