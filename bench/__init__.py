"""Benchmarks: run ``python -m bench.run`` (see README.rst). Never imported by tests."""
