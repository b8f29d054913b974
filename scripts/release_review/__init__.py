"""The release review behind `make diff`: the CDK's diff engine per stack, the project's policy on top."""
