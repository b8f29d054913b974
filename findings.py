"""cdk-nag acknowledgements and checkov skips, each recorded on the construct it excuses with its written reason.

Below the add-ons and the stacks (tests/test_layering.py): every layer that builds CDK constructs records its
findings the same way, and `make suppressions` lists them all.
"""

from __future__ import annotations

import aws_cdk as cdk
from constructs import IConstruct


def checkov_skip(construct: IConstruct, check_id: str, reason: str) -> None:
    """Record a checkov suppression, with its reason, in the resource's template metadata.

    checkov reads `Metadata.checkov.skip` on CloudFormation resources, so the reason stands next to
    the resource it excuses instead of in a global list.
    """
    resource = construct if isinstance(construct, cdk.CfnResource) else construct.node.default_child
    if not isinstance(resource, cdk.CfnResource):
        raise TypeError(f"{construct.node.path} has no CloudFormation resource to annotate")
    metadata = resource.get_metadata("checkov") or {"skip": []}
    # Idempotent: a forced re-synthesis (aws_cdk.assertions.Template.from_stack) runs aspects again.
    if all(skip["id"] != check_id for skip in metadata["skip"]):
        metadata["skip"].append({"id": check_id, "comment": reason})
    resource.add_metadata("checkov", metadata)


def nag_acknowledge(scope: IConstruct, rule_id: str, reason: str) -> None:
    """Acknowledge a cdk-nag (or built-in validation) finding on a scope and its children, with the reason."""
    cdk.Validations.of(scope).acknowledge(cdk.Acknowledgment(id=rule_id, reason=reason))


def nag_acknowledge_inline_policy(scope: IConstruct, grants: str) -> None:
    """NIST 800-53 R5 IAMNoInlinePolicy on a role's own policy, with what it grants.

    A policy written for one role stays inline: the AWS IAM User Guide names inline policies for a strict one-to-one
    relationship between a policy and its identity. A customer-managed policy could be attached to any other role.
    """
    nag_acknowledge(
        scope,
        "NIST.800.53.R5-IAMNoInlinePolicy",
        f"{grants}: written for this one role, so it stays inline (the AWS IAM User Guide's case for inline "
        "policies: a strict one-to-one relationship, no attachment to any other identity, deleted with the role); "
        "changes are reviewed in this repository and by the release review.",
    )
