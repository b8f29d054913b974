"""Strict validation of applied objects: kubernetes-validate for the built-in kinds, the committed CRDs for the
custom resources whose CRDs ship in k8s_charts/imports/crds/ (the check `make verify-charts` runs)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import kubernetes_validate
import yaml

from scripts.chart_render import crd_schemas
from scripts.verify_charts import validate_object
from tests.repository import ROOT

CRD_DIR = ROOT / "k8s_charts" / "imports" / "crds"
# Custom resources validated against the committed CRD (k8s_charts/imports/crds/<file>).
CRD_FILES = {"security.istio.io/": "istio-security.yaml"}


@cache
def _crds(name: str) -> dict[tuple[str, str], dict[str, Any]]:
    return crd_schemas([doc for doc in yaml.safe_load_all((CRD_DIR / name).read_text()) if doc])


def validation_errors(manifest: Iterable[Mapping[str, Any]], version: str) -> list[str]:
    errors = []
    for obj in manifest:
        crd_file = next((f for prefix, f in CRD_FILES.items() if obj["apiVersion"].startswith(prefix)), None)
        if crd_file is not None:
            error = validate_object(obj, kubernetes_version=version, crds=_crds(crd_file))
            if error:
                errors.append(error)
            continue
        try:
            kubernetes_validate.validate(dict(obj), f"{version}.0", strict=True)
        except kubernetes_validate.ValidationError as failure:
            errors.append(f"{obj['kind']}/{obj['metadata']['name']}: {failure.message}")
    return errors
