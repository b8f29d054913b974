"""Resource types the estimate does not price, each with why: free, next to nothing, or no price source.

A type in a template that is neither here nor priced in `scripts/cost/pricing.py` shows up as "no rule for
this resource type" (unpriced, so the total says it is incomplete), and tests/test_cost.py fails on it.
"""

from __future__ import annotations

from scripts.cost.model import FREE, NEGLIGIBLE, NO_SOURCE

IAM = "IAM is free"
SECURITY_GROUPS = "security groups and their rules are free"
ROUTES = "route tables, routes and their associations are free"
CUSTOM = "a deploy-time custom resource: no charge of its own (its handler function is listed with the functions)"

NOT_PRICED: dict[str, tuple[str, str]] = {
    "AWS::IAM::Role": (FREE, IAM),
    "AWS::IAM::Policy": (FREE, IAM),
    "AWS::IAM::ManagedPolicy": (FREE, IAM),
    "AWS::IAM::OIDCProvider": (FREE, IAM),
    "AWS::EC2::SecurityGroup": (FREE, SECURITY_GROUPS),
    "AWS::EC2::SecurityGroupIngress": (FREE, SECURITY_GROUPS),
    "AWS::EC2::SecurityGroupEgress": (FREE, SECURITY_GROUPS),
    "AWS::EC2::RouteTable": (FREE, ROUTES),
    "AWS::EC2::Route": (FREE, ROUTES),
    "AWS::EC2::SubnetRouteTableAssociation": (FREE, ROUTES),
    "AWS::EC2::VPC": (FREE, "a VPC is free"),
    "AWS::EC2::Subnet": (FREE, "subnets are free"),
    "AWS::EC2::InternetGateway": (FREE, "an internet gateway has no charge of its own"),
    "AWS::EC2::VPCGatewayAttachment": (FREE, "attaching a gateway is free"),
    "AWS::EC2::LaunchTemplate": (FREE, "free itself: the root volume it defines is priced with its node group"),
    "AWS::EC2::FlowLog": (FREE, "free itself: its records are priced as ingestion into its log group"),
    "AWS::EKS::AccessEntry": (FREE, "EKS access entries are free"),
    "AWS::EKS::PodIdentityAssociation": (FREE, "Pod Identity associations are free"),
    "AWS::KMS::Alias": (FREE, "aliases are free"),
    "AWS::Logs::ResourcePolicy": (FREE, "resource policies are free"),
    "AWS::RDS::DBClusterParameterGroup": (FREE, "parameter groups are free"),
    "AWS::RDS::DBSubnetGroup": (FREE, "subnet groups are free"),
    "AWS::ElastiCache::ParameterGroup": (FREE, "parameter groups are free"),
    "AWS::ElastiCache::SubnetGroup": (FREE, "subnet groups are free"),
    "AWS::SecretsManager::ResourcePolicy": (FREE, "resource policies are free"),
    "AWS::SecretsManager::SecretTargetAttachment": (FREE, "attaching a secret to its database is free"),
    "AWS::SecretsManager::RotationSchedule": (
        NEGLIGIBLE,
        "rotation runs a Lambda function once per rotation period: next to nothing",
    ),
    "AWS::S3::BucketPolicy": (FREE, "bucket policies are free"),
    "AWS::CloudFront::OriginAccessControl": (FREE, "origin access control is free"),
    "AWS::CertificateManager::Certificate": (FREE, "public ACM certificates are free"),
    "AWS::WAFv2::LoggingConfiguration": (
        FREE,
        "free itself: the WAF logs are priced as ingestion into their log group",
    ),
    "AWS::Backup::BackupVault": (
        FREE,
        "a vault has no charge of its own: its recovery points are listed with the plan",
    ),
    "AWS::Backup::BackupSelection": (FREE, "selections are free"),
    "AWS::SNS::Topic": (
        NEGLIGIBLE,
        "a topic costs nothing itself; its deliveries (a handful of alarm mails) next to nothing",
    ),
    "AWS::SNS::Subscription": (FREE, "subscriptions are free"),
    "AWS::SNS::TopicPolicy": (FREE, "topic policies are free"),
    "AWS::Lambda::LayerVersion": (FREE, "layers are free (they count against the Lambda storage quota only)"),
    "AWS::Lambda::Function": (
        NEGLIGIBLE,
        "CDK's handler functions (kubectl, custom resources, the ALB lookup) run only during deploys: next to nothing",
    ),
    "AWS::Lambda::Permission": (FREE, "permissions are free"),
    "AWS::SSM::Parameter": (FREE, "standard parameters are free"),
    "AWS::Route53::RecordSet": (
        FREE,
        "records in an existing hosted zone have no charge of their own; alias queries to AWS resources are free",
    ),
    "AWS::EFS::MountTarget": (FREE, "mount targets are free"),
    "AWS::CDK::Metadata": (FREE, "CDK's own metadata, not a resource"),
    "Custom::AWSCDK-EKS-KubernetesResource": (FREE, CUSTOM + "; the cluster objects run on the nodes priced above"),
    "Custom::AWSCDK-EKS-HelmChart": (FREE, CUSTOM + "; the chart's pods run on the nodes priced above"),
    "Custom::AWSCDK-EKS-KubernetesObjectValue": (FREE, CUSTOM),
    "Custom::VpcRestrictDefaultSG": (FREE, CUSTOM),
    "Custom::AWS": (FREE, CUSTOM),
    # Billable, but no source for the price in these regions was found (see prices.yaml's header).
    "AWS::CloudWatch::Alarm": (NO_SOURCE, "CloudWatch alarms: no price source for their regions"),
    "AWS::ECR::Repository": (NO_SOURCE, "ECR image storage: no price source for ap-northeast-1"),
    "AWS::EFS::FileSystem": (NO_SOURCE, "EFS storage: no price source for ap-northeast-1"),
    "AWS::EFS::AccessPoint": (FREE, "access points are free"),
}
