"""Domain and persistence. Imports no Qt, ever (tests/unit/test_layering.py checks)."""
