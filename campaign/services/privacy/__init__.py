"""Data-protection rights and rules: export and erasure per person, the purge of expired data, the privacy notice."""
