"""Campaigns: look-ups, settings and the figures shown about them."""
