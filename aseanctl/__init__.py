"""aseanctl: plan-as-code for public action plans."""

__version__ = "0.1.0"
