"""services of the teams chapter (see SPEC.md); filled in by the chapter's issue."""
