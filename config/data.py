"""The data tier: the `database` (Aurora PostgreSQL) and `cache` (ElastiCache) sections."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, ClassVar

from pydantic import Field

from config.aurora import SUPPORTED_ENGINE_VERSIONS, aurora_instance_class_problem
from config.base import LogRetention, Matches, OneOf, Range, Section, check
from config.errors import Problem, invalid
from config.patterns import CACHE_NODE_TYPE, DAILY_WINDOW, POSTGRES_IDENTIFIER, RDS_INSTANCE_CLASS, WEEKLY_WINDOW

REMOVAL_POLICIES = ("snapshot", "retain", "destroy")
RemovalPolicy = Annotated[str, OneOf(*REMOVAL_POLICIES)]
INT32_MAX = 2147483647
# work_mem's unit in PostgreSQL is the kilobyte (GUC_UNIT_KB; "taken as kilobytes" without a unit), and RDS
# parameter groups take it as that integer: 64 to 2147483647. PostgreSQL's own size units are 1024-based.
WORK_MEM_UNITS_KB = {"kB": 1, "MB": 1024, "GB": 1024 * 1024}
WORK_MEM_MIN_KB = 64


def windows_overlap(daily: str, weekly: str) -> bool:
    """True when a daily hh:mm-hh:mm window overlaps the time-of-day part of a weekly window."""

    def minutes(hhmm: str) -> int:
        hours, mins = hhmm.split(":")
        return int(hours) * 60 + int(mins)

    d_start, d_end = (minutes(p) for p in daily.split("-"))
    w_start, w_end = (minutes(p.split(":", 1)[1]) for p in weekly.split("-"))
    return d_start < w_end and w_start < d_end


class DatabaseConfig(Section):
    engine_version: Annotated[str, OneOf(*SUPPORTED_ENGINE_VERSIONS)] = Field(
        description="Aurora PostgreSQL engine version (quote it: 15.10 is not 15.1)."
    )
    database_name: Annotated[str, POSTGRES_IDENTIFIER] = Field(description="The application database.")
    master_username: Annotated[str, POSTGRES_IDENTIFIER] = Field(description="Master user (not postgres/admin).")
    writer_instance_class: Annotated[str, RDS_INSTANCE_CLASS] = Field(description="Writer instance class.")
    reader_instance_class: Annotated[str, RDS_INSTANCE_CLASS] = Field(description="Reader instance class.")
    reader_count: Annotated[int, Range(0, 15)] = Field(description="Aurora readers.")
    backup_retention_days: Annotated[int, Range(1, 35)] = Field(description="Automated backup retention (days).")
    preferred_backup_window: Annotated[str, DAILY_WINDOW] = Field(description="Daily backup window, UTC.")
    preferred_maintenance_window: Annotated[str, WEEKLY_WINDOW] = Field(description="Weekly maintenance window, UTC.")
    deletion_protection: bool = Field(description="Deletion protection of the cluster.")
    removal_policy: RemovalPolicy = Field(description="What a stack deletion does with the cluster.")
    monitoring_interval_seconds: Annotated[int, OneOf(0, 1, 5, 10, 15, 30, 60)] = Field(
        description="Enhanced Monitoring interval (0 = off)."
    )
    # Performance Insights: 7 days is the free tier; longer periods are whole months (31-day multiples) up to 731.
    performance_insights_retention_days: Annotated[int, OneOf(7, *range(31, 731, 31), 731)] = Field(
        description="Performance Insights retention (days)."
    )
    log_retention_days: Annotated[int, LogRetention] = Field(description="PostgreSQL log retention (days).")
    max_connections: Annotated[int, Range(6, 262143)] = Field(description="max_connections parameter.")
    work_mem: Annotated[str, Matches(r"^\d+(kB|MB|GB)$", "a size such as 16MB")] = Field(
        description="work_mem, e.g. 16MB; the parameter group gets the integer of kB."
    )
    log_min_duration_statement_ms: Annotated[int, Range(-1, INT32_MAX)] = Field(
        description="Slow query log threshold (ms, -1 = off)."
    )
    secret_rotation_days: Annotated[int, Range(0, 365)] = Field(description="Master secret rotation (0 = off).")

    REMOVAL_POLICIES: ClassVar[tuple[str, ...]] = REMOVAL_POLICIES
    MONITORING_INTERVALS: ClassVar[tuple[int, ...]] = (0, 1, 5, 10, 15, 30, 60)

    @property
    def work_mem_kb(self) -> int:
        """work_mem as the integer of kilobytes the parameter group takes ("16MB" -> 16384)."""
        number = self.work_mem.rstrip("kMGB")
        return int(number) * WORK_MEM_UNITS_KB[self.work_mem[len(number) :]]

    @check("work_mem")
    def _work_mem_range(self) -> Iterator[Problem]:
        if not WORK_MEM_MIN_KB <= self.work_mem_kb <= INT32_MAX:
            yield invalid(("work_mem",), self.work_mem, f"64kB to {INT32_MAX}kB")

    @check("master_username")
    def _reserved_user(self) -> Iterator[Problem]:
        if self.master_username in ("postgres", "admin", "rdsadmin"):
            yield invalid(("master_username",), self.master_username, "a name other than postgres, admin or rdsadmin")

    @check("writer_instance_class")
    def _writer_class(self) -> Iterator[Problem]:
        yield from aurora_instance_class_problem(("writer_instance_class",), self.writer_instance_class)

    @check("reader_instance_class")
    def _reader_class(self) -> Iterator[Problem]:
        yield from aurora_instance_class_problem(("reader_instance_class",), self.reader_instance_class)

    @check("preferred_backup_window", "preferred_maintenance_window")
    def _windows(self) -> Iterator[Problem]:
        if windows_overlap(self.preferred_backup_window, self.preferred_maintenance_window):
            yield Problem(
                ("preferred_backup_window",),
                f"{self.preferred_backup_window} overlaps the maintenance window {self.preferred_maintenance_window}",
                "a backup window that does not overlap the maintenance window",
            )


class CacheConfig(Section):
    engine: Annotated[str, OneOf("redis", "valkey")] = Field(description="ElastiCache engine.")
    engine_version: str = Field(description="Engine version (quoted), one the engine offers.")
    node_type: Annotated[str, CACHE_NODE_TYPE] = Field(description="ElastiCache node type.")
    num_cache_clusters: Annotated[int, Range(1, 6)] = Field(description="Nodes (primary + replicas); >1 = failover.")
    snapshot_retention_days: Annotated[int, Range(0, 35)] = Field(description="Snapshot retention (days).")
    snapshot_window: Annotated[str, DAILY_WINDOW] = Field(description="Daily snapshot window, UTC.")
    preferred_maintenance_window: Annotated[str, WEEKLY_WINDOW] = Field(description="Weekly maintenance window, UTC.")
    log_retention_days: Annotated[int, LogRetention] = Field(description="Slow/engine log retention (days).")
    maxmemory_policy: Annotated[
        str,
        OneOf(
            "volatile-lru",
            "allkeys-lru",
            "volatile-lfu",
            "allkeys-lfu",
            "volatile-random",
            "allkeys-random",
            "volatile-ttl",
            "noeviction",
        ),
    ] = Field(description="Eviction policy.")
    timeout_seconds: Annotated[int, Range(0, INT32_MAX)] = Field(description="Idle client timeout (0 = never).")
    tcp_keepalive_seconds: Annotated[int, Range(0, INT32_MAX)] = Field(description="TCP keepalive interval.")
    removal_policy: RemovalPolicy = Field(description="What a stack deletion does with the cache.")

    ENGINES: ClassVar[tuple[str, ...]] = ("redis", "valkey")
    ENGINE_VERSIONS: ClassVar[dict[str, tuple[str, ...]]] = {"redis": ("7.0", "7.1"), "valkey": ("7.2", "8.0", "8.1")}

    @check("engine", "engine_version")
    def _engine_version(self) -> Iterator[Problem]:
        versions = self.ENGINE_VERSIONS[self.engine]
        if self.engine_version not in versions:
            yield invalid(("engine_version",), self.engine_version, ", ".join(versions))

    @check("node_type")
    def _node_type(self) -> Iterator[Problem]:
        # Only the burstable families come smaller than large (there is no cache.r6g.medium, no cache.t4g.large).
        family, size = self.node_type.split(".")[1:]
        if (family in ("t2", "t3", "t4g")) != (size in ("micro", "small", "medium")):
            yield Problem(
                ("node_type",),
                f"{self.node_type!r} is not an ElastiCache node type",
                "cache.t4g.micro/small/medium, cache.r6g.large, cache.r7g.xlarge, ...",
            )

    @check("snapshot_window", "preferred_maintenance_window")
    def _windows(self) -> Iterator[Problem]:
        if windows_overlap(self.snapshot_window, self.preferred_maintenance_window):
            yield Problem(
                ("snapshot_window",),
                f"{self.snapshot_window} overlaps the maintenance window {self.preferred_maintenance_window}",
                "a snapshot window that does not overlap the maintenance window",
            )

    @property
    def parameter_group_family(self) -> str:
        major = self.engine_version.split(".")[0]
        return f"{self.engine}{major}"

    @property
    def automatic_failover(self) -> bool:
        return self.num_cache_clusters > 1


class EfsConfig(Section):
    """`efs`: the optional shared file system of the app tier (the design's app-nodes `efs: true`)."""

    enabled: bool = Field(default=False, description="Create an encrypted EFS file system for the app tier.")
    # An existing file system for the StorageClass when this app does not create one; null and disabled
    # means no StorageClass at all (a class pointing at no file system would leave every claim Pending).
    file_system_id: Annotated[str, Matches(r"^fs-[0-9a-f]{8,40}$", "an EFS id such as fs-0123abcd")] | None = Field(
        default=None, description="An existing file system for the StorageClass (with enabled: false)."
    )
    # EFS has no CloudFormation snapshot-on-delete: its snapshots are the backup plan's recovery points.
    removal_policy: Annotated[str, OneOf("retain", "destroy")] = Field(
        default="retain", description="What a stack deletion does with the file system."
    )

    REMOVAL_POLICIES: ClassVar[tuple[str, ...]] = ("retain", "destroy")

    @check("enabled", "file_system_id")
    def _one_source(self) -> Iterator[Problem]:
        if self.enabled and self.file_system_id is not None:
            yield Problem(
                ("file_system_id",),
                "is set while efs.enabled creates a file system",
                "null with enabled: true, or an existing id with enabled: false",
            )
