"""models of the approval engine; filled in by its issue."""
