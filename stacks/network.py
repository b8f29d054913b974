"""NetworkStack: the seed's VPC (exact subnet CIDRs), NAT, flow logs and the four security groups.

The security groups live here, as in the seed's security section, so the data stacks can allow
5432/6379 from the node group without depending on the EKS stack.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import aws_cdk as cdk
import jsii
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from config import AppConfig
from config.schema import NetworkConfig
from findings import nag_acknowledge, nag_acknowledge_inline_policy
from names import Ports
from stacks.base import TechLibStack
from stacks.common import allow_log_groups_to_use_key, log_retention

# Subnet group name -> (config field, subnet type). The names become the subnet construct ids.
SUBNET_GROUPS: dict[str, tuple[str, ec2.SubnetType]] = {
    "Public": ("public_subnet_cidrs", ec2.SubnetType.PUBLIC),
    "App": ("app_subnet_cidrs", ec2.SubnetType.PRIVATE_WITH_EGRESS),
    "Database": ("database_subnet_cidrs", ec2.SubnetType.PRIVATE_ISOLATED),
    "Cache": ("cache_subnet_cidrs", ec2.SubnetType.PRIVATE_ISOLATED),
}

# CloudFront's origin-facing managed prefix list (com.amazonaws.global.cloudfront.origin-facing),
# per region. A table instead of a lookup: synth must not call AWS.
CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS = {
    "ap-northeast-1": "pl-58a04531",
    "ap-northeast-3": "pl-31a14458",
    "us-east-1": "pl-3b927c52",
}


@jsii.implements(ec2.IIpAddresses)
class ExactSubnetCidrs:
    """Hands the VPC the configured CIDR of each subnet instead of carving them by mask.

    An L1 override would fix the template but leave `subnet.ipv4_cidr_block` wrong for every
    consumer; implementing the allocation keeps both in agreement.
    """

    def __init__(self, network: NetworkConfig) -> None:
        self._network = network
        self._zone_index = {zone: index for index, zone in enumerate(network.availability_zones)}

    def allocate_vpc_cidr(self) -> ec2.VpcIpamOptions:
        return ec2.VpcIpamOptions(cidr_block=self._network.vpc_cidr)

    def allocate_subnets_cidr(
        self, *, requested_subnets: Sequence[ec2.RequestedSubnet | dict[str, Any]], vpc_cidr: str
    ) -> ec2.SubnetIpamOptions:
        allocated = []
        for request in requested_subnets:
            assert isinstance(request, ec2.RequestedSubnet)  # jsii always passes the struct
            field_name, _ = SUBNET_GROUPS[request.configuration.name]
            cidrs: tuple[str, ...] = getattr(self._network, field_name)
            allocated.append(ec2.AllocatedSubnet(cidr=cidrs[self._zone_index[request.availability_zone]]))
        return ec2.SubnetIpamOptions(allocated_subnets=allocated)


class NetworkStack(TechLibStack):
    """VPC, subnets, NAT, flow logs and the security groups every other stack uses."""

    def __init__(self, scope: Construct, id_: str, *, config: AppConfig, **kwargs: Any) -> None:
        super().__init__(
            scope,
            id_,
            config=config,
            description="tech-lib network: VPC 10.0.0.0/16, subnets, NAT, flow logs, security groups",
            **kwargs,
        )
        network = config.network
        prefix = config.resource_prefix

        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            vpc_name=f"{prefix}-vpc",
            ip_addresses=ExactSubnetCidrs(network),
            availability_zones=list(network.availability_zones),
            nat_gateways=network.nat_gateways,
            subnet_configuration=[
                # Nothing launched in the public subnets needs an automatic public IP: the ALB and the NAT
                # gateways get their own addresses (NIST 800-53 R5 VPCSubnetAutoAssignPublicIpDisabled).
                ec2.SubnetConfiguration(
                    name=name,
                    subnet_type=subnet_type,
                    map_public_ip_on_launch=False if subnet_type == ec2.SubnetType.PUBLIC else None,
                )
                for name, (_, subnet_type) in SUBNET_GROUPS.items()
            ],
            enable_dns_hostnames=True,
            enable_dns_support=True,
        )
        cdk.Validations.of(self.vpc).acknowledge(
            cdk.Acknowledgment(
                id="CloudFormation-Validate::W3010",
                reason="The design document fixes the zones: subnets in ap-northeast-1a and ap-northeast-1c (configurable per environment).",
            )
        )
        self.public_subnets = ec2.SubnetSelection(subnet_group_name="Public")
        self.app_subnets = ec2.SubnetSelection(subnet_group_name="App")
        self.database_subnets = ec2.SubnetSelection(subnet_group_name="Database")
        self.cache_subnets = ec2.SubnetSelection(subnet_group_name="Cache")
        # Subnet discovery tags for the AWS Load Balancer Controller.
        for subnet in self.vpc.public_subnets:
            cdk.Tags.of(subnet).add("kubernetes.io/role/elb", "1")
            nag_acknowledge(
                subnet,
                "NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW",
                "A public subnet: its default route to the internet gateway is what lets the internet-facing ALB "
                "and the NAT gateways, the only things placed here, reach and be reached from the internet.",
            )
        for subnet in self.vpc.private_subnets:
            cdk.Tags.of(subnet).add("kubernetes.io/role/internal-elb", "1")

        self._add_flow_logs(network.flow_log_retention_days)
        self._add_security_groups()

    def node_ports_from_albs(self) -> set[int]:
        """TCP ports the node security group admits from every ALB security group (the cross-layer port check)."""
        node_group = self.resolve(self.node_security_group.security_group_id)
        per_alb_group = []
        for alb_group in self.alb_security_groups:
            source = self.resolve(alb_group.security_group_id)
            ports: set[int] = set()
            for rule in self.node.find_all():
                if (
                    isinstance(rule, ec2.CfnSecurityGroupIngress)
                    and rule.ip_protocol == "tcp"
                    and self.resolve(rule.group_id) == node_group
                    and self.resolve(rule.source_security_group_id) == source
                    and rule.from_port is not None
                    and rule.to_port is not None
                ):
                    ports.update(range(int(rule.from_port), int(rule.to_port) + 1))
            per_alb_group.append(ports)
        return set.intersection(*per_alb_group) if per_alb_group else set()

    def _add_flow_logs(self, retention_days: int) -> None:
        self.flow_log_key = kms.Key(
            self,
            "FlowLogKey",
            description="Encrypts the VPC flow log group",
            enable_key_rotation=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        allow_log_groups_to_use_key(self.flow_log_key)
        self.flow_log_group = logs.LogGroup(
            self,
            "FlowLogGroup",
            retention=log_retention(retention_days),
            encryption_key=self.flow_log_key,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        flow_log = self.vpc.add_flow_log(
            "FlowLog",
            destination=ec2.FlowLogDestination.to_cloud_watch_logs(self.flow_log_group),
            traffic_type=ec2.FlowLogTrafficType.ALL,
        )
        nag_acknowledge_inline_policy(flow_log, "aws-cdk-lib's flow-log delivery role: writing to this one log group")

    def _add_security_groups(self) -> None:
        prefix = self.config.resource_prefix
        prefix_list = ec2.Peer.prefix_list(CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS[self.region])

        # The seed opens the ALB to 0.0.0.0/0; behind CloudFront + WAF that lets clients bypass the WAF,
        # so only CloudFront's origin-facing addresses may reach it. That prefix list weighs 55 rules
        # against the 60-rule quota of a group, so 443 and 80 live in two groups, both attached to the ALB.
        self.alb_security_group = ec2.SecurityGroup(
            self,
            "AlbSecurityGroup",
            vpc=self.vpc,
            security_group_name=f"{prefix}-alb-sg",
            description="Security group for Application Load Balancer",
            allow_all_outbound=False,
        )
        self.alb_security_group.add_ingress_rule(
            prefix_list, ec2.Port.tcp(Ports.HTTPS), "HTTPS from CloudFront origin-facing servers"
        )
        self.alb_http_security_group = ec2.SecurityGroup(
            self,
            "AlbHttpSecurityGroup",
            vpc=self.vpc,
            security_group_name=f"{prefix}-alb-http-sg",
            description="Security group for Application Load Balancer (HTTP listener)",
            allow_all_outbound=False,
        )
        self.alb_http_security_group.add_ingress_rule(
            prefix_list, ec2.Port.tcp(Ports.HTTP), "HTTP from CloudFront origin-facing servers"
        )
        self.alb_security_groups = [self.alb_security_group, self.alb_http_security_group]

        # Control-plane ENIs (the seed's EKSClusterSecurityGroup); given to the cluster as its security group.
        self.cluster_security_group = ec2.SecurityGroup(
            self,
            "EksClusterSecurityGroup",
            vpc=self.vpc,
            security_group_name=f"{prefix}-eks-cluster-sg",
            description="Security group for the EKS control plane",
            allow_all_outbound=False,
        )
        self.node_security_group = ec2.SecurityGroup(
            self,
            "EksNodeSecurityGroup",
            vpc=self.vpc,
            security_group_name=f"{prefix}-eks-node-sg",
            description="Security group for EKS nodes",
            allow_all_outbound=True,
        )
        for alb_group in self.alb_security_groups:
            alb_group.add_egress_rule(self.node_security_group, ec2.Port.tcp(Ports.FRONTEND_HTTP), "Frontend pods")
            alb_group.add_egress_rule(self.node_security_group, ec2.Port.tcp(Ports.BACKEND_HTTP), "Backend pods")
            self.node_security_group.add_ingress_rule(alb_group, ec2.Port.tcp(Ports.FRONTEND_HTTP), "HTTP from ALB")
            self.node_security_group.add_ingress_rule(
                alb_group, ec2.Port.tcp(Ports.BACKEND_HTTP), "Backend API from ALB"
            )
        self.node_security_group.add_ingress_rule(
            self.cluster_security_group, ec2.Port.tcp_range(1025, 65535), "Node port range from cluster"
        )
        # What the seed leaves out and a cluster needs: pod-to-pod/DNS between nodes, kubelet and webhooks from the control plane.
        self.node_security_group.add_ingress_rule(
            self.node_security_group, ec2.Port.all_traffic(), "Node to node (pods, CoreDNS)"
        )
        (node_to_node,) = (
            rule
            for rule in self.node_security_group.node.children
            if isinstance(rule, ec2.CfnSecurityGroupIngress) and rule.ip_protocol == "-1"
        )
        nag_acknowledge(
            node_to_node,
            "NIST.800.53.R5-EC2RestrictedCommonPorts",
            "The one all-ports rule admits the node group itself only, no address range: with the VPC CNI, pods "
            "take node addresses and talk to each other on any port they listen on; every other rule names a port.",
        )
        self.node_security_group.add_ingress_rule(
            self.cluster_security_group, ec2.Port.tcp(Ports.HTTPS), "Webhooks and kubelet from the control plane"
        )
        self.cluster_security_group.add_ingress_rule(
            self.node_security_group, ec2.Port.tcp(Ports.HTTPS), "Kubernetes API from nodes"
        )
        self.cluster_security_group.add_egress_rule(
            self.node_security_group, ec2.Port.tcp_range(1025, 65535), "Control plane to kubelet and webhooks"
        )
        self.cluster_security_group.add_egress_rule(
            self.node_security_group, ec2.Port.tcp(Ports.HTTPS), "Control plane to webhooks on 443"
        )

        self.database_security_group = ec2.SecurityGroup(
            self,
            "DatabaseSecurityGroup",
            vpc=self.vpc,
            security_group_name=f"{prefix}-db-sg",
            description="Security group for RDS database",
            allow_all_outbound=False,
        )
        self.database_security_group.add_ingress_rule(
            self.node_security_group, ec2.Port.tcp(Ports.POSTGRES), "PostgreSQL from EKS nodes"
        )
        self.redis_security_group = ec2.SecurityGroup(
            self,
            "RedisSecurityGroup",
            vpc=self.vpc,
            security_group_name=f"{prefix}-redis-sg",
            description="Security group for Redis cache",
            allow_all_outbound=False,
        )
        self.redis_security_group.add_ingress_rule(
            self.node_security_group, ec2.Port.tcp(Ports.REDIS), "Redis from EKS nodes"
        )

        for group, name in (
            (self.alb_security_group, "alb-sg"),
            (self.alb_http_security_group, "alb-http-sg"),
            (self.cluster_security_group, "eks-cluster-sg"),
            (self.node_security_group, "eks-node-sg"),
            (self.database_security_group, "db-sg"),
            (self.redis_security_group, "redis-sg"),
        ):
            cdk.Tags.of(group).add("Name", f"{prefix}-{name}")
