"""CacheStack: the seed's ElastiCache replication group (Redis 7, two nodes, Multi-AZ), its parameter
and subnet groups, KMS key, generated AUTH token and slow-log group.

Deviation from the seed (README, deviations): the parameter group family `redis7.x` does not exist; it is
`redis7` (derived from the configured engine and version, so valkey stays selectable).
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_elasticache as elasticache
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from config import AppConfig
from findings import nag_acknowledge
from names import Ports
from stacks.base import TechLibStack
from stacks.constructs.stateful import DataKey, Removal
from stacks.network import NetworkStack

# ElastiCache AUTH tokens: 16-128 printable characters without @, " or /. Letters and digits only,
# so the token also survives shells, URLs and environment variables unquoted.
AUTH_TOKEN_LENGTH = 64
# cdk-nag's NIST 800-53 R5 ElastiCacheRedisClusterAutomaticBackup asks for at least this many days of snapshots.
NIST_SNAPSHOT_RETENTION_DAYS = 15


class CacheStack(TechLibStack):
    """ElastiCache replication group in the cache subnets, reachable on 6379 from the EKS nodes only."""

    def __init__(self, scope: Construct, id_: str, *, config: AppConfig, network: NetworkStack, **kwargs: Any) -> None:
        super().__init__(
            scope,
            id_,
            config=config,
            stateful=True,
            description="tech-lib cache: ElastiCache replication group, parameter group, KMS key, AUTH token",
            **kwargs,
        )
        cache = config.cache
        prefix = config.resource_prefix
        removal = Removal.configured(cache.removal_policy)
        self.replication_group_id = f"{prefix}-redis"

        data_key = DataKey(
            self,
            "CacheKey",
            alias=f"alias/{prefix}/cache",
            description=f"Encrypts the {prefix} ElastiCache data at rest, its AUTH token and its slow log",
            removal_policy=removal.dependents,
            log_group_prefix=f"/aws/elasticache/{self.replication_group_id}",
        )
        self.kms_key = data_key.key

        self.auth_token_secret = secretsmanager.Secret(
            self,
            "AuthToken",
            secret_name=f"{prefix}/redis/auth-token",
            description=f"AUTH token of the {self.replication_group_id} replication group",
            encryption_key=self.kms_key,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=AUTH_TOKEN_LENGTH, exclude_punctuation=True, include_space=False
            ),
            removal_policy=removal.dependents,
        )
        no_rotation = (
            "An ElastiCache AUTH token changes only through ModifyReplicationGroup (AuthTokenUpdateStrategy ROTATE/SET); "
            "a Secrets Manager rotation would leave the replication group's AuthToken drifting from the template. "
            "Rotate by replacing the secret value and redeploying."
        )
        nag_acknowledge(self.auth_token_secret, "AwsSolutions-SMG4", no_rotation)
        nag_acknowledge(self.auth_token_secret, "NIST.800.53.R5-SecretsManagerRotationEnabled", no_rotation)

        self.slow_log_group = data_key.log_group(
            "SlowLogGroup", name="slow-log", retention_days=cache.log_retention_days
        )

        subnet_group = elasticache.CfnSubnetGroup(
            self,
            "SubnetGroup",
            description="Subnet group for Tech Library Redis",
            cache_subnet_group_name=f"{prefix}-redis-subnet-group",
            subnet_ids=network.vpc.select_subnets(subnet_group_name=network.cache_subnets.subnet_group_name).subnet_ids,
        )
        parameter_group = elasticache.CfnParameterGroup(
            self,
            "ParameterGroup",
            cache_parameter_group_family=cache.parameter_group_family,
            description="Parameter group for Tech Library Redis",
            properties={
                "maxmemory-policy": cache.maxmemory_policy,
                "timeout": str(cache.timeout_seconds),
                "tcp-keepalive": str(cache.tcp_keepalive_seconds),
            },
        )

        self.replication_group = elasticache.CfnReplicationGroup(
            self,
            "ReplicationGroup",
            replication_group_description="Redis cluster for Tech Library",
            replication_group_id=self.replication_group_id,
            engine=cache.engine,
            engine_version=cache.engine_version,
            cache_node_type=cache.node_type,
            num_cache_clusters=cache.num_cache_clusters,
            port=Ports.REDIS,
            cache_subnet_group_name=subnet_group.ref,
            cache_parameter_group_name=parameter_group.ref,
            security_group_ids=[network.redis_security_group.security_group_id],
            at_rest_encryption_enabled=True,
            kms_key_id=self.kms_key.key_arn,
            transit_encryption_enabled=True,
            # A CloudFormation dynamic reference: the token never appears in the template.
            auth_token=self.auth_token_secret.secret_value.unsafe_unwrap(),
            snapshot_retention_limit=cache.snapshot_retention_days,
            snapshot_window=cache.snapshot_window,
            preferred_maintenance_window=cache.preferred_maintenance_window,
            # Failover and Multi-AZ need a replica; a single-node group (dev) must have both off.
            automatic_failover_enabled=cache.automatic_failover,
            multi_az_enabled=cache.automatic_failover,
            auto_minor_version_upgrade=True,
            log_delivery_configurations=[
                elasticache.CfnReplicationGroup.LogDeliveryConfigurationRequestProperty(
                    destination_type="cloudwatch-logs",
                    destination_details=elasticache.CfnReplicationGroup.DestinationDetailsProperty(
                        cloud_watch_logs_details=elasticache.CfnReplicationGroup.CloudWatchLogsDestinationDetailsProperty(
                            log_group=self.slow_log_group.log_group_name
                        )
                    ),
                    log_format="json",
                    log_type="slow-log",
                )
            ],
            tags=[cdk.CfnTag(key="Name", value=f"{prefix}-redis-cluster")],
        )
        self.replication_group.apply_removal_policy(removal.data)

        self.primary_endpoint_address: str = self.replication_group.attr_primary_end_point_address
        self.reader_endpoint_address: str = self.replication_group.attr_reader_end_point_address
        self.port: int = Ports.REDIS

        nag_acknowledge(
            self.replication_group,
            "AwsSolutions-AEC5",
            "The design document fixes Redis's default port 6379 (apps and the exporter use it); the group is private "
            "and its security group admits only the EKS nodes.",
        )
        if cache.snapshot_retention_days < NIST_SNAPSHOT_RETENTION_DAYS:
            nag_acknowledge(
                self.replication_group,
                "NIST.800.53.R5-ElastiCacheRedisClusterAutomaticBackup",
                f"Daily snapshots are kept {cache.snapshot_retention_days} day(s) by configuration "
                "(cache.snapshot_retention_days; the design document fixes 3 for prod): Redis is the application's "
                f"cache (maxmemory-policy {cache.maxmemory_policy}); the data of record is Aurora's, which AWS Backup "
                "protects.",
            )
        if not cache.automatic_failover:
            nag_acknowledge(
                self.replication_group,
                "AwsSolutions-AEC4",
                f"A single-node group in the {config.name} environment by configuration: Multi-AZ needs a replica.",
            )
