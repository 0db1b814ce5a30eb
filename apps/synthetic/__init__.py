"""Synthetic data for benchmarks (``manage.py generate_synthetic``): a million facts made to measure on.

An app of its own because it writes every domain app's tables: it sits above them all, so that
``apps.core`` imports no domain app (``tests/core/test_layers.py``).
"""
