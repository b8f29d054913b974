"""Regular expressions for the values AWS and Kubernetes accept, with the words the errors use. One place."""

from __future__ import annotations

from config.base import Matches

ACCOUNT = Matches(r"^\d{12}$", "12 digits (or CDK_DEFAULT_ACCOUNT)")
REGION_RE = r"^[a-z]{2}(-gov)?-[a-z]+-\d$"
REGION = Matches(REGION_RE, "an AWS region such as ap-northeast-1")
EC2_INSTANCE_TYPE = Matches(
    r"^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(nano|micro|small|medium|large|metal|\d*xlarge)$",
    "an EC2 instance type such as t3.medium",
)
RDS_INSTANCE_CLASS = Matches(
    r"^db\.[a-z][a-z0-9-]*\d[a-z0-9-]*\.(micro|small|medium|large|\d*xlarge)$", "an RDS class such as db.r6g.large"
)
CACHE_NODE_TYPE = Matches(
    r"^cache\.[a-z][a-z0-9-]*\d[a-z0-9-]*\.(micro|small|medium|large|\d*xlarge)$",
    "an ElastiCache node type such as cache.r6g.large",
)
DOMAIN_RE = r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
IAM_ROLE_NAME = Matches(r"^[\w+=,.@-]{1,64}$", "an IAM role name in the target account")
ACM_ARN_RE = r"^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate/[0-9a-f-]{36}$"
ACM_ARN = Matches(ACM_ARN_RE, "an ACM certificate ARN")
HOSTED_ZONE_ID = Matches(r"^Z[A-Z0-9]{1,31}$", "a Route 53 zone id such as Z0123456789ABCDEFGHIJ")
EMAIL = Matches(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", "an e-mail address")
# hh24:mi-hh24:mi (backup/snapshot) and ddd:hh24:mi-ddd:hh24:mi (maintenance) as RDS/ElastiCache accept them.
DAILY_WINDOW = Matches(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$", "hh24:mi-hh24:mi in UTC")
_DAY = r"(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d"
WEEKLY_WINDOW = Matches(rf"^{_DAY}-{_DAY}$", "ddd:hh24:mi-ddd:hh24:mi in UTC")
IMAGE_REPOSITORY = Matches(
    r"^[a-z0-9]+([._/-][a-z0-9]+)*(:\d+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*$",
    "an image repository such as techlib/frontend",
)
IMAGE_TAG = Matches(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", "an image tag (letters, digits, _ . -)")
K8S_LABEL_VALUE = Matches(r"^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$", "a Kubernetes label value")
K8S_NAME_RE = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"
POSTGRES_IDENTIFIER = Matches(r"^[a-z][a-z0-9_]{0,62}$", "a lower-case PostgreSQL identifier")
BACKUP_NAME = Matches(r"^[A-Za-z0-9_.-]{1,50}$", "1-50 letters, digits, _ . -")
GITHUB_NAME_RE = r"^[A-Za-z0-9_.-]{1,100}$"
# Kubernetes resource quantities: CPU in cores or millicores, memory in bytes with a binary or decimal suffix.
CPU_QUANTITY = Matches(r"^(\d+m|\d+(\.\d{1,3})?)$", "CPU as millicores or cores, e.g. 200m or 0.5")
MEMORY_QUANTITY = Matches(r"^\d+(Ki|Mi|Gi|Ti|k|M|G|T)?$", "memory in bytes with a suffix, e.g. 256Mi or 1Gi")
