"""Organiser screens: campaigns, motions, argument sets, templates, recipients."""

from campaign.web.organise.views import bp

__all__ = ["bp"]
