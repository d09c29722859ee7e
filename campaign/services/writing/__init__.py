"""Supporters write their own letters: postcode matching, composing, variation, sending, the questionnaire."""
