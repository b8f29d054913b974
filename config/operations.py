"""Operations sections: `monitoring`, `backup` (AWS Backup plan, vault lock, DR copy) and `cicd`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, ClassVar

from pydantic import Field

from config.base import LogRetention, Matches, Range, Section, check
from config.errors import Problem, invalid
from config.patterns import BACKUP_NAME, EMAIL, GITHUB_NAME_RE, IAM_ROLE_NAME, REGION_RE

# The DR vault is named after the primary vault with this suffix.
DR_VAULT_SUFFIX = "-dr"
CRON = Matches(r"^cron\((\S+ ){5}\S+\)$", "an AWS cron expression with six fields, e.g. cron(0 3 * * ? *)")


class MonitoringConfig(Section):
    alarm_email: Annotated[str, EMAIL] | None = Field(description="Where alarms are mailed; null = no subscription.")
    log_retention_days: Annotated[int, LogRetention] = Field(description="Application/container log retention.")
    grafana_admin_user: str = Field(default="admin", description="Grafana's admin user name.")


class BackupRuleConfig(Section):
    name: Annotated[str, Matches(r"^[A-Za-z0-9_.-]{1,50}$", "letters, digits, _ . -")] = Field(
        description="Rule name, distinct within the plan."
    )
    schedule: Annotated[str, CRON] = Field(description="AWS cron: `?` in exactly one of day-of-month/day-of-week.")
    start_window_minutes: Annotated[int, Range(60, 40320)] = Field(description="Start window (minutes).")
    completion_window_minutes: Annotated[int, Range(120, 1000000)] = Field(description="Completion window (minutes).")
    delete_after_days: Annotated[int, Range(1, 36500)] = Field(description="Recovery point retention (days).")
    recovery_point_tags: dict[str, str] = Field(description="Tags on each recovery point.")

    @check("schedule")
    def _schedule(self) -> Iterator[Problem]:
        # AWS cron: exactly one of day-of-month and day-of-week is `?`, or AWS Backup rejects the rule at deploy.
        fields = self.schedule[len("cron(") : -1].split()
        if (fields[2] == "?") == (fields[4] == "?"):
            yield invalid(
                ("schedule",),
                self.schedule,
                "`?` in exactly one of day-of-month and day-of-week, e.g. cron(0 3 * * ? *) or cron(0 4 ? * SUN *)",
            )

    @check("recovery_point_tags")
    def _tags(self) -> Iterator[Problem]:
        for tag_key, tag_value in self.recovery_point_tags.items():
            if not 1 <= len(tag_key) <= 128 or tag_key.lower().startswith("aws:") or len(tag_value) > 256:
                yield invalid(
                    ("recovery_point_tags",),
                    {tag_key: tag_value},
                    "tag keys of 1-128 characters not starting with aws:, values up to 256 characters",
                )

    @check("start_window_minutes", "completion_window_minutes")
    def _windows(self) -> Iterator[Problem]:
        if self.completion_window_minutes <= self.start_window_minutes:
            yield Problem(
                ("completion_window_minutes",),
                f"{self.completion_window_minutes} is not after the start window {self.start_window_minutes}",
                "a completion window longer than the start window",
            )


class BackupConfig(Section):
    vault_name: Annotated[str, Matches(r"^[A-Za-z0-9_.-]{2,50}$", "2-50 letters, digits, _ . -")] = Field(
        description="The primary backup vault (the DR vault adds -dr)."
    )
    plan_name: Annotated[str, BACKUP_NAME] = Field(description="The backup plan.")
    selection_name: Annotated[str, BACKUP_NAME] = Field(description="The plan's resource selection.")
    rules: tuple[BackupRuleConfig, ...] = Field(description="Backup rules, at least one.")
    dr_region: Annotated[str, Matches(REGION_RE, "an AWS region such as ap-northeast-3")] | None = Field(
        description="Region of the DR vault every rule copies into; null = no copy."
    )
    vault_lock_enabled: bool = Field(description="Vault Lock (governance) on the vaults.")
    break_glass_role_name: Annotated[str, IAM_ROLE_NAME] | None = Field(
        default=None, description="Role that may still delete recovery points."
    )
    vault_lock_min_retention_days: Annotated[int, Range(1, 36500)] = Field(
        default=1, description="Vault Lock minimum retention (days)."
    )
    vault_lock_max_retention_days: Annotated[int, Range(1, 36500)] = Field(
        default=400, description="Vault Lock maximum retention (days)."
    )

    DR_VAULT_SUFFIX: ClassVar[str] = DR_VAULT_SUFFIX

    @check("vault_name", "dr_region")
    def _dr_vault_name(self) -> Iterator[Problem]:
        if self.dr_region is not None and len(self.dr_vault_name) > 50:
            yield invalid(
                ("vault_name",),
                self.vault_name,
                f"at most {50 - len(DR_VAULT_SUFFIX)} characters with a dr_region (the DR vault adds {DR_VAULT_SUFFIX})",
            )

    @check("rules")
    def _rules(self) -> Iterator[Problem]:
        names = [r.name for r in self.rules]
        if not self.rules:
            yield invalid(("rules",), [], "at least one rule")
        elif len(set(names)) != len(names):
            yield invalid(("rules",), names, "distinct rule names")

    @check("vault_lock_min_retention_days", "vault_lock_max_retention_days")
    def _lock_range(self) -> Iterator[Problem]:
        low = self.vault_lock_min_retention_days
        if self.vault_lock_max_retention_days < low:
            yield invalid(
                ("vault_lock_max_retention_days",),
                self.vault_lock_max_retention_days,
                f"an integer from {low} to 36500",
            )

    @check("vault_lock_enabled", "rules", "vault_lock_min_retention_days", "vault_lock_max_retention_days")
    def _lock_covers_rules(self) -> Iterator[Problem]:
        if not self.vault_lock_enabled or not self.rules:
            return
        if self.vault_lock_min_retention_days > self.vault_lock_max_retention_days:
            return  # _lock_range reports the inverted range; the rules cannot be compared with it
        longest = max(r.delete_after_days for r in self.rules)
        if longest > self.vault_lock_max_retention_days:
            yield Problem(
                ("vault_lock_max_retention_days",),
                f"{self.vault_lock_max_retention_days} is shorter than the longest rule retention {longest}",
                f"at least {longest}",
            )
        # A locked vault fails every backup or copy job whose retention is below its minimum.
        shortest = min(r.delete_after_days for r in self.rules)
        if shortest < self.vault_lock_min_retention_days:
            yield Problem(
                ("vault_lock_min_retention_days",),
                f"{self.vault_lock_min_retention_days} is longer than the shortest rule retention {shortest}",
                f"at most {shortest}",
            )

    @property
    def dr_vault_name(self) -> str:
        """The disaster-recovery vault's name in `dr_region`: copies of every recovery point land there."""
        return f"{self.vault_name}{DR_VAULT_SUFFIX}"


class CicdConfig(Section):
    github_owner: Annotated[str, Matches(GITHUB_NAME_RE, "a GitHub owner name")] = Field(
        description="GitHub owner of the repositories."
    )
    github_repository: Annotated[str, Matches(GITHUB_NAME_RE, "a GitHub repository name")] = Field(
        description="This infrastructure repository."
    )
    application_repositories: tuple[Annotated[str, Matches(GITHUB_NAME_RE, "GitHub repository names")], ...] = Field(
        description="Repositories whose pipelines push images."
    )
    deploy_branch: Annotated[str, Matches(r"^[A-Za-z0-9._/-]{1,200}$", "a git branch name")] = Field(
        default="main", description="The branch that deploys."
    )
    create_oidc_provider: bool = Field(default=True, description="false = import the account's GitHub provider.")
    image_retention_count: Annotated[int, Range(1, 10000)] = Field(default=50, description="Tagged images kept.")
    untagged_image_expiry_days: Annotated[int, Range(1, 3650)] = Field(default=7, description="Untagged image expiry.")
    mutable_image_tags: tuple[
        Annotated[str, Matches(r"^[A-Za-z0-9._*-]{1,128}$", "tag patterns of letters, digits, . _ - and * wildcards")],
        ...,
    ] = Field(default=(), description="Tag patterns that may be overwritten; empty = every tag immutable.")

    @check("application_repositories")
    def _repositories(self) -> Iterator[Problem]:
        if not self.application_repositories:
            yield invalid(("application_repositories",), [], "one or more repositories whose pipelines push images")

    @check("mutable_image_tags")
    def _mutable_tags(self) -> Iterator[Problem]:
        if len(self.mutable_image_tags) > 5:
            yield invalid(("mutable_image_tags",), list(self.mutable_image_tags), "at most 5 patterns (an ECR limit)")
