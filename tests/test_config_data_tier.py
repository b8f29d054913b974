"""Bad values in the `database` and `cache` configuration sections: each stops the build with one line
naming the key, the value and what is allowed; and the good values of prod and dev."""

from __future__ import annotations

from typing import Any

import pytest

from config import ConfigError, load_config

AURORA_CLASSES = (
    "db.r5.large, db.r5.xlarge, db.r6g.large, db.r6g.xlarge, db.r6i.large, db.r6i.xlarge, db.r7g.large, "
    "db.r7g.xlarge, db.r7i.large, db.r7i.xlarge, db.r8g.large, db.r8g.xlarge, db.t3.large, db.t3.medium, "
    "db.t4g.large, db.t4g.medium, db.x2g.large, db.x2g.xlarge, ..."
)
LOG_RETENTIONS = (
    "1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"
)


def error_for(section: str, env: str = "prod", **values: Any) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(env, overrides={section: values}, environ={})
    message = str(caught.value)
    assert "\n" not in message, "configuration errors are one line"
    return message


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"engine_version": "15.4"},
            "database.engine_version: invalid value '15.4' (allowed: 15.10, 15.12, 15.13, 15.14, 15.15, 15.17)",
        ),
        (
            {"engine_version": "15.16"},
            "database.engine_version: invalid value '15.16' (allowed: 15.10, 15.12, 15.13, 15.14, 15.15, 15.17)",
        ),
        (
            {"engine_version": "16.4"},
            "database.engine_version: invalid value '16.4' (allowed: 15.10, 15.12, 15.13, 15.14, 15.15, 15.17)",
        ),
        (
            {"reader_instance_class": "db.r6g.medium"},
            f"database.reader_instance_class: 'db.r6g.medium' is not an Aurora PostgreSQL instance class (allowed: {AURORA_CLASSES})",
        ),
        (
            {"writer_instance_class": "db.m5.large"},
            f"database.writer_instance_class: 'db.m5.large' is not an Aurora PostgreSQL instance class (allowed: {AURORA_CLASSES})",
        ),
        (
            {"writer_instance_class": "r6g.large"},
            "database.writer_instance_class: invalid value 'r6g.large' (allowed: an RDS class such as db.r6g.large)",
        ),
        (
            {"backup_retention_days": 0},
            "database.backup_retention_days: invalid value 0 (allowed: an integer from 1 to 35)",
        ),
        (
            {"backup_retention_days": 36},
            "database.backup_retention_days: invalid value 36 (allowed: an integer from 1 to 35)",
        ),
        (
            {"backup_retention_days": "7"},
            "database.backup_retention_days: expected an integer, got '7'",
        ),
        (
            {"preferred_backup_window": "3:00-4:00"},
            "database.preferred_backup_window: invalid value '3:00-4:00' (allowed: hh24:mi-hh24:mi in UTC)",
        ),
        (
            {"preferred_maintenance_window": "sunday:04:00-sun:05:00"},
            "database.preferred_maintenance_window: invalid value 'sunday:04:00-sun:05:00' "
            "(allowed: ddd:hh24:mi-ddd:hh24:mi in UTC)",
        ),
        (
            {"preferred_backup_window": "04:30-05:30"},
            "database.preferred_backup_window: 04:30-05:30 overlaps the maintenance window sun:04:00-sun:05:00 "
            "(allowed: a backup window that does not overlap the maintenance window)",
        ),
        ({"reader_count": 16}, "database.reader_count: invalid value 16 (allowed: an integer from 0 to 15)"),
        (
            {"removal_policy": "delete"},
            "database.removal_policy: invalid value 'delete' (allowed: snapshot, retain, destroy)",
        ),
        (
            {"monitoring_interval_seconds": 45},
            "database.monitoring_interval_seconds: invalid value 45 (allowed: 0, 1, 5, 10, 15, 30, 60)",
        ),
        (
            {"performance_insights_retention_days": 30},
            "database.performance_insights_retention_days: invalid value 30 (allowed: 7, 31, 62, 93, 124, 155, 186, "
            "217, 248, 279, 310, 341, 372, 403, 434, 465, 496, 527, 558, 589, 620, 651, 682, 713, 731)",
        ),
        (
            {"log_retention_days": 10},
            f"database.log_retention_days: invalid value 10 (allowed: {LOG_RETENTIONS})",
        ),
        ({"max_connections": 5}, "database.max_connections: invalid value 5 (allowed: an integer from 6 to 262143)"),
        ({"work_mem": "16M"}, "database.work_mem: invalid value '16M' (allowed: a size such as 16MB)"),
        # Below PostgreSQL's minimum: RDS would refuse the parameter at deploy.
        ({"work_mem": "32kB"}, "database.work_mem: invalid value '32kB' (allowed: 64kB to 2147483647kB)"),
        ({"work_mem": "2048GB"}, "database.work_mem: invalid value '2048GB' (allowed: 64kB to 2147483647kB)"),
        (
            {"database_name": "Tech-Lib"},
            "database.database_name: invalid value 'Tech-Lib' (allowed: a lower-case PostgreSQL identifier)",
        ),
        (
            {"master_username": "postgres"},
            "database.master_username: invalid value 'postgres' (allowed: a name other than postgres, admin or rdsadmin)",
        ),
        (
            {"secret_rotation_days": 400},
            "database.secret_rotation_days: invalid value 400 (allowed: an integer from 0 to 365)",
        ),
    ],
    ids=lambda value: next(iter(value)) if isinstance(value, dict) else None,
)
def test_bad_database_value(values: dict[str, Any], message: str) -> None:
    assert error_for("database", **values) == message


@pytest.mark.parametrize(("work_mem", "kb"), [("16MB", 16384), ("64kB", 64), ("1GB", 1048576)])
def test_work_mem_becomes_the_integer_of_kb_rds_takes(work_mem: str, kb: int) -> None:
    """PostgreSQL's sizes are 1024-based; the parameter group gets the unitless kB integer."""
    assert load_config("prod", overrides={"database": {"work_mem": work_mem}}, environ={}).database.work_mem_kb == kb


def test_unknown_database_key_names_the_allowed_keys() -> None:
    message = error_for("database", storage_gb=100)
    assert message.startswith("database.storage_gb: unknown key (allowed: backup_retention_days, database_name, ")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"engine": "memcached"}, "cache.engine: invalid value 'memcached' (allowed: redis, valkey)"),
        ({"engine_version": "6.2"}, "cache.engine_version: invalid value '6.2' (allowed: 7.0, 7.1)"),
        ({"engine": "valkey"}, "cache.engine_version: invalid value '7.1' (allowed: 7.2, 8.0, 8.1)"),
        (
            {"node_type": "r6g.large"},
            "cache.node_type: invalid value 'r6g.large' (allowed: an ElastiCache node type such as cache.r6g.large)",
        ),
        (
            {"node_type": "cache.r6g.medium"},
            "cache.node_type: 'cache.r6g.medium' is not an ElastiCache node type "
            "(allowed: cache.t4g.micro/small/medium, cache.r6g.large, cache.r7g.xlarge, ...)",
        ),
        (
            {"node_type": "cache.t4g.large"},
            "cache.node_type: 'cache.t4g.large' is not an ElastiCache node type "
            "(allowed: cache.t4g.micro/small/medium, cache.r6g.large, cache.r7g.xlarge, ...)",
        ),
        ({"num_cache_clusters": 0}, "cache.num_cache_clusters: invalid value 0 (allowed: an integer from 1 to 6)"),
        ({"num_cache_clusters": 7}, "cache.num_cache_clusters: invalid value 7 (allowed: an integer from 1 to 6)"),
        (
            {"snapshot_retention_days": 36},
            "cache.snapshot_retention_days: invalid value 36 (allowed: an integer from 0 to 35)",
        ),
        (
            {"snapshot_window": "25:00-26:00"},
            "cache.snapshot_window: invalid value '25:00-26:00' (allowed: hh24:mi-hh24:mi in UTC)",
        ),
        (
            {"preferred_maintenance_window": "sun:04:00"},
            "cache.preferred_maintenance_window: invalid value 'sun:04:00' (allowed: ddd:hh24:mi-ddd:hh24:mi in UTC)",
        ),
        (
            {"snapshot_window": "04:00-05:00"},
            "cache.snapshot_window: 04:00-05:00 overlaps the maintenance window sun:04:00-sun:05:00 "
            "(allowed: a snapshot window that does not overlap the maintenance window)",
        ),
        (
            {"maxmemory_policy": "lru"},
            "cache.maxmemory_policy: invalid value 'lru' (allowed: volatile-lru, allkeys-lru, volatile-lfu, "
            "allkeys-lfu, volatile-random, allkeys-random, volatile-ttl, noeviction)",
        ),
        ({"log_retention_days": 2}, f"cache.log_retention_days: invalid value 2 (allowed: {LOG_RETENTIONS})"),
        ({"removal_policy": "keep"}, "cache.removal_policy: invalid value 'keep' (allowed: snapshot, retain, destroy)"),
        (
            {"timeout_seconds": -1},
            "cache.timeout_seconds: invalid value -1 (allowed: an integer from 0 to 2147483647)",
        ),
    ],
    ids=lambda value: f"{next(iter(value))}={next(iter(value.values()))}" if isinstance(value, dict) else None,
)
def test_bad_cache_value(values: dict[str, Any], message: str) -> None:
    assert error_for("cache", **values) == message


# --- the good values ---------------------------------------------------------------------------------------


def test_prod_database_is_the_seeds() -> None:
    db = load_config("prod", environ={}).database
    assert (db.engine_version, db.database_name) == ("15.17", "techlib")
    assert (db.writer_instance_class, db.reader_instance_class, db.reader_count) == ("db.r6g.large", "db.r6g.large", 1)
    assert (db.backup_retention_days, db.preferred_backup_window, db.preferred_maintenance_window) == (
        7,
        "03:00-04:00",
        "sun:04:00-sun:05:00",
    )
    assert (db.deletion_protection, db.removal_policy) == (True, "snapshot")
    assert (db.monitoring_interval_seconds, db.performance_insights_retention_days) == (60, 7)
    assert (db.max_connections, db.work_mem, db.log_min_duration_statement_ms) == (200, "16MB", 1000)


def test_prod_cache_is_the_seeds() -> None:
    cache = load_config("prod", environ={}).cache
    assert (cache.engine, cache.engine_version, cache.node_type, cache.num_cache_clusters) == (
        "redis",
        "7.1",
        "cache.r6g.large",
        2,
    )
    assert cache.parameter_group_family == "redis7"
    assert cache.automatic_failover is True
    assert (cache.snapshot_retention_days, cache.snapshot_window, cache.preferred_maintenance_window) == (
        3,
        "03:00-04:00",
        "sun:04:00-sun:05:00",
    )
    assert (cache.maxmemory_policy, cache.timeout_seconds, cache.tcp_keepalive_seconds) == ("allkeys-lru", 300, 60)


def test_dev_data_tier_is_smaller_and_disposable() -> None:
    config = load_config("dev", environ={})
    db, cache = config.database, config.cache
    assert (db.writer_instance_class, db.reader_count, db.deletion_protection) == ("db.t4g.medium", 0, False)
    assert (db.backup_retention_days, db.removal_policy) == (1, "destroy")
    assert (cache.node_type, cache.num_cache_clusters, cache.automatic_failover) == ("cache.t4g.small", 1, False)


def test_valkey_8_maps_to_the_valkey8_family() -> None:
    cache = load_config("prod", overrides={"cache": {"engine": "valkey", "engine_version": "8.0"}}, environ={}).cache
    assert cache.parameter_group_family == "valkey8"
