"""The `network` section: the VPC, its subnets per tier and availability zone, NAT and flow logs."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Annotated, ClassVar

from pydantic import Field

from config.base import Cidr, LogRetention, Range, Section, check, network
from config.errors import Problem, invalid

SubnetCidrs = Annotated[
    tuple[Annotated[str, Cidr()], ...], Field(description="One CIDR per availability zone, inside the VPC.")
]


class NetworkConfig(Section):
    vpc_cidr: Annotated[str, Cidr()] = Field(description="The VPC's IPv4 CIDR block (/16 to /28).")
    availability_zones: tuple[str, ...] = Field(description="At least two distinct zones of the region.")
    public_subnet_cidrs: SubnetCidrs
    app_subnet_cidrs: SubnetCidrs
    database_subnet_cidrs: SubnetCidrs
    cache_subnet_cidrs: SubnetCidrs
    nat_gateways: Annotated[int, Range(1, 6)] = Field(description="NAT gateways, at most one per availability zone.")
    flow_log_retention_days: Annotated[int, LogRetention] = Field(description="VPC flow log retention (days).")

    SUBNET_GROUPS: ClassVar[tuple[str, ...]] = (
        "public_subnet_cidrs",
        "app_subnet_cidrs",
        "database_subnet_cidrs",
        "cache_subnet_cidrs",
    )

    @check("vpc_cidr")
    def _vpc_size(self) -> Iterator[Problem]:
        if not 16 <= network(self.vpc_cidr).prefixlen <= 28:
            yield invalid(("vpc_cidr",), self.vpc_cidr, "a prefix length from /16 to /28")

    @check("availability_zones")
    def _zones(self) -> Iterator[Problem]:
        zones = list(self.availability_zones)
        if len(zones) < 2:
            yield invalid(("availability_zones",), zones, "at least two zones")
        elif len(set(zones)) != len(zones):
            yield invalid(("availability_zones",), zones, "distinct zones")

    @check("vpc_cidr", "availability_zones", *SUBNET_GROUPS)
    def _subnets(self) -> Iterator[Problem]:
        vpc = network(self.vpc_cidr)
        seen: list[tuple[str, ipaddress.IPv4Network]] = []
        for group in self.SUBNET_GROUPS:
            cidrs: tuple[str, ...] = getattr(self, group)
            if len(cidrs) != len(self.availability_zones):
                yield Problem(
                    (group,),
                    f"has {len(cidrs)} CIDRs for {len(self.availability_zones)} availability zones",
                    "exactly one CIDR per availability zone",
                )
            for index, cidr in enumerate(cidrs):
                net = network(cidr)
                if not net.subnet_of(vpc):
                    yield Problem(
                        (group, index),
                        f"subnet {cidr} lies outside the VPC {self.vpc_cidr}",
                        f"a CIDR inside {self.vpc_cidr}",
                    )
                elif not 16 <= net.prefixlen <= 28:
                    yield invalid((group, index), cidr, "a prefix length from /16 to /28")
                else:
                    for other_key, other in seen:
                        if net.overlaps(other):
                            yield Problem(
                                (group, index), f"subnet {cidr} overlaps {other_key} ({other})", "non-overlapping CIDRs"
                            )
                            break
                    seen.append((f"network.{group}[{index}]", net))

    @check("nat_gateways", "availability_zones")
    def _nat_per_zone(self) -> Iterator[Problem]:
        if self.nat_gateways > len(self.availability_zones):
            yield invalid(("nat_gateways",), self.nat_gateways, f"an integer from 1 to {len(self.availability_zones)}")
