"""Sources: the evidence arguments cite, with their quoted passages."""
