"""make verify-charts' checks can fail: each test plants the fault a check exists for and sees it reported.

Small charts are written to tmp dirs and rendered by helm-python-sdk for real (offline); the custom
resources are ours, from the synthesized prod templates, against the External Secrets CRDs copied from
the pinned chart (k8s_charts/imports/crds/).
"""

from __future__ import annotations

import copy
import hashlib
import io
import itertools
import re
import tarfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts import chart_objects as objects
from scripts import chart_render as render
from scripts import chart_source as source
from scripts import chart_values as values
from scripts import verify_charts as vc
from scripts.applied_manifests import applied_manifests
from tests.conftest import Synthesized

ES_CRDS = Path(__file__).resolve().parent.parent / "k8s_charts" / "imports" / "crds" / "external-secrets.yaml"
K8S = "1.36"


def release(chart: str = "demo", version: str = "0.1.0", **values_: Any) -> render.Release:
    return render.Release(
        stack="S",
        release=chart,
        chart=chart,
        version=version,
        repository="https://charts.example",
        namespace="ns",
        values=values_,
    )


def write_chart(root: Path, templates: dict[str, str], defaults: dict[str, Any], version: str = "0.1.0") -> Path:
    """A chart directory `root/demo-<version>` with these templates and values.yaml."""
    chart = root / f"demo-{version}"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(f"apiVersion: v2\nname: demo\nversion: {version}\n")
    (chart / "values.yaml").write_text(yaml.safe_dump(defaults))
    for name, text in templates.items():
        (chart / "templates" / name).write_text(text)
    (chart / source.UNVERIFIED_MARKER).write_text("written by the test\n")
    return chart


def deployment(replicas: str) -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: demo}}}}
  template:
    metadata: {{labels: {{app: demo}}}}
    spec:
      containers: [{{name: demo, image: "example/demo:1"}}]
"""


WEBHOOK_CERT = """{{- $ca := genCA "demo-ca" 365 }}
{{- $cert := genSignedCert "demo-webhook" nil (list "demo-webhook.ns.svc") 365 $ca }}
apiVersion: v1
kind: Secret
metadata:
  name: demo-webhook-tls
type: kubernetes.io/tls
data:
  tls.crt: {{ $cert.Cert | b64enc }}
  tls.key: {{ $cert.Key | b64enc }}
  ca.crt: {{ $ca.Cert | b64enc }}
"""


def verify(chart: Path, rel: render.Release, our_objects: list[dict[str, Any]] | None = None) -> vc.Report:
    found = source.check_source(chart, archive_name=chart.name, digest=None)
    return vc.verify_release(
        rel,
        found,
        kubernetes_version=K8S,
        api_versions=render.cluster_api_versions(K8S),
        our_objects=our_objects or [],
        all_crds={},
        inventory=None,
    )


# --- (a) a chart object that fails kubernetes-validate ---------------------------------------------


def test_a_rendered_object_that_fails_kubernetes_validate_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    chart = write_chart(tmp_path, {"deployment.yaml": deployment('"{{ .Values.replicaCount }}"')}, {"replicaCount": 1})
    report = verify(chart, release(replicaCount=2))
    assert report.findings == ["Deployment demo (apps/v1): '2' is not of type 'integer', 'null' at spec/replicas"]


def test_an_unknown_field_of_a_builtin_kind_is_a_finding() -> None:
    obj = yaml.safe_load(deployment("1"))
    obj["spec"]["replicaz"] = 1
    problem = vc.validate_object(obj, kubernetes_version=K8S, crds={})
    assert problem is not None and problem.startswith("Deployment demo (apps/v1): Additional properties")
    assert "'replicaz'" in problem


# --- (b) the ignored-key check on a chart that generates certificates on every render --------------


def test_a_typo_is_found_in_a_chart_that_generates_a_certificate_on_every_render(tmp_path: Path) -> None:
    chart = write_chart(
        tmp_path,
        {"deployment.yaml": deployment("{{ .Values.replicaCount }}"), "secret.yaml": WEBHOOK_CERT},
        {"replicaCount": 1},
    )
    rel = release(replicaCount=2, replicaCountt=3)
    renderer = render.Renderer(chart, rel, kube_version=K8S, api_versions=render.cluster_api_versions(K8S))
    assert renderer.render(rel.values) != renderer.render(rel.values)  # the fault: every render differs
    findings, notes = values.ineffective_values(rel.values, renderer.render, render.raw_values_files(chart))
    assert findings == ["value replicaCountt: not a key of the chart's values.yaml; changes nothing (ignored)"]
    assert notes == [
        "ignored-key check: 3 fields generated on every render masked (Secret//demo-webhook-tls/data/ca.crt, "
        "Secret//demo-webhook-tls/data/tls.crt, Secret//demo-webhook-tls/data/tls.key)"
    ]


def test_a_chart_that_renders_differently_beyond_what_masking_covers_says_the_check_could_not_run() -> None:
    counter = itertools.count()

    def drifting(_: Any) -> list[dict[str, Any]]:  # a new key on every render: masking cannot pin it down
        return [{"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {f"k{next(counter)}": "x"}}]

    with pytest.raises(values.CheckCannotRun, match=r"^ignored-key check SKIPPED: the chart renders differently"):
        values.ineffective_values({"replicaCountt": 3}, drifting, {".": {}})


def test_a_check_that_could_not_run_is_printed_and_counted(capsys: pytest.CaptureFixture[str]) -> None:
    report = vc.Report(release=release(), source="x", not_run=["ignored-key check SKIPPED: because"])
    assert vc.print_reports([report]) == (0, 0, 1)
    assert "? ignored-key check SKIPPED: because" in capsys.readouterr().out


# --- (c) custom resources as strictly as the API server -------------------------------------------


@pytest.fixture(scope="module")
def es_crds() -> dict[tuple[str, str], dict[str, Any]]:
    return render.crd_schemas(d for d in yaml.safe_load_all(ES_CRDS.read_text()) if isinstance(d, dict))


def our_external_secrets(prod: Synthesized) -> list[dict[str, Any]]:
    ours = [obj for path in prod.template_files() for obj in applied_manifests(yaml.safe_load(path.read_text()))]
    return [obj for obj in ours if obj.get("kind") == "ExternalSecret"]


def test_our_external_secrets_are_valid_and_a_misspelled_field_or_name_is_reported(
    prod: Synthesized, es_crds: dict[tuple[str, str], dict[str, Any]]
) -> None:
    secrets = our_external_secrets(prod)
    assert secrets
    assert [vc.validate_object(s, kubernetes_version=K8S, crds=es_crds) for s in secrets] == [None] * len(secrets)
    typo = copy.deepcopy(secrets[0])
    typo["spec"]["refreshIntervall"] = typo["spec"].pop("refreshInterval", "1h")
    problem = vc.validate_object(typo, kubernetes_version=K8S, crds=es_crds)
    assert problem is not None and "('refreshIntervall' was unexpected) at spec" in problem
    bad_name = copy.deepcopy(secrets[0])
    bad_name["metadata"]["name"] = "DB_Credentials"
    assert "metadata.name 'DB_Credentials': not a DNS subdomain" in str(
        vc.validate_object(bad_name, kubernetes_version=K8S, crds=es_crds)
    )
    bad_meta = copy.deepcopy(secrets[0])
    bad_meta["metadata"]["lables"] = {"app": "x"}
    assert "('lables' was unexpected) at metadata" in str(
        vc.validate_object(bad_meta, kubernetes_version=K8S, crds=es_crds)
    )


THING = {
    "kind": "CustomResourceDefinition",
    "spec": {
        "group": "example.io",
        "names": {"kind": "Agent"},
        "versions": [
            {
                "name": "v1",
                "served": True,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "properties": {
                            "spec": {
                                "type": "object",
                                "required": ["mode", "config"],
                                "properties": {
                                    "mode": {
                                        "type": "string",
                                        "enum": ["daemonset", "deployment"],
                                        "default": "daemonset",
                                    },
                                    "config": {
                                        "type": "object",
                                        "default": {},
                                        "required": ["interval"],
                                        "properties": {"interval": {"type": "integer", "default": 60}},
                                    },
                                    "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                                    "image": {"type": "string", "nullable": True},
                                    "template": {"type": "object", "x-kubernetes-embedded-resource": True},
                                },
                            }
                        },
                    }
                },
            }
        ],
    },
}


def test_crd_defaults_are_applied_before_validation_as_the_api_server_does() -> None:
    crds = render.crd_schemas([THING])
    agent = {"apiVersion": "example.io/v1", "kind": "Agent", "metadata": {"name": "agent"}, "spec": {}}
    # Without the defaults the required mode/config/interval would be three false positives.
    assert vc.validate_object(agent, kubernetes_version=K8S, crds=crds) is None
    free_form = {
        **agent,
        "spec": {"extra": {"anything": 1}, "image": None, "template": {"kind": "Pod", "metadata": {}}},
    }
    assert vc.validate_object(free_form, kubernetes_version=K8S, crds=crds) is None
    wrong = {**agent, "spec": {"mode": "sidecar"}}
    assert "'sidecar' is not one of ['daemonset', 'deployment'] at spec/mode" in str(
        vc.validate_object(wrong, kubernetes_version=K8S, crds=crds)
    )
    unknown = {**agent, "spec": {"config": {"intervall": 30}}}
    assert "('intervall' was unexpected) at spec/config" in str(
        vc.validate_object(unknown, kubernetes_version=K8S, crds=crds)
    )


def test_label_rules_of_the_api_server_apply_to_custom_resources() -> None:
    meta = {"name": "a", "labels": {"app.kubernetes.io/name": "x" * 64}}
    assert "not a valid label value" in str(objects.metadata_problem(meta, kubernetes_version=K8S))
    assert objects.metadata_problem({"name": "a", "labels": {"ok": "TOKEN"}}, kubernetes_version=K8S) is None
    assert (
        objects.metadata_problem(None, kubernetes_version=K8S) == "metadata: missing (every object needs metadata.name)"
    )


# --- (d) a run that verifies nothing fails; the API versions are fixed ------------------------------


def test_a_run_that_verified_nothing_exits_non_zero_with_one_line(
    prod: Synthesized, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HELM_CHART_CACHE", str(tmp_path))
    assert vc.main(["--env", "prod", "--assembly", str(prod.outdir), "--no-pull"]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert re.match(r"verify-charts: FAILED, nothing verified: no usable chart for any of the \d+ releases", out[0])


CAPABILITY = """{{- if .Capabilities.APIVersions.Has "external-secrets.io/v1" }}
apiVersion: external-secrets.io/v1
kind: SecretStore
metadata:
  name: demo
spec:
  provider: {aws: {service: SecretsManager, region: ap-northeast-1}}
{{- end }}
"""


def test_a_chart_sees_the_platform_api_versions_whichever_charts_were_found(tmp_path: Path) -> None:
    chart = write_chart(tmp_path, {"store.yaml": CAPABILITY}, {})
    renderer = render.Renderer(chart, release(), kube_version=K8S, api_versions=render.cluster_api_versions(K8S))
    assert [obj["kind"] for obj in renderer.render({})] == ["SecretStore"]  # no External Secrets chart found


def test_a_chart_that_installs_an_api_the_platform_list_does_not_have_is_a_finding(tmp_path: Path) -> None:
    crd = yaml.safe_dump({"apiVersion": "apiextensions.k8s.io/v1", **THING, "metadata": {"name": "agents.example.io"}})
    chart = write_chart(tmp_path, {}, {})
    (chart / "crds").mkdir()
    (chart / "crds" / "agents.yaml").write_text(crd)
    report = verify(chart, release())
    assert any(f.startswith("installs CRDs of example.io/v1, which PLATFORM_API_VERSIONS") for f in report.findings)


# --- (e) the archive digest ------------------------------------------------------------------------


def archive(path: Path, content: bytes) -> str:
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("demo/Chart.yaml")
        info.size = len(content)
        tar.addfile(info, io.BytesIO(content))
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_archive_whose_digest_differs_from_the_pin_is_refused(tmp_path: Path) -> None:
    rel = release(version="1.2.3")
    digest = archive(tmp_path / "demo-1.2.3.tgz", b"apiVersion: v2\nname: demo\nversion: 1.2.3\n")
    pins = {("demo", "https://charts.example", "1.2.3"): digest}
    found = source.locate_chart(rel, cache=tmp_path, pull_cache=tmp_path, pull=None, digests=pins)
    assert (
        found.refused is None
        and found.trust.startswith("archive sha256 ")
        and "matches the pinned digest" in found.trust
    )
    tampered = archive(tmp_path / "demo-1.2.3.tgz", b"apiVersion: v2\nname: demo\nversion: 1.2.3\n# changed\n")
    found = source.locate_chart(rel, cache=tmp_path, pull_cache=tmp_path, pull=None, digests=pins)
    assert found.refused == (
        f"refused: {tmp_path / 'demo-1.2.3.tgz'} has sha256 {tampered}, the pinned digest is {digest} "
        "(not the published archive)"
    )
    report = vc.verify_release(
        rel, found, kubernetes_version=K8S, api_versions=[], our_objects=[], all_crds={}, inventory=None
    )
    assert report.findings == [found.refused]


def test_a_pulled_archive_is_digest_checked_and_a_missing_pin_is_said(tmp_path: Path) -> None:
    def pull(*_: Any, destination: Path, **__: Any) -> None:
        archive(destination / "demo-1.2.3.tgz", b"something else")

    pins = {("demo", "https://charts.example", "1.2.3"): "0" * 64}
    found = source.locate_chart(release(version="1.2.3"), cache=None, pull_cache=tmp_path, pull=pull, digests=pins)
    assert found.refused is not None and f"the pinned digest is {'0' * 64}" in found.refused
    unpinned = source.locate_chart(release(version="1.2.3"), cache=None, pull_cache=tmp_path, pull=None, digests={})
    assert unpinned.refused is None and unpinned.trust.startswith("digest not pinned: archive sha256 ")


# Pins whose digest no source here could establish (addons/reloader.py and addons/istio_release.py say why);
# the run says so.
DIGEST_NOT_ESTABLISHED = {"reloader", "base", "istiod", "cni", "ztunnel"}


def test_every_pinned_chart_has_its_archive_digest_or_says_why_not() -> None:
    pins = source.pinned_digests()
    assert len(pins) == 12  # six platform releases, cluster-autoscaler, Reloader and Istio's four
    assert {chart for (chart, _, _), d in pins.items() if d is None} == DIGEST_NOT_ESTABLISHED
    assert all(re.fullmatch(r"[0-9a-f]{64}", d) for d in pins.values() if d is not None)


# --- (f) the C YAML loader ---------------------------------------------------------------------------


def test_the_charts_are_parsed_with_libyaml_where_pyyaml_has_it() -> None:
    assert yaml.__with_libyaml__, "PyYAML without libyaml: External Secrets' render takes minutes"
    assert render.YAML_LOADER is yaml.CSafeLoader
    assert render.yaml_loader_name(yaml.CSafeLoader) == "libyaml (C)"
    assert render.yaml_loader_name(yaml.SafeLoader) == "pure Python (slow: PyYAML without libyaml)"
    with pytest.raises(yaml.constructor.ConstructorError):  # still a safe loader
        render.load_yaml_documents("!!python/object/apply:os.system ['true']")
