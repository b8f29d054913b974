"""DatabaseStack: the seed's Aurora PostgreSQL cluster (writer + reader), its parameter group,
KMS key, generated and rotated credentials, and its PostgreSQL log group.

Deviations from the seed (README, deviations): engine 15.4 is retired, so the newest 15.x the pinned
aws-cdk-lib offers; the reader is db.r6g.large (db.r6g.medium does not exist for Aurora);
the password is generated in Secrets Manager and rotated instead of being a template parameter.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_rds as rds
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from config import AppConfig
from config.aurora import engine_version_attribute
from findings import nag_acknowledge
from names import Ports
from stacks.base import TechLibStack
from stacks.constructs.stateful import DataKey, Removal
from stacks.network import NetworkStack

PERFORMANCE_INSIGHTS_RETENTION = {
    7: rds.PerformanceInsightRetention.DEFAULT,
    731: rds.PerformanceInsightRetention.LONG_TERM,
}
# The log type Aurora PostgreSQL exports (the seed's EnableCloudwatchLogsExports).
POSTGRESQL_LOG = "postgresql"


def performance_insights_retention(days: int) -> rds.PerformanceInsightRetention:
    if days in PERFORMANCE_INSIGHTS_RETENTION:
        return PERFORMANCE_INSIGHTS_RETENTION[days]
    member: rds.PerformanceInsightRetention = getattr(rds.PerformanceInsightRetention, f"MONTHS_{days // 31}")
    return member


class DatabaseStack(TechLibStack):
    """Aurora PostgreSQL in the database subnets, reachable on 5432 from the EKS nodes and its own rotation function."""

    def __init__(self, scope: Construct, id_: str, *, config: AppConfig, network: NetworkStack, **kwargs: Any) -> None:
        super().__init__(
            scope,
            id_,
            config=config,
            stateful=True,
            description="tech-lib database: Aurora PostgreSQL 15 cluster, parameter group, KMS key, credentials",
            **kwargs,
        )
        db = config.database
        prefix = config.resource_prefix
        removal = Removal.configured(db.removal_policy)
        self.cluster_identifier = f"{prefix}-db-cluster"

        data_key = DataKey(
            self,
            "DatabaseKey",
            alias=f"alias/{prefix}/database",
            description=f"Encrypts the {prefix} Aurora cluster, its snapshots, Performance Insights, credentials and logs",
            removal_policy=removal.dependents,
            # Where RDS exports the cluster's logs.
            log_group_prefix=f"/aws/rds/cluster/{self.cluster_identifier}",
        )
        self.kms_key = data_key.key
        # Before the cluster (it depends on the group): RDS then exports into it instead of creating its own.
        self.log_group = data_key.log_group(
            "PostgresqlLogGroup", name=POSTGRESQL_LOG, retention_days=db.log_retention_days
        )

        self.credentials_secret = credentials_secret = rds.DatabaseSecret(
            self,
            "Credentials",
            username=db.master_username,
            dbname=db.database_name,
            secret_name=f"{prefix}/database/credentials",
            encryption_key=self.kms_key,
        )
        credentials_secret.apply_removal_policy(removal.dependents)

        engine = rds.DatabaseClusterEngine.aurora_postgres(
            version=getattr(rds.AuroraPostgresEngineVersion, engine_version_attribute(db.engine_version))
        )
        parameter_group = rds.ParameterGroup(
            self,
            "ClusterParameterGroup",
            engine=engine,
            description="Parameter group for Tech Library DB Cluster",
            parameters={
                "shared_preload_libraries": "pg_stat_statements,auto_explain",
                "log_statement": "all",
                "log_min_duration_statement": str(db.log_min_duration_statement_ms),
                # The single source of the connection limit: monitoring derives its alert threshold from it.
                "max_connections": str(db.max_connections),
                "work_mem": db.work_mem,
            },
        )
        subnet_group = rds.SubnetGroup(
            self,
            "SubnetGroup",
            description="Subnet group for Tech Library DB",
            vpc=network.vpc,
            vpc_subnets=network.database_subnets,
            subnet_group_name=f"{prefix}-db-subnet-group",
            removal_policy=removal.dependents,
        )
        cdk.Tags.of(subnet_group).add("Name", f"{prefix}-db-subnet-group")

        # Enhanced monitoring is switched off with interval 0, and RDS rejects a role without an interval.
        self.monitoring_role: iam.Role | None = None
        if db.monitoring_interval_seconds:
            self.monitoring_role = iam.Role(
                self,
                "EnhancedMonitoringRole",
                assumed_by=iam.ServicePrincipal("monitoring.rds.amazonaws.com"),
                description="Lets RDS enhanced monitoring publish OS metrics to CloudWatch Logs",
                managed_policies=[
                    iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AmazonRDSEnhancedMonitoringRole")
                ],
            )
            nag_acknowledge(
                self.monitoring_role,
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]",
                "AWS's own policy for the enhanced-monitoring role: it grants exactly the RDSOSMetrics log writes RDS needs and tracks AWS changes.",
            )

        pi_retention = performance_insights_retention(db.performance_insights_retention_days)

        def instance(name: str, instance_class: str) -> rds.IClusterInstance:
            return rds.ClusterInstance.provisioned(
                name,
                instance_type=ec2.InstanceType(instance_class.removeprefix("db.")),
                publicly_accessible=False,
                auto_minor_version_upgrade=True,
                enable_performance_insights=True,
                performance_insight_retention=pi_retention,
                performance_insight_encryption_key=self.kms_key,
            )

        self.reader_ids = [f"Reader{index + 1}" for index in range(db.reader_count)]
        self.cluster = rds.DatabaseCluster(
            self,
            "Cluster",
            engine=engine,
            cluster_identifier=self.cluster_identifier,
            default_database_name=db.database_name,
            credentials=rds.Credentials.from_secret(credentials_secret),
            writer=instance("Writer", db.writer_instance_class),
            readers=[instance(reader_id, db.reader_instance_class) for reader_id in self.reader_ids],
            parameter_group=parameter_group,
            vpc=network.vpc,
            subnet_group=subnet_group,
            security_groups=[network.database_security_group],
            port=Ports.POSTGRES,
            backup=rds.BackupProps(
                retention=cdk.Duration.days(db.backup_retention_days),
                preferred_window=db.preferred_backup_window,
            ),
            preferred_maintenance_window=db.preferred_maintenance_window,
            storage_encrypted=True,
            storage_encryption_key=self.kms_key,
            cloudwatch_logs_exports=[POSTGRESQL_LOG],
            deletion_protection=db.deletion_protection,
            copy_tags_to_snapshot=True,
            iam_authentication=True,
            monitoring_interval=cdk.Duration.seconds(db.monitoring_interval_seconds) if self.monitoring_role else None,
            monitoring_role=self.monitoring_role,
            enable_performance_insights=True,
            performance_insight_retention=pi_retention,
            performance_insight_encryption_key=self.kms_key,
            removal_policy=removal.data,
        )
        self.cluster.node.add_dependency(self.log_group)
        cdk.Tags.of(self.cluster).add("Name", f"{prefix}-db-cluster")
        cdk.Tags.of(self.cluster.node.find_child("Writer")).add("Name", f"{prefix}-db-primary", priority=200)
        for index, reader_id in enumerate(self.reader_ids):
            suffix = "" if index == 0 else f"-{index + 1}"
            cdk.Tags.of(self.cluster.node.find_child(reader_id)).add(
                "Name", f"{prefix}-db-replica{suffix}", priority=200
            )

        assert self.cluster.secret is not None  # the cluster attaches the credentials secret
        # The attached secret: username, password, host, port, dbname, engine - what `db-credentials` carries.
        self.secret: secretsmanager.ISecret = self.cluster.secret
        self.endpoint_address: str = self.cluster.cluster_endpoint.hostname
        self.reader_endpoint_address: str = self.cluster.cluster_read_endpoint.hostname
        self.port: int = Ports.POSTGRES
        self.database_name: str = db.database_name

        self._add_rotation(network)
        self._acknowledge()

    def _add_rotation(self, network: NetworkStack) -> None:
        db = self.config.database
        if db.secret_rotation_days == 0:
            rotation_off = (
                "database.secret_rotation_days is 0 in this environment: rotation is switched off by configuration."
            )
            nag_acknowledge(self.credentials_secret, "AwsSolutions-SMG4", rotation_off)
            nag_acknowledge(self.credentials_secret, "NIST.800.53.R5-SecretsManagerRotationEnabled", rotation_off)
            return
        # Secrets Manager's hosted single-user rotation (a function it deploys through the
        # AWS::SecretsManager transform): no Lambda code of ours, no Serverless Application Repository.
        # It runs in the app subnets (NAT egress to the Secrets Manager API) with a group of its own,
        # which the database group admits on 5432 besides the nodes.
        self.rotation_security_group = ec2.SecurityGroup(
            self,
            "RotationSecurityGroup",
            vpc=network.vpc,
            security_group_name=f"{self.config.resource_prefix}-db-rotation-sg",
            description="Secrets Manager rotation function for the database credentials",
            allow_all_outbound=False,
        )
        self.rotation_security_group.add_egress_rule(
            ec2.Peer.any_ipv4(), ec2.Port.tcp(Ports.HTTPS), "Secrets Manager API through the NAT gateways"
        )
        self.rotation_security_group.connections.allow_to(
            network.database_security_group,
            ec2.Port.tcp(Ports.POSTGRES),
            "PostgreSQL from the secret rotation function",
        )
        self.rotation_schedule = self.secret.add_rotation_schedule(
            "Rotation",
            hosted_rotation=secretsmanager.HostedRotation.postgre_sql_single_user(
                function_name=f"{self.config.resource_prefix}-db-credentials-rotation",
                vpc=network.vpc,
                vpc_subnets=network.app_subnets,
                security_groups=[self.rotation_security_group],
            ),
            automatically_after=cdk.Duration.days(db.secret_rotation_days),
        )

    def _acknowledge(self) -> None:
        db = self.config.database
        nag_acknowledge(
            self.cluster,
            "AwsSolutions-RDS11",
            "The design document fixes PostgreSQL's default port 5432 (apps, exporters and the security group use it); "
            "the cluster is private and its security group admits only the EKS nodes and the rotation function.",
        )
        nag_acknowledge(
            self.cluster,
            "NIST.800.53.R5-RDSInBackupPlan",
            "The Aurora cluster is in the AWS Backup plan of the backup stack (its selection lists the cluster ARN, "
            "which covers every instance); cdk-nag looks for a backup selection in this stack only.",
        )
        if not db.monitoring_interval_seconds:
            nag_acknowledge(
                self.cluster,
                "NIST.800.53.R5-RDSEnhancedMonitoringEnabled",
                f"database.monitoring_interval_seconds is 0 in the {self.config.name} environment: enhanced monitoring "
                "(OS metrics) is switched off by configuration; RDS's CloudWatch metrics remain.",
            )
        if not db.deletion_protection:
            no_protection = (
                f"Deletion protection is off by configuration in the {self.config.name} environment (disposable data)."
            )
            nag_acknowledge(self.cluster, "AwsSolutions-RDS10", no_protection)
            nag_acknowledge(self.cluster, "NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled", no_protection)
