"""Importing a motion's text from a file: one module per format, `uploads` as the entry point."""
