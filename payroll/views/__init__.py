"""Pages of the payroll chapter."""
