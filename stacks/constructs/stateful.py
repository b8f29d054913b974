"""The preamble of every stack that holds data: what a deletion does with it, and its customer-managed key.

Database, cache, file system and backup vaults each encrypt their data, its secrets and its logs with a key
of their own. Written once here so that none can forget rotation, and so that the key's CloudWatch Logs
grant and the log groups' names come from one prefix: a group outside the grant fails to create at deploy
time (CloudWatch Logs may not use the key), which no synth-time check would notice.

`DataKey` is a plain class, not a Construct: a wrapping construct would add a level to the construct path,
and so change the logical ID of every key, log group and data resource of these stacks (replacing them).
It creates its resources directly in the stack, under the ids the stack gives.
"""

from __future__ import annotations

from dataclasses import dataclass

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from stacks.common import allow_log_groups_to_use_key, log_retention

# The configured removal policy of a stateful resource (`database.removal_policy`, `cache.removal_policy`),
# and what follows for what depends on its snapshots: the key that encrypts them, the credentials they
# were taken with, the logs of the same period are kept whenever the data is.
STATEFUL_REMOVAL = {
    "snapshot": cdk.RemovalPolicy.SNAPSHOT,
    "retain": cdk.RemovalPolicy.RETAIN,
    "destroy": cdk.RemovalPolicy.DESTROY,
}
DEPENDENT_REMOVAL = {
    "snapshot": cdk.RemovalPolicy.RETAIN,
    "retain": cdk.RemovalPolicy.RETAIN,
    "destroy": cdk.RemovalPolicy.DESTROY,
}


@dataclass(frozen=True)
class Removal:
    """What a stack deletion (or a replacement) does with a data resource, and with what its data depends on.

    `dependents` covers the key, the credentials and the logs: they are kept whenever a snapshot or the
    resource itself is, since a kept snapshot is unreadable without its key and useless without its credentials.
    """

    data: cdk.RemovalPolicy
    dependents: cdk.RemovalPolicy

    @classmethod
    def configured(cls, policy: str) -> Removal:
        """From a validated `*.removal_policy` of the configuration ("snapshot", "retain" or "destroy")."""
        return cls(data=STATEFUL_REMOVAL[policy], dependents=DEPENDENT_REMOVAL[policy])


class DataKey:
    """A rotated customer-managed key in `scope`, and the log groups (under one prefix) it encrypts.

    With `log_group_prefix`, CloudWatch Logs of the stack's account and region may use the key for the groups
    below that prefix only; `log_group` creates such groups. The key and its groups share `removal_policy`:
    a kept group is unreadable without its key.
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        alias: str,
        description: str,
        removal_policy: cdk.RemovalPolicy,
        log_group_prefix: str | None = None,
    ) -> None:
        self._scope = scope
        self._removal_policy = removal_policy
        self._log_group_prefix = log_group_prefix
        self.key = kms.Key(
            scope,
            id_,
            alias=alias,
            description=description,
            # Yearly automatic rotation (cdk-nag AwsSolutions-KMS5, checkov CKV_AWS_7); old material still decrypts.
            enable_key_rotation=True,
            removal_policy=removal_policy,
        )
        if log_group_prefix is not None:
            allow_log_groups_to_use_key(self.key, log_groups=[f"{log_group_prefix}/*"])

    def log_group(self, id_: str, *, name: str, retention_days: int) -> logs.LogGroup:
        """The group `<log_group_prefix>/<name>`, encrypted with the key, with the configured retention.

        The stack creates it, before the service writes, so that it carries the key and the retention: a group the
        service created itself would be unencrypted and never expire (and no log-retention Lambda is needed).
        """
        if self._log_group_prefix is None:
            raise ValueError(f"{self.key.node.path}: a log group needs the key's log_group_prefix")
        return logs.LogGroup(
            self._scope,
            id_,
            log_group_name=f"{self._log_group_prefix}/{name}",
            retention=log_retention(retention_days),
            encryption_key=self.key,
            removal_policy=self._removal_policy,
        )
