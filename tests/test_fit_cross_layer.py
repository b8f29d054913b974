"""Each cross-layer rule holds for the real app, and fails with a clear error when broken on purpose."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from app import verify
from config import ConfigError, load_config
from fit.cross_layer import check_cross_layer, findings
from fit.manifests import Layers, layers
from tests.conftest import Synthesized

Mutation = Callable[[Layers], Layers]


@pytest.fixture(scope="module")
def prod_layers() -> Layers:
    return layers(load_config("prod"), alb_to_node_ports={80, 8080})


def _obj(layers_: Layers, kind: str, name: str) -> dict[str, Any]:
    (found,) = [o for o in layers_.objects if o["kind"] == kind and o["metadata"]["name"] == name]
    return found  # type: ignore[return-value]


def _edit(layers_: Layers, kind: str, name: str, change: Callable[[dict[str, Any]], None]) -> Layers:
    objects = copy.deepcopy([dict(o) for o in layers_.objects])
    (target,) = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    change(target)
    return dataclasses.replace(layers_, objects=tuple(objects))


def _container(obj: dict[str, Any]) -> dict[str, Any]:
    container: dict[str, Any] = obj["spec"]["template"]["spec"]["containers"][0]
    return container


def _env(obj: dict[str, Any], name: str) -> dict[str, Any]:
    (env,) = [e for e in _container(obj)["env"] if e["name"] == name]
    return env


def _prometheus_job(layers_: Layers, job: str, change: Callable[[dict[str, Any]], None]) -> Layers:
    values = copy.deepcopy(dict(layers_.prometheus_values))
    (target,) = [j for j in values["serverFiles"]["prometheus.yml"]["scrape_configs"] if j["job_name"] == job]
    change(target)
    return dataclasses.replace(layers_, prometheus_values=values)


def test_the_real_app_passes_every_rule_without_a_warning(prod: Synthesized) -> None:
    assert prod.built.network.node_ports_from_albs() == {80, 8080}
    assert verify(prod.built) == []


def test_dev_passes_every_rule() -> None:
    assert findings(layers(load_config("dev"), alb_to_node_ports={80, 8080})) == []


def _set_target_port(service: dict[str, Any]) -> None:
    service["spec"]["ports"][0]["targetPort"] = 8081


def _drop_backend_http_policy(policy: dict[str, Any]) -> None:
    policy["spec"]["ingress"] = [r for r in policy["spec"]["ingress"] if r["ports"][0]["port"] != 8080]


def _ingress_health(ingress: dict[str, Any]) -> None:
    ingress["metadata"]["annotations"]["alb.ingress.kubernetes.io/healthcheck-path"] = "/healthz"


def _ingress_port(ingress: dict[str, Any]) -> None:
    ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"]["number"] = 8000


def _ca_annotation(deployment: dict[str, Any]) -> None:
    deployment["spec"]["template"]["metadata"]["annotations"]["prometheus.io/port"] = "9999"


def _exporter_policy(policy: dict[str, Any]) -> None:
    policy["spec"]["ingress"][0]["from"][0]["namespaceSelector"]["matchLabels"] = {
        "kubernetes.io/metadata.name": "kube-system"
    }


def _hpa_metric(hpa: dict[str, Any]) -> None:
    next(m for m in hpa["spec"]["metrics"] if m["type"] == "Pods")["pods"]["metric"]["name"] = "http_requests_rate"


def _backend_secret_key(deployment: dict[str, Any]) -> None:
    _env(deployment, "DB_HOST")["valueFrom"]["secretKeyRef"]["key"] = "hostname"


def _rds_property(external: dict[str, Any]) -> None:
    external["spec"]["data"][0]["remoteRef"]["property"] = "endpoint"


def _redis_plain(deployment: dict[str, Any]) -> None:
    _env(deployment, "REDIS_ADDR")["value"] = "redis://$(REDIS_HOST):$(REDIS_PORT)"


def _pdb_blocks(pdb: dict[str, Any]) -> None:
    pdb["spec"]["maxUnavailable"] = 0


def _pdb_min_available(pdb: dict[str, Any]) -> None:
    del pdb["spec"]["maxUnavailable"]
    pdb["spec"]["minAvailable"] = 3


def _unencrypted(storage_class: dict[str, Any]) -> None:
    storage_class["parameters"]["encrypted"] = "false"


def _io2(storage_class: dict[str, Any]) -> None:
    storage_class["parameters"]["type"] = "io2"


def _immediate_elsewhere(storage_class: dict[str, Any]) -> None:
    storage_class["volumeBindingMode"] = "Immediate"
    storage_class["allowedTopologies"] = [
        {"matchLabelExpressions": [{"key": "topology.ebs.csi.aws.com/zone", "values": ["ap-northeast-1d"]}]}
    ]


def _renamed_class(storage_class: dict[str, Any]) -> None:
    storage_class["metadata"]["name"] = "gp3-encrypted"


BROKEN: dict[str, tuple[Mutation, str]] = {
    "service targetPort is no container port": (
        lambda x: _edit(x, "Service", "backend-service", _set_target_port),
        r"ports: Ingress tech-lib-ingress path /api -> backend-service:8080: targetPort 8081 is not a container port",
    ),
    "NetworkPolicy drops the ALB port": (
        lambda x: _edit(x, "NetworkPolicy", "backend-ingress", _drop_backend_http_policy),
        r"no NetworkPolicy rule of backend admits port 8080 from the ALB",
    ),
    "node security group lacks the backend port": (
        lambda x: dataclasses.replace(x, alb_to_node_ports=frozenset({80})),
        r"the node security group admits \[80\] from the ALB, not 8080",
    ),
    "ALB health check names no probe path": (
        lambda x: _edit(x, "Ingress", "tech-lib-ingress", _ingress_health),
        r"ALB health-check path /healthz is not a probe path of backend on 8080",
    ),
    "Ingress backend port the Service lacks": (
        lambda x: _edit(x, "Ingress", "tech-lib-ingress", _ingress_port),
        r"path /api -> backend-service:8000: Service exposes \[8080, 9090\]",
    ),
    "static scrape target on a wrong port": (
        lambda x: _prometheus_job(
            x,
            "tech-lib-database",
            lambda j: j["static_configs"][0].update(targets=["postgres-exporter.tech-lib.svc:9188"]),
        ),
        r"metrics: scrape job tech-lib-database target postgres-exporter.tech-lib.svc:9188: the Service exposes \[9187\]",
    ),
    "exporter admits no scrape from monitoring": (
        lambda x: _edit(x, "NetworkPolicy", "redis-exporter", _exporter_policy),
        r"no NetworkPolicy of redis-exporter admits 9121 from the monitoring namespace",
    ),
    "scrape annotation names no container port": (
        lambda x: _edit(x, "Deployment", "cluster-autoscaler", _ca_annotation),
        r"Deployment kube-system/cluster-autoscaler annotation prometheus.io/port 9999: no container port 9999",
    ),
    "HPA metric no adapter rule serves": (
        lambda x: _edit(x, "HorizontalPodAutoscaler", "backend-hpa", _hpa_metric),
        r"HPA backend-hpa metric http_requests_rate: no prometheus-adapter rule serves it",
    ),
    "adapter series from no scrape job": (
        lambda x: _prometheus_job(x, "tech-lib-backend", lambda j: j.update(job_name="backend")),
        r"the adapter's series .* comes from no scrape job",
    ),
    "backend reads a key the Secret lacks": (
        lambda x: _edit(x, "Deployment", "backend", _backend_secret_key),
        r"data: Deployment backend env DB_HOST: reads Secret db-credentials key 'hostname'",
    ),
    "db-credentials reads a property RDS does not write": (
        lambda x: _edit(x, "ExternalSecret", "db-credentials", _rds_property),
        r"reads property 'endpoint', which the RDS-attached secret does not hold",
    ),
    "redis client without TLS": (
        lambda x: _edit(x, "Deployment", "redis-exporter", _redis_plain),
        r"connects with redis:// but app-config redis-tls is true",
    ),
    "PDB with maxUnavailable 0": (
        lambda x: _edit(x, "PodDisruptionBudget", "frontend-pdb", _pdb_blocks),
        r"PodDisruptionBudget frontend-pdb: leaves 0 of frontend's 3 minimum replicas evictable",
    ),
    "PDB minAvailable equal to the minimum replicas": (
        lambda x: _edit(x, "PodDisruptionBudget", "backend-pdb", _pdb_min_available),
        r"PodDisruptionBudget backend-pdb: leaves 0 of backend's 3 minimum replicas evictable",
    ),
    "monitoring StorageClass missing": (
        lambda x: _edit(x, "StorageClass", "monitoring-gp3", _renamed_class),
        r"storage: prometheus server volume storageClass monitoring-gp3: no such StorageClass exists",
    ),
    "StorageClass unencrypted": (
        lambda x: _edit(x, "StorageClass", "monitoring-gp3", _unencrypted),
        r"creates unencrypted volumes",
    ),
    "StorageClass volume type the node groups do not use": (
        lambda x: _edit(x, "StorageClass", "monitoring-gp3", _io2),
        r"volume type io2 is not one the node groups use",
    ),
    "StorageClass binds volumes in a zone the nodes are not in": (
        lambda x: _edit(x, "StorageClass", "monitoring-gp3", _immediate_elsewhere),
        r"binds volumes before scheduling in zones \['ap-northeast-1d'\]",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_breaking_a_rule_is_a_one_line_configuration_error(prod_layers: Layers, case: str) -> None:
    mutate, message = BROKEN[case]
    with pytest.raises(ConfigError, match=message) as raised:
        check_cross_layer(mutate(prod_layers))
    assert "\n" not in str(raised.value)


def _design_frontend_annotations(deployment: dict[str, Any]) -> None:
    deployment["spec"]["template"]["metadata"]["annotations"] = {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": "9090",
    }


def test_the_designs_frontend_annotation_is_an_error_not_a_warning(prod_layers: Layers) -> None:
    """The design's `prometheus.io/port: "9090"` on nginx, which serves no metrics, fails the synth (README, deviations)."""
    assert check_cross_layer(prod_layers) == []
    with pytest.raises(
        ConfigError, match=r"frontend annotation prometheus.io/port 9090: no container port 9090 \(\[80\]\)"
    ):
        check_cross_layer(_edit(prod_layers, "Deployment", "frontend", _design_frontend_annotations))
