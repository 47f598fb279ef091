"""Reading a workspace: YAML with positions, located validation, cross-references, the Case object."""
