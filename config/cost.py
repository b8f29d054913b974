"""The `cost` section: the usage `make cost` prices usage-based charges with, and the review's warning share.

Nothing here changes a template. The price table (`scripts/cost/prices.yaml`) says what a GB or a million
requests costs; these are the environment's own guesses of how many there are, printed with every estimate
so a reader can disagree with them. Keys name the construct id (the `aws:cdk:path` segment before
`/Resource`, e.g. `StaticAssetsBucket`) when one resource needs its own figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field

from config.base import Range, Rule, Section

# A month of usage is at most this many units of anything (GB, millions of requests): a typo guard.
USAGE_MAX = 10_000_000.0


@dataclass(frozen=True)
class Amount(Rule):
    """A non-negative number (integers allowed): GB, millions of requests, LCUs."""

    high: float = USAGE_MAX

    def validate(self, value: Any) -> str | None:
        return None if 0 <= value <= self.high else self.allowed

    @property
    def allowed(self) -> str:
        return f"a number from 0 to {self.high:,.0f}"

    def json_schema(self) -> dict[str, Any]:
        return {"minimum": 0, "maximum": self.high, "x-allowed": self.allowed}


Usage = Annotated[float, Amount()]


class CostUsageConfig(Section):
    """Monthly usage of the usage-priced charges (per month, the whole environment unless said)."""

    nat_processed_gb: Usage = Field(default=50.0, description="GB through all NAT gateways together (per month).")
    cloudfront_transfer_gb: Usage = Field(default=100.0, description="GB CloudFront serves to viewers (per month).")
    cloudfront_requests_millions: Usage = Field(
        default=5.0, description="Millions of viewer requests to CloudFront (per month)."
    )
    waf_requests_millions: Usage = Field(default=5.0, description="Millions of requests the WebACL inspects.")
    alb_lcu: Usage = Field(default=1.0, description="Average load balancer capacity units per ALB (per hour).")
    log_ingestion_gb_per_group: Usage = Field(
        default=1.0, description="GB ingested per CloudWatch log group (per month) unless listed below."
    )
    log_ingestion_gb: dict[str, Usage] = Field(
        default_factory=dict, description="GB ingested (per month) by construct id, e.g. FlowLogGroup: 20."
    )
    s3_storage_gb_per_bucket: Usage = Field(default=5.0, description="GB stored per bucket unless listed below.")
    s3_storage_gb: dict[str, Usage] = Field(
        default_factory=dict, description="GB stored by bucket construct id, e.g. StaticAssetsBucket: 20."
    )
    secrets_api_calls_thousands: Usage = Field(
        default=100.0, description="Thousands of Secrets Manager API calls (per month, all secrets)."
    )
    backup_storage_gb: Usage = Field(default=100.0, description="GB of recovery points in the primary vault.")
    dr_copy_storage_gb: Usage = Field(default=100.0, description="GB of recovery points copied to the DR vault.")
    ecr_storage_gb_per_repository: Usage = Field(default=5.0, description="GB of images per ECR repository.")


class CostConfig(Section):
    """`make cost` and the monthly cost change in `make diff`."""

    review_warning_percent: Annotated[int, Range(0, 1000)] = Field(
        default=10,
        description="make diff warns when the monthly estimate rises by more than this share of the baseline (%).",
    )
    usage: CostUsageConfig = Field(default_factory=CostUsageConfig, description="Usage assumptions (per month).")
