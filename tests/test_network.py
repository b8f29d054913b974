"""Every fact of the seed's network design, asserted on the synthesized NetworkStack template."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Match, Template

from stacks.network import CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS

SEED_SUBNETS = {
    # No automatic public IPs, public subnets included: the ALB and the NAT gateways bring their own.
    ("10.0.1.0/24", "ap-northeast-1a", False),
    ("10.0.2.0/24", "ap-northeast-1c", False),
    ("10.0.10.0/24", "ap-northeast-1a", False),
    ("10.0.11.0/24", "ap-northeast-1c", False),
    ("10.0.20.0/24", "ap-northeast-1a", False),
    ("10.0.21.0/24", "ap-northeast-1c", False),
    ("10.0.30.0/24", "ap-northeast-1a", False),
    ("10.0.31.0/24", "ap-northeast-1c", False),
}


def _subnets(template: Template) -> dict[str, dict]:
    return {lid: r["Properties"] for lid, r in template.find_resources("AWS::EC2::Subnet").items()}


def test_vpc_cidr_is_10_0_0_0_16(network_template: Template) -> None:
    network_template.resource_count_is("AWS::EC2::VPC", 1)
    network_template.has_resource_properties(
        "AWS::EC2::VPC", {"CidrBlock": "10.0.0.0/16", "EnableDnsHostnames": True, "EnableDnsSupport": True}
    )


def test_exactly_the_eight_seed_subnets(network_template: Template) -> None:
    subnets = _subnets(network_template)
    actual = {(p["CidrBlock"], p["AvailabilityZone"], p["MapPublicIpOnLaunch"]) for p in subnets.values()}
    assert actual == SEED_SUBNETS


@pytest.mark.parametrize(
    ("group", "cidrs"),
    [
        ("Public", ["10.0.1.0/24", "10.0.2.0/24"]),
        ("App", ["10.0.10.0/24", "10.0.11.0/24"]),
        ("Database", ["10.0.20.0/24", "10.0.21.0/24"]),
        ("Cache", ["10.0.30.0/24", "10.0.31.0/24"]),
    ],
)
def test_subnet_group_cidrs(network_template: Template, group: str, cidrs: list[str]) -> None:
    for index, cidr in enumerate(cidrs, start=1):
        network_template.has_resource_properties(
            "AWS::EC2::Subnet",
            {
                "CidrBlock": cidr,
                "AvailabilityZone": ["ap-northeast-1a", "ap-northeast-1c"][index - 1],
                "Tags": Match.array_with([{"Key": "aws-cdk:subnet-name", "Value": group}]),
            },
        )


def test_construct_subnet_objects_carry_the_same_cidrs(prod) -> None:  # type: ignore[no-untyped-def]
    vpc = prod.built.network.vpc
    assert [s.ipv4_cidr_block for s in vpc.public_subnets] == ["10.0.1.0/24", "10.0.2.0/24"]
    assert [s.ipv4_cidr_block for s in vpc.private_subnets] == ["10.0.10.0/24", "10.0.11.0/24"]
    assert [s.ipv4_cidr_block for s in vpc.isolated_subnets] == [
        "10.0.20.0/24",
        "10.0.21.0/24",
        "10.0.30.0/24",
        "10.0.31.0/24",
    ]


def test_database_and_cache_subnets_are_isolated(network_template: Template) -> None:
    """Isolated: their route tables have no default route (no NAT, no IGW)."""
    routes = network_template.find_resources("AWS::EC2::Route")
    tables_with_default_route = {r["Properties"]["RouteTableId"]["Ref"] for r in routes.values()}
    associations = network_template.find_resources("AWS::EC2::SubnetRouteTableAssociation")
    subnets = _subnets(network_template)
    for association in associations.values():
        subnet_id = association["Properties"]["SubnetId"]["Ref"]
        cidr = subnets[subnet_id]["CidrBlock"]
        has_default = association["Properties"]["RouteTableId"]["Ref"] in tables_with_default_route
        assert has_default == (cidr.split(".")[2] in {"1", "2", "10", "11"}), cidr


def test_internet_gateway_and_one_nat_gateway_per_az(network_template: Template) -> None:
    network_template.resource_count_is("AWS::EC2::InternetGateway", 1)
    network_template.resource_count_is("AWS::EC2::VPCGatewayAttachment", 1)
    network_template.resource_count_is("AWS::EC2::NatGateway", 2)
    network_template.resource_count_is("AWS::EC2::EIP", 2)


def test_app_subnets_route_through_their_own_az_nat(network_template: Template) -> None:
    nat_routes = [
        r["Properties"]
        for r in network_template.find_resources("AWS::EC2::Route").values()
        if "NatGatewayId" in r["Properties"]
    ]
    assert len(nat_routes) == 2
    assert len({r["NatGatewayId"]["Ref"] for r in nat_routes}) == 2


def test_flow_logs_capture_all_traffic_to_an_encrypted_log_group(network_template: Template) -> None:
    network_template.has_resource_properties(
        "AWS::EC2::FlowLog", {"ResourceType": "VPC", "TrafficType": "ALL", "LogDestinationType": "cloud-watch-logs"}
    )
    network_template.has_resource_properties(
        "AWS::Logs::LogGroup",
        {"RetentionInDays": 90, "KmsKeyId": {"Fn::GetAtt": [Match.string_like_regexp("FlowLogKey"), "Arn"]}},
    )
    network_template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


def test_load_balancer_subnet_tags(network_template: Template) -> None:
    for cidr, tag in (("10.0.1.0/24", "kubernetes.io/role/elb"), ("10.0.10.0/24", "kubernetes.io/role/internal-elb")):
        network_template.has_resource_properties(
            "AWS::EC2::Subnet", {"CidrBlock": cidr, "Tags": Match.array_with([{"Key": tag, "Value": "1"}])}
        )


def _group(template: Template, name: str) -> tuple[str, dict]:
    groups = template.find_resources(
        "AWS::EC2::SecurityGroup", {"Properties": {"Tags": Match.array_with([{"Key": "Name", "Value": name}])}}
    )
    assert len(groups) == 1, name
    return next(iter(groups.items()))


def _ingress(template: Template, group_id: str) -> list[dict]:
    rules = [
        r["Properties"]
        for r in template.find_resources("AWS::EC2::SecurityGroupIngress").values()
        if r["Properties"]["GroupId"] == {"Fn::GetAtt": [group_id, "GroupId"]}
    ]
    _, props = group_id, template.to_json()["Resources"][group_id]["Properties"]
    return rules + props.get("SecurityGroupIngress", [])


def test_alb_groups_accept_80_and_443_only_from_cloudfront(network_template: Template) -> None:
    prefix_list = CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS["ap-northeast-1"]
    seen = set()
    for name in ("tech-lib-alb-sg", "tech-lib-alb-http-sg"):
        group_id, props = _group(network_template, name)
        assert props["Properties"]["GroupDescription"].startswith("Security group for Application Load Balancer")
        for rule in _ingress(network_template, group_id):
            assert rule["SourcePrefixListId"] == prefix_list
            assert "CidrIp" not in rule
            seen.add(rule["FromPort"])
    assert seen == {80, 443}


def _source_group_rules(template: Template, group_name: str) -> set[tuple[int, int, str]]:
    group_id, _ = _group(template, group_name)
    names = {
        lid: next(t["Value"] for t in r["Properties"].get("Tags", []) if t["Key"] == "Name")
        for lid, r in template.find_resources("AWS::EC2::SecurityGroup").items()
    }
    out = set()
    for rule in _ingress(template, group_id):
        source = rule.get("SourceSecurityGroupId", {}).get("Fn::GetAtt", [None])[0]
        out.add((rule.get("FromPort", -1), rule.get("ToPort", -1), names.get(source, "?")))
    return out


def test_eks_node_group_rules_from_the_seed(network_template: Template) -> None:
    rules = _source_group_rules(network_template, "tech-lib-eks-node-sg")
    assert (80, 80, "tech-lib-alb-sg") in rules
    assert (8080, 8080, "tech-lib-alb-sg") in rules
    assert (1025, 65535, "tech-lib-eks-cluster-sg") in rules
    _, node_group = _group(network_template, "tech-lib-eks-node-sg")
    assert node_group["Properties"]["SecurityGroupEgress"] == [
        {"CidrIp": "0.0.0.0/0", "Description": "Allow all outbound traffic by default", "IpProtocol": "-1"}
    ]


def test_database_group_allows_5432_from_nodes_only(network_template: Template) -> None:
    assert _source_group_rules(network_template, "tech-lib-db-sg") == {(5432, 5432, "tech-lib-eks-node-sg")}


def test_redis_group_allows_6379_from_nodes_only(network_template: Template) -> None:
    assert _source_group_rules(network_template, "tech-lib-redis-sg") == {(6379, 6379, "tech-lib-eks-node-sg")}


def test_dev_has_a_single_nat_gateway(dev) -> None:  # type: ignore[no-untyped-def]
    dev.template(dev.built.network).resource_count_is("AWS::EC2::NatGateway", 1)
