"""One name for one thing on both the AWS and the Kubernetes side (STYLE.md).

Security-group rules, the ALB health check, the CloudFront behaviours, the cdk8s manifests and
the Prometheus scrape targets import these, so the layers cannot drift apart.
"""

from __future__ import annotations


class Ports:
    HTTP = 80
    HTTPS = 443
    FRONTEND_HTTP = 80
    BACKEND_HTTP = 8080
    BACKEND_METRICS = 9090
    POSTGRES = 5432
    REDIS = 6379
    POSTGRES_EXPORTER = 9187
    REDIS_EXPORTER = 9121
    CLUSTER_AUTOSCALER_METRICS = 8085


class K8sNames:
    FRONTEND = "frontend"
    BACKEND = "backend"
    FRONTEND_SERVICE = "frontend-service"
    BACKEND_SERVICE = "backend-service"
    INGRESS = "tech-lib-ingress"
    DB_CREDENTIALS_SECRET = "db-credentials"
    REDIS_CREDENTIALS_SECRET = "redis-credentials"
    APP_CONFIG_MAP = "app-config"
    POSTGRES_EXPORTER = "postgres-exporter"
    REDIS_EXPORTER = "redis-exporter"


class HealthPaths:
    FRONTEND_LIVENESS = "/"
    FRONTEND_READINESS = "/"
    BACKEND_LIVENESS = "/health"
    BACKEND_READINESS = "/ready"
    ALB_HEALTH_CHECK = "/health"
    BACKEND_METRICS = "/metrics"


class PathPatterns:
    API_PREFIX = "/api"
    STATIC_PREFIX = "/static"
