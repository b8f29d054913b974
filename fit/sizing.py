"""Pod resources (`PodResources`) and what the monitoring pods ask for: replicas and requests/limits.

Each figure is the value the Helm values, add-on configurations and cdk8s charts receive, so the pod inventory
(fit/inventory.py) and the capacity model read the same numbers the cluster gets. Where a figure comes from
the component's own recommendation, the comment names it; otherwise it says what it is sized for. The EKS
stack's add-ons (addons/) declare their own figures in their modules, next to the values that carry them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_CPU_RE = re.compile(r"^(\d+(?:\.\d+)?)(m?)$")
_MEMORY_UNITS = {
    "Ki": 1 / 1024,
    "Mi": 1,
    "Gi": 1024,
    "K": 1000 / 1024**2,
    "M": 1000**2 / 1024**2,
    "G": 1000**3 / 1024**2,
}
_MEMORY_RE = re.compile(r"^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$")


def cpu_millicores(quantity: str | int | float) -> int:
    """A Kubernetes CPU quantity ("250m", "1", 0.5) in millicores."""
    match = _CPU_RE.match(str(quantity))
    if not match:
        raise ValueError(f"not a CPU quantity: {quantity!r}")
    number, milli = float(match.group(1)), match.group(2)
    return round(number if milli else number * 1000)


def memory_mib(quantity: str | int) -> int:
    """A Kubernetes memory quantity ("128Mi", "1Gi", bytes) in MiB, rounded up."""
    match = _MEMORY_RE.match(str(quantity))
    if not match:
        raise ValueError(f"not a memory quantity: {quantity!r}")
    number, unit = float(match.group(1)), match.group(2)
    value = number * _MEMORY_UNITS[unit] if unit else number / 1024**2
    return -int(-value // 1)


@dataclass(frozen=True)
class PodResources:
    """Requests and limits of one pod (all its containers together when it has several)."""

    cpu_request_m: int
    memory_request_mib: int
    memory_limit_mib: int
    # No CPU limit by default: a throttled controller misses its leases; memory limits stop a leak.
    cpu_limit_m: int | None = None

    def __post_init__(self) -> None:
        if self.memory_limit_mib < self.memory_request_mib:
            raise ValueError(f"memory limit {self.memory_limit_mib}Mi below request {self.memory_request_mib}Mi")
        if self.cpu_limit_m is not None and self.cpu_limit_m < self.cpu_request_m:
            raise ValueError(f"CPU limit {self.cpu_limit_m}m below request {self.cpu_request_m}m")

    def values(self) -> dict[str, Any]:
        """As Helm values / add-on configuration (`resources:`)."""
        limits: dict[str, str] = {"memory": f"{self.memory_limit_mib}Mi"}
        if self.cpu_limit_m is not None:
            limits["cpu"] = f"{self.cpu_limit_m}m"
        return {
            "requests": {"cpu": f"{self.cpu_request_m}m", "memory": f"{self.memory_request_mib}Mi"},
            "limits": limits,
        }

    @classmethod
    def from_values(cls, resources: dict[str, Any]) -> PodResources:
        """Back from a `resources:` mapping (what a chart or manifest carries)."""
        requests, limits = resources.get("requests", {}), resources.get("limits", {})
        return cls(
            cpu_request_m=cpu_millicores(requests.get("cpu", 0)),
            memory_request_mib=memory_mib(requests.get("memory", 0)),
            memory_limit_mib=memory_mib(limits.get("memory", requests.get("memory", 0))),
            cpu_limit_m=cpu_millicores(limits["cpu"]) if "cpu" in limits else None,
        )

    def times(self, containers: int) -> PodResources:
        """The pod's total when every one of `containers` containers gets these resources."""
        return PodResources(
            cpu_request_m=self.cpu_request_m * containers,
            memory_request_mib=self.memory_request_mib * containers,
            memory_limit_mib=self.memory_limit_mib * containers,
            cpu_limit_m=None if self.cpu_limit_m is None else self.cpu_limit_m * containers,
        )

    def plus(self, other: PodResources) -> PodResources:
        return PodResources(
            cpu_request_m=self.cpu_request_m + other.cpu_request_m,
            memory_request_mib=self.memory_request_mib + other.memory_request_mib,
            memory_limit_mib=self.memory_limit_mib + other.memory_limit_mib,
            cpu_limit_m=None
            if self.cpu_limit_m is None or other.cpu_limit_m is None
            else self.cpu_limit_m + other.cpu_limit_m,
        )


# --- the Monitoring stack's EKS add-on ------------------------------------------------------------------------

# CloudWatch observability: the chart's manager default requests 100m/64Mi; agent 250m/128Mi (512Mi limit).
CLOUDWATCH_MANAGER_REPLICAS = 1
CLOUDWATCH_MANAGER = PodResources(cpu_request_m=100, memory_request_mib=64, memory_limit_mib=128)
CLOUDWATCH_AGENT = PodResources(cpu_request_m=250, memory_request_mib=128, memory_limit_mib=512, cpu_limit_m=500)

# --- monitoring Helm releases and charts ---------------------------------------------------------------------

# Prometheus: ~30 targets at 15 s, 15 days of retention; 512Mi request, 1Gi limit (the chart sets none).
PROMETHEUS_SERVER = PodResources(cpu_request_m=200, memory_request_mib=512, memory_limit_mib=1024)
# The chart's configmap-reload sidecar of the server: it only watches a directory.
CONFIGMAP_RELOAD = PodResources(cpu_request_m=10, memory_request_mib=32, memory_limit_mib=64)
# Alertmanager: the chart's commented example 10m/32Mi; a few alerts a day.
ALERTMANAGER = PodResources(cpu_request_m=10, memory_request_mib=32, memory_limit_mib=128)
# kube-state-metrics: the chart's example requests 10m/32Mi; 64Mi for a cluster of a few hundred objects.
KUBE_STATE_METRICS = PodResources(cpu_request_m=10, memory_request_mib=64, memory_limit_mib=128)
# prometheus-adapter: the chart's commented example requests 100m/128Mi; it serves one metric.
PROMETHEUS_ADAPTER = PodResources(cpu_request_m=50, memory_request_mib=128, memory_limit_mib=256)
# Grafana: the chart's commented example 100m/128Mi; Grafana 12 idles near 150Mi, so 192Mi.
GRAFANA = PodResources(cpu_request_m=100, memory_request_mib=192, memory_limit_mib=384)
# The two exporters: one query round per scrape.
EXPORTER = PodResources(cpu_request_m=50, memory_request_mib=64, memory_limit_mib=128, cpu_limit_m=200)
MONITORING_REPLICAS = 1  # single Prometheus/Alertmanager/Grafana: their volumes are ReadWriteOnce
