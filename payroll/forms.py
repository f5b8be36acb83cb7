"""forms of the payroll chapter (see SPEC.md); filled in by the chapter's issue."""
