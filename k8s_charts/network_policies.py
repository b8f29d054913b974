"""NetworkPolicies shared by several charts."""

from __future__ import annotations

from cdk8s_plus_36 import k8s
from constructs import Construct

from names import K8sNames


def metrics_only_from_monitoring(
    scope: Construct, id_: str, *, name: str, labels: dict[str, str], selector: dict[str, str], port: k8s.IntOrString
) -> k8s.KubeNetworkPolicy:
    """Admit only the monitoring namespace (Prometheus) to a pod's metrics port.

    Enforced once the VPC CNI's network policy agent is on; a no-op until then.
    """
    return k8s.KubeNetworkPolicy(
        scope,
        id_,
        metadata=k8s.ObjectMeta(name=name, labels=labels),
        spec=k8s.NetworkPolicySpec(
            pod_selector=k8s.LabelSelector(match_labels=selector),
            policy_types=["Ingress"],
            ingress=[
                k8s.NetworkPolicyIngressRule(
                    from_=[
                        k8s.NetworkPolicyPeer(
                            namespace_selector=k8s.LabelSelector(
                                match_labels={"kubernetes.io/metadata.name": K8sNames.MONITORING_NAMESPACE}
                            )
                        )
                    ],
                    ports=[k8s.NetworkPolicyPort(protocol="TCP", port=port)],
                )
            ],
        ),
    )
