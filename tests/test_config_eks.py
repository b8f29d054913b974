"""Bad values in the `eks` configuration section: each stops the build with one line naming key and allowed values."""

from __future__ import annotations

from typing import Any

import pytest

from config import ConfigError, load_config


def error_for(env: str = "prod", **eks: Any) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(env, overrides={"eks": eks}, environ={})
    message = str(caught.value)
    assert "\n" not in message, "configuration errors are one line"
    return message


def node_groups(**changes: dict[str, Any]) -> list[dict[str, Any]]:
    """prod's node groups as configuration data, with per-group field changes (None drops a group)."""
    groups = []
    for group in load_config("prod", environ={}).eks.node_groups:
        data: dict[str, Any] = {
            "name": group.name,
            "instance_type": group.instance_type,
            "desired_size": group.desired_size,
            "min_size": group.min_size,
            "max_size": group.max_size,
            "volume_size_gib": group.volume_size_gib,
            "volume_type": group.volume_type,
            "labels": dict(group.labels),
            "taints": [{"key": t.key, "value": t.value, "effect": t.effect} for t in group.taints],
        }
        change = changes.get(group.name.replace("-", "_"), {})
        if change is None:
            continue
        data.update(change)
        groups.append(data)
    return groups


def test_prod_eks_is_the_seeds_cluster() -> None:
    eks = load_config("prod", environ={}).eks
    assert eks.cluster_name == "tech-lib-cluster"
    assert eks.endpoint_public_access_cidrs == ("0.0.0.0/0",)
    assert eks.control_plane_log_types == ("api", "audit", "authenticator", "controllerManager", "scheduler")
    assert [g.name for g in eks.node_groups] == ["app-nodes", "system-nodes"]


def test_dev_cluster_has_its_own_name() -> None:
    assert load_config("dev", environ={}).eks.cluster_name == "tech-lib-dev-cluster"


def test_version_1_29_is_still_selectable() -> None:
    assert (
        load_config("prod", overrides={"eks": {"kubernetes_version": "1.29"}}, environ={}).eks.kubernetes_version
        == "1.29"
    )


def test_unsupported_version_lists_the_supported_ones() -> None:
    assert error_for(kubernetes_version="1.30") == (
        "eks.kubernetes_version: invalid value '1.30' (allowed: 1.29, 1.36)"
    )


def test_unknown_upgrade_policy() -> None:
    assert error_for(upgrade_policy="LTS") == "eks.upgrade_policy: invalid value 'LTS' (allowed: STANDARD, EXTENDED)"


def test_public_access_cidr_with_host_bits() -> None:
    assert error_for(endpoint_public_access_cidrs=["203.0.113.7/24"]).startswith(
        "eks.endpoint_public_access_cidrs[0]: invalid value '203.0.113.7/24'"
    )


def test_no_public_access_cidr() -> None:
    assert error_for(endpoint_public_access_cidrs=[]) == (
        "eks.endpoint_public_access_cidrs: invalid value [] (allowed: at least one CIDR (0.0.0.0/0 for any))"
    )


def test_admin_role_given_as_an_arn() -> None:
    assert error_for(admin_role_name="arn:aws:iam::111111111111:role/admin") == (
        "eks.admin_role_name: invalid value 'arn:aws:iam::111111111111:role/admin' "
        "(allowed: an IAM role name in the target account)"
    )


def test_unknown_control_plane_log_type() -> None:
    assert error_for(control_plane_log_types=["api", "controller"]) == (
        "eks.control_plane_log_types[1]: invalid value 'controller' "
        "(allowed: api, audit, authenticator, controllerManager, scheduler)"
    )


def test_repeated_control_plane_log_type() -> None:
    assert error_for(control_plane_log_types=["api", "api"]) == (
        "eks.control_plane_log_types: invalid value ['api', 'api'] (allowed: distinct log types)"
    )


def test_control_plane_log_retention_cloudwatch_does_not_offer() -> None:
    assert error_for(control_plane_log_retention_days=45).startswith(
        "eks.control_plane_log_retention_days: invalid value 45 (allowed: 1, 3, 5, 7, 14, 30, 60, 90,"
    )


def test_system_nodes_group_is_required() -> None:
    assert error_for(node_groups=node_groups(system_nodes=None)) == (
        "eks.node_groups: has no group named system-nodes (allowed: app-nodes and system-nodes among others)"
    )


def test_duplicate_node_group_names() -> None:
    groups = node_groups(system_nodes={"name": "app-nodes"})
    assert error_for(node_groups=groups) == (
        "eks.node_groups: invalid value ['app-nodes', 'app-nodes'] "
        "(allowed: one or more node groups with distinct names)"
    )


def test_node_volume_below_the_al2023_root_minimum() -> None:
    assert error_for(node_groups=node_groups(system_nodes={"volume_size_gib": 8})) == (
        "eks.node_groups.system-nodes.volume_size_gib: invalid value 8 (allowed: an integer from 20 to 16384)"
    )


def test_unknown_node_volume_type() -> None:
    assert error_for(node_groups=node_groups(app_nodes={"volume_type": "standard"})) == (
        "eks.node_groups.app-nodes.volume_type: invalid value 'standard' (allowed: gp3, gp2, io1, io2)"
    )


def test_unknown_taint_effect() -> None:
    taints = [{"key": "app", "value": "true", "effect": "NoScheduling"}]
    assert error_for(node_groups=node_groups(app_nodes={"taints": taints})) == (
        "eks.node_groups.app-nodes.taints[0].effect: invalid value 'NoScheduling' "
        "(allowed: NoSchedule, PreferNoSchedule, NoExecute)"
    )


def test_label_value_kubernetes_rejects() -> None:
    assert error_for(node_groups=node_groups(app_nodes={"labels": {"node-type": "app nodes"}})) == (
        "eks.node_groups.app-nodes.labels.node-type: invalid value 'app nodes' (allowed: a Kubernetes label value)"
    )
