"""An IAM role that exactly one Kubernetes service account of one cluster can assume through EKS Pod Identity."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_iam as iam
from constructs import Construct


class PodIdentityRole(Construct):
    """A role for `namespace/service_account` on `cluster_name`, plus (optionally) its Pod Identity association.

    EKS Pod Identity tags the session with the cluster, namespace and service account it assumes the
    role for; the trust policy requires those tags, so no other association in the account can use
    the role (the AWS docs' recommended conditions). Add-on roles pass `associate=False`: the
    `AWS::EKS::Addon` owns their association.
    """

    PRINCIPAL = "pods.eks.amazonaws.com"

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        cluster: eks.Cluster | eks.ICluster,
        cluster_name: str,
        namespace: str,
        service_account: str,
        description: str,
        associate: bool = True,
    ) -> None:
        super().__init__(scope, id_)
        self.namespace = namespace
        self.service_account = service_account
        principal = iam.PrincipalWithConditions(
            iam.ServicePrincipal(self.PRINCIPAL),
            {
                "StringEquals": {
                    "aws:SourceAccount": cdk.Stack.of(self).account,
                    "aws:RequestTag/eks-cluster-name": cluster_name,
                    "aws:RequestTag/kubernetes-namespace": namespace,
                    "aws:RequestTag/kubernetes-service-account": service_account,
                }
            },
        )
        # sts:TagSession: Pod Identity passes the session tags the conditions above read.
        self.role = iam.Role(self, "Role", assumed_by=iam.SessionTagsPrincipal(principal), description=description)
        self.association: eks.CfnPodIdentityAssociation | None = None
        if associate:
            self.association = eks.CfnPodIdentityAssociation(
                self,
                "Association",
                cluster_name=cluster.cluster_name,
                namespace=namespace,
                service_account=service_account,
                role_arn=self.role.role_arn,
            )

    @property
    def addon_association(self) -> eks.CfnAddon.PodIdentityAssociationProperty:
        """The association in the shape an `AWS::EKS::Addon` owns it."""
        return eks.CfnAddon.PodIdentityAssociationProperty(
            role_arn=self.role.role_arn, service_account=self.service_account
        )
