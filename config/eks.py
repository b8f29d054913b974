"""The `eks` section: the cluster, its control-plane logs and its managed node groups."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, ClassVar

from pydantic import Field

from config.base import Cidr, LogRetention, Matches, OneOf, Range, Section, check
from config.errors import ConfigError, Problem, invalid
from config.instances import INSTANCE_SHAPES, InstanceShape
from config.kubernetes import SUPPORTED_VERSIONS
from config.patterns import EC2_INSTANCE_TYPE, IAM_ROLE_NAME, K8S_LABEL_VALUE, K8S_NAME_RE


class Taint(Section):
    key: str = Field(description="Taint key.")
    value: str = Field(description="Taint value (quote true/false).")
    effect: Annotated[str, OneOf("NoSchedule", "PreferNoSchedule", "NoExecute")] = Field(description="Taint effect.")


class NodeGroupConfig(Section):
    name: Annotated[str, Matches(K8S_NAME_RE, "a DNS-1123 label, e.g. app-nodes")] = Field(
        description="Node group name; app-nodes and system-nodes are required."
    )
    instance_type: Annotated[str, EC2_INSTANCE_TYPE] = Field(description="EC2 instance type of the nodes.")
    desired_size: Annotated[int, Range(0, 450)] = Field(description="Initial node count.")
    min_size: Annotated[int, Range(0, 450)] = Field(description="Fewest nodes the autoscaler keeps.")
    max_size: Annotated[int, Range(1, 450)] = Field(description="Most nodes the autoscaler adds.")
    volume_size_gib: Annotated[int, Range(20, 16384)] = Field(description="Root volume size (GiB).")
    volume_type: Annotated[str, OneOf("gp3", "gp2", "io1", "io2")] = Field(description="Root volume type.")
    labels: dict[str, Annotated[str, K8S_LABEL_VALUE]] = Field(description="Kubernetes labels of the nodes.")
    taints: tuple[Taint, ...] = Field(default=(), description="Kubernetes taints of the nodes.")

    @check("min_size", "desired_size", "max_size")
    def _sizes(self) -> Iterator[Problem]:
        if not self.min_size <= self.desired_size <= self.max_size:
            yield Problem(
                ("desired_size",),
                f"min_size {self.min_size} <= desired_size {self.desired_size} <= max_size {self.max_size} does not hold",
                "min_size <= desired_size <= max_size",
            )


# The Spot twin of app-nodes (the design's cost policy: スポットインスタンス活用); its label and taint are app-nodes'.
SPOT_APP_NODE_GROUP = "app-nodes-spot"


class SpotNodeGroupConfig(Section):
    """`eks.spot_app_nodes`: a Spot managed node group with app-nodes' labels, taints and disk."""

    instance_types: tuple[Annotated[str, OneOf(*INSTANCE_SHAPES)], ...] = Field(
        description="Two or more interchangeable instance types of one vCPU/memory shape (app-nodes' shape)."
    )
    min_size: Annotated[int, Range(0, 450)] = Field(description="Fewest Spot nodes the autoscaler keeps.")
    desired_size: Annotated[int, Range(0, 450)] = Field(description="Initial Spot node count.")
    max_size: Annotated[int, Range(1, 450)] = Field(description="Most Spot nodes the autoscaler adds.")

    @check("instance_types")
    def _types(self) -> Iterator[Problem]:
        types = list(self.instance_types)
        if len(types) < 2 or len(set(types)) != len(types):
            yield invalid(("instance_types",), types, "two or more distinct instance types")
            return
        shapes = {(INSTANCE_SHAPES[t].vcpus, INSTANCE_SHAPES[t].memory_mib) for t in types}
        if len(shapes) != 1:
            found = ", ".join(f"{t} {INSTANCE_SHAPES[t].vcpus} vCPU/{INSTANCE_SHAPES[t].memory_mib} MiB" for t in types)
            yield invalid(("instance_types",), types, f"types of one vCPU/memory shape, not {found}")

    @check("min_size", "desired_size", "max_size")
    def _sizes(self) -> Iterator[Problem]:
        if not self.min_size <= self.desired_size <= self.max_size:
            yield Problem(
                ("desired_size",),
                f"min_size {self.min_size} <= desired_size {self.desired_size} <= max_size {self.max_size} does not hold",
                "min_size <= desired_size <= max_size",
            )

    @property
    def smallest(self) -> tuple[str, InstanceShape]:
        """The type with the fewest pod slots: the one the capacity model must hold for."""
        name = min(self.instance_types, key=lambda t: (INSTANCE_SHAPES[t].max_pods, INSTANCE_SHAPES[t].memory_mib))
        return name, INSTANCE_SHAPES[name]


class EksConfig(Section):
    cluster_name: Annotated[str, Matches(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$", "1-100 letters, digits, - or _")] = Field(
        description="EKS cluster name."
    )
    kubernetes_version: Annotated[str, OneOf(*SUPPORTED_VERSIONS)] = Field(
        description="Kubernetes minor version (quote it: 1.30 is not 1.3)."
    )
    upgrade_policy: Annotated[str, OneOf("STANDARD", "EXTENDED")] = Field(description="EKS support policy.")
    endpoint_public_access_cidrs: tuple[Annotated[str, Cidr()], ...] = Field(
        description="CIDRs that may reach the public API endpoint (0.0.0.0/0 for any)."
    )
    admin_role_name: Annotated[str, IAM_ROLE_NAME] = Field(description="Existing IAM role given cluster admin.")
    node_groups: tuple[NodeGroupConfig, ...] = Field(description="Managed node groups.")
    control_plane_log_types: tuple[
        Annotated[str, OneOf("api", "audit", "authenticator", "controllerManager", "scheduler")], ...
    ] = Field(description="Control-plane log types sent to CloudWatch.")
    control_plane_log_retention_days: Annotated[int, LogRetention] = Field(
        default=90, description="Control-plane log retention (days)."
    )
    spot_app_nodes: SpotNodeGroupConfig | None = Field(
        default=None, description="A Spot node group beside app-nodes (null for none)."
    )

    UPGRADE_POLICIES: ClassVar[tuple[str, ...]] = ("STANDARD", "EXTENDED")
    LOG_TYPES: ClassVar[tuple[str, ...]] = ("api", "audit", "authenticator", "controllerManager", "scheduler")
    # The seed's two groups: workloads select app-nodes, the cluster's controllers run on system-nodes.
    REQUIRED_NODE_GROUPS: ClassVar[tuple[str, ...]] = ("app-nodes", "system-nodes")

    @check("endpoint_public_access_cidrs")
    def _public_access(self) -> Iterator[Problem]:
        if not self.endpoint_public_access_cidrs:
            yield invalid(("endpoint_public_access_cidrs",), [], "at least one CIDR (0.0.0.0/0 for any)")

    @check("node_groups")
    def _groups(self) -> Iterator[Problem]:
        names = [group.name for group in self.node_groups]
        if not names or len(set(names)) != len(names):
            yield invalid(("node_groups",), names, "one or more node groups with distinct names")
            return
        missing = [name for name in self.REQUIRED_NODE_GROUPS if name not in names]
        if missing:
            yield Problem(
                ("node_groups",), f"has no group named {', '.join(missing)}", "app-nodes and system-nodes among others"
            )
        if SPOT_APP_NODE_GROUP in names:
            yield invalid(
                ("node_groups",), names, f"no group named {SPOT_APP_NODE_GROUP} (eks.spot_app_nodes defines it)"
            )

    @check("node_groups", "spot_app_nodes")
    def _spot_shape(self) -> Iterator[Problem]:
        if self.spot_app_nodes is None or self.REQUIRED_NODE_GROUPS[0] not in [g.name for g in self.node_groups]:
            return
        app_type = self.node_group(self.REQUIRED_NODE_GROUPS[0]).instance_type
        app_shape = INSTANCE_SHAPES.get(app_type)
        spot_shape = INSTANCE_SHAPES[self.spot_app_nodes.instance_types[0]]
        # Interchangeable with app-nodes, or the autoscaler's similar-group balancing and the capacity
        # model would treat the tier's nodes as two different machines.
        if app_shape is None or (app_shape.vcpus, app_shape.memory_mib) != (spot_shape.vcpus, spot_shape.memory_mib):
            yield Problem(
                ("spot_app_nodes", "instance_types"),
                f"{list(self.spot_app_nodes.instance_types)} differ in vCPU/memory from app-nodes' {app_type}",
                "types of app-nodes' shape",
            )

    @check("control_plane_log_types")
    def _log_types(self) -> Iterator[Problem]:
        if len(set(self.control_plane_log_types)) != len(self.control_plane_log_types):
            yield invalid(("control_plane_log_types",), list(self.control_plane_log_types), "distinct log types")

    @property
    def spot_node_group(self) -> NodeGroupConfig | None:
        """The Spot twin of app-nodes as a node group: app-nodes' labels, taints and disk, the Spot sizes, and
        the smallest of its instance types (the one the capacity model must hold for)."""
        spot = self.spot_app_nodes
        if spot is None:
            return None
        return self.node_group(self.REQUIRED_NODE_GROUPS[0]).model_copy(
            update={
                "name": SPOT_APP_NODE_GROUP,
                "instance_type": spot.smallest[0],
                "min_size": spot.min_size,
                "desired_size": spot.desired_size,
                "max_size": spot.max_size,
            }
        )

    @property
    def all_node_groups(self) -> tuple[NodeGroupConfig, ...]:
        """Every managed node group the cluster gets: the configured ones, then the Spot twin."""
        spot = self.spot_node_group
        return (*self.node_groups, *((spot,) if spot else ()))

    def node_group(self, name: str) -> NodeGroupConfig:
        for group in self.node_groups:
            if group.name == name:
                return group
        raise ConfigError(
            "eks.node_groups", f"no node group named {name!r}", ", ".join(g.name for g in self.node_groups)
        )
