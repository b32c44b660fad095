"""Agreement drafts: the document kind and the clause library."""
