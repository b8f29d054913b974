"""The `edge` section: CloudFront's domain and certificate, and the WAF in front of it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any

import pycountry
from pydantic import Field

from config.base import LogRetention, Matches, OneOf, Range, Rule, Section, check
from config.errors import Problem, invalid
from config.patterns import ACM_ARN, ACM_ARN_RE, DOMAIN_RE, HOSTED_ZONE_ID, K8S_NAME_RE

# CloudFront takes its WebACL and certificate from this region only, and publishes its metrics only there.
CLOUDFRONT_REGION = "us-east-1"

# WAF's geo match takes ISO 3166-1 alpha-2 codes and rejects others at deploy time.
COUNTRY_CODES = tuple(sorted(country.alpha_2 for country in pycountry.countries))
DOMAIN = Matches(DOMAIN_RE, "a lower-case DNS name such as tech-lib.example.com")


class CountryCode(Rule):
    def validate(self, value: Any) -> str | None:
        if not re.match(r"^[A-Z]{2}$", value):
            return "ISO 3166-1 alpha-2 codes such as CN"
        if value not in COUNTRY_CODES:
            return "ISO 3166-1 alpha-2 codes such as CN (XK, EU and other user-assigned codes are not countries)"
        return None

    def json_schema(self) -> dict[str, Any]:
        return {"enum": list(COUNTRY_CODES), "x-allowed": f"ISO 3166-1 alpha-2 codes ({len(COUNTRY_CODES)}, pycountry)"}


class WafConfig(Section):
    rate_limit_per_5min: Annotated[int, Range(10, 2000000000)] = Field(
        description="Requests per IP per 5 minutes before WAF blocks it."
    )
    geo_block_country_codes: tuple[Annotated[str, CountryCode()], ...] = Field(
        description="Countries blocked by WAF (ISO 3166-1 alpha-2)."
    )
    log_retention_days: Annotated[int, LogRetention] = Field(description="WAF log retention (days).")

    @check("geo_block_country_codes")
    def _codes(self) -> Iterator[Problem]:
        codes = list(self.geo_block_country_codes)
        if not codes or len(set(codes)) != len(codes):
            yield invalid(("geo_block_country_codes",), codes, "one or more distinct country codes, e.g. [CN, RU, KP]")


class EdgeConfig(Section):
    """CloudFront + WAF. With `domain_name` set, certificates and alias records are created in `hosted_zone_*`."""

    waf: WafConfig = Field(description="The CloudFront WebACL.")
    domain_name: Annotated[str, DOMAIN] | None = Field(default=None, description="The site's name; null = none.")
    hosted_zone_id: Annotated[str, HOSTED_ZONE_ID] | None = Field(
        default=None, description="Route 53 zone holding domain_name."
    )
    hosted_zone_name: Annotated[str, Matches(DOMAIN_RE, "a lower-case DNS name such as example.com")] | None = Field(
        default=None, description="Name of that zone."
    )
    alb_origin_subdomain: Annotated[str, Matches(K8S_NAME_RE, "a DNS label such as origin")] = Field(
        default="origin", description="Label of the ALB origin's name under domain_name."
    )
    price_class: Annotated[str, OneOf("PriceClass_All", "PriceClass_200", "PriceClass_100")] = Field(
        default="PriceClass_All", description="CloudFront price class."
    )
    log_bucket_expiration_days: Annotated[int, Range(1, 3650)] = Field(
        default=365, description="CloudFront access log expiry (days)."
    )
    certificate_arn: Annotated[str, ACM_ARN] | None = Field(
        default=None,
        description="An existing CloudFront certificate (us-east-1) instead of one issued by the edge stack.",
    )

    @check("domain_name", "hosted_zone_id", "hosted_zone_name")
    def _zone(self) -> Iterator[Problem]:
        if self.domain_name is not None and (self.hosted_zone_id is None or self.hosted_zone_name is None):
            yield Problem(
                ("hosted_zone_id",),
                "a domain_name needs hosted_zone_id and hosted_zone_name",
                "the Route 53 zone that holds the domain",
            )
        zone = self.hosted_zone_name
        domain = self.domain_name
        if zone is not None and domain is not None and not (domain == zone or domain.endswith("." + zone)):
            yield Problem(
                ("domain_name",), f"{domain!r} is not inside hosted zone {zone!r}", f"a name ending in {zone}"
            )

    @check("certificate_arn", "domain_name")
    def _certificate(self) -> Iterator[Problem]:
        if self.certificate_arn is None:
            return
        match = re.match(ACM_ARN_RE, self.certificate_arn)
        if match and match.group(1) != CLOUDFRONT_REGION:
            yield Problem(
                ("certificate_arn",),
                f"certificate is in {match.group(1)}, CloudFront reads certificates from {CLOUDFRONT_REGION} only",
                f"an ACM certificate ARN in {CLOUDFRONT_REGION}",
            )
        elif self.domain_name is None:
            yield Problem(
                ("certificate_arn",),
                "is set but edge.domain_name is missing: a certificate needs the domain it serves",
                "null, or a domain_name with its hosted zone",
            )

    @property
    def has_domain(self) -> bool:
        return self.domain_name is not None

    @property
    def alb_origin_domain(self) -> str | None:
        if self.domain_name is None:
            return None
        return f"{self.alb_origin_subdomain}.{self.domain_name}"
