"""MonitoringStack and EdgeMonitoringStack as synthesized: alarms, topics, log groups, the agent add-on,
and the in-cluster monitoring (Helm releases and manifests) carrying the design's values."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from addons import cloudwatch_observability as cloudwatch_agent
from addons import prometheus_config as prom
from names import AwsNames
from scripts.applied_manifests import applied_manifests, manifest_payloads
from tests.conftest import Synthesized
from tests.resources import Locator
from tests.strict_validation import validation_errors
from tests.test_prometheus_config import SEED_APISERVER_RELABEL, SEED_POD_RELABELS, SEED_RULES

PAYLOAD_LIMIT = 256 * 1024
# Each alarm stack (Monitoring, MonitoringEdge) has one key and one topic.
ALARM_KEY = Locator("AWS::KMS::Key")
ALARM_TOPIC = Locator("AWS::SNS::Topic")
GRAFANA_ADMIN_SECRET = Locator("AWS::SecretsManager::Secret", {"Name": "tech-lib/grafana-admin"})
APP_LOG_GROUPS = [
    Locator("AWS::Logs::LogGroup", {"LogGroupName": f"/aws/eks/tech-lib/{app}"}) for app in ("backend", "frontend")
]


# --- helpers ------------------------------------------------------------------------------------------


def _monitoring(synth: Synthesized) -> Template:
    return synth.template(synth.built.monitoring)


def _edge(synth: Synthesized) -> Template:
    return synth.template(synth.built.monitoring_edge)


class Tokens:
    """Renders a tokenized CloudFormation string, replacing each token by a marker and keeping the token."""

    def __init__(self) -> None:
        self.tokens: list[Any] = []

    def flatten(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and "Fn::Join" in value:
            separator, parts = value["Fn::Join"]
            return str(separator).join(self.flatten(part) for part in parts)
        self.tokens.append(value)
        return f"TOKEN{len(self.tokens) - 1}"

    def token(self, marker: str) -> Any:
        return self.tokens[int(marker.removeprefix("TOKEN"))]


def _helm(template: dict[str, Any], release: str) -> tuple[dict[str, Any], dict[str, Any], Tokens]:
    """(properties, parsed values, tokens) of the Helm release named `release`."""
    (properties,) = [
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "Custom::AWSCDK-EKS-HelmChart" and r["Properties"]["Release"] == release
    ]
    tokens = Tokens()
    values = json.loads(tokens.flatten(properties["Values"]))
    return properties, values, tokens


def _alarms(template: Template) -> dict[str, dict[str, Any]]:
    return {
        r["Properties"]["AlarmName"]: r["Properties"]
        for r in template.find_resources("AWS::CloudWatch::Alarm").values()
    }


def _dimensions(alarm: dict[str, Any]) -> dict[str, Any]:
    return {d["Name"]: d["Value"] for d in alarm["Dimensions"]}


def _manifests(synth: Synthesized) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (o["kind"], o["metadata"]["name"]): o for o in applied_manifests(synth.template_json(synth.built.monitoring))
    }


# --- the alarm topic ----------------------------------------------------------------------------------


def test_alarm_topic_is_encrypted_with_its_own_key_and_requires_tls(prod: Synthesized) -> None:
    template = _monitoring(prod)
    template.has_resource_properties(
        "AWS::SNS::Topic", {"TopicName": "tech-lib-alarms", "KmsMasterKeyId": ALARM_KEY.get_att(template, "Arn")}
    )
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [Match.object_like({"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})]
                )
            }
        },
    )


def test_alarm_topic_key_lets_cloudwatch_alarms_publish(prod: Synthesized) -> None:
    _monitoring(prod).has_resource_properties(
        "AWS::KMS::Key",
        {
            "EnableKeyRotation": True,
            "KeyPolicy": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                                "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                            }
                        )
                    ]
                )
            },
        },
    )


def test_alarm_email_from_configuration_is_subscribed(prod: Synthesized) -> None:
    for template in (_monitoring(prod), _edge(prod)):
        template.has_resource_properties(
            "AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": prod.config.monitoring.alarm_email}
        )


def test_without_an_alarm_email_nothing_is_subscribed(dev: Synthesized) -> None:
    assert dev.config.monitoring.alarm_email is None
    _monitoring(dev).resource_count_is("AWS::SNS::Subscription", 0)
    _edge(dev).resource_count_is("AWS::SNS::Subscription", 0)


def test_every_alarm_notifies_the_topic_on_alarm_and_on_recovery(prod: Synthesized) -> None:
    for synth_template in (_monitoring(prod), _edge(prod)):
        for name, alarm in _alarms(synth_template).items():
            assert alarm["AlarmActions"] == [ALARM_TOPIC.ref(synth_template)], name
            assert alarm["OKActions"] == [ALARM_TOPIC.ref(synth_template)], name


# --- Aurora and ElastiCache alarms --------------------------------------------------------------------


def _stack_output(synth: Synthesized, reference: dict[str, Any]) -> tuple[str, Any]:
    """The producing stack's name and the output value a Fn::GetStackOutput reference reads."""
    get = reference["Fn::GetStackOutput"]
    producer = next(s for s in synth.built.stacks if s.stack_name == get["StackName"])
    return producer.stack_name, synth.template_json(producer)["Outputs"][get["OutputName"]]["Value"]


def _database_cluster_reference(prod: Synthesized) -> Any:
    return _dimensions(_alarms(_monitoring(prod))["tech-lib-aurora-cpu"])["DBClusterIdentifier"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "tech-lib-aurora-cpu",
            {"MetricName": "CPUUtilization", "Statistic": "Average", "Threshold": 80, "Role": "WRITER"},
        ),
        (
            "tech-lib-aurora-connections",
            {"MetricName": "DatabaseConnections", "Statistic": "Maximum", "Threshold": 180, "Role": "WRITER"},
        ),
        (
            "tech-lib-aurora-replica-lag",
            {"MetricName": "AuroraReplicaLag", "Statistic": "Maximum", "Threshold": 1000, "Role": "READER"},
        ),
        (
            "tech-lib-aurora-freeable-memory",
            {
                "MetricName": "FreeableMemory",
                "Statistic": "Minimum",
                "Threshold": 1024**3,
                "Role": "WRITER",
                "ComparisonOperator": "LessThanThreshold",
            },
        ),
    ],
)
def test_aurora_alarm(prod: Synthesized, name: str, expected: dict[str, Any]) -> None:
    alarm = _alarms(_monitoring(prod))[name]
    assert alarm["Namespace"] == "AWS/RDS"
    for key in ("MetricName", "Statistic", "Threshold"):
        assert alarm[key] == expected[key], key
    assert alarm["ComparisonOperator"] == expected.get("ComparisonOperator", "GreaterThanThreshold")
    assert _dimensions(alarm) == {"DBClusterIdentifier": _database_cluster_reference(prod), "Role": expected["Role"]}


def test_aurora_alarms_watch_the_database_stacks_cluster(prod: Synthesized) -> None:
    (cluster_id,) = prod.template(prod.built.database).find_resources("AWS::RDS::DBCluster")
    assert _stack_output(prod, _database_cluster_reference(prod)) == (
        prod.built.database.stack_name,
        {"Ref": cluster_id},
    )


def test_connection_threshold_is_derived_from_the_parameter_groups_max_connections(prod: Synthesized) -> None:
    """One source: the parameter group's max_connections (200) gives both the rule's and the alarm's 180."""
    (group,) = prod.template(prod.built.database).find_resources("AWS::RDS::DBClusterParameterGroup").values()
    max_connections = int(group["Properties"]["Parameters"]["max_connections"])
    expected = prom.db_connection_threshold(max_connections)
    assert expected == 180
    assert _alarms(_monitoring(prod))["tech-lib-aurora-connections"]["Threshold"] == expected
    _, values, _ = _helm(prod.template_json(prod.built.monitoring), "prometheus")
    rules = {r["alert"]: r for r in values["serverFiles"]["tech-lib.yml"]["groups"][0]["rules"]}
    assert rules["DatabaseConnectionHigh"]["expr"] == f"pg_stat_activity_count > {expected}"


def test_dev_without_readers_has_no_replica_lag_alarm(dev: Synthesized) -> None:
    assert dev.config.database.reader_count == 0
    assert "tech-lib-dev-aurora-replica-lag" not in _alarms(_monitoring(dev))


@pytest.mark.parametrize(
    ("metric", "slug", "statistic", "threshold"),
    [
        ("EngineCPUUtilization", "engine-cpu", "Average", 80),
        ("DatabaseMemoryUsagePercentage", "memory", "Average", 80),
        ("Evictions", "evictions", "Sum", 100),
        ("ReplicationLag", "replication-lag", "Maximum", 1),
    ],
)
def test_redis_alarm_on_every_node(prod: Synthesized, metric: str, slug: str, statistic: str, threshold: int) -> None:
    alarms = _alarms(_monitoring(prod))
    (group_id,) = prod.template(prod.built.cache).find_resources("AWS::ElastiCache::ReplicationGroup")
    for index in range(1, prod.config.cache.num_cache_clusters + 1):
        alarm = alarms[f"tech-lib-redis-{index:03d}-{slug}"]
        assert alarm["Namespace"] == "AWS/ElastiCache"
        assert alarm["MetricName"] == metric
        assert alarm["Statistic"] == statistic
        assert alarm["Threshold"] == threshold
        # <replication group id>-00N: the cache cluster ElastiCache creates for node N.
        member = Tokens()
        assert member.flatten(_dimensions(alarm)["CacheClusterId"]) == f"TOKEN0-{index:03d}"
        assert _stack_output(prod, member.tokens[0]) == (prod.built.cache.stack_name, {"Ref": group_id})


def test_redis_replication_lag_treats_missing_data_as_healthy(prod: Synthesized) -> None:
    assert _alarms(_monitoring(prod))["tech-lib-redis-001-replication-lag"]["TreatMissingData"] == "notBreaching"


def test_dev_single_redis_node_has_no_replication_lag_alarm(dev: Synthesized) -> None:
    alarms = _alarms(_monitoring(dev))
    assert "tech-lib-dev-redis-001-engine-cpu" in alarms
    assert not [name for name in alarms if "replication-lag" in name]


# --- ALB alarms ---------------------------------------------------------------------------------------


def test_alb_is_looked_up_by_the_name_the_ingress_gives_it(prod: Synthesized) -> None:
    template = _monitoring(prod)
    (lookup,) = template.find_resources("Custom::AWS").values()
    create = json.loads(Tokens().flatten(lookup["Properties"]["Create"]))
    assert create["service"] == "ElasticLoadBalancingV2"
    assert create["action"] == "describeLoadBalancers"
    assert create["parameters"] == {"Names": [AwsNames.alb("tech-lib")]}


def test_ingress_names_its_alb_for_the_lookup(prod: Synthesized) -> None:
    manifests = applied_manifests(prod.template_json(prod.built.workloads))
    (ingress,) = [m for m in manifests if m["kind"] == "Ingress"]
    annotations = ingress["metadata"]["annotations"]
    assert annotations["alb.ingress.kubernetes.io/load-balancer-name"] == AwsNames.alb(prod.config.resource_prefix)


def test_alb_lookup_reruns_when_the_alb_hostname_changes(prod: Synthesized) -> None:
    (lookup,) = _monitoring(prod).find_resources("Custom::AWS").values()
    hostname = lookup["Properties"]["AlbHostname"]["Fn::GetStackOutput"]
    assert hostname["StackName"] == prod.built.workloads.stack_name


def test_lookup_may_only_describe_load_balancers(prod: Synthesized) -> None:
    _monitoring(prod).has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": [
                    {"Action": "elasticloadbalancing:DescribeLoadBalancers", "Effect": "Allow", "Resource": "*"}
                ]
            }
        },
    )


@pytest.mark.parametrize(
    ("name", "metric", "statistic", "threshold"),
    [
        ("tech-lib-alb-5xx", "HTTPCode_ELB_5XX_Count", "Sum", 10),
        ("tech-lib-alb-p95-latency", "TargetResponseTime", None, 1),
    ],
)
def test_alb_alarm_uses_the_load_balancer_dimension_from_the_lookup(
    prod: Synthesized, name: str, metric: str, statistic: str | None, threshold: int
) -> None:
    alarm = _alarms(_monitoring(prod))[name]
    assert alarm["Namespace"] == "AWS/ApplicationELB"
    assert alarm["MetricName"] == metric
    assert alarm["Threshold"] == threshold
    if statistic is None:
        assert alarm["ExtendedStatistic"] == "p95"
    else:
        assert alarm["Statistic"] == statistic
    (lookup_id,) = _monitoring(prod).find_resources("Custom::AWS")
    assert _dimensions(alarm)["LoadBalancer"] == {
        "Fn::Select": [
            1,
            {"Fn::Split": [":loadbalancer/", {"Fn::GetAtt": [lookup_id, "LoadBalancers.0.LoadBalancerArn"]}]},
        ]
    }


# --- CloudFront (us-east-1) ---------------------------------------------------------------------------


def test_cloudfront_alarm_lives_in_us_east_1(prod: Synthesized) -> None:
    assert prod.built.monitoring_edge.region == "us-east-1"


def test_cloudfront_5xx_error_rate_alarm(prod: Synthesized) -> None:
    alarm = _alarms(_edge(prod))["tech-lib-cloudfront-5xx"]
    assert alarm["Namespace"] == "AWS/CloudFront"
    assert alarm["MetricName"] == "5xxErrorRate"
    assert alarm["Threshold"] == 10
    dimensions = _dimensions(alarm)
    assert dimensions["Region"] == "Global"
    reference = dimensions["DistributionId"]["Fn::GetStackOutput"]
    assert reference["StackName"] == prod.built.cdn.stack_name
    assert reference["Region"] == prod.config.region


def test_us_east_1_topic_is_encrypted_too(prod: Synthesized) -> None:
    template = _edge(prod)
    template.has_resource_properties(
        "AWS::SNS::Topic", {"TopicName": "tech-lib-edge-alarms", "KmsMasterKeyId": ALARM_KEY.get_att(template, "Arn")}
    )


# --- log groups and stateful resources ----------------------------------------------------------------


@pytest.mark.parametrize("app", ["backend", "frontend"])
def test_application_log_group_has_retention_key_and_is_kept(prod: Synthesized, app: str) -> None:
    template = _monitoring(prod)
    template.has_resource(
        "AWS::Logs::LogGroup",
        {
            "Properties": {
                "LogGroupName": f"/aws/eks/tech-lib/{app}",
                "RetentionInDays": prod.config.monitoring.log_retention_days,
                "KmsKeyId": ALARM_KEY.get_att(template, "Arn"),
            },
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        },
    )


def test_dev_log_groups_use_the_dev_retention(dev: Synthesized) -> None:
    _monitoring(dev).has_resource_properties(
        "AWS::Logs::LogGroup",
        {"LogGroupName": "/aws/eks/tech-lib-dev/backend", "RetentionInDays": dev.config.monitoring.log_retention_days},
    )


def test_key_is_retained_in_prod(prod: Synthesized) -> None:
    _monitoring(prod).has_resource("AWS::KMS::Key", {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})


# --- CloudWatch agent ---------------------------------------------------------------------------------


def test_cloudwatch_agent_add_on_carries_the_design_agent_configuration(prod: Synthesized) -> None:
    template = prod.template_json(prod.built.monitoring)
    (addon,) = Locator("AWS::EKS::Addon").find(template).values()
    properties = addon["Properties"]
    assert properties["AddonName"] == "amazon-cloudwatch-observability"
    assert json.loads(properties["ConfigurationValues"]) == cloudwatch_agent.cloudwatch_addon_configuration(
        resource_prefix="tech-lib",
        cluster_name="tech-lib-cluster",
        region="ap-northeast-1",
        node_selector={"node-type": "system"},
    )
    assert set(addon["DependsOn"]) >= {log_group.id(template) for log_group in APP_LOG_GROUPS}


def test_synthesized_agent_configuration_has_the_designs_values(prod: Synthesized) -> None:
    (addon,) = _monitoring(prod).find_resources("AWS::EKS::Addon").values()
    config = json.loads(addon["Properties"]["ConfigurationValues"])["agent"]["config"]
    # The design's two settings, plus the region that keeps the chart from replacing the block.
    assert config["agent"] == {"metrics_collection_interval": 60, "run_as_user": "cwagent", "region": "ap-northeast-1"}
    files = config["logs"]["logs_collected"]["files"]["collect_list"]
    assert [(f["log_group_name"], f["log_stream_name"]) for f in files] == [
        ("/aws/eks/tech-lib/backend", "{hostname}-backend"),
        ("/aws/eks/tech-lib/frontend", "{hostname}-frontend"),
    ]
    assert files[0]["multi_line_start_pattern"] == r"^\d{4}-\d{2}-\d{2}"
    assert config["logs"]["metrics_collected"]["kubernetes"] == {
        "cluster_name": "tech-lib-cluster",
        "metrics_collection_interval": 60,
    }
    assert config["metrics"]["namespace"] == "TechLib/EKS"
    assert sorted(config["metrics"]["metrics_collected"]) == ["cpu", "disk", "diskio", "mem", "netstat"]


def test_cloudwatch_agent_has_its_own_pod_identity_role(prod: Synthesized) -> None:
    template = _monitoring(prod)
    (addon,) = template.find_resources("AWS::EKS::Addon").values()
    (association,) = addon["Properties"]["PodIdentityAssociations"]
    assert association["ServiceAccount"] == "cloudwatch-agent"
    role_id = association["RoleArn"]["Fn::GetAtt"][0]
    role = template.find_resources("AWS::IAM::Role")[role_id]["Properties"]
    assert role["ManagedPolicyArns"] == [
        {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/CloudWatchAgentServerPolicy"]]}
    ]
    conditions = role["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]["StringEquals"]
    assert conditions["aws:RequestTag/kubernetes-namespace"] == "amazon-cloudwatch"
    assert conditions["aws:RequestTag/kubernetes-service-account"] == "cloudwatch-agent"


# --- Helm releases ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("release", "chart", "repository", "version"),
    [
        ("prometheus", "prometheus", "https://prometheus-community.github.io/helm-charts", "27.19.0"),
        ("prometheus-adapter", "prometheus-adapter", "https://prometheus-community.github.io/helm-charts", "5.3.0"),
        ("grafana", "grafana", "https://grafana-community.github.io/helm-charts", "11.6.1"),
    ],
)
def test_helm_release_is_pinned_to_a_chart_version_and_repository(
    prod: Synthesized, release: str, chart: str, repository: str, version: str
) -> None:
    properties, _, _ = _helm(prod.template_json(prod.built.monitoring), release)
    assert (properties["Chart"], properties["Repository"], properties["Version"]) == (chart, repository, version)
    assert properties["Namespace"] == "monitoring"


def test_prometheus_release_runs_every_design_scrape_job(prod: Synthesized) -> None:
    _, values, _ = _helm(prod.template_json(prod.built.monitoring), "prometheus")
    assert values["server"]["global"] == {"scrape_interval": "15s", "evaluation_interval": "15s"}
    jobs = {job["job_name"]: job for job in values["serverFiles"]["prometheus.yml"]["scrape_configs"]}
    assert jobs["kubernetes-apiservers"]["relabel_configs"] == [SEED_APISERVER_RELABEL]
    assert jobs["kubernetes-nodes"]["relabel_configs"][0]["regex"] == "__meta_kubernetes_node_label_(.+)"
    assert jobs["kubernetes-pods"]["relabel_configs"] == SEED_POD_RELABELS
    assert jobs["tech-lib-backend"]["metrics_path"] == "/metrics"
    assert jobs["tech-lib-backend"]["scrape_interval"] == "30s"
    assert jobs["tech-lib-database"]["static_configs"] == [{"targets": ["postgres-exporter.tech-lib.svc:9187"]}]
    assert jobs["tech-lib-redis"]["static_configs"] == [{"targets": ["redis-exporter.tech-lib.svc:9121"]}]
    assert all(jobs[j]["scrape_interval"] == "30s" for j in ("tech-lib-database", "tech-lib-redis"))
    assert values["server"]["alertmanagers"] == [{"static_configs": [{"targets": ["alertmanager:9093"]}]}]


def test_prometheus_release_carries_the_four_design_rules(prod: Synthesized) -> None:
    _, values, _ = _helm(prod.template_json(prod.built.monitoring), "prometheus")
    # The design's group, then the service mesh's (addons/istio_monitoring.py).
    group, mesh = values["serverFiles"]["tech-lib.yml"]["groups"]
    assert group["name"] == "tech-lib-alerts"
    assert {rule["alert"]: {k: v for k, v in rule.items() if k != "alert"} for rule in group["rules"]} == SEED_RULES
    assert mesh["name"] == "service-mesh"
    assert [rule["alert"] for rule in mesh["rules"]] == ["IstiodUnavailable", "ZtunnelNotReady"]
    assert mesh["rules"][0]["expr"] == 'absent(up{job="istiod"} == 1)'
    assert "group_left (node) kube_pod_info" in mesh["rules"][1]["expr"]
    jobs = {job["job_name"]: job for job in values["serverFiles"]["prometheus.yml"]["scrape_configs"]}
    assert {"istiod", "ztunnel"} <= set(jobs)
    # Prometheus' server joins the mesh as a client: its scrapes of the app travel over mTLS.
    assert values["server"]["podLabels"] == {"istio.io/dataplane-mode": "ambient"}


def test_alertmanager_publishes_to_the_alarm_topic(prod: Synthesized) -> None:
    template = prod.template_json(prod.built.monitoring)
    _, values, tokens = _helm(template, "prometheus")
    (sns,) = values["alertmanager"]["config"]["receivers"][0]["sns_configs"]
    assert tokens.token(sns["topic_arn"]) == ALARM_TOPIC.ref(template)
    assert sns["sigv4"] == {"region": "ap-northeast-1"}


def test_alertmanager_role_may_publish_to_the_topic_only(prod: Synthesized) -> None:
    template = _monitoring(prod)
    template.has_resource_properties(
        "AWS::EKS::PodIdentityAssociation", {"Namespace": "monitoring", "ServiceAccount": "alertmanager"}
    )
    policies = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for logical_id, p in template.find_resources("AWS::IAM::Policy").items()
        if logical_id.startswith("AlertmanagerRole")
    ]
    assert policies == [
        [
            {"Action": "sns:Publish", "Effect": "Allow", "Resource": ALARM_TOPIC.ref(template)},
            {
                "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                "Effect": "Allow",
                "Resource": ALARM_KEY.get_att(template, "Arn"),
            },
        ]
    ]


def test_adapter_release_serves_the_backend_request_rate(prod: Synthesized) -> None:
    _, values, _ = _helm(prod.template_json(prod.built.monitoring), "prometheus-adapter")
    (rule,) = values["rules"]["custom"]
    assert rule["name"]["as"] == "http_requests_per_second"
    assert values["prometheus"]["url"] == "http://prometheus-server.monitoring.svc"


def test_adapter_metric_is_the_one_the_backend_hpa_reads(prod: Synthesized) -> None:
    manifests = applied_manifests(prod.template_json(prod.built.workloads))
    (hpa,) = [m for m in manifests if m["kind"] == "HorizontalPodAutoscaler" and m["metadata"]["name"] == "backend-hpa"]
    pods = [m["pods"]["metric"]["name"] for m in hpa["spec"]["metrics"] if m["type"] == "Pods"]
    assert pods == [prom.HPA_REQUEST_METRIC]


def test_grafana_release_is_cluster_internal_with_the_dashboard(prod: Synthesized) -> None:
    _, values, _ = _helm(prod.template_json(prod.built.monitoring), "grafana")
    assert values["service"]["type"] == "ClusterIP"
    assert values["admin"]["existingSecret"] == "grafana-admin"
    dashboard = json.loads(values["dashboards"]["tech-lib"]["tech-lib-overview"]["json"])
    assert len(dashboard["panels"]) == 6


def test_grafana_admin_password_is_generated_in_secrets_manager(prod: Synthesized) -> None:
    template = _monitoring(prod)
    template.has_resource_properties(
        "AWS::SecretsManager::Secret",
        {
            "Name": "tech-lib/grafana-admin",
            "KmsKeyId": ALARM_KEY.get_att(template, "Arn"),
            "GenerateSecretString": Match.object_like(
                {"SecretStringTemplate": json.dumps({"username": "admin"}), "GenerateStringKey": "password"}
            ),
        },
    )


def test_external_secrets_may_read_the_grafana_secret(prod: Synthesized) -> None:
    (policy,) = [
        p["Properties"]
        for logical_id, p in _monitoring(prod).find_resources("AWS::IAM::Policy").items()
        if logical_id.startswith("ExternalSecretsReadsGrafanaAdmin")
    ]
    statements = policy["PolicyDocument"]["Statement"]
    assert statements[0]["Action"] == ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
    assert statements[0]["Resource"] == GRAFANA_ADMIN_SECRET.ref(_monitoring(prod))
    (role,) = policy["Roles"]
    assert role["Fn::GetStackOutput"]["StackName"] == prod.built.eks.stack_name


# --- manifests ----------------------------------------------------------------------------------------


def test_exporters_are_applied_with_the_designs_names_and_ports(prod: Synthesized) -> None:
    manifests = _manifests(prod)
    for name, port in (("postgres-exporter", 9187), ("redis-exporter", 9121)):
        service = manifests[("Service", name)]
        assert service["metadata"]["namespace"] == "tech-lib"
        assert service["spec"]["ports"][0]["port"] == port


def test_grafana_admin_secret_sync_points_at_the_generated_secret(prod: Synthesized) -> None:
    template = prod.template_json(prod.built.monitoring)
    (resource,) = [
        r for logical_id, r in template["Resources"].items() if logical_id.startswith("GrafanaAdminSecretSync")
    ]
    tokens = Tokens()
    objects = json.loads(tokens.flatten(resource["Properties"]["Manifest"]))
    (external,) = [o for o in objects if o["kind"] == "ExternalSecret"]
    keys = {tokens.token(d["remoteRef"]["key"])["Ref"] for d in external["spec"]["data"]}
    assert keys == {GRAFANA_ADMIN_SECRET.id(template)}


def test_monitoring_manifests_validate_strictly(prod: Synthesized) -> None:
    objects = [o for o in _manifests(prod).values() if not o["apiVersion"].startswith("external-secrets.io/")]
    assert validation_errors(objects, prod.config.eks.kubernetes_version) == []


def test_every_applied_chart_fits_the_kubectl_handler_payload(prod: Synthesized) -> None:
    sizes = manifest_payloads(prod.template_json(prod.built.monitoring))
    assert len(sizes) == 6  # namespace, Grafana secret sync, exporters; Prometheus, adapter, Grafana releases
    assert max(sizes.values()) < PAYLOAD_LIMIT
