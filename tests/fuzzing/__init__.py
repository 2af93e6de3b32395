"""Fuzzing the command line (issue 10): Hypothesis strategies and an in-process harness,
shared by `tests/test_fuzz.py` (a small CI profile) and `bench/fuzz.py` (10,000 examples)."""
