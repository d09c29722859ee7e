"""Letters: templates, the sandbox, merge context, composing, DIN 5008 layout, PDFs, snapshots, exports, bulk runs."""
