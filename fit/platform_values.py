"""The pod-shaping configuration of the amazon-cloudwatch-observability add-on (the Monitoring stack's).

Pure data (no CDK), below the charts: k8s_charts/cloudwatch_agent.py merges it with the agent's
configuration, and fit/inventory.py reads replicas, requests and placement back out of it. The EKS
stack's add-ons keep their values in their own modules (addons/). Every key set here exists in the
add-on's configuration schema (`aws eks describe-addon-configuration`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fit import sizing

LINUX = {"kubernetes.io/os": "linux"}


def cloudwatch_pod_configuration(*, node_selector: Mapping[str, str]) -> dict[str, Any]:
    """The pod-shaping part of the amazon-cloudwatch-observability configuration (merged with the agent's)."""
    # No replicaCount: the add-on's configuration schema does not offer the chart's root replicaCount (EKS
    # rejects the add-on), and the chart's default is CLOUDWATCH_MANAGER_REPLICAS (tests/test_cloudwatch_addon_schema.py).
    return {
        "manager": {
            "resources": sizing.CLOUDWATCH_MANAGER.values(),
            "nodeSelector": {**LINUX, **node_selector},
            "tolerations": [],
        },
        # The agent is a DaemonSet on every node; the chart's root toleration (operator: Exists) lets it
        # onto app-nodes' taint as well.
        "agent": {"resources": sizing.CLOUDWATCH_AGENT.values()},
        "tolerations": [{"operator": "Exists"}],
    }
