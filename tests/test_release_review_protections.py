"""The release review on weakened protections: edge (WAF), TLS floors, supply chain, availability floors.

Each case mutates the session's real synthesized templates the way the code or configuration change
would (a WAF rule in the Edge stack, the Ingress annotations the ALB controller reads in the Workloads
manifest, ...), runs the gate against a baseline made from the unchanged synth and asserts the exact line
it prints: red and exit 1 in prod, yellow and exit 0 in dev. Strengthening changes print nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.release_review.protections_k8s import ssl_policy_strength
from scripts.release_review.report import ANSI
from tests import protection_edits as edits
from tests.conftest import Synthesized
from tests.protection_edits import Edit
from tests.release_review_helpers import RED, baseline_from, mutated, one, run_gate

YELLOW = "\033[33m"
CATEGORIES = ("edge", "tls", "supply-chain", "availability")


@pytest.fixture(scope="module")
def baseline(prod: Synthesized, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return baseline_from(prod.outdir, tmp_path_factory.mktemp("protections-baseline"))


@pytest.fixture(scope="module")
def dev_baseline(dev: Synthesized, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return baseline_from(dev.outdir, tmp_path_factory.mktemp("protections-dev-baseline"), env="dev")


def _lines(out: str, text: str) -> list[str]:
    """The printed lines that read exactly `text` once colours are stripped."""
    return [line for line in out.splitlines() if ANSI.sub("", line) == text]


def _web_acl_output(prod: Synthesized) -> str:
    """The Edge stack's output the distribution reads the web ACL from (its name carries a hash)."""
    template = prod.template_json(prod.built.cdn)
    config = one(template, "AWS::CloudFront::Distribution")["Properties"]["DistributionConfig"]
    return str(config["WebACLId"]["Fn::GetStackOutput"]["OutputName"])


# ----------------------------------------------------------------------------- every class, prod

EDGE, CDN, WORKLOADS = "TechLib-prod-Edge", "TechLib-prod-Cdn", "TechLib-prod-Workloads"
ACL = "WebACL tech-lib-waf"
DIST = "CloudFront distribution tech-lib.example.com"
INGRESS = "Ingress tech-lib/tech-lib-ingress"
COMMON = "managed rule group AWS/AWSManagedRulesCommonRuleSet"

WEAKENINGS: list[tuple[str, str, Edit, str]] = [
    (
        "waf-rule-removed",
        "-Edge",
        edits.drop_waf_rule("GeoBlockRule"),
        f"[edge] {EDGE}: {ACL} rule GeoBlockRule removed (action Block, priority 4)",
    ),
    (
        "waf-rule-to-count",
        "-Edge",
        edits.waf_rule("RateLimitRule", lambda r: r.update(Action={"Count": {}})),
        f"[edge] {EDGE}: {ACL} rule RateLimitRule: action Block → Count (matching requests pass)",
    ),
    (
        "managed-group-to-count",
        "-Edge",
        edits.waf_rule("AWSManagedRulesCommonRuleSet", lambda r: r.update(OverrideAction={"Count": {}})),
        f"[edge] {EDGE}: {ACL} {COMMON}: action None (the group's own actions) → Count (matching requests pass)",
    ),
    (
        "managed-rule-overridden-to-count",
        "-Edge",
        edits.waf_rule(
            "AWSManagedRulesCommonRuleSet",
            lambda r: r["Statement"]["ManagedRuleGroupStatement"].update(
                RuleActionOverrides=[{"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}]
            ),
        ),
        f"[edge] {EDGE}: {ACL} {COMMON}: its rule SizeRestrictions_BODY overridden to Count",
    ),
    (
        "managed-group-removed",
        "-Edge",
        edits.drop_waf_rule("AWSManagedRulesKnownBadInputsRuleSet"),
        f"[edge] {EDGE}: {ACL} managed rule group AWS/AWSManagedRulesKnownBadInputsRuleSet removed"
        " (action None (the group's own actions), priority 2)",
    ),
    (
        "rate-limit-raised",
        "-Edge",
        edits.waf_rule("RateLimitRule", lambda r: r["Statement"]["RateBasedStatement"].update(Limit=2000)),
        f"[edge] {EDGE}: {ACL} rule RateLimitRule: rate limit 1000 → 2000",
    ),
    (
        "rate-window-widened",
        "-Edge",
        edits.waf_rule("RateLimitRule", lambda r: r["Statement"]["RateBasedStatement"].update(EvaluationWindowSec=60)),
        f"[edge] {EDGE}: {ACL} rule RateLimitRule: rate limit 1000 → 1000 per 60 s",
    ),
    (
        "geo-block-narrowed",
        "-Edge",
        edits.waf_rule("GeoBlockRule", lambda r: r["Statement"]["GeoMatchStatement"].update(CountryCodes=["CN", "RU"])),
        f"[edge] {EDGE}: {ACL} rule GeoBlockRule: geo-block list CN, KP, RU → CN, RU (KP no longer blocked)",
    ),
    (
        "default-action-changed",
        "-Edge",
        edits.acl(lambda acl: acl.update(DefaultAction={"Block": {}})),
        f"[edge] {EDGE}: {ACL}: default action Allow → Block (requests no rule allows are refused)",
    ),
    (
        "waf-detached",
        "-Cdn",
        edits.distribution(lambda config: config.pop("WebACLId")),
        f"[edge] {CDN}: {DIST}: WebACLId ${{TechLib-prod-Edge.WEB_ACL_OUTPUT}} → (absent):"
        " no WAF in front of the distribution",
    ),
    (
        "viewer-tls-lowered",
        "-Cdn",
        edits.distribution(lambda config: config["ViewerCertificate"].update(MinimumProtocolVersion="TLSv1")),
        f"[tls] {CDN}: {DIST}: viewer minimum protocol TLSv1.2_2021 → TLSv1",
    ),
    (
        "origin-tls-lowered",
        "-Cdn",
        edits.distribution(
            lambda config: edits.origin(config).update(OriginSSLProtocols=["TLSv1", "TLSv1.1", "TLSv1.2"])
        ),
        f'[tls] {CDN}: {DIST} origin ALBOrigin: SSL protocols ["TLSv1.2"] → ["TLSv1", "TLSv1.1", "TLSv1.2"]',
    ),
    (
        "origin-http",
        "-Cdn",
        edits.distribution(lambda config: edits.origin(config).update(OriginProtocolPolicy="http-only")),
        f"[tls] {CDN}: {DIST} origin ALBOrigin: origin protocol policy https-only → http-only (HTTP to the origin)",
    ),
    (
        "viewer-http",
        "-Cdn",
        edits.distribution(lambda config: edits.api_behavior(config).update(ViewerProtocolPolicy="allow-all")),
        f"[tls] {CDN}: {DIST} behavior /api/*: viewer protocol policy https-only → allow-all (HTTP allowed)",
    ),
    (
        "alb-ssl-policy-weakened",
        "-Workloads",
        edits.ingress("ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-2016-08"),
        f"[tls] {WORKLOADS}: {INGRESS} ALB SSL policy ELBSecurityPolicy-TLS13-1-2-2021-06 → ELBSecurityPolicy-2016-08"
        " (minimum TLS 1.2 → 1.0)",
    ),
    (
        "alb-ssl-redirect-off",
        "-Workloads",
        edits.ingress('"alb.ingress.kubernetes.io/ssl-redirect":"443",', ""),
        f"[tls] {WORKLOADS}: {INGRESS} ALB serves plain HTTP on 80 where it redirected or had no HTTP"
        " (ssl-redirect 443 → (absent))",
    ),
    (
        "alb-https-listener-removed",
        "-Workloads",
        edits.ingress('[{\\"HTTP\\": 80}, {\\"HTTPS\\": 443}]', '[{\\"HTTP\\": 80}]'),
        f'[tls] {WORKLOADS}: {INGRESS} ALB HTTPS listener 443 removed (listen-ports [{{"HTTP": 80}}, {{"HTTPS": 443}}]'
        ' → [{"HTTP": 80}])',
    ),
    (
        "ecr-tags-mutable",
        "-Cicd",
        edits.repository("techlib/backend", lambda p: p.update(ImageTagMutability="MUTABLE")),
        "[supply-chain] TechLib-prod-Cicd: ECR repository techlib/backend: ImageTagMutability IMMUTABLE → MUTABLE"
        " (a released tag can be overwritten)",
    ),
    (
        "ecr-scan-off",
        "-Cicd",
        edits.repository("techlib/frontend", lambda p: p.update(ImageScanningConfiguration={"ScanOnPush": False})),
        "[supply-chain] TechLib-prod-Cicd: ECR repository techlib/frontend: scan on push true → false",
    ),
    (
        "hpa-minimum-lowered",
        "-Workloads",
        edits.object("HorizontalPodAutoscaler", "frontend-hpa", edits.spec(minReplicas=2)),
        f"[availability] {WORKLOADS}: HorizontalPodAutoscaler tech-lib/frontend-hpa minReplicas 3 → 2",
    ),
    (
        "pdb-loosened",
        "-Workloads",
        edits.object("PodDisruptionBudget", "backend-pdb", edits.spec(maxUnavailable=2)),
        f"[availability] {WORKLOADS}: PodDisruptionBudget tech-lib/backend-pdb maxUnavailable 1 → 2",
    ),
    (
        "pdb-removed",
        "-Workloads",
        edits.object("PodDisruptionBudget", "frontend-pdb", lambda _: None),
        f"[availability] {WORKLOADS}: PodDisruptionBudget tech-lib/frontend-pdb removed (it allowed maxUnavailable 1)",
    ),
    (
        "node-minimum-below-zones",
        "-Eks",
        edits.node_group("app-nodes", 1),
        "[availability] TechLib-prod-Eks: node group app-nodes: minimum 2 → 1, below its 2 zones"
        " (a zone outage can leave it without a node)",
    ),
    (
        "node-zones-grown-past-minimum",
        "-Eks",
        edits.node_group_props("app-nodes", lambda g: g["Subnets"].append(g["Subnets"][0])),
        "[availability] TechLib-prod-Eks: node group app-nodes: minimum 2 → 2, below its 3 zones"
        " (a zone outage can leave it without a node) (its zones 2 → 3)",
    ),
    (
        "node-group-removed",
        "-Eks",
        edits.drop_node_group("system-nodes"),
        "[availability] TechLib-prod-Eks: node group system-nodes removed (its minimum was 1)",
    ),
    (
        "hpa-removed",
        "-Workloads",
        edits.object("HorizontalPodAutoscaler", "backend-hpa", lambda _: None),
        f"[availability] {WORKLOADS}: HorizontalPodAutoscaler tech-lib/backend-hpa removed"
        " (it kept at least 3 replicas of backend)",
    ),
    (
        "redis-failover-off",
        "-Cache",
        edits.redis(AutomaticFailoverEnabled=False),
        "[availability] TechLib-prod-Cache: Redis replication group tech-lib-redis: AutomaticFailoverEnabled true → false",
    ),
    (
        "redis-multi-az-off",
        "-Cache",
        edits.redis(MultiAZEnabled=False),
        "[availability] TechLib-prod-Cache: Redis replication group tech-lib-redis: MultiAZEnabled true → false",
    ),
    (
        "aurora-readers-removed",
        "-Database",
        edits.drop_readers,
        "[availability] TechLib-prod-Database: Aurora cluster tech-lib-db-cluster: readers 1 → 0",
    ),
]


@pytest.mark.parametrize(("suffix", "edit", "line"), [w[1:] for w in WEAKENINGS], ids=[w[0] for w in WEAKENINGS])
def test_a_weakened_protection_fails_prod_naming_what_weakened(
    *,
    prod: Synthesized,
    baseline: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    suffix: str,
    edit: Edit,
    line: str,
) -> None:
    code, out = run_gate(mutated(prod.outdir, tmp_path, {suffix: edit}), baseline, capsys)
    assert code == 1
    line = line.replace("WEB_ACL_OUTPUT", _web_acl_output(prod))
    printed = _lines(out, f"  {line}")
    assert printed, f"no line {line!r} in:\n" + "\n".join(ANSI.sub("", o) for o in out.splitlines() if "[" in o)
    assert all(p.startswith(RED) for p in printed)


def test_an_accepted_weakening_passes(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (raise_limit,) = [edit for name, _, edit, _ in WEAKENINGS if name == "rate-limit-raised"]
    assembly = mutated(prod.outdir, tmp_path, {"-Edge": raise_limit})
    code, out = run_gate(assembly, baseline, capsys, "--accept", "TechLib-prod-Edge/WebAcl")
    assert code == 0
    assert _lines(
        out,
        f"  accepted with --accept TechLib-prod-Edge/WebAcl: [edge] {EDGE}: {ACL} rule RateLimitRule: rate limit 1000 → 2000",
    )


# --------------------------------------------------------------------------- dev warns, not fails


@pytest.mark.parametrize(
    ("suffix", "edit", "line"),
    [
        (
            "-Edge",
            edits.waf_rule("RateLimitRule", lambda r: r["Statement"]["RateBasedStatement"].update(Limit=2000)),
            "warning [edge] TechLib-dev-Edge: WebACL tech-lib-dev-waf rule RateLimitRule: rate limit 1000 → 2000",
        ),
        (
            "-Cicd",
            edits.repository("techlib-dev/backend", lambda p: p.update(ImageTagMutability="MUTABLE")),
            "warning [supply-chain] TechLib-dev-Cicd: ECR repository techlib-dev/backend:"
            " ImageTagMutability IMMUTABLE_WITH_EXCLUSION → MUTABLE (a released tag can be overwritten)",
        ),
    ],
    ids=["rate-limit-raised", "ecr-tags-mutable"],
)
def test_a_weakened_protection_warns_in_dev(
    *,
    dev: Synthesized,
    dev_baseline: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    suffix: str,
    edit: Edit,
    line: str,
) -> None:
    code, out = run_gate(mutated(dev.outdir, tmp_path, {suffix: edit}), dev_baseline, capsys, env="dev")
    assert code == 0
    printed = _lines(out, f"  {line}")
    assert printed and all(p.startswith(YELLOW) for p in printed), out[-2000:]
    assert "danger(s)" not in ANSI.sub("", out)


# ------------------------------------------------------------------------------------ the cluster


def test_a_kubernetes_downgrade_fails_in_every_environment(
    prod: Synthesized,
    dev: Synthesized,
    baseline: Path,
    dev_baseline: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """EKS refuses a downgrade, so the deploy would fail half-way: a danger in dev too, not a warning."""
    (tmp_path / "prod").mkdir()
    (tmp_path / "dev").mkdir()
    version = prod.config.eks.kubernetes_version
    major, minor = version.split(".")
    lower = f"{major}.{int(minor) - 1}"
    line = f"  [kubernetes] ~ EKS cluster tech-lib-cluster: Kubernetes {version} → {lower} is a downgrade, which EKS refuses"
    code, out = run_gate(mutated(prod.outdir, tmp_path / "prod", {"-Eks": edits.kubernetes(lower)}), baseline, capsys)
    assert code == 1 and [p for p in _lines(out, line) if p.startswith(RED)], out[-2000:]
    assert dev.config.eks.kubernetes_version == version
    dev_assembly = mutated(dev.outdir, tmp_path / "dev", {"-Eks": edits.kubernetes(lower)})
    code, out = run_gate(dev_assembly, dev_baseline, capsys, env="dev")
    dev_line = line.replace("tech-lib-cluster", dev.config.eks.cluster_name)
    assert code == 1 and [p for p in _lines(out, dev_line) if p.startswith(RED)], out[-2000:]


def test_a_kubernetes_upgrade_by_one_minor_passes(
    prod: Synthesized, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    major, minor = prod.config.eks.kubernetes_version.split(".")
    code, out = run_gate(
        mutated(prod.outdir, tmp_path, {"-Eks": edits.kubernetes(f"{major}.{int(minor) + 1}")}), baseline, capsys
    )
    assert code == 0 and "danger(s)" not in ANSI.sub("", out)


# ------------------------------------------------------------------------- no false positives


# Each with the summary line that proves the mutation landed (the edits raise when their target is missing).
STRENGTHENINGS: dict[str, tuple[dict[str, Edit], str]] = {
    "edge": (
        {
            "-Edge": edits.all(
                edits.waf_rule("RateLimitRule", lambda r: r["Statement"]["RateBasedStatement"].update(Limit=500)),
                edits.waf_rule(
                    "GeoBlockRule", lambda r: r["Statement"]["GeoMatchStatement"]["CountryCodes"].append("IR")
                ),
                edits.acl(lambda acl: acl["Rules"].append(edits.sql_rule())),
            ),
        },
        "1 to update",
    ),
    "tls": (
        {
            "-Cdn": edits.all(
                edits.distribution(
                    lambda config: config["ViewerCertificate"].update(MinimumProtocolVersion="TLSv1.2_2025")
                ),
                edits.distribution(
                    lambda config: config["DefaultCacheBehavior"].update(ViewerProtocolPolicy="https-only")
                ),
            ),
            "-Workloads": edits.ingress("ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06"),
        },
        "2 to update",
    ),
    "availability": (
        {
            "-Workloads": edits.all(
                edits.object("HorizontalPodAutoscaler", "frontend-hpa", edits.spec(minReplicas=4)),
                edits.object("PodDisruptionBudget", "backend-pdb", edits.spec(maxUnavailable=0)),
            ),
            "-Eks": edits.node_group("app-nodes", 3),
            "-Database": edits.add_reader,
        },
        "1 to create, 2 to update",
    ),
    "unrelated": (
        {
            "-Edge": edits.all(
                edits.acl(lambda acl: acl["VisibilityConfig"].update(SampledRequestsEnabled=False)),
                edits.waf_rule("GeoBlockRule", lambda r: r.update(Name="GeoBlock")),  # renamed, not removed
            ),
            "-Cicd": edits.repository("techlib/backend", lambda p: p["Tags"].append({"Key": "Team", "Value": "books"})),
        },
        "2 to update",
    ),
}


@pytest.mark.parametrize(("changes", "summary"), list(STRENGTHENINGS.values()), ids=list(STRENGTHENINGS))
def test_a_strengthened_or_unrelated_change_is_not_a_weakening(
    *,
    prod: Synthesized,
    baseline: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    changes: dict[str, Edit],
    summary: str,
) -> None:
    code, out = run_gate(mutated(prod.outdir, tmp_path, changes), baseline, capsys)
    plain = ANSI.sub("", out)
    assert f"stack(s) against {baseline / 'prod'}: {summary}" in plain
    assert not [line for line in plain.splitlines() if any(f"[{c}]" in line for c in CATEGORIES)], plain[-2000:]
    assert code == 0


@pytest.mark.parametrize(
    ("weaker", "stronger"),
    [
        ("ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS13-1-2-2021-06"),
        ("ELBSecurityPolicy-TLS-1-1-2017-01", "ELBSecurityPolicy-TLS-1-2-2017-01"),
        ("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "ELBSecurityPolicy-TLS-1-2-2017-01"),
        ("ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06"),
        ("ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"),
        ("ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06"),
        ("ELBSecurityPolicy-FS-2018-06", "ELBSecurityPolicy-FS-1-2-Res-2020-10"),
    ],
)
def test_ssl_policies_rank_by_floor_then_ciphers(weaker: str, stronger: str) -> None:
    low, high = ssl_policy_strength(weaker), ssl_policy_strength(stronger)
    assert low is not None and high is not None and low < high


def test_an_unknown_ssl_policy_is_not_ranked() -> None:
    assert ssl_policy_strength("MyCustomPolicy") is None
