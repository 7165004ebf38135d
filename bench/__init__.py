"""Benchmarks: each bench_*.py measures a target against a baseline taken in the same run."""
