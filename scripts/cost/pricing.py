"""How each billable resource type becomes line items: quantity at desired and at maximum size, unit price.

One function per type, registered in PRICERS. A price the table lacks becomes an Unpriced "no price source"
line naming the type, class and region, never a zero. Usage-based charges take their quantity from the
configuration's `cost.usage` section.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from config import AppConfig
from config.kubernetes import SUPPORTED_VERSIONS
from scripts.cost import cluster
from scripts.cost.free import NOT_PRICED
from scripts.cost.model import HOURS_PER_MONTH, NO_SOURCE, Item, Unpriced
from scripts.cost.prices import PriceTable

DAYS_PER_MONTH = HOURS_PER_MONTH / 24
TIMES = "\u00d7"  # the multiplication sign of "3 x t3.medium"


@dataclass
class Context:
    """What every pricer may read: the price table, the configuration, and facts about the whole app."""

    table: PriceTable
    config: AppConfig
    counts: Counter[str]  # resource types over every stack, to spread usage that is per environment
    storage_classes: dict[str, str] = field(default_factory=dict)
    used_usage_keys: set[tuple[str, str]] = field(default_factory=set)
    today: datetime.date = field(default_factory=datetime.date.today)


@dataclass
class Resource:
    stack: str
    region: str
    logical_id: str
    type: str
    body: dict[str, Any]
    template: dict[str, Any]

    @property
    def props(self) -> dict[str, Any]:
        return self.body.get("Properties") or {}

    @property
    def construct_id(self) -> str:
        parts = str((self.body.get("Metadata") or {}).get("aws:cdk:path", "")).split("/")
        return parts[-2] if len(parts) >= 2 and parts[-1] == "Resource" else (parts[-1] or self.logical_id)


@dataclass
class Bill:
    """The lines one resource adds; `charge` prices one dimension or records why it cannot."""

    ctx: Context
    res: Resource
    items: list[Item] = field(default_factory=list)
    unpriced: list[Unpriced] = field(default_factory=list)

    def charge(
        self,
        key: str,
        quantity: float,
        unit: str,
        description: str,
        service: str,
        at_max: float | None = None,
        region: str | None = None,
    ) -> None:
        where = region or self.res.region
        price = self.ctx.table.get(where, key)
        if price is None:
            self.missing(f"{description}: {key} in {where}: no price source")
            return
        self.items.append(
            Item(
                stack=self.res.stack,
                logical_id=self.res.logical_id,
                type=self.res.type,
                service=service,
                description=description,
                quantity=quantity,
                unit=unit,
                unit_price=price.usd,
                source=price.citation,
                quantity_at_max=at_max,
            )
        )

    def missing(self, reason: str) -> None:
        self.unpriced.append(Unpriced(self.res.type, NO_SOURCE, reason, self.res.stack, self.res.logical_id))


Pricer = Callable[[Bill], None]
PRICERS: dict[str, Pricer] = {}


def pricer(*types: str) -> Callable[[Pricer], Pricer]:
    def register(fn: Pricer) -> Pricer:
        for resource_type in types:
            PRICERS[resource_type] = fn
        return fn

    return register


def _usage(bill: Bill, field_name: str, default_field: str) -> float:
    """A per-construct usage figure (cost.usage.<field_name>[construct id]) or the section's default."""
    usage = bill.ctx.config.cost.usage
    overrides: dict[str, float] = dict(getattr(usage, field_name))
    construct = bill.res.construct_id
    if construct in overrides:
        bill.ctx.used_usage_keys.add((field_name, construct))
        return overrides[construct]
    return float(getattr(usage, default_field))


@pricer("AWS::EKS::Cluster")
def _cluster(bill: Bill) -> None:
    version = str(bill.res.props.get("Version", ""))
    support = str((bill.res.props.get("UpgradePolicy") or {}).get("SupportType", "EXTENDED"))
    info = SUPPORTED_VERSIONS.get(version)
    # EXTENDED bills the higher rate only once the version has left standard support; STANDARD never does
    # (EKS upgrades the control plane instead).
    extended = support == "EXTENDED" and (info is None or info.past_standard_support(bill.ctx.today))
    key = "eks/cluster-extended" if extended else "eks/cluster-standard"
    label = "extended" if extended else "standard"
    bill.charge(key, HOURS_PER_MONTH, "cluster-hour", f"EKS control plane {version} ({label} support)", "EKS")


def _launch_template(bill: Bill) -> dict[str, Any]:
    ref = (bill.res.props.get("LaunchTemplate") or {}).get("Id")
    target = ref.get("Ref") if isinstance(ref, dict) else None
    resource = (bill.res.template.get("Resources") or {}).get(target) if target else None
    return ((resource or {}).get("Properties") or {}).get("LaunchTemplateData") or {}


@pricer("AWS::EKS::Nodegroup")
def _nodegroup(bill: Bill) -> None:
    props = bill.res.props
    data = _launch_template(bill)
    types = [str(t) for t in props.get("InstanceTypes") or [data.get("InstanceType", "")] if t]
    scaling = props.get("ScalingConfig") or {}
    desired, most = int(scaling.get("DesiredSize", scaling.get("MinSize", 0))), int(scaling.get("MaxSize", 0))
    name = str(props.get("NodegroupName", bill.res.logical_id))
    hours = HOURS_PER_MONTH
    if not types:
        bill.missing(f"node group {name}: no instance type in the template")
    elif props.get("CapacityType") == "SPOT":
        spot = [(t, bill.ctx.table.get(bill.res.region, f"ec2-spot/{t}")) for t in types]
        absent = [t for t, price in spot if price is None]
        if absent:
            bill.missing(f"node group {name}: Spot price of {', '.join(absent)} in {bill.res.region}: no price source")
        else:
            worst_type = max(spot, key=lambda tp: tp[1].usd if tp[1] else 0.0)[0]
            on_demand = bill.ctx.table.get(bill.res.region, f"ec2/{types[0]}")
            highest = max(price.usd for _, price in spot if price)
            saving = f", {100 * (1 - highest / on_demand.usd):.0f} % below {types[0]} on demand" if on_demand else ""
            bill.charge(
                f"ec2-spot/{worst_type}",
                desired * hours,
                "instance-hour",
                f"{name}: {desired} Spot nodes (max {most}) at the highest Spot price of {'/'.join(types)}{saving}",
                "EC2",
                at_max=most * hours,
            )
    else:
        # An on-demand group with several types launches the first (prioritized allocation).
        bill.charge(
            f"ec2/{types[0]}",
            desired * hours,
            "instance-hour",
            f"{name}: {desired} {TIMES} {types[0]} (max {most})",
            "EC2",
            at_max=most * hours,
        )
    for mapping in data.get("BlockDeviceMappings") or []:
        ebs = mapping.get("Ebs") or {}
        size, kind = float(ebs.get("VolumeSize", 0)), str(ebs.get("VolumeType", "gp2"))
        if size:
            bill.charge(
                f"ebs/{kind}",
                desired * size,
                "GB-month",
                f"{name}: {kind} root volumes, {size:g} GB each",
                "EBS",
                most * size,
            )


@pricer("AWS::EC2::NatGateway")
def _nat(bill: Bill) -> None:
    gateways = max(1, bill.ctx.counts["AWS::EC2::NatGateway"])
    bill.charge("nat/hour", HOURS_PER_MONTH, "gateway-hour", "NAT gateway", "VPC")
    share = bill.ctx.config.cost.usage.nat_processed_gb / gateways
    bill.charge("nat/gb", share, "GB", f"NAT data processing (1/{gateways} of cost.usage.nat_processed_gb)", "VPC")


@pricer("AWS::EC2::EIP")
def _eip(bill: Bill) -> None:
    bill.charge("ipv4/hour", HOURS_PER_MONTH, "address-hour", "public IPv4 address (Elastic IP)", "VPC")


@pricer("AWS::RDS::DBInstance")
def _db_instance(bill: Bill) -> None:
    klass, engine = bill.res.props.get("DBInstanceClass", "?"), bill.res.props.get("Engine", "aurora-postgresql")
    bill.charge(f"rds/{engine}/{klass}", HOURS_PER_MONTH, "instance-hour", f"Aurora instance {klass}", "RDS")


@pricer("AWS::RDS::DBCluster")
def _db_cluster(bill: Bill) -> None:
    bill.missing(f"Aurora storage, I/O and backup storage in {bill.res.region}: no price source")


@pricer("AWS::ElastiCache::ReplicationGroup")
def _cache(bill: Bill) -> None:
    props = bill.res.props
    node = props.get("CacheNodeType", "?")
    if "NumCacheClusters" in props:
        nodes = int(props["NumCacheClusters"])
    else:
        nodes = int(props.get("NumNodeGroups", 1)) * (int(props.get("ReplicasPerNodeGroup", 0)) + 1)
    bill.charge(f"elasticache/{node}", nodes * HOURS_PER_MONTH, "node-hour", f"{nodes} {TIMES} {node}", "ElastiCache")
    if int(props.get("SnapshotRetentionLimit", 0)):
        bill.missing(f"ElastiCache snapshot storage in {bill.res.region}: no price source")


@pricer("AWS::Logs::LogGroup")
def _log_group(bill: Bill) -> None:
    ingested = _usage(bill, "log_ingestion_gb", "log_ingestion_gb_per_group")
    name = bill.res.props.get("LogGroupName")
    label = name if isinstance(name, str) else bill.res.construct_id
    bill.charge("logs/ingest-gb", ingested, "GB ingested", f"log group {label}: ingestion", "CloudWatch")
    retention = bill.res.props.get("RetentionInDays")
    if retention is None:
        bill.missing(f"log group {label}: kept forever, its storage grows without bound")
    else:
        stored = ingested * min(float(retention), 3653) / DAYS_PER_MONTH
        bill.charge("logs/store-gb", stored, "GB-month", f"log group {label}: {retention} days stored", "CloudWatch")


@pricer("AWS::S3::Bucket")
def _bucket(bill: Bill) -> None:
    stored = _usage(bill, "s3_storage_gb", "s3_storage_gb_per_bucket")
    bill.charge("s3/standard-gb", stored, "GB-month", f"bucket {bill.res.construct_id}: S3 Standard", "S3")


@pricer("AWS::KMS::Key")
def _key(bill: Bill) -> None:
    rotating = " (each yearly rotation adds a key-month)" if bill.res.props.get("EnableKeyRotation") else ""
    bill.charge("kms/key", 1, "key-month", f"KMS key {bill.res.construct_id}{rotating}", "KMS")


@pricer("AWS::SecretsManager::Secret")
def _secret(bill: Bill) -> None:
    secrets = max(1, bill.ctx.counts["AWS::SecretsManager::Secret"])
    calls = bill.ctx.config.cost.usage.secrets_api_calls_thousands / 10 / secrets
    bill.charge("secrets/secret", 1, "secret-month", f"secret {bill.res.construct_id}", "Secrets Manager")
    bill.charge(
        "secrets/10k-calls", calls, "10,000 API calls", f"secret {bill.res.construct_id}: API calls", "Secrets Manager"
    )


@pricer("AWS::WAFv2::WebACL")
def _web_acl(bill: Bill) -> None:
    rules = len(bill.res.props.get("Rules") or [])
    requests = bill.ctx.config.cost.usage.waf_requests_millions
    bill.charge("waf/web-acl", 1, "web ACL-month", "WAF web ACL", "WAF")
    # A managed rule group counts as one rule; the paid ones (Bot Control, fraud control) would add their own fee.
    bill.charge("waf/rule", rules, "rule-month", f"WAF rules ({rules}, managed groups counted once)", "WAF")
    bill.charge("waf/million-requests", requests, "million requests", "WAF requests inspected", "WAF")


@pricer("AWS::CloudFront::Distribution")
def _distribution(bill: Bill) -> None:
    usage = bill.ctx.config.cost.usage
    # CloudFront bills by where viewers are: the Japan rate, wherever the stack lives.
    bill.charge(
        "cloudfront/transfer-gb-japan",
        usage.cloudfront_transfer_gb,
        "GB",
        "CloudFront data transfer out to viewers in Japan",
        "CloudFront",
        region="ap-northeast-1",
    )
    bill.missing(
        f"CloudFront HTTPS requests in Japan ({usage.cloudfront_requests_millions:g} million): no price source"
    )


@pricer("AWS::Backup::BackupPlan")
def _backup_plan(bill: Bill) -> None:
    usage = bill.ctx.config.cost.usage
    dr = bill.ctx.config.backup.dr_region
    bill.missing(f"AWS Backup storage in {bill.res.region} ({usage.backup_storage_gb:g} GB): no price source")
    if dr:
        bill.missing(
            f"AWS Backup DR copies in {dr} ({usage.dr_copy_storage_gb:g} GB) and the transfer: no price source"
        )


@pricer("AWS::EKS::Addon")
def _addon(bill: Bill) -> None:
    name = bill.res.props.get("AddonName")
    if name == "amazon-cloudwatch-observability":
        bill.missing("Container Insights metrics and logs of the CloudWatch observability add-on: no price source")
    else:
        bill.unpriced.append(
            Unpriced(
                bill.res.type,
                "free",
                "EKS add-ons are free; their pods run on the nodes",
                bill.res.stack,
                bill.res.logical_id,
            )
        )


@pricer("Custom::AWSCDK-EKS-KubernetesResource", "Custom::AWSCDK-EKS-HelmChart")
def _cluster_objects(bill: Bill) -> None:
    kind, reason = NOT_PRICED[bill.res.type]
    bill.unpriced.append(Unpriced(bill.res.type, kind, reason, bill.res.stack, bill.res.logical_id))
    if bill.res.type == "Custom::AWSCDK-EKS-HelmChart":
        chart = str(bill.res.props.get("Chart", bill.res.logical_id))
        volumes = list(cluster.helm_volumes(chart, cluster.decoded(bill.res.props.get("Values"))))
        balancers: list[cluster.LoadBalancer] = []
    else:
        objects = cluster.decoded(bill.res.props.get("Manifest"))
        if not isinstance(objects, list):
            bill.missing("a manifest that could not be read: what it creates is not priced")
            return
        volumes, balancers = cluster.claims(objects), cluster.load_balancers(objects)
    for volume in volumes:
        kind_of = bill.ctx.storage_classes.get(volume.storage_class)
        if kind_of is None:
            bill.missing(f"volume {volume.name}: storage class {volume.storage_class} is not an EBS class of the app")
            continue
        bill.charge(
            f"ebs/{kind_of}",
            volume.size_gib,
            "GB-month",
            f"volume {volume.name} ({kind_of}, {volume.size_gib:g} GiB)",
            "EBS",
        )
    zones = len(bill.ctx.config.network.availability_zones)
    lcu = bill.ctx.config.cost.usage.alb_lcu
    for alb in balancers:
        bill.charge("alb/hour", HOURS_PER_MONTH, "ALB-hour", f"ALB of Ingress {alb.name}", "ELB")
        bill.charge(
            "alb/lcu-hour", lcu * HOURS_PER_MONTH, "LCU-hour", f"ALB of {alb.name}: {lcu:g} LCU on average", "ELB"
        )
        if alb.internet_facing:
            bill.charge(
                "ipv4/hour", zones * HOURS_PER_MONTH, "address-hour", f"ALB of {alb.name}: {zones} public IPv4", "VPC"
            )
