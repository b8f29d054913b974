"""Bad edge configuration stops the build with one line naming the key, the problem and what is allowed."""

from __future__ import annotations

from typing import Any

import pytest

from config import ConfigError, load_config

US_EAST_1_ARN = "arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012"
TOKYO_ARN = "arn:aws:acm:ap-northeast-1:111111111111:certificate/12345678-1234-1234-1234-123456789012"


def edge_error(env: str = "prod", **edge: Any) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(env, overrides={"edge": edge}, environ={})
    message = str(caught.value)
    assert "\n" not in message, "configuration errors are one line"
    return message


def test_domain_without_hosted_zone() -> None:
    assert edge_error("dev", domain_name="dev.tech-lib.example.com") == (
        "edge.hosted_zone_id: a domain_name needs hosted_zone_id and hosted_zone_name "
        "(allowed: the Route 53 zone that holds the domain)"
    )


def test_domain_with_zone_id_but_no_zone_name() -> None:
    assert edge_error("prod", hosted_zone_name=None).startswith(
        "edge.hosted_zone_id: a domain_name needs hosted_zone_id and hosted_zone_name"
    )


@pytest.mark.parametrize(
    "domain",
    ["Tech-Lib.example.com", "tech_lib.example.com", "https://tech-lib.example.com", "tech-lib", "-a.example.com"],
)
def test_malformed_domain(domain: str) -> None:
    assert edge_error(domain_name=domain) == (
        f"edge.domain_name: invalid value {domain!r} (allowed: a lower-case DNS name such as tech-lib.example.com)"
    )


def test_domain_outside_the_hosted_zone() -> None:
    assert edge_error(domain_name="tech-lib.example.org") == (
        "edge.domain_name: 'tech-lib.example.org' is not inside hosted zone 'example.com' "
        "(allowed: a name ending in example.com)"
    )


def test_malformed_hosted_zone_id() -> None:
    assert edge_error(hosted_zone_id="example.com") == (
        "edge.hosted_zone_id: invalid value 'example.com' (allowed: a Route 53 zone id such as Z0123456789ABCDEFGHIJ)"
    )


def test_certificate_arn_from_the_wrong_region() -> None:
    assert edge_error(certificate_arn=TOKYO_ARN) == (
        "edge.certificate_arn: certificate is in ap-northeast-1, CloudFront reads certificates from us-east-1 only "
        "(allowed: an ACM certificate ARN in us-east-1)"
    )


def test_malformed_certificate_arn() -> None:
    assert edge_error(certificate_arn="arn:aws:iam::111111111111:role/x") == (
        "edge.certificate_arn: invalid value 'arn:aws:iam::111111111111:role/x' (allowed: an ACM certificate ARN)"
    )


def test_certificate_arn_without_a_domain() -> None:
    assert edge_error("dev", certificate_arn=US_EAST_1_ARN) == (
        "edge.certificate_arn: is set but edge.domain_name is missing: a certificate needs the domain it serves "
        "(allowed: null, or a domain_name with its hosted zone)"
    )


def test_us_east_1_certificate_arn_is_accepted() -> None:
    config = load_config("prod", overrides={"edge": {"certificate_arn": US_EAST_1_ARN}}, environ={})
    assert config.edge.certificate_arn == US_EAST_1_ARN


def test_bad_origin_subdomain() -> None:
    assert edge_error(alb_origin_subdomain="Origin.Sub") == (
        "edge.alb_origin_subdomain: invalid value 'Origin.Sub' (allowed: a DNS label such as origin)"
    )


def test_unknown_price_class() -> None:
    assert edge_error(price_class="PriceClass_50") == (
        "edge.price_class: invalid value 'PriceClass_50' (allowed: PriceClass_All, PriceClass_200, PriceClass_100)"
    )


def test_log_bucket_expiration_out_of_range() -> None:
    assert edge_error(log_bucket_expiration_days=0) == (
        "edge.log_bucket_expiration_days: invalid value 0 (allowed: an integer from 1 to 3650)"
    )


def test_rate_limit_below_the_waf_minimum() -> None:
    assert edge_error(waf={"rate_limit_per_5min": 5}) == (
        "edge.waf.rate_limit_per_5min: invalid value 5 (allowed: an integer from 10 to 2000000000)"
    )


def test_lower_case_country_code() -> None:
    assert edge_error(waf={"geo_block_country_codes": ["CN", "ru"]}) == (
        "edge.waf.geo_block_country_codes[1]: invalid value 'ru' (allowed: ISO 3166-1 alpha-2 codes such as CN)"
    )


@pytest.mark.parametrize("codes", [[], ["CN", "CN"]])
def test_empty_or_duplicate_country_codes(codes: list[str]) -> None:
    assert edge_error(waf={"geo_block_country_codes": codes}) == (
        f"edge.waf.geo_block_country_codes: invalid value {codes!r} "
        "(allowed: one or more distinct country codes, e.g. [CN, RU, KP])"
    )


def test_waf_log_retention_not_offered_by_cloudwatch() -> None:
    assert edge_error(waf={"log_retention_days": 10}).startswith(
        "edge.waf.log_retention_days: invalid value 10 (allowed: 1, 3, 5, 7, 14, 30,"
    )


def test_unknown_edge_key() -> None:
    assert edge_error(domain="tech-lib.example.com").startswith("edge.domain: unknown key (allowed: ")


def test_prod_is_the_seed_and_dev_has_no_domain() -> None:
    prod, dev = load_config("prod", environ={}), load_config("dev", environ={})
    assert prod.edge.domain_name == "tech-lib.example.com"
    assert prod.edge.alb_origin_domain == "origin.tech-lib.example.com"
    assert (prod.edge.waf.rate_limit_per_5min, prod.edge.waf.geo_block_country_codes) == (1000, ("CN", "RU", "KP"))
    assert prod.edge.price_class == "PriceClass_All"
    assert dev.edge.domain_name is None
    assert dev.edge.alb_origin_domain is None
