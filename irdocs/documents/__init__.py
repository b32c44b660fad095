"""The kinds of document the build engine makes (``document``: the interface and its registry),
one sub-package each: ``certificates`` (with the register, verification codes, keys and signing
beside them), ``agreements`` (the clause library) and ``factsheets`` (context and charts)."""
