"""The stateful preamble (stacks/constructs/stateful.py): every encrypted log group lies inside its key's grant.

CloudWatch Logs creates an encrypted group only if the key policy lets it use the key for that group's ARN;
otherwise the deployment fails at CreateLogGroup, after synth, cdk-nag and checkov have all passed. The
per-stack tests pin each grant and each name; this file checks, across every stack, that the names fall
inside the grants, and that a key made without a log-group prefix grants CloudWatch Logs nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from stacks.constructs.stateful import DataKey
from tests.conftest import Synthesized, new_app

LOGS_CONTEXT = "kms:EncryptionContext:aws:logs:arn"


def logs_grants(key: Mapping[str, Any]) -> list[str]:
    """The log-group ARN patterns the key policy lets CloudWatch Logs encrypt with the key."""
    patterns: list[str] = []
    for statement in key["Properties"]["KeyPolicy"]["Statement"]:
        if "logs." not in json.dumps(statement.get("Principal", {})):
            continue
        granted = statement["Condition"]["ArnLike"][LOGS_CONTEXT]
        patterns += granted if isinstance(granted, list) else [granted]
    return patterns


def physical_name(value: Any, *, stack_name: str, resources: Mapping[str, Any]) -> str | None:
    """A name as CloudFormation will spell it: a string, or a join of strings and `Ref`s of resources that get a
    generated name (`<stack>-<logical id>-<suffix>`, as for the kubectl handler's `/aws/lambda/<function>` groups)."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and set(value) == {"Fn::Join"} and value["Fn::Join"][0] == "":
        parts = []
        for part in value["Fn::Join"][1]:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, Mapping) and set(part) == {"Ref"} and part["Ref"] in resources:
                named = resources[part["Ref"]].get("Properties", {}).get("FunctionName")
                parts.append(named if isinstance(named, str) else f"{stack_name}-{part['Ref']}-GENERATED")
            else:
                return None
        return "".join(parts)
    return None


def ungranted_log_groups(synth: Synthesized) -> tuple[list[str], list[str]]:
    """(every encrypted log group checked, those whose ARN no grant of their key matches), as stack/logical id."""
    checked: list[str] = []
    ungranted: list[str] = []
    for stack in synth.assembly.stacks_recursively:
        resources: dict[str, Any] = json.loads(Path(stack.template_full_path).read_text())["Resources"]
        arn_prefix = f"arn:aws:logs:{stack.environment.region}:{stack.environment.account}:log-group:"
        for group_id, group in resources.items():
            if group["Type"] != "AWS::Logs::LogGroup" or "KmsKeyId" not in group["Properties"]:
                continue
            key_id, _ = group["Properties"]["KmsKeyId"]["Fn::GetAtt"]
            # Without a name, CloudFormation makes one up from the stack and logical ID: the grant must admit any.
            name = physical_name(
                group["Properties"].get("LogGroupName", f"{stack.stack_name}-{group_id}-GENERATED"),
                stack_name=stack.stack_name,
                resources=resources,
            )
            where = f"{stack.stack_name}/{group_id}"
            checked.append(where)
            if name is None or not any(
                fnmatchcase(arn_prefix + name, grant) for grant in logs_grants(resources[key_id])
            ):
                ungranted.append(where)
    return checked, ungranted


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_every_encrypted_log_group_is_inside_its_keys_logs_grant(env: str, synthesized: Synthesized) -> None:
    synth = synthesized
    checked, ungranted = ungranted_log_groups(synth)
    assert not ungranted, f"CloudWatch Logs may not use the key of: {ungranted}"
    # The groups DataKey makes are among those checked (the check is not vacuous).
    stacks = {where.split("/")[0] for where in checked}
    assert {f"TechLib-{env}-Database", f"TechLib-{env}-Cache"} <= stacks
    # aws-cdk-lib's kubectl handler groups, named after functions CloudFormation names, are checked too.
    assert sum(where.startswith(f"TechLib-{env}-Eks/ClusterKubectlProvider") for where in checked) == 2


def test_a_key_without_a_log_group_prefix_grants_cloudwatch_logs_nothing() -> None:
    stack = cdk.Stack(new_app(), "Stateful", env=cdk.Environment(account="111111111111", region="ap-northeast-1"))
    data_key = DataKey(stack, "Key", alias="alias/test", description="no logs", removal_policy=cdk.RemovalPolicy.RETAIN)
    with pytest.raises(ValueError, match="log_group_prefix"):
        data_key.log_group("Logs", name="anything", retention_days=30)
    (key,) = Template.from_stack(stack).find_resources("AWS::KMS::Key").values()
    assert logs_grants(key) == []
    assert key["Properties"]["EnableKeyRotation"] is True
