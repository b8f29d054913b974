"""Workload sizing: the HPA bounds, utilization targets, scaling behaviour and container requests/limits.

One `WorkloadSizing` per workload (`workloads.frontend`, `workloads.backend`); a platform component
that needs sizing gets a field of the same type in its own section.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from config.base import OneOf, Range, Section, check
from config.errors import Problem
from config.patterns import CPU_QUANTITY, MEMORY_QUANTITY

_MEMORY_UNITS = {"": 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}
_MEMORY_UNITS |= {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}


def cpu_cores(quantity: str) -> Decimal:
    return Decimal(quantity[:-1]) / 1000 if quantity.endswith("m") else Decimal(quantity)


def memory_bytes(quantity: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([A-Za-z]*)", quantity).groups()  # type: ignore[union-attr]
    return int(number) * _MEMORY_UNITS[unit]


class ComputeQuantity(Section):
    cpu: Annotated[str, CPU_QUANTITY] = Field(description="CPU, e.g. 200m.")
    memory: Annotated[str, MEMORY_QUANTITY] = Field(description="Memory, e.g. 256Mi.")


class ResourcesConfig(Section):
    requests: ComputeQuantity = Field(description="What the scheduler reserves per container.")
    limits: ComputeQuantity = Field(description="The most a container may use (at least the request).")

    @check("requests.cpu", "limits.cpu")
    def _cpu(self) -> Iterator[Problem]:
        if cpu_cores(self.requests.cpu) > cpu_cores(self.limits.cpu):
            yield Problem(
                ("requests", "cpu"),
                f"request {self.requests.cpu} exceeds the limit {self.limits.cpu}",
                "a request at most its limit",
            )

    @check("requests.memory", "limits.memory")
    def _memory(self) -> Iterator[Problem]:
        if memory_bytes(self.requests.memory) > memory_bytes(self.limits.memory):
            yield Problem(
                ("requests", "memory"),
                f"request {self.requests.memory} exceeds the limit {self.limits.memory}",
                "a request at most its limit",
            )


class ScalingPolicyConfig(Section):
    type: Annotated[str, OneOf("Percent", "Pods")] = Field(description="Percent of current pods, or a pod count.")
    value: Annotated[int, Range(1, 1000)] = Field(description="How many (percent or pods) per period.")
    period_seconds: Annotated[int, Range(1, 1800)] = Field(description="The policy's period (Kubernetes: 1-1800).")


class ScalingRulesConfig(Section):
    stabilization_window_seconds: Annotated[int, Range(0, 3600)] = Field(
        description="How long past recommendations are considered (Kubernetes: 0-3600)."
    )
    policies: tuple[ScalingPolicyConfig, ...] = Field(description="At least one policy.")
    select_policy: Annotated[str, OneOf("Max", "Min", "Disabled")] | None = Field(
        default=None, description="Which policy wins; null = the Kubernetes default (Max)."
    )

    @check("policies")
    def _policies(self) -> Iterator[Problem]:
        if not self.policies:
            yield Problem(("policies",), "is empty", "one or more policies")


class ScalingBehaviorConfig(Section):
    scale_down: ScalingRulesConfig = Field(description="How fast the HPA removes pods.")
    scale_up: ScalingRulesConfig = Field(description="How fast the HPA adds pods.")


class AutoscalingConfig(Section):
    min_replicas: Annotated[int, Range(1, 1000)] = Field(description="HPA minimum (the Deployment sets no replicas).")
    max_replicas: Annotated[int, Range(1, 1000)] = Field(description="HPA maximum.")
    cpu_utilization: Annotated[int, Range(1, 100)] = Field(description="Target average CPU, percent of the request.")
    memory_utilization: Annotated[int, Range(1, 100)] = Field(description="Target average memory, percent.")
    behavior: ScalingBehaviorConfig | None = Field(default=None, description="Scaling behaviour; null = defaults.")

    @check("min_replicas", "max_replicas")
    def _bounds(self) -> Iterator[Problem]:
        if self.min_replicas > self.max_replicas:
            yield Problem(
                ("min_replicas",),
                f"{self.min_replicas} is above max_replicas {self.max_replicas}",
                "min_replicas <= max_replicas",
            )


class WorkloadSizing(Section):
    autoscaling: AutoscalingConfig = Field(description="The workload's HorizontalPodAutoscaler.")
    resources: ResourcesConfig = Field(description="Container requests and limits.")
