"""MonitoringStack and EdgeMonitoringStack: the design's monitoring section, on both the AWS and the cluster side.

AWS side (MonitoringStack, primary region):
- one KMS-encrypted SNS topic every alarm and every Prometheus alert goes to (e-mail subscription from
  `monitoring.alarm_email`);
- CloudWatch alarms on Aurora (CPU, connections, replica lag, freeable memory), ElastiCache (engine CPU,
  memory usage, evictions, replication lag) and the ALB (ELB 5xx, p95 target response time);
- the application log groups the CloudWatch agent writes (/aws/eks/tech-lib/backend, .../frontend), with
  retention and encryption.

Cluster side (stacks/constructs/cluster_monitoring.py: a loop over the monitoring add-ons of
addons/registry.py, applied through the EKS cluster's kubectl provider from THIS stack to avoid a
dependency cycle with the EKS stack): the monitoring namespace, prometheus-community/prometheus with
Alertmanager publishing to the topic (addons/prometheus.py), prometheus-adapter, Grafana, the Postgres and
Redis exporters, and the amazon-cloudwatch-observability add-on (one module each in addons/).

The alarms, their thresholds and the deploy-time ALB lookup live in stacks/constructs/alarms.py.

EdgeMonitoringStack (us-east-1): CloudFront publishes its metrics in us-east-1 only and an alarm can only
watch metrics of its own region and notify a topic of its own region: the 5xxErrorRate alarm lives there,
with a second topic carrying the same subscription.
"""

from __future__ import annotations

from typing import Any, Protocol

import aws_cdk as cdk
from aws_cdk import aws_elasticache as elasticache
from aws_cdk import aws_logs as logs
from aws_cdk import aws_rds as rds
from constructs import Construct

from addons import cloudwatch_observability
from config import AppConfig
from names import K8sNames, Regions
from stacks.base import TechLibStack
from stacks.common import allow_log_groups_to_use_key, log_retention
from stacks.constructs.alarms import (
    CLOUDFRONT_5XX_PERCENT,
    LOOKUP_LOG_GROUP,
    AlarmTopic,
    StackAlarms,
    cache_alarms,
    database_alarms,
    load_balancer_alarms,
)
from stacks.constructs.cluster_monitoring import ClusterMonitoring
from stacks.constructs.eks_platform import EksPlatform

# --- what this stack reads from the others ------------------------------------------------------------


class DatabaseOutputs(Protocol):
    @property
    def cluster(self) -> rds.DatabaseCluster: ...


class CacheOutputs(Protocol):
    @property
    def replication_group(self) -> elasticache.CfnReplicationGroup: ...


class WorkloadsOutputs(Protocol):
    @property
    def alb_hostname(self) -> str: ...


# --- MonitoringStack ----------------------------------------------------------------------------------


class MonitoringStack(TechLibStack):
    """Alarm topic, CloudWatch alarms, log groups, and the in-cluster monitoring stack."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        config: AppConfig,
        eks: EksPlatform,
        database: DatabaseOutputs,
        cache: CacheOutputs,
        workloads: WorkloadsOutputs,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            scope,
            id_,
            config=config,
            description="tech-lib monitoring: alarm topic, CloudWatch alarms and agent, Prometheus, Grafana, exporters",
            **kwargs,
        )
        self.prefix = config.resource_prefix
        self.alarms = AlarmTopic(
            self,
            "AlarmTopic",
            config=config,
            topic_name=f"{self.prefix}-alarms",
            key_description="Encrypts the alarm topic, the application log groups and the Grafana admin secret",
        )
        self.alarm_topic = self.alarms.topic
        self.key = self.alarms.key
        self._allow_log_groups_to_use_key()

        stack_alarms = StackAlarms(self, topic=self.alarms, prefix=self.prefix)
        self.alarm_list = stack_alarms.alarms
        database_alarms(stack_alarms, config=config, cluster_identifier=database.cluster.cluster_identifier)
        cache_alarms(stack_alarms, config=config, replication_group_id=cache.replication_group.ref)
        lookup = load_balancer_alarms(
            stack_alarms,
            alb_hostname=workloads.alb_hostname,
            log_group=self._encrypted_log_group("AlbLookupLogGroup", LOOKUP_LOG_GROUP.format(prefix=self.prefix)),
        )
        self.alb_lookup = lookup.resource
        self.load_balancer_dimension = lookup.dimension
        self.log_groups = self._log_groups()
        self.cluster_monitoring = ClusterMonitoring(
            self, config=config, platform=eks, alarms=self.alarms, log_groups=self.log_groups
        )
        self.exporters = self.cluster_monitoring.exporters

    # -- log groups --

    def _encrypted_log_group(
        self, id_: str, name: str, removal: cdk.RemovalPolicy = cdk.RemovalPolicy.DESTROY
    ) -> logs.LogGroup:
        return logs.LogGroup(
            self,
            id_,
            log_group_name=name,
            retention=log_retention(self.config.monitoring.log_retention_days),
            encryption_key=self.key,
            removal_policy=removal,
        )

    def _log_groups(self) -> dict[str, logs.LogGroup]:
        """The CloudWatch agent's application log groups (kept in prod: they are the application's logs)."""
        removal = cdk.RemovalPolicy.RETAIN if self.config.is_production else cdk.RemovalPolicy.DESTROY
        return {
            app: self._encrypted_log_group(
                f"{app.capitalize()}LogGroup", cloudwatch_observability.app_log_group(self.prefix, app), removal
            )
            for app in (K8sNames.BACKEND, K8sNames.FRONTEND)
        }

    def _allow_log_groups_to_use_key(self) -> None:
        allow_log_groups_to_use_key(
            self.key,
            log_groups=[
                cloudwatch_observability.app_log_group(self.prefix, "*"),
                LOOKUP_LOG_GROUP.format(prefix=self.prefix),
            ],
            sid="AllowMonitoringLogGroups",
        )


# --- EdgeMonitoringStack ------------------------------------------------------------------------------


class CdnOutputs(Protocol):
    @property
    def distribution(self) -> Any: ...


class EdgeMonitoringStack(TechLibStack):
    """The CloudFront 5xxErrorRate alarm, in us-east-1 where CloudFront's metrics are."""

    REGION = Regions.CLOUDFRONT

    def __init__(self, scope: Construct, id_: str, *, config: AppConfig, cdn: CdnOutputs, **kwargs: Any) -> None:
        super().__init__(
            scope,
            id_,
            config=config,
            region=self.REGION,
            description="tech-lib monitoring, us-east-1 part: CloudFront alarm and its topic",
            **kwargs,
        )
        prefix = config.resource_prefix
        self.alarms = AlarmTopic(
            self,
            "AlarmTopic",
            config=config,
            topic_name=f"{prefix}-edge-alarms",
            key_description="Encrypts the us-east-1 alarm topic (CloudFront alarms)",
        )
        self.alarm_topic = self.alarms.topic
        self.cloudfront_alarm = self.alarms.alarm(
            self,
            "CloudFront5xxAlarm",
            name=f"{prefix}-cloudfront-5xx",
            description=f"CloudFront 5xx error rate above {CLOUDFRONT_5XX_PERCENT.value:.0f}% for 5 minutes",
            namespace="AWS/CloudFront",
            metric_name="5xxErrorRate",
            dimensions={"DistributionId": cdn.distribution.distribution_id, "Region": "Global"},
            threshold=CLOUDFRONT_5XX_PERCENT,
        )
