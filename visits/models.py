"""models of the visits chapter (see SPEC.md); filled in by the chapter's issue."""
