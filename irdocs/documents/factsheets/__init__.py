"""Fact sheets: the document kind, each sheet's context and its charts."""
