"""One Kubernetes object validated as the API server would take it.

Built-in kinds go through kubernetes-validate --strict at the cluster's version. A custom resource goes
through its CRD's schema the way the API server applies it (apiextensions structural schemas): null
fields that are not nullable are pruned and the schema's defaults applied first, then a field the schema
does not declare is an error (kubectl applies with server-side field validation `Strict`, so an unknown
field such as `spec.refreshIntervall` is rejected, not silently pruned), and `metadata` is ObjectMeta
with the name and label rules the API server enforces.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Mapping
from typing import Any

import jsonschema
import kubernetes_validate.utils as kv

OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
# k8s.io/apimachinery/pkg/util/validation: IsDNS1123Subdomain, IsQualifiedName, IsValidLabelValue.
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
DNS_SUBDOMAIN_MAX, QUALIFIED_NAME_MAX = 253, 63
# The fields the API server keeps at the root of every object and of an embedded resource.
ROOT_FIELDS = ("apiVersion", "kind", "metadata")


def _path(error: jsonschema.ValidationError) -> str:
    return "/".join(map(str, error.absolute_path)) or "(root)"


def validate_object(
    obj: Mapping[str, Any], *, kubernetes_version: str, crds: Mapping[tuple[str, str], Mapping[str, Any]]
) -> str | None:
    """None when valid; otherwise one line naming the object and the first error."""
    kind, api_version = obj.get("kind", "?"), obj.get("apiVersion", "?")
    name = f"{kind} {(obj.get('metadata') or {}).get('name', '?')} ({api_version})"
    schema = crds.get((api_version, kind))
    if schema is not None:
        problem = custom_resource_problem(obj, schema, kubernetes_version=kubernetes_version)
        return f"{name}: {problem}" if problem else None
    try:
        kv.validate(dict(obj), kubernetes_version, strict=True)
    except kv.SchemaNotFoundError:
        return f"{name}: no schema (neither a Kubernetes {kubernetes_version} kind nor a CRD a chart installs)"
    except kv.ValidationError as error:  # a jsonschema.ValidationError itself (kubernetes-validate 1.3x)
        return f"{name}: {error.message} at {_path(error)}"
    except Exception as error:  # a schema the validator cannot resolve: reported, never a crash
        return f"{name}: could not be validated ({type(error).__name__}: {str(error).splitlines()[0]})"
    return None


def custom_resource_problem(
    obj: Mapping[str, Any], schema: Mapping[str, Any], *, kubernetes_version: str
) -> str | None:
    """The first error of a custom resource against its CRD's openAPIV3Schema, metadata included."""
    problem = metadata_problem(obj.get("metadata"), kubernetes_version=kubernetes_version)
    if problem:
        return problem
    body = {key: copy.deepcopy(value) for key, value in obj.items() if key != "metadata"}
    apply_defaults(body, schema)
    errors = sorted(_strict_validator(schema).iter_errors(body), key=lambda e: (_path(e), e.message))
    return f"{errors[0].message} at {_path(errors[0])}" if errors else None


# --- the CRD schema as the API server applies it --------------------------------------------------


def apply_defaults(value: Any, schema: Mapping[str, Any]) -> None:
    """Prune nulls that are not nullable and fill in `default`s, in place, as the API server does on write."""
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        for key in list(value):
            sub = properties.get(key, extra if isinstance(extra, Mapping) else None)
            if value[key] is None and sub is not None and not sub.get("nullable"):
                del value[key]
        for key, sub in properties.items():
            if key not in value and "default" in sub:
                value[key] = copy.deepcopy(sub["default"])
        for key, item in value.items():
            sub = properties.get(key, extra if isinstance(extra, Mapping) else None)
            if sub is not None:
                apply_defaults(item, sub)
    elif isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        for item in value:
            apply_defaults(item, schema["items"])


def strict_schema(schema: Mapping[str, Any], *, root: bool = True) -> dict[str, Any]:
    """The schema with every object closed (additionalProperties: false) unless it preserves unknown fields.

    Only properties, additionalProperties and items are walked: a structural schema's allOf/anyOf/oneOf
    branches may only restate properties already declared, so closing them would reject valid fields.
    `nullable` becomes a JSON-schema null type. The root's (and an embedded resource's) apiVersion, kind
    and metadata are the API server's, so they are always allowed.
    """
    result = dict(schema)
    if result.get("nullable") and isinstance(result.get("type"), str):
        result["type"] = [result["type"], "null"]
    properties = {key: strict_schema(sub, root=False) for key, sub in (schema.get("properties") or {}).items()}
    if root or schema.get("x-kubernetes-embedded-resource"):
        for key in ROOT_FIELDS:
            properties[key] = {}  # metadata: checked as ObjectMeta by metadata_problem
    if properties:
        result["properties"] = properties
    if isinstance(schema.get("additionalProperties"), Mapping):
        result["additionalProperties"] = strict_schema(schema["additionalProperties"], root=False)
    if isinstance(schema.get("items"), Mapping):
        result["items"] = strict_schema(schema["items"], root=False)
    is_object = schema.get("type") == "object" or "properties" in schema
    if is_object and "additionalProperties" not in schema and not schema.get("x-kubernetes-preserve-unknown-fields"):
        result["additionalProperties"] = False
    return result


# By id, holding the schema so the id stays its own: CRD schemas run to megabytes (External Secrets'
# stores), and each is closed once per run.
_VALIDATORS: dict[int, tuple[Mapping[str, Any], jsonschema.Draft7Validator]] = {}


def _strict_validator(schema: Mapping[str, Any]) -> jsonschema.Draft7Validator:
    cached = _VALIDATORS.get(id(schema))
    if cached is None or cached[0] is not schema:
        cached = (schema, jsonschema.Draft7Validator(strict_schema(schema)))
        _VALIDATORS[id(schema)] = cached
    return cached[1]


# --- metadata -------------------------------------------------------------------------------------


@functools.cache
def _object_meta_validator(kubernetes_version: str) -> jsonschema.Draft202012Validator:
    version = [v for v in kv.all_versions() if kv.major_minor(v) <= kubernetes_version][-1]
    definitions = kv.schema_contents(
        f"kubernetes-json-schema/v{version}-local-strict/_definitions.json", kubernetes_version
    )
    defs = definitions.get("$defs", definitions.get("definitions", {}))
    return jsonschema.Draft202012Validator({"$ref": f"#/$defs/{OBJECT_META}", "$defs": defs})


def _qualified_name_problem(key: str) -> str | None:
    prefix, _, name = key.rpartition("/")
    if prefix and (len(prefix) > DNS_SUBDOMAIN_MAX or not DNS_SUBDOMAIN.match(prefix)):
        return f"prefix {prefix!r} is not a DNS subdomain"
    if len(name) > QUALIFIED_NAME_MAX or not QUALIFIED_NAME.match(name):
        return f"name part {name!r} is not a qualified name (alphanumerics, '-', '_', '.'; at most 63)"
    return None


def metadata_problem(metadata: Any, *, kubernetes_version: str) -> str | None:
    """The first error of an object's metadata: ObjectMeta's schema, the name, the labels' keys and values."""
    if not isinstance(metadata, Mapping):
        return "metadata: missing (every object needs metadata.name)"
    errors = sorted(_object_meta_validator(kubernetes_version).iter_errors(dict(metadata)), key=str)
    if errors:
        return f"{errors[0].message} at metadata/{_path(errors[0])}".removesuffix("/(root)")
    name = metadata.get("name")
    if not name and not metadata.get("generateName"):
        return "metadata.name: missing"
    if name and (len(name) > DNS_SUBDOMAIN_MAX or not DNS_SUBDOMAIN.match(name)):
        return f"metadata.name {name!r}: not a DNS subdomain (lowercase alphanumerics, '-' and '.', at most 253)"
    for key, value in (metadata.get("labels") or {}).items():
        if problem := _qualified_name_problem(str(key)):
            return f"metadata.labels key {key!r}: {problem}"
        if value and (len(str(value)) > QUALIFIED_NAME_MAX or not QUALIFIED_NAME.match(str(value))):
            return f"metadata.labels[{key!r}] value {value!r}: not a valid label value (at most 63, alphanumeric ends)"
    for key in metadata.get("annotations") or {}:
        if problem := _qualified_name_problem(str(key)):
            return f"metadata.annotations key {key!r}: {problem}"
    return None
