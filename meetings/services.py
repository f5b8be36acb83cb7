"""services of the meetings chapter (see SPEC.md); filled in by the chapter's issue."""
