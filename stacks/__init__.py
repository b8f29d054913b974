"""The deployable units, one module each; app.py composes them (`import stacks`, then `stacks.NetworkStack`)."""

from stacks.backup import BackupDrStack, BackupStack
from stacks.cache import CacheStack
from stacks.cdn import CdnStack
from stacks.cicd import CicdStack
from stacks.database import DatabaseStack
from stacks.edge import EdgeStack
from stacks.eks import EksStack
from stacks.file_system import FileSystemStack
from stacks.monitoring import EdgeMonitoringStack, MonitoringStack
from stacks.network import NetworkStack
from stacks.workloads import WorkloadsStack

__all__ = [
    "BackupDrStack",
    "BackupStack",
    "CacheStack",
    "CdnStack",
    "CicdStack",
    "DatabaseStack",
    "EdgeMonitoringStack",
    "EdgeStack",
    "EksStack",
    "FileSystemStack",
    "MonitoringStack",
    "NetworkStack",
    "WorkloadsStack",
]
