"""The platform fits together: pod inventory, capacity model and cross-layer checks."""
