"""EfsStorageClassChart: dynamic provisioning on the app tier's EFS file system (the design's app-nodes `efs: true`).

A claim of this class gets its own EFS access point (provisioningMode `efs-ap`), created by the EFS CSI
driver's controller with its Pod Identity role: a directory of its own under `BASE_PATH`, owned by a
POSIX uid/gid the access point enforces whatever user the pod runs as. The file system comes from
FileSystemStack (`efs.enabled`) or an existing one (`efs.file_system_id`); without either there is no
class, since one naming no file system would leave every claim Pending.
"""

from __future__ import annotations

import cdk8s
from cdk8s_plus_36 import k8s
from constructs import Construct

PROVISIONER = "efs.csi.aws.com"
STORAGE_CLASS = "efs-sc"
BASE_PATH = "/dynamic"
# The access points' directory owners: the range the driver picks uid/gid from for each new access point.
GID_RANGE = (50000, 59999)


def efs_storage_class_parameters(file_system_id: str) -> dict[str, str]:
    """The driver's StorageClass parameters for access-point provisioning (aws-efs-csi-driver docs)."""
    return {
        "provisioningMode": "efs-ap",
        "fileSystemId": file_system_id,
        "directoryPerms": "700",
        "gidRangeStart": str(GID_RANGE[0]),
        "gidRangeEnd": str(GID_RANGE[1]),
        "basePath": BASE_PATH,
        # A claim recreated under the same name gets a fresh directory instead of another claim's data.
        "ensureUniqueDirectory": "true",
    }


class EfsStorageClassChart(cdk8s.Chart):
    """The `efs-sc` StorageClass; volumes mount with TLS (the file system policy denies plain NFS)."""

    def __init__(self, scope: Construct, id_: str, *, file_system_id: str) -> None:
        super().__init__(scope, id_, disable_resource_name_hashes=True)
        self.storage_class = k8s.KubeStorageClass(
            self,
            "StorageClass",
            metadata=k8s.ObjectMeta(name=STORAGE_CLASS),
            provisioner=PROVISIONER,
            parameters=efs_storage_class_parameters(file_system_id),
            mount_options=["tls"],
            # EFS is regional: a volume is usable from every zone, so no WaitForFirstConsumer is needed.
            volume_binding_mode="Immediate",
            # Deletes the claim's access point only: the controller keeps its directory and data
            # (deleteAccessPointRootDir is off), so a mistaken delete is recoverable.
            reclaim_policy="Delete",
        )
