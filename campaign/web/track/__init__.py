"""Coordinator screens: replies, signatures and response rates."""

from campaign.web.track.views import bp

__all__ = ["bp"]
