"""Configuration validation: every bad value stops the build with one line naming key, value and what is allowed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from config import ConfigError, available_environments, image_tag_override, load_config
from config.schema import LOG_RETENTION_DAYS

ROOT = Path(__file__).resolve().parent.parent


def error_for(env: str = "prod", **overrides: Any) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(env, overrides=overrides, environ={})
    message = str(caught.value)
    assert "\n" not in message, "configuration errors are one line"
    return message


def test_environments_are_prod_and_dev() -> None:
    assert available_environments() == ["dev", "prod"]


def test_default_environment_is_prod() -> None:
    config = load_config(environ={})
    assert config.name == "prod"
    assert config.is_production


def test_dev_inherits_from_prod_and_is_cheaper() -> None:
    prod, dev = load_config("prod", environ={}), load_config("dev", environ={})
    assert dev.network.vpc_cidr == prod.network.vpc_cidr
    assert dev.network.nat_gateways == 1
    assert prod.network.nat_gateways == 2
    assert dev.database.writer_instance_class == "db.t4g.medium"
    assert dev.database.deletion_protection is False


def test_account_from_config_and_cdk_default_account_overrides_it() -> None:
    assert load_config("prod", environ={}).account == "111111111111"
    assert load_config("prod", environ={"CDK_DEFAULT_ACCOUNT": "210987654321"}).account == "210987654321"


def test_image_tag_override_sets_both_images() -> None:
    config = load_config("prod", overrides=image_tag_override("abc1234"), environ={})
    assert config.workloads.frontend_image.tag == config.workloads.backend_image.tag == "abc1234"


def test_unknown_environment() -> None:
    assert error_for("staging") == "env: unknown environment 'staging' (allowed: dev, prod)"


def test_unknown_top_level_key() -> None:
    message = error_for(colour="blue")
    assert message.startswith("colour: unknown key (allowed: account, backup, cache, cicd,")


def test_unknown_nested_key() -> None:
    message = error_for(network={"vpc_cidrs": "10.0.0.0/16"})
    assert message.startswith("network.vpc_cidrs: unknown key (allowed: app_subnet_cidrs, availability_zones,")


def test_missing_key(tmp_path: Path) -> None:
    (tmp_path / "bare.yaml").write_text("account: '123456789012'\n")
    with pytest.raises(ConfigError) as caught:
        load_config("bare", config_dir=tmp_path, environ={})
    lines = caught.value.lines
    assert lines[0] == "region: is missing (allowed: a string)"
    # Every missing key in one run, each on its own line.
    assert [line.split(":")[0] for line in lines] == [
        "region",
        "project",
        "environment_tag",
        "termination_protection",
        "network",
        "eks",
        "database",
        "cache",
        "edge",
        "workloads",
        "monitoring",
        "backup",
        "cicd",
    ]


def test_malformed_cidr() -> None:
    assert error_for(network={"vpc_cidr": "10.0.0.0/33"}) == (
        "network.vpc_cidr: invalid value '10.0.0.0/33' (allowed: an IPv4 CIDR block with no host bits set, e.g. 10.0.1.0/24)"
    )


def test_cidr_with_host_bits() -> None:
    message = error_for(network={"app_subnet_cidrs": ["10.0.10.5/24", "10.0.11.0/24"]})
    assert message.startswith("network.app_subnet_cidrs[0]: invalid value '10.0.10.5/24'")


def test_overlapping_subnets() -> None:
    assert error_for(network={"cache_subnet_cidrs": ["10.0.30.0/24", "10.0.20.0/23"]}) == (
        "network.cache_subnet_cidrs[1]: subnet 10.0.20.0/23 overlaps network.database_subnet_cidrs[0] (10.0.20.0/24)"
        " (allowed: non-overlapping CIDRs)"
    )


def test_subnet_outside_vpc() -> None:
    assert error_for(network={"public_subnet_cidrs": ["10.0.1.0/24", "10.1.2.0/24"]}) == (
        "network.public_subnet_cidrs[1]: subnet 10.1.2.0/24 lies outside the VPC 10.0.0.0/16 (allowed: a CIDR inside 10.0.0.0/16)"
    )


def test_az_count_differs_from_subnet_count() -> None:
    assert error_for(network={"app_subnet_cidrs": ["10.0.10.0/24"]}) == (
        "network.app_subnet_cidrs: has 1 CIDRs for 2 availability zones (allowed: exactly one CIDR per availability zone)"
    )


def test_zone_outside_region() -> None:
    message = error_for(network={"availability_zones": ["ap-northeast-1a", "us-east-1c"]})
    assert message == (
        "network.availability_zones: 'us-east-1c' is not a zone of region ap-northeast-1 "
        "(allowed: ap-northeast-1a, ap-northeast-1c, ...)"
    )


def test_more_nat_gateways_than_zones() -> None:
    assert (
        error_for(network={"nat_gateways": 3})
        == "network.nat_gateways: invalid value 3 (allowed: an integer from 1 to 2)"
    )


def _node_groups(**app_nodes: Any) -> dict[str, Any]:
    prod = load_config("prod", environ={})
    groups = []
    for group in prod.eks.node_groups:
        data = {
            "name": group.name,
            "instance_type": group.instance_type,
            "desired_size": group.desired_size,
            "min_size": group.min_size,
            "max_size": group.max_size,
            "volume_size_gib": group.volume_size_gib,
            "volume_type": group.volume_type,
            "labels": dict(group.labels),
        }
        if group.name == "app-nodes":
            data.update(app_nodes)
        groups.append(data)
    return {"node_groups": groups}


def test_min_greater_than_desired() -> None:
    assert error_for(eks=_node_groups(min_size=4)) == (
        "eks.node_groups.app-nodes.desired_size: min_size 4 <= desired_size 3 <= max_size 10 does not hold"
        " (allowed: min_size <= desired_size <= max_size)"
    )


def test_desired_greater_than_max() -> None:
    message = error_for(eks=_node_groups(desired_size=11))
    assert message.startswith("eks.node_groups.app-nodes.desired_size: min_size 2 <= desired_size 11 <= max_size 10")


def test_bad_instance_type_format() -> None:
    assert error_for(eks=_node_groups(instance_type="t3-medium")) == (
        "eks.node_groups.app-nodes.instance_type: invalid value 't3-medium' (allowed: an EC2 instance type such as t3.medium)"
    )


def test_log_retention_out_of_range() -> None:
    message = error_for(network={"flow_log_retention_days": 42})
    assert (
        message
        == f"network.flow_log_retention_days: invalid value 42 (allowed: {', '.join(map(str, LOG_RETENTION_DAYS))})"
    )


def test_wrong_type_for_an_integer() -> None:
    assert error_for(network={"nat_gateways": "two"}) == "network.nat_gateways: expected an integer, got 'two'"


def test_wrong_type_for_a_boolean() -> None:
    assert error_for(termination_protection="yes") == "termination_protection: expected true or false, got 'yes'"


def test_certificate_without_domain() -> None:
    arn = "arn:aws:acm:ap-northeast-1:111111111111:certificate/12345678-1234-1234-1234-123456789012"
    message = error_for("dev", workloads={"alb_certificate_arn": arn})
    assert message == (
        "edge.domain_name: is missing but workloads.alb_certificate_arn is set: a certificate needs the domain it is "
        "issued for (allowed: a DNS name such as tech-lib.example.com, or no alb_certificate_arn)"
    )


def test_bad_account() -> None:
    assert error_for(account="12345") == "account: invalid value '12345' (allowed: 12 digits (or CDK_DEFAULT_ACCOUNT))"


def test_latest_image_tag_in_prod() -> None:
    message = error_for(workloads={"backend_image": {"tag": "latest"}})
    assert message.startswith("workloads.backend_image.tag: 'latest' is not a release (allowed:")


def test_unsupported_kubernetes_version() -> None:
    assert error_for(eks={"kubernetes_version": "1.27"}) == (
        "eks.kubernetes_version: invalid value '1.27' (allowed: 1.29, 1.36)"
    )


def test_dr_region_equal_to_primary() -> None:
    assert error_for(backup={"dr_region": "ap-northeast-1"}) == (
        "backup.dr_region: 'ap-northeast-1' is the primary region (allowed: a second region, e.g. ap-northeast-3)"
    )


def test_extends_cycle(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("extends: b\n")
    (tmp_path / "b.yaml").write_text("extends: a\n")
    with pytest.raises(ConfigError, match=r"^extends: cycle a -> b -> a"):
        load_config("a", config_dir=tmp_path, environ={})


def test_invalid_yaml(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("network: [unclosed\n")
    with pytest.raises(ConfigError, match=r"^broken.yaml: is not valid YAML"):
        load_config("broken", config_dir=tmp_path, environ={})


@pytest.mark.validators  # the app in its own process
def test_app_reports_a_configuration_error_in_one_line_without_traceback() -> None:
    """What `cdk synth -c env=staging` shows: the CLI runs app.py with the context in CDK_CONTEXT_JSON."""
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps({"env": "staging"}), "CDK_OUTDIR": "/tmp/unused-cdk-out"}
    result = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == ["configuration error: env: unknown environment 'staging' (allowed: dev, prod)"]
