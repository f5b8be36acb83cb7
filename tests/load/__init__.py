"""Load, soak and fault scripts (run with ``python -m tests.load.<name>``; see
docs/operations-load.md). Only ``smoke`` belongs in ``make test``."""
