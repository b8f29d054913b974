"""Every fact of the seed's RDS PostgreSQL section (and the issue's additions), asserted on the
synthesized DatabaseStack template; plus the stateful-safety locks and the secret-literal scan."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_rds as rds
from aws_cdk.assertions import Match, Template

from config import load_config
from config.aurora import SUPPORTED_ENGINE_VERSIONS, engine_version_attribute
from stacks.aspects import add_validation_plugins
from stacks.database import DatabaseStack
from stacks.network import NetworkStack
from tests.conftest import Synthesized, new_app
from tests.resources import Locator, name_tag

CLUSTER = Locator("AWS::RDS::DBCluster")
# The writer is the instance first in the failover order; the reader is found by its seed name.
WRITER = Locator("AWS::RDS::DBInstance", {"PromotionTier": 0})
READER = Locator("AWS::RDS::DBInstance", name_tag("tech-lib-db-replica"))
KEY = Locator("AWS::KMS::Key")
SECRET = Locator("AWS::SecretsManager::Secret")
ATTACHMENT = Locator("AWS::SecretsManager::SecretTargetAttachment")
SUBNET_GROUP = Locator("AWS::RDS::DBSubnetGroup")
LOG_GROUP = Locator("AWS::Logs::LogGroup")
MONITORING_ROLE = Locator(
    "AWS::IAM::Role",
    {"AssumeRolePolicyDocument": {"Statement": [{"Principal": {"Service": "monitoring.rds.amazonaws.com"}}]}},
)
ROTATION_GROUP = Locator("AWS::EC2::SecurityGroup", {"GroupName": "tech-lib-db-rotation-sg"})


@pytest.fixture(scope="module")
def db_json(prod: Synthesized) -> dict[str, Any]:
    return prod.template_json(prod.built.database)


@pytest.fixture(scope="module")
def db(db_json: dict[str, Any]) -> Template:
    return Template.from_json(db_json)


@pytest.fixture(scope="module")
def dev_db(dev: Synthesized) -> Template:
    return dev.template(dev.built.database)


def props(template: dict[str, Any], resource: Locator | str) -> dict[str, Any]:
    """The properties of a located resource, or of a logical ID the construct names without a hash."""
    if isinstance(resource, Locator):
        return resource.props(template)
    properties: dict[str, Any] = template["Resources"][resource]["Properties"]
    return properties


def tag(properties: dict[str, Any], key: str) -> str | None:
    return next((t["Value"] for t in properties.get("Tags", []) if t["Key"] == key), None)


def output_names(value: Any) -> list[str]:
    """The Network stack outputs a (weak) cross-stack reference reads, in order."""
    if isinstance(value, dict):
        if "Fn::GetStackOutput" in value:
            return [value["Fn::GetStackOutput"]["OutputName"]]
        return [name for item in value.values() for name in output_names(item)]
    if isinstance(value, list):
        return [name for item in value for name in output_names(item)]
    return []


def network_ids(prod: Synthesized, resource_type: str, **tags: str) -> list[str]:
    """Logical ids of Network-stack resources of a type carrying all the given tags, in template order."""
    resources = prod.template_json(prod.built.network)["Resources"]
    return [
        lid
        for lid, r in resources.items()
        if r["Type"] == resource_type and all(tag(r["Properties"], k) == v for k, v in tags.items())
    ]


def refers_to(names: list[str], logical_ids: list[str], attribute: str = "Ref") -> bool:
    return len(names) == len(logical_ids) and all(
        re.fullmatch(f"PublishOutput{'Ref' if attribute == 'Ref' else 'FnGetAtt'}{lid}.*", name)
        for name, lid in zip(names, logical_ids, strict=True)
    )


# --- engine and parameter group -----------------------------------------------------------------------


def test_engine_is_aurora_postgresql_15_17(db_json: dict[str, Any]) -> None:
    cluster = props(db_json, CLUSTER)
    assert (cluster["Engine"], cluster["EngineVersion"]) == ("aurora-postgresql", "15.17")


def test_configured_version_is_the_newest_15x_the_pinned_cdk_offers(prod: Synthesized) -> None:
    offered = [name for name in dir(rds.AuroraPostgresEngineVersion) if re.fullmatch(r"VER_15_\d+", name)]
    newest = max(offered, key=lambda name: int(name.rsplit("_", 1)[1]))
    assert engine_version_attribute(prod.config.database.engine_version) == newest


@pytest.mark.parametrize("version", SUPPORTED_ENGINE_VERSIONS)
def test_every_accepted_engine_version_exists_in_the_pinned_cdk(version: str) -> None:
    assert hasattr(rds.AuroraPostgresEngineVersion, engine_version_attribute(version))


def test_database_name_is_techlib(db_json: dict[str, Any]) -> None:
    assert props(db_json, CLUSTER)["DatabaseName"] == "techlib"


def test_cluster_parameter_group_family_is_aurora_postgresql15(db: Template) -> None:
    db.resource_count_is("AWS::RDS::DBClusterParameterGroup", 1)
    db.has_resource_properties(
        "AWS::RDS::DBClusterParameterGroup",
        {"Family": "aurora-postgresql15", "Description": "Parameter group for Tech Library DB Cluster"},
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("shared_preload_libraries", "pg_stat_statements,auto_explain"),
        ("log_statement", "all"),
        ("log_min_duration_statement", "1000"),
        ("max_connections", "200"),
        ("work_mem", "16MB"),
    ],
)
def test_cluster_parameter(db: Template, name: str, value: str) -> None:
    db.has_resource_properties("AWS::RDS::DBClusterParameterGroup", {"Parameters": Match.object_like({name: value})})


def test_cluster_parameters_are_exactly_the_seeds_five(db: Template) -> None:
    (group,) = db.find_resources("AWS::RDS::DBClusterParameterGroup").values()
    assert set(group["Properties"]["Parameters"]) == {
        "shared_preload_libraries",
        "log_statement",
        "log_min_duration_statement",
        "max_connections",
        "work_mem",
    }


def test_max_connections_comes_from_the_one_config_value(prod: Synthesized, db: Template) -> None:
    (group,) = db.find_resources("AWS::RDS::DBClusterParameterGroup").values()
    assert group["Properties"]["Parameters"]["max_connections"] == str(prod.config.database.max_connections)


def test_cluster_uses_the_parameter_group(db: Template, db_json: dict[str, Any]) -> None:
    (group_id,) = db.find_resources("AWS::RDS::DBClusterParameterGroup")
    assert props(db_json, CLUSTER)["DBClusterParameterGroupName"] == {"Ref": group_id}


# --- instances -----------------------------------------------------------------------------------------


def test_one_writer_and_one_reader_both_db_r6g_large(db: Template, db_json: dict[str, Any]) -> None:
    db.resource_count_is("AWS::RDS::DBInstance", 2)
    for instance in (WRITER, READER):
        assert props(db_json, instance)["DBInstanceClass"] == "db.r6g.large"
        assert props(db_json, instance)["DBClusterIdentifier"] == CLUSTER.ref(db_json)
        assert props(db_json, instance)["Engine"] == "aurora-postgresql"


def test_writer_is_promoted_before_the_reader(db_json: dict[str, Any]) -> None:
    assert props(db_json, WRITER)["PromotionTier"] < props(db_json, READER)["PromotionTier"]


def test_no_instance_is_publicly_accessible(db: Template) -> None:
    for instance in db.find_resources("AWS::RDS::DBInstance").values():
        assert instance["Properties"]["PubliclyAccessible"] is False


def test_enhanced_monitoring_every_60_seconds_with_its_role(db_json: dict[str, Any], db: Template) -> None:
    for instance in db.find_resources("AWS::RDS::DBInstance").values():
        assert instance["Properties"]["MonitoringInterval"] == 60
        assert instance["Properties"]["MonitoringRoleArn"] == MONITORING_ROLE.get_att(db_json, "Arn")


def test_monitoring_role_is_assumed_by_rds_monitoring(db_json: dict[str, Any]) -> None:
    role = props(db_json, MONITORING_ROLE)
    (statement,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "monitoring.rds.amazonaws.com"}
    assert role["ManagedPolicyArns"] == [
        {
            "Fn::Join": [
                "",
                ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"],
            ]
        }
    ]


def test_performance_insights_for_7_days_encrypted_with_the_key(db_json: dict[str, Any], db: Template) -> None:
    for instance in db.find_resources("AWS::RDS::DBInstance").values():
        p = instance["Properties"]
        assert p["EnablePerformanceInsights"] is True
        assert p["PerformanceInsightsRetentionPeriod"] == 7
        assert p["PerformanceInsightsKMSKeyId"] == KEY.get_att(db_json, "Arn")


@pytest.mark.parametrize(
    ("located", "name"), [(CLUSTER, "tech-lib-db-cluster"), (WRITER, "tech-lib-db-primary")], ids=["cluster", "writer"]
)
def test_name_tags_from_the_seed(db_json: dict[str, Any], located: Locator, name: str) -> None:
    assert tag(props(db_json, located), "Name") == name


def test_the_instances_are_named_primary_and_replica(db: Template) -> None:
    names = sorted(tag(i["Properties"], "Name") or "" for i in db.find_resources("AWS::RDS::DBInstance").values())
    assert names == ["tech-lib-db-primary", "tech-lib-db-replica"]


# --- network placement ---------------------------------------------------------------------------------


def test_subnet_group_spans_the_two_database_subnets(prod: Synthesized, db_json: dict[str, Any]) -> None:
    group = props(db_json, SUBNET_GROUP)
    database_subnets = network_ids(prod, "AWS::EC2::Subnet", **{"aws-cdk:subnet-name": "Database"})
    assert refers_to(output_names(group["SubnetIds"]), database_subnets)
    assert props(db_json, CLUSTER)["DBSubnetGroupName"] == SUBNET_GROUP.ref(db_json)


def test_subnet_group_description_and_name_tag(db_json: dict[str, Any]) -> None:
    group = props(db_json, SUBNET_GROUP)
    assert group["DBSubnetGroupDescription"] == "Subnet group for Tech Library DB"
    assert tag(group, "Name") == "tech-lib-db-subnet-group"


def test_cluster_uses_the_network_stacks_db_security_group_only(prod: Synthesized, db_json: dict[str, Any]) -> None:
    db_group = network_ids(prod, "AWS::EC2::SecurityGroup", Name="tech-lib-db-sg")
    assert refers_to(output_names(props(db_json, CLUSTER)["VpcSecurityGroupIds"]), db_group, "GetAtt")


def test_port_is_5432(db_json: dict[str, Any]) -> None:
    assert props(db_json, CLUSTER)["Port"] == 5432


def test_only_extra_ingress_is_5432_from_the_rotation_function(
    db_json: dict[str, Any], prod: Synthesized, db: Template
) -> None:
    """The Network stack admits the nodes; this stack adds exactly one source: the rotation function."""
    (rule,) = db.find_resources("AWS::EC2::SecurityGroupIngress").values()
    p = rule["Properties"]
    assert (p["IpProtocol"], p["FromPort"], p["ToPort"]) == ("tcp", 5432, 5432)
    assert p["SourceSecurityGroupId"] == ROTATION_GROUP.get_att(db_json, "GroupId")
    assert refers_to(
        output_names(p["GroupId"]), network_ids(prod, "AWS::EC2::SecurityGroup", Name="tech-lib-db-sg"), "GetAtt"
    )


def test_rotation_group_reaches_only_postgres_and_https(db_json: dict[str, Any], db: Template) -> None:
    group = props(db_json, ROTATION_GROUP)
    assert [(e["CidrIp"], e["FromPort"]) for e in group["SecurityGroupEgress"]] == [("0.0.0.0/0", 443)]
    (egress,) = db.find_resources("AWS::EC2::SecurityGroupEgress").values()
    assert (egress["Properties"]["FromPort"], egress["Properties"]["GroupId"]) == (
        5432,
        ROTATION_GROUP.get_att(db_json, "GroupId"),
    )


# --- encryption, backups, logs, protection ---------------------------------------------------------------


def test_storage_encrypted_with_the_customer_managed_key(db_json: dict[str, Any]) -> None:
    cluster = props(db_json, CLUSTER)
    assert cluster["StorageEncrypted"] is True
    assert cluster["KmsKeyId"] == KEY.get_att(db_json, "Arn")


def test_key_rotation_is_on(db_json: dict[str, Any]) -> None:
    assert props(db_json, KEY)["EnableKeyRotation"] is True


def test_backup_retention_7_days_and_windows(db_json: dict[str, Any]) -> None:
    cluster = props(db_json, CLUSTER)
    assert cluster["BackupRetentionPeriod"] == 7
    assert cluster["PreferredBackupWindow"] == "03:00-04:00"
    assert cluster["PreferredMaintenanceWindow"] == "sun:04:00-sun:05:00"


def test_postgresql_log_exported(db_json: dict[str, Any]) -> None:
    assert props(db_json, CLUSTER)["EnableCloudwatchLogsExports"] == ["postgresql"]


def test_postgresql_log_group_has_retention_and_key_and_exists_first(db_json: dict[str, Any]) -> None:
    group = props(db_json, LOG_GROUP)
    assert group["LogGroupName"] == "/aws/rds/cluster/tech-lib-db-cluster/postgresql"
    assert props(db_json, CLUSTER)["DBClusterIdentifier"] == "tech-lib-db-cluster"
    assert group["RetentionInDays"] == 30
    assert group["KmsKeyId"] == KEY.get_att(db_json, "Arn")
    assert LOG_GROUP.id(db_json) in CLUSTER.resource(db_json)["DependsOn"]


def test_key_lets_cloudwatch_logs_use_it_for_the_cluster_log_only(db_json: dict[str, Any]) -> None:
    statements = props(db_json, KEY)["KeyPolicy"]["Statement"]
    (logs_statement,) = [s for s in statements if s["Principal"] == {"Service": "logs.ap-northeast-1.amazonaws.com"}]
    context = logs_statement["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
    assert context.endswith(":log-group:/aws/rds/cluster/tech-lib-db-cluster/*")


def test_deletion_protection_and_copy_tags_to_snapshot(db_json: dict[str, Any]) -> None:
    cluster = props(db_json, CLUSTER)
    assert cluster["DeletionProtection"] is True
    assert cluster["CopyTagsToSnapshot"] is True


def test_iam_database_authentication(db_json: dict[str, Any]) -> None:
    assert props(db_json, CLUSTER)["EnableIAMDatabaseAuthentication"] is True


def test_cluster_removal_policy_is_snapshot(db_json: dict[str, Any]) -> None:
    cluster = CLUSTER.resource(db_json)
    assert (cluster["DeletionPolicy"], cluster["UpdateReplacePolicy"]) == ("Snapshot", "Snapshot")


@pytest.mark.parametrize("located", [KEY, SECRET, LOG_GROUP, SUBNET_GROUP], ids=lambda located: located.type)
def test_what_snapshots_depend_on_is_retained(db_json: dict[str, Any], located: Locator) -> None:
    resource = located.resource(db_json)
    assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == ("Retain", "Retain")


# --- credentials ----------------------------------------------------------------------------------------


def test_credentials_are_generated_and_encrypted_with_the_key(db_json: dict[str, Any]) -> None:
    secret = props(db_json, SECRET)
    assert "SecretString" not in secret
    generated = secret["GenerateSecretString"]
    assert generated["GenerateStringKey"] == "password"
    assert json.loads(generated["SecretStringTemplate"]) == {"username": "techlib_admin", "dbname": "techlib"}
    assert secret["KmsKeyId"] == KEY.get_att(db_json, "Arn")
    assert secret["Name"] == "tech-lib/database/credentials"


def test_master_credentials_are_dynamic_references_to_the_secret(db_json: dict[str, Any]) -> None:
    cluster = props(db_json, CLUSTER)
    for key, field in (("MasterUsername", "username"), ("MasterUserPassword", "password")):
        assert cluster[key] == {
            "Fn::Join": ["", ["{{resolve:secretsmanager:", SECRET.ref(db_json), ":SecretString:" + field + "::}}"]]
        }


def test_secret_is_attached_to_the_cluster(db_json: dict[str, Any]) -> None:
    """The attachment adds host, port and engine: with username, password and dbname that is `db-credentials`."""
    attachment = props(db_json, ATTACHMENT)
    assert attachment == {
        "SecretId": SECRET.ref(db_json),
        "TargetId": CLUSTER.ref(db_json),
        "TargetType": "AWS::RDS::DBCluster",
    }


def test_credentials_rotate_every_30_days_with_hosted_single_user_rotation(
    db_json: dict[str, Any], db: Template
) -> None:
    (schedule,) = db.find_resources("AWS::SecretsManager::RotationSchedule").values()
    p = schedule["Properties"]
    assert p["SecretId"] == ATTACHMENT.ref(db_json)
    assert p["RotationRules"] == {"ScheduleExpression": "rate(30 days)"}
    hosted = p["HostedRotationLambda"]
    assert hosted["RotationType"] == "PostgreSQLSingleUser"
    assert hosted["KmsKeyArn"] == KEY.get_att(db_json, "Arn")
    assert hosted["VpcSecurityGroupIds"] == ROTATION_GROUP.get_att(db_json, "GroupId")
    assert db_json["Transform"] == "AWS::SecretsManager-2024-09-16"


def test_rotation_function_runs_in_the_app_subnets(prod: Synthesized, db: Template) -> None:
    (schedule,) = db.find_resources("AWS::SecretsManager::RotationSchedule").values()
    app_subnets = network_ids(prod, "AWS::EC2::Subnet", **{"aws-cdk:subnet-name": "App"})
    assert refers_to(output_names(schedule["Properties"]["HostedRotationLambda"]["VpcSubnetIds"]), app_subnets)


# --- what other stacks read --------------------------------------------------------------------------------


def test_exposed_attributes(db_json: dict[str, Any], prod: Synthesized) -> None:
    stack = prod.built.database
    assert stack.resolve(stack.endpoint_address) == CLUSTER.get_att(db_json, "Endpoint.Address")
    assert stack.resolve(stack.reader_endpoint_address) == CLUSTER.get_att(db_json, "ReadEndpoint.Address")
    assert stack.port == 5432
    assert stack.resolve(stack.secret.secret_arn) == ATTACHMENT.ref(db_json)
    assert stack.resolve(stack.kms_key.key_arn) == KEY.get_att(db_json, "Arn")
    assert stack.secret.encryption_key is stack.kms_key
    assert stack.resolve(stack.cluster.cluster_identifier) == CLUSTER.ref(db_json)


# --- stateful safety ---------------------------------------------------------------------------------------


def test_termination_protection_in_prod_only(prod: Synthesized, dev: Synthesized) -> None:
    assert prod.built.database.termination_protection is True
    assert dev.built.database.termination_protection is False
    manifest = json.loads((prod.outdir / "manifest.json").read_text())
    assert manifest["artifacts"][prod.built.database.artifact_id]["properties"]["terminationProtection"] is True


def acknowledged(synth: Synthesized, stack: cdk.Stack) -> dict[str, set[str]]:
    """cdk-nag / validation acknowledgements recorded in the assembly, by construct path below the stack."""
    manifest = json.loads((synth.outdir / "manifest.json").read_text())
    metadata_file = manifest["artifacts"][stack.artifact_id]["additionalMetadataFile"]
    metadata = json.loads((synth.outdir / metadata_file).read_text())
    rules: dict[str, set[str]] = {}
    for path, entries in metadata.items():
        for entry in entries:
            if entry["type"] == "aws:cdk:acknowledged-rules":
                found = rules.setdefault(path.removeprefix(f"/{stack.stack_name}/"), set())
                found.update(rule.removeprefix("Annotation::") for rule in entry["data"])
    return rules


@pytest.mark.parametrize(
    ("env", "cluster_rules"),
    [
        ("prod", {"AwsSolutions-RDS11", "NIST.800.53.R5-RDSInBackupPlan"}),
        (
            "dev",
            {
                "AwsSolutions-RDS11",
                "AwsSolutions-RDS10",
                "NIST.800.53.R5-RDSInBackupPlan",
                "NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled",
            },
        ),
    ],
)
def test_nag_acknowledgements(env: str, cluster_rules: set[str], synthesized: Synthesized) -> None:
    synth = synthesized
    rules = acknowledged(synth, synth.built.database)
    assert rules == {
        "Cluster": cluster_rules,
        "EnhancedMonitoringRole": {
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]"
        },
    }


# --- dev -----------------------------------------------------------------------------------------------------


def test_dev_has_a_burstable_writer_and_no_reader(dev_db: Template) -> None:
    instances = dev_db.find_resources("AWS::RDS::DBInstance")
    assert [i["Properties"]["DBInstanceClass"] for i in instances.values()] == ["db.t4g.medium"]


def test_dev_cluster_is_disposable(dev_db: Template) -> None:
    (cluster,) = dev_db.find_resources("AWS::RDS::DBCluster").values()
    assert cluster["Properties"]["DeletionProtection"] is False
    assert cluster["Properties"]["BackupRetentionPeriod"] == 1
    assert cluster["DeletionPolicy"] == "Delete"
    (key,) = dev_db.find_resources("AWS::KMS::Key").values()
    assert key["DeletionPolicy"] == "Delete"


def test_dev_names_are_prefixed(dev_db: Template) -> None:
    dev_db.has_resource_properties("AWS::RDS::DBCluster", {"DBClusterIdentifier": "tech-lib-dev-db-cluster"})
    dev_db.has_resource_properties("AWS::SecretsManager::Secret", {"Name": "tech-lib-dev/database/credentials"})
    dev_db.has_resource_properties(
        "AWS::Logs::LogGroup",
        {"LogGroupName": "/aws/rds/cluster/tech-lib-dev-db-cluster/postgresql", "RetentionInDays": 7},
    )


def test_rotation_and_enhanced_monitoring_can_be_switched_off(tmp_path: Path) -> None:
    """With both at 0 the stack still passes cdk-nag (SMG4 acknowledged) and RDS gets no role without an interval."""
    config = load_config(
        "dev", overrides={"database": {"secret_rotation_days": 0, "monitoring_interval_seconds": 0}}, environ={}
    )
    app = new_app(tmp_path)
    network = NetworkStack(app, "Network", config=config)
    stack = DatabaseStack(app, "Database", config=config, network=network)
    add_validation_plugins(app)
    app.synth()  # raises ValidationFailed on any unacknowledged finding
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::SecretsManager::RotationSchedule", 0)
    template.resource_count_is("AWS::EC2::SecurityGroupIngress", 0)
    template.resource_count_is("AWS::IAM::Role", 0)
    for instance in template.find_resources("AWS::RDS::DBInstance").values():
        assert "MonitoringInterval" not in instance["Properties"]
        assert "MonitoringRoleArn" not in instance["Properties"]
    assert acknowledged_in(stack, "Credentials") == {
        "AwsSolutions-SMG4",
        "NIST.800.53.R5-SecretsManagerRotationEnabled",
    }


def acknowledged_in(stack: cdk.Stack, child: str) -> set[str]:
    metadata = stack.node.find_child(child).node.metadata
    return {
        rule.removeprefix("Annotation::")
        for entry in metadata
        if entry.type == "aws:cdk:acknowledged-rules"
        for rule in entry.data
    }


# --- no secret in the output ----------------------------------------------------------------------------------

# The properties that carry this app's password and token: PascalCase in templates, camelCase in tree.json.
SECRET_PROPERTIES = ("masteruserpassword", "authtoken")
DYNAMIC_REFERENCE = "{{resolve:secretsmanager:"
LITERAL_SECRET = re.compile(r'"(MasterUserPassword|AuthToken)"\s*:\s*"(?!\{\{resolve:secretsmanager:)', re.IGNORECASE)


def is_tree_node(value: Any) -> bool:
    """A construct in tree.json (its children are keyed by construct id, e.g. `AuthToken`)."""
    return isinstance(value, dict) and {"id", "path"} <= set(value)


def secret_property_values(node: Any) -> list[tuple[str, Any]]:
    if isinstance(node, dict):
        found = [
            (key, value) for key, value in node.items() if key.lower() in SECRET_PROPERTIES and not is_tree_node(value)
        ]
        return found + [pair for value in node.values() for pair in secret_property_values(value)]
    if isinstance(node, list):
        return [pair for item in node for pair in secret_property_values(item)]
    return []


def is_dynamic_reference(value: Any) -> bool:
    if isinstance(value, str):
        return value.startswith(DYNAMIC_REFERENCE)
    if isinstance(value, dict) and set(value) == {"Fn::Join"}:
        _, parts = value["Fn::Join"]
        return isinstance(parts[0], str) and parts[0].startswith(DYNAMIC_REFERENCE)
    return False


def scan_for_secret_literals(outdir: Path) -> tuple[list[str], set[tuple[str, str]]]:
    """(problems, the secret-carrying properties seen as (file, key)) over every file below `outdir`."""
    problems: list[str] = []
    checked: set[tuple[str, str]] = set()
    for path in sorted(p for p in outdir.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", errors="replace")
        if LITERAL_SECRET.search(text):
            problems.append(f"{path.name}: literal secret")
        if path.suffix == ".json":
            for key, value in secret_property_values(json.loads(text)):
                checked.add((path.name, key))
                if not is_dynamic_reference(value):
                    problems.append(f"{path.name}: {key} is not a Secrets Manager dynamic reference")
    return problems, checked


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_no_secret_literal_in_any_synthesized_file(env: str, synthesized: Synthesized) -> None:
    synth = synthesized
    problems, checked = scan_for_secret_literals(synth.outdir)
    assert problems == []
    # The scan saw the two secrets it exists for, in the templates and in tree.json (a scan that finds nothing proves nothing).
    database, cache = synth.built.database, synth.built.cache
    assert {(database.template_file, "MasterUserPassword"), (cache.template_file, "AuthToken")} <= checked
    assert {("tree.json", "masterUserPassword"), ("tree.json", "authToken")} <= checked


@pytest.mark.parametrize(
    "value",
    [
        "hunter2hunter2hunter2",
        {"Fn::Join": ["", ["plain-", {"Ref": "AWS::StackName"}]]},
        {"Ref": "PasswordParameter"},
    ],
)
def test_the_scan_flags_anything_but_a_dynamic_reference(tmp_path: Path, value: Any) -> None:
    template = {
        "Resources": {"Group": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {"AuthToken": value}}}
    }
    (tmp_path / "X.template.json").write_text(json.dumps(template))
    problems, checked = scan_for_secret_literals(tmp_path)
    assert checked == {("X.template.json", "AuthToken")}
    assert problems
