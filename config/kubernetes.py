"""Kubernetes versions this project can deploy, each with its kubectl layer package and EKS support dates.

One table: config validation, the EKS stack (layer, end-of-support warning), the cluster
autoscaler image and the manifest schema validation all read it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class KubernetesVersionInfo:
    version: str
    kubectl_layer_module: str
    end_of_standard_support: datetime.date
    end_of_extended_support: datetime.date
    cluster_autoscaler_image_tag: str

    @property
    def minor(self) -> int:
        return int(self.version.split(".")[1])

    def past_standard_support(self, today: datetime.date) -> bool:
        return today > self.end_of_standard_support

    def past_extended_support(self, today: datetime.date) -> bool:
        return today > self.end_of_extended_support


# Dates from the Amazon EKS Kubernetes release calendar.
SUPPORTED_VERSIONS: dict[str, KubernetesVersionInfo] = {
    "1.29": KubernetesVersionInfo(
        version="1.29",
        kubectl_layer_module="aws_cdk.lambda_layer_kubectl_v29",
        end_of_standard_support=datetime.date(2025, 3, 23),
        end_of_extended_support=datetime.date(2026, 3, 23),
        # Release tag cluster-autoscaler-1.29.5 of kubernetes/autoscaler (2024-10-16), image registry.k8s.io/autoscaling.
        cluster_autoscaler_image_tag="v1.29.5",
    ),
    "1.36": KubernetesVersionInfo(
        version="1.36",
        kubectl_layer_module="aws_cdk.lambda_layer_kubectl_v36",
        end_of_standard_support=datetime.date(2027, 7, 31),
        end_of_extended_support=datetime.date(2028, 7, 31),
        # Release tag cluster-autoscaler-1.36.0 of kubernetes/autoscaler (2026-07-01), image registry.k8s.io/autoscaling.
        cluster_autoscaler_image_tag="v1.36.0",
    ),
}
DEFAULT_VERSION = "1.36"
