"""Every fact of the seed's EKS design (eksctl ClusterConfig, node groups, add-ons, autoscaler), asserted on
the synthesized EksStack, plus what the platform adds: controllers, their roles, secret sync and ordering."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import kubernetes_validate
import pytest
from aws_cdk.assertions import Annotations, Match, Template

from addons.aws_load_balancer_controller import POLICY as ALB_CONTROLLER_POLICY
from addons.aws_load_balancer_controller import RELEASE as AWS_LOAD_BALANCER_CONTROLLER
from addons.cluster_autoscaler import RELEASE as CLUSTER_AUTOSCALER
from addons.external_secrets import RELEASE as EXTERNAL_SECRETS
from addons.metrics_server import RELEASE as METRICS_SERVER
from config import load_config
from config.kubernetes import SUPPORTED_VERSIONS
from k8s_charts.helm import HelmRelease
from scripts.applied_manifests import applied_manifests, manifest_payloads
from stacks.constructs.eks_node_group import SYSCTL_FLOORS
from stacks.eks import EksStack, support_warning
from stacks.network import NetworkStack
from tests.conftest import Synthesized, new_app
from tests.resources import Locator

LAMBDA_PAYLOAD_LIMIT = 256 * 1024
CLUSTER = Locator("AWS::EKS::Cluster", {"Name": "tech-lib-cluster"})
CONTROL_PLANE_LOG_GROUP = Locator("AWS::Logs::LogGroup", {"LogGroupName": "/aws/eks/tech-lib-cluster/cluster"})
SEED_NODE_GROUPS = {
    "app-nodes": {
        "instance_type": "t3.medium",
        "scaling": {"DesiredSize": 3, "MinSize": 2, "MaxSize": 10},
        "volume_gib": 30,
        "labels": {"node-type": "application"},
        # The seed's taint, then the mesh's startup taint (istiod removes it once istio-cni runs on the node).
        "taints": [
            {"Key": "app", "Value": "true", "Effect": "NO_SCHEDULE"},
            {"Key": "cni.istio.io/not-ready", "Value": "true", "Effect": "NO_SCHEDULE"},
        ],
    },
    "system-nodes": {
        # Deviation (README, capacity): the seed's t3.small holds 18 of the platform's 20 pods at max size; with
        # the service mesh's istiod and two node agents per node, 2/3 t3.medium become 3/4.
        "instance_type": "t3.medium",
        "scaling": {"DesiredSize": 3, "MinSize": 1, "MaxSize": 4},
        "volume_gib": 20,
        "labels": {"node-type": "system"},
        "taints": [{"Key": "cni.istio.io/not-ready", "Value": "true", "Effect": "NO_SCHEDULE"}],
    },
}


@pytest.fixture(scope="session")
def eks_json(prod: Synthesized) -> dict[str, Any]:
    return prod.template_json(prod.built.eks)


@pytest.fixture(scope="session")
def eks_template(eks_json: dict[str, Any]) -> Template:
    return Template.from_json(eks_json)


def resources(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == resource_type}


def one(template: dict[str, Any], resource_type: str, **properties: Any) -> tuple[str, dict[str, Any]]:
    matches = [
        (lid, r)
        for lid, r in resources(template, resource_type).items()
        if all(r["Properties"].get(k) == v for k, v in properties.items())
    ]
    assert len(matches) == 1, f"{len(matches)} {resource_type} with {properties}"
    return matches[0]


def references(value: Any) -> str:
    """Everything a property refers to, flattened to one string (logical ids, other stacks' output names)."""
    return json.dumps(value)


def role_of(template: dict[str, Any], role_ref: Any) -> dict[str, Any]:
    logical_id = role_ref["Fn::GetAtt"][0] if "Fn::GetAtt" in role_ref else role_ref["Ref"]
    role: dict[str, Any] = template["Resources"][logical_id]
    return role


def policies_of(template: dict[str, Any], role_logical_id: str) -> list[dict[str, Any]]:
    """Statements of every inline and customer-managed policy attached to a role."""
    statements: list[dict[str, Any]] = []
    for policy_type in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        for policy in resources(template, policy_type).values():
            if {"Ref": role_logical_id} in policy["Properties"].get("Roles", []):
                statements.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return statements


def managed_policy_names(role: dict[str, Any]) -> list[str]:
    names = []
    for arn in role["Properties"].get("ManagedPolicyArns", []):
        names.append(json.dumps(arn).split(":policy/")[-1].split('"')[0])
    return sorted(names)


# --- the cluster (eksctl metadata, vpc.clusterEndpoints, cloudWatch.clusterLogging) -------------------------


def test_cluster_is_named_tech_lib_cluster_at_the_configured_version(eks_template: Template) -> None:
    eks_template.resource_count_is("AWS::EKS::Cluster", 1)
    eks_template.has_resource_properties("AWS::EKS::Cluster", {"Name": "tech-lib-cluster", "Version": "1.36"})


def test_endpoint_is_private_and_public_from_the_configured_cidrs(eks_template: Template) -> None:
    eks_template.has_resource_properties(
        "AWS::EKS::Cluster",
        {
            "ResourcesVpcConfig": Match.object_like(
                {"EndpointPrivateAccess": True, "EndpointPublicAccess": True, "PublicAccessCidrs": ["0.0.0.0/0"]}
            )
        },
    )


def test_all_five_control_plane_log_types_are_enabled(eks_template: Template) -> None:
    eks_template.has_resource_properties(
        "AWS::EKS::Cluster",
        {
            "Logging": {
                "ClusterLogging": {
                    "EnabledTypes": [
                        {"Type": "api"},
                        {"Type": "audit"},
                        {"Type": "authenticator"},
                        {"Type": "controllerManager"},
                        {"Type": "scheduler"},
                    ]
                }
            }
        },
    )


def test_control_plane_log_group_exists_first_with_retention_and_key(eks_json: dict[str, Any]) -> None:
    log_group_id, log_group = one(eks_json, "AWS::Logs::LogGroup", LogGroupName="/aws/eks/tech-lib-cluster/cluster")
    assert log_group["Properties"]["RetentionInDays"] == 90
    assert "ClusterKey" in references(log_group["Properties"]["KmsKeyId"])
    assert log_group["DeletionPolicy"] == "Retain"
    _, cluster = one(eks_json, "AWS::EKS::Cluster")
    assert log_group_id in cluster["DependsOn"]


def test_secrets_are_envelope_encrypted_with_a_rotating_key(eks_json: dict[str, Any]) -> None:
    _, cluster = one(eks_json, "AWS::EKS::Cluster")
    (encryption,) = cluster["Properties"]["EncryptionConfig"]
    assert encryption["Resources"] == ["secrets"]
    key_id = encryption["Provider"]["KeyArn"]["Fn::GetAtt"][0]
    key = eks_json["Resources"][key_id]
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["DeletionPolicy"] == "Retain"


def test_cluster_role_may_use_the_secrets_key(eks_json: dict[str, Any]) -> None:
    _, cluster = one(eks_json, "AWS::EKS::Cluster")
    role_id = cluster["Properties"]["RoleArn"]["Fn::GetAtt"][0]
    statements = policies_of(eks_json, role_id)
    assert any("kms:CreateGrant" in s["Action"] and "ClusterKey" in references(s["Resource"]) for s in statements), (
        statements
    )
    assert role_id in cluster["DependsOn"], "the key grant must exist before EKS checks the key"


def test_upgrade_policy_comes_from_configuration(eks_template: Template) -> None:
    eks_template.has_resource_properties("AWS::EKS::Cluster", {"UpgradePolicy": {"SupportType": "STANDARD"}})


def test_managed_node_groups_only_no_auto_mode(eks_template: Template) -> None:
    eks_template.has_resource_properties(
        "AWS::EKS::Cluster",
        {
            "ComputeConfig": {"Enabled": False},
            "KubernetesNetworkConfig": Match.object_like({"ElasticLoadBalancing": {"Enabled": False}}),
            "StorageConfig": {"BlockStorage": {"Enabled": False}},
        },
    )
    # the seed's two and their Spot twin (eks.spot_app_nodes); no default capacity
    eks_template.resource_count_is("AWS::EKS::Nodegroup", 3)


def test_cluster_uses_the_network_stacks_control_plane_group_in_the_app_subnets(eks_json: dict[str, Any]) -> None:
    _, cluster = one(eks_json, "AWS::EKS::Cluster")
    vpc_config = cluster["Properties"]["ResourcesVpcConfig"]
    (group,) = vpc_config["SecurityGroupIds"]
    assert "EksClusterSecurityGroup" in references(group)
    assert len(vpc_config["SubnetIds"]) == 2
    assert all("AppSubnet" in references(subnet) for subnet in vpc_config["SubnetIds"])


def test_no_implicit_admin_for_the_deployer(eks_template: Template) -> None:
    eks_template.has_resource_properties(
        "AWS::EKS::Cluster",
        {"AccessConfig": {"AuthenticationMode": "API", "BootstrapClusterCreatorAdminPermissions": False}},
    )


def test_configured_admin_role_gets_an_explicit_cluster_admin_access_entry(eks_json: dict[str, Any]) -> None:
    _, entry = one(
        eks_json, "AWS::EKS::AccessEntry", PrincipalArn="arn:aws:iam::111111111111:role/tech-lib-cluster-admin"
    )
    (policy,) = entry["Properties"]["AccessPolicies"]
    assert policy["AccessScope"] == {"Type": "cluster"}
    assert references(policy["PolicyArn"]).endswith(':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"]]}')


def test_only_the_admin_role_and_the_kubectl_handler_have_access_entries(eks_json: dict[str, Any]) -> None:
    principals = [r["Properties"]["PrincipalArn"] for r in resources(eks_json, "AWS::EKS::AccessEntry").values()]
    assert len(principals) == 2
    assert "arn:aws:iam::111111111111:role/tech-lib-cluster-admin" in principals
    assert any("KubectlProviderHandlerServiceRole" in references(p) for p in principals)


def test_kubectl_handler_uses_the_layer_of_the_cluster_version(eks_json: dict[str, Any]) -> None:
    layers = [r["Properties"]["Description"] for r in resources(eks_json, "AWS::Lambda::LayerVersion").values()]
    assert any(d.startswith("/opt/kubectl/kubectl 1.36.") for d in layers), layers


def test_no_support_warning_for_the_default_version(prod: Synthesized) -> None:
    # Read from the session's assembly: Annotations.from_stack would force a second synthesis of the whole app.
    messages = prod.assembly.get_stack_artifact(prod.built.eks.artifact_id).messages
    warnings = [str(m.entry.data) for m in messages if m.level == cdk.cx_api.SynthesisMessageLevel.WARNING]
    assert not [w for w in warnings if "past the end of EKS" in w], warnings


def test_one_cluster_one_key_and_the_control_plane_log_group(eks_json: dict[str, Any]) -> None:
    assert len(resources(eks_json, "AWS::EKS::Cluster")) == 1
    assert len(resources(eks_json, "AWS::KMS::Key")) == 1
    assert len(CONTROL_PLANE_LOG_GROUP.find(eks_json)) == 1


# --- node groups (eksctl nodeGroups) ------------------------------------------------------------------------


def node_group(template: dict[str, Any], name: str) -> dict[str, Any]:
    return one(template, "AWS::EKS::Nodegroup", NodegroupName=name)[1]["Properties"]


def launch_template_data(template: dict[str, Any], name: str) -> dict[str, Any]:
    reference = node_group(template, name)["LaunchTemplate"]["Id"]["Ref"]
    data: dict[str, Any] = template["Resources"][reference]["Properties"]["LaunchTemplateData"]
    return data


def user_data(template: dict[str, Any], name: str) -> str:
    value = launch_template_data(template, name)["UserData"]["Fn::Base64"]
    assert isinstance(value, str)
    return value


@pytest.mark.parametrize("name", sorted(SEED_NODE_GROUPS))
def test_node_group_instance_type_and_scaling(eks_json: dict[str, Any], name: str) -> None:
    group = node_group(eks_json, name)
    assert group["InstanceTypes"] == [SEED_NODE_GROUPS[name]["instance_type"]]
    assert group["ScalingConfig"] == SEED_NODE_GROUPS[name]["scaling"]


@pytest.mark.parametrize("name", sorted(SEED_NODE_GROUPS))
def test_node_group_labels_and_taints(eks_json: dict[str, Any], name: str) -> None:
    group = node_group(eks_json, name)
    assert group["Labels"] == SEED_NODE_GROUPS[name]["labels"]
    assert group.get("Taints") == SEED_NODE_GROUPS[name]["taints"]


@pytest.mark.parametrize("name", sorted(SEED_NODE_GROUPS))
def test_node_group_runs_al2023_from_its_launch_template(eks_json: dict[str, Any], name: str) -> None:
    group = node_group(eks_json, name)
    assert group["AmiType"] == "AL2023_x86_64_STANDARD"
    assert "DiskSize" not in group
    assert "LatestVersionNumber" in references(group["LaunchTemplate"]["Version"])


@pytest.mark.parametrize("name", sorted(SEED_NODE_GROUPS))
def test_node_disk_is_the_seeds_encrypted_gp3_volume(eks_json: dict[str, Any], name: str) -> None:
    assert launch_template_data(eks_json, name)["BlockDeviceMappings"] == [
        {
            "DeviceName": "/dev/xvda",
            "Ebs": {
                "DeleteOnTermination": True,
                "Encrypted": True,
                "VolumeSize": SEED_NODE_GROUPS[name]["volume_gib"],
                "VolumeType": "gp3",
            },
        }
    ]


@pytest.mark.parametrize("name", sorted(SEED_NODE_GROUPS))
def test_nodes_require_imdsv2(eks_json: dict[str, Any], name: str) -> None:
    assert launch_template_data(eks_json, name)["MetadataOptions"] == {
        "HttpTokens": "required",
        "HttpPutResponseHopLimit": 2,
    }


@pytest.mark.parametrize("name", sorted(SEED_NODE_GROUPS))
def test_nodes_carry_the_node_group_and_eks_cluster_security_groups(eks_json: dict[str, Any], name: str) -> None:
    groups = launch_template_data(eks_json, name)["SecurityGroupIds"]
    assert len(groups) == 2
    assert "EksNodeSecurityGroup" in references(groups[0])
    assert groups[1] == CLUSTER.get_att(eks_json, "ClusterSecurityGroupId")


@pytest.mark.parametrize("name", sorted(SEED_NODE_GROUPS))
def test_node_groups_live_in_the_app_subnets(eks_json: dict[str, Any], name: str) -> None:
    subnets = node_group(eks_json, name)["Subnets"]
    assert len(subnets) == 2
    assert all("AppSubnet" in references(subnet) for subnet in subnets)


@pytest.mark.parametrize("name", sorted(SEED_NODE_GROUPS))
def test_node_groups_are_tagged_for_autoscaler_discovery(eks_json: dict[str, Any], name: str) -> None:
    tags = node_group(eks_json, name)["Tags"]
    assert tags["k8s.io/cluster-autoscaler/enabled"] == "true"
    assert tags["k8s.io/cluster-autoscaler/tech-lib-cluster"] == "owned"


@pytest.mark.parametrize("name", sorted(SEED_NODE_GROUPS))
def test_user_data_is_mime_multipart_for_nodeadm(eks_json: dict[str, Any], name: str) -> None:
    data = user_data(eks_json, name)
    assert data.startswith("Content-Type: multipart/mixed; boundary=")
    assert "MIME-Version: 1.0" in data
    assert "Content-Type: application/node.eks.aws\n\napiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig" in data
    assert 'Content-Type: text/x-shellscript; charset="us-ascii"\n\n#!/bin/bash' in data


@pytest.mark.parametrize("name", sorted(SEED_NODE_GROUPS))
def test_user_data_rotates_container_logs_at_10mi_keeping_3(eks_json: dict[str, Any], name: str) -> None:
    data = user_data(eks_json, name)
    assert "  kubelet:\n    config:\n      containerLogMaxSize: 10Mi\n      containerLogMaxFiles: 3\n" in data


@pytest.mark.parametrize("name", sorted(SEED_NODE_GROUPS))
@pytest.mark.parametrize(("key", "value"), [("vm.max_map_count", 262144), ("fs.file-max", 65536)])
def test_user_data_applies_the_seeds_sysctls_persistently(
    eks_json: dict[str, Any], name: str, key: str, value: int
) -> None:
    data = user_data(eks_json, name)
    assert SYSCTL_FLOORS[key] == value
    assert (
        f'if [ "$(sysctl -n {key})" -lt {value} ]; then echo "{key} = {value}" >> /etc/sysctl.d/90-tech-lib.conf; fi'
        in data
    )
    assert data.index("/etc/sysctl.d/90-tech-lib.conf") < data.index("sysctl --system")


def test_both_node_groups_share_a_role_with_node_permissions_only(eks_json: dict[str, Any]) -> None:
    roles = {json.dumps(node_group(eks_json, name)["NodeRole"]) for name in SEED_NODE_GROUPS}
    assert len(roles) == 1
    role = role_of(eks_json, json.loads(roles.pop()))
    assert managed_policy_names(role) == [
        "AmazonEC2ContainerRegistryReadOnly",
        "AmazonEKSWorkerNodePolicy",
        "AmazonSSMManagedInstanceCore",
        "CloudWatchAgentServerPolicy",
    ]


def test_node_role_has_no_inline_permissions(eks_json: dict[str, Any]) -> None:
    role_id = node_group(eks_json, "app-nodes")["NodeRole"]["Fn::GetAtt"][0]
    assert policies_of(eks_json, role_id) == []


# --- add-ons (eksctl addons) --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver", "eks-pod-identity-agent"])
def test_addon_is_installed(eks_json: dict[str, Any], name: str) -> None:
    _, addon = one(eks_json, "AWS::EKS::Addon", AddonName=name)
    assert addon["Properties"]["ClusterName"] == CLUSTER.ref(eks_json)
    # EKS's default version for the cluster's Kubernetes version: none is pinned for 1.36.
    assert "AddonVersion" not in addon["Properties"]


@pytest.mark.parametrize(
    ("name", "service_account", "policy"),
    [
        ("vpc-cni", "aws-node", "AmazonEKS_CNI_Policy"),
        ("aws-ebs-csi-driver", "ebs-csi-controller-sa", "service-role/AmazonEBSCSIDriverPolicy"),
    ],
)
def test_addon_has_its_own_pod_identity_role(
    eks_json: dict[str, Any], name: str, service_account: str, policy: str
) -> None:
    _, addon = one(eks_json, "AWS::EKS::Addon", AddonName=name)
    (association,) = addon["Properties"]["PodIdentityAssociations"]
    assert association["ServiceAccount"] == service_account
    role = role_of(eks_json, association["RoleArn"])
    assert managed_policy_names(role) == [policy]
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "pods.eks.amazonaws.com"}
    assert trust["Condition"]["StringEquals"]["aws:RequestTag/kubernetes-service-account"] == service_account


def test_cni_enforces_network_policies(eks_json: dict[str, Any]) -> None:
    _, addon = one(eks_json, "AWS::EKS::Addon", AddonName="vpc-cni")
    assert json.loads(addon["Properties"]["ConfigurationValues"]) == {"enableNetworkPolicy": "true"}


def test_ebs_csi_node_plugin_reaches_tainted_app_nodes(eks_json: dict[str, Any]) -> None:
    _, addon = one(eks_json, "AWS::EKS::Addon", AddonName="aws-ebs-csi-driver")
    assert json.loads(addon["Properties"]["ConfigurationValues"])["node"] == {"tolerateAllTaints": True}


def test_add_ons_that_run_deployments_are_sized_and_pinned_to_system_nodes(eks_json: dict[str, Any]) -> None:
    _, coredns = one(eks_json, "AWS::EKS::Addon", AddonName="coredns")
    _, ebs = one(eks_json, "AWS::EKS::Addon", AddonName="aws-ebs-csi-driver")
    system = {"node-type": "system"}
    assert json.loads(coredns["Properties"]["ConfigurationValues"]) == {
        "replicaCount": 2,
        "resources": {"requests": {"cpu": "100m", "memory": "70Mi"}, "limits": {"memory": "170Mi"}},
        "nodeSelector": system,
    }
    controller = json.loads(ebs["Properties"]["ConfigurationValues"])["controller"]
    assert controller["replicaCount"] == 2 and controller["nodeSelector"] == system
    assert controller["resources"]["requests"] == {"cpu": "10m", "memory": "40Mi"}


def addon_id(template: dict[str, Any], name: str) -> str:
    return one(template, "AWS::EKS::Addon", AddonName=name)[0]


@pytest.mark.parametrize("name", sorted(SEED_NODE_GROUPS))
def test_nodes_join_after_the_networking_addons(eks_json: dict[str, Any], name: str) -> None:
    node_group_id, resource = one(eks_json, "AWS::EKS::Nodegroup", NodegroupName=name)
    for addon in ("vpc-cni", "kube-proxy", "eks-pod-identity-agent"):
        assert addon_id(eks_json, addon) in resource["DependsOn"]
    for addon in ("coredns", "aws-ebs-csi-driver"):
        assert node_group_id in eks_json["Resources"][addon_id(eks_json, addon)]["DependsOn"]


# --- controllers ---------------------------------------------------------------------------------------------


def helm_chart(template: dict[str, Any], release: HelmRelease) -> tuple[str, dict[str, Any]]:
    return one(template, "Custom::AWSCDK-EKS-HelmChart", Chart=release.chart)


def helm_values(chart: dict[str, Any]) -> dict[str, Any]:
    values = chart["Properties"]["Values"]
    if isinstance(values, dict):  # Fn::Join around a token (the VPC id)
        values = "".join(part if isinstance(part, str) else "TOKEN" for part in values["Fn::Join"][1])
    result: dict[str, Any] = json.loads(values)
    return result


@pytest.mark.parametrize(
    ("release", "version", "namespace"),
    [
        (AWS_LOAD_BALANCER_CONTROLLER, "3.2.2", "kube-system"),
        (METRICS_SERVER, "3.13.0", "kube-system"),
        (EXTERNAL_SECRETS, "2.9.0", "external-secrets"),
        (CLUSTER_AUTOSCALER, "9.59.0", "cluster-autoscaler"),
    ],
)
def test_controller_chart_is_pinned_and_fetched_at_deploy_time(
    eks_json: dict[str, Any], release: HelmRelease, version: str, namespace: str
) -> None:
    _, chart = helm_chart(eks_json, release)
    properties = chart["Properties"]
    assert properties["Version"] == version
    assert properties["Namespace"] == namespace
    assert properties["Release"] == release.release
    assert properties["Repository"].startswith("https://")
    assert "ChartAssetURL" not in properties
    assert properties["Wait"] is True


@pytest.mark.parametrize(
    "release", [AWS_LOAD_BALANCER_CONTROLLER, METRICS_SERVER, EXTERNAL_SECRETS, CLUSTER_AUTOSCALER]
)
def test_controllers_run_on_system_nodes(eks_json: dict[str, Any], release: HelmRelease) -> None:
    values = helm_values(helm_chart(eks_json, release)[1])
    assert values["nodeSelector"] == {"node-type": "system"}
    if release is EXTERNAL_SECRETS:
        assert values["webhook"]["nodeSelector"] == values["certController"]["nodeSelector"] == {"node-type": "system"}


def test_alb_controller_knows_its_cluster_region_and_vpc(eks_json: dict[str, Any]) -> None:
    _, chart = helm_chart(eks_json, AWS_LOAD_BALANCER_CONTROLLER)
    values = helm_values(chart)
    assert values["clusterName"] == "tech-lib-cluster"
    assert values["region"] == "ap-northeast-1"
    assert values["vpcId"] == "TOKEN"
    assert "PublishOutputRefVpc" in references(chart["Properties"]["Values"])
    assert values["serviceAccount"] == {"create": True, "name": "aws-load-balancer-controller"}


def pod_identity_role(template: dict[str, Any], namespace: str, service_account: str) -> tuple[str, dict[str, Any]]:
    _, association = one(
        template, "AWS::EKS::PodIdentityAssociation", Namespace=namespace, ServiceAccount=service_account
    )
    role_id = association["Properties"]["RoleArn"]["Fn::GetAtt"][0]
    return role_id, template["Resources"][role_id]


@pytest.mark.parametrize(
    ("namespace", "service_account"),
    [
        ("kube-system", "aws-load-balancer-controller"),
        ("external-secrets", "external-secrets"),
        ("cluster-autoscaler", "cluster-autoscaler"),
    ],
)
def test_controller_role_trusts_only_its_service_account(
    eks_json: dict[str, Any], namespace: str, service_account: str
) -> None:
    _, role = pod_identity_role(eks_json, namespace, service_account)
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert sorted(trust["Action"]) == ["sts:AssumeRole", "sts:TagSession"]
    assert trust["Condition"] == {
        "StringEquals": {
            "aws:SourceAccount": "111111111111",
            "aws:RequestTag/eks-cluster-name": "tech-lib-cluster",
            "aws:RequestTag/kubernetes-namespace": namespace,
            "aws:RequestTag/kubernetes-service-account": service_account,
        }
    }


def permission_triples(statements: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    """(action, resource, condition) for every permission a list of statements grants."""

    def as_list(value: Any) -> list[Any]:
        return value if isinstance(value, list) else [value]

    return {
        (action, json.dumps(resource, sort_keys=True), json.dumps(statement.get("Condition"), sort_keys=True))
        for statement in statements
        for action in as_list(statement["Action"])
        for resource in as_list(statement["Resource"])
    }


def test_alb_controller_role_has_exactly_the_published_policy(eks_json: dict[str, Any]) -> None:
    role_id, role = pod_identity_role(eks_json, "kube-system", "aws-load-balancer-controller")
    published = json.loads(ALB_CONTROLLER_POLICY.read_text())["Statement"]
    assert permission_triples(policies_of(eks_json, role_id)) == permission_triples(published)
    assert "ManagedPolicyArns" not in role["Properties"]


def test_external_secrets_role_carries_no_data_tier_grant(eks_json: dict[str, Any]) -> None:
    """The read grants live with the secret sync (WorkloadsStack, MonitoringStack), so this stack never
    refers to Database or Cache and deploys side by side with them."""
    role_id, _ = pod_identity_role(eks_json, "external-secrets", "external-secrets")
    assert policies_of(eks_json, role_id) == []
    raw = json.dumps(eks_json)
    assert "TechLib-prod-Database" not in raw and "TechLib-prod-Cache" not in raw


def test_the_eks_stack_depends_on_the_network_only(prod: Synthesized) -> None:
    artifact = prod.assembly.get_stack_artifact(prod.built.eks.artifact_id)
    stacks = [d.id for d in artifact.dependencies if not d.id.endswith(".assets")]
    assert stacks == [prod.built.network.artifact_id]


def test_cluster_autoscaler_scales_only_this_clusters_groups(eks_json: dict[str, Any]) -> None:
    role_id, _ = pod_identity_role(eks_json, "cluster-autoscaler", "cluster-autoscaler")
    statements = {s["Sid"]: s for s in policies_of(eks_json, role_id)}
    scale = statements["ScaleOwnGroups"]
    assert sorted(scale["Action"]) == [
        "autoscaling:SetDesiredCapacity",
        "autoscaling:TerminateInstanceInAutoScalingGroup",
    ]
    assert scale["Condition"] == {
        "StringEquals": {
            "aws:ResourceTag/k8s.io/cluster-autoscaler/tech-lib-cluster": "owned",
            "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true",
        }
    }
    assert statements["DescribeOwnNodegroups"]["Resource"] == (
        "arn:aws:eks:ap-northeast-1:111111111111:nodegroup/tech-lib-cluster/*"
    )
    assert all(
        not a.endswith(("*", "Delete", "Create"))
        for s in statements.values()
        for a in [s["Action"]]
        if isinstance(a, str)
    )


def test_no_controller_role_is_the_node_role(eks_json: dict[str, Any]) -> None:
    node_role = node_group(eks_json, "app-nodes")["NodeRole"]["Fn::GetAtt"][0]
    for association in resources(eks_json, "AWS::EKS::PodIdentityAssociation").values():
        assert association["Properties"]["RoleArn"]["Fn::GetAtt"][0] != node_role


# --- manifests the cluster applies -------------------------------------------------------------------------


def manifest(template: dict[str, Any], logical_id_prefix: str) -> tuple[str, list[dict[str, Any]]]:
    matches = [
        lid for lid in resources(template, "Custom::AWSCDK-EKS-KubernetesResource") if lid.startswith(logical_id_prefix)
    ]
    assert len(matches) == 1, matches
    objects = applied_manifests({"Resources": {matches[0]: template["Resources"][matches[0]]}})
    return matches[0], objects


def test_cluster_autoscaler_chart_is_installed_with_its_role_first(eks_json: dict[str, Any]) -> None:
    _, chart = helm_chart(eks_json, CLUSTER_AUTOSCALER)
    assert chart["Properties"]["Repository"] == "https://kubernetes.github.io/autoscaler"
    values = helm_values(chart)
    assert values["image"] == {
        "repository": "registry.k8s.io/autoscaling/cluster-autoscaler",
        "tag": SUPPORTED_VERSIONS["1.36"].cluster_autoscaler_image_tag,
        "pullPolicy": "Always",
    }
    assert values["extraArgs"]["scale-down-utilization-threshold"] == 0.5
    assert values["autoDiscovery"] == {"clusterName": "tech-lib-cluster"}
    # The hand-written Deployment and RBAC it replaces are gone from the template.
    assert not [lid for lid in resources(eks_json, "Custom::AWSCDK-EKS-KubernetesResource") if "Autoscaler" in lid]
    association_id, _ = one(eks_json, "AWS::EKS::PodIdentityAssociation", ServiceAccount="cluster-autoscaler")
    assert association_id in chart["DependsOn"]
    assert eks_json["Resources"][association_id]["Properties"]["Namespace"] == "cluster-autoscaler"


def test_app_namespace_is_tech_lib_with_pod_security_restricted(eks_json: dict[str, Any]) -> None:
    _, objects = manifest(eks_json, "ClusterAppNamespace")
    (namespace,) = objects
    assert namespace["kind"] == "Namespace"
    assert namespace["metadata"]["name"] == "tech-lib"
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


@pytest.mark.parametrize(
    "release", [AWS_LOAD_BALANCER_CONTROLLER, METRICS_SERVER, EXTERNAL_SECRETS, CLUSTER_AUTOSCALER]
)
def test_charts_install_after_nodes_and_addons(eks_json: dict[str, Any], release: HelmRelease) -> None:
    _, chart = helm_chart(eks_json, release)
    depends_on = set(chart["DependsOn"])
    assert {one(eks_json, "AWS::EKS::Nodegroup", NodegroupName=n)[0] for n in SEED_NODE_GROUPS} <= depends_on
    assert {addon_id(eks_json, a) for a in ("vpc-cni", "coredns", "eks-pod-identity-agent")} <= depends_on


def test_platform_ready_is_the_alb_controller_and_the_operator(prod: Synthesized) -> None:
    eks = prod.built.eks
    assert [c.node.path for c in eks.platform_ready] == [
        eks.controllers.alb_controller.node.path,
        eks.controllers.external_secrets.node.path,
        # The mesh's data plane: the app's policies and pods come after ztunnel.
        eks.mesh.installed["ztunnel"].release.node.path,
    ]


def test_applied_built_in_objects_validate_strictly(eks_json: dict[str, Any]) -> None:
    objects = applied_manifests(eks_json)
    built_in = [o for o in objects if not o["apiVersion"].startswith("external-secrets.io/")]
    assert len(built_in) == 1  # the app namespace; the autoscaler's objects come from its chart (verify-charts)
    for obj in built_in:
        kubernetes_validate.validate(obj, "1.36.0", strict=True)


def test_each_applied_chart_is_below_the_lambda_payload_limit(eks_json: dict[str, Any]) -> None:
    payloads = manifest_payloads(eks_json)
    assert len(payloads) == 9  # 4 Helm releases (with the autoscaler), Istio's 4, 1 cdk8s chart (the app namespace)
    assert max(payloads.values()) < LAMBDA_PAYLOAD_LIMIT, payloads


# --- Kubernetes version selection --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2025, 3, 23), None),
        (datetime.date(2025, 3, 24), "past the end of EKS standard support (2025-03-23)"),
        (datetime.date(2026, 3, 24), "past the end of EKS extended support (2026-03-23)"),
    ],
)
def test_support_warning_by_date(today: datetime.date, expected: str | None) -> None:
    warning = support_warning(SUPPORTED_VERSIONS["1.29"], today)
    if expected is None:
        assert warning is None
    else:
        assert warning is not None and expected in warning and "Kubernetes 1.29" in warning


@pytest.fixture(scope="module")
def eks_1_29(tmp_path_factory: pytest.TempPathFactory) -> EksStack:
    app = new_app(Path(tmp_path_factory.mktemp("cdk.out.eks129")), env="prod")
    config = load_config("prod", overrides={"eks": {"kubernetes_version": "1.29"}}, environ={})
    network = NetworkStack(app, config.stack_name("Network"), config=config)
    return EksStack(app, config.stack_name("Eks"), config=config, network=network)


def test_version_1_29_synthesizes_with_the_v29_layer(eks_1_29: EksStack) -> None:
    template = Template.from_stack(eks_1_29)
    template.has_resource_properties("AWS::EKS::Cluster", {"Version": "1.29"})
    template.has_resource_properties(
        "AWS::Lambda::LayerVersion", {"Description": Match.string_like_regexp(r"^/opt/kubectl/kubectl 1\.29\.")}
    )
    assert type(eks_1_29.node.find_child("KubectlLayer")).__module__.startswith("aws_cdk.lambda_layer_kubectl_v29")


def test_version_1_29_warns_that_it_is_past_eks_support(eks_1_29: EksStack) -> None:
    Annotations.from_stack(eks_1_29).has_warning(
        f"/{eks_1_29.stack_name}", Match.string_like_regexp(r"Kubernetes 1\.29 is past the end of EKS")
    )


def test_version_1_29_runs_the_1_29_autoscaler(eks_1_29: EksStack) -> None:
    template = Template.from_stack(eks_1_29).to_json()
    _, chart = helm_chart(template, CLUSTER_AUTOSCALER)
    assert helm_values(chart)["image"]["tag"] == "v1.29.5"
