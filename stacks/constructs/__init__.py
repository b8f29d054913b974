"""Constructs the stacks compose: the EKS platform's node groups, add-ons, controllers and pod identities."""
