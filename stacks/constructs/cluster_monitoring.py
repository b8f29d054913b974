"""The cluster side of MonitoringStack: Helm releases and cdk8s charts applied through the EKS cluster's kubectl provider.

They are created in MonitoringStack, not the EKS stack: `cluster.add_helm_chart` would create them in
the EKS stack, whose templates would then refer to the monitoring stack's topic and roles while the
monitoring stack refers to the cluster (a dependency cycle).
- prometheus-community/prometheus with the design's scrape configuration and alert rules, Alertmanager
  publishing to the alarm topic through SigV4 with its own Pod Identity role;
- prometheus-adapter (the backend HPA's `http_requests_per_second`), Grafana (ClusterIP only, admin
  password generated in Secrets Manager and synced by External Secrets);
- postgres-exporter and redis-exporter;
- the amazon-cloudwatch-observability add-on with the design's agent configuration and its own role.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

import aws_cdk as cdk
import cdk8s
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from addons import cloudwatch_observability
from addons.base import helm_chart
from addons.pod_identity import PodIdentityRole
from config import AppConfig
from findings import nag_acknowledge
from k8s_charts import exporters, grafana, prometheus
from k8s_charts import monitoring as charts
from k8s_charts.helm import HelmRelease
from k8s_charts.mesh_policy import joins_mesh, mesh_access
from names import K8sNames, NodeGroups
from stacks.constructs.alarms import AlarmTopic
from stacks.constructs.eks_platform import EksPlatform


class ClusterMonitoring:
    """Creates the in-cluster monitoring in `scope` (the monitoring stack): construct ids are the stack's own."""

    def __init__(
        self,
        scope: Construct,
        *,
        config: AppConfig,
        platform: EksPlatform,
        alarms: AlarmTopic,
        log_groups: Mapping[str, logs.ILogGroup],
    ) -> None:
        self._scope = scope
        region = cdk.Stack.of(scope).region
        prefix = config.resource_prefix
        key = alarms.key
        topic = alarms.topic
        # jsii's Python stubs omit `kubectl_provider_options` from Cluster, so mypy sees no ICluster in it.
        cluster = cast(eks.ICluster, platform.cluster)
        cluster_name = config.eks.cluster_name
        app_namespace = config.workloads.namespace
        system_labels = dict(config.eks.node_group(NodeGroups.SYSTEM).labels)
        placement = charts.MonitoringPlacement(node_selector=system_labels)
        k8s_app = cdk8s.App()
        # Prometheus joins the mesh as a client when the namespace it scrapes is meshed (k8s_charts/mesh_monitoring.py).
        meshed = joins_mesh(config, app_namespace)

        namespace = eks.KubernetesManifest(
            scope,
            "MonitoringNamespace",
            cluster=cluster,
            manifest=charts.MonitoringNamespaceChart(
                k8s_app,
                f"{prefix}-monitoring-namespace",
                kubernetes_version=config.eks.kubernetes_version,
                prometheus_meshed=meshed,
            ).to_json(),
        )

        # Alertmanager signs its SNS calls with this role (Pod Identity on its service account).
        self.alertmanager_role = PodIdentityRole(
            scope,
            "AlertmanagerRole",
            cluster=cluster,
            cluster_name=cluster_name,
            namespace=K8sNames.MONITORING_NAMESPACE,
            service_account=K8sNames.ALERTMANAGER,
            description="Alertmanager: publishes Prometheus alerts to the alarm topic",
        )
        topic.grant_publish(self.alertmanager_role.role)
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
                topic_arn=topic.topic_arn,
                region=region,
                placement=placement,
                mesh=meshed,
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
            scope,
            "GrafanaAdminSecret",
            secret_name=f"{prefix}/grafana-admin",
            description="Grafana admin login (synced into the monitoring namespace by External Secrets)",
            encryption_key=key,
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
            scope,
            "ExternalSecretsReadsGrafanaAdmin",
            roles=[external_secrets_role],
            statements=[
                iam.PolicyStatement(
                    actions=["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                    resources=[self.grafana_admin_secret.secret_arn],
                ),
                iam.PolicyStatement(
                    actions=["kms:Decrypt"],
                    resources=[key.key_arn],
                    conditions={"StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}},
                ),
            ],
        )
        grafana_secret = eks.KubernetesManifest(
            scope,
            "GrafanaAdminSecretSync",
            cluster=cluster,
            manifest=grafana.GrafanaAdminSecretChart(
                k8s_app,
                f"{prefix}-grafana-admin",
                values=grafana.GrafanaAdminSecretValues(region=region, secret_arn=self.grafana_admin_secret.secret_arn),
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
            scope,
            "Exporters",
            cluster=cluster,
            manifest=exporters.ExportersChart(
                k8s_app,
                f"{prefix}-exporters",
                namespace=app_namespace,
                placement=exporters.ExporterPlacement(node_labels=system_labels),
                mesh_access=mesh_access(config),
            ).to_json(),
        )
        # The namespace, and the Secrets/ConfigMap the exporters read, are the EKS platform's.
        self.exporters.node.add_dependency(platform.app_namespace, *platform.platform_ready)

        self.cloudwatch_agent_role, self.cloudwatch_addon = cloudwatch_observability.ADDON.install(
            scope, config=config, cluster=cluster, region=region
        )
        # The agent creates a missing log group itself (without retention or key): ours must exist first.
        self.cloudwatch_addon.node.add_dependency(*log_groups.values())

    def _helm(self, id_: str, cluster: eks.ICluster, release: HelmRelease, values: dict[str, Any]) -> eks.HelmChart:
        # The monitoring namespace is this stack's own manifest (with its labels): the chart must not create it.
        return helm_chart(self._scope, id_, cluster=cluster, release=release, values=values, create_namespace=False)
