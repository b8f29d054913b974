"""Configuration v2: every problem in one run, in file order; the JSON Schema; sizing; the bare app."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import entrypoint
from config import ConfigError, load_config
from config import jsonschema as config_jsonschema
from tests.conftest import Synthesized, cdk_json_context

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config"
CHECK_JSONSCHEMA = ROOT / ".venv" / "bin" / "check-jsonschema"


def lines_for(tmp_path: Path, prod_text: str, dev_text: str | None = None, env: str = "prod") -> tuple[str, ...]:
    (tmp_path / "prod.yaml").write_text(prod_text)
    if dev_text is not None:
        (tmp_path / "dev.yaml").write_text(dev_text)
    with pytest.raises(ConfigError) as caught:
        load_config(env, config_dir=tmp_path, environ={})
    return caught.value.lines


def broken(*replacements: tuple[str, str]) -> str:
    text = (CONFIG / "prod.yaml").read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


FIVE_MISTAKES = (
    ("nat_gateways: 2 ", "nat_gateways: two "),
    ('engine_version: "15.17"', "engine_version: 15.10"),
    (
        "  upgrade_policy: STANDARD\n",
        "  upgrade_policy: STANDARD\n  colour: blue\n",
    ),
    ("geo_block_country_codes: [CN, RU, KP]", "geo_block_country_codes: [CN, XX]"),
    ("      delete_after_days: 30\n", "      delete_after_days: 500\n"),
)


def test_five_mistakes_in_one_run_in_file_order(tmp_path: Path) -> None:
    assert lines_for(tmp_path, broken(*FIVE_MISTAKES)) == (
        "network.nat_gateways: expected an integer, got 'two'",
        "eks.colour: unknown key (allowed: admin_role_name, cluster_name, control_plane_log_retention_days, "
        "control_plane_log_types, endpoint_public_access_cidrs, kubernetes_version, node_groups, spot_app_nodes, "
        "upgrade_policy)",
        'database.engine_version: got the number 15.1; write "15.10" in quotes',
        "edge.waf.geo_block_country_codes[1]: invalid value 'XX' (allowed: ISO 3166-1 alpha-2 codes such as CN "
        "(XK, EU and other user-assigned codes are not countries))",
        "backup.vault_lock_max_retention_days: 400 is shorter than the longest rule retention 500 "
        "(allowed: at least 500)",
    )


@pytest.mark.validators  # the app in its own process
def test_the_app_prints_every_problem_and_exits_2_without_traceback(tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    shutil.copytree(CONFIG, config_dir)
    (config_dir / "prod.yaml").write_text(broken(*FIVE_MISTAKES))
    script = (
        "import sys, config.loader as l, app; from pathlib import Path;"
        f"l.CONFIG_DIR = Path({str(config_dir)!r}); l.load_config.__kwdefaults__['config_dir'] = l.CONFIG_DIR;"
        "app.main()"
    )
    env = {**os.environ, "CDK_CONTEXT_JSON": "{}", "CDK_OUTDIR": str(tmp_path / "out")}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 5
    assert all(line.startswith("configuration error: ") for line in lines)


def test_a_number_for_a_string_says_what_to_quote(tmp_path: Path) -> None:
    text = broken(('kubernetes_version: "1.36"', "kubernetes_version: 1.30"), ('tag: "1.0.0"}', "tag: 7}"))
    assert lines_for(tmp_path, text) == (
        'eks.kubernetes_version: got the number 1.3; write "1.30" in quotes',
        'workloads.frontend_image.tag: got the number 7; write "7" in quotes',
    )


def test_a_boolean_for_a_string_says_what_to_quote(tmp_path: Path) -> None:
    assert lines_for(tmp_path, broken(('value: "true"', "value: yes"))) == (
        'eks.node_groups.app-nodes.taints[0].value: got true (YAML reads yes as a boolean); write "yes" in quotes',
    )


def test_dev_errors_come_first_then_the_file_it_extends(tmp_path: Path) -> None:
    prod = broken(("max_connections: 200", "max_connections: 5"))
    dev = (CONFIG / "dev.yaml").read_text().replace("  log_retention_days: 7\n", "  log_retention_days: 8\n", 1)
    assert lines_for(tmp_path, prod, dev, env="dev") == (
        "database.log_retention_days: invalid value 8 (allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, "
        "400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)",
        "database.max_connections: invalid value 5 (allowed: an integer from 6 to 262143)",
    )


def test_cross_field_checks_run_when_unrelated_fields_fail(tmp_path: Path) -> None:
    # The bad work_mem is in the same section as the overlapping windows; both are reported.
    text = broken(
        ("work_mem: 16MB", "work_mem: 16M"),
        ('preferred_backup_window: "03:00-04:00"', 'preferred_backup_window: "04:30-05:30"'),
    )
    assert lines_for(tmp_path, text) == (
        "database.preferred_backup_window: 04:30-05:30 overlaps the maintenance window sun:04:00-sun:05:00 "
        "(allowed: a backup window that does not overlap the maintenance window)",
        "database.work_mem: invalid value '16M' (allowed: a size such as 16MB)",
    )


def test_cross_field_checks_skip_what_depends_on_a_failed_field(tmp_path: Path) -> None:
    # A malformed window cannot be compared with the other one: one line, not two.
    text = broken(('preferred_backup_window: "03:00-04:00"', 'preferred_backup_window: "3-4"'))
    assert lines_for(tmp_path, text) == (
        "database.preferred_backup_window: invalid value '3-4' (allowed: hh24:mi-hh24:mi in UTC)",
    )


@pytest.mark.parametrize(("codes", "bad"), [(["CN", "XX"], "'XX'"), (["CN", "EU"], "'EU'"), (["UK"], "'UK'")])
def test_country_codes_must_be_iso_3166(codes: list[str], bad: str) -> None:
    with pytest.raises(ConfigError, match=rf"^edge.waf.geo_block_country_codes\[\d\]: invalid value {bad} "):
        load_config("prod", overrides={"edge": {"waf": {"geo_block_country_codes": codes}}}, environ={})


def sizing_error(workload: str, **section: Any) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config("prod", overrides={"workloads": {workload: section}}, environ={})
    return str(caught.value)


def test_prod_sizing_is_the_seeds_and_dev_is_small() -> None:
    prod, dev = load_config("prod", environ={}).workloads, load_config("dev", environ={}).workloads
    assert (prod.frontend.autoscaling.min_replicas, prod.frontend.autoscaling.max_replicas) == (3, 15)
    assert (prod.backend.autoscaling.min_replicas, prod.backend.autoscaling.max_replicas) == (3, 20)
    assert (prod.backend.resources.requests.cpu, prod.backend.resources.limits.memory) == ("200m", "512Mi")
    assert (dev.frontend.autoscaling.min_replicas, dev.frontend.autoscaling.max_replicas) == (1, 2)
    assert (dev.backend.autoscaling.min_replicas, dev.backend.autoscaling.max_replicas) == (1, 3)


def test_hpa_minimum_above_maximum() -> None:
    assert sizing_error("backend", autoscaling={"min_replicas": 21}) == (
        "workloads.backend.autoscaling.min_replicas: 21 is above max_replicas 20 (allowed: min_replicas <= max_replicas)"
    )


def test_utilization_target_out_of_range() -> None:
    assert sizing_error("frontend", autoscaling={"cpu_utilization": 120}) == (
        "workloads.frontend.autoscaling.cpu_utilization: invalid value 120 (allowed: an integer from 1 to 100)"
    )


def test_request_above_limit() -> None:
    assert sizing_error("frontend", resources={"requests": {"memory": "1Gi"}}) == (
        "workloads.frontend.resources.requests.memory: request 1Gi exceeds the limit 256Mi "
        "(allowed: a request at most its limit)"
    )
    assert sizing_error("backend", resources={"limits": {"cpu": "0.1"}}).startswith(
        "workloads.backend.resources.requests.cpu: request 200m exceeds the limit 0.1"
    )


def test_hpa_policy_rules() -> None:
    behavior = {"scale_up": {"policies": [{"type": "Nodes", "value": 0, "period_seconds": 3600}]}}
    assert sizing_error("backend", autoscaling={"behavior": behavior}).splitlines() == [
        "workloads.backend.autoscaling.behavior.scale_up.policies[0].type: invalid value 'Nodes' (allowed: Percent, Pods)",
        "workloads.backend.autoscaling.behavior.scale_up.policies[0].value: invalid value 0 "
        "(allowed: an integer from 1 to 1000)",
        "workloads.backend.autoscaling.behavior.scale_up.policies[0].period_seconds: invalid value 3600 "
        "(allowed: an integer from 1 to 1800)",
    ]
    empty = {"scale_down": {"policies": []}}
    assert sizing_error("backend", autoscaling={"behavior": empty}) == (
        "workloads.backend.autoscaling.behavior.scale_down.policies: is empty (allowed: one or more policies)"
    )


def test_schema_json_is_current() -> None:
    assert config_jsonschema.render() == (CONFIG / "schema.json").read_text(), "run: python -m config.jsonschema"


def test_every_yaml_names_the_schema_for_editors() -> None:
    for path in CONFIG.glob("*.yaml"):
        assert path.read_text().splitlines()[0] == "# yaml-language-server: $schema=./schema.json", path.name


@pytest.mark.validators  # check-jsonschema
@pytest.mark.skipif(not CHECK_JSONSCHEMA.exists(), reason="check-jsonschema is not installed")
def test_check_jsonschema_accepts_the_files_and_rejects_a_broken_copy(tmp_path: Path) -> None:
    def run(*files: Path) -> subprocess.CompletedProcess[str]:
        args = [str(CHECK_JSONSCHEMA), "--schemafile", str(CONFIG / "schema.json"), *map(str, files)]
        return subprocess.run(args, capture_output=True, text=True, timeout=120)

    assert run(CONFIG / "prod.yaml", CONFIG / "dev.yaml").returncode == 0
    bad = tmp_path / "prod.yaml"
    bad.write_text(broken(*FIVE_MISTAKES))
    result = run(bad)
    assert result.returncode == 1
    for key in ("nat_gateways", "engine_version", "colour", "XX"):
        assert key in result.stdout, key


def test_the_cli_synthesizes_what_the_session_and_a_bare_python_app_do(prod: Synthesized) -> None:
    """`cdk synth` (the CLI runs cdk.json's app command with its context in CDK_CONTEXT_JSON) writes the
    templates the session built in-process from cdk.json's context plus entrypoint.CLI_CONTEXT, which is what
    `python app.py` without the CLI applies itself (bare_app_props): three ways in, one set of templates."""
    cli = prod.validators["cdk synth"]
    result = cli.result()
    assert result.returncode == 0, result.stderr[-3000:]
    assert cli.output is not None
    cli_templates = sorted(p.name for p in cli.output.glob("*.template.json"))
    assert cli_templates == [p.name for p in prod.template_files()]
    assert len(cli_templates) >= 10
    for name in cli_templates:
        assert json.loads((cli.output / name).read_text()) == json.loads((prod.outdir / name).read_text()), name


def test_a_bare_python_app_applies_cdk_json_and_the_cli_context(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("CDK_CONTEXT_JSON", "CDK_OUTDIR"):
        monkeypatch.delenv(variable, raising=False)
    props = entrypoint.bare_app_props()
    assert props["context"] == {**entrypoint.CLI_CONTEXT, **cdk_json_context()}
    assert props["outdir"] == str(ROOT / "cdk.out")
    # Under the CLI the App reads CDK_CONTEXT_JSON and CDK_OUTDIR itself: nothing is applied twice.
    monkeypatch.setenv("CDK_OUTDIR", "/tmp/elsewhere")
    assert entrypoint.bare_app_props() == {}
