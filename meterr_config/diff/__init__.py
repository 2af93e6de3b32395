"""Diff any two snapshots: typed, keyed, redacted changes, with an environment parity policy."""
