"""CicdStack: how GitHub Actions reaches this account, and where the application images live.

- GitHub's OIDC provider (created, or imported when the account already has it): no long-lived keys,
  unlike the seed's AWS_ACCESS_KEY_ID secrets.
- The infrastructure deploy role: only this repository's jobs in the GitHub environment named like
  this configuration environment (dev/prod, where prod needs a manual approval), and it may do nothing
  but assume the CDK bootstrap roles (deploy, asset publishing, lookup); CloudFormation's execution
  role does the actual work.
- A read-only diff role: pull requests and the deploy branch may assume the bootstrap lookup roles,
  which is all `cdk diff --method template` needs.
- An image-push role for the application repositories' pipelines (the seed's build-and-push job),
  allowed to push to the two ECR repositories and nothing else.
- ECR repositories techlib/frontend and techlib/backend (names from `workloads.*_image.repository`):
  scan on push, immutable tags, a customer-managed KMS key, lifecycle rules, retained on delete.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from config import AppConfig
from findings import checkov_skip, nag_acknowledge, nag_acknowledge_inline_policy
from names import Regions
from stacks.base import TechLibStack

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com"
# The role names `cdk bootstrap` creates: cdk-<qualifier>-<kind>-role-<account>-<region>.
BOOTSTRAP_QUALIFIER = cdk.DefaultStackSynthesizer.DEFAULT_QUALIFIER
# The bootstrap roles `cdk deploy` assumes. Not cfn-exec-role: only CloudFormation assumes that one.
DEPLOY_BOOTSTRAP_ROLES = ("deploy", "file-publishing", "image-publishing", "lookup")
# Deploying EKS, Aurora and CloudFront from scratch takes well over the default hour.
DEPLOY_SESSION = cdk.Duration.hours(2)


class GithubOidcAccess(Construct):
    """The OIDC provider and the roles GitHub Actions jobs assume, each scoped by the token's `sub` claim."""

    def __init__(self, scope: Construct, id_: str, *, config: AppConfig, regions: list[str]) -> None:
        super().__init__(scope, id_)
        stack = cdk.Stack.of(self)
        cicd = config.cicd
        prefix = config.resource_prefix

        if cicd.create_oidc_provider:
            # AWS trusts GitHub's certificate chain itself; no thumbprint to pin and rotate.
            provider = iam.OidcProviderNative(
                self,
                "GithubOidcProvider",
                url=f"https://{GITHUB_OIDC_HOST}",
                client_ids=[GITHUB_OIDC_AUDIENCE],
                # One provider per URL per account: other stacks' roles may trust it too.
                removal_policy=cdk.RemovalPolicy.RETAIN,
            )
            self.provider_arn = provider.oidc_provider_arn
        else:
            self.provider_arn = f"arn:{stack.partition}:iam::{stack.account}:oidc-provider/{GITHUB_OIDC_HOST}"

        infra_repo = f"repo:{cicd.github_owner}/{cicd.github_repository}"
        # A job that names a GitHub environment gets `sub = repo:O/R:environment:<name>`. Trusting only the
        # environment (not the branch) keeps prod behind the environment's required reviewers; the
        # environment's deployment-branch rule restricts it to the deploy branch.
        self.deploy_subjects = [f"{infra_repo}:environment:{config.name}"]
        self.diff_subjects = [f"{infra_repo}:pull_request", f"{infra_repo}:ref:refs/heads/{cicd.deploy_branch}"]
        self.image_push_subjects = [
            f"repo:{cicd.github_owner}/{repo}:ref:refs/heads/{cicd.deploy_branch}"
            for repo in cicd.application_repositories
        ]

        self.deploy_role = iam.Role(
            self,
            "DeployRole",
            role_name=f"{prefix}-github-deploy",
            description=f"GitHub Actions deploys of {cicd.github_owner}/{cicd.github_repository} ({config.name})",
            assumed_by=self._github_principal(self.deploy_subjects),
            max_session_duration=DEPLOY_SESSION,
        )
        self.deploy_role.add_to_policy(
            iam.PolicyStatement(
                sid="AssumeCdkBootstrapRoles",
                actions=["sts:AssumeRole"],
                resources=[
                    self._bootstrap_role_arn(kind, region) for region in regions for kind in DEPLOY_BOOTSTRAP_ROLES
                ],
            )
        )
        self.diff_role = iam.Role(
            self,
            "DiffRole",
            role_name=f"{prefix}-github-diff",
            description=f"Read-only cdk diff from {cicd.github_owner}/{cicd.github_repository} pull requests",
            assumed_by=self._github_principal(self.diff_subjects),
        )
        self.diff_role.add_to_policy(
            iam.PolicyStatement(
                sid="AssumeCdkLookupRoles",
                actions=["sts:AssumeRole"],
                resources=[self._bootstrap_role_arn("lookup", region) for region in regions],
            )
        )
        nag_acknowledge_inline_policy(self.deploy_role, "Assuming the CDK bootstrap deploy roles only")
        nag_acknowledge_inline_policy(self.diff_role, "Assuming the CDK bootstrap lookup roles only")
        self.image_push_role = iam.Role(
            self,
            "ImagePushRole",
            role_name=f"{prefix}-github-image-push",
            description="GitHub Actions of the application repositories push images to ECR",
            assumed_by=self._github_principal(self.image_push_subjects),
        )

    def _github_principal(self, subjects: list[str]) -> iam.IPrincipal:
        return iam.WebIdentityPrincipal(
            self.provider_arn,
            conditions={
                "StringEquals": {
                    f"{GITHUB_OIDC_HOST}:aud": GITHUB_OIDC_AUDIENCE,
                    f"{GITHUB_OIDC_HOST}:sub": subjects,
                }
            },
        )

    def _bootstrap_role_arn(self, kind: str, region: str) -> str:
        stack = cdk.Stack.of(self)
        return f"arn:{stack.partition}:iam::{stack.account}:role/cdk-{BOOTSTRAP_QUALIFIER}-{kind}-role-{stack.account}-{region}"


class ImageRepositories(Construct):
    """The ECR repositories the application pipelines push to and the workloads pull from."""

    def __init__(self, scope: Construct, id_: str, *, config: AppConfig) -> None:
        super().__init__(scope, id_)
        cicd = config.cicd
        self.key = kms.Key(
            self,
            "ImageKey",
            alias=f"alias/{config.resource_prefix}-ecr",
            description="Encrypts the tech-lib container images in ECR",
            enable_key_rotation=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        if cicd.mutable_image_tags:
            mutability = ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION
            exclusions = [ecr.ImageTagMutabilityExclusionFilter.wildcard(tag) for tag in cicd.mutable_image_tags]
        else:
            mutability, exclusions = ecr.TagMutability.IMMUTABLE, []

        def repository(id_: str, name: str) -> ecr.Repository:
            return ecr.Repository(
                self,
                id_,
                repository_name=name,
                image_scan_on_push=True,
                image_tag_mutability=mutability,
                image_tag_mutability_exclusion_filters=exclusions or None,
                encryption=ecr.RepositoryEncryption.KMS,
                encryption_key=self.key,
                # Images are release artefacts: a rollback needs them after the stack is gone.
                removal_policy=cdk.RemovalPolicy.RETAIN,
                lifecycle_rules=[
                    ecr.LifecycleRule(
                        rule_priority=1,
                        description=f"Expire untagged images after {cicd.untagged_image_expiry_days} days",
                        tag_status=ecr.TagStatus.UNTAGGED,
                        max_image_age=cdk.Duration.days(cicd.untagged_image_expiry_days),
                    ),
                    ecr.LifecycleRule(
                        rule_priority=2,
                        description=f"Keep the newest {cicd.image_retention_count} tagged images",
                        tag_status=ecr.TagStatus.TAGGED,
                        tag_pattern_list=["*"],
                        max_image_count=cicd.image_retention_count,
                    ),
                ],
            )

        self.frontend = repository("FrontendRepository", config.workloads.frontend_image.repository)
        self.backend = repository("BackendRepository", config.workloads.backend_image.repository)
        if cicd.mutable_image_tags:
            for repo in self.repositories:
                checkov_skip(
                    repo,
                    "CKV_AWS_51",
                    f"Only {', '.join(cicd.mutable_image_tags)} may move (IMMUTABLE_WITH_EXCLUSION): this "
                    "environment's workloads follow it; every other tag is immutable.",
                )

    @property
    def repositories(self) -> list[ecr.Repository]:
        return [self.frontend, self.backend]


class CicdStack(TechLibStack):
    """GitHub OIDC access for the release workflow and the ECR repositories of the application images."""

    def __init__(self, scope: Construct, id_: str, *, config: AppConfig, **kwargs: Any) -> None:
        super().__init__(
            scope,
            id_,
            config=config,
            # The repositories hold every released image; a rollback depends on them.
            stateful=True,
            description="tech-lib CI/CD: GitHub OIDC deploy/diff/image-push roles, ECR repositories",
            **kwargs,
        )
        dr_regions = [config.backup.dr_region] if config.backup.dr_region else []
        # Every region the app deploys to: the deploy role must reach each region's bootstrap roles.
        self.bootstrap_regions = list(dict.fromkeys([config.region, Regions.CLOUDFRONT, *dr_regions]))
        self.github = GithubOidcAccess(self, "Github", config=config, regions=self.bootstrap_regions)
        self.images = ImageRepositories(self, "Images", config=config)
        self.frontend_repository = self.images.frontend
        self.backend_repository = self.images.backend
        for repository in self.images.repositories:
            repository.grant_push(self.github.image_push_role)
        nag_acknowledge(
            self.github.image_push_role,
            "AwsSolutions-IAM5[Resource::*]",
            "ecr:GetAuthorizationToken has no resource-level permissions; the push actions are limited to the two repositories.",
        )
        nag_acknowledge_inline_policy(self.github.image_push_role, "Pushing to the two image repositories")

        outputs = {
            "DeployRoleArn": (self.github.deploy_role.role_arn, "GitHub environment variable AWS_DEPLOY_ROLE_ARN"),
            "DiffRoleArn": (self.github.diff_role.role_arn, "GitHub repository variable AWS_DIFF_ROLE_ARN"),
            "ImagePushRoleArn": (self.github.image_push_role.role_arn, "role-to-assume of the application pipelines"),
            "FrontendRepositoryUri": (self.frontend_repository.repository_uri, "frontend image repository"),
            "BackendRepositoryUri": (self.backend_repository.repository_uri, "backend image repository"),
        }
        for output_id, (value, description) in outputs.items():
            cdk.CfnOutput(self, output_id, value=value, description=description)
