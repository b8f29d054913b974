"""What applies to the whole app: aspects, and cdk-nag as a validation plugin."""

from __future__ import annotations

import aws_cdk as cdk
import jsii
from aws_cdk import CfnResource, IAspect
from aws_cdk import aws_lambda as lambda_
from cdk_nag import AwsSolutionsChecks, NIST80053R5Checks
from constructs import IConstruct

from findings import checkov_skip, nag_acknowledge

# aws-cdk-lib's own handlers (custom-resource providers, the kubectl/Helm handler, log retention) are the
# only Lambda functions in this app. CloudFormation invokes them synchronously during a deploy. Each reason
# answers checkov's check and cdk-nag's NIST 800-53 R5 rule on the same property.
_CONCURRENCY = "aws-cdk-lib custom-resource handler, invoked only by CloudFormation during deploys: reserved concurrency would only add a failure mode"
_DLQ = "aws-cdk-lib custom-resource handler, invoked synchronously by CloudFormation, which reports failures itself: a DLQ would never receive anything"
_VPC = "aws-cdk-lib custom-resource handler that calls only AWS APIs: where the CDK places it outside the VPC, a VPC would add NAT dependence and ENI clean-up delays without a security gain"
_CDK_HANDLER_SKIPS = {
    "CKV_AWS_115": _CONCURRENCY,
    "CKV_AWS_116": _DLQ,
    "CKV_AWS_117": _VPC,
    "CKV_AWS_173": "aws-cdk-lib custom-resource handler: its environment holds no secrets, only resource names",
}


@jsii.implements(IAspect)
class SuppressCdkHandlerFindings:
    """Records, on every Lambda function the CDK creates for its own custom resources, why checkov's and cdk-nag's
    Lambda hardening checks do not apply (the project itself ships no Lambda code)."""

    def visit(self, node: IConstruct) -> None:
        if isinstance(node, CfnResource) and node.cfn_resource_type == "AWS::Lambda::Function":
            for check_id, reason in _CDK_HANDLER_SKIPS.items():
                checkov_skip(node, check_id, reason)
        # cdk-nag's rules read the L1 function's properties; only what a handler lacks is acknowledged.
        if isinstance(node, lambda_.CfnFunction):
            if node.reserved_concurrent_executions is None:
                nag_acknowledge(node, "NIST.800.53.R5-LambdaConcurrency", _CONCURRENCY)
            if node.dead_letter_config is None:
                nag_acknowledge(node, "NIST.800.53.R5-LambdaDLQ", _DLQ)
            if node.vpc_config is None:
                nag_acknowledge(node, "NIST.800.53.R5-LambdaInsideVPC", _VPC)


def add_validation_plugins(app: cdk.App) -> None:
    """cdk-nag's AwsSolutions and NIST 800-53 R5 packs as validation plugins: any finding of either fails
    synthesis unless acknowledged on its construct with a reason."""
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), NIST80053R5Checks(app))


def apply_app_wide(app: cdk.App, *, nag: bool = True) -> None:
    """The aspects every stack gets, and (unless `nag` is False) cdk-nag."""
    cdk.Aspects.of(app).add(SuppressCdkHandlerFindings())
    if nag:
        add_validation_plugins(app)
