"""What applies to the whole app: aspects, and cdk-nag as a validation plugin."""

from __future__ import annotations

import aws_cdk as cdk
import jsii
from aws_cdk import CfnResource, IAspect
from cdk_nag import AwsSolutionsChecks
from constructs import IConstruct

from findings import checkov_skip

# aws-cdk-lib's own handlers (custom-resource providers, the kubectl/Helm handler, log retention) are the
# only Lambda functions in this app. CloudFormation invokes them synchronously during a deploy.
_CDK_HANDLER_SKIPS = {
    "CKV_AWS_115": "aws-cdk-lib custom-resource handler, invoked only by CloudFormation during deploys: reserved concurrency would only add a failure mode",
    "CKV_AWS_116": "aws-cdk-lib custom-resource handler, invoked synchronously by CloudFormation, which reports failures itself: a DLQ would never receive anything",
    "CKV_AWS_117": "aws-cdk-lib custom-resource handler that calls only AWS APIs: where the CDK places it outside the VPC, a VPC would add NAT dependence and ENI clean-up delays without a security gain",
    "CKV_AWS_173": "aws-cdk-lib custom-resource handler: its environment holds no secrets, only resource names",
}


@jsii.implements(IAspect)
class SuppressCdkHandlerFindings:
    """Records, on every Lambda function the CDK creates for its own custom resources, why checkov's
    Lambda hardening checks do not apply (the project itself ships no Lambda code)."""

    def visit(self, node: IConstruct) -> None:
        if isinstance(node, CfnResource) and node.cfn_resource_type == "AWS::Lambda::Function":
            for check_id, reason in _CDK_HANDLER_SKIPS.items():
                checkov_skip(node, check_id, reason)


def add_validation_plugins(app: cdk.App) -> None:
    """cdk-nag AwsSolutions as a validation plugin: any finding fails synthesis unless acknowledged with a reason."""
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))


def apply_app_wide(app: cdk.App, *, nag: bool = True) -> None:
    """The aspects every stack gets, and (unless `nag` is False) cdk-nag."""
    cdk.Aspects.of(app).add(SuppressCdkHandlerFindings())
    if nag:
        add_validation_plugins(app)
