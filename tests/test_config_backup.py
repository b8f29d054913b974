"""The backup section of the configuration: every bad value stops the build with one line naming key and fix."""

from __future__ import annotations

from typing import Any

import pytest

from config import ConfigError, load_config

SEED_RULES: list[dict[str, Any]] = [
    {
        "name": "DailyBackup",
        "schedule": "cron(0 3 * * ? *)",
        "start_window_minutes": 60,
        "completion_window_minutes": 120,
        "delete_after_days": 30,
        "recovery_point_tags": {"BackupType": "Daily"},
    },
    {
        "name": "WeeklyBackup",
        "schedule": "cron(0 4 ? * SUN *)",
        "start_window_minutes": 60,
        "completion_window_minutes": 180,
        "delete_after_days": 90,
        "recovery_point_tags": {"BackupType": "Weekly"},
    },
    {
        "name": "MonthlyBackup",
        "schedule": "cron(0 5 1 * ? *)",
        "start_window_minutes": 60,
        "completion_window_minutes": 240,
        "delete_after_days": 365,
        "recovery_point_tags": {"BackupType": "Monthly"},
    },
]


def error_for(env: str = "prod", **backup: Any) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(env, overrides={"backup": backup}, environ={})
    message = str(caught.value)
    assert "\n" not in message, "configuration errors are one line"
    return message


def with_daily(**changes: Any) -> list[dict[str, Any]]:
    """The seed's rules with the daily rule changed (the list replaces the configured one as a whole)."""
    return [{**SEED_RULES[0], **changes}, *SEED_RULES[1:]]


def test_prod_backup_section_is_the_seed() -> None:
    backup = load_config("prod", environ={}).backup
    assert (backup.vault_name, backup.plan_name, backup.selection_name) == (
        "tech-lib-backup-vault",
        "tech-lib-backup-plan",
        "tech-lib-resources",
    )
    assert [
        (r.name, r.schedule, r.start_window_minutes, r.completion_window_minutes, r.delete_after_days)
        for r in backup.rules
    ] == [
        (r["name"], r["schedule"], r["start_window_minutes"], r["completion_window_minutes"], r["delete_after_days"])
        for r in SEED_RULES
    ]
    assert [r.recovery_point_tags for r in backup.rules] == [r["recovery_point_tags"] for r in SEED_RULES]


def test_prod_copies_to_osaka_into_a_locked_vault() -> None:
    backup = load_config("prod", environ={}).backup
    assert backup.dr_region == "ap-northeast-3"
    assert backup.dr_vault_name == "tech-lib-backup-vault-dr"
    assert backup.vault_lock_enabled is True


def test_dev_keeps_daily_only_for_a_week_without_copy_or_lock() -> None:
    backup = load_config("dev", environ={}).backup
    assert [(r.name, r.delete_after_days) for r in backup.rules] == [("DailyBackup", 7)]
    assert backup.dr_region is None
    assert backup.vault_lock_enabled is False


def test_vault_name_characters() -> None:
    assert error_for(vault_name="tech lib vault") == (
        "backup.vault_name: invalid value 'tech lib vault' (allowed: 2-50 letters, digits, _ . -)"
    )


def test_vault_name_leaves_room_for_the_dr_suffix() -> None:
    name = "v" * 48
    assert error_for(vault_name=name) == (
        f"backup.vault_name: invalid value {name!r} (allowed: at most 47 characters with a dr_region "
        "(the DR vault adds -dr))"
    )


def test_a_48_character_vault_name_is_fine_without_a_dr_region() -> None:
    config = load_config("prod", overrides={"backup": {"vault_name": "v" * 48, "dr_region": None}}, environ={})
    assert config.backup.vault_name == "v" * 48


def test_plan_name() -> None:
    assert error_for(plan_name="tech/lib") == (
        "backup.plan_name: invalid value 'tech/lib' (allowed: 1-50 letters, digits, _ . -)"
    )


def test_selection_name() -> None:
    name = "s" * 51
    assert error_for(selection_name=name) == (
        f"backup.selection_name: invalid value {name!r} (allowed: 1-50 letters, digits, _ . -)"
    )


def test_at_least_one_rule() -> None:
    assert error_for(rules=[]) == "backup.rules: invalid value [] (allowed: at least one rule)"


def test_rule_names_are_distinct() -> None:
    assert error_for(rules=[SEED_RULES[0], SEED_RULES[0]]) == (
        "backup.rules: invalid value ['DailyBackup', 'DailyBackup'] (allowed: distinct rule names)"
    )


def test_schedule_is_an_aws_cron_expression() -> None:
    assert error_for(rules=with_daily(schedule="rate(1 day)")) == (
        "backup.rules.DailyBackup.schedule: invalid value 'rate(1 day)' "
        "(allowed: an AWS cron expression with six fields, e.g. cron(0 3 * * ? *))"
    )


@pytest.mark.parametrize("schedule", ["cron(0 3 * * * *)", "cron(0 3 ? * ? *)"])
def test_schedule_has_exactly_one_question_mark_day(schedule: str) -> None:
    assert error_for(rules=with_daily(schedule=schedule)) == (
        f"backup.rules.DailyBackup.schedule: invalid value {schedule!r} (allowed: `?` in exactly one of "
        "day-of-month and day-of-week, e.g. cron(0 3 * * ? *) or cron(0 4 ? * SUN *))"
    )


def test_start_window_is_at_least_an_hour() -> None:
    assert error_for(rules=with_daily(start_window_minutes=30)) == (
        "backup.rules.DailyBackup.start_window_minutes: invalid value 30 (allowed: an integer from 60 to 40320)"
    )


def test_completion_window_is_after_the_start_window() -> None:
    assert error_for(rules=with_daily(start_window_minutes=180, completion_window_minutes=120)) == (
        "backup.rules.DailyBackup.completion_window_minutes: 120 is not after the start window 180 "
        "(allowed: a completion window longer than the start window)"
    )


def test_delete_after_days_is_positive() -> None:
    assert error_for(rules=with_daily(delete_after_days=0)) == (
        "backup.rules.DailyBackup.delete_after_days: invalid value 0 (allowed: an integer from 1 to 36500)"
    )


def test_recovery_point_tag_keys_cannot_use_the_aws_prefix() -> None:
    assert error_for(rules=with_daily(recovery_point_tags={"aws:type": "Daily"})) == (
        "backup.rules.DailyBackup.recovery_point_tags: invalid value {'aws:type': 'Daily'} "
        "(allowed: tag keys of 1-128 characters not starting with aws:, values up to 256 characters)"
    )


def test_dr_region_is_a_region() -> None:
    assert error_for(dr_region="osaka") == (
        "backup.dr_region: invalid value 'osaka' (allowed: an AWS region such as ap-northeast-3)"
    )


def test_dr_region_is_not_the_primary_region() -> None:
    assert error_for(dr_region="ap-northeast-1") == (
        "backup.dr_region: 'ap-northeast-1' is the primary region (allowed: a second region, e.g. ap-northeast-3)"
    )


def test_break_glass_role_name() -> None:
    assert error_for(break_glass_role_name="arn:aws:iam::111111111111:role/x") == (
        "backup.break_glass_role_name: invalid value 'arn:aws:iam::111111111111:role/x' "
        "(allowed: an IAM role name in the target account)"
    )


def test_vault_lock_maximum_covers_the_longest_rule() -> None:
    assert error_for(vault_lock_max_retention_days=300) == (
        "backup.vault_lock_max_retention_days: 300 is shorter than the longest rule retention 365 (allowed: at least 365)"
    )


def test_vault_lock_minimum_does_not_exceed_the_shortest_rule() -> None:
    assert error_for(vault_lock_min_retention_days=31) == (
        "backup.vault_lock_min_retention_days: 31 is longer than the shortest rule retention 30 (allowed: at most 30)"
    )


def test_vault_lock_bounds_are_not_checked_against_rules_when_the_lock_is_off() -> None:
    config = load_config(
        "prod",
        overrides={"backup": {"vault_lock_enabled": False, "vault_lock_min_retention_days": 31}},
        environ={},
    )
    assert config.backup.vault_lock_min_retention_days == 31


def test_vault_lock_minimum_is_not_above_the_maximum() -> None:
    assert error_for(vault_lock_min_retention_days=500, vault_lock_max_retention_days=400) == (
        "backup.vault_lock_max_retention_days: invalid value 400 (allowed: an integer from 500 to 36500)"
    )


def test_vault_lock_enabled_is_a_boolean() -> None:
    assert error_for(vault_lock_enabled="yes") == "backup.vault_lock_enabled: expected true or false, got 'yes'"


def test_unknown_backup_key() -> None:
    message = error_for(retention_days=30)
    assert message.startswith("backup.retention_days: unknown key (allowed: break_glass_role_name, dr_region,")
