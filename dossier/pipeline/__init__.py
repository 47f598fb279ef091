"""Builds: atomic writes, outputs, incremental state, parallel orchestration, manifest, verify, hashing."""
