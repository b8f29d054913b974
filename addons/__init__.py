"""The cluster add-ons, one module each (as the EKS Blueprints add-ons): its Helm release or EKS add-on, its
Pod Identity role and policy, its names, its pods for the inventory and its cdk-nag/checkov reasons.

The EKS stack's constructs (stacks/constructs/eks_addons.py, eks_controllers.py) loop over the registries in
addons/registry.py; fit/inventory.py reads every add-on's pods from the same modules.
"""
