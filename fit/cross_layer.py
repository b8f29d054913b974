"""Cross-layer rules: the parts that are each valid on their own must also agree with each other.

Every rule reads the rendered objects (our cdk8s charts as plain manifests, the Helm values, the node
security group's ports from the ALB) and returns the problems it finds; `check_cross_layer` raises the
first error as a ConfigError (one line, exit 2 at synth) and returns the warnings for the synth to print.
Rules (README, "Cross-layer checks"):
- ports: Ingress backend -> Service port -> targetPort = container port -> NetworkPolicy admits it from the
  ALB subnets -> the node security group admits it from the ALB -> the ALB health-check path is a probe
  path the container serves on that port;
- metrics: every static scrape target is a Service port whose pods expose it and admit the monitoring
  namespace; every `prometheus.io/port` annotation names a container port (the design's frontend
  annotation named none and is left out: README, deviations); every HPA Pods metric has an adapter rule
  whose series comes from a scrape job;
- data: every Secret/ConfigMap key a pod reads is one the platform publishes, the database secret keys
  are ones the RDS-attached secret holds, the Redis client's scheme matches the published TLS flag; every
  PodDisruptionBudget leaves a pod evictable at the minimum replica count;
- storage: the monitoring volumes' StorageClass exists, is encrypted with a volume type the node groups
  use, and creates volumes in the zone of the pod's node (or only in zones the node group spans).
"""

from __future__ import annotations

import re

from fit.manifests import (
    Finding,
    Layers,
    container_ports,
    name_of,
    namespace_of,
    pod_spec,
    policy_admits,
    probe_paths,
    workloads_selected,
)
from fit.reachability import edges, mismatches
from names import K8sKeys, K8sNames

# The keys RDS writes into a cluster's attached credentials secret (its JSON structure).
RDS_SECRET_KEYS = frozenset({"username", "password", "host", "port", "dbname", "engine", "dbClusterIdentifier"})
ALB = "alb.ingress.kubernetes.io"


# --- rules ---------------------------------------------------------------------------------------------------


def port_rule(layers_: Layers) -> list[Finding]:
    findings = []
    for ingress in layers_.of_kind("Ingress"):
        annotations = ingress.get("metadata", {}).get("annotations", {})
        for rule in ingress.get("spec", {}).get("rules", []):
            for path in rule.get("http", {}).get("paths", []):
                backend = path["backend"]["service"]
                subject = (
                    f"Ingress {name_of(ingress)} path {path['path']} -> {backend['name']}:{backend['port']['number']}"
                )
                service = layers_.named("Service", backend["name"], namespace_of(ingress))
                if service is None:
                    findings.append(
                        Finding("ports", subject, "names no Service of this namespace", "a Service of the chart")
                    )
                    continue
                ports = {int(p["port"]): p for p in service["spec"].get("ports", [])}
                number = int(backend["port"]["number"])
                if number not in ports:
                    findings.append(Finding("ports", subject, f"Service exposes {sorted(ports)}", "one of them"))
                    continue
                target = int(ports[number].get("targetPort", number))
                pods = workloads_selected(layers_, namespace_of(service), service["spec"].get("selector", {}))
                if not pods:
                    findings.append(
                        Finding("ports", subject, "the Service selects no Deployment", "a selector of its pods")
                    )
                    continue
                for workload in pods:
                    exposed = container_ports(workload)
                    if target not in exposed:
                        findings.append(
                            Finding(
                                "ports",
                                subject,
                                f"targetPort {target} is not a container port of {name_of(workload)} ({sorted(exposed)})",
                                "the container port the app listens on",
                            )
                        )
                        continue
                    if policy_admits(layers_, workload, target) is False:
                        findings.append(
                            Finding(
                                "ports",
                                subject,
                                f"no NetworkPolicy rule of {name_of(workload)} admits port {target} from the ALB",
                                "an ingress rule for the ALB subnets on that port",
                            )
                        )
                    if target not in layers_.alb_to_node_ports:
                        findings.append(
                            Finding(
                                "ports",
                                subject,
                                f"the node security group admits {sorted(layers_.alb_to_node_ports)} from the ALB, not {target}",
                                "a node security group rule from the ALB groups on the target port (stacks/network.py)",
                            )
                        )
                    health = (
                        service.get("metadata", {})
                        .get("annotations", {})
                        .get(f"{ALB}/healthcheck-path", annotations.get(f"{ALB}/healthcheck-path", "/"))
                    )
                    probes = probe_paths(workload, target)
                    if health not in probes:
                        findings.append(
                            Finding(
                                "ports",
                                subject,
                                f"ALB health-check path {health} is not a probe path of {name_of(workload)} on "
                                f"{target} ({sorted(probes)})",
                                "a path the container serves as its readiness or liveness probe",
                            )
                        )
    return findings


_STATIC_TARGET = re.compile(r"^(?P<name>[^.]+)\.(?P<namespace>[^.]+)\.svc:(?P<port>\d+)$")


def metrics_rule(layers_: Layers) -> list[Finding]:
    findings = []
    values_jobs = layers_.prometheus_values["serverFiles"]["prometheus.yml"]["scrape_configs"]
    for job in values_jobs:
        for static in job.get("static_configs", []):
            for target in static.get("targets", []):
                match = _STATIC_TARGET.match(target)
                subject = f"scrape job {job['job_name']} target {target}"
                if not match:
                    continue
                service = layers_.named("Service", match["name"], match["namespace"])
                if service is None:
                    findings.append(Finding("metrics", subject, "names no Service we render", "an exporter Service"))
                    continue
                port = int(match["port"])
                ports = {int(p["port"]): int(p.get("targetPort", p["port"])) for p in service["spec"]["ports"]}
                if port not in ports:
                    findings.append(Finding("metrics", subject, f"the Service exposes {sorted(ports)}", "one of them"))
                    continue
                for workload in workloads_selected(layers_, match["namespace"], service["spec"].get("selector", {})):
                    if ports[port] not in container_ports(workload):
                        findings.append(
                            Finding(
                                "metrics",
                                subject,
                                f"{name_of(workload)} exposes no port {ports[port]}",
                                "its metrics port",
                            )
                        )
                    elif policy_admits(layers_, workload, ports[port], from_monitoring=True) is False:
                        findings.append(
                            Finding(
                                "metrics",
                                subject,
                                f"no NetworkPolicy of {name_of(workload)} admits {ports[port]} from the monitoring namespace",
                                "an ingress rule from namespace monitoring on the metrics port",
                            )
                        )
    for workload in layers_.of_kind("Deployment"):
        annotations = workload.get("spec", {}).get("template", {}).get("metadata", {}).get("annotations", {})
        if annotations.get("prometheus.io/scrape") != "true" or "prometheus.io/port" not in annotations:
            continue
        port = int(annotations["prometheus.io/port"])
        subject = f"Deployment {namespace_of(workload)}/{name_of(workload)} annotation prometheus.io/port {port}"
        exposed = container_ports(workload)
        if port not in exposed:
            findings.append(
                Finding(
                    "metrics",
                    subject,
                    f"no container port {port} ({sorted(exposed)}): the kubernetes-pods job scrapes nothing there",
                    "a port the pod exposes, or no scrape annotation",
                )
            )
        elif policy_admits(layers_, workload, port, from_monitoring=True) is False:
            findings.append(
                Finding(
                    "metrics",
                    subject,
                    "no NetworkPolicy rule admits it from the monitoring namespace",
                    "an ingress rule from namespace monitoring on the metrics port",
                )
            )
    ksm = layers_.prometheus_values.get("kube-state-metrics", {}).get("podAnnotations", {})
    if ksm.get("prometheus.io/port") not in (None, str(layers_.kube_state_metrics_port)):
        findings.append(
            Finding(
                "metrics",
                "kube-state-metrics annotation prometheus.io/port",
                f"{ksm['prometheus.io/port']} is not its metrics port {layers_.kube_state_metrics_port}",
                str(layers_.kube_state_metrics_port),
            )
        )
    # The HPA's custom metrics: an adapter rule serves each, and a scrape job produces its series.
    rules = layers_.adapter_values.get("rules", {}).get("custom", [])
    jobs = {job["job_name"] for job in values_jobs}
    for hpa in layers_.of_kind("HorizontalPodAutoscaler"):
        for metric in hpa.get("spec", {}).get("metrics", []):
            if metric.get("type") != "Pods":
                continue
            name = metric["pods"]["metric"]["name"]
            subject = f"HPA {name_of(hpa)} metric {name}"
            serving = [r for r in rules if r.get("name", {}).get("as") == name]
            if not serving:
                findings.append(
                    Finding(
                        "metrics", subject, "no prometheus-adapter rule serves it", "a rule with name.as of that metric"
                    )
                )
                continue
            for rule in serving:
                job = re.search(r'job="([^"]+)"', rule.get("seriesQuery", ""))
                if job is None or job.group(1) not in jobs:
                    findings.append(
                        Finding(
                            "metrics",
                            subject,
                            f"the adapter's series {rule.get('seriesQuery')} comes from no scrape job",
                            ", ".join(sorted(jobs)),
                        )
                    )
    return findings


def data_rule(layers_: Layers) -> list[Finding]:
    findings = []
    published: dict[tuple[str, str], set[str]] = {}
    for external in layers_.of_kind("ExternalSecret"):
        spec = external.get("spec", {})
        published[("Secret", spec["target"]["name"])] = {d["secretKey"] for d in spec.get("data", [])}
        for item in spec.get("data", []):
            prop = item.get("remoteRef", {}).get("property")
            if spec["target"]["name"] == K8sNames.DB_CREDENTIALS_SECRET and prop not in RDS_SECRET_KEYS:
                findings.append(
                    Finding(
                        "data",
                        f"ExternalSecret {name_of(external)} key {item['secretKey']}",
                        f"reads property {prop!r}, which the RDS-attached secret does not hold",
                        ", ".join(sorted(RDS_SECRET_KEYS)),
                    )
                )
    for config_map in layers_.of_kind("ConfigMap"):
        published[("ConfigMap", name_of(config_map))] = set(config_map.get("data", {}))
    for workload in layers_.of_kind("Deployment"):
        for container in pod_spec(workload).get("containers", []):
            for env in container.get("env", []):
                source = env.get("valueFrom", {})
                for kind, ref_key in (("Secret", "secretKeyRef"), ("ConfigMap", "configMapKeyRef")):
                    ref = source.get(ref_key)
                    if ref is None:
                        continue
                    keys = published.get((kind, ref["name"]))
                    if keys is None or ref["key"] not in keys:
                        findings.append(
                            Finding(
                                "data",
                                f"Deployment {name_of(workload)} env {env['name']}",
                                f"reads {kind} {ref['name']} key {ref['key']!r}, which the platform does not publish",
                                ", ".join(sorted(keys or ())) or f"a {kind} the platform creates",
                            )
                        )
            for env in container.get("env", []):
                value = str(env.get("value", ""))
                if value.startswith(("redis://", "rediss://")):
                    app_config = layers_.named("ConfigMap", K8sNames.APP_CONFIG_MAP) or {}
                    flag = app_config.get("data", {}).get(K8sKeys.REDIS_TLS)
                    if (flag == "true") != value.startswith("rediss://"):
                        findings.append(
                            Finding(
                                "data",
                                f"Deployment {name_of(workload)} env {env['name']}",
                                f"connects with {value.split(':', 1)[0]}:// but app-config redis-tls is {flag}",
                                "rediss:// when the cache encrypts in transit (redis-tls true)",
                            )
                        )
    minimums = {
        hpa["spec"]["scaleTargetRef"]["name"]: int(hpa["spec"].get("minReplicas", 1))
        for hpa in layers_.of_kind("HorizontalPodAutoscaler")
    }
    for pdb in layers_.of_kind("PodDisruptionBudget"):
        spec = pdb.get("spec", {})
        for workload in workloads_selected(layers_, namespace_of(pdb), spec.get("selector", {}).get("matchLabels", {})):
            replicas = minimums.get(name_of(workload), int(workload.get("spec", {}).get("replicas", 1)))
            if "maxUnavailable" in spec:
                evictable = int(spec["maxUnavailable"])
            else:
                evictable = replicas - int(spec.get("minAvailable", 0))
            if evictable < 1:
                findings.append(
                    Finding(
                        "data",
                        f"PodDisruptionBudget {name_of(pdb)}",
                        f"leaves {evictable} of {name_of(workload)}'s {replicas} minimum replicas evictable: node drains "
                        "and scale-downs would block",
                        "maxUnavailable >= 1, or minAvailable below the minimum replicas",
                    )
                )
    return findings


def storage_rule(layers_: Layers) -> list[Finding]:
    findings = []
    values = layers_.prometheus_values
    claims = {
        "prometheus server": values.get("server", {}).get("persistentVolume", {}),
        "alertmanager": values.get("alertmanager", {}).get("persistence", {}),
    }
    for owner, volume in claims.items():
        if not volume.get("enabled"):
            continue
        name = volume.get("storageClass")
        subject = f"{owner} volume storageClass {name}"
        storage_class = layers_.named("StorageClass", str(name))
        if storage_class is None:
            classes = [name_of(s) for s in layers_.of_kind("StorageClass")]
            findings.append(Finding("storage", subject, "no such StorageClass exists", ", ".join(classes) or "none"))
            continue
        params = storage_class.get("parameters", {})
        if params.get("encrypted") != "true":
            findings.append(Finding("storage", subject, "creates unencrypted volumes", 'parameters.encrypted "true"'))
        if params.get("type") not in layers_.node_volume_types:
            findings.append(
                Finding(
                    "storage",
                    subject,
                    f"volume type {params.get('type')} is not one the node groups use",
                    ", ".join(sorted(layers_.node_volume_types)),
                )
            )
        if storage_class.get("volumeBindingMode") != "WaitForFirstConsumer":
            zones = {
                value
                for topology in storage_class.get("allowedTopologies", [])
                for expression in topology.get("matchLabelExpressions", [])
                for value in expression.get("values", [])
            }
            if not zones or not zones <= set(layers_.zones):
                findings.append(
                    Finding(
                        "storage",
                        subject,
                        f"binds volumes before scheduling in zones {sorted(zones) or 'any'}, which the system nodes "
                        f"({', '.join(layers_.zones)}) may not reach",
                        "volumeBindingMode WaitForFirstConsumer, or allowedTopologies within the node group's zones",
                    )
                )
    return findings


def mesh_rule(layers_: Layers) -> list[Finding]:
    """A workload port one layer (NetworkPolicy, Istio) admits a peer on while the other refuses it."""
    if not layers_.meshed_namespaces:
        return []
    return [
        Finding(
            "mesh",
            f"{edge.source} -> {edge.target}:{edge.port}",
            "the NetworkPolicy admits it, the Istio policies refuse it"
            if edge.network_policy
            else "the Istio policies allow it, the NetworkPolicy refuses it",
            "both layers from the one access declaration (k8s_charts/mesh_policy.py)",
        )
        for edge in mismatches(edges(layers_.objects, layers_.mesh_peers, set(layers_.meshed_namespaces)))
    ]


RULES = (port_rule, metrics_rule, data_rule, storage_rule, mesh_rule)


def findings(layers_: Layers) -> list[Finding]:
    return [finding for rule in RULES for finding in rule(layers_)]


def check_cross_layer(layers_: Layers) -> list[str]:
    """Raise the first error as a ConfigError; return the warnings (one line each)."""
    found = findings(layers_)
    for finding in found:
        if not finding.warning:
            raise finding.error()
    return [finding.message() for finding in found]
