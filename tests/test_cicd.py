"""CicdStack: GitHub OIDC roles scoped to this repository, and the ECR repositories of the seed's pipeline."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from config import ConfigError, load_config
from stacks.cicd import CicdStack
from tests.conftest import Synthesized, new_app
from tests.resources import Locator

OIDC = "token.actions.githubusercontent.com"
ACCOUNT = "111111111111"
OIDC_PROVIDER = Locator("AWS::IAM::OIDCProvider")
IMAGE_KEY = Locator("AWS::KMS::Key")
FRONTEND_REPOSITORY = Locator("AWS::ECR::Repository", {"RepositoryName": "techlib/frontend"})
BACKEND_REPOSITORY = Locator("AWS::ECR::Repository", {"RepositoryName": "techlib/backend"})


@pytest.fixture(scope="module")
def cicd(prod: Synthesized) -> Template:
    return prod.template(prod.built.cicd)


@pytest.fixture(scope="module")
def cicd_dev(dev: Synthesized) -> Template:
    return dev.template(dev.built.cicd)


@pytest.fixture(scope="module")
def imported_provider_variant() -> Template:
    """Only CicdStack, with an existing OIDC provider and renamed workload images (no full-app synth)."""
    config = load_config(
        "prod",
        overrides={
            "cicd": {"create_oidc_provider": False},
            "workloads": {"frontend_image": {"repository": "acme/web"}, "backend_image": {"repository": "acme/api"}},
        },
        environ={},
    )
    stack = CicdStack(new_app(), config.stack_name("Cicd"), config=config)
    return Template.from_stack(stack)


def _role(template: Template, role_name: str) -> dict[str, Any]:
    roles = template.find_resources("AWS::IAM::Role", {"Properties": {"RoleName": role_name}})
    assert len(roles) == 1, f"expected one role named {role_name}"
    return next(iter(roles.values()))


def _role_statements(template: Template, role_name: str) -> list[dict[str, Any]]:
    role_id = next(iter(template.find_resources("AWS::IAM::Role", {"Properties": {"RoleName": role_name}})))
    policies = template.find_resources(
        "AWS::IAM::Policy", {"Properties": {"Roles": Match.array_with([{"Ref": role_id}])}}
    )
    return [stmt for policy in policies.values() for stmt in policy["Properties"]["PolicyDocument"]["Statement"]]


def _trust(template: Template, role_name: str) -> dict[str, Any]:
    statements = _role(template, role_name)["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert len(statements) == 1
    statement: dict[str, Any] = statements[0]
    return statement


def _lifecycle(template: Template, name: str) -> list[dict[str, Any]]:
    repos = template.find_resources("AWS::ECR::Repository", {"Properties": {"RepositoryName": name}})
    text = next(iter(repos.values()))["Properties"]["LifecyclePolicy"]["LifecyclePolicyText"]
    rules: list[dict[str, Any]] = json.loads(text)["rules"]
    return rules


def test_github_oidc_provider_for_sts_audience(cicd: Template) -> None:
    cicd.resource_count_is("AWS::IAM::OIDCProvider", 1)
    cicd.has_resource(
        "AWS::IAM::OIDCProvider",
        {
            "Properties": {"Url": f"https://{OIDC}", "ClientIdList": ["sts.amazonaws.com"]},
            "DeletionPolicy": "Retain",
        },
    )


def test_existing_oidc_provider_is_imported_by_arn_from_the_account(imported_provider_variant: Template) -> None:
    imported_provider_variant.resource_count_is("AWS::IAM::OIDCProvider", 0)
    trust = _trust(imported_provider_variant, "tech-lib-github-deploy")
    assert trust["Principal"] == {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/{OIDC}"}


def test_deploy_role_trusts_only_this_repositorys_prod_environment(cicd: Template) -> None:
    trust = _trust(cicd, "tech-lib-github-deploy")
    assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert trust["Principal"] == {"Federated": OIDC_PROVIDER.ref(cicd)}
    # StringEquals, not StringLike: no wildcard can widen the subject.
    assert trust["Condition"] == {
        "StringEquals": {
            f"{OIDC}:aud": "sts.amazonaws.com",
            f"{OIDC}:sub": ["repo:tech-lib/tech-lib-infra:environment:prod"],
        }
    }


def test_dev_deploy_role_trusts_the_dev_environment(cicd_dev: Template) -> None:
    trust = _trust(cicd_dev, "tech-lib-dev-github-deploy")
    assert trust["Condition"]["StringEquals"][f"{OIDC}:sub"] == ["repo:tech-lib/tech-lib-infra:environment:dev"]


def test_deploy_role_may_only_assume_the_bootstrap_roles_of_the_three_regions(cicd: Template) -> None:
    (statement,) = _role_statements(cicd, "tech-lib-github-deploy")
    assert {k: v for k, v in statement.items() if k != "Resource"} == {
        "Sid": "AssumeCdkBootstrapRoles",
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
    }
    assert sorted(statement["Resource"]) == sorted(
        f"arn:aws:iam::{ACCOUNT}:role/cdk-hnb659fds-{kind}-role-{ACCOUNT}-{region}"
        for region in ("ap-northeast-1", "us-east-1", "ap-northeast-3")
        for kind in ("deploy", "file-publishing", "image-publishing", "lookup")
    )


def test_deploy_role_cannot_assume_the_cloudformation_execution_role(cicd: Template) -> None:
    (statement,) = _role_statements(cicd, "tech-lib-github-deploy")
    assert not [arn for arn in statement["Resource"] if "cfn-exec" in arn or "*" in arn]


def test_dev_without_dr_region_reaches_primary_and_us_east_1_only(cicd_dev: Template) -> None:
    (statement,) = _role_statements(cicd_dev, "tech-lib-dev-github-deploy")
    assert {re.sub(rf"^.*-{ACCOUNT}-", "", arn) for arn in statement["Resource"]} == {
        "ap-northeast-1",
        "us-east-1",
    }


def test_deploy_session_outlasts_a_first_deploy(cicd: Template) -> None:
    assert _role(cicd, "tech-lib-github-deploy")["Properties"]["MaxSessionDuration"] == 7200


def test_diff_role_trusts_pull_requests_and_the_deploy_branch(cicd: Template) -> None:
    trust = _trust(cicd, "tech-lib-github-diff")
    assert trust["Condition"]["StringEquals"] == {
        f"{OIDC}:aud": "sts.amazonaws.com",
        f"{OIDC}:sub": [
            "repo:tech-lib/tech-lib-infra:pull_request",
            "repo:tech-lib/tech-lib-infra:ref:refs/heads/main",
        ],
    }


def test_diff_role_may_only_assume_the_lookup_roles(cicd: Template) -> None:
    (statement,) = _role_statements(cicd, "tech-lib-github-diff")
    assert statement["Action"] == "sts:AssumeRole"
    assert all(":role/cdk-hnb659fds-lookup-role-" in arn for arn in statement["Resource"])
    assert len(statement["Resource"]) == 3


def test_image_push_role_trusts_the_application_repositories_on_the_deploy_branch(cicd: Template) -> None:
    trust = _trust(cicd, "tech-lib-github-image-push")
    assert trust["Condition"]["StringEquals"][f"{OIDC}:sub"] == ["repo:tech-lib/tech-lib-app:ref:refs/heads/main"]


def test_image_push_role_pushes_to_the_two_repositories_only(cicd: Template) -> None:
    statements = _role_statements(cicd, "tech-lib-github-image-push")
    push = [s for s in statements if "ecr:PutImage" in s["Action"]]
    assert len(push) == 1
    assert sorted(push[0]["Resource"], key=str) == sorted(
        [
            FRONTEND_REPOSITORY.get_att(cicd, "Arn"),
            BACKEND_REPOSITORY.get_att(cicd, "Arn"),
        ],
        key=str,
    )
    actions = {a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert actions == {
        "ecr:BatchCheckLayerAvailability",
        "ecr:CompleteLayerUpload",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
        "ecr:GetAuthorizationToken",
    }
    star = [s for s in statements if s["Resource"] == "*"]
    assert star == [{"Action": "ecr:GetAuthorizationToken", "Effect": "Allow", "Resource": "*"}]


def test_no_role_has_managed_policies_or_inline_admin(cicd: Template) -> None:
    for role in cicd.find_resources("AWS::IAM::Role").values():
        assert "ManagedPolicyArns" not in role["Properties"]
    for policy in cicd.find_resources("AWS::IAM::Policy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            assert statement["Action"] != "*" and not str(statement["Action"]).endswith(":*")


@pytest.mark.parametrize("name", ["techlib/frontend", "techlib/backend"])
def test_ecr_repository_scans_on_push_with_immutable_tags_and_customer_key(cicd: Template, name: str) -> None:
    cicd.has_resource(
        "AWS::ECR::Repository",
        {
            "Properties": {
                "RepositoryName": name,
                "ImageScanningConfiguration": {"ScanOnPush": True},
                "ImageTagMutability": "IMMUTABLE",
                "EncryptionConfiguration": {
                    "EncryptionType": "KMS",
                    "KmsKey": IMAGE_KEY.get_att(cicd, "Arn"),
                },
            },
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        },
    )


@pytest.mark.parametrize("name", ["techlib/frontend", "techlib/backend"])
def test_ecr_lifecycle_expires_untagged_after_7_days_and_keeps_50_tagged(cicd: Template, name: str) -> None:
    rules = _lifecycle(cicd, name)
    assert [r["selection"] for r in rules] == [
        {"tagStatus": "untagged", "countType": "sinceImagePushed", "countNumber": 7, "countUnit": "days"},
        {"tagStatus": "tagged", "tagPatternList": ["*"], "countType": "imageCountMoreThan", "countNumber": 50},
    ]
    assert all(r["action"] == {"type": "expire"} for r in rules)


def test_ecr_names_come_from_the_workload_image_configuration(imported_provider_variant: Template) -> None:
    names = {
        r["Properties"]["RepositoryName"]
        for r in imported_provider_variant.find_resources("AWS::ECR::Repository").values()
    }
    assert names == {"acme/web", "acme/api"}


def test_dev_lets_only_latest_move(cicd_dev: Template) -> None:
    for repo in cicd_dev.find_resources("AWS::ECR::Repository").values():
        assert repo["Properties"]["ImageTagMutability"] == "IMMUTABLE_WITH_EXCLUSION"
        assert repo["Properties"]["ImageTagMutabilityExclusionFilters"] == [
            {"ImageTagMutabilityExclusionFilterType": "WILDCARD", "ImageTagMutabilityExclusionFilterValue": "latest"}
        ]


def test_image_key_rotates_and_is_retained(cicd: Template) -> None:
    cicd.has_resource(
        "AWS::KMS::Key",
        {"Properties": {"EnableKeyRotation": True}, "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"},
    )
    cicd.has_resource_properties("AWS::KMS::Alias", {"AliasName": "alias/tech-lib-ecr"})


def test_prod_cicd_stack_has_termination_protection(prod: Synthesized) -> None:
    assert prod.built.cicd.termination_protection is True


def test_outputs_name_the_roles_and_repositories_the_workflows_use(cicd: Template) -> None:
    outputs = cicd.find_outputs("*")
    assert set(outputs) == {
        "DeployRoleArn",
        "DiffRoleArn",
        "ImagePushRoleArn",
        "FrontendRepositoryUri",
        "BackendRepositoryUri",
    }


@pytest.mark.parametrize(
    ("cicd_override", "message"),
    [
        ({"mutable_image_tags": ["a", "b", "c", "d", "e", "f"]}, "cicd.mutable_image_tags"),
        ({"mutable_image_tags": ["bad tag"]}, "cicd.mutable_image_tags[0]"),
        ({"image_retention_count": 0}, "cicd.image_retention_count"),
        ({"deploy_branch": "main branch"}, "cicd.deploy_branch"),
        ({"application_repositories": []}, "cicd.application_repositories"),
    ],
)
def test_bad_cicd_configuration_names_the_key(cicd_override: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config("prod", overrides={"cicd": cicd_override}, environ={})


def test_only_dev_waives_the_immutable_tag_check(cicd: Template, cicd_dev: Template) -> None:
    for repo in cicd.find_resources("AWS::ECR::Repository").values():
        assert "checkov" not in repo.get("Metadata", {})
    for repo in cicd_dev.find_resources("AWS::ECR::Repository").values():
        assert [s["id"] for s in repo["Metadata"]["checkov"]["skip"]] == ["CKV_AWS_51"]
