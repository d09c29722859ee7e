"""Read-only JSON API."""

from campaign.web.api.views import bp

__all__ = ["bp"]
