"""What the configuration and the capacity model need to know of EC2 instance types."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InstanceShape:
    """vCPUs, memory and the VPC CNI's pod slots of one instance type."""

    vcpus: int
    memory_mib: int
    enis: int
    ipv4_per_eni: int

    @property
    def max_pods(self) -> int:
        # The ENI formula EKS uses without prefix delegation (README, capacity).
        return self.enis * (self.ipv4_per_eni - 1) + 2


# EC2's published vCPUs, memory and ENI/IPv4-per-ENI limits (DescribeInstanceTypes) of the types this project
# can choose. The capacity model (fit/capacity.py) refuses a type not listed rather than guessing its limits,
# and the Spot group's types must share one shape from this table.
INSTANCE_SHAPES: dict[str, InstanceShape] = {
    "t2.medium": InstanceShape(vcpus=2, memory_mib=4096, enis=3, ipv4_per_eni=6),
    "t2.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=12),
    "t3.small": InstanceShape(vcpus=2, memory_mib=2048, enis=3, ipv4_per_eni=4),
    "t3.medium": InstanceShape(vcpus=2, memory_mib=4096, enis=3, ipv4_per_eni=6),
    "t3.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=12),
    "t3.xlarge": InstanceShape(vcpus=4, memory_mib=16384, enis=4, ipv4_per_eni=15),
    "t3.2xlarge": InstanceShape(vcpus=8, memory_mib=32768, enis=4, ipv4_per_eni=15),
    "t3a.small": InstanceShape(vcpus=2, memory_mib=2048, enis=2, ipv4_per_eni=4),
    "t3a.medium": InstanceShape(vcpus=2, memory_mib=4096, enis=3, ipv4_per_eni=6),
    "t3a.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=12),
    "t4g.small": InstanceShape(vcpus=2, memory_mib=2048, enis=3, ipv4_per_eni=4),
    "t4g.medium": InstanceShape(vcpus=2, memory_mib=4096, enis=3, ipv4_per_eni=6),
    "t4g.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=12),
    "m5.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=10),
    "m5.xlarge": InstanceShape(vcpus=4, memory_mib=16384, enis=4, ipv4_per_eni=15),
    "m5a.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=10),
    "m6i.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=10),
    "m6i.xlarge": InstanceShape(vcpus=4, memory_mib=16384, enis=4, ipv4_per_eni=15),
    "m6g.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=10),
    "m7g.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=10),
    "c5.large": InstanceShape(vcpus=2, memory_mib=4096, enis=3, ipv4_per_eni=10),
    "c6i.large": InstanceShape(vcpus=2, memory_mib=4096, enis=3, ipv4_per_eni=10),
    "r6i.large": InstanceShape(vcpus=2, memory_mib=16384, enis=3, ipv4_per_eni=10),
}
