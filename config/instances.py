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
        # The ENI formula EKS uses without prefix delegation (DESIGN.md, capacity facts).
        return self.enis * (self.ipv4_per_eni - 1) + 2


# EC2's published vCPUs, memory and ENI/IPv4 limits for the types the Spot group may mix. A type not listed
# cannot be checked for "same shape", so it is refused rather than guessed.
INSTANCE_SHAPES: dict[str, InstanceShape] = {
    "t2.medium": InstanceShape(vcpus=2, memory_mib=4096, enis=3, ipv4_per_eni=6),
    "t3.medium": InstanceShape(vcpus=2, memory_mib=4096, enis=3, ipv4_per_eni=6),
    "t3a.medium": InstanceShape(vcpus=2, memory_mib=4096, enis=3, ipv4_per_eni=6),
    "t2.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=12),
    "t3.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=12),
    "t3a.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=12),
    "m5.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=10),
    "m5a.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=10),
    "m6i.large": InstanceShape(vcpus=2, memory_mib=8192, enis=3, ipv4_per_eni=10),
}
