"""The evidence library: motions and their numbering and imports, provisions, amendments, sources, arguments."""
