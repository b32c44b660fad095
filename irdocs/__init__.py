"""irdocs: documents of a university's international office, generated from its records."""

__version__ = "0.2.0"


def default_templates():
    """irdocs' own document designs: ``irdocs/templates``, the repository's ``templates/`` (a link to
    it in a checkout, a copy inside an installed package: ``pip install``, ``pipx install``)."""
    from pathlib import Path

    return (Path(__file__).resolve().parent / "templates").resolve()
