"""services of the archives chapter (see SPEC.md); filled in by the chapter's issue."""
