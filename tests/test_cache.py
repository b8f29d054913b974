"""Every fact of the seed's ElastiCache Redis section (and the issue's additions), asserted on the
synthesized CacheStack template; plus the stateful-safety locks and variants (valkey, single node)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Template

from config import load_config
from stacks.cache import CacheStack
from stacks.network import NetworkStack
from tests.conftest import Synthesized, new_app
from tests.resources import Locator
from tests.test_database import acknowledged, network_ids, output_names, props, refers_to, tag

GROUP = "ReplicationGroup"
KEY = Locator("AWS::KMS::Key")
SECRET = Locator("AWS::SecretsManager::Secret")
SUBNET_GROUP = "SubnetGroup"
PARAMETER_GROUP = "ParameterGroup"
SLOW_LOG_GROUP = Locator("AWS::Logs::LogGroup")


@pytest.fixture(scope="module")
def cache_json(prod: Synthesized) -> dict[str, Any]:
    return prod.template_json(prod.built.cache)


@pytest.fixture(scope="module")
def group(cache_json: dict[str, Any]) -> dict[str, Any]:
    return props(cache_json, GROUP)


@pytest.fixture(scope="module")
def dev_group(dev: Synthesized) -> dict[str, Any]:
    return props(dev.template_json(dev.built.cache), GROUP)


# --- the replication group --------------------------------------------------------------------------------


def test_one_replication_group_named_tech_lib_redis(cache_json: dict[str, Any], group: dict[str, Any]) -> None:
    Template.from_json(cache_json).resource_count_is("AWS::ElastiCache::ReplicationGroup", 1)
    assert group["ReplicationGroupId"] == "tech-lib-redis"
    assert group["ReplicationGroupDescription"] == "Redis cluster for Tech Library"


def test_engine_is_redis_7_1(group: dict[str, Any]) -> None:
    assert (group["Engine"], group["EngineVersion"]) == ("redis", "7.1")


def test_node_type_is_cache_r6g_large(group: dict[str, Any]) -> None:
    assert group["CacheNodeType"] == "cache.r6g.large"


def test_two_nodes_with_automatic_failover_and_multi_az(group: dict[str, Any]) -> None:
    assert group["NumCacheClusters"] == 2
    assert group["AutomaticFailoverEnabled"] is True
    assert group["MultiAZEnabled"] is True


def test_port_is_6379(group: dict[str, Any]) -> None:
    assert group["Port"] == 6379


def test_encrypted_at_rest_with_the_customer_managed_key(cache_json: dict[str, Any], group: dict[str, Any]) -> None:
    assert group["AtRestEncryptionEnabled"] is True
    assert group["KmsKeyId"] == KEY.get_att(cache_json, "Arn")
    assert props(cache_json, KEY)["EnableKeyRotation"] is True


def test_encrypted_in_transit(group: dict[str, Any]) -> None:
    assert group["TransitEncryptionEnabled"] is True


def test_auth_token_is_a_dynamic_reference_to_the_generated_secret(
    cache_json: dict[str, Any], group: dict[str, Any]
) -> None:
    assert group["AuthToken"] == {
        "Fn::Join": ["", ["{{resolve:secretsmanager:", SECRET.ref(cache_json), ":SecretString:::}}"]]
    }


def test_auth_token_is_generated_encrypted_and_valid_for_elasticache(cache_json: dict[str, Any]) -> None:
    secret = props(cache_json, SECRET)
    assert "SecretString" not in secret
    generated = secret["GenerateSecretString"]
    # ElastiCache: 16-128 characters, none of @ " / - letters and digits only here.
    assert 16 <= generated["PasswordLength"] <= 128
    assert generated["ExcludePunctuation"] is True
    assert generated["IncludeSpace"] is False
    assert "SecretStringTemplate" not in generated  # a plain string: the External Secret reads it whole
    assert secret["KmsKeyId"] == KEY.get_att(cache_json, "Arn")
    assert secret["Name"] == "tech-lib/redis/auth-token"


def test_snapshots_kept_3_days_and_windows(group: dict[str, Any]) -> None:
    assert group["SnapshotRetentionLimit"] == 3
    assert group["SnapshotWindow"] == "03:00-04:00"
    assert group["PreferredMaintenanceWindow"] == "sun:04:00-sun:05:00"


def test_name_tag_from_the_seed(group: dict[str, Any]) -> None:
    assert tag(group, "Name") == "tech-lib-redis-cluster"


# --- parameter, subnet and security groups -------------------------------------------------------------------


def test_parameter_group_family_is_redis7(cache_json: dict[str, Any], group: dict[str, Any]) -> None:
    parameters = props(cache_json, PARAMETER_GROUP)
    assert parameters["CacheParameterGroupFamily"] == "redis7"
    assert parameters["Description"] == "Parameter group for Tech Library Redis"
    assert group["CacheParameterGroupName"] == {"Ref": PARAMETER_GROUP}


@pytest.mark.parametrize(
    ("name", "value"), [("maxmemory-policy", "allkeys-lru"), ("timeout", "300"), ("tcp-keepalive", "60")]
)
def test_parameter(cache_json: dict[str, Any], name: str, value: str) -> None:
    assert props(cache_json, PARAMETER_GROUP)["Properties"][name] == value


def test_parameters_are_exactly_the_seeds_three(cache_json: dict[str, Any]) -> None:
    assert set(props(cache_json, PARAMETER_GROUP)["Properties"]) == {"maxmemory-policy", "timeout", "tcp-keepalive"}


def test_subnet_group_spans_the_two_cache_subnets(
    prod: Synthesized, cache_json: dict[str, Any], group: dict[str, Any]
) -> None:
    subnets = props(cache_json, SUBNET_GROUP)
    cache_subnets = network_ids(prod, "AWS::EC2::Subnet", **{"aws-cdk:subnet-name": "Cache"})
    assert refers_to(output_names(subnets["SubnetIds"]), cache_subnets)
    assert subnets["Description"] == "Subnet group for Tech Library Redis"
    assert group["CacheSubnetGroupName"] == {"Ref": SUBNET_GROUP}


def test_uses_the_network_stacks_redis_security_group_only(prod: Synthesized, group: dict[str, Any]) -> None:
    redis_group = network_ids(prod, "AWS::EC2::SecurityGroup", Name="tech-lib-redis-sg")
    assert refers_to(output_names(group["SecurityGroupIds"]), redis_group, "GetAtt")


def test_no_rule_opens_the_redis_group_further(cache_json: dict[str, Any]) -> None:
    types = {r["Type"] for r in cache_json["Resources"].values()}
    assert not types & {"AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroup"}


# --- slow log -------------------------------------------------------------------------------------------------


def test_slow_log_delivered_as_json_to_the_log_group(cache_json: dict[str, Any], group: dict[str, Any]) -> None:
    assert group["LogDeliveryConfigurations"] == [
        {
            "DestinationType": "cloudwatch-logs",
            "DestinationDetails": {"CloudWatchLogsDetails": {"LogGroup": SLOW_LOG_GROUP.ref(cache_json)}},
            "LogFormat": "json",
            "LogType": "slow-log",
        }
    ]


def test_slow_log_group_has_retention_and_key(cache_json: dict[str, Any]) -> None:
    log_group = props(cache_json, SLOW_LOG_GROUP)
    assert log_group["LogGroupName"] == "/aws/elasticache/tech-lib-redis/slow-log"
    assert log_group["RetentionInDays"] == 30
    assert log_group["KmsKeyId"] == KEY.get_att(cache_json, "Arn")


def test_key_lets_cloudwatch_logs_use_it_for_the_slow_log_only(cache_json: dict[str, Any]) -> None:
    statements = props(cache_json, KEY)["KeyPolicy"]["Statement"]
    (logs_statement,) = [s for s in statements if s["Principal"] == {"Service": "logs.ap-northeast-1.amazonaws.com"}]
    context = logs_statement["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
    assert context.endswith(":log-group:/aws/elasticache/tech-lib-redis/*")


# --- removal, logical ids, protection ---------------------------------------------------------------------------


def test_replication_group_removal_policy_is_snapshot(cache_json: dict[str, Any]) -> None:
    resource = cache_json["Resources"][GROUP]
    assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == ("Snapshot", "Snapshot")


@pytest.mark.parametrize("located", [KEY, SECRET, SLOW_LOG_GROUP], ids=lambda located: located.type)
def test_key_token_and_log_are_retained(cache_json: dict[str, Any], located: Locator) -> None:
    resource = located.resource(cache_json)
    assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == ("Retain", "Retain")


def test_termination_protection_in_prod_only(prod: Synthesized, dev: Synthesized) -> None:
    assert prod.built.cache.termination_protection is True
    assert dev.built.cache.termination_protection is False
    manifest = json.loads((prod.outdir / "manifest.json").read_text())
    assert manifest["artifacts"][prod.built.cache.artifact_id]["properties"]["terminationProtection"] is True


def test_exposed_attributes(cache_json: dict[str, Any], prod: Synthesized) -> None:
    stack = prod.built.cache
    assert stack.resolve(stack.primary_endpoint_address) == {"Fn::GetAtt": [GROUP, "PrimaryEndPoint.Address"]}
    assert stack.resolve(stack.reader_endpoint_address) == {"Fn::GetAtt": [GROUP, "ReaderEndPoint.Address"]}
    assert stack.port == 6379
    assert stack.resolve(stack.auth_token_secret.secret_arn) == SECRET.ref(cache_json)
    assert stack.auth_token_secret.encryption_key is stack.kms_key
    assert stack.resolve(stack.replication_group.ref) == {"Ref": GROUP}


@pytest.mark.parametrize(
    ("env", "group_rules"),
    [
        # Both keep snapshots fewer days than NIST's 15 (prod: the design document's 3).
        ("prod", {"AwsSolutions-AEC5", "NIST.800.53.R5-ElastiCacheRedisClusterAutomaticBackup"}),
        ("dev", {"AwsSolutions-AEC5", "AwsSolutions-AEC4", "NIST.800.53.R5-ElastiCacheRedisClusterAutomaticBackup"}),
    ],
)
def test_nag_acknowledgements(env: str, group_rules: set[str], synthesized: Synthesized) -> None:
    synth = synthesized
    assert acknowledged(synth, synth.built.cache) == {
        "ReplicationGroup": group_rules,
        "AuthToken": {"AwsSolutions-SMG4", "NIST.800.53.R5-SecretsManagerRotationEnabled"},
    }


# --- dev and variants -------------------------------------------------------------------------------------------


def test_dev_is_one_small_node_without_failover(dev_group: dict[str, Any]) -> None:
    assert dev_group["CacheNodeType"] == "cache.t4g.small"
    assert dev_group["NumCacheClusters"] == 1
    assert dev_group["AutomaticFailoverEnabled"] is False
    assert dev_group["MultiAZEnabled"] is False


def test_dev_keeps_one_day_of_snapshots_and_has_its_own_name(dev_group: dict[str, Any]) -> None:
    assert dev_group["SnapshotRetentionLimit"] == 1
    assert dev_group["ReplicationGroupId"] == "tech-lib-dev-redis"


def test_valkey_is_selectable_by_configuration() -> None:
    config = load_config("prod", overrides={"cache": {"engine": "valkey", "engine_version": "8.0"}})
    app = new_app()
    network = NetworkStack(app, "Network", config=config)
    stack = CacheStack(app, "Cache", config=config, network=network)
    template = Template.from_stack(stack)
    template.has_resource_properties("AWS::ElastiCache::ReplicationGroup", {"Engine": "valkey", "EngineVersion": "8.0"})
    template.has_resource_properties("AWS::ElastiCache::ParameterGroup", {"CacheParameterGroupFamily": "valkey8"})
