"""Organiser screens: campaigns, motions, argument sets, templates, recipients."""

# Each module attaches its routes to the one organise blueprint when imported.
from campaign.web.organise import arguments, jobs, letters, motions, overview, recipients, sources
from campaign.web.organise.blueprint import bp

__all__ = ["arguments", "bp", "jobs", "letters", "motions", "overview", "recipients", "sources"]
