"""The Pod Security Standards "restricted" security contexts, written once for our manifests and the charts' values.

`restricted_container` / `restricted_pod` build the typed cdk8s objects of our own charts;
`restricted_container_security_context` / `restricted_pod_security_context` give the same settings as
Helm values (camelCase) to the charts we install. What "restricted" requires: non-root, no privilege
escalation, every capability dropped, the RuntimeDefault seccomp profile (on the pod or the container).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdk8s_plus_36 import k8s

NOBODY = 65534
RUNTIME_DEFAULT = "RuntimeDefault"
DROP_ALL = ("ALL",)


def restricted_container(
    *, uid: int | None = None, gid: int | None = None, seccomp: bool = True, privileged: bool | None = False
) -> k8s.SecurityContext:
    """A container's context; `seccomp=False` where the pod's context already sets the profile."""
    return k8s.SecurityContext(
        run_as_non_root=True,
        run_as_user=uid,
        run_as_group=gid,
        allow_privilege_escalation=False,
        read_only_root_filesystem=True,
        privileged=privileged,
        capabilities=k8s.Capabilities(drop=list(DROP_ALL)),
        seccomp_profile=k8s.SeccompProfile(type=RUNTIME_DEFAULT) if seccomp else None,
    )


def restricted_pod(
    *, uid: int, gid: int, fs_group: int | None = None, sysctls: Mapping[str, str] | None = None
) -> k8s.PodSecurityContext:
    """A pod's context: its containers run as uid:gid; `fs_group` owns the mounted volumes' files."""
    return k8s.PodSecurityContext(
        run_as_non_root=True,
        run_as_user=uid,
        run_as_group=gid,
        fs_group=fs_group,
        seccomp_profile=k8s.SeccompProfile(type=RUNTIME_DEFAULT),
        sysctls=[k8s.Sysctl(name=k, value=v) for k, v in (sysctls or {}).items()] or None,
    )


def restricted_container_security_context(*, read_only_root: bool = True) -> dict[str, Any]:
    """A container security context meeting PSS "restricted", as Helm values (camelCase)."""
    return {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": read_only_root,
        "runAsNonRoot": True,
        "capabilities": {"drop": list(DROP_ALL)},
        "seccompProfile": {"type": RUNTIME_DEFAULT},
    }


def restricted_pod_security_context(uid: int = NOBODY, *, fs_group: bool = True) -> dict[str, Any]:
    """A pod security context meeting PSS "restricted", as Helm values: uid is also the group (and fsGroup)."""
    context: dict[str, Any] = {
        "runAsNonRoot": True,
        "runAsUser": uid,
        "runAsGroup": uid,
        "seccompProfile": {"type": RUNTIME_DEFAULT},
    }
    if fs_group:
        context["fsGroup"] = uid
    return context
