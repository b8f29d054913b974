"""`make cost`: a monthly estimate of an environment from its synthesized templates and configuration."""
