"""CloudWatch alarms: the thresholds (one place, each with its reason), the alarm topic and the alarm sets.

MonitoringStack (primary region) alarms on Aurora, ElastiCache and the ALB; EdgeMonitoringStack
(us-east-1) on CloudFront. Every alarm sends to an `AlarmTopic` of its own stack and region.

The ALB is created by the AWS Load Balancer Controller, so no CloudFormation attribute knows it. The
Ingress names it (`alb.ingress.kubernetes.io/load-balancer-name`, AwsNames.alb); a deploy-time lookup
(DescribeLoadBalancers by that name) returns its ARN, whose suffix `app/<name>/<id>` is the alarms'
LoadBalancer dimension. The lookup reruns whenever the ALB's hostname changes (a replaced ALB).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import custom_resources as cr
from constructs import Construct

from addons import prometheus_config as prom
from config import AppConfig
from findings import nag_acknowledge, nag_acknowledge_inline_policy
from names import AwsNames

# The construct id aws-cdk-lib gives the singleton Lambda behind every AwsCustomResource of a stack.
LOOKUP_HANDLER_ID = "AWS679f53fac002430cb0da5b7982bd2287"
LAMBDA_BASIC_EXECUTION = "arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
LOOKUP_LOG_GROUP = "/aws/lambda/{prefix}-alb-lookup"
ONE_MINUTE = cdk.Duration.minutes(1)
FIVE_MINUTES = cdk.Duration.minutes(5)


# --- alarm thresholds: one place, each with its reason ------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    """An alarm condition: `statistic` over `period` beyond `value` for `periods` consecutive periods."""

    value: float
    statistic: str
    period: cdk.Duration
    periods: int
    comparison: cw.ComparisonOperator = cw.ComparisonOperator.GREATER_THAN_THRESHOLD
    missing: cw.TreatMissingData = cw.TreatMissingData.MISSING


# The design's Prometheus rules fire after 5 minutes (HighErrorRate, HighLatency) or 2 (connections):
# the AWS-side alarms use the same windows and limits where they watch the same thing.
AURORA_CPU = Threshold(80, "Average", FIVE_MINUTES, 3)
AURORA_REPLICA_LAG_MS = Threshold(1000, "Maximum", ONE_MINUTE, 5)
# Below 1 GiB Aurora starts paging its buffer cache out; the smallest class here (db.t4g.medium) has 4 GiB.
AURORA_FREEABLE_MEMORY_BYTES = Threshold(
    1024**3, "Minimum", FIVE_MINUTES, 3, comparison=cw.ComparisonOperator.LESS_THAN_THRESHOLD
)
REDIS_ENGINE_CPU = Threshold(80, "Average", FIVE_MINUTES, 3)
REDIS_MEMORY_PERCENT = Threshold(80, "Average", FIVE_MINUTES, 3)
# allkeys-lru evicts by design once memory is full; sustained evictions mean the cache is too small.
REDIS_EVICTIONS = Threshold(100, "Sum", FIVE_MINUTES, 3, missing=cw.TreatMissingData.NOT_BREACHING)
# Only replicas report ReplicationLag, and roles move on failover: a node without data is healthy.
REDIS_REPLICATION_LAG_S = Threshold(1, "Maximum", ONE_MINUTE, 5, missing=cw.TreatMissingData.NOT_BREACHING)
# ELB-generated 5xx (no healthy target, timeouts) are rare: ten in a minute for five minutes is an outage.
ALB_5XX = Threshold(10, "Sum", ONE_MINUTE, 5, missing=cw.TreatMissingData.NOT_BREACHING)
# HighLatency's 1 s at the 95th percentile, for 5 minutes.
ALB_P95_SECONDS = Threshold(1, "p95", ONE_MINUTE, 5, missing=cw.TreatMissingData.NOT_BREACHING)
# HighErrorRate's 10 %, as CloudFront's percentage.
CLOUDFRONT_5XX_PERCENT = Threshold(10, "Average", ONE_MINUTE, 5, missing=cw.TreatMissingData.NOT_BREACHING)


def db_connection_alarm_threshold(config: AppConfig) -> Threshold:
    """DatabaseConnectionHigh's own threshold (180 of max_connections 200) over its 2 minutes."""
    return Threshold(prom.db_connection_threshold(config.database.max_connections), "Maximum", ONE_MINUTE, 2)


def redis_member_ids(replication_group_id: str, count: int) -> list[str]:
    """The cache clusters ElastiCache creates for a cluster-mode-disabled group: <id>-001, <id>-002, ..."""
    return [f"{replication_group_id}-{index:03d}" for index in range(1, count + 1)]


def load_balancer_dimension(load_balancer_arn: str) -> str:
    """`app/<name>/<id>` (the CloudWatch LoadBalancer dimension) from an ALB ARN, token or not."""
    return cdk.Fn.select(1, cdk.Fn.split(":loadbalancer/", load_balancer_arn))


# --- shared pieces ------------------------------------------------------------------------------------


class AlarmTopic(Construct):
    """A CMK-encrypted topic CloudWatch alarms can publish to, with the configured e-mail subscription."""

    def __init__(self, scope: Construct, id_: str, *, config: AppConfig, topic_name: str, key_description: str) -> None:
        super().__init__(scope, id_)
        stack = cdk.Stack.of(self)
        self.key = kms.Key(
            self,
            "Key",
            alias=f"alias/{topic_name}",
            description=key_description,
            enable_key_rotation=True,
            removal_policy=cdk.RemovalPolicy.RETAIN if config.is_production else cdk.RemovalPolicy.DESTROY,
        )
        # CloudWatch publishes alarm notifications to an encrypted topic with the topic's key.
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowCloudWatchAlarmsToPublish",
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],
            )
        )
        self.topic = sns.Topic(
            self,
            "Topic",
            topic_name=topic_name,
            display_name=f"{config.project} alarms ({config.name})",
            master_key=self.key,
            enforce_ssl=True,
        )
        if config.monitoring.alarm_email is not None:
            self.topic.add_subscription(subscriptions.EmailSubscription(config.monitoring.alarm_email))
        self.action = cw_actions.SnsAction(self.topic)
        cdk.CfnOutput(stack, f"{id_}Arn", value=self.topic.topic_arn, description="Where every alarm is sent")

    def alarm(
        self,
        scope: Construct,
        id_: str,
        *,
        name: str,
        description: str,
        namespace: str,
        metric_name: str,
        dimensions: Mapping[str, str],
        threshold: Threshold,
    ) -> cw.Alarm:
        metric = cw.Metric(
            namespace=namespace,
            metric_name=metric_name,
            dimensions_map=dict(dimensions),
            statistic=threshold.statistic,
            period=threshold.period,
        )
        alarm = cw.Alarm(
            scope,
            id_,
            alarm_name=name,
            alarm_description=description,
            metric=metric,
            threshold=threshold.value,
            evaluation_periods=threshold.periods,
            datapoints_to_alarm=threshold.periods,
            comparison_operator=threshold.comparison,
            treat_missing_data=threshold.missing,
        )
        alarm.add_alarm_action(self.action)
        alarm.add_ok_action(self.action)
        return alarm


# --- the alarm sets -----------------------------------------------------------------------------------


@dataclass
class StackAlarms:
    """The alarms of one stack, created in `scope`, named `<prefix>-<slug>`, all sending to `topic`."""

    scope: Construct
    topic: AlarmTopic
    prefix: str
    alarms: list[cw.Alarm] = field(default_factory=list)

    def add(self, id_: str, slug: str, description: str, **kwargs: Any) -> cw.Alarm:
        alarm = self.topic.alarm(self.scope, id_, name=f"{self.prefix}-{slug}", description=description, **kwargs)
        self.alarms.append(alarm)
        return alarm


@dataclass(frozen=True)
class AlbLookup:
    resource: cr.AwsCustomResource
    dimension: str


def database_alarms(alarms: StackAlarms, *, config: AppConfig, cluster_identifier: str) -> None:
    """Aurora: writer CPU, connections and freeable memory; reader lag when there are readers."""
    cluster_id = cluster_identifier
    writer = {"DBClusterIdentifier": cluster_id, "Role": "WRITER"}
    reader = {"DBClusterIdentifier": cluster_id, "Role": "READER"}
    connections = db_connection_alarm_threshold(config)
    alarms.add(
        "AuroraCpuAlarm",
        "aurora-cpu",
        f"Aurora writer CPU above {AURORA_CPU.value:.0f}% for 15 minutes",
        namespace="AWS/RDS",
        metric_name="CPUUtilization",
        dimensions=writer,
        threshold=AURORA_CPU,
    )
    alarms.add(
        "AuroraConnectionsAlarm",
        "aurora-connections",
        f"Aurora writer connections above {connections.value:.0f} "
        f"({prom.DB_CONNECTION_ALERT_PERCENT}% of max_connections {config.database.max_connections})",
        namespace="AWS/RDS",
        metric_name="DatabaseConnections",
        dimensions=writer,
        threshold=connections,
    )
    if config.database.reader_count > 0:
        alarms.add(
            "AuroraReplicaLagAlarm",
            "aurora-replica-lag",
            f"Aurora reader lag above {AURORA_REPLICA_LAG_MS.value:.0f} ms for 5 minutes",
            namespace="AWS/RDS",
            metric_name="AuroraReplicaLag",
            dimensions=reader,
            threshold=AURORA_REPLICA_LAG_MS,
        )
    alarms.add(
        "AuroraFreeableMemoryAlarm",
        "aurora-freeable-memory",
        "Aurora writer freeable memory below 1 GiB for 15 minutes",
        namespace="AWS/RDS",
        metric_name="FreeableMemory",
        dimensions=writer,
        threshold=AURORA_FREEABLE_MEMORY_BYTES,
    )


def cache_alarms(alarms: StackAlarms, *, config: AppConfig, replication_group_id: str) -> None:
    """ElastiCache, per node: engine CPU, memory, evictions; replication lag when there are replicas."""
    members = redis_member_ids(replication_group_id, config.cache.num_cache_clusters)
    for index, member in enumerate(members, 1):
        dimensions = {"CacheClusterId": member}
        alarms.add(
            f"RedisEngineCpuAlarm{index}",
            f"redis-{index:03d}-engine-cpu",
            f"Redis node {index} engine CPU above {REDIS_ENGINE_CPU.value:.0f}% for 15 minutes",
            namespace="AWS/ElastiCache",
            metric_name="EngineCPUUtilization",
            dimensions=dimensions,
            threshold=REDIS_ENGINE_CPU,
        )
        alarms.add(
            f"RedisMemoryAlarm{index}",
            f"redis-{index:03d}-memory",
            f"Redis node {index} memory usage above {REDIS_MEMORY_PERCENT.value:.0f}% of maxmemory for 15 minutes",
            namespace="AWS/ElastiCache",
            metric_name="DatabaseMemoryUsagePercentage",
            dimensions=dimensions,
            threshold=REDIS_MEMORY_PERCENT,
        )
        alarms.add(
            f"RedisEvictionsAlarm{index}",
            f"redis-{index:03d}-evictions",
            f"Redis node {index} evicting more than {REDIS_EVICTIONS.value:.0f} keys per 5 minutes for 15 minutes",
            namespace="AWS/ElastiCache",
            metric_name="Evictions",
            dimensions=dimensions,
            threshold=REDIS_EVICTIONS,
        )
        if config.cache.num_cache_clusters > 1:
            alarms.add(
                f"RedisReplicationLagAlarm{index}",
                f"redis-{index:03d}-replication-lag",
                f"Redis node {index} (as a replica) more than {REDIS_REPLICATION_LAG_S.value:.0f} s behind",
                namespace="AWS/ElastiCache",
                metric_name="ReplicationLag",
                dimensions=dimensions,
                threshold=REDIS_REPLICATION_LAG_S,
            )


def load_balancer_alarms(alarms: StackAlarms, *, alb_hostname: str, log_group: logs.ILogGroup) -> AlbLookup:
    """ELB 5xx and p95 target response time, on the dimension a deploy-time lookup of the ALB returns."""
    scope = alarms.scope
    alb_name = AwsNames.alb(alarms.prefix)
    call = cr.AwsSdkCall(
        service="ElasticLoadBalancingV2",
        action="describeLoadBalancers",
        parameters={"Names": [alb_name]},
        physical_resource_id=cr.PhysicalResourceId.from_response("LoadBalancers.0.LoadBalancerArn"),
        output_paths=["LoadBalancers.0.LoadBalancerArn"],
    )
    alb_lookup = cr.AwsCustomResource(
        scope,
        "AlbLookup",
        on_create=call,
        on_update=call,
        policy=cr.AwsCustomResourcePolicy.from_statements(
            [
                iam.PolicyStatement(
                    # DescribeLoadBalancers supports no resource-level permissions.
                    actions=["elasticloadbalancing:DescribeLoadBalancers"],
                    resources=["*"],
                )
            ]
        ),
        install_latest_aws_sdk=False,
        log_group=log_group,
    )
    # The hostname changes when the controller replaces the ALB; a changed property reruns the lookup.
    # Reading it also orders the lookup after the workloads stack, whose Ingress creates the ALB.
    lookup_resource = alb_lookup.node.find_child("Resource").node.default_child
    assert isinstance(lookup_resource, cdk.CfnResource)
    lookup_resource.add_property_override("AlbHostname", alb_hostname)
    dimension = load_balancer_dimension(alb_lookup.get_response_field("LoadBalancers.0.LoadBalancerArn"))
    nag_acknowledge(
        alb_lookup,
        "AwsSolutions-IAM5[Resource::*]",
        "elasticloadbalancing:DescribeLoadBalancers has no resource-level permissions; it only reads",
    )
    nag_acknowledge_inline_policy(
        alb_lookup, "aws-cdk-lib's AwsCustomResource policy for its one DescribeLoadBalancers call"
    )
    # The SDK-call handler aws-cdk-lib creates once per stack for AwsCustomResource.
    handler = cdk.Stack.of(scope).node.find_child(LOOKUP_HANDLER_ID)
    nag_acknowledge(
        handler,
        f"AwsSolutions-IAM4[Policy::{LAMBDA_BASIC_EXECUTION}]",
        "aws-cdk-lib's AwsCustomResource handler: the managed policy only lets it write its own logs",
    )
    dimensions = {"LoadBalancer": dimension}
    alarms.add(
        "Alb5xxAlarm",
        "alb-5xx",
        f"The ALB itself answered more than {ALB_5XX.value:.0f} 5xx per minute for 5 minutes",
        namespace="AWS/ApplicationELB",
        metric_name="HTTPCode_ELB_5XX_Count",
        dimensions=dimensions,
        threshold=ALB_5XX,
    )
    alarms.add(
        "AlbLatencyAlarm",
        "alb-p95-latency",
        f"95th percentile target response time above {ALB_P95_SECONDS.value:.0f} s for 5 minutes",
        namespace="AWS/ApplicationELB",
        metric_name="TargetResponseTime",
        dimensions=dimensions,
        threshold=ALB_P95_SECONDS,
    )
    return AlbLookup(resource=alb_lookup, dimension=dimension)
