"""Background jobs: starting the bulk letter generation, its progress page and JSON, and its download."""
