"""Typed, frozen configuration tree.

Every section is a frozen dataclass whose `__post_init__` validates its own values and raises
`ConfigError` with the dotted key, so a bad value never reaches a construct. The loader
(`config.loader`) builds these from `config/<env>.yaml` and rejects unknown keys.
Cross-section rules (a subnet outside the VPC, a certificate without a domain, ...) live in
`AppConfig.__post_init__`.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from config.aurora import SUPPORTED_ENGINE_VERSIONS, check_aurora_instance_class
from config.errors import ConfigError
from config.kubernetes import SUPPORTED_VERSIONS

ACCOUNT_RE = re.compile(r"^\d{12}$")
REGION_RE = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
EC2_INSTANCE_TYPE_RE = re.compile(r"^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(nano|micro|small|medium|large|metal|\d*xlarge)$")
RDS_INSTANCE_CLASS_RE = re.compile(r"^db\.[a-z][a-z0-9-]*\d[a-z0-9-]*\.(micro|small|medium|large|\d*xlarge)$")
CACHE_NODE_TYPE_RE = re.compile(r"^cache\.[a-z][a-z0-9-]*\d[a-z0-9-]*\.(micro|small|medium|large|\d*xlarge)$")
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
IAM_ROLE_NAME_RE = re.compile(r"^[\w+=,.@-]{1,64}$")
ACM_ARN_RE = re.compile(r"^arn:aws[a-z-]*:acm:(?P<region>[a-z0-9-]+):\d{12}:certificate/[0-9a-f-]{36}$")
HOSTED_ZONE_ID_RE = re.compile(r"^Z[A-Z0-9]{1,31}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
# ddd:hh24:mi-ddd:hh24:mi (maintenance) and hh24:mi-hh24:mi (backup/snapshot) as RDS/ElastiCache accept them.
DAILY_WINDOW_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
WEEKLY_WINDOW_RE = re.compile(
    r"^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$"
)
IMAGE_REPOSITORY_RE = re.compile(r"^[a-z0-9]+([._/-][a-z0-9]+)*(:\d+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*$")
IMAGE_TAG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
K8S_LABEL_VALUE_RE = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$")
K8S_NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")

# CloudWatch Logs accepts only these retention periods (days).
LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)


def _fail(key: str, value: object, allowed: str) -> ConfigError:
    return ConfigError(key, f"invalid value {value!r}", allowed)


def check_range(key: str, value: int, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(key, value, f"an integer from {low} to {high}")


def check_choice(key: str, value: object, choices: tuple[object, ...]) -> None:
    if value not in choices:
        raise _fail(key, value, ", ".join(str(c) for c in choices))


def check_pattern(key: str, value: str, pattern: re.Pattern[str], allowed: str) -> None:
    if not isinstance(value, str) or not pattern.match(value):
        raise _fail(key, value, allowed)


def check_log_retention(key: str, value: int) -> None:
    check_choice(key, value, LOG_RETENTION_DAYS)


def parse_network(key: str, value: str) -> ipaddress.IPv4Network:
    try:
        return ipaddress.IPv4Network(value, strict=True)
    except ValueError:
        raise _fail(key, value, "an IPv4 CIDR block with no host bits set, e.g. 10.0.1.0/24") from None


def _windows_overlap(daily: str, weekly: str) -> bool:
    """True when a daily hh:mm-hh:mm window overlaps the time-of-day part of a weekly window."""

    def minutes(hhmm: str) -> int:
        hours, mins = hhmm.split(":")
        return int(hours) * 60 + int(mins)

    d_start, d_end = (minutes(p) for p in daily.split("-"))
    w_start, w_end = (minutes(p.split(":", 1)[1]) for p in weekly.split("-"))
    return d_start < w_end and w_start < d_end


@dataclass(frozen=True)
class NetworkConfig:
    vpc_cidr: str
    availability_zones: tuple[str, ...]
    public_subnet_cidrs: tuple[str, ...]
    app_subnet_cidrs: tuple[str, ...]
    database_subnet_cidrs: tuple[str, ...]
    cache_subnet_cidrs: tuple[str, ...]
    nat_gateways: int
    flow_log_retention_days: int

    SUBNET_GROUPS = ("public_subnet_cidrs", "app_subnet_cidrs", "database_subnet_cidrs", "cache_subnet_cidrs")

    def __post_init__(self) -> None:
        vpc = parse_network("network.vpc_cidr", self.vpc_cidr)
        if not 16 <= vpc.prefixlen <= 28:
            raise _fail("network.vpc_cidr", self.vpc_cidr, "a prefix length from /16 to /28")
        if len(self.availability_zones) < 2:
            raise _fail("network.availability_zones", list(self.availability_zones), "at least two zones")
        if len(set(self.availability_zones)) != len(self.availability_zones):
            raise _fail("network.availability_zones", list(self.availability_zones), "distinct zones")
        seen: list[tuple[str, ipaddress.IPv4Network]] = []
        for group in self.SUBNET_GROUPS:
            cidrs: tuple[str, ...] = getattr(self, group)
            if len(cidrs) != len(self.availability_zones):
                raise ConfigError(
                    f"network.{group}",
                    f"has {len(cidrs)} CIDRs for {len(self.availability_zones)} availability zones",
                    "exactly one CIDR per availability zone",
                )
            for index, cidr in enumerate(cidrs):
                key = f"network.{group}[{index}]"
                net = parse_network(key, cidr)
                if not net.subnet_of(vpc):
                    raise ConfigError(
                        key, f"subnet {cidr} lies outside the VPC {self.vpc_cidr}", f"a CIDR inside {self.vpc_cidr}"
                    )
                if not 16 <= net.prefixlen <= 28:
                    raise _fail(key, cidr, "a prefix length from /16 to /28")
                for other_key, other in seen:
                    if net.overlaps(other):
                        raise ConfigError(key, f"subnet {cidr} overlaps {other_key} ({other})", "non-overlapping CIDRs")
                seen.append((key, net))
        check_range("network.nat_gateways", self.nat_gateways, 1, len(self.availability_zones))
        check_log_retention("network.flow_log_retention_days", self.flow_log_retention_days)


@dataclass(frozen=True)
class Taint:
    key: str
    value: str
    effect: str

    def __post_init__(self) -> None:
        check_choice("eks.node_groups[].taints[].effect", self.effect, ("NoSchedule", "PreferNoSchedule", "NoExecute"))


@dataclass(frozen=True)
class NodeGroupConfig:
    name: str
    instance_type: str
    desired_size: int
    min_size: int
    max_size: int
    volume_size_gib: int
    volume_type: str
    labels: dict[str, str]
    taints: tuple[Taint, ...] = ()

    def __post_init__(self) -> None:
        key = f"eks.node_groups.{self.name}"
        check_pattern(f"{key}.name", self.name, K8S_NAME_RE, "a DNS-1123 label, e.g. app-nodes")
        check_pattern(
            f"{key}.instance_type", self.instance_type, EC2_INSTANCE_TYPE_RE, "an EC2 instance type such as t3.medium"
        )
        check_range(f"{key}.min_size", self.min_size, 0, 450)
        check_range(f"{key}.max_size", self.max_size, 1, 450)
        check_range(f"{key}.desired_size", self.desired_size, 0, 450)
        if not self.min_size <= self.desired_size <= self.max_size:
            raise ConfigError(
                f"{key}.desired_size",
                f"min_size {self.min_size} <= desired_size {self.desired_size} <= max_size {self.max_size} does not hold",
                "min_size <= desired_size <= max_size",
            )
        check_range(f"{key}.volume_size_gib", self.volume_size_gib, 20, 16384)
        check_choice(f"{key}.volume_type", self.volume_type, ("gp3", "gp2", "io1", "io2"))
        for label, value in self.labels.items():
            check_pattern(f"{key}.labels.{label}", value, K8S_LABEL_VALUE_RE, "a Kubernetes label value")


@dataclass(frozen=True)
class InstanceShape:
    """What the capacity model needs of an instance type: vCPUs, memory and the VPC CNI's pod slots."""

    vcpus: int
    memory_mib: int
    enis: int
    ipv4_per_eni: int

    @property
    def max_pods(self) -> int:
        # The ENI formula EKS uses without prefix delegation (DESIGN.md, capacity facts).
        return self.enis * (self.ipv4_per_eni - 1) + 2


# EC2's published vCPUs, memory and ENI/IPv4 limits for the types the Spot group may mix. A type not listed
# cannot be checked for "same shape", so it is refused rather than guessed.
INSTANCE_SHAPES: dict[str, InstanceShape] = {
    "t2.medium": InstanceShape(vcpus=2, memory_mib=4096, enis=3, ipv4_per_eni=6),
    "t3.medium": InstanceShape(vcpus=2, memory_mib=4096, enis=3, ipv4_per_eni=6),
    "t3a.medium": InstanceShape(vcpus=2, memory_mib=4096, enis=3, ipv4_per_eni=6),
    "t2.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=12),
    "t3.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=12),
    "t3a.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=12),
    "m5.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=10),
    "m5a.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=10),
    "m6i.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=10),
}
# The Spot twin of app-nodes (the design's cost policy: スポットインスタンス活用); its label and taint are app-nodes'.
SPOT_APP_NODE_GROUP = "app-nodes-spot"


@dataclass(frozen=True)
class SpotNodeGroupConfig:
    """`eks.spot_app_nodes`: a Spot managed node group with app-nodes' labels, taints and disk."""

    instance_types: tuple[str, ...]
    min_size: int
    desired_size: int
    max_size: int

    def __post_init__(self) -> None:
        key = "eks.spot_app_nodes"
        known = ", ".join(INSTANCE_SHAPES)
        if len(self.instance_types) < 2 or len(set(self.instance_types)) != len(self.instance_types):
            raise _fail(f"{key}.instance_types", list(self.instance_types), "two or more distinct instance types")
        for instance_type in self.instance_types:
            check_choice(f"{key}.instance_types[]", instance_type, tuple(INSTANCE_SHAPES))
        shapes = {(INSTANCE_SHAPES[t].vcpus, INSTANCE_SHAPES[t].memory_mib) for t in self.instance_types}
        if len(shapes) != 1:
            raise _fail(f"{key}.instance_types", list(self.instance_types), f"types of one vCPU/memory shape ({known})")
        check_range(f"{key}.min_size", self.min_size, 0, 450)
        check_range(f"{key}.max_size", self.max_size, 1, 450)
        check_range(f"{key}.desired_size", self.desired_size, 0, 450)
        if not self.min_size <= self.desired_size <= self.max_size:
            raise ConfigError(
                f"{key}.desired_size",
                f"min_size {self.min_size} <= desired_size {self.desired_size} <= max_size {self.max_size} does not hold",
                "min_size <= desired_size <= max_size",
            )

    @property
    def smallest(self) -> tuple[str, InstanceShape]:
        """The type with the fewest pod slots: the one the capacity model must hold for."""
        name = min(self.instance_types, key=lambda t: (INSTANCE_SHAPES[t].max_pods, INSTANCE_SHAPES[t].memory_mib))
        return name, INSTANCE_SHAPES[name]


@dataclass(frozen=True)
class EksConfig:
    cluster_name: str
    kubernetes_version: str
    upgrade_policy: str
    endpoint_public_access_cidrs: tuple[str, ...]
    admin_role_name: str
    node_groups: tuple[NodeGroupConfig, ...]
    control_plane_log_types: tuple[str, ...]
    control_plane_log_retention_days: int = 90
    spot_app_nodes: SpotNodeGroupConfig | None = None

    UPGRADE_POLICIES = ("STANDARD", "EXTENDED")
    LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")
    # The seed's two groups: workloads select app-nodes, the cluster's controllers run on system-nodes.
    REQUIRED_NODE_GROUPS = ("app-nodes", "system-nodes")

    def __post_init__(self) -> None:
        check_pattern(
            "eks.cluster_name",
            self.cluster_name,
            re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$"),
            "1-100 letters, digits, - or _",
        )
        check_choice("eks.kubernetes_version", self.kubernetes_version, tuple(SUPPORTED_VERSIONS))
        check_choice("eks.upgrade_policy", self.upgrade_policy, self.UPGRADE_POLICIES)
        if not self.endpoint_public_access_cidrs:
            raise _fail("eks.endpoint_public_access_cidrs", [], "at least one CIDR (0.0.0.0/0 for any)")
        for index, cidr in enumerate(self.endpoint_public_access_cidrs):
            parse_network(f"eks.endpoint_public_access_cidrs[{index}]", cidr)
        check_pattern(
            "eks.admin_role_name", self.admin_role_name, IAM_ROLE_NAME_RE, "an IAM role name in the target account"
        )
        names = [group.name for group in self.node_groups]
        if not names or len(set(names)) != len(names):
            raise _fail("eks.node_groups", names, "one or more node groups with distinct names")
        missing = [name for name in self.REQUIRED_NODE_GROUPS if name not in names]
        if missing:
            raise ConfigError(
                "eks.node_groups", f"has no group named {', '.join(missing)}", "app-nodes and system-nodes among others"
            )
        for log_type in self.control_plane_log_types:
            check_choice("eks.control_plane_log_types[]", log_type, self.LOG_TYPES)
        if len(set(self.control_plane_log_types)) != len(self.control_plane_log_types):
            raise _fail("eks.control_plane_log_types", list(self.control_plane_log_types), "distinct log types")
        check_log_retention("eks.control_plane_log_retention_days", self.control_plane_log_retention_days)
        if SPOT_APP_NODE_GROUP in names:
            raise _fail(
                "eks.node_groups", names, f"no group named {SPOT_APP_NODE_GROUP} (eks.spot_app_nodes defines it)"
            )
        if self.spot_app_nodes is not None:
            app_type = self.node_group(self.REQUIRED_NODE_GROUPS[0]).instance_type
            app_shape = INSTANCE_SHAPES.get(app_type)
            spot_shape = INSTANCE_SHAPES[self.spot_app_nodes.instance_types[0]]
            # Interchangeable with app-nodes, or the autoscaler's similar-group balancing and the capacity
            # model would treat the tier's nodes as two different machines.
            if app_shape is None or (app_shape.vcpus, app_shape.memory_mib) != (
                spot_shape.vcpus,
                spot_shape.memory_mib,
            ):
                raise ConfigError(
                    "eks.spot_app_nodes.instance_types",
                    f"{list(self.spot_app_nodes.instance_types)} differ in vCPU/memory from app-nodes' {app_type}",
                    "types of app-nodes' shape",
                )

    def node_group(self, name: str) -> NodeGroupConfig:
        for group in self.node_groups:
            if group.name == name:
                return group
        raise ConfigError(
            "eks.node_groups", f"no node group named {name!r}", ", ".join(g.name for g in self.node_groups)
        )


@dataclass(frozen=True)
class DatabaseConfig:
    engine_version: str
    database_name: str
    master_username: str
    writer_instance_class: str
    reader_instance_class: str
    reader_count: int
    backup_retention_days: int
    preferred_backup_window: str
    preferred_maintenance_window: str
    deletion_protection: bool
    removal_policy: str
    monitoring_interval_seconds: int
    performance_insights_retention_days: int
    log_retention_days: int
    max_connections: int
    work_mem: str
    log_min_duration_statement_ms: int
    secret_rotation_days: int

    REMOVAL_POLICIES = ("snapshot", "retain", "destroy")
    MONITORING_INTERVALS = (0, 1, 5, 10, 15, 30, 60)

    def __post_init__(self) -> None:
        check_choice("database.engine_version", self.engine_version, tuple(SUPPORTED_ENGINE_VERSIONS))
        check_pattern(
            "database.database_name",
            self.database_name,
            re.compile(r"^[a-z][a-z0-9_]{0,62}$"),
            "a lower-case PostgreSQL identifier",
        )
        check_pattern(
            "database.master_username",
            self.master_username,
            re.compile(r"^[a-z][a-z0-9_]{0,62}$"),
            "a lower-case PostgreSQL identifier",
        )
        if self.master_username in ("postgres", "admin", "rdsadmin"):
            raise _fail(
                "database.master_username", self.master_username, "a name other than postgres, admin or rdsadmin"
            )
        check_pattern(
            "database.writer_instance_class",
            self.writer_instance_class,
            RDS_INSTANCE_CLASS_RE,
            "an RDS class such as db.r6g.large",
        )
        check_pattern(
            "database.reader_instance_class",
            self.reader_instance_class,
            RDS_INSTANCE_CLASS_RE,
            "an RDS class such as db.r6g.large",
        )
        check_aurora_instance_class("database.writer_instance_class", self.writer_instance_class)
        check_aurora_instance_class("database.reader_instance_class", self.reader_instance_class)
        check_range("database.reader_count", self.reader_count, 0, 15)
        check_range("database.backup_retention_days", self.backup_retention_days, 1, 35)
        check_pattern(
            "database.preferred_backup_window", self.preferred_backup_window, DAILY_WINDOW_RE, "hh24:mi-hh24:mi in UTC"
        )
        check_pattern(
            "database.preferred_maintenance_window",
            self.preferred_maintenance_window,
            WEEKLY_WINDOW_RE,
            "ddd:hh24:mi-ddd:hh24:mi in UTC",
        )
        if _windows_overlap(self.preferred_backup_window, self.preferred_maintenance_window):
            raise ConfigError(
                "database.preferred_backup_window",
                f"{self.preferred_backup_window} overlaps the maintenance window {self.preferred_maintenance_window}",
                "a backup window that does not overlap the maintenance window",
            )
        check_choice("database.removal_policy", self.removal_policy, self.REMOVAL_POLICIES)
        check_choice(
            "database.monitoring_interval_seconds", self.monitoring_interval_seconds, self.MONITORING_INTERVALS
        )
        # Performance Insights: 7 days is the free tier; longer periods are whole months (31-day multiples) up to 731.
        allowed_pi = (7, *range(31, 731, 31), 731)
        check_choice(
            "database.performance_insights_retention_days", self.performance_insights_retention_days, allowed_pi
        )
        check_log_retention("database.log_retention_days", self.log_retention_days)
        check_range("database.max_connections", self.max_connections, 6, 262143)
        check_pattern("database.work_mem", self.work_mem, re.compile(r"^\d+(kB|MB|GB)$"), "a size such as 16MB")
        check_range("database.log_min_duration_statement_ms", self.log_min_duration_statement_ms, -1, 2147483647)
        check_range("database.secret_rotation_days", self.secret_rotation_days, 0, 365)


@dataclass(frozen=True)
class CacheConfig:
    engine: str
    engine_version: str
    node_type: str
    num_cache_clusters: int
    snapshot_retention_days: int
    snapshot_window: str
    preferred_maintenance_window: str
    log_retention_days: int
    maxmemory_policy: str
    timeout_seconds: int
    tcp_keepalive_seconds: int
    removal_policy: str

    ENGINES = ("redis", "valkey")
    ENGINE_VERSIONS = {"redis": ("7.0", "7.1"), "valkey": ("7.2", "8.0", "8.1")}
    MAXMEMORY_POLICIES = (
        "volatile-lru",
        "allkeys-lru",
        "volatile-lfu",
        "allkeys-lfu",
        "volatile-random",
        "allkeys-random",
        "volatile-ttl",
        "noeviction",
    )

    def __post_init__(self) -> None:
        check_choice("cache.engine", self.engine, self.ENGINES)
        check_choice("cache.engine_version", self.engine_version, self.ENGINE_VERSIONS[self.engine])
        check_pattern(
            "cache.node_type", self.node_type, CACHE_NODE_TYPE_RE, "an ElastiCache node type such as cache.r6g.large"
        )
        # Only the burstable families come smaller than large (there is no cache.r6g.medium, no cache.t4g.large).
        family, size = self.node_type.split(".")[1:]
        burstable = family in ("t2", "t3", "t4g")
        if burstable != (size in ("micro", "small", "medium")):
            raise ConfigError(
                "cache.node_type",
                f"{self.node_type!r} is not an ElastiCache node type",
                "cache.t4g.micro/small/medium, cache.r6g.large, cache.r7g.xlarge, ...",
            )
        check_range("cache.num_cache_clusters", self.num_cache_clusters, 1, 6)
        check_range("cache.snapshot_retention_days", self.snapshot_retention_days, 0, 35)
        check_pattern("cache.snapshot_window", self.snapshot_window, DAILY_WINDOW_RE, "hh24:mi-hh24:mi in UTC")
        check_pattern(
            "cache.preferred_maintenance_window",
            self.preferred_maintenance_window,
            WEEKLY_WINDOW_RE,
            "ddd:hh24:mi-ddd:hh24:mi in UTC",
        )
        if _windows_overlap(self.snapshot_window, self.preferred_maintenance_window):
            raise ConfigError(
                "cache.snapshot_window",
                f"{self.snapshot_window} overlaps the maintenance window {self.preferred_maintenance_window}",
                "a snapshot window that does not overlap the maintenance window",
            )
        check_log_retention("cache.log_retention_days", self.log_retention_days)
        check_choice("cache.maxmemory_policy", self.maxmemory_policy, self.MAXMEMORY_POLICIES)
        check_range("cache.timeout_seconds", self.timeout_seconds, 0, 2147483647)
        check_range("cache.tcp_keepalive_seconds", self.tcp_keepalive_seconds, 0, 2147483647)
        check_choice("cache.removal_policy", self.removal_policy, ("snapshot", "retain", "destroy"))

    @property
    def parameter_group_family(self) -> str:
        major = self.engine_version.split(".")[0]
        return f"{self.engine}{major}"

    @property
    def automatic_failover(self) -> bool:
        return self.num_cache_clusters > 1


@dataclass(frozen=True)
class WafConfig:
    rate_limit_per_5min: int
    geo_block_country_codes: tuple[str, ...]
    log_retention_days: int

    def __post_init__(self) -> None:
        check_range("edge.waf.rate_limit_per_5min", self.rate_limit_per_5min, 10, 2000000000)
        codes = list(self.geo_block_country_codes)
        if not codes or len(set(codes)) != len(codes):
            raise _fail(
                "edge.waf.geo_block_country_codes", codes, "one or more distinct country codes, e.g. [CN, RU, KP]"
            )
        for code in self.geo_block_country_codes:
            check_pattern(
                "edge.waf.geo_block_country_codes[]",
                code,
                re.compile(r"^[A-Z]{2}$"),
                "ISO 3166-1 alpha-2 codes such as CN",
            )
        check_log_retention("edge.waf.log_retention_days", self.log_retention_days)


@dataclass(frozen=True)
class EdgeConfig:
    """CloudFront + WAF. With `domain_name` set, certificates and alias records are created in `hosted_zone_*`."""

    waf: WafConfig
    domain_name: str | None = None
    hosted_zone_id: str | None = None
    hosted_zone_name: str | None = None
    alb_origin_subdomain: str = "origin"
    price_class: str = "PriceClass_All"
    log_bucket_expiration_days: int = 365
    # An existing CloudFront certificate (us-east-1) instead of one issued and DNS-validated by the edge stack.
    certificate_arn: str | None = None

    def __post_init__(self) -> None:
        if self.domain_name is not None:
            check_pattern(
                "edge.domain_name", self.domain_name, DOMAIN_RE, "a lower-case DNS name such as tech-lib.example.com"
            )
            if self.hosted_zone_id is None or self.hosted_zone_name is None:
                raise ConfigError(
                    "edge.hosted_zone_id",
                    "a domain_name needs hosted_zone_id and hosted_zone_name",
                    "the Route 53 zone that holds the domain",
                )
        if self.hosted_zone_id is not None:
            check_pattern(
                "edge.hosted_zone_id",
                self.hosted_zone_id,
                HOSTED_ZONE_ID_RE,
                "a Route 53 zone id such as Z0123456789ABCDEFGHIJ",
            )
        if self.hosted_zone_name is not None:
            check_pattern(
                "edge.hosted_zone_name", self.hosted_zone_name, DOMAIN_RE, "a lower-case DNS name such as example.com"
            )
            if self.domain_name is not None and not (
                self.domain_name == self.hosted_zone_name or self.domain_name.endswith("." + self.hosted_zone_name)
            ):
                raise ConfigError(
                    "edge.domain_name",
                    f"{self.domain_name!r} is not inside hosted zone {self.hosted_zone_name!r}",
                    f"a name ending in {self.hosted_zone_name}",
                )
        if self.certificate_arn is not None:
            match = ACM_ARN_RE.match(self.certificate_arn)
            if not match:
                raise _fail("edge.certificate_arn", self.certificate_arn, "an ACM certificate ARN")
            if match.group("region") != "us-east-1":
                raise ConfigError(
                    "edge.certificate_arn",
                    f"certificate is in {match.group('region')}, CloudFront reads certificates from us-east-1 only",
                    "an ACM certificate ARN in us-east-1",
                )
            if self.domain_name is None:
                raise ConfigError(
                    "edge.certificate_arn",
                    "is set but edge.domain_name is missing: a certificate needs the domain it serves",
                    "null, or a domain_name with its hosted zone",
                )
        check_pattern("edge.alb_origin_subdomain", self.alb_origin_subdomain, K8S_NAME_RE, "a DNS label such as origin")
        check_choice("edge.price_class", self.price_class, ("PriceClass_All", "PriceClass_200", "PriceClass_100"))
        check_range("edge.log_bucket_expiration_days", self.log_bucket_expiration_days, 1, 3650)

    @property
    def has_domain(self) -> bool:
        return self.domain_name is not None

    @property
    def alb_origin_domain(self) -> str | None:
        if self.domain_name is None:
            return None
        return f"{self.alb_origin_subdomain}.{self.domain_name}"


@dataclass(frozen=True)
class ImageConfig:
    repository: str
    tag: str

    def __post_init__(self) -> None:
        check_pattern(
            "workloads.*.image.repository",
            self.repository,
            IMAGE_REPOSITORY_RE,
            "an image repository such as techlib/frontend",
        )
        check_pattern("workloads.*.image.tag", self.tag, IMAGE_TAG_RE, "an image tag (letters, digits, _ . -)")

    @property
    def reference(self) -> str:
        return f"{self.repository}:{self.tag}"


@dataclass(frozen=True)
class WorkloadsConfig:
    namespace: str
    ingress_host: str
    frontend_image: ImageConfig
    backend_image: ImageConfig
    alb_certificate_arn: str | None = None
    allow_latest_tag: bool = False
    # ALB access logs (S3, SSE-S3) expire after this many days.
    alb_log_expiration_days: int = 90

    def __post_init__(self) -> None:
        check_pattern("workloads.namespace", self.namespace, K8S_NAME_RE, "a DNS-1123 label")
        check_range("workloads.alb_log_expiration_days", self.alb_log_expiration_days, 1, 3650)
        check_pattern("workloads.ingress_host", self.ingress_host, DOMAIN_RE, "a lower-case DNS name")
        if self.alb_certificate_arn is not None:
            match = ACM_ARN_RE.match(self.alb_certificate_arn)
            if not match:
                raise _fail("workloads.alb_certificate_arn", self.alb_certificate_arn, "an ACM certificate ARN")
        for name, image in (("frontend_image", self.frontend_image), ("backend_image", self.backend_image)):
            if image.tag == "latest" and not self.allow_latest_tag:
                raise ConfigError(
                    f"workloads.{name}.tag",
                    "'latest' is not a release",
                    "an immutable tag such as a git SHA or semver, or allow_latest_tag: true outside prod",
                )


@dataclass(frozen=True)
class MonitoringConfig:
    alarm_email: str | None
    log_retention_days: int
    grafana_admin_user: str = "admin"

    def __post_init__(self) -> None:
        if self.alarm_email is not None:
            check_pattern("monitoring.alarm_email", self.alarm_email, EMAIL_RE, "an e-mail address")
        check_log_retention("monitoring.log_retention_days", self.log_retention_days)


EFS_FILE_SYSTEM_ID_RE = re.compile(r"^fs-[0-9a-f]{8,40}$")


@dataclass(frozen=True)
class EfsConfig:
    """`efs`: the optional shared file system of the app tier (the design's app-nodes `efs: true`)."""

    enabled: bool = False
    # An existing file system for the StorageClass when this app does not create one; null and disabled
    # means no StorageClass at all (a class pointing at no file system would leave every claim Pending).
    file_system_id: str | None = None
    # EFS has no CloudFormation snapshot-on-delete: its snapshots are the backup plan's recovery points.
    removal_policy: str = "retain"

    REMOVAL_POLICIES = ("retain", "destroy")

    def __post_init__(self) -> None:
        check_choice("efs.removal_policy", self.removal_policy, self.REMOVAL_POLICIES)
        if self.file_system_id is not None:
            check_pattern(
                "efs.file_system_id", self.file_system_id, EFS_FILE_SYSTEM_ID_RE, "an EFS id such as fs-0123abcd"
            )
            if self.enabled:
                raise ConfigError(
                    "efs.file_system_id",
                    "is set while efs.enabled creates a file system",
                    "null with enabled: true, or an existing id with enabled: false",
                )


# AWS Backup plan and selection names; the DR vault is named after the primary vault with this suffix.
BACKUP_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,50}$")
DR_VAULT_SUFFIX = "-dr"


@dataclass(frozen=True)
class BackupRuleConfig:
    name: str
    schedule: str
    start_window_minutes: int
    completion_window_minutes: int
    delete_after_days: int
    recovery_point_tags: dict[str, str]

    def __post_init__(self) -> None:
        key = f"backup.rules.{self.name}"
        check_pattern(f"{key}.name", self.name, re.compile(r"^[A-Za-z0-9_.-]{1,50}$"), "letters, digits, _ . -")
        check_pattern(
            f"{key}.schedule",
            self.schedule,
            re.compile(r"^cron\((\S+ ){5}\S+\)$"),
            "an AWS cron expression with six fields, e.g. cron(0 3 * * ? *)",
        )
        # AWS cron: exactly one of day-of-month and day-of-week is `?`, or AWS Backup rejects the rule at deploy.
        fields = self.schedule[len("cron(") : -1].split()
        if (fields[2] == "?") == (fields[4] == "?"):
            raise _fail(
                f"{key}.schedule",
                self.schedule,
                "`?` in exactly one of day-of-month and day-of-week, e.g. cron(0 3 * * ? *) or cron(0 4 ? * SUN *)",
            )
        for tag_key, tag_value in self.recovery_point_tags.items():
            if not 1 <= len(tag_key) <= 128 or tag_key.lower().startswith("aws:") or len(tag_value) > 256:
                raise _fail(
                    f"{key}.recovery_point_tags",
                    {tag_key: tag_value},
                    "tag keys of 1-128 characters not starting with aws:, values up to 256 characters",
                )
        check_range(f"{key}.start_window_minutes", self.start_window_minutes, 60, 40320)
        check_range(f"{key}.completion_window_minutes", self.completion_window_minutes, 120, 1000000)
        check_range(f"{key}.delete_after_days", self.delete_after_days, 1, 36500)
        if self.completion_window_minutes <= self.start_window_minutes:
            raise ConfigError(
                f"{key}.completion_window_minutes",
                f"{self.completion_window_minutes} is not after the start window {self.start_window_minutes}",
                "a completion window longer than the start window",
            )


@dataclass(frozen=True)
class BackupConfig:
    vault_name: str
    plan_name: str
    selection_name: str
    rules: tuple[BackupRuleConfig, ...]
    dr_region: str | None
    vault_lock_enabled: bool
    break_glass_role_name: str | None = None
    vault_lock_min_retention_days: int = 1
    vault_lock_max_retention_days: int = 400

    def __post_init__(self) -> None:
        check_pattern(
            "backup.vault_name", self.vault_name, re.compile(r"^[A-Za-z0-9_.-]{2,50}$"), "2-50 letters, digits, _ . -"
        )
        check_pattern("backup.plan_name", self.plan_name, BACKUP_NAME_RE, "1-50 letters, digits, _ . -")
        check_pattern("backup.selection_name", self.selection_name, BACKUP_NAME_RE, "1-50 letters, digits, _ . -")
        if self.dr_region is not None and len(self.dr_vault_name) > 50:
            raise _fail(
                "backup.vault_name",
                self.vault_name,
                f"at most {50 - len(DR_VAULT_SUFFIX)} characters with a dr_region (the DR vault adds {DR_VAULT_SUFFIX})",
            )
        if not self.rules:
            raise _fail("backup.rules", [], "at least one rule")
        names = [r.name for r in self.rules]
        if len(set(names)) != len(names):
            raise _fail("backup.rules", names, "distinct rule names")
        if self.dr_region is not None:
            check_pattern("backup.dr_region", self.dr_region, REGION_RE, "an AWS region such as ap-northeast-3")
        if self.break_glass_role_name is not None:
            check_pattern(
                "backup.break_glass_role_name",
                self.break_glass_role_name,
                IAM_ROLE_NAME_RE,
                "an IAM role name in the target account",
            )
        check_range("backup.vault_lock_min_retention_days", self.vault_lock_min_retention_days, 1, 36500)
        check_range(
            "backup.vault_lock_max_retention_days",
            self.vault_lock_max_retention_days,
            self.vault_lock_min_retention_days,
            36500,
        )
        if self.vault_lock_enabled:
            longest = max(r.delete_after_days for r in self.rules)
            if longest > self.vault_lock_max_retention_days:
                raise ConfigError(
                    "backup.vault_lock_max_retention_days",
                    f"{self.vault_lock_max_retention_days} is shorter than the longest rule retention {longest}",
                    f"at least {longest}",
                )
            # A locked vault fails every backup or copy job whose retention is below its minimum.
            shortest = min(r.delete_after_days for r in self.rules)
            if shortest < self.vault_lock_min_retention_days:
                raise ConfigError(
                    "backup.vault_lock_min_retention_days",
                    f"{self.vault_lock_min_retention_days} is longer than the shortest rule retention {shortest}",
                    f"at most {shortest}",
                )

    @property
    def dr_vault_name(self) -> str:
        """The disaster-recovery vault's name in `dr_region`: copies of every recovery point land there."""
        return f"{self.vault_name}{DR_VAULT_SUFFIX}"


@dataclass(frozen=True)
class CicdConfig:
    github_owner: str
    github_repository: str
    application_repositories: tuple[str, ...]
    deploy_branch: str = "main"
    create_oidc_provider: bool = True
    image_retention_count: int = 50
    untagged_image_expiry_days: int = 7
    # Tag patterns that may be overwritten (ECR IMMUTABLE_WITH_EXCLUSION); empty = every tag immutable.
    mutable_image_tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        name_re = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
        check_pattern("cicd.github_owner", self.github_owner, name_re, "a GitHub owner name")
        check_pattern("cicd.github_repository", self.github_repository, name_re, "a GitHub repository name")
        if not self.application_repositories:
            raise _fail("cicd.application_repositories", [], "one or more repositories whose pipelines push images")
        for repo in self.application_repositories:
            check_pattern("cicd.application_repositories[]", repo, name_re, "GitHub repository names")
        check_pattern(
            "cicd.deploy_branch", self.deploy_branch, re.compile(r"^[A-Za-z0-9._/-]{1,200}$"), "a git branch name"
        )
        check_range("cicd.image_retention_count", self.image_retention_count, 1, 10000)
        check_range("cicd.untagged_image_expiry_days", self.untagged_image_expiry_days, 1, 3650)
        if len(self.mutable_image_tags) > 5:
            raise _fail("cicd.mutable_image_tags", list(self.mutable_image_tags), "at most 5 patterns (an ECR limit)")
        for pattern in self.mutable_image_tags:
            check_pattern(
                "cicd.mutable_image_tags[]",
                pattern,
                re.compile(r"^[A-Za-z0-9._*-]{1,128}$"),
                "tag patterns of letters, digits, . _ - and * wildcards",
            )


@dataclass(frozen=True)
class AppConfig:
    """The whole environment. `name` is the environment (`prod`, `dev`)."""

    name: str
    account: str
    region: str
    project: str
    environment_tag: str
    termination_protection: bool
    network: NetworkConfig
    eks: EksConfig
    database: DatabaseConfig
    cache: CacheConfig
    edge: EdgeConfig
    workloads: WorkloadsConfig
    monitoring: MonitoringConfig
    backup: BackupConfig
    cicd: CicdConfig
    tags: dict[str, str] = field(default_factory=dict)
    efs: EfsConfig = field(default_factory=EfsConfig)

    def __post_init__(self) -> None:
        check_pattern("account", self.account, ACCOUNT_RE, "12 digits (or CDK_DEFAULT_ACCOUNT)")
        check_pattern("region", self.region, REGION_RE, "an AWS region such as ap-northeast-1")
        check_pattern("project", self.project, K8S_NAME_RE, "a DNS-1123 label such as tech-lib")
        for zone in self.network.availability_zones:
            if not zone.startswith(self.region) or not re.match(r"^[a-z]$", zone[len(self.region) :]):
                raise ConfigError(
                    "network.availability_zones",
                    f"{zone!r} is not a zone of region {self.region}",
                    f"{self.region}a, {self.region}c, ...",
                )
        if self.backup.dr_region == self.region:
            raise ConfigError(
                "backup.dr_region",
                f"{self.backup.dr_region!r} is the primary region",
                "a second region, e.g. ap-northeast-3",
            )
        if self.workloads.alb_certificate_arn is not None and not self.edge.has_domain:
            raise ConfigError(
                "edge.domain_name",
                "is missing but workloads.alb_certificate_arn is set: a certificate needs the domain it is issued for",
                "a DNS name such as tech-lib.example.com, or no alb_certificate_arn",
            )
        if self.edge.has_domain and self.workloads.alb_certificate_arn is not None:
            match = ACM_ARN_RE.match(self.workloads.alb_certificate_arn)
            if match and match.group("region") != self.region:
                raise ConfigError(
                    "workloads.alb_certificate_arn",
                    f"certificate is in {match.group('region')}, the ALB is in {self.region}",
                    f"an ACM certificate in {self.region}",
                )
        if self.name == "prod" and self.workloads.allow_latest_tag:
            raise ConfigError("workloads.allow_latest_tag", "true in prod", "false in prod")
        # The workloads stack issues the ALB certificate, DNS-validated in the configured zone.
        hosted_zone = self.edge.hosted_zone_name
        host = self.workloads.ingress_host
        issues_certificate = self.edge.has_domain and self.workloads.alb_certificate_arn is None
        if (
            issues_certificate
            and hosted_zone is not None
            and not (host == hosted_zone or host.endswith("." + hosted_zone))
        ):
            raise ConfigError(
                "workloads.ingress_host",
                f"{host!r} is not inside hosted zone {hosted_zone!r}, so its ALB certificate cannot be DNS-validated",
                f"a name ending in {hosted_zone}, or an existing certificate in workloads.alb_certificate_arn",
            )

    @property
    def is_production(self) -> bool:
        return self.name == "prod"

    @property
    def resource_prefix(self) -> str:
        """Prefix of physical names: the seed's names in prod (tech-lib-...), tech-lib-<env>-... elsewhere."""
        return self.project if self.is_production else f"{self.project}-{self.name}"

    def stack_name(self, component: str) -> str:
        return f"TechLib-{self.name}-{component}"
