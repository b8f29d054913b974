"""MonitoringStack and EdgeMonitoringStack: the design's monitoring section, on both the AWS and the cluster side.

AWS side (MonitoringStack, primary region):
- one KMS-encrypted SNS topic every alarm and every Prometheus alert goes to (e-mail subscription from
  `monitoring.alarm_email`);
- CloudWatch alarms on Aurora (CPU, connections, replica lag, freeable memory), ElastiCache (engine CPU,
  memory usage, evictions, replication lag) and the ALB (ELB 5xx, p95 target response time);
- the application log groups the CloudWatch agent writes (/aws/eks/tech-lib/backend, .../frontend), with
  retention and encryption.

Cluster side (Helm releases and cdk8s charts applied through the EKS cluster's kubectl provider, from
THIS stack: `cluster.add_helm_chart` would create them in the EKS stack, whose templates would then refer
to this stack's topic and roles while this stack refers to the cluster — a dependency cycle):
- prometheus-community/prometheus with the design's scrape configuration and alert rules, Alertmanager
  publishing to the topic through SigV4 with its own Pod Identity role;
- prometheus-adapter (the backend HPA's `http_requests_per_second`), Grafana (ClusterIP only, admin
  password generated in Secrets Manager and synced by External Secrets);
- postgres-exporter and redis-exporter;
- the amazon-cloudwatch-observability add-on with the design's agent configuration and its own role.

The ALB is created by the AWS Load Balancer Controller, so no CloudFormation attribute knows it. The
Ingress names it (`alb.ingress.kubernetes.io/load-balancer-name`, AwsNames.alb); a deploy-time lookup
(DescribeLoadBalancers by that name) returns its ARN, whose suffix `app/<name>/<id>` is the alarms'
LoadBalancer dimension. The lookup reruns whenever the ALB's hostname changes (a replaced ALB).

EdgeMonitoringStack (us-east-1): CloudFront publishes its metrics in us-east-1 only and an alarm can only
watch metrics of its own region and notify a topic of its own region: the 5xxErrorRate alarm lives there,
with a second topic carrying the same subscription.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

import aws_cdk as cdk
import cdk8s
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_elasticache as elasticache
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_rds as rds
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import custom_resources as cr
from constructs import Construct, IConstruct

from config import AppConfig
from k8s_charts import cloudwatch_agent, exporters, grafana, prometheus
from k8s_charts import monitoring as charts
from k8s_charts import prometheus_config as prom
from stacks.base import TechLibStack
from stacks.common import allow_log_groups_to_use_key, log_retention, nag_acknowledge
from stacks.constructs.eks_addons import ADDON_VERSIONS
from stacks.constructs.pod_identity import PodIdentityRole
from stacks.names import AwsNames, K8sNames, NodeGroups

CLOUDWATCH_ADDON = "amazon-cloudwatch-observability"
HELM_TIMEOUT = cdk.Duration.minutes(15)
# The construct id aws-cdk-lib gives the singleton Lambda behind every AwsCustomResource of a stack.
LOOKUP_HANDLER_ID = "AWS679f53fac002430cb0da5b7982bd2287"
LAMBDA_BASIC_EXECUTION = "arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
LOOKUP_LOG_GROUP = "/aws/lambda/{prefix}-alb-lookup"
ONE_MINUTE = cdk.Duration.minutes(1)
FIVE_MINUTES = cdk.Duration.minutes(5)


# --- what this stack reads from the others ------------------------------------------------------------


class ExternalSecretsController(Protocol):
    @property
    def external_secrets_role(self) -> PodIdentityRole: ...


class EksOutputs(Protocol):
    @property
    def cluster(self) -> eks.Cluster: ...
    @property
    def app_namespace(self) -> IConstruct: ...
    @property
    def platform_ready(self) -> Sequence[IConstruct]: ...
    @property
    def controllers(self) -> ExternalSecretsController: ...


class DatabaseOutputs(Protocol):
    @property
    def cluster(self) -> rds.DatabaseCluster: ...


class CacheOutputs(Protocol):
    @property
    def replication_group(self) -> elasticache.CfnReplicationGroup: ...


class WorkloadsOutputs(Protocol):
    @property
    def alb_hostname(self) -> str: ...


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


# --- MonitoringStack ----------------------------------------------------------------------------------


class MonitoringStack(TechLibStack):
    """Alarm topic, CloudWatch alarms, log groups, and the in-cluster monitoring stack."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        config: AppConfig,
        eks: EksOutputs,
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
        self.alarm_list: list[cw.Alarm] = []
        self._allow_log_groups_to_use_key()

        self._database_alarms(database)
        self._cache_alarms(cache)
        self._load_balancer_alarms(workloads)
        self.log_groups = self._log_groups()
        self._cluster_monitoring(eks)

    # -- CloudWatch alarms --

    def _add_alarm(self, id_: str, slug: str, description: str, **kwargs: Any) -> cw.Alarm:
        alarm = self.alarms.alarm(self, id_, name=f"{self.prefix}-{slug}", description=description, **kwargs)
        self.alarm_list.append(alarm)
        return alarm

    def _database_alarms(self, database: DatabaseOutputs) -> None:
        cluster_id = database.cluster.cluster_identifier
        writer = {"DBClusterIdentifier": cluster_id, "Role": "WRITER"}
        reader = {"DBClusterIdentifier": cluster_id, "Role": "READER"}
        connections = db_connection_alarm_threshold(self.config)
        self._add_alarm(
            "AuroraCpuAlarm",
            "aurora-cpu",
            f"Aurora writer CPU above {AURORA_CPU.value:.0f}% for 15 minutes",
            namespace="AWS/RDS",
            metric_name="CPUUtilization",
            dimensions=writer,
            threshold=AURORA_CPU,
        )
        self._add_alarm(
            "AuroraConnectionsAlarm",
            "aurora-connections",
            f"Aurora writer connections above {connections.value:.0f} "
            f"({prom.DB_CONNECTION_ALERT_PERCENT}% of max_connections {self.config.database.max_connections})",
            namespace="AWS/RDS",
            metric_name="DatabaseConnections",
            dimensions=writer,
            threshold=connections,
        )
        if self.config.database.reader_count > 0:
            self._add_alarm(
                "AuroraReplicaLagAlarm",
                "aurora-replica-lag",
                f"Aurora reader lag above {AURORA_REPLICA_LAG_MS.value:.0f} ms for 5 minutes",
                namespace="AWS/RDS",
                metric_name="AuroraReplicaLag",
                dimensions=reader,
                threshold=AURORA_REPLICA_LAG_MS,
            )
        self._add_alarm(
            "AuroraFreeableMemoryAlarm",
            "aurora-freeable-memory",
            "Aurora writer freeable memory below 1 GiB for 15 minutes",
            namespace="AWS/RDS",
            metric_name="FreeableMemory",
            dimensions=writer,
            threshold=AURORA_FREEABLE_MEMORY_BYTES,
        )

    def _cache_alarms(self, cache: CacheOutputs) -> None:
        members = redis_member_ids(cache.replication_group.ref, self.config.cache.num_cache_clusters)
        for index, member in enumerate(members, 1):
            dimensions = {"CacheClusterId": member}
            self._add_alarm(
                f"RedisEngineCpuAlarm{index}",
                f"redis-{index:03d}-engine-cpu",
                f"Redis node {index} engine CPU above {REDIS_ENGINE_CPU.value:.0f}% for 15 minutes",
                namespace="AWS/ElastiCache",
                metric_name="EngineCPUUtilization",
                dimensions=dimensions,
                threshold=REDIS_ENGINE_CPU,
            )
            self._add_alarm(
                f"RedisMemoryAlarm{index}",
                f"redis-{index:03d}-memory",
                f"Redis node {index} memory usage above {REDIS_MEMORY_PERCENT.value:.0f}% of maxmemory for 15 minutes",
                namespace="AWS/ElastiCache",
                metric_name="DatabaseMemoryUsagePercentage",
                dimensions=dimensions,
                threshold=REDIS_MEMORY_PERCENT,
            )
            self._add_alarm(
                f"RedisEvictionsAlarm{index}",
                f"redis-{index:03d}-evictions",
                f"Redis node {index} evicting more than {REDIS_EVICTIONS.value:.0f} keys per 5 minutes for 15 minutes",
                namespace="AWS/ElastiCache",
                metric_name="Evictions",
                dimensions=dimensions,
                threshold=REDIS_EVICTIONS,
            )
            if self.config.cache.num_cache_clusters > 1:
                self._add_alarm(
                    f"RedisReplicationLagAlarm{index}",
                    f"redis-{index:03d}-replication-lag",
                    f"Redis node {index} (as a replica) more than {REDIS_REPLICATION_LAG_S.value:.0f} s behind",
                    namespace="AWS/ElastiCache",
                    metric_name="ReplicationLag",
                    dimensions=dimensions,
                    threshold=REDIS_REPLICATION_LAG_S,
                )

    def _load_balancer_alarms(self, workloads: WorkloadsOutputs) -> None:
        alb_name = AwsNames.alb(self.prefix)
        call = cr.AwsSdkCall(
            service="ElasticLoadBalancingV2",
            action="describeLoadBalancers",
            parameters={"Names": [alb_name]},
            physical_resource_id=cr.PhysicalResourceId.from_response("LoadBalancers.0.LoadBalancerArn"),
            output_paths=["LoadBalancers.0.LoadBalancerArn"],
        )
        self.alb_lookup = cr.AwsCustomResource(
            self,
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
            log_group=self._encrypted_log_group("AlbLookupLogGroup", LOOKUP_LOG_GROUP.format(prefix=self.prefix)),
        )
        # The hostname changes when the controller replaces the ALB; a changed property reruns the lookup.
        # Reading it also orders the lookup after the workloads stack, whose Ingress creates the ALB.
        lookup_resource = self.alb_lookup.node.find_child("Resource").node.default_child
        assert isinstance(lookup_resource, cdk.CfnResource)
        lookup_resource.add_property_override("AlbHostname", workloads.alb_hostname)
        self.load_balancer_dimension = load_balancer_dimension(
            self.alb_lookup.get_response_field("LoadBalancers.0.LoadBalancerArn")
        )
        nag_acknowledge(
            self.alb_lookup,
            "AwsSolutions-IAM5[Resource::*]",
            "elasticloadbalancing:DescribeLoadBalancers has no resource-level permissions; it only reads",
        )
        # The SDK-call handler aws-cdk-lib creates once per stack for AwsCustomResource.
        handler = self.node.find_child(LOOKUP_HANDLER_ID)
        nag_acknowledge(
            handler,
            f"AwsSolutions-IAM4[Policy::{LAMBDA_BASIC_EXECUTION}]",
            "aws-cdk-lib's AwsCustomResource handler: the managed policy only lets it write its own logs",
        )
        dimensions = {"LoadBalancer": self.load_balancer_dimension}
        self._add_alarm(
            "Alb5xxAlarm",
            "alb-5xx",
            f"The ALB itself answered more than {ALB_5XX.value:.0f} 5xx per minute for 5 minutes",
            namespace="AWS/ApplicationELB",
            metric_name="HTTPCode_ELB_5XX_Count",
            dimensions=dimensions,
            threshold=ALB_5XX,
        )
        self._add_alarm(
            "AlbLatencyAlarm",
            "alb-p95-latency",
            f"95th percentile target response time above {ALB_P95_SECONDS.value:.0f} s for 5 minutes",
            namespace="AWS/ApplicationELB",
            metric_name="TargetResponseTime",
            dimensions=dimensions,
            threshold=ALB_P95_SECONDS,
        )

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
                f"{app.capitalize()}LogGroup", cloudwatch_agent.app_log_group(self.prefix, app), removal
            )
            for app in (K8sNames.BACKEND, K8sNames.FRONTEND)
        }

    def _allow_log_groups_to_use_key(self) -> None:
        allow_log_groups_to_use_key(
            self.key,
            log_groups=[cloudwatch_agent.app_log_group(self.prefix, "*"), LOOKUP_LOG_GROUP.format(prefix=self.prefix)],
            sid="AllowMonitoringLogGroups",
        )

    # -- the cluster side --

    def _cluster_monitoring(self, platform: EksOutputs) -> None:
        config = self.config
        # jsii's Python stubs omit `kubectl_provider_options` from Cluster, so mypy sees no ICluster in it.
        cluster = cast(eks.ICluster, platform.cluster)
        cluster_name = config.eks.cluster_name
        app_namespace = config.workloads.namespace
        system_labels = dict(config.eks.node_group(NodeGroups.SYSTEM).labels)
        placement = charts.MonitoringPlacement(node_selector=system_labels)
        k8s_app = cdk8s.App()

        namespace = eks.KubernetesManifest(
            self,
            "MonitoringNamespace",
            cluster=cluster,
            manifest=charts.MonitoringNamespaceChart(
                k8s_app, f"{self.prefix}-monitoring-namespace", kubernetes_version=config.eks.kubernetes_version
            ).to_json(),
        )

        # Alertmanager signs its SNS calls with this role (Pod Identity on its service account).
        self.alertmanager_role = PodIdentityRole(
            self,
            "AlertmanagerRole",
            cluster=cluster,
            cluster_name=cluster_name,
            namespace=K8sNames.MONITORING_NAMESPACE,
            service_account=K8sNames.ALERTMANAGER,
            description="Alertmanager: publishes Prometheus alerts to the alarm topic",
        )
        self.alarm_topic.grant_publish(self.alertmanager_role.role)
        nag_acknowledge(
            self.alertmanager_role,
            "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",
            "publishing to the KMS-encrypted topic needs GenerateDataKey* on its key (only that key)",
        )

        self.prometheus = self._helm(
            "Prometheus",
            cluster,
            charts.PROMETHEUS_CHART,
            prometheus.prometheus_values(
                app_namespace=app_namespace,
                max_connections=config.database.max_connections,
                topic_arn=self.alarm_topic.topic_arn,
                region=self.region,
                placement=placement,
            ),
        )
        self.prometheus.node.add_dependency(namespace, self.alertmanager_role, *platform.platform_ready)

        self.prometheus_adapter = self._helm(
            "PrometheusAdapter",
            cluster,
            charts.PROMETHEUS_ADAPTER_CHART,
            prometheus.adapter_values(placement=placement),
        )
        self.prometheus_adapter.node.add_dependency(self.prometheus)

        self.grafana_admin_secret = secretsmanager.Secret(
            self,
            "GrafanaAdminSecret",
            secret_name=f"{self.prefix}/grafana-admin",
            description="Grafana admin login (synced into the monitoring namespace by External Secrets)",
            encryption_key=self.key,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                secret_string_template=json.dumps({"username": config.monitoring.grafana_admin_user}),
                generate_string_key="password",
                exclude_punctuation=True,
                password_length=32,
            ),
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        nag_acknowledge(
            self.grafana_admin_secret,
            "AwsSolutions-SMG4",
            "Grafana reads its admin password only when it initialises its database; rotation would need a "
            "Grafana API call. The password never leaves Secrets Manager and the cluster, and Grafana is ClusterIP only.",
        )
        # The External Secrets operator (EKS stack) may read this one secret too; the policy lives here so
        # the EKS stack never refers to this stack.
        external_secrets_role = platform.controllers.external_secrets_role.role
        reader = iam.Policy(
            self,
            "ExternalSecretsReadsGrafanaAdmin",
            roles=[external_secrets_role],
            statements=[
                iam.PolicyStatement(
                    actions=["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                    resources=[self.grafana_admin_secret.secret_arn],
                ),
                iam.PolicyStatement(
                    actions=["kms:Decrypt"],
                    resources=[self.key.key_arn],
                    conditions={"StringEquals": {"kms:ViaService": f"secretsmanager.{self.region}.amazonaws.com"}},
                ),
            ],
        )
        grafana_secret = eks.KubernetesManifest(
            self,
            "GrafanaAdminSecretSync",
            cluster=cluster,
            manifest=grafana.GrafanaAdminSecretChart(
                k8s_app,
                f"{self.prefix}-grafana-admin",
                values=grafana.GrafanaAdminSecretValues(
                    region=self.region, secret_arn=self.grafana_admin_secret.secret_arn
                ),
            ).to_json(),
        )
        grafana_secret.node.add_dependency(namespace, reader, *platform.platform_ready)

        self.grafana = self._helm(
            "Grafana",
            cluster,
            charts.GRAFANA_CHART,
            grafana.grafana_values(
                app_namespace=app_namespace, max_connections=config.database.max_connections, placement=placement
            ),
        )
        self.grafana.node.add_dependency(grafana_secret, self.prometheus)

        self.exporters = eks.KubernetesManifest(
            self,
            "Exporters",
            cluster=cluster,
            manifest=exporters.ExportersChart(
                k8s_app,
                f"{self.prefix}-exporters",
                namespace=app_namespace,
                placement=exporters.ExporterPlacement(node_labels=system_labels),
            ).to_json(),
        )
        # The namespace, and the Secrets/ConfigMap the exporters read, are the EKS platform's.
        self.exporters.node.add_dependency(platform.app_namespace, *platform.platform_ready)

        self.cloudwatch_agent_role = PodIdentityRole(
            self,
            "CloudWatchAgentRole",
            cluster=cluster,
            cluster_name=cluster_name,
            namespace=K8sNames.CLOUDWATCH_NAMESPACE,
            service_account=K8sNames.CLOUDWATCH_AGENT,
            description="CloudWatch agent (amazon-cloudwatch-observability): node metrics and application logs",
            associate=False,
        )
        self.cloudwatch_agent_role.role.add_managed_policy(
            iam.ManagedPolicy.from_aws_managed_policy_name("CloudWatchAgentServerPolicy")
        )
        nag_acknowledge(
            self.cloudwatch_agent_role,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/CloudWatchAgentServerPolicy]",
            "CloudWatchAgentServerPolicy is the agent's documented policy; AWS maintains it as the agent gains features",
        )
        self.cloudwatch_addon = eks.CfnAddon(
            self,
            "CloudWatchObservability",
            addon_name=CLOUDWATCH_ADDON,
            cluster_name=cluster.cluster_name,
            addon_version=ADDON_VERSIONS.get(config.eks.kubernetes_version, {}).get(CLOUDWATCH_ADDON),
            resolve_conflicts="OVERWRITE",
            pod_identity_associations=[self.cloudwatch_agent_role.addon_association],
            configuration_values=json.dumps(
                cloudwatch_agent.cloudwatch_addon_configuration(
                    resource_prefix=self.prefix,
                    cluster_name=cluster_name,
                    region=self.region,
                    node_selector=system_labels,
                )
            ),
        )
        # The agent creates a missing log group itself (without retention or key): ours must exist first.
        self.cloudwatch_addon.node.add_dependency(*self.log_groups.values())

    def _helm(
        self, id_: str, cluster: eks.ICluster, release: charts.HelmRelease, values: dict[str, Any]
    ) -> eks.HelmChart:
        return eks.HelmChart(
            self,
            id_,
            cluster=cluster,
            chart=release.chart,
            repository=release.repository,
            version=release.version,
            release=release.release,
            namespace=release.namespace,
            create_namespace=False,
            values=values,
            wait=True,
            timeout=HELM_TIMEOUT,
        )


# --- EdgeMonitoringStack ------------------------------------------------------------------------------


class CdnOutputs(Protocol):
    @property
    def distribution(self) -> Any: ...


class EdgeMonitoringStack(TechLibStack):
    """The CloudFront 5xxErrorRate alarm, in us-east-1 where CloudFront's metrics are."""

    REGION = "us-east-1"

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
