"""Signatures of a campaign for the team (search, states, spam, handover lists) and the consent texts."""
