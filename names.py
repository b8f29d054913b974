"""One name for one thing on both the AWS and the Kubernetes side (docs/architecture.md).

Security-group rules, the ALB health check, the CloudFront behaviours, the cdk8s manifests and
the Prometheus scrape targets import these, so the layers cannot drift apart.
"""

from __future__ import annotations

from config.edge import CLOUDFRONT_REGION
from config.schema import SPOT_APP_NODE_GROUP, EksConfig


class Ports:
    HTTP = 80
    HTTPS = 443
    FRONTEND_HTTP = 80
    BACKEND_HTTP = 8080
    BACKEND_METRICS = 9090
    POSTGRES = 5432
    REDIS = 6379
    NFS = 2049
    POSTGRES_EXPORTER = 9187
    REDIS_EXPORTER = 9121
    CLUSTER_AUTOSCALER_METRICS = 8085
    ALERTMANAGER = 9093
    PROMETHEUS_SERVER = 80
    GRAFANA = 80
    # Istio ambient (istio.io "ambient-and-networkpolicy", "ambient/usage/networkpolicy"; the charts' templates).
    HBONE = 15008  # ztunnel's inbound tunnel on every meshed pod: all mesh traffic arrives here
    ISTIOD_MONITORING = 15014  # istiod's Prometheus endpoint (its pod's prometheus.io/port)
    ZTUNNEL_METRICS = 15020  # ztunnel's Prometheus endpoint (its pod's prometheus.io/port)


class K8sNames:
    FRONTEND = "frontend"
    BACKEND = "backend"
    FRONTEND_SERVICE = "frontend-service"
    BACKEND_SERVICE = "backend-service"
    INGRESS = "tech-lib-ingress"
    INGRESS_CLASS = "alb"
    FRONTEND_HPA = "frontend-hpa"
    BACKEND_HPA = "backend-hpa"
    DB_CREDENTIALS_SECRET = "db-credentials"
    REDIS_CREDENTIALS_SECRET = "redis-credentials"
    APP_CONFIG_MAP = "app-config"
    POSTGRES_EXPORTER = "postgres-exporter"
    REDIS_EXPORTER = "redis-exporter"
    METRICS_PORT = "metrics"  # the port name of backend-service's 9090 and of each exporter's Service
    KUBE_SYSTEM_NAMESPACE = "kube-system"  # the EKS add-ons and the AWS controllers
    # The cluster autoscaler's own (its chart's priority-expander ConfigMap has a fixed name: addons/cluster_autoscaler.py).
    CLUSTER_AUTOSCALER_NAMESPACE = "cluster-autoscaler"
    MONITORING_NAMESPACE = "monitoring"
    PROMETHEUS_SERVER = "prometheus-server"
    ALERTMANAGER = "alertmanager"
    GRAFANA = "grafana"
    GRAFANA_ADMIN_SECRET = "grafana-admin"
    PROMETHEUS_ADAPTER = "prometheus-adapter"
    CLOUDWATCH_NAMESPACE = "amazon-cloudwatch"
    CLOUDWATCH_AGENT = "cloudwatch-agent"


class Mesh:
    """Names the Istio ambient mesh and the objects that refer to it share (addons/istio_*.py, k8s_charts/mesh_policy.py)."""

    NAMESPACE = "istio-system"  # the charts' and the mesh root namespace (mesh-wide PeerAuthentication)
    ISTIOD = "istiod"
    ZTUNNEL = "ztunnel"
    ISTIO_CNI = "istio-cni-node"  # the cni chart's DaemonSet and service account
    DATAPLANE_MODE_LABEL = "istio.io/dataplane-mode"  # namespace (or pod) label enrolling it in ambient
    AMBIENT = "ambient"
    # Taint the node groups register with; istiod's untaint controller removes it once istio-cni is ready
    # on the node, so no pod starts before its traffic can be captured (istio/istio#55968).
    STARTUP_TAINT = "cni.istio.io/not-ready"
    # The source address of kubelet probes to ambient pods (istio-cni SNATs them to it).
    PROBE_SOURCE_CIDR = "169.254.7.127/32"
    # Prometheus' server pod as the prometheus chart labels it, and its service account (its fullname).
    PROMETHEUS_POD_LABELS = {"app.kubernetes.io/name": "prometheus", "app.kubernetes.io/component": "server"}
    PROMETHEUS_SERVICE_ACCOUNT = "prometheus-server"
    TRUST_DOMAIN = "cluster.local"

    @classmethod
    def principal(cls, namespace: str, service_account: str) -> str:
        """An AuthorizationPolicy principal: the workload's SPIFFE identity without the spiffe:// scheme."""
        return f"{cls.TRUST_DOMAIN}/ns/{namespace}/sa/{service_account}"


class NodeGroups:
    """EKS managed node groups (config.eks.node_groups) the cluster and the workloads refer to by name."""

    # The two groups the configuration must define (config.schema.EksConfig checks them).
    APP, SYSTEM = EksConfig.REQUIRED_NODE_GROUPS
    # app-nodes' Spot twin (config eks.spot_app_nodes).
    APP_SPOT = SPOT_APP_NODE_GROUP


class K8sKeys:
    """Keys inside the Secret and ConfigMap the backend reads (seed: db-credentials host/password, app-config redis-host)."""

    DB_HOST = "host"
    DB_PASSWORD = "password"
    REDIS_HOST = "redis-host"
    # The rest of what the EKS platform syncs/publishes (k8s_charts/platform.py).
    DB_PORT = "port"
    DB_USERNAME = "username"
    DB_NAME = "dbname"
    REDIS_AUTH_TOKEN = "auth-token"  # in redis-credentials
    REDIS_PORT = "redis-port"  # app-config from here on
    REDIS_TLS = "redis-tls"
    DB_PORT_CONFIG = "db-port"
    DB_NAME_CONFIG = "db-name"


class AwsNames:
    """Physical names of AWS resources created outside CloudFormation but watched by it."""

    @staticmethod
    def alb(resource_prefix: str) -> str:
        """The Ingress's ALB (annotation alb.ingress.kubernetes.io/load-balancer-name; 32 characters at most).

        The CloudWatch alarms look the ALB up by this name, so the Ingress must set it."""
        return f"{resource_prefix}-alb"


class Regions:
    """Fixed regions (the configuration's own region is `config.region`)."""

    # The edge stack (WebACL, certificate), the CloudFront alarms and the CDK bootstrap it needs.
    CLOUDFRONT = CLOUDFRONT_REGION


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


class Ecr:
    """Where the application images live. The repository names are `workloads.*_image.repository` in the
    configuration, read by both CicdStack (which creates the repositories) and the workloads (which pull
    from them), so the two cannot drift apart."""

    @staticmethod
    def registry(account: str, region: str) -> str:
        return f"{account}.dkr.ecr.{region}.amazonaws.com"

    @staticmethod
    def image_uri(*, account: str, region: str, repository: str, tag: str) -> str:
        return f"{Ecr.registry(account, region)}/{repository}:{tag}"
