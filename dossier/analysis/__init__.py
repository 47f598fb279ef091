"""Pure functions over a loaded Case: lineage, editions, element status, consistency, patterns."""
