"""Organiser screens of supporters' own letters: settings, moderation, variation, and the postcode table."""
