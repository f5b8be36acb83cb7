"""services of the attendance chapter (see SPEC.md); filled in by the chapter's issue."""
