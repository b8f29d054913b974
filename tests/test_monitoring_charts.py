"""The monitoring add-ons' charts and Helm values (addons/monitoring_namespace.py, prometheus.py, prometheus_adapter.py,
grafana.py, exporters.py, cloudwatch_observability.py), rendered without the CDK app."""

from __future__ import annotations

import json
from typing import Any

import cdk8s
import kubernetes_validate
import pytest

from addons import cloudwatch_observability as cloudwatch_agent
from addons import exporters, prometheus_adapter
from addons import grafana as grafana_chart
from addons import monitoring_namespace as charts
from addons import prometheus as prometheus_chart
from addons import prometheus_config as prom
from config import load_config

APP_NAMESPACE = "tech-lib"
SYSTEM_NODES = {"node-type": "system"}
TOPIC_ARN = "arn:aws:sns:ap-northeast-1:111111111111:tech-lib-alarms"
PLACEMENT = charts.MonitoringPlacement(node_selector=SYSTEM_NODES)
# What the Lambda behind the kubectl provider accepts in one request.
PAYLOAD_LIMIT = 256 * 1024


@pytest.fixture(scope="module")
def objects() -> dict[tuple[str, str], dict[str, Any]]:
    app = cdk8s.App()
    rendered: list[dict[str, Any]] = []
    rendered += charts.MonitoringNamespaceChart(app, "ns", kubernetes_version="1.36").to_json()
    rendered += exporters.ExportersChart(
        app, "exporters", namespace=APP_NAMESPACE, placement=exporters.ExporterPlacement(node_labels=SYSTEM_NODES)
    ).to_json()
    rendered += grafana_chart.GrafanaAdminSecretChart(
        app,
        "grafana-admin",
        values=grafana_chart.GrafanaAdminSecretValues(
            region="ap-northeast-1", secret_arn="arn:aws:secretsmanager:ap-northeast-1:1:secret:x"
        ),
    ).to_json()
    return {(obj["kind"], obj["metadata"]["name"]): obj for obj in rendered}


@pytest.fixture(scope="module")
def prometheus() -> dict[str, Any]:
    return prometheus_chart.prometheus_values(
        app_namespace=APP_NAMESPACE,
        max_connections=200,
        topic_arn=TOPIC_ARN,
        region="ap-northeast-1",
        placement=PLACEMENT,
    )


@pytest.fixture(scope="module")
def grafana() -> dict[str, Any]:
    return grafana_chart.grafana_values(app_namespace=APP_NAMESPACE, max_connections=200, placement=PLACEMENT)


def _container(deployment: dict[str, Any]) -> dict[str, Any]:
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    return container


def _env(deployment: dict[str, Any]) -> dict[str, Any]:
    return {item["name"]: item.get("value", item.get("valueFrom")) for item in _container(deployment)["env"]}


# --- exporters ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "port"), [("postgres-exporter", 9187), ("redis-exporter", 9121)])
def test_exporter_deployment_and_service_have_the_designs_name_and_port(
    objects: dict[tuple[str, str], dict[str, Any]], name: str, port: int
) -> None:
    deployment = objects[("Deployment", name)]
    service = objects[("Service", name)]
    assert deployment["metadata"]["namespace"] == APP_NAMESPACE
    assert _container(deployment)["ports"] == [{"containerPort": port, "name": "metrics"}]
    assert service["metadata"]["namespace"] == APP_NAMESPACE
    assert service["spec"]["type"] == "ClusterIP"
    assert service["spec"]["ports"] == [{"name": "metrics", "port": port, "targetPort": port}]
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]


def test_postgres_exporter_reads_address_and_credentials_from_db_credentials(
    objects: dict[tuple[str, str], dict[str, Any]],
) -> None:
    deployment = objects[("Deployment", "postgres-exporter")]
    env = _env(deployment)
    for variable, key in (("DB_HOST", "host"), ("DB_PORT", "port"), ("DB_NAME", "dbname")):
        assert env[variable] == {"secretKeyRef": {"name": "db-credentials", "key": key}}
    assert env["DATA_SOURCE_URI"] == "$(DB_HOST):$(DB_PORT)/$(DB_NAME)?sslmode=require"
    assert env["DATA_SOURCE_USER_FILE"] == "/etc/postgres-exporter/credentials/username"
    assert env["DATA_SOURCE_PASS_FILE"] == "/etc/postgres-exporter/credentials/password"
    (volume,) = deployment["spec"]["template"]["spec"]["volumes"]
    assert volume["secret"]["secretName"] == "db-credentials"
    assert [item["key"] for item in volume["secret"]["items"]] == ["username", "password"]
    assert _container(deployment)["volumeMounts"] == [
        {"name": volume["name"], "mountPath": "/etc/postgres-exporter/credentials", "readOnly": True}
    ]


def test_redis_exporter_connects_with_tls_and_the_synced_auth_token(
    objects: dict[tuple[str, str], dict[str, Any]],
) -> None:
    env = _env(objects[("Deployment", "redis-exporter")])
    assert env["REDIS_ADDR"] == "rediss://$(REDIS_HOST):$(REDIS_PORT)"
    assert env["REDIS_HOST"] == {"configMapKeyRef": {"name": "app-config", "key": "redis-host"}}
    assert env["REDIS_PORT"] == {"configMapKeyRef": {"name": "app-config", "key": "redis-port"}}
    assert env["REDIS_PASSWORD"] == {"secretKeyRef": {"name": "redis-credentials", "key": "auth-token"}}


def test_no_secret_value_is_in_any_manifest(objects: dict[tuple[str, str], dict[str, Any]]) -> None:
    assert not any(kind == "Secret" for kind, _ in objects)
    for name in ("postgres-exporter", "redis-exporter"):
        for item in _container(objects[("Deployment", name)])["env"]:
            if "PASS" in item["name"] and not item["name"].endswith("_FILE"):
                assert "value" not in item, item["name"]


@pytest.mark.parametrize("name", ["postgres-exporter", "redis-exporter"])
def test_exporter_pods_meet_the_restricted_pod_security_standard(
    objects: dict[tuple[str, str], dict[str, Any]], name: str
) -> None:
    pod = objects[("Deployment", name)]["spec"]["template"]["spec"]
    container = _container(objects[("Deployment", name)])
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["securityContext"]["capabilities"] == {"drop": ["ALL"]}
    assert container["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert not any(pod.get(host) for host in ("hostNetwork", "hostPID", "hostIPC"))
    assert all("hostPath" not in volume for volume in pod.get("volumes", []))
    assert pod["automountServiceAccountToken"] is False


@pytest.mark.parametrize("name", ["postgres-exporter", "redis-exporter"])
def test_exporters_run_on_system_nodes_with_probes_and_limits(
    objects: dict[tuple[str, str], dict[str, Any]], name: str
) -> None:
    deployment = objects[("Deployment", name)]
    container = _container(deployment)
    assert deployment["spec"]["template"]["spec"]["nodeSelector"] == SYSTEM_NODES
    assert container["livenessProbe"]["httpGet"]["port"] == container["ports"][0]["containerPort"]
    assert container["readinessProbe"]["httpGet"]["port"] == container["ports"][0]["containerPort"]
    assert set(container["resources"]) == {"requests", "limits"}


@pytest.mark.parametrize(("name", "port"), [("postgres-exporter", 9187), ("redis-exporter", 9121)])
def test_only_the_monitoring_namespace_may_scrape_an_exporter(
    objects: dict[tuple[str, str], dict[str, Any]], name: str, port: int
) -> None:
    policy = objects[("NetworkPolicy", name)]["spec"]
    assert policy["policyTypes"] == ["Ingress"]
    assert policy["ingress"] == [
        {
            "from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}],
            "ports": [{"protocol": "TCP", "port": port}],
        }
    ]


def test_every_object_validates_strictly_against_the_cluster_version(
    objects: dict[tuple[str, str], dict[str, Any]],
) -> None:
    custom = []
    for obj in objects.values():
        try:
            kubernetes_validate.validate(obj, "1.36.0", strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            custom.append(obj["kind"])
    assert sorted(custom) == ["ExternalSecret", "SecretStore"]


# --- namespace, storage, Grafana admin secret -----------------------------------------------------------


def test_monitoring_namespace_enforces_baseline_and_audits_restricted(
    objects: dict[tuple[str, str], dict[str, Any]],
) -> None:
    labels = objects[("Namespace", "monitoring")]["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "baseline"
    assert labels["pod-security.kubernetes.io/audit"] == "restricted"
    assert labels["pod-security.kubernetes.io/warn"] == "restricted"


def test_monitoring_volumes_are_encrypted_gp3_created_in_the_pods_zone(
    objects: dict[tuple[str, str], dict[str, Any]],
) -> None:
    storage = objects[("StorageClass", "monitoring-gp3")]
    assert storage["provisioner"] == "ebs.csi.aws.com"
    assert storage["parameters"] == {"type": "gp3", "encrypted": "true"}
    assert storage["volumeBindingMode"] == "WaitForFirstConsumer"


def test_grafana_admin_secret_is_synced_from_secrets_manager(objects: dict[tuple[str, str], dict[str, Any]]) -> None:
    external = objects[("ExternalSecret", "grafana-admin")]
    assert external["metadata"]["namespace"] == "monitoring"
    assert external["spec"]["secretStoreRef"] == {"kind": "SecretStore", "name": "aws-secrets-manager"}
    assert [(d["secretKey"], d["remoteRef"]["property"]) for d in external["spec"]["data"]] == [
        ("admin-user", "username"),
        ("admin-password", "password"),
    ]
    store = objects[("SecretStore", "aws-secrets-manager")]
    assert store["spec"] == {"provider": {"aws": {"service": "SecretsManager", "region": "ap-northeast-1"}}}


# --- Prometheus chart values ----------------------------------------------------------------------------


def test_prometheus_runs_the_design_configuration_from_the_one_source(prometheus: dict[str, Any]) -> None:
    config = prom.prometheus_config(app_namespace=APP_NAMESPACE)
    assert prometheus["server"]["global"] == config["global"]
    assert prometheus["server"]["alertmanagers"] == config["alerting"]["alertmanagers"]
    assert prometheus["serverFiles"]["prometheus.yml"] == {
        "rule_files": config["rule_files"],
        "scrape_configs": config["scrape_configs"],
    }


def test_prometheus_loads_the_design_rule_file(prometheus: dict[str, Any]) -> None:
    assert prometheus["serverFiles"]["tech-lib.yml"] == prom.rule_file(max_connections=200)
    assert prometheus["serverFiles"]["prometheus.yml"]["rule_files"] == ["/etc/config/tech-lib.yml"]


def test_alertmanager_is_the_service_the_design_names(prometheus: dict[str, Any]) -> None:
    alertmanager = prometheus["alertmanager"]
    assert alertmanager["enabled"] is True
    assert alertmanager["fullnameOverride"] == "alertmanager"
    assert alertmanager["serviceAccount"] == {"create": True, "name": "alertmanager"}


def test_alertmanager_routes_every_alert_to_the_sns_topic_with_sigv4(prometheus: dict[str, Any]) -> None:
    config = prometheus["alertmanager"]["config"]
    assert config["route"]["receiver"] == "sns"
    (receiver,) = config["receivers"]
    assert receiver["name"] == "sns"
    (sns,) = receiver["sns_configs"]
    assert sns["topic_arn"] == TOPIC_ARN
    assert sns["sigv4"] == {"region": "ap-northeast-1"}
    assert sns["send_resolved"] is True


def test_kube_state_metrics_is_scraped_by_the_designs_pod_annotations(prometheus: dict[str, Any]) -> None:
    ksm = prometheus["kube-state-metrics"]
    assert ksm["enabled"] is True
    assert ksm["podAnnotations"] == {"prometheus.io/scrape": "true", "prometheus.io/port": "8080"}


def test_prometheus_keeps_its_data_on_an_encrypted_volume(prometheus: dict[str, Any]) -> None:
    assert prometheus["server"]["persistentVolume"]["storageClass"] == "monitoring-gp3"
    assert prometheus["alertmanager"]["persistence"]["storageClass"] == "monitoring-gp3"
    assert prometheus["server"]["fullnameOverride"] == "prometheus-server"


def test_no_node_exporter_or_pushgateway(prometheus: dict[str, Any]) -> None:
    assert prometheus["prometheus-node-exporter"] == {"enabled": False}
    assert prometheus["prometheus-pushgateway"] == {"enabled": False}


@pytest.mark.parametrize(
    "path",
    [
        ("server", "containerSecurityContext"),
        ("alertmanager", "securityContext"),
        ("kube-state-metrics", "containerSecurityContext"),
        ("configmapReload", "prometheus", "containerSecurityContext"),
    ],
)
def test_prometheus_components_get_restricted_container_contexts(
    prometheus: dict[str, Any], path: tuple[str, ...]
) -> None:
    context: Any = prometheus
    for key in path:
        context = context[key]
    assert context["allowPrivilegeEscalation"] is False
    assert context["capabilities"] == {"drop": ["ALL"]}
    assert context["seccompProfile"] == {"type": "RuntimeDefault"}
    assert context["runAsNonRoot"] is True


@pytest.mark.parametrize("component", ["server", "alertmanager", "kube-state-metrics"])
def test_prometheus_components_run_on_system_nodes(prometheus: dict[str, Any], component: str) -> None:
    assert prometheus[component]["nodeSelector"] == SYSTEM_NODES


# --- prometheus-adapter and Grafana ---------------------------------------------------------------------


def test_adapter_queries_the_in_cluster_prometheus_with_the_request_rate_rule() -> None:
    values = prometheus_adapter.adapter_values(placement=PLACEMENT)
    assert values["prometheus"] == {"url": "http://prometheus-server.monitoring.svc", "port": 80}
    assert values["rules"] == prom.adapter_rules()
    assert values["nodeSelector"] == SYSTEM_NODES


def test_grafana_is_reachable_inside_the_cluster_only(grafana: dict[str, Any]) -> None:
    assert grafana["service"]["type"] == "ClusterIP"
    assert grafana["ingress"] == {"enabled": False}
    assert grafana["grafana.ini"]["auth.anonymous"] == {"enabled": False}


def test_grafana_admin_comes_from_the_synced_secret_never_a_literal(grafana: dict[str, Any]) -> None:
    assert grafana["admin"] == {
        "existingSecret": "grafana-admin",
        "userKey": "admin-user",
        "passwordKey": "admin-password",
    }
    assert "adminPassword" not in grafana and "adminUser" not in grafana


def test_grafana_has_the_prometheus_data_source(grafana: dict[str, Any]) -> None:
    (source,) = grafana["datasources"]["datasources.yaml"]["datasources"]
    assert source["type"] == "prometheus"
    assert source["url"] == "http://prometheus-server.monitoring.svc"
    assert source["isDefault"] is True


def test_grafana_provisions_the_system_dashboard(grafana: dict[str, Any]) -> None:
    dashboard = json.loads(grafana["dashboards"]["tech-lib"]["tech-lib-overview"]["json"])
    provider = grafana["dashboardProviders"]["dashboardproviders.yaml"]["providers"][0]
    assert provider["name"] == "tech-lib"
    assert [panel["title"] for panel in dashboard["panels"]] == [
        "Request rate",
        "5xx ratio",
        "p95 latency",
        "Pod restarts",
        "DB connections vs max_connections",
        "Redis memory",
    ]
    exprs = {panel["title"]: [t["expr"] for t in panel["targets"]] for panel in dashboard["panels"]}
    assert exprs["Request rate"] == ['sum(rate(http_requests_total{job="tech-lib-backend"}[5m]))']
    assert 'status=~"5.."' in exprs["5xx ratio"][0]
    assert exprs["p95 latency"][0].startswith("histogram_quantile(0.95,")
    assert "kube_pod_container_status_restarts_total" in exprs["Pod restarts"][0]
    assert exprs["DB connections vs max_connections"] == [
        "sum(pg_stat_activity_count)",
        "max(pg_settings_max_connections)",
        "vector(180)",
    ]
    assert exprs["Redis memory"] == ["max(redis_memory_used_bytes)", "max(redis_memory_max_bytes)"]


# --- CloudWatch agent -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def agent() -> dict[str, Any]:
    return cloudwatch_agent.cloudwatch_agent_config(
        resource_prefix="tech-lib", cluster_name="tech-lib-cluster", region="ap-northeast-1"
    )


def test_agent_section_is_the_designs_with_the_region_the_chart_needs_to_keep_it(agent: dict[str, Any]) -> None:
    assert agent["agent"] == {"metrics_collection_interval": 60, "run_as_user": "cwagent", "region": "ap-northeast-1"}


def test_agent_ships_backend_logs_as_designed(agent: dict[str, Any]) -> None:
    backend = agent["logs"]["logs_collected"]["files"]["collect_list"][0]
    assert backend["file_path"].endswith("/var/log/containers/*backend*.log")
    assert backend["log_group_name"] == "/aws/eks/tech-lib/backend"
    assert backend["log_stream_name"] == "{hostname}-backend"
    assert backend["multi_line_start_pattern"] == r"^\d{4}-\d{2}-\d{2}"


def test_agent_ships_frontend_logs_as_designed_without_a_multiline_pattern(agent: dict[str, Any]) -> None:
    frontend = agent["logs"]["logs_collected"]["files"]["collect_list"][1]
    assert frontend["file_path"].endswith("/var/log/containers/*frontend*.log")
    assert frontend["log_group_name"] == "/aws/eks/tech-lib/frontend"
    assert frontend["log_stream_name"] == "{hostname}-frontend"
    assert "multi_line_start_pattern" not in frontend


def test_agent_reads_the_container_logs_through_the_host_root_mount(agent: dict[str, Any]) -> None:
    paths = [entry["file_path"] for entry in agent["logs"]["logs_collected"]["files"]["collect_list"]]
    assert paths == ["/rootfs/var/log/containers/*backend*.log", "/rootfs/var/log/containers/*frontend*.log"]


def test_agent_log_timezone_is_one_the_agent_schema_accepts(agent: dict[str, Any]) -> None:
    """The design's Asia/Tokyo fails the agent's schema (enum Local, LOCAL, UTC): the agent would not start."""
    for entry in agent["logs"]["logs_collected"]["files"]["collect_list"]:
        assert entry["timezone"] == "Local"


def test_agent_container_insights_has_the_designs_cluster_and_interval(agent: dict[str, Any]) -> None:
    """The design puts `kubernetes` under logs_collected; the agent reads it under logs.metrics_collected."""
    assert agent["logs"]["metrics_collected"]["kubernetes"] == {
        "cluster_name": "tech-lib-cluster",
        "metrics_collection_interval": 60,
    }
    assert set(agent["logs"]["logs_collected"]) == {"files"}


def test_agent_metrics_are_the_designs(agent: dict[str, Any]) -> None:
    assert agent["metrics"] == {
        "namespace": "TechLib/EKS",
        "metrics_collected": {
            "cpu": {
                "measurement": ["cpu_usage_idle", "cpu_usage_iowait", "cpu_usage_user", "cpu_usage_system"],
                "metrics_collection_interval": 60,
                "resources": ["*"],
                "totalcpu": False,
            },
            "disk": {"measurement": ["used_percent"], "metrics_collection_interval": 60, "resources": ["*"]},
            "diskio": {"measurement": ["io_time"], "metrics_collection_interval": 60, "resources": ["*"]},
            "mem": {"measurement": ["mem_used_percent"], "metrics_collection_interval": 60},
            "netstat": {"measurement": ["tcp_established", "tcp_time_wait"], "metrics_collection_interval": 60},
        },
    }


def test_addon_carries_the_agent_config_and_turns_fluent_bit_off() -> None:
    addon = cloudwatch_agent.cloudwatch_addon_configuration(
        resource_prefix="tech-lib",
        cluster_name="tech-lib-cluster",
        region="ap-northeast-1",
        node_selector={"node-type": "system"},
    )
    assert addon["agent"]["config"] == cloudwatch_agent.cloudwatch_agent_config(
        resource_prefix="tech-lib", cluster_name="tech-lib-cluster", region="ap-northeast-1"
    )
    assert addon["containerLogs"] == {"enabled": False}


def test_dev_log_groups_carry_the_dev_prefix() -> None:
    dev = load_config("dev")
    agent = cloudwatch_agent.cloudwatch_agent_config(
        resource_prefix=dev.resource_prefix, cluster_name=dev.eks.cluster_name, region=dev.region
    )
    groups = [e["log_group_name"] for e in agent["logs"]["logs_collected"]["files"]["collect_list"]]
    assert groups == ["/aws/eks/tech-lib-dev/backend", "/aws/eks/tech-lib-dev/frontend"]


# --- payload size ---------------------------------------------------------------------------------------


def test_every_chart_and_value_set_fits_the_kubectl_handler_payload(
    objects: dict[tuple[str, str], dict[str, Any]], prometheus: dict[str, Any], grafana: dict[str, Any]
) -> None:
    for payload in (
        list(objects.values()),
        prometheus,
        grafana,
        prometheus_adapter.adapter_values(placement=PLACEMENT),
    ):
        assert len(json.dumps(payload).encode()) < PAYLOAD_LIMIT
