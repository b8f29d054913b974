"""cdk8s charts: the Kubernetes objects the EKS cluster construct applies (and `make manifests` renders)."""
