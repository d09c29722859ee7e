"""Letters: templates, sandbox, merge context, composing, DIN 5008 layout, PDFs, reference codes, snapshots, batch."""
