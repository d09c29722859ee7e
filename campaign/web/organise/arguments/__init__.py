"""Arguments: argument sets (sets), arguments and their citations (arguments), coverage and briefings (coverage)."""
