"""irdocs: documents of a university's international office, generated from its records."""

__version__ = "0.2.0"
