"""Pages of the teams chapter, one module per part."""
