"""views of the assets chapter (see SPEC.md); filled in by the chapter's issue."""
